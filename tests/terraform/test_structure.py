"""The repository's Terraform keeps the shape the team agreed on: module files, typed and described variables."""
from __future__ import annotations

import glob
import os
import re

import pytest

from pulse_gate.hcl import syntax as S
from pulse_gate.hcl.loader import Loader

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES = sorted(os.path.dirname(p) for p in glob.glob(os.path.join(REPO, "modules", "**", "main.tf"), recursive=True))
MODULE_IDS = [os.path.relpath(m, REPO) for m in MODULES]


def test_expected_modules_exist():
    expected = {"modules/network", "modules/storage", "modules/app", "modules/cognitive_account", "modules/analytics_postgres",
                "modules/keyvault", "modules/monitoring", "modules/rbac/storage", "modules/rbac/cognitive",
                "modules/rbac/keyvault", "modules/rbac/assignment", "modules/diagnostic_settings",
                "modules/guardrails", "modules/private_endpoint"}
    assert expected <= set(MODULE_IDS)


@pytest.mark.parametrize("module", MODULES, ids=MODULE_IDS)
def test_module_files(module):
    missing = [f for f in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")
               if not os.path.isfile(os.path.join(module, f))]
    assert not missing, f"{os.path.relpath(module, REPO)} lacks {missing}"


@pytest.mark.parametrize("module", [REPO] + MODULES, ids=["root"] + MODULE_IDS)
def test_variables_typed_and_described(module):
    mdef = Loader(REPO).load(module)
    bad = [f"{b.file}:{b.line} {name}" for name, b in mdef.variables.items()
           if "type" not in b.body.attributes or "description" not in b.body.attributes]
    assert not bad, "variables without type or description: " + ", ".join(bad)


def test_root_toggles_default_secure():
    mdef = Loader(REPO).load(REPO)
    want = {"storage_account_shared_access_key_enabled": False, "storage_default_oauth_authentication": True,
            "storage_use_managed_identity": True, "openai_use_managed_identity": True,
            "postgres_use_managed_identity": True}
    for name, secure in want.items():
        default = mdef.variables[name].body.attributes["default"].expr
        assert isinstance(default, S.Lit) and default.value is secure, name


def test_provider_version_constraint():
    text = open(os.path.join(REPO, "versions.tf"), encoding="utf-8").read()
    assert re.search(r'version\s*=\s*">=\s*4\.55,\s*<\s*5\.0"', text), "azurerm must be >= 4.55, < 5.0"


CREDENTIAL_TEXT = re.compile(r"AccountKey=|SharedAccessSignature=|[?&]sig=|Password=|://[^/\s:@]+:[^/\s@]+@|"
                             r"-----BEGIN [A-Z ]*PRIVATE KEY-----|\b\w*(password|secret|access_key|sas_token)\s*=\s*\"[^\"$]+\"",
                             re.I)


def test_no_literal_secret_in_terraform_or_tfvars():
    files = [p for pattern in ("*.tf", "modules/**/*.tf", "envs/**/*.tfvars", "envs/**/*.hcl")
             for p in glob.glob(os.path.join(REPO, pattern), recursive=True)]
    assert len(files) > 40
    hits = []
    for path in files:
        for n, line in enumerate(open(path, encoding="utf-8"), 1):
            if not line.lstrip().startswith(("#", "//")) and CREDENTIAL_TEXT.search(line):
                hits.append(f"{os.path.relpath(path, REPO)}:{n}: {line.strip()}")
    assert not hits, "literal credential material:\n" + "\n".join(hits)


COLLECTION_TYPES = ("map", "list", "set", "object", "tuple")


@pytest.mark.parametrize("module", [REPO] + MODULES, ids=["root"] + MODULE_IDS)
def test_collection_variables_with_a_default_are_not_nullable(module):
    """A caller's explicit null must mean "the default", never a null map or list that a for_each or a lookup
    then trips over: every collection variable with a non-null default says nullable = false."""
    mdef = Loader(REPO).load(module)
    bad = []
    for name, block in mdef.variables.items():
        attrs = block.body.attributes
        type_expr, default = attrs.get("type"), attrs.get("default")
        if type_expr is None or default is None or (isinstance(default.expr, S.Lit) and default.expr.value is None):
            continue
        if isinstance(type_expr.expr, S.Call) and type_expr.expr.name in COLLECTION_TYPES:
            nullable = attrs.get("nullable")
            if not (nullable and isinstance(nullable.expr, S.Lit) and nullable.expr.value is False):
                bad.append(f"{os.path.relpath(block.file, REPO)}:{block.line} {name}")
    assert not bad, "collection variables with a default but without nullable = false: " + ", ".join(bad)
