"""One test per rule and environment: test_<rule name>[<env>]. A failure prints the findings, one per line."""
from __future__ import annotations

import pytest

from pulse_gate.rules import RULES

from .conftest import environments

ENVS = environments()


def _make(rule):
    @pytest.mark.parametrize("env", ENVS)
    def test(model, policy, env):
        findings = list(rule.check(model, policy))
        if findings:
            pytest.fail("\n".join(f.line_text() for f in findings), pytrace=False)
    test.__name__ = f"test_{rule.name}"
    test.__doc__ = rule.title
    return test


for _rule in RULES.values():
    globals()[f"test_{_rule.name}"] = _make(_rule)


def test_every_environment_is_gated():
    assert set(ENVS) >= {"dev", "staging", "prod"}, f"environments found: {ENVS}"
