"""Reporters: one run's findings in the format a reader or a tool expects. They format; they decide nothing.

`render(fmt, report)` is the whole API; the exit code stays with the caller (`exit_code`), and counts only
findings no inline suppression covers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import __version__

TOOL = "pulse-gate"
FORMATS = ("text", "json", "sarif", "junit", "github")
SCHEMA_VERSION = "1.0"       # of the JSON output: docs/output.md, pulse_gate/report/output.schema.json
SEVERITIES = ("error", "warning", "note")


@dataclass
class Report:
    """Everything a reporter may show about one run of `check` (HCL or --plan)."""
    command: str                          # "check" or "check --plan"
    environments: list[str]
    findings: list                        # pulse_gate.rules.Finding
    rules: list[str]                      # ids of the rules that ran (after --select/--skip)
    resources: int = 0                    # resource instances evaluated
    root: str | None = None               # the Terraform root file paths are relative to
    extra: dict = field(default_factory=dict)   # front-end specific JSON fields (plans, notices, ...)
    notes: list[str] = field(default_factory=list)  # lines the text summary adds (before the verdict)


def suppressed(finding) -> str | None:
    """The reason of the inline suppression covering a finding, if any (the field exists once suppressions do)."""
    return getattr(finding, "suppressed", None)


def active(findings) -> list:
    return [f for f in findings if not suppressed(f)]


def exit_code(findings) -> int:
    return 1 if active(findings) else 0


def severity(finding) -> str:
    value = getattr(finding, "severity", "error")
    return value if value in SEVERITIES else "error"


def rule_meta(rule_id: str) -> dict:
    """What the rule says about itself; the fields the rules engineer adds are optional here."""
    from ..rules import RULES
    rule = RULES.get(rule_id)
    return {
        "id": rule_id,
        "name": getattr(rule, "name", rule_id),
        "title": getattr(rule, "title", rule_id),
        "severity": getattr(rule, "severity", "error"),
        "resource_types": list(getattr(rule, "resource_types", ()) or ()),
        "rationale": getattr(rule, "rationale", "") or "",
        "learn_url": getattr(rule, "learn_url", "") or "",
        "doc_path": getattr(rule, "doc_path", "") or "",
    }


def catalog() -> list[dict]:
    """pulse_gate.rules.catalog() when the rules describe themselves, else what every Rule has (id, title)."""
    from .. import rules
    if callable(getattr(rules, "catalog", None)):
        return list(rules.catalog())
    return [rule_meta(rule_id) for rule_id in sorted(rules.RULES)]


def versions() -> dict:
    return {"pulse_gate": __version__, "python_hcl2": _hcl2_version()}


def _hcl2_version() -> str:
    # Read from python-hcl2's version file, not by importing it (or importlib.metadata): --version is built for
    # every run, and a run answered from the parse cache imports neither.
    from ..hcl.cache import hcl2_version_source
    source = hcl2_version_source()
    if source is None:
        return "not installed"
    match = re.search(rb"""__version__\s*=\s*(?:version\s*=\s*)?['"]([^'"]+)['"]""", source)
    return match.group(1).decode() if match else "unknown"


def render(fmt: str, report: Report) -> str:
    from . import github, jsonout, junit, sarif, text
    renderers = {"text": text.render, "json": jsonout.render, "sarif": sarif.render, "junit": junit.render,
                 "github": github.render}
    return renderers[fmt](report)


def render_error(fmt: str, error) -> str | None:
    """An input error in the chosen format on stdout, for the formats a machine reads whole; None: stderr only."""
    if fmt == "json":
        from .jsonout import render_error as json_error
        return json_error(error)
    return None
