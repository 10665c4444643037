"""Real Terraform as the oracle: evaluate expressions with `terraform console` in a configuration that uses no
provider, so it runs offline. Tests using it skip when terraform is not installed."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

TERRAFORM = shutil.which("terraform")
needs_terraform = pytest.mark.skipif(TERRAFORM is None, reason="terraform is not installed")


def _run(args, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    return subprocess.run([TERRAFORM, *args, "-no-color"], cwd=cwd, input=stdin, capture_output=True, text=True,
                          env=env, timeout=120)


def _init(directory: Path, files: dict):
    """Write the configuration and run `terraform init` (offline: it needs no provider)."""
    for rel, text in files.items():
        path = directory / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    init = _run(["init", "-input=false"], directory)
    assert init.returncode == 0, init.stderr


def terraform_values(directory: Path, files: dict, exprs: dict) -> dict:
    """{name: value} of each expression as `terraform console` evaluates it in a root made of files.

    One console call evaluates them all (it prints only its last result), through jsonencode."""
    _init(directory, files)
    query = "jsonencode({" + ", ".join(f'"{k}" = {v}' for k, v in exprs.items()) + "})\n"
    out = _run(["console"], directory, query)
    assert out.returncode == 0, out.stderr or out.stdout
    encoded = json.loads(out.stdout.strip())   # the console prints the JSON text as a quoted string
    return json.loads(encoded.replace("$${", "${").replace("%%{", "%{"))


def terraform_error(directory: Path, files: dict, command: str = "validate") -> str:
    """The error text Terraform prints for a configuration it rejects."""
    _init(directory, files)
    out = _run([command, "-input=false"] if command == "plan" else [command], directory)
    assert out.returncode != 0, out.stdout
    return " ".join(out.stderr.split())


def terraform_plans(directory: Path, files: dict) -> str:
    """The output of a `terraform plan` that must succeed."""
    _init(directory, files)
    out = _run(["plan", "-input=false"], directory)
    assert out.returncode == 0, out.stderr
    return out.stdout
