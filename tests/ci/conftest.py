"""CI tests: the checkov gate, the workflows and the pre-commit/lint configuration."""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHECKOV_VENV = Path(os.environ.get("CHECKOV_VENV", REPO / ".venv-checkov"))


def pytest_configure(config):
    config.addinivalue_line("markers", "checkov: runs checkov from .venv-checkov (make checkov-test); skipped "
                                       "when that virtual environment is absent")


@pytest.fixture(scope="session")
def gate():
    """tools/checkov_gate.py as a module (standard library only: no checkov needed)."""
    spec = importlib.util.spec_from_file_location("checkov_gate", REPO / "tools" / "checkov_gate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("checkov_gate", module)
    spec.loader.exec_module(module)
    return module
