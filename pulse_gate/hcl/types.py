"""Converts a variable's value to its declared type, as Terraform does before a module sees it.

What matters to the gate: object attributes declared `optional(T, default)` get their default, strings become
bools/numbers where the type says so, and extra object attributes are dropped.
"""
from __future__ import annotations

from ..values import Ref, Unknown
from .functions_base import type_name
from .nodes import Call, GetAttr, Lit, Name, ObjectExpr, Template, Node


class TypeMismatch(Exception):
    pass


def _key(node: Node) -> str | None:
    if isinstance(node, Lit) and isinstance(node.value, str):
        return node.value
    if isinstance(node, Template) and len(node.parts) == 1 and isinstance(node.parts[0], str):
        return node.parts[0]
    if isinstance(node, Name):
        return node.name
    return None


def convert(value, type_node: Node | None, evaluate_default):
    """Convert value to the type written as type_node. evaluate_default(node) evaluates an optional() default."""
    if type_node is None or isinstance(value, (Ref, Unknown)) or value is None:
        return value
    if isinstance(type_node, Name):
        return _primitive(value, type_node.name)
    if isinstance(type_node, Call):
        kind, args = type_node.name, type_node.args
        if kind in ("list", "set") and args:
            if not isinstance(value, list):
                raise TypeMismatch(f"expected a {kind}, got {type_name(value)}")
            items = [convert(v, args[0], evaluate_default) for v in value]
            if kind == "set" and all(isinstance(v, str) for v in items):
                return sorted(set(items))   # a set of strings: no duplicates, in Terraform's (lexical) order
            return items
        if kind == "map" and args:
            if not isinstance(value, dict):
                raise TypeMismatch(f"expected a map, got {type_name(value)}")
            return {k: convert(v, args[0], evaluate_default) for k, v in value.items()}
        if kind == "object" and args and isinstance(args[0], ObjectExpr):
            return _object(value, args[0], evaluate_default)
        if kind == "tuple" and args:
            elems = getattr(args[0], "items", ())
            if not isinstance(value, list):
                raise TypeMismatch("expected a tuple")
            return [convert(v, t, evaluate_default) for v, t in zip(value, elems)]
        if kind == "optional" and args:
            return convert(value, args[0], evaluate_default)
    return value


def _object(value, spec: ObjectExpr, evaluate_default):
    if not isinstance(value, dict):
        raise TypeMismatch(f"expected an object, got {type_name(value)}")
    out = {}
    for key_node, attr_type in spec.items:
        name = _key(key_node)
        if name is None:
            continue
        optional = isinstance(attr_type, Call) and attr_type.name == "optional"
        if name in value and value[name] is not None:
            out[name] = convert(value[name], attr_type, evaluate_default)
        elif name not in value and hasattr(value, "ref"):   # a resource passed whole: computed, known after apply
            out[name] = value.ref(name)
        elif optional:
            default = evaluate_default(attr_type.args[1]) if len(attr_type.args) > 1 else None
            out[name] = convert(default, attr_type.args[0], evaluate_default)
        elif name in value:
            out[name] = None
        else:
            raise TypeMismatch(f'attribute "{name}" is required')
    return out


def _primitive(value, name: str):
    if name == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(value)
        if not isinstance(value, str):
            raise TypeMismatch(f"expected a string, got {type_name(value)}")
        return value
    if name == "bool":
        if isinstance(value, str) and value in ("true", "false"):
            return value == "true"
        if not isinstance(value, bool):
            raise TypeMismatch(f"expected a bool, got {value!r}")
        return value
    if name == "number":
        if isinstance(value, bool):
            raise TypeMismatch("expected a number, got a bool")
        if isinstance(value, str):
            try:
                f = float(value)
            except ValueError:
                raise TypeMismatch(f"expected a number, got {value!r}") from None
            return int(f) if f.is_integer() else f
        return value
    return value  # any


__all__ = ["convert", "TypeMismatch", "GetAttr"]
