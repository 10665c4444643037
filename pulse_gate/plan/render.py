"""Markdown (a pull-request comment) and JSON for reviews. Deterministic: everything is sorted before it gets here,
and nothing here depends on time, paths or dict order. Sensitive values are masked as a last pass.
"""
from __future__ import annotations

import json
from dataclasses import asdict

from .review import ATTENTION, BLOCKED, SAFE, WEAKENED, EnvReview, verdict_of
from .sensitive import redact, redact_data

ICON = {SAFE: "✅", ATTENTION: "⚠️", BLOCKED: "🛑"}
CHANGE_ICON = {"added": "➕", "removed": "➖", "replaced": "🔁"}
VERDICT_NOTE = {"insecure": "⚠️ insecure", "still insecure": "⚠️ still insecure", "unknown": "❔ known after apply",
                "more exposed": "⚠️ more exposed", "less exposed": "✅ less exposed", "hardened": "✅ hardened",
                "changed": "changed"}
MIN_CHARS = 500
DEFAULT_MAX_CHARS = 60000     # GitHub allows 65536 characters in a comment; leave room for a wrapper


def plan_summary(counts: dict) -> str:
    parts = [f"{counts.get(k, 0)} to {label}" for k, label in
             (("create", "add"), ("update", "change"), ("replace", "replace"), ("delete", "destroy"))
             if counts.get(k, 0)]
    return ", ".join(parts) or "no changes"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _value(text: str) -> str:
    if text.startswith("(") or text == "Key Vault reference":
        return _cell(text)
    if text.endswith(" (default)"):
        return f"`{_cell(text[:-10])}` (default)"
    return f"`{_cell(text)}`"


def _ra_line(c) -> str:
    flags = f" — ⚠️ {', '.join(c.flags)}" if c.flags else ""
    line = f"- {CHANGE_ICON[c.change]} **{c.change}**: {c.identity} → **{c.role}** → {c.scope}{flags} · `{c.address}`"
    if c.change == "replaced":
        now = f"{c.identity} → {c.role} → {c.scope}"
        line += (f"\n  - was: {c.before}" + (f"; {c.reason}" if c.reason else "") if c.before != now
                 else "\n  - re-created" + (f": {c.reason}" if c.reason else ""))
    elif c.reason:
        line += f" ({c.reason})"
    return line


def _env_lines(r: EnvReview) -> list[str]:
    lines = [f"### `{r.env}` — {ICON[r.verdict]} {r.verdict}", "",
             f"`{r.file}` · terraform {r.terraform_version} · plan format {r.format_version} · "
             f"{plan_summary(r.counts)}"]
    if r.reasons:
        lines.append(f"Why: {'; '.join(r.reasons)}.")
    for notice in r.notices:
        lines.append(f"> ℹ️ {notice}")
    if not (r.role_changes or r.settings or r.identities or r.destroyed or r.findings):
        lines += ["", "No changes to role assignments, security settings or identities; nothing destroyed; "
                      "no policy findings."]
        return lines
    if r.role_changes:
        lines += ["", f"#### Role assignments ({len(r.role_changes)}): identity → role → resource", ""]
        lines += [_ra_line(c) for c in r.role_changes]
    if r.settings:
        lines += ["", f"#### Security settings ({len(r.settings)})", "",
                  "| Resource | Setting | Before | After | |", "|---|---|---|---|---|"]
        for s in r.settings:
            lines.append(f"| {_cell(s.resource)} | `{_cell(s.attribute)}` | {_value(s.before)} | {_value(s.after)} | "
                         f"{VERDICT_NOTE.get(s.verdict, s.verdict)} |")
    if r.identities:
        lines += ["", f"#### Identity replacements ({len(r.identities)})", ""]
        for i in r.identities:
            what = {"replaced": "is replaced: its identity gets a new principal id",
                    "destroyed": "is destroyed, and its identity with it",
                    "identity changed": "changes its identity: the principal id changes"}[i.action]
            lines.append(f"- 🔁 **{i.resource} {what}** (old principal `{i.old_principal}`) · `{i.address}`"
                         + (f"  \n  Why: {i.reason}." if i.reason else ""))
            if i.orphans:
                lines.append(f"  - Role assignments held by the old principal ({len(i.orphans)}):")
                for o in i.orphans:
                    mark = "⚠️ " if o.silent else ""
                    lines.append(f"    - {mark}**{o.role}** on {o.scope}: {o.fate} · `{o.address}`")
            else:
                lines.append("  - No role assignment in this plan is held by the old principal.")
        lines += ["", "> Until apply re-creates them and Azure RBAC propagates, the new identity holds none of these "
                      "roles. Role assignments made outside this configuration are not in the plan: check them after "
                      "apply with `python -m pulse_gate verify`."]
    if r.destroyed:
        lines += ["", f"#### Destroyed or replaced resources ({len(r.destroyed)})", ""]
        for d in r.destroyed:
            icon = "🔁" if d.action == "replaced" else "🗑️"
            lines.append(f"- {icon} **{d.action}**: {d.resource} · `{d.address}`" + (f" — {d.reason}" if d.reason
                                                                                     else ""))
    if r.findings:
        lines += ["", f"#### Policy findings ({len(r.findings)})", ""]
        for f in r.findings:
            target = f"{f.address}.{f.attribute}" if f.attribute else f.address
            lines.append(f"- **{f.rule_id}** `{target}` (`{f.file}:{f.line}`): {f.message} — *fix:* {f.hint}")
    return lines


def markdown(reviews: list[EnvReview], secrets: set[str], max_chars: int = DEFAULT_MAX_CHARS) -> str:
    verdict = verdict_of(reviews)
    head = [f"## {ICON[verdict]} Terraform plan review: {verdict}", "",
            "| Environment | Verdict | Plan | Role assignments | Security settings | Identities replaced | Findings |",
            "|---|---|---|---|---|---|---|"]
    for r in reviews:
        ra = ", ".join(f"{sum(1 for c in r.role_changes if c.change == k)} {k}"
                       for k in ("added", "removed", "replaced") if any(c.change == k for c in r.role_changes)) or "—"
        weakened = sum(1 for s in r.settings if s.verdict in WEAKENED)
        settings = f"{len(r.settings)} changed" + (f", {weakened} ⚠️" if weakened else "") if r.settings else "—"
        head.append(f"| `{_cell(r.env)}` | {ICON[r.verdict]} {r.verdict} | {plan_summary(r.counts)} | {ra} | "
                    f"{settings} | {len(r.identities) or '—'} | {len(r.findings) or '—'} |")
    body = []
    for r in reviews:
        body += [""] + _env_lines(r)
    head = [redact(line, secrets) for line in head]
    body = [redact(line, secrets) for line in body]
    return _cap(head, body, max(max_chars, MIN_CHARS))


def _cap(head: list[str], body: list[str], max_chars: int) -> str:
    full = "\n".join(head + body) + "\n"
    if len(full) <= max_chars:
        return full
    total = len(body)
    kept: list[str] = []
    size = len("\n".join(head)) + 1
    for line in body:
        note = _note(max_chars, total - len(kept) - 1)
        if size + len(line) + 1 + len(note) > max_chars:
            break
        kept.append(line)
        size += len(line) + 1
    text = "\n".join(head + kept) + "\n" + _note(max_chars, total - len(kept))
    return text if len(text) <= max_chars else text[:max_chars - len(_note(max_chars, total))] + _note(max_chars,
                                                                                                         total)


def _note(max_chars: int, omitted: int) -> str:
    return (f"\n> ⚠️ **Truncated** to fit {max_chars} characters: {omitted} more line(s) left out. The table above "
            f"covers every environment; `python -m pulse_gate review --format json` gives the full review.\n")


def as_json(reviews: list[EnvReview], secrets: set[str]) -> str:
    data = {"verdict": verdict_of(reviews), "environments": []}
    for r in reviews:
        env = asdict(r)
        env["findings"] = [f.as_dict() for f in r.findings]
        env["plan_summary"] = plan_summary(r.counts)
        data["environments"].append(env)
    return json.dumps(redact_data(data, secrets), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
