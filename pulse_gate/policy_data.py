"""Loads the policy data (policy_tests/policy_data.toml): required roles per identity, forbidden roles, and
everything else that is this repository's policy rather than the engine's (toggles, backend, fix hints).

Shared by the gate's RBAC rules and the post-deploy verifier so that both judge against one table. Without policy
data (`--policy-data none`, or a root with no policy_tests/policy_data.toml of its own) only the generic rules run.
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import InputError

RELATIVE_PATH = os.path.join("policy_tests", "policy_data.toml")
DEFAULT_PATH = Path(__file__).resolve().parent.parent / RELATIVE_PATH
NONE = "none"   # --policy-data none: generic rules only


@dataclass(frozen=True)
class Principal:
    name: str
    description: str
    resource: str    # Terraform address of the resource that carries the identity
    attribute: str   # attribute path of the principal id on that resource
    output: str      # root output that carries the principal id after apply
    kind: str        # "app" identities are held to least privilege

    @property
    def is_app(self) -> bool:
        return self.kind == "app"


@dataclass(frozen=True)
class Target:
    name: str
    resource: str
    output: str


@dataclass(frozen=True)
class Grant:
    principal: str
    role: str
    target: str
    why: str
    source: str


@dataclass(frozen=True)
class CredentialException:
    setting: str
    resource_type: str
    attribute: str
    why: str


# Named like a credential, documented as not one: allowed with or without policy data (the file can add more).
GENERIC_CREDENTIAL_EXCEPTIONS = (
    CredentialException("APPLICATIONINSIGHTS_CONNECTION_STRING", "azurerm_application_insights", "connection_string",
                        "Holds only the instrumentation key and ingestion endpoints, which Microsoft does not treat as "
                        "a secret (https://learn.microsoft.com/azure/azure-monitor/app/connection-strings)."),
)


@dataclass(frozen=True)
class Guardrail:
    """A built-in Azure Policy definition that must be assigned, with the effect each environment needs."""
    name: str
    definition_id: str        # GUID of the built-in definition
    effect: str               # its audit effect (Audit, AuditIfNotExists): dev, and where Deny is not offered
    deny_in: frozenset[str]   # environments that must use Deny (empty when the definition offers no Deny)
    source: str               # its file in the public Azure/azure-policy repository


@dataclass(frozen=True)
class PolicyData:
    principals: dict[str, Principal]
    targets: dict[str, Target]
    required: tuple[Grant, ...]
    allowed: tuple[Grant, ...]
    forbidden_roles: frozenset[str]
    forbidden_why: str
    credential_exceptions: tuple[CredentialException, ...] = GENERIC_CREDENTIAL_EXCEPTIONS
    path: str = field(default="")
    toggles: dict = field(default_factory=dict)      # root variable -> the value it must end up with (PL004)
    require_backend: bool = False                    # a root without a backend block is a finding (PL002)
    hints: dict = field(default_factory=dict)        # rule id -> where to fix it in this repository ({env})
    present: bool = True                             # False: no policy data at all
    guardrails: tuple[Guardrail, ...] = ()           # Azure Policy assignments the platform needs (GR001)
    require_audit: bool = False                      # every keyless service logs to a workspace, key use alerts (MO*)

    @classmethod
    def empty(cls) -> "PolicyData":
        return cls({}, {}, (), (), frozenset(), "", present=False)

    def localize(self, finding):
        """The finding with this repository's hint for its rule (e.g. the tfvars key to change) added."""
        where = self.hints.get(finding.rule_id)
        if not where:
            return finding
        return replace(finding, hint=f"{finding.hint}; here: {where.replace('{env}', finding.env)}")

    def where(self, key: str, root: str = "") -> tuple[str, int]:
        """file:line of the policy data line that names key (relative to root when inside it), for findings whose
        only place is the policy itself. Line 1 when the key is not written on a line of its own."""
        line = 1
        try:
            with open(self.path, encoding="utf-8") as fh:
                for number, text in enumerate(fh, 1):
                    if re.match(rf"\s*\[?[\w.]*\b{re.escape(key)}\b", text):
                        line = number
                        break
        except OSError:
            pass
        path = os.path.abspath(self.path)
        if root:
            rel = os.path.relpath(path, os.path.abspath(root))
            if not rel.startswith(".."):
                path = rel
        return path, line

    @property
    def app_identities(self) -> list[Principal]:
        return [p for p in self.principals.values() if p.is_app]

    def permitted(self, principal: str) -> list[Grant]:
        """Every grant this principal may hold: required ones and explicitly allowed ones."""
        return [g for g in (*self.required, *self.allowed) if g.principal == principal]


def _grant(entry: dict, key: str, path: str, principals: dict, targets: dict) -> Grant:
    try:
        grant = Grant(entry[key], entry["role"], entry["target"], entry.get("why", ""), entry.get("source", ""))
    except KeyError as missing:
        raise InputError(f"policy data entry {entry!r} lacks {missing}", path, hint="see the header of the file") from None
    if grant.principal not in principals:
        raise InputError(f"policy data names unknown principal {grant.principal!r}", path)
    if grant.target not in targets:
        raise InputError(f"policy data names unknown target {grant.target!r}", path)
    return grant


def for_root(root: str, path: str | Path | None = None) -> PolicyData:
    """The policy data for a root: the given file, none for "none", else the root's own
    policy_tests/policy_data.toml when it has one, else none (a foreign root gets the generic rules only)."""
    if path is None:
        own = os.path.join(root, RELATIVE_PATH)
        return load(own) if os.path.isfile(own) else PolicyData.empty()
    return load(path)


def load(path: str | Path = DEFAULT_PATH) -> PolicyData:
    path = str(path)
    if path == NONE:
        return PolicyData.empty()
    try:
        with open(path, "rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raise InputError("policy data file not found", path) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"policy data is not valid TOML: {exc}", path) from None
    principals = {}
    for section in ("identities", "principals"):
        for name, p in raw.get(section, {}).items():
            try:
                principals[name] = Principal(name, p.get("description", ""), p["resource"], p["attribute"],
                                             p["output"], p.get("kind", "app"))
            except KeyError as missing:
                raise InputError(f"policy data {section}.{name} lacks {missing}", path) from None
    targets = {}
    for name, t in raw.get("targets", {}).items():
        try:
            targets[name] = Target(name, t["resource"], t["output"])
        except KeyError as missing:
            raise InputError(f"policy data targets.{name} lacks {missing}", path) from None
    required = tuple(_grant(e, "identity", path, principals, targets) for e in raw.get("required", []))
    allowed = tuple(_grant(e, "principal", path, principals, targets) for e in raw.get("allowed", []))
    forbidden = raw.get("forbidden", {})
    try:
        exceptions = GENERIC_CREDENTIAL_EXCEPTIONS + tuple(
            CredentialException(e["setting"], e["resource_type"], e["attribute"], e.get("why", ""))
            for e in raw.get("credential_exceptions", []))
    except KeyError as missing:
        raise InputError(f"policy data credential_exceptions entry lacks {missing}", path) from None
    toggles = raw.get("toggles", {})
    for name, value in toggles.items():
        if not isinstance(value, bool):
            raise InputError(f"policy data toggles.{name} is {value!r}, not true or false", path)
    hints = raw.get("hints", {})
    if any(not isinstance(v, str) for v in hints.values()):
        raise InputError("policy data hints must map rule ids to text", path)
    try:
        guardrails = tuple(Guardrail(e["name"], e["definition_id"].lower(), e["effect"],
                                     frozenset(e.get("deny_in", [])), e["source"])
                           for e in raw.get("guardrails", []))
    except KeyError as missing:
        raise InputError(f"policy data guardrails entry lacks {missing}", path) from None
    return PolicyData(principals, targets, required, allowed, frozenset(forbidden.get("roles", [])),
                      forbidden.get("why", ""), exceptions, path, dict(toggles),
                      bool(raw.get("backend", {}).get("required", False)), dict(hints), guardrails=guardrails,
                      require_audit=bool(raw.get("audit", {}).get("required", False)))
