"""Reads one `terraform show -json` file and says in one line why it is not a plan the front-end can use.

Supported: format_version 1.x (terraform >= 1.0). 0.1 and 0.2 (terraform 0.12 - 0.15) have the same shape and are
read with a notice; any other version, a state file, text output or a binary plan is an InputError (exit 2).
"""
from __future__ import annotations

import codecs
import json
import os
import re
from dataclasses import dataclass, field

from ..errors import InputError

CONVERT = "run terraform plan -out=tfplan && terraform show -json tfplan > plan.json"
LEGACY_FORMATS = {(0, 1), (0, 2)}     # terraform 0.12 - 0.15: the same shape as 1.x, sensitive marks from 0.2 on


@dataclass
class PlanDoc:
    path: str                 # as given on the command line
    data: dict
    format_version: str
    terraform_version: str
    notices: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


def _decode(raw: bytes, path: str) -> str:
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict")
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):   # PowerShell 5 `>` writes UTF-16
        return raw.decode("utf-16")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"is not UTF-8 text (byte {exc.start}): not the output of terraform show -json", path,
                         hint=CONVERT) from None


def _version(value) -> tuple[int, int] | None:
    m = re.fullmatch(r"(\d+)\.(\d+)(?:\.\d+)?", value) if isinstance(value, str) else None
    return (int(m.group(1)), int(m.group(2))) if m else None


def parse(text: str, path: str) -> PlanDoc:
    stripped = text.lstrip()
    if not stripped:
        raise InputError("is empty: expected the output of terraform show -json", path, hint=CONVERT)
    if stripped[0] not in "{[":
        first = stripped.splitlines()[0][:60]
        raise InputError(f"is not JSON (it starts with {first!r}): terraform plan's text output is not a plan file",
                         path, hint=CONVERT)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"is not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", path,
                         hint=CONVERT) from None
    if not isinstance(data, dict):
        raise InputError(f"is JSON but not a Terraform plan (the top level is a {type(data).__name__})", path,
                         hint=CONVERT)
    if "lineage" in data and "serial" in data:
        raise InputError(f"is a Terraform state file (terraform.tfstate, version {data.get('version')}), not a plan",
                         path, hint=CONVERT)
    if "format_version" not in data:
        raise InputError("is JSON but not the output of terraform show -json (no format_version)", path, hint=CONVERT)
    if "values" in data and "planned_values" not in data and "resource_changes" not in data:
        raise InputError("is the JSON of a state (terraform show -json without a plan file), not a plan", path,
                         hint=CONVERT)
    fmt = data.get("format_version")
    tf = str(data.get("terraform_version") or "unknown")
    version = _version(fmt)
    notices = []
    if version is None or (version[0] != 1 and version not in LEGACY_FORMATS):
        raise InputError(f"format_version {fmt!r} is not supported: this front-end reads plan format 1.x, which "
                         f"terraform >= 1.0 writes (0.1/0.2 from terraform 0.12-0.15 are read with a notice)", path,
                         hint=f"produce it with terraform >= 1.0: {CONVERT}")
    if version in LEGACY_FORMATS:
        notices.append(f"format_version {fmt} (terraform {tf}) predates the stable 1.x format; read as 1.x "
                       f"(same shape{'' if version >= (0, 2) else ', no sensitive marks'}; attribute names of that "
                       f"provider era) - terraform >= 1.0 writes 1.x")
    if "planned_values" not in data and "resource_changes" not in data:
        raise InputError("is not a plan: it has neither planned_values nor resource_changes", path, hint=CONVERT)
    if data.get("errored") is True:
        raise InputError("records a plan that errored (errored: true): it is incomplete, and so would the findings be",
                         path, hint="fix the errors terraform plan reported, then export the plan again")
    for key in ("resource_changes",):
        if key in data and not isinstance(data[key], list):
            raise InputError(f"is not a valid plan: {key} is not a list", path)
    for key in ("planned_values", "prior_state", "configuration"):
        if key in data and data[key] is not None and not isinstance(data[key], dict):
            raise InputError(f"is not a valid plan: {key} is not an object", path)
    return PlanDoc(path, data, str(fmt), tf, notices)


def load(path: str) -> PlanDoc:
    if os.path.isdir(path):
        raise InputError("is a directory, not a plan file", path, hint=CONVERT)
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        raise InputError("plan file not found", path, hint=CONVERT) from None
    except OSError as exc:
        raise InputError(f"cannot read the plan file: {exc.strerror}", path) from None
    if raw.startswith(b"PK\x03\x04"):
        raise InputError("is a binary plan file (terraform plan -out), not its JSON", path,
                         hint=f"convert it: terraform show -json {os.path.basename(path)} > plan.json")
    return parse(_decode(raw, path), path)
