"""Machine-readable JSON, versioned by `schema_version` and described by output.schema.json (docs/output.md)."""
from __future__ import annotations

import json

from . import SCHEMA_VERSION, TOOL, Report, active, suppressed, versions


def _finding(f) -> dict:
    data = f.as_dict()
    data["suppressed"] = suppressed(f)            # null unless an inline suppression covers it
    data["suppression"] = getattr(f, "suppression", None)
    return data


def _header() -> dict:
    return {"schema_version": SCHEMA_VERSION, "tool": {"name": TOOL, **versions()}}


def render(report: Report) -> str:
    failing = active(report.findings)
    data = {
        **_header(),
        "command": report.command,
        "environments": report.environments,
        "rules": report.rules,
        "findings": [_finding(f) for f in report.findings],
        "count": len(failing),
        "suppressed_count": len(report.findings) - len(failing),
        "resources": report.resources,
        "exit_code": 1 if failing else 0,
        **{k: v for k, v in report.extra.items() if k != "unit"},
    }
    return json.dumps(data, indent=2) + "\n"


def render_error(error) -> str:
    """An InputError (or any one-line input failure) as the JSON document a pipeline reads instead of results."""
    data = {
        **_header(),
        "error": {"message": getattr(error, "message", str(error)), "file": getattr(error, "file", None),
                  "line": getattr(error, "line", None), "hint": getattr(error, "hint", None), "text": str(error)},
        "exit_code": 2,
    }
    return json.dumps(data, indent=2) + "\n"
