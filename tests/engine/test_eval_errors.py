"""No Python exception reaches the user: every evaluation error is an Unknown with its reason, and regular
expressions follow RE2 (Terraform's syntax) with Go's matching rules."""
import pytest

from pulse_gate.hcl import evaluator as evaluator_module
from pulse_gate.hcl.functions import FUNCTIONS, FunctionError
from pulse_gate.values import Unknown


def reason(value) -> str:
    assert isinstance(value, Unknown), value
    return value.reason


def test_numbers_beyond_a_float_are_unknown_not_a_traceback(evaluate):
    v = evaluate({"ceil": "ceil(1e400)", "floor": "floor(-1e400)", "mul": "1e400 * 2", "neg": "-1e400 < 0",
                  "pow_ok": "max(1e300, 1)"})
    assert "ceil(): a number beyond the range the gate evaluates" in reason(v["ceil"])
    assert "floor():" in reason(v["floor"])
    assert "beyond the range" in reason(v["mul"])
    assert isinstance(v["neg"], Unknown)
    assert v["pow_ok"] == 10 ** 300   # shown as Terraform shows a number: its shortest decimal form


def test_arithmetic_errors_and_terraform_remainders(evaluate):
    v = evaluate({"div0": "5 / 0", "zero0": "try(0 / 0, 1)", "can0": "can(5 / 0)", "mod0": "5 % 0",
                  "negmod": "-7 % 3", "fmod": "-7.5 % 2", "negstr": '-"3"',
                  "negbool": "-true", "notnum": '"a" * 2'})
    # terraform console: 5 / 0 is +Inf (so can() is true), 0 / 0 is an error
    assert reason(v["div0"]) == "5 / 0 is an infinity, beyond the range of numbers the gate evaluates"
    assert v["zero0"] == 1
    assert isinstance(v["can0"], Unknown)
    assert v["mod0"] == 5           # terraform console: 5 % 0 is 5
    assert v["negmod"] == -1
    assert v["fmod"] == -1.5
    assert v["negstr"] == -3
    assert reason(v["negbool"]).startswith("cannot evaluate main.tf:9: expected a number")
    assert reason(v["notnum"]).startswith("cannot evaluate main.tf:10: expected a number")


def test_an_unexpected_exception_becomes_an_unknown_naming_the_function(evaluate, monkeypatch):
    def broken(*_):
        raise RuntimeError("boom")
    monkeypatch.setitem(evaluator_module.FUNCTIONS, "lower", broken)
    v = evaluate({"x": 'lower("A")', "around": 'upper(lower("A"))'})
    assert reason(v["x"]) == "internal evaluation error in lower(): RuntimeError: boom"
    assert "internal evaluation error in lower(): RuntimeError: boom" in reason(v["around"])


def test_an_unexpected_exception_in_a_local_does_not_escape(env_model, monkeypatch):
    monkeypatch.setattr(evaluator_module.Evaluator, "_e_ObjectExpr",
                        lambda self, node, scope: {}["missing"])
    model = env_model({"main.tf": 'locals {\n  unused = { a = 1 }\n}\nresource "azurerm_thing" "t" {\n'
                                  "  v = local.unused\n}\n"})
    assert reason(model.by_address("azurerm_thing.t").values["v"]).startswith(
        "internal evaluation error in ObjectExpr: KeyError")


# ---- regular expressions ----------------------------------------------------------------------------------------
RE_KNOWN = [
    # the cases terraform console gives (Terraform 1.11.4)
    ("regex", ("^st[0-9]+\\z", "st12"), "st12"),
    ("regex", ("\\pL+", "héllo1"), "héllo"),
    ("regex", ("\\p{Greek}+", "αβa"), "αβ"),
    ("regex", ("\\PL+", "12a"), "12"),
    ("regex", ("[[:alpha:]]+", "ab1"), "ab"),
    ("regex", ("[[:^digit:]]+", "ab1"), "ab"),
    ("regex", ("\\Qa.b\\E", "xa.b"), "a.b"),
    ("regex", ("a(?i)b", "aB"), "aB"),
    ("regex", ("(?i:A)b", "ab"), "ab"),
    ("regex", ("(?U)a+", "aaa"), "a"),
    ("regex", ("(?s).", "\n"), "\n"),
    ("regex", ("\\x{41}", "A"), "A"),
    ("regex", ("(?<n>a)", "a"), {"n": "a"}),
    ("regex", ("(a)(?:b)(c)?", "ab"), ["a", None]),
    ("regex", ("(?P<x>a)(?P<y>c)?", "ab"), {"x": "a", "y": None}),
    ("regexall", ("a*", "baaab"), ["", "aaa", ""]),
    ("replace", ("abc", "/b*/", "X"), "XaXcX"),
    ("replace", ("abc", "/(b)/", "[$1$${1}x]"), "a[b${1}x]c"),
    ("replace", ("abc", "/(?P<l>b)/", "<$l>"), "a<b>c"),
    ("replace", ("abc", "/(b)/", "<$1x>"), "a<>c"),         # Go reads $1x as the group named "1x"
    ("replace", ("abc", "/(b)/", "<${1}x>"), "a<bx>c"),
    ("replace", ("a.b", "/\\Q.\\E/", "-"), "a-b"),
]


@pytest.mark.parametrize("name,args,expected", RE_KNOWN, ids=[f"{c[0]}{c[1]!r}"[:50] for c in RE_KNOWN])
def test_re2_semantics(name, args, expected):
    assert FUNCTIONS[name](*args) == expected


RE_REJECTED = [
    ("(", "invalid regexp pattern: missing ): ("),
    ("a++", "invalid regexp pattern: bad repetition operator: ++"),
    ("(?=a)", "invalid regexp pattern: invalid perl operator: (?="),
    ("(?<!a)b", "invalid regexp pattern: invalid perl operator: (?<!"),
    ("\\C", "invalid regexp pattern: invalid escape sequence in \\C"),
    ("\\Z", "invalid regexp pattern: invalid escape sequence: \\Z"),
    ("(a)\\1", "invalid regexp pattern: invalid escape sequence: \\1"),
    ("a{1001}", "invalid regexp pattern: invalid repetition size: {1001}"),
    ("(?P<x>a)(b)", "invalid regexp pattern: cannot mix both named and unnamed capture groups"),
]


@pytest.mark.parametrize("pattern,message", RE_REJECTED, ids=[c[0] for c in RE_REJECTED])
def test_patterns_terraform_rejects(pattern, message):
    with pytest.raises(FunctionError) as err:
        FUNCTIONS["regex"](pattern, "aab")
    assert str(err.value) == message


def test_c_inside_a_quoted_literal_is_text():
    assert FUNCTIONS["regex"]("\\Q\\C\\E", "x\\Cy") == "\\C"


def test_regex_errors_through_hcl_are_unknowns_not_tracebacks(evaluate, capfd):
    v = evaluate({"bad": 'regex("(", "a")', "z": 'regex("^st[0-9]+\\\\z", "st12")',
                  "tried": 'try(regex("(", "a"), "fallback")', "can": 'can(regex("[", "a"))',
                  "nomatch": 'regex("x", "a")'})
    assert reason(v["bad"]) == "cannot evaluate main.tf:2: invalid regexp pattern: missing ): ("
    assert v["z"] == "st12"
    assert v["tried"] == "fallback"
    assert v["can"] is False
    assert reason(v["nomatch"]).endswith("pattern did not match any part of the given string")
    assert capfd.readouterr().err == ""    # RE2 logs nothing on stderr


# ---- the cases of issue 9 through the command line: findings (exit 1) with their reasons, never a traceback -------
ISSUE_CASES = {"main.tf": '''
    variable "name" {
      default = "st12"
    }
    ephemeral "azurerm_key_vault_secret" "k" {
      name         = "k"
      key_vault_id = "kv"
    }
    check "name" {
      assert {
        condition     = can(regex("^st[0-9]+\\\\z", var.name))
        error_message = "bad name"
      }
    }
    resource "azurerm_storage_account" "sa" {
      name                            = regex("^st[0-9]+\\\\z", var.name)
      shared_access_key_enabled       = regex("(", var.name) == "x"
      default_to_oauth_authentication = ceil(1e400) > 0
      https_traffic_only_enabled      = ephemeral.azurerm_key_vault_secret.k.value == "on"
      min_tls_version                 = nonsensitive("TLS1_2")
      allow_nested_items_to_be_public = false
      public_network_access_enabled   = false
      local_user_enabled              = false
    }
'''}


def test_issue_cases_through_the_cli_are_findings_with_reasons(tree, capsys):
    from pulse_gate.cli import main
    root = tree(ISSUE_CASES)
    code = main(["check", "--root", str(root), "--format", "json"])
    out = capsys.readouterr()
    assert code == 1 and out.err == ""
    import json
    messages = {f["attribute"]: f["message"] for f in json.loads(out.out)["findings"]}
    assert "invalid regexp pattern: missing ): (" in messages["shared_access_key_enabled"]
    assert "a number beyond the range the gate evaluates" in messages["default_to_oauth_authentication"]
    assert "ephemeral resource ephemeral.azurerm_key_vault_secret.k" in messages["https_traffic_only_enabled"]
    assert "name" not in messages and "min_tls_version" not in messages


def test_a_chain_of_references_too_deep_for_python_is_an_unknown_not_a_crash(env_model):
    depth = 200   # Terraform follows it; the gate's recursion cannot, and says so
    chain = "\n".join(f"  a{i} = local.a{i + 1}" for i in range(depth))
    model = env_model({"main.tf": f"locals {{\n{chain}\n  a{depth} = false\n}}\n"
                                  'resource "azurerm_storage_account" "sa" {\n'
                                  "  shared_access_key_enabled = local.a0\n"
                                  "  tried = try(local.a0, false)\n}\n"})
    values = model.by_address("azurerm_storage_account.sa").values
    assert "a chain of references too long for the gate to follow" in reason(values["shared_access_key_enabled"])
    assert isinstance(values["tried"], Unknown)    # try() does not turn the gate's limit into its fallback


def test_without_re2_regular_expressions_are_unknown_not_a_crash(monkeypatch):
    from pulse_gate.hcl import functions_regex
    monkeypatch.setattr(functions_regex, "re2", None)
    for name, args in (("regex", ("a", "a")), ("regexall", ("a", "a")), ("replace", ("a", "/a/", "b"))):
        assert "google-re2" in reason(FUNCTIONS[name](*args))
