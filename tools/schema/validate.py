#!/usr/bin/env python3
"""Offline check of azurerm resources against the compact azurerm schema.

Usage: validate.py [ROOT] [--schema FILE]

Walks ROOT (default ".") for *.tf, skipping .git, .venv, .terraform, node_modules and
directories named tests, fixtures or testdata below ROOT (their Terraform is meant to be
wrong; point ROOT at one to check it). Every `resource`/`data "azurerm_*"` block must use
only arguments and nested blocks the schema knows and set every required one.
Prints one `file:LINE: ...` line per problem, then
`schema: N azurerm resources in M files checked, K problems`.
Exit status: 0 no problems, 1 problems, 2 usage error.
Needs only the standard library, python-hcl2 8.x and pulse_gate/rules/schema.py (the names and
the 3.x -> 4.x table in renamed.toml, shared with the policy gate).
"""
import argparse
import json
import os
import sys
from dataclasses import dataclass, field

import hcl2
from hcl2.rules.base import AttributeRule, BlockRule

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCHEMA = os.path.join(HERE, "azurerm-4.55.0.json")
SKIP_DIRS = {".git", ".venv", ".terraform", "node_modules", "tests", "fixtures", "testdata"}
META_ARGUMENTS = {"count", "for_each", "depends_on", "provider"}
META_BLOCKS = {"lifecycle", "provisioner", "connection"}
BLOCK_KINDS = {"resource": "resources", "data": "data_sources"}

# The 3.x -> 4.x names (tools/schema/renamed.toml) and the type checks are shared with the policy gate's EV003.
sys.path.insert(0, os.path.dirname(os.path.dirname(HERE)))
from pulse_gate.rules.schema import Schema, load_renamed  # noqa: E402


@dataclass
class Report:
    lines: list = field(default_factory=list)  # problems and warnings, by file then line
    problems: int = 0
    resources: int = 0
    files: int = 0


def iter_tf_files(root):
    """Yield the *.tf files below root in a stable order, pruning SKIP_DIRS below root."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            if name.endswith(".tf"):
                yield os.path.join(dirpath, name)


def unquote(label):
    text = label.serialize()
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def line_of(node):
    # python-hcl2 8.1 does not serialize with_meta line numbers, but its typed tree
    # keeps lark's position of every attribute and block in `_meta`.
    return node._meta.line


def parse_error_line(error, text):
    """Line of a parse error; lark reports -1 when the input ended unexpectedly."""
    line = getattr(error, "line", -1)
    return line if isinstance(line, int) and line > 0 else text.count("\n") + 1


class Checker:
    """Checks the azurerm blocks of one file, collecting (line, text, is_problem) findings."""

    def __init__(self, path, azurerm):
        self.path = path
        self.azurerm = azurerm  # the Schema: names and hints
        self.findings = []

    def problem(self, node, where, message):
        self.findings.append((line_of(node), f"{self.path}:{line_of(node)}: {where}: {message}", True))

    def warn_if_deprecated(self, node, where, kind, name, spec):
        # Deprecated names still work in 4.x (terraform validate only warns), so they do not fail the check.
        if spec.get("deprecated"):
            text = f'{where}: deprecated {kind} "{name}" (azurerm 4.x replaces it by "{spec["replaced_by"]}")'
            self.findings.append((line_of(node), f"{self.path}:{line_of(node)}: warning: {text}", False))

    def check_body(self, block, schema, where, top_level):
        """Check a block's arguments and nested blocks against its schema node."""
        present = set()
        counts = {}
        for child in block.body.children:
            if isinstance(child, AttributeRule):
                self.check_attribute(child, schema, where, top_level, present)
            elif isinstance(child, BlockRule):
                self.check_block(child, schema, where, top_level, present, counts)
        self.check_required(block, schema, where, present)

    def check_attribute(self, attr, schema, where, top_level, present):
        name = attr.identifier.serialize()
        if top_level and name in META_ARGUMENTS:
            return
        if name in schema["attrs"]:
            present.add(name)
            self.warn_if_deprecated(attr, where, "argument", name, schema["attrs"][name])
        elif schema["blocks"].get(name, {}).get("attribute_syntax"):
            present.add(name)
        elif name in schema["blocks"]:
            self.problem(attr, where, f'"{name}" is a block, not an argument: write {name} {{ ... }}')
        else:
            self.problem(attr, where, f'unknown argument "{name}"{self.azurerm.argument_hint(name, schema)}')

    def check_block(self, block, schema, where, top_level, present, counts):
        name = unquote(block.labels[0])
        if top_level and name in META_BLOCKS:
            return
        if name == "dynamic":
            self.check_dynamic(block, schema, where, present)
            return
        if name in schema["attrs"]:
            self.problem(block, where, f'"{name}" is an argument, not a block: write {name} = ...')
            return
        if name not in schema["blocks"]:
            self.problem(block, where, f'unknown block "{name}"{self.azurerm.argument_hint(name, schema)}')
            return
        spec = schema["blocks"][name]
        present.add(name)
        counts[name] = counts.get(name, 0) + 1
        if counts[name] > 1 and spec.get("max_items") == 1:
            self.problem(block, where, f'block "{name}" may appear only once')
        self.warn_if_deprecated(block, where, "block", name, spec)
        self.check_body(block, spec, f"{where}.{name}", top_level=False)

    def check_dynamic(self, block, schema, where, present):
        """A `dynamic "x"` block stands for blocks x: its content must fit block x."""
        name = unquote(block.labels[1]) if len(block.labels) > 1 else ""
        if name not in schema["blocks"]:
            hint = self.azurerm.argument_hint(name, schema)
            self.problem(block, where, f'unknown block "{name}" in dynamic block{hint}')
            return
        present.add(name)
        spec = schema["blocks"][name]
        self.warn_if_deprecated(block, where, "block", name, spec)
        for child in block.body.children:
            if isinstance(child, BlockRule) and unquote(child.labels[0]) == "content":
                self.check_body(child, spec, f"{where}.{name}", top_level=False)

    def check_required(self, block, schema, where, present):
        for kind, members in (("argument", schema["attrs"]), ("block", schema["blocks"])):
            for name, spec in sorted(members.items()):
                if spec["required"] and name not in present:
                    self.problem(block, where, f'missing required {kind} "{name}"')


def read_and_parse(path):
    """Return (parsed tree, None) or (None, (line, message)) for a file that does not parse."""
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return None, (data[:error.start].count(b"\n") + 1, "file is not UTF-8")
    try:
        return hcl2.parses(text, discard_comments=True), None
    except Exception as error:  # python-hcl2 raises lark errors and plain RuntimeErrors
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return None, (parse_error_line(error, text), message)


def check_file(path, schema, report):
    """Parse one file, check its azurerm resource and data blocks, add the findings to report."""
    display_path = os.path.normpath(path)
    report.files += 1
    tree, error = read_and_parse(path)
    if error:
        report.lines.append(f"{display_path}:{error[0]}: parse error: {error[1]}")
        report.problems += 1
        return
    checker = Checker(display_path, schema)
    report.resources += check_top_level(tree, schema, checker)
    # Missing-argument findings are made after a block's children; sort so the file reads top-down.
    for _line, text, is_problem in sorted(checker.findings, key=lambda finding: finding[0]):
        report.lines.append(text)
        report.problems += is_problem


def check_top_level(tree, schema, checker):
    """Check each `resource`/`data "azurerm_*"` block of a parsed file against the Schema; returns how many."""
    checked = 0
    for block in tree.body.children:
        if not isinstance(block, BlockRule) or len(block.labels) != 3:
            continue
        kind = BLOCK_KINDS.get(unquote(block.labels[0]))
        tf_type, tf_name = unquote(block.labels[1]), unquote(block.labels[2])
        if kind is None or not tf_type.startswith("azurerm_"):
            continue
        checked += 1
        where = f"{tf_type}.{tf_name}" if kind == "resources" else f"data.{tf_type}.{tf_name}"
        problem = schema.type_problem(kind, tf_type)
        if problem:
            checker.problem(block, where, problem)
            continue
        checker.check_body(block, schema.node(kind, tf_type), where, top_level=True)
    return checked


def check_tree(root, schema):
    """Check every *.tf below root against a Schema; returns a Report."""
    report = Report()
    for path in iter_tf_files(root):
        check_file(path, schema, report)
    return report


def load_schema(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def run(root=".", schema_path=DEFAULT_SCHEMA, out=None):
    """Check root, print the findings and the summary line; returns the exit status."""
    out = out or sys.stdout
    if not os.path.isdir(root):
        print(f"validate.py: {root}: no such directory", file=sys.stderr)
        return 2
    report = check_tree(root, Schema(load_schema(schema_path), load_renamed()))
    for line in report.lines:
        print(line, file=out)
    print(f"schema: {report.resources} azurerm resources in {report.files} files checked, "
          f"{report.problems} problems", file=out)
    return 1 if report.problems else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=".", help="directory to check (default: .)")
    parser.add_argument("--schema", default=DEFAULT_SCHEMA, help="compact schema JSON (default: %(default)s)")
    args = parser.parse_args(argv)
    return run(args.root, args.schema)


if __name__ == "__main__":
    sys.exit(main())
