"""Every real plan in ../shared/plans loads, and the findings agree with the values written in it.

The files are read where they are (never copied into the repository); without ../shared/plans these tests skip.
"""
from __future__ import annotations

import json

import pytest

from pulse_gate.plan.gate import evaluate
from pulse_gate.plan.render import as_json, markdown
from pulse_gate.plan.review import Analysis
from pulse_gate.values import Ref

from .conftest import SHARED_PLANS, requires_shared, shared_plan_files

pytestmark = requires_shared
PLANS = shared_plan_files()


def _raw_after(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    return {rc["address"]: rc for rc in data.get("resource_changes", [])}


def test_shared_plans_are_there():
    assert PLANS, f"no *.json in {SHARED_PLANS}"


@pytest.mark.parametrize("path", PLANS, ids=[p.name for p in PLANS])
def test_loads_models_and_reviews(path, policy):
    result = evaluate(str(path), policy, root=None)
    raw = _raw_after(path)
    expected = sorted(a for a, rc in raw.items() if rc["change"].get("after") is not None and rc["mode"] == "managed")
    assert sorted(r.address for r in result.model.resources if r.mode == "managed") == expected
    review = Analysis(result.plan, result.model, policy, result.findings, result.notices).review()
    assert markdown([review], result.secrets).startswith("## ")
    json.loads(as_json([review], result.secrets))


def test_old_format_is_read_with_a_notice(policy):
    old = [p for p in PLANS if json.loads(p.read_text())["format_version"].startswith("0.")]
    if not old:
        pytest.skip("no pre-1.0 plan in ../shared/plans")
    for path in old:
        result = evaluate(str(path), policy, root=None)
        assert any("predates the stable 1.x format" in n for n in result.notices)


@pytest.mark.parametrize("path", PLANS, ids=[p.name for p in PLANS])
def test_storage_findings_follow_the_plan_values(path, policy):
    """ST001/ST003/ST004/ST005 fire exactly for the accounts whose planned values (or the azurerm 4.x default, or the
    older attribute name the plan's provider used) say so."""
    result = evaluate(str(path), policy, root=None)
    fired = {(f.rule_id, f.address) for f in result.findings}
    for address, rc in _raw_after(path).items():
        after = rc["change"].get("after")
        if rc["type"] != "azurerm_storage_account" or after is None:
            continue

        def value(new, old, default):
            for name in (new, old):
                if name and after.get(name) is not None:
                    return after[name]
            return default

        expect = {
            "ST001": value("shared_access_key_enabled", None, True) is not False,
            "ST003": value("https_traffic_only_enabled", "enable_https_traffic_only", True) is not True,
            "ST004": value("min_tls_version", None, "TLS1_2") not in ("TLS1_2", "TLS1_3"),
            "ST005": value("allow_nested_items_to_be_public", "allow_blob_public_access", True) is not False,
        }
        for rule, should in expect.items():
            assert ((rule, address) in fired) == should, (rule, address, after)


def test_role_assignment_attributed_from_configuration_and_values(policy):
    """plan3 grants Contributor to data.azurerm_client_config.current.object_id on the firewall: the principal is a
    known GUID in the plan, traced to the deploying principal through the configuration and the prior state."""
    path = SHARED_PLANS / "oocx__tfplan2md__firewall-rules-demo-plan3.json"
    if not path.exists():
        pytest.skip(f"{path.name} not in ../shared/plans")
    result = evaluate(str(path), policy, root=None)
    ra = result.model.by_address("azurerm_role_assignment.firewall_contributor_current")
    assert ra.values["principal_id"] == Ref("data.azurerm_client_config.current", "object_id")
    assert ra.values["scope"] == Ref("azurerm_firewall.demo", "id")
    rb002 = [f for f in result.findings if f.rule_id == "RB002" and f.address == ra.address]
    assert rb002 and "deployer holds Contributor" in rb002[0].message
    review = Analysis(result.plan, result.model, policy, result.findings).review()
    (change,) = review.role_changes
    assert change.change == "added" and change.role == "Contributor"
    assert change.identity.startswith("the deploying principal") and "`demo-firewall`" in change.scope
    assert "privileged role" in change.flags
