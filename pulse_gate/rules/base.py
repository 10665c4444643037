"""Finding, the rule registry, and the helpers rules share for "this attribute must be that"."""
from __future__ import annotations

import inspect
from dataclasses import asdict, dataclass
from typing import Callable, Iterable

from ..model import Model, Resource
from ..policy_data import PolicyData
from ..values import Ref, Unknown, describe


LABELS = {"error": "FAIL", "warning": "WARN", "note": "NOTE"}   # how line_text starts, by severity


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
    suppressed: str | None = None     # the reason, when an inline suppression covers this finding
    suppression: str | None = None    # "file:line" of that suppression comment

    def line_text(self) -> str:
        target = f"{self.address}.{self.attribute}" if self.attribute else self.address
        text = f"{self.rule_id} [{self.env}] {target} ({self.file}:{self.line}): {self.message} - fix: {self.hint}"
        if self.suppressed is not None:
            return f"SUPPRESSED {text} [suppressed at {self.suppression}: {self.suppressed}]"
        return f"{LABELS.get(self.severity, 'FAIL')} {text}"

    def as_dict(self) -> dict:
        return asdict(self)


SEVERITIES = ("error", "warning", "note")


@dataclass(frozen=True)
class Rule:
    """One rule: what it checks, why, and the check itself. Findings are built from it, so its id is written once:
    the check receives this object and builds its findings with rule.finding / rule.expect / rule.expect_each."""
    id: str
    name: str
    title: str
    fn: Callable[["Rule", Model, PolicyData], Iterable[Finding]] | None   # None: applied by the gate itself (SU)
    severity: str = "error"
    resource_types: tuple[str, ...] = ()
    rationale: str = ""
    learn_url: str = ""
    needs_policy_data: bool = False   # judged only against policy data: skipped when there is none

    @property
    def doc_path(self) -> str:
        return f"docs/rules/{self.id}.md"

    def check(self, model: Model, policy: PolicyData | None) -> list[Finding]:
        return list(self.fn(self, model, policy))

    __call__ = check   # the name a check was defined under calls it, as before it was registered

    def finding(self, model: Model, res: Resource, attribute: str, message: str, hint: str) -> Finding:
        return finding(self.id, model, res, attribute, message, hint)

    def expect(self, model: Model, res: Resource, attribute: str, ok: Callable[[object], bool], want: str,
               hint: str) -> list[Finding]:
        return expect(self.id, model, res, attribute, ok, want, hint)

    def expect_each(self, model: Model, types: tuple[str, ...], attribute: str, ok: Callable[[object], bool],
                    want: str, hint: str) -> list[Finding]:
        return expect_each(self.id, model, types, attribute, ok, want, hint)

    def describe(self) -> dict:
        return {"id": self.id, "name": self.name, "title": self.title, "severity": self.severity,
                "resource_types": list(self.resource_types), "rationale": self.rationale,
                "learn_url": self.learn_url, "doc_path": self.doc_path,
                "needs_policy_data": self.needs_policy_data}


RULES: dict[str, Rule] = {}


def rule(rule_id: str, name: str, title: str, *, severity: str = "error", resource_types: Iterable[str] = (),
         rationale: str | None = None, learn_url: str = "", needs_policy_data: bool = False):
    """Registers a check as a Rule (and binds the check's name to it). The check takes (rule, model, policy), or
    (model, policy) as rules written before Rule objects did. Without a rationale the check's docstring, then the
    title, serves as one."""
    if severity not in SEVERITIES:
        raise RuntimeError(f"rule {rule_id}: severity {severity!r} is not one of {SEVERITIES}")

    def register(fn):
        if rule_id in RULES:
            raise RuntimeError(f"duplicate rule id {rule_id}")
        why = rationale if rationale is not None else inspect.cleandoc(fn.__doc__ or "") or title
        check = fn if len(inspect.signature(fn).parameters) == 3 else (lambda _rule, model, policy: fn(model, policy))
        RULES[rule_id] = Rule(rule_id, name, title, check, severity, tuple(resource_types), why, learn_url,
                              needs_policy_data)
        return RULES[rule_id]
    return register


def catalog() -> list[dict]:
    """Every rule the gate knows, as data (id, title, severity, resource types, rationale, Learn link, page)."""
    from ..suppress import SUPPRESSION_RULES   # the gate's own rules about suppression comments
    rules = list(RULES.values()) + list(SUPPRESSION_RULES.values())
    return [r.describe() for r in sorted(rules, key=lambda r: r.id)]


def run_rules(model: Model, policy: PolicyData | None, only: Iterable[str] | None = None) -> list[Finding]:
    """Findings of the selected rules (all by default). Without policy data (None, or an empty one) the rules that
    judge against it do not run, and no repository-specific hint is added."""
    selected = [RULES[r] for r in only] if only is not None else list(RULES.values())
    present = policy is not None and policy.present
    findings = []
    for r in selected:
        if r.needs_policy_data and not present:
            continue
        findings.extend(r.check(model, policy))
    if present:
        findings = [policy.localize(f) for f in findings]
    return sorted(findings, key=lambda f: (f.env, f.rule_id, f.address, f.attribute, f.file, f.line))


def finding(rule_id: str, model: Model, res: Resource, attribute: str, message: str, hint: str) -> Finding:
    file, line = res.where(attribute)
    origins = [o for o in _origins(res, attribute) if o != f"{file}:{line}"]
    if origins:
        message += f" (value from {', '.join(origins[:3])})"
    known = RULES.get(rule_id)
    return Finding(rule_id, known.name if known else rule_id, model.env, res.address, attribute, file, line,
                   message, hint, known.severity if known else "error")


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
