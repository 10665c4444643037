"""The real SDK (azure-identity credential protocol + azure-mgmt-authorization) against the local HTTPS stand-in."""
import json
import math
import time
from pathlib import Path

import pytest
from azure.core.credentials import AccessToken
from azure.identity import ChainedTokenCredential, CredentialUnavailableError

import rbac_standin as s
from pulse_gate.verify import client, diff

CUSTOM = "d1c2b3a4-0000-4000-8000-00000000c0de"


def drifted(policy):
    """Every drift case: missing, unexpected (direct, inherited from RG and subscription), orphaned."""
    live = [a for a in s.in_sync(policy)
            if not (a["properties"]["principalId"] == s.WEB and a["properties"]["scope"] == s.TARGETS["key_vault"])]
    return live + [
        s.assignment(s.RG, "Contributor", s.FUNC),
        s.assignment(f"/subscriptions/{s.SUB}", "Reader", s.WEB),
        s.assignment(s.WEB_SITE, CUSTOM, s.WEB),
        s.assignment(s.TARGETS["storage_account"], "Storage Blob Data Contributor", s.GONE, "Unknown"),
        s.assignment(f"/subscriptions/{s.SUB}", "Reader", s.GONE, "Unknown"),   # orphaned, but outside the env
        s.assignment("/subscriptions/other/resourceGroups/rg-else", "Owner", s.WEB),  # not returned for this RG
    ]


def findings(doc):
    out = {(f["kind"], i["name"], f["role"], f["where"]) for i in doc["identities"] for f in i["missing"] + i["unexpected"]}
    return out | {(f["kind"], f["principal_id"], f["role"], f["where"]) for f in doc["orphaned"]}


def test_in_sync_exits_0_in_one_call(run, standin, policy):
    standin.assignments = s.in_sync(policy)
    code, out, err = run()
    doc = json.loads(out)
    assert (code, err) == (0, "")
    assert doc["in_sync"] and doc["counts"] == {"missing": 0, "unexpected": 0, "orphaned": 0}
    assert doc["calls"]["total"] == standin.count() == 1
    assert [r.query.get("$filter") for r in standin.requests] == [None]


def test_drift_is_reported_with_the_right_labels(run, standin, policy):
    standin.assignments = drifted(policy)
    standin.definitions = {CUSTOM: "Pulse Site Operator"}
    code, out, err = run()
    doc = json.loads(out)
    assert code == 1 and err == ""
    assert findings(doc) == {
        ("missing", "web_app", "Key Vault Secrets User", "key_vault"),
        ("unexpected", "function_app", "Contributor", "resource group rg-pulse-dev (inherited)"),
        ("unexpected", "web_app", "Reader", f"subscription {s.SUB} (inherited)"),
        ("unexpected", "web_app", "Pulse Site Operator", "resource Microsoft.Web/sites/app-pulse-dev"),
        ("orphaned", s.GONE, "Storage Blob Data Contributor", "storage_account"),
    }
    # one listing page plus one lookup of the custom role definition
    assert doc["calls"] == {"total": 2, "listings": 1, "assignment_pages": 1, "role_definition_gets": 1,
                            "role_definition_lists": 0, "throttled": 0, "server_errors": 0}
    assert standin.count() == 2 and standin.count("definition_get") == 1


def test_text_report(run, standin, policy):
    standin.assignments = drifted(policy)
    standin.definitions = {CUSTOM: "Pulse Site Operator"}
    code, out, _ = run(fmt="text")
    assert code == 1
    assert "web_app (11111111-1111-4111-8111-111111111111): DRIFT" in out
    assert "  missing     Key Vault Secrets User" in out
    assert "Contributor [forbidden role]" in out
    assert f"principal {s.GONE} no longer exists" in out
    assert out.rstrip().endswith("result: DRIFT - 1 missing, 3 unexpected, 1 orphaned (exit 1)")


@pytest.mark.parametrize("extra", [10, 100, 1000])
def test_calls_are_pages_not_assignments(run, standin, policy, extra):
    """Page size 25: calls = ceil(assignments / 25) for the one scope, whatever the number of assignments."""
    standin.page_size = 25
    standin.assignments = s.in_sync(policy) + s.noise(extra)
    code, out, _ = run()
    doc = json.loads(out)
    pages = math.ceil(len(standin.assignments) / 25)
    assert code == 0 and doc["assignments_seen"] == len(standin.assignments)
    assert doc["calls"]["total"] == doc["calls"]["assignment_pages"] == standin.count() == pages
    assert doc["calls"]["listings"] == 1
    assert all(r.kind == "assignments" for r in standin.requests)


def test_calls_stay_constant_as_assignments_per_scope_grow(run, standin, policy):
    """With ARM-sized pages, growing the assignments of the scope does not add calls."""
    standin.page_size = 1000
    counts = []
    for extra in (0, 50, 500):
        standin.reset_counts()
        standin.assignments = drifted(policy) + s.noise(extra)
        standin.definitions = {CUSTOM: "Pulse Site Operator"}
        code, out, _ = run()
        assert code == 1
        counts.append((json.loads(out)["calls"]["total"], standin.count()))
    assert counts == [(2, 2)] * 3


def test_calls_grow_only_with_scopes(run, standin, policy, tmp_path):
    standin.page_size = 5
    standin.assignments = s.in_sync(policy)
    code, out, _ = run()
    base = json.loads(out)["calls"]
    assert code == 0 and base["listings"] == 1

    # a target outside the resource group: exactly one more listing (atScope(), at the target and above)
    shared = f"/subscriptions/{s.SUB}/resourceGroups/rg-shared/providers/Microsoft.CognitiveServices/accounts/oai"
    standin.reset_counts()
    standin.assignments = s.in_sync(policy, targets={"openai_account": shared})
    code, out, _ = run(outputs=s.outputs(policy, targets={"openai_account": shared}))
    doc = json.loads(out)
    assert code == 0, doc
    assert doc["calls"]["listings"] == 2
    assert [(r.path.split("/providers/Microsoft.Authorization")[0], r.query.get("$filter"))
            for r in standin.requests if "$skipToken" not in r.query] == [(s.RG, None), (shared, "atScope()")]
    assert all(r.query.get("$filter") == "atScope()" for r in standin.requests if r.path.startswith(shared))
    assert doc["calls"]["total"] == standin.count()


def test_more_identities_add_no_calls(run, standin, policy, tmp_path):
    text = Path(policy.path).read_text() + """
[identities.worker]
description = "third app"
resource = "module.app.azurerm_linux_function_app.worker"
attribute = "identity[0].principal_id"
output = "worker_principal_id"
kind = "app"

[[required]]
identity = "worker"
role = "Storage Queue Data Contributor"
target = "storage_account"
"""
    bigger = tmp_path / "policy_data.toml"
    bigger.write_text(text)
    worker = "55555555-5555-4555-8555-555555555555"
    outputs = s.outputs(policy)
    outputs["worker_principal_id"] = {"sensitive": False, "type": "string", "value": worker}
    standin.assignments = s.in_sync(policy) + [
        s.assignment(s.TARGETS["storage_account"], "Storage Queue Data Contributor", worker)]
    code, out, _ = run("--policy-data", str(bigger), outputs=outputs)
    doc = json.loads(out)
    assert code == 0 and [i["name"] for i in doc["identities"]] == ["function_app", "web_app", "worker"]
    assert doc["calls"]["total"] == standin.count() == 1


def test_custom_role_looked_up_once_and_cached(run, standin, policy):
    standin.assignments = s.in_sync(policy) + [
        s.assignment(scope, CUSTOM, s.WEB) for scope in (s.WEB_SITE, s.RG, s.TARGETS["key_vault"])]
    standin.definitions = {CUSTOM: "Pulse Site Operator"}
    code, out, _ = run()
    doc = json.loads(out)
    assert code == 1 and doc["counts"]["unexpected"] == 3
    assert {f["role"] for i in doc["identities"] for f in i["unexpected"]} == {"Pulse Site Operator"}
    assert standin.count("definition_get") == 1 and doc["calls"]["role_definition_gets"] == 1


def test_many_unknown_roles_take_one_definitions_listing(run, standin, policy):
    customs = {f"d1c2b3a4-0000-4000-8000-0000000000{i:02d}": f"Custom {i}" for i in range(6)}
    standin.page_size = 20    # the definitions list is paged too
    standin.assignments = s.in_sync(policy) + [s.assignment(s.WEB_SITE, g, s.WEB) for g in customs]
    standin.definitions = customs
    code, out, _ = run()
    doc = json.loads(out)
    assert code == 1
    assert {f["role"] for i in doc["identities"] for f in i["unexpected"]} == set(customs.values())
    assert standin.count("definition_get") == 0
    assert doc["calls"]["role_definition_lists"] == standin.count("definition_list") >= 1
    assert doc["calls"]["total"] == standin.count()


def test_deleted_role_definition_is_shown_by_guid(run, standin, policy):
    standin.assignments = s.in_sync(policy) + [s.assignment(s.WEB_SITE, CUSTOM, s.WEB)]
    code, out, _ = run()
    assert code == 1
    assert f"{CUSTOM} (role definition not found)" in out


def test_throttled_once_is_retried_after_retry_after(run, standin, policy):
    standin.page_size = 5
    standin.assignments = s.in_sync(policy)
    standin.throttle_once = {"assignments"}
    standin.retry_after = "1"
    started = time.monotonic()
    code, out, err = run()
    elapsed = time.monotonic() - started
    doc = json.loads(out)
    assert code == 0 and err == ""
    assert elapsed >= 0.9    # Retry-After: 1 was honoured
    pages = math.ceil(len(standin.assignments) / 5)
    assert [r.status for r in standin.requests] == [429] + [200] * pages
    assert doc["calls"]["total"] == pages + 1 and doc["calls"]["throttled"] == 1


def test_gives_up_and_says_so(run, standin, policy):
    standin.always_status = 503
    code, out, err = run()
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    attempts = client.RETRY["retry_status"] + 1
    assert err.startswith(f"verify: error: gave up listing role assignments at {s.RG} after {attempts} attempts: "
                          "HTTP 503")
    assert standin.count() == attempts


def test_403_names_the_permission_and_role(run, standin, policy):
    standin.assignments = s.in_sync(policy)
    standin.forbidden_scopes = {s.RG}
    code, out, err = run()
    assert code == 2 and out == ""
    assert err == (f"verify: error: 403 listing role assignments at {s.RG}: the caller lacks "
                   "Microsoft.Authorization/roleAssignments/read (AuthorizationFailed); grant it Reader on the "
                   "resource group or subscription\n")
    assert standin.count() == 1   # a 403 is not retried


def test_no_credential_is_one_line(run, standin, policy, monkeypatch):
    class Unavailable:
        def get_token(self, *scopes, **kwargs):
            raise CredentialUnavailableError("EnvironmentCredential authentication unavailable.")

    monkeypatch.setattr(client, "default_credential", lambda: ChainedTokenCredential(Unavailable()))
    code, out, err = run()
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("verify: error: no Azure credential found: run `az login`")
    assert standin.count() == 0


def test_rejected_token_is_one_line(run, standin, policy, monkeypatch):
    class Wrong:
        def get_token(self, *scopes, **kwargs):
            return AccessToken("not-the-token", int(time.time()) + 3600)

    monkeypatch.setattr(client, "default_credential", lambda: Wrong())
    code, out, err = run()
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"verify: error: 401 listing role assignments at {s.RG}: the token was rejected")


def test_reader_talks_https_with_a_given_ca(standin, certificate, policy):
    """The client module on its own: connection_verify given directly, calls counted per attempt."""
    standin.page_size = 3
    standin.assignments = s.in_sync(policy)
    with client.ArmReader(s.StaticCredential(), s.SUB, standin.url, connection_verify=str(certificate[0]),
                          retry_backoff_factor=0.01) as arm:
        got = arm.list_assignments(diff.Listing(s.RG, None))
        assert len(got) == len(standin.assignments)
        assert arm.calls["assignment_pages"] == standin.count() == math.ceil(len(got) / 3)


def test_unreachable_endpoint_is_one_line(run, standin, policy, monkeypatch):
    url = standin.url
    standin.stop()      # nothing listens on the port any more
    monkeypatch.setattr(s.StandIn, "url", url)
    code, out, err = run()
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"verify: error: could not reach {url} (listing role assignments at {s.RG})")


def test_docs_sample_is_what_the_standin_produces(run, standin, policy):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "verify.md").read_text()
    sample = doc.split("<!-- sample: drift -->\n```\n", 1)[1].split("```", 1)[0]
    standin.assignments = drifted(policy)
    standin.definitions = {CUSTOM: "Pulse Site Operator"}
    code, out, _ = run(fmt="text")
    assert code == 1 and out == sample
