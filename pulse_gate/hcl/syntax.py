"""Lowers python-hcl2's typed tree into a small expression AST the evaluator walks.

python-hcl2 8.x keeps every token, optional placeholder and comment; lowering once per file gives the evaluator
a compact tree to evaluate many times (once per environment) without re-walking that detail.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import hcl2
from hcl2.rules import base, containers, expressions, for_expressions, functions, indexing, literal_rules, strings
from hcl2.rules.abstract import LarkToken
from hcl2.rules.directives import TemplateElseRule, TemplateEndifRule, TemplateForRule, TemplateIfRule
from hcl2.rules.whitespace import NewLineOrCommentRule
from hcl2.utils import process_escape_sequences
from lark.exceptions import UnexpectedInput

from ..errors import InputError


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


_OPS = {
    "PLUS": "+", "MINUS": "-", "ASTERISK": "*", "SLASH": "/", "PERCENT": "%", "DOUBLE_EQ": "==", "NEQ": "!=",
    "LT": "<", "GT": ">", "LEQ": "<=", "GEQ": ">=", "DOUBLE_AMP": "&&", "DOUBLE_PIPE": "||", "NOT": "!",
}


def _kids(rule) -> list:
    return [c for c in rule.children if c is not None and not isinstance(c, (LarkToken, NewLineOrCommentRule))]


def _tokens(rule) -> list:
    return [c for c in rule.children if isinstance(c, LarkToken)]


def _line(rule) -> int:
    meta = getattr(rule, "_meta", None)
    return getattr(meta, "line", 0) or 0


def _ident(rule) -> str:
    return str(rule.serialize())


class _Lowerer:
    def __init__(self, file: str):
        self.file = file

    def expr(self, r) -> Node:
        line = _line(r)
        if isinstance(r, expressions.ExprTermRule):
            return self.expr(r.expression)
        if isinstance(r, literal_rules.IdentifierRule):
            return Name(line, _ident(r))
        if isinstance(r, literal_rules.LiteralValueRule):
            tok = _tokens(r)[0].value
            return Lit(line, {"true": True, "false": False, "null": None}[str(tok)])
        if isinstance(r, literal_rules.IntLitRule):
            return Lit(line, int(str(_tokens(r)[0].value)))
        if isinstance(r, literal_rules.FloatLitRule):
            return Lit(line, float(str(_tokens(r)[0].value)))
        if isinstance(r, strings.StringRule):
            return self.template([c for c in r.children if isinstance(c, strings.StringPartRule)], line)
        if isinstance(r, strings.HeredocTemplateRule):
            return self.heredoc(r, line)
        if isinstance(r, strings.TemplateStringRule):   # a "string" inside ${...} of a heredoc or template file
            return Lit(line, process_escape_sequences(r.inner_value))
        if isinstance(r, expressions.ConditionalRule):
            c, t, f = _kids(r)
            return Cond(line, self.expr(c), self.expr(t), self.expr(f))
        if isinstance(r, expressions.BinaryOpRule):
            left, term = _kids(r)[:2]
            op_rule, right = _kids(term)
            return BinOp(line, _OPS[_tokens(op_rule)[0].lark_name()], self.expr(left), self.expr(right))
        if isinstance(r, expressions.UnaryOpRule):
            return UnOp(line, _OPS[_tokens(r)[0].lark_name()], self.expr(_kids(r)[0]))
        if isinstance(r, indexing.GetAttrExprTermRule):
            obj, get = _kids(r)
            return GetAttr(line, self.expr(obj), _ident(_kids(get)[0]))
        if isinstance(r, indexing.IndexExprTermRule):
            obj, idx = _kids(r)
            return self.index(self.expr(obj), idx, line)
        if isinstance(r, (indexing.FullSplatExprTermRule, indexing.AttrSplatExprTermRule)):
            obj, splat = _kids(r)
            steps = []
            for step in _kids(splat):
                if isinstance(step, indexing.GetAttrRule):
                    steps.append(("attr", _ident(_kids(step)[0])))
                else:
                    steps.append(("index", self.index_key(step)))
            return Splat(line, self.expr(obj), tuple(steps))
        if isinstance(r, functions.FunctionCallRule):
            names = [_ident(i) for i in r.identifiers]
            args_rule = r.arguments
            args = tuple(self.expr(a) for a in _kids(args_rule)) if args_rule is not None else ()
            expand = args_rule is not None and any(t.lark_name() == "ELLIPSIS" for t in _tokens(args_rule))
            return Call(line, "::".join(names), args, expand)
        if isinstance(r, containers.TupleRule):
            return TupleExpr(line, tuple(self.expr(k) for k in _kids(r)))
        if isinstance(r, containers.ObjectRule):
            items = []
            for elem in _kids(r):
                key_rule, value_rule = _kids(elem)
                items.append((self.object_key(key_rule), self.expr(value_rule)))
            return ObjectExpr(line, tuple(items))
        if isinstance(r, (for_expressions.ForTupleExprRule, for_expressions.ForObjectExprRule)):
            return self.for_expr(r, line)
        return Unsupported(line, type(r).__name__)

    def index(self, obj: Node, idx, line: int) -> Node:
        return Index(line, obj, self.index_key(idx))

    def index_key(self, idx) -> Node:
        if isinstance(idx, indexing.ShortIndexRule):   # legacy `a.0`
            return Lit(_line(idx), int(str(_tokens(idx)[-1].value).lstrip(".")))
        return self.expr(_kids(idx)[0])

    def object_key(self, key_rule) -> Node:
        inner = _kids(key_rule)[0]
        if isinstance(key_rule, containers.ObjectElemKeyRule) and isinstance(inner, literal_rules.IdentifierRule):
            return Lit(_line(inner), _ident(inner))
        if isinstance(inner, (literal_rules.IntLitRule, literal_rules.FloatLitRule)):
            return Lit(_line(inner), str(_tokens(inner)[0].value))
        return self.expr(inner)

    def for_expr(self, r, line: int) -> Node:
        intro = r.for_intro if hasattr(r, "for_intro") else _kids(r)[0]
        first, second = _ident(intro.first_iterator), intro.second_iterator
        key_var, value_var = (first, _ident(second)) if second is not None else (None, first)
        collection = self.expr(intro.iterable)
        cond_rule = r.condition
        cond = self.expr(cond_rule.condition_expr) if cond_rule is not None else None
        if isinstance(r, for_expressions.ForObjectExprRule):
            group = any(t.lark_name() == "ELLIPSIS" for t in _tokens(r))
            return ForExpr(line, key_var, value_var, collection, self.expr(r.key_expr), self.expr(r.value_expr),
                           cond, group)
        return ForExpr(line, key_var, value_var, collection, None, self.expr(r.value_expr), cond)

    # ---- templates ------------------------------------------------------------------------------------------------
    def template(self, parts, line: int) -> Node:
        out = self._template_parts(parts)
        if len(out) == 1 and isinstance(out[0], Node) and not isinstance(out[0], (TemplateIf, TemplateFor)):
            return Template(line, (out[0],))   # "${x}" keeps x's type only after evaluation; see evaluator
        return Template(line, tuple(out))

    def _template_parts(self, parts, strip_first: bool = False, strip_last: bool = False) -> list:
        """The literal text and nodes of a template. A directive's strip marker (%{~ or ~}) removes the
        whitespace of the literal text next to it, as Terraform does; strip_first / strip_last apply that to
        this part list's own ends (the body of a directive whose opening or closing tag strips)."""
        out: list = []
        strip_next = strip_first
        for part in parts:
            for child in part.children:
                if isinstance(child, LarkToken):
                    text = process_escape_sequences(str(child.value)).replace("$${", "${").replace("%%{", "%{")
                    if strip_next:
                        text = text.lstrip()
                    if out and isinstance(out[-1], str):
                        out[-1] += text
                    else:
                        out.append(text)
                    strip_next = False
                    continue
                strip_next = False
                if isinstance(child, strings.InterpolationRule):
                    out.append(self.expr(_kids(child)[0]))
                elif isinstance(child, (TemplateIfRule, TemplateForRule)):
                    first = child.children[0]
                    if first.strip_open and out and isinstance(out[-1], str):
                        out[-1] = out[-1].rstrip()
                    node = self.template_if(child) if isinstance(child, TemplateIfRule) else self.template_for(child)
                    out.append(node)
                    strip_next = child.children[-1].strip_close
        if strip_last and out and isinstance(out[-1], str):
            out[-1] = out[-1].rstrip()
        return out

    def template_if(self, rule) -> TemplateIf:
        kids = [c for c in rule.children if c is not None]
        start = kids[0]
        cond = self.expr(start.condition)
        then_parts, else_parts = [], []
        target, else_rule, endif = then_parts, None, kids[-1]
        for child in kids[1:]:
            if isinstance(child, TemplateElseRule):
                target, else_rule = else_parts, child
            elif isinstance(child, TemplateEndifRule):
                break
            else:
                target.append(child)
        line = _line(rule)
        then_end = else_rule.strip_open if else_rule is not None else endif.strip_open
        then = self._template_parts(then_parts, start.strip_close, then_end)
        other = (self._template_parts(else_parts, else_rule.strip_close, endif.strip_open)
                 if else_rule is not None else [])
        return TemplateIf(line, cond, Template(line, tuple(then)), Template(line, tuple(other)))

    def template_for(self, rule) -> TemplateFor:
        """%{ for v in coll } ... %{ endfor } (or %{ for k, v in coll }): the body once per element."""
        kids = [c for c in rule.children if c is not None]
        start, end = kids[0], kids[-1]
        # python-hcl2 calls the first name `iterator` and the optional second one `key_iterator`; in HCL a
        # second name makes the first the key and the second the value, as in a for expression
        first, second = _ident(start.iterator), start.key_iterator
        key_var, value_var = (first, _ident(second)) if second is not None else (None, first)
        line = _line(rule)
        body = self._template_parts(kids[1:-1], start.strip_close, end.strip_open)
        return TemplateFor(line, key_var, value_var, self.expr(start.collection), Template(line, tuple(body)))

    def heredoc(self, rule, line: int) -> Node:
        raw = str(_tokens(rule)[0].value)
        match = re.match(r"<<(-?)(\w+)\n(.*)\n[ \t]*\2\s*$", raw, re.S)
        if not match:
            return Unsupported(line, "heredoc")
        trim, body = match.group(1), match.group(3) + "\n"
        if trim:
            lines = body.split("\n")
            indents = [len(ln) - len(ln.lstrip(" \t")) for ln in lines if ln.strip()]
            cut = min(indents, default=0)
            body = "\n".join(ln[cut:] for ln in lines)
        return parse_template(body, line) or Unsupported(line, "heredoc template")

    # ---- bodies -------------------------------------------------------------------------------------------------
    def body(self, body_rule) -> Body:
        out = Body()
        for child in _kids(body_rule):
            if isinstance(child, base.AttributeRule):
                name = _ident(child.identifier)
                if name in out.attributes:
                    raise InputError(f'attribute "{name}" is set twice (first on line {out.attributes[name].line})',
                                     self.file, _line(child), "remove one of them")
                out.attributes[name] = Attribute(name, self.expr(child.expression), _line(child))
            elif isinstance(child, base.BlockRule):
                kind = _ident(child.children[0])
                labels = tuple(_label(lbl) for lbl in child.labels[1:])
                out.blocks.append(Block(kind, labels, self.body(child.body), _line(child), self.file))
        return out


def _label(rule) -> str:
    if isinstance(rule, strings.StringRule):
        return "".join(str(t.value) for part in rule.children if isinstance(part, strings.StringPartRule)
                       for t in part.children if isinstance(t, LarkToken))
    return _ident(rule)


def parse_template(text: str, line: int) -> Node | None:
    """A template's text (heredoc body, templatefile) as a Template node; None when it cannot be parsed."""
    if "${" not in text and "%{" not in text:
        return Lit(line, text)
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    try:
        tree = hcl2.parses("x = " + quoted)
    except UnexpectedInput:
        return None
    inner = _Lowerer("").expr(_kids(tree.body)[0].expression)
    return Template(line, inner.parts) if isinstance(inner, Template) else None


def parse_text(text: str, file: str) -> Body:
    """Parse one HCL file into a Body; a syntax error is an InputError naming file and line."""
    try:
        tree = hcl2.parses(text)
    except UnexpectedInput as exc:
        first = str(exc).splitlines()[0] if str(exc) else "syntax error"
        raise InputError(f"malformed HCL: {first}", file, getattr(exc, "line", None),
                         "fix the syntax (terraform fmt shows the same error)") from None
    except Exception as exc:  # python-hcl2 raises plain errors for some malformed input
        raise InputError(f"malformed HCL: {exc}", file, None, "fix the syntax") from None
    return _Lowerer(file).body(tree.body)


def parse_file(path: str, display: str | None = None) -> Body:
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read file: {exc}", display or path) from None
    return parse_text(text, display or path)
