"""The gate over this repository's own Terraform: one model per environment, built once per session."""
from __future__ import annotations

import os

import pytest

from pulse_gate import policy_data
from pulse_gate.errors import InputError
from pulse_gate.hcl.frontend import Project

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.environ.get("PULSE_GATE_ROOT", REPO)


def environments() -> list[str]:
    try:
        return Project(ROOT).environments()
    except InputError:
        return ["(unreadable)"]   # the model fixture reports the input error as the failure


@pytest.fixture(scope="session")
def policy():
    """The root's own policy data (policy_tests/policy_data.toml under it), or none for a root without one."""
    try:
        return policy_data.for_root(ROOT)
    except InputError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def project():
    try:
        return Project(ROOT)
    except InputError as exc:
        pytest.fail(str(exc), pytrace=False)


_models: dict = {}


@pytest.fixture
def model(project, env):
    if env not in _models:
        try:
            _models[env] = project.env_model(env)
        except InputError as exc:
            _models[env] = exc
    if isinstance(_models[env], InputError):
        pytest.fail(f"input error: {_models[env]}", pytrace=False)
    return _models[env]
