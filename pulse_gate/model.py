"""The model of one environment: what Terraform would plan, as the rules see it.

Both front-ends (HCL and plan JSON) produce this; rules never look at HCL or plan JSON.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .defaults import default_for
from .values import Ref, Unknown

ABSENT = object()   # an argument not written at all (the provider default applies)


@dataclass
class Resource:
    address: str                 # module.app.azurerm_linux_function_app.orchestrator
    type: str                    # azurerm_linux_function_app
    name: str                    # orchestrator
    module: str                  # module.app ("" at the root)
    mode: str                    # "managed" | "data"
    values: dict                 # arguments; nested blocks are lists of dicts
    file: str                    # where the block was written (relative to the root)
    line: int
    lines: dict = field(default_factory=dict)     # "site_config.ftps_state" -> line, or (file, line) elsewhere
    origins: dict = field(default_factory=dict)   # "shared_access_key_enabled" -> ["envs/prod/terraform.tfvars:7"]

    def lookup(self, path: str):
        """The value at a dotted path ("site_config.ftps_state"); nested blocks take their first instance.

        Returns ABSENT when the path is not written. A block that is itself unknown (dynamic over an unknown
        collection) yields that Unknown.
        """
        current = self.values
        for part in path.split("."):
            if isinstance(current, list):
                if not current:
                    return ABSENT
                current = current[0]
            if isinstance(current, (Ref, Unknown)):
                return current
            if not isinstance(current, dict) or part not in current:
                return ABSENT
            current = current[part]
        return current

    def get(self, path: str):
        """The effective value at a path: what is written, else the azurerm 4.x default (or None)."""
        value = self.lookup(path)
        if value is ABSENT:
            return default_for(self.type, path)
        return value

    def is_set(self, path: str) -> bool:
        return self.lookup(path) is not ABSENT

    def is_null(self, path: str) -> bool:
        """Written as null (directly or through a variable or conditional): not set, so the provider default
        applies, but its line is kept so a finding points at it."""
        return path in self.lines and self.lookup(path) is ABSENT

    def blocks(self, name: str) -> list:
        value = self.values.get(name, [])
        if isinstance(value, (Ref, Unknown)):
            return [value]
        return value if isinstance(value, list) else [value]

    def where(self, path: str = "") -> tuple[str, int]:
        """file and line of an attribute (falling back to its parent block, then the resource)."""
        parts = path.split(".") if path else []
        while parts:
            key = ".".join(parts)
            if key in self.lines:
                at = self.lines[key]   # a line in this resource's file, or (file, line) when written elsewhere
                return at if isinstance(at, tuple) else (self.file, at)
            parts.pop()
        return self.file, self.line

    def origin(self, path: str) -> list[str]:
        parts = path.split(".") if path else []
        while parts:
            key = ".".join(parts)
            if key in self.origins:
                return self.origins[key]
            parts.pop()
        return []


@dataclass
class Variable:
    name: str
    module: str
    sensitive: bool
    has_default: bool
    default: object
    file: str
    line: int


@dataclass
class VarAssignment:
    """A value given to a root variable: a var file line, or a TF_VAR_ environment variable (line 0)."""
    name: str
    value: object
    file: str
    line: int

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass
class Model:
    env: str
    root: str
    resources: list[Resource] = field(default_factory=list)
    providers: list[Resource] = field(default_factory=list)     # provider blocks, as pseudo-resources
    backend: Resource | None = None                             # merged backend block + backend.hcl
    variables: list[Variable] = field(default_factory=list)
    tfvars: list[VarAssignment] = field(default_factory=list)                 # from var files, in precedence order
    environment_values: list[VarAssignment] = field(default_factory=list)     # TF_VAR_* used (never printed)
    root_values: dict = field(default_factory=dict)             # root variable -> (value, "file:line")
    unevaluated: list[tuple[str, str, int, str]] = field(default_factory=list)  # (address, file, line, why)
    rejected_inputs: list[tuple[str, str, int, str]] = field(default_factory=list)  # failed variable validations
    _index: dict = field(default_factory=dict, init=False, repr=False, compare=False)
    _index_of: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def of_type(self, *types: str) -> list[Resource]:
        return [r for r in self.resources if r.type in types and r.mode == "managed"]

    def by_address(self, address: str) -> Resource | None:
        """The first resource with this address, in O(1): rules ask this once per resource they relate."""
        position = self._address_index().get(address)
        if position is not None and self.resources[position].address == address:
            return self.resources[position]
        if position is not None:            # the list was edited in place since it was indexed
            self._index_of = None
            return next((r for r in self.resources if r.address == address), None)
        return None

    def _address_index(self) -> dict:
        """address -> position, rebuilt whenever the resource list was replaced or grew or shrank since."""
        signature = (id(self.resources), len(self.resources))
        if self._index_of != signature:
            index: dict = {}
            for n, r in enumerate(self.resources):
                index.setdefault(r.address, n)
            self._index, self._index_of = index, signature
        return self._index
