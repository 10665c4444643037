"""The pure comparison: plain data in, findings out (no SDK, no server)."""
import rbac_standin as s
from pulse_gate.roles import BUILTIN_ROLE_IDS
from pulse_gate.verify import diff
from pulse_gate.verify.outputs import environment, parse
import json


def env_of(policy, **kw):
    return environment("dev", parse(json.dumps(s.outputs(policy, **kw)), "outputs.json"), policy, "outputs.json")


def assignments(raw):
    return [diff.Assignment(a["id"], a["properties"]["scope"], a["properties"]["principalId"],
                            a["properties"]["principalType"], a["properties"]["roleDefinitionId"]) for a in raw]


def kinds(report):
    out = set()
    for ident in report.identities:
        out |= {(f.kind, ident.name, f.role, f.where) for f in ident.missing + ident.unexpected}
    out |= {(f.kind, f.principal_id, f.role, f.where) for f in report.orphaned}
    return out


def test_plan_is_one_listing_when_every_target_is_in_the_group(policy):
    env = env_of(policy)
    assert diff.listing_plan(env) == [diff.Listing(s.RG, None)]


def test_a_target_outside_the_group_adds_one_at_scope_listing(policy):
    shared = f"/subscriptions/{s.SUB}/resourceGroups/rg-shared/providers/Microsoft.CognitiveServices/accounts/oai"
    env = env_of(policy, targets={"openai_account": shared})
    assert diff.listing_plan(env) == [diff.Listing(s.RG, None), diff.Listing(shared, "atScope()")]


def test_in_sync(policy):
    env = env_of(policy)
    report = diff.compare(policy, env, diff.listing_plan(env), assignments(s.in_sync(policy)))
    assert not report.drift and not any(report.counts.values())
    assert {i.name: len(i.held) for i in report.identities} == {"function_app": 7, "web_app": 4}


def test_each_drift_case_gets_its_label(policy):
    env = env_of(policy)
    live = [a for a in s.in_sync(policy)
            if not (a["properties"]["principalId"] == s.WEB and a["properties"]["scope"] == s.TARGETS["key_vault"])]
    live += [
        s.assignment(s.RG, "Contributor", s.FUNC),                                   # inherited from the group
        s.assignment(f"/subscriptions/{s.SUB}", "Reader", s.WEB),                    # inherited from the sub
        s.assignment(s.TARGETS["storage_account"], "Storage Blob Data Owner", s.WEB),  # wrong role on a target
        s.assignment(s.TARGETS["storage_account"], "Storage Blob Data Contributor", s.GONE, "Unknown"),
        s.assignment(f"/subscriptions/{s.SUB}", "Reader", s.GONE, "Unknown"),        # outside the environment
    ]
    report = diff.compare(policy, env, diff.listing_plan(env), assignments(live))
    assert kinds(report) == {
        ("missing", "web_app", "Key Vault Secrets User", "key_vault"),
        ("unexpected", "function_app", "Contributor", "resource group rg-pulse-dev (inherited)"),
        ("unexpected", "web_app", "Reader", f"subscription {s.SUB} (inherited)"),
        ("unexpected", "web_app", "Storage Blob Data Owner", "storage_account"),
        ("orphaned", s.GONE, "Storage Blob Data Contributor", "storage_account"),
    }
    contributor = next(f for i in report.identities for f in i.unexpected if f.role == "Contributor")
    assert contributor.forbidden and contributor.inherited


def test_required_grant_at_a_broader_scope_is_missing_and_unexpected(policy):
    env = env_of(policy)
    live = [a for a in s.in_sync(policy) if a["properties"]["principalId"] != s.WEB
            or a["properties"]["scope"] != s.TARGETS["application_insights"]]
    live.append(s.assignment(s.RG, "Monitoring Metrics Publisher", s.WEB))
    report = diff.compare(policy, env, diff.listing_plan(env), assignments(live))
    assert kinds(report) == {
        ("missing", "web_app", "Monitoring Metrics Publisher", "application_insights"),
        ("unexpected", "web_app", "Monitoring Metrics Publisher", "resource group rg-pulse-dev (inherited)"),
    }


def test_scopes_compare_case_insensitively_and_duplicates_count_once(policy):
    env = env_of(policy)
    raw = s.in_sync(policy)
    for a in raw:
        a["properties"]["scope"] = a["properties"]["scope"].upper()
    live = assignments(raw)
    report = diff.compare(policy, env, diff.listing_plan(env), live + live)
    assert not report.drift and report.assignments_seen == len(live)


def test_sub_resource_and_other_resource_are_described(policy):
    env = env_of(policy)
    container = s.TARGETS["storage_account"] + "/blobServices/default/containers/uploads"
    assert diff.describe(container, env) == ("storage_account/blobServices/default/containers/uploads", False)
    assert diff.describe(s.WEB_SITE, env) == ("resource Microsoft.Web/sites/app-pulse-dev", False)
    assert diff.describe("/", env) == ("root scope / (inherited)", True)
    assert diff.describe("/providers/Microsoft.Management/managementGroups/corp", env) == \
        ("management group corp (inherited)", True)


def test_only_app_and_orphaned_roles_outside_the_table_need_names(policy):
    env = env_of(policy)
    custom = "d1c2b3a4-0000-4000-8000-00000000c0de"
    other = "d1c2b3a4-0000-4000-8000-00000000beef"
    live = assignments([s.assignment(s.WEB_SITE, custom, s.WEB), s.assignment(s.WEB_SITE, other, s.HUMAN, "User"),
                        s.assignment(s.RG, BUILTIN_ROLE_IDS["Reader"], s.WEB)])
    assert set(diff.roles_to_name(policy, env, live)) == {custom}


def test_graph_decides_orphans_whatever_arm_recorded(policy):
    env = env_of(policy)
    old = "77777777-7777-4777-8777-777777777777"
    live = assignments(s.in_sync(policy) + [s.assignment(s.TARGETS["storage_account"], "Reader", old),
                                            s.assignment(f"/subscriptions/{s.SUB}", "Reader", old)])
    assert diff.principals_to_resolve(env, live) == sorted([s.WEB, s.FUNC, s.DEPLOYER, s.HUMAN, old])
    everyone = frozenset({s.WEB, s.FUNC, s.DEPLOYER, s.HUMAN})
    report = diff.compare(policy, env, diff.listing_plan(env), live, directory=diff.Directory(everyone, "", 5))
    # only the assignment within the environment is reported; the subscription-level one is outside it
    assert [(f.kind, f.principal_id, f.where) for f in report.orphaned] == [("orphaned", old, "storage_account")]
    assert report.counts["orphaned"] == 1 and report.unexplained == []
    assert diff.compare(policy, env, diff.listing_plan(env), live).orphaned == []    # ARM alone: ServicePrincipal


def test_without_graph_unknown_principals_are_unexplained(policy):
    env = env_of(policy)
    old = "77777777-7777-4777-8777-777777777777"
    live = assignments(s.in_sync(policy) + [s.assignment(s.TARGETS["storage_account"], "Reader", old),
                                            s.assignment(s.RG, "Reader", s.GONE, "Unknown")])
    report = diff.compare(policy, env, diff.listing_plan(env), live,
                          directory=diff.Directory(None, "403 ...", 6))
    assert sorted((f.principal_id, f.role) for f in report.unexplained) == sorted([
        (s.HUMAN, "Reader"), (s.HUMAN, "Contributor"), (old, "Reader")])
    assert [f.principal_id for f in report.orphaned] == [s.GONE]     # ARM's Unknown still counts
    assert report.drift
