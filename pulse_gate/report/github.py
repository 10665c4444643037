"""GitHub Actions workflow commands: `::error file=F,line=L,title=T::message`, one per finding.

Escaping as @actions/core's command.ts does: in the message %, CR and LF; in a property also ':' and ','.
Paths are relative to the root, which is the repository root when CI runs `check` there.
"""
from __future__ import annotations

from . import Report, active, severity, suppressed

LEVEL = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(level: str, message: str, file: str | None = None, line: int | None = None,
               title: str | None = None) -> str:
    props = []
    if file:
        props.append(f"file={escape_property(file)}")
        if line and line > 0:
            props.append(f"line={line}")
    if title:
        props.append(f"title={escape_property(title)}")
    return f"::{level} {','.join(props)}::{escape_data(message)}" if props else f"::{level}::{escape_data(message)}"


def _one(f) -> str:
    target = f"{f.address}.{f.attribute}" if f.attribute else f.address
    reason = suppressed(f)
    if reason:   # still shown, never as an error: a reviewer sees what was accepted and why
        return annotation("notice", f"suppressed: {reason} ({target}: {f.message})", f.file, f.line,
                          f"{f.rule_id} [{f.env}] suppressed")
    return annotation(LEVEL[severity(f)], f"{target}: {f.message} - fix: {f.hint}", f.file, f.line,
                      f"{f.rule_id} [{f.env}]")


def render(report: Report) -> str:
    lines = [_one(f) for f in report.findings]
    failing = active(report.findings)
    verdict = "FAILED" if failing else "passed"
    lines.append(f"policy gate {verdict}: {len(failing)} finding(s) in [{', '.join(report.environments)}]")
    return "\n".join(lines) + "\n"
