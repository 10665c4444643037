#!/usr/bin/env python3
"""Mutation test of our own Terraform: apply realistic regressions to a copy, one at a time, and run the gate.

Every regression must be caught (a finding no inline suppression covers, or an input error where that is the
gate's reading); every harmless edit must stay green. Where the offline azurerm stand-in can run (docs/offline-terraform.md), each mutated tree is
also planned by real Terraform and judged by the plan front-end: it must give the same rule ids as the HCL for that
environment (or Terraform itself must refuse the plan). Prints one line per mutation and the score; exits 1 if
anything was missed, disagreed or was flagged wrongly.
Usage: python tools/mutation_test.py [--only NAME] [--no-terraform] [--verbose]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from pulse_gate import policy_data  # noqa: E402
from pulse_gate.errors import InputError  # noqa: E402
from pulse_gate.gate import check  # noqa: E402
from pulse_gate.plan.build import NOT_FROM_A_PLAN  # noqa: E402
from pulse_gate.plan.gate import evaluate  # noqa: E402
from tools.tfprovider import offline  # noqa: E402

APP = "modules/app/main.tf"
COGNITIVE = "modules/cognitive_account/main.tf"
WEB_SITE = 'ftps_state               = "Disabled"'
AFTER_SECRET = '    NEXTAUTH_SECRET        = "@Microsoft.KeyVault('

# An edit is (file, old, new): replace old by new in file; old=NEW writes a new file holding new; old=RENAME moves
# the file to new. Loading-rule regressions (docs/loading-rules.md) use the last two.
NEW, RENAME = "<new file>", "<rename>"
INPUT_ERROR = "exit 2"     # expected instead of rule ids: Terraform's reading makes it an input error

# name -> (file, old, new, rule ids that must appear among the findings, or {INPUT_ERROR})
REGRESSIONS = {
    "prod: shared key back on (tfvars)": ("envs/prod/terraform.tfvars",
        "storage_account_shared_access_key_enabled = false", "storage_account_shared_access_key_enabled = true",
        {"ST001", "PL004"}),
    "prod: OAuth default off (tfvars)": ("envs/prod/terraform.tfvars",
        "storage_default_oauth_authentication      = true", "storage_default_oauth_authentication      = false",
        {"ST002", "PL004"}),
    "dev: OpenAI key fallback in the app (tfvars)": ("envs/dev/terraform.tfvars",
        "openai_use_managed_identity               = true", "openai_use_managed_identity               = false",
        {"AP005", "PL004"}),
    "staging: database password fallback (tfvars)": ("envs/staging/terraform.tfvars",
        "postgres_use_managed_identity             = true", "postgres_use_managed_identity             = false",
        {"AP005", "PL004"}),
    "dev: storage connection string fallback (tfvars)": ("envs/dev/terraform.tfvars",
        "storage_use_managed_identity              = true", "storage_use_managed_identity              = false",
        {"AP005", "PL004"}),
    "storage module: shared key hard-coded on": ("modules/storage/main.tf",
        "shared_access_key_enabled       = var.shared_access_key_enabled", "shared_access_key_enabled       = true",
        {"ST001"}),
    # A value that looks like an inline suppression on the finding's own line: only a real comment suppresses.
    "storage module: keys on behind a suppression written inside a string": ("modules/storage/main.tf",
        "shared_access_key_enabled       = var.shared_access_key_enabled",
        'shared_access_key_enabled       = "# pulse-gate:ignore=ST001 reason=\\"approved\\"" != ""', {"ST001"}),
    "storage module: keys on under a suppression that was commented out with /* */": ("modules/storage/main.tf",
        "  shared_access_key_enabled       = var.shared_access_key_enabled\n",
        '  /*\n  # pulse-gate:ignore=ST001 reason="approved in review"\n  */\n'
        "  shared_access_key_enabled       = true\n", {"ST001"}),
    "storage module: shared key line deleted (default true)": ("modules/storage/main.tf",
        "  shared_access_key_enabled       = var.shared_access_key_enabled\n", "", {"ST001"}),
    "storage module: account-key SAS minted in Terraform": ("modules/storage/main.tf",
        "# Keyless:", 'data "azurerm_storage_account_sas" "uploads" {\n'
        "  connection_string = azurerm_storage_account.main.primary_connection_string\n"
        '  start             = "2026-01-01T00:00:00Z"\n  expiry            = "2027-01-01T00:00:00Z"\n'
        "  resource_types {\n    service   = false\n    container = true\n    object    = true\n  }\n"
        "  services {\n    blob  = true\n    queue = false\n    table = false\n    file  = false\n  }\n"
        "  permissions {\n    read    = true\n    write   = true\n    delete  = false\n    list    = true\n"
        "    add     = false\n    create  = true\n    update  = false\n    process = false\n    tag     = false\n"
        "    filter  = false\n  }\n}\n\n# Keyless:", {"PL005"}),
    "storage module: HTTP allowed": ("modules/storage/main.tf",
        "https_traffic_only_enabled        = true", "https_traffic_only_enabled        = false", {"ST003"}),
    "storage module: TLS 1.0": ("modules/storage/main.tf",
        'min_tls_version                   = "TLS1_2"', 'min_tls_version                   = "TLS1_0"', {"ST004"}),
    "storage module: public blobs": ("modules/storage/main.tf",
        "allow_nested_items_to_be_public   = false", "allow_nested_items_to_be_public   = true", {"ST005"}),
    "storage module: local users (SFTP keys)": ("modules/storage/main.tf",
        "local_user_enabled              = false", "local_user_enabled              = true", {"ST006"}),
    "cognitive module: API keys on (OpenAI and Speech)": (COGNITIVE,
        "local_auth_enabled            = false", "local_auth_enabled            = true", {"OA001"}),
    "cognitive module: API keys line deleted (default true)": (COGNITIVE,
        "  local_auth_enabled            = false\n", "", {"OA001"}),
    "cognitive module: no custom subdomain": (COGNITIVE,
        "  custom_subdomain_name = var.custom_subdomain_name\n", "", {"OA002"}),
    "keyvault module: access policies instead of RBAC": ("modules/keyvault/main.tf",
        "rbac_authorization_enabled = true", "rbac_authorization_enabled = false", {"KV001"}),
    "keyvault module: no purge protection": ("modules/keyvault/main.tf",
        "purge_protection_enabled   = true", "purge_protection_enabled   = false", {"KV002"}),
    "postgres module: password auth back on": ("modules/analytics_postgres/main.tf",
        "password_auth_enabled         = false", "password_auth_enabled         = true", {"PG002"}),
    "postgres module: Entra auth off": ("modules/analytics_postgres/main.tf",
        "active_directory_auth_enabled = true", "active_directory_auth_enabled = false", {"PG001"}),
    "postgres module: literal admin password": ("modules/analytics_postgres/main.tf",
        "  sku_name            = var.sku_name\n",
        '  sku_name            = var.sku_name\n  administrator_login    = "pulseadmin"\n'
        '  administrator_password = "Sup3rS3cret!"\n', {"PG004"}),
    "app module: function host on an account key": (APP,
        "storage_uses_managed_identity = true", "storage_uses_managed_identity = false", {"AP002"}),
    "app module: AzureWebJobsStorage connection string": (APP,
        'AzureWebJobsStorage__credential = "managedidentity"',
        'AzureWebJobsStorage = "DefaultEndpointsProtocol=https;AccountName=${var.storage_account_name};'
        'AccountKey=bm90LWEta2V5"', {"AP004"}),
    "app module: OpenAI API key setting": (APP, AFTER_SECRET,
        '    AZURE_OPENAI_API_KEY   = "0123456789abcdef"\n' + AFTER_SECRET, {"AP004"}),
    "app module: NextAuth secret as plain text": (APP,
        'NEXTAUTH_SECRET        = "@Microsoft.KeyVault(VaultName=${var.key_vault_name};SecretName=${var.nextauth_secret_name})"',
        'NEXTAUTH_SECRET        = "dev-only-nextauth-secret"', {"AP004"}),
    "app module: database URL with password": (APP, AFTER_SECRET,
        '    DATABASE_URL           = "postgres://pulse:hunter2@db.internal:5432/pulse"\n' + AFTER_SECRET, {"AP004"}),
    "app module: web app HTTP allowed": (APP, "https_only                                     = true",
        "https_only                                     = false", {"AP006"}),
    "app module: plain FTP": (APP, WEB_SITE, 'ftps_state               = "AllAllowed"', {"AP007"}),
    "app module: TLS 1.0": (APP, 'minimum_tls_version      = "1.2"', 'minimum_tls_version      = "1.0"', {"AP008"}),
    "app module: FTP basic auth publishing": (APP, "ftp_publish_basic_authentication_enabled       = false",
        "ftp_publish_basic_authentication_enabled       = true", {"AP009"}),
    "app module: remote debugging": (APP, "remote_debugging_enabled = false", "remote_debugging_enabled = true",
        {"AP010"}),
    "app module: web app without identity": (APP, '  identity {\n    type = "SystemAssigned"\n  }\n', "", {"AP001"}),
    "root: guide's Blob Data Contributor for the Functions host": ("main.tf",
        'role_definition_name = "Storage Blob Data Owner"', 'role_definition_name = "Storage Blob Data Contributor"',
        {"RB001"}),
    "root: queue role dropped": ("main.tf",
        'role_definition_name = "Storage Queue Data Contributor"', 'role_definition_name = "Storage Blob Data Reader"',
        {"RB001", "RB002"}),
    "root: storage roles at resource-group scope": ("main.tf",
        "scope_id = module.storage.storage_account_id", "scope_id = azurerm_resource_group.main.id",
        {"RB001", "RB002"}),
    "root: Cognitive Services User (lists keys) for the apps": ("main.tf",
        'role_definition_name = "Cognitive Services OpenAI User"', 'role_definition_name = "Cognitive Services User"',
        {"RB001", "RB003"}),
    "root: Contributor for the web app": ("main.tf", "    web_app_openai_user = {",
        "    web_app_contributor = {\n      principal_id         = module.app.web_app_principal_id\n"
        '      role_definition_name = "Contributor"\n    }\n    web_app_openai_user = {', {"RB003"}),
    "root: role for an unknown principal": ("main.tf", "    web_app_openai_user = {",
        '    someone = {\n      principal_id         = "11111111-2222-3333-4444-555555555555"\n'
        '      role_definition_name = "Cognitive Services OpenAI User"\n    }\n    web_app_openai_user = {', {"RB004"}),
    "provider: storage over keys": ("providers.tf", "storage_use_azuread = true", "storage_use_azuread = false",
        {"PL001"}),
    "prod backend: access key": ("envs/prod/backend.hcl", "use_azuread_auth     = true",
        'use_azuread_auth     = true\naccess_key           = "bm90LWEta2V5"', {"PL002"}),
    "prod backend: Entra ID off": ("envs/prod/backend.hcl", "use_azuread_auth     = true",
        "use_azuread_auth     = false", {"PL002"}),
    "prod backend: resource group (lists keys)": ("envs/prod/backend.hcl", "use_azuread_auth     = true",
        'use_azuread_auth     = true\nresource_group_name  = "rg-pulse-tfstate"', {"PL002"}),
    "dev tfvars: application secret committed": ("envs/dev/terraform.tfvars",
        "storage_use_managed_identity              = true",
        'storage_use_managed_identity              = true\nnextauth_secret = "not-really-a-secret"', {"PL003"}),
    "variables: sensitive default": ("variables.tf", '  type        = string\n  sensitive   = true\n',
        '  type        = string\n  sensitive   = true\n  default     = "changeme"\n', {"PL003"}),
    # Terraform's loading rules: files and values the gate once did not read.
    "storage module: override file turns the shared key back on": ("modules/storage/storage_override.tf", NEW,
        'resource "azurerm_storage_account" "main" {\n  shared_access_key_enabled = true\n}\n', {"ST001"}),
    "root: backend override with an access key": ("backend_override.tf", NEW,
        'terraform {\n  backend "azurerm" {\n    use_azuread_auth = true\n    access_key       = "bm90LWEta2V5"\n'
        "  }\n}\n", {"PL002"}),
    "root: terraform.tfvars commits the NextAuth secret": ("terraform.tfvars", NEW,
        'nextauth_secret = "committed-by-mistake"\n', {"PL003"}),
    "root: auto-loaded JSON var file commits the client secret": ("ci.auto.tfvars.json", NEW,
        '{\n  "azure_ad_client_secret": "committed-by-mistake"\n}\n', {"PL003"}),
    "root: role assignment in a .tf.json file (Contributor at resource-group scope)": ("grants.tf.json", NEW,
        '{\n  "resource": {\n    "azurerm_role_assignment": {\n      "ops": {\n'
        '        "scope": "${azurerm_resource_group.main.id}",\n'
        '        "role_definition_name": "Contributor",\n'
        '        "principal_id": "${module.app.function_app_principal_id}"\n      }\n    }\n  }\n}\n',
        {"RB002", "RB003"}),
    "storage module: heredoc with trailing blanks after its marker, then a keyed account": (
        "modules/storage/legacy.tf", NEW,
        'locals {\n  legacy_cors = <<EOT\n{"allowed": ["*"]}\nEOT   \n}\n\n'
        'resource "azurerm_storage_account" "legacy" {\n  name                     = "stpulselegacy"\n'
        '  resource_group_name      = "rg-pulse-legacy"\n  location                 = "swedencentral"\n'
        '  account_tier             = "Standard"\n  account_replication_type = "LRS"\n}\n\n'
        'locals {\n  legacy_note = <<EOT\nkept for the migration\nEOT\n}\n', {"ST001"}),
    "storage module: a 3.x argument name pasted from an old snippet": ("modules/storage/main.tf",
        "https_traffic_only_enabled        = true", "enable_https_traffic_only         = false", {"EV003"}),
    "app module: a deploy step with local-exec (runs with the pipeline's token)": ("modules/app/deploy.tf", NEW,
        'resource "terraform_data" "deploy" {\n  input = var.web_app_name\n\n  provisioner "local-exec" {\n'
        '    command = "az webapp deploy --src-path dist.zip"\n  }\n}\n', {"PL006"}),
    "cognitive module: an AI Services account with its key default": ("modules/cognitive_account/ai_services.tf", NEW,
        'resource "azurerm_ai_services" "speech" {\n  name                = "ais-pulse-speech"\n'
        '  location            = "swedencentral"\n  resource_group_name = "rg-pulse"\n  sku_name            = "S0"\n}\n',
        {"OA001", "OA002"}),
    # Speech (issue 11 part 1): the key back on, the Entra endpoint gone, the key-listing role, a keyed client.
    # One module holds both accounts: these edits break the Speech instance alone (module.speech), so the gate must
    # evaluate the module per call.
    "speech: keys back on for the Speech kind only": (COGNITIVE, "local_auth_enabled            = false",
        'local_auth_enabled            = var.kind == "SpeechServices"', {"OA001"}),
    "speech: no custom subdomain for the Speech kind (Entra ID tokens refused)": (COGNITIVE,
        "  custom_subdomain_name = var.custom_subdomain_name\n",
        '  custom_subdomain_name = var.kind == "SpeechServices" ? null : var.custom_subdomain_name\n', {"OA002"}),
    "root: Cognitive Services User (lists keys) on Speech for the orchestrator": ("main.tf",
        'role_definition_name = "Cognitive Services Speech User"', 'role_definition_name = "Cognitive Services User"',
        {"RB001", "RB003"}),
    "app module: orchestrator calls Speech with a key": (APP, 'SPEECH_USE_MANAGED_IDENTITY = "true"',
        'SPEECH_USE_MANAGED_IDENTITY = "false"', {"AP005"}),
    # Audit trail and key-use alert (issue 11 part 2).
    "root: storage diagnostics removed (key and SAS requests unlogged)": ("main.tf",
        "  diagnostic_settings             = local.diagnostic_settings\n", "", {"MO001"}),
    "diagnostic_settings module: logs to a storage account instead of the workspace": (
        "modules/diagnostic_settings/main.tf",
        "  log_analytics_workspace_id     = each.value.workspace_resource_id\n",
        '  storage_account_id             = "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Storage/'
        'storageAccounts/starchive"\n', {"MO001"}),
    "monitoring module: key-use alert disabled": ("modules/monitoring/main.tf", "  enabled              = true\n",
        "  enabled              = false\n", {"MO002"}),
    # Azure Policy guardrails (issue 11 part 3).
    "root: guardrails audit only (a Deny turned to Audit in prod)": ("main.tf",
        'deny_enabled      = var.environment != "dev"', "deny_enabled      = false", {"GR001"}),
    "guardrails module: shared-key guardrail dropped": ("modules/guardrails/main.tf",
        '    storage_shared_key_access = { # Storage/StorageAccountAllowSharedKeyAccess_Audit.json\n'
        '      id = "8c6a50c6-9ffd-4ae7-986f-5fa6111f9a54", audit = "Audit", deny = true\n    }\n', "", {"GR001"}),
    "guardrails module: assignments not enforced": ("modules/guardrails/main.tf", "enforce              = true",
        "enforce              = false", {"GR001"}),
    "prod: terraform.tfvars renamed (prod would not be planned as checked)": ("envs/prod/terraform.tfvars", RENAME,
        "envs/prod/prod.tfvars", {INPUT_ERROR}),
    "prod: a second var file make plan never reads": ("envs/prod/overrides.tfvars", NEW,
        "storage_account_shared_access_key_enabled = false\n", {INPUT_ERROR}),
}

# name -> (file, old, new): edits a reviewer would approve; the gate must stay green.
# Regressions that must be found at these addresses only (the HCL and Terraform's plan): one module serves several
# calls, and an edit that breaks one call must not be reported against the others.
ONLY_AT = {
    "speech: keys back on for the Speech kind only": "module.speech.",
    "speech: no custom subdomain for the Speech kind (Entra ID tokens refused)": "module.speech.",
}
assert set(ONLY_AT) <= set(REGRESSIONS), f"ONLY_AT names no regression: {sorted(set(ONLY_AT) - set(REGRESSIONS))}"

HARMLESS = {
    "prod: a new tag": ("envs/prod/terraform.tfvars", "tags = {", 'tags = {\n  team = "pulse"'),
    "dev: bigger plan": ("envs/dev/terraform.tfvars", 'app_service_plan_sku_name               = "B1"',
                         'app_service_plan_sku_name               = "S1"'),
    "storage module: a comment": ("modules/storage/main.tf", "# Keyless:", "# Reviewed 2026-11.\n# Keyless:"),
    "root: clearer role description": ("main.tf", '"Web app reads and writes user uploads and generated assets."',
                                       '"Web app: user uploads and generated assets (read/write)."'),
    "app module: extra non-secret setting": (APP, AFTER_SECRET, '    FEATURE_FLAGS          = "beta-ui"\n' + AFTER_SECRET),
    "storage module: override file makes the account stricter": ("modules/storage/strict_override.tf", NEW,
        'resource "azurerm_storage_account" "main" {\n  public_network_access_enabled = false\n}\n'),
    "root: auto-loaded var file with a non-security default": ("ops.auto.tfvars", NEW,
        "key_vault_secrets_version = 2\n"),
}


def copy_terraform(dest: str):
    """The repository's Terraform as Terraform reads it (every root file, modules/, envs/): the offline copy rule."""
    offline.copy_tree(REPO, dest, tests=False)


def apply(root: str, rel: str, old: str, new: str):
    path = os.path.join(root, rel)
    if old == RENAME:
        os.rename(path, os.path.join(root, new))
        return
    if old == NEW:
        if os.path.exists(path):
            raise SystemExit(f"mutation no longer applies: {rel} exists; update tools/mutation_test.py")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(new)
        return
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    if old not in text:
        raise SystemExit(f"mutation no longer applies: {old!r} not found in {rel}; update tools/mutation_test.py")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text.replace(old, new, 1))


@dataclass
class Outcome:
    """What the gate (HCL) and, when it ran, the plan front-end on Terraform's own plan made of one mutated tree."""
    findings: list = field(default_factory=list)    # HCL findings
    input_error: str | None = None
    plan_env: str | None = None
    plan_rules: set | None = None                   # rule ids from check --plan on Terraform's plan
    plan_findings: list = field(default_factory=list)  # (rule id, address) of those findings
    terraform_refused: str | None = None            # Terraform would not plan it: its first error line
    plan_skipped: str | None = None                 # why the Terraform side did not run for this mutation

    @property
    def rules(self) -> set | None:
        return None if self.input_error else {f.rule_id for f in self.findings}

    def hcl_rules_in(self, env: str) -> set:
        return {f.rule_id for f in self.findings if f.env == env and f.rule_id not in NOT_FROM_A_PLAN}


def _plan_env(rel: str, outcome: Outcome, expected: set) -> str:
    """The environment to plan: the one the edited var file belongs to, else one where the expected rules fired
    (dev first: the smallest plan)."""
    parts = rel.split("/")
    if parts[0] == "envs" and len(parts) > 2:
        return parts[1]
    envs = sorted({f.env for f in outcome.findings if f.rule_id in expected}, key=lambda e: (e != "dev", e))
    return envs[0] if envs else "dev"


def _terraform_side(root: str, env: str, outcome: Outcome, policy):
    """Terraform's own plan of the mutated tree, judged by the plan front-end (docs/offline-terraform.md)."""
    outcome.plan_env = env
    try:
        plan = offline.offline_plan(root, env)
    except offline.OfflineError as exc:
        lines = [ln.strip(" │╷╵") for ln in str(exc).splitlines()]
        outcome.terraform_refused = next((ln for ln in lines if ln.startswith("Error:")), lines[0])
        return
    path = os.path.join(os.path.dirname(root), f"{env}.plan.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(plan, fh)
    findings = [f for f in evaluate(path, policy, env, root).findings if f.suppressed is None]
    outcome.plan_rules = {f.rule_id for f in findings}
    outcome.plan_findings = [(f.rule_id, f.address) for f in findings]


def _plan_blind(rel: str, expected: set) -> str | None:
    """Why a plan cannot carry this regression's evidence, or None."""
    if expected == {INPUT_ERROR}:
        return "an input error by design: the gate refuses what make plan would not read"
    if expected and expected <= set(NOT_FROM_A_PLAN):
        return "the backend block is not part of a plan"
    if expected == {"PL003"} and rel.endswith((".tfvars", ".tfvars.json")):
        return "a plan records a variable's value, not the file it came from, and never an ephemeral one"
    return None


def run_one(base: str, rel: str, old: str, new: str, expected: set, terraform: bool, policy) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="pulse-mut-") as tmp:
        root = os.path.join(tmp, "repo")
        shutil.copytree(base, root)
        apply(root, rel, old, new)
        outcome = Outcome()
        try:
            # What fails the gate: a finding an inline suppression covers is not caught
            outcome.findings = check(root, policy_path=str(policy_data.DEFAULT_PATH)).failing
        except InputError as exc:
            outcome.input_error = str(exc)
        if not terraform:
            return outcome
        outcome.plan_skipped = _plan_blind(rel, expected)
        if not outcome.plan_skipped:
            _terraform_side(root, _plan_env(rel, outcome, expected), outcome, policy)
        return outcome


def _verdict(outcome: Outcome, expected: set) -> tuple[bool, str]:
    """Caught by the gate; and, where Terraform planned it, caught from Terraform's plan with the same rule ids."""
    if outcome.input_error:
        hcl_ok, how = expected == {INPUT_ERROR}, f"input error: {outcome.input_error}"
    else:
        hcl_ok, how = expected <= outcome.rules, ", ".join(sorted(outcome.rules)) or "nothing"
    if outcome.plan_skipped:
        return hcl_ok, f"{how} | terraform: not planned ({outcome.plan_skipped})"
    if outcome.terraform_refused:
        # Terraform itself stops the regression (a module validation, an unsupported argument): the gate must
        # have found something too, and it has when hcl_ok.
        return hcl_ok, f"{how} | terraform refuses the plan ({outcome.terraform_refused})"
    if outcome.plan_rules is None:
        return hcl_ok, how
    hcl_env = outcome.hcl_rules_in(outcome.plan_env)
    same = outcome.plan_rules == hcl_env
    plan_how = ", ".join(sorted(outcome.plan_rules)) or "nothing"
    note = "" if same else f" != HCL in {outcome.plan_env}: {', '.join(sorted(hcl_env)) or 'nothing'}"
    return hcl_ok and same, f"{how} | terraform plan ({outcome.plan_env}): {plan_how}{note}"


def _stray(outcome: Outcome, expected: set, prefix: str) -> list:
    """Addresses outside `prefix` where an expected rule fired, from the HCL or from Terraform's plan."""
    found = [(f.rule_id, f.address) for f in outcome.findings] + outcome.plan_findings
    return sorted({address for rule_id, address in found if rule_id in expected and not address.startswith(prefix)})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--only", help="run the mutations whose name contains this text")
    ap.add_argument("--no-terraform", action="store_true",
                    help="judge the HCL only (default: also Terraform's own plan of each mutated tree, when the "
                         "offline stand-in can run here)")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    unavailable = "--no-terraform" if args.no_terraform else offline.available()
    if unavailable:
        print(f"mutation: Terraform's plans not compared: {unavailable}")
    policy = policy_data.load()
    regressions = {k: v for k, v in REGRESSIONS.items() if not args.only or args.only in k}
    harmless = {k: (*v, set()) for k, v in HARMLESS.items() if not args.only or args.only in k}
    with tempfile.TemporaryDirectory(prefix="pulse-base-") as base:
        copy_terraform(base)
        # Each mutation is independent; Terraform runs in its own processes, so two at a time use both cores.
        with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
            futures = {name: pool.submit(run_one, base, *spec, not unavailable, policy)
                       for name, spec in {**regressions, **harmless}.items()}
            outcomes = {name: future.result() for name, future in futures.items()}
    failures = caught = green = 0
    for name, (_, _, _, expected) in regressions.items():
        ok, how = _verdict(outcomes[name], expected)
        stray = _stray(outcomes[name], expected, ONLY_AT[name]) if name in ONLY_AT else []
        if stray:
            ok, how = False, f"{how}; also fired at {', '.join(stray)} (expected only under {ONLY_AT[name]})"
        caught += ok
        failures += not ok
        print(f"{'CAUGHT' if ok else 'MISSED'}  {name}: {how}" + ("" if ok else f" (expected {sorted(expected)})"))
        if args.verbose:
            for f in outcomes[name].findings:
                print("        " + f.line_text())
    for name, (_, _, _, _) in harmless.items():
        outcome = outcomes[name]
        ok = outcome.rules == set() and not outcome.plan_rules and not outcome.terraform_refused
        green += ok
        failures += not ok
        print(f"{'GREEN ' if ok else 'FLAGGED'} {name}" + ("" if ok else f": {_verdict(outcome, set())[1]}"))
    elapsed = time.perf_counter() - started
    both = "" if unavailable else ", each also through Terraform's own plan"
    print(f"mutation score: {caught}/{len(regressions)} regressions caught, {green}/{len(harmless)} harmless edits "
          f"green{both} ({elapsed:.1f}s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
