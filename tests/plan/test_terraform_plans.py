"""Create plans written by real Terraform (1.11, through the offline schema-only azurerm stand-in of tools/tfprovider)
give the model and the findings the HCL front-end gives for the same Terraform.

fixtures/terraform-create-prod.json is such a plan, checked in (fixtures/terraform_plans.py writes it), so these tests
run without terraform. Where the stand-in runs, the same checks run on fresh plans of every environment, and the
checked-in plan must be what Terraform writes today.
"""
from __future__ import annotations

import json

import pytest

from pulse_gate.gate import env_models
from pulse_gate.plan.gate import evaluate
from pulse_gate.rules import run_rules

from .conftest import FIXTURES, SNAPSHOT, fixture_script
from .test_frontend import ALLOWED, ONLY, _diff

SCRIPT = fixture_script("terraform_plans")
OFFLINE, WHY = SCRIPT.stand_in()
CHECKED_IN = FIXTURES / SCRIPT.NAME
needs_terraform = pytest.mark.skipif(OFFLINE is None, reason=WHY or "")
PLANS = [pytest.param("checked-in", SCRIPT.ENV, id=f"{SCRIPT.ENV}-checked-in")] + [
    pytest.param("fresh", env, id=f"{env}-fresh", marks=needs_terraform) for env in ("dev", "staging", "prod")]
# Without the HCL, what the plan cannot show fails closed: principals of the for_each role assignments (RB004, and so
# RB001) and an app setting built from a local (AP004). Nothing else.
FAIL_CLOSED = {"RB001", "RB004", "AP004", "MO001"}


@pytest.fixture(scope="module")
def plan_path(tmp_path_factory):
    cache = {}

    def path(kind: str, env: str):
        if kind == "checked-in":
            return CHECKED_IN
        if env not in cache:
            cache[env] = tmp_path_factory.mktemp("terraform") / f"plan-{env}.json"
            cache[env].write_text(json.dumps(OFFLINE.offline_plan(str(SNAPSHOT), env)), encoding="utf-8")
        return cache[env]
    return path


def _hcl(env, policy):
    model = env_models(str(SNAPSHOT), [env])[0]
    return model, run_rules(model, policy, ONLY)


@pytest.mark.parametrize("kind,env", PLANS)
def test_terraform_plan_agrees_with_hcl(kind, env, plan_path, policy):
    hcl_model, hcl_findings = _hcl(env, policy)
    result = evaluate(str(plan_path(kind, env)), policy, env=env, root=str(SNAPSHOT))
    assert result.cross_checked and result.notices == []
    assert [f.line_text() for f in result.findings] == [f.line_text() for f in hcl_findings]
    assert sorted(r.address for r in result.model.resources) == sorted(r.address for r in hcl_model.resources)


@pytest.mark.parametrize("kind,env", PLANS)
def test_terraform_plan_values_line_up_with_hcl(kind, env, plan_path, policy):
    hcl_model, _ = _hcl(env, policy)
    result = evaluate(str(plan_path(kind, env)), policy, env=env, root=str(SNAPSHOT))
    problems = []
    for res in hcl_model.resources:
        diffs = []
        _diff(res.values, result.model.by_address(res.address).values, "", diffs)
        problems += [(res.address, path, h, p) for path, h, p in diffs if (res.address, path) not in ALLOWED]
    assert problems == []


@pytest.mark.parametrize("kind,env", PLANS)
def test_terraform_plan_alone_fails_closed(kind, env, plan_path, policy):
    result = evaluate(str(plan_path(kind, env)), policy, env=env, root=None)
    assert {f.rule_id for f in result.findings} == FAIL_CLOSED
    for f in result.findings:
        if f.rule_id != "RB001":
            assert "known after apply" in f.message, f.line_text()


def test_checked_in_plan_is_a_create_in_the_stand_ins_shapes():
    """What the stand-in cannot show (docs/plan-review.md): no state, so no `before` and no "" for unset strings
    (null instead); no replacement; every computed attribute unknown."""
    doc = json.loads(CHECKED_IN.read_text(encoding="utf-8"))
    assert doc["terraform_version"].startswith("1.") and doc["format_version"].startswith("1.")
    for rc in doc["resource_changes"]:
        change = rc["change"]
        assert change["actions"] == ["create"] and change["before"] is None, rc["address"]
        assert "replace_paths" not in change and "action_reason" not in rc, rc["address"]
        assert "" not in [v for v in change["after"].values() if isinstance(v, str)], rc["address"]
        if rc["mode"] == "managed":
            assert change["after_unknown"].get("id") is True, rc["address"]


@needs_terraform
def test_checked_in_plan_is_what_terraform_writes(plan_path):
    fresh = json.loads(plan_path("fresh", SCRIPT.ENV).read_text(encoding="utf-8"))
    assert SCRIPT.normalised(fresh) == json.loads(CHECKED_IN.read_text(encoding="utf-8")), (
        f"{CHECKED_IN.name} is stale: run .venv/bin/python tests/plan/fixtures/terraform_plans.py")
