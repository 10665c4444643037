"""Provisioners reach the model as Terraform itself records them: held to real Terraform's plan JSON.

The plan's `configuration` lists each resource's provisioners (type and expressions, in order); the HCL front-end
keeps the same kinds, in the same order, as values["provisioner"] = [{"type": ...}], which PL006 reads.
Skipped when terraform is not installed; it needs no provider and no network (terraform_data is built in).
"""
import json
import os
import shutil
import subprocess

import pytest

from pulse_gate.hcl.frontend import Project
from pulse_gate.rules.platform import arbitrary_code

from .test_rules import POLICY

CONFIG = '''resource "terraform_data" "deploy" {
  input = "v1"

  provisioner "local-exec" {
    command = "echo ${self.input}"
  }

  provisioner "remote-exec" {
    inline = ["id"]
  }

  connection {
    host = "10.0.0.4"
  }
}

resource "terraform_data" "quiet" {
  input = "v1"
}
'''


def _terraform_plan(root):
    env = dict(os.environ, TF_CLI_CONFIG_FILE="/dev/null", TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
    for args in (["init", "-input=false", "-no-color"], ["plan", "-input=false", "-no-color", "-out=p.bin"]):
        subprocess.run(["terraform", *args], cwd=root, env=env, check=True, capture_output=True, timeout=120)
    shown = subprocess.run(["terraform", "show", "-json", "p.bin"], cwd=root, env=env, check=True,
                           capture_output=True, text=True, timeout=60)
    return json.loads(shown.stdout)


def test_hcl_model_keeps_the_provisioners_terraform_plans(tmp_path):
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not installed")
    (tmp_path / "main.tf").write_text(CONFIG)
    plan = _terraform_plan(tmp_path)
    planned = {r["address"]: [p["type"] for p in r.get("provisioners", [])]
               for r in plan["configuration"]["root_module"]["resources"]}

    model = Project(str(tmp_path)).model("test", [])
    modelled = {r.address: [p["type"] for p in r.blocks("provisioner")] for r in model.resources}
    assert modelled == planned == {"terraform_data.deploy": ["local-exec", "remote-exec"], "terraform_data.quiet": []}

    findings = arbitrary_code(model, POLICY)
    assert [(f.address, f.attribute, f.line) for f in findings] == [
        ("terraform_data.deploy", "provisioner[0]", 4), ("terraform_data.deploy", "provisioner[1]", 8)]

    # The same findings from Terraform's plan alone (the plan front-end reads the configuration's provisioners).
    from pulse_gate.plan.gate import evaluate
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    from_plan = [f for f in evaluate(str(path), POLICY, env="test", root=None).findings if f.rule_id == "PL006"]
    assert [(f.address, f.attribute) for f in from_plan] == [
        ("terraform_data.deploy", "provisioner[0]"), ("terraform_data.deploy", "provisioner[1]")]


def test_external_data_source_is_reported_from_a_plan(tmp_path):
    """A data source read at plan time lands in the plan's prior_state; the plan front-end models it (mode data)."""
    from pulse_gate.plan.gate import evaluate

    plan = {"format_version": "1.2", "terraform_version": "1.11.4",
            "prior_state": {"format_version": "1.0", "values": {"root_module": {"resources": [
                {"address": "data.external.token", "mode": "data", "type": "external", "name": "token",
                 "provider_name": "registry.terraform.io/hashicorp/external", "schema_version": 0,
                 "values": {"program": ["sh", "-c", "az account get-access-token"], "result": {"t": "x"}}}]}}},
            "planned_values": {"root_module": {}}, "resource_changes": [],
            "configuration": {"root_module": {"resources": [
                {"address": "data.external.token", "mode": "data", "type": "external", "name": "token",
                 "expressions": {"program": {"constant_value": ["sh", "-c", "az account get-access-token"]}}}]}}}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    result = evaluate(str(path), POLICY, env="test", root=None)
    assert [f.address for f in result.findings if f.rule_id == "PL006"] == ["data.external.token"]
