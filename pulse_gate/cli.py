"""Command line: `python -m pulse_gate check|verify ...`. Exit 0 clean, 1 findings/drift, 2 input errors."""
from __future__ import annotations

import argparse
import json
import os
import sys

from .errors import run_reporting_input_errors

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _check(args) -> int:
    from .gate import check
    result = check(args.root, args.env or None, args.var_file, args.policy_data)
    envs = [m.env for m in result.models]
    # Names only: a TF_VAR_ value may be a secret.
    env_vars = sorted({f"TF_VAR_{a.name}" for m in result.models for a in m.environment_values})
    if args.format == "json":
        json.dump({"environments": envs, "findings": [f.as_dict() for f in result.findings],
                   "count": len(result.findings), "environment_variables": env_vars}, sys.stdout, indent=2)
        print()
    else:
        if env_vars:
            print(f"variables also taken from the environment (as terraform plan would): {', '.join(env_vars)}")
        for f in result.findings:
            print(f.line_text())
        resources = sum(len(m.resources) for m in result.models)
        verdict = "FAILED" if result.findings else "passed"
        print(f"policy gate {verdict}: {len(result.findings)} finding(s) in {len(envs)} environment(s) "
              f"[{', '.join(envs)}], {resources} resource instance(s) evaluated")
    return 1 if result.findings else 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pulse_gate", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="evaluate the Terraform per environment and apply the keyless rules")
    c.add_argument("--root", default=REPO_ROOT, help="Terraform root directory (default: this repository)")
    c.add_argument("--env", action="append", help="environment under envs/ (repeatable; default: all)")
    c.add_argument("--var-file", action="append", help="tfvars file for a root without envs/ (repeatable)")
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.add_argument("--policy-data", help="policy data TOML (default: policy_tests/policy_data.toml)")
    c.add_argument("--plan", help="judge a 'terraform show -json' plan instead (see docs/plan-review.md)")
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
    args = parser().parse_args(argv)
    return run_reporting_input_errors(lambda: _check(args), "the configuration nests too deeply to evaluate")
