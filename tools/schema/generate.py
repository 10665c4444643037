#!/usr/bin/env python3
"""Regenerate tools/schema/azurerm-<provider version>.json from the cdktf azurerm bindings.

Usage: generate.py [--wheel PATH] [--root DIR] [--out FILE]

The PyPI package cdktf-cdktf-provider-azurerm ships a jsii assembly that describes
every azurerm resource and data source of one provider release: a `...Config` struct
per type whose properties are the settable arguments, and one struct per nested
block. This script reads it and writes a compact schema of every resource and data source
(about 1.2 MB: arguments, nested blocks, required, deprecated), so that CI never needs the 45 MB wheel.
Without --wheel it runs `pip download` (needs PyPI); the output is deterministic.
"""
import argparse
import gzip
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile


PACKAGE = "cdktf-cdktf-provider-azurerm"
PACKAGE_VERSION = "14.23.1"
HERE = os.path.dirname(os.path.abspath(__file__))

# The assembly carries no deprecation marks, so the arguments azurerm 4.x deprecated in
# favour of a new name are listed here: {resource type: {old name: new name}}.
# Both names must exist in the assembly, which keeps this list honest on regeneration.
DEPRECATED = {
    "azurerm_key_vault": {"enable_rbac_authorization": "rbac_authorization_enabled"},
    "azurerm_log_analytics_workspace": {"local_authentication_disabled": "local_authentication_enabled"},
    "azurerm_monitor_diagnostic_setting": {"metric": "enabled_metric"},
    "azurerm_storage_container": {"storage_account_name": "storage_account_id"},
}

# A property's docs link to the registry page, anchored by the Terraform argument name:
# "{@link https://registry.terraform.io/providers/hashicorp/azurerm/4.55.0/docs/resources/x#arg X#arg}"
DOCS_LINK = re.compile(r"/azurerm/(?P<version>[^/]+)/docs/(?:resources|data-sources)/\w+(?:#(?P<arg>\w+))?")
TYPE_LINK = re.compile(r"\{@link \S+ (azurerm_\w+)\}")
KIND_BASES = {"cdktf.TerraformResource": "resources", "cdktf.TerraformDataSource": "data_sources"}


def download_wheel(dest):
    """Fetch the pinned wheel with pip (the only step that needs the network)."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
         f"{PACKAGE}=={PACKAGE_VERSION}", "-d", dest],
        check=True,
    )
    wheels = [f for f in os.listdir(dest) if f.endswith(".whl")]
    if len(wheels) != 1:
        sys.exit(f"generate.py: expected one wheel in {dest}, found {wheels}")
    return os.path.join(dest, wheels[0])


def read_assembly(wheel_path):
    """Return the parsed jsii assembly from the wheel.

    The wheel holds `<pkg>/_jsii/<name>@<version>.jsii.tgz`, an npm tarball whose
    `package/.jsii` is the assembly; jsii may instead write there a file-redirect
    pointing at a gzip-compressed assembly, which is followed.
    """
    with zipfile.ZipFile(wheel_path) as wheel:
        tgz_names = [n for n in wheel.namelist() if n.endswith(".jsii.tgz")]
        if len(tgz_names) != 1:
            sys.exit(f"generate.py: expected one .jsii.tgz in {wheel_path}, found {tgz_names}")
        tgz = wheel.read(tgz_names[0])
    with tarfile.open(fileobj=io.BytesIO(tgz)) as tar:
        assembly = json.load(tar.extractfile("package/.jsii"))
        if assembly.get("schema") == "jsii/file-redirect":
            data = tar.extractfile("package/" + assembly["filename"]).read()
            if assembly.get("compression") == "gzip":
                data = gzip.decompress(data)
            assembly = json.loads(data)
    return assembly


def property_doc_link(prop):
    """Parse the registry link from a property's docs (summary or, for blocks, remarks)."""
    docs = prop.get("docs", {})
    for text in (docs.get("summary", ""), docs.get("remarks", "")):
        match = DOCS_LINK.search(text)
        if match and match.group("arg"):
            return match
    raise ValueError(f"no registry link with an argument name in the docs of {prop['name']}")


def block_struct(prop_type, types):
    """Return (struct fqn, is_list) when a property's type is a nested block, else None.

    A block with max_items = 1 is typed as the struct itself; any other block is
    `IResolvable | Struct[]`. Every other type (primitives, string lists and maps) is
    a plain attribute.
    """
    if "fqn" in prop_type:
        return (prop_type["fqn"], False) if types.get(prop_type["fqn"], {}).get("datatype") else None
    for member in prop_type.get("union", {}).get("types", []):
        collection = member.get("collection", {})
        element = collection.get("elementtype", {})
        if collection.get("kind") == "array" and types.get(element.get("fqn"), {}).get("datatype"):
            return element["fqn"], True
    return None


def convert_struct(fqn, types):
    """Convert one jsii struct into {"attrs": ..., "blocks": ...}, recursing into blocks.

    Only settable arguments are struct properties: computed-only attributes such as
    principal_id live on the OutputReference classes, so they are absent here and an
    attempt to set one is reported as unknown.
    """
    node = {"attrs": {}, "blocks": {}}
    for prop in types[fqn].get("properties", []):
        name = property_doc_link(prop).group("arg")
        required = not prop.get("optional", False)
        nested = block_struct(prop["type"], types)
        if nested is None:
            node["attrs"][name] = {"required": required}
            continue
        block = convert_struct(nested[0], types)
        block["required"] = required
        if not nested[1]:
            block["max_items"] = 1
        # cdktf documents real blocks as "<name> block."; a nested-object *attribute*
        # (SDK ConfigModeAttr) has no such summary and may also be written `name = [...]`.
        if not prop["docs"].get("summary", "").endswith(" block."):
            block["attribute_syntax"] = True
        node["blocks"][name] = block
    return node


def index_types(assembly):
    """Map kind ("resources"/"data_sources") -> Terraform type name -> Config struct fqn."""
    index = {kind: {} for kind in KIND_BASES.values()}
    for jsii_type in assembly["types"].values():
        kind = KIND_BASES.get(jsii_type.get("base"))
        if kind is None:
            continue
        tf_name = TYPE_LINK.search(jsii_type["docs"]["summary"]).group(1)
        config_param = jsii_type["initializer"]["parameters"][2]
        index[kind][tf_name] = config_param["type"]["fqn"]
    return index


def provider_version(assembly, index):
    """The azurerm release the bindings were generated from, as written in their doc links."""
    config_fqn = index["resources"][min(index["resources"])]
    first_prop = assembly["types"][config_fqn]["properties"][0]
    return property_doc_link(first_prop).group("version")


def apply_deprecations(resources):
    """Mark the DEPRECATED arguments (attribute or block) of the selected resources."""
    for rtype, renames in DEPRECATED.items():
        node = resources.get(rtype)
        if node is None:
            continue
        for old, new in renames.items():
            members = {**node["attrs"], **node["blocks"]}
            if old not in members or new not in members:
                sys.exit(f"generate.py: DEPRECATED lists {rtype}.{old} -> {new}, but the assembly lacks one of them")
            members[old]["deprecated"] = True
            members[old]["replaced_by"] = new


def build_schema(assembly, wanted):
    """Assemble the compact schema document for the wanted type names."""
    index = index_types(assembly)
    schema = {
        "source": {
            "package": PACKAGE,
            "package_version": PACKAGE_VERSION,
            "provider": "hashicorp/azurerm",
            "provider_version": provider_version(assembly, index),
            "generator": "tools/schema/generate.py",
        },
        # All type names of the release, so the validator can tell a type that needs
        # regenerating from one azurerm 4.x does not have.
        "all_types": {kind: sorted(names) for kind, names in index.items()},
    }
    for kind, names in wanted.items():
        missing = sorted(set(names) - set(index[kind]))
        if missing:
            print(f"generate.py: not in azurerm {schema['source']['provider_version']} ({kind}): "
                  + ", ".join(missing), file=sys.stderr)
        schema[kind] = {name: convert_struct(index[kind][name], assembly["types"])
                        for name in sorted(set(names) & set(index[kind]))}
    apply_deprecations(schema["resources"])
    return schema


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", help=f"a downloaded {PACKAGE}-{PACKAGE_VERSION} wheel (default: pip download it)")
    parser.add_argument("--out", help="output file (default: tools/schema/azurerm-<provider version>.json)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        assembly = read_assembly(args.wheel or download_wheel(tmp))
    if assembly.get("version") != PACKAGE_VERSION:
        sys.exit(f"generate.py: wheel holds {assembly.get('name')}@{assembly.get('version')},"
                 f" expected {PACKAGE_VERSION}")

    # Every type of the release: the gate checks any root, not only ours (EV003, JSON syntax's nested blocks).
    schema = build_schema(assembly, {kind: set(names) for kind, names in index_types(assembly).items()})

    out = args.out or os.path.join(HERE, f"azurerm-{schema['source']['provider_version']}.json")
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(schema, handle, sort_keys=True, separators=(",", ":"))
        handle.write("\n")
    print(f"generate.py: wrote {out}: {len(schema['resources'])} resources, "
          f"{len(schema['data_sources'])} data sources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
