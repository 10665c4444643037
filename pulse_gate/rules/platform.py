"""Platform: the provider and the state backend use Entra ID; no secrets in tfvars; the toggles end up secure."""
from __future__ import annotations

import re


from ..model import Resource
from ..values import Ref, Unknown, describe
from .apps import CREDENTIAL_VALUE, credential_named
from .base import Finding, expect, finding, is_true, rule

TOGGLES = {
    "storage_account_shared_access_key_enabled": False,
    "storage_default_oauth_authentication": True,
    "storage_use_managed_identity": True,
    "openai_use_managed_identity": True,
    "postgres_use_managed_identity": True,
}
BACKEND_SECRETS = ("access_key", "sas_token", "client_secret", "client_certificate_password",
                   "client_certificate_path", "msi_endpoint")


@rule("PL001", "provider_storage_entra", "The azurerm provider reaches storage with Entra ID when shared keys are off")
def provider_storage(model, policy):
    accounts = model.of_type("azurerm_storage_account")
    if not any(a.get("shared_access_key_enabled") is not True for a in accounts):
        return []
    providers = [p for p in model.providers if p.type == "provider.azurerm"]
    if not providers:
        anchor = accounts[0]
        return [finding("PL001", model, anchor, "shared_access_key_enabled",
                        "shared keys are off but no provider \"azurerm\" block sets storage_use_azuread",
                        'add provider "azurerm" { storage_use_azuread = true }')]
    out = []
    for p in providers:
        out += expect("PL001", model, p, "storage_use_azuread", is_true, "true",
                      "set storage_use_azuread = true in the provider block; without it the provider lists keys")
    return out


@rule("PL002", "backend_entra", "The state backend uses Entra ID and carries no key or SAS")
def backend(model, policy):
    b = model.backend
    if b is None:
        anchor = Resource("terraform.backend", "backend", "", "", "backend", {}, "backend.tf", 1)
        return [finding("PL002", model, anchor, "", "no backend block: state would be local and unshared",
                        'add terraform { backend "azurerm" {} } completed by envs/<env>/backend.hcl')]
    if b.type != "backend.azurerm":
        return [finding("PL002", model, b, "", f"backend {b.name!r} is not azurerm",
                        "use the azurerm backend with use_azuread_auth = true")]
    out = expect("PL002", model, b, "use_azuread_auth", is_true, "true",
                 "set use_azuread_auth = true in envs/<env>/backend.hcl")
    for key in BACKEND_SECRETS:
        if b.get(key) is not None:
            out.append(finding("PL002", model, b, key, f"{key} is set: the backend would authenticate with a secret",
                               f"remove {key}; use use_azuread_auth = true (use_oidc = true in CI)"))
    if b.get("resource_group_name") is not None:
        out.append(finding("PL002", model, b, "resource_group_name",
                           "resource_group_name makes the backend list the account keys",
                           "remove resource_group_name; storage_account_name + use_azuread_auth is enough"))
    return out


def _secret_text(value) -> bool:
    return isinstance(value, str) and bool(CREDENTIAL_VALUE.search(value))


@rule("PL003", "no_literal_secrets", "No literal secret in tfvars or in a sensitive variable's default")
def literal_secrets(model, policy):
    out: list[Finding] = []
    sensitive_root = {v.name for v in model.variables if v.module == "." and v.sensitive}
    for a in model.tfvars:
        anchor = Resource(f"var.{a.name}", "tfvars", a.name, "", "tfvars", {"value": a.value}, a.file, a.line,
                          {"value": a.line})
        if a.name in sensitive_root and a.value not in (None, ""):
            out.append(finding("PL003", model, anchor, "", "a sensitive variable is given a value in a tfvars file",
                               f"remove the line; CI supplies TF_VAR_{a.name} from its secret store"))
        elif credential_named(a.name) and isinstance(a.value, str) and a.value:
            out.append(finding("PL003", model, anchor, "",
                               "a variable named like a credential has a literal value in tfvars",
                               f"remove the line; mark the variable sensitive and supply TF_VAR_{a.name}"))
        elif _secret_text(a.value):
            out.append(finding("PL003", model, anchor, "", "the value contains credential material",
                               "remove it; use managed identities or Key Vault"))
    for v in model.variables:
        if v.sensitive and v.has_default and v.default not in (None, "") and not isinstance(v.default, Unknown):
            anchor = Resource(f"{'' if v.module == '.' else v.module + ':'}var.{v.name}", "variable", v.name, "",
                              "variable", {}, v.file, v.line)
            out.append(finding("PL003", model, anchor, "default", "a sensitive variable has a literal default",
                               f"remove the default; supply TF_VAR_{v.name} at apply time"))
    return out


@rule("PL004", "migration_toggles_secure", "The five migration toggles end up secure in every environment")
def toggles(model, policy):
    out = []
    for name, secure in TOGGLES.items():
        if name not in model.root_values:
            anchor = Resource(f"var.{name}", "variable", name, "", "variable", {}, "variables.tf", 1)
            out.append(finding("PL004", model, anchor, "", "the toggle is not declared as a root variable",
                               f"declare variable \"{name}\" (bool, default {str(secure).lower()})"))
            continue
        value, source = model.root_values[name]
        if value is secure:
            continue
        file, _, line = source.rpartition(":")
        anchor = Resource(f"var.{name}", "variable", name, "", "variable", {}, file, int(line) if line.isdigit() else 0)
        state = describe(value) if not isinstance(value, (Ref, Unknown)) else f"not provable ({describe(value)})"
        out.append(finding("PL004", model, anchor, "", f"{name} ends up {state}; must be {str(secure).lower()}",
                           f"set {name} = {str(secure).lower()} in envs/{model.env}/terraform.tfvars"))
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


@rule("PL005", "no_key_material_read", "No resource reads an account key, key-based connection string or SAS")
def key_material(model, policy):
    out = []
    for res in model.resources:
        if res.mode == "data" and res.type in KEY_SAS_DATA:
            out.append(finding("PL005", model, res, "", f"{res.type} signs a SAS with the storage account key",
                               "use a user delegation SAS from the app (with its identity), or RBAC directly"))
            continue
        for path, ref in _refs(res.values):
            if KEY_ATTRIBUTES.search(ref.path) and not _excepted(ref, model, policy):
                out.append(finding("PL005", model, res, path, f"reads {ref}, key material",
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


@rule("PL006", "no_arbitrary_code", "Nothing runs arbitrary code during plan or apply (external data, provisioners)")
def arbitrary_code(model, policy):
    """`data "external"` runs its program at every plan (pull requests included); a provisioner runs at apply. Both
    run with the pipeline's identity in reach, outside anything the rules or a plan review can see."""
    hint = ("do it as a reviewed pipeline step or with a resource the provider manages; "
            "Terraform must not run scripts with the pipeline's identity")
    out = []
    for res in model.resources:
        if res.mode == "data" and res.type == "external":
            out.append(finding("PL006", model, res, "", 'data "external" runs a program during every plan, with the '
                               "pipeline's OIDC token and Azure login in reach", hint))
        for i, prov in enumerate(res.blocks("provisioner")):
            kind = prov.get("type") if isinstance(prov, dict) else ""
            what = PROVISIONERS.get(kind, "runs during apply")
            carrier = f"; {res.type} exists only to run it" if res.type in PROVISIONER_CARRIERS else ""
            out.append(finding("PL006", model, res, f"provisioner[{i}]",
                               f'provisioner "{kind}" {what}, with the pipeline\'s OIDC token and Azure login in '
                               f"reach{carrier}", hint))
    return out
