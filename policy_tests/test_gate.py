"""One test per rule and environment: test_<rule name>[<env>]. A failure prints the findings, one per line.

Inline suppressions in the Terraform apply here as in `python -m pulse_gate check`; whether each suppression is
well-formed, current and used is judged over every environment at once (test_suppressions_are_valid)."""
from __future__ import annotations

import pytest

from pulse_gate import suppress
from pulse_gate.rules import RULES, run_rules

from .conftest import REPO, ROOT, environments

ENVS = environments()


def _make(rule):
    @pytest.mark.parametrize("env", ENVS)
    def test(model, policy, env):
        if rule.needs_policy_data and not policy.present:
            pytest.skip(f"{rule.id} judges against policy data and {ROOT} has none")
        findings = suppress.apply(ROOT, [model], rule.check(model, policy), ran=())
        failing = [f for f in findings if f.rule_id == rule.id and f.suppressed is None]
        if failing:
            pytest.fail("\n".join(f.line_text() for f in failing), pytrace=False)
    test.__name__ = f"test_{rule.name}"
    test.__doc__ = rule.title
    return test


for _rule in RULES.values():
    globals()[f"test_{_rule.name}"] = _make(_rule)


def test_every_environment_is_gated():
    if ROOT != REPO:
        pytest.skip("dev, staging and prod are this repository's environments")
    assert set(ENVS) >= {"dev", "staging", "prod"}, f"environments found: {ENVS}"


def test_suppressions_are_valid(project, policy):
    """Every pulse-gate:ignore comment has a reason, has not expired and covers a finding in some environment."""
    models = [project.env_model(env) for env in ENVS]
    findings = [f for m in models for f in run_rules(m, policy)]
    problems = [f for f in suppress.apply(ROOT, models, findings, ran=list(RULES)) if f.rule_id.startswith("SU")]
    if problems:
        pytest.fail("\n".join(f.line_text() for f in problems), pytrace=False)
