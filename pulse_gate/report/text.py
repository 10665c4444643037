"""The human format: one line per finding (Finding.line_text), then one verdict line."""
from __future__ import annotations

from . import Report, active, suppressed


def line(finding) -> str:
    reason = suppressed(finding)
    if not reason:
        return finding.line_text()
    where = getattr(finding, "suppression", None)
    text = finding.line_text().replace("FAIL ", "SUPPRESSED ", 1)
    return f"{text} - suppressed{f' at {where}' if where else ''}: {reason}"


def render(report: Report) -> str:
    lines = list(report.notes)
    lines += [line(f) for f in report.findings]
    failing = active(report.findings)
    verdict = "FAILED" if failing else "passed"
    quiet = len(report.findings) - len(failing)
    unit = report.extra.get("unit", "environment")
    summary = (f"policy gate {verdict}: {len(failing)} finding(s) in {len(report.environments)} {unit}(s) "
               f"[{', '.join(report.environments)}], {report.resources} resource instance(s) evaluated")
    if quiet:
        summary += f"; {quiet} suppressed"
    if report.extra.get("not_checked"):
        summary += f"; not checked from a plan: {', '.join(report.extra['not_checked'])}"
    lines.append(summary)
    return "\n".join(lines) + "\n"
