"""`python -m pulse_gate.plan scrub`: the plan JSON CI uploads carries no value the plan marks sensitive."""
from __future__ import annotations

import json

from pulse_gate.plan.cli import main as plan_main

from .conftest import REPO

CLEAN = REPO / "tests" / "plan" / "fixtures" / "clean-dev.json"
SECRET = "DefaultEndpointsProtocol=https;AccountName=stx;AccountKey=c2VjcmV0LWtleS1mb3ItdGVzdHM="  # test fixture


def _with_sensitive_setting(tmp_path):
    data = json.loads(CLEAN.read_text())
    change = next(rc["change"] for rc in data["resource_changes"]
                  if rc["type"] == "azurerm_linux_web_app" and isinstance(rc["change"].get("after"), dict))
    change["after"].setdefault("app_settings", {})["LEGACY_CONNECTION"] = SECRET
    marks = change.setdefault("after_sensitive", {})
    marks["app_settings"] = True
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data))
    return path


def test_scrub_masks_every_sensitive_value(tmp_path, capsys):
    plan = _with_sensitive_setting(tmp_path)
    out = tmp_path / "scrubbed.json"
    assert plan_main(["scrub", str(plan), "--out", str(out)]) == 0
    assert SECRET in plan.read_text() and SECRET not in out.read_text()
    assert "(sensitive)" in out.read_text()
    # still a plan the review and the gate read
    from pulse_gate.plan.cli import check_main
    assert check_main(["--plan", str(out), "--no-hcl", "--select", "ST001"]) == 0
    capsys.readouterr()


def test_scrub_refuses_to_overwrite_its_input(tmp_path, capsys):
    plan = _with_sensitive_setting(tmp_path)
    assert plan_main(["scrub", str(plan), "--out", str(plan)]) == 2
    assert capsys.readouterr().err.startswith("error: ")
    assert SECRET in plan.read_text()
