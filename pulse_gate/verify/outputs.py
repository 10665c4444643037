"""The environment's ids from `terraform output -json`: a file (--outputs) or terraform run in the repo root."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from ..errors import InputError
from ..policy_data import PolicyData
from .diff import Environment

REPO_ROOT = Path(__file__).resolve().parents[2]
RESOURCE_GROUP_OUTPUT = "resource_group_id"
_RG_ID = re.compile(r"^/subscriptions/([^/]+)/resourceGroups/[^/]+$", re.IGNORECASE)
_RESOURCE_ID = re.compile(r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/[^/]+/[^/]+/[^/]+", re.IGNORECASE)
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
TERRAFORM_TIMEOUT = 900


def environments(root: Path) -> list[str]:
    envs = root / "envs"
    if not envs.is_dir():
        return []
    return sorted(p.name for p in envs.iterdir() if p.is_dir() and not p.name.startswith("."))


def check_env(root: Path, env: str) -> None:
    known = environments(root)
    if env not in known:
        listed = ", ".join(known) if known else f"none: {root / 'envs'} has no environment directories"
        raise InputError(f"unknown environment {env!r} (known: {listed})")


def parse(text: str, source: str) -> dict[str, object]:
    """{name: value} from the `terraform output -json` document."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"terraform outputs are not JSON: {exc}", source) from None
    if not isinstance(raw, dict):
        raise InputError("terraform outputs are not a JSON object (expected `terraform output -json`)", source)
    return {name: (entry.get("value") if isinstance(entry, dict) else entry) for name, entry in raw.items()}


def read_file(path: str) -> dict[str, object]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read terraform outputs: {exc.strerror}", path) from None
    return parse(text, path)


def _run(cmd: list[str], root: Path, step: str) -> str:
    env = {**os.environ, "TF_IN_AUTOMATION": "1", "TF_INPUT": "0"}
    try:
        done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=TERRAFORM_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise InputError(f"terraform {step} did not finish within {TERRAFORM_TIMEOUT}s") from None
    except OSError as exc:
        raise InputError(f"cannot run terraform: {exc.strerror}") from None
    if done.returncode != 0:
        lines = [ln.strip() for ln in (done.stderr or done.stdout).splitlines() if ln.strip()]
        detail = next((ln for ln in lines if ln.startswith("Error:")), lines[-1] if lines else "no output")
        raise InputError(f"terraform {step} failed (exit {done.returncode}): {detail}")
    return done.stdout


def from_terraform(root: Path, env: str) -> tuple[dict[str, object], str]:
    """Runs `terraform init -backend-config=envs/<env>/backend.hcl` then `terraform output -json` in the root."""
    terraform = shutil.which("terraform")
    if terraform is None:
        raise InputError("terraform is not installed and no --outputs file was given",
                         hint="pass --outputs FILE holding `terraform output -json` of the applied environment")
    backend = Path("envs") / env / "backend.hcl"
    if not (root / backend).is_file():
        raise InputError("backend configuration not found", str(root / backend))
    _run([terraform, "init", "-input=false", "-reconfigure", "-no-color", f"-backend-config={backend}"], root, "init")
    source = f"terraform output -json (envs/{env})"
    return parse(_run([terraform, "output", "-json"], root, "output"), source), source


def environment(env: str, outputs: dict[str, object], policy: PolicyData, source: str) -> Environment:
    """Checks that every output the policy data names is present and well-formed."""
    wanted = [RESOURCE_GROUP_OUTPUT, *(p.output for p in policy.principals.values()),
              *(t.output for t in policy.targets.values())]
    missing = [name for name in dict.fromkeys(wanted) if not isinstance(outputs.get(name), str) or not outputs[name]]
    if missing:
        raise InputError(f"terraform outputs lack {', '.join(missing)}", source,
                         hint="apply the root module of this commit, or pass the outputs of the right environment")
    rg = str(outputs[RESOURCE_GROUP_OUTPUT])
    match = _RG_ID.match(rg)
    if not match:
        raise InputError(f"{RESOURCE_GROUP_OUTPUT} is not a resource group id: {rg!r}", source)
    for p in policy.principals.values():
        if not _GUID.match(str(outputs[p.output])):
            raise InputError(f"{p.output} is not an object id (GUID): {outputs[p.output]!r}", source)
    for t in policy.targets.values():
        if not str(outputs[t.output]).lower().startswith("/subscriptions/"):
            raise InputError(f"{t.output} is not an Azure resource id: {outputs[t.output]!r}", source)
    return Environment(
        name=env,
        subscription_id=match.group(1),
        resource_group_id=rg,
        principal_ids={p.name: str(outputs[p.output]) for p in policy.principals.values()},
        target_ids={t.name: str(outputs[t.output]) for t in policy.targets.values()},
        resource_ids=tuple(v for v in outputs.values() if isinstance(v, str) and _RESOURCE_ID.match(v)),
    )
