#!/usr/bin/env python3
"""Benchmark of the policy gate, end to end (`python -m pulse_gate check` as CI runs it), beside checkov and tfparse.

Trees measured:
- this repository (every environment): cold (empty parse cache) and repeat (cache filled by the previous run);
- generated flat trees of N resource blocks spread over many files, written the way real roots are: storage
  accounts, web apps with identities, role assignments between them, count, for_each and conditionals on a
  variable from a var file.

Each figure is the min and median of --runs separate processes (process start and imports included). checkov runs
with the same var file and --skip-download (offline), tfparse (trivy's HCL evaluator, when installed) loads the same
tree in-process. Not a timed test: it prints the numbers to quote, and quotes none itself.

    python tools/bench.py [--sizes 1000,10000] [--files 40] [--runs 3] [--checkov-runs 3] [--skip-checkov]
                          [--checkov-max-blocks 2000] [--tfparse-python PATH]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CHECKOV = os.path.join(REPO, ".venv-checkov", "bin", "checkov")

HEADER = '''provider "azurerm" {
  features {}
  storage_use_azuread = true
}

variable "environment" {
  type = string
}

variable "replicas" {
  type    = number
  default = 2
}

locals {
  is_prod     = var.environment == "prod"
  containers  = toset(["raw", "curated", "archive"])
  replication = local.is_prod ? "ZRS" : "LRS"
}
'''

# One "unit" is 8 resource blocks (9 instances: the container block has for_each over three names, the slot
# count = var.replicas); every unit relates its app and its storage through role assignments.
UNIT = '''
resource "azurerm_storage_account" "st{n}" {{
  name                            = "st${{var.environment}}{n}"
  resource_group_name             = "rg-bench-{g}"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = local.replication
  shared_access_key_enabled       = false
  default_to_oauth_authentication = true
  allow_nested_items_to_be_public = false
  local_user_enabled              = false
  public_network_access_enabled   = local.is_prod ? false : true
  min_tls_version                 = "TLS1_2"
  tags = {{
    environment = var.environment
    unit        = "{n}"
  }}
}}

resource "azurerm_storage_container" "c{n}" {{
  for_each           = local.containers
  name               = "${{each.key}}-{n}"
  storage_account_id = azurerm_storage_account.st{n}.id
}}

resource "azurerm_linux_web_app" "app{n}" {{
  name                                           = "app-${{var.environment}}-{n}"
  resource_group_name                            = "rg-bench-{g}"
  location                                       = "westeurope"
  service_plan_id                                = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/p{g}"
  https_only                                     = true
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false
  app_settings = {{
    STORAGE_ACCOUNT_NAME         = azurerm_storage_account.st{n}.name
    STORAGE_USE_MANAGED_IDENTITY = "true"
    TIER                         = local.is_prod ? "premium" : "standard"
  }}

  identity {{
    type = "SystemAssigned"
  }}

  site_config {{
    ftps_state          = "Disabled"
    minimum_tls_version = "1.2"
  }}
}}

resource "azurerm_role_assignment" "blob{n}" {{
  scope                = azurerm_storage_account.st{n}.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_linux_web_app.app{n}.identity[0].principal_id
}}

resource "azurerm_role_assignment" "queue{n}" {{
  count                = local.is_prod ? 1 : 0
  scope                = azurerm_storage_account.st{n}.id
  role_definition_name = "Storage Queue Data Contributor"
  principal_id         = azurerm_linux_web_app.app{n}.identity[0].principal_id
}}

resource "azurerm_linux_web_app_slot" "slot{n}" {{
  count          = var.replicas > 1 ? 1 : 0
  name           = "staging"
  app_service_id = azurerm_linux_web_app.app{n}.id
  https_only     = true

  identity {{
    type = "SystemAssigned"
  }}

  site_config {{}}
}}

resource "azurerm_key_vault" "kv{n}" {{
  name                       = "kv-${{var.environment}}-{n}"
  resource_group_name        = "rg-bench-{g}"
  location                   = "westeurope"
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  sku_name                   = "standard"
  rbac_authorization_enabled = true
  purge_protection_enabled   = true
}}

resource "azurerm_role_assignment" "kv{n}" {{
  scope                = azurerm_key_vault.kv{n}.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_linux_web_app.app{n}.identity[0].principal_id
}}
'''
BLOCKS_PER_UNIT = 8


def generate(root: str, resources: int, files: int) -> tuple[int, int]:
    """A flat root with about `resources` resource blocks in `files` files; returns (blocks, bytes)."""
    units = max(1, resources // BLOCKS_PER_UNIT)
    per_file = -(-units // files)
    size = 0
    os.makedirs(root, exist_ok=True)
    with open(os.path.join(root, "main.tf"), "w") as fh:
        size += fh.write(HEADER)
    for f in range(files):
        chunk = range(f * per_file, min(units, (f + 1) * per_file))
        if not chunk:
            break
        with open(os.path.join(root, f"resources_{f:03d}.tf"), "w") as fh:
            size += fh.write("".join(UNIT.format(n=n, g=n % 7) for n in chunk))
    with open(os.path.join(root, "bench.tfvars"), "w") as fh:
        fh.write('environment = "prod"\nreplicas    = 2\n')
    return units * BLOCKS_PER_UNIT, size


class RunFailed(Exception):
    pass


def runs(command: list[str], n: int, env: dict, before=None) -> list[float]:
    times = []
    for _ in range(n):
        if before:
            before()
        t = time.perf_counter()
        done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
        times.append(time.perf_counter() - t)
        if done.returncode not in (0, 1):
            why = f"killed by signal {-done.returncode}" if done.returncode < 0 else f"exit {done.returncode}"
            raise RunFailed(f"{os.path.basename(command[0])} failed after {times[-1]:.1f} s ({why}): "
                            f"{done.stderr.decode(errors='replace')[-300:].strip()}")
    return times


def fmt(times: list[float] | None) -> str:
    if not times:
        return "not measured"
    return f"min {min(times):.2f} s, median {statistics.median(times):.2f} s ({len(times)} runs)"


def gate_times(args_: list[str], cache: str, n: int) -> tuple[list[float], list[float]]:
    """(cold, repeat): cold empties the parse cache before each run; repeat runs on the cache the last run left."""
    env = {**os.environ, "PULSE_GATE_CACHE_DIR": cache}
    env.pop("PULSE_GATE_CACHE", None)
    command = [sys.executable, "-m", "pulse_gate", "check", *args_, "--format", "json"]
    cold = runs(command, n, env, before=lambda: shutil.rmtree(cache, ignore_errors=True))
    repeat = runs(command, n, env)
    return cold, repeat


def checkov_times(root: str, var_file: str | None, n: int) -> list[float] | None:
    if n <= 0 or not os.path.exists(CHECKOV):
        return None
    command = [CHECKOV, "-d", root, "--framework", "terraform", "--skip-download", "--quiet", "--compact",
               "-o", "json"] + (["--var-file", var_file] if var_file else [])
    try:
        return runs(command, n, dict(os.environ))
    except RunFailed as exc:      # e.g. the kernel's OOM killer on a large tree: say so, keep the other figures
        print(f"  checkov: not measured: {exc}")
        return None


def tfparse_times(root: str, n: int, python: str) -> list[float] | None:
    """tfparse (trivy's compiled HCL evaluator) loading the same tree, when the given Python has it."""
    if subprocess.run([python, "-c", "import tfparse"], capture_output=True, check=False).returncode:
        return None
    code = f"import tfparse; tfparse.load_from_path({root!r})"
    return runs([python, "-c", code], n, dict(os.environ))


def ratio(cold: list[float], repeat: list[float], other: list[float] | None) -> str:
    if not other:
        return ""
    base = statistics.median(other)
    return (f"; gate/checkov (medians): cold {statistics.median(cold) / base:.2f}, "
            f"repeat {statistics.median(repeat) / base:.2f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="resource blocks per generated tree (comma-separated)")
    ap.add_argument("--files", type=int, default=40, help="files per generated tree")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--checkov-runs", type=int, default=3)
    ap.add_argument("--skip-checkov", action="store_true")
    # Measured 2026-12-02: checkov 3.3.30 on the 10,000-block tree grew past 23 GB and the kernel's OOM killer ended
    # it (24 GB machine, shared): by default it is not run where it would take the machine down.
    ap.add_argument("--checkov-max-blocks", type=int, default=2000,
                    help="run checkov only on generated trees up to this many resource blocks (default 2000)")
    ap.add_argument("--tfparse-python", default=sys.executable,
                    help="a Python with tfparse installed, to time it on the same trees (default: this one)")
    args = ap.parse_args(argv)
    checkov_runs = 0 if args.skip_checkov else args.checkov_runs
    if checkov_runs and not os.path.exists(CHECKOV):
        print("checkov not installed: make checkov creates .venv-checkov (its times are left out)")

    with tempfile.TemporaryDirectory(prefix="pulse-bench-") as tmp:
        cache = os.path.join(tmp, "cache")
        cold, repeat = gate_times(["--root", REPO], cache, args.runs)
        print(f"this repository (3 environments): cold {fmt(cold)}; repeat {fmt(repeat)}")
        times = None
        if checkov_runs and os.path.exists(CHECKOV):
            times = checkov_times(REPO, os.path.join(REPO, "envs", "prod", "terraform.tfvars"), checkov_runs)
            print(f"  checkov (prod var file): {fmt(times)}{ratio(cold, repeat, times)}")
        for size in (int(s) for s in args.sizes.split(",") if s.strip()):
            root = os.path.join(tmp, f"tree-{size}")
            blocks, nbytes = generate(root, size, args.files)
            var_file = os.path.join(root, "bench.tfvars")
            cold, repeat = gate_times(["--root", root, "--var-file", var_file], cache, args.runs)
            print(f"generated tree: {blocks} resource blocks, {nbytes / 1e6:.1f} MB in {args.files} files: "
                  f"cold {fmt(cold)}; repeat {fmt(repeat)}")
            tf = tfparse_times(root, args.runs, args.tfparse_python)
            if tf:
                print(f"  tfparse load_from_path: {fmt(tf)}; gate cold/tfparse (medians) = "
                      f"{statistics.median(cold) / statistics.median(tf):.2f}")
            if checkov_runs and blocks > args.checkov_max_blocks:
                print(f"  checkov: not run above {args.checkov_max_blocks} blocks (--checkov-max-blocks)")
                continue
            times = checkov_times(root, var_file, checkov_runs)
            if times:
                print(f"  checkov: {fmt(times)}{ratio(cold, repeat, times)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
