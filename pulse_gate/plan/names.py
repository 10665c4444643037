"""Names a person recognises for identities, roles and scopes in a plan: `func-pulse-dev-orchestrator (Function App
identity)` rather than `module.app.azurerm_linux_function_app.orchestrator.identity[0].principal_id` or a GUID.
"""
from __future__ import annotations

import re

from ..roles import builtin_role_name
from ..values import Ref, Unknown
from .addresses import tokenize
from .plandata import Plan, leaves, value_at

KINDS = {
    "azurerm_linux_function_app": "Function App", "azurerm_windows_function_app": "Function App",
    "azurerm_function_app_flex_consumption": "Function App", "azurerm_linux_function_app_slot": "Function App slot",
    "azurerm_windows_function_app_slot": "Function App slot", "azurerm_linux_web_app": "Web App",
    "azurerm_windows_web_app": "Web App", "azurerm_linux_web_app_slot": "Web App slot",
    "azurerm_windows_web_app_slot": "Web App slot", "azurerm_storage_account": "storage account",
    "azurerm_storage_container": "blob container", "azurerm_cognitive_account": "Cognitive Services account",
    "azurerm_key_vault": "Key Vault", "azurerm_postgresql_flexible_server": "PostgreSQL server",
    "azurerm_application_insights": "Application Insights",
    "azurerm_log_analytics_workspace": "Log Analytics workspace",
    "azurerm_resource_group": "resource group", "azurerm_user_assigned_identity": "user-assigned identity",
    "azurerm_service_plan": "App Service plan", "azurerm_subscription": "subscription",
    "azurerm_management_group": "management group", "azurerm_container_app": "Container App",
    "azurerm_kubernetes_cluster": "AKS cluster", "azurerm_role_assignment": "role assignment",
    "azurerm_client_config": "deploying principal",
}
BROAD_TYPES = {"azurerm_resource_group", "azurerm_subscription", "azurerm_management_group"}
SUB = re.compile(r"^/subscriptions/([^/]+)/?$", re.I)
RG = re.compile(r"^/subscriptions/[^/]+/resourceGroups/([^/]+)/?$", re.I)
MG = re.compile(r"/providers/Microsoft\.Management/managementGroups/([^/]+)/?$", re.I)
PROVIDER = re.compile(r"/providers/([^/]+)/(.+)$", re.I)
PRINCIPAL_PATH = re.compile(r"(^|\.)(principal_id|object_id)$")


def kind_of(rtype: str, values: dict | None = None) -> str:
    if rtype == "azurerm_cognitive_account" and isinstance(values, dict) and values.get("kind") == "OpenAI":
        return "Azure OpenAI account"
    return KINDS.get(rtype, rtype.removeprefix("azurerm_").replace("_", " "))


def arm_label(scope: str) -> tuple[str, bool]:
    """A readable name for an Azure resource id, and whether it is a broad scope."""
    if scope.strip() == "/" or SUB.match(scope):
        return f"subscription `{(SUB.match(scope) or [None, scope])[1]}`", True
    m = RG.match(scope)
    if m:
        return f"resource group `{m.group(1)}`", True
    m = MG.search(scope)
    if m:
        return f"management group `{m.group(1)}`", True
    m = PROVIDER.search(scope)
    if m:
        parts = m.group(2).split("/")
        types = "/".join([m.group(1)] + parts[0::2])
        return f"`{parts[-1]}` ({types})", False
    return f"`{scope}`", False


class Namer:
    def __init__(self, plan: Plan, forbidden_roles=frozenset()):
        self.plan = plan
        self.forbidden = forbidden_roles
        self._principals = {"before": {}, "after": {}}
        self._ids = {"before": {}, "after": {}}
        for address in sorted(plan.instances):
            inst = plan.instances[address]
            for which, side in (("before", inst.before), ("after", inst.after)):
                for tokens, leaf in leaves(side):
                    if not isinstance(leaf, str) or not leaf:
                        continue
                    path = ".".join(str(t[0]) if isinstance(t, tuple) else t for t in tokens)
                    if tokens == ("id",):
                        self._ids[which].setdefault(leaf.lower(), address)
                    elif PRINCIPAL_PATH.search(path) and inst.type != "azurerm_role_assignment":
                        self._principals[which].setdefault(leaf.lower(), (address, tokens))

    # -- resources
    def values(self, address: str, which: str = "after") -> dict:
        inst = self.plan.instances.get(address)
        if inst is None:
            return {}
        side = inst.after if which == "after" and inst.after is not None else inst.before
        if side is None:
            side = inst.after if inst.after is not None else {}
        return side if isinstance(side, dict) else {}

    def resource(self, address: str, which: str = "after") -> str:
        inst = self.plan.instances.get(address)
        if inst is None:
            return f"`{address}`"
        values = self.values(address, which)
        name = values.get("name")
        kind = kind_of(inst.type, values)
        if inst.type == "azurerm_client_config":
            return "the deploying principal (terraform's own identity)"
        if inst.type == "azurerm_role_assignment":
            return f"role assignment {self.role(values)} on {self.scope(values.get('scope'), which)[0]}"
        return f"`{name}` ({kind})" if isinstance(name, str) and name else f"`{address}` ({kind})"

    def is_broad(self, address: str) -> bool:
        inst = self.plan.instances.get(address)
        return inst is not None and inst.type in BROAD_TYPES

    # -- role assignment parts
    def identity(self, value, which: str = "after") -> tuple[str, bool]:
        """(label, known): who a principal_id value is."""
        if isinstance(value, Ref):
            return self._identity_at(value.address, value.path, which), True
        if isinstance(value, Unknown):
            if value.refs:
                names = sorted({self._identity_at(r.address, r.path, which) for r in value.refs})
                return f"one of {' or '.join(names)} (the plan alone cannot tell which)", False
            return "an identity known only after apply", False
        if isinstance(value, str):
            hit = self._principals[which].get(value.lower()) or self._principals[
                "after" if which == "before" else "before"].get(value.lower())
            if hit:
                address, tokens = hit
                return self._identity_at(address, ".".join(str(t[0]) if isinstance(t, tuple) else t
                                                           for t in tokens), which), True
            return f"principal `{value}`", True
        return "no principal", False

    def _identity_at(self, address: str, path: str, which: str) -> str:
        inst = self.plan.instances.get(address)
        if inst is None:
            return f"`{address}.{path}`"
        if inst.type == "azurerm_client_config":
            return "the deploying principal (terraform's own identity)"
        values = self.values(address, which)
        name = values.get("name")
        label = f"`{name}`" if isinstance(name, str) and name else f"`{address}`"
        if inst.type == "azurerm_user_assigned_identity":
            return f"{label} (user-assigned identity)"
        if path.startswith("identity"):
            return f"{label} ({kind_of(inst.type, values)} identity)"
        return f"{label} ({kind_of(inst.type, values)})"

    def scope(self, value, which: str = "after") -> tuple[str, bool]:
        """(label, broad)"""
        if isinstance(value, Ref):
            if value.path in ("id", ""):
                return self.resource(value.address, which), self.is_broad(value.address)
            return f"`{value}`", False
        if isinstance(value, Unknown):
            if value.refs:
                names = sorted({self.resource(r.address, which) for r in value.refs})
                return f"one of {' or '.join(names)} (the plan alone cannot tell which)", False
            return "a scope known only after apply", False
        if isinstance(value, str):
            address = self._ids[which].get(value.lower()) or self._ids[
                "after" if which == "before" else "before"].get(value.lower())
            if address:
                return self.resource(address, which), self.is_broad(address) or arm_label(value)[1]
            return arm_label(value)
        return "no scope", False

    @staticmethod
    def role(values: dict) -> str:
        name = values.get("role_definition_name")
        if isinstance(name, str) and name:
            return name
        rid = values.get("role_definition_id")
        if isinstance(rid, str) and rid:
            return builtin_role_name(rid) or rid
        if isinstance(name, Unknown) or isinstance(rid, Unknown):
            return "a role not known until apply"
        return "an unnamed role"

    def privileged(self, role: str) -> bool:
        return role in self.forbidden


def value_of(values: dict, path: str):
    """(found, value) at a dotted path, nested blocks taking their first instance."""
    try:
        tokens = tokenize(path)
    except ValueError:
        return False, None
    cur = values
    for t in tokens:
        if isinstance(cur, list):
            if not cur:
                return False, None
            cur = cur[0]
        found, cur = value_at(cur, [t])
        if not found:
            return False, None
    return True, cur
