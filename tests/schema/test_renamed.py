"""The 3.x -> 4.x table (tools/schema/renamed.toml) that validate.py and the gate's EV003 share."""
import gzip
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FULL_SCHEMA = REPO.parent / "shared" / "tools" / "azurerm-4.55.0-full.json.gz"
sys.path.insert(0, str(REPO / "tools" / "schema"))

import validate  # noqa: E402
from pulse_gate.rules import schema as azurerm  # noqa: E402

SCHEMA = azurerm.load()
RENAMED = azurerm.load_renamed()


def test_validate_reads_the_shared_table():
    assert SCHEMA.renamed == RENAMED
    assert RENAMED["arguments"]["enable_https_traffic_only"] == "https_traffic_only_enabled"


@pytest.mark.parametrize("old, new", sorted(RENAMED["resource_types"].items()))
def test_every_replacement_type_exists_in_azurerm_4_55(old, new):
    assert new and set(new) <= set(SCHEMA.doc["all_types"]["resources"]), new


def test_listed_3x_types_are_removed_or_deprecated_in_4_55():
    """Held to the real `terraform providers schema -json` of azurerm 4.55.0 when it is at hand (read in place)."""
    if not FULL_SCHEMA.is_file():
        pytest.skip(f"{FULL_SCHEMA} not present")
    with gzip.open(FULL_SCHEMA) as handle:
        full = json.load(handle)["provider_schemas"]["registry.terraform.io/hashicorp/azurerm"]["resource_schemas"]
    live = [t for t in RENAMED["resource_types"] if t in full and not full[t]["block"].get("deprecated")]
    assert live == [], "these types are current in azurerm 4.55, not 3.x leftovers"
    assert set(full) == set(SCHEMA.doc["all_types"]["resources"])


def test_type_problems_name_the_replacement():
    assert SCHEMA.type_problem("resources", "azurerm_function_app") == (
        "azurerm_function_app is a 3.x resource type that azurerm 4.x deprecates and no rule reads:"
        " use azurerm_linux_function_app or azurerm_windows_function_app")
    assert SCHEMA.type_problem("resources", "azurerm_sql_server") == (
        "azurerm 4.55.0 has no resource type azurerm_sql_server (removed in 4.0): use azurerm_mssql_server")
    assert SCHEMA.type_problem("data_sources", "azurerm_sql_server") == (
        "azurerm 4.55.0 has no data source azurerm_sql_server (removed in 4.0): use azurerm_mssql_server")
    # A 3.x data source that still exists configures nothing: no problem.
    assert SCHEMA.type_problem("data_sources", "azurerm_function_app") is None
    assert SCHEMA.type_problem("resources", "azurerm_linux_function_app") is None


def test_validate_reports_3x_types_with_their_replacement(capsys):
    status = validate.main([str(FIXTURES / "v3_type")])
    lines = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("schema: ")]
    assert status == 1
    main_tf = FIXTURES / "v3_type" / "main.tf"
    assert lines == [
        f"{main_tf}:1: azurerm_function_app.legacy: azurerm_function_app is a 3.x resource type that azurerm 4.x"
        " deprecates and no rule reads: use azurerm_linux_function_app or azurerm_windows_function_app",
        f"{main_tf}:10: azurerm_sql_server.legacy: azurerm 4.55.0 has no resource type azurerm_sql_server"
        " (removed in 4.0): use azurerm_mssql_server",
        f"{main_tf}:17: data.azurerm_sql_server.legacy: azurerm 4.55.0 has no data source azurerm_sql_server"
        " (removed in 4.0): use azurerm_mssql_server",
    ]


def test_argument_hints_read_the_table_both_ways_between_spellings_of_one_name():
    storage = SCHEMA.node("resources", "azurerm_storage_account")
    app_site = SCHEMA.node("resources", "azurerm_linux_web_app")["blocks"]["site_config"]
    ai = SCHEMA.node("resources", "azurerm_ai_services")
    cognitive = SCHEMA.node("resources", "azurerm_cognitive_account")
    assert SCHEMA.replacement_name("enable_https_traffic_only", storage) == "https_traffic_only_enabled"
    assert SCHEMA.replacement_name("min_tls_version", app_site) == "minimum_tls_version"
    assert SCHEMA.replacement_name("minimum_tls_version", storage) == "min_tls_version"
    assert SCHEMA.replacement_name("local_auth_enabled", ai) == "local_authentication_enabled"
    # sku_name -> service_plan_id is one-way: a cognitive account's sku_name is no plan
    assert SCHEMA.replacement_name("service_plan_id", cognitive) is None
    assert SCHEMA.argument_hint("service_plan_id", cognitive) == ""
