"""The gate held to Terraform's own evaluation: for each environment, real `terraform plan` (offline, through the
schema-only azurerm stand-in in tools/tfprovider) must plan the instances, values and findings the HCL front-end
evaluates. A disagreement is a bug in the gate until shown otherwise (../shared/DESIGN.md, "Held to Terraform")."""
from __future__ import annotations

import json
import os

import pytest

from pulse_gate import policy_data
from pulse_gate.hcl.frontend import Project
from pulse_gate.model import Model, Resource
from pulse_gate.plan.gate import evaluate
from pulse_gate.rules import run_rules
from pulse_gate.plan.build import NOT_FROM_A_PLAN
from tools.mutation_test import apply, copy_terraform
from tools.tfprovider import offline

from .compare import compare_instances, compare_values, finding_keys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENVS = Project(REPO, {}).environments()
UNAVAILABLE = offline.available()

# Three regressions at once, each seen differently: two module arguments and role assignments at a scope broader
# than the policy data allows.
INSECURE = [
    ("modules/storage/main.tf", "shared_access_key_enabled       = var.shared_access_key_enabled",
     "shared_access_key_enabled       = true"),
    ("modules/cognitive_account/main.tf", "local_auth_enabled            = false", "local_auth_enabled            = true"),
    ("main.tf", "scope_id = module.storage.storage_account_id", "scope_id = azurerm_resource_group.main.id"),
]

needs_terraform = pytest.mark.skipif(UNAVAILABLE is not None,
                                     reason=f"differential tests not run: {UNAVAILABLE}")


@pytest.fixture(scope="module")
def policy():
    return policy_data.load()


def _plan_file(plan: dict, tmp_path_factory, name: str) -> str:
    path = tmp_path_factory.mktemp("plans") / f"{name}.plan.json"
    path.write_text(json.dumps(plan), encoding="utf-8")
    return str(path)


def _hcl_findings(model: Model, policy):
    return finding_keys(f for f in run_rules(model, policy) if f.rule_id not in NOT_FROM_A_PLAN)


@needs_terraform
@pytest.mark.parametrize("env", ENVS)
def test_terraform_plans_the_instances_the_gate_evaluates(env):
    model = Project(REPO, {}).env_model(env)
    assert compare_instances(model, offline.offline_plan(REPO, env)) == []


@needs_terraform
@pytest.mark.parametrize("env", ENVS)
def test_every_known_value_of_the_gate_is_terraforms_planned_value(env):
    problems, compared = compare_values(Project(REPO, {}).env_model(env), offline.offline_plan(REPO, env))
    assert problems == []
    assert compared > 300      # the comparison covers the configuration, not a handful of values


@needs_terraform
@pytest.mark.parametrize("env", ENVS)
def test_plan_front_end_on_terraforms_plan_agrees_with_the_hcl(env, policy, tmp_path_factory):
    plan = _plan_file(offline.offline_plan(REPO, env), tmp_path_factory, env)
    from_plan = finding_keys(evaluate(plan, policy, env, REPO).findings)
    assert from_plan == _hcl_findings(Project(REPO, {}).env_model(env), policy) == set()


@needs_terraform
def test_an_insecure_copy_gives_the_same_findings_both_ways(policy, tmp_path):
    root = str(tmp_path / "repo")
    os.makedirs(root)
    copy_terraform(root)
    for rel, old, new in INSECURE:
        apply(root, rel, old, new)
    model = Project(root, {}).env_model("dev")
    plan_json = offline.offline_plan(root, "dev")
    assert compare_instances(model, plan_json) == []
    assert compare_values(model, plan_json)[0] == []
    plan = str(tmp_path / "dev.plan.json")
    with open(plan, "w", encoding="utf-8") as fh:
        json.dump(plan_json, fh)
    from_hcl = _hcl_findings(model, policy)
    from_plan = finding_keys(evaluate(plan, policy, "dev", root).findings)
    assert {"ST001", "OA001", "RB001", "RB002"} <= {rule for rule, _ in from_hcl}
    assert from_plan == from_hcl


# ---- the comparison itself can fail ---------------------------------------------------------------------------
def _model(values: dict) -> Model:
    res = Resource("azurerm_storage_account.main", "azurerm_storage_account", "main", "", "managed", values,
                   "main.tf", 1)
    return Model(env="dev", root=".", resources=[res])


def _plan(after: dict, after_unknown: dict | None = None) -> dict:
    return {"resource_changes": [{"address": "azurerm_storage_account.main", "mode": "managed",
                                  "change": {"after": after, "after_unknown": after_unknown or {}}}]}


def test_comparison_reports_a_value_terraform_plans_differently():
    problems, compared = compare_values(_model({"min_tls_version": "TLS1_0", "network_rules": [{"bypass": ["a"]}]}),
                                        _plan({"min_tls_version": "TLS1_2", "network_rules": [{"bypass": ["a"]}]}))
    assert compared == 2
    assert problems == ["azurerm_storage_account.main.min_tls_version: the gate has 'TLS1_0'; Terraform plans "
                        "'TLS1_2'"]


def test_comparison_reports_a_known_claim_where_terraform_plans_unknown():
    problems, _ = compare_values(_model({"name": "st1"}), _plan({}, {"name": True}))
    assert problems == ["azurerm_storage_account.main.name: the gate claims 'st1'; Terraform plans it as unknown "
                        "(known after apply)"]


def test_comparison_converts_to_the_schema_type_and_ignores_set_order():
    problems, compared = compare_values(_model({"port": 5432, "flag": True, "ips": ["b", "a"]}),
                                        _plan({"port": "5432", "flag": True, "ips": ["a", "b"]}))
    assert (problems, compared) == ([], 3)


def test_comparison_reports_instances_on_one_side_only():
    plan = _plan({})
    plan["resource_changes"].append({"address": "azurerm_key_vault.kv", "mode": "managed", "change": {}})
    assert compare_instances(_model({}), plan) == [
        "Terraform plans azurerm_key_vault.kv; the gate does not evaluate it"]
