"""The azurerm 4.55.0 schema the stand-in serves: `terraform providers schema -json` of the real provider,
kept in ../shared/tools (never copied into this repository)."""
from __future__ import annotations

import gzip
import json
import os

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA_NAME = "azurerm-4.55.0-full.json.gz"
DEFAULT_SCHEMA = os.path.join(os.path.dirname(REPO), "shared", "tools", SCHEMA_NAME)
PROVIDER_ADDRESS = "registry.terraform.io/hashicorp/azurerm"
PROVIDER_VERSION = "4.55.0"
# Overrides the schema location (e.g. a worktree whose ../shared is elsewhere).
SCHEMA_ENV = "PULSE_AZURERM_SCHEMA"


def schema_path() -> str:
    return os.environ.get(SCHEMA_ENV) or DEFAULT_SCHEMA


def missing_reason() -> str | None:
    path = schema_path()
    if os.path.isfile(path):
        return None
    return f"the azurerm schema {path} is missing (it lives in ../shared/tools beside the repository)"


def load(path: str | None = None) -> dict:
    """The provider's entry of the schema document: provider, resource_schemas, data_source_schemas."""
    with gzip.open(path or schema_path(), "rt", encoding="utf-8") as f:
        document = json.load(f)
    return document["provider_schemas"][PROVIDER_ADDRESS]


_NESTING = {"single": 1, "list": 2, "set": 3, "map": 4, "group": 5}


def to_proto(pb2, entry: dict):
    """GetProviderSchema.Response for the schema entry (tfplugin5 messages from the generated pb2 module)."""
    response = pb2.GetProviderSchema.Response()
    # The schema never changes within a Terraform run: Terraform may reuse the first answer for every later
    # provider process of the same command instead of asking (and decoding 1 MB) again.
    response.server_capabilities.get_provider_schema_optional = True
    response.provider.CopyFrom(_schema(pb2, entry["provider"]))
    for name, schema in entry.get("resource_schemas", {}).items():
        response.resource_schemas[name].CopyFrom(_schema(pb2, schema))
    for name, schema in entry.get("data_source_schemas", {}).items():
        response.data_source_schemas[name].CopyFrom(_schema(pb2, schema))
    return response


def _schema(pb2, schema: dict):
    out = pb2.Schema(version=schema.get("version", 0))
    _block(pb2, schema["block"], out.block)
    return out


def _block(pb2, block: dict, out) -> None:
    out.deprecated = bool(block.get("deprecated"))
    for name, attr in sorted(block.get("attributes", {}).items()):
        out.attributes.add(
            name=name, type=json.dumps(attr["type"], separators=(",", ":")).encode(),
            required=bool(attr.get("required")), optional=bool(attr.get("optional")),
            computed=bool(attr.get("computed")), sensitive=bool(attr.get("sensitive")),
            deprecated=bool(attr.get("deprecated")), write_only=bool(attr.get("write_only")))
    for name, nested in sorted(block.get("block_types", {}).items()):
        item = out.block_types.add(type_name=name, nesting=_NESTING[nested["nesting_mode"]],
                                   min_items=nested.get("min_items", 0), max_items=nested.get("max_items", 0))
        _block(pb2, nested["block"], item.block)


def elements(nested: dict, value) -> list:
    """The objects of a nested block value, whatever its nesting mode (an unknown or null block has none)."""
    if value is None or not isinstance(value, (dict, list)):
        return []
    mode = nested["nesting_mode"]
    if mode in ("single", "group"):
        return [value]
    if mode == "map":
        return list(value.values())
    return list(value)
