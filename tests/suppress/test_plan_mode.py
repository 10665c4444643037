"""check --plan applies the same suppressions when the HCL root is there for the cross-check."""
from __future__ import annotations

import json

import pytest

from pulse_gate.policy_data import PolicyData
from pulse_gate.plan.gate import evaluate
from tools.tfprovider import offline

from .test_suppress import PROVIDER, REASON, account

UNAVAILABLE = offline.available()


@pytest.mark.skipif(UNAVAILABLE is not None, reason=f"terraform stand-in unavailable: {UNAVAILABLE}")
def test_plan_mode_applies_the_hcl_suppressions(tmp_path):
    root = tmp_path / "root"
    (root / "envs" / "test").mkdir(parents=True)
    (root / "envs" / "test" / "terraform.tfvars").write_text("")
    (root / "main.tf").write_text(PROVIDER + account(public="true", head=f"# pulse-gate:ignore=ST005 {REASON}\n"))
    plan = tmp_path / "test.plan.json"
    plan.write_text(json.dumps(offline.offline_plan(str(root), "test")))
    with_hcl = evaluate(str(plan), PolicyData.empty(), "test", str(root)).findings
    assert [(f.rule_id, f.suppressed) for f in with_hcl] == [("ST005", "approved in review #42")]
    without = evaluate(str(plan), PolicyData.empty(), "test", None).findings
    assert [(f.rule_id, f.suppressed) for f in without] == [("ST005", None)]
