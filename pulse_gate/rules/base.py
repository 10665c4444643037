"""Finding, the rule registry, and the helpers rules share for "this attribute must be that"."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Callable, Iterable

from ..model import Model, Resource
from ..policy_data import PolicyData
from ..values import Ref, Unknown, describe


@dataclass(frozen=True)
class Finding:
    rule_id: str
    rule: str          # readable name, used for pytest ids
    env: str
    address: str
    attribute: str
    file: str
    line: int
    message: str
    hint: str
    severity: str = "error"

    def line_text(self) -> str:
        target = f"{self.address}.{self.attribute}" if self.attribute else self.address
        return (f"FAIL {self.rule_id} [{self.env}] {target} ({self.file}:{self.line}): {self.message}"
                f" - fix: {self.hint}")

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    title: str
    check: Callable[[Model, PolicyData], Iterable[Finding]]


RULES: dict[str, Rule] = {}


def rule(rule_id: str, name: str, title: str):
    def register(fn):
        if rule_id in RULES:
            raise RuntimeError(f"duplicate rule id {rule_id}")
        RULES[rule_id] = Rule(rule_id, name, title, fn)
        return fn
    return register


def run_rules(model: Model, policy: PolicyData, only: Iterable[str] | None = None) -> list[Finding]:
    selected = [RULES[r] for r in only] if only else list(RULES.values())
    findings = []
    for r in selected:
        findings.extend(r.check(model, policy))
    return sorted(findings, key=lambda f: (f.env, f.rule_id, f.address, f.attribute, f.file, f.line))


def finding(rule_id: str, model: Model, res: Resource, attribute: str, message: str, hint: str) -> Finding:
    file, line = res.where(attribute)
    origins = [o for o in _origins(res, attribute) if o != f"{file}:{line}"]
    if origins:
        message += f" (value from {', '.join(origins[:3])})"
    return Finding(rule_id, RULES[rule_id].name if rule_id in RULES else rule_id, model.env, res.address,
                   attribute, file, line, message, hint)


def _origins(res: Resource, attribute: str) -> list[str]:
    """Where the value came from. A key inside a map argument (app_settings.X) has no origin of its own, and the
    whole map's sources would point at unrelated lines, so none are given for it."""
    if attribute in res.origins:
        return res.origins[attribute]
    parent = attribute.rpartition(".")[0]
    if parent and isinstance(res.lookup(parent), dict):
        return []
    return res.origin(attribute)


def expect(rule_id: str, model: Model, res: Resource, attribute: str, ok: Callable[[object], bool],
           want: str, hint: str) -> list[Finding]:
    """One finding when the effective value of attribute is not acceptable, or cannot be proven to be."""
    value = res.get(attribute)
    if isinstance(value, (Unknown, Ref)):
        return [finding(rule_id, model, res, attribute, f"cannot prove {attribute} is {want}: {describe(value)}",
                        hint)]
    if ok(value):
        return []
    if res.is_set(attribute):
        state = describe(value)
    elif res.is_null(attribute):
        state = f"null, so the azurerm 4.x default {describe(value)} applies" if value is not None else "null"
    else:
        state = f"not set (azurerm 4.x default: {describe(value)})" if value is not None else "not set"
    return [finding(rule_id, model, res, attribute, f"{attribute} is {state}; must be {want}", hint)]


def expect_each(rule_id: str, model: Model, types: tuple[str, ...], attribute: str, ok: Callable[[object], bool],
                want: str, hint: str) -> list[Finding]:
    """expect() over every managed resource of the given types."""
    out = []
    for res in model.of_type(*types):
        out += expect(rule_id, model, res, attribute, ok, want, hint)
    return out


def is_true(v) -> bool:
    return v is True


def is_false(v) -> bool:
    return v is False
