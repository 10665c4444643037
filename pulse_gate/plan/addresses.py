"""Terraform addresses and reference strings: `module.rbac["k"].azurerm_role_assignment.this[0]`,
`azurerm_linux_function_app.orchestrator.identity[0].principal_id`, `each.value.principal_id`.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

WILD = "*"          # an instance key the configuration does not pin down (a module or resource with for_each/count)
NAME = re.compile(r"[A-Za-z0-9_\-]+")


class AddressError(ValueError):
    pass


def tokenize(text: str) -> list:
    """`a.b["k"][0].c` -> ["a", "b", ("k",), (0,), "c"]: names as str, index steps as 1-tuples."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == ".":
            i += 1
            continue
        if c == "[":
            j = i + 1
            if j < n and text[j] == '"':
                k = j + 1
                while k < n and text[k] != '"':
                    k += 2 if text[k] == "\\" else 1
                key = json.loads(text[j:k + 1])
                i = k + 1
            else:
                k = text.find("]", j)
                if k < 0:
                    raise AddressError(f"unclosed [ in {text!r}")
                raw = text[j:k].strip()
                if len(raw) >= 2 and raw[0] == raw[-1] == "'":
                    key = raw[1:-1]
                else:
                    key = int(raw) if raw.lstrip("-").isdigit() else raw
                i = k
            if i >= n or text[i] != "]":
                raise AddressError(f"bad index in {text!r}")
            out.append((key,))
            i += 1
            continue
        m = NAME.match(text, i)
        if not m:
            raise AddressError(f"unexpected {c!r} in {text!r}")
        out.append(m.group(0))
        i = m.end()
    return out


def key_suffix(key) -> str:
    if key is None:
        return ""
    if key == WILD:
        return "[*]"
    if isinstance(key, int):
        return f"[{key}]"
    return f"[{json.dumps(key)}]"


def path_str(tokens) -> str:
    """Attribute path in the form the HCL front-end's Ref uses: `identity[0].principal_id`, `tags['x']`."""
    out = ""
    for t in tokens:
        if isinstance(t, tuple):
            out += f"[{t[0]!r}]" if isinstance(t[0], str) else f"[{t[0]}]"
        else:
            out += ("." if out else "") + t
    return out


def module_prefix(path: tuple) -> str:
    """((name, key), ...) -> `module.a["x"].module.b`."""
    return ".".join(f"module.{name}{key_suffix(key)}" for name, key in path)


@dataclass(frozen=True)
class InstanceAddr:
    module: tuple            # ((call name, key or None), ...)
    mode: str                # managed | data
    type: str
    name: str
    key: object = None

    @property
    def config_module(self) -> tuple:
        return tuple(name for name, _ in self.module)

    @property
    def config_address(self) -> str:
        """The resource's address inside its module, as the configuration section writes it."""
        return f"{'data.' if self.mode == 'data' else ''}{self.type}.{self.name}"

    def __str__(self) -> str:
        prefix = module_prefix(self.module)
        base = f"{self.config_address}{key_suffix(self.key)}"
        return f"{prefix}.{base}" if prefix else base


def parse_instance(address: str) -> InstanceAddr:
    tokens = tokenize(address)
    module, i = [], 0
    while i < len(tokens) and tokens[i] == "module":
        if i + 1 >= len(tokens) or isinstance(tokens[i + 1], tuple):
            raise AddressError(f"bad module address {address!r}")
        name, key = tokens[i + 1], None
        if i + 2 < len(tokens) and isinstance(tokens[i + 2], tuple):
            key = tokens[i + 2][0]
            i += 1
        module.append((name, key))
        i += 2
    mode = "managed"
    if i < len(tokens) and tokens[i] == "data":
        mode, i = "data", i + 1
    rest = tokens[i:]
    if len(rest) < 2 or isinstance(rest[0], tuple) or isinstance(rest[1], tuple):
        raise AddressError(f"bad resource address {address!r}")
    key = rest[2][0] if len(rest) > 2 and isinstance(rest[2], tuple) else None
    if len(rest) > (3 if key is not None else 2):
        raise AddressError(f"bad resource address {address!r}")
    return InstanceAddr(tuple(module), mode, rest[0], rest[1], key)


def matches(pattern: str, address: str) -> bool:
    """Whether an address with [*] wildcards names this instance address."""
    if "[*]" not in pattern:
        return pattern == address
    regex = "^" + re.escape(pattern).replace(re.escape("[*]"), r"\[[^\]]*\]") + "$"
    return re.match(regex, address) is not None


def group_references(refs: list[str]) -> list[str]:
    """Terraform lists each reference followed by its shorter prefixes (`a.b.c`, `a.b`, `a`): keep the longest."""
    heads: list[str] = []
    previous = None
    for ref in refs:
        if not isinstance(ref, str):
            continue
        if previous is not None and previous.startswith(ref) and (
                len(previous) == len(ref) or previous[len(ref)] in ".["):
            previous = ref
            continue
        heads.append(ref)
        previous = ref
    return heads
