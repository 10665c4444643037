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
