"""`verify --env <env>`: post-deploy RBAC verification against the live subscription.

Exit codes: 0 in sync, 1 drift, 2 input/auth errors (one line on stderr, never a traceback).
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .. import policy_data
from ..errors import InputError
from . import client, diff, outputs, report


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:   # one line, exit 2 (argparse would print the usage too)
        raise InputError(f"{message} (see --help)")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="verify", description="Compare the live Azure role assignments of an environment with the "
                "policy data; exit 0 in sync, 1 on drift, 2 on input or authentication errors.")
    p.add_argument("--env", required=True, help="environment: one of the directories under envs/")
    p.add_argument("--outputs", metavar="FILE", help="JSON of `terraform output -json` (default: run terraform "
                   "init -backend-config=envs/<env>/backend.hcl and terraform output -json in the repo root)")
    p.add_argument("--policy-data", metavar="FILE", default=str(policy_data.DEFAULT_PATH),
                   help="policy data (default: %(default)s)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    p.add_argument("--arm-endpoint", default=client.PUBLIC_ARM, metavar="URL",
                   help="Azure Resource Manager endpoint; tokens are requested for <URL>/.default (default: %(default)s)")
    p.add_argument("--root", metavar="DIR", default=str(outputs.REPO_ROOT),
                   help="repository root holding envs/ and the root module (default: this checkout)")
    return p


def run(args: argparse.Namespace) -> tuple[int, str]:
    root = Path(args.root)
    outputs.check_env(root, args.env)
    policy = policy_data.load(args.policy_data)
    if args.outputs:
        values, source = outputs.read_file(args.outputs), args.outputs
    else:
        values, source = outputs.from_terraform(root, args.env)
    env = outputs.environment(args.env, values, policy, source)
    plan = diff.listing_plan(env)
    credential = client.default_credential()
    try:
        with client.ArmReader(credential, env.subscription_id, args.arm_endpoint) as arm:
            assignments = [a for listing in plan for a in arm.list_assignments(listing)]
            names = arm.role_names(diff.roles_to_name(policy, env, diff.dedupe(assignments)))
            result = diff.compare(policy, env, plan, assignments, names)
            result.calls = arm.calls
    finally:
        try:
            credential.close()      # DefaultAzureCredential holds HTTP sessions of its own
        except Exception:           # noqa: BLE001 - closing must never hide the result or the error
            pass
    rendered = report.as_json(result) if args.format == "json" else report.text(result)
    return (1 if result.drift else 0), rendered


def main(argv: list[str] | None = None) -> int:
    logging.getLogger("azure").setLevel(logging.CRITICAL)   # the SDK's warnings would break the one-line errors
    try:
        code, rendered = run(parser().parse_args(argv))
    except InputError as exc:
        print(f"verify: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("verify: interrupted", file=sys.stderr)
        return 2
    sys.stdout.write(rendered)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
