"""Monitoring: after apply, the keyless posture is watched, not only checked once at pull-request time.

MO001 - every keyless service sends its logs to a Log Analytics workspace: each request's authentication (storage
        AuthenticationType AccountKey/SAS/OAuth, the caller of a cognitive or Key Vault call) is the evidence that
        keys are really gone (guide phase 5: "rotate exposed keys"; SAS practice "audit access").
MO002 - an enabled scheduled-query alert over that workspace looks for key use and notifies an action group.

A diagnostic setting names its target by id: `azurerm_x.y.id` (a reference the gate keeps) or, for a storage
account's data services, "${azurerm_storage_account.y.id}/blobServices/default" (a template with that one
reference). A target the gate cannot attribute counts for nothing, so the service it was meant for is reported:
fail closed.
"""
from __future__ import annotations

from ..model import ABSENT, Model, Resource
from ..values import Ref, Unknown, describe
from .base import finding, rule

DIAGNOSTIC = "azurerm_monitor_diagnostic_setting"
ALERT = "azurerm_monitor_scheduled_query_rules_alert_v2"
WORKSPACE = "azurerm_log_analytics_workspace"

# Services the apps reach with their identities: each must leave an audit trail of who called it and how.
SERVICES = ("azurerm_key_vault", "azurerm_cognitive_account", "azurerm_ai_services",
            "azurerm_postgresql_flexible_server", "azurerm_linux_web_app", "azurerm_windows_web_app",
            "azurerm_linux_function_app", "azurerm_windows_function_app", "azurerm_function_app_flex_consumption")
# A storage account logs nothing itself: each data service logs its own requests (with their AuthenticationType).
STORAGE = "azurerm_storage_account"
STORAGE_SERVICES = ("blobServices", "queueServices", "tableServices", "fileServices")
# What marks the key-use alert: its query reads the storage AuthenticationType and looks for both key kinds.
KEY_USE_TERMS = ("AuthenticationType", "AccountKey", "SAS")


def _target(value, known_ids: dict[str, str]) -> tuple[str, str] | None:
    """(address of the resource, sub-resource such as "blobServices" or "") a target_resource_id names.

    known_ids: lower-cased resource id -> address, for resources whose id the model already knows (a plan of
    resources that exist)."""
    if isinstance(value, Ref) and value.path == "id":
        return value.address, ""
    if isinstance(value, Unknown) and value.text and len(value.refs) == 1 and value.refs[0].path == "id":
        head = "${" + str(value.refs[0]) + "}"
        if value.text.startswith(head):
            return _sub_resource(value.refs[0].address, value.text[len(head):])
    if isinstance(value, str):
        lowered = value.lower().rstrip("/")
        if lowered in known_ids:
            return known_ids[lowered], ""
        parent, _, rest = lowered.partition("/providers/microsoft.storage/storageaccounts/")
        account, _, tail = rest.partition("/")
        address = known_ids.get(f"{parent}/providers/microsoft.storage/storageaccounts/{account}")
        if address and tail:
            found = _sub_resource(address, "/" + tail)
            # ids compare case-insensitively; name the service as ARM spells it
            return found and (address, next((s for s in STORAGE_SERVICES if s.lower() == found[1]), found[1]))
    return None


def _sub_resource(address: str, tail: str) -> tuple[str, str] | None:
    """(address, "blobServices") for a tail "/blobServices/default"."""
    parts = tail.strip("/").split("/")
    return (address, parts[0]) if len(parts) == 2 and parts[1] == "default" else None


def _sends_logs_to_workspace(setting: Resource, workspaces: set[str]) -> bool:
    destination = setting.get("log_analytics_workspace_id")
    to_workspace = (isinstance(destination, Ref) and destination.address in workspaces and destination.path == "id") \
        or (isinstance(destination, str) and "/providers/microsoft.operationalinsights/workspaces/" in destination.lower())
    logs = setting.blocks("enabled_log")
    return to_workspace and any(isinstance(b, dict) and (b.get("category") or b.get("category_group")) for b in logs)


LEARN = "https://learn.microsoft.com/azure/storage/blobs/monitor-blob-storage"


def _audit_required(policy) -> bool:
    """An audit trail is this platform's policy ([audit] required in the policy data), not a rule of every root."""
    return bool(policy is not None and getattr(policy, "require_audit", False))


@rule("MO001", "keyless_services_log_to_workspace",
      "Every keyless service (storage data services, Key Vault, AI services, PostgreSQL, apps) logs to the workspace",
      resource_types=(STORAGE, *SERVICES, DIAGNOSTIC), learn_url=LEARN, needs_policy_data=True)
def logs_to_workspace(model: Model, policy):
    """Azure records each request's authentication in the service's resource logs, and only a diagnostic setting
    keeps them (Learn: "Monitor Azure Blob Storage", AuthenticationType; Key Vault logging; Azure OpenAI
    monitoring). Without them a key that is still in use, or turned back on, leaves no trace."""
    if not _audit_required(policy):
        return []
    workspaces = {w.address for w in model.of_type(WORKSPACE)}
    known_ids = {r.get("id").lower(): r.address for r in model.of_type(STORAGE, *SERVICES)
                 if isinstance(r.get("id"), str)}
    covered: set[tuple[str, str]] = set()
    unproven = []   # settings whose target or destination the gate cannot read: they may cover anything
    for setting in model.of_type(DIAGNOSTIC):
        value = setting.get("target_resource_id")
        target = _target(value, known_ids)
        destination = setting.get("log_analytics_workspace_id")
        if target is None and isinstance(value, (Ref, Unknown)):
            unproven.append(f"{setting.address}.target_resource_id is {describe(value)}")
        elif target and isinstance(destination, Unknown):
            unproven.append(f"{setting.address}.log_analytics_workspace_id is {describe(destination)}")
        elif target and _sends_logs_to_workspace(setting, workspaces):
            covered.add(target)
    hint = ("pass diagnostic_settings = { workspace = { workspace_resource_id = <Log Analytics workspace id> } } to "
            "the module (modules/diagnostic_settings), or add an azurerm_monitor_diagnostic_setting with an "
            "enabled_log to the workspace")
    why = f"cannot prove it: {unproven[0]}" + (f" (and {len(unproven) - 1} more)" if len(unproven) > 1 else "") \
        if unproven else ""

    def message(what: str, consequence: str) -> str:
        if why:
            return f"no diagnostic setting is proven to send {what} to a Log Analytics workspace; {why}"
        return f"no diagnostic setting sends {what} to a Log Analytics workspace: {consequence}"

    out = []
    for res in model.of_type(*SERVICES):
        if (res.address, "") not in covered:
            out.append(finding("MO001", model, res, "", message(
                "this resource's logs", "key or local-auth use would leave no trace"), hint))
    for res in model.of_type(STORAGE):
        missing = [s for s in STORAGE_SERVICES if (res.address, s) not in covered]
        if missing:
            out.append(finding("MO001", model, res, "", message(
                f"the logs of {', '.join(missing)} (target <account id>/<service>/default)",
                "requests with an account key or SAS would leave no trace"), hint))
    return out


def _is_key_use_alert(alert: Resource) -> bool:
    queries = [c.get("query") for c in alert.blocks("criteria") if isinstance(c, dict)]
    return any(isinstance(q, str) and all(term in q for term in KEY_USE_TERMS) for q in queries)


def _alert_problems(alert: Resource) -> list[tuple[str, str, str]]:
    """(attribute, message, hint) for each reason the alert would not notify anyone."""
    out = []
    enabled = alert.lookup("enabled")
    enabled = True if enabled is ABSENT else enabled   # azurerm 4.x: "Defaults to true"
    if enabled is not True:
        state = f"cannot be proven true: {describe(enabled)}" if isinstance(enabled, (Ref, Unknown)) else \
            f"is {describe(enabled)}"
        out.append(("enabled", f"the key-use alert's enabled {state}; a disabled alert watches nothing",
                    "set enabled = true (or leave it out: it defaults to true)"))
    groups = []
    for action in alert.blocks("action"):   # an unknown block or list proves nothing: fail closed
        listed = action.get("action_groups") if isinstance(action, dict) else None
        if isinstance(listed, list):
            groups += [g for g in listed if g is not None]
    if not groups:
        out.append(("action.action_groups", "the key-use alert notifies no action group",
                    "add action { action_groups = [azurerm_monitor_action_group.<name>.id] }"))
    return out


@rule("MO002", "key_use_alert_enabled", "A key-use alert over the workspace exists, is enabled and notifies someone",
      resource_types=(WORKSPACE, ALERT), needs_policy_data=True,
      learn_url="https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-create-log-alert-rule")
def key_use_alert(model: Model, policy):
    """A scheduled query over the workspace whose query reads the storage AuthenticationType for AccountKey and
    SAS: the only thing that tells a person, after apply, that a client still uses a key or that keys were turned
    back on. Reported on each workspace that has none, and on each such alert that is disabled or has no action
    group."""
    if not _audit_required(policy):
        return []
    alerts = [a for a in model.of_type(ALERT) if _is_key_use_alert(a)]
    out = []
    for workspace in model.of_type(WORKSPACE):
        watching = [a for a in alerts if any(isinstance(s, Ref) and s.address == workspace.address
                                             for s in (a.get("scopes") or []))]
        if not watching:
            out.append(finding("MO002", model, workspace, "", "no scheduled-query alert over this workspace looks "
                               "for storage requests authenticated with AccountKey or SAS",
                               "add an azurerm_monitor_scheduled_query_rules_alert_v2 with scopes = [this "
                               "workspace's id] and a query on AuthenticationType in (\"AccountKey\", \"SAS\") "
                               "(modules/monitoring)"))
    for alert in alerts:
        for attribute, message, hint in _alert_problems(alert):
            out.append(finding("MO002", model, alert, attribute, message, hint))
    return out
