"""The plan front-end yields the model the HCL front-end yields for the same configuration."""
from __future__ import annotations

import json
import re
import shutil


from pulse_gate.gate import env_models
from pulse_gate.hcl.frontend import Project
from pulse_gate.plan import loader
from pulse_gate.plan.addresses import parse_instance, tokenize
from pulse_gate.plan.build import NOT_FROM_A_PLAN, build
from pulse_gate.plan.crosscheck import CrossCheck
from pulse_gate.plan.gate import evaluate
from pulse_gate.plan.plandata import Plan
from pulse_gate.rules import RULES, run_rules
from pulse_gate.values import Ref, Unknown

from .conftest import CLEAN, MODULES, REGRESSION, REPLACE, REPO, SNAPSHOT

FUNC = "module.app.azurerm_linux_function_app.orchestrator"
WEB = "module.app.azurerm_linux_web_app.ui"
PRINCIPAL = "identity[0].principal_id"
ONLY = [r for r in RULES if r not in NOT_FROM_A_PLAN]


def _hcl(root, policy):
    model = env_models(str(root), ["dev"])[0]
    return model, run_rules(model, policy, ONLY)


def _key(f, with_place=True):
    return (f.rule_id, f.address, f.attribute) + ((f.file, f.line) if with_place else ())


# -- the same configuration, both front-ends -------------------------------------------------------------------------
def test_clean_plan_agrees_with_hcl(policy):
    hcl_model, hcl_findings = _hcl(SNAPSHOT, policy)
    result = evaluate(str(CLEAN), policy, env="dev", root=str(SNAPSHOT))
    assert result.cross_checked
    assert result.findings == hcl_findings == []
    assert sorted(r.address for r in result.model.resources) == sorted(r.address for r in hcl_model.resources)


ALLOWED = {
    # (address, path): why the plan legitimately differs from what the HCL front-end can know
    ("module.analytics_postgres.azurerm_postgresql_flexible_server.main", "zone"): "Optional+Computed: unknown",
    (WEB, "app_settings.AZURE_AD_TENANT_ID"): "the plan has the data source value (HCL: coalesce over a Ref)",
    ("module.keyvault.azurerm_key_vault_secret.azure_ad_client_secret", "value_wo"): "write-only: never in a plan",
    ("module.keyvault.azurerm_key_vault_secret.nextauth_secret", "value_wo"): "write-only: never in a plan",
}


def _diff(h, p, path, out):
    if isinstance(h, dict) and isinstance(p, dict):
        for k in h:
            _diff(h[k], p.get(k, "<absent>"), f"{path}.{k}" if path else k, out)
    elif isinstance(h, list) and isinstance(p, list) and len(h) == len(p):
        for x, y in zip(h, p):
            _diff(x, y, path, out)
    elif h != p:
        out.append((path, h, p))


def test_clean_plan_values_line_up_with_hcl(policy):
    """Every argument the HCL front-end evaluates has the same value (Refs included) in the plan's model."""
    hcl_model, _ = _hcl(SNAPSHOT, policy)
    result = evaluate(str(CLEAN), policy, env="dev", root=str(SNAPSHOT))
    problems = []
    for res in hcl_model.resources:
        planned = result.model.by_address(res.address)
        diffs = []
        _diff(res.values, planned.values, "", diffs)
        problems += [(res.address, path, h, p) for path, h, p in diffs if (res.address, path) not in ALLOWED]
    assert problems == []


def _regressed_copy(tmp_path):
    """A copy of our Terraform with the regression the regression plan describes: shared keys on in tfvars, API keys on in
    modules/cognitive_account (both accounts), Contributor on the resource group for the function app in main.tf."""
    root = tmp_path / "terraform"
    shutil.copytree(SNAPSHOT, root)
    tfvars = root / "envs" / "dev" / "terraform.tfvars"
    tfvars.write_text(re.sub(r"(storage_account_shared_access_key_enabled\s*=\s*)false", r"\1true",
                             tfvars.read_text()))
    cognitive = root / "modules" / "cognitive_account" / "main.tf"
    text, n = re.subn(r"(\n\s*local_auth_enabled\s*=\s*)false", r"\1true", cognitive.read_text())
    assert n == 1
    cognitive.write_text(text)
    with open(root / "main.tf", "a") as fh:
        fh.write('\nresource "azurerm_role_assignment" "function_app_contributor" {\n'
                 "  scope                = azurerm_resource_group.main.id\n"
                 '  role_definition_name = "Contributor"\n'
                 "  principal_id         = module.app.function_app_principal_id\n}\n")
    return root


def test_same_regression_same_rule_ids(tmp_path, policy):
    """The done criterion: a regression in the code and a plan of that change give the same findings."""
    root = _regressed_copy(tmp_path)
    _, hcl_findings = _hcl(root, policy)
    assert {f.rule_id for f in hcl_findings} == {"ST001", "PL004", "OA001", "RB002", "RB003"}
    plan_alone = evaluate(str(REGRESSION), policy, env="dev", root=None)
    assert not plan_alone.cross_checked
    assert [_key(f, False) for f in plan_alone.findings] == [_key(f, False) for f in hcl_findings]
    with_hcl = evaluate(str(REGRESSION), policy, env="dev", root=str(root))
    assert with_hcl.cross_checked
    assert [f.line_text() for f in with_hcl.findings] == [f.line_text() for f in hcl_findings]


def test_regression_plan_alone_attributes_by_value(policy):
    """On existing infrastructure the principal ids are known: the configuration's references plus equal values
    attribute them without any HCL (even through a for_each map the configuration section flattens)."""
    result = evaluate(str(REGRESSION), policy, root=None)
    model = result.model
    ra = model.by_address("azurerm_role_assignment.function_app_contributor")
    assert ra.values["principal_id"] == Ref(FUNC, PRINCIPAL)
    assert ra.values["scope"] == Ref("azurerm_resource_group.main", "id")
    blob = model.by_address('module.rbac_storage.module.assignment.azurerm_role_assignment.this["web_app_blob_data_contributor"]')
    assert blob.values["principal_id"] == Ref(WEB, PRINCIPAL)
    assert blob.values["scope"] == Ref("module.storage.azurerm_storage_account.main", "id")


# -- unknown values: configuration references --------------------------------------------------------------------------
def test_unknown_values_follow_module_outputs_and_variables(policy):
    plan = Plan.of(loader.load(str(CLEAN)))
    model, _ = build(plan, "dev")
    func = model.by_address(FUNC)
    assert func.values["service_plan_id"] == Ref("module.app.azurerm_service_plan.main", "id")
    assert func.values["virtual_network_subnet_id"] == Ref("module.network.azurerm_subnet.app", "id")
    assert func.values["site_config"][0]["application_insights_connection_string"] == Ref(
        "module.monitoring.azurerm_application_insights.main", "connection_string")
    kv_ra = model.by_address('module.rbac_keyvault.module.assignment.azurerm_role_assignment.this["web_app_secrets_user"]')
    assert kv_ra.values["scope"] == Ref("module.keyvault.azurerm_key_vault.main", "id")
    deployer = model.by_address(
        'module.keyvault.module.deployer_access.module.assignment.azurerm_role_assignment.this["deployer_secrets_officer"]')
    assert deployer.values["principal_id"] == Ref("data.azurerm_client_config.current", "object_id")
    assert "identity" in func.values and "principal_id" not in func.values["identity"][0]   # computed: absent


def test_for_each_map_is_ambiguous_without_hcl(policy):
    """The configuration section flattens `assignments = {a = {principal_id = X}, b = {...Y}}` to one reference
    list, so without the HCL the principal of each key is one of X, Y: an Unknown naming both, never a guess."""
    plan = Plan.of(loader.load(str(CLEAN)))
    model, _ = build(plan, "dev")
    value = model.by_address(
        'module.rbac_storage.module.assignment.azurerm_role_assignment.this["function_app_blob_data_owner"]').values["principal_id"]
    assert isinstance(value, Unknown)
    assert set(value.refs) == {Ref(FUNC, PRINCIPAL), Ref(WEB, PRINCIPAL)}
    assert "known after apply" in value.reason


def test_hcl_cross_check_resolves_per_key(policy):
    plan = Plan.of(loader.load(str(REPLACE)))
    cross, notice = CrossCheck.for_plan(plan, str(SNAPSHOT), "dev")
    assert cross is not None and notice is None
    model, builder = build(plan, "dev", cross)
    for key in ("function_app_blob_data_owner", "function_app_queue_data_contributor"):
        res = model.by_address(f'module.rbac_storage.module.assignment.azurerm_role_assignment.this["{key}"]')
        assert res.values["principal_id"] == Ref(FUNC, PRINCIPAL)
        assert (res.file, res.line) == ("modules/rbac/assignment/main.tf", 1)


def test_cross_check_refuses_another_configuration(policy):
    plan = Plan.of(loader.load(str(MODULES)))
    cross, notice = CrossCheck.for_plan(plan, str(SNAPSHOT), None)
    assert cross is None and "not the Terraform" in notice


def test_cross_check_off_for_unrelated_project_is_silent(tmp_path):
    doc = json.loads(MODULES.read_text())
    doc["configuration"]["root_module"]["resources"] = []
    path = tmp_path / "other.json"
    path.write_text(json.dumps(doc))
    plan = Plan.of(loader.load(str(path)))
    cross, notice = CrossCheck.for_plan(plan, str(SNAPSHOT), None)
    assert cross is None and notice is None


def test_plan_fixtures_describe_the_repository_terraform():
    """The hand-made plans describe this repository's Terraform (dev). When its module/resource structure moves on,
    update tests/plan/fixtures/build_fixtures.py and run it (docs/plan-review.md): a fixture that no longer describes
    our Terraform would test nothing."""
    plan = Plan.of(loader.load(str(CLEAN)))
    cross, notice = CrossCheck.for_plan(plan, str(REPO), "dev")
    assert cross is not None, f"the plan fixtures no longer match the repository's Terraform: {notice}"


# -- module for_each / count addresses, sensitive values, deletes ------------------------------------------------------
def test_module_for_each_and_count_addresses():
    a = parse_instance('module.rbac_worker[0].azurerm_role_assignment.this[0]')
    assert a.module == (("rbac_worker", 0),) and a.key == 0
    assert str(a) == "module.rbac_worker[0].azurerm_role_assignment.this[0]"
    b = parse_instance('module.identity["a.b"].module.x.data.azurerm_client_config.c["k"]')
    assert b.module == (("identity", "a.b"), ("x", None)) and b.mode == "data" and b.key == "k"
    assert tokenize("azurerm_x.y.identity[0].principal_id") == ["azurerm_x", "y", "identity", (0,), "principal_id"]


def test_module_for_each_resolution(staging_policy):
    result = evaluate(str(MODULES), staging_policy, root=None)
    model = result.model
    api = model.by_address('module.rbac["api"].azurerm_role_assignment.this[0]')
    worker = model.by_address("module.rbac_worker[0].azurerm_role_assignment.this[0]")
    assert api.values["principal_id"] == Ref('module.identity["api"].azurerm_user_assigned_identity.this',
                                             "principal_id")
    assert worker.values["principal_id"] == Ref('module.identity["worker"].azurerm_user_assigned_identity.this',
                                                "principal_id")
    assert api.values["scope"] == Ref("azurerm_storage_account.data", "id")
    pinned = model.by_address("azurerm_role_assignment.pinned")
    assert pinned.values["principal_id"] == "5b7d9f1c-3e5a-4b7c-9d1e-3f5a7b9c1d22"   # the old principal, not the new
    assert model.by_address("azurerm_role_assignment.legacy") is None                 # deleted: not after apply
    rules = {(f.rule_id, f.address) for f in result.findings}
    assert ("RB001", 'module.identity["worker"].azurerm_user_assigned_identity.this') in rules   # queue role orphaned
    assert ("RB004", "azurerm_role_assignment.pinned") in rules


def test_sensitive_values(staging_policy):
    result = evaluate(str(MODULES), staging_policy, root=None)
    pg = result.model.by_address("azurerm_postgresql_flexible_server.db")
    password = pg.values["administrator_password"]
    assert isinstance(password, Unknown) and "var.pg_password" in password.reason   # not a literal: PG004 stays quiet
    assert "PG004" not in {f.rule_id for f in result.findings}
    assert {"s3cr3t-literal-value-0001", "Pa55word-from-tfvars!"} <= result.secrets
    secret = result.model.by_address("azurerm_key_vault_secret.api_key")
    assert secret.values["value"] == "s3cr3t-literal-value-0001"                     # a literal stays a literal


def test_legacy_attribute_names_are_read(tmp_path, policy):
    doc = json.loads(CLEAN.read_text())
    for rc in doc["resource_changes"]:
        if rc["type"] == "azurerm_storage_account":
            after = rc["change"]["after"]
            after["enable_https_traffic_only"] = after.pop("https_traffic_only_enabled")
            after["allow_blob_public_access"] = after.pop("allow_nested_items_to_be_public")
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc))
    result = evaluate(str(path), policy, root=str(SNAPSHOT))
    assert not {"ST003", "ST005"} & {f.rule_id for f in result.findings}


def test_project_model_unchanged_by_plan_front_end(policy):
    """The HCL front-end is only read, never mutated, by the cross-check (models are cached per root)."""
    before = Project(str(SNAPSHOT)).env_model("dev")
    evaluate(str(CLEAN), policy, root=str(SNAPSHOT))
    after = Project(str(SNAPSHOT)).env_model("dev")
    assert [r.values for r in before.resources] == [r.values for r in after.resources]
