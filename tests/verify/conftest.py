import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
for path in (ROOT, Path(__file__).resolve().parent):   # pulse_gate and rbac_standin, whatever the import mode
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from pulse_gate import policy_data  # noqa: E402
from pulse_gate.verify import client  # noqa: E402

import rbac_standin as s  # noqa: E402


@pytest.fixture(scope="session")
def certificate(tmp_path_factory):
    return s.make_certificate(tmp_path_factory.mktemp("tls"))


@pytest.fixture
def standin(certificate):
    """The stand-in with the sample environment's resources deployed as Terraform sets them."""
    server = s.deployed(s.StandIn(*certificate)).start()
    yield server
    server.stop()


@pytest.fixture
def policy():
    return policy_data.load()


@pytest.fixture
def root(tmp_path):
    """A repository root: the fixture platform's Terraform and its three environments (tfvars, backend.hcl)."""
    return Path(shutil.copytree(s.FIXTURE, tmp_path / "repo"))


@pytest.fixture
def sdk(monkeypatch, certificate):
    """Points the CLI's SDK at the stand-in: static credential, the stand-in's CA, fast retry backoff."""
    credential = s.StaticCredential()
    monkeypatch.setattr(client, "default_credential", lambda: credential)
    monkeypatch.setattr(client, "RETRY", {**client.RETRY, "retry_backoff_factor": 0.01, "retry_backoff_max": 0.05})
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificate[0]))
    for var in ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    return credential


@pytest.fixture
def run(standin, sdk, root, tmp_path, policy, capsys):
    """run(outputs=None, *args) -> (exit code, stdout, stderr) of the CLI against the stand-in."""
    from pulse_gate.verify.cli import main

    def _run(*args, outputs=None, env="dev", fmt="json"):
        out_file = tmp_path / "outputs.json"
        out_file.write_text(json.dumps(outputs if outputs is not None else s.outputs(policy)))
        code = main(["--env", env, "--outputs", str(out_file), "--root", str(root), "--format", fmt,
                     "--arm-endpoint", standin.url, "--graph-endpoint", standin.graph_url, *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return _run
