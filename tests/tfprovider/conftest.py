"""Shared fixtures of the stand-in's tests: the real azurerm schema (from ../shared) and the generated stubs."""
from __future__ import annotations

import sys

import pytest

from tools.tfprovider import offline, schema


@pytest.fixture(scope="session")
def azurerm():
    reason = schema.missing_reason()
    if reason:
        pytest.skip(reason)
    return schema.load()


@pytest.fixture(scope="session")
def stub_dir(tmp_path_factory):
    pytest.importorskip("grpc_tools", reason="grpcio-tools is not installed (pip install -r requirements.txt)")
    from tools.tfprovider import stubs
    path = stubs.generate(str(tmp_path_factory.mktemp("stubs")))
    sys.path.insert(0, path)
    return path


@pytest.fixture(scope="session")
def terraform():
    """Skips, with the one-line reason, where real offline Terraform cannot run."""
    reason = offline.available()
    if reason:
        pytest.skip(f"offline terraform not available: {reason}")
    return offline
