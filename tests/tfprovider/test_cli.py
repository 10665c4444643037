"""The CLI behind `make validate`, `make plan-offline` and `make terraform-test`: one line and exit 0 where it
cannot run, one line and exit 2 on bad input."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tools.tfprovider import offline, schema


def _cli(*args, **env):
    full = dict(os.environ, PYTHONPATH=schema.REPO, **env)
    return subprocess.run([sys.executable, "-m", "tools.tfprovider.offline", *args], cwd=schema.REPO, env=full,
                          capture_output=True, text=True, check=False, timeout=600)


@pytest.mark.parametrize("command", ["validate", "plan", "test"])
def test_without_terraform_one_line_and_success(command, tmp_path):
    done = _cli(command, PATH=str(tmp_path))
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout == f"offline terraform {command}: not run: terraform is not on PATH\n"


def test_without_the_shared_schema_one_line_and_success(tmp_path):
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not on PATH (its absence is the line reported first)")
    missing = str(tmp_path / "azurerm-4.55.0-full.json.gz")
    done = _cli("validate", **{schema.SCHEMA_ENV: missing})
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.splitlines() == [f"offline terraform validate: not run: the azurerm schema {missing} is missing "
                                        "(it lives in ../shared/tools beside the repository)"]


def test_unknown_environment_is_one_line_and_exit_2(tmp_path):
    if offline.available():
        pytest.skip(f"offline terraform not available: {offline.available()}")
    out = tmp_path / "plans"
    done = _cli("plan", "--env", "qa", "--out", str(out))
    assert done.returncode == 2 and not out.exists()
    assert done.stderr.count("\n") == 1 and "envs/qa/terraform.tfvars: no such environment: choose one of" in done.stderr
