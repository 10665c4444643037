"""Every rule's documented examples are its tests: tests/rules/examples/<ID>/bad.tf fires that rule, good.tf does
not. The same files are printed in docs/rules/<ID>.md (pulse_gate.rules.docs), so the page cannot show an example
that does not do what it says."""
from __future__ import annotations

import os
import shutil

import pytest

from pulse_gate.gate import check
from pulse_gate.rules import RULES, catalog
from pulse_gate.rules.docs import EXAMPLES, GENERATED, example_policy, stale

IDS = [r["id"] for r in catalog()]


def _all(tmp_path, rule_id: str, kind: str):
    root = tmp_path / kind
    root.mkdir()
    shutil.copy(os.path.join(EXAMPLES, rule_id, f"{kind}.tf"), root / "main.tf")
    return [f for f in check(str(root), policy_path=example_policy(rule_id)).findings if not f.suppressed]


def _run(tmp_path, rule_id: str, kind: str):
    return [f for f in _all(tmp_path, rule_id, kind) if f.rule_id == rule_id]


@pytest.mark.parametrize("rule_id", IDS)
def test_bad_example_fires(tmp_path, rule_id):
    assert _run(tmp_path, rule_id, "bad"), f"{rule_id}: tests/rules/examples/{rule_id}/bad.tf does not fire it"


@pytest.mark.parametrize("rule_id", IDS)
def test_good_example_is_quiet(tmp_path, rule_id):
    findings = _run(tmp_path, rule_id, "good")
    assert not findings, "\n".join(f.line_text() for f in findings)


@pytest.mark.parametrize("rule_id", IDS)
def test_good_example_passes_the_whole_gate(tmp_path, rule_id):
    """A page's good example is one a reader can copy: no other rule objects to it either."""
    findings = _all(tmp_path, rule_id, "good")
    assert not findings, "\n".join(f.line_text() for f in findings)


def test_every_rule_has_examples_and_nothing_else_does():
    assert sorted(d for d in os.listdir(EXAMPLES) if os.path.isdir(os.path.join(EXAMPLES, d))) == sorted(IDS)


def test_catalog_describes_every_rule():
    for entry in catalog():
        assert entry["severity"] in ("error", "warning", "note"), entry
        assert entry["resource_types"], f"{entry['id']} names no resource type"
        assert entry["learn_url"].startswith("https://learn.microsoft.com/"), entry["id"]
        assert entry["rationale"] and entry["rationale"] != entry["title"], f"{entry['id']} has no rationale"
        assert entry["doc_path"] == f"docs/rules/{entry['id']}.md"
    assert set(RULES) <= set(IDS)


def test_rule_pages_are_current():
    """docs/rules/ is generated: a rule or example changed without rerunning the generator fails here."""
    changed = stale()
    assert not changed, f"not current: {changed}; run python -m pulse_gate.rules.docs"


def test_stale_pages_are_detected(tmp_path):
    (tmp_path / "ST001.md").write_text("hand-edited\n")
    (tmp_path / "XX999.md").write_text(GENERATED + "\n# a rule that is gone\n")
    (tmp_path / "notes.md").write_text("not generated: left alone\n")
    changed = stale(str(tmp_path))
    assert "ST001.md" in changed and "XX999.md" in changed and "notes.md" not in changed
    assert "ST002.md" in changed   # missing
