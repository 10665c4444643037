"""Sensitive values of a plan (after_sensitive, before_sensitive, sensitive variables and outputs), so that nothing
the front-end prints can show one: every occurrence is replaced with "(sensitive)" as a last pass over the output.
"""
from __future__ import annotations

from .plandata import Plan, leaves, mark_at

MASK = "(sensitive)"
MIN_LEN = 6      # shorter values ("true", "LRS") cannot be told apart from ordinary text; renderers mask them at source


def collect(plan: Plan) -> set[str]:
    """Strings the plan marks sensitive and never shows unmarked elsewhere (a storage account name inside a sensitive
    app_settings map is also the account's plain name: masking it would hide nothing and garble the review)."""
    marked: set[str] = set()
    plain: set[str] = set()

    def add(value, marks):
        for tokens, leaf in leaves(value):
            if leaf is None or isinstance(leaf, bool):
                continue
            text = str(leaf)
            if marks is True or mark_at(marks, tokens):
                if len(text) >= MIN_LEN:
                    marked.add(text)
            else:
                plain.add(text)

    for inst in list(plan.instances.values()) + list(plan.deposed):
        add(inst.before, inst.before_sensitive)
        add(inst.after, inst.after_sensitive)
    for name, var in sorted((plan.doc.data.get("variables") or {}).items()):
        if isinstance(var, dict):
            add(var.get("value"), plan.root_variable_sensitive(name))
    for change in (plan.doc.data.get("output_changes") or {}).values():
        if isinstance(change, dict):
            add(change.get("before"), change.get("before_sensitive", False))
            add(change.get("after"), change.get("after_sensitive", False))
    for output in ((plan.doc.data.get("planned_values") or {}).get("outputs") or {}).values():
        if isinstance(output, dict):
            add(output.get("value"), output.get("sensitive") is True)
    return marked - plain


def redact(text: str, secrets: set[str]) -> str:
    for secret in sorted(secrets, key=lambda s: (-len(s), s)):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def redact_data(value, secrets: set[str]):
    """The same, over a JSON-able structure (before serialising it)."""
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, list):
        return [redact_data(v, secrets) for v in value]
    if isinstance(value, dict):
        return {k: redact_data(v, secrets) for k, v in value.items()}
    return value
