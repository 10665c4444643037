"""Plans in the shapes azurerm really writes once a platform exists: "" for unset strings, `before` present, sensitive
values marked (and in clear text in the JSON), replace_paths with list indexes.

The unchanged platform (tests/plan/fixtures/unchanged-dev.json, dev planned again with nothing changed) must pass the
gate and read "no change"; one setting flipping in it must be reported as exactly that; and the `""` the provider
writes for an unset string is "not set" without ever hiding a real value.
"""
from __future__ import annotations

import copy
import json

import pytest

from pulse_gate.gate import env_models
from pulse_gate.plan.cli import check_main, review_main
from pulse_gate.plan.gate import evaluate
from pulse_gate.plan.render import markdown
from pulse_gate.plan.review import Analysis
from pulse_gate.values import Unknown
from tests.differential.compare import attribute_empty_strings

from .conftest import SNAPSHOT, UNCHANGED, fixture_script, requires_shared, run, shared_plan_files
from .test_frontend import ALLOWED, _diff

FUNC = "module.app.azurerm_linux_function_app.orchestrator"
WEB = "module.app.azurerm_linux_web_app.ui"
PG = "module.analytics_postgres.azurerm_postgresql_flexible_server.main"
PROVIDER_EMPTY = ("storage_account_access_key", "storage_key_vault_secret_id", "hosting_environment_id",
                  "client_certificate_exclusion_paths", "zip_deploy_file")


def _doc():
    return json.loads(UNCHANGED.read_text(encoding="utf-8"))


def _change(doc, address):
    return next(rc for rc in doc["resource_changes"] if rc["address"] == address)["change"]


def _write(tmp_path, doc, name="plan-dev.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _update(doc, address, **after):
    """An in-place update of one resource of the unchanged platform: `after` takes the given values."""
    change = _change(doc, address)
    change["actions"] = ["update"]
    change["after"] = dict(copy.deepcopy(change["before"]), **after)
    return change


# -- the fixture is what the provider writes ---------------------------------------------------------------------------
def test_unchanged_fixture_has_the_providers_shapes():
    doc = _doc()
    assert {tuple(rc["change"]["actions"]) for rc in doc["resource_changes"]} == {("no-op",)}
    for rc in doc["resource_changes"]:
        change = rc["change"]
        assert change["before"] == change["after"] and change["after_unknown"] == {}, rc["address"]
        assert change["before_sensitive"] == change["after_sensitive"], rc["address"]
    func = _change(doc, FUNC)
    for name in PROVIDER_EMPTY:
        assert func["after"][name] == "", name
    assert func["after_sensitive"]["storage_account_access_key"] is True      # "" and still marked sensitive
    assert func["after"]["site_config"][0]["application_insights_key"] == ""
    assert func["after"]["identity"][0]["identity_ids"] == []
    assert _change(doc, "azurerm_resource_group.main")["after"]["managed_by"] == ""
    assert _change(doc, "module.storage.azurerm_storage_account.main")["after"]["allowed_copy_scope"] == ""
    assert _change(doc, PG)["after"]["administrator_password"] is None        # never read back: stays null
    deployment = _change(doc, 'module.openai.azurerm_cognitive_deployment.this["core_chat"]')["after"]
    assert deployment["sku"][0]["tier"] == "" and deployment["dynamic_throttling_enabled"] is False


def test_provider_shapes_only_touch_what_is_unset():
    build = fixture_script()
    for res in build.resources():
        shaped = build.provider_shaped(res)
        for tokens, value in _leaves(res.state):
            if value is not None:
                assert _at(shaped.state, tokens) == value, (res.address, tokens)


def _leaves(value, prefix=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, prefix + (i,))
    else:
        yield prefix, value


def _at(value, tokens):
    for t in tokens:
        value = value[t]
    return value


# -- the unchanged platform passes and reads "no change" -----------------------------------------------------------------
@pytest.mark.parametrize("hcl", ["with-hcl", "plan-only"])
def test_unchanged_platform_passes_the_gate(capsys, hcl):
    args = ["--plan", UNCHANGED] + (["--root", SNAPSHOT] if hcl == "with-hcl" else ["--no-hcl"])
    code, out, err = run(check_main, args, capsys)
    assert code == 0, out + err
    assert "policy gate passed: 0 finding(s) in 1 plan(s) [dev]" in out


def test_unchanged_platform_reads_no_change(capsys):
    code, out, err = run(review_main, [UNCHANGED, "--root", SNAPSHOT], capsys)
    assert code == 0, err
    assert out.startswith("## ✅ Terraform plan review: safe")
    assert "| `dev` | ✅ safe | no changes | — | — | — | — |" in out
    assert "No changes to role assignments, security settings or identities; nothing destroyed; no policy " \
           "findings." in out


def test_provider_empty_strings_are_absent_in_the_model(policy):
    """The function app's unset access key and Key Vault secret id are "" in state: the model has them absent, as
    the HCL front-end does (nothing written), so AP002 sees no key."""
    result = evaluate(str(UNCHANGED), policy, root=None)
    func = result.model.by_address(FUNC)
    for name in PROVIDER_EMPTY:
        assert not func.is_set(name) and func.get(name) is None, name
    assert func.get("storage_uses_managed_identity") is True
    for res in result.model.resources:
        assert list(attribute_empty_strings(res.values)) == [], res.address


EXISTING = {
    # (address, path): why a plan of deployed infrastructure knows more than the HCL front-end can
    ('module.storage.module.diagnostic_settings.azurerm_monitor_diagnostic_setting.this["blob-workspace"]',
     "target_resource_id"): "HCL: the account id and a suffix, known after apply; plan: the deployed id",
    ('module.storage.module.diagnostic_settings.azurerm_monitor_diagnostic_setting.this["file-workspace"]',
     "target_resource_id"): "HCL: the account id and a suffix, known after apply; plan: the deployed id",
    ('module.storage.module.diagnostic_settings.azurerm_monitor_diagnostic_setting.this["queue-workspace"]',
     "target_resource_id"): "HCL: the account id and a suffix, known after apply; plan: the deployed id",
    ('module.storage.module.diagnostic_settings.azurerm_monitor_diagnostic_setting.this["table-workspace"]',
     "target_resource_id"): "HCL: the account id and a suffix, known after apply; plan: the deployed id",
    (PG, "zone"): "Azure chose the zone",
    (PG, "authentication.tenant_id"): "known GUID; the local the HCL follows is not in the plan",
    ("module.analytics_postgres.azurerm_postgresql_flexible_server_active_directory_administrator.main",
     "tenant_id"): "known GUID; the local the HCL follows is not in the plan",
    ("module.keyvault.azurerm_key_vault.main", "tenant_id"): "known GUID; the local the HCL follows is not in the plan",
    (FUNC, "app_settings.PULSE_ANALYTICS_DB_HOST"): "HCL: the name built from locals; plan: equal to the server's fqdn",
    (WEB, "app_settings.PULSE_ANALYTICS_DB_HOST"): "HCL: the name built from locals; plan: equal to the server's fqdn",
}


def test_unchanged_plan_values_line_up_with_hcl(policy):
    """The model means the same from both front-ends on real shapes too: every argument the HCL front-end evaluates
    has the same value in the unchanged plan's model (what HCL leaves out is absent there: no "" survives, above)."""
    hcl_model = env_models(str(SNAPSHOT), ["dev"])[0]
    result = evaluate(str(UNCHANGED), policy, env="dev", root=str(SNAPSHOT))
    problems = []
    for res in hcl_model.resources:
        diffs = []
        _diff(res.values, result.model.by_address(res.address).values, "", diffs)
        problems += [(res.address, path, h, p) for path, h, p in diffs
                     if (res.address, path) not in ALLOWED and (res.address, path) not in EXISTING]
    assert problems == []


def test_empty_map_entries_are_data_and_stay(tmp_path, policy):
    doc = _doc()
    settings = dict(_change(doc, WEB)["after"]["app_settings"], FEATURE_FLAGS="")
    _update(doc, WEB, app_settings=settings)
    result = evaluate(str(_write(tmp_path, doc)), policy, root=None)
    assert result.model.by_address(WEB).values["app_settings"]["FEATURE_FLAGS"] == ""


# -- a real value is never hidden ----------------------------------------------------------------------------------------
STORAGE_KEY = "c2VjcmV0LXN0b3JhZ2Uta2V5LWZvci10ZXN0LWZpeHR1cmVzLW9ubHk="     # the fixtures' made-up account key


@pytest.mark.parametrize("hcl", ["with-hcl", "plan-only"])
def test_a_real_access_key_is_still_caught(tmp_path, capsys, policy, hcl):
    """The configuration changes to storage_account_access_key = module.storage...primary_access_key: the key, not
    "", is in `after`; AP002 fires, and the review shows the key as sensitive, never its value."""
    doc = _doc()
    _update(doc, FUNC, storage_account_access_key=STORAGE_KEY, storage_uses_managed_identity=False)
    func_cfg = next(r for r in doc["configuration"]["root_module"]["module_calls"]["app"]["module"]["resources"]
                    if r["address"] == "azurerm_linux_function_app.orchestrator")
    func_cfg["expressions"]["storage_account_access_key"] = {"references": ["var.storage_account_access_key",
                                                                            "var"]}
    func_cfg["expressions"]["storage_uses_managed_identity"] = {"constant_value": False}
    path = _write(tmp_path, doc)
    result = evaluate(str(path), policy, root=str(SNAPSHOT) if hcl == "with-hcl" else None)
    ap002 = sorted(f.attribute for f in result.findings if f.rule_id == "AP002" and f.address == FUNC)
    assert "storage_uses_managed_identity" in ap002
    if hcl == "plan-only":        # a sensitive value from a reference is not shown as a literal: still not "unset"
        key = result.model.by_address(FUNC).values["storage_account_access_key"]
        assert key == STORAGE_KEY or isinstance(key, Unknown)
        assert "storage_account_access_key" in ap002
    review = Analysis(result.plan, result.model, policy, result.findings).review()
    rows = {s.attribute: s for s in review.settings if s.address == FUNC}
    assert (rows["storage_account_access_key"].before, rows["storage_account_access_key"].after,
            rows["storage_account_access_key"].verdict) == ("null", "(sensitive)", "insecure")
    assert (rows["storage_uses_managed_identity"].before, rows["storage_uses_managed_identity"].after,
            rows["storage_uses_managed_identity"].verdict) == ("true", "false", "insecure")
    assert STORAGE_KEY not in markdown([review], result.secrets)


def test_an_empty_string_the_configuration_writes_stays(tmp_path, policy):
    """`administrator_password = ""` written in the code is a value in the HCL model (PG004 calls it a literal); the
    plan's model keeps it too. The same "" unwritten is the provider's "not set": no finding."""
    doc = _doc()
    _update(doc, PG, administrator_password="")
    pg_cfg = next(r for r in doc["configuration"]["root_module"]["module_calls"]["analytics_postgres"]["module"]
                  ["resources"] if r["address"] == "azurerm_postgresql_flexible_server.main")
    unwritten = evaluate(str(_write(tmp_path, doc, "unwritten.json")), policy, root=None)
    assert not unwritten.model.by_address(PG).is_set("administrator_password")
    assert not [f for f in unwritten.findings if f.rule_id == "PG004"]
    pg_cfg["expressions"]["administrator_password"] = {"constant_value": ""}
    written = evaluate(str(_write(tmp_path, doc, "written.json")), policy, root=None)
    assert written.model.by_address(PG).values["administrator_password"] == ""
    assert [(f.rule_id, f.attribute) for f in written.findings if f.rule_id == "PG004"] == [
        ("PG004", "administrator_password")]


def test_flex_consumption_unset_access_key(tmp_path, policy):
    """azurerm_function_app_flex_consumption (typed SDK) writes storage_access_key = "" when the host storage uses the
    identity; a key there is still AP002."""
    build = fixture_script()
    state = {"id": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Web/sites/func-flex", "name": "func-flex",
             "storage_access_key": "", "storage_authentication_type": "SystemAssignedIdentity",
             "storage_user_assigned_identity_id": "", "https_only": True,
             "webdeploy_publish_basic_authentication_enabled": False, "app_settings": {},
             "identity": [{"identity_ids": [], "principal_id": "9e1d3c5b-7a9f-4b2d-8c4e-6f8a0b2c4d66",
                           "tenant_id": "9d7c5e3a-1b2f-4c8d-a6e4-7f0b2d9c1e35", "type": "SystemAssigned"}]}
    res = build.Res("", "azurerm_function_app_flex_consumption", "flex", state, sensitive=["storage_access_key"])
    config = {"root_module": {"resources": [build.resource_config(res.type, res.name, {
        "name": build.C("func-flex"), "storage_authentication_type": build.C("SystemAssignedIdentity"),
        "https_only": build.C(True), "webdeploy_publish_basic_authentication_enabled": build.C(False),
        "identity": [{"type": build.C("SystemAssigned")}]})]}}

    def findings(after):
        change = build.change_entry(res, ["no-op"] if after == state else ["update"], state, after)
        doc = build.document(config, {}, [change], [build._pv(res, after)], [build._pv(res, state)], {})
        result = evaluate(str(_write(tmp_path, doc)), policy, root=None)
        # MO001 (no diagnostic setting for this lone app) is not what this test is about
        return sorted((f.rule_id, f.attribute) for f in result.findings if f.address == res.address
                      and f.rule_id != "MO001")

    assert findings(state) == []
    keyed = dict(state, storage_access_key=STORAGE_KEY, storage_authentication_type="StorageAccountConnectionString")
    assert findings(keyed) == [("AP002", "storage_access_key"), ("AP002", "storage_authentication_type")]


# -- a small real change is reported as such -----------------------------------------------------------------------------
def test_one_setting_flipping_is_reported(tmp_path, capsys):
    doc = _doc()
    _update(doc, WEB, ftp_publish_basic_authentication_enabled=True)
    path = _write(tmp_path, doc)
    code, out, _ = run(check_main, ["--plan", path, "--root", SNAPSHOT], capsys)
    assert code == 1
    assert [line.split()[1] for line in out.splitlines() if line.startswith("FAIL")] == ["AP009"]
    assert f"{WEB}.ftp_publish_basic_authentication_enabled" in out
    code, out, _ = run(review_main, [path, "--root", SNAPSHOT], capsys)
    assert code == 0
    assert "| `dev` | 🛑 blocked | 1 to change | — | 1 changed, 1 ⚠️ | — | 1 |" in out
    assert ("| `app-pulse-dev-k7q2-ui` (Web App) | `ftp_publish_basic_authentication_enabled` | `false` | `true` | "
            "⚠️ insecure |") in out


def test_a_setting_hardened_is_reported_and_safe(tmp_path, capsys):
    doc = _doc()
    change = _update(doc, WEB)
    change["before"]["ftp_publish_basic_authentication_enabled"] = True
    change["before_sensitive"] = change["after_sensitive"]
    code, out, _ = run(review_main, [_write(tmp_path, doc), "--root", SNAPSHOT], capsys)
    assert code == 0
    assert out.startswith("## ✅ Terraform plan review: safe")
    assert "| `ftp_publish_basic_authentication_enabled` | `true` | `false` | ✅ hardened |" in out


def test_replace_paths_with_list_indexes_read_as_attribute_paths(tmp_path, capsys):
    """Terraform writes replace_paths as steps, numbers for list indexes: shown as site_config[0]...."""
    doc = _doc()
    change = _update(doc, FUNC)
    change["actions"] = ["delete", "create"]
    change["replace_paths"] = [["site_config", 0, "application_stack", 0, "python_version"]]
    next(rc for rc in doc["resource_changes"] if rc["address"] == FUNC)["action_reason"] = \
        "replace_because_cannot_update"
    code, out, _ = run(review_main, [_write(tmp_path, doc), "--no-hcl"], capsys)
    assert code == 0
    assert ("site_config[0].application_stack[0].python_version forces replacement (an argument that cannot be "
            "updated in place changed)") in out


# -- real plans of other projects ----------------------------------------------------------------------------------------
@requires_shared
@pytest.mark.parametrize("path", shared_plan_files(), ids=[p.name for p in shared_plan_files()])
def test_shared_plan_through_check_and_review(path, capsys):
    code, out, err = run(check_main, ["--plan", path, "--no-hcl"], capsys)
    assert code in (0, 1) and "Traceback" not in out + err, err
    assert "policy gate" in out.splitlines()[-1]
    for fmt in ("markdown", "json"):
        code, out, err = run(review_main, [path, "--format", fmt], capsys)
        assert code == 0 and "Traceback" not in out + err, err


@requires_shared
@pytest.mark.parametrize("path", shared_plan_files(), ids=[p.name for p in shared_plan_files()])
def test_shared_plan_empty_strings_are_not_set(path, policy):
    """The real plans carry "" for unset strings (resource group managed_by, virtual network bgp_community and
    edge_zone, subnet sharing_scope, firewall firewall_policy_id): none reaches the model."""
    raw = {rc["address"]: rc["change"]["after"] for rc in json.loads(path.read_text())["resource_changes"]
           if rc["change"]["after"] is not None}
    result = evaluate(str(path), policy, root=None)
    for res in result.model.resources:
        if res.address in raw:
            for attr in attribute_empty_strings(raw[res.address]):
                assert "." in attr or not res.is_set(attr), (res.address, attr)
        assert list(attribute_empty_strings(res.values)) == [], res.address


# -- "" from an expression that may be null ----------------------------------------------------------------------------
SPEECH = "module.speech.azurerm_cognitive_account.main"


def test_empty_string_from_a_conditional_null_is_not_set(policy):
    """modules/cognitive_account writes `bypass = var.kind == "OpenAI" ? "AzureServices" : null`: Speech's state
    holds the provider's "" there, and the configuration has an expression (references, no constant). The model has
    no bypass, as the HCL front-end's, while OpenAI's "AzureServices" is kept."""
    result = evaluate(str(UNCHANGED), policy, root=None)
    assert result.model.by_address(SPEECH).get("network_acls")[0].get("bypass") is None
    oai = result.model.by_address("module.openai.azurerm_cognitive_account.main")
    assert oai.get("network_acls")[0]["bypass"] == "AzureServices"


def test_writes_empty_string_only_for_a_literal():
    from pulse_gate.plan.plandata import unset_by_provider, writes_empty_string
    exprs = {"a": {"constant_value": ""}, "b": {"references": ["var.x"]}, "c": {"constant_value": "x"},
             "blk": [{"d": {"constant_value": ""}}], "whole": {"references": ["var.o"]},
             "json": {"constant_value": "", "references": ["var.y"]}}
    assert writes_empty_string(exprs, ("a",))
    assert writes_empty_string(exprs, ("blk", (0,), "d"))
    for tokens in (("b",), ("c",), ("missing",), ("whole", "inner"), ("json",), ("blk", (1,), "d")):
        assert not writes_empty_string(exprs, tokens), tokens
    assert unset_by_provider("", False) and not unset_by_provider("", True)
    assert not unset_by_provider("AzureServices", False) and not unset_by_provider(None, False)
