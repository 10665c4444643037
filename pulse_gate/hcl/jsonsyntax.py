"""Terraform's JSON syntax (.tf.json, .tfvars.json) lowered into the same Body/Block/Attribute tree as a .tf file.

Terraform reads JSON through HCL's JSON mapping (hashicorp/hcl json/spec.md and Terraform's "JSON Configuration
Syntax" page):

- the root object's properties are top-level block types; each block label is one more level of object nesting
  (an array of objects at a label level is merged); the innermost object is the body, or an array of bodies for
  repeated blocks; `null` as a body is no block;
- in a body, a property is a nested block or an argument as the *schema* says; a `"//"` property is a comment;
- a string is a string template (`"${var.x}"` alone keeps x's type, `%{}` directives work) wherever Terraform
  evaluates an expression; where Terraform decodes the value without an evaluation context (variable defaults,
  backend settings, .tfvars.json) it is the literal text; where Terraform expects a reference or a type
  (depends_on, provider, providers, lifecycle.ignore_changes, moved/import/removed addresses, a variable's type)
  the string holds native expression syntax;
- object property names in an expression are templates too.

Telling a nested block from an argument of object type needs the provider schema. azurerm resources and data
sources use the compact schema in tools/schema/; for a type without a schema, an object (or array of objects)
property is lowered as an Unsupported node naming why: the gate cannot tell, so it fails closed rather than guess.
Lines are JSON lines: a block's is its body's "{" (where Terraform reports it), an argument's its property name.
"""
from __future__ import annotations

import functools
import json
import os
import re
from dataclasses import dataclass, field

import hcl2

from ..errors import InputError
from .syntax import (BOM, Attribute, Block, Body, Lit, Name, Node, ObjectExpr, Template, TupleExpr, Unsupported,
                     _kids, _Lowerer, _relocated, parse_template)

SCHEMA_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "tools", "schema", "azurerm-4.55.0.json")
HINT = "fix the JSON (terraform validate reports the same line)"

# how a string is read (see the module docstring)
TEMPLATE, LITERAL, EXPRESSION = "template", "literal", "expression"


# ---- JSON with lines ----------------------------------------------------------------------------------------------
@dataclass
class JValue:
    line: int
    value: object      # str | int | float | bool | None, a list of JValue, or for objects a list of JProperty
    kind: str          # "scalar" | "array" | "object"


@dataclass
class JProperty:
    name: str
    line: int
    value: JValue


_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?")
_WORDS = {"true": True, "false": False, "null": None}


class _JsonReader:
    """A JSON parser that keeps the line of every value and property name, and duplicate names in order (HCL
    gives each meaning: repeated blocks, or a duplicate-argument error)."""

    def __init__(self, text: str, file: str):
        self.text, self.file, self.pos = text, file, 0

    def fail(self, message: str, pos: int | None = None, line: int | None = None):
        line = line or self.text.count("\n", 0, self.pos if pos is None else pos) + 1
        raise InputError(f"malformed JSON: {message}", self.file, line, HINT)

    def line(self) -> int:
        return self.text.count("\n", 0, self.pos) + 1

    def blank(self):
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
            self.pos += 1

    def document(self) -> JValue:
        if self.text.startswith(BOM):
            self.fail("the file starts with a UTF-8 byte order mark, which Terraform rejects for JSON "
                      '("Invalid start of value"); save it without one')
        value = self.value()
        self.blank()
        if self.pos < len(self.text):
            self.fail("unexpected text after the end of the JSON value")
        return value

    def value(self) -> JValue:
        self.blank()
        if self.pos >= len(self.text):
            self.fail("the file ends where a value is expected")
        ch, line = self.text[self.pos], self.line()
        if ch == "{":
            return JValue(line, self.members(), "object")
        if ch == "[":
            return JValue(line, self.elements(), "array")
        if ch == '"':
            return JValue(line, self.string(), "scalar")
        number = _NUMBER.match(self.text, self.pos)
        if number:
            self.pos = number.end()
            literal = number.group(0)
            return JValue(line, float(literal) if number.group(1) or number.group(2) else int(literal), "scalar")
        for word, value in _WORDS.items():
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return JValue(line, value, "scalar")
        self.fail("expected a value: an object, an array, a string, a number, true, false or null")

    def string(self) -> str:
        try:
            value, self.pos = json.decoder.scanstring(self.text, self.pos + 1)
        except json.JSONDecodeError as exc:
            self.fail(f"invalid JSON string: {exc.msg[0].lower()}{exc.msg[1:]}", exc.pos)
        return value

    def members(self) -> list:
        return self.sequence("}", "object", self.member)

    def elements(self) -> list:
        return self.sequence("]", "array", self.value)

    def member(self) -> JProperty:
        if not self.text.startswith('"', self.pos):
            self.fail("expected a property name in double quotes")
        line = self.line()
        name = self.string()
        self.blank()
        if not self.text.startswith(":", self.pos):
            self.fail(f'expected ":" after the property name "{name}"')
        self.pos += 1
        return JProperty(name, line, self.value())

    def sequence(self, closer: str, what: str, item) -> list:
        """The items of an object or array, from its opening character to its closer."""
        opened = self.line()
        self.pos += 1
        out = []
        self.blank()
        if self.text.startswith(closer, self.pos):
            self.pos += 1
            return out
        while True:
            self.blank()
            if self.pos >= len(self.text):
                self.unclosed(what, closer, opened)
            out.append(item())
            self.blank()
            if self.text.startswith(",", self.pos):
                comma = self.pos
                self.pos += 1
                self.blank()
                if self.text.startswith(closer, self.pos):
                    self.fail(f"trailing comma in {what}: JSON allows no comma after the last item", comma)
            elif self.text.startswith(closer, self.pos):
                self.pos += 1
                return out
            elif self.pos >= len(self.text):
                self.unclosed(what, closer, opened)
            else:
                self.fail(f'expected "," or "{closer}" after this item of the {what}')

    def unclosed(self, what: str, closer: str, opened: int):
        # Terraform reports an unclosed object or array where it starts
        self.fail(f'unclosed {what}: no "{closer}" closes the one opened on line {opened}', line=opened)


# ---- what each body holds -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Spec:
    """What a block body holds: its nested block types (name -> (label count, Spec or labels -> Spec)), how each
    argument's strings are read, and what an object-valued property it does not list is: "attribute", "block"
    (a body of arguments), or "unknown" (no schema: the reason is given instead of a guess)."""
    blocks: dict = field(default_factory=dict)
    modes: dict = field(default_factory=dict)
    default: str = TEMPLATE
    objects: str = "attribute"
    reason: str = ""

    def with_blocks(self, **blocks) -> "Spec":
        return Spec({**self.blocks, **blocks}, self.modes, self.default, self.objects, self.reason)


ARGUMENTS = Spec()
LITERALS = Spec(default=LITERAL)
CONDITION = ARGUMENTS                       # precondition / postcondition / validation / assert
CONNECTION = ARGUMENTS
PROVISIONER = Spec({"connection": (0, CONNECTION)}, {"when": EXPRESSION, "on_failure": EXPRESSION})
LIFECYCLE = Spec({"precondition": (0, CONDITION), "postcondition": (0, CONDITION)},
                 {"create_before_destroy": LITERAL, "prevent_destroy": LITERAL, "ignore_changes": EXPRESSION,
                  "replace_triggered_by": EXPRESSION})
RESOURCE_META = {"count": TEMPLATE, "for_each": TEMPLATE, "depends_on": EXPRESSION, "provider": EXPRESSION}
# the built-in "terraform" provider's types, which have no nested blocks
BUILTIN_TYPES = {("resource", "terraform_data"), ("data", "terraform_remote_state")}
# azurerm's provider block: `features`, whose members are blocks of arguments (azurerm 4.55.0 provider schema)
AZURERM_PROVIDER = Spec({"features": (0, Spec(objects="block"))})


@functools.lru_cache(maxsize=1)
def _azurerm_schema() -> dict:
    try:
        with open(SCHEMA_PATH, encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return {}


def _schema_spec(node: dict) -> Spec:
    """A Spec from one compact-schema node: its nested blocks (each may also be written as `dynamic`)."""
    blocks = {name: (0, _schema_spec(child)) for name, child in node.get("blocks", {}).items()}
    spec = Spec(blocks)
    return spec.with_blocks(dynamic=(1, functools.partial(_dynamic_spec, spec)))


def _unknown_spec(reason: str) -> Spec:
    spec = Spec(objects="unknown", reason=reason)
    return spec.with_blocks(dynamic=(1, functools.partial(_dynamic_spec, spec)))


def _dynamic_spec(parent: Spec, labels: tuple) -> Spec:
    target = parent.blocks.get(labels[0]) if labels else None
    content = target[1] if target is not None and isinstance(target[1], Spec) else _unknown_spec(
        parent.reason or f'"{labels[0] if labels else "?"}" is not a nested block the schema knows')
    return Spec({"content": (0, content)}, {"iterator": EXPRESSION})


@functools.lru_cache(maxsize=None)
def resource_spec(kind: str, rtype: str) -> Spec:
    """The body of a resource, data source or ephemeral resource of type rtype (azurerm ephemeral resources are
    not in the compact schema)."""
    schema = _azurerm_schema()
    table = {"resource": "resources", "data": "data_sources"}.get(kind, "")
    if (kind, rtype) in BUILTIN_TYPES:
        spec = ARGUMENTS
    elif rtype in schema.get(table, {}):
        spec = _schema_spec(schema[table][rtype])
    elif rtype in schema.get("all_types", {}).get(table, ()):
        spec = _unknown_spec(f"{rtype} is not in the compact azurerm schema (tools/schema/), so the gate cannot "
                             "tell a nested block from an object argument; regenerate the schema with this type")
    else:
        spec = _unknown_spec(f"the gate has no schema for {rtype}, so it cannot tell a nested block from an "
                             "object argument")
    spec = Spec(spec.blocks, {**spec.modes, **RESOURCE_META}, spec.default, spec.objects, spec.reason)
    meta = {"lifecycle": (0, LIFECYCLE)}
    if kind == "resource":
        meta.update(provisioner=(1, PROVISIONER), connection=(0, CONNECTION))
    return spec.with_blocks(**meta)


def provider_spec(labels: tuple) -> Spec:
    if labels and labels[0] == "azurerm":
        return AZURERM_PROVIDER
    name = labels[0] if labels else "?"
    return _unknown_spec(f'the gate has no schema for provider "{name}", so it cannot tell a nested block from an '
                         "object argument")


TERRAFORM = Spec({"required_providers": (0, LITERALS), "backend": (1, LITERALS), "provider_meta": (1, LITERALS),
                  "cloud": (0, Spec({"workspaces": (0, LITERALS)}, default=LITERAL))},
                 {"experiments": EXPRESSION}, default=LITERAL)
VARIABLE = Spec({"validation": (0, CONDITION)},
                {"type": EXPRESSION, "default": LITERAL, "description": LITERAL, "sensitive": LITERAL,
                 "nullable": LITERAL, "ephemeral": LITERAL})
OUTPUT = Spec({"precondition": (0, CONDITION)},
              {"description": LITERAL, "sensitive": LITERAL, "ephemeral": LITERAL, "depends_on": EXPRESSION})
MODULE = Spec(modes={"source": LITERAL, "version": LITERAL, "providers": EXPRESSION, "depends_on": EXPRESSION})
ROOT = Spec({
    "terraform": (0, TERRAFORM),
    "provider": (1, provider_spec),
    "variable": (1, VARIABLE),
    "output": (1, OUTPUT),
    "locals": (0, ARGUMENTS),
    "module": (1, MODULE),
    "resource": (2, lambda labels: resource_spec("resource", labels[0])),
    "data": (2, lambda labels: resource_spec("data", labels[0])),
    "ephemeral": (2, lambda labels: resource_spec("ephemeral", labels[0])),
    "check": (1, Spec({"data": (2, lambda labels: resource_spec("data", labels[0])), "assert": (0, CONDITION)})),
    "import": (0, Spec(modes={"to": EXPRESSION, "provider": EXPRESSION})),
    "moved": (0, Spec(modes={"from": EXPRESSION, "to": EXPRESSION})),
    "removed": (0, Spec({"lifecycle": (0, Spec(default=LITERAL)), "provisioner": (1, PROVISIONER),
                         "connection": (0, CONNECTION)}, {"from": EXPRESSION})),
})


# ---- lowering -----------------------------------------------------------------------------------------------------
class _JsonLowerer:
    def __init__(self, file: str):
        self.file = file

    def fail(self, message: str, line: int, hint: str = HINT):
        raise InputError(message, self.file, line, hint)

    def properties(self, value: JValue, what: str) -> list:
        """The properties of an object, or of an array of objects merged (HCL's collectDeepAttrs)."""
        if value.kind == "object":
            return value.value
        if value.kind == "array":
            out = []
            for item in value.value:
                if item.kind != "object":
                    self.fail(f"a JSON object is required here, {what}", item.line)
                out.extend(item.value)
            return out
        if value.value is None:
            return []
        self.fail(f"a JSON object is required here, {what}", value.line)

    def body(self, value: JValue, spec: Spec, what: str) -> Body:
        out = Body()
        for prop in self.properties(value, f"holding the arguments and blocks of {what}"):
            if prop.name == "//":
                continue    # a comment, in any object that is a body
            nested = spec.blocks.get(prop.name)
            if nested is None and spec.objects == "block" and self._objects(prop.value):
                nested = (0, ARGUMENTS)
            if nested is not None:
                labels, child = nested
                self.blocks(prop.name, prop.value, labels, (), child, out.blocks)
                continue
            if prop.name in out.attributes:
                self.fail(f'argument "{prop.name}" is set twice (first on line {out.attributes[prop.name].line})',
                          prop.line, "remove one of them")
            if spec.objects == "unknown" and self._objects(prop.value):
                expr = Unsupported(prop.line, f'JSON property "{prop.name}" ({spec.reason})')
            else:
                expr = self.expr(prop.value, spec.modes.get(prop.name, spec.default))
            out.attributes[prop.name] = Attribute(prop.name, expr, prop.line)
        return out

    @staticmethod
    def _objects(value: JValue) -> bool:
        """An object, or a non-empty array of objects: a nested block or an object argument."""
        if value.kind == "object":
            return True
        return value.kind == "array" and bool(value.value) and all(v.kind == "object" for v in value.value)

    def blocks(self, kind: str, value: JValue, labels_left: int, labels: tuple, spec, out: list):
        """HCL's unpackBlock: one object level per label, then one body or an array of bodies."""
        if labels_left:
            props = self.properties(value, f'whose property names are the labels of the "{kind}" block')
            if not props:
                self.fail(f'missing block label: "{kind}" needs an object whose property names are its labels',
                          value.line)
            for prop in props:
                self.blocks(kind, prop.value, labels_left - 1, labels + (prop.name,), spec, out)
            return
        body_spec = spec if isinstance(spec, Spec) else spec(labels)
        what = " ".join((kind,) + tuple(f'"{label}"' for label in labels))
        if value.kind == "object":
            bodies = [value]
        elif value.kind == "array":
            bodies = value.value
        elif value.value is None:
            return
        else:
            bodies = [value]
        for item in bodies:
            if item.kind != "object":
                self.fail(f"a JSON object (or an array of objects) is required here: the body of {what}", item.line)
            out.append(Block(kind, labels, self.body(item, body_spec, what), item.line, self.file))

    def expr(self, value: JValue, mode: str) -> Node:
        if value.kind == "array":
            return TupleExpr(value.line, tuple(self.expr(v, mode) for v in value.value))
        if value.kind == "object":
            return ObjectExpr(value.line, tuple((self.key(p, mode), self.expr(p.value, mode)) for p in value.value))
        if not isinstance(value.value, str):
            return Lit(value.line, value.value)
        return self.string(value.value, value.line, mode)

    def key(self, prop: JProperty, mode: str) -> Node:
        if mode == LITERAL:
            return Lit(prop.line, prop.name)
        node = self.string(prop.name, prop.line, mode)
        return Lit(node.line, node.name) if isinstance(node, Name) else node   # a bare name key, as in .tf

    def string(self, text: str, line: int, mode: str) -> Node:
        if mode == LITERAL:
            return Template(line, (text,) if text else ())
        if mode == EXPRESSION:
            return self.native(text, line)
        node = parse_template(text, line)
        if node is None:
            self.fail(f"invalid template in a JSON string: {_excerpt(text)}", line,
                      "fix the ${...} or %{...} sequence (terraform validate reports the same line)")
        return node

    def native(self, text: str, line: int) -> Node:
        """A string that holds native syntax: a reference, an address, a keyword or a type."""
        try:
            tree = hcl2.parses(f"x = {text}\n")
            attrs = _kids(tree.body)
        except Exception:  # noqa: BLE001 - any parser failure is the same input error
            attrs = []
        if len(attrs) != 1:
            self.fail(f"{_excerpt(text)} is not a valid reference or expression here", line,
                      'write a reference such as "azurerm_storage_account.main" (no "${ }" around it)')
        return _relocated(_Lowerer(self.file).expr(attrs[0].expression), line)


def _excerpt(text: str) -> str:
    return json.dumps(text if len(text) <= 60 else text[:57] + "...")


def parse_json(text: str, file: str) -> Body:
    """A .tf.json file as the Body its .tf equivalent would give."""
    root = _JsonReader(text, file).document()
    if root.kind != "object" and not (root.kind == "array" and all(v.kind == "object" for v in root.value)):
        raise InputError("malformed JSON: the root value must be an object", file, root.line, HINT)
    lowerer = _JsonLowerer(file)
    out = Body()
    for prop in lowerer.properties(root, "holding the top-level blocks"):
        if prop.name == "//":
            continue
        nested = ROOT.blocks.get(prop.name)
        if nested is None:
            raise InputError(f'unsupported block type "{prop.name}": the properties of the root object are block '
                             f"types ({', '.join(sorted(ROOT.blocks))})", file, prop.line, HINT)
        lowerer.blocks(prop.name, prop.value, nested[0], (), nested[1], out.blocks)
    return out


def parse_json_values(text: str, file: str) -> list[tuple[str, Node, int]]:
    """A .tfvars.json file: Terraform reads each value as literal JSON (no templates); "//" is a comment."""
    root = _JsonReader(text, file).document()
    if root.kind != "object":
        raise InputError("malformed JSON: the root value must be an object", file, root.line, HINT)
    lowerer = _JsonLowerer(file)
    out, seen = [], {}
    for prop in root.value:
        if prop.name == "//":
            continue
        if prop.name in seen:
            raise InputError(f'"{prop.name}" is set twice (first on line {seen[prop.name]})', file, prop.line,
                             "remove one of them")
        seen[prop.name] = prop.line
        out.append((prop.name, lowerer.expr(prop.value, LITERAL), prop.line))
    return out
