"""The stand-in's answers on plain values: validation diagnostics, planned values, data source reads."""
from __future__ import annotations

import msgpack

from tools.tfprovider import provider, values
from tools.tfprovider.values import UNKNOWN

BLOCK = {
    "attributes": {
        "id": {"type": "string", "optional": True, "computed": True},
        "name": {"type": "string", "required": True},
        "primary_key": {"type": "string", "computed": True, "sensitive": True},
        "old_flag": {"type": "bool", "optional": True, "computed": True, "deprecated": True},
        "secret_wo": {"type": "string", "optional": True, "write_only": True},
        "keys_enabled": {"type": "bool", "optional": True},
        "mode": {"type": "string", "optional": True},
    },
    "block_types": {
        "auth": {"nesting_mode": "list", "max_items": 1, "block": {"attributes": {
            "entra_enabled": {"type": "bool", "optional": True},
            "tenant": {"type": "string", "optional": True, "computed": True},
            "principal": {"type": "string", "computed": True}}}},
    },
}


def config(**over):
    value = {"id": None, "name": "x", "primary_key": None, "old_flag": None, "secret_wo": None,
             "keys_enabled": None, "mode": None, "auth": []}
    value.update(over)
    return value


def test_computed_only_argument_set_is_an_error():
    diags = provider.validate_config(BLOCK, config(primary_key="abc"))
    assert [(d.severity, d.path) for d in diags] == [(provider.ERROR, ["primary_key"])]
    assert "cannot be written" in diags[0].detail


def test_computed_only_argument_in_nested_block_is_an_error():
    diags = provider.validate_config(BLOCK, config(auth=[{"entra_enabled": True, "tenant": None, "principal": "p"}]))
    assert [(d.severity, d.path) for d in diags] == [(provider.ERROR, ["auth", "principal"])]


def test_deprecated_argument_is_a_warning():
    diags = provider.validate_config(BLOCK, config(old_flag=True))
    assert [(d.severity, d.path) for d in diags] == [(provider.WARNING, ["old_flag"])]


def test_unknown_value_counts_as_set():
    assert provider.validate_config(BLOCK, config(primary_key=UNKNOWN))[0].severity == provider.ERROR


def test_clean_configuration_has_no_diagnostics():
    assert provider.validate_config(BLOCK, config(id="given", keys_enabled=False, secret_wo="s")) == []


def test_create_plans_computed_attributes_unknown():
    planned = provider.plan(BLOCK, config(), {})
    assert planned["id"] is UNKNOWN and planned["primary_key"] is UNKNOWN and planned["old_flag"] is UNKNOWN
    assert planned["name"] == "x" and planned["mode"] is None


def test_configured_optional_computed_value_is_kept():
    assert provider.plan(BLOCK, config(id="given"), {})["id"] == "given"


def test_write_only_attribute_is_planned_null():
    assert provider.plan(BLOCK, config(secret_wo="s3cr3t-fixture"), {})["secret_wo"] is None


def test_provider_default_fills_optional_argument_left_out():
    planned = provider.plan(BLOCK, config(), {"keys_enabled": True, "auth.entra_enabled": False})
    assert planned["keys_enabled"] is True


def test_provider_default_never_overrides_a_configured_value():
    assert provider.plan(BLOCK, config(keys_enabled=False), {"keys_enabled": True})["keys_enabled"] is False


def test_provider_default_does_not_replace_unknown_of_computed_argument():
    # The plugin SDK has no Default on Optional+Computed arguments: the provider decides at apply time.
    assert provider.plan(BLOCK, config(), {"id": "made-up"})["id"] is UNKNOWN


def test_nested_block_defaults_and_unknowns():
    planned = provider.plan(BLOCK, config(auth=[{"entra_enabled": None, "tenant": None, "principal": None}]),
                            {"auth.entra_enabled": False})
    assert planned["auth"] == [{"entra_enabled": False, "tenant": UNKNOWN, "principal": UNKNOWN}]


def test_unknown_nested_block_passes_through():
    refined = msgpack.ExtType(12, b"\x81\x01\xc3")
    assert provider.plan(BLOCK, config(auth=refined), {})["auth"] == refined


def test_destroy_plans_null():
    assert provider.plan_resource("azurerm_storage_account", BLOCK, None) is None


def test_gate_defaults_are_read_from_the_gate():
    from pulse_gate.defaults import DEFAULTS
    assert provider.gate_defaults() is DEFAULTS


def test_client_config_has_fake_guid_shaped_ids():
    block = {"attributes": {k: {"type": "string", "computed": True} for k in
                            ("client_id", "tenant_id", "object_id", "subscription_id", "id")}}
    state, diags = provider.read_data_source("azurerm_client_config", block, dict.fromkeys(block["attributes"]),
                                             {"subscription_id": None})
    assert diags == []
    assert state["tenant_id"] == provider.FAKE_TENANT_ID and state["subscription_id"] == provider.FAKE_SUBSCRIPTION_ID
    assert all(len(state[k]) == 36 and state[k].count("-") == 4 for k in ("client_id", "tenant_id", "object_id"))


def test_client_config_reports_the_configured_subscription():
    state, _ = provider.read_data_source("azurerm_client_config", {}, {}, {"subscription_id": "1" * 8 + "-1111-1111-1111-" + "1" * 12})
    assert state["subscription_id"].startswith("11111111-")


def test_other_data_sources_fail_rather_than_invent_values():
    state, diags = provider.read_data_source("azurerm_key_vault", {}, {}, {})
    assert state is None and diags[0].severity == provider.ERROR and "azurerm_key_vault" in diags[0].detail


def test_unknowns_round_trip_through_msgpack():
    refined = msgpack.ExtType(12, b"\x81\x02\xc2")
    wire = values.encode({"a": UNKNOWN, "b": refined, "c": None})
    decoded = msgpack.unpackb(wire, raw=False)
    assert values.is_unknown(decoded["a"]) and decoded["b"] == refined and decoded["c"] is None
    assert wire.startswith(b"\x83") and b"\xd4\x00\x00" in wire  # cty's own bytes for an unknown


# ---- apply into a local state --------------------------------------------------------------------------------------
def test_apply_makes_every_unknown_known_in_the_shapes_the_sdk_stores():
    planned = provider.plan(BLOCK, config(auth=[{"entra_enabled": True, "tenant": None, "principal": None}]), {})
    state = provider.apply_resource("azurerm_key_vault", BLOCK, planned, {"subscription_id": "sub-1"})
    assert state["id"] == "/subscriptions/sub-1/resourceGroups/rg-offline/providers/Microsoft.KeyVault/vaults/x"
    assert state["primary_key"] == "" and state["old_flag"] is False
    assert state["auth"][0]["tenant"] == "" and state["auth"][0]["entra_enabled"] is True
    assert not values.is_unknown(state["auth"][0]["principal"])
    # planned again from that state (Terraform proposes the prior value for what the configuration leaves out):
    # nothing is unknown any more, so an unchanged resource plans no change
    again = provider.plan(BLOCK, state, {})
    assert again == state


def test_apply_gives_guid_ids_for_principals_and_keeps_configured_values():
    block = {"attributes": {"id": {"type": "string", "computed": True},
                            "scope": {"type": "string", "required": True},
                            "principal_id": {"type": "string", "computed": True}}}
    planned = {"id": UNKNOWN, "scope": "/subscriptions/s/resourceGroups/rg", "principal_id": UNKNOWN}
    state = provider.apply_resource("azurerm_role_assignment", block, planned, None)
    assert state["id"].startswith("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/")
    assert len(state["principal_id"]) == 36 and state["principal_id"].count("-") == 4
    assert provider.apply_resource("azurerm_role_assignment", block, planned, None) == state   # stable


def test_apply_of_a_destroy_is_null():
    assert provider.apply_resource("azurerm_key_vault", BLOCK, None, None) is None
