"""The hand-made fixtures are exactly the builder's output, follow the documented layout, and can be scrubbed."""
from __future__ import annotations

import json

import pytest

from pulse_gate.plan.gate import evaluate

from .conftest import CLEAN, MODULES, REGRESSION, REPLACE, UNCHANGED, fixture_script

PLANS = [CLEAN, REGRESSION, REPLACE, MODULES, UNCHANGED]


def test_fixtures_are_the_builders_output():
    build = fixture_script()
    for path, doc in ((CLEAN, build.clean_plan()), (REGRESSION, build.regression_plan()),
                      (REPLACE, build.replace_plan()), (MODULES, build.module_for_each_plan()),
                      (UNCHANGED, build.unchanged_plan())):
        assert json.loads(path.read_text(encoding="utf-8")) == json.loads(json.dumps(doc)), (
            f"{path.name} is stale: run .venv/bin/python tests/plan/fixtures/build_fixtures.py")


@pytest.mark.parametrize("path", PLANS, ids=[p.name for p in PLANS])
def test_documented_layout(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format_version"].startswith("1.")
    assert {"planned_values", "resource_changes", "configuration", "prior_state", "variables"} <= set(doc)
    for rc in doc["resource_changes"]:
        change = rc["change"]
        assert {"actions", "before", "after", "after_unknown", "before_sensitive", "after_sensitive"} <= set(change)
        assert rc["address"].endswith(f'{rc["type"]}.{rc["name"]}' + (
            "" if "index" not in rc else f'[{json.dumps(rc["index"])}]'))
        if "module_address" in rc:
            assert rc["address"].startswith(rc["module_address"] + ".")
        if change["after"] is not None and isinstance(change["after_unknown"], dict):
            for key, mark in change["after_unknown"].items():     # unknown attributes are not in after
                if mark is True:
                    assert key not in change["after"], (rc["address"], key)


def test_fixtures_cover_every_action():
    actions = set()
    for path in PLANS:
        for rc in json.loads(path.read_text())["resource_changes"]:
            actions.add(tuple(rc["change"]["actions"]))
    assert {("create",), ("update",), ("delete",), ("delete", "create"), ("no-op",)} <= actions


def test_scrub_removes_sensitive_values(tmp_path, staging_policy):
    scrub = fixture_script("scrub_plan")
    doc = scrub.scrub(json.loads(MODULES.read_text()))
    text = json.dumps(doc)
    assert "s3cr3t-literal-value-0001" not in text and "Pa55word-from-tfvars!" not in text
    path = tmp_path / "scrubbed.json"
    path.write_text(text)
    evaluate(str(path), staging_policy, root=None)
