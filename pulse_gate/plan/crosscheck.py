"""The HCL of the same configuration, when it is at hand: file:line for findings, and the origin of a "known after
apply" value where the plan's configuration section cannot tell (locals, per-key structure of a for_each map).

Used only when the plan's configuration declares the same modules and resources as the HCL root, and a value taken
from it must agree with the plan's own references (see build.Builder._unknown).
"""
from __future__ import annotations

import os

from ..errors import InputError
from ..model import Model, Resource
from .plandata import Plan, value_at

_PROJECTS: dict = {}


def _project(root: str):
    from ..hcl.frontend import Project
    root = os.path.abspath(root)
    if root not in _PROJECTS:
        _PROJECTS[root] = Project(root)
    return _PROJECTS[root]


def _config_keys(module: dict) -> set:
    keys = set()
    for r in module.get("resources") or []:
        address = r.get("address", "")
        mode = "data" if address.startswith("data.") else "managed"
        keys.add((mode, r.get("type"), r.get("name")))
    return keys


def _differences(plan_module: dict, mdef, loader, where: str) -> list[str]:
    out = []
    if _config_keys(plan_module) != set(mdef.resources):
        out.append(f"{where or 'the root module'}: resources differ")
    calls = plan_module.get("module_calls") or {}
    if set(calls) != set(mdef.module_calls):
        out.append(f"{where or 'the root module'}: module calls differ")
        return out
    for name, call in sorted(calls.items()):
        source = call.get("source") if isinstance(call, dict) else None
        child = f"{where}.module.{name}" if where else f"module.{name}"
        if not isinstance(source, str) or not source.startswith(("./", "../")):
            out.append(f"{child}: not a local module")
            continue
        try:
            child_def = loader.load(os.path.join(mdef.dir, source))
        except InputError:
            out.append(f"{child}: {source} not found")
            continue
        out += _differences(call.get("module") or {}, child_def, loader, child)
    return out


class CrossCheck:
    def __init__(self, model: Model):
        self.model = model
        self.by_address: dict[str, Resource] = {r.address: r for r in model.resources}

    def resource(self, address: str) -> Resource | None:
        return self.by_address.get(address)

    def value(self, address: str, tokens) -> tuple[bool, object]:
        res = self.by_address.get(address)
        if res is None:
            return False, None
        return value_at(res.values, tokens)

    def provider(self, address: str) -> Resource | None:
        return next((p for p in self.model.providers if p.address == address), None)

    @classmethod
    def for_plan(cls, plan: Plan, root: str | None, env: str | None) -> tuple["CrossCheck | None", str | None]:
        """(cross-check, notice): None with the reason when the HCL at root is not the plan's configuration."""
        if not root:
            return None, None
        config = plan.configuration.get("root_module")
        if not isinstance(config, dict):
            return None, "the plan has no configuration section: HCL cross-check off"
        try:
            project = _project(root)
            diffs = _differences(config, project.rootdef, project.loader, "")
        except InputError as exc:
            return None, f"HCL cross-check off: {exc}"
        if diffs:
            overlap = (_config_keys(config) & set(project.rootdef.resources)) or (
                set(config.get("module_calls") or {}) & set(project.rootdef.module_calls))
            if not overlap:
                return None, None      # another project's plan: nothing to say
            return None, (f"HCL cross-check off: the plan's configuration is not the Terraform in --root "
                          f"{_display(root)} ({'; '.join(diffs[:3])})")
        envs = project.environments()
        planned_env = plan.root_variable("environment")
        chosen = next((e for e in (env, planned_env) if isinstance(e, str) and e in envs), None)
        if chosen is None and envs:
            chosen = envs[0]
        try:
            if chosen is not None:
                model = project.env_model(chosen)
            else:
                model = project.model(env or "default", project.auto_var_files())
        except InputError as exc:
            return None, f"HCL cross-check off: {exc}"
        return cls(model), None


def _display(root: str) -> str:
    """The root as a person would name it from here: relative when below the working directory."""
    rel = os.path.relpath(os.path.abspath(root))
    return rel if not rel.startswith("..") else os.path.abspath(root)
