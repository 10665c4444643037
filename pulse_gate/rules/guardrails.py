"""Guardrails in Azure: built-in Azure Policy definitions assigned on the platform, so that Azure itself refuses
(Deny) or reports (Audit) a key turned back on, whoever does it. The gate can only check them before apply; the
assignments keep holding after it.

Which definitions, and the effect each environment needs, are policy data ([[guardrails]] in
policy_tests/policy_data.toml, each citing its source file in the public Azure/azure-policy repository).
"""
from __future__ import annotations

import json

from ..model import Model, Resource
from ..values import Ref, Unknown, describe
from .base import finding, rule

# Assignment types that put a definition in force on the platform's resources (it inherits from above).
ASSIGNMENTS = ("azurerm_resource_group_policy_assignment", "azurerm_subscription_policy_assignment",
               "azurerm_management_group_policy_assignment")
RESOURCE_GROUP = "azurerm_resource_group"


def _definition_guid(value) -> str | None:
    if isinstance(value, str) and "/policydefinitions/" in value.lower():
        return value.rstrip("/").rsplit("/", 1)[-1].lower()
    return None


def _effect(assignment: Resource) -> tuple[str | None, str | None]:
    """(effect, why it cannot be read): the effect parameter; None when left out (the definition's default)."""
    parameters = assignment.get("parameters")
    if parameters is None:
        return None, None
    if isinstance(parameters, (Ref, Unknown)):
        return None, describe(parameters)
    try:
        decoded = json.loads(parameters) if isinstance(parameters, str) else parameters
        effect = decoded.get("effect", {})
        return (effect.get("value") if isinstance(effect, dict) else None), None
    except (ValueError, AttributeError):
        return None, f"parameters are not a JSON object: {describe(parameters)}"


@rule("GR001", "azure_policy_guardrails", "Built-in keyless guardrails are assigned, Deny where the environment needs it",
      resource_types=ASSIGNMENTS, needs_policy_data=True,
      learn_url="https://learn.microsoft.com/azure/governance/policy/concepts/effect-deny")
def guardrails(model: Model, policy):
    """Each [[guardrails]] definition of the policy data is assigned with the Deny effect in the environments that
    list it (staging, prod: a portal click turning shared keys back on is refused) and its audit effect elsewhere
    (dev: reported, not blocked), and enforced (enforce = false makes Deny a no-op). Learn: "Azure Policy
    assignment structure", enforcementMode and parameters."""
    out = []
    groups = model.of_type(RESOURCE_GROUP)
    assignments = model.of_type(*ASSIGNMENTS)
    for guardrail in policy.guardrails:
        want = "Deny" if model.env in guardrail.deny_in else guardrail.effect
        hint = (f"assign /providers/Microsoft.Authorization/policyDefinitions/{guardrail.definition_id} with "
                f'parameters = jsonencode({{ effect = {{ value = "{want}" }} }}) and enforce = true '
                f"(modules/guardrails; source {guardrail.source})")
        matching = [a for a in assignments
                    if _definition_guid(a.get("policy_definition_id")) == guardrail.definition_id]
        if not matching:
            unread = [a for a in assignments if _definition_guid(a.get("policy_definition_id")) is None]
            why = f"; cannot read {unread[0].address}.policy_definition_id: " \
                  f"{describe(unread[0].get('policy_definition_id'))}" if unread else ""
            for group in groups:
                out.append(finding("GR001", model, group, "", f"the built-in policy {guardrail.name} "
                                   f"({guardrail.definition_id}) is not assigned{why}", hint))
            continue
        for assignment in matching:
            effect, unreadable = _effect(assignment)
            if unreadable:
                out.append(finding("GR001", model, assignment, "parameters",
                                   f"cannot prove the {guardrail.name} effect is {want}: {unreadable}", hint))
            elif (effect or guardrail.effect) != want:
                shown = effect if effect else f"not set (the definition's default, {guardrail.effect})"
                out.append(finding("GR001", model, assignment, "parameters",
                                   f"{guardrail.name} effect is {shown}; must be {want} in {model.env}", hint))
            enforce = assignment.get("enforce")
            if enforce is not None and enforce is not True:
                out.append(finding("GR001", model, assignment, "enforce",
                                   f"enforce is {describe(enforce)}: the assignment would not enforce its effect",
                                   "set enforce = true (or leave it out)"))
    return out
