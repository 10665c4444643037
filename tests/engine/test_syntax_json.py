"""Terraform's JSON syntax (.tf.json, .tfvars.json): the same tree as the equivalent .tf, read as Terraform reads it."""
import json
import os
import random
import re
import shutil
import subprocess
from dataclasses import fields
from pathlib import Path

import pytest

from pulse_gate.cli import main
from pulse_gate.errors import InputError
from pulse_gate.hcl.frontend import Project
from pulse_gate.hcl.syntax import (Block, Body, Lit, Node, Template, TemplateFor, TemplateIf, Unsupported,
                                   parse_file, parse_values_file)
from pulse_gate.values import Unknown

from .conftest import FIXTURES
from .test_syntax import outputs

EQUIVALENT = FIXTURES / "json_equivalent"


def shape(x):
    """A tree without lines, with the spellings that evaluate alike made alike (a lone "${x}" is x, a string
    key or literal is its text)."""
    if isinstance(x, Body):
        return {k: shape(a.expr) for k, a in x.attributes.items()}, [shape(b) for b in x.blocks]
    if isinstance(x, Block):
        return x.type, x.labels, shape(x.body)
    if isinstance(x, Template) and len(x.parts) <= 1:
        part = x.parts[0] if x.parts else ""
        if isinstance(part, str):
            return part
        if not isinstance(part, (TemplateIf, TemplateFor)):
            return shape(part)
    if isinstance(x, Lit) and isinstance(x.value, str):
        return x.value
    if isinstance(x, Node):
        return (type(x).__name__,) + tuple(shape(getattr(x, f.name)) for f in fields(x)[1:])
    if isinstance(x, tuple):
        return tuple(shape(i) for i in x)
    return x


def write(tmp_path: Path, name: str, data) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, indent=2), encoding="utf-8")
    return str(path)


def parse(tmp_path, data) -> Body:
    return parse_file(write(tmp_path, "main.tf.json", data), "main.tf.json")


# ---- the same tree ------------------------------------------------------------------------------------------------
def test_json_file_gives_the_tree_of_the_equivalent_tf():
    # every top-level block kind, provider features, nested / repeated / dynamic blocks, meta-arguments,
    # expression strings (depends_on, provider, providers, ignore_changes, moved/import/removed addresses, types)
    native = parse_file(str(EQUIVALENT / "main.tf"), "main.tf")
    generated = parse_file(str(EQUIVALENT / "main.tf.json"), "main.tf.json")
    assert [b.type for b in generated.blocks] == [b.type for b in native.blocks]
    for ours, theirs in zip(generated.blocks, native.blocks):
        assert shape(ours) == shape(theirs), f"{theirs.type} {theirs.labels}"


def test_lines_are_json_lines():
    body = parse_file(str(EQUIVALENT / "main.tf.json"), "main.tf.json")
    account = next(b for b in body.blocks if b.labels == ("azurerm_storage_account", "main"))
    assert account.line == 38                                  # the body's "{", where Terraform reports the block
    assert account.body.attributes["shared_access_key_enabled"].line == 41
    assert [b.line for b in account.body.blocks_of("blob_properties")] == [45]
    providers = body.blocks_of("provider")
    assert [(p.labels, p.line) for p in providers] == [(("azurerm",), 12), (("azurerm",), 16)]


# ---- strings: templates, literals, expressions -------------------------------------------------------------------
def test_string_templates_comments_and_literal_defaults(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    write(root, "main.tf.json", {
        "//": "generated",
        "variable": {"env": {"default": "${upper(\"dev\")}", "//": "a literal: no evaluation context"}},
        "locals": {"n": "${2}", "obj": {"k-${var.env}": "v"}, "dir": "%{ if var.env != \"\" }set%{ endif }",
                   "strip": "a  ${~ \"b\" ~}  c"},
        "output": {
            "env": {"value": "${var.env}"},
            "n": {"value": "${local.n + 1}"},
            "obj": {"value": "${local.obj}"},
            "dir": {"value": "${local.dir}"},
            "strip": {"value": "${local.strip}"},
            "nested": {"value": "${upper(\"x-${local.n}\")}"},
        },
    })
    assert outputs(root) == {"env": "${upper(\"dev\")}", "n": 3, "obj": {"k-${upper(\"dev\")}": "v"},
                             "dir": "set", "strip": "abc", "nested": "X-2"}


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
def test_string_semantics_match_terraform(tmp_path):
    test_string_templates_comments_and_literal_defaults(tmp_path)
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1"}
    root = tmp_path / "root"

    def tf(*args):
        return subprocess.run(["terraform", *args], cwd=root, env=env, capture_output=True, text=True,
                              timeout=120, check=True).stdout
    tf("init", "-input=false", "-backend=false")
    tf("plan", "-input=false", "-out=plan")
    planned = json.loads(tf("show", "-json", "plan"))["planned_values"]["outputs"]
    assert {name: out["value"] for name, out in planned.items()} == outputs(root)


def test_count_and_for_each_strings_expand(env_model):
    model = env_model({
        "main.tf.json": json.dumps({
            "variable": {"n": {"default": 2}, "names": {"type": "set(string)", "default": ["a", "b"]}},
            "resource": {"azurerm_role_assignment": {
                "counted": {"count": "${var.n}", "scope": "s${count.index}", "principal_id": "p",
                            "role_definition_name": "Owner"},
                "each": {"for_each": "${var.names}", "scope": "${each.key}", "principal_id": "p",
                         "role_definition_name": "Storage Blob Data Owner"},
            }},
        }),
    })
    addresses = sorted(r.address for r in model.resources)
    assert addresses == ['azurerm_role_assignment.counted[0]', 'azurerm_role_assignment.counted[1]',
                         'azurerm_role_assignment.each["a"]', 'azurerm_role_assignment.each["b"]']
    assert model.by_address('azurerm_role_assignment.each["b"]').values["scope"] == "b"


def test_storage_account_in_json_is_in_the_model(env_model):
    # issue 9: a *.tf.json storage account with shared keys on passed silently
    model = env_model({
        "main.tf": 'variable "keys" {\n  default = true\n}\n',
        "storage.tf.json": json.dumps({"resource": {"azurerm_storage_account": {"main": {
            "name": "stmain", "shared_access_key_enabled": "${var.keys}",
            "network_rules": [{"default_action": "Deny"}], "tags": {"env": "dev"}}}}}, indent=2),
    })
    account = model.by_address("azurerm_storage_account.main")
    assert account.file == "storage.tf.json"
    assert account.line == 4
    assert account.values["shared_access_key_enabled"] is True
    assert account.values["network_rules"] == [{"default_action": "Deny"}]   # a block, as in .tf
    assert account.values["tags"] == {"env": "dev"}                          # an object argument


# ---- blocks and labels --------------------------------------------------------------------------------------------
def test_repeated_blocks_and_labels_from_arrays(tmp_path):
    body = parse(tmp_path, {
        "resource": [
            {"azurerm_network_security_group": {"a": {"name": "a", "security_rule": [
                {"name": "r1", "priority": 100}, {"name": "r2", "priority": 200}]}}},
            {"azurerm_network_security_group": [{"b": {"name": "b"}}, {"c": [{"name": "c1"}, {"name": "c2"}]}]},
        ],
        "locals": [{"x": 1}, {"y": 2}],
        "variable": {"empty": None},
    })
    assert [(b.type, b.labels) for b in body.blocks] == [
        ("resource", ("azurerm_network_security_group", "a")), ("resource", ("azurerm_network_security_group", "b")),
        ("resource", ("azurerm_network_security_group", "c")), ("resource", ("azurerm_network_security_group", "c")),
        ("locals", ()), ("locals", ())]
    rules = body.blocks[0].body.blocks_of("security_rule")
    assert [r.body.attributes["name"].expr for r in rules] == [Template(9, ("r1",)), Template(13, ("r2",))]


def test_object_property_without_a_schema_fails_closed(env_model):
    model = env_model({"main.tf.json": json.dumps({"resource": {
        "azapi_resource": {"x": {"type": "Microsoft.Storage/storageAccounts@2023-01-01", "name": "x",
                                 "body": {"properties": {"allowSharedKeyAccess": True}}}},
        "terraform_data": {"d": {"input": {"a": 1}}},
    }})})
    body = model.by_address("azapi_resource.x").values["body"]
    assert isinstance(body, Unknown)
    assert "no schema for azapi_resource" in body.reason
    assert model.by_address("azapi_resource.x").values["name"] == "x"
    assert model.by_address("terraform_data.d").values["input"] == {"a": 1}   # built-in: no blocks, no doubt


def test_every_azurerm_type_has_its_nested_blocks_from_the_schema(tmp_path):
    """The compact schema holds every azurerm 4.55 type, so a type this repository does not use reads right too."""
    body = parse(tmp_path, {"resource": {"azurerm_redis_cache": {"r": {"redis_configuration": {"x": 1},
                                                                        "tags": {"a": "b"}}}}})
    assert [b.type for b in body.blocks[0].body.blocks] == ["redis_configuration"]
    assert "tags" in body.blocks[0].body.attributes


def test_provider_features_are_blocks(tmp_path):
    body = parse(tmp_path, {"provider": {"azurerm": {"features": {"resource_group": {
        "prevent_deletion_if_contains_resources": True}}, "use_oidc": True}}})
    features = body.blocks[0].body.blocks_of("features")[0]
    assert [b.type for b in features.body.blocks] == ["resource_group"]


def test_tfvars_json_is_literal(tmp_path):
    path = write(tmp_path, "dev.tfvars.json",
                 '{\n  "//": "ignored",\n  "name": "${var.x}",\n  "n": [1, {"a": true}]\n}')
    values = parse_values_file(path, "dev.tfvars.json")
    assert [(name, shape(node), line) for name, node, line in values] == [
        ("name", "${var.x}", 3), ("n", ("TupleExpr", (("Lit", 1), ("ObjectExpr", (("a", ("Lit", True)),)))), 4)]


def test_tfvars_native_values(tmp_path):
    path = write(tmp_path, "dev.tfvars", '\ufeffname = "x"\nn    = 2\n')
    assert [(n, shape(e), line) for n, e, line in parse_values_file(path, "dev.tfvars")] == [
        ("name", "x", 1), ("n", ("Lit", 2), 2)]
    with pytest.raises(InputError) as err:
        parse_values_file(write(tmp_path, "bad.tfvars", 'a = 1\nb {\n}\n'), "bad.tfvars")
    assert (err.value.line, err.value.message) == (2, 'unexpected block "b" in a values file')


# ---- errors: one line, Terraform's cause ---------------------------------------------------------------------------
BAD_JSON = {
    # id: (file text, line, start of message)
    "trailing_comma": ('{\n  "locals": {\n    "a": 1,\n  }\n}\n', 3, "malformed JSON: trailing comma in object"),
    "trailing_comma_array": ('{"locals": {"a": [\n1,\n]}}', 2, "malformed JSON: trailing comma in array"),
    "missing_colon": ('{\n  "locals" {}\n}\n', 2, 'malformed JSON: expected ":" after the property name "locals"'),
    "unterminated": ('{\n  "locals": {"a": "x\n}\n', 2, "malformed JSON: invalid JSON string: invalid control"),
    "truncated": ('{\n  "locals": {"a": 1}\n', 1, 'malformed JSON: unclosed object: no "}" closes the one opened '
                  "on line 1"),
    "truncated_inner": ('{\n  "locals": {\n "a": [1,', 3, 'malformed JSON: unclosed array'),
    "bare_word": ('{\n  "locals": {"a": yes}\n}\n', 2, "malformed JSON: expected a value"),
    "two_values": ('{}\n{}\n', 2, "malformed JSON: unexpected text after the end"),
    "byte_order_mark": ('\ufeff{}', 1, "malformed JSON: the file starts with a UTF-8 byte order mark"),
    "root_not_object": ('[1]', 1, "malformed JSON: the root value must be an object"),
    "unknown_block_type": ('{\n  "resources": {}\n}\n', 2, 'unsupported block type "resources"'),
    "comment_as_label": ('{"resource": {\n  "//": "x"\n}}\n', 2, "a JSON object is required here"),
    "missing_label": ('{\n  "variable": {}\n}\n', 2, 'missing block label: "variable"'),
    "body_not_object": ('{"locals": [\n  "x"\n]}\n', 2, "a JSON object (or an array of objects) is required"),
    "duplicate_argument": ('{"locals": {\n  "a": 1,\n  "a": 2\n}}\n', 3, 'argument "a" is set twice'),
    "template_in_reference": ('{"output": {"o": {"value": 1,\n  "depends_on": ["${local.a}"]}}}\n', 2,
                              '"${local.a}" is not a valid reference'),
    "broken_template": ('{"locals": {\n  "a": "${local.b"\n}}\n', 2, "invalid template in a JSON string"),
}


@pytest.mark.parametrize("name", list(BAD_JSON))
def test_bad_json_is_one_input_error(tmp_path, name):
    text, line, start = BAD_JSON[name]
    with pytest.raises(InputError) as err:
        parse(tmp_path, text)
    assert (err.value.file, err.value.line) == ("main.tf.json", line), str(err.value)
    assert err.value.message.startswith(start), err.value.message
    assert "\n" not in str(err.value) and err.value.hint


def test_tfvars_json_errors(tmp_path):
    with pytest.raises(InputError) as err:
        parse_values_file(write(tmp_path, "a.tfvars.json", '\ufeff{"a": 1}'), "a.tfvars.json")
    assert "byte order mark" in err.value.message
    with pytest.raises(InputError) as err:
        parse_values_file(write(tmp_path, "b.tfvars.json", '{\n"a": 1,\n"a": 2}'), "b.tfvars.json")
    assert (err.value.line, err.value.message) == (3, '"a" is set twice (first on line 2)')


def test_var_file_in_json_through_the_front_end(tree):
    root = tree({"main.tf": 'variable "keys" {}\nvariable "name" {}\nresource "azurerm_storage_account" "s" {\n'
                            '  name                      = var.name\n  shared_access_key_enabled = var.keys\n}\n',
                 "dev.tfvars.json": '{\n  "keys": true,\n  "name": "st${x}"\n}\n'})
    model = Project(str(root)).model("dev", [str(root / "dev.tfvars.json")])
    account = model.by_address("azurerm_storage_account.s")
    assert account.values == {"name": "st${x}", "shared_access_key_enabled": True}
    assert account.origins["shared_access_key_enabled"] == ["dev.tfvars.json:2"]


@pytest.mark.parametrize("files, where", [
    ({"main.tf.json": '{\n  "resource": {\n    "azurerm_storage_account": {"s": {"name": "x",}}\n  }\n}\n'},
     "error: main.tf.json:3: malformed JSON: trailing comma in object"),
    ({"main.tf": 'locals {\n  a = <<EOT\nx\n}\n'},
     'error: main.tf:5: malformed HCL: unterminated heredoc (opened on line 2)'),
], ids=["json", "heredoc"])
def test_command_line_prints_one_line(tree, files, where, monkeypatch, capsys):
    root = tree(files)
    monkeypatch.chdir(root)
    code = main(["check", "--root", str(root)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and err.startswith(where), err


@pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not installed")
def test_bad_json_lines_are_lines_terraform_reports(tmp_path):
    env = {**os.environ, "TF_CLI_CONFIG_FILE": os.devnull, "CHECKPOINT_DISABLE": "1"}
    for name, (text, line, _) in BAD_JSON.items():
        case = tmp_path / name
        case.mkdir()
        (case / "main.tf.json").write_text(text, encoding="utf-8")
        run = subprocess.run(["terraform", "validate", "-no-color"], cwd=case, env=env, capture_output=True,
                             text=True, timeout=60)
        reported = {int(n) for n in re.findall(r"on main\.tf\.json line (\d+)", run.stderr)}
        assert line in reported, (name, run.stderr)


def test_damaged_files_give_input_errors_only(tmp_path):
    # whatever the damage, one readable InputError (or a parse), never another exception
    rng = random.Random(9)
    sources = ((parse_file, EQUIVALENT / "main.tf"), (parse_file, EQUIVALENT / "main.tf.json"))
    for parse_one, path in sources:
        text = path.read_text(encoding="utf-8")
        for _ in range(30):
            chars = list(text)
            for _ in range(rng.randint(1, 3)):
                at = rng.randrange(len(chars))
                chars[at:at + rng.randint(0, 1)] = rng.choice('{}[]()"\\$%~\n =,:#<-')
            damaged = tmp_path / path.name
            damaged.write_text("".join(chars), encoding="utf-8")
            try:
                parse_one(str(damaged), path.name)
            except InputError as err:
                assert "\n" not in str(err) and "Token(" not in str(err)
