"""Reads a module directory once, by Terraform's loading rules: which files, and how override files merge.

Every rule here is Terraform's own (internal/configs: parser_config_dir.go, module.go, module_merge.go) and is
listed with its documentation link in docs/loading-rules.md. The evaluator never learns file names or formats.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field

from ..errors import InputError
from .cache import parse_file  # syntax.parse_file behind the parse cache
from .nodes import Block, Body

# Blocks that only tell Terraform how to move, import, forget or check objects: they add no resource to the plan
# the rules judge, so the gate accepts them without evaluating them.
INERT_BLOCKS = ("check", "import", "moved", "removed")


@dataclass
class ModuleDef:
    dir: str            # absolute directory
    rel: str            # directory relative to the evaluated root, for messages ("." for the root)
    variables: dict = field(default_factory=dict)      # name -> Block
    locals: dict = field(default_factory=dict)         # name -> (Attribute, file)
    outputs: dict = field(default_factory=dict)        # name -> Block
    resources: dict = field(default_factory=dict)      # (mode, type, name) -> Block
    ephemerals: dict = field(default_factory=dict)     # (type, name) -> Block: ephemeral "type" "name" {}
    module_calls: dict = field(default_factory=dict)   # name -> Block
    providers: list = field(default_factory=list)      # Block
    backends: list = field(default_factory=list)       # Block (inside terraform {}); at most one after merging
    resource_types: set = field(default_factory=set)

    def file(self, name: str) -> str:
        return name if self.rel in ("", ".") else f"{self.rel}/{name}"


# ---- which files ------------------------------------------------------------------------------------------------
def config_extension(name: str) -> str:
    """".tf" or ".tf.json" for a file Terraform reads as configuration, "" for any other name."""
    if name.startswith(".") or name.endswith("~") or (name.startswith("#") and name.endswith("#")):
        return ""   # hidden files and editor backups (parser_config_dir.go IsIgnoredFile)
    for ext in (".tf.json", ".tf"):
        if name.endswith(ext):
            return ext
    return ""


def is_override(name: str) -> bool:
    stem = name[: -len(config_extension(name))]
    return stem == "override" or stem.endswith("_override")


def config_files(directory: str) -> tuple[list[str], list[str]]:
    """(primary, override) file names of a module directory, each list in lexical order as Terraform reads them."""
    names = sorted(n for n in os.listdir(directory)
                   if config_extension(n) and os.path.isfile(os.path.join(directory, n)))
    return [n for n in names if not is_override(n)], [n for n in names if is_override(n)]


# ---- reading and merging ----------------------------------------------------------------------------------------
def _unique(table: dict, key, block: Block, what: str):
    if key in table:
        prev = table[key]
        prev_file = prev[1] if isinstance(prev, tuple) else prev.file
        raise InputError(f"duplicate {what} (first declared in {prev_file})", block.file, block.line,
                         "remove or rename one of them; to change a block from another file, put the change in "
                         "a file named override.tf or *_override.tf")
    return key


def _stamped(body: Body, file: str) -> Body:
    """The body with each attribute marked with the file it was written in, so that after merging a finding still
    points at the override line that won."""
    attrs = {name: dataclasses.replace(a, file=a.file or file) for name, a in body.attributes.items()}
    return Body(attrs, list(body.blocks))


def merge_bodies(base: Body, over: Body, over_file: str) -> Body:
    """Terraform's MergeBodies: an override attribute replaces the base one of that name; override nested blocks
    replace *all* base blocks of the same type; block types the override does not mention stay."""
    merged = _stamped(base, "")
    merged.attributes.update(_stamped(over, over_file).attributes)
    replaced = {b.type for b in over.blocks}
    merged.blocks = [b for b in base.blocks if b.type not in replaced] + list(over.blocks)
    return merged


def _merged(base: Block, over: Block, body: Body) -> Block:
    return Block(base.type, base.labels, body, base.line, base.file)


def _no_depends_on(over: Block, what: str):
    attr = over.body.attributes.get("depends_on")
    if attr is not None:
        raise InputError(f"unsupported override of {what}: the depends_on argument may not be overridden",
                         over.file, attr.line, "set depends_on in the primary file, not in the override file")


def _merge_resource(base: Block, over: Block) -> Block:
    _no_depends_on(over, f"{base.labels[0]}.{base.labels[1]}")
    body = merge_bodies(base.body, over.body, over.file)
    # lifecycle merges argument by argument; provisioner and connection blocks follow the general rule above.
    base_lc = base.body.blocks_of("lifecycle")
    over_lc = over.body.blocks_of("lifecycle")
    if base_lc and over_lc:
        lc_body = _stamped(base_lc[0].body, base.file)
        for lc in over_lc:
            lc_body = merge_bodies(lc_body, lc.body, over.file)
        lifecycle = Block("lifecycle", (), lc_body, over_lc[0].line, over_lc[0].file)
        body.blocks = [b for b in body.blocks if b.type != "lifecycle"] + [lifecycle]
    return _merged(base, over, body)


# Terraform merges only these arguments of a variable and of an output (module_merge.go); the rest of an
# override block (a variable's validation, an output's precondition) is ignored.
_VARIABLE_ARGS = ("description", "sensitive", "default", "type", "nullable", "ephemeral")
_OUTPUT_ARGS = ("description", "value", "sensitive")


def _merge_selected(base: Block, over: Block, names: tuple) -> Block:
    kept = Body({n: a for n, a in over.body.attributes.items() if n in names}, [])
    merged = merge_bodies(base.body, kept, over.file)
    merged.blocks = list(base.body.blocks)
    return _merged(base, over, merged)


def _missing_base(what: str, block: Block, hint: str):
    raise InputError(f"override of {what} that no primary file declares", block.file, block.line,
                     f"an override file can only change what a primary .tf/.tf.json file defines: {hint}")


class Loader:
    """Parses each module directory once per process, however many environments evaluate it."""

    def __init__(self, root: str):
        self.root = os.path.abspath(root)
        self._cache: dict[str, ModuleDef] = {}

    def rel(self, path: str) -> str:
        rel = os.path.relpath(os.path.abspath(path), self.root)
        return "." if rel == "." else rel.replace(os.sep, "/")

    def loaded(self) -> list[ModuleDef]:
        """Every module directory read so far, root first."""
        return sorted(self._cache.values(), key=lambda m: m.rel)

    def load(self, directory: str) -> ModuleDef:
        directory = os.path.abspath(directory)
        if directory in self._cache:
            return self._cache[directory]
        if not os.path.isdir(directory):
            raise InputError("module directory does not exist", self.rel(directory))
        mdef = ModuleDef(directory, self.rel(directory))
        primary, overrides = config_files(directory)
        for name in primary:
            self._collect(mdef, parse_file(os.path.join(directory, name), mdef.file(name)))
        for name in overrides:
            self._merge(mdef, parse_file(os.path.join(directory, name), mdef.file(name)))
        self._cache[directory] = mdef
        return mdef

    @staticmethod
    def _collect(mdef: ModuleDef, body: Body):
        for block in body.blocks:
            kind, labels = block.type, block.labels
            if kind == "variable" and labels:
                mdef.variables[_unique(mdef.variables, labels[0], block, f'variable "{labels[0]}"')] = block
            elif kind == "locals":
                for name, attr in block.body.attributes.items():
                    _unique(mdef.locals, name, block, f'local "{name}"')
                    mdef.locals[name] = (attr, block.file)
            elif kind == "output" and labels:
                mdef.outputs[_unique(mdef.outputs, labels[0], block, f'output "{labels[0]}"')] = block
            elif kind in ("resource", "data") and len(labels) == 2:
                key = ("managed" if kind == "resource" else "data", labels[0], labels[1])
                mdef.resources[_unique(mdef.resources, key, block, f"{kind} {labels[0]}.{labels[1]}")] = block
                mdef.resource_types.add((key[0], labels[0]))
            elif kind == "ephemeral" and len(labels) == 2:
                key = (labels[0], labels[1])
                mdef.ephemerals[_unique(mdef.ephemerals, key, block, f"ephemeral {labels[0]}.{labels[1]}")] = block
            elif kind in INERT_BLOCKS:
                pass   # no effect on what is planned: check assertions only warn, the others move state
            elif kind == "module" and labels:
                mdef.module_calls[_unique(mdef.module_calls, labels[0], block, f'module "{labels[0]}"')] = block
            elif kind == "provider":
                mdef.providers.append(block)
            elif kind == "terraform":
                for inner in block.body.blocks:
                    if inner.type in ("backend", "cloud"):
                        if mdef.backends:
                            prev = mdef.backends[0]
                            raise InputError(f"duplicate backend configuration (first at {prev.file}:{prev.line})",
                                             inner.file, inner.line, "a module may have only one backend or cloud "
                                             "block; remove one")
                        mdef.backends.append(inner)

    def _merge(self, mdef: ModuleDef, body: Body):
        """One override file, merged block by block into what the primary files declared (module.go mergeFile)."""
        for block in body.blocks:
            kind, labels = block.type, block.labels
            if kind == "variable" and labels:
                base = mdef.variables.get(labels[0]) or _missing_base(f'variable "{labels[0]}"', block,
                                                                      "declare the variable first")
                mdef.variables[labels[0]] = _merge_selected(base, block, _VARIABLE_ARGS)
            elif kind == "output" and labels:
                base = mdef.outputs.get(labels[0]) or _missing_base(f'output "{labels[0]}"', block,
                                                                    "define the output first")
                _no_depends_on(block, f'output "{labels[0]}"')
                mdef.outputs[labels[0]] = _merge_selected(base, block, _OUTPUT_ARGS)
            elif kind == "locals":
                for name, attr in block.body.attributes.items():
                    if name not in mdef.locals:
                        _missing_base(f'local "{name}"', block, "define the local value first")
                    mdef.locals[name] = (dataclasses.replace(attr, file=block.file), block.file)
            elif kind in ("resource", "data") and len(labels) == 2:
                key = ("managed" if kind == "resource" else "data", labels[0], labels[1])
                base = mdef.resources.get(key) or _missing_base(f"{kind} {labels[0]}.{labels[1]}", block,
                                                               "declare the block first")
                mdef.resources[key] = _merge_resource(base, block)
            elif kind == "module" and labels:
                base = mdef.module_calls.get(labels[0]) or _missing_base(f'module "{labels[0]}"', block,
                                                                         "declare the module call first")
                # Terraform checks the *base* call here (module_merge.go), so we do too: a module call with
                # depends_on cannot be overridden at all.
                _no_depends_on(base, f'module "{labels[0]}"')
                mdef.module_calls[labels[0]] = _merged(base, block, merge_bodies(base.body, block.body, block.file))
            elif kind == "provider" and labels:
                self._merge_provider(mdef, block)
            elif kind == "terraform":
                self._merge_terraform(mdef, block)
            elif kind == "moved":
                raise InputError("cannot override moved blocks", block.file, block.line,
                                 "records of moved objects can appear only in normal files, not in override files")
            # ephemeral, check, import and removed blocks in an override file: Terraform 1.11 does not merge them
            # (mergeFile ignores them), and neither does the gate.

    @staticmethod
    def _merge_provider(mdef: ModuleDef, block: Block):
        def alias(b: Block):
            a = b.body.attributes.get("alias")
            return getattr(a.expr, "value", None) if a is not None else None
        key = (block.labels[0], alias(block))
        for i, base in enumerate(mdef.providers):
            if (base.labels[0] if base.labels else None, alias(base)) == key:
                mdef.providers[i] = _merged(base, block, merge_bodies(base.body, block.body, block.file))
                return
        if key[1] is not None:
            _missing_base(f'provider "{key[0]}" with alias "{key[1]}"', block, "declare the aliased provider first")
        # An absent default provider configuration is an empty one, so overriding it adds it (module.go).
        mdef.providers.append(block)

    @staticmethod
    def _merge_terraform(mdef: ModuleDef, block: Block):
        settings = [b for b in block.body.blocks if b.type in ("backend", "cloud")]
        if len(settings) > 1:
            raise InputError(f"duplicate backend configuration (first at {settings[0].file}:{settings[0].line})",
                             settings[1].file, settings[1].line, "each override file may have only one backend")
        if settings:
            # The override's backend (or cloud) block replaces the base one whole: its arguments are not merged.
            mdef.backends = settings
