"""Pure comparison of live role assignments with the policy data: no I/O, no SDK types.

Inputs are plain data: the policy data, the environment's ids (from the terraform outputs) and the role
assignments listed from Azure. Output is a `Report` of findings:

- missing:    a grant required by the policy data that is not held at exactly the required scope;
- unexpected: an assignment held by an app identity that the policy data does not permit, wherever it is
              (on a target, on another resource, or inherited from the resource group, subscription or above);
- orphaned:   an assignment within the environment (its resource group, or a target outside it) whose principal
              no longer exists: Microsoft Graph does not know the id (ARM keeps the principalType recorded at
              creation, so a replaced app's assignments still say ServicePrincipal), or ARM says "Unknown";
- unexplained: when Graph cannot be read, an assignment within the environment whose principal is neither a known
              identity nor declared in the policy data (it may be an orphan; nothing here can tell).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InputError
from ..policy_data import PolicyData
from ..roles import BUILTIN_ROLE_IDS, ROLE_NAMES_BY_ID, builtin_role_name, role_guid

ORPHANED_TYPE = "unknown"   # principalType of an assignment whose principal was deleted (compared lower-case)
AT_SCOPE = "atScope()"


def norm(scope: str) -> str:
    """ARM ids compare case-insensitively; `/` is the root (tenant) scope."""
    scope = scope.strip().lower().rstrip("/")
    return scope or "/"


def within(scope: str, ancestor: str) -> bool:
    """True when `scope` is `ancestor` or below it (both normalised)."""
    return ancestor == "/" or scope == ancestor or scope.startswith(ancestor + "/")


@dataclass(frozen=True)
class Environment:
    """What the terraform outputs say about one applied environment."""
    name: str
    subscription_id: str
    resource_group_id: str
    principal_ids: dict[str, str]   # policy principal name -> object id
    target_ids: dict[str, str]      # policy target name -> resource id
    resource_ids: tuple[str, ...] = ()   # every resource id among the outputs (the deployed resources verify reads)

    @property
    def resource_group_name(self) -> str:
        return self.resource_group_id.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Listing:
    """One list-for-scope call (paged). filter None: at, above and below; "atScope()": at and above."""
    scope: str
    filter: str | None

    @property
    def covers(self) -> str:
        return "at, above and below" if self.filter is None else "at and above"


@dataclass(frozen=True)
class Assignment:
    id: str
    scope: str
    principal_id: str
    principal_type: str
    role_definition_id: str

    @property
    def role_guid(self) -> str:
        return role_guid(self.role_definition_id)

    @property
    def orphaned(self) -> bool:
        return (self.principal_type or "").lower() == ORPHANED_TYPE


@dataclass(frozen=True)
class Directory:
    """What Microsoft Graph said about the principals of the environment's assignments.

    existing: the ids (lower-case) that exist; None when Graph could not be read (`unavailable` says why)."""
    existing: frozenset[str] | None
    unavailable: str = ""
    asked: int = 0       # how many ids were sent

    @property
    def not_found(self) -> int:
        return self.asked - len(self.existing) if self.existing is not None else 0


@dataclass(frozen=True)
class Finding:
    kind: str            # "missing" | "unexpected" | "orphaned" | "unexplained" | "held"
    principal: str       # policy principal name ("" for orphaned)
    principal_id: str
    role: str            # role name (or the GUID when it could not be resolved)
    role_id: str         # role definition GUID
    scope: str
    where: str           # human-readable place: target name, "resource group rg (inherited)", ...
    inherited: bool = False
    forbidden: bool = False
    assignment_id: str = ""
    why: str = ""


@dataclass
class IdentityResult:
    name: str
    principal_id: str
    is_app: bool
    held: list[Finding] = field(default_factory=list)        # kind "held": permitted grants present
    missing: list[Finding] = field(default_factory=list)
    unexpected: list[Finding] = field(default_factory=list)

    @property
    def in_sync(self) -> bool:
        return not self.missing and not self.unexpected


@dataclass
class Report:
    environment: Environment
    listings: list[Listing]
    identities: list[IdentityResult]
    orphaned: list[Finding]
    assignments_seen: int
    calls: dict = field(default_factory=dict)
    unexplained: list[Finding] = field(default_factory=list)
    directory: Directory | None = None      # None: Graph was not asked (no assignment in the environment)
    posture: list = field(default_factory=list)          # posture.PostureFinding: drift and unverified
    posture_checked: int = 0                              # settings compared with the Terraform intent

    @property
    def counts(self) -> dict[str, int]:
        return {"missing": sum(len(i.missing) for i in self.identities),
                "unexpected": sum(len(i.unexpected) for i in self.identities),
                "orphaned": len(self.orphaned),
                "unexplained": len(self.unexplained),
                "drift": sum(1 for f in self.posture if f.kind == "drift"),
                "unverified": sum(1 for f in self.posture if f.kind == "unverified")}

    @property
    def drift(self) -> bool:
        return any(self.counts.values())


def listing_plan(env: Environment) -> list[Listing]:
    """The scopes to list: cost is one paged listing per scope, independent of identities and assignments.

    One listing at the resource group without a filter returns the assignments at the group, below it (every
    resource of the environment, sub-resources included) and above it (subscription, management groups): that is
    all the comparison needs when the targets live in the group, as in every environment of this repository. A
    target outside the group adds one `atScope()` listing of its own (at the target and above).
    """
    rg = norm(env.resource_group_id)
    plan = [Listing(env.resource_group_id, None)]
    seen = {rg}
    for target_id in env.target_ids.values():
        t = norm(target_id)
        if within(t, rg) or t in seen:
            continue
        seen.add(t)
        plan.append(Listing(target_id, AT_SCOPE))
    return plan


def dedupe(assignments: list[Assignment]) -> list[Assignment]:
    """Listings overlap (inherited assignments come back from every scope): keep each assignment id once."""
    out: dict[str, Assignment] = {}
    for a in assignments:
        out.setdefault(norm(a.id), a)
    return list(out.values())


def _policy_guid(role: str, policy: PolicyData) -> str:
    try:
        return BUILTIN_ROLE_IDS[role]
    except KeyError:
        raise InputError(f"policy data names role {role!r}, which pulse_gate/roles.py does not know", policy.path,
                         hint="add its built-in GUID to BUILTIN_ROLE_IDS") from None


def _in_environment(scope: str, env: Environment) -> bool:
    scope = norm(scope)
    return within(scope, norm(env.resource_group_id)) or any(within(scope, norm(t)) for t in env.target_ids.values())


def describe(scope: str, env: Environment) -> tuple[str, bool]:
    """(where, inherited) for a scope: a target name, another resource of the group, or a scope above."""
    s = norm(scope)
    rg = norm(env.resource_group_id)
    for name, target_id in sorted(env.target_ids.items()):
        t = norm(target_id)
        if s == t:
            return name, False
        if within(s, t):
            return f"{name}{scope.rstrip('/')[len(t):]}", False
    if s == rg:
        return f"resource group {env.resource_group_name} (inherited)", True
    if within(s, rg):
        tail = scope.rstrip("/")[len(rg):].removeprefix("/providers/")
        return f"resource {tail}", False
    if s == "/":
        return "root scope / (inherited)", True
    parts = scope.strip("/").split("/")
    if len(parts) == 2 and parts[0].lower() == "subscriptions":
        return f"subscription {parts[1]} (inherited)", True
    if "/managementgroups/" in s:
        return f"management group {parts[-1]} (inherited)", True
    if len(parts) == 4 and parts[2].lower() == "resourcegroups":
        return f"resource group {parts[3]} (inherited)", True
    return f"{scope} (inherited)", True


def principals_to_resolve(env: Environment, assignments: list[Assignment]) -> list[str]:
    """The principal ids (lower-case, sorted) of the assignments within the environment: the ones Graph resolves."""
    return sorted({norm(a.principal_id) for a in assignments if a.principal_id and _in_environment(a.scope, env)})


def _deleted(env: Environment, assignments: list[Assignment], directory: Directory | None):
    """assignment -> True when its principal no longer exists (ARM says Unknown, or Graph does not know the id)."""
    asked = set(principals_to_resolve(env, assignments))
    existing = directory.existing if directory is not None else None

    def deleted(a: Assignment) -> bool:
        pid = norm(a.principal_id)
        return a.orphaned or (existing is not None and pid in asked and pid not in existing)
    return deleted


def _unexplained(env: Environment, directory: Directory | None, deleted):
    """assignment -> True when Graph could not be read and nothing explains its principal."""
    if directory is None or directory.existing is not None:
        return lambda a: False
    known = {norm(pid) for pid in env.principal_ids.values()}
    return lambda a: (_in_environment(a.scope, env) and not deleted(a) and norm(a.principal_id) not in known)


def roles_to_name(policy: PolicyData, env: Environment, assignments: list[Assignment],
                  directory: Directory | None = None) -> dict[str, str]:
    """Role definition ids (full, as returned) that findings will show and the built-in table does not name.

    Only the app identities', orphaned and unexplained assignments can be shown with a role outside the policy
    data, so only their roles are looked up.
    Returns {guid: role_definition_id}."""
    ids = {norm(env.principal_ids[p.name]) for p in policy.app_identities}
    deleted = _deleted(env, assignments, directory)
    unexplained = _unexplained(env, directory, deleted)
    out: dict[str, str] = {}
    for a in assignments:
        relevant = ((deleted(a) or unexplained(a)) and _in_environment(a.scope, env)) or norm(a.principal_id) in ids
        if relevant and builtin_role_name(a.role_definition_id) is None:
            out.setdefault(a.role_guid, a.role_definition_id)
    return out


def compare(policy: PolicyData, env: Environment, listings: list[Listing], assignments: list[Assignment],
            role_names: dict[str, str] | None = None, directory: Directory | None = None) -> Report:
    """The report for one environment. `role_names` maps GUIDs outside the built-in table to names; `directory` is
    what Graph said about `principals_to_resolve` (None: not asked, only ARM's principalType Unknown counts)."""
    role_names = role_names or {}
    assignments = dedupe(assignments)
    deleted = _deleted(env, assignments, directory)
    unexplained = _unexplained(env, directory, deleted)
    forbidden_guids = {BUILTIN_ROLE_IDS[r] for r in policy.forbidden_roles if r in BUILTIN_ROLE_IDS}
    forbidden_names = {r.lower() for r in policy.forbidden_roles}

    def name_of(guid: str) -> str:
        return ROLE_NAMES_BY_ID.get(guid) or role_names.get(guid) or guid

    def is_forbidden(guid: str) -> bool:
        return guid in forbidden_guids or name_of(guid).lower() in forbidden_names

    def finding(kind: str, principal: str, a: Assignment, why: str = "") -> Finding:
        where, inherited = describe(a.scope, env)
        return Finding(kind, principal, a.principal_id, name_of(a.role_guid), a.role_guid, a.scope, where,
                       inherited, is_forbidden(a.role_guid), a.id, why)

    live = [a for a in assignments if not deleted(a)]
    judged = [p for p in policy.principals.values()
              if p.is_app or any(g.principal == p.name for g in policy.required)]
    results = []
    for principal in sorted(judged, key=lambda p: p.name):
        pid = norm(env.principal_ids[principal.name])
        mine = [a for a in live if norm(a.principal_id) == pid]
        held_keys = {(a.role_guid, norm(a.scope)) for a in mine}
        permitted = {(_policy_guid(g.role, policy), norm(env.target_ids[g.target])): g
                     for g in policy.permitted(principal.name)}
        result = IdentityResult(principal.name, env.principal_ids[principal.name], principal.is_app)
        for g in policy.required:
            if g.principal != principal.name:
                continue
            guid = _policy_guid(g.role, policy)
            scope = env.target_ids[g.target]
            if (guid, norm(scope)) not in held_keys:
                result.missing.append(Finding("missing", principal.name, result.principal_id, g.role, guid, scope,
                                              g.target, False, is_forbidden(guid), "", g.why))
        for a in sorted(mine, key=lambda a: (norm(a.scope), a.role_guid)):
            grant = permitted.get((a.role_guid, norm(a.scope)))
            if grant is not None:
                result.held.append(finding("held", principal.name, a, grant.why))
            elif principal.is_app:
                result.unexpected.append(finding("unexpected", principal.name, a))
        results.append(result)

    in_env = [a for a in sorted(assignments, key=lambda a: (norm(a.scope), a.id)) if _in_environment(a.scope, env)]
    orphaned = [finding("orphaned", "", a, _why_orphaned(a)) for a in in_env if deleted(a)]
    unexplained_findings = [finding("unexplained", "", a, f"principal type {a.principal_type or 'not given'} per "
                                    "ARM; neither a known identity nor declared in the policy data")
                            for a in in_env if unexplained(a)]
    return Report(env, listings, results, orphaned, len(assignments), unexplained=unexplained_findings,
                  directory=directory)


def _why_orphaned(a: Assignment) -> str:
    if a.orphaned:
        return "ARM reports principalType Unknown"
    return f"not found in Microsoft Graph (ARM still records principalType {a.principal_type or 'not given'})"
