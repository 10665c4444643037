"""The gate's syntax tree: the expression nodes the evaluator walks and the file structure (bodies, blocks,
attributes) the loader merges.

Kept apart from the lowering (syntax.py, jsonsyntax.py) so that a run whose files all come from the parse cache
never imports python-hcl2 and lark: unpickling needs these classes only.
"""
from __future__ import annotations

from dataclasses import dataclass, field

BOM = "\ufeff"


# ---- expression nodes -------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Node:
    line: int


@dataclass(frozen=True, slots=True)
class Lit(Node):
    value: object


@dataclass(frozen=True, slots=True)
class Template(Node):
    parts: tuple  # str | Node | TemplateIf


@dataclass(frozen=True, slots=True)
class TemplateIf(Node):
    cond: Node
    then: Template
    other: Template


@dataclass(frozen=True, slots=True)
class TemplateFor(Node):
    key_var: str | None
    value_var: str
    collection: Node
    body: Template


@dataclass(frozen=True, slots=True)
class Name(Node):
    name: str


@dataclass(frozen=True, slots=True)
class GetAttr(Node):
    obj: Node
    name: str


@dataclass(frozen=True, slots=True)
class Index(Node):
    obj: Node
    key: Node


@dataclass(frozen=True, slots=True)
class Splat(Node):
    obj: Node
    steps: tuple  # of ("attr", name) | ("index", Node)


@dataclass(frozen=True, slots=True)
class Call(Node):
    name: str
    args: tuple
    expand_last: bool = False


@dataclass(frozen=True, slots=True)
class Cond(Node):
    cond: Node
    then: Node
    other: Node


@dataclass(frozen=True, slots=True)
class BinOp(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class UnOp(Node):
    op: str
    operand: Node


@dataclass(frozen=True, slots=True)
class TupleExpr(Node):
    items: tuple


@dataclass(frozen=True, slots=True)
class ObjectExpr(Node):
    items: tuple  # of (key Node, value Node); a bare identifier key is a Lit


@dataclass(frozen=True, slots=True)
class ForExpr(Node):
    key_var: str | None
    value_var: str
    collection: Node
    key: Node | None      # set for object for-expressions
    value: Node
    cond: Node | None
    group: bool = False


@dataclass(frozen=True, slots=True)
class Unsupported(Node):
    what: str


# ---- file structure ---------------------------------------------------------------------------------------------
@dataclass(slots=True)
class Attribute:
    name: str
    expr: Node
    line: int
    file: str = ""      # set when an override file wrote it: the enclosing block's file otherwise


@dataclass(slots=True)
class Block:
    type: str
    labels: tuple
    body: "Body"
    line: int
    file: str


@dataclass(slots=True)
class Body:
    attributes: dict = field(default_factory=dict)   # name -> Attribute
    blocks: list = field(default_factory=list)       # Block, in source order

    def blocks_of(self, kind: str) -> list:
        return [b for b in self.blocks if b.type == kind]
