"""Lowers python-hcl2's typed tree into a small expression AST the evaluator walks.

python-hcl2 8.x keeps every token, optional placeholder and comment; lowering once per file gives the evaluator
a compact tree to evaluate many times (once per environment) without re-walking that detail.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields

import hcl2
from hcl2.rules import base, containers, expressions, for_expressions, functions, indexing, literal_rules, strings
from hcl2.rules.abstract import LarkToken
from hcl2.rules.directives import TemplateElseRule, TemplateEndifRule, TemplateForRule, TemplateIfRule
from hcl2.rules.whitespace import NewLineOrCommentRule
from hcl2.utils import process_escape_sequences
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

from ..errors import InputError
# The tree it lowers into (re-exported: callers that parse name the nodes through this module).
from .nodes import (BOM, Attribute, BinOp, Block, Body, Call, Cond, ForExpr, GetAttr, Index, Lit, Name,  # noqa: F401
                    Node, ObjectExpr, Splat, Template, TemplateFor, TemplateIf, TupleExpr, UnOp, Unsupported)


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
    def __init__(self, file: str, strips: dict | None = None):
        self.file = file
        self.strips = strips or {}   # (line, column) of a "${" -> (strips before, strips after); see _prepass

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
            return self.nested_string(process_escape_sequences(r.inner_value), line)
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

    def nested_string(self, source: str, line: int) -> Node:
        """A quoted string inside an interpolation of a re-parsed template, given as its source text: python-hcl2
        reads it as plain text, but it is a template of its own (escapes, ${...})."""
        if "\\" not in source and "${" not in source and "%{" not in source:
            return Lit(line, source)
        try:
            tree = hcl2.parses(f'x = "{source}"\n')
        except Exception:  # noqa: BLE001 - unreadable: say so rather than guess
            return Unsupported(line, "a quoted string inside a template interpolation")
        return self.expr(_kids(tree.body)[0].expression)

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
                    meta = getattr(child, "_meta", None)
                    strip_before, strip_after = self.strips.get((getattr(meta, "line", 0), getattr(meta, "column", 0)),
                                                                (False, False))
                    if strip_before and out and isinstance(out[-1], str):
                        out[-1] = out[-1].rstrip()
                    out.append(self.expr(_kids(child)[0]))
                    strip_next = strip_after
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
        # the token is the opener line, the body lines and the closing marker line (its newline included)
        lines = str(_tokens(rule)[0].value).split("\n")
        body = "".join(ln + "\n" for ln in lines[1:-2])
        return parse_template(body, line, flush=lines[0].startswith("<<-")) or Unsupported(line, "heredoc template")

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


def parse_template(text: str, line: int, flush: bool = False) -> Node | None:
    """A bare template (a heredoc body, a templatefile, a JSON string) as a Template node whose nodes all carry
    `line`; flush=True removes the common indentation as `<<-` does. None when it cannot be parsed."""
    if not flush and "{" not in text:
        return Template(line, (text,) if text else ())
    text = _stripped_and_flushed(text, flush)
    if "${" not in text and "%{" not in text:
        return Template(line, (text.replace("$${", "${").replace("%%{", "%{"),) if text else ())
    # python-hcl2 parses templates only as quoted strings
    quoted = '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    try:
        tree = hcl2.parses("x = " + quoted)
    except Exception:  # noqa: BLE001 - any parser failure means "not a template the gate can read"
        return None
    inner = _Lowerer("").expr(_kids(tree.body)[0].expression)
    return _relocated(Template(line, inner.parts), line) if isinstance(inner, Template) else None


def _stripped_and_flushed(text: str, flush: bool) -> str:
    """A bare template with its strip markers applied (and, for `<<-`, its indentation removed), as HCL does it:
    on literal tokens that end at each newline, so "~" strips at most to the end of its own line, and a line
    whose first token a strip emptied counts as unindented (real Terraform behaviour, checked against 1.11)."""
    tokens = _template_tokens(text)
    for k, (kind, value) in enumerate(tokens):
        if kind != "seq":
            continue
        before, after = value[2:3] == "~", len(value) > 3 and value.endswith("~}")
        tokens[k][1] = value[:2] + value[2 + before:len(value) - 2 * after] + ("}" if after else "")
        if before and k > 0 and tokens[k - 1][0] == "lit":
            tokens[k - 1][1] = tokens[k - 1][1].rstrip()
        if after and k + 1 < len(tokens) and tokens[k + 1][0] == "lit":
            tokens[k + 1][1] = tokens[k + 1][1].lstrip()
    if flush:
        _flush(tokens)
    return "".join(value for _, value in tokens)


def _flush(tokens: list):
    """HCL's flushHeredocTemplateParts: the smallest indentation of the lines that start with text (a blank
    line does not count, a line that starts with ${ or %{ counts as 0) is removed from each of them."""
    smallest, adjust, newline = None, [], True
    for token in tokens:
        kind, value = token
        if newline:
            newline = False
            if kind != "lit":
                smallest = 0
            elif not (value.strip() == "" and value.endswith("\n")):
                spaces = len(value) - len(value.lstrip())
                smallest = spaces if smallest is None else min(smallest, spaces)
                adjust.append(token)
        if kind == "lit" and value.endswith("\n"):
            newline = True
    for token in adjust:
        token[1] = token[1][smallest or 0:]


def _template_tokens(text: str) -> list:
    """[kind, text] tokens of a bare template: "lit" (literal text up to and including a newline) and "seq" (a
    whole ${...} or %{...}, nested strings and braces included)."""
    tokens, i, start, n = [], 0, 0, len(text)

    def literal(upto: int):
        tokens.extend(["lit", piece] for piece in re.findall(r"[^\n]*\n|[^\n]+", text[start:upto]))

    while i < n:
        if text.startswith(("$${", "%%{"), i):
            i += 3
        elif text.startswith(("${", "%{"), i):
            literal(i)
            end = _sequence_end(text, i + 2)
            tokens.append(["seq", text[i:end]])
            i = start = end
        else:
            i += 1
    literal(n)
    return tokens


def _sequence_end(text: str, i: int) -> int:
    """The index after the "}" that closes a ${ or %{ whose body starts at i."""
    depth = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            i = _string_end(text, i + 1)
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return i + 1
            depth -= 1
        i += 1
    return len(text)


def _string_end(text: str, i: int) -> int:
    """The index after the quote that closes a quoted string whose text starts at i."""
    while i < len(text):
        if text[i] == "\\":
            i += 2
        elif text[i] in '"\n':
            return i + (text[i] == '"')
        elif text.startswith(("$${", "%%{"), i):
            i += 3
        elif text.startswith(("${", "%{"), i):
            i = _sequence_end(text, i + 2)
        else:
            i += 1
    return len(text)


def _relocated(node, line: int):
    """node with every line set to `line`: a template re-parsed from one string has lines of its own."""
    if isinstance(node, Node):
        return type(node)(line, *(_relocated(getattr(node, f.name), line) for f in fields(node)[1:]))
    if isinstance(node, tuple):
        return tuple(_relocated(n, line) for n in node)
    return node


def parse_text(text: str, file: str) -> Body:
    """Parse one HCL file into a Body; a syntax error is an InputError naming file and line."""
    text = text[1:] if text.startswith(BOM) else text
    # the pre-pass only matters where there is a heredoc or a strip marker; on an error it words the message
    scan = _prepass(text) if "<<" in text or "${~" in text else _Scan(text, {}, [])
    try:
        tree = hcl2.parses(scan.text)
    except UnexpectedInput as exc:
        message, line = _syntax_error(exc, _prepass(text))
        raise InputError(f"malformed HCL: {message}", file, line,
                         "fix the syntax (terraform validate reports the same line)") from None
    except Exception:  # noqa: BLE001 - python-hcl2 raises plain errors for some malformed input
        raise InputError("malformed HCL: the file cannot be parsed", file, None,
                         "fix the syntax (terraform validate shows where)") from None
    return _Lowerer(file, scan.strips).body(tree.body)


def read_text(path: str, display: str) -> str:
    """A configuration or values file's text; unreadable or non-UTF-8 input is an InputError."""
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read file: {exc}", display) from None


def parse_file(path: str, display: str | None = None) -> Body:
    """A .tf file (native syntax) or a .tf.json file (JSON syntax) as a Body, the same tree for both."""
    display = display or path
    text = read_text(path, display)
    if path.endswith(".tfvars.json"):   # a values file read as a body of arguments
        from .jsonsyntax import parse_json_values
        return Body({name: Attribute(name, expr, line) for name, expr, line in parse_json_values(text, display)})
    if path.endswith(".json"):
        from .jsonsyntax import parse_json   # the JSON lowering builds on this module's nodes
        return parse_json(text, display)
    return parse_text(text, display)


def parse_values_file(path: str, display: str | None = None) -> list[tuple[str, Node, int]]:
    """A .tfvars or .tfvars.json file as [(name, expression, line)], in file order. A .tfvars.json value is
    literal JSON (Terraform does not read templates there); a block in a .tfvars file is an InputError."""
    display = display or path
    text = read_text(path, display)
    if path.endswith(".json"):
        from .jsonsyntax import parse_json_values
        return parse_json_values(text, display)
    body = parse_text(text, display)
    for block in body.blocks:
        raise InputError(f'unexpected block "{block.type}" in a values file', display, block.line,
                         "a tfvars file holds only name = value lines")
    return [(attr.name, attr.expr, attr.line) for attr in body.attributes.values()]


# ---- what python-hcl2 cannot do: a text pre-pass Terraform's grammar makes safe -----------------------------------
# Go's unicode.IsSpace, which Terraform trims from a line before comparing it to a heredoc's closing marker
_BLANKS = " \t\v\f\r\x85\xa0"
_HEREDOC_OPEN = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_-]*)\r?\n")


@dataclass
class _Scan:
    text: str
    strips: dict                    # (line, column) of a "${" -> (strip before, strip after)
    open_brackets: list             # (char, line) still open at the end of the file
    open_string: int | None = None  # line of a quoted string or heredoc still open at the end
    heredoc_marker: str | None = None
    broken_string: int | None = None  # line of a quoted string that runs into a newline


def _prepass(text: str) -> _Scan:
    """Scan the file as Terraform's lexer does (code, quoted templates, heredocs, comments) and rewrite, keeping
    every line and column where it is, the two things python-hcl2 8 reads differently:

    - a heredoc's closing marker with blanks after it: Terraform trims the line; python-hcl2 would run on to the
      next marker line, swallowing the blocks in between, so the blanks are removed;
    - "${~ x ~}": python-hcl2 has strip markers only on directives; the "~" become blanks and their positions
      are recorded for the lowering, which strips the neighbouring literal text as Terraform does.
    """
    out, strips, brackets = [], {}, []
    # each frame: ["code", opener, depth, strip_key] | ["string", line] | ["heredoc", marker, line]
    stack = [["code", None, 0, None]]
    scan = _Scan("", strips, brackets)
    i, n, line, col = 0, len(text), 1, 1

    def take(count: int, replacement: str | None = None):
        nonlocal i, line, col
        chunk = text[i:i + count]
        out.append(chunk if replacement is None else replacement)
        for ch in chunk:
            line, col = (line + 1, 1) if ch == "\n" else (line, col + 1)
        i += count

    while i < n:
        frame, ch, two = stack[-1], text[i], text[i:i + 2]
        if frame[0] == "heredoc":
            end = text.find("\n", i)
            end = n if end < 0 else end
            row = text[i:end]
            if row.strip(_BLANKS) == frame[1]:
                kept = row.rstrip(_BLANKS) + ("\r" if row.endswith("\r") else "")
                take(len(row), kept)
                stack.pop()
            else:
                take(len(row))
            if i < n:
                take(1)
        elif frame[0] == "string":
            if ch == "\\":
                take(2)
            elif ch == '"':
                take(1)
                stack.pop()
            elif ch == "\n":
                scan.broken_string = scan.broken_string or frame[1]
                stack.pop()
                take(1)
            elif text.startswith(("$${", "%%{"), i):
                take(3)
            elif two in ("${", "%{"):
                key = (line, col)
                take(2)
                stack.append(["code", two, 0, key])
                if two == "${" and text.startswith("~", i):
                    strips[key] = (True, False)
                    take(1, " ")
            else:
                take(1)
        else:
            opener, depth, key = frame[1], frame[2], frame[3]
            heredoc = _HEREDOC_OPEN.match(text, i) if two == "<<" else None
            if ch == "#" or two == "//":
                end = text.find("\n", i)
                take((n if end < 0 else end) - i)
            elif two == "/*":
                end = text.find("*/", i + 2)
                take((n if end < 0 else end + 2) - i)
            elif ch == '"':
                stack.append(["string", line])
                take(1)
            elif heredoc:
                stack.append(["heredoc", heredoc.group(1), line])
                take(heredoc.end() - i)
            elif opener == "${" and depth == 0 and two == "~}":
                strips[key] = (strips.get(key, (False, False))[0], True)
                take(1, " ")
            elif ch == "}" and opener and depth == 0:
                stack.pop()
                take(1)
            else:
                if ch in "{[(":
                    brackets.append((ch, line))
                    frame[2] += ch == "{"
                elif ch in "}])" and brackets:
                    brackets.pop()
                    frame[2] -= ch == "}" and depth > 0
                take(1)
    top = stack[-1]
    if top[0] == "string":
        scan.open_string = top[1]
    elif top[0] == "heredoc":
        scan.open_string, scan.heredoc_marker = top[2], top[1]
    scan.text = "".join(out)
    return scan


# lark's terminal names, in words; a terminal not listed is never shown
_TERMINALS = {
    "RBRACE": '"}"', "LBRACE": '"{"', "RSQB": '"]"', "LSQB": '"["', "RPAR": '")"', "LPAR": '"("', "COMMA": '","',
    "EQ": '"="', "COLON": '":"', "QMARK": '"?"', "DBLQUOTE": "a quote", "NAME": "a name",
    "NL_OR_COMMENT": "a newline", "$END": "the end of the file",
}
_EXPRESSION_START = {"NAME", "INT_LITERAL", "FLOAT_LITERAL", "DBLQUOTE", "LSQB", "LBRACE", "LPAR", "TRUE", "FALSE",
                     "NULL", "MINUS", "NOT", "HEREDOC_TEMPLATE"}


def _syntax_error(exc: UnexpectedInput, scan: _Scan) -> tuple[str, int | None]:
    """A lark error as Terraform would word it, at the line Terraform reports; never lark's token text."""
    line = getattr(exc, "line", None)
    line = line if isinstance(line, int) and line > 0 else None
    if scan.heredoc_marker is not None and (line is None or scan.open_string <= line):
        # Terraform reports it where the file ends
        return (f'unterminated heredoc (opened on line {scan.open_string}): no line holds only its closing '
                f'marker "{scan.heredoc_marker}"', scan.text.count("\n") + 1)
    if scan.broken_string is not None and (line is None or scan.broken_string <= line):
        return "unterminated string: a quoted string cannot span lines (use a heredoc for more lines)", \
            scan.broken_string
    if isinstance(exc, UnexpectedCharacters):
        return f"invalid character {exc.char!r}", line
    token = getattr(exc, "token", None)
    kind = getattr(token, "type", "$END")
    expected = set(getattr(exc, "expected", ()) or ())
    if kind == "$END" or isinstance(exc, UnexpectedEOF):
        if scan.open_string is not None:
            return "unterminated string: the closing quote is missing", scan.open_string
        if scan.open_brackets:
            char, opened = scan.open_brackets[-1]
            closer = {"{": "}", "[": "]", "(": ")"}[char]
            return f'unclosed "{char}": there is no "{closer}" for it before the end of the file', opened
        return "unexpected end of the file", line
    line = _expression_end_line(scan.text, getattr(token, "start_pos", None), expected, line)
    if "COMMA" in expected and expected & {"RSQB", "RBRACE", "RPAR"}:
        return "missing item separator: expected a comma before the next item", line
    if expected & _EXPRESSION_START and kind not in _EXPRESSION_START:
        return "invalid expression: expected a value, a reference or a function call here", line
    found = _TERMINALS.get(kind, "text")
    wanted = sorted({_TERMINALS[t] for t in expected if t in _TERMINALS})
    return f"unexpected {found}" + (f"; expected {' or '.join(wanted)}" if wanted else ""), line


def _expression_end_line(text: str, pos: int | None, expected: set, line: int | None) -> int | None:
    """Where Terraform stops: outside ( ) and [ ], a newline ends an argument's expression, so an expression
    still incomplete there is an error on its own line. python-hcl2 reads on across the newline and fails at the
    first token of a later line instead; give the line of the text before it."""
    if not isinstance(pos, int) or line is None or "RBRACE" in expected:
        return line   # at the end of a complete argument, Terraform too fails at the next token
    line_start = text.rfind("\n", 0, pos) + 1
    if text[line_start:pos].strip():
        return line
    opened = _prepass(text[:pos]).open_brackets
    if opened and opened[-1][0] in "([":
        return line
    before = text[:line_start].rstrip()
    return before.count("\n") + 1 if before else line
