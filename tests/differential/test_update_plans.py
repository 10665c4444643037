"""Update plans written by Terraform itself: an environment applied through the offline stand-in into a local state,
then changed and planned again, as a pull request's plan is against a deployed platform. The plan front-end and the
review must read Terraform's own no-op and update shapes (before/after, the stand-in's "" and zero values for
computed attributes) the way they read the HCL: the same findings, the change named as a change, nothing else."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from pulse_gate import policy_data
from pulse_gate.hcl.frontend import Project
from pulse_gate.plan.build import NOT_FROM_A_PLAN
from pulse_gate.plan.gate import evaluate
from pulse_gate.plan.review import Analysis
from pulse_gate.rules import run_rules
from tools.mutation_test import apply, copy_terraform
from tools.tfprovider import offline

from .compare import attribute_empty_strings, finding_keys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
UNAVAILABLE = offline.available()
needs_terraform = pytest.mark.skipif(UNAVAILABLE is not None, reason=f"update plans not made: {UNAVAILABLE}")

SHARED_KEY_ON = ("envs/dev/terraform.tfvars", "storage_account_shared_access_key_enabled = false",
                 "storage_account_shared_access_key_enabled = true")
SPEECH_KEYS_ON = ("modules/cognitive_account/main.tf", "local_auth_enabled            = false",
                  'local_auth_enabled            = var.kind == "SpeechServices"')
CONTRIBUTOR_ON_RG = ("main.tf", "# Azure Policy guardrails on the resource group",
                     'resource "azurerm_role_assignment" "function_app_contributor" {\n'
                     "  scope                = azurerm_resource_group.main.id\n"
                     '  role_definition_name = "Contributor"\n'
                     "  principal_id         = module.app.function_app_principal_id\n}\n\n"
                     "# Azure Policy guardrails on the resource group")


@pytest.fixture(scope="module")
def policy():
    return policy_data.load()


def _judged(tmp_path, policy, edits, env="dev"):
    """(plan front-end result, findings of the HCL of the same edited tree, review) for env."""
    def edit(root):
        for change in edits:
            apply(root, *change)
    plan_json = offline.update_plan(REPO, env, edit)
    root = str(tmp_path / "repo")
    os.makedirs(root)
    copy_terraform(root)
    edit(root)
    path = str(tmp_path / f"{env}.plan.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(plan_json, fh)
    result = evaluate(path, policy, env, root)
    hcl = finding_keys(f for f in run_rules(Project(root, {}).env_model(env), policy)
                       if f.rule_id not in NOT_FROM_A_PLAN)
    review = Analysis(result.plan, result.model, policy, result.findings).review()
    shutil.rmtree(root)
    return plan_json, result, hcl, review


def _actions(plan_json) -> dict:
    out: dict = {}
    for rc in plan_json["resource_changes"]:
        out.setdefault(tuple(rc["change"]["actions"]), []).append(rc["address"])
    return out


def _settings(review) -> list[tuple[str, str, str, str, str]]:
    return sorted((s.address, s.attribute, s.before, s.after, s.verdict) for s in review.settings)


@needs_terraform
@pytest.mark.parametrize("env", ["dev", "staging", "prod"])
def test_the_applied_platform_planned_again_is_all_no_op_and_passes(tmp_path, policy, env):
    plan_json, result, hcl, review = _judged(tmp_path, policy, [], env)
    assert set(_actions(plan_json)) == {("no-op",)}
    assert finding_keys(result.findings) == hcl == set()
    assert review.settings == [] and review.role_changes == []
    # Terraform writes the stand-in's "" for computed strings in before/after; none of it reaches the model
    for res in result.model.resources:
        assert list(attribute_empty_strings(res.values)) == [], res.address
    # each identity its own principal id, as in Azure (two calls of one module included)
    principals = [rc["change"]["after"]["identity"][0]["principal_id"] for rc in plan_json["resource_changes"]
                  if rc["change"]["after"] and (rc["change"]["after"].get("identity") or [None])[0]]
    assert len(principals) == len(set(principals)) >= 4


@needs_terraform
def test_shared_keys_turned_on_in_tfvars(tmp_path, policy):
    plan_json, result, hcl, review = _judged(tmp_path, policy, [SHARED_KEY_ON])
    assert _actions(plan_json)[("update",)] == ["module.storage.azurerm_storage_account.main"]
    assert finding_keys(result.findings) == hcl
    assert ("ST001", "module.storage.azurerm_storage_account.main") in hcl
    assert _settings(review) == [("module.storage.azurerm_storage_account.main", "shared_access_key_enabled",
                                  "false", "true", "insecure")]


@needs_terraform
def test_keys_on_for_the_speech_call_of_the_shared_module_only(tmp_path, policy):
    plan_json, result, hcl, review = _judged(tmp_path, policy, [SPEECH_KEYS_ON])
    assert _actions(plan_json)[("update",)] == ["module.speech.azurerm_cognitive_account.main"]
    assert finding_keys(result.findings) == hcl == {("OA001", "module.speech.azurerm_cognitive_account.main")}
    assert _settings(review) == [("module.speech.azurerm_cognitive_account.main", "local_auth_enabled",
                                  "false", "true", "insecure")]


@needs_terraform
def test_a_broad_role_added_to_the_applied_platform(tmp_path, policy):
    plan_json, result, hcl, review = _judged(tmp_path, policy, [CONTRIBUTOR_ON_RG])
    assert _actions(plan_json)[("create",)] == ["azurerm_role_assignment.function_app_contributor"]
    assert finding_keys(result.findings) == hcl
    assert {"RB002", "RB003"} <= {rule for rule, _ in hcl}
    [role] = review.role_changes
    assert (role.change, role.role) == ("added", "Contributor")


EMPTY_KEY_FROM_A_LOCAL = ("modules/app/main.tf", "  storage_uses_managed_identity = true\n",
                          "  storage_uses_managed_identity = true\n  storage_account_access_key    = local.no_key\n")
NO_KEY_LOCAL = ("modules/app/main.tf", "locals {\n", 'locals {\n  no_key = ""\n')


@needs_terraform
def test_an_empty_string_from_an_expression_reads_as_the_hcl_reads_it(tmp_path, policy):
    """The plan shows `""` both for a null the provider stored and for an expression that gives `""`: with the HCL
    at hand the gate follows the HCL (here AP002 both ways: a key attribute written at all), without it the `""`
    is "not set", as the SDK treats it."""
    plan_json, result, hcl, _ = _judged(tmp_path, policy, [NO_KEY_LOCAL, EMPTY_KEY_FROM_A_LOCAL])
    func = "module.app.azurerm_linux_function_app.orchestrator"
    assert _actions(plan_json)[("update",)] == [func]
    assert ("AP002", func) in hcl
    assert finding_keys(result.findings) == hcl
    path = str(tmp_path / "alone.plan.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(plan_json, fh)
    assert ("AP002", func) not in finding_keys(evaluate(path, policy, "dev", None).findings)
