"""Renders a verification `Report` as text or JSON. App setting values never reach it (only names/presence)."""
from __future__ import annotations

import json
from dataclasses import asdict

from .diff import Finding, Report
from .posture import PostureFinding


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def calls_line(calls: dict) -> str:
    if not calls:
        return "calls: not counted"
    parts = [f"{_plural(calls['assignment_pages'], 'assignment page')} over {_plural(calls['listings'], 'listing')}"]
    for key, word in (("resource_reads", "resource read"), ("app_settings_lists", "app settings list"),
                      ("graph_batches", "Graph batch")):
        if calls.get(key):
            parts.append(_plural(calls[key], word).replace("batchs", "batches"))
    lookups = calls["role_definition_gets"] + calls["role_definition_lists"]
    if lookups:
        parts.append(_plural(lookups, "role definition lookup"))
    if calls["throttled"]:
        parts.append(f"{calls['throttled']} throttled (429) and retried")
    if calls["server_errors"]:
        parts.append(f"{calls['server_errors']} transient server errors retried")
    return f"calls: {calls['total']} ({', '.join(parts)})"


def _row(f: Finding) -> str:
    role = f.role + (" [forbidden role]" if f.forbidden else "")
    line = f"  {f.kind:<11} {role:<40} on {f.where}"
    if f.kind == "orphaned":
        line += f"  (principal {f.principal_id} no longer exists: {f.why})"
    elif f.kind == "unexplained":
        line += f"  (principal {f.principal_id}, {f.why})"
    return line


def _posture_row(f: PostureFinding) -> list[str]:
    return [f"  {f.kind:<11} {f.prop:<40} on {f.address}",
            f"              expected {f.expected}, live {f.live}; Terraform: {f.terraform}"
            + (f"; {f.why}" if f.why else "")]


def _directory_line(report: Report) -> str:
    d = report.directory
    if d is None:
        return "  principals resolved through Microsoft Graph: none to resolve"
    if d.existing is None:
        return f"  principals resolved through Microsoft Graph: no, {d.asked} not resolved (403: see the warning)"
    return f"  principals resolved through Microsoft Graph: {d.asked} ({d.not_found} not found)"


def text(report: Report) -> str:
    env = report.environment
    out = [f"Post-deploy verification: environment {env.name}",
           f"  subscription {env.subscription_id}, resource group {env.resource_group_name}",
           f"  scopes listed: {len(report.listings)} ({report.assignments_seen} assignments seen)"]
    for listing in report.listings:
        out.append(f"    {listing.scope}  ({listing.covers})")
    out.append(_directory_line(report))
    out.append(f"  keyless settings compared with the Terraform of envs/{env.name}: {report.posture_checked}")
    out.append(f"  {calls_line(report.calls)}")
    out.append("")
    for ident in report.identities:
        head = f"{ident.name} ({ident.principal_id})"
        if ident.in_sync:
            out.append(f"{head}: in sync, {_plural(len(ident.held), 'permitted grant')} held")
            continue
        out.append(f"{head}: DRIFT")
        out.extend(_row(f) for f in [*ident.missing, *ident.unexpected])
    out.append("orphaned assignments in the environment (principal deleted): "
               + ("none" if not report.orphaned else str(len(report.orphaned))))
    out.extend(_row(f) for f in report.orphaned)
    if report.unexplained:
        out.append(f"unexplained assignments in the environment (Graph not readable): {len(report.unexplained)}")
        out.extend(_row(f) for f in report.unexplained)
    out.append("deployed settings against the Terraform intent: "
               + ("in sync" if not report.posture else f"{len(report.posture)} not in sync"))
    for f in report.posture:
        out.extend(_posture_row(f))
    out.append("")
    counts = report.counts
    if report.drift:
        out.append("result: DRIFT - " + ", ".join(f"{n} {k}" for k, n in counts.items() if n) + " (exit 1)")
    else:
        out.append("result: in sync - required grants held, nothing unexpected or orphaned, deployed settings as "
                   "Terraform sets them (exit 0)")
    return "\n".join(out) + "\n"


def as_dict(report: Report) -> dict:
    env = report.environment
    return {
        "environment": env.name,
        "subscription_id": env.subscription_id,
        "resource_group_id": env.resource_group_id,
        "in_sync": not report.drift,
        "counts": report.counts,
        "scopes": [{"scope": l.scope, "filter": l.filter, "covers": l.covers} for l in report.listings],
        "calls": report.calls,
        "assignments_seen": report.assignments_seen,
        "identities": [{"name": i.name, "principal_id": i.principal_id, "is_app": i.is_app, "in_sync": i.in_sync,
                        "held": [asdict(f) for f in i.held], "missing": [asdict(f) for f in i.missing],
                        "unexpected": [asdict(f) for f in i.unexpected]} for i in report.identities],
        "orphaned": [asdict(f) for f in report.orphaned],
        "unexplained": [asdict(f) for f in report.unexplained],
        "graph": _directory(report),
        "posture": {"checked": report.posture_checked, "findings": [asdict(f) for f in report.posture]},
    }


def _directory(report: Report) -> dict:
    d = report.directory
    if d is None:
        return {"resolved": True, "asked": 0, "not_found": 0, "unavailable": ""}   # nothing to resolve
    return {"resolved": d.existing is not None, "asked": d.asked, "not_found": d.not_found,
            "unavailable": d.unavailable}


def as_json(report: Report) -> str:
    return json.dumps(as_dict(report), indent=2) + "\n"
