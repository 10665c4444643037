"""`check --plan` speaks the same formats and flags as the HCL check."""
from __future__ import annotations

import json

import pytest

from .conftest import REPO
from .test_formats import ANNOTATION, ours_valid, sarif_valid

REGRESSION = str(REPO / "tests" / "plan" / "fixtures" / "regression-dev.json")
UNCHANGED = str(REPO / "tests" / "plan" / "fixtures" / "unchanged-dev.json")


@pytest.mark.parametrize("hcl", [["--root", str(REPO)], ["--no-hcl"]], ids=["with-hcl", "plan-only"])
def test_plan_sarif_and_json_validate(run, hcl):
    code, out, _ = run(["check", "--plan", REGRESSION, *hcl, "--format", "sarif"])
    log = json.loads(out)
    sarif_valid(log)
    assert code == 1
    assert {r["ruleId"] for r in log["runs"][0]["results"]} >= {"ST001", "OA001", "RB003"}
    code, out, _ = run(["check", "--plan", REGRESSION, *hcl, "--format", "json"])
    data = json.loads(out)
    ours_valid(data)
    assert data["command"] == "check --plan" and data["not_checked"] and data["count"] == len(data["findings"])


def test_plan_github_annotations(run):
    code, out, _ = run(["check", "--plan", REGRESSION, "--root", str(REPO), "--format", "github"])
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert code == 1 and annotations and all(ANNOTATION.match(a) for a in annotations)
    # a plan-only location has no line: the annotation names the file and leaves the line out, never line=0
    assert any(a.startswith("::error file=regression-dev.json,title=ST001 [dev]::") for a in annotations)
    assert not any("line=0" in a for a in annotations)


def test_plan_select_and_skip(run):
    code, out, _ = run(["check", "--plan", REGRESSION, "--no-hcl", "--select", "ST001", "--format", "json"])
    assert code == 1 and {f["rule_id"] for f in json.loads(out)["findings"]} == {"ST001"}
    code, out, _ = run(["check", "--plan", REGRESSION, "--no-hcl", "--skip", "ST001,OA001,PL004,RB002,RB003"])
    assert code == 0, out


def test_plan_input_error_in_json(tmp_path, run):
    bad = tmp_path / "plan.json"
    bad.write_text("{not json")
    code, out, err = run(["check", "--plan", str(bad), "--format", "json"])
    assert code == 2 and json.loads(out)["exit_code"] == 2 and err.startswith("error: ")


def test_plan_clean_passes(run):
    code, out, _ = run(["check", "--plan", UNCHANGED, "--root", str(REPO), "--format", "junit"])
    assert code == 0 and 'failures="0"' in out
