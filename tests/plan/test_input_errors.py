"""Bad plan input gets one clear line on stderr and exit 2, from check and from review alike."""
from __future__ import annotations

import json
import zipfile

import pytest

from pulse_gate.plan.cli import check_main, review_main

from .conftest import CLEAN, REPO, run


def _write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


STATE_RAW = {"version": 4, "terraform_version": "1.9.5", "serial": 12, "lineage": "4c6b-...", "outputs": {},
             "resources": []}
STATE_SHOW = {"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {}}}

BAD = [
    ("not-json", "plan.json", "this is not json {", "is not JSON"),
    ("broken-json", "plan.json", '{"format_version": "1.2", "planned_values": ', "is not JSON"),
    ("plan-text", "plan.txt", "Terraform will perform the following actions:\n", "text output"),
    ("empty", "plan.json", "", "is empty"),
    ("list", "plan.json", [1, 2], "not a Terraform plan"),
    ("no-format", "plan.json", {"planned_values": {}}, "no format_version"),
    ("format-2.0", "plan.json", {"format_version": "2.0", "planned_values": {}}, "format_version '2.0'"),
    ("format-0.0", "plan.json", {"format_version": "0.0", "planned_values": {}}, "format_version '0.0'"),
    ("format-junk", "plan.json", {"format_version": "one", "planned_values": {}}, "format_version 'one'"),
    ("state-file", "terraform.tfstate", STATE_RAW, "state file"),
    ("state-show", "state.json", STATE_SHOW, "JSON of a state"),
    ("errored", "plan.json", {"format_version": "1.2", "planned_values": {}, "resource_changes": [],
                              "errored": True}, "errored"),
    ("changes-not-list", "plan.json", {"format_version": "1.2", "resource_changes": {}}, "not a list"),
]


@pytest.mark.parametrize("case, name, content, phrase", BAD, ids=[b[0] for b in BAD])
@pytest.mark.parametrize("command", ["check", "review"])
def test_bad_input_one_line_exit_2(tmp_path, capsys, case, name, content, phrase, command):
    path = _write(tmp_path, name, content)
    argv = ["--plan", path] if command == "check" else [path]
    code, out, err = run(check_main if command == "check" else review_main, argv, capsys)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and phrase in lines[0], lines[0]
    assert str(path) in lines[0]


def test_wrong_version_names_the_terraform_that_writes_1x(tmp_path, capsys):
    path = _write(tmp_path, "plan.json", {"format_version": "2.0", "planned_values": {}})
    _, _, err = run(check_main, ["--plan", path], capsys)
    assert "terraform >= 1.0" in err


def test_binary_plan_file(tmp_path, capsys):
    path = tmp_path / "tfplan"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("tfplan", b"\x00binary")
    code, _, err = run(check_main, ["--plan", path], capsys)
    assert code == 2 and "binary plan file" in err and "terraform show -json tfplan" in err


@pytest.mark.parametrize("what", ["missing", "directory"])
def test_missing_or_directory(tmp_path, capsys, what):
    path = tmp_path / "nope.json" if what == "missing" else tmp_path
    code, _, err = run(check_main, ["--plan", path], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_utf16_with_bom_is_read(tmp_path, capsys):
    """PowerShell 5's `terraform show -json tfplan > plan.json` writes UTF-16 with a BOM."""
    path = tmp_path / "plan.json"
    path.write_bytes(CLEAN.read_text(encoding="utf-8").encode("utf-16"))
    code, out, err = run(check_main, ["--plan", path, "--no-hcl"], capsys)
    assert code in (0, 1) and "policy gate" in out, err


def test_env_count_must_match(capsys):
    code, _, err = run(check_main, ["--plan", CLEAN, "--plan", CLEAN, "--env", "dev"], capsys)
    assert code == 2 and "--env" in err


def test_max_chars_too_small(capsys):
    code, _, err = run(review_main, [CLEAN, "--max-chars", "10"], capsys)
    assert code == 2 and "--max-chars" in err


def test_leading_command_word_is_accepted(capsys):
    code, out, _ = run(check_main, ["check", "--plan", CLEAN, "--root", REPO], capsys)
    assert code == 0 and "policy gate passed" in out
