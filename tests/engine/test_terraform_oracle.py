"""The evaluator against real Terraform: each expression evaluated by the gate and by `terraform console`
(offline: the configuration uses no provider) must give the same value."""
import pytest

from .tf_oracle import needs_terraform, terraform_values

LOCALS = '''
locals {
  m    = { b = "B", a = "A" }
  nums = [3, 9, 4]
  tpl  = "hi $${name}!"
}
'''

EXPRESSIONS = {
    # numbers
    "arith": "[1 + 2 * 3, 10 / 4, 7 % 3, -7 % 3, 7 % -3, -7.5 % 2, 5 % 0, 0.1 + 0.2, 0.1 * 3, 2 - 0.5]",
    "eq": "[0.1 + 0.2 == 0.3, 1 == 1.0, \"1\" == 1, 1 < 2, 2 >= 2.5]",
    "numfns": "[abs(-2.5), ceil(1.2), floor(-1.5), signum(-3), min(3, 1, 2), max(1.5, 2), log(16, 2), pow(2, 10)]",
    "pow_float": "pow(3, 40)",
    "parseint": '[parseint("-FF", 16), parseint("zz", 36), parseint("aA", 62), parseint("0101", 2)]',
    "numstr": '[tostring(1.5e20), tostring(1e-7), tostring(2.50), tonumber("3"), tonumber("2.5")]',
    # strings
    "strings": '[chomp("x\\n\\n"), chomp("x\\r\\n"), indent(2, "a\\nb\\n\\nc"), strrev("abc"), title("hello world"),'
               ' upper("é"), lower("ÀB"), trimspace(" \\t a b \\n"), trim("?!hi!?", "!?"), substr("hello", -3, -1),'
               ' substr("hello", 1, 3), trimprefix("st-pulse", "st-"), trimsuffix("pulse-ui", "-ui")]',
    "predicates": '[startswith("https://x", "https://"), endswith("a.tf", ".tfvars"), strcontains("ab", "b")]',
    "format": 'format("%s-%03d|%-4s|%4s|%t|%.2f|%q|100%%|%x|%X|%o|%b|%+d|%5.1f", "app", 7, "ab", "cd", true,'
              ' 3.14159, "x", 255, 255, 8, 5, 5, 2.25)',
    "format_v": '[format("%v", 1234567), format("%v", 123456), format("%v", 0.0001), format("%v", 0.00001),'
                ' format("%v", 12345678901234567890), format("%v %v", "a", true), format("%s", 0.00001),'
                ' format("%v", ["<", 1.5, { b = 1, a = null }]), format("%q", "é<\\n\\t\\"x"),'
                ' format("%[2]s %[1]s %s", "a", "b"), format("%5s|%-5q|%05.1f|%d", "ab", "x", 2.25, "12"),'
                ' format("%.3s|%e|%g|%#v", "abcdef", 0, 1234567, { a = 1 })]',
    "formatlist": 'formatlist("%s=%s", ["a", "b"], ["1", "2"])',
    "split_join": '[split(",", "a,b,,c"), split("", "abc"), split(",", ""), [join("-", [1, true, "x"])]]',
    "replace": '[replace("a-b-c", "-", "_"), replace("abc", "", "-"), replace("a1b22", "/[0-9]+/", "#"),'
               ' replace("key=value", "/(\\\\w+)=(\\\\w+)/", "$2=$1"), replace("abc", "/b*/", "X"),'
               ' replace("abc", "/(b)/", "<$1x>"), replace("abc", "/(b)/", "<${1}x>")]',
    "regex": '[regex("^st[0-9]+\\\\z", "st12"), regex("[[:alpha:]]+", "ab1"), regex("\\\\pL+", "héllo1"),'
             ' regex("\\\\Qa.b\\\\E", "xa.b"), regex("a(?i)b", "aB")]',
    "regex_groups": '[regex("(\\\\d+)-(\\\\d+)", "x12-34"), regex("(a)(?:b)(c)?", "ab")]',
    "regex_named": 'regex("(?P<major>\\\\d+)\\\\.(?P<minor>\\\\d+)(?P<patch>-x)?", "v1.22")',
    "regexall": '[regexall("a*", "baaab"), regexall("\\\\d", "ab"), regexall("(\\\\w)(\\\\d)", "a1b2")]',
    "regex_edges": '[regexall("", "abc"), [replace("abc", "//", "-")], regexall("a|", "baab"),'
                   ' regexall("(?i)é", "ÉéE"), regexall("\\\\bw", "w ww_w éw"), regexall("\\\\d+", "١٢3"),'
                   ' regexall("[[:word:]]+", "a_b-c"), [regex("(?m)^b$", "a\\nb\\nc")],'
                   ' [replace("aaa", "/a/", "$$"), replace("abc", "/(?P<x>b)/", "$${x}$${0}$9"),'
                   ' replace("abc", "/b/", "$"), replace("héllo", "/./", "-"), replace("", "/x*/", "y")]]',
    # collections
    "coll": "[length(local.nums), length(\"héllo\"), keys(local.m), values(local.m), reverse(local.nums),"
            " sort([\"b\", \"a\", \"10\", \"9\"]), distinct([1, 2, 1]), flatten([[1, [2]], [], 3])]",
    "coll2": '[element(["a", "b", "c"], 4), index(["a", "b"], "b"), slice([1, 2, 3, 4], 1, 3), range(3),'
             ' range(1, 7, 2), range(0, 1, 0.25), range(0, 1, 0.1), range(3, 0), compact(["a", "", "b"]), one(["x"]),'
             ' sum([1, 2.5])]',
    "sets": '[setunion(["a", "b"], ["b", "c"]), setintersection(["a", "b", "c"], ["b", "c", "d"]),'
            ' setsubtract(["a", "b", "c"], ["b"]), setproduct(["a", "b"], ["x", "y"]), toset(["b", "a", "b"])]',
    "maps": '[merge(local.m, { c = "C" }), lookup(local.m, "z", "d"), zipmap(["a", "b"], [1, 2]),'
            ' transpose({ a = ["1", "2"], b = ["2", "3"] })]',
    "lists": '[chunklist(["a", "b", "c", "d", "e"], 2), matchkeys(["i-1", "i-2", "i-3"], ["a", "b", "a"], ["a"]),'
             ' concat([1], [2, 3]), coalescelist([], ["a"]), [coalesce("", "x")], [contains(["a"], "a")]]',
    "unify": '[[coalesce(1, "a")], distinct(["a", 1, "1"]), toset(["b", "a", 1]), setunion(["b"], ["a"]),'
             ' setsubtract(["b", "a"], []), [tomap({ a = 1, b = "x" })], toset([3, 1, 2]), tolist(["a", true])]',
    "case": '[upper("ß"), lower("İ"), title("ÿes hello_world 1st it\'s ǆemal"), tostring(1.0),'
            ' tostring(0.1 + 0.7)]',
    "cond": '[true ? 1 : "x", false ? "x" : true, true ? 1 : 2, false ? local.m.zz : "d", sum([0.1, 0.2])]',
    "bools": "[alltrue([true, \"true\"]), alltrue([]), anytrue([false, true]), anytrue([])]",
    # encodings and hashes
    "json": 'jsonencode({ b = [1, true, null, 1.5e20, 0.0000001], a = "x<y&z>\\n\\té" })',
    "jsondecode": '[jsondecode("{\\"a\\": [1, 2.5], \\"b\\": null}"), jsondecode("[1.0, 1e3, 0.1]")]',
    "encodings": '[base64encode("hi"), base64decode("aGk="), urlencode("a b/c?d=é~_.-"),'
                 ' textencodebase64("Hello", "UTF-16LE"), textdecodebase64("SABlAGwAbABvAA==", "UTF-16LE")]',
    "csv": '[csvdecode("a,b\\n1,2\\n\\"x,y\\",3\\n"), csvdecode("a,b\\r\\n\\"x \\"\\"q\\"\\"\\",\\n\\n")]',
    "hashes": '[md5("a"), sha1("a"), sha256("a"), sha512("a"), base64sha256("hello"), base64sha512("a"),'
              ' uuidv5("dns", "www.terraform.io"), uuidv5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "x")]',
    # networks
    "cidr": '[cidrsubnet("10.0.0.0/16", 8, 2), cidrsubnet("10.10.0.0/16", 4, 15), cidrhost("10.0.1.0/24", 5),'
            ' cidrhost("10.0.1.0/24", -1), cidrnetmask("172.16.0.0/12"), cidrsubnet("fd00::/56", 8, 3)]',
    "cidrsubnets": '[cidrsubnets("10.1.0.0/16", 4, 4, 8, 4), cidrsubnets("fd00::/64", 8, 8), cidrsubnets("::/64")]',
    # dates
    "dates": '[timeadd("2017-11-22T00:00:00Z", "1h30m1.5s"), timeadd("2017-11-22T00:00:00+02:00", "-10m"),'
             ' timecmp("2017-11-22T00:00:00Z", "2017-11-22T01:00:00+01:00"),'
             ' timecmp("2017-11-22T00:00:01Z", "2017-11-22T00:00:00Z"),'
             ' formatdate("EEEE, DD-MMM-YY hh:mm:ss ZZZ", "2018-01-02T23:12:01Z"),'
             ' formatdate("YYYY-MM-DD\'T\'HH:mm AA h/H ZZZZZ ZZZZ Z M/D EEE MMMM \'\'", "2018-01-02T03:04:05-08:00")]',
    # paths
    "paths": '[basename("/a/b/"), basename(""), basename("/"), dirname("a"), dirname("/a/b/"), dirname("a//b"),'
             ' dirname("/"), pathexpand("a/b")]',
    # types and templates
    "conv": '[tostring(5), tostring(true), tobool("true"), tolist(["a"]), tomap({ a = 1 })]',
    "sens": '[nonsensitive(sensitive("s")), nonsensitive("x")]',
    "tpl": 'templatestring(local.tpl, { name = "you" })',
    "for": '{ for k, v in local.m : v => k }',
    "template": '"${local.m.a}-%{ for n in local.nums }${n},%{ endfor }-${1.5}-${true}"',
}


@needs_terraform
def test_gate_and_terraform_agree(evaluate, tmp_path):
    ours = evaluate(EXPRESSIONS, extra=LOCALS)
    theirs = terraform_values(tmp_path, {"main.tf": LOCALS}, EXPRESSIONS)
    wrong = {k: (ours[k], theirs[k]) for k in EXPRESSIONS if ours.get(k) != theirs[k]}
    assert wrong == {}


FILES = {
    "files/x.json": '{"a": 1}\n', "files/y.txt": "héllo\n", "files/a/z.json": "{}", "files/a/b/w.json": "[]",
    "files/.hid/h.json": "", "files/.dot.json": "", "files/sp ace.json": "",
    "files/app.tftpl": "app=${upper(name)} %{ for p in ports }${p};%{ endfor }\n",
}
FILE_EXPRESSIONS = {
    "globs": '[fileset("files", "*.json"), fileset("files", "**/*.json"), fileset("files", "**"),'
             ' fileset("files", "{x,y}.*"), fileset("files", "a/*"), fileset("files", "?.json"),'
             ' fileset("files", "[xy].*"), fileset("${path.module}/files", "a/**/*.json"), fileset("files", "a"),'
             ' fileset("files", "nope/*"), fileset("files", "[!x]*.*"),'
             ' fileset("files", "[^x]*.*"), fileset("files", "a/{z,q}.json"), fileset("files", "{a,.hid}/*.json")]',
    "read": '[file("files/y.txt"), filebase64("files/y.txt"), fileexists("files/x.json"), fileexists("files/no")]',
    "digests": '[filemd5("files/y.txt"), filesha1("files/y.txt"), filesha256("files/y.txt"),'
               ' filesha512("files/y.txt"), filebase64sha256("files/y.txt"), filebase64sha512("files/y.txt")]',
    "decoded": 'jsondecode(file("files/x.json"))',
    "template": 'templatefile("files/app.tftpl", { name = "web", ports = [80, 443] })',
}


@needs_terraform
def test_file_functions_agree_with_terraform(env_model, tmp_path):
    body = "\n".join(f"  {k} = {v}" for k, v in FILE_EXPRESSIONS.items())
    model = env_model({**FILES, "main.tf": f'resource "azurerm_thing" "probe" {{\n{body}\n}}\n'})
    ours = model.by_address("azurerm_thing.probe").values
    theirs = terraform_values(tmp_path, {**FILES, "main.tf": "locals {}\n"}, FILE_EXPRESSIONS)
    assert {k: ours[k] for k in FILE_EXPRESSIONS} == theirs


def test_file_function_errors_as_in_terraform(evaluate):
    v = evaluate({"dir": 'fileexists("envs")', "tried": 'try(fileexists("envs"), "fb")',
                  "glob": 'fileset(".", "a/{b/*,z}.json")'})
    assert v["glob"].reason.startswith("cannot evaluate main.tf:4: fileset: syntax error in pattern")
    assert v["dir"].reason == 'cannot evaluate main.tf:2: fileexists(): "envs" is a directory, not a file'
    assert v["tried"] == "fb"


YAML_SCALARS = ["yes", "Off", "n", "YES", "yES", "tRUE", "~", "null", "Null", "~x", "010", "08", "00", "+12", "-5",
                "0o17", "0O17", "-0o17", "0x1F", "+0x10", "0X10", "0x", "0b11", "1_000", "1E3", "1e+3", "1e-3",
                "12e03", "1.5E-3", "-.5", "0.", "1e", ".e3", "1.2.3", "99999999999999999999", "0xFFFFFFFFFFFFFFFF",
                "2001-12-14", "2002-1-3", "2001-12-14t21:59:43Z", "2001-12-14T21:59:43.10-05:00",
                "2001-12-14T1:59:43Z", "2001-12-14T21:59:43", "2001-12-14 21:59:43.10 -5", "1:20", "12:30",
                "!!int 010", "!!int 0x1F", "!!float 1", "!!float .5e1", "!!bool yes", "!!null x", "!!str",
                "!!str 1.0", "!!timestamp 2001-12-14", "!!binary aGk=", "'x''y'", '\\"yes\\"', "NaN"]
YAML_DOCS = {
    "scalars": "yamldecode(local.scalars)",
    "keys": 'yamldecode("1.50: a\\n010: b\\n0x1F: c\\nyes: d\\ntrue: e\\n")',
    "nested": 'yamldecode("a: &x {k: [1, two, {c: d}]}\\nb: *x\\nc:\\n  <<: *x\\n  e: 2\\nd: |\\n  lit\\n  eral\\n")',
    "dupes": 'yamldecode("{a: 1, a: 2}")',
    "list": 'yamldecode("- 1\\n- a\\n-\\n- [x]\\n")',
}


@needs_terraform
def test_yamldecode_agrees_with_terraform(env_model, tmp_path):
    scalars = "".join(f"s{i}: {v}\\n" for i, v in enumerate(YAML_SCALARS))
    locals_tf = f'locals {{\n  scalars = "{scalars}"\n}}\n'
    body = "\n".join(f"  {k} = {v}" for k, v in YAML_DOCS.items())
    model = env_model({"main.tf": locals_tf + f'resource "azurerm_thing" "probe" {{\n{body}\n}}\n'})
    ours = model.by_address("azurerm_thing.probe").values
    theirs = terraform_values(tmp_path, {"main.tf": locals_tf}, YAML_DOCS)
    assert {k: ours[k] for k in YAML_DOCS} == theirs


@pytest.mark.parametrize("doc,message", [
    ("", "missing start of document"),
    ("a: 1\\n---\\nb: 2\\n", "found another document"),
    ("a: !custom x", 'unsupported tag "!custom"'),
    ("a: .nan", "floating point NaN is not supported"),
    ("a: 0xFFFFFFFFFFFFFFFFFF", "cannot parse"),
    ("a: 1\\n~: 2\\n", "mapping key cannot be null"),
])
def test_yaml_terraform_rejects(evaluate, doc, message):
    value = evaluate({"v": f'yamldecode("{doc}")'})["v"]
    assert message in value.reason
