"""Values the evaluator produces: plain Python values, symbolic references, and unknowns with a reason.

- Known: str, int, float, bool, None, list, dict.
- Ref: a value Terraform learns only at apply time whose origin is certain (a resource's computed attribute).
- Unknown: anything else the gate cannot determine; it carries why, so a rule can fail closed with that reason.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Ref:
    address: str   # full resource address, e.g. module.app.azurerm_linux_web_app.ui
    path: str      # attribute path, e.g. identity[0].principal_id

    def attr(self, name: str) -> "Ref":
        return Ref(self.address, f"{self.path}.{name}" if self.path else name)

    def index(self, key) -> "Ref":
        return Ref(self.address, f"{self.path}[{key!r}]" if isinstance(key, str) else f"{self.path}[{key}]")

    def __str__(self) -> str:
        return f"{self.address}.{self.path}" if self.path else self.address


@dataclass(frozen=True, slots=True)
class Unknown:
    reason: str
    # For a string template with unknown parts: the literal text with each unknown part as ${...}, and the
    # references it contained, so credential rules can still read "AccountKey=${...primary_access_key}".
    text: str | None = None
    refs: tuple = ()

    def __str__(self) -> str:
        return f"(unknown: {self.reason})"


def is_known(value) -> bool:
    """True when the value, and everything inside it, is a plain value."""
    if isinstance(value, (Ref, Unknown)):
        return False
    if isinstance(value, list):
        return all(is_known(v) for v in value)
    if isinstance(value, dict):
        return all(is_known(v) for v in value.values())
    return True


def first_unknown(value):
    """The first Ref or Unknown inside a value (for messages), else None."""
    if isinstance(value, (Ref, Unknown)):
        return value
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for v in items:
        found = first_unknown(v)
        if found is not None:
            return found
    return None


def describe(value) -> str:
    """A short human form of a value for findings."""
    if isinstance(value, Unknown):
        return f"unknown ({value.reason})"
    if isinstance(value, Ref):
        return f"known after apply ({value})"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)
