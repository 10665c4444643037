"""`review`: Markdown for a pull-request comment (golden files), JSON, size cap, and what it must never miss or show.

Regenerate the golden files after an intended change with:  UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/plan
"""
from __future__ import annotations

import json
import os
import random

import pytest

from pulse_gate.plan.cli import review_main
from pulse_gate.plan.gate import evaluate
from pulse_gate.plan.render import markdown
from pulse_gate.plan.review import Analysis

from .conftest import CLEAN, GOLDEN, MODULES, REGRESSION, REPLACE, REPO, SNAPSHOT, STAGING_POLICY, UNCHANGED, run

FUNC = "module.app.azurerm_linux_function_app.orchestrator"
FUNC_ASSIGNMENTS = sorted([
    'module.rbac_keyvault.module.assignment.azurerm_role_assignment.this["function_app_secrets_user"]',
    'module.rbac_monitoring.module.assignment.azurerm_role_assignment.this["function_app_metrics_publisher"]',
    'module.rbac_openai.module.assignment.azurerm_role_assignment.this["function_app_openai_user"]',
    'module.rbac_speech.module.assignment.azurerm_role_assignment.this["function_app_speech_user"]',
    'module.rbac_storage.module.assignment.azurerm_role_assignment.this["function_app_blob_data_owner"]',
    'module.rbac_storage.module.assignment.azurerm_role_assignment.this["function_app_queue_data_contributor"]',
    'module.rbac_storage.module.assignment.azurerm_role_assignment.this["function_app_table_data_contributor"]',
])
OLD_FUNC_PRINCIPAL = "8b4d2f6e-0a1c-4e3b-9d5f-7c2a4e6b8d31"

GOLDENS = {
    # golden file: review arguments (paths are the fixtures'; --root is the repository's Terraform they describe)
    "clean-dev.md": [CLEAN, "--root", SNAPSHOT],
    "regression-dev.md": [REGRESSION, "--no-hcl"],
    "replace-function-app-dev.md": [REPLACE, "--root", SNAPSHOT],
    "unchanged-dev.md": [UNCHANGED, "--root", SNAPSHOT],
    "replace-function-app-dev-plan-only.md": [REPLACE, "--no-hcl"],
    "module-for-each-staging.md": [MODULES, "--no-hcl", "--policy-data", STAGING_POLICY],
    "three-environments.md": [CLEAN, REPLACE, REGRESSION, "--env", "dev", "--env", "staging", "--env", "prod",
                              "--root", SNAPSHOT],
    "three-environments-capped.md": [CLEAN, REPLACE, REGRESSION, "--env", "dev", "--env", "staging", "--env",
                                     "prod", "--root", SNAPSHOT, "--max-chars", "4000"],
    "replace-function-app-dev.json": [REPLACE, "--root", SNAPSHOT, "--format", "json"],
}


def _review(args, capsys) -> str:
    code, out, err = run(review_main, args, capsys)
    assert code == 0, err
    return out


@pytest.mark.parametrize("name", sorted(GOLDENS))
def test_golden(name, capsys, monkeypatch):
    monkeypatch.chdir(REPO)   # notices name --root relative to the working directory, as a person would type it
    out = _review(GOLDENS[name], capsys)
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_text(out, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/plan"
    assert out == path.read_text(encoding="utf-8"), f"{name} differs: if intended, rerun with UPDATE_GOLDEN=1"


@pytest.mark.parametrize("hcl", ["with-hcl", "plan-only"])
def test_function_app_replacement_names_every_orphaned_assignment(capsys, policy, hcl):
    """The done criterion: every role assignment held by the replaced function app's old principal is named."""
    result = evaluate(str(REPLACE), policy, root=str(SNAPSHOT) if hcl == "with-hcl" else None)
    review = Analysis(result.plan, result.model, policy, result.findings).review()
    (identity,) = review.identities
    assert identity.address == FUNC and identity.action == "replaced" and identity.old_principal == OLD_FUNC_PRINCIPAL
    assert sorted(o.address for o in identity.orphans) == FUNC_ASSIGNMENTS
    assert all(o.fate.startswith("re-created by this plan") for o in identity.orphans)
    text = markdown([review], result.secrets)
    section = text.split("#### Identity replacements")[1].split("####")[0]
    for address in FUNC_ASSIGNMENTS:
        assert f"`{address}`" in section
    for role in ("Storage Blob Data Owner", "Storage Queue Data Contributor", "Storage Table Data Contributor",
                 "Cognitive Services OpenAI User", "Cognitive Services Speech User", "Key Vault Secrets User",
                 "Monitoring Metrics Publisher"):
        assert f"**{role}**" in section


def test_assignment_left_on_the_old_principal_is_flagged(tmp_path, capsys):
    """An assignment the plan does not touch (a literal principal id, ignore_changes) stays on the old principal:
    silently orphaned. The review says so."""
    doc = json.loads(REPLACE.read_text())
    target = 'module.rbac_keyvault.module.assignment.azurerm_role_assignment.this["function_app_secrets_user"]'
    for rc in doc["resource_changes"]:
        if rc["address"] == target:
            rc["change"]["actions"] = ["no-op"]
            rc["change"]["after"] = rc["change"]["before"]
            rc["change"]["after_unknown"] = {}
            rc["change"].pop("replace_paths", None)
            rc.pop("action_reason", None)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc))
    out = _review([path, "--no-hcl"], capsys)
    line = next(line for line in out.splitlines() if target in line and "Key Vault Secrets User" in line
                and "old principal" in line)
    assert line.strip().startswith("- ⚠️") and "orphaned" in line


def test_deterministic_whatever_the_order_of_the_plan(tmp_path, capsys):
    doc = json.loads(REPLACE.read_text())
    random.Random(7).shuffle(doc["resource_changes"])
    doc["configuration"]["root_module"]["module_calls"] = dict(
        reversed(list(doc["configuration"]["root_module"]["module_calls"].items())))
    path = tmp_path / REPLACE.name
    path.write_text(json.dumps(doc, indent=1))
    assert _review([path, "--root", SNAPSHOT], capsys) == _review([REPLACE, "--root", SNAPSHOT], capsys)


@pytest.mark.parametrize("cap", [500, 1500, 4000, 20000])
def test_size_cap(capsys, cap):
    out = _review([CLEAN, REPLACE, REGRESSION, MODULES, "--no-hcl", "--max-chars", str(cap)], capsys)
    assert len(out) <= cap
    assert "Truncated" in out
    assert out.startswith("## ")


def test_no_truncation_note_when_it_fits(capsys):
    out = _review([CLEAN, "--root", SNAPSHOT], capsys)
    assert "Truncated" not in out


def test_sensitive_values_never_shown(capsys):
    secrets = ["s3cr3t-literal-value-0001", "Pa55word-from-tfvars!", "InstrumentationKey=",
               "c2VjcmV0LXN0b3JhZ2Uta2V5", "0f9e8d7c6b5a49382716a5b4c3d2e1f0", "ZnVuYy1zaXRlLWNyZWRlbnRpYWw=",
               "c2l0ZS1jcmVkZW50aWFsLWZpeHR1cmU=", "bGF3LXByaW1hcnkta2V5"]
    for fmt in ("markdown", "json"):
        out = _review([CLEAN, REGRESSION, REPLACE, MODULES, "--no-hcl", "--policy-data", STAGING_POLICY,
                       "--format", fmt], capsys)
        for secret in secrets:
            assert secret not in out, (fmt, secret)
    assert "(sensitive)" in out


def test_json_format(capsys):
    data = json.loads(_review([REPLACE, REGRESSION, "--root", SNAPSHOT, "--format", "json"], capsys))
    assert data["verdict"] == "blocked"
    envs = {e["file"]: e for e in data["environments"]}
    assert envs["replace-function-app-dev.json"]["verdict"] == "needs attention"
    assert envs["regression-dev.json"]["verdict"] == "blocked"
    assert {f["rule_id"] for f in envs["regression-dev.json"]["findings"]} == {"ST001", "PL004", "OA001", "RB002",
                                                                                "RB003"}


def test_out_file(tmp_path, capsys):
    out = tmp_path / "review.md"
    code, stdout, _ = run(review_main, [CLEAN, "--root", SNAPSHOT, "--out", out], capsys)
    assert code == 0 and stdout == ""
    assert out.read_text(encoding="utf-8").startswith("## ✅ Terraform plan review: safe")
