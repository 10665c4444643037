"""The gate's own limits as findings: what it could not read is not silently passed."""
from ..model import Resource
from . import schema as azurerm
from .base import rule

# Terraform's meta-arguments and meta-blocks: not provider arguments, so never held to the azurerm schema.
META = {"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection"}
MODES = {"managed": "resources", "data": "data_sources"}


@rule("EV001", "everything_evaluated", "Every module the configuration calls is evaluated", resource_types=("module",),
      rationale="What the gate cannot read it cannot judge: a module it could not evaluate (a registry or Git "
                "source, a missing directory) is a finding, never a silent pass.",
      learn_url="https://learn.microsoft.com/azure/developer/terraform/overview")
def unevaluated(rule, model, policy):
    out = []
    for address, file, line, why in model.unevaluated:
        anchor = Resource(address, "module", address, "", "module", {}, file, line)
        out.append(rule.finding(model, anchor, "", f"not evaluated: {why}",
                           "vendor the module into the repository (a local source) so the gate can read it"))
    return out


@rule("EV002", "variable_validations_pass", "Every variable value passes its validation (Terraform would refuse it)",
      resource_types=("variable",),
      rationale="Terraform refuses a value its validation rejects; the gate reports it rather than judging a "
                "configuration Terraform would never apply.",
      learn_url="https://learn.microsoft.com/azure/developer/terraform/overview")
def validations(rule, model, policy):
    out = []
    for address, file, line, message in model.rejected_inputs:
        anchor = Resource(address, "variable", address, "", "variable", {}, file, line)
        out.append(rule.finding(model, anchor, "", f"Terraform would reject this value: {message}",
                           "give a value the validation accepts (and see why it was written)"))
    return out


@rule("EV003", "azurerm_names_known", "Every azurerm resource type and argument is one azurerm 4.55 knows",
      resource_types=("azurerm_*",),
      learn_url="https://learn.microsoft.com/azure/developer/terraform/provider-version-history-azurerm")
def azurerm_names(rule, model, policy):
    """A 3.x name is read by no rule: `enable_https_traffic_only = false` or a whole `azurerm_function_app` would
    pass unchecked while the rules look at the 4.x name's default. Each is reported with its 4.x replacement.

    Only what the configuration writes is held to the schema (a written argument has a line in Resource.lines):
    a plan's values also carry computed attributes, which are not arguments."""
    schema = azurerm.load()
    out = []
    for res in model.resources:
        kind = MODES.get(res.mode)
        if kind is None or not res.type.startswith("azurerm_"):
            continue
        problem = schema.type_problem(kind, res.type)
        if problem and schema.uncovered(kind, res.type):
            if res.lines:   # nothing written (e.g. a plan without its HCL, which Terraform validated): nothing to check
                out.append(rule.finding(model, res, "", f"{problem}; until then its arguments are not checked",
                                   "regenerate tools/schema/azurerm-4.55.0.json (tools/schema/README.md)"))
            continue
        if problem:
            out.append(rule.finding(model, res, "", problem,
                               "write it as the azurerm 4.x type (tools/schema/renamed.toml lists them)"))
            continue
        for path, name, node in _unknown_names(res, schema.node(kind, res.type)):
            replacement = schema.replacement_name(name, node)
            out.append(rule.finding(
                model, res, path,
                f'azurerm {schema.version} has no argument or block "{name}" here{schema.argument_hint(name, node)}:'
                " Terraform would reject it and no rule reads it",
                f'write "{replacement}"' if replacement else
                "remove it or fix its name (make validate lists every one with its line)"))
    return out


def _unknown_names(res: Resource, node: dict):
    """(path, name, schema node) for each written name the schema does not know, nested blocks included.

    Read from the lines the front-end recorded, not from the values: an argument Terraform rejects is rejected
    whatever its value, null included. A map argument's keys (app_settings.X) end at their argument."""
    found = {}
    for key in res.lines:
        current, parts = node, key.split(".")
        for depth, part in enumerate(parts):
            name = part.split("[")[0]
            if (depth == 0 and name in META) or name in current["attrs"]:
                break
            if name not in current["blocks"]:
                found.setdefault(".".join(parts[:depth + 1]), (name, current))
                break
            current = current["blocks"][name]
    for path, (name, parent) in sorted(found.items()):
        yield path, name, parent


# ARM resource types whose keyless settings a rule family judges, and the azurerm type the rules read instead.
AZAPI_TYPES = ("azapi_resource", "azapi_update_resource")
COVERED_ARM_TYPES = {
    "microsoft.storage/storageaccounts": "azurerm_storage_account",
    "microsoft.cognitiveservices/accounts": "azurerm_cognitive_account or azurerm_ai_services",
    "microsoft.keyvault/vaults": "azurerm_key_vault",
    "microsoft.dbforpostgresql/flexibleservers": "azurerm_postgresql_flexible_server",
    "microsoft.web/sites": "azurerm_linux_web_app / azurerm_linux_function_app (or the Windows ones)",
    "microsoft.web/sites/slots": "the azurerm web or function app slot",
    "microsoft.web/sites/config": "the site_config / app_settings of the azurerm app",
    "microsoft.insights/components": "azurerm_application_insights",
    "microsoft.authorization/roleassignments": "azurerm_role_assignment",
}


@rule("EV004", "azapi_resources_checked", "No keyless-relevant Azure resource is written through azapi, unchecked",
      resource_types=AZAPI_TYPES,
      learn_url="https://learn.microsoft.com/azure/developer/terraform/overview-azapi-provider")
def azapi_unchecked(rule, model, policy):
    """The keyless rules read azurerm arguments (shared_access_key_enabled, local_auth_enabled, ...). The same
    storage account, AI services account, Key Vault, PostgreSQL server, app or role assignment written as an
    `azapi_resource` carries those settings inside an ARM request body (`allowSharedKeyAccess`,
    `disableLocalAuth`, ...) that no rule reads, so it would pass silently. It is reported until it is written with
    the azurerm resource, or reviewed and suppressed with a reason."""
    out = []
    for res in model.resources:
        if res.type not in AZAPI_TYPES or res.mode != "managed":
            continue
        arm_type = res.get("type")
        if not isinstance(arm_type, str):
            out.append(rule.finding(model, res, "type", "cannot tell which Azure resource this azapi resource "
                                    "writes (its type is not known before apply), so no keyless rule can judge it",
                                    "write the resource type as a literal"))
            continue
        azurerm = COVERED_ARM_TYPES.get(arm_type.split("@", 1)[0].lower())
        if azurerm:
            out.append(rule.finding(model, res, "type", f"{arm_type.split('@', 1)[0]} written through azapi: the "
                                    "keyless rules read azurerm arguments, not ARM request bodies, so its settings "
                                    "are not checked", f"write it as {azurerm}, or review the body and suppress "
                                    "this finding with a reason"))
    return out
