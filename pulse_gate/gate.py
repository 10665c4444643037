"""Runs the rules over one or more environments of a Terraform root: the API the CLI and pytest share."""
from __future__ import annotations

import os
from dataclasses import dataclass

from . import policy_data as pd
from .hcl.frontend import Project
from .model import Model
from .rules import Finding, run_rules


@dataclass
class Result:
    models: list[Model]
    findings: list[Finding]


def env_models(root: str, envs: list[str] | None = None, var_files: list[str] | None = None) -> list[Model]:
    """Models for the repository layout (envs/<env>/terraform.tfvars) or, with var files, for any root."""
    project = Project(root)
    if var_files is not None or not project.environments():
        files = project.auto_var_files() + list(var_files or [])
        name = envs[0] if envs else (os.path.splitext(os.path.basename(var_files[-1]))[0] if var_files else "default")
        return [project.model(name, files)]
    return [project.env_model(e) for e in (envs or project.environments())]


def check(root: str, envs: list[str] | None = None, var_files: list[str] | None = None,
          policy_path: str | None = None) -> Result:
    policy = pd.load(policy_path or pd.DEFAULT_PATH)
    models = env_models(root, envs, var_files)
    findings = [f for m in models for f in run_rules(m, policy)]
    return Result(models, findings)
