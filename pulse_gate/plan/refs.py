"""Follows the configuration section's references to the resource attributes a value comes from.

The plan's `configuration` holds, per module, each argument as `{"constant_value": ...}` or
`{"references": [...]}` (every reference followed by its shorter prefixes). A value is traced through:

- `module.NAME["k"].OUTPUT`  -> the child module's `outputs.OUTPUT.expression`, in the child instance;
- `var.NAME` inside a module -> the caller's `module_calls.M.expressions.NAME`, evaluated in the caller;
- `each.value` / `each.key`  -> the resource's (or module call's) `for_each_expression`;
- `TYPE.NAME[k].attr...`     -> the target's own expression for `attr` when the configuration writes it, else the
                                attribute itself: a candidate (target instance address, attribute path).

What the configuration section cannot show is a gap, not a guess: locals (Terraform does not export them), function
results without references, and per-key structure (an object literal's references are one flat list, so a
`for_each` over `{a = {principal_id = X}, b = {principal_id = Y}}` yields the candidates {X, Y} for every key).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .addresses import WILD, AddressError, group_references, key_suffix, matches, module_prefix, path_str, tokenize
from .plandata import Plan, is_expression

MAX_DEPTH = 40
CONSTANT_ROOTS = {"count", "path", "terraform", "self"}


@dataclass(frozen=True)
class Ctx:
    module: tuple = ()          # ((call name, key | WILD | None), ...)
    each: tuple | None = None   # (id of the for_each expression, the expression's Ctx) - see Resolver._each

    @property
    def names(self) -> tuple:
        return tuple(n for n, _ in self.module)


@dataclass
class Resolution:
    candidates: set = field(default_factory=set)    # {(address or pattern with [*], attribute path)}
    gaps: list = field(default_factory=list)        # why the trace is incomplete

    @property
    def complete(self) -> bool:
        return not self.gaps

    def add(self, other: "Resolution"):
        self.candidates |= other.candidates
        for g in other.gaps:
            if g not in self.gaps:
                self.gaps.append(g)


class Resolver:
    def __init__(self, plan: Plan):
        self.plan = plan
        self._each_exprs: dict[int, dict] = {}
        self._cache: dict = {}
        self._expanded: dict = {}

    # -- contexts
    def _each(self, expr: dict | None, ctx: Ctx) -> tuple | None:
        if not isinstance(expr, dict):
            return None
        self._each_exprs[id(expr)] = expr
        return (id(expr), ctx)

    def resource_ctx(self, module: tuple, config: dict | None) -> Ctx:
        base = Ctx(module)
        return Ctx(module, self._each((config or {}).get("for_each_expression"), base))

    # -- resolution
    def expression(self, expr, ctx: Ctx, depth: int = 0) -> Resolution:
        if expr is None:
            return Resolution(gaps=["the plan's configuration does not show this value"])
        if not is_expression(expr):
            return Resolution(gaps=["a nested block, not a single value"])
        key = (id(expr), ctx)
        if key in self._cache:
            return self._cache[key]
        out = Resolution()
        if "constant_value" in expr:
            pass
        elif expr.get("references"):
            for head in group_references(expr["references"]):
                out.add(self.reference(head, ctx, depth + 1))
        else:
            out.gaps.append("computed by an expression without references (a function the plan does not show)")
        self._cache[key] = out
        return out

    def reference(self, head: str, ctx: Ctx, depth: int) -> Resolution:
        if depth > MAX_DEPTH:
            return Resolution(gaps=[f"{head}: reference chain too deep"])
        try:
            tokens = tokenize(head)
        except AddressError:
            return Resolution(gaps=[f"cannot read the reference {head!r}"])
        if not tokens or isinstance(tokens[0], tuple):
            return Resolution(gaps=[f"cannot read the reference {head!r}"])
        root = tokens[0]
        if root in CONSTANT_ROOTS:
            return Resolution()
        if root == "local":
            return Resolution(gaps=[f"{head} (locals are not in the plan's configuration section)"])
        if root == "each":
            if len(tokens) > 1 and tokens[1] == "key":
                return Resolution()
            if ctx.each is None:
                return Resolution(gaps=[f"{head} outside a for_each"])
            expr_id, each_ctx = ctx.each
            return self.expression(self._each_exprs[expr_id], each_ctx, depth + 1)
        if root == "var" and len(tokens) > 1:
            return self._variable(tokens[1], ctx, depth)
        if root == "module" and len(tokens) > 1:
            return self._module_output(tokens, ctx, depth, head)
        return self._resource(tokens, ctx, depth, head)

    def _variable(self, name: str, ctx: Ctx, depth: int) -> Resolution:
        if not ctx.module:
            return Resolution()          # a root variable: a known value in the plan's `variables`
        call = self.plan.module_call(ctx.names)
        if call is None:
            return Resolution(gaps=[f"var.{name}: the module call is not in the plan's configuration"])
        expr = (call.get("expressions") or {}).get(name)
        if expr is None:
            return Resolution()          # the variable's default: a constant
        caller = Ctx(ctx.module[:-1])
        caller = Ctx(caller.module, self._each(call.get("for_each_expression"), caller))
        return self.expression(expr, caller, depth + 1)

    def _module_output(self, tokens: list, ctx: Ctx, depth: int, head: str) -> Resolution:
        name, rest = tokens[1], tokens[2:]
        module = self.plan.config_module(ctx.names)
        call = ((module or {}).get("module_calls") or {}).get(name)
        if not isinstance(call, dict):
            return Resolution(gaps=[f"{head}: module {name} is not in the plan's configuration"])
        key = None
        if rest and isinstance(rest[0], tuple):
            key, rest = rest[0][0], rest[1:]
        elif call.get("for_each_expression") is not None or call.get("count_expression") is not None:
            key = WILD
        if not rest or isinstance(rest[0], tuple):
            return Resolution(gaps=[f"{head} (the whole module object)"])
        output = ((call.get("module") or {}).get("outputs") or {}).get(rest[0])
        if not isinstance(output, dict):
            return Resolution(gaps=[f"{head}: the module has no output {rest[0]} in the plan's configuration"])
        return self.expression(output.get("expression"), Ctx(ctx.module + ((name, key),)), depth + 1)

    def _resource(self, tokens: list, ctx: Ctx, depth: int, head: str) -> Resolution:
        if tokens[0] == "data":
            if len(tokens) < 3 or isinstance(tokens[1], tuple) or isinstance(tokens[2], tuple):
                return Resolution(gaps=[f"cannot read the reference {head!r}"])
            config_address, rest = f"data.{tokens[1]}.{tokens[2]}", tokens[3:]
        else:
            if len(tokens) < 2 or isinstance(tokens[1], tuple):
                return Resolution(gaps=[f"cannot follow {head}"])
            config_address, rest = f"{tokens[0]}.{tokens[1]}", tokens[2:]
        config = self.plan.resource_config(ctx.names, config_address)
        expanded = isinstance(config, dict) and (config.get("for_each_expression") is not None
                                                 or config.get("count_expression") is not None)
        key = None
        if rest and isinstance(rest[0], tuple) and (expanded or config is None):
            key, rest = rest[0][0], rest[1:]
        elif expanded:
            key = WILD
        address = module_prefix(ctx.module)
        address = (address + "." if address else "") + config_address + key_suffix(key)
        if config is not None and rest:
            node = config.get("expressions") or {}
            for i, t in enumerate(rest):
                if i and is_expression(node):
                    break
                if isinstance(t, tuple):
                    node = node[t[0]] if isinstance(node, list) and isinstance(t[0], int) and t[0] < len(node) else None
                elif isinstance(node, dict):
                    node = node.get(t)
                else:
                    node = None
                if node is None:
                    break
            if node is not None and node is not (config.get("expressions") or {}) and is_expression(node):
                target = self.resource_ctx(ctx.module, config)
                return self.expression(node, target, depth + 1)
        return Resolution(candidates={(address, path_str(rest))})

    # -- candidates -> instances
    def instances(self, resolution: Resolution) -> set:
        """Candidates with [*] patterns expanded to the plan's instances (a pattern that names none is dropped)."""
        key = frozenset(resolution.candidates)
        if key in self._expanded:
            return self._expanded[key]
        out = set()
        for address, path in resolution.candidates:
            if "[*]" not in address:
                out.add((address, path))
                continue
            for known in self.plan.instances:
                if matches(address, known):
                    out.add((known, path))
        self._expanded[key] = out
        return out
