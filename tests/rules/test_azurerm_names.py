"""EV003 on models as the plan front-end builds them: values also carry computed attributes, and only what the
configuration writes (a line in Resource.lines, known when the plan's HCL is at hand) is held to the schema."""
from pulse_gate.model import Model, Resource
from pulse_gate.rules.evaluation import azurerm_names

from .test_rules import POLICY


def _model(rtype, values, lines):
    res = Resource(f"{rtype}.x", rtype, "x", "", "managed", values, "main.tf", 1, lines)
    return Model(env="test", root="plan.json", resources=[res])


def test_computed_attributes_of_a_plan_are_not_arguments():
    values = {"name": "st", "primary_access_key": "(sensitive)", "id": "/subscriptions/x", "identity": [
        {"type": "SystemAssigned", "principal_id": "p"}]}
    assert azurerm_names(_model("azurerm_storage_account", values, {}), POLICY) == []


def test_written_unknown_argument_is_reported_where_it_is_written():
    values = {"name": "st", "enable_https_traffic_only": False}
    [f] = azurerm_names(_model("azurerm_storage_account", values, {"name": 2, "enable_https_traffic_only": 7}), POLICY)
    assert (f.attribute, f.line) == ("enable_https_traffic_only", 7)
    assert 'azurerm 4.x uses "https_traffic_only_enabled" instead' in f.message


def test_every_azurerm_type_is_held_to_the_schema_not_only_the_ones_we_use():
    assert azurerm_names(_model("azurerm_storage_queue", {"name": "q", "id": "i"}, {"name": 2}), POLICY) == []
    [f] = azurerm_names(_model("azurerm_storage_queue", {"name": "q", "public": True}, {"name": 2, "public": 3}),
                        POLICY)
    assert (f.attribute, f.line) == ("public", 3) and 'has no argument or block "public"' in f.message


def test_3x_type_is_reported_from_a_plan_too():
    [f] = azurerm_names(_model("azurerm_app_service", {"name": "a"}, {}), POLICY)
    assert f.message.endswith("use azurerm_linux_web_app or azurerm_windows_web_app")


def test_other_providers_are_not_held_to_the_azurerm_schema():
    assert azurerm_names(_model("random_password", {"length": 16}, {"length": 2}), POLICY) == []
