"""Bad input through the real command line: exit 2, exactly one line on stderr naming file:line, no traceback.

The subprocess cases run concurrently from one module fixture (each process pays ~0.3 s of parser start-up).
"""
import os
import subprocess
import sys

import pytest

from pulse_gate.cli import main

from .conftest import ROOT, write_tree

GOOD_VARS = 'variable "region" {\n  default = "westeurope"\n}\n'

# id: (files, extra CLI arguments, expected start of the stderr line after "error: ", fragment of the message)
CASES = {
    "malformed_hcl": (
        {"main.tf": 'locals {\n  a = "x"\n  b = [1, 2\n}\n'},
        [], "main.tf:4: malformed HCL", "missing item separator"),
    "malformed_hcl_in_module": (
        {"main.tf": 'module "m" {\n  source = "./modules/m"\n}\n',
         "modules/m/main.tf": 'resource "azurerm_thing" "t" {\n  name = \n}\n'},
        [], "modules/m/main.tf:2: malformed HCL", "fix the syntax"),
    "malformed_tfvars": (
        {"variables.tf": GOOD_VARS, "envs/dev/terraform.tfvars": 'region = "x"\nregion2 = \n'},
        [], "envs/dev/terraform.tfvars:2: malformed HCL", "invalid expression"),
    "unknown_environment": (
        {"variables.tf": GOOD_VARS, "envs/dev/terraform.tfvars": ""},
        ["--env", "qa"], 'envs/: unknown environment "qa"', "choose one of: dev"),
    "tfvars_key_without_variable": (
        {"variables.tf": GOOD_VARS, "envs/dev/terraform.tfvars": 'region = "x"\nzone = "1"\n'},
        [], 'envs/dev/terraform.tfvars:2: "zone" is set here but no variable "zone" is declared',
        "declare it in variables.tf"),
    "variable_without_value": (
        {"variables.tf": GOOD_VARS + '\nvariable "sku" {\n  type = string\n}\n', "envs/dev/terraform.tfvars": ""},
        [], 'variables.tf:5: variable "sku" has no value', "set it in envs/dev/terraform.tfvars"),
    "missing_module_source": (
        {"main.tf": '# app\nmodule "app" {\n  source = "./modules/nope"\n}\n'},
        [], "main.tf:3: module \"app\": source './modules/nope' does not exist", "fix the path"),
    "undeclared_local": (
        {"main.tf": 'resource "azurerm_thing" "t" {\n  name = local.prefix\n}\n'},
        [], 'main.tf:2: reference to undeclared local value "prefix"', "declare local.prefix"),
    "undeclared_variable_in_module": (
        {"main.tf": 'module "m" {\n  source = "./m"\n}\n',
         "m/main.tf": 'resource "azurerm_thing" "t" {\n  name = "x"\n  sku  = var.sku\n}\n'},
        [], 'm/main.tf:3: reference to undeclared input variable "sku"', 'declare variable "sku" in m/variables.tf'),
    "undeclared_resource": (
        {"main.tf": 'resource "azurerm_thing" "t" {\n  id = azurerm_storage_account.main.id\n}\n'},
        [], 'main.tf:2: reference to undeclared name "azurerm_storage_account"', "fix the reference"),
    "local_cycle": (
        {"main.tf": 'resource "azurerm_thing" "t" {\n  name = local.a\n}\n',
         "locals.tf": 'locals {\n  a = "${local.b}-x"\n  b = local.a\n}\n'},
        [], "locals.tf:2: cycle: local.a depends on itself", "break the circular reference"),
    "unused_local_cycle": (
        {"locals.tf": "locals {\n  a = local.b\n  b = local.a\n}\n"},
        [], "locals.tf:2: cycle: local.a depends on itself", "break the circular reference"),
    "missing_var_file": (
        {"main.tf": ""},
        ["--var-file", "nope.tfvars"], "nope.tfvars: variables file not found", "check the --var-file path"),
}


# The cases the issue lists run through a real subprocess; every case also runs through cli.main() in-process.
SUBPROCESS = ["malformed_hcl", "unknown_environment", "tfvars_key_without_variable", "variable_without_value",
              "missing_module_source", "undeclared_local", "local_cycle"]


def check_one_line(name, code, out, err):
    _, _, where, fragment = CASES[name]
    assert "Traceback" not in err
    assert code == 2, (out, err)
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert err.endswith("\n")
    assert lines[0].startswith(f"error: {where}"), lines[0]
    assert fragment in lines[0]
    assert " - " in lines[0]     # every input error carries a hint


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = {}
    for name in SUBPROCESS:
        files, args, _, _ = CASES[name]
        root = write_tree(tmp_path_factory.mktemp(name), files)
        cmd = [sys.executable, "-m", "pulse_gate", "check", "--root", str(root), *args]
        procs[name] = subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True)
    results = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=60)
        results[name] = (proc.returncode, out, err)
    return results


@pytest.mark.parametrize("name", SUBPROCESS)
def test_bad_input_is_one_line_and_exit_2(runs, name):
    check_one_line(name, *runs[name])


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_in_process(name, tmp_path, monkeypatch, capsys):
    files, args, _, _ = CASES[name]
    root = write_tree(tmp_path, files)
    monkeypatch.chdir(root)
    code = main(["check", "--root", str(root), *args])
    out, err = capsys.readouterr()
    check_one_line(name, code, out, err)


def test_message_is_file_line_message_hint(runs):
    _, _, err = runs["undeclared_local"]
    assert err == ('error: main.tf:2: reference to undeclared local value "prefix" - declare local.prefix in a '
                   "locals block\n")
