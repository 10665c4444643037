"""Root variable values, from every source Terraform reads, in Terraform's order of precedence.

Lowest to highest (docs/loading-rules.md): the variable's default, `TF_VAR_<name>` environment variables,
`terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars` and `*.auto.tfvars.json` in lexical order of their
names, then each `-var-file` in the order given. A later source replaces an earlier one whole.
"""
from __future__ import annotations

import os
from typing import Iterable, Mapping

from ..errors import InputError
from ..model import VarAssignment
from . import cache
from . import nodes as S
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


def read_var_file(path: str, display: str) -> list[tuple[str, object, int]]:
    """name = value lines of a values file (.tfvars, .tfvars.json, a backend .hcl). Terraform reads only constants
    there, and a .tfvars.json value as literal JSON: "${...}" in it is text, not a template."""
    if not os.path.isfile(path):
        raise InputError("variables file not found", display, hint="check the --var-file path")
    return [(name, constant(expr, display, name, line), line)
            for name, expr, line in cache.parse_values_file(path, display)]


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
            from .syntax import parse_text   # python-hcl2 only when a TF_VAR_ value has to be parsed
            body = parse_text(f"v = {raw}\n", display)
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
