"""Loads the policy data (policy_tests/policy_data.toml): required roles per identity, forbidden roles.

Shared by the gate's RBAC rules and the post-deploy verifier so that both judge against one table.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "policy_tests" / "policy_data.toml"


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
    credential_exceptions: tuple[CredentialException, ...] = ()
    path: str = field(default="")
    guardrails: tuple[Guardrail, ...] = ()

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


def load(path: str | Path = DEFAULT_PATH) -> PolicyData:
    path = str(path)
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
        exceptions = tuple(CredentialException(e["setting"], e["resource_type"], e["attribute"], e.get("why", ""))
                           for e in raw.get("credential_exceptions", []))
    except KeyError as missing:
        raise InputError(f"policy data credential_exceptions entry lacks {missing}", path) from None
    try:
        guardrails = tuple(Guardrail(e["name"], e["definition_id"].lower(), e["effect"],
                                     frozenset(e.get("deny_in", [])), e["source"])
                           for e in raw.get("guardrails", []))
    except KeyError as missing:
        raise InputError(f"policy data guardrails entry lacks {missing}", path) from None
    return PolicyData(principals, targets, required, allowed, frozenset(forbidden.get("roles", [])),
                      forbidden.get("why", ""), exceptions, path, guardrails)
