"""SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif).

One run; one reportingDescriptor per rule that ran; one result per finding. A finding an inline suppression covers is
a result with an in-source suppression (code scanning shows it as dismissed). Each environment is its own alert:
the partial fingerprint holds rule, environment, address and attribute, so prod's finding is not folded into dev's.
"""
from __future__ import annotations

import hashlib
import json
import os

from . import TOOL, Report, rule_meta, severity, suppressed, versions

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
# GitHub ranks security alerts by this number (critical >= 9, high >= 7, medium >= 4).
SECURITY_SEVERITY = {"error": "8.0", "warning": "5.0", "note": "2.0"}


def _uri(report: Report, file: str) -> str:
    """Paths in findings are relative to the root; code scanning wants them relative to the repository, which is
    the working directory CI runs from, so a root elsewhere is re-expressed relative to it."""
    if report.root and not os.path.isabs(file):
        path = os.path.relpath(os.path.join(os.path.abspath(report.root), file))
        if not path.startswith(".."):
            return path.replace(os.sep, "/")
    return file.replace(os.sep, "/")


def _descriptor(rule_id: str) -> dict:
    meta = rule_meta(rule_id)
    level = meta["severity"] if meta["severity"] in SECURITY_SEVERITY else "error"
    help_text = meta["rationale"] or meta["title"]
    if meta["learn_url"]:
        help_text += f"\nSource: {meta['learn_url']}"
    descriptor = {
        "id": rule_id,
        "name": meta["name"],
        "shortDescription": {"text": meta["title"]},
        "fullDescription": {"text": meta["rationale"] or meta["title"]},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": level},
        "properties": {"tags": ["security", "terraform", "azure"], "precision": "very-high",
                       "security-severity": SECURITY_SEVERITY[level]},
    }
    if meta["learn_url"]:
        descriptor["helpUri"] = meta["learn_url"]
    if meta["resource_types"]:
        descriptor["properties"]["resource_types"] = meta["resource_types"]
    return descriptor


def _fingerprint(f) -> str:
    key = "\x1f".join((f.rule_id, f.env, f.address, f.attribute))
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _result(report: Report, f, index: dict) -> dict:
    target = f"{f.address}.{f.attribute}" if f.attribute else f.address
    location = {"artifactLocation": {"uri": _uri(report, f.file)}}
    if f.line and f.line > 0:
        location["region"] = {"startLine": f.line}
    result = {
        "ruleId": f.rule_id,
        "ruleIndex": index[f.rule_id],
        "level": severity(f),
        "message": {"text": f"[{f.env}] {target}: {f.message}. Fix: {f.hint}"},
        "locations": [{"physicalLocation": location,
                       "logicalLocations": [{"fullyQualifiedName": target, "kind": "resource"}]}],
        "partialFingerprints": {"pulseGateFinding/v1": _fingerprint(f)},
        "properties": {"environment": f.env, "address": f.address, "attribute": f.attribute},
    }
    reason = suppressed(f)
    if reason:
        suppression = {"kind": "inSource", "status": "accepted", "justification": reason}
        where = getattr(f, "suppression", None)
        if where:
            file, _, line = where.rpartition(":")
            region = {"startLine": int(line)} if line.isdigit() and int(line) > 0 else None
            physical = {"artifactLocation": {"uri": _uri(report, file or where)}}
            if region:
                physical["region"] = region
            suppression["location"] = {"physicalLocation": physical}
        result["suppressions"] = [suppression]
    return result


def sarif_log(report: Report) -> dict:
    rule_ids = list(dict.fromkeys(list(report.rules) + [f.rule_id for f in report.findings]))
    index = {rule_id: n for n, rule_id in enumerate(rule_ids)}
    version = versions()["pulse_gate"]
    driver = {"name": TOOL, "version": version, "semanticVersion": version,
              "rules": [_descriptor(r) for r in rule_ids]}
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "automationDetails": {"id": f"{TOOL}/{'-'.join(report.environments) or 'none'}/"},
            "columnKind": "unicodeCodePoints",
            "results": [_result(report, f, index) for f in report.findings],
            "properties": {"environments": report.environments, "command": report.command},
        }],
    }


def render(report: Report) -> str:
    return json.dumps(sarif_log(report), indent=2) + "\n"
