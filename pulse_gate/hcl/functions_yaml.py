"""yamldecode as Terraform reads YAML (go-cty-yaml), checked against `terraform console` (Terraform 1.11).

PyYAML parses; the scalars are resolved here with Terraform's rules, which are neither YAML 1.1's nor 1.2's:
yes/no/on/off are bools, 010 is ten, 0o17 is octal but -0o17 and 0b11 are strings, a date becomes an RFC 3339
timestamp, an unknown tag is an error.
"""
from __future__ import annotations

import re

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from ..values import Unknown
from .functions_base import FunctionError, _str, _strfn, _tidy

TAG = "tag:yaml.org,2002:"
PLAIN = "?plain"   # a plain scalar: resolved by Terraform's rules below, not PyYAML's


class _Loader(yaml.SafeLoader):
    def resolve(self, kind, value, implicit):
        if kind is ScalarNode and implicit[0]:
            return PLAIN
        return super().resolve(kind, value, implicit)


_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {**{w: True for w in "y Y yes Yes YES true True TRUE on On ON".split()},
          **{w: False for w in "n N no No NO false False FALSE off Off OFF".split()}}
_DECIMAL = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DATETIME = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{2}):(\d{2})(?:\.\d*)?(Z|[-+]\d{2}:\d{2})")


@_strfn
def yamldecode(text):
    try:
        node = yaml.compose(_str(text), Loader=_Loader)
    except yaml.YAMLError as exc:
        raise FunctionError(f"yamldecode: {_yaml_error(exc)}") from None
    if node is None:
        raise FunctionError("yamldecode: missing start of document")
    return _value(node)


def _yaml_error(exc) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    return f"on line {mark.line + 1}, column {mark.column + 1}: {problem}" if mark else problem


def _value(node):
    if isinstance(node, SequenceNode):
        return [_value(n) for n in node.value]
    if isinstance(node, MappingNode):
        return _mapping(node)
    return _scalar(node)


def _mapping(node: MappingNode) -> dict:
    out: dict = {}
    for key_node, value_node in node.value:
        if isinstance(key_node, ScalarNode) and key_node.tag in (PLAIN, TAG + "merge") and key_node.value == "<<":
            for merged in (value_node.value if isinstance(value_node, SequenceNode) else [value_node]):
                merged = _value(merged)
                if not isinstance(merged, dict):
                    raise FunctionError("yamldecode: a merge key (<<) needs a mapping or a list of mappings")
                for k, v in merged.items():
                    out.setdefault(k, v)   # keys written in the mapping itself win over merged ones
            continue
        key = _value(key_node)
        if key is None:
            raise FunctionError(f"yamldecode: on line {key_node.start_mark.line + 1}, column "
                                f"{key_node.start_mark.column + 1}: mapping key cannot be null")
        if isinstance(key, (list, dict, Unknown)):
            raise FunctionError("yamldecode: a mapping key must be a string, number or bool")
        out[_str(key)] = _value(value_node)
    return out


def _scalar(node: ScalarNode):
    text, tag = node.value, node.tag
    if tag == PLAIN:
        return _plain(text)
    kind = tag[len(TAG):] if tag.startswith(TAG) else None
    if kind in ("str", "binary"):
        return text
    if kind == "null":
        return None
    if kind == "bool":
        if text not in _BOOLS:
            raise FunctionError(f"yamldecode: cannot parse {text!r} as {tag}")
        return _BOOLS[text]
    if kind in ("int", "float"):
        value = _number(text)
        if value is None:
            raise FunctionError(f"yamldecode: cannot parse {text!r} as {tag}")
        return value
    if kind == "timestamp":
        value = _timestamp(text)
        if value is None:
            raise FunctionError(f"yamldecode: cannot parse {text!r} as {tag}")
        return value
    raise FunctionError(f'yamldecode: unsupported tag "{tag}"')


def _plain(text: str):
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    number = _number(text)
    if number is not None:
        return number
    stamp = _timestamp(text)
    return text if stamp is None else stamp


def _number(text: str):
    if _DECIMAL.fullmatch(text):
        return int(text, 10)
    for prefix, base in (("0x", 16), ("0o", 8)):
        if text.startswith(prefix) and len(text) > 2:
            try:
                value = int(text[2:], base)
            except ValueError:
                return None
            if value >= 1 << 64:
                raise FunctionError(f'yamldecode: cannot parse "{text}" as {TAG}int')
            return value
    if _FLOAT.fullmatch(text):
        return _tidy(float(text))
    if _INF.fullmatch(text):
        return Unknown("yamldecode(): an infinity, beyond the range of numbers the gate evaluates")
    if _NAN.fullmatch(text):
        raise FunctionError("yamldecode: floating point NaN is not supported")
    return None


def _timestamp(text: str):
    m = _DATE.fullmatch(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        return f"{y:04d}-{mo:02d}-{d:02d}T00:00:00Z"
    m = _DATETIME.fullmatch(text)
    if m:
        y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
        return f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}{m.group(7)}"   # the fraction dropped, as Go
    return None


__all__ = ["yamldecode"]
