"""Runs the rules over one or more environments of a Terraform root: the API the CLI and pytest share."""
from __future__ import annotations

import os
from dataclasses import dataclass

from . import policy_data as pd
from . import suppress
from .errors import InputError
from .hcl.frontend import Project
from .model import Model
from .rules import RULES, Finding, run_rules


@dataclass
class Result:
    models: list[Model]
    findings: list[Finding]

    @property
    def failing(self) -> list[Finding]:
        """The findings that fail the gate: those no inline suppression covers."""
        return [f for f in self.findings if f.suppressed is None]


def env_models(root: str, envs: list[str] | None = None, var_files: list[str] | None = None) -> list[Model]:
    """Models for the repository layout (envs/<env>/terraform.tfvars) or, with var files, for any root."""
    project = Project(root)
    if var_files is not None or not project.environments():
        files = project.auto_var_files() + list(var_files or [])
        name = envs[0] if envs else (os.path.splitext(os.path.basename(var_files[-1]))[0] if var_files else "default")
        return [project.model(name, files)]
    return [project.env_model(e) for e in (envs or project.environments())]


def selected_rules(select: list[str] | None = None, skip: list[str] | None = None) -> list[str]:
    """Rule ids after --select / --skip. An id or prefix (ST, ST00) that matches no rule is an input error, so a
    typo cannot quietly turn the gate off."""
    def expand(patterns, flag):
        out = []
        for p in patterns:
            matched = [r for r in RULES if r.startswith(p.strip().upper())] if p.strip() else []
            if not matched:
                raise InputError(f"{flag} {p!r} names no rule", hint="python -m pulse_gate check --list-rules")
            out += matched
        return out
    chosen = expand(select, "--select") if select else list(RULES)
    dropped = set(expand(skip, "--skip")) if skip else set()
    return [r for r in chosen if r not in dropped]


def check(root: str, envs: list[str] | None = None, var_files: list[str] | None = None,
          policy_path: str | None = None, select: list[str] | None = None, skip: list[str] | None = None) -> Result:
    """Findings of every environment, inline suppressions applied (suppressed ones stay, marked). policy_path: a
    policy data file, "none", or None for the root's own (policy_tests/policy_data.toml under it, if any).
    select/skip: rule ids or id prefixes to run only / to leave out."""
    policy = pd.for_root(root, policy_path)
    only = selected_rules(select, skip)
    models = env_models(root, envs, var_files)
    findings = [f for m in models for f in run_rules(m, policy, only)]
    ran = [r for r in only if policy.present or not RULES[r].needs_policy_data]
    return Result(models, suppress.apply(root, models, findings, ran))
