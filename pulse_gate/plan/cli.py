"""`python -m pulse_gate check --plan plan.json` and `python -m pulse_gate review plan-dev.json plan-prod.json`.

Exit codes as for the HCL check: 0 clean, 1 findings (check only), 2 input errors (one line on stderr).
`review` exits 0 once the review is written, whatever its verdict: the gate is `check`.
"""
from __future__ import annotations

import argparse
import os
import sys

from ..errors import InputError, run_reporting_input_errors
from ..report.options import add_output_arguments, emit, filtered, list_rules, rule_selection, run_formatted
from .gate import REPO_ROOT, evaluate

NOT_CHECKED = "PL002 (the backend block is not part of a plan; the HCL check covers it)"


def _common(p: argparse.ArgumentParser):
    p.add_argument("--policy-data", help="policy data TOML (default: policy_tests/policy_data.toml)")
    p.add_argument("--root", default=REPO_ROOT,
                   help="Terraform root whose HCL is the plan's configuration: file:line in findings and the origin of "
                        "values the plan cannot show (default: this repository; used only when it matches the plan)")
    p.add_argument("--no-hcl", action="store_true", help="judge the plan alone, without the HCL cross-check")


def check_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pulse_gate check --plan",
                                description="apply the keyless rules to terraform show -json plan files")
    p.add_argument("--plan", action="append", required=True, metavar="PLAN_JSON",
                   help="output of terraform show -json <planfile> (repeatable: one per environment)")
    p.add_argument("--env", action="append", help="environment name of each --plan, in order (default: the plan's "
                                                  "`environment` variable, else the file name)")
    _common(p)
    add_output_arguments(p)
    return p


def review_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pulse_gate review",
                                description="summarise what plans do to identities and access, for a pull request")
    p.add_argument("plans", nargs="+", metavar="PLAN_JSON", help="terraform show -json output, one per environment")
    p.add_argument("--env", action="append", help="environment name of each plan, in order")
    p.add_argument("--format", choices=("markdown", "json"), default="markdown")
    p.add_argument("--max-chars", type=int, default=None,
                   help="cap the Markdown at N characters, with a note when truncated (default 60000; minimum 500)")
    p.add_argument("--out", help="write to this file instead of stdout")
    _common(p)
    return p


def _strip(argv, word):
    argv = list(sys.argv[1:] if argv is None else argv)
    return argv[1:] if argv and argv[0] == word else argv


def _policy(path):
    from .. import policy_data as pd
    return pd.load(path or pd.DEFAULT_PATH)


def _envs(args, count: int) -> list:
    envs = args.env or []
    if envs and len(envs) != count:
        raise InputError(f"{len(envs)} --env value(s) for {count} plan file(s)",
                         hint="give one --env per plan, in order")
    return envs or [None] * count


def _results(args, paths):
    policy = _policy(args.policy_data)
    root = None if args.no_hcl else args.root
    return policy, [evaluate(path, policy, env, root) for path, env in zip(paths, _envs(args, len(paths)))]


def _run(fn, argv):
    return run_reporting_input_errors(lambda: fn(argv), "the plan nests too deeply to read")


def check_main(argv: list[str] | None = None) -> int:
    """`check --plan plan.json [--env E] [--format F] [--select/--skip IDS]` (argv with or without "check")."""
    argv = _strip(argv, "check")
    return run_formatted(lambda: _check(argv), argv, "the plan nests too deeply to read")


def _check(argv) -> int:
    from ..report import Report
    args = check_parser().parse_args(argv)
    if args.list_rules:
        return list_rules(args.format)
    _, _, running = rule_selection(args)
    _, results = _results(args, args.plan)
    findings = filtered([f for r in results for f in r.findings], running)
    for r in results:
        for notice in r.notices:
            print(f"notice: {r.plan.doc.path}: {notice}", file=sys.stderr)
    extra = {"unit": "plan", "plans": [r.plan.doc.path for r in results], "not_checked": [NOT_CHECKED],
             "notices": [n for r in results for n in r.notices]}
    report = Report("check --plan", [r.env for r in results], findings, running,
                    sum(len(r.model.resources) for r in results), None if args.no_hcl else args.root, extra)
    return emit(args.format, report)


def review_main(argv: list[str] | None = None) -> int:
    """`review plan-dev.json plan-prod.json ... [--format markdown|json] [--max-chars N] [--out FILE]`."""
    return _run(_review, _strip(argv, "review"))


def _review(argv) -> int:
    from .render import DEFAULT_MAX_CHARS, MIN_CHARS, as_json, markdown
    from .review import Analysis
    args = review_parser().parse_args(argv)
    if args.max_chars is not None and args.max_chars < MIN_CHARS:
        raise InputError(f"--max-chars {args.max_chars} is too small", hint=f"give at least {MIN_CHARS}")
    policy, results = _results(args, args.plans)
    seen: dict[str, int] = {}
    for r in results:                        # two plans of one environment: tell them apart by file name
        seen[r.env] = seen.get(r.env, 0) + 1
    for r in results:
        if seen[r.env] > 1:
            r.model.env = f"{r.model.env} ({os.path.basename(r.plan.doc.path)})"
    reviews = [Analysis(r.plan, r.model, policy, r.findings, r.notices).review() for r in results]
    secrets = set().union(*(r.secrets for r in results))
    if args.format == "json":
        text = as_json(reviews, secrets)
    else:
        text = markdown(reviews, secrets, args.max_chars or DEFAULT_MAX_CHARS)
    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise InputError(f"cannot write the review: {exc.strerror}", args.out) from None
    else:
        sys.stdout.write(text)
    return 0


def scrub_main(argv: list[str] | None = None) -> int:
    """`scrub plan.json --out scrubbed.json`: the plan with every value it marks sensitive masked, for CI artifacts."""
    return _run(_scrub, _strip(argv, "scrub"))


def _scrub(argv) -> int:
    import json
    from .loader import load
    from .plandata import Plan
    from .sensitive import collect, redact_data
    p = argparse.ArgumentParser(prog="python -m pulse_gate.plan scrub",
                                description="mask the values a terraform show -json plan marks sensitive")
    p.add_argument("plan", metavar="PLAN_JSON")
    p.add_argument("--out", required=True, help="where to write the scrubbed plan (never the input itself)")
    args = p.parse_args(argv)
    if os.path.abspath(args.out) == os.path.abspath(args.plan):
        raise InputError("--out is the plan itself", args.out, hint="write the scrubbed plan to another file")
    doc = load(args.plan)
    scrubbed = redact_data(doc.data, collect(Plan.of(doc)))
    try:
        with open(args.out, "w", encoding="utf-8") as fh:
            json.dump(scrubbed, fh)
    except OSError as exc:
        raise InputError(f"cannot write the scrubbed plan: {exc.strerror}", args.out) from None
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m pulse_gate.plan check|review|scrub ...`."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "review":
        return review_main(argv[1:])
    if argv and argv[0] == "scrub":
        return scrub_main(argv[1:])
    return check_main(argv[1:] if argv and argv[0] == "check" else argv)
