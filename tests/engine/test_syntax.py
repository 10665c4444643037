"""Native syntax Terraform accepts and python-hcl2 8 reads differently: heredoc closing markers with blanks,
strip markers inside interpolations, a byte order mark; and syntax errors worded without parser internals."""
import json
import os
import re
import shutil
import subprocess

import pytest

from pulse_gate.errors import InputError
from pulse_gate.hcl.evaluator import Evaluator
from pulse_gate.hcl.frontend import Project
from pulse_gate.hcl.syntax import Template, parse_text

BOM = "\ufeff"


def outputs(root) -> dict:
    """Every root output of the tree, evaluated by the gate."""
    project = Project(str(root))
    inst = Evaluator(project.loader, "tfvars").root_instance({})
    return {name: inst.output(name, None) for name in sorted(project.rootdef.outputs)}


# ---- heredocs ---------------------------------------------------------------------------------------------------
HEREDOC_BEFORE_ACCOUNT = '''
    locals {
      policy = <<EOT
    {"a": 1}
    EOT   \n}

    resource "azurerm_storage_account" "hidden" {
      name                      = "sthidden"
      shared_access_key_enabled = true
    }

    locals {
      other = <<EOT
    x
    EOT
    }
'''


def test_storage_account_after_a_heredoc_with_trailing_blanks_is_seen(env_model):
    # python-hcl2 8 ran the first heredoc on to the second "EOT" line, swallowing the storage account
    model = env_model({"main.tf": HEREDOC_BEFORE_ACCOUNT})
    account = model.by_address("azurerm_storage_account.hidden")
    assert account is not None
    assert account.values["shared_access_key_enabled"] is True
    assert account.line == 7


@pytest.mark.parametrize("marker_line", ["EOT", "EOT  ", "  EOT", "\tEOT\t", "EOT \r"],
                         ids=["plain", "trailing", "leading", "tabs", "trailing_cr"])
def test_heredoc_closing_marker_may_have_blanks(marker_line):
    body = parse_text(f'locals {{\n  a = <<EOT\nhello\n{marker_line}\n  b = "after"\n}}\n', "m.tf")
    attrs = body.blocks[0].body.attributes
    assert attrs["a"].expr == Template(2, ("hello\n",))
    assert attrs["b"].line == 5


def test_heredoc_forms():
    body = parse_text('locals {\n  empty = <<EOT\nEOT\n  dashed = <<END-OF-TEXT\nx\nEND-OF-TEXT\n'
                      '  indented = <<-EOT\n      a\n\n        b\n    EOT\n}\n', "m.tf")
    attrs = body.blocks[0].body.attributes
    assert attrs["empty"].expr == Template(2, ())
    assert attrs["dashed"].expr == Template(4, ("x\n",))
    assert attrs["indented"].expr == Template(7, ("a\n\n  b\n",))


def test_heredoc_interpolations_carry_the_heredoc_line():
    body = parse_text('locals {\n  a = 1\n  t = <<EOT\nx ${local.a}\nEOT\n}\n', "m.tf")
    tpl = body.blocks[0].body.attributes["t"].expr
    assert {part.line for part in tpl.parts if not isinstance(part, str)} == {3}


# ---- strip markers ----------------------------------------------------------------------------------------------
# Each expected value is what terraform 1.11 plans for the output (test_matches_terraform checks them all).
TEMPLATES = '''
locals {
  m = { a = 1 }
}
output "quoted" { value = "a\\n  ${~ "x" ~}\\n\\t b" }
output "lone" { value = "${~ local.m ~}" }
output "lone_blanks" { value = "  ${~ 5 ~}  " }
output "escaped" { value = "a $${~ x ~} b" }
output "nested" { value = "[${~ "in ${~ "x" ~} er" ~}]" }
output "cloud_init" {
  value = <<-EOT
    #cloud-config
    %{ for u in ["alice", "bob"] ~}
    user: ${u}
    %{ endfor ~}
    end
  EOT
}
output "heredoc_strip" {
  value = <<-EOT
      a ${~ "x"}
    b ${"y" ~}   
        c
  EOT
}
output "heredoc_strip_directive" {
  value = <<-EOT
    k ${~ "v" ~}
    w
      %{~ if true ~}
    z
    %{~ endif ~}
  EOT
}
output "interpolated_line_start" {
  value = <<-EOT
    a
${"x"}
  EOT
}
'''
EXPECTED = {
    "quoted": "axb",
    "lone": {"a": 1},
    "lone_blanks": "5",
    "escaped": "a ${~ x ~} b",
    "nested": "[inxer]",
    "cloud_init": "#cloud-config\n    user: alice\n    user: bob\n    end\n",
    "heredoc_strip": "  ax\nb y        c\n",
    "heredoc_strip_directive": "    kv    w\n    z\n",
    "interpolated_line_start": "    a\nx\n",
}


def test_strip_markers_and_flush_heredocs(tree):
    # "${~ x ~}" was "malformed HCL" before; strip markers act on HCL's per-line literal tokens
    assert outputs(tree({"main.tf": TEMPLATES})) == EXPECTED


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
def test_matches_terraform(tmp_path):
    (tmp_path / "main.tf").write_text(TEMPLATES, encoding="utf-8")
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}

    def tf(*args):
        return subprocess.run(["terraform", *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=120, check=True).stdout
    tf("init", "-input=false", "-backend=false")
    tf("plan", "-input=false", "-out=plan")
    planned = json.loads(tf("show", "-json", "plan"))["planned_values"]["outputs"]
    assert {name: out["value"] for name, out in planned.items()} == EXPECTED


# ---- byte order mark --------------------------------------------------------------------------------------------
def test_byte_order_mark_in_tf_and_tfvars(env_model):
    model = env_model({"main.tf": BOM + 'variable "sku" {}\nresource "azurerm_thing" "t" {\n  sku = var.sku\n}\n',
                       "envs/dev/terraform.tfvars": BOM + 'sku = "Standard"\n'})
    resource = model.by_address("azurerm_thing.t")
    assert resource.values["sku"] == "Standard"
    assert resource.line == 2


# ---- syntax errors ----------------------------------------------------------------------------------------------
# (source, line terraform validate reports, start of the message after "malformed HCL: ")
BROKEN = {
    "missing_comma": ('locals {\n  a = "x"\n  b = [1, 2\n}\n', 4, "missing item separator"),
    "missing_value": ('resource "azurerm_thing" "t" {\n  name = \n}\n', 2, "invalid expression"),
    "unclosed_block": ("locals {\n  a = 1\n\n", 1, 'unclosed "{"'),
    "open_paren": ("locals {\n  a = (1 + \n}\n", 3, "invalid expression"),
    "multi_line_string": ('locals {\n  a = "abc\n}\n', 2, "unterminated string"),
    "extra_brace": ("locals {\n  a = 1\n}}\n", 3, 'unexpected "}"'),
    "bad_character": ("locals {\n  a = @\n}\n", 2, "invalid expression"),
    "open_call": ("locals {\n  a = f(1,\n\n}\n", 4, "invalid expression"),
    "open_interpolation": ('locals {\n  a = "${x"\n}\n', 2, "unterminated string"),
    "unterminated_heredoc": ("locals {\n  a = <<EOT\nabc\n}\n", 5, 'unterminated heredoc (opened on line 2): no '
                             'line holds only its closing marker "EOT"'),
    "string_at_end": ('locals {\n  a = "abc', 2, "unterminated string"),
    "open_operator": ("locals {\n  a = 1 +\n}\n", 2, "invalid expression"),
    "open_conditional": ("locals {\n  a = 1 ? 2\n}\n", 2, 'unexpected "}"; expected ":"'),
    "stray_equals": ("locals {\n  a = 1\n  = 2\n}\n", 3, "invalid expression"),
    "missing_comma_inline": ("locals {\n  a = [1 2]\n}\n", 2, "missing item separator"),
    "missing_key_value": ("locals {\n  a = {\n    b = 1\n    c\n  }\n}\n", 4, "unexpected a newline"),
}
INTERNALS = re.compile(r"Token\(|Expected one of|RBRACE|LBRACE|STRING_CHARS|NL_OR_COMMENT|\$END|_rule|Rule\b")


@pytest.mark.parametrize("name", list(BROKEN))
def test_syntax_errors_read_like_terraform(name):
    source, line, start = BROKEN[name]
    with pytest.raises(InputError) as err:
        parse_text(source, "main.tf")
    assert (err.value.file, err.value.line) == ("main.tf", line)
    assert err.value.message.startswith(f"malformed HCL: {start}"), err.value.message
    assert not INTERNALS.search(str(err.value)), str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
def test_syntax_error_lines_match_terraform():
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1"}
    for name, (source, line, _) in BROKEN.items():
        run = subprocess.run(["terraform", "fmt", "-no-color", "-"], input=source, env=env, capture_output=True,
                             text=True, timeout=60)
        first = re.search(r"on <stdin> line (\d+)", run.stderr)
        assert first and int(first.group(1)) == line, (name, run.stderr)
