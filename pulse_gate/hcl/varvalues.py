"""Root variable values, from every source Terraform reads, in Terraform's order of precedence.

Lowest to highest (docs/loading-rules.md): the variable's default, `TF_VAR_<name>` environment variables,
`terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars` and `*.auto.tfvars.json` in lexical order of their
names, then each `-var-file` in the order given. A later source replaces an earlier one whole.
"""
from __future__ import annotations

import json
import os
from typing import Iterable, Mapping

from ..errors import InputError
from ..model import VarAssignment
from . import syntax as S
from .evaluator import EvalError, Evaluator, Scope
from .functions import FunctionError

ENV_PREFIX = "TF_VAR_"
# Types whose TF_VAR_ value Terraform takes literally as a string (and then converts); any other type constraint
# makes it parse the value as an HCL expression (configs/named_values.go, decodeVariableType).
_LITERAL_TYPES = ("string", "number", "bool", "any")


class Constants(Evaluator):
    """Evaluates var files and backend config files, where Terraform allows only constant expressions."""

    def _e_Name(self, node, scope):
        if node.name in scope.names:
            return scope.names[node.name]
        raise InputError(f'"{node.name}" is not allowed here: only constant values', self.current_file, node.line,
                         "write the value itself")


def constant(expr: S.Node, display: str, name: str, line: int | None):
    ev = Constants(None)
    ev.current_file = display
    try:
        return ev.eval(expr, Scope(None))
    except (EvalError, FunctionError) as exc:
        raise InputError(f'invalid value for "{name}": {exc}', display, line) from None


def hcl_constants(path: str, display: str) -> list[tuple[str, object, int]]:
    """name = value lines of an HCL values file (.tfvars, backend .hcl)."""
    body = S.parse_file(path, display)
    for block in body.blocks:
        raise InputError(f'unexpected block "{block.type}" in a values file', display, block.line,
                         "a tfvars or backend file holds only name = value lines")
    return [(name, constant(attr.expr, display, name, attr.line), attr.line) for name, attr in body.attributes.items()]


def json_constants(path: str, display: str) -> list[tuple[str, object, int]]:
    """The properties of a .tfvars.json object. Terraform reads its values as literal JSON: "${...}" in a string
    is text, not a template (HCL's JSON syntax evaluated without a context)."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
        data = json.loads(text)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", display) from None
    except UnicodeDecodeError:
        raise InputError("cannot read file: not UTF-8 text", display) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg}", display, exc.lineno, "fix the JSON syntax") from None
    if not isinstance(data, dict):
        raise InputError("a .tfvars.json file must hold one JSON object", display, 1,
                         'write {"name": value, ...}')
    lines = _top_level_key_lines(text)
    return [(name, value, lines.get(name, 1)) for name, value in data.items()]


def _top_level_key_lines(text: str) -> dict[str, int]:
    """The line of each property name of the outermost JSON object (the json module keeps no positions)."""
    lines, depth, line, i, expect_key = {}, 0, 1, 0, False
    while i < len(text):
        c = text[i]
        if c == "\n":
            line += 1
        elif c in "{[":
            depth += 1
            expect_key = depth == 1 and c == "{"
        elif c in "}]":
            depth -= 1
        elif c == "," and depth == 1:
            expect_key = True
        elif c == '"':
            start, i = i, i + 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
            if depth == 1 and expect_key:
                key = json.loads(text[start:i + 1])
                lines.setdefault(key, line)
                expect_key = False
        i += 1
    return lines


def read_var_file(path: str, display: str) -> list[tuple[str, object, int]]:
    if not os.path.isfile(path):
        raise InputError("variables file not found", display, hint="check the --var-file path")
    if path.endswith(".json"):
        return json_constants(path, display)
    return hcl_constants(path, display)


def auto_var_files(root: str) -> list[str]:
    """The var files Terraform loads from the working directory without being asked, in precedence order."""
    names = sorted(os.listdir(root))
    fixed = [n for n in ("terraform.tfvars", "terraform.tfvars.json") if n in names]
    auto = [n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json"))]
    return [os.path.join(root, n) for n in fixed + auto if os.path.isfile(os.path.join(root, n))]


def environment_values(variables: Mapping[str, S.Block], environ: Mapping[str, str]) -> list[VarAssignment]:
    """TF_VAR_<name> values for declared root variables. Terraform ignores TF_VAR_ names no variable declares."""
    out = []
    for key in sorted(environ):
        name = key[len(ENV_PREFIX):]
        if not key.startswith(ENV_PREFIX) or name not in variables:
            continue
        display = f"{key} (environment)"
        raw = environ[key]
        if _literal(variables[name]):
            value = raw
        else:
            body = S.parse_text(f"v = {raw}\n", display)
            value = constant(body.attributes["v"].expr, display, name, None)
        out.append(VarAssignment(name, value, display, 0))
    return out


def _literal(block: S.Block) -> bool:
    type_attr = block.body.attributes.get("type")
    return type_attr is None or (isinstance(type_attr.expr, S.Name) and type_attr.expr.name in _LITERAL_TYPES)


def assignments(files: Iterable[str], rel, declared: Mapping[str, S.Block], declared_in: str) -> list[VarAssignment]:
    """The name = value lines of var files, in the order given; a name no root variable declares is an input error
    (Terraform only warns, but a mistyped name would silently drop a security setting)."""
    out = []
    for path in files:
        display = rel(path)
        for name, value, line in read_var_file(path, display):
            if name not in declared:
                raise InputError(f'"{name}" is set here but no variable "{name}" is declared', display, line,
                                 f"declare it in {declared_in} or remove the line")
            out.append(VarAssignment(name, value, display, line))
    return out
