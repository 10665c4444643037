"""CLI tests: `python -m pulse_gate check` in every output format, over Terraform snippets written here."""
from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from pulse_gate.cli import main  # noqa: E402

STORAGE = '''
provider "azurerm" {
  features {}
  storage_use_azuread = true
}

resource "azurerm_storage_account" "main" {
  name                            = "stcli"
  resource_group_name             = "rg-cli"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  shared_access_key_enabled       = %s
  default_to_oauth_authentication = true
  allow_nested_items_to_be_public = false
  local_user_enabled              = false
  min_tls_version                 = "TLS1_2"
  https_traffic_only_enabled      = true
}
'''
# The storage rules only: a snippet root is not this repository, whose policy data the other rules hold it to.
STORAGE_RULES = ["--select", "ST001,ST002,ST003,ST004,ST005,ST006"]


@pytest.fixture
def root(tmp_path):
    """root(shared_key=True) -> a one-file Terraform root whose storage account does (or does not) allow keys."""
    def make(shared_key: bool = True, name: str = "root") -> Path:
        path = tmp_path / name
        path.mkdir()
        (path / "main.tf").write_text(textwrap.dedent(STORAGE % ("true" if shared_key else "false")).lstrip())
        return path
    return make


@pytest.fixture
def run(capsys):
    """run(args) -> (exit code, stdout, stderr) of `python -m pulse_gate <args>`, in-process."""
    def call(args: list[str]):
        try:
            code = main(list(args))
        except SystemExit as exc:      # --version / --help exit through argparse
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err
    return call


def load_json(text: str) -> dict:
    return json.loads(text)
