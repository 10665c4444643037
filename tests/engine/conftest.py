"""Helpers for the engine tests: tiny Terraform trees written into tmp_path from a dict of files."""
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pulse_gate.hcl.frontend import Project  # noqa: E402


def write_tree(root: Path, files: dict) -> Path:
    """Write {relative path: text} under root (text is dedented); an envs/dev/terraform.tfvars is added if no
    environment is given, so every tree is a valid repository layout."""
    files = dict(files)
    if not any(name.startswith("envs/") for name in files):
        files["envs/dev/terraform.tfvars"] = ""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def tree(tmp_path):
    """tree(files) -> root directory (a fresh one per call)."""
    counter = iter(range(1000))

    def make(files: dict) -> Path:
        return write_tree(tmp_path / f"root{next(counter)}", files)
    return make


@pytest.fixture
def env_model(tree):
    """env_model(files, env="dev") -> Model of that environment."""
    def make(files: dict, env: str = "dev"):
        return Project(str(tree(files))).env_model(env)
    return make


@pytest.fixture
def evaluate(env_model):
    """evaluate({"name": "<HCL expression>"}, extra="<more HCL>") -> {name: value}.

    Each expression becomes an argument of one resource, so errors Terraform raises at plan time come back as
    the Unknown the evaluator makes of them."""
    def make(exprs: dict, extra: str = "", tfvars: str = "") -> dict:
        body = "\n".join(f"  {name} = {expr}" for name, expr in exprs.items())
        files = {"main.tf": f'resource "azurerm_thing" "probe" {{\n{body}\n}}\n' + textwrap.dedent(extra),
                 "envs/dev/terraform.tfvars": tfvars}
        model = env_model(files)
        return model.by_address("azurerm_thing.probe").values
    return make
