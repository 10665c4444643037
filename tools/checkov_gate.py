#!/usr/bin/env python3
"""Run checkov (pinned 3.3.x) over the Terraform once per environment and aggregate the verdict.

Usage: checkov_gate.py [--root DIR] [--env ENV ...] [--out DIR] [--checkov PATH] [--config FILE] [--policy FILE] [-v]

For each envs/<env>/terraform.tfvars under ROOT it runs

    checkov -d . --config-file .checkov.yaml --var-file envs/<env>/terraform.tfvars -o json -o sarif ...

in ROOT and writes OUT/<env>/results_json.json and OUT/<env>/results_sarif.sarif (for GitHub code scanning; the
failures accepted for that environment are marked as suppressed, like checkov marks in-source skips), plus
OUT/summary.md. Then it holds the results to tools/ci/checkov_policy.toml:

  * every failed check fails the gate, unless the policy accepts it for that environment ([[accept]]);
  * an [[accept]] entry that no longer matches a failure fails the gate (remove it);
  * an in-source skip without a reason (`#checkov:skip=ID` alone) fails the gate;
  * a [[required]] check that checkov did not evaluate fails the gate (checkov drops resources whose values it
    cannot resolve: it fails open).

Exit status: 0 clean, 1 findings, 2 checkov or input error. Standard library only (Python 3.11+); when run with the
checkov virtual environment's Python it also lists the checks checkov could not evaluate (informational).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = REPO / ".checkov.yaml"
DEFAULT_POLICY = REPO / "tools" / "ci" / "checkov_policy.toml"
CHECKOV_SERIES = "3.3."
NO_REASON = {"", "no comment provided"}
MIN_REASON = 20  # characters; "n/a" or "false positive" alone is not a reason a reviewer can check


@dataclass(frozen=True)
class Result:
    check: str
    name: str
    resource: str
    file: str
    lines: tuple[int, int]
    reason: str = ""

    @property
    def where(self) -> str:
        return f"{self.file.lstrip('/')}:{self.lines[0]}-{self.lines[1]}"


@dataclass
class EnvReport:
    env: str
    summary: dict = field(default_factory=dict)
    passed: list[Result] = field(default_factory=list)
    failed: list[Result] = field(default_factory=list)       # not accepted: these fail the gate
    accepted: list[tuple[Result, str]] = field(default_factory=list)
    skipped: list[Result] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)        # fail the gate
    notes: list[str] = field(default_factory=list)           # informational
    error: str = ""                                          # checkov itself failed: exit 2


# ---------------------------------------------------------------------------------------------------------------------
# Policy
# ---------------------------------------------------------------------------------------------------------------------

def _pattern(text: str) -> re.Pattern:
    return re.compile("^" + ".*".join(re.escape(p) for p in text.split("*")) + "$")


def load_policy(path: Path) -> dict:
    """Read and check the policy file; raise ValueError on a malformed one."""
    with open(path, "rb") as f:
        data = tomllib.load(f)
    unknown = set(data) - {"accept", "required"}
    if unknown:
        raise ValueError(f"{path}: unknown table(s) {sorted(unknown)}")
    for i, a in enumerate(data.setdefault("accept", [])):
        missing = {"env", "check", "resource", "reason"} - set(a)
        if missing:
            raise ValueError(f"{path}: accept #{i + 1} lacks {sorted(missing)}")
        if len(a["reason"].strip()) < MIN_REASON:
            raise ValueError(f"{path}: accept #{i + 1} ({a['env']} {a['check']}) needs a real reason")
    for i, r in enumerate(data.setdefault("required", [])):
        missing = {"check", "resource"} - set(r)
        if missing:
            raise ValueError(f"{path}: required #{i + 1} lacks {sorted(missing)}")
    return data


# ---------------------------------------------------------------------------------------------------------------------
# Evaluation of one environment's checkov JSON (pure: unit-tested without checkov)
# ---------------------------------------------------------------------------------------------------------------------

def _results(items: list[dict]) -> list[Result]:
    out = []
    for c in items or []:
        cr = c.get("check_result") or {}
        lines = c.get("file_line_range") or [0, 0]
        out.append(Result(check=c["check_id"], name=c.get("check_name", ""), resource=c.get("resource", ""),
                          file=c.get("file_path", ""), lines=(lines[0], lines[-1]),
                          reason=(cr.get("suppress_comment") or "").strip()))
    return out


def evaluate(env: str, report: dict | list, policy: dict) -> EnvReport:
    """Classify one environment's checkov JSON report against the policy."""
    rep = EnvReport(env)
    reports = report if isinstance(report, list) else [report]
    tf = [r for r in reports if r.get("check_type", "terraform") == "terraform"]
    if not tf or "results" not in tf[0]:
        rep.error = "checkov reported no Terraform results (nothing scanned?)"
        return rep
    data = tf[0]
    rep.summary = data.get("summary", {})
    version = str(rep.summary.get("checkov_version", ""))
    if version and not version.startswith(CHECKOV_SERIES):
        rep.error = f"checkov {version} is not the pinned {CHECKOV_SERIES}x series (requirements-checkov.txt)"
        return rep
    if rep.summary.get("parsing_errors"):
        rep.problems.append(f"checkov could not parse {rep.summary['parsing_errors']} file(s): "
                            + ", ".join(data.get("parsing_errors", [])))

    results = data["results"]
    rep.passed = _results(results.get("passed_checks"))
    rep.skipped = _results(results.get("skipped_checks"))
    failed = _results(results.get("failed_checks"))

    accepts = [a for a in policy.get("accept", []) if a["env"] == env]
    used = set()
    for r in failed:
        for i, a in enumerate(accepts):
            if a["check"] == r.check and _pattern(a["resource"]).match(r.resource):
                rep.accepted.append((r, a["reason"].strip()))
                used.add(i)
                break
        else:
            rep.failed.append(r)
    evaluated = {(r.check, r.resource) for r in rep.passed + rep.skipped + failed}
    for i, a in enumerate(accepts):
        if i in used:
            continue
        pat = _pattern(a["resource"])
        if any(c == a["check"] and pat.match(res) for c, res in evaluated):
            rep.problems.append(f"stale accept entry: {a['check']} on {a['resource']} no longer fails in {env}; "
                                f"remove it from tools/ci/checkov_policy.toml")
        else:
            # Gone from every list is not fixed: checkov dropped what it could not resolve (fails open). Removing the
            # entry would hide that, so say so.
            rep.problems.append(f"not evaluated: the accepted failure {a['check']} on {a['resource']} has no result "
                                f"at all in {env}: if the resource still exists, checkov dropped it (a value it cannot "
                                f"resolve): keep the entry and find that value; only if it was renamed or removed, "
                                f"fix or remove the entry")

    for r in rep.skipped:
        if r.reason.lower() in NO_REASON or len(r.reason) < MIN_REASON:
            rep.problems.append(f"skip without a real reason: {r.check} on {r.resource} ({r.where}); write "
                                f"#checkov:skip={r.check}:<why this does not apply here>")

    for req in policy.get("required", []):
        pat = _pattern(req["resource"])
        if not any(c == req["check"] and pat.match(res) for c, res in evaluated):
            rep.problems.append(f"not evaluated: {req['check']} on {req['resource']} has no result in {env}. checkov "
                                f"drops a resource whose values it cannot resolve (fails open): make the value "
                                f"resolvable from envs/{env}/terraform.tfvars, or fix the address in the policy")
    rep.notes.extend(_unevaluated(rep.passed + rep.skipped + failed))
    return rep


def _unevaluated(results: list[Result]) -> list[str]:
    """Checks that apply to a resource checkov reported on but returned no result for (UNKNOWN: unresolved values).

    Needs checkov importable (run with the checkov venv's Python); otherwise silent."""
    try:
        from checkov.terraform.checks.resource.registry import resource_registry  # type: ignore
    except Exception:  # noqa: BLE001 - informational only
        return []
    seen: dict[str, set[str]] = {}
    for r in results:
        seen.setdefault(r.resource, set()).add(r.check)
    notes = []
    for resource, checks in sorted(seen.items()):
        m = re.search(r"(?:^|\.)(azurerm_[a-z0-9_]+)\.[^.]+$", resource)
        if not m:
            continue
        expected = {c.id for c in resource_registry.get_checks(m.group(1))}
        for check in sorted(expected - checks):
            notes.append(f"checkov returned no result for {check} on {resource} (a value it could not resolve)")
    return notes


# ---------------------------------------------------------------------------------------------------------------------
# SARIF: mark accepted failures as suppressed, the way checkov marks in-source skips (kind inSource)
# ---------------------------------------------------------------------------------------------------------------------

def mark_sarif(path: Path, rep: EnvReport) -> None:
    if not path.is_file():
        return
    sarif = json.loads(path.read_text())
    accepted = {(r.check, r.file.lstrip("/"), r.lines[0]): why for r, why in rep.accepted}
    for run in sarif.get("runs", []):
        for res in run.get("results", []):
            for loc in res.get("locations", []):
                pl = loc.get("physicalLocation", {})
                key = (res.get("ruleId"), pl.get("artifactLocation", {}).get("uri", "").lstrip("/"),
                       pl.get("region", {}).get("startLine"))
                if key in accepted and not res.get("suppressions"):
                    res["suppressions"] = [{"kind": "external",
                                            "justification": f"accepted for {rep.env}: {accepted[key]}"}]
    path.write_text(json.dumps(sarif, indent=2))


# ---------------------------------------------------------------------------------------------------------------------
# Running checkov
# ---------------------------------------------------------------------------------------------------------------------

def find_checkov(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    if os.environ.get("CHECKOV"):
        return os.environ["CHECKOV"]
    beside = Path(sys.executable).parent / "checkov"  # the checkov venv's own script
    if beside.is_file():
        return str(beside)
    local = REPO / ".venv-checkov" / "bin" / "checkov"
    if local.is_file():
        return str(local)
    return shutil.which("checkov")


def run_env(checkov: str, root: Path, env: str, config: Path, out: Path, policy: dict) -> EnvReport:
    env_out = out / env
    env_out.mkdir(parents=True, exist_ok=True)
    json_path, sarif_path = env_out / "results_json.json", env_out / "results_sarif.sarif"
    for p in (json_path, sarif_path):
        p.unlink(missing_ok=True)
    cmd = [checkov, "-d", ".", "--config-file", str(config), "--var-file", f"envs/{env}/terraform.tfvars",
           "-o", "json", "-o", "sarif", "--output-file-path", f"{json_path},{sarif_path}"]
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True,
                          env={**os.environ, "BC_SKIP_MAPPING": "TRUE", "LOG_LEVEL": "WARNING"})
    (env_out / "checkov.log").write_text(proc.stdout + proc.stderr)
    if proc.returncode not in (0, 1) or not json_path.is_file():
        rep = EnvReport(env)
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-15:])
        rep.error = f"checkov exited {proc.returncode}:\n{tail}"
        return rep
    rep = evaluate(env, json.loads(json_path.read_text()), policy)
    mark_sarif(sarif_path, rep)
    return rep


# ---------------------------------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------------------------------

def text_report(reps: list[EnvReport], verbose: bool) -> str:
    lines = []
    for rep in reps:
        if rep.error:
            lines.append(f"checkov {rep.env}: ERROR {rep.error}")
            continue
        s = rep.summary
        verdict = "FAIL" if rep.failed or rep.problems else "ok"
        lines.append(f"checkov {rep.env}: {verdict}: {s.get('passed', 0)} passed, {len(rep.failed)} failed, "
                     f"{len(rep.accepted)} accepted for {rep.env}, {len(rep.skipped)} skipped in source "
                     f"({s.get('resource_count', '?')} resources)")
        for r in rep.failed:
            lines.append(f"  FAILED {r.check} {r.resource}\n"
                         f"         {r.name}\n"
                         f"         {r.where}: fix the Terraform; only if the check does not apply to this "
                         f"resource, skip it there: #checkov:skip={r.check}:<why> (docs/ci.md)")
        for p in rep.problems:
            lines.append(f"  PROBLEM {p}")
        if verbose:
            for r, why in rep.accepted:
                lines.append(f"  accepted {r.check} {r.resource}: {why}")
            for r in rep.skipped:
                lines.append(f"  skipped  {r.check} {r.resource}: {r.reason}")
            for n in rep.notes:
                lines.append(f"  note     {n}")
    return "\n".join(lines)


def markdown_report(reps: list[EnvReport]) -> str:
    out = ["## checkov", "", "| env | passed | failed | accepted for env | skipped in source | problems |",
           "|---|---|---|---|---|---|"]
    for rep in reps:
        if rep.error:
            out.append(f"| {rep.env} | error | | | | {rep.error.splitlines()[0]} |")
            continue
        out.append(f"| {rep.env} | {rep.summary.get('passed', 0)} | {len(rep.failed)} | {len(rep.accepted)} | "
                   f"{len(rep.skipped)} | {len(rep.problems)} |")
    for rep in reps:
        if rep.failed or rep.problems:
            out += ["", f"### {rep.env}: to fix", ""]
            out += [f"- **{r.check}** `{r.resource}` ({r.where}): {r.name}" for r in rep.failed]
            out += [f"- {p}" for p in rep.problems]
    skipped = {(r.check, r.resource, r.reason) for rep in reps for r in rep.skipped}
    if skipped:
        out += ["", "<details><summary>Skipped in source (every environment)</summary>", ""]
        out += [f"- **{c}** `{res}`: {why}" for c, res, why in sorted(skipped)]
        out += ["", "</details>"]
    accepted = [(rep.env, r, why) for rep in reps for r, why in rep.accepted]
    if accepted:
        out += ["", "<details><summary>Accepted for one environment (tools/ci/checkov_policy.toml)</summary>", ""]
        out += [f"- {env}: **{r.check}** `{r.resource}`: {why}" for env, r, why in accepted]
        out += ["", "</details>"]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=REPO, help="Terraform root (default: this repository)")
    ap.add_argument("--env", action="append", help="environment under envs/ (repeatable; default: all)")
    ap.add_argument("--out", type=Path, help="output directory (default: ROOT/reports/checkov)")
    ap.add_argument("--checkov", help="checkov executable (default: $CHECKOV, .venv-checkov, PATH)")
    ap.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="checkov config file")
    ap.add_argument("--policy", type=Path, default=DEFAULT_POLICY, help="accepted failures and required checks")
    ap.add_argument("-v", "--verbose", action="store_true", help="also list accepted, skipped and unevaluated")
    args = ap.parse_args(argv)

    root = args.root.resolve()
    out = (args.out or root / "reports" / "checkov").resolve()
    order = {"dev": 0, "staging": 1, "prod": 2}
    envs = args.env or sorted((p.parent.name for p in (root / "envs").glob("*/terraform.tfvars")),
                              key=lambda e: (order.get(e, 9), e))
    if not envs:
        print(f"error: no envs/<env>/terraform.tfvars under {root}", file=sys.stderr)
        return 2
    for env in envs:
        if not (root / "envs" / env / "terraform.tfvars").is_file():
            print(f"error: unknown environment '{env}' (no envs/{env}/terraform.tfvars)", file=sys.stderr)
            return 2
    checkov = find_checkov(args.checkov)
    if not checkov:
        print("error: checkov not found: run `make checkov` (creates .venv-checkov from requirements-checkov.txt)",
              file=sys.stderr)
        return 2
    try:
        policy = load_policy(args.policy)
    except (OSError, ValueError, tomllib.TOMLDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    with concurrent.futures.ThreadPoolExecutor(max_workers=len(envs)) as pool:
        reps = list(pool.map(lambda e: run_env(checkov, root, e, args.config.resolve(), out, policy), envs))

    out.mkdir(parents=True, exist_ok=True)
    (out / "summary.md").write_text(markdown_report(reps))
    print(text_report(reps, args.verbose))
    if any(r.error for r in reps):
        return 2
    bad = [r.env for r in reps if r.failed or r.problems]
    if bad:
        print(f"checkov gate FAILED in {', '.join(bad)} (JSON, SARIF and summary.md in {out})")
        return 1
    print(f"checkov gate passed in {len(reps)} environment(s) [{', '.join(envs)}] (SARIF in {out}/<env>/)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
