"""The azurerm 4.55 schema as the gate and tools/schema/validate.py both read it: which resource types and arguments
azurerm 4.x knows, and the 4.x name of a 3.x one.

Data, kept in one place: tools/schema/azurerm-4.55.0.json (the compact schema, see tools/schema/README.md) and
tools/schema/renamed.toml (3.x -> 4.x names). Standard library only, so validate.py can import it without the rest
of the gate's dependencies.
"""
from __future__ import annotations

import difflib
import json
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "tools" / "schema"
SCHEMA_PATH = SCHEMA_DIR / "azurerm-4.55.0.json"
RENAMED_PATH = SCHEMA_DIR / "renamed.toml"
NOUNS = {"resources": "resource type", "data_sources": "data source"}
REVERSE_SIMILARITY = 0.6


def load_renamed(path: Path = RENAMED_PATH) -> dict:
    """{"arguments": {3.x name: 4.x name}, "resource_types": {3.x type: [4.x types]}}."""
    with open(path, "rb") as handle:
        return tomllib.load(handle)


@dataclass(frozen=True)
class Schema:
    doc: dict        # the compact schema: source, all_types, resources, data_sources
    renamed: dict    # load_renamed()

    @property
    def version(self) -> str:
        return self.doc["source"]["provider_version"]

    def node(self, kind: str, rtype: str) -> dict | None:
        """The {"attrs", "blocks"} node of a type, or None when the compact schema does not hold it."""
        return self.doc[kind].get(rtype)

    def replacements(self, kind: str, rtype: str) -> list[str]:
        """The 4.x types that replace a 3.x one. A 3.x data source that still exists configures nothing, so it
        keeps its name."""
        if kind != "resources" and rtype in self.doc["all_types"][kind]:
            return []
        return [t for t in self.renamed["resource_types"].get(rtype, ()) if t in self.doc["all_types"][kind]]

    def uncovered(self, kind: str, rtype: str) -> bool:
        """A current azurerm 4.55 type whose arguments the compact schema does not hold (regenerate to check them)."""
        return (rtype in self.doc["all_types"][kind] and rtype not in self.doc[kind]
                and not self.replacements(kind, rtype))

    def type_problem(self, kind: str, rtype: str) -> str | None:
        """Why a resource type ("resources") or data source ("data_sources") cannot be read as azurerm 4.x, or None.

        A 3.x type azurerm 4.55 still accepts (deprecated, e.g. azurerm_function_app) is a problem too: the rules
        read only its 4.x replacement, so it would pass unchecked."""
        noun = NOUNS[kind]
        known = rtype in self.doc["all_types"][kind]
        replacements = self.replacements(kind, rtype)
        if replacements:
            use = " or ".join(replacements)
            if known:
                return f"{rtype} is a 3.x {noun} that azurerm 4.x deprecates and no rule reads: use {use}"
            return f"azurerm {self.version} has no {noun} {rtype} (removed in 4.0): use {use}"
        if not known:
            close = difflib.get_close_matches(rtype, self.doc["all_types"][kind], n=1, cutoff=0.8)
            suggestion = f' (did you mean "{close[0]}"?)' if close else ""
            return f"azurerm {self.version} has no {noun} {rtype}{suggestion}"
        if self.uncovered(kind, rtype):
            return f"{noun} {rtype} is not in the compact schema: regenerate it with tools/schema/generate.py"
        return None

    def replacement_name(self, name: str, node: dict) -> str | None:
        """The name this resource or block uses for what `name` means elsewhere: the 4.x name of a 3.x one, or the
        other 4.x spelling of the same switch (local_auth_enabled on a cognitive account is
        local_authentication_enabled on azurerm_ai_services)."""
        members = {**node["attrs"], **node["blocks"]}
        forward = self.renamed["arguments"].get(name)
        if forward in members:
            return forward
        # Read backwards only between spellings of one name (not sku_name for service_plan_id).
        return next((old for old, new in self.renamed["arguments"].items()
                     if new == name and old in members
                     and difflib.SequenceMatcher(None, old, name).ratio() >= REVERSE_SIMILARITY), None)

    def argument_hint(self, name: str, node: dict) -> str:
        """The name this node uses instead, else a close spelling, else ""."""
        replacement = self.replacement_name(name, node)
        if replacement:
            return f' (azurerm 4.x uses "{replacement}" instead)'
        close = difflib.get_close_matches(name, sorted({**node["attrs"], **node["blocks"]}), n=1, cutoff=0.8)
        return f' (did you mean "{close[0]}"?)' if close else ""


@lru_cache(maxsize=None)
def load(path: Path = SCHEMA_PATH, renamed_path: Path = RENAMED_PATH) -> Schema:
    with open(path, encoding="utf-8") as handle:
        return Schema(json.load(handle), load_renamed(renamed_path))
