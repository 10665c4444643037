"""Terraform outputs and environment checks: every input error is one line and exit 2."""
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import rbac_standin as s
from pulse_gate.errors import InputError
from pulse_gate.verify import outputs
from pulse_gate.verify.cli import main

REPO = Path(__file__).resolve().parents[2]


def test_unknown_environment_lists_the_known_ones(root, capsys):
    assert main(["--env", "qa", "--root", str(root), "--outputs", "x.json"]) == 2
    err = capsys.readouterr().err
    assert err == "verify: error: unknown environment 'qa' (known: dev, prod, staging)\n"


def test_outputs_missing_keys_are_named(root, tmp_path, policy, capsys):
    f = tmp_path / "o.json"
    f.write_text(json.dumps(s.outputs(policy, drop=("web_app_principal_id", "key_vault_id"))))
    assert main(["--env", "dev", "--root", str(root), "--outputs", str(f)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "terraform outputs lack web_app_principal_id, key_vault_id" in err


@pytest.mark.parametrize("text, message", [
    ("not json", "terraform outputs are not JSON"),
    ("[]", "not a JSON object"),
])
def test_malformed_outputs(root, tmp_path, text, message, capsys):
    f = tmp_path / "o.json"
    f.write_text(text)
    assert main(["--env", "dev", "--root", str(root), "--outputs", str(f)]) == 2
    assert message in capsys.readouterr().err


def test_malformed_ids(policy):
    bad = s.outputs(policy)
    bad["resource_group_id"]["value"] = "rg-pulse-dev"
    with pytest.raises(InputError, match="resource_group_id is not a resource group id"):
        outputs.environment("dev", outputs.parse(json.dumps(bad), "o"), policy, "o")
    bad = s.outputs(policy, principals={"web_app": "not-a-guid"})
    with pytest.raises(InputError, match="web_app_principal_id is not an object id"):
        outputs.environment("dev", outputs.parse(json.dumps(bad), "o"), policy, "o")


def test_missing_terraform_without_outputs_is_one_line(root, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert main(["--env", "dev", "--root", str(root)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "terraform is not installed and no --outputs file was given" in err


def _fake_terraform(bin_dir: Path, log: Path, outputs_json: str, fail_init: bool = False) -> None:
    bin_dir.mkdir()
    script = bin_dir / "terraform"
    script.write_text(f"""#!{sys.executable}
import sys, os
with open({str(log)!r}, "a") as fh:
    fh.write(os.getcwd() + " " + " ".join(sys.argv[1:]) + "\\n")
if sys.argv[1] == "init" and {fail_init!r}:
    sys.stderr.write("Initializing the backend...\\nError: Failed to get existing workspaces: 403\\n")
    sys.exit(1)
if sys.argv[1] == "output":
    sys.stdout.write({outputs_json!r})
""")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def test_runs_terraform_init_with_the_env_backend_then_output(root, tmp_path, policy, monkeypatch):
    log = tmp_path / "calls.log"
    _fake_terraform(tmp_path / "bin", log, json.dumps(s.outputs(policy)))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    values, source = outputs.from_terraform(root, "staging")
    assert values["web_app_principal_id"] == s.WEB
    assert log.read_text().splitlines() == [
        f"{root} init -input=false -reconfigure -no-color -backend-config=envs/staging/backend.hcl",
        f"{root} output -json",
    ]


def test_terraform_failure_is_one_line(root, tmp_path, monkeypatch):
    _fake_terraform(tmp_path / "bin", tmp_path / "log", "{}", fail_init=True)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(InputError) as exc:
        outputs.from_terraform(root, "dev")
    assert str(exc.value) == "terraform init failed (exit 1): Error: Failed to get existing workspaces: 403"


def test_bad_option_is_one_line(capsys):
    assert main(["--env", "dev", "--format", "yaml"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "invalid choice: 'yaml'" in err


def test_python_dash_m_entry_point(root):
    done = subprocess.run([sys.executable, "-m", "pulse_gate.verify", "--env", "nope", "--root", str(root)],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr == "verify: error: unknown environment 'nope' (known: dev, prod, staging)\n"
    assert done.stdout == ""
