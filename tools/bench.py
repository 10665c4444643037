#!/usr/bin/env python3
"""Benchmark of the policy gate: this repository, and a generated large tree; checkov on both when installed.

Not a timed test: it prints numbers to quote. Usage: python tools/bench.py [--instances N] [--repeat R]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from pulse_gate.gate import check  # noqa: E402

CHECKOV = os.path.join(REPO, ".venv-checkov", "bin", "checkov")

LEAF = '''variable "name" {
  type = string
}

variable "settings" {
  type = map(string)
}

resource "azurerm_storage_account" "main" {
  name                            = var.name
  resource_group_name             = "rg-bench"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  shared_access_key_enabled       = false
  default_to_oauth_authentication = true
  allow_nested_items_to_be_public = false
  local_user_enabled              = false
}

resource "azurerm_storage_container" "c" {
  for_each           = toset(["a", "b", "c", "d"])
  name               = each.key
  storage_account_id = azurerm_storage_account.main.id
}

resource "azurerm_linux_web_app" "app" {
  name                                           = "app-${var.name}"
  resource_group_name                            = "rg-bench"
  location                                       = "westeurope"
  service_plan_id                                = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Web/serverFarms/p"
  https_only                                     = true
  ftp_publish_basic_authentication_enabled       = false
  webdeploy_publish_basic_authentication_enabled = false
  app_settings                                   = merge(var.settings, { STORAGE_ACCOUNT_NAME = var.name })

  identity {
    type = "SystemAssigned"
  }

  site_config {}
}

output "principal_id" {
  value = azurerm_linux_web_app.app.identity[0].principal_id
}
'''

MIDDLE = '''variable "prefix" {
  type = string
}

locals {
  names = { for i in range(10) : "n${i}" => "${var.prefix}${i}" }
}

module "leaf" {
  source   = "../leaf"
  for_each = local.names
  name     = each.value
  settings = { STORAGE_USE_MANAGED_IDENTITY = "true", INDEX = each.key }
}

output "principals" {
  value = { for k, m in module.leaf : k => m.principal_id }
}
'''


def generate(root: str, middles: int):
    os.makedirs(os.path.join(root, "modules", "leaf"))
    os.makedirs(os.path.join(root, "modules", "middle"))
    with open(os.path.join(root, "modules", "leaf", "main.tf"), "w") as fh:
        fh.write(LEAF)
    with open(os.path.join(root, "modules", "middle", "main.tf"), "w") as fh:
        fh.write(MIDDLE)
    with open(os.path.join(root, "main.tf"), "w") as fh:
        fh.write('provider "azurerm" {\n  features {}\n  storage_use_azuread = true\n}\n\n')
        fh.write(f'module "middle" {{\n  source   = "./modules/middle"\n  for_each = toset([for i in range({middles}) '
                 f': tostring(i)])\n  prefix   = "st${{each.key}}x"\n}}\n')


def timed(fn, repeat: int):
    runs = []
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), result


def checkov_time(root: str) -> str:
    if not os.path.exists(CHECKOV):
        return "checkov not installed (make checkov creates .venv-checkov)"
    t = time.perf_counter()
    subprocess.run([CHECKOV, "-d", root, "--framework", "terraform", "--quiet", "--compact", "-o", "json"],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return f"{time.perf_counter() - t:.2f} s"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--middles", type=int, default=60, help="middle module instances (each holds 10 leaves)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)

    seconds, result = timed(lambda: check(REPO), args.repeat)
    n = sum(len(m.resources) for m in result.models)
    print(f"this repository: {len(result.models)} environments, {n} resource instances, "
          f"{len(result.findings)} findings: {seconds * 1000:.0f} ms (median of {args.repeat}, in-process, "
          f"parse + evaluate + rules)")
    print(f"  checkov on this repository: {checkov_time(REPO)}")

    with tempfile.TemporaryDirectory(prefix="pulse-bench-") as tmp:
        generate(tmp, args.middles)
        seconds, result = timed(lambda: check(tmp), args.repeat)
        [model] = result.models
        modules = 1 + args.middles * 11
        print(f"generated tree: {modules} module instances, {len(model.resources)} resource instances: "
              f"{seconds * 1000:.0f} ms (median of {args.repeat})")
        print(f"  checkov on the generated tree: {checkov_time(tmp)}")
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pulse_gate", "check"], cwd=REPO, stdout=subprocess.DEVNULL, check=False)
    print(f"`python -m pulse_gate check` end to end (process start included): {time.perf_counter() - t:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
