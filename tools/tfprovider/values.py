"""Terraform values on the wire (cty's msgpack encoding), as plain Python.

null is None, an unknown is `UNKNOWN` (msgpack extension 0) and stays an opaque ExtType when Terraform sends a
refined unknown (extension 12), so it goes back exactly as it came. Objects and maps are dicts, lists and sets
are lists. Values of dynamic type arrive as Terraform wrote them and are passed through untouched.
"""
from __future__ import annotations

import msgpack

# cty writes an unknown as fixext1, type 0, one zero byte; refined unknowns (type 12) carry a payload.
UNKNOWN = msgpack.ExtType(0, b"\x00")
_UNKNOWN_CODES = (0, 12)


def is_unknown(value) -> bool:
    return isinstance(value, msgpack.ExtType) and value.code in _UNKNOWN_CODES


def decode(dynamic_value) -> object:
    """The value of a tfplugin5.DynamicValue (msgpack; Terraform never sends the json form to providers)."""
    if not dynamic_value.msgpack:
        return None
    return msgpack.unpackb(dynamic_value.msgpack, raw=False, strict_map_key=False)


def encode(value) -> bytes:
    return msgpack.packb(value, use_bin_type=True)
