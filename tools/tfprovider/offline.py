"""Real Terraform, offline, through the azurerm stand-in: `terraform validate`, `plan` + `show -json` and
`terraform test` of a Terraform tree, always in a temporary copy so the tree never gets .terraform/ or a lock file.

Python API (for tests, e.g. the differential tests gate vs Terraform):
    available() -> str | None            None when terraform, the ../shared schema and the Python pieces are
                                         present; otherwise the one-line reason
    offline_plan(root, env) -> dict      `terraform show -json` of the env's plan
    validate(root) -> Result             `terraform init -backend=false` + `terraform validate` of the root
    run_tests(root, env) -> Result       `terraform test` of tests/terraform/*.tftest.hcl with env's tfvars
The stand-in's build (stubs, mirror, CLI config) and each root's prepared copy + `terraform init` are made once
per process and reused.

CLI (used by the Makefile): python -m tools.tfprovider.offline validate|plan|test [options]
Exit: 0 done or not runnable here (one line says why), 1 Terraform failed, 2 bad input (one line).
"""
from __future__ import annotations

import argparse
import atexit
import functools
import json
import os
import platform
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass

from tools.tfprovider import schema
from tools.tfprovider.server import SCHEMA_CACHE_ENV, TLS_ENV, write_certificate

REPO = schema.REPO
# Secrets arrive as TF_VAR_* at plan time; offline they are placeholders (ephemeral, never in the plan).
SECRET_VARIABLES = ("nextauth_secret", "azure_ad_client_secret")
PLACEHOLDER_SECRET = "offline-placeholder-not-a-secret"
COPIED_ENTRIES = ("modules", "envs")
SKIP_NAMES = {".terraform", ".terraform.lock.hcl", ".git", ".venv", "__pycache__", "terraform.tfstate"}
BACKEND_OVERRIDE = "zz_offline_backend_override.tf"
TEST_DIRECTORY = "tests/terraform"


class OfflineError(RuntimeError):
    """Terraform failed; the message (Terraform's own output) is for the user."""


class OfflineInputError(OfflineError):
    """The request cannot be run as given (no such root or environment): one line saying what to do."""


@dataclass
class Result:
    returncode: int
    output: str  # stdout and stderr together, as a person would read them
    stdout: str = ""  # alone, for machine-readable output (`show -json`)

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def available() -> str | None:
    if shutil.which("terraform") is None:
        return "terraform is not on PATH"
    reason = schema.missing_reason()
    if reason:
        return reason
    for module in ("grpc", "grpc_tools", "msgpack", "cryptography"):
        try:
            __import__(module)
        except ImportError:
            return f"the Python package for '{module}' is not installed (pip install -r requirements.txt)"
    return None


def _require_available() -> None:
    reason = available()
    if reason:
        raise OfflineError(f"offline terraform not available: {reason}")


def _workspace() -> str:
    path = tempfile.mkdtemp(prefix="pulse-offline-tf-")
    atexit.register(shutil.rmtree, path, True)
    return path


@functools.cache
def _terraform_platform() -> str:
    out = subprocess.run(["terraform", "version", "-json"], capture_output=True, text=True, check=False,
                         env=_bare_env()).stdout
    try:
        return json.loads(out)["platform"]
    except (ValueError, KeyError):
        machine = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
        return f"{platform.system().lower()}_{machine}"


def _bare_env() -> dict:
    env = dict(os.environ)
    env.update(CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1", TF_INPUT="0")
    for name in ("TF_CLI_CONFIG_FILE", "TF_PLUGIN_CACHE_DIR", "TF_DATA_DIR", "TF_WORKSPACE"):
        env.pop(name, None)
    return env


def _once(function):
    """functools.cache that also makes concurrent callers with the same arguments wait for the one computation
    (tests call these from several threads; two `terraform init`s of one root would only waste time)."""
    cached = functools.cache(function)
    locks: dict = {}
    guard = threading.Lock()

    @functools.wraps(function)
    def wrapper(*args):
        with guard:
            lock = locks.setdefault(args, threading.Lock())
        with lock:
            return cached(*args)
    return wrapper


@_once
def _build() -> str:
    """The stand-in, built once per process: stubs, an unpacked filesystem mirror holding a launcher, and the
    CLI configuration that installs azurerm only from that mirror. Returns the CLI config's path."""
    from tools.tfprovider import stubs

    base = _workspace()
    gen = stubs.generate(os.path.join(base, "stubs"))
    package = os.path.join(base, "mirror", schema.PROVIDER_ADDRESS, schema.PROVIDER_VERSION, _terraform_platform())
    os.makedirs(package)
    launcher = os.path.join(package, f"terraform-provider-azurerm_v{schema.PROVIDER_VERSION}")
    pythonpath = os.pathsep.join([REPO, gen])
    tls = os.path.join(base, "tls")
    os.makedirs(tls, mode=0o700)
    write_certificate(tls)
    with open(launcher, "w", encoding="utf-8") as f:
        # The launcher names the interpreter, the sources and the schema by absolute path, so the package (and
        # with it the hash Terraform locks) is this one file; every build is a fresh mirror and a fresh init.
        settings = {"PYTHONPATH": pythonpath, schema.SCHEMA_ENV: schema.schema_path(),
                    SCHEMA_CACHE_ENV: os.path.join(base, "schema.pb"), TLS_ENV: tls}
        assignments = " ".join(f"{name}={shlex.quote(value)}" for name, value in settings.items())
        f.write(f'#!/bin/sh\n{assignments} exec {shlex.quote(sys.executable)} -m tools.tfprovider.server "$@"\n')
    os.chmod(launcher, os.stat(launcher).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    config = os.path.join(base, "offline.tfrc")
    with open(config, "w", encoding="utf-8") as f:
        f.write("provider_installation {\n"
                "  filesystem_mirror {\n"
                f"    path    = {json.dumps(os.path.join(base, 'mirror'))}\n"
                f"    include = [{json.dumps(schema.PROVIDER_ADDRESS)}]\n"
                "  }\n"
                "  direct {\n"
                f"    exclude = [{json.dumps(schema.PROVIDER_ADDRESS)}]\n"
                "  }\n"
                "}\n")
    return config


def terraform_env(extra: dict | None = None) -> dict:
    env = _bare_env()
    env["TF_CLI_CONFIG_FILE"] = _build()
    env.update(extra or {})
    return env


def _terraform(args: list[str], cwd: str, extra_env: dict | None = None) -> Result:
    done = subprocess.run(["terraform", *args], cwd=cwd, env=terraform_env(extra_env), capture_output=True,
                          text=True, check=False)
    return Result(done.returncode, (done.stdout + done.stderr).strip(), done.stdout)


def copy_tree(root: str, dest: str, tests: bool = True) -> str:
    """The Terraform of root (its *.tf, *.tf.json, *.tftest.hcl, var files, modules/, envs/ and, with tests, the
    Terraform tests in tests/terraform) copied into dest, without any .terraform/, lock file or state."""
    root = os.path.abspath(root)
    ignore = shutil.ignore_patterns(*SKIP_NAMES, "*.tfstate", "*.tfstate.*", "*.tfplan", "*.py", "*.pyc")
    os.makedirs(dest, exist_ok=True)
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name)
        # Root var files too: Terraform auto-loads terraform.tfvars(.json) and *.auto.tfvars(.json) from there.
        if os.path.isfile(path) and name.endswith((".tf", ".tf.json", ".tftest.hcl", ".tfvars", ".tfvars.json")):
            shutil.copy2(path, dest)
        elif os.path.isdir(path) and name in COPIED_ENTRIES:
            shutil.copytree(path, os.path.join(dest, name), ignore=ignore)
    if tests and os.path.isdir(os.path.join(root, TEST_DIRECTORY)):
        shutil.copytree(os.path.join(root, TEST_DIRECTORY), os.path.join(dest, TEST_DIRECTORY), ignore=ignore)
    return dest


@_once
def _prepared(root: str, backend: bool) -> str:
    """A copy of root initialised against the stand-in, made once per (root, backend) per process. With backend,
    a local backend replaces the partial azurerm one (plans need no state account and write nothing anywhere);
    without, `terraform init -backend=false`, as `terraform validate` of a root module wants."""
    _require_available()
    if not os.path.isdir(root):
        raise OfflineInputError(f"{root}: not a directory: give the root of a Terraform configuration")
    copy = copy_tree(root, os.path.join(_workspace(), "tf"))
    init = ["init", "-input=false", "-no-color"]
    if os.path.isdir(os.path.join(copy, TEST_DIRECTORY)):
        init.append(f"-test-directory={TEST_DIRECTORY}")  # installs the modules the test files' runs load
    if backend:
        with open(os.path.join(copy, BACKEND_OVERRIDE), "w", encoding="utf-8") as f:
            f.write('terraform {\n  backend "local" {}\n}\n')
    else:
        init.append("-backend=false")
    result = _terraform(init, copy)
    if not result.ok:
        raise OfflineError(f"terraform init failed in a copy of {root}:\n{result.output}")
    return copy


def prepared(root: str, backend: bool = True) -> str:
    return _prepared(os.path.abspath(root), backend)


def validate(root: str) -> Result:
    return _terraform(["validate", "-no-color"], prepared(root, backend=False))


def _secret_env() -> dict:
    return {f"TF_VAR_{name}": os.environ.get(f"TF_VAR_{name}", PLACEHOLDER_SECRET) for name in SECRET_VARIABLES}


def offline_plan(root: str, env: str) -> dict:
    """The parsed `terraform show -json` document of env's plan (refresh off, envs/<env>/terraform.tfvars).
    Planned once per (root, env) per process; every call returns a fresh copy the caller may change."""
    return json.loads(_shown_plan(os.path.abspath(root), env))


@_once
def _shown_plan(root: str, env: str) -> str:
    copy = prepared(root)
    var_file = os.path.join("envs", env, "terraform.tfvars")
    if not os.path.isfile(os.path.join(copy, var_file)):
        envs = sorted(os.listdir(os.path.join(copy, "envs"))) if os.path.isdir(os.path.join(copy, "envs")) else []
        raise OfflineInputError(f"{os.path.join(root, var_file)}: no such environment: choose one of "
                                f"{', '.join(envs) or '(none: add envs/<env>/terraform.tfvars)'}")
    return _plan_json(copy, env)


def _plan_json(copy: str, env: str, when: str = "") -> str:
    """`terraform plan` (refresh off, envs/<env>/terraform.tfvars) of an initialised copy, shown as JSON text."""
    plan_file = os.path.join(os.path.dirname(copy), f"{env}.tfplan")
    result = _terraform(["plan", "-input=false", "-lock=false", "-refresh=false", "-no-color",
                         f"-var-file={os.path.join('envs', env, 'terraform.tfvars')}", f"-out={plan_file}"],
                        copy, _secret_env())
    what = f"terraform plan of {env}" + (f" {when}" if when else "")
    if not result.ok:
        raise OfflineError(f"{what} failed:\n{result.output}")
    shown = _terraform(["show", "-json", plan_file], copy)
    if not shown.ok:
        raise OfflineError(f"terraform show -json of {env} failed:\n{shown.output}")
    return shown.stdout


@_once
def _applied(root: str, env: str) -> str:
    """A copy of root with env applied through the stand-in into its own local state (terraform.tfstate in the
    copy; nothing exists anywhere else), made once per (root, env) per process."""
    copy = copy_tree(prepared(root), os.path.join(_workspace(), "tf"))
    for name in (".terraform", ".terraform.lock.hcl", BACKEND_OVERRIDE):
        source = os.path.join(prepared(root), name)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(copy, name), symlinks=True)
        elif os.path.isfile(source):
            shutil.copy2(source, copy)
    var_file = os.path.join("envs", env, "terraform.tfvars")
    if not os.path.isfile(os.path.join(copy, var_file)):
        raise OfflineInputError(f"{os.path.join(root, var_file)}: no such environment")
    # The saved plan is checked before it is applied: only the stand-in's resources, nothing that runs a command.
    plan = json.loads(_plan_json(copy, env, "for the local apply"))
    refused = _not_local(plan)
    if refused:
        raise OfflineInputError(f"{root}: not applied offline: {refused}; the stand-in applies azurerm resources "
                                "into a local state and nothing else")
    plan_file = os.path.join(os.path.dirname(copy), f"{env}.tfplan")
    # Without any Azure credential in its environment, whatever the configuration holds.
    result = _terraform(["apply", "-input=false", "-lock=false", "-no-color", plan_file], copy,
                        {**_secret_env(), **{k: "" for k in os.environ if k.startswith(("ARM_", "AZURE_"))}})
    if not result.ok:
        raise OfflineError(f"terraform apply of {env} into a local state failed:\n{result.output}")
    return copy


def _not_local(plan: dict) -> str:
    """Why a plan must not be applied through the stand-in ("" when it may): a provider other than azurerm (its
    real plugin would act), a provisioner (it runs a command), or a backend other than the local override."""
    config = plan.get("configuration") or {}
    providers = {p.get("full_name", "") for p in (config.get("provider_config") or {}).values()}
    others = sorted(p for p in providers if p and p != schema.PROVIDER_ADDRESS)
    if others:
        return f"it uses {', '.join(others)}"
    modules = [config.get("root_module") or {}]
    while modules:
        module = modules.pop()
        for res in module.get("resources") or []:
            if res.get("provisioners"):
                return f"{res.get('address')} has a provisioner"
            if not str(res.get("type", "")).startswith("azurerm_"):
                return f"{res.get('address')} is not an azurerm resource"
        modules += [call.get("module") or {} for call in (module.get("module_calls") or {}).values()]
    return ""


def update_plan(root: str, env: str, edit=None) -> dict:
    """Terraform's own plan of a change to an applied environment: env is applied through the stand-in into a local
    state, a copy of that is changed by edit(copy_root) (when given), and planned again with refresh off, as pull
    requests are. The parsed `terraform show -json` document: `before` is the state the stand-in wrote, so update and
    no-op shapes are Terraform's, not hand-made."""
    applied = _applied(os.path.abspath(root), env)
    copy = os.path.join(_workspace(), "tf")
    shutil.copytree(applied, copy, symlinks=True)
    if edit is not None:
        edit(copy)
    return json.loads(_plan_json(copy, env, "after apply"))


def run_tests(root: str, env: str | None = None) -> Result:
    """`terraform test` of the *.tftest.hcl files in tests/terraform, with envs/<env>/terraform.tfvars when env
    is given (the files assert per-environment invariants on whatever environment they are run with)."""
    args = ["test", "-no-color", f"-test-directory={TEST_DIRECTORY}"]
    if env:
        args.append(f"-var-file={os.path.join('envs', env, 'terraform.tfvars')}")
    return _terraform(args, prepared(root), _secret_env())


def _environments(root: str) -> list[str]:
    envs = os.path.join(root, "envs")
    if not os.path.isdir(envs):
        raise OfflineInputError(f"{envs}: no environments: add envs/<env>/terraform.tfvars or pass --env")
    return sorted(e for e in os.listdir(envs) if os.path.isfile(os.path.join(envs, e, "terraform.tfvars")))


def count_instances(plan: dict) -> int:
    """Resource instances the plan creates or changes (data sources excluded)."""
    return sum(1 for rc in plan.get("resource_changes", []) if rc.get("mode") == "managed")


def _cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.tfprovider.offline",
                                     description="Real terraform validate / plan / test through the offline azurerm stand-in.")
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("validate", help="terraform init -backend=false + validate of ROOT")
    v.add_argument("root", nargs="?", default=".")
    p = sub.add_parser("plan", help="terraform plan + show -json per environment")
    p.add_argument("--root", default=".")
    p.add_argument("--env", action="append", help="environment (repeatable; default: every envs/<env>)")
    p.add_argument("--out", default="reports/offline", help="directory for <env>.plan.json")
    t = sub.add_parser("test", help="terraform test of tests/terraform/*.tftest.hcl per environment")
    t.add_argument("--root", default=".")
    t.add_argument("--env", action="append", help="environment (repeatable; default: every envs/<env>)")
    args = parser.parse_args(argv)

    reason = available()
    if reason:
        print(f"offline terraform {args.command}: not run: {reason}")
        return 0
    try:
        if args.command == "validate":
            result = validate(args.root)
            print(result.output)
            return 0 if result.ok else 1
        envs = args.env or _environments(args.root)
        if args.command == "test":
            failed = 0
            for env in envs:
                result = run_tests(args.root, env)
                print(f"terraform test ({env}):\n{result.output}")
                failed += not result.ok
            return 1 if failed else 0
        plans = {}
        for env in envs:
            started = time.monotonic()
            plans[env] = offline_plan(args.root, env), time.monotonic() - started
        os.makedirs(args.out, exist_ok=True)
        for env, (plan, seconds) in plans.items():
            out = os.path.join(args.out, f"{env}.plan.json")
            with open(out, "w", encoding="utf-8") as f:
                json.dump(plan, f, indent=1)
            print(f"plan-offline: {env}: {count_instances(plan)} instances, {seconds:.1f} s -> {out}")
        return 0
    except OfflineInputError as e:
        print(f"offline terraform {args.command}: {e}", file=sys.stderr)
        return 2
    except OfflineError as e:
        print(f"offline terraform {args.command}: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"offline terraform {args.command}: {e.filename or ''}: {e.strerror}", file=sys.stderr)
        return 2
    except ValueError as e:  # e.g. `terraform show -json` printed something that is not JSON
        print(f"offline terraform {args.command}: unexpected Terraform output: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(_cli(sys.argv[1:]))
