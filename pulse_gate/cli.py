"""Command line: `python -m pulse_gate check|review|verify ...`. Exit 0 clean, 1 findings/drift, 2 input errors."""
from __future__ import annotations

import argparse
import inspect
import os
import sys

from .report.options import add_output_arguments, emit, filtered, list_rules, raise_input_error, rule_selection, \
    run_formatted, version_text

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _run_check(args, select, skip):
    """gate.check with the rule filters when it takes them (the rules engineer's contract), else unfiltered."""
    from .gate import check
    accepts = inspect.signature(check).parameters
    if "select" in accepts and "skip" in accepts:
        return check(args.root, args.env or None, args.var_file, args.policy_data, select=select, skip=skip), True
    return check(args.root, args.env or None, args.var_file, args.policy_data), False


def _check(args) -> int:
    from .report import Report
    from .report.progress import progress
    if args.list_rules:
        return list_rules(args.format)
    select, skip, running = rule_selection(args)
    with progress("evaluating the Terraform"):
        result, gate_filtered = _run_check(args, select, skip)
    findings = result.findings if gate_filtered else filtered(result.findings, running)
    envs = [m.env for m in result.models]
    # Names only: a TF_VAR_ value may be a secret.
    env_vars = sorted({f"TF_VAR_{a.name}" for m in result.models for a in m.environment_values})
    notes = [f"variables also taken from the environment (as terraform plan would): {', '.join(env_vars)}"] \
        if env_vars else []
    report = Report("check", envs, findings, running, sum(len(m.resources) for m in result.models), args.root,
                    {"environment_variables": env_vars}, notes)
    return emit(args.format, report)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pulse_gate", description=__doc__)
    p.add_argument("--version", action="version", version=version_text())
    p.error = raise_input_error
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="evaluate the Terraform per environment and apply the keyless rules")
    c.add_argument("--root", default=REPO_ROOT, help="Terraform root directory (default: this repository)")
    c.add_argument("--env", action="append", help="environment under envs/ (repeatable; default: all)")
    c.add_argument("--var-file", action="append", help="tfvars file for a root without envs/ (repeatable)")
    c.add_argument("--policy-data", help="policy data TOML (default: policy_tests/policy_data.toml)")
    c.add_argument("--plan", help="judge a 'terraform show -json' plan instead (see docs/plan-review.md)")
    add_output_arguments(c)
    sub.add_parser("review", help="Markdown/JSON summary of what plans change (see docs/plan-review.md)",
                   add_help=False)
    sub.add_parser("verify", help="compare live role assignments with the policy data (see docs/verify.md)",
                   add_help=False)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "verify":
        from .verify.cli import main as verify_main
        return verify_main(argv[1:])
    if argv and argv[0] == "review":
        from .plan.cli import review_main
        return review_main(argv[1:])
    if argv and argv[0] == "check" and any(a == "--plan" or a.startswith("--plan=") for a in argv[1:]):
        from .plan.cli import check_main
        return check_main(argv[1:])
    return run_formatted(lambda: _check(parser().parse_args(argv)), argv,
                         "the configuration nests too deeply to evaluate")
