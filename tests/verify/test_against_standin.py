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


OLD_FUNC = "77777777-7777-4777-8777-777777777777"   # a replaced function app's identity: deleted from Entra ID


def replaced_app_leftover():
    """What a replaced function app leaves: its old identity's grant, which ARM still records as ServicePrincipal."""
    return s.assignment(s.TARGETS["storage_account"], "Storage Queue Data Contributor", OLD_FUNC)


def directory_without(*deleted):
    """Graph's directory of the sample: every principal the tests use exists except `deleted`."""
    everyone = {s.WEB: "servicePrincipal", s.FUNC: "servicePrincipal", s.DEPLOYER: "user", s.HUMAN: "user",
                OLD_FUNC: "servicePrincipal", s.GONE: "servicePrincipal"}
    return {k: v for k, v in everyone.items() if k not in deleted}


def issue_scenario(standin, policy):
    """The issue's case: shared keys back on, local auth back on, and a replaced app's orphan."""
    standin.assignments = s.in_sync(policy) + [replaced_app_leftover()]
    standin.directory = directory_without(OLD_FUNC)
    standin.resources[s.TARGETS["storage_account"]]["properties"]["allowSharedKeyAccess"] = True
    standin.resources[s.TARGETS["openai_account"]]["properties"]["disableLocalAuth"] = False


def findings(doc):
    out = {(f["kind"], i["name"], f["role"], f["where"]) for i in doc["identities"] for f in i["missing"] + i["unexpected"]}
    return out | {(f["kind"], f["principal_id"], f["role"], f["where"]) for f in doc["orphaned"]}


CLEAN = {"missing": 0, "unexpected": 0, "orphaned": 0, "unexplained": 0, "drift": 0, "unverified": 0}
# A clean run of the sample environment: 1 assignment page, 5 resource GETs (storage, cognitive, Key Vault,
# App Insights, PostgreSQL), 1 app settings list (function app), 1 Graph batch.
POSTURE_CALLS = {"resource_reads": 5, "app_settings_lists": 1}


def test_in_sync_exits_0_in_one_call_per_resource(run, standin, policy):
    standin.assignments = s.in_sync(policy)
    code, out, err = run()
    doc = json.loads(out)
    assert (code, err) == (0, "")
    assert doc["in_sync"] and doc["counts"] == CLEAN
    assert doc["calls"] == {"total": 8, "listings": 1, "assignment_pages": 1, "role_definition_gets": 0,
                            "role_definition_lists": 0, **POSTURE_CALLS, "graph_batches": 1, "throttled": 0,
                            "server_errors": 0}
    assert standin.count() == 8
    assert [r.query.get("$filter") for r in standin.requests if r.kind == "assignments"] == [None]
    assert doc["posture"] == {"checked": 11, "findings": []}
    assert doc["graph"] == {"resolved": True, "asked": 4, "not_found": 0, "unavailable": ""}


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
    # one listing page, one lookup of the custom role definition, the posture reads and one Graph batch
    assert doc["calls"] == {"total": 9, "listings": 1, "assignment_pages": 1, "role_definition_gets": 1,
                            "role_definition_lists": 0, **POSTURE_CALLS, "graph_batches": 1, "throttled": 0,
                            "server_errors": 0}
    assert standin.count() == 9 and standin.count("definition_get") == 1


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
    """Page size 25: calls = ceil(assignments / 25) for the one scope, whatever the number of assignments; the
    posture reads stay one per resource and Graph takes one call per 1000 principal ids."""
    standin.page_size = 25
    standin.assignments = s.in_sync(policy) + s.noise(extra)
    code, out, _ = run()
    doc = json.loads(out)
    pages = math.ceil(len(standin.assignments) / 25)
    principals = 4 + extra
    assert code == 0 and doc["assignments_seen"] == len(standin.assignments)
    assert doc["calls"]["assignment_pages"] == standin.count("assignments") == pages
    assert doc["calls"]["graph_batches"] == standin.count("graph") == math.ceil(principals / 1000)
    assert doc["graph"]["asked"] == principals
    assert doc["calls"]["total"] == standin.count() == pages + 6 + math.ceil(principals / 1000)
    assert doc["calls"]["listings"] == 1
    assert all(len(r.body["ids"]) <= 1000 for r in standin.requests if r.kind == "graph")


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
    assert counts == [(9, 9)] * 3


def test_calls_grow_only_with_scopes(run, standin, policy, tmp_path):
    standin.page_size = 5
    standin.assignments = s.in_sync(policy)
    code, out, _ = run()
    base = json.loads(out)["calls"]
    assert code == 0 and base["listings"] == 1

    # a target outside the resource group: exactly one more listing (atScope(), at the target and above)
    shared = (f"/subscriptions/{s.SUB}/resourceGroups/rg-shared/providers/Microsoft.CognitiveServices/accounts/"
              "oai-pulse-dev")
    standin.reset_counts()
    standin.resources[shared] = {**standin.resources.pop(s.TARGETS["openai_account"]), "id": shared}
    standin.assignments = s.in_sync(policy, targets={"openai_account": shared})
    code, out, _ = run(outputs=s.outputs(policy, targets={"openai_account": shared}))
    doc = json.loads(out)
    assert code == 0, doc
    assert doc["calls"]["listings"] == 2
    assert [(r.path.split("/providers/Microsoft.Authorization")[0], r.query.get("$filter"))
            for r in standin.requests if "$skipToken" not in r.query and r.kind == "assignments"] == \
        [(s.RG, None), (shared, "atScope()")]
    assert all(r.query.get("$filter") == "atScope()" for r in standin.requests
               if r.path.startswith(shared) and r.kind == "assignments")
    assert [r.path for r in standin.requests if r.kind == "resource" and "CognitiveServices" in r.path] == [shared]
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
    assert doc["calls"]["assignment_pages"] == 1 and doc["calls"]["graph_batches"] == 1
    assert doc["calls"]["total"] == standin.count() == 8


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
    assert [r.status for r in standin.requests if r.kind == "assignments"] == [429] + [200] * pages
    assert doc["calls"]["total"] == pages + 1 + 7 and doc["calls"]["throttled"] == 1


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
    url, graph_url = standin.url, standin.graph_url
    standin.stop()      # nothing listens on the ports any more
    monkeypatch.setattr(s.StandIn, "url", url)
    monkeypatch.setattr(s.StandIn, "graph_url", graph_url)
    code, out, err = run()
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"verify: error: could not reach {url} (listing role assignments at {s.RG})")


def test_docs_sample_is_what_the_standin_produces(run, standin, policy):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "verify.md").read_text()
    sample = doc.split("<!-- sample: drift -->\n```\n", 1)[1].split("```", 1)[0]
    issue_scenario(standin, policy)
    standin.assignments = drifted(policy) + [replaced_app_leftover()]
    standin.definitions = {CUSTOM: "Pulse Site Operator"}
    code, out, _ = run(fmt="text")
    assert code == 1 and out == sample


def test_docs_in_sync_sample_is_what_the_standin_produces(run, standin, policy):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "verify.md").read_text()
    sample = doc.split("<!-- sample: in sync -->\n```\n", 1)[1].split("```", 1)[0]
    standin.assignments = s.in_sync(policy)
    standin.directory = directory_without()
    code, out, _ = run(fmt="text")
    assert code == 0 and out == sample


# --- the deployed posture and Graph (issue 11, parts 4 and 5) -------------------------------------------------
def test_issue_case_shared_key_local_auth_and_a_service_principal_orphan(run, standin, policy, sdk):
    issue_scenario(standin, policy)
    code, out, err = run()
    doc = json.loads(out)
    assert (code, err) == (1, "")
    assert doc["counts"] == {**CLEAN, "orphaned": 1, "drift": 2}
    assert {(f["kind"], f["address"], f["prop"], f["expected"], f["live"]) for f in doc["posture"]["findings"]} == {
        ("drift", "azurerm_storage_account.main", "properties.allowSharedKeyAccess", "false", "true"),
        ("drift", "azurerm_cognitive_account.openai", "properties.disableLocalAuth", "true", "false"),
    }
    [orphan] = doc["orphaned"]
    assert (orphan["principal_id"], orphan["role"], orphan["where"]) == \
        (OLD_FUNC, "Storage Queue Data Contributor", "storage_account")
    assert "ARM still records principalType ServicePrincipal" in orphan["why"]
    assert doc["graph"] == {"resolved": True, "asked": 5, "not_found": 1, "unavailable": ""}
    # O(resources) posture reads, one Graph batch for the 5 principals, one assignment page
    assert doc["calls"] == {"total": 8, "listings": 1, "assignment_pages": 1, "role_definition_gets": 0,
                            "role_definition_lists": 0, **POSTURE_CALLS, "graph_batches": 1, "throttled": 0,
                            "server_errors": 0}
    [graph] = [r for r in standin.requests if r.kind == "graph"]
    assert sorted(graph.body["ids"]) == sorted([s.WEB, s.FUNC, s.DEPLOYER, s.HUMAN, OLD_FUNC])
    assert graph.body["types"] == ["user", "group", "servicePrincipal", "device"]
    # each endpoint got a token for its own audience
    assert {f"{standin.url}/.default", f"{standin.graph_url}/.default"} <= set(sdk.scopes)


def test_issue_case_text_report(run, standin, policy):
    issue_scenario(standin, policy)
    code, out, _ = run(fmt="text")
    assert code == 1
    assert ("  drift       properties.allowSharedKeyAccess          on azurerm_storage_account.main\n"
            "              expected false, live true; Terraform: shared_access_key_enabled = false (main.tf:31, "
            "value from main.tf:8 (default))") in out
    assert "  drift       properties.disableLocalAuth              on azurerm_cognitive_account.openai" in out
    assert (f"principal {OLD_FUNC} no longer exists: not found in Microsoft Graph (ARM still records principalType "
            "ServicePrincipal)") in out
    assert "calls: 8 (1 assignment page over 1 listing, 5 resource reads, 1 app settings list, 1 Graph batch)" in out
    assert out.rstrip().endswith("result: DRIFT - 1 orphaned, 2 drift (exit 1)")


def test_without_graph_the_orphan_would_pass(run, standin, policy):
    """The bug of issue 11: ARM alone reports the replaced app's assignment as a live ServicePrincipal."""
    standin.assignments = s.in_sync(policy) + [replaced_app_leftover()]
    standin.directory = directory_without()       # Graph still knows OLD_FUNC: no orphan
    code, out, _ = run()
    assert code == 0 and json.loads(out)["orphaned"] == []
    standin.directory = directory_without(OLD_FUNC)
    code, out, _ = run()
    assert code == 1 and [f["principal_id"] for f in json.loads(out)["orphaned"]] == [OLD_FUNC]


def test_graph_403_is_one_line_and_principals_are_unexplained(run, standin, policy):
    standin.assignments = s.in_sync(policy) + [replaced_app_leftover()]
    standin.graph_forbidden = True
    code, out, err = run()
    doc = json.loads(out)
    assert code == 1 and err.count("\n") == 1
    assert err == ("verify: warning: 403 resolving 5 principal ids through Microsoft Graph: the caller lacks the "
                   "Microsoft Graph permission Directory.Read.All (Authorization_RequestDenied); deleted principals "
                   "cannot be told apart, so assignments of principals neither a known identity nor declared in the "
                   "policy data are reported as unexplained\n")
    # the deployer and the app identities are known; the engineer's two grants and the leftover are not
    assert sorted((f["principal_id"], f["role"]) for f in doc["unexplained"]) == sorted([
        (s.HUMAN, "Reader"), (s.HUMAN, "Contributor"), (OLD_FUNC, "Storage Queue Data Contributor")])
    assert doc["counts"] == {**CLEAN, "unexplained": 3}
    assert doc["graph"]["resolved"] is False and "Directory.Read.All" in doc["graph"]["unavailable"]
    assert standin.count("graph") == 1          # a 403 is not retried
    code, text_out, _ = run(fmt="text")
    assert "unexplained assignments in the environment (Graph not readable): 3" in text_out
    assert "principals resolved through Microsoft Graph: no, 5 not resolved (403: see the warning)" in text_out


def test_graph_403_still_reports_arm_unknown_as_orphaned(run, standin, policy):
    standin.assignments = s.in_sync(policy) + [
        s.assignment(s.TARGETS["key_vault"], "Key Vault Secrets User", s.GONE, "Unknown")]
    standin.graph_forbidden = True
    code, out, _ = run()
    doc = json.loads(out)
    assert code == 1 and [f["principal_id"] for f in doc["orphaned"]] == [s.GONE]
    assert {f["principal_id"] for f in doc["unexplained"]} == {s.HUMAN}


def test_graph_batches_of_1000(run, standin, policy):
    standin.page_size = 1000
    standin.assignments = s.in_sync(policy) + s.noise(2100)
    code, out, _ = run()
    doc = json.loads(out)
    sizes = sorted(len(r.body["ids"]) for r in standin.requests if r.kind == "graph")
    assert code == 0 and sizes == [104, 1000, 1000]
    assert doc["calls"]["graph_batches"] == 3 and doc["graph"]["asked"] == 2104


def test_posture_reads_and_graph_are_retried_when_throttled(run, standin, policy):
    """The app settings list and getByIds are POSTs that only read: retried on 429 like the GETs."""
    standin.assignments = s.in_sync(policy)
    standin.throttle_once = {"app_settings", "graph", "resource"}
    standin.retry_after = "0"
    code, out, err = run()
    doc = json.loads(out)
    assert (code, err) == (0, "")
    assert [r.status for r in standin.requests if r.kind in ("app_settings", "graph")] == [429, 200, 429, 200]
    assert doc["calls"]["throttled"] == 3 and doc["calls"]["total"] == standin.count() == 11


def test_app_settings_403_names_the_list_action(run, standin, policy):
    standin.assignments = s.in_sync(policy)
    standin.forbidden_reads = {s.FUNC_SITE}
    code, out, err = run()
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err == (f"verify: error: 403 listing the app settings of {s.FUNC_SITE}: the caller lacks "
                   "Microsoft.Web/sites/config/list/action (AuthorizationFailed); grant it a custom role with that "
                   "action on the function app (Reader does not carry it; Website Contributor does, with write "
                   "access)\n")


def test_resource_read_403_names_the_read_permission(run, standin, policy):
    standin.assignments = s.in_sync(policy)
    standin.forbidden_reads = {s.POSTGRES}
    code, _, err = run()
    assert code == 2 and err == (f"verify: error: 403 reading {s.POSTGRES}: the caller lacks "
                                 "Microsoft.DBforPostgreSQL/flexibleServers/read (AuthorizationFailed); grant it "
                                 "Reader on the resource group or subscription\n")


def test_a_deleted_resource_is_drift(run, standin, policy):
    standin.assignments = s.in_sync(policy)
    del standin.resources[s.POSTGRES]
    code, out, _ = run()
    [f] = json.loads(out)["posture"]["findings"]
    assert code == 1 and (f["kind"], f["resource_id"], f["live"]) == \
        ("drift", s.POSTGRES, "not found (deleted outside Terraform?)")


def test_app_setting_values_never_reach_the_output(run, standin, policy):
    marker = "test-fixture-placeholder-not-a-key"    # stands in for a connection string; not a secret
    standin.assignments = s.in_sync(policy)
    standin.app_settings[s.FUNC_SITE]["AzureWebJobsStorage"] = f"AccountName=stpulsedev;AccountKey={marker}"
    standin.app_settings[s.FUNC_SITE]["AzureWebJobsStorage__credential"] = marker
    for fmt in ("json", "text"):
        code, out, err = run(fmt=fmt)
        assert code == 1 and marker not in out and marker not in err
        assert "app setting AzureWebJobsStorage" in out and "present (value not shown)" in out


def test_outputs_without_an_id_fail_closed(run, standin, policy):
    """Outputs of an older apply (no function_app_id): the function app cannot be read, which is a finding."""
    standin.assignments = s.in_sync(policy)
    code, out, _ = run(outputs=s.outputs(policy, drop=("function_app_id",)))
    doc = json.loads(out)
    assert code == 1 and doc["counts"] == {**CLEAN, "unverified": 1}
    [f] = doc["posture"]["findings"]
    assert (f["kind"], f["address"]) == ("unverified", "azurerm_linux_function_app.orchestrator")
    assert doc["calls"]["app_settings_lists"] == 0


def test_against_the_repository_terraform(run, standin, policy):
    """The repository's own root module as the intent: its dev resources deployed as Terraform sets them."""
    from pulse_gate.hcl.frontend import Project
    from pulse_gate.verify import posture

    repo = Path(__file__).resolve().parents[2]
    resources = {r.address: r for r in Project(str(repo)).env_model("dev").resources}
    names = {r.type: r.get("name") for r in resources.values()}

    def rid(address):
        r = resources[address]
        return f"{s.RG}/providers/{posture.KINDS[r.type].arm_type}/{r.get('name')}"

    renamed = {s.TARGETS["storage_account"]: rid("module.storage.azurerm_storage_account.main"),
               s.TARGETS["openai_account"]: rid("module.openai.azurerm_cognitive_account.main"),
               s.TARGETS["speech_account"]: rid("module.speech.azurerm_cognitive_account.main"),
               s.TARGETS["key_vault"]: rid("module.keyvault.azurerm_key_vault.main"),
               s.TARGETS["application_insights"]: rid("module.monitoring.azurerm_application_insights.main"),
               s.POSTGRES: rid("module.analytics_postgres.azurerm_postgresql_flexible_server.main"),
               s.FUNC_SITE: rid("module.app.azurerm_linux_function_app.orchestrator")}
    targets = {name: renamed[old] for name, old in s.TARGETS.items()}
    standin.resources = {renamed[k]: {**v, "id": renamed[k]} for k, v in s.resources_in_sync().items()}
    settings = dict(s.app_settings_in_sync()[s.FUNC_SITE], AzureWebJobsStorage__accountName=names[
        "azurerm_storage_account"])
    standin.app_settings = {renamed[s.FUNC_SITE]: settings}
    standin.assignments = s.in_sync(policy, targets=targets)
    outputs = s.outputs(policy, targets=targets)
    outputs["postgres_server_id"]["value"] = renamed[s.POSTGRES]
    outputs["function_app_id"]["value"] = renamed[s.FUNC_SITE]
    code, out, err = run("--root", str(repo), outputs=outputs)
    doc = json.loads(out)
    assert (code, err) == (0, ""), doc["posture"]
    assert doc["posture"] == {"checked": 12, "findings": []}
    assert doc["calls"]["resource_reads"] == 6 and doc["calls"]["app_settings_lists"] == 1

    standin.app_settings[renamed[s.FUNC_SITE]].pop("AzureWebJobsStorage__credential")
    standin.resources[renamed[s.POSTGRES]]["properties"]["authConfig"]["passwordAuth"] = "Enabled"
    code, out, _ = run("--root", str(repo), outputs=outputs)
    found = {(f["address"], f["prop"], f["expected"], f["live"]) for f in json.loads(out)["posture"]["findings"]}
    assert code == 1 and found == {
        ("module.app.azurerm_linux_function_app.orchestrator", "app setting AzureWebJobsStorage__credential",
         "present", "absent"),
        ("module.analytics_postgres.azurerm_postgresql_flexible_server.main",
         "properties.authConfig.passwordAuth", "Disabled", "Enabled")}
