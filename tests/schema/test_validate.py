"""Tests of the offline azurerm schema check (tools/schema) against fixture trees.

Fixture .tf files are kept `terraform fmt` clean and parseable, because
`terraform fmt -check -recursive` runs over the whole repository; the parse-error
tree is therefore written by its test instead of being committed.
"""
import gzip
import io
import json
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "tools" / "schema"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(TOOLS))

import generate  # noqa: E402
import validate  # noqa: E402


def run_cli(root):
    """Run validate.py as `make validate` does: a separate interpreter, ROOT as argument."""
    return subprocess.run([sys.executable, str(TOOLS / "validate.py"), str(root)],
                          capture_output=True, text=True, cwd=REPO, check=False)


def run_in_process(root, capsys):
    status = validate.main([str(root)])
    return status, capsys.readouterr().out


def finding_lines(output):
    return [line for line in output.splitlines() if not line.startswith("schema: ")]


def test_good_tree_passes_and_skips_test_directories():
    result = run_cli(FIXTURES / "good")
    assert result.returncode == 0, result.stdout + result.stderr
    # 3 files: good/main.tf, good/variables.tf, good/modules/app/main.tf; the broken
    # files under good/tests and good/modules/app/fixtures are not read.
    assert result.stdout.splitlines() == ["schema: 10 azurerm resources in 3 files checked, 0 problems"]


def test_skipped_directory_is_checked_when_it_is_root(capsys):
    status, output = run_in_process(FIXTURES / "good" / "modules" / "app" / "fixtures", capsys)
    assert status == 1
    assert 'broken.tf:3: azurerm_storage_account.broken: unknown argument "enable_https_traffic_only"' in output


def test_3x_name_fails_with_file_line_and_hint():
    result = run_cli("tests/schema/fixtures/v3_name")  # relative to the repository, as `make validate` runs
    assert result.returncode == 1
    main_tf = Path("tests/schema/fixtures/v3_name/main.tf")
    assert finding_lines(result.stdout) == [
        f'{main_tf}:8: azurerm_storage_account.main: unknown argument "enable_https_traffic_only"'
        ' (azurerm 4.x uses "https_traffic_only_enabled" instead)',
        f'{main_tf}:9: azurerm_storage_account.main: unknown argument "allow_blob_public_access"'
        ' (azurerm 4.x uses "allow_nested_items_to_be_public" instead)',
        f'{main_tf}:19: azurerm_linux_web_app.main.site_config: unknown argument "min_tls_version"'
        ' (azurerm 4.x uses "minimum_tls_version" instead)',
    ]
    assert result.stdout.splitlines()[-1] == "schema: 2 azurerm resources in 1 files checked, 3 problems"


def test_unknown_nested_block_fails_at_its_line(capsys):
    status, output = run_in_process(FIXTURES / "unknown_block", capsys)
    assert status == 1
    assert finding_lines(output) == [
        f'{FIXTURES / "unknown_block" / "main.tf"}:11: azurerm_storage_account.main.blob_properties:'
        ' unknown block "versioning"',
    ]


def test_missing_required_argument_and_block_fail_at_resource_line(capsys):
    status, output = run_in_process(FIXTURES / "missing_required", capsys)
    assert status == 1
    lines = finding_lines(output)
    assert len(lines) == 2
    assert lines[0].endswith('main.tf:1: azurerm_storage_account.main: missing required argument "account_tier"')
    assert lines[1].endswith('main.tf:8: azurerm_cognitive_deployment.chat: missing required block "sku"')


def test_dynamic_block_counts_as_present_and_its_content_is_checked(capsys):
    status, output = run_in_process(FIXTURES / "dynamic", capsys)
    assert status == 1
    lines = finding_lines(output)
    # No "missing required block site_config": the dynamic block provides it.
    assert len(lines) == 2
    assert lines[0].endswith('main.tf:17: azurerm_linux_web_app.main.site_config: unknown argument "min_tls_version"'
                             ' (azurerm 4.x uses "minimum_tls_version" instead)')
    assert lines[1].endswith('main.tf:21: azurerm_linux_web_app.main:'
                             ' unknown block "site_configuration" in dynamic block')


def test_parse_error_is_one_line_with_file_and_line(tmp_path):
    (tmp_path / "ok.tf").write_text('resource "azurerm_resource_group" "main" {\n'
                                    '  name     = "rg"\n  location = "westeurope"\n}\n')
    (tmp_path / "broken.tf").write_text('resource "azurerm_resource_group" "main" {\n'
                                        '  name = \n}\n')
    result = run_cli(tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = finding_lines(result.stdout)
    assert len(lines) == 1
    assert lines[0].startswith(f"{tmp_path / 'broken.tf'}:2: parse error: ")
    assert result.stdout.splitlines()[-1] == "schema: 1 azurerm resources in 2 files checked, 1 problems"


def test_deprecated_argument_warns_without_failing(capsys):
    status, output = run_in_process(FIXTURES / "deprecated", capsys)
    assert status == 0
    assert finding_lines(output)[0].endswith(
        'main.tf:7: warning: azurerm_key_vault.main: deprecated argument "enable_rbac_authorization"'
        ' (azurerm 4.x replaces it by "rbac_authorization_enabled")')


def test_unknown_resource_types(capsys):
    status, output = run_in_process(FIXTURES / "unknown_type", capsys)
    assert status == 1
    lines = finding_lines(output)
    # azurerm_storage_blob (main.tf:1) is a real type whose arguments are all right: only the typo is a problem
    assert len(lines) == 1
    assert lines[0].endswith('main.tf:8: azurerm_storage_acount.typo: azurerm 4.55.0 has no resource type'
                             ' azurerm_storage_acount (did you mean "azurerm_storage_account"?)')


def test_missing_root_is_a_usage_error(tmp_path):
    result = run_cli(tmp_path / "absent")
    assert result.returncode == 2
    assert "no such directory" in result.stderr


def test_schema_records_its_source_and_covers_the_repository():
    schema = validate.load_schema(validate.DEFAULT_SCHEMA)
    assert schema["source"]["package"] == "cdktf-cdktf-provider-azurerm"
    assert schema["source"]["package_version"] == "14.23.1"
    assert schema["source"]["provider_version"] == "4.55.0"
    # every type of the release, so the gate can check any root (EV003) and read any .tf.json's nested blocks
    for kind in ("resources", "data_sources"):
        assert set(schema[kind]) == set(schema["all_types"][kind])
    assert len(schema["resources"]) == 1127 and len(schema["data_sources"]) == 399


# --- generate.py, offline, on a small hand-made assembly shaped like the cdktf one ---

LINK = "https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/thing"


def prop(name, arg, type_, optional=True, block=False):
    link = f"Docs at Terraform Registry: {{@link {LINK}#{arg} Thing#{arg}}}"
    docs = {"summary": f"{arg} block.", "remarks": link} if block else {"summary": link + "."}
    return {"name": name, "docs": docs, "type": type_, **({"optional": True} if optional else {})}


def struct_list(fqn):
    return {"union": {"types": [{"fqn": "cdktf.IResolvable"},
                                {"collection": {"elementtype": {"fqn": fqn}, "kind": "array"}}]}}


ASSEMBLY = {
    "name": "@cdktf/provider-azurerm",
    "version": "14.23.1",
    "types": {
        "p.thing.Thing": {
            "kind": "class", "base": "cdktf.TerraformResource",
            "docs": {"summary": f"Represents a {{@link {LINK} azurerm_thing}}."},
            "initializer": {"parameters": [{"name": "scope"}, {"name": "id"},
                                           {"name": "config", "type": {"fqn": "p.thing.ThingConfig"}}]},
        },
        "p.thing.ThingConfig": {"kind": "interface", "datatype": True, "properties": [
            prop("displayName", "display_name", {"primitive": "string"}, optional=False),
            prop("tags", "tags", {"collection": {"elementtype": {"primitive": "string"}, "kind": "map"}}),
            prop("siteConfig", "site_config", {"fqn": "p.thing.ThingSiteConfig"}, optional=False, block=True),
            prop("rule", "rule", struct_list("p.thing.ThingRule"), block=True),
            prop("securityRule", "security_rule", struct_list("p.thing.ThingRule")),
        ]},
        "p.thing.ThingSiteConfig": {"kind": "interface", "datatype": True, "properties": [
            prop("minimumTlsVersion", "minimum_tls_version", {"primitive": "string"}),
        ]},
        "p.thing.ThingRule": {"kind": "interface", "datatype": True, "properties": [
            prop("priority", "priority", {"primitive": "number"}, optional=False),
        ]},
    },
}

EXPECTED_THING = {
    "attrs": {"display_name": {"required": True}, "tags": {"required": False}},
    "blocks": {
        "site_config": {"attrs": {"minimum_tls_version": {"required": False}}, "blocks": {},
                        "required": True, "max_items": 1},
        "rule": {"attrs": {"priority": {"required": True}}, "blocks": {}, "required": False},
        "security_rule": {"attrs": {"priority": {"required": True}}, "blocks": {}, "required": False,
                          "attribute_syntax": True},
    },
}


def write_wheel(path, assembly, redirect):
    """Pack an assembly the way the cdktf wheel does: a .jsii.tgz npm tarball inside the wheel."""
    members = {"package/.jsii": json.dumps(assembly).encode()}
    if redirect:
        members = {"package/.jsii": json.dumps({"schema": "jsii/file-redirect", "compression": "gzip",
                                                "filename": ".jsii.gz"}).encode(),
                   "package/.jsii.gz": gzip.compress(members["package/.jsii"])}
    tgz = io.BytesIO()
    with tarfile.open(fileobj=tgz, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr("cdktf_cdktf_provider_azurerm/_jsii/provider-azurerm@14.23.1.jsii.tgz", tgz.getvalue())


@pytest.mark.parametrize("redirect", [False, True], ids=["plain", "gzip-redirect"])
def test_generate_reads_the_assembly_from_the_wheel(tmp_path, redirect):
    wheel = tmp_path / "pkg.whl"
    write_wheel(wheel, ASSEMBLY, redirect)
    assert generate.read_assembly(str(wheel)) == ASSEMBLY


def test_generate_converts_structs_to_attributes_and_blocks():
    schema = generate.build_schema(ASSEMBLY, {"resources": {"azurerm_thing"}, "data_sources": set()})
    assert schema["resources"] == {"azurerm_thing": EXPECTED_THING}
    assert schema["source"]["provider_version"] == "4.55.0"
    assert schema["all_types"] == {"resources": ["azurerm_thing"], "data_sources": []}


def test_generate_writes_deterministic_compact_json(tmp_path):
    wheel = tmp_path / "pkg.whl"
    write_wheel(wheel, ASSEMBLY, redirect=False)
    outputs = []
    for name in ("a.json", "b.json"):
        generate.main(["--wheel", str(wheel), "--out", str(tmp_path / name)])
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    assert b"\n" not in outputs[0].rstrip(b"\n")
