"""checkov catches real regressions in a scratch copy of the Terraform (make checkov-test; needs .venv-checkov).

Each test copies the root *.tf, modules/ and envs/ to a temporary directory, applies one regression and runs
tools/checkov_gate.py there with this repository's .checkov.yaml and policy. checkov drops resources whose values it
cannot resolve (it fails open), so "checkov passes on the repository" proves little on its own: these tests prove
the checks we rely on still see the resources.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import CHECKOV_VENV, REPO

PYTHON = CHECKOV_VENV / "bin" / "python"
CHECKOV = CHECKOV_VENV / "bin" / "checkov"

pytestmark = [
    pytest.mark.checkov,
    pytest.mark.skipif(not CHECKOV.is_file(),
                       reason=f"checkov is not installed in {CHECKOV_VENV.name}: `make checkov-test` installs it "
                              f"(about 1 minute) and runs these tests; make test does not need checkov"),
]


def scratch(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    for tf in REPO.glob("*.tf"):
        shutil.copy2(tf, root / tf.name)
    for d in ("modules", "envs"):
        shutil.copytree(REPO / d, root / d)
    return root


def edit(path: Path, pattern: str, replacement: str) -> None:
    text = path.read_text()
    new, n = re.subn(pattern, replacement, text, flags=re.M)
    assert n == 1, f"regression pattern {pattern!r} not found once in {path}"
    path.write_text(new)


def run_gate(root: Path, *envs: str) -> subprocess.CompletedProcess:
    cmd = [str(PYTHON), str(REPO / "tools" / "checkov_gate.py"), "--root", str(root), "--checkov", str(CHECKOV),
           "--out", str(root / "reports")]
    for env in envs:
        cmd += ["--env", env]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


def failed_envs(output: str, check_id: str) -> set[str]:
    """Environments whose report lists check_id as FAILED (not accepted)."""
    envs, current = set(), None
    for line in output.splitlines():
        m = re.match(r"checkov (\w+): ", line)
        if m:
            current = m.group(1)
        elif line.strip().startswith(f"FAILED {check_id} ") and current:
            envs.add(current)
    return envs


def test_unmodified_copy_passes(tmp_path):
    proc = run_gate(scratch(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_storage_shared_key_enabled_is_caught(tmp_path):
    root = scratch(tmp_path)
    edit(root / "modules/storage/main.tf", r"^(\s*shared_access_key_enabled\s*=\s*).*$", r"\1true")
    proc = run_gate(root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert failed_envs(proc.stdout, "CKV2_AZURE_40") == {"dev", "staging", "prod"}, proc.stdout


def test_cognitive_local_auth_enabled_is_caught(tmp_path):
    root = scratch(tmp_path)
    edit(root / "modules/cognitive_account/main.tf", r"^(\s*local_auth_enabled\s*=\s*)false\s*$", r"\1true")
    proc = run_gate(root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert failed_envs(proc.stdout, "CKV_AZURE_236") == {"dev", "staging", "prod"}, proc.stdout


def test_prod_tfvars_shared_key_is_caught_in_prod_only(tmp_path):
    root = scratch(tmp_path)
    edit(root / "envs/prod/terraform.tfvars", r"^(storage_account_shared_access_key_enabled\s*=\s*)false\s*$",
         r"\1true")
    proc = run_gate(root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert failed_envs(proc.stdout, "CKV2_AZURE_40") == {"prod"}, proc.stdout


def test_dev_exception_does_not_cover_prod(tmp_path):
    """Public endpoints are accepted for dev only: prod going public fails the gate."""
    root = scratch(tmp_path)
    edit(root / "envs/prod/terraform.tfvars", r"^(public_network_access_enabled\s*=\s*)false\s*$", r"\1true")
    proc = run_gate(root, "prod")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert {"CKV_AZURE_59", "CKV_AZURE_189", "CKV_AZURE_134"} <= set(
        re.findall(r"FAILED (CKV2?_AZURE_\d+) ", proc.stdout)), proc.stdout


def test_skip_without_reason_is_rejected(tmp_path):
    root = scratch(tmp_path)
    edit(root / "modules/analytics_postgres/main.tf", r"#checkov:skip=CKV2_AZURE_57:.*$", "#checkov:skip=CKV2_AZURE_57")
    proc = run_gate(root, "prod")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "skip without a real reason: CKV2_AZURE_57" in proc.stdout
