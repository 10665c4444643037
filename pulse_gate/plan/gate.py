"""One plan file -> model, findings, and what the review needs: the API the CLI and the tests share."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from .. import suppress
from ..model import Model
from ..policy_data import PolicyData
from ..rules import RULES, Finding, run_rules
from . import loader
from .build import NOT_FROM_A_PLAN, Builder, build
from .crosscheck import CrossCheck
from .plandata import Plan
from .sensitive import collect, redact

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@dataclass
class PlanResult:
    plan: Plan
    model: Model
    builder: Builder
    findings: list[Finding]
    secrets: set
    notices: list[str] = field(default_factory=list)
    cross_checked: bool = False

    @property
    def env(self) -> str:
        return self.model.env


def env_name(plan: Plan, given: str | None = None) -> str:
    if given:
        return given
    env = plan.root_variable("environment")
    if isinstance(env, str) and re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", env):
        return env
    stem = os.path.basename(plan.doc.path)
    stem = re.sub(r"(\.tfplan)?(\.json)?$", "", stem, flags=re.I)
    stem = re.sub(r"^(tf)?plan[-_.]?", "", stem, flags=re.I)
    stem = re.sub(r"[-_.]?(tf)?plan$", "", stem, flags=re.I)
    return stem or "plan"


def evaluate(path: str, policy: PolicyData, env: str | None = None, root: str | None = REPO_ROOT) -> PlanResult:
    """Load, validate and model one plan; root is the HCL used for file:line and what the plan cannot show."""
    doc = loader.load(path)
    plan = Plan.of(doc)
    name = env_name(plan, env)
    cross, notice = CrossCheck.for_plan(plan, root, env or plan.root_variable("environment"))
    notices = list(doc.notices) + ([notice] if notice else [])
    model, builder = build(plan, name, cross)
    only = [r for r in RULES if r not in NOT_FROM_A_PLAN]
    findings = run_rules(model, policy, only)
    if cross is not None:   # the comments are in the HCL; whether one is unused is judged over every env by check
        findings = suppress.apply(root, [model], findings, ran=())
    secrets = collect(plan)
    findings = [_redacted(f, secrets) for f in findings]
    return PlanResult(plan, model, builder, findings, secrets, notices, cross is not None)


def _redacted(f: Finding, secrets: set) -> Finding:
    message, hint = redact(f.message, secrets), redact(f.hint, secrets)
    if message == f.message and hint == f.hint:
        return f
    from dataclasses import replace
    return replace(f, message=message, hint=hint)
