"""Role assignments against the policy data: every required role held, nothing more, nothing broader."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from ..model import Model, Resource
from ..policy_data import PolicyData
from ..roles import builtin_role_name
from ..values import Ref, describe
from .base import finding, rule

RA = "azurerm_role_assignment"
RG_SCOPE = re.compile(r"^/subscriptions/[^/]+/resourceGroups/[^/]+/?$", re.I)
SUB_SCOPE = re.compile(r"^/subscriptions/[^/]+/?$", re.I)
BEST_PRACTICES = "https://learn.microsoft.com/azure/role-based-access-control/best-practices"
BROAD_TYPES = {"azurerm_resource_group": "resource group", "azurerm_subscription": "subscription",
               "azurerm_management_group": "management group"}


@dataclass(frozen=True)
class Assignment:
    res: Resource
    principal: str | None      # policy principal name, None when unresolved
    role: str | None           # role name, None when unknown
    target: str | None         # policy target name, None when not a known target
    scope_desc: str            # human description of the scope
    broad: bool                # resource group, subscription or management group


def _principal(res: Resource, policy: PolicyData) -> str | None:
    pid = res.get("principal_id")
    if isinstance(pid, Ref):
        for p in policy.principals.values():
            if pid.address == p.resource and pid.path == p.attribute:
                return p.name
    return None


def _role(res: Resource) -> str | None:
    name = res.get("role_definition_name")
    if isinstance(name, str):
        return name
    rid = res.get("role_definition_id")
    if isinstance(rid, str):
        return builtin_role_name(rid) or rid
    return None


def _scope(res: Resource, policy: PolicyData) -> tuple[str | None, str, bool]:
    scope = res.get("scope")
    if isinstance(scope, Ref):
        for t in policy.targets.values():
            if scope.address == t.resource and scope.path == "id":
                return t.name, f"{t.name} ({t.resource})", False
        kind = scope.address.split(".")[-2] if "." in scope.address else ""
        if scope.address.startswith("data."):
            kind = scope.address.split(".")[1]
        if kind in BROAD_TYPES:
            return None, f"the {BROAD_TYPES[kind]} {scope.address}", True
        return None, str(scope), False
    if isinstance(scope, str):
        if RG_SCOPE.match(scope):
            return None, f"the resource group {scope}", True
        if SUB_SCOPE.match(scope) or scope.rstrip("/") == "":
            return None, f"the subscription {scope}", True
        if "/providers/Microsoft.Management/managementGroups/" in scope:
            return None, f"the management group {scope}", True
        return None, scope, False
    return None, describe(scope), False


def assignments(model: Model, policy: PolicyData) -> list[Assignment]:
    out = []
    for res in model.of_type(RA):
        target, desc, broad = _scope(res, policy)
        out.append(Assignment(res, _principal(res, policy), _role(res), target, desc, broad))
    return out


@rule("RB001", "rbac_required_roles", "Every identity holds every role the policy data requires, on the right resource",
      resource_types=(RA,), needs_policy_data=True, learn_url=BEST_PRACTICES)
def required(rule, model, policy):
    """A keyless app works only if its identity holds the data-plane roles it needs; a missing one shows up as an
    outage after deploy, or as a key put back to fix it. The policy data lists each with its reason."""
    held = {(a.principal, a.role, a.target) for a in assignments(model, policy)}
    out = []
    for grant in policy.required:
        if (grant.principal, grant.role, grant.target) in held:
            continue
        principal = policy.principals[grant.principal]
        target = policy.targets[grant.target]
        anchor = model.by_address(principal.resource) or model.by_address(target.resource)
        if anchor is None:   # neither is in this configuration: point at the policy data that names them
            file, line = policy.where(grant.principal, model.root)
            anchor = Resource(principal.resource, "", "", "", "managed", {}, file, line)
        out.append(rule.finding(model, anchor, "",
                           f"{grant.principal} lacks {grant.role} on {grant.target} ({target.resource}): {grant.why}",
                           f"add an azurerm_role_assignment for {principal.resource}."
                           f"{principal.attribute} with {grant.role} scoped to {target.resource}.id"))
    return out


@rule("RB002", "rbac_least_privilege", "No identity holds a role the policy data does not list, or at a broader scope",
      resource_types=(RA,), needs_policy_data=True, learn_url=BEST_PRACTICES)
def least_privilege(rule, model, policy):
    """Least privilege: every role an identity holds is one the policy data lists for it, on the resource it
    lists, never at the resource group or subscription above it."""
    out = []
    held = assignments(model, policy)
    for a in held:
        if a.principal is None or a.role is None:
            continue
        permitted = policy.permitted(a.principal)
        if any(g.role == a.role and g.target == a.target for g in permitted):
            continue
        if any(g.role == a.role for g in permitted):
            where = ", ".join(sorted(g.target for g in permitted if g.role == a.role))
            msg = (f"{a.principal} holds {a.role} on {a.scope_desc}, broader than the policy data's {where}"
                   if a.broad else f"{a.principal} holds {a.role} on {a.scope_desc}; the policy data lists it on {where}")
            out.append(rule.finding(model, a.res, "scope", msg, f"scope the assignment to {where}"))
            continue
        out.append(rule.finding(model, a.res, "role_definition_name",
                           f"{a.principal} holds {a.role} on {a.scope_desc}, which the policy data does not list",
                           f"remove the assignment, or add it to the policy data ({os.path.basename(policy.path)}) "
                           "with its reason and Microsoft Learn source"))
    for a in held:
        if a.principal is not None and a.role is None:
            out.append(rule.finding(model, a.res, "role_definition_name",
                               f"cannot prove which role {a.principal} gets: "
                               f"{describe(a.res.get('role_definition_name') or a.res.get('role_definition_id'))}",
                               "use a literal role_definition_name"))
    return out


@rule("RB003", "rbac_forbidden_roles", "Owner, Contributor, key-listing and access-granting roles never go to an app",
      resource_types=(RA,), needs_policy_data=True,
      learn_url="https://learn.microsoft.com/azure/role-based-access-control/built-in-roles")
def forbidden(rule, model, policy):
    """Management roles can list keys or grant access: an app identity holding one can undo every keyless
    setting. The policy data lists the forbidden roles."""
    out = []
    for a in assignments(model, policy):
        if a.principal and policy.principals[a.principal].is_app and a.role in policy.forbidden_roles:
            out.append(rule.finding(model, a.res, "role_definition_name",
                               f"{a.principal} is granted {a.role} on {a.scope_desc}: {policy.forbidden_why}",
                               "remove the assignment; grant the data-plane role the policy data lists"))
    return out


@rule("RB004", "rbac_known_principals", "Every role assignment's principal is a known identity or declared principal",
      resource_types=(RA,), needs_policy_data=True, learn_url=BEST_PRACTICES)
def known_principals(rule, model, policy):
    """A role given to a principal the policy data does not know cannot be judged by the other RBAC rules."""
    out = []
    for a in assignments(model, policy):
        if a.principal is None:
            pid = a.res.get("principal_id")
            out.append(rule.finding(model, a.res, "principal_id",
                               f"principal {describe(pid)} is not an identity or principal declared in the policy data",
                               "reference a declared identity's principal id, or declare the principal in the "
                               "policy data"))
    return out
