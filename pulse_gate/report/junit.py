"""JUnit XML: one testsuite per environment, one testcase per rule that ran.

A rule with an unsuppressed finding fails (one <failure> listing them); a rule whose findings are all suppressed is
<skipped> with the reasons; the rest pass. CI systems that read JUnit (GitLab, Azure DevOps, Jenkins) show it as tests.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET

from . import TOOL, Report, rule_meta, suppressed
from .text import line


def _case(suite: ET.Element, env: str, rule_id: str, findings: list):
    case = ET.SubElement(suite, "testcase", name=f"{rule_id} {rule_meta(rule_id)['title']}",
                         classname=f"{TOOL}.{env}")
    failing = [f for f in findings if not suppressed(f)]
    if failing:
        failure = ET.SubElement(case, "failure", type=rule_id,
                                message=f"{len(failing)} finding(s): {failing[0].message}")
        failure.text = "\n".join(line(f) for f in failing)
    elif findings:
        ET.SubElement(case, "skipped", message="suppressed: " + "; ".join(suppressed(f) for f in findings))
    quiet = [f for f in findings if suppressed(f)]
    if quiet:
        ET.SubElement(case, "system-out").text = "\n".join(line(f) for f in quiet)
    return bool(failing), bool(findings) and not failing


def render(report: Report) -> str:
    root = ET.Element("testsuites", name=TOOL)
    total = failures = skipped = 0
    rule_ids = list(dict.fromkeys(list(report.rules) + [f.rule_id for f in report.findings]))
    for env in report.environments:
        suite = ET.SubElement(root, "testsuite", name=f"{TOOL} [{env}]")
        counts = [0, 0]
        for rule_id in rule_ids:
            failed, skip = _case(suite, env, rule_id,
                                 [f for f in report.findings if f.env == env and f.rule_id == rule_id])
            counts[0] += failed
            counts[1] += skip
        suite.set("tests", str(len(rule_ids)))
        suite.set("failures", str(counts[0]))
        suite.set("errors", "0")
        suite.set("skipped", str(counts[1]))
        total += len(rule_ids)
        failures += counts[0]
        skipped += counts[1]
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    root.set("skipped", str(skipped))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
