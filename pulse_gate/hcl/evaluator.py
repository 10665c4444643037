"""Evaluates a Terraform configuration for one environment, lazily and memoised, as Terraform would plan it.

Names resolve on demand (var, local, module outputs, resources), each once per module instance; a value that
depends on itself is a cycle and an input error. Anything the gate cannot determine becomes an Unknown with a
reason; computed resource attributes become Refs that keep their origin.
"""
from __future__ import annotations

import base64
import hashlib
import math
import os
import re

from ..errors import InputError
from ..values import Ref, Unknown, first_unknown, is_known
from . import functions_more as more
from . import nodes as S
from .functions import FUNCTIONS, NOT_AT_PLAN, TERRAFORM_FUNCTIONS, FunctionError, arity_error
from .functions_base import _str, _tidy, arith, parse_number, type_name as _type_name
from .loader import Loader, ModuleDef
from .types import TypeMismatch, convert

ORIGIN_SUFFIX = "#origin"   # not a valid HCL name, so it cannot collide with an iterator
META_ARGS = {"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection"}
MODULE_META = {"source", "version", "count", "for_each", "providers", "depends_on"}


class EvalError(Exception):
    """A dynamic error Terraform would raise at plan time (caught by try/can, else an Unknown)."""


class TooDeep(EvalError):
    """References chained deeper than Python's stack allows: a limit of the gate, which try/can must not hide."""


def key_suffix(key) -> str:
    if key is None:
        return ""
    if key == "?":
        return "[?]"
    if isinstance(key, int):
        return f"[{key}]"
    return f'["{key}"]'


# ---- objects that stand for Terraform namespaces and instances ----------------------------------------------------
class _Namespace:
    def __init__(self, inst: "Instance", kind: str, rtype: str = ""):
        self.inst, self.kind, self.rtype = inst, kind, rtype

    def attr(self, name: str, node: S.Node):
        inst = self.inst
        if self.kind == "var":
            return inst.var(name, node)
        if self.kind == "local":
            return inst.local(name, node)
        if self.kind == "module":
            return inst.module(name, node)
        if self.kind in ("data", "ephemeral") and not self.rtype:
            return _Namespace(inst, self.kind, name)
        if self.kind == "ephemeral":
            return inst.ephemeral(self.rtype, name, node)
        mode = "data" if self.kind == "data" else "managed"
        return inst.resource(mode, self.rtype, name, node)


class InstanceObj:
    """One resource instance as an expression sees it: written arguments, else a Ref to the computed value."""

    def __init__(self, address: str, values, ref_path: str = "", origins: dict | None = None, note=None):
        self.address, self.values, self.ref_path = address, values, ref_path
        self.origins, self.note = origins or {}, note

    def _note(self, path: str):
        if self.note is not None:
            prefix = re.sub(r"\[\d+\]", "", path)
            self.note([s for k, srcs in self.origins.items() if not prefix or k == prefix
                       or k.startswith(prefix + ".") for s in srcs])

    def attr(self, name: str):
        values = self.values
        path = f"{self.ref_path}.{name}" if self.ref_path else name
        if isinstance(values, dict) and name in values:
            self._note(path)
            v = values[name]
            if isinstance(v, list) and v and all(isinstance(b, dict) for b in v):
                return [InstanceObj(self.address, b, f"{path}[{i}]", self.origins, self.note)
                        for i, b in enumerate(v)]
            return v
        return Ref(self.address, path)

    def plain(self):
        self._note(self.ref_path)
        out = _written(self.address, self.ref_path, self.values)
        out.setdefault("id", Ref(self.address, "id"))
        return out


class WrittenValues(dict):
    """A resource instance (or one of its blocks) as a plain map of its written arguments, which still knows
    where it comes from: an attribute not written reads as a Ref (each.value.principal_id, values(r)[0].id)."""

    def __init__(self, address: str, path: str, items=()):
        super().__init__(items)
        self.address, self.path = address, path

    def ref(self, name: str) -> Ref:
        return Ref(self.address, f"{self.path}.{name}" if self.path else name)


def _written(address: str, path: str, values) -> WrittenValues:
    out = WrittenValues(address, path)
    for name, v in (values.items() if isinstance(values, dict) else ()):
        sub = f"{path}.{name}" if path else name
        if isinstance(v, list) and v and all(isinstance(b, dict) for b in v):
            v = [_written(address, f"{sub}[{i}]", b) for i, b in enumerate(v)]
        out[name] = v
    return out


class ModuleObj:
    def __init__(self, inst: "Instance"):
        self.inst = inst

    def attr(self, name: str, node: S.Node):
        return self.inst.output(name, node)

    def plain(self):
        return {name: self.inst.output(name, None) for name in sorted(self.inst.mdef.outputs)}


class RemoteModuleObj:
    def __init__(self, address: str, source: str):
        self.address, self.source = address, source

    def attr(self, name: str, node):
        return Unknown(f"{self.address}.{name} comes from module source {self.source!r}, which the gate does not "
                       "evaluate (only local modules are read)")

    def plain(self):
        return Unknown(f"{self.address} comes from a non-local module source {self.source!r}")


def plain(value):
    """Replace instance/module objects by plain values so they can be stored and passed to functions."""
    if isinstance(value, (InstanceObj, ModuleObj, RemoteModuleObj)):
        return plain(value.plain())
    if isinstance(value, WrittenValues):
        return value   # built from values that are already plain
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def get_attr(value, name: str, node: S.Node):
    if isinstance(value, (_Namespace, ModuleObj, RemoteModuleObj)):
        return value.attr(name, node)
    if isinstance(value, InstanceObj):
        return value.attr(name)
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Ref):
        return value.attr(name)
    if isinstance(value, dict):
        if name in value:
            return value[name]
        if isinstance(value, WrittenValues):
            return value.ref(name)
        raise EvalError(f'object has no attribute "{name}"')
    if value is None:
        raise EvalError(f'cannot read attribute "{name}" of null')
    if isinstance(value, list):
        raise EvalError(f'cannot read attribute "{name}" of a list (use [index] or [*])')
    raise EvalError(f'cannot read attribute "{name}" of {_type_name(value)}')


def get_index(value, key, node: S.Node):
    if isinstance(key, (Unknown, Ref)):
        return Unknown(f"index known only after apply ({key})")
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Ref):
        return value.index(key)
    if isinstance(value, (ModuleObj, InstanceObj)):
        return get_attr(value, str(key), node)
    if isinstance(value, list):
        try:
            return value[int(key)]
        except (IndexError, ValueError, TypeError):
            raise EvalError(f"index {key!r} out of range for a list of {len(value)}") from None
    if isinstance(value, dict):
        k = key if isinstance(key, str) else str(key)
        if k in value:
            return value[k]
        raise EvalError(f"key {k!r} not found")
    raise EvalError(f"cannot index a {_type_name(value)}")


# ---- module instance --------------------------------------------------------------------------------------------
class Instance:
    """A module as instantiated at one address, with its inputs."""

    def __init__(self, ev: "Evaluator", mdef: ModuleDef, prefix: str, inputs: dict):
        self.ev, self.mdef, self.prefix = ev, mdef, prefix
        self.inputs = inputs            # name -> callable() -> (value, [sources]) evaluated in the caller
        self._memo: dict = {}
        self._busy: set = set()
        self.children: dict = {}        # module name -> {key: Instance | RemoteModuleObj}
        self.resource_values: dict = {}  # (mode, type, name) -> {key: (values, lines, origins)}

    def address(self, mode: str, rtype: str, name: str) -> str:
        base = f"{rtype}.{name}" if mode == "managed" else f"data.{rtype}.{name}"
        return f"{self.prefix}.{base}" if self.prefix else base

    def _memoised(self, key, compute, file: str, line: int):
        if key in self._memo:
            value, sources = self._memo[key]
            self.ev.note_sources(sources)
            return value
        if key in self._busy:
            what = ".".join(str(k) for k in key)
            raise InputError(f"cycle: {what} depends on itself", file, line, "break the circular reference")
        self._busy.add(key)
        saved, self.ev.current_file = self.ev.current_file, file
        try:
            with self.ev.collecting() as sources:
                value = compute()
        except RecursionError:
            what = ".".join(str(k) for k in key)
            raise TooDeep(f"{what} is at the end of a chain of references too long for the gate to follow") from None
        finally:
            self._busy.discard(key)
            self.ev.current_file = saved
        self._memo[key] = (value, sorted(sources))
        self.ev.note_sources(sources)
        return value

    # -- variables
    def var(self, name: str, node: S.Node | None):
        block = self.mdef.variables.get(name)
        if block is None:
            raise InputError(f'reference to undeclared input variable "{name}"', *self._where(node),
                             f'declare variable "{name}" in {self.mdef.file("variables.tf")}')
        return self._memoised(("var", name), lambda: self._var_value(name, block), block.file, block.line)

    def _var_value(self, name: str, block: S.Block):
        attrs = block.body.attributes
        given_at = None          # where the value was written (tfvars line or module argument), for type errors
        if name in self.inputs:
            value, sources = self.inputs[name]()
            given_at = sources[0] if sources else None
            self.ev.note_sources(sources)
            if value is None and self._not_nullable(block):
                if "default" not in attrs:
                    file, line = _at(given_at, block)
                    raise InputError(f'required variable "{name}" may not be set to null (declared at '
                                     f"{block.file}:{block.line} with nullable = false)", file, line,
                                     "give it a value")
                value = self._default(name, block)     # nullable = false: null means "use the default"
        elif "default" in attrs:
            value = self._default(name, block)
        elif self._sensitive(block):
            return Unknown(f'sensitive variable "{name}" has no value in the configuration; it is supplied at '
                           f"apply time (TF_VAR_{name})")
        elif self.prefix:
            raise InputError(f'{self.prefix} lacks required argument "{name}"', block.file, block.line,
                             f"pass {name} in the module block or give the variable a default")
        else:
            raise InputError(f'variable "{name}" has no value', block.file, block.line,
                             f"set it in {self.ev.values_hint} or give it a default")
        type_attr = attrs.get("type")
        if type_attr is None:
            return value
        try:
            return convert(value, type_attr.expr, lambda n: plain(self.ev.eval(n, Scope(self))))
        except (TypeMismatch, EvalError, FunctionError) as exc:
            file, line = _at(given_at, block)
            raise InputError(f'invalid value for variable "{name}" (declared at {block.file}:{block.line}): {exc}',
                             file, line, "give a value of the declared type") from None

    def _default(self, name: str, block: S.Block):
        default = block.body.attributes["default"]
        try:
            value = plain(self.ev.eval(default.expr, Scope(self)))
        except (EvalError, FunctionError) as exc:
            raise InputError(f'invalid default for variable "{name}": {exc}', default.file or block.file,
                             default.line) from None
        self.ev.note_sources([f"{default.file or block.file}:{default.line} (default)"])
        return value

    @staticmethod
    def _not_nullable(block: S.Block) -> bool:
        nullable = block.body.attributes.get("nullable")
        return nullable is not None and isinstance(nullable.expr, S.Lit) and nullable.expr.value is False

    @staticmethod
    def _sensitive(block: S.Block) -> bool:
        attr = block.body.attributes.get("sensitive")
        return bool(attr is not None and isinstance(attr.expr, S.Lit) and attr.expr.value is True)

    # -- locals and outputs
    def local(self, name: str, node: S.Node | None):
        entry = self.mdef.locals.get(name)
        if entry is None:
            raise InputError(f'reference to undeclared local value "{name}"', *self._where(node),
                             f"declare local.{name} in a locals block")
        attr, file = entry
        return self._memoised(("local", name), lambda: self.ev.eval(attr.expr, Scope(self)), file, attr.line)

    def output(self, name: str, node: S.Node | None):
        block = self.mdef.outputs.get(name)
        if block is None:
            raise InputError(f'{self.prefix or "the root module"} has no output "{name}"', *self._where(node),
                             f"declare output \"{name}\" in {self.mdef.file('outputs.tf')}")
        attr = block.body.attributes.get("value")
        if attr is None:
            raise InputError(f'output "{name}" has no value', block.file, block.line)
        return self._memoised(("output", name), lambda: self.ev.eval(attr.expr, Scope(self)), block.file, block.line)

    def _where(self, node: S.Node | None):
        return (self.ev.current_file, node.line if node is not None else None)

    # -- resources
    def resource(self, mode: str, rtype: str, name: str, node: S.Node | None):
        block = self.mdef.resources.get((mode, rtype, name))
        if block is None:
            kind = "data source" if mode == "data" else "resource"
            raise InputError(f"reference to undeclared {kind} {self.address(mode, rtype, name)}",
                             *self._where(node), "declare it, or fix the reference")
        instances = self.expand_resource(mode, rtype, name)
        address = self.address(mode, rtype, name)
        objs = {k: InstanceObj(address + key_suffix(k), vals[0], "", vals[2], self.ev.note_sources)
                for k, vals in instances.items()}
        return self._shape(block, objs)

    def _shape(self, block: S.Block, objs: dict):
        attrs = block.body.attributes
        what = ".".join(block.labels if block.type == "resource" else (block.type,) + block.labels)
        if "count" in attrs:
            if list(objs) == ["?"]:
                return Unknown(f"count of {what} is not known")
            return [objs[k] for k in sorted(objs)]
        if "for_each" in attrs:
            if list(objs) == ["?"]:
                return Unknown(f"for_each of {what} is not known")
            return objs
        return objs[None]

    def expand_resource(self, mode: str, rtype: str, name: str) -> dict:
        key = (mode, rtype, name)
        if key in self.resource_values:
            return self.resource_values[key]
        block = self.mdef.resources[key]
        busy = ("resource",) + key
        if busy in self._busy:
            raise InputError(f"cycle: {self.address(mode, rtype, name)} depends on itself", block.file, block.line)
        self._busy.add(busy)
        try:
            out = {}
            with self.ev.collecting(isolated=True):   # its sources belong to its own attributes, not the caller
                for inst_key, names in self.ev.expansion(block, Scope(self)):
                    scope = Scope(self, names)
                    lines, origins = {}, {}
                    values = self.ev.eval_body(block.body, scope, "", lines, origins, top=True, file=block.file)
                    out[inst_key] = (values, lines, origins)
        finally:
            self._busy.discard(busy)
        self.resource_values[key] = out
        return out

    def ephemeral(self, rtype: str, name: str, node: S.Node | None):
        """An ephemeral resource exists only while Terraform runs, and its values are never in the plan."""
        address = f"ephemeral.{rtype}.{name}"
        if (rtype, name) not in self.mdef.ephemerals:
            raise InputError(f"reference to undeclared ephemeral resource {address}", *self._where(node),
                             "declare it, or fix the reference")
        where = f" in {self.prefix}" if self.prefix else ""
        return Unknown(f"ephemeral resource {address}{where}: its values are known only during the run")

    # -- module calls
    def module(self, name: str, node: S.Node | None):
        block = self.mdef.module_calls.get(name)
        if block is None:
            raise InputError(f'reference to undeclared module "{name}"', *self._where(node),
                             f'declare module "{name}" or fix the reference')
        children = self.child_modules(name)
        objs = {k: c if isinstance(c, RemoteModuleObj) else ModuleObj(c) for k, c in children.items()}
        return self._shape(block, objs)

    def child_modules(self, name: str):
        if name in self.children:
            return self.children[name]
        block = self.mdef.module_calls[name]
        address = f"{self.prefix}.module.{name}" if self.prefix else f"module.{name}"
        source_attr = block.body.attributes.get("source")
        source = source_attr.expr.parts[0] if (source_attr and isinstance(source_attr.expr, S.Template)
                                                and len(source_attr.expr.parts) == 1
                                                and isinstance(source_attr.expr.parts[0], str)) else None
        if source is None:
            raise InputError(f'module "{name}" needs a literal "source"', block.file, block.line)
        remote = not source.startswith(("./", "../"))
        if remote:
            self.ev.unevaluated.append((address, block.file, block.line,
                                        f"module source {source!r} is not local; its resources are not evaluated"))
        else:
            directory = os.path.normpath(os.path.join(self.mdef.dir, source))
            if not os.path.isdir(directory):
                raise InputError(f'module "{name}": source {source!r} does not exist', block.file,
                                 source_attr.line, "fix the path or create the module directory")
            mdef = self.ev.loader.load(directory)
        children = {}
        busy = ("module", name)
        if busy in self._busy:
            raise InputError(f"cycle: {address} depends on itself", block.file, block.line,
                             "break the circular reference")
        self._busy.add(busy)
        try:
            with self.ev.collecting(isolated=True):
                expansion = self.ev.expansion(block, Scope(self))
        finally:
            self._busy.discard(busy)
        if remote:
            # Its instances exist as count/for_each say, even though their outputs are unknown: indexing one
            # that does not exist is an error (so try() falls through), one that does gives an unknown.
            self.children[name] = {k: RemoteModuleObj(address + key_suffix(k), source) for k, _ in expansion}
            return self.children[name]
        for inst_key, names in expansion:
            inputs = {}
            for arg, attr in block.body.attributes.items():
                if arg in MODULE_META:
                    continue
                if arg not in mdef.variables:
                    raise InputError(f'module "{name}" has no variable "{arg}"', block.file, attr.line,
                                     f"remove the argument or declare it in {mdef.file('variables.tf')}")
                inputs[arg] = self._input_thunk(attr, Scope(self, names), block.file)
            prefix = address + key_suffix(inst_key)
            children[inst_key] = Instance(self.ev, mdef, prefix, inputs)
        self.children[name] = children
        return children

    def _input_thunk(self, attr: S.Attribute, scope: "Scope", file: str):
        cache = []

        def thunk():
            if not cache:
                with self.ev.collecting() as sources:
                    value = self.ev.eval_attr(attr, scope, file)
                cache.append((value, [f"{file}:{attr.line}"] + sorted(sources)))
            return cache[0]
        return thunk


class Scope:
    __slots__ = ("inst", "names")

    def __init__(self, inst: Instance, names: dict | None = None):
        self.inst = inst
        self.names = names or {}

    def child(self, **names) -> "Scope":
        return Scope(self.inst, {**self.names, **names})


# ---- the evaluator --------------------------------------------------------------------------------------------
class _Collecting:
    """Context of Evaluator.collecting(): gathers the sources noted inside, and passes them on to the enclosing
    collection unless isolated."""
    __slots__ = ("collectors", "isolated")

    def __init__(self, collectors: list, isolated: bool):
        self.collectors = collectors
        self.isolated = isolated

    def __enter__(self) -> set:
        self.collectors.append(set())
        return self.collectors[-1]

    def __exit__(self, *exc):
        done = self.collectors.pop()
        if self.collectors and not self.isolated:
            self.collectors[-1].update(done)
        return False


class Evaluator:
    def __init__(self, loader: Loader | None, values_hint: str = "a tfvars file"):
        self.loader = loader
        self.values_hint = values_hint
        self.unevaluated: list = []
        self._collectors: list[set] = []
        self.current_file = None

    def root_instance(self, root_inputs: dict) -> Instance:
        return Instance(self, self.loader.load(self.loader.root), "", root_inputs)

    # -- provenance of values: which tfvars lines / defaults / module arguments fed an expression
    def note_sources(self, sources):
        if self._collectors and sources:
            self._collectors[-1].update(sources)

    def collecting(self, isolated: bool = False):
        return _Collecting(self._collectors, isolated)

    # -- count / for_each
    def expansion(self, block: S.Block, scope: Scope):
        """(instance key, names for each/count) pairs of a resource or module block.

        The names also carry where the count/for_each value came from, so that a value read through each.value
        or count.index still points at the tfvars line that set it."""
        with self.collecting() as sources:
            pairs = self._expansion(block, scope)
        if sources:
            origin = sorted(sources)
            for _, names in pairs:
                for name in list(names):
                    names[name + ORIGIN_SUFFIX] = origin
        return pairs

    def _expansion(self, block: S.Block, scope: Scope):
        attrs = block.body.attributes
        if "count" in attrs:
            n = self.eval_attr(attrs["count"], scope, block.file)
            if isinstance(n, (Unknown, Ref)):
                return [("?", {"count": {"index": Unknown(f"count is not known: {n}")}})]
            if n is None:
                raise InputError('the given "count" argument value is null; an integer is required', block.file,
                                 attrs["count"].line, "give count a number (0 for none)")
            if not isinstance(n, (int, float)) or isinstance(n, bool):
                raise InputError(f"count must be a whole number, got {n!r}", block.file, attrs["count"].line)
            return [(i, {"count": {"index": i}}) for i in range(int(n))]
        if "for_each" in attrs:
            coll = plain(self.eval_attr(attrs["for_each"], scope, block.file))
            if isinstance(coll, (Unknown, Ref)):
                u = Unknown(f"for_each is not known before apply: {coll}")
                return [("?", {"each": {"key": u, "value": u}})]
            if isinstance(coll, dict):
                return [(k, {"each": {"key": k, "value": v}}) for k, v in coll.items()]
            if isinstance(coll, list):
                if not all(isinstance(x, str) for x in coll):
                    u = Unknown("for_each over a set whose members are not all known strings")
                    return [("?", {"each": {"key": u, "value": u}})]
                return [(k, {"each": {"key": k, "value": k}}) for k in sorted(set(coll))]
            message = ('the given "for_each" argument value is null; a map, or set of strings is allowed'
                       if coll is None else 'the "for_each" argument must be a map, or set of strings, and you '
                       f"have provided a value of type {_type_name(coll)}")
            raise InputError(message, block.file, attrs["for_each"].line,
                             "give for_each a map or a set ({} for none)")
        return [(None, {})]

    # -- bodies
    def eval_attr(self, attr: S.Attribute, scope: Scope, file: str):
        saved, self.current_file = self.current_file, file
        try:
            return plain(self.eval(attr.expr, scope))
        except (EvalError, FunctionError) as exc:
            return Unknown(f"cannot evaluate {file}:{attr.line}: {exc}")
        except RecursionError:
            return Unknown(f"cannot evaluate {file}:{attr.line}: the expression nests too deeply")
        finally:
            self.current_file = saved

    def eval_body(self, body: S.Body, scope: Scope, path: str, lines: dict, origins: dict, top: bool, file: str):
        out: dict = {}
        for name, attr in body.attributes.items():
            if top and name in META_ARGS:
                continue
            key = f"{path}.{name}" if path else name
            with self.collecting() as sources:
                value = self.eval_attr(attr, scope, attr.file or file)
            lines[key] = attr.line if attr.file in ("", file) else (attr.file, attr.line)
            if sources:
                origins[key] = sorted(sources)
            if value is None:
                continue   # null means "not set": the provider default applies; the line stays for findings
            out[name] = value
            if isinstance(value, dict):
                for k, (kfile, kline) in _key_lines(attr.expr, scope.inst, attr.file or file).items():
                    if k in value:
                        lines[f"{key}.{k}"] = kline if kfile == file else (kfile, kline)
        for block in body.blocks:
            if top and block.type in ("lifecycle", "provisioner", "connection"):
                if block.type == "provisioner":   # its kind only, for PL006: provisioners run code, never evaluated
                    lines[f"provisioner[{len(out.setdefault('provisioner', []))}]"] = \
                        block.line if block.file in ("", file) else (block.file, block.line)
                    out["provisioner"].append({"type": block.labels[0] if block.labels else ""})
                continue
            if block.type == "dynamic" and block.labels:
                self._dynamic(block, scope, path, lines, origins, out, file)
                continue
            key = f"{path}.{block.type}" if path else block.type
            lines.setdefault(key, block.line if block.file in ("", file) else (block.file, block.line))
            target = out.setdefault(block.type, [])
            if isinstance(target, list):
                target.append(self.eval_body(block.body, scope, key, lines, origins, False, block.file or file))
        return out

    def _dynamic(self, block: S.Block, scope: Scope, path: str, lines, origins, out: dict, file: str):
        label = block.labels[0]
        key = f"{path}.{label}" if path else label
        lines.setdefault(key, block.line)
        iterator = label
        it_attr = block.body.attributes.get("iterator")
        if it_attr is not None and isinstance(it_attr.expr, S.Name):
            iterator = it_attr.expr.name
        content = next((b for b in block.body.blocks if b.type == "content"), None)
        fe = block.body.attributes.get("for_each")
        coll = self.eval_attr(fe, scope, file) if fe is not None else Unknown("dynamic block without for_each")
        if coll is None or not isinstance(coll, (list, dict, Unknown, Ref)):
            kind = "null" if coll is None else _type_name(coll)
            raise InputError(f"invalid dynamic for_each value: cannot use a {kind} value in for_each; an iterable "
                             "collection is required", file, fe.line, "give for_each a list, set or map ([] for none)")
        target = out.setdefault(label, [])
        if isinstance(coll, (Unknown, Ref)):
            out[label] = Unknown(f"dynamic \"{label}\" at {file}:{block.line} iterates over a value not known "
                                 f"before apply ({coll})")
            return
        if content is None or not isinstance(target, list):
            return
        items = sorted(coll.items(), key=lambda kv: kv[0]) if isinstance(coll, dict) else enumerate(coll)
        for k, v in items:
            inner = scope.child(**{iterator: {"key": k, "value": v}})
            target.append(self.eval_body(content.body, inner, key, lines, origins, False, file))
        if not target:
            # No block written, as if the dynamic were not there: a block the provider also computes
            # (kubelet_identity) is known only after apply, so reading it must not be an index error.
            del out[label]

    # -- expressions
    def eval(self, node: S.Node, scope: Scope):
        method = getattr(self, "_e_" + type(node).__name__)
        try:
            return method(node, scope)
        except (EvalError, FunctionError, InputError, RecursionError):
            raise
        except Exception as exc:   # noqa: BLE001 - the last resort: a gate bug must not become a traceback
            return Unknown(f"internal evaluation error in {_what(node)}: {type(exc).__name__}: {exc}")

    def _e_Lit(self, node, scope):
        return node.value

    def _e_Template(self, node, scope):
        parts = node.parts
        directive = (S.TemplateIf, S.TemplateFor)
        if len(parts) == 1 and isinstance(parts[0], S.Node) and not isinstance(parts[0], directive):
            return self.eval(parts[0], scope)   # "${x}" is x itself, type and all
        return self._template(parts, scope)

    def _template(self, parts, scope):
        text, refs, unknown_reason = [], [], None
        for part in parts:
            if isinstance(part, str):
                text.append(part)
                continue
            if isinstance(part, S.TemplateIf):
                cond = self.eval(part.cond, scope)
                if not isinstance(cond, bool):
                    value = Unknown(f"template condition not known: {cond}")
                else:
                    value = self._template((part.then if cond else part.other).parts, scope)
            elif isinstance(part, S.TemplateFor):
                value = self._template_for(part, scope)
            else:
                value = plain(self.eval(part, scope))
            if isinstance(value, Ref):
                refs.append(value)
                text.append("${" + str(value) + "}")
                unknown_reason = unknown_reason or f"depends on {value}, known after apply"
            elif isinstance(value, Unknown):
                refs.extend(value.refs)
                text.append(value.text if value.text is not None else "${?}")
                unknown_reason = unknown_reason or value.reason
            elif value is None:
                raise EvalError("cannot use null in a string template")
            else:
                text.append(_str(value))
        joined = "".join(text)
        if unknown_reason is not None:
            return Unknown(unknown_reason, joined, tuple(refs))
        return joined

    def _e_TemplateIf(self, node, scope):
        return self._template((node,), scope)

    def _e_TemplateFor(self, node, scope):
        return self._template((node,), scope)

    def _template_for(self, node, scope):
        """%{ for } renders its body once per element, in the order a for expression iterates (a map by key)."""
        coll = plain(self.eval(node.collection, scope))
        if isinstance(coll, (Unknown, Ref)):
            return Unknown(f"template for directive over a value not known before apply ({coll})")
        if isinstance(coll, dict):
            pairs = sorted(coll.items(), key=lambda kv: kv[0])
        elif isinstance(coll, list):
            pairs = list(enumerate(coll))
        else:
            raise EvalError(f"template for directive cannot iterate over a {_type_name(coll)}")
        rendered = []
        for k, v in pairs:
            names = {node.value_var: v}
            if node.key_var:
                names[node.key_var] = k
            rendered.append(self._template(node.body.parts, scope.child(**names)))
        texts = [r for r in rendered if isinstance(r, str)]
        if len(texts) == len(rendered):
            return "".join(texts)
        first = next(r for r in rendered if not isinstance(r, str))
        return Unknown(first.reason, "".join(r if isinstance(r, str) else (r.text or "${?}") for r in rendered),
                       tuple(ref for r in rendered if isinstance(r, Unknown) for ref in r.refs))

    def _e_Name(self, node, scope):
        name = node.name
        if name in scope.names:
            self.note_sources(scope.names.get(name + ORIGIN_SUFFIX, ()))
            return scope.names[name]
        inst = scope.inst
        if inst is None:
            raise EvalError(f'vars map does not contain key "{name}", referenced by the template')
        if name in ("var", "local", "module", "data", "ephemeral"):
            return _Namespace(inst, name)
        if name in ("each", "count"):
            raise InputError(f'"{name}" is only available in a block with {name if name == "count" else "for_each"}',
                             self.current_file, node.line)
        if name == "path":
            return {"module": inst.mdef.rel, "root": ".", "cwd": "."}
        if name == "terraform":
            return {"workspace": "default"}
        if name == "self":
            return Unknown("self refers to the resource being created")
        if ("managed", name) in inst.mdef.resource_types:
            return _Namespace(inst, "resource", name)
        raise InputError(f'reference to undeclared name "{name}"', self.current_file, node.line,
                         "declare the resource, or fix the reference")

    def _e_GetAttr(self, node, scope):
        return get_attr(self.eval(node.obj, scope), node.name, node)

    def _e_Index(self, node, scope):
        return get_index(self.eval(node.obj, scope), plain(self.eval(node.key, scope)), node)

    def _e_Splat(self, node, scope):
        base = self.eval(node.obj, scope)
        if isinstance(base, (Unknown, Ref)):
            return Unknown(f"splat over a value not known before apply ({base})")
        if base is None:
            items = []
        elif isinstance(base, list):
            items = base
        else:
            items = [base]   # any other single value, an object or map included, splats as a one-element list
        out = []
        for item in items:
            for kind, arg in node.steps:
                if kind == "attr":
                    item = get_attr(item, arg, node)
                else:
                    item = get_index(item, plain(self.eval(arg, scope)), node)
            out.append(item)
        return out

    def _e_Call(self, node, scope):
        name = node.name.removeprefix("core::")   # core::f is Terraform's own f, however it is shadowed
        if name in ("try", "can"):
            return self._try_can(node, scope)
        if name.startswith("provider::"):
            return Unknown(f"function {name}() is a provider function, which the gate does not evaluate")
        if name not in TERRAFORM_FUNCTIONS:
            hint = {"list": "use tolist([...]) or a [...] tuple", "map": "use tomap({...}) or a {...} object"}.get(
                name, "check the name against Terraform's function list")
            raise InputError(f'call to unknown function "{name}"', self.current_file, node.line, hint)
        if not node.expand_last and (wrong := arity_error(name, len(node.args))):
            raise InputError(wrong, self.current_file, node.line, "see the function's documentation")
        if name in NOT_AT_PLAN:
            return Unknown(f"function {name}() is not evaluated by the gate: its result {NOT_AT_PLAN[name]}")
        if name in _FILE_FUNCTIONS:
            return self._file_fn(node, scope, name)
        args = [plain(self.eval(a, scope)) for a in node.args]
        if node.expand_last and args:
            last = args.pop()
            if isinstance(last, (Unknown, Ref)):
                return Unknown(f"{name}(...) expands a value not known before apply")
            args.extend(last if isinstance(last, list) else list(last.values()) if isinstance(last, dict) else [last])
            if wrong := arity_error(name, len(args)):
                raise EvalError(wrong)
        if name == "templatestring":
            return self._templatestring(node, scope, args)
        fn = FUNCTIONS[name]
        try:
            return fn(*args)
        except FunctionError:
            raise
        except (TypeError, ValueError, KeyError, IndexError, ZeroDivisionError, OverflowError) as exc:
            raise EvalError(f"{name}(): {exc}") from None

    def _try_can(self, node, scope):
        for arg in node.args:
            try:
                value = plain(self.eval(arg, scope))
            except TooDeep:
                raise
            except (EvalError, FunctionError):
                if node.name == "can":
                    return False
                continue
            if node.name == "can":
                return Unknown(f"can() over {value}") if not is_known(value) else True
            return value
        if node.name == "can":
            return False
        raise EvalError("try(): no argument could be evaluated")

    def _file_fn(self, node, scope, name: str):
        """Functions that read a file, relative to the directory Terraform runs in (the root)."""
        args = [plain(self.eval(a, scope)) for a in node.args]
        if not args or not isinstance(args[0], str):
            return Unknown(f"{name}() of a path not known before apply")
        given = args[0] if name == "fileset" else _home_expanded(args[0])   # fileset takes ~ literally
        path = os.path.normpath(os.path.join(self.loader.root, given))
        if name == "fileexists":
            if os.path.isdir(path):
                raise EvalError(f'fileexists(): "{args[0]}" is a directory, not a file')
            return os.path.isfile(path)
        if name == "fileset":
            if len(args) != 2 or not isinstance(args[1], str):
                return Unknown("fileset() with a pattern not known before apply")
            return more.fileset(path, args[1])
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            raise EvalError(f"{name}(): cannot read {args[0]}") from None
        if name in _FILE_DIGESTS:
            return _FILE_DIGESTS[name](data)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise EvalError(f"{name}(): {args[0]} is not UTF-8 text") from None
        if name == "file":
            return text
        return self._render(name, text, args[1:], scope, node.line)

    def _templatestring(self, node, scope, args):
        # Terraform refuses a template written in place: it would already have been rendered as a string
        if node.args and isinstance(node.args[0], S.Template):
            raise EvalError("templatestring(): the template must be a reference to a string, not a literal")
        if not args or not isinstance(args[0], str):
            return Unknown("templatestring() of a template not known before apply")
        return self._render("templatestring", args[0], args[1:], scope, node.line)

    def _render(self, name: str, text: str, rest: list, scope, line: int):
        from .syntax import parse_template   # python-hcl2 is loaded only when a template has to be parsed
        template = parse_template(text, line)
        if template is None or len(rest) != 1 or not isinstance(rest[0], dict):
            return Unknown(f"{name}() with a template or variables the gate cannot read")
        return self.eval(template, Scope(None, dict(rest[0])))   # a template sees its variables only

    def _e_Cond(self, node, scope):
        cond = plain(self.eval(node.cond, scope))
        if isinstance(cond, bool):
            chosen, other = (node.then, node.other) if cond else (node.other, node.then)
            value = self.eval(chosen, scope)
            if isinstance(value, (bool, int, float)) and self._is_string(other, scope):
                return _str(value)   # both results share one type, as in Terraform: true ? 1 : "x" is "1"
            return value
        if isinstance(cond, (Unknown, Ref)):
            return Unknown(f"condition not known before apply ({cond})")
        raise EvalError(f"condition must be a bool, got {cond!r}")

    def _is_string(self, node, scope) -> bool:
        """Whether the branch not taken gives a known string; its errors are not Terraform's concern either."""
        with self.collecting(isolated=True):
            try:
                return isinstance(plain(self.eval(node, scope)), str)
            except (EvalError, FunctionError):
                return False

    def _e_UnOp(self, node, scope):
        v = plain(self.eval(node.operand, scope))
        if isinstance(v, (Unknown, Ref)):
            return Unknown(f"operand not known ({v})")
        if node.op == "!":
            if not isinstance(v, bool):
                raise EvalError("! needs a bool")
            return not v
        return -_to_num(v)

    def _e_BinOp(self, node, scope):
        left = plain(self.eval(node.left, scope))
        right = plain(self.eval(node.right, scope))
        op = node.op
        if op in ("==", "!=") and (left is None) != (right is None) and _never_null(right if left is None else left):
            return op == "!="
        if not is_known(left) or not is_known(right):
            return Unknown(f"operand of {op} not known before apply ({first_unknown(left) or first_unknown(right)})")
        try:
            if op == "==":
                return left == right and type(left) is type(right) or (_num(left) and _num(right) and left == right)
            if op == "!=":
                return not (left == right and (type(left) is type(right) or (_num(left) and _num(right))))
            if op in ("&&", "||"):
                if not isinstance(left, bool) or not isinstance(right, bool):
                    raise EvalError(f"{op} needs bools")
                return (left and right) if op == "&&" else (left or right)
            a, b = _to_num(left), _to_num(right)
            if any(isinstance(n, float) and not math.isfinite(n) for n in (a, b)):
                return Unknown(f"operand of {op} beyond the range of numbers the gate evaluates (Terraform's "
                               "numbers are arbitrary-precision)")
            if op in _COMPARISONS:
                return _COMPARISONS[op](a, b)
            result = _modulo(a, b) if op == "%" else arith(op, a, b)
        except ZeroDivisionError:
            if op == "/" and a == 0:
                raise EvalError("can't divide zero by zero") from None
            # Terraform's x / 0 is an infinity (not an error: can() is true), a number the gate does not carry
            return Unknown(f"{_str(a)} / 0 is an infinity, beyond the range of numbers the gate evaluates")
        except OverflowError:
            return Unknown(f"the result of {op} is beyond the range of numbers the gate evaluates")
        return _tidy(result)

    def _e_TupleExpr(self, node, scope):
        return [self.eval(i, scope) for i in node.items]

    def _e_ObjectExpr(self, node, scope):
        out = {}
        for k, v in node.items:
            key = plain(self.eval(k, scope))
            if isinstance(key, (Unknown, Ref)):
                return Unknown(f"object key not known before apply ({key})")
            out[_str(key)] = self.eval(v, scope)
        return out

    def _e_ForExpr(self, node, scope):
        coll = plain(self.eval(node.collection, scope))
        if isinstance(coll, (Unknown, Ref)):
            return Unknown(f"for expression over a value not known before apply ({coll})")
        if isinstance(coll, dict):
            pairs = sorted(coll.items(), key=lambda kv: kv[0])
        elif isinstance(coll, list):
            pairs = list(enumerate(coll))
        else:
            raise EvalError(f"cannot iterate over a {_type_name(coll)}")
        out_list, out_map = [], {}
        for k, v in pairs:
            names = {node.value_var: v}
            if node.key_var:
                names[node.key_var] = k
            inner = scope.child(**names)
            if node.cond is not None:
                c = plain(self.eval(node.cond, inner))
                if isinstance(c, (Unknown, Ref)):
                    return Unknown(f"for expression filter not known before apply ({c})")
                if not c:
                    continue
            value = self.eval(node.value, inner)
            if node.key is None:
                out_list.append(value)
                continue
            key = plain(self.eval(node.key, inner))
            if isinstance(key, (Unknown, Ref)):
                return Unknown(f"for expression key not known before apply ({key})")
            key = _str(key)
            if node.group:
                out_map.setdefault(key, []).append(value)
            elif key in out_map:
                raise EvalError(f"duplicate key {key!r} in for expression (use ... to group)")
            else:
                out_map[key] = value
        return out_list if node.key is None else out_map

    def _e_Unsupported(self, node, scope):
        return Unknown(f"{node.what} is not supported by the gate")


def _key_lines(expr: S.Node, inst: Instance, file: str, depth: int = 0) -> dict:
    """Where each key of a map argument is written, as far as it can be read without evaluating: object literals,
    merge() of them, and locals holding them. A finding on app_settings.X can then point at X's own line."""
    if depth > 5 or inst is None:
        return {}
    if isinstance(expr, S.ObjectExpr):
        out = {}
        for key_node, _ in expr.items:
            if isinstance(key_node, S.Lit) and isinstance(key_node.value, str):
                out[key_node.value] = (file, key_node.line)
            elif isinstance(key_node, S.Template) and len(key_node.parts) == 1 and isinstance(key_node.parts[0], str):
                out[key_node.parts[0]] = (file, key_node.line)
        return out
    if isinstance(expr, S.Call) and expr.name == "merge":
        out = {}
        for arg in expr.args:   # later maps win, as in merge() itself
            out.update(_key_lines(arg, inst, file, depth + 1))
        return out
    if isinstance(expr, S.Template) and len(expr.parts) == 1 and isinstance(expr.parts[0], S.Node):
        return _key_lines(expr.parts[0], inst, file, depth + 1)
    if isinstance(expr, S.GetAttr) and isinstance(expr.obj, S.Name) and expr.obj.name == "local":
        entry = inst.mdef.locals.get(expr.name)
        if entry is not None:
            attr, local_file = entry
            return _key_lines(attr.expr, inst, local_file, depth + 1)
    return {}


def _b64(digest):
    return lambda data: base64.b64encode(digest(data).digest()).decode()


_FILE_DIGESTS = {
    "filebase64": lambda data: base64.b64encode(data).decode(),
    "filemd5": lambda data: hashlib.md5(data).hexdigest(),
    "filesha1": lambda data: hashlib.sha1(data).hexdigest(),
    "filesha256": lambda data: hashlib.sha256(data).hexdigest(),
    "filesha512": lambda data: hashlib.sha512(data).hexdigest(),
    "filebase64sha256": _b64(hashlib.sha256),
    "filebase64sha512": _b64(hashlib.sha512),
}
_FILE_FUNCTIONS = {"file", "fileexists", "fileset", "templatefile", *_FILE_DIGESTS}


def _never_null(value) -> bool:
    """A value whose null-ness is known even if parts of it are not, as Terraform knows it: an object or a list
    is never null whatever it holds, nor is a string template (its unknown result is refined as not null).
    So `var.cfg.cmk != null` is true when cmk = { id = azurerm_key_vault.k.id }, and a count guarded by it is
    known; a bare reference to a computed attribute stays unknown (azurerm does not refine them)."""
    return isinstance(value, (list, dict)) or (isinstance(value, Unknown) and value.text is not None)


def _home_expanded(path: str) -> str:
    """A leading ~ is the user's home directory, as Terraform's file functions expand it (go-homedir):
    file("~/.ssh/id_rsa.pub") reads the key in $HOME; ~user is an error."""
    if not path.startswith("~"):
        return path
    if len(path) > 1 and path[1] not in "/\\":
        raise EvalError(f'cannot expand "{path}": a user-specific home directory (~user) is not supported')
    return os.path.expanduser("~") + path[1:]


def _at(given_at: str | None, block: S.Block) -> tuple:
    """(file, line) of "file:line" where a variable's value was given, else of its declaration."""
    if not given_at:
        return block.file, block.line
    file, _, at = given_at.rpartition(":")
    return (file, int(at)) if at.isdigit() else (given_at, None)   # "TF_VAR_x (environment)" has no line


_COMPARISONS = {"<": lambda a, b: a < b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b,
                ">=": lambda a, b: a >= b}


def _modulo(a, b):
    """cty's remainder: the sign of the dividend; a remainder by zero is the dividend itself (checked against
    terraform console: 5 % 0 is 5, -5 % 3 is -2, 5.5 % 2 is 1.5)."""
    if b == 0:
        return a
    if isinstance(a, float) or isinstance(b, float):
        return math.fmod(a, b)
    return abs(a) % abs(b) * (1 if a >= 0 else -1)


def _what(node: S.Node) -> str:
    """The construct an internal error happened in, for its reason."""
    if isinstance(node, S.Call):
        return f"{node.name}()"
    if isinstance(node, (S.BinOp, S.UnOp)):
        return f"operator {node.op}"
    return type(node).__name__


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _to_num(v):
    if _num(v):
        return v
    n = parse_number(v) if isinstance(v, str) else None
    if n is None:
        raise EvalError(f"expected a number, got {v!r}")
    return n
