"""Renders a verification `Report` as text or JSON."""
from __future__ import annotations

import json
from dataclasses import asdict

from .diff import Finding, Report


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def calls_line(calls: dict) -> str:
    if not calls:
        return "calls: not counted"
    parts = [f"{_plural(calls['assignment_pages'], 'assignment page')} over {_plural(calls['listings'], 'listing')}"]
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
        line += f"  (principal {f.principal_id} no longer exists)"
    return line


def text(report: Report) -> str:
    env = report.environment
    out = [f"RBAC verification: environment {env.name}",
           f"  subscription {env.subscription_id}, resource group {env.resource_group_name}",
           f"  scopes listed: {len(report.listings)} ({report.assignments_seen} assignments seen)"]
    for listing in report.listings:
        out.append(f"    {listing.scope}  ({listing.covers})")
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
    out.append("")
    counts = report.counts
    if report.drift:
        out.append("result: DRIFT - " + ", ".join(f"{n} {k}" for k, n in counts.items()) + " (exit 1)")
    else:
        out.append("result: in sync - required grants held, nothing unexpected or orphaned (exit 0)")
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
    }


def as_json(report: Report) -> str:
    return json.dumps(as_dict(report), indent=2) + "\n"
