"""Pure comparison of the deployed keyless settings with the Terraform intent: no I/O, no SDK types.

The intent is the gate's own model of the environment (`Project(root).env_model(env)`: the same evaluation the
gate runs), so the gate and `verify` cannot disagree about what Terraform sets. The live side is the ARM JSON of
each resource (GET) and, for a function app, its app settings (`config/appsettings/list`). Resource ids come from
the terraform outputs: a model resource is paired with the output id of the same ARM type and name.

Findings:
- drift:      the live value differs from what Terraform sets (resource, property, expected and live value);
- unverified: the intent cannot be read (an unknown value, or no terraform output carries the resource's id), so
              the setting cannot be proven: fail closed.
App setting values can be secrets: they are compared, never shown.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..model import Model, Resource
from ..values import Ref, Unknown, describe as describe_value

ABSENT = object()   # a property or app setting the live resource does not carry
RESOURCE = "resource"           # read with GET {id}
APP_SETTINGS = "app_settings"   # read with POST {id}/config/appsettings/list

HOST_STORAGE = "AzureWebJobsStorage"            # the connection-string form (carries the account key)
HOST_STORAGE_PREFIX = "AzureWebJobsStorage__"   # the identity-based form


def _same(value):
    return value


def _negate(value):
    return not value


def _enabled(value):
    return "Enabled" if value else "Disabled"


@dataclass(frozen=True)
class Setting:
    """One Terraform argument and the ARM property it becomes."""
    argument: str                       # Terraform path, e.g. "authentication.password_auth_enabled"
    arm: str                            # ARM JSON path under the resource, e.g. "properties.authConfig.passwordAuth"
    to_arm: Callable[[object], object]  # Terraform value -> ARM value
    live_default: object                # what Azure applies when the property is absent from the response
    aliases: tuple[str, ...] = ()       # older argument names the resource may use instead


@dataclass(frozen=True)
class Kind:
    arm_type: str        # e.g. Microsoft.Storage/storageAccounts
    api_version: str
    settings: tuple[Setting, ...] = ()
    app_settings: bool = False   # function app: identity-based host storage settings


# ARM api-versions: the GA versions azurerm 4.x reads these resources with. Defaults of absent properties are the
# service's documented interpretation (a storage account without allowSharedKeyAccess accepts keys, and so on).
KINDS: dict[str, Kind] = {
    "azurerm_storage_account": Kind("Microsoft.Storage/storageAccounts", "2023-05-01", (
        Setting("shared_access_key_enabled", "properties.allowSharedKeyAccess", _same, True),
        Setting("default_to_oauth_authentication", "properties.defaultToOAuthAuthentication", _same, False),
        Setting("min_tls_version", "properties.minimumTlsVersion", _same, "TLS1_0"),
    )),
    "azurerm_cognitive_account": Kind("Microsoft.CognitiveServices/accounts", "2024-10-01", (
        Setting("local_auth_enabled", "properties.disableLocalAuth", _negate, False),
    )),
    "azurerm_postgresql_flexible_server": Kind("Microsoft.DBforPostgreSQL/flexibleServers", "2024-08-01", (
        Setting("authentication.active_directory_auth_enabled", "properties.authConfig.activeDirectoryAuth",
                _enabled, "Disabled"),
        Setting("authentication.password_auth_enabled", "properties.authConfig.passwordAuth", _enabled, "Enabled"),
    )),
    "azurerm_key_vault": Kind("Microsoft.KeyVault/vaults", "2023-07-01", (
        Setting("rbac_authorization_enabled", "properties.enableRbacAuthorization", _same, False,
                ("enable_rbac_authorization",)),
    )),
    "azurerm_application_insights": Kind("Microsoft.Insights/components", "2020-02-02", (
        Setting("local_authentication_disabled", "properties.DisableLocalAuth", _same, False),
    )),
    "azurerm_linux_function_app": Kind("Microsoft.Web/sites", "2023-12-01", app_settings=True),
    "azurerm_windows_function_app": Kind("Microsoft.Web/sites", "2023-12-01", app_settings=True),
}


# Types with keyless settings verify does not read yet: a resource of one is reported unverified, never passed.
UNREAD: dict[str, str] = {
    "azurerm_function_app_flex_consumption": "its host storage is configured in properties.functionAppConfig, "
                                             "which verify does not read yet",
}


@dataclass(frozen=True)
class Check:
    """One live value to compare with the intent."""
    address: str          # Terraform address
    resource_id: str
    read: str             # RESOURCE | APP_SETTINGS
    api_version: str
    arm_type: str         # e.g. Microsoft.Storage/storageAccounts
    prop: str             # ARM path (RESOURCE) or app setting name (APP_SETTINGS)
    expected: object      # ARM value; for app settings: PRESENT, ABSENT or the string Terraform sets
    live_default: object  # RESOURCE: the value Azure applies when the property is absent
    terraform: str        # the argument and where it was decided, e.g. "shared_access_key_enabled = false (..:12)"
    value_known: bool = True   # APP_SETTINGS: False when Terraform's value is only known after apply


PRESENT = object()   # an app setting that must exist, whatever its value


@dataclass(frozen=True)
class PostureFinding:
    kind: str           # "drift" | "unverified"
    address: str
    resource_id: str
    prop: str
    expected: str
    live: str
    terraform: str
    why: str = ""


@dataclass
class Plan:
    """What to read: the checks, grouped by the call that reads them, and what cannot be checked."""
    checks: list[Check]
    unverified: list[PostureFinding]

    def reads(self) -> list[tuple[str, str, str, str]]:
        """(read, resource_id, api_version, arm_type), once each: the calls, one per resource."""
        return list(dict.fromkeys((c.read, c.resource_id, c.api_version, c.arm_type) for c in self.checks))


def arm_name(resource_id: str) -> tuple[str, str]:
    """(ARM type, name) of a resource id, e.g. ("microsoft.storage/storageaccounts", "stpulsedev")."""
    parts = resource_id.strip("/").split("/")
    lowered = [p.lower() for p in parts]
    if "providers" not in lowered:
        return "", ""
    i = len(lowered) - 1 - lowered[::-1].index("providers")
    tail = parts[i + 1:]
    if len(tail) < 3 or len(tail) % 2 == 0:
        return "", ""
    types = [tail[0]] + tail[1::2]
    return "/".join(types).lower(), tail[-1].lower()


def _where(resource: Resource, path: str) -> str:
    file, line = resource.where(path)
    origin = resource.origin(path)
    return f"{file}:{line}" + (f", value from {', '.join(origin)}" if origin else "")


def _show(value) -> str:
    if value is ABSENT:
        return "absent"
    return describe_value(value).replace('"', "")


def _intent(resource: Resource, setting: Setting):
    """(value, path) of the argument as Terraform would set it, an alias when only that one is written."""
    for path in (setting.argument, *setting.aliases):
        if resource.is_set(path):
            return resource.get(path), path
    return resource.get(setting.argument), setting.argument


def _pair(model: Model, resource_ids: list[str]) -> tuple[list[tuple[Resource, str]], list[PostureFinding]]:
    """Model resources of the checked types with the output id naming them; unpaired ones are unverified."""
    by_type: dict[str, list[str]] = {}
    for rid in resource_ids:
        arm_type, _ = arm_name(rid)
        by_type.setdefault(arm_type, [])
        if rid not in by_type[arm_type]:
            by_type[arm_type].append(rid)
    resources = [r for r in model.resources if r.mode == "managed" and r.type in KINDS]
    paired, unverified = [], []
    for r in resources:
        arm_type = KINDS[r.type].arm_type.lower()
        candidates = by_type.get(arm_type, [])
        name = r.get("name")
        if isinstance(name, str):
            match = [rid for rid in candidates if arm_name(rid)[1] == name.lower()]
        else:   # the name is known only after apply: a lone candidate of a lone resource of the type is it
            same_type = [x for x in resources if KINDS[x.type].arm_type.lower() == arm_type]
            match = candidates if len(candidates) == 1 and len(same_type) == 1 else []
        if match:
            paired.append((r, match[0]))
            continue
        shown = name if isinstance(name, str) else describe_value(name)
        unverified.append(PostureFinding(
            "unverified", r.address, "", "(resource id)", "an output with its id", "none", f"{r.file}:{r.line}",
            f"no terraform output carries the id of this {KINDS[r.type].arm_type} ({shown}); add an output "
            "with its id to the root module"))
    return paired, unverified


def plan(model: Model, resource_ids: list[str]) -> Plan:
    """The checks for every resource of a checked type in the environment's model."""
    paired, unverified = _pair(model, resource_ids)
    unverified += [PostureFinding("unverified", r.address, "", "(resource)", "keyless settings checked", "not read",
                                  f"{r.file}:{r.line}", UNREAD[r.type])
                   for r in model.resources if r.mode == "managed" and r.type in UNREAD]
    checks: list[Check] = []
    for r, rid in paired:
        kind = KINDS[r.type]
        for setting in kind.settings:
            value, path = _intent(r, setting)
            terraform = f"{path} = {describe_value(value)} ({_where(r, path)})"
            if value is None or isinstance(value, (Ref, Unknown)):
                why = value.reason if isinstance(value, Unknown) else (
                    f"known only after apply ({value})" if isinstance(value, Ref) else "no azurerm default known")
                unverified.append(PostureFinding("unverified", r.address, rid, setting.arm, "(cannot be derived)",
                                                 "not compared", terraform, f"the Terraform value of {path}: {why}"))
                continue
            checks.append(Check(r.address, rid, RESOURCE, kind.api_version, kind.arm_type, setting.arm,
                                setting.to_arm(value), setting.live_default, terraform))
        if kind.app_settings:
            found, cannot = _host_storage(r, rid, kind)
            checks += found
            unverified += cannot
    return Plan(checks, unverified)


def _host_storage(r: Resource, rid: str, kind: Kind) -> tuple[list[Check], list[PostureFinding]]:
    """Identity-based host storage: AzureWebJobsStorage__* set as Terraform sets them, no connection string.

    With storage_uses_managed_identity the provider writes AzureWebJobsStorage__accountName itself (from
    storage_account_name) and no AzureWebJobsStorage; the other AzureWebJobsStorage__* come from app_settings.
    """
    identity = r.get("storage_uses_managed_identity")
    where = f"storage_uses_managed_identity = {describe_value(identity)} ({_where(r, 'storage_uses_managed_identity')})"
    if not isinstance(identity, bool):
        why = identity.reason if isinstance(identity, Unknown) else f"known only after apply ({identity})"
        return [], [PostureFinding("unverified", r.address, rid, f"app setting {HOST_STORAGE}*", "(cannot be derived)",
                                   "not compared", where, f"storage_uses_managed_identity: {why}")]

    def check(name: str, expected, terraform: str, known: bool = True) -> Check:
        return Check(r.address, rid, APP_SETTINGS, kind.api_version, kind.arm_type, name, expected, None, terraform,
                     known)

    if not identity:   # the intent itself is a connection string; the gate reports that, verify only compares
        return [check(HOST_STORAGE, PRESENT, where)], []
    checks = [check(HOST_STORAGE, ABSENT, where)]
    account = r.get("storage_account_name")
    checks.append(check(f"{HOST_STORAGE_PREFIX}accountName", account if isinstance(account, str) else PRESENT,
                        f"storage_account_name ({_where(r, 'storage_account_name')}) with {where}",
                        isinstance(account, str)))
    settings = r.get("app_settings")
    cannot: list[PostureFinding] = []
    if isinstance(settings, dict):
        for name in sorted(settings):
            if not name.startswith(HOST_STORAGE_PREFIX) or name == f"{HOST_STORAGE_PREFIX}accountName":
                continue
            value = settings[name]
            known = isinstance(value, str)
            checks.append(check(name, value if known else PRESENT, f"app_settings.{name} "
                                f"({_where(r, 'app_settings.' + name)})", known))
    elif settings is not None:
        why = settings.reason if isinstance(settings, Unknown) else f"known only after apply ({settings})"
        cannot.append(PostureFinding("unverified", r.address, rid, f"app settings {HOST_STORAGE_PREFIX}*",
                                     "(cannot be derived)", "not compared",
                                     f"app_settings ({_where(r, 'app_settings')})", f"app_settings: {why}"))
    return checks, cannot


def lookup(document: dict, path: str):
    current = document
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current or current[part] is None:
            return ABSENT
        current = current[part]
    return current


def _equal(expected, live) -> bool:
    if isinstance(expected, str) and isinstance(live, str):
        return expected.lower() == live.lower()   # ARM enums are case-insensitive (TLS1_2, Enabled)
    return type(expected) is type(live) and expected == live


def compare(posture: Plan, live: dict[tuple[str, str], dict | None]) -> list[PostureFinding]:
    """Drift of every check against the live documents, keyed (read, resource id); None: resource not found."""
    findings: list[PostureFinding] = []
    gone: set[str] = set()
    for c in posture.checks:
        doc = live.get((c.read, c.resource_id))
        if doc is None:
            if c.resource_id not in gone:
                gone.add(c.resource_id)
                findings.append(PostureFinding("drift", c.address, c.resource_id, "(resource)", "exists",
                                               "not found (deleted outside Terraform?)", c.terraform))
            continue
        finding = _app_setting(c, doc) if c.read == APP_SETTINGS else _property(c, doc)
        if finding is not None:
            findings.append(finding)
    return findings + list(posture.unverified)


def _property(c: Check, doc: dict) -> PostureFinding | None:
    value = lookup(doc, c.prop)
    effective = c.live_default if value is ABSENT else value
    if _equal(c.expected, effective):
        return None
    live = _show(value) if value is not ABSENT else f"absent (Azure applies {_show(c.live_default)})"
    return PostureFinding("drift", c.address, c.resource_id, c.prop, _show(c.expected), live, c.terraform)


def _app_setting(c: Check, doc: dict) -> PostureFinding | None:
    settings = doc.get("properties") or {}
    value = settings.get(c.prop, ABSENT) if isinstance(settings, dict) else ABSENT
    prop = f"app setting {c.prop}"
    if c.expected is ABSENT:
        if value is ABSENT:
            return None
        return PostureFinding("drift", c.address, c.resource_id, prop, "absent", "present (value not shown)",
                              c.terraform, "a storage connection string carries the account key")
    if value is ABSENT:
        return PostureFinding("drift", c.address, c.resource_id, prop, "present", "absent", c.terraform)
    if c.expected is PRESENT or value == c.expected:
        return None
    return PostureFinding("drift", c.address, c.resource_id, prop, "the value Terraform sets (not shown)",
                          "a different value (not shown)", c.terraform)
