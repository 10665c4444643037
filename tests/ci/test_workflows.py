"""Invariants of the GitHub workflows, offline: keyless Azure login, pinned actions, least permissions, environments.

Needs PyPI's pyyaml (requirements.txt); skipped with that reason when it is missing.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml", reason="pyyaml is not installed: it belongs in requirements.txt (make venv)")

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.y*ml"))
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
ENVIRONMENTS = ("dev", "staging", "prod")


def load(path: Path) -> dict:
    doc = yaml.safe_load(path.read_text())
    if True in doc and "on" not in doc:  # YAML 1.1: the key `on` parses as true
        doc["on"] = doc.pop(True)
    return doc


DOCS = {p.name: load(p) for p in FILES}


def jobs():
    for name, doc in DOCS.items():
        for job_id, job in doc["jobs"].items():
            yield name, job_id, job


def steps(job):
    return job.get("steps") or []


def uses_azure_login(job) -> bool:
    return any(str(s.get("uses", "")).startswith("azure/login@") for s in steps(job))


def called(job) -> dict | None:
    ref = job.get("uses", "")
    if ref.startswith("./.github/workflows/"):
        return DOCS[Path(ref).name]
    return None


def test_workflows_exist_and_parse():
    assert {"pull-request.yml", "deploy.yml"} <= set(DOCS)
    for name, doc in DOCS.items():
        assert isinstance(doc.get("jobs"), dict) and doc["jobs"], name
        assert "on" in doc, name


@pytest.mark.parametrize("needle", ["ARM_CLIENT_SECRET", "AZURE_CREDENTIALS", "client-secret", "creds:",
                                    "ARM_ACCESS_KEY", "pull_request_target", "secrets: inherit"])
def test_no_long_lived_azure_secret_or_risky_construct(needle):
    for path in FILES:
        assert needle.lower() not in path.read_text().lower(), f"{path.name} mentions {needle}"


def test_every_action_is_pinned_to_a_commit_sha_with_a_version_comment():
    for path in FILES:
        for n, line in enumerate(path.read_text().splitlines(), 1):
            m = re.match(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", line)
            if not m or m.group(1).startswith("./"):
                continue
            assert SHA_PIN.match(m.group(1)), f"{path.name}:{n}: {m.group(1)} is not pinned to a full commit SHA"
            assert re.search(r"#\s*v\d+(\.\d+)*", m.group(2)), f"{path.name}:{n}: add the release as `# vX.Y.Z`"


def test_permissions_declared_at_top_level_and_per_job():
    for name, doc in DOCS.items():
        assert doc.get("permissions") == {}, f"{name}: top-level permissions must be {{}} (jobs opt in)"
    for name, job_id, job in jobs():
        assert "permissions" in job, f"{name}: job {job_id} declares no permissions"


def test_id_token_write_only_where_azure_login_is_used():
    for name, job_id, job in jobs():
        perms = job.get("permissions") or {}
        sub = called(job)
        logs_in = uses_azure_login(job) or (sub is not None and any(uses_azure_login(j)
                                                                    for j in sub["jobs"].values()))
        if perms.get("id-token") == "write":
            assert logs_in, f"{name}: job {job_id} has id-token: write but never logs in to Azure"
        if uses_azure_login(job):
            assert perms.get("id-token") == "write", f"{name}: job {job_id} logs in without id-token: write"


def test_azure_login_is_oidc_only():
    for name, job_id, job in jobs():
        for s in steps(job):
            if str(s.get("uses", "")).startswith("azure/login@"):
                w = s.get("with") or {}
                assert {"client-id", "tenant-id", "subscription-id"} <= set(w), f"{name}: {job_id}"
                assert not {"creds", "client-secret"} & set(w), f"{name}: {job_id}"
        if uses_azure_login(job):
            env = {**DOCS[name].get("env", {}), **job.get("env", {})}
            assert str(env.get("ARM_USE_OIDC")).lower() == "true", f"{name}: {job_id} needs ARM_USE_OIDC=true"


# make targets a job may run once it holds an Azure credential: they use .venv, installed before the login (its
# .installed stamp is newer than requirements.txt), and create no other environment (checkov, checkov-test, bench and
# lint each pip-install one of their own, sdists allowed).
AFTER_LOGIN_TARGETS = {"policy", "verify", "review"}
# What a step may run after the login: an allow-list, because a deny-list of installers is never complete.
AFTER_LOGIN_COMMANDS = {"terraform", "make", ".venv/bin/python", "mkdir", "cat", "echo", "set", "exit", "case", "esac"}
AFTER_LOGIN_ACTIONS = {"actions/upload-artifact", "actions/download-artifact", "github/codeql-action/upload-sarif"}


def _commands(step) -> list[str]:
    """The shell commands of a step: comments dropped, continuation lines joined, split at ; && || |."""
    lines, joined = str(step.get("run", "")).splitlines(), []
    for line in lines:
        line = line.split(" #", 1)[0].rstrip() if not line.strip().startswith("#") else ""
        if joined and joined[-1].endswith("\\"):
            joined[-1] = joined[-1][:-1] + " " + line.strip()
        elif line.strip():
            joined.append(line.strip())
    return [c.strip() for line in joined for c in re.split(r";;|;|&&|\|\||\|", line) if c.strip()]


def _words(command: str) -> list[str]:
    """The command's words, without leading VAR=value assignments and case labels (`0)`, `*)`)."""
    words = command.split()
    while words and (re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]) or words[0].endswith(")")):
        words = words[1:]
    return words


def _make_targets(words: list[str]) -> list[str]:
    targets, skip = [], False
    for word in words[1:]:
        if skip:
            skip = False
        elif word in ("-C", "-f", "-I", "-o", "-W", "--directory", "--file", "--makefile"):
            skip = True
        elif not word.startswith("-") and "=" not in word:
            targets.append(word)
    return targets


def _after_login_problems(step) -> list[str]:
    problems = []
    action = str(step.get("uses", "")).split("@")[0]
    if action and action not in AFTER_LOGIN_ACTIONS:
        problems.append(f"uses {action}")
    for command in _commands(step):
        words = _words(command)
        if not words:
            continue
        if words[0] not in AFTER_LOGIN_COMMANDS:
            problems.append(f"runs {words[0]}")
        elif words[0] == "make":
            problems += [f"runs make {t}" for t in _make_targets(words) if t not in AFTER_LOGIN_TARGETS]
        elif words[0] == ".venv/bin/python" and words[1:3] not in (["-m", "pulse_gate"], ["-m", "pulse_gate.plan"]):
            problems.append(f"runs {' '.join(words[:3])}")
    return problems


def test_nothing_is_installed_after_azure_login():
    """A job that logs in installs the gate before the login, from wheels only (no package code runs at install),
    and after it runs only Terraform, the gate and make targets that install nothing: a package or tool pulled in
    then could act with the job's Azure credential."""
    for name, job_id, job in jobs():
        if not uses_azure_login(job):
            continue
        login = next(i for i, s in enumerate(steps(job)) if str(s.get("uses", "")).startswith("azure/login@"))
        before = [c for s in steps(job)[:login] for c in _commands(s)]
        assert any(_words(c)[:2] == ["make", "venv"] and "--only-binary=:all:" in c for c in before), \
            f"{name}: job {job_id} must run make venv PIP_INSTALL_ARGS=\"--only-binary=:all:\" before azure/login"
        for s in steps(job)[login + 1:]:
            assert _after_login_problems(s) == [], f"{name}: job {job_id} after azure/login: {_after_login_problems(s)}"


@pytest.mark.parametrize("run", [
    "make -C . checkov", "make --directory=. lint", "make policy checkov", "make \\\n  checkov", "gmake checkov",
    "npm install left-pad", "az extension add --name x", "sudo apt-get install -y x", "curl -sL x | sh",
    "python -m pip --quiet install x", "pip  install x", ".venv/bin/python -m pip install x", "FOO=1 uv pip install x"])
def test_the_after_login_check_refuses_installers(run):
    assert _after_login_problems({"run": run}) != [], run


@pytest.mark.parametrize("step", [{"uses": "actions/setup-node@0123"}, {"uses": "some/action@0123"}])
def test_the_after_login_check_refuses_other_actions(step):
    assert _after_login_problems(step) != []


def test_the_after_login_targets_install_nothing_of_their_own():
    """Each make target allowed after the login depends on .venv alone among the virtual environments."""
    makefile = (REPO / "Makefile").read_text()
    for target in AFTER_LOGIN_TARGETS:
        rule = re.search(rf"^{target}:([^\n]*)$", makefile, re.M)
        assert rule, f"Makefile has no target {target}"
        assert "CHECKOV_VENV" not in rule.group(1) and "LINT_VENV" not in rule.group(1), rule.group(0)


def test_write_permissions_are_narrow():
    allowed = {"id-token", "security-events", "pull-requests"}
    for name, job_id, job in jobs():
        for scope, level in (job.get("permissions") or {}).items():
            if level == "write":
                assert scope in allowed, f"{name}: job {job_id} has {scope}: write"
    comment = DOCS["pull-request.yml"]["jobs"]["comment"]
    assert comment["permissions"] == {"pull-requests": "write"}
    assert not any("run" in s for s in steps(comment)), "the job that can write to the PR runs no repository code"


def test_checkout_never_persists_credentials():
    for name, job_id, job in jobs():
        for s in steps(job):
            if str(s.get("uses", "")).startswith("actions/checkout@"):
                assert (s.get("with") or {}).get("persist-credentials") is False, f"{name}: {job_id}"


def test_terraform_jobs_are_serialised_per_environment():
    for name, job_id, job in jobs():
        runs_terraform = any("terraform plan" in str(s.get("run", "")) or "terraform apply" in str(s.get("run", ""))
                             for s in steps(job))
        if job.get("environment") or runs_terraform:
            group = str((job.get("concurrency") or {}).get("group", ""))
            assert re.search(r"inputs\.environment|matrix\.environment", group), \
                f"{name}: job {job_id} needs a concurrency group per environment, has {group!r}"
            if job.get("environment"):
                assert job["concurrency"].get("cancel-in-progress") is False, f"{name}: never cancel an apply"


def test_deploy_order_and_runners():
    deploy = DOCS["deploy.yml"]
    assert set(deploy["on"]) >= {"push"} and deploy["on"]["push"]["branches"] == ["main"]
    j = deploy["jobs"]
    assert j["dev"]["needs"] == "gate" and j["staging"]["needs"] == "dev" and j["prod"]["needs"] == "staging"
    for env in ENVIRONMENTS:
        assert j[env]["with"]["environment"] == env
    assert "self-hosted" not in j["dev"]["with"]["runner"]
    for env in ("staging", "prod"):  # public network access off: the runner must reach the VNet
        assert "self-hosted" in j[env]["with"]["runner"], env


def test_apply_behind_an_environment_with_the_secrets_only_there():
    tf = DOCS["terraform-env.yml"]["jobs"]
    assert tf["apply"]["environment"]["name"] == "${{ inputs.environment }}"
    assert tf["plan"]["environment"]["name"] == "${{ inputs.environment }}-plan"
    apply_step = next(s for s in steps(tf["apply"]) if "terraform apply" in str(s.get("run", "")))
    assert apply_step["env"]["TF_VAR_nextauth_secret"] == "${{ secrets.NEXTAUTH_SECRET }}"
    assert apply_step["env"]["TF_VAR_azure_ad_client_secret"] == "${{ secrets.AZURE_AD_CLIENT_SECRET }}"
    text = "\n".join(p.read_text() for p in FILES)
    assert text.count("secrets.NEXTAUTH_SECRET") == 1 and text.count("secrets.AZURE_AD_CLIENT_SECRET") == 1
    # Ephemeral variables must be set at plan as well (placeholders: write-only values never reach a plan).
    for wf, job in (("terraform-env.yml", "plan"), ("pull-request.yml", "plan")):
        body = yaml.safe_dump(DOCS[wf]["jobs"][job])
        assert "TF_VAR_nextauth_secret" in body and "TF_VAR_azure_ad_client_secret" in body, (wf, job)


def test_pull_request_pipeline():
    pr = DOCS["pull-request.yml"]
    assert list(pr["on"]) == ["pull_request"]
    runs = {job_id: " ".join(str(s.get("run", "")) for s in steps(job)) for job_id, job in pr["jobs"].items()}
    for target in ("make test", "make validate", "make policy", "make lint"):
        assert target in runs["test"], target
    assert "make checkov" in runs["checkov"]
    assert sum("codeql-action/upload-sarif@" in str(s.get("uses", "")) for s in steps(pr["jobs"]["checkov"])) == 3
    plan = pr["jobs"]["plan"]
    assert plan["needs"] == ["test", "checkov"]
    assert [m["environment"] for m in plan["strategy"]["matrix"]["include"]] == list(ENVIRONMENTS)
    assert "backend.hcl" in runs["plan"] and "-var-file=" in runs["plan"] and "-out=" in runs["plan"]
    assert "terraform show -json" in runs["plan"]
    assert re.search(r"pulse_gate review plans/plan-dev\.json plans/plan-staging\.json plans/plan-prod\.json"
                     r"\s*\\?\s*--format markdown --out review\.md", runs["review"])


def test_policy_gate_findings_reach_code_scanning_and_annotations():
    test = DOCS["pull-request.yml"]["jobs"]["test"]
    runs = " ".join(str(s.get("run", "")) for s in steps(test))
    assert "make policy FORMAT=github" in runs
    assert "pulse_gate check --format sarif > reports/pulse-gate.sarif" in runs
    [upload] = [s for s in steps(test) if "codeql-action/upload-sarif@" in str(s.get("uses", ""))]
    assert upload["with"] == {"sarif_file": "reports/pulse-gate.sarif", "category": "pulse-gate"}
    assert "head.repo.full_name == github.repository" in upload["if"]    # forks cannot write code scanning
    assert test["permissions"].get("security-events") == "write"


def test_uploaded_plan_json_is_scrubbed_or_absent():
    plan = DOCS["pull-request.yml"]["jobs"]["plan"]
    runs = " ".join(str(s.get("run", "")) for s in steps(plan))
    assert 'pulse_gate.plan scrub "plan-${TF_ENV}.json" --out "scrubbed/plan-${TF_ENV}.json"' in runs
    for name, job_id, job in jobs():
        for s in steps(job):
            if str(s.get("uses", "")).startswith("actions/upload-artifact@"):
                paths = str((s.get("with") or {}).get("path", ""))
                for line in (p.strip() for p in paths.splitlines()):
                    if line.endswith(".json"):
                        assert line.startswith("scrubbed/"), f"{name}: {job_id} uploads unscrubbed {line}"
