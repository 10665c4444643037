"""Inline suppressions: where a comment applies, what it needs, and the SU findings that keep them honest."""
from __future__ import annotations

import datetime
import json
import textwrap

import pytest

from pulse_gate import suppress
from pulse_gate.errors import InputError
from pulse_gate.gate import check, env_models
from pulse_gate.rules import run_rules

PROVIDER = 'provider "azurerm" {\n  features {}\n  storage_use_azuread = true\n}\n\n'
REASON = 'reason="approved in review #42" expires=2099-12-31'


def account(public="false", local_users="false", sftp="false", head="", name="example", extra="") -> str:
    return head + textwrap.dedent(f"""\
        resource "azurerm_storage_account" "{name}" {{
          name                            = "st{name}"
          resource_group_name             = "rg"
          location                        = "westeurope"
          account_tier                    = "Standard"
          account_replication_type        = "ZRS"
          shared_access_key_enabled       = false
          default_to_oauth_authentication = true
          https_traffic_only_enabled      = true
          min_tls_version                 = "TLS1_2"
          allow_nested_items_to_be_public = {public}
          local_user_enabled              = {local_users}
          sftp_enabled                    = {sftp}
        {extra}}}
        """)


def run(tmp_path, text: str, name: str = "main.tf", **kwargs):
    (tmp_path / name).write_text(PROVIDER + text if name.endswith(".tf") else text)
    return check(str(tmp_path), policy_path="none", **kwargs)


def ids(findings) -> list[tuple[str, bool]]:
    return sorted((f.rule_id, f.suppressed is not None) for f in findings)


def test_comment_before_a_resource_suppresses_exactly_that_rule_in_that_block(tmp_path):
    text = account(public="true", head=f"# pulse-gate:ignore=ST005 {REASON}\n") + account(public="true", name="other")
    result = run(tmp_path, text)
    assert ids(result.findings) == [("ST005", False), ("ST005", True)]
    [kept] = [f for f in result.findings if f.suppressed]
    assert kept.address == "azurerm_storage_account.example"
    assert kept.suppressed == "approved in review #42" and kept.suppression == "main.tf:6"
    assert kept.line_text().startswith("SUPPRESSED ST005")
    assert [f.rule_id for f in result.failing] == ["ST005"]


def test_comment_before_an_attribute_covers_that_line_only(tmp_path):
    text = account(local_users="true", sftp="true").replace(
        "  sftp_enabled", f"  # pulse-gate:ignore=ST006 {REASON}\n  sftp_enabled")
    result = run(tmp_path, text)
    by_attr = {f.attribute: f.suppressed is not None for f in result.findings}
    assert by_attr == {"local_user_enabled": False, "sftp_enabled": True}


def test_comment_at_the_end_of_the_line_covers_it(tmp_path):
    line = "allow_nested_items_to_be_public = true"
    text = account(public="true").replace(line, f"{line} // pulse-gate:ignore=ST005 {REASON}")
    assert ids(run(tmp_path, text).findings) == [("ST005", True)]


# Text that only looks like a suppression: in a string, an interpolation, a heredoc or a block comment. Each must
# leave the finding failing (a value must never silence the gate).
NOT_A_COMMENT = {
    "quoted string": 'tags = { note = "# pulse-gate:ignore=ST005 {R}" }\n',
    "string after a slash-slash url": 'tags = { url = "https://x.example//pulse-gate:ignore=ST005 {R}" }\n',
    "nested string in an interpolation": 'tags = { note = "${lower("# pulse-gate:ignore=ST005 {R}")}" }\n',
    "heredoc": 'tags = { note = <<-EOT\n    # pulse-gate:ignore=ST005 {R}\n    EOT\n  }\n',
    "block comment": '/*\n  # pulse-gate:ignore=ST005 {R}\n  */\n',
    # Terraform counts lines at LF only: a U+2028 or a form feed inside a string is not a line break.
    "after a unicode line separator in a string": 'tags = { note = "x\u2028# pulse-gate:ignore=ST005 {R}" }\n# settings\n',
    "after a form feed in a string": 'tags = { note = "x\f# pulse-gate:ignore=ST005 {R}" }\n# settings\n',
}


@pytest.mark.parametrize("case", sorted(NOT_A_COMMENT))
def test_comment_like_text_that_is_not_a_comment_suppresses_nothing(tmp_path, case):
    # In HCL strings the reason's quotes are escaped; in a heredoc or a block comment they are written as they are.
    raw = case in ("heredoc", "block comment")
    before = NOT_A_COMMENT[case].replace("{R}", REASON if raw else REASON.replace('"', '\\"'))
    line = "  allow_nested_items_to_be_public = true"
    text = account(public="true").replace(line, "  " + before + line)
    result = run(tmp_path, text)
    assert ids(result.findings) == [("ST005", False)], [f.line_text() for f in result.findings]


def test_a_real_comment_after_a_string_holding_a_hash_still_counts(tmp_path):
    line = "allow_nested_items_to_be_public = true"
    text = account(public="true", extra='  tags = { note = "a # b", url = "https://x//y" }\n').replace(
        line, f'{line} # pulse-gate:ignore=ST005 {REASON}')
    assert ids(run(tmp_path, text).findings) == [("ST005", True)]


def test_an_escaped_interpolation_does_not_turn_later_strings_into_code(tmp_path):
    """$${ is literal text: read as an interpolation, the escaped quotes after it would flip every later string."""
    head = 'locals {\n  greet = "echo $${NAME:-\\"world\\"}"\n}\n\n'
    line = "  allow_nested_items_to_be_public = true"
    marker = f'  tags = {{ note = "# pulse-gate:ignore=ST005 {REASON.replace(chr(34), chr(92) + chr(34))}" }}\n'
    text = account(public="true", head=head).replace(line, marker + line)
    assert ids(run(tmp_path, text).findings) == [("ST005", False)]


def test_a_real_comment_after_an_escaped_interpolation_or_a_form_feed_still_counts(tmp_path):
    head = 'locals {\n  greet = "echo $${NAME:-\\"world\\"}\f"\n}\n\n' + f"# pulse-gate:ignore=ST005 {REASON}\n"
    assert ids(run(tmp_path, account(public="true", head=head)).findings) == [("ST005", True)]


def test_a_comment_after_a_heredoc_covers_the_next_line(tmp_path):
    head = ('locals {\n  script = <<EOT\n# pulse-gate:ignore=ST006 inside the heredoc\nEOT\n}\n\n'
            f"# pulse-gate:ignore=ST005 {REASON}\n")
    result = run(tmp_path, account(public="true", local_users="true", head=head))
    assert ids(result.findings) == [("ST005", True), ("ST006", False)]


def test_several_rules_in_one_comment_and_stacked_comments(tmp_path):
    head = f"# pulse-gate:ignore=ST005,st006 {REASON}\n# unrelated note\n"
    text = account(public="true", local_users="true", head=head)
    assert ids(run(tmp_path, text).findings) == [("ST005", True), ("ST006", True)]


def test_every_instance_of_a_counted_resource_is_covered(tmp_path):
    text = account(public="true", head=f"# pulse-gate:ignore=ST005 {REASON}\n", extra="  count = 2\n")
    assert ids(run(tmp_path, text).findings) == [("ST005", True), ("ST005", True)]


def test_comment_in_a_module_covers_its_instances(tmp_path):
    (tmp_path / "modules" / "sa").mkdir(parents=True)
    (tmp_path / "modules" / "sa" / "main.tf").write_text(
        account(public="true", head=f"# pulse-gate:ignore=ST005 {REASON}\n"))
    text = 'module "a" {\n  source = "./modules/sa"\n}\n\nmodule "b" {\n  source = "./modules/sa"\n}\n'
    findings = run(tmp_path, text).findings
    assert ids(findings) == [("ST005", True), ("ST005", True)]
    assert {f.suppression for f in findings} == {"modules/sa/main.tf:1"}


def test_a_suppression_without_a_reason_is_su001_and_suppresses_nothing(tmp_path):
    result = run(tmp_path, account(public="true", head="# pulse-gate:ignore=ST005\n"))
    assert ids(result.findings) == [("ST005", False), ("SU001", False)]
    [su] = [f for f in result.findings if f.rule_id == "SU001"]
    assert "no reason" in su.message and (su.file, su.line) == ("main.tf", 6)


@pytest.mark.parametrize("comment, phrase", [
    ('# pulse-gate:ignore=ST999 reason="x"', "ST999"),
    ('# pulse-gate:ignore= reason="x"', "names no rule"),
    ('# pulse-gate:ignore=ST005 reason="x" expires=31/03/2027', "not a date"),
    ('# pulse-gate:ignore=ST005 reason=""', "no reason"),
])
def test_malformed_suppressions_are_su001(tmp_path, comment, phrase):
    result = run(tmp_path, account(public="true", head=comment + "\n"))
    [su] = [f for f in result.findings if f.rule_id == "SU001"]
    assert phrase in su.message
    assert ("ST005", False) in ids(result.findings)


def test_an_expired_suppression_is_su002_and_the_finding_comes_back(tmp_path):
    result = run(tmp_path, account(public="true", head='# pulse-gate:ignore=ST005 reason="r" expires=2020-01-31\n'))
    assert ids(result.findings) == [("ST005", False), ("SU002", False)]
    assert "expired on 2020-01-31" in [f for f in result.findings if f.rule_id == "SU002"][0].message


def test_a_suppression_applies_through_its_expiry_day(tmp_path):
    (tmp_path / "main.tf").write_text(PROVIDER + account(
        public="true", head='# pulse-gate:ignore=ST005 reason="r" expires=2027-03-31\n'))
    [model] = env_models(str(tmp_path))
    findings = run_rules(model, None, ["ST005"])
    on_the_day = suppress.apply(str(tmp_path), [model], findings, ["ST005"], datetime.date(2027, 3, 31))
    day_after = suppress.apply(str(tmp_path), [model], findings, ["ST005"], datetime.date(2027, 4, 1))
    assert ids(on_the_day) == [("ST005", True)]
    assert ids(day_after) == [("ST005", False), ("SU002", False)]


def test_a_suppression_that_covers_nothing_is_su003(tmp_path):
    result = run(tmp_path, account(head=f"# pulse-gate:ignore=ST005 {REASON}\n"))
    [su] = result.findings
    assert su.rule_id == "SU003" and "covers no finding" in su.message


def test_unused_is_not_reported_for_a_rule_that_did_not_run(tmp_path):
    text = account(head=f"# pulse-gate:ignore=ST005 {REASON}\n")
    assert run(tmp_path, text, skip=["ST005"]).findings == []
    rb = 'resource "azurerm_role_assignment" "x" {\n  # pulse-gate:ignore=RB004 ' + REASON + \
         '\n  principal_id         = "22222222-2222-2222-2222-222222222222"\n' \
         '  role_definition_name = "Reader"\n  scope                = "/subscriptions/s/resourceGroups/rg/x"\n}\n'
    assert run(tmp_path, rb).findings == []     # RB004 needs policy data; with none it did not run


def test_json_comment_property_covers_its_block(tmp_path):
    body = {"name": "stexample", "resource_group_name": "rg", "location": "westeurope", "account_tier": "Standard",
            "account_replication_type": "ZRS", "shared_access_key_enabled": False,
            "default_to_oauth_authentication": True, "min_tls_version": "TLS1_2",
            "allow_nested_items_to_be_public": True, "local_user_enabled": False, "sftp_enabled": False,
            "//": f"pulse-gate:ignore=ST005 {REASON}"}
    doc = {"provider": {"azurerm": {"features": {}, "storage_use_azuread": True}},
           "resource": {"azurerm_storage_account": {"example": body}}}
    (tmp_path / "main.tf.json").write_text(json.dumps(doc, indent=2))
    findings = check(str(tmp_path), policy_path="none").findings
    assert ids(findings) == [("ST005", True)]
    assert findings[0].suppression.startswith("main.tf.json:")


def test_tfvars_line_suppression(tmp_path):
    (tmp_path / "terraform.tfvars").write_text(
        f'# pulse-gate:ignore=PL003 {REASON}\napi_token = "not-a-real-token"\n')
    text = 'variable "api_token" {\n  type      = string\n  sensitive = true\n}\n'
    assert ids(run(tmp_path, text).findings) == [("PL003", True)]


def test_comments_in_files_outside_the_configuration_are_not_read(tmp_path):
    """Only the files the configuration was built from are read: a stray .tf in a subdirectory no module
    calls is not part of it, and its comments are not suppressions."""
    (tmp_path / "scratch").mkdir()
    (tmp_path / "scratch" / "notes.tf").write_text(f"# pulse-gate:ignore=ST005 {REASON}\n")
    assert run(tmp_path, account()).findings == []


def test_select_and_skip(tmp_path):
    text = account(public="true", local_users="true")
    assert ids(run(tmp_path, text, select=["ST005"]).findings) == [("ST005", False)]
    assert ids(run(tmp_path, text, select=["st00"], skip=["ST006"]).findings) == [("ST005", False)]
    with pytest.raises(InputError, match="names no rule"):
        run(tmp_path, text, skip=["ST05"])
