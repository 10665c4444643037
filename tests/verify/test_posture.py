"""The posture comparison on its own: Terraform intent from the gate's model, live ARM JSON in, findings out."""
import copy
import shutil
from pathlib import Path

import pytest

import rbac_standin as s
from pulse_gate.hcl.frontend import Project
from pulse_gate.verify import posture

REPO = Path(__file__).resolve().parents[2]
IDS = [*s.TARGETS.values(), s.POSTGRES, s.FUNC_SITE]


def model(root, env="dev"):
    return Project(str(root)).env_model(env)


def live(resources=None, app_settings=None):
    """{(read, id): document} as the CLI builds it from the stand-in's in-sync documents."""
    resources = resources if resources is not None else s.resources_in_sync()
    app_settings = app_settings if app_settings is not None else s.app_settings_in_sync()
    out = {(posture.RESOURCE, rid): doc for rid, doc in resources.items()}
    out.update({(posture.APP_SETTINGS, rid): {"properties": v} for rid, v in app_settings.items()})
    return out


def findings(found):
    return {(f.kind, f.address, f.prop, f.expected, f.live) for f in found}


@pytest.fixture
def fixture_root(tmp_path):
    return Path(shutil.copytree(s.FIXTURE, tmp_path / "repo"))


def write(root: Path, text: str, name: str = "extra.tf") -> None:
    (root / name).write_text(text)


def test_one_read_per_resource_and_every_keyless_setting(fixture_root):
    plan = posture.plan(model(fixture_root), IDS)
    assert plan.unverified == []
    assert sorted((c.address, c.prop) for c in plan.checks) == sorted([
        ("azurerm_storage_account.main", "properties.allowSharedKeyAccess"),
        ("azurerm_storage_account.main", "properties.defaultToOAuthAuthentication"),
        ("azurerm_storage_account.main", "properties.minimumTlsVersion"),
        ("azurerm_cognitive_account.openai", "properties.disableLocalAuth"),
        ("azurerm_key_vault.main", "properties.enableRbacAuthorization"),
        ("azurerm_application_insights.main", "properties.DisableLocalAuth"),
        ("azurerm_postgresql_flexible_server.main", "properties.authConfig.activeDirectoryAuth"),
        ("azurerm_postgresql_flexible_server.main", "properties.authConfig.passwordAuth"),
        ("azurerm_linux_function_app.orchestrator", "AzureWebJobsStorage"),
        ("azurerm_linux_function_app.orchestrator", "AzureWebJobsStorage__accountName"),
        ("azurerm_linux_function_app.orchestrator", "AzureWebJobsStorage__credential"),
    ])
    assert sorted((r[0], r[1].rsplit("/", 1)[-1], r[2]) for r in plan.reads()) == sorted([
        ("resource", "stpulsedev", "2023-05-01"), ("resource", "oai-pulse-dev", "2024-10-01"),
        ("resource", "kv-pulse-dev", "2023-07-01"), ("resource", "appi-pulse-dev", "2020-02-02"),
        ("resource", "psql-pulse-dev", "2024-08-01"), ("app_settings", "func-pulse-dev", "2023-12-01")])
    assert posture.compare(plan, live()) == []


@pytest.mark.parametrize("resource, path, value, expected, shown", [
    ("storage_account", "properties.allowSharedKeyAccess", True, "false", "true"),
    ("storage_account", "properties.allowSharedKeyAccess", None, "false", "absent (Azure applies true)"),
    ("storage_account", "properties.defaultToOAuthAuthentication", False, "true", "false"),
    ("storage_account", "properties.minimumTlsVersion", "TLS1_0", "TLS1_2", "TLS1_0"),
    ("openai_account", "properties.disableLocalAuth", False, "true", "false"),
    ("openai_account", "properties.disableLocalAuth", None, "true", "absent (Azure applies false)"),
    ("key_vault", "properties.enableRbacAuthorization", False, "true", "false"),
    ("application_insights", "properties.DisableLocalAuth", False, "true", "false"),
    ("postgres", "properties.authConfig.activeDirectoryAuth", "Disabled", "Enabled", "Disabled"),
    ("postgres", "properties.authConfig.passwordAuth", "Enabled", "Disabled", "Enabled"),
    ("postgres", "properties.authConfig", None, "Disabled", "absent (Azure applies Enabled)"),
])
def test_each_property_drifts(fixture_root, resource, path, value, expected, shown):
    rid = s.POSTGRES if resource == "postgres" else s.TARGETS[resource]
    resources = copy.deepcopy(s.resources_in_sync())
    parent = resources[rid]
    *head, last = path.split(".")
    for part in head:
        parent = parent[part]
    if value is None:
        del parent[last]
    else:
        parent[last] = value
    found = posture.compare(posture.plan(model(fixture_root), IDS), live(resources))
    drift = [f for f in found if f.kind == "drift"]
    assert drift and all(f.resource_id == rid for f in drift)
    prop = path if value is not None or last != "authConfig" else "properties.authConfig.passwordAuth"
    assert ("drift", prop, expected, shown) in {(f.kind, f.prop, f.expected, f.live) for f in drift}
    assert all("main.tf:" in f.terraform for f in drift)   # where the intent was written


def test_enum_values_compare_case_insensitively(fixture_root):
    resources = copy.deepcopy(s.resources_in_sync())
    resources[s.TARGETS["storage_account"]]["properties"]["minimumTlsVersion"] = "tls1_2"
    assert posture.compare(posture.plan(model(fixture_root), IDS), live(resources)) == []


@pytest.mark.parametrize("change, prop, expected, shown", [
    ({"AzureWebJobsStorage": "placeholder-connection-string"}, "app setting AzureWebJobsStorage", "absent",
     "present (value not shown)"),
    ({"AzureWebJobsStorage__accountName": None}, "app setting AzureWebJobsStorage__accountName", "present", "absent"),
    ({"AzureWebJobsStorage__credential": None}, "app setting AzureWebJobsStorage__credential", "present", "absent"),
    ({"AzureWebJobsStorage__accountName": "stother"}, "app setting AzureWebJobsStorage__accountName",
     "the value Terraform sets (not shown)", "a different value (not shown)"),
])
def test_function_app_host_storage_settings(fixture_root, change, prop, expected, shown):
    settings = dict(s.app_settings_in_sync()[s.FUNC_SITE])
    for name, value in change.items():
        if value is None:
            del settings[name]
        else:
            settings[name] = value
    found = posture.compare(posture.plan(model(fixture_root), IDS), live(app_settings={s.FUNC_SITE: settings}))
    assert findings(found) == {("drift", "azurerm_linux_function_app.orchestrator", prop, expected, shown)}
    for name, value in change.items():    # values are never shown
        assert value is None or all(value not in str(f) for f in found)


def test_a_resource_deleted_outside_terraform_is_drift(fixture_root):
    documents = live()
    documents[(posture.RESOURCE, s.TARGETS["key_vault"])] = None
    found = posture.compare(posture.plan(model(fixture_root), IDS), documents)
    assert findings(found) == {("drift", "azurerm_key_vault.main", "(resource)", "exists",
                                "not found (deleted outside Terraform?)")}


def test_intent_follows_the_environment_tfvars(fixture_root):
    """staging turns shared keys on in its tfvars: verify expects what Terraform sets for staging."""
    (fixture_root / "envs" / "staging" / "terraform.tfvars").write_text(
        'environment = "dev"\nshared_access_key_enabled = true\n')
    plan = posture.plan(model(fixture_root, "staging"), IDS)
    check = next(c for c in plan.checks if c.prop == "properties.allowSharedKeyAccess")
    assert check.expected is True and "envs/staging/terraform.tfvars:2" in check.terraform
    found = posture.compare(plan, live())
    assert findings(found) == {("drift", "azurerm_storage_account.main", "properties.allowSharedKeyAccess",
                                "true", "false")}


def test_an_unknown_intent_is_unverified_not_passed(fixture_root):
    write(fixture_root, 'data "azurerm_client_config" "current" {}\n')
    text = (fixture_root / "main.tf").read_text().replace(
        "  local_auth_enabled    = false",
        "  local_auth_enabled    = data.azurerm_client_config.current.object_id == \"\"")
    (fixture_root / "main.tf").write_text(text)
    plan = posture.plan(model(fixture_root), IDS)
    assert not any(c.prop == "properties.disableLocalAuth" for c in plan.checks)
    [unverified] = plan.unverified
    assert (unverified.kind, unverified.address, unverified.prop) == \
        ("unverified", "azurerm_cognitive_account.openai", "properties.disableLocalAuth")
    assert "local_auth_enabled" in unverified.why
    assert unverified in posture.compare(plan, live())


def test_a_resource_without_an_id_output_is_unverified(fixture_root):
    ids = [rid for rid in IDS if rid != s.POSTGRES]
    found = posture.compare(posture.plan(model(fixture_root), ids), live())
    assert findings(found) == {("unverified", "azurerm_postgresql_flexible_server.main", "(resource id)",
                                "an output with its id", "none")}
    assert "psql-pulse-dev" in found[0].why


def test_the_deprecated_key_vault_argument_is_read(fixture_root):
    text = (fixture_root / "main.tf").read_text().replace("rbac_authorization_enabled = true",
                                                          "enable_rbac_authorization = true")
    (fixture_root / "main.tf").write_text(text)
    check = next(c for c in posture.plan(model(fixture_root), IDS).checks
                 if c.prop == "properties.enableRbacAuthorization")
    assert check.expected is True and check.terraform.startswith("enable_rbac_authorization = true")


def test_an_absent_argument_takes_the_azurerm_default(fixture_root):
    """Without local_auth_enabled, azurerm 4.x leaves local auth on: verify expects disableLocalAuth false."""
    text = (fixture_root / "main.tf").read_text().replace("  local_auth_enabled    = false\n", "")
    (fixture_root / "main.tf").write_text(text)
    found = posture.compare(posture.plan(model(fixture_root), IDS), live())
    assert findings(found) == {("drift", "azurerm_cognitive_account.openai", "properties.disableLocalAuth",
                                "false", "true")}


def test_a_function_app_with_a_key_expects_the_connection_string(fixture_root):
    text = (fixture_root / "main.tf").read_text().replace("storage_uses_managed_identity = true",
                                                          "storage_uses_managed_identity = false")
    (fixture_root / "main.tf").write_text(text)
    plan = posture.plan(model(fixture_root), IDS)
    assert [(c.prop, c.expected is posture.PRESENT) for c in plan.checks if c.read == posture.APP_SETTINGS] == \
        [("AzureWebJobsStorage", True)]
    assert findings(posture.compare(plan, live())) == {
        ("drift", "azurerm_linux_function_app.orchestrator", "app setting AzureWebJobsStorage", "present", "absent")}


def test_a_type_verify_does_not_read_is_unverified(fixture_root):
    write(fixture_root, """resource "azurerm_function_app_flex_consumption" "flex" {
  name                = "func-flex-dev"
  resource_group_name = "rg-pulse-dev"
  location            = "westeurope"
}
""")
    found = posture.compare(posture.plan(model(fixture_root), IDS), live())
    assert [(f.kind, f.address, f.prop) for f in found] == \
        [("unverified", "azurerm_function_app_flex_consumption.flex", "(resource)")]
    assert "functionAppConfig" in found[0].why


def test_arm_name():
    assert posture.arm_name(s.TARGETS["storage_account"]) == ("microsoft.storage/storageaccounts", "stpulsedev")
    assert posture.arm_name(s.TARGETS["storage_account"] + "/blobServices/default") == \
        ("microsoft.storage/storageaccounts/blobservices", "default")
    assert posture.arm_name(s.RG) == ("", "")


def test_the_repository_terraform_is_fully_covered():
    """Every environment of this repository: each keyless resource is paired with an id output and checked."""
    project = Project(str(REPO))
    outputs_tf = (REPO / "outputs.tf").read_text()
    for env in project.environments():
        m = project.env_model(env)
        ids = [f"/subscriptions/{s.SUB}/resourceGroups/rg/providers/{posture.KINDS[r.type].arm_type}/{r.get('name')}"
               for r in m.resources if r.type in posture.KINDS]
        plan = posture.plan(m, ids)
        assert plan.unverified == [], env
        assert len(plan.reads()) == 7 and len(plan.checks) == 12, env
    # the outputs that carry those ids after apply
    for output in ("storage_account_id", "openai_account_id", "speech_account_id", "key_vault_id", "application_insights_id",
                   "postgres_server_id", "function_app_id"):
        assert f'output "{output}"' in outputs_tf
