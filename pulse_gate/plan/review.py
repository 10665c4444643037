"""What one plan does to identities and access: role assignments added, removed and replaced; security settings that
flip; identities replaced and the role assignments they orphan; destroyed resources; policy findings.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from ..defaults import default_for
from ..model import Model
from ..policy_data import PolicyData
from ..rules import Finding
from ..rules.apps import KV_REFERENCE, credential_named
from ..values import Ref, Unknown
from .addresses import path_str, tokenize
from .names import Namer, value_of
from .plandata import Instance, Plan, leaves, mark_at, unset_by_provider, writes_empty_string

RA = "azurerm_role_assignment"
SAFE, ATTENTION, BLOCKED = "safe", "needs attention", "blocked"


def _true(v):
    return v is True


def _false(v):
    return v is False


def _old_tls(v):
    return isinstance(v, str) and v.upper().replace(".", "_") in ("TLS1_0", "TLS1_1", "1_0", "1_1")


def _set(v):
    return v not in (None, "", [], {})


def _allow(v):
    return v == "Allow"


def _no_identity(v):
    return not (isinstance(v, str) and ("SystemAssigned" in v or "UserAssigned" in v))


_APP = [("https_only", _false), ("public_network_access_enabled", _true),
        ("ftp_publish_basic_authentication_enabled", _true),
        ("webdeploy_publish_basic_authentication_enabled", _true),
        ("site_config.ftps_state", lambda v: v == "AllAllowed"),
        ("site_config.minimum_tls_version", _old_tls), ("site_config.scm_minimum_tls_version", _old_tls),
        ("site_config.remote_debugging_enabled", _true), ("identity.type", _no_identity)]
_FUNCTION = _APP + [("storage_uses_managed_identity", _false), ("storage_account_access_key", _set),
                    ("storage_key_vault_secret_id", _set)]
# (attribute path, insecure(value)) per resource type; a value that is absent takes the azurerm 4.x default
SETTINGS = {
    "azurerm_storage_account": [
        ("shared_access_key_enabled", _true), ("default_to_oauth_authentication", _false),
        ("https_traffic_only_enabled", _false), ("enable_https_traffic_only", _false), ("min_tls_version", _old_tls),
        ("allow_nested_items_to_be_public", _true), ("allow_blob_public_access", _true),
        ("public_network_access_enabled", _true), ("local_user_enabled", _true), ("sftp_enabled", _true),
        ("network_rules.default_action", _allow), ("cross_tenant_replication_enabled", _true),
        ("infrastructure_encryption_enabled", _false)],
    "azurerm_cognitive_account": [
        ("local_auth_enabled", _true), ("public_network_access_enabled", _true),
        ("custom_subdomain_name", lambda v: not _set(v)), ("network_acls.default_action", _allow),
        ("identity.type", _no_identity)],
    "azurerm_postgresql_flexible_server": [
        ("authentication.active_directory_auth_enabled", _false), ("authentication.password_auth_enabled", _true),
        ("public_network_access_enabled", _true), ("administrator_login", _set), ("administrator_password", _set)],
    "azurerm_key_vault": [
        ("rbac_authorization_enabled", _false), ("enable_rbac_authorization", _false),
        ("purge_protection_enabled", _false), ("public_network_access_enabled", _true),
        ("network_acls.default_action", _allow), ("access_policy", _set)],
    "azurerm_application_insights": [("local_authentication_disabled", _false)],
    "azurerm_log_analytics_workspace": [("local_authentication_enabled", _true),
                                        ("local_authentication_disabled", _false)],
}
for _t in ("azurerm_linux_web_app", "azurerm_windows_web_app", "azurerm_linux_web_app_slot",
           "azurerm_windows_web_app_slot"):
    SETTINGS[_t] = _APP
for _t in ("azurerm_linux_function_app", "azurerm_windows_function_app", "azurerm_linux_function_app_slot",
           "azurerm_windows_function_app_slot"):
    SETTINGS[_t] = _FUNCTION
APP_TYPES = {t for t in SETTINGS if "_app" in t}
EXPOSURE = {"public_network_access_enabled", "network_rules.default_action", "network_acls.default_action"}
WEAKENED = {"insecure", "still insecure", "unknown", "more exposed"}

REASONS = {
    "replace_because_cannot_update": "an argument that cannot be updated in place changed",
    "replace_because_tainted": "the object is tainted",
    "replace_by_request": "replacement was requested (-replace)",
    "replace_by_triggers": "replace_triggered_by fired",
    "delete_because_no_resource_config": "removed from the configuration",
    "delete_because_no_module": "its module was removed from the configuration",
    "delete_because_wrong_repetition": "count/for_each was added or removed",
    "delete_because_count_index": "count no longer includes this index",
    "delete_because_each_key": "for_each no longer includes this key",
    "delete_because_no_move_target": "its moved-to address does not exist",
}
MASK = "(sensitive)"


@dataclass
class RoleChange:
    change: str                 # added | removed | replaced
    address: str
    identity: str
    role: str
    scope: str
    flags: list = field(default_factory=list)
    before: str = ""            # replaced: "identity → role → scope" before the change
    reason: str = ""


@dataclass
class SettingChange:
    address: str
    resource: str
    attribute: str
    before: str
    after: str
    verdict: str                # insecure | hardened | changed | unknown
    action: str


@dataclass
class Orphan:
    address: str
    role: str
    scope: str
    fate: str
    silent: bool                # left on the old principal id: nothing in this plan fixes it


@dataclass
class IdentityChange:
    address: str
    resource: str
    action: str                 # replaced | destroyed | identity changed
    old_principal: str
    reason: str
    orphans: list = field(default_factory=list)


@dataclass
class Destroyed:
    address: str
    resource: str
    action: str                 # destroyed | replaced
    reason: str


@dataclass
class EnvReview:
    env: str
    file: str
    terraform_version: str
    format_version: str
    counts: dict
    role_changes: list
    settings: list
    identities: list
    destroyed: list
    findings: list
    notices: list
    verdict: str = SAFE
    reasons: list = field(default_factory=list)


def _fmt(value, default: bool = False) -> str:
    if isinstance(value, Unknown):
        return "(known after apply)"
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, (int, float)):
        text = str(value)
    elif isinstance(value, str):
        text = f'"{value}"'
    elif isinstance(value, list):
        text = f"{len(value)} block(s)" if value and isinstance(value[0], dict) else repr(value)
    else:
        text = "(set)"
    return f"{text} (default)" if default else text


class Analysis:
    def __init__(self, plan: Plan, model: Model, policy: PolicyData, findings: list[Finding],
                 notices: list[str] | None = None):
        self.plan, self.model, self.policy, self.env = plan, model, policy, model.env
        self.names = Namer(plan, policy.forbidden_roles)
        self._findings = list(findings)
        self.notices = list(notices or [])

    # -- role assignments
    def _ra_after(self, inst: Instance) -> tuple[str, str, str, list]:
        res = self.model.by_address(inst.address)
        values = res.values if res is not None else (inst.after or {})
        return self._ra_parts(values, "after")

    def _ra_before(self, inst: Instance) -> tuple[str, str, str, list]:
        return self._ra_parts(inst.before or {}, "before")

    def _ra_parts(self, values: dict, which: str):
        identity, known = self.names.identity(values.get("principal_id"), which)
        role = self.names.role(values)
        scope, broad = self.names.scope(values.get("scope"), which)
        flags = []
        if self.names.privileged(role):
            flags.append("privileged role")
        if broad:
            flags.append("broad scope")
        if not known:
            flags.append("principal not attributed")
        return identity, role, scope, flags

    def role_changes(self) -> list[RoleChange]:
        out = []
        for address in sorted(self.plan.instances):
            inst = self.plan.instances[address]
            if inst.type != RA or inst.mode != "managed":
                continue
            action = inst.action
            if action == "create":
                ident, role, scope, flags = self._ra_after(inst)
                out.append(RoleChange("added", address, ident, role, scope, flags))
            elif action == "delete":
                ident, role, scope, flags = self._ra_before(inst)
                out.append(RoleChange("removed", address, ident, role, scope,
                                      [f for f in flags if f != "principal not attributed"],
                                      reason=REASONS.get(inst.action_reason, "")))
            elif action == "replace":
                ident, role, scope, flags = self._ra_after(inst)
                b_ident, b_role, b_scope, _ = self._ra_before(inst)
                out.append(RoleChange("replaced", address, ident, role, scope, flags,
                                      before=f"{b_ident} → {b_role} → {b_scope}", reason=self._replace_reason(inst)))
        for inst in self.plan.deposed:
            if inst.type == RA and "delete" in inst.actions:
                ident, role, scope, _ = self._ra_before(inst)
                out.append(RoleChange("removed", f"{inst.address} (deposed {inst.deposed})", ident, role, scope))
        return out

    def _replace_reason(self, inst: Instance) -> str:
        # Terraform writes a path as steps: attribute names, and numbers for list indexes (site_config, 0, ...)
        paths = [path_str([(p,) if isinstance(p, int) else str(p) for p in path]) for path in inst.replace_paths]
        reason = REASONS.get(inst.action_reason, "")
        if paths:
            reason = f"{', '.join(sorted(paths))} forces replacement" + (f" ({reason})" if reason else "")
        if "create" in inst.actions and inst.actions[0] == "create":
            reason += ("; " if reason else "") + "created before the old one is destroyed"
        return reason

    # -- security settings
    def settings(self) -> list[SettingChange]:
        out = []
        for address in sorted(self.plan.instances):
            inst = self.plan.instances[address]
            checks = SETTINGS.get(inst.type)
            if not checks or inst.mode != "managed" or inst.action not in ("create", "update", "replace"):
                continue
            resource = self.names.resource(address)
            for path, insecure in checks:
                row = self._setting(inst, resource, path, insecure)
                if row:
                    out.append(row)
            if inst.type in APP_TYPES:
                out += self._app_settings(inst, resource)
        return out

    def _side(self, inst: Instance, path: str, which: str):
        """(display, effective value, unknown, sensitive)"""
        values = inst.before if which == "before" else inst.after
        tokens = _first_block_tokens(values, path)
        if which == "after" and tokens is not None and mark_at(inst.after_unknown, tokens):
            return "(known after apply)", Unknown("after apply"), True, False
        if which == "after" and tokens is None and _unknown_prefix(inst.after_unknown, path):
            return "(known after apply)", Unknown("after apply"), True, False
        marks = inst.before_sensitive if which == "before" else inst.after_sensitive
        found, value = value_of(values or {}, path)
        # state (before) never tells a written "" from the provider's; after follows the configuration, as the model
        if unset_by_provider(value, which == "after" and (self._written_empty(inst, tokens)
                                                            or self._modelled_empty(inst, path))):
            value = None
        default = False
        if not found or value is None:
            dv = default_for(inst.type, path)
            if dv is not None:
                value, default = dv, True
            else:
                value = None
        sensitive = tokens is not None and mark_at(marks, tokens)
        shown = MASK if sensitive and value is not None else _fmt(value, default)
        return shown, value, False, sensitive

    def _modelled_empty(self, inst: Instance, path: str) -> bool:
        # the model kept the "" (the HCL gives the attribute that value): the review shows what the gate judged
        res = self.model.by_address(inst.address)
        return res is not None and res.lookup(path) == ""

    def _written_empty(self, inst: Instance, tokens) -> bool:
        config = self.plan.config_of(inst)
        return config is not None and tokens is not None and writes_empty_string(config.get("expressions") or {},
                                                                                 tokens)

    def _setting(self, inst, resource, path, insecure) -> SettingChange | None:
        exposure = path in EXPOSURE
        a_shown, a_val, a_unknown, a_sens = self._side(inst, path, "after")
        if inst.action == "create":
            # a new resource's network exposure is a per-environment choice (dev is public); its credentials are not
            if a_unknown or exposure or not insecure(a_val):
                return None
            return SettingChange(inst.address, resource, path, "(new)", a_shown, "insecure", "create")
        b_shown, b_val, _, b_sens = self._side(inst, path, "before")
        if not a_unknown and a_val == b_val:
            return None
        if a_unknown:
            verdict = "unknown"
        elif insecure(a_val) and not insecure(b_val):
            verdict = "more exposed" if exposure else "insecure"
        elif insecure(a_val):
            verdict = "still insecure"
        elif insecure(b_val):
            verdict = "less exposed" if exposure else "hardened"
        else:
            verdict = "changed"
        if (a_sens or b_sens) and not a_unknown and a_shown == b_shown == MASK:
            a_shown = "(sensitive, changed)"
        return SettingChange(inst.address, resource, path, b_shown, a_shown, verdict, inst.action)

    def _app_settings(self, inst: Instance, resource: str) -> list[SettingChange]:
        out = []
        before = (inst.before or {}).get("app_settings") or {}
        after = (inst.after or {}).get("app_settings") or {}
        unknown = inst.after_unknown.get("app_settings") if isinstance(inst.after_unknown, dict) else False
        before = before if isinstance(before, dict) else {}
        after = after if isinstance(after, dict) else {}
        names = set(before) | set(after) | (set(unknown) if isinstance(unknown, dict) else set())
        for name in sorted(names):
            mi_flag = name.upper().endswith("_USE_MANAGED_IDENTITY")
            if not mi_flag and not credential_named(name):
                continue
            b = before.get(name) if inst.action != "create" else None
            a_unknown = unknown is True or (isinstance(unknown, dict) and unknown.get(name) is True)
            a = None if a_unknown else after.get(name)
            attribute = f"app_settings.{name}"
            masked = mark_at(inst.after_sensitive, ("app_settings", name)) or mark_at(inst.before_sensitive,
                                                                                     ("app_settings", name))
            show = (lambda v: MASK if v is not None else "(absent)") if masked else _fmt   # noqa: E731
            if mi_flag:
                bad = lambda v: v is not None and str(v).lower() != "true"   # noqa: E731
                if inst.action == "create":
                    if a_unknown or not bad(a):
                        continue
                    out.append(SettingChange(inst.address, resource, attribute, "(new)", show(a), "insecure", "create"))
                elif a_unknown or a != b:
                    verdict = "unknown" if a_unknown else ("insecure" if bad(a) and not bad(b) else
                                                           "hardened" if bad(b) and not bad(a) else "changed")
                    before_text = show(b) if b is not None else "(absent)"
                    after_text = "(known after apply)" if a_unknown else show(a) if a is not None else "(removed)"
                    if before_text == after_text == MASK:
                        after_text = "(sensitive, changed)"
                    out.append(SettingChange(inst.address, resource, attribute, before_text, after_text, verdict,
                                             inst.action))
                continue
            # named like a credential: never show the value, only whether it is a Key Vault reference
            def state(v):
                if v is None:
                    return "(absent)"
                return "Key Vault reference" if isinstance(v, str) and KV_REFERENCE.match(v) else "(a value)"
            if inst.action == "create":
                if a_unknown or a is None or state(a) == "Key Vault reference":
                    continue
                out.append(SettingChange(inst.address, resource, attribute, "(new)", state(a), "insecure", "create"))
            elif a_unknown or a != b:
                after_state = "(known after apply)" if a_unknown else state(a)
                verdict = ("unknown" if a_unknown else "insecure" if after_state == "(a value)" and state(b) !=
                           "(a value)" else "hardened" if state(b) == "(a value)" and after_state != "(a value)"
                           else "changed")
                out.append(SettingChange(inst.address, resource, attribute, state(b),
                                         after_state if after_state != state(b) else f"{after_state}, changed",
                                         verdict, inst.action))
        return out

    # -- identities
    def identities(self) -> list[IdentityChange]:
        assignments = [i for i in self.plan.instances.values() if i.type == RA and i.mode == "managed"]
        assignments += [i for i in self.plan.deposed if i.type == RA]
        out = []
        for address in sorted(self.plan.instances):
            inst = self.plan.instances[address]
            if inst.type == RA or inst.mode != "managed" or inst.action not in ("replace", "update", "delete"):
                continue
            for tokens, old in _principals(inst.before):
                if inst.action == "delete":
                    action = "destroyed"
                elif mark_at(inst.after_unknown, tokens):
                    action = "replaced" if inst.action == "replace" else "identity changed"
                else:
                    found = _value(inst.after, tokens)
                    if found == old:
                        continue
                    action = "replaced" if inst.action == "replace" else "identity changed"
                reason = self._replace_reason(inst) if inst.action == "replace" else REASONS.get(inst.action_reason, "")
                change = IdentityChange(address, self.names.resource(address, "before"), action, old, reason)
                path = _path(tokens)
                for ra in sorted(assignments, key=lambda i: (i.address, i.deposed)):
                    pid = (ra.before or {}).get("principal_id")
                    if not isinstance(pid, str) or pid.lower() != old.lower():
                        continue
                    _, role, scope, _ = self._ra_parts(ra.before or {}, "before")
                    change.orphans.append(self._orphan(ra, role, scope, address, path, old))
                out.append(change)
        return out

    def _orphan(self, ra: Instance, role: str, scope: str, address: str, path: str, old: str) -> Orphan:
        action = ra.action
        if ra.deposed or action == "delete":
            return Orphan(ra.address, role, scope, "deleted by this plan", False)
        if action == "replace":
            res = self.model.by_address(ra.address)
            pid = res.values.get("principal_id") if res is not None else None
            if isinstance(pid, Ref) and pid.address == address and pid.path == path:
                fate = "re-created by this plan for the new identity"
            else:
                who, _ = self.names.identity(pid, "after")
                fate = f"re-created by this plan for {who}"
            return Orphan(ra.address, role, scope, fate, False)
        after = (ra.after or {}).get("principal_id") if isinstance(ra.after, dict) else None
        if isinstance(after, str) and after.lower() == old.lower():
            return Orphan(ra.address, role, scope, "left on the old principal id: orphaned, and the new identity "
                          "does not get this role", True)
        return Orphan(ra.address, role, scope, f"{action} by this plan", False)

    # -- destroyed
    def destroyed(self) -> list[Destroyed]:
        out = []
        for address in sorted(self.plan.instances):
            inst = self.plan.instances[address]
            if inst.mode != "managed" or inst.action not in ("delete", "replace"):
                continue
            reason = self._replace_reason(inst) if inst.action == "replace" else REASONS.get(inst.action_reason, "")
            out.append(Destroyed(address, self.names.resource(address, "before"),
                                 "replaced" if inst.action == "replace" else "destroyed", reason))
        for inst in self.plan.deposed:
            if "delete" in inst.actions:
                out.append(Destroyed(f"{inst.address} (deposed {inst.deposed})", self.names.resource(inst.address,
                                     "before"), "destroyed", "a deposed object left by create_before_destroy"))
        return out

    # -- everything
    def counts(self) -> dict:
        counts = {"create": 0, "update": 0, "replace": 0, "delete": 0, "read": 0, "no-op": 0}
        for inst in self.plan.instances.values():
            if inst.mode == "managed" or inst.action == "read":
                counts[inst.action] = counts.get(inst.action, 0) + 1
        counts["delete"] += sum(1 for i in self.plan.deposed if "delete" in i.actions)
        return counts

    def findings(self) -> list[Finding]:
        return self._findings

    def review(self) -> EnvReview:
        doc = self.plan.doc
        r = EnvReview(self.env, os.path.basename(doc.path), doc.terraform_version, doc.format_version, self.counts(),
                      self.role_changes(), self.settings(), self.identities(), self.destroyed(), self.findings(),
                      self.notices)
        reasons = []
        if r.findings:
            reasons.append(f"{len(r.findings)} policy finding(s)")
        if any(c.change != "added" or c.flags for c in r.role_changes):
            reasons.append("role assignments removed, replaced or flagged")
        if any(s.verdict in WEAKENED for s in r.settings):
            reasons.append("security settings weakened or not known until apply")
        if r.identities:
            reasons.append("identities replaced or removed")
        if r.destroyed:
            reasons.append("resources destroyed")
        r.reasons = reasons
        r.verdict = BLOCKED if r.findings else ATTENTION if reasons else SAFE
        return r


def _principals(values):
    """(tokens, principal id) of the identities a resource carries (identity blocks, or a user-assigned identity)."""
    out = []
    for tokens, leaf in leaves(values):
        if not isinstance(leaf, str) or not leaf:
            continue
        names = [t for t in tokens if not isinstance(t, tuple)]
        if names == ["identity", "principal_id"] or names == ["principal_id"]:
            out.append((tokens, leaf))
    return out


def _value(values, tokens):
    cur = values
    for t in tokens:
        key = t[0] if isinstance(t, tuple) else t
        try:
            cur = cur[key]
        except (KeyError, IndexError, TypeError):
            return None
    return cur


def _path(tokens) -> str:
    return path_str(tokens)


def _first_block_tokens(values, path: str):
    """Tokens of a dotted path with [0] inserted where a nested block list sits, or None when it is not there."""
    try:
        names = tokenize(path)
    except ValueError:
        return None
    tokens, cur = [], values
    for name in names:
        if isinstance(cur, list):
            if not cur:
                return None
            tokens.append((0,))
            cur = cur[0]
        if not isinstance(cur, dict) or name not in cur:
            return None
        tokens.append(name)
        cur = cur[name]
    return tuple(tokens)


def _unknown_prefix(marks, path: str) -> bool:
    """Whether after_unknown marks a block on the way to path (the attribute itself is then absent from after)."""
    cur = marks
    for name in re.split(r"\.", path):
        if cur is True:
            return True
        if isinstance(cur, list):
            cur = cur[0] if cur else False
            if cur is True:
                return True
        if not isinstance(cur, dict):
            return False
        cur = cur.get(name, False)
    return cur is True


def verdict_of(reviews: list[EnvReview]) -> str:
    verdicts = {r.verdict for r in reviews}
    return BLOCKED if BLOCKED in verdicts else ATTENTION if ATTENTION in verdicts else SAFE
