"""Platform: the provider and the state backend use Entra ID; no secrets in tfvars; the toggles end up secure."""
from __future__ import annotations

import re


from ..model import Resource
from ..values import Ref, Unknown, describe
from .apps import CREDENTIAL_VALUE, credential_named
from .base import Finding, is_true, rule

BACKEND_SECRETS = ("access_key", "sas_token", "client_secret", "client_certificate_password",
                   "client_certificate_path", "msi_endpoint")


@rule("PL001", "provider_storage_entra", "The azurerm provider reaches storage with Entra ID when shared keys are off",
      resource_types=("provider.azurerm", "azurerm_storage_account"),
      learn_url="https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent")
def provider_storage(rule, model, policy):
    """With shared keys disabled on an account, a provider that still authenticates to the storage data plane
    with keys (the azurerm default) fails to read containers and queues; storage_use_azuread makes it use Entra ID,
    so no one is tempted to turn keys back on to make Terraform work."""
    accounts = model.of_type("azurerm_storage_account")
    if not any(a.get("shared_access_key_enabled") is not True for a in accounts):
        return []
    providers = [p for p in model.providers if p.type == "provider.azurerm"]
    if not providers:
        anchor = accounts[0]
        return [rule.finding(model, anchor, "shared_access_key_enabled",
                        "shared keys are off but no provider \"azurerm\" block sets storage_use_azuread",
                        'add provider "azurerm" { storage_use_azuread = true }')]
    out = []
    for p in providers:
        out += rule.expect(model, p, "storage_use_azuread", is_true, "true",
                      "set storage_use_azuread = true in the provider block; without it the provider lists keys")
    return out


@rule("PL002", "backend_entra", "The state backend uses Entra ID and carries no key or SAS",
      resource_types=("backend.azurerm",),
      learn_url="https://learn.microsoft.com/azure/developer/terraform/store-state-in-azure-storage")
def backend(rule, model, policy):
    """State holds every secret Terraform ever saw. An azurerm backend that authenticates with an account key or
    SAS keeps a long-lived credential to it on every runner; with use_azuread_auth the runner's Entra ID identity
    (OIDC in CI) is enough. Whether a root must have a remote backend at all is the policy data's call
    ([backend] required): a module's example has none, a deployed root must."""
    b = model.backend
    if b is None:
        if not (policy and policy.present and policy.require_backend):
            return []
        file, line = policy.where("required", model.root)
        anchor = Resource("terraform.backend", "backend", "", "", "backend", {}, file, line)
        return [rule.finding(model, anchor, "", "no backend block, and the policy data requires one: state would "
                             "be local and unshared",
                             'add terraform { backend "azurerm" { use_azuread_auth = true } }')]
    if b.type != "backend.azurerm":
        return [rule.finding(model, b, "", f"backend {b.name!r} is not azurerm",
                             "use the azurerm backend with use_azuread_auth = true")]
    out = rule.expect(model, b, "use_azuread_auth", is_true, "true",
                      "set use_azuread_auth = true in the backend configuration")
    for key in BACKEND_SECRETS:
        if b.get(key) is not None:
            out.append(rule.finding(model, b, key, f"{key} is set: the backend would authenticate with a secret",
                               f"remove {key}; use use_azuread_auth = true (use_oidc = true in CI)"))
    if b.get("resource_group_name") is not None:
        out.append(rule.finding(model, b, "resource_group_name",
                           "resource_group_name makes the backend list the account keys",
                           "remove resource_group_name; storage_account_name + use_azuread_auth is enough"))
    return out


def _secret_text(value) -> bool:
    return isinstance(value, str) and bool(CREDENTIAL_VALUE.search(value))


def _literal(value) -> bool:
    """A value someone wrote: empty strings and empty collections (a sensitive map's {} default) hold nothing."""
    return value not in (None, "", {}, []) and not isinstance(value, (Unknown, Ref))


@rule("PL003", "no_literal_secrets", "No literal secret in tfvars or in a sensitive variable's default",
      resource_types=("variable", "tfvars"),
      learn_url="https://learn.microsoft.com/azure/key-vault/general/best-practices")
def literal_secrets(rule, model, policy):
    """A secret written in a tfvars file or a variable default lives in Git history forever and in every clone.
    Sensitive values come from the pipeline's secret store (TF_VAR_*) or, better, do not exist (managed
    identities). A public key (ssh_public_key) is not a secret, and an empty default holds nothing."""
    out: list[Finding] = []
    sensitive_root = {v.name for v in model.variables if v.module == "." and v.sensitive}
    for a in model.tfvars:
        anchor = Resource(f"var.{a.name}", "tfvars", a.name, "", "tfvars", {"value": a.value}, a.file, a.line,
                          {"value": a.line})
        if a.name in sensitive_root and _literal(a.value):
            out.append(rule.finding(model, anchor, "", "a sensitive variable is given a value in a tfvars file",
                               f"remove the line; CI supplies TF_VAR_{a.name} from its secret store"))
        elif credential_named(a.name) and isinstance(a.value, str) and a.value:
            out.append(rule.finding(model, anchor, "",
                               "a variable named like a credential has a literal value in tfvars",
                               f"remove the line; mark the variable sensitive and supply TF_VAR_{a.name}"))
        elif _secret_text(a.value):
            out.append(rule.finding(model, anchor, "", "the value contains credential material",
                               "remove it; use managed identities or Key Vault"))
    for v in model.variables:
        if v.sensitive and v.has_default and _literal(v.default):
            anchor = Resource(f"{'' if v.module == '.' else v.module + ':'}var.{v.name}", "variable", v.name, "",
                              "variable", {}, v.file, v.line)
            out.append(rule.finding(model, anchor, "default", "a sensitive variable has a literal default",
                               f"remove the default; supply TF_VAR_{v.name} at apply time"))
    return out


@rule("PL004", "migration_toggles_secure", "The policy data's toggles end up secure in every environment",
      resource_types=("variable",), needs_policy_data=True,
      learn_url="https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent")
def toggles(rule, model, policy):
    """A migration from keys to identities is often steered by root variables (shared keys on/off, use the managed
    identity or not). Each toggle the policy data lists ([toggles] name = secure value) must end up at its secure
    value in every environment, whichever var file, default or TF_VAR_ decided it."""
    out = []
    for name, secure in policy.toggles.items():
        if name not in model.root_values:
            file, line = policy.where(name, model.root)
            anchor = Resource(f"var.{name}", "variable", name, "", "variable", {}, file, line)
            out.append(rule.finding(model, anchor, "", "the policy data names this toggle but the root does not "
                                    "declare it", f"declare variable \"{name}\" (bool, default {str(secure).lower()}),"
                                    " or remove it from the policy data"))
            continue
        value, source = model.root_values[name]
        if value is secure:
            continue
        file, _, line = source.rpartition(":")
        anchor = Resource(f"var.{name}", "variable", name, "", "variable", {}, file, int(line) if line.isdigit() else 0)
        state = describe(value) if not isinstance(value, (Ref, Unknown)) else f"not provable ({describe(value)})"
        out.append(rule.finding(model, anchor, "", f"{name} ends up {state}; must be {str(secure).lower()}",
                                f"set {name} = {str(secure).lower()} in this environment's var file"))
    return out


# Attributes that hold an account key or something derived from one. App Insights' connection_string is handled
# through the policy data's credential exceptions.
KEY_ATTRIBUTES = re.compile(r"(^|\.)((primary|secondary)_(access_key|key|[a-z_]*connection_string)|"
                            r"connection_string|sas|sas_url_query_string|primary_shared_key|secondary_shared_key)$")
# Data sources that can only mint a SAS from the account key.
KEY_SAS_DATA = ("azurerm_storage_account_sas", "azurerm_storage_account_blob_container_sas")


def _refs(value, path: str = ""):
    """(attribute path, Ref) for every reference inside a value, templates included."""
    if isinstance(value, Ref):
        yield path, value
    elif isinstance(value, Unknown):
        for ref in value.refs:
            yield path, ref
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _refs(v, f"{path}.{k}" if path else k)
    elif isinstance(value, list):
        for v in value:
            yield from _refs(v, path)


def _excepted(ref: Ref, model, policy) -> bool:
    target = model.by_address(ref.address)
    return target is not None and any(ex.resource_type == target.type and ex.attribute == ref.path
                                      for ex in policy.credential_exceptions)


@rule("PL005", "no_key_material_read", "No resource reads an account key, key-based connection string or SAS",
      resource_types=("*",) + KEY_SAS_DATA,
      learn_url="https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage")
def key_material(rule, model, policy):
    """Reading primary_access_key, a key-based connection string or a key-signed SAS puts the key in state and
    in whatever receives it, and keeps shared-key access necessary; an identity with an RBAC role needs none."""
    out = []
    for res in model.resources:
        if res.mode == "data" and res.type in KEY_SAS_DATA:
            out.append(rule.finding(model, res, "", f"{res.type} signs a SAS with the storage account key",
                               "use a user delegation SAS from the app (with its identity), or RBAC directly"))
            continue
        for path, ref in _refs(res.values):
            if KEY_ATTRIBUTES.search(ref.path) and not _excepted(ref, model, policy):
                out.append(rule.finding(model, res, path, f"reads {ref}, key material",
                                   "authenticate with a managed identity and RBAC; keys stay disabled"))
    return out


# Terraform runs these on the machine that plans or applies, in its environment: in CI that holds the pipeline's
# OIDC token request (ACTIONS_ID_TOKEN_REQUEST_*) and the azurerm login, so any of them can act as the pipeline.
PROVISIONERS = {
    "local-exec": "runs a command on the runner during apply",
    "remote-exec": "runs commands on another host during apply, over a connection whose credentials it must hold",
    "file": "copies files to another host during apply, over a connection whose credentials it must hold",
}
# Resources that do nothing but carry provisioners.
PROVISIONER_CARRIERS = ("terraform_data", "null_resource")


@rule("PL006", "no_arbitrary_code", "Nothing runs arbitrary code during plan or apply (external data, provisioners)",
      resource_types=("data.external", "terraform_data", "null_resource", "*"),
      learn_url="https://learn.microsoft.com/entra/workload-id/workload-identity-federation")
def arbitrary_code(rule, model, policy):
    """`data "external"` runs its program at every plan (pull requests included); a provisioner runs at apply. Both
    run with the pipeline's identity in reach, outside anything the rules or a plan review can see."""
    hint = ("do it as a reviewed pipeline step or with a resource the provider manages; "
            "Terraform must not run scripts with the pipeline's identity")
    out = []
    for res in model.resources:
        if res.mode == "data" and res.type == "external":
            out.append(rule.finding(model, res, "", 'data "external" runs a program during every plan, with the '
                               "pipeline's OIDC token and Azure login in reach", hint))
        for i, prov in enumerate(res.blocks("provisioner")):
            kind = prov.get("type") if isinstance(prov, dict) else ""
            what = PROVISIONERS.get(kind, "runs during apply")
            carrier = f"; {res.type} exists only to run it" if res.type in PROVISIONER_CARRIERS else ""
            out.append(rule.finding(model, res, f"provisioner[{i}]",
                               f'provisioner "{kind}" {what}, with the pipeline\'s OIDC token and Azure login in '
                               f"reach{carrier}", hint))
    return out
