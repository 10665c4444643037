"""The checkov gate's verdict logic and the checked-in skip discipline, without checkov (fast; part of make test)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SKIP_RE = re.compile(r"#\s*checkov:skip=([A-Za-z0-9_]+)(?::(.*))?$")


def check(check_id, resource, reason=None, line=(1, 9), file="/modules/x/main.tf"):
    c = {"check_id": check_id, "check_name": f"name of {check_id}", "resource": resource, "file_path": file,
         "file_line_range": list(line), "check_result": {"result": "X"}}
    if reason is not None:
        c["check_result"]["suppress_comment"] = reason
    return c


def report(passed=(), failed=(), skipped=(), version="3.3.30", parsing_errors=0):
    return {"check_type": "terraform",
            "results": {"passed_checks": list(passed), "failed_checks": list(failed),
                        "skipped_checks": list(skipped), "parsing_errors": []},
            "summary": {"passed": len(passed), "failed": len(failed), "skipped": len(skipped),
                        "parsing_errors": parsing_errors, "resource_count": 3, "checkov_version": version}}


POLICY = {
    "accept": [{"env": "dev", "check": "CKV_AZURE_35", "resource": "module.storage.azurerm_storage_account.main",
                "reason": "dev has public endpoints by design"}],
    "required": [{"check": "CKV2_AZURE_40", "resource": "module.storage.azurerm_storage_account.main"}],
}
SA = "module.storage.azurerm_storage_account.main"


def test_clean_report_passes(gate):
    rep = gate.evaluate("prod", report(passed=[check("CKV2_AZURE_40", SA), check("CKV_AZURE_35", SA)]), POLICY)
    assert not rep.failed and not rep.problems and not rep.error


def test_unaccepted_failure_fails(gate):
    rep = gate.evaluate("prod", report(passed=[check("CKV2_AZURE_40", SA)], failed=[check("CKV_AZURE_35", SA)]),
                        POLICY)
    assert [r.check for r in rep.failed] == ["CKV_AZURE_35"]


def test_acceptance_is_per_environment(gate):
    rep = gate.evaluate("dev", report(passed=[check("CKV2_AZURE_40", SA)], failed=[check("CKV_AZURE_35", SA)]),
                        POLICY)
    assert not rep.failed and not rep.problems and len(rep.accepted) == 1


def test_stale_acceptance_fails(gate):
    rep = gate.evaluate("dev", report(passed=[check("CKV2_AZURE_40", SA), check("CKV_AZURE_35", SA)]), POLICY)
    assert any("stale accept entry" in p for p in rep.problems)


def test_an_accepted_failure_that_vanished_is_not_called_stale(gate):
    """checkov dropping the resource (no result at all) is not a fix: the gate must not advise removing the entry."""
    rep = gate.evaluate("dev", report(passed=[check("CKV2_AZURE_40", SA)]), POLICY)
    assert not any("stale accept entry" in p for p in rep.problems)
    assert any(p.startswith("not evaluated: the accepted failure CKV_AZURE_35") and "keep the entry" in p
               for p in rep.problems)


def test_required_check_dropped_by_checkov_fails(gate):
    rep = gate.evaluate("prod", report(passed=[check("CKV_AZURE_35", SA)]), POLICY)
    assert any(p.startswith("not evaluated: CKV2_AZURE_40") for p in rep.problems)


def test_required_check_may_be_failed_or_skipped(gate):
    rep = gate.evaluate("prod", report(skipped=[check("CKV2_AZURE_40", SA, reason="a reason long enough to read")]),
                        POLICY)
    assert not any(p.startswith("not evaluated") for p in rep.problems)


@pytest.mark.parametrize("reason", ["No comment provided", "", "n/a"])
def test_skip_without_reason_fails(gate, reason):
    rep = gate.evaluate("prod", report(passed=[check("CKV2_AZURE_40", SA)],
                                       skipped=[check("CKV_AZURE_43", SA, reason=reason)]), POLICY)
    assert any("skip without a real reason" in p for p in rep.problems)


def test_wrong_checkov_series_is_an_error(gate):
    assert "not the pinned" in gate.evaluate("prod", report(version="2.5.0"), POLICY).error


def test_parsing_errors_fail(gate):
    rep = gate.evaluate("prod", report(passed=[check("CKV2_AZURE_40", SA)], parsing_errors=1), POLICY)
    assert any("could not parse" in p for p in rep.problems)


def test_wildcard_resource(gate):
    policy = {"accept": [{"env": "dev", "check": "CKV2_AZURE_21", "resource": 'module.storage.x.this["*"]',
                          "reason": "a reason long enough to read"}], "required": []}
    rep = gate.evaluate("dev", report(failed=[check("CKV2_AZURE_21", 'module.storage.x.this["uploads"]')]), policy)
    assert not rep.failed and len(rep.accepted) == 1


def test_sarif_marks_accepted_failures_suppressed(gate, tmp_path):
    import json
    sarif = {"runs": [{"results": [
        {"ruleId": "CKV_AZURE_35", "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "modules/x/main.tf"}, "region": {"startLine": 1}}}]},
        {"ruleId": "CKV_AZURE_59", "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "modules/x/main.tf"}, "region": {"startLine": 1}}}]}]}]}
    path = tmp_path / "r.sarif"
    path.write_text(json.dumps(sarif))
    rep = gate.evaluate("dev", report(passed=[check("CKV2_AZURE_40", SA)],
                                      failed=[check("CKV_AZURE_35", SA), check("CKV_AZURE_59", SA)]), POLICY)
    gate.mark_sarif(path, rep)
    results = json.loads(path.read_text())["runs"][0]["results"]
    assert results[0]["suppressions"][0]["kind"] == "external"
    assert "suppressions" not in results[1]


# --- the checked-in configuration ------------------------------------------------------------------------------------

def test_policy_file_is_valid(gate):
    policy = gate.load_policy(gate.DEFAULT_POLICY)
    envs = {p.parent.name for p in (REPO / "envs").glob("*/terraform.tfvars")}
    for a in policy["accept"]:
        assert a["env"] in envs, a
        assert re.fullmatch(r"CKV2?_AZURE_\d+", a["check"]), a
    assert policy["required"], "the keyless-critical checks must be required"


def test_checkov_config_has_no_blanket_skips():
    text = (REPO / ".checkov.yaml").read_text()
    keys = {m.group(1) for m in re.finditer(r"^([a-z][a-z-]*):", text, re.M)}
    assert not keys & {"skip-check", "soft-fail", "soft-fail-on", "skip-framework", "baseline", "check"}, keys
    assert "framework" in keys and "skip-download" in keys


def test_every_source_skip_names_a_check_and_a_reason():
    skips = []
    for tf in sorted((REPO / "modules").rglob("*.tf")) + sorted(REPO.glob("*.tf")):
        for n, line in enumerate(tf.read_text().splitlines(), 1):
            m = SKIP_RE.search(line.strip())
            if m:
                skips.append((f"{tf.relative_to(REPO)}:{n}", m.group(1), (m.group(2) or "").strip()))
    for where, check_id, reason in skips:
        assert re.fullmatch(r"CKV2?_AZURE_\d+", check_id), where
        assert len(reason) >= 40, f"{where}: #checkov:skip={check_id} needs a reason a reviewer can check"
