#!/usr/bin/env python3
"""YAML validity of the CI files: every .github/workflows/*.yml|yaml, .pre-commit-config.yaml and .checkov.yaml.

Usage: yaml_check.py [ROOT]. Prints one line per file; exit 0 all parse, 1 otherwise (2: PyYAML missing).
A workflow must also be a mapping with `on` and `jobs`, and every job must have `runs-on` or `uses`.
"""
from __future__ import annotations

import sys
from pathlib import Path

try:
    import yaml
except ImportError:  # pragma: no cover
    print("yaml_check: PyYAML is not installed (requirements-lint.txt)", file=sys.stderr)
    sys.exit(2)


def problems(path: Path, workflow: bool) -> list[str]:
    try:
        doc = yaml.safe_load(path.read_text())
    except yaml.YAMLError as exc:
        return [str(exc).replace("\n", " ")]
    if not workflow:
        return [] if isinstance(doc, dict) else ["not a mapping"]
    if not isinstance(doc, dict):
        return ["not a mapping"]
    out = []
    if "on" not in doc and True not in doc:  # YAML 1.1 reads the key `on` as true
        out.append("no `on:` trigger")
    jobs = doc.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        return out + ["no jobs"]
    for name, job in jobs.items():
        if not isinstance(job, dict) or not ("runs-on" in job or "uses" in job):
            out.append(f"job {name}: neither runs-on nor uses")
    return out


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(".")
    workflows = sorted((root / ".github" / "workflows").glob("*.y*ml"))
    files = [(p, True) for p in workflows] + [(root / n, False) for n in (".pre-commit-config.yaml", ".checkov.yaml")]
    bad = 0
    for path, workflow in files:
        if not path.is_file():
            print(f"{path}: missing")
            bad += 1
            continue
        found = problems(path, workflow)
        bad += bool(found)
        print(f"{path}: " + ("; ".join(found) if found else "ok"))
    if not workflows:
        print(f"{root / '.github/workflows'}: no workflows")
        bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
