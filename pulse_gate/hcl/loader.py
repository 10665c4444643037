"""Reads a module directory once: its variables, locals, outputs, resources, module calls and providers."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..errors import InputError
from .syntax import Block, Body, parse_file


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
    backends: list = field(default_factory=list)       # Block (inside terraform {})
    resource_types: set = field(default_factory=set)

    def file(self, name: str) -> str:
        return name if self.rel in ("", ".") else f"{self.rel}/{name}"


def _unique(table: dict, key, block: Block, what: str):
    if key in table:
        prev = table[key]
        prev_file = prev[1] if isinstance(prev, tuple) else prev.file
        raise InputError(f"duplicate {what} (first declared in {prev_file})", block.file, block.line,
                         "remove or rename one of them")
    return key


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
        names = sorted(n for n in os.listdir(directory) if n.endswith(".tf") and not n.startswith("."))
        for name in names:
            body = parse_file(os.path.join(directory, name), mdef.file(name))
            self._collect(mdef, body)
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
            elif kind in ("check", "import", "moved", "removed"):
                pass   # no effect on what is planned: check assertions only warn, the others move state
            elif kind == "module" and labels:
                mdef.module_calls[_unique(mdef.module_calls, labels[0], block, f'module "{labels[0]}"')] = block
            elif kind == "provider":
                mdef.providers.append(block)
            elif kind == "terraform":
                mdef.backends.extend(b for b in block.body.blocks if b.type == "backend")

