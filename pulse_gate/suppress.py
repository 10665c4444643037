"""Inline suppressions: a sanctioned, reviewed, expiring way to accept one finding.

    # pulse-gate:ignore=RB002 reason="read-only reporting role, approved in #123" expires=2027-03-31

Where the comment goes (docs/rules/suppressions.md), as checkov and tflint place theirs:
- on the line before a `resource` or `data` block: it covers that rule's findings anywhere in the block;
- on the line before an attribute (or any other line), or at the end of that line: it covers that rule's
  findings reported at that line;
- in a .tf.json file, as the block's "//" comment property (Terraform ignores it): it covers the block.
Stacked comment lines all apply to the first line of code below them. `//` works as well as `#`.

A suppression needs a reason; past its expiry date (the end of that day) it no longer applies. The gate's own
rules SU001-SU003 report one that is malformed, expired, or covers nothing, so none can rot silently. Suppressed
findings stay in the result, marked with the reason and where the comment is.
"""
from __future__ import annotations

import datetime
import json
import os
import re
from dataclasses import dataclass, field, replace
from typing import Iterable

from .model import Model, Resource
from .rules.base import RULES, Finding, Rule

MARKER = "pulse-gate:ignore="
COMMENT = re.compile(r"(#|//)\s*pulse-gate:ignore=")
BLOCK_HEADER = re.compile(r'^\s*(resource|data)\s+"([^"]+)"\s+"([^"]+)"')
IDS = re.compile(r"pulse-gate:ignore=([A-Za-z0-9_,]*)")
REASON = re.compile(r'\breason="([^"]*)"')
EXPIRES = re.compile(r"\bexpires=(\S+)")
SYNTAX = 'write # pulse-gate:ignore=<RULE> reason="<why>" [expires=YYYY-MM-DD]'
# Azure Policy's exemptions are the same idea: a reason, a category, an expiry.
LEARN = "https://learn.microsoft.com/azure/governance/policy/concepts/exemption-structure"


@dataclass
class Suppression:
    rule_ids: tuple[str, ...]
    reason: str
    expires: datetime.date | None
    file: str                   # as findings name files: relative to the root
    line: int                   # the comment's own line
    target_line: int            # the line it covers
    block: tuple[str, str, str] | None = None   # (mode, type, name) of the block it covers
    problem: str = ""           # why it is not a valid suppression ("" when it is)
    used: set = field(default_factory=set)      # rule ids it suppressed a finding of

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def expired(self, today: datetime.date) -> bool:
        return self.expires is not None and today > self.expires

    def covers(self, f: Finding, res: Resource | None) -> bool:
        if f.rule_id not in self.rule_ids:
            return False
        if self.block is not None and res is not None and res.file == self.file \
                and (res.mode, res.type, res.name) == self.block:
            return True
        return f.file == self.file and f.line == self.target_line


def parse(text: str, file: str, line: int, target_line: int, block=None) -> Suppression:
    """One suppression from its comment text; what is wrong with it goes into .problem, never an exception."""
    ids = tuple(i for i in (IDS.search(text).group(1) if IDS.search(text) else "").upper().split(",") if i)
    reason_match = REASON.search(text)
    reason = reason_match.group(1).strip() if reason_match else ""
    problems = []
    if not ids:
        problems.append("names no rule")
    unknown = [i for i in ids if i not in RULES]
    if unknown:
        problems.append(f"names no rule the gate has: {', '.join(unknown)}")
    if not reason:
        problems.append('has no reason="..."')
    expires = None
    expires_match = EXPIRES.search(text)
    if expires_match:
        try:
            expires = datetime.date.fromisoformat(expires_match.group(1).strip('"'))
        except ValueError:
            problems.append(f"expires={expires_match.group(1)} is not a date (YYYY-MM-DD)")
    return Suppression(ids, reason, expires, file, line, target_line, block, "; ".join(problems))


def scan_hcl(text: str, file: str) -> list[Suppression]:
    # Lines as Terraform counts them (LF only; a CR before it dropped): str.splitlines() would also split at form
    # feeds, U+2028 and others that HCL allows inside strings, and the lexer's line numbers would point elsewhere.
    lines = [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]
    comments, code_lines = _lex(text)
    out = []
    for number, column in comments:
        line = lines[number - 1]
        match = COMMENT.match(line, column)
        if not match:
            continue
        target = number
        if number not in code_lines:   # a comment line: it covers the next line of code
            target = next((n for n in range(number + 1, len(lines) + 1) if n in code_lines), number)
        header = BLOCK_HEADER.match(lines[target - 1]) if target <= len(lines) else None
        block = ("managed" if header.group(1) == "resource" else "data", header.group(2), header.group(3)) \
            if header else None
        out.append(parse(line[column:], file, number, target, block))
    return out


HEREDOC = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")


def _lex(text: str) -> tuple[list[tuple[int, int]], set[int]]:
    """(line, column) of every `#` and `//` line comment of HCL native syntax, and the lines holding code.

    Comment-like text inside a quoted string, a template interpolation, a heredoc or a `/* */` comment is not a
    comment: a suppression written there (or a value that merely looks like one) must not silence a finding."""
    comments, code = [], set()
    line, col_base, i, n = 1, 0, 0, len(text)
    # Stack of what encloses position i: "str" (a quoted template) or "expr" (inside ${...}/%{...}; the int on top
    # of braces counts the object braces opened inside it).
    stack: list[str] = []
    braces: list[int] = []

    def newline(at):
        nonlocal line, col_base
        line += 1
        col_base = at + 1

    while i < n:
        ch = text[i]
        if ch == "\n":
            newline(i)
            i += 1
            continue
        if stack and stack[-1] == "str":
            if ch == "\\":
                if text.startswith("\n", i + 1):
                    newline(i + 1)
                i += 2
                continue
            if ch == '"':
                stack.pop()
            elif ch in "$%" and text.startswith(ch + ch + "{", i):   # $${ and %%{ are literal text
                i += 3
                continue
            elif ch in "$%" and text.startswith("{", i + 1):
                stack.append("expr")
                braces.append(0)
                i += 2
                continue
            i += 1
            continue
        # Code: the top level or an interpolation.
        if ch == "#" or text.startswith("//", i):
            if not stack:
                comments.append((line, i - col_base))
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            for at in range(i, end):
                if text[at] == "\n":
                    newline(at)
            i = end
            continue
        if not ch.isspace():
            code.add(line)
        if ch == '"':
            stack.append("str")
        elif ch == "{" and stack:
            braces[-1] += 1
        elif ch == "}" and stack:
            if braces[-1]:
                braces[-1] -= 1
            else:
                stack.pop()
                braces.pop()
        elif text.startswith("<<", i):
            heredoc = HEREDOC.match(text, i)
            if heredoc:
                marker = heredoc.group(1)
                i = heredoc.end() - 1    # at the newline that opens the body
                while i < n:
                    newline(i)
                    end = text.find("\n", i + 1)
                    body = text[i + 1: n if end < 0 else end]
                    code.add(line)
                    i = n if end < 0 else end
                    if body.strip() == marker:
                        break
                continue
        i += 1
    return comments, code


def scan_json(text: str, file: str) -> list[Suppression]:
    """The "//" comment property of a resource or data block in a .tf.json file."""
    try:
        doc = json.loads(text)
    except ValueError:
        return []   # the front-end reports invalid JSON with its line; nothing to add here
    out = []
    for key, mode in (("resource", "managed"), ("data", "data")):
        for by_type in _objects(doc.get(key) if isinstance(doc, dict) else None):
            for rtype, by_name in by_type.items():
                for named in _objects(by_name):
                    for name, body in named.items():
                        for b in _objects(body):
                            comment = b.get("//")
                            if isinstance(comment, str) and MARKER in comment:
                                line = _line_of(text, comment)
                                out.append(parse(comment, file, line, line, (mode, rtype, name)))
    return out


def _objects(value) -> list[dict]:
    """Terraform JSON allows an object or an array of objects wherever a block map goes."""
    if isinstance(value, dict):
        return [value]
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _line_of(text: str, comment: str) -> int:
    at = text.find(json.dumps(comment)[1:-1])
    return text.count("\n", 0, at) + 1 if at >= 0 else 1


def scan(root: str, files: Iterable[str]) -> list[Suppression]:
    out = []
    for file in sorted(set(files)):
        path = os.path.join(root, file)
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError):
            continue   # not a file the front-end read as text (or gone): it holds no suppression
        if MARKER not in text:
            continue
        out += scan_json(text, file) if file.endswith(".json") else scan_hcl(text, file)
    return out


def configuration_files(models: list[Model], findings: list[Finding]) -> set[str]:
    """Every file the models were built from or a finding points at (relative to the root)."""
    files = {f.file for f in findings}
    for m in models:
        for res in (*m.resources, *m.providers, *([m.backend] if m.backend else [])):
            files.add(res.file)
            files.update(at[0] for at in res.lines.values() if isinstance(at, tuple))
        files.update(v.file for v in m.variables)
        files.update(a.file for a in m.tfvars)
    return {f for f in files if f}


def apply(root: str, models: list[Model], findings: list[Finding], ran: Iterable[str],
          today: datetime.date | None = None) -> list[Finding]:
    """findings with the suppressed ones marked, plus SU findings for suppressions that are malformed, expired or
    cover nothing. ran: the rule ids that ran (a suppression of a rule that did not run is not unused)."""
    today = today or datetime.date.today()
    suppressions = scan(root, configuration_files(models, findings))
    if not suppressions:
        return findings
    active = [s for s in suppressions if not s.problem and not s.expired(today)]
    index = {m.env: {r.address: r for r in m.resources} for m in models}
    out = []
    for f in findings:
        res = index.get(f.env, {}).get(f.address)
        s = next((s for s in active if s.covers(f, res)), None)
        if s is not None:
            s.used.add(f.rule_id)
            f = replace(f, suppressed=s.reason, suppression=s.where)
        out.append(f)
    return out + _problems(suppressions, today, set(ran))


def _problems(suppressions: list[Suppression], today: datetime.date, ran: set) -> list[Finding]:
    out = []
    for s in suppressions:
        if s.problem:
            out.append(_finding(SU001, s, f"suppression {s.problem}, so it suppresses nothing", SYNTAX))
        elif s.expired(today):
            out.append(_finding(SU002, s, f"suppression of {', '.join(s.rule_ids)} expired on {s.expires} "
                                f"(reason given: {s.reason})",
                                "fix what it suppressed, or have the exception reviewed again and renew expires="))
        else:
            idle = [i for i in s.rule_ids if i in ran and i not in s.used]
            if idle:
                out.append(_finding(SU003, s, f"suppression of {', '.join(idle)} covers no finding of "
                                    f"{'that rule' if len(idle) == 1 else 'those rules'} (line {s.target_line})",
                                    "remove it; if the finding moved, put the comment on the line before the "
                                    "block or attribute it is reported at"))
    return out


def _finding(rule: Rule, s: Suppression, message: str, hint: str) -> Finding:
    return Finding(rule.id, rule.name, "all", f"{MARKER}{','.join(s.rule_ids) or '?'}", "", s.file, s.line,
                   message, hint, rule.severity)


def _rule(rule_id: str, name: str, title: str, rationale: str, severity: str = "error") -> Rule:
    return Rule(rule_id, name, title, None, severity, ("comment",), rationale, LEARN)


SU001 = _rule("SU001", "suppression_well_formed", "Every suppression names known rules and gives a reason",
              "An exception nobody can read the reason of cannot be reviewed; one naming a rule the gate does not "
              "have protects nothing and hides a typo.")
SU002 = _rule("SU002", "suppression_not_expired", "No suppression is past its expiry date",
              "An accepted risk is accepted for a time; past it the finding comes back and so does the decision.")
SU003 = _rule("SU003", "suppression_used", "Every suppression covers a finding",
              "A suppression that covers nothing is left over from a fixed finding, or sits on the wrong line; "
              "left in place it would silently accept the next finding there.", "warning")
SUPPRESSION_RULES = {r.id: r for r in (SU001, SU002, SU003)}
