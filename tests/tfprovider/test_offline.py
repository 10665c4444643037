"""Real Terraform through the stand-in: `terraform validate` of the repository and of deliberately broken copies
(each failing with Terraform's own message), and the offline plans of every environment."""
from __future__ import annotations

import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from tools.tfprovider import offline, schema

REPO = schema.REPO
ENVS = ("dev", "staging", "prod")
STORAGE = "modules/storage/main.tf"
KEYVAULT = "modules/keyvault/main.tf"
MONITORING = "modules/monitoring/main.tf"
COGNITIVE = "modules/cognitive_account/main.tf"
POSTGRES = "modules/analytics_postgres/main.tf"

# case: (file, text in the repository, replacement, Terraform's message). All cases go into one copy, each in its
# own resource so none hides another (Terraform reports every resource's errors in one validate); each test then
# looks for its own message at its own file.
BROKEN = {
    "azurerm_3x_argument": (STORAGE, "https_traffic_only_enabled        = true", "enable_https_traffic_only = true",
                            'An argument named "enable_https_traffic_only" is not expected here'),
    "missing_required_argument": (MONITORING, 'application_type    = "web"\n', "",
                                  'The argument "application_type" is required'),
    "wrong_type": (COGNITIVE, "local_auth_enabled            = false", 'local_auth_enabled = "sometimes"',
                   'Inappropriate value for attribute "local_auth_enabled": a bool is required'),
    "bad_reference": (STORAGE, "azurerm_storage_account.main.id", "azurerm_storage_account.primary.id",
                      'A managed resource "azurerm_storage_account" "primary" has not been declared'),
    "ephemeral_in_persisted_argument": (KEYVAULT, "value_wo         = var.nextauth_secret", "value = var.nextauth_secret",
                                        'Ephemeral values are not valid for "value"'),
    "computed_only_argument": (POSTGRES, "auto_grow_enabled   = true",
                               'auto_grow_enabled = true\n  fqdn = "psql-pulse.postgres.database.azure.com"',
                               '"fqdn" is set by the provider and cannot be written'),
}


def _edited_copy(terraform, dest, edits):
    copy = terraform.copy_tree(REPO, dest)
    for file, old, new in edits:
        path = os.path.join(copy, file)
        text = open(path, encoding="utf-8").read()
        assert old in text, f"{file} no longer contains {old!r}: update the case"
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))
    return copy


@pytest.fixture(scope="module")
def validated(terraform, tmp_path_factory):
    """terraform validate of the repository, of the broken copy and of a copy using a deprecated argument, side
    by side (each is its own terraform process)."""
    broken = _edited_copy(terraform, str(tmp_path_factory.mktemp("broken")),
                          [(file, old, new) for file, old, new, _ in BROKEN.values()])
    deprecated = _edited_copy(terraform, str(tmp_path_factory.mktemp("deprecated")),
                              [(KEYVAULT, "rbac_authorization_enabled = true", "enable_rbac_authorization = true")])
    with ThreadPoolExecutor(max_workers=3) as pool:
        jobs = {name: pool.submit(terraform.validate, root)
                for name, root in (("repo", REPO), ("broken", broken), ("deprecated", deprecated))}
        return {name: job.result() for name, job in jobs.items()}


def test_repository_validates(validated):
    result = validated["repo"]
    assert result.ok, result.output
    assert "Success! The configuration is valid." in result.output


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_copy_fails_validate_with_terraforms_message(validated, case):
    file, _, _, message = BROKEN[case]
    result = validated["broken"]
    assert not result.ok, f"terraform validate passed:\n{result.output}"
    # One diagnostic: "Error: <summary>", the "on <file> line N" block, then the message (wrapped at 78 columns).
    diagnostics = [re.sub(r"\s+", " ", d) for d in re.split(r"\n(?=Error: |Warning: )", result.output)]
    assert any(message in d and f"on {file} line " in d for d in diagnostics), result.output


def test_deprecated_argument_warns_but_validates(validated):
    result = validated["deprecated"]
    assert result.ok, result.output
    assert "Warning: Argument is deprecated" in result.output and "enable_rbac_authorization" in result.output


@pytest.fixture(scope="module")
def plans(terraform, tmp_path_factory):
    """The three environments' plans, and dev's plan of a copy whose storage account leaves local_user_enabled out."""
    left_out = _edited_copy(terraform, str(tmp_path_factory.mktemp("left_out")),
                            [(STORAGE, "local_user_enabled              = false\n", "")])
    jobs = [(env, REPO, env) for env in ENVS] + [("left_out", left_out, "dev")]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return dict(zip([name for name, _, _ in jobs],
                        pool.map(lambda job: terraform.offline_plan(job[1], job[2]), jobs)))


def _changes(plan, type_name):
    return [rc for rc in plan["resource_changes"] if rc["type"] == type_name and rc["mode"] == "managed"]


@pytest.mark.parametrize("env", ENVS)
def test_offline_plan_creates_every_instance(plans, terraform, env):
    plan = plans[env]
    assert plan["format_version"] and plan["terraform_version"]
    assert terraform.count_instances(plan) >= 40
    assert {tuple(rc["change"]["actions"]) for rc in plan["resource_changes"] if rc["mode"] == "managed"} == {("create",)}
    assert plan["variables"]["environment"]["value"] == env


@pytest.mark.parametrize("env", ENVS)
def test_offline_plan_computed_unknown_and_write_only_null(plans, env):
    for rc in _changes(plans[env], "azurerm_key_vault_secret"):
        assert rc["change"]["after"]["value_wo"] is None
        assert rc["change"]["after_unknown"]["id"] is True
    storage, = _changes(plans[env], "azurerm_storage_account")
    assert storage["change"]["after_unknown"]["primary_blob_endpoint"] is True
    assert storage["change"]["after"]["shared_access_key_enabled"] is False


def test_argument_left_out_is_planned_with_the_gate_default(plans):
    from pulse_gate.defaults import default_for
    storage, = _changes(plans["left_out"], "azurerm_storage_account")
    assert default_for("azurerm_storage_account", "local_user_enabled") is True
    assert storage["change"]["after"]["local_user_enabled"] is True
    assert "local_user_enabled" not in storage["change"]["after_unknown"]


def test_offline_plan_is_planned_once_and_returned_as_a_copy(terraform, plans):
    again = terraform.offline_plan(REPO, "dev")
    assert again == plans["dev"] and again is not plans["dev"]


def test_offline_plan_reads_the_fake_client_config(plans):
    data, = [r for r in plans["dev"]["prior_state"]["values"]["root_module"]["resources"]
             if r["type"] == "azurerm_client_config"]
    assert data["values"]["tenant_id"] == "00000000-0000-0000-0000-00000000000a"


def test_unknown_environment_is_one_clear_error(terraform):
    with pytest.raises(terraform.OfflineInputError,
                       match=r"envs/qa/terraform.tfvars: no such environment: choose one of dev, prod, staging$"):
        terraform.offline_plan(REPO, "qa")


def test_repository_stays_clean(validated, plans):
    assert not os.path.exists(os.path.join(REPO, ".terraform"))
    assert not os.path.exists(os.path.join(REPO, ".terraform.lock.hcl"))
    status = subprocess.run(["git", "status", "--porcelain", "--ignored", "--", "*.tfstate", "*.tfplan", ".terraform*"],
                            cwd=REPO, capture_output=True, text=True, check=False).stdout
    assert status == ""


def test_make_plan_apply_verify_never_use_the_stand_in():
    text = open(os.path.join(REPO, "Makefile"), encoding="utf-8").read()
    for target in ("plan", "apply", "verify"):
        recipe = re.search(rf"^{target}:.*\n((?:\t.*\n|\s*\n)*)", text, re.M).group(0)
        assert "tfprovider" not in recipe and "TF_CLI_CONFIG_FILE" not in recipe, recipe


def test_expensive_steps_run_once_even_when_called_from_several_threads():
    import threading
    import time

    from tools.tfprovider.offline import _once
    calls = []

    @_once
    def init(root):
        calls.append(root)
        time.sleep(0.05)
        return f"copy of {root}"

    threads = [threading.Thread(target=init, args=("a",)) for _ in range(4)] + [threading.Thread(target=init, args=("b",))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(calls) == ["a", "b"] and init("a") == "copy of a"


# ---- the local apply refuses what would act beyond the local state ------------------------------------------------
def _plan_doc(resources, providers=("registry.terraform.io/hashicorp/azurerm",), calls=None):
    return {"configuration": {
        "provider_config": {p.rsplit("/", 1)[-1]: {"full_name": p} for p in providers},
        "root_module": {"resources": resources, "module_calls": calls or {}}}}


def test_the_local_apply_accepts_plain_azurerm():
    assert offline._not_local(_plan_doc([{"address": "azurerm_resource_group.main", "type": "azurerm_resource_group"}])) == ""


@pytest.mark.parametrize("doc, why", [
    (_plan_doc([], providers=("registry.terraform.io/hashicorp/azurerm", "registry.terraform.io/azure/azapi")),
     "it uses registry.terraform.io/azure/azapi"),
    (_plan_doc([{"address": "terraform_data.deploy", "type": "terraform_data"}]),
     "terraform_data.deploy is not an azurerm resource"),
    (_plan_doc([], calls={"app": {"module": {"resources": [
        {"address": "azurerm_linux_web_app.ui", "type": "azurerm_linux_web_app",
         "provisioners": [{"type": "local-exec"}]}]}}}),
     "azurerm_linux_web_app.ui has a provisioner"),
])
def test_the_local_apply_refuses_what_acts_elsewhere(doc, why):
    assert offline._not_local(doc) == why
