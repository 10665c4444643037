"""`verify --env <env>`: post-deploy verification against the live subscription: role assignments (with the
principals resolved through Microsoft Graph) and the keyless settings of the deployed resources.

Exit codes: 0 in sync, 1 drift, 2 input/auth errors (one line on stderr, never a traceback).
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .. import policy_data
from ..errors import InputError
from ..hcl.frontend import Project
from . import client, diff, outputs, posture, report


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:   # one line, exit 2 (argparse would print the usage too)
        raise InputError(f"{message} (see --help)")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="verify", description="Compare the live Azure role assignments of an environment with the "
                "policy data, and its deployed keyless settings with the Terraform; exit 0 in sync, 1 on drift, "
                "2 on input or authentication errors.")
    p.add_argument("--env", required=True, help="environment: one of the directories under envs/")
    p.add_argument("--outputs", metavar="FILE", help="JSON of `terraform output -json` (default: run terraform "
                   "init -backend-config=envs/<env>/backend.hcl and terraform output -json in the repo root)")
    p.add_argument("--policy-data", metavar="FILE", default=str(policy_data.DEFAULT_PATH),
                   help="policy data (default: %(default)s)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    p.add_argument("--arm-endpoint", default=client.PUBLIC_ARM, metavar="URL",
                   help="Azure Resource Manager endpoint; tokens are requested for <URL>/.default (default: %(default)s)")
    p.add_argument("--graph-endpoint", default=client.PUBLIC_GRAPH, metavar="URL",
                   help="Microsoft Graph endpoint; tokens are requested for <URL>/.default (default: %(default)s)")
    p.add_argument("--root", metavar="DIR", default=str(outputs.REPO_ROOT),
                   help="repository root holding envs/ and the root module (default: this checkout)")
    return p


def run(args: argparse.Namespace) -> tuple[int, str, list[str]]:
    """(exit code, report, warnings): warnings are one line each, for stderr."""
    root = Path(args.root)
    outputs.check_env(root, args.env)
    policy = policy_data.load(args.policy_data)
    if args.outputs:
        values, source = outputs.read_file(args.outputs), args.outputs
    else:
        values, source = outputs.from_terraform(root, args.env)
    env = outputs.environment(args.env, values, policy, source)
    # The intent is the gate's own model of the environment: verify and the gate cannot disagree about it.
    intent = posture.plan(Project(str(root)).env_model(args.env), list(env.resource_ids))
    plan = diff.listing_plan(env)
    credential = client.default_credential()
    try:
        with client.ArmReader(credential, env.subscription_id, args.arm_endpoint) as arm:
            assignments = diff.dedupe([a for listing in plan for a in arm.list_assignments(listing)])
            live = {(read, rid): (arm.read_resource(rid, api, arm_type) if read == posture.RESOURCE
                                  else arm.list_app_settings(rid, api))
                    for read, rid, api, arm_type in intent.reads()}
            directory = None
            ids = diff.principals_to_resolve(env, assignments)
            if ids:
                with client.GraphReader(credential, arm.counter, args.graph_endpoint) as graph:
                    directory = graph.resolve(ids)
            names = arm.role_names(diff.roles_to_name(policy, env, assignments, directory))
            result = diff.compare(policy, env, plan, assignments, names, directory)
            result.posture = posture.compare(intent, live)
            result.posture_checked = len(intent.checks)
            result.calls = arm.calls
    finally:
        try:
            credential.close()      # DefaultAzureCredential holds HTTP sessions of its own
        except Exception:           # noqa: BLE001 - closing must never hide the result or the error
            pass
    rendered = report.as_json(result) if args.format == "json" else report.text(result)
    warnings = [directory.unavailable] if directory is not None and directory.unavailable else []
    return (1 if result.drift else 0), rendered, warnings


def main(argv: list[str] | None = None) -> int:
    logging.getLogger("azure").setLevel(logging.CRITICAL)   # the SDK's warnings would break the one-line errors
    try:
        code, rendered, warnings = run(parser().parse_args(argv))
    except InputError as exc:
        print(f"verify: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("verify: interrupted", file=sys.stderr)
        return 2
    except RecursionError:      # evaluating the Terraform: the gate's own guard, as one line
        print("verify: error: the Terraform nests too deeply to evaluate", file=sys.stderr)
        return 2
    for line in warnings:
        print(f"verify: warning: {line}", file=sys.stderr)
    sys.stdout.write(rendered)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
