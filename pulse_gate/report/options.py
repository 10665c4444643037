"""The output flags `check` shares between its HCL and plan front-ends, and how a run is printed.

--format, --select, --skip, --list-rules, --version; an input error in json mode is a JSON document on stdout too.
"""
from __future__ import annotations

import argparse
import json
import sys

from ..errors import InputError, run_reporting_input_errors
from . import FORMATS, Report, catalog, exit_code, render, render_error, versions


def version_text() -> str:
    v = versions()
    return f"pulse-gate {v['pulse_gate']} (python-hcl2 {v['python_hcl2']}, Python {sys.version.split()[0]})"


def add_output_arguments(p: argparse.ArgumentParser):
    p.add_argument("--format", choices=FORMATS, default="text",
                   help="text (default), json (docs/output.md), sarif (code scanning), junit, github (annotations)")
    p.add_argument("--select", action="append", metavar="IDS",
                   help="run only these rule ids (comma-separated, repeatable)")
    p.add_argument("--skip", action="append", metavar="IDS", help="do not run these rule ids (comma-separated, "
                                                                    "repeatable)")
    p.add_argument("--list-rules", action="store_true", help="print the rules (id, severity, title) and exit")
    p.add_argument("--version", action="version", version=version_text())
    p.error = raise_input_error   # a bad flag is an input error like any other: one line, exit 2 (JSON too)


def raise_input_error(message: str):
    raise InputError(message, hint="see --help")


def _ids(values) -> list[str] | None:
    if not values:
        return None
    return [part.strip().upper() for value in values for part in value.split(",") if part.strip()]


def rule_selection(args) -> tuple[list[str] | None, list[str] | None, list[str]]:
    """(select, skip, ids of the rules that will run); an id no rule has is an InputError, never a silent no-op."""
    from ..rules import RULES
    select, skip = _ids(args.select), _ids(args.skip)
    for flag, ids in (("--select", select), ("--skip", skip)):
        for rule_id in ids or ():
            if rule_id not in RULES:
                raise InputError(f"{flag}: no rule has the id {rule_id}", hint="--list-rules prints every rule id")
    running = [r for r in sorted(RULES) if (select is None or r in select) and r not in (skip or ())]
    return select, skip, running


def filtered(findings: list, running: list[str]) -> list:
    """Findings of the rules that run (for a front-end that cannot be told which rules to run)."""
    keep = set(running)
    return [f for f in findings if f.rule_id in keep]


def list_rules(fmt: str) -> int:
    rules = catalog()
    if fmt == "json":
        from .jsonout import _header
        print(json.dumps({**_header(), "rules": rules}, indent=2))
    else:
        for r in rules:
            print(f"{r['id']:<6} {r.get('severity', 'error'):<7} {r.get('title', '')}")
    return 0


def emit(fmt: str, report: Report) -> int:
    sys.stdout.write(render(fmt, report))
    return exit_code(report.findings)


def requested_format(argv: list[str]) -> str:
    """--format as given, read before parsing (so that a parse error can already be answered in JSON)."""
    fmt = "text"
    for n, arg in enumerate(argv):
        if arg == "--format" and n + 1 < len(argv):
            fmt = argv[n + 1]
        elif arg.startswith("--format="):
            fmt = arg.partition("=")[2]
    return fmt


def run_formatted(run, argv: list[str], too_deep: str) -> int:
    """errors.run_reporting_input_errors (one line on stderr, exit 2), plus the error as JSON on stdout when
    --format json was asked for: a pipeline reading stdout gets a document either way."""
    fmt = requested_format(argv)

    def answered():
        try:
            return run()
        except InputError as exc:
            _write(render_error(fmt, exc))
            raise
        except RecursionError:
            _write(render_error(fmt, InputError(too_deep)))
            raise
    return run_reporting_input_errors(answered, too_deep)


def _write(document: str | None):
    if document:
        sys.stdout.write(document)
