"""The Rule object: findings carry the rule's id, name and severity; the pre-object decorator form still works, so
rules written against it (e.g. on another branch) register unchanged."""
from __future__ import annotations

import pytest

from pulse_gate.model import Model, Resource
from pulse_gate.rules import RULES, Rule, catalog, run_rules
from pulse_gate.rules.base import finding, rule


@pytest.fixture
def registered():
    added = []
    yield added
    for rule_id in added:
        RULES.pop(rule_id, None)


def _model() -> Model:
    res = Resource("azurerm_thing.x", "azurerm_thing", "x", "", "managed", {"on": True}, "main.tf", 3, {"on": 4})
    return Model("dev", ".", resources=[res])


def test_legacy_two_argument_check_registers_and_runs(registered):
    @rule("ZZ901", "legacy_style", "A rule written with the old decorator")
    def legacy(model, policy):
        return [finding("ZZ901", model, r, "on", "is on", "turn it off") for r in model.of_type("azurerm_thing")]
    registered.append("ZZ901")
    [f] = run_rules(_model(), None, ["ZZ901"])
    assert (f.rule_id, f.rule, f.file, f.line, f.severity) == ("ZZ901", "legacy_style", "main.tf", 4, "error")
    assert RULES["ZZ901"].rationale == "A rule written with the old decorator"
    assert legacy(_model(), None) == [f]   # the name still calls the check


def test_rule_object_check_builds_findings_from_the_rule(registered):
    @rule("ZZ902", "object_style", "Things are off", severity="warning", resource_types=("azurerm_thing",),
          learn_url="https://learn.microsoft.com/azure/")
    def object_style(rule, model, policy):
        """Things that are on cost money."""
        return [rule.finding(model, r, "on", "is on", "turn it off") for r in model.of_type("azurerm_thing")]
    registered.append("ZZ902")
    assert isinstance(object_style, Rule)
    [f] = run_rules(_model(), None, ["ZZ902"])
    assert (f.rule_id, f.rule, f.severity) == ("ZZ902", "object_style", "warning")
    entry = next(e for e in catalog() if e["id"] == "ZZ902")
    assert entry["rationale"] == "Things that are on cost money."
    assert entry["resource_types"] == ["azurerm_thing"] and entry["doc_path"] == "docs/rules/ZZ902.md"


def test_duplicate_ids_and_unknown_severities_are_refused(registered):
    with pytest.raises(RuntimeError, match="duplicate"):
        rule("ST001", "again", "again")(lambda model, policy: [])
    with pytest.raises(RuntimeError, match="severity"):
        rule("ZZ903", "x", "x", severity="fatal")


def test_rules_that_need_policy_data_do_not_run_without_it():
    from pulse_gate.policy_data import PolicyData
    ra = Resource("azurerm_role_assignment.x", "azurerm_role_assignment", "x", "", "managed",
                  {"principal_id": "22222222-2222-2222-2222-222222222222", "role_definition_name": "Reader",
                   "scope": "/subscriptions/s"}, "main.tf", 1)
    model = Model("dev", ".", resources=[ra])
    assert run_rules(model, PolicyData.empty(), ["RB004"]) == []
    assert run_rules(model, None, ["RB004"]) == []
    declared_nothing = PolicyData({}, {}, (), (), frozenset(), "")
    assert [f.rule_id for f in run_rules(model, declared_nothing, ["RB004"])] == ["RB004"]


def test_line_text_names_the_severity_and_the_suppression():
    from pulse_gate.rules import Finding
    f = Finding("ST002", "storage_oauth_default", "dev", "a.b", "x", "main.tf", 3, "m", "h", "warning")
    assert f.line_text().startswith("WARN ST002 [dev] a.b.x (main.tf:3): m - fix: h")
    import dataclasses
    s = dataclasses.replace(f, suppressed="accepted", suppression="main.tf:2")
    assert s.line_text().startswith("SUPPRESSED ST002") and s.line_text().endswith("[suppressed at main.tf:2: accepted]")
