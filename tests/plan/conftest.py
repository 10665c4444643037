"""Shared paths and helpers for the plan front-end tests."""
from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from pulse_gate import policy_data  # noqa: E402

FIXTURES = HERE / "fixtures"
SNAPSHOT = REPO   # the hand-made plans describe the repository's own Terraform (dev); see build_fixtures.py
GOLDEN = HERE / "golden"
SHARED_PLANS = REPO.parent / "shared" / "plans"   # ../shared/plans beside the repository (read-only, not copied)
CLEAN = FIXTURES / "clean-dev.json"
REGRESSION = FIXTURES / "regression-dev.json"
REPLACE = FIXTURES / "replace-function-app-dev.json"
MODULES = FIXTURES / "module-for-each-staging.json"
UNCHANGED = FIXTURES / "unchanged-dev.json"
STAGING_POLICY = FIXTURES / "policy-staging.toml"


@pytest.fixture(scope="session")
def policy():
    return policy_data.load()


@pytest.fixture(scope="session")
def staging_policy():
    return policy_data.load(STAGING_POLICY)


def fixture_script(name: str = "build_fixtures"):
    """A script of tests/plan/fixtures (build_fixtures, scrub_plan) as a module: they are scripts, not a package."""
    spec = importlib.util.spec_from_file_location(name, FIXTURES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shared_plan_files() -> list[Path]:
    if not SHARED_PLANS.is_dir():
        return []
    return sorted(SHARED_PLANS.glob("*.json"))


requires_shared = pytest.mark.skipif(
    not SHARED_PLANS.is_dir(),
    reason=f"real plans not found at {SHARED_PLANS} (the team's ../shared/plans beside the repository); "
           "these tests read them in place and never copy them")


def run(main, argv, capsys) -> tuple[int, str, str]:
    code = main([os.fspath(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err
