"""What the stand-in answers, on plain values (see values.py): validation, plans and data source reads.

Kept apart from the gRPC layer (server.py) so every behaviour is testable without a process.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from tools.tfprovider.schema import elements
from tools.tfprovider.values import UNKNOWN, is_unknown

ERROR, WARNING = "error", "warning"


@dataclass
class Diagnostic:
    severity: str
    summary: str
    detail: str = ""
    path: list = field(default_factory=list)  # attribute names from the resource's top level


# Obviously fake, but shaped like real Entra/Azure GUIDs so the modules' own validations hold.
FAKE_TENANT_ID = "00000000-0000-0000-0000-00000000000a"
FAKE_SUBSCRIPTION_ID = "00000000-0000-0000-0000-00000000000b"
FAKE_CLIENT_ID = "00000000-0000-0000-0000-00000000000c"
FAKE_OBJECT_ID = "00000000-0000-0000-0000-00000000000d"


def gate_defaults() -> dict:
    """The gate's azurerm defaults ({type: {"a.b": value}}), read from the gate itself so they cannot drift."""
    from pulse_gate.defaults import DEFAULTS
    return DEFAULTS


def validate_config(block: dict, config, path: tuple = ()) -> list[Diagnostic]:
    """What the provider adds to Terraform's own schema checks: a computed-only attribute set in the
    configuration is an error, a deprecated one a warning."""
    if not isinstance(config, dict):
        return []
    diags = []
    for name, attr in block.get("attributes", {}).items():
        if config.get(name) is None:
            continue
        where = ".".join(path + (name,))
        if attr.get("computed") and not attr.get("optional") and not attr.get("required"):
            diags.append(Diagnostic(ERROR, "Computed attribute cannot be set",
                                    f'"{where}" is set by the provider and cannot be written in the configuration.',
                                    list(path + (name,))))
        elif attr.get("deprecated"):
            diags.append(Diagnostic(WARNING, "Argument is deprecated",
                                    f'"{where}" is deprecated in azurerm 4.55.0; see the provider documentation '
                                    "for its replacement.", list(path + (name,))))
    for name, nested in block.get("block_types", {}).items():
        for item in elements(nested, config.get(name)):
            diags += validate_config(nested["block"], item, path + (name,))
    return diags


def plan(block: dict, proposed, defaults: dict):
    """The planned value of one object of `block`, from Terraform's proposed new value.

    A computed attribute nobody set becomes unknown; a write-only one null (Terraform rejects anything else); an
    optional, not computed, argument left null takes the provider default the gate knows (`defaults`, keyed by
    dotted path below this block), as the plugin SDK plans a schema Default. Everything else is the proposal.
    """
    if not isinstance(proposed, dict):
        return proposed
    planned = dict(proposed)
    for name, attr in block.get("attributes", {}).items():
        value = planned.get(name)
        if attr.get("write_only"):
            planned[name] = None
        elif value is None and attr.get("computed"):
            planned[name] = UNKNOWN
        elif value is None and attr.get("optional") and name in defaults:
            planned[name] = defaults[name]
    for name, nested in block.get("block_types", {}).items():
        value = planned.get(name)
        if value is None or is_unknown(value):
            continue
        below = _below(defaults, name)
        mode = nested["nesting_mode"]
        if mode in ("single", "group"):
            planned[name] = plan(nested["block"], value, below)
        elif mode == "map":
            planned[name] = {k: plan(nested["block"], v, below) for k, v in value.items()}
        else:
            planned[name] = [plan(nested["block"], v, below) for v in value]
    return planned


def _below(defaults: dict, name: str) -> dict:
    prefix = name + "."
    return {k[len(prefix):]: v for k, v in defaults.items() if k.startswith(prefix)}


def plan_resource(type_name: str, block: dict, proposed):
    """PlanResourceChange: null (destroy) stays null."""
    if proposed is None:
        return None
    return plan(block, proposed, gate_defaults().get(type_name, {}))


def read_data_source(type_name: str, block: dict, config, provider_config) -> tuple[object, list[Diagnostic]]:
    """ReadDataSource: only the data sources this repository reads have (fake) answers; any other is an error,
    because inventing its attributes would let a plan pass on values nobody chose."""
    if type_name != "azurerm_client_config":
        return None, [Diagnostic(ERROR, "Data source not available offline",
                                 f"The offline azurerm stand-in has no data for {type_name}; mock it in a "
                                 "terraform test (override_data) or run a real plan.")]
    subscription = (provider_config or {}).get("subscription_id")
    if not isinstance(subscription, str) or not subscription:
        subscription = FAKE_SUBSCRIPTION_ID
    state = dict(config)
    state.update(client_id=FAKE_CLIENT_ID, tenant_id=FAKE_TENANT_ID, object_id=FAKE_OBJECT_ID,
                 subscription_id=subscription,
                 id=f"clientConfigs/clientId={FAKE_CLIENT_ID};objectId={FAKE_OBJECT_ID};"
                    f"subscriptionId={subscription};tenantId={FAKE_TENANT_ID}")
    return state, []


# ---- apply: local state only (docs/offline-terraform.md, "Apply into a local state") -------------------------------
# ARM paths of the types whose ids this repository's Terraform reads or validates (rbac scopes, the guardrails'
# resource group); any other type gets a path of the same shape under a made-up namespace.
ARM_TYPES = {
    "azurerm_storage_account": "Microsoft.Storage/storageAccounts",
    "azurerm_key_vault": "Microsoft.KeyVault/vaults",
    "azurerm_cognitive_account": "Microsoft.CognitiveServices/accounts",
    "azurerm_ai_services": "Microsoft.CognitiveServices/accounts",
    "azurerm_application_insights": "Microsoft.Insights/components",
    "azurerm_log_analytics_workspace": "Microsoft.OperationalInsights/workspaces",
    "azurerm_postgresql_flexible_server": "Microsoft.DBforPostgreSQL/flexibleServers",
    "azurerm_linux_web_app": "Microsoft.Web/sites", "azurerm_linux_function_app": "Microsoft.Web/sites",
    "azurerm_service_plan": "Microsoft.Web/serverFarms",
    "azurerm_virtual_network": "Microsoft.Network/virtualNetworks",
    "azurerm_network_security_group": "Microsoft.Network/networkSecurityGroups",
    "azurerm_private_dns_zone": "Microsoft.Network/privateDnsZones",
    "azurerm_private_endpoint": "Microsoft.Network/privateEndpoints",
    "azurerm_monitor_action_group": "Microsoft.Insights/actionGroups",
    "azurerm_monitor_scheduled_query_rules_alert_v2": "Microsoft.Insights/scheduledQueryRules",
}
GUID_NAMES = ("principal_id", "tenant_id", "object_id", "client_id")


def _guid(*parts) -> str:
    import hashlib
    h = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def resource_id(type_name: str, planned: dict, subscription: str) -> str:
    """An id shaped like the one Azure gives this resource: what the modules' own validations and the gate's scope
    names read."""
    name = planned.get("name") if isinstance(planned.get("name"), str) else _guid(type_name, planned)[:8]
    rg = planned.get("resource_group_name")
    rg = rg if isinstance(rg, str) and rg else "rg-offline"
    base = f"/subscriptions/{subscription}/resourceGroups/{rg}"
    if type_name == "azurerm_resource_group":
        return f"/subscriptions/{subscription}/resourceGroups/{name}"
    if type_name == "azurerm_role_assignment":
        return f"{planned.get('scope')}/providers/Microsoft.Authorization/roleAssignments/{_guid(type_name, planned)}"
    if type_name == "azurerm_monitor_diagnostic_setting":
        return f"{planned.get('target_resource_id')}|{name}"   # azurerm's own id format for diagnostic settings
    if type_name == "azurerm_subnet":
        return f"{base}/providers/Microsoft.Network/virtualNetworks/{planned.get('virtual_network_name')}/subnets/{name}"
    arm = ARM_TYPES.get(type_name, f"Offline.Standin/{type_name.removeprefix('azurerm_')}")
    return f"{base}/providers/{arm}/{name}"


def apply_resource(type_name: str, block: dict, planned, provider_config):
    """ApplyResourceChange into a local state: the planned value with each unknown made known. An id shaped like
    Azure's, a stable GUID for principal/tenant/object/client ids, `""` for any other string (the zero value azurerm
    writes for many strings), 0 and false, empty collections; null for objects. A destroy (planned null) stays
    null."""
    if planned is None:
        return None
    subscription = (provider_config or {}).get("subscription_id")
    if not isinstance(subscription, str) or not subscription:
        subscription = FAKE_SUBSCRIPTION_ID
    # Each resource's made-up values are its own: two accounts of one module must not share a principal id.
    where = (type_name, planned.get("resource_group_name"), planned.get("name"), planned.get("scope"),
             planned.get("target_resource_id"))
    state = _known(block, planned, where)
    if is_unknown(planned.get("id")) or state.get("id") in (None, ""):
        state["id"] = resource_id(type_name, state, subscription)
    return state


def _known(block: dict, value, where: tuple, top: bool = True):
    if not isinstance(value, dict):
        return value
    out = dict(value)
    for name, attr in block.get("attributes", {}).items():
        if is_unknown(out.get(name)):
            out[name] = _made(name, attr.get("type"), where + (name,), top)
    for name, nested in block.get("block_types", {}).items():
        v = out.get(name)
        if is_unknown(v):
            out[name] = None if nested["nesting_mode"] in ("single", "group") else \
                ({} if nested["nesting_mode"] == "map" else [])
        elif isinstance(v, list):
            out[name] = [_known(nested["block"], item, where + (name, i), False) for i, item in enumerate(v)]
        elif isinstance(v, dict) and nested["nesting_mode"] == "map":
            out[name] = {k: _known(nested["block"], item, where + (name, k), False) for k, item in v.items()}
        elif isinstance(v, dict):
            out[name] = _known(nested["block"], v, where + (name,), False)
    return out


def _made(name: str, cty_type, where: tuple, top: bool):
    if cty_type == "string":
        if name == "id" and top:
            return None            # the resource's own id: set from the whole resource by apply_resource
        if name == "id":           # a nested object's id (a private DNS zone group, ...): non-empty and stable
            return "/offline/" + _guid(*where)
        if name.endswith("tenant_id"):
            return FAKE_TENANT_ID
        return _guid(*where) if name.endswith(GUID_NAMES) else ""
    if isinstance(cty_type, list) and cty_type and cty_type[0] in ("list", "set"):
        return []
    if isinstance(cty_type, list) and cty_type and cty_type[0] == "map":
        return {}
    # The plugin SDK stores the zero value of an unset computed number or bool; left null, the next plan would mark
    # it unknown again and every resource would show a change that is none.
    return {"number": 0, "bool": False}.get(cty_type) if isinstance(cty_type, str) else None
