"""`terraform test` of tests/terraform/*.tftest.hcl, per environment, through the offline azurerm stand-in
(every resource mocked; the stand-in serves the schema). Also runs them on a copy with the keyless design broken
in several places, where each assertion must fire with its own message."""
from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from tools.tfprovider import offline

REPO = offline.REPO
ENVS = ("dev", "staging", "prod")

# (file, text in the repository, replacement, the assertion message(s) that must fire)
REGRESSIONS = {
    "storage_shared_keys_on_in_tfvars": ("envs/dev/terraform.tfvars", "storage_account_shared_access_key_enabled = false",
                                         "storage_account_shared_access_key_enabled = true",
                                         "The storage account must disable shared key access."),
    "storage_local_users_on": ("modules/storage/main.tf", "local_user_enabled              = false",
                               "local_user_enabled = true", "The storage account must not have local users or SFTP"),
    # One module (modules/cognitive_account) holds both accounts: one edit turns keys on for both, and both runs fail.
    "cognitive_local_auth_on": ("modules/cognitive_account/main.tf", "local_auth_enabled            = false",
                                "local_auth_enabled = true",
                                ("The OpenAI account must disable local (API key) authentication.",
                                 "The Speech account must disable local (key) authentication.")),
    "key_use_alert_disabled": ("modules/monitoring/main.tf", "  enabled              = true\n",
                               "  enabled              = false\n", "The key-use alert must be enabled"),
    "app_insights_local_auth_on": ("modules/monitoring/main.tf", "local_authentication_disabled = true",
                                   "local_authentication_disabled = false",
                                   "Application Insights must accept Entra ID ingestion only"),
    "postgres_password_auth_on": ("modules/analytics_postgres/main.tf", "password_auth_enabled         = false",
                                  "password_auth_enabled = true", "PostgreSQL must be Entra-only"),
    "key_vault_access_policies": ("modules/keyvault/main.tf", "rbac_authorization_enabled = true",
                                  "rbac_authorization_enabled = false", "Key Vault must use Azure RBAC for the data plane"),
    "function_host_storage_by_key": ("modules/app/main.tf", "storage_uses_managed_identity = true",
                                     "storage_uses_managed_identity = false",
                                     "The function app's host storage must use its managed identity"),
    "storage_grant_at_subscription_scope": ("modules/rbac/assignment/main.tf", "scope                = var.scope_id",
                                            'scope = "/subscriptions/00000000-0000-0000-0000-00000000000b"',
                                            "Every storage grant must be scoped to the storage account itself."),
    "extra_storage_grant": ("main.tf", "    function_app_table_data_contributor = {",
                            '    web_app_queue_data_contributor = {\n      principal_id         = module.app.web_app_principal_id\n'
                            '      role_definition_name = "Storage Queue Data Contributor"\n    }\n'
                            "    function_app_table_data_contributor = {",
                            "Storage role assignments differ from the expected (identity, role) pairs."),
}


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    reason = offline.available()
    if reason:
        pytest.skip(f"terraform test not run: {reason}")
    broken = offline.copy_tree(REPO, str(tmp_path_factory.mktemp("broken")))
    for file, old, new, _ in REGRESSIONS.values():
        path = os.path.join(broken, file)
        text = open(path, encoding="utf-8").read()
        assert old in text, f"{file} no longer contains {old!r}: update the regression"
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace(old, new, 1))
    # Four terraform processes side by side: together about as long as two in a row.
    with ThreadPoolExecutor(max_workers=len(ENVS) + 1) as pool:
        runs = {env: pool.submit(offline.run_tests, REPO, env) for env in ENVS}
        runs["broken"] = pool.submit(offline.run_tests, broken, "dev")
        return {name: future.result() for name, future in runs.items()}


def _run_blocks() -> int:
    return sum(len(re.findall(r'^run\s+"', open(os.path.join(REPO, "tests", "terraform", f), encoding="utf-8").read(), re.M))
               for f in os.listdir(os.path.join(REPO, "tests", "terraform")) if f.endswith(".tftest.hcl"))


@pytest.mark.parametrize("env", ENVS)
def test_keyless_invariants_hold(results, env):
    result = results[env]
    assert result.ok, result.output
    assert f"Success! {_run_blocks()} passed, 0 failed." in result.output, result.output


@pytest.mark.parametrize("regression", sorted(REGRESSIONS))
def test_regression_fails_its_assertion(results, regression):
    result = results["broken"]
    assert not result.ok
    messages = REGRESSIONS[regression][3]
    for message in (messages,) if isinstance(messages, str) else messages:
        assert message in re.sub(r"\s+", " ", result.output), result.output
