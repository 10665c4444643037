"""regex, regexall and replace("/re/") with Terraform's regular expressions: RE2 syntax, Go's matching rules.

Python's `re` is not RE2 (it has lookaround, backreferences and possessive repetition, lacks `\\z`, `\\pL`,
`\\Q..\\E` and mid-pattern flags, and its `$` also matches before a final newline), so patterns are compiled by
RE2 itself (google-re2). What Go's regexp package, which Terraform uses, does differently from RE2 is handled
here: `\\C` is refused, and the iteration over matches follows Go (no empty match right after a match).
"""
from __future__ import annotations

import functools

from ..values import Unknown
from .functions_base import FunctionError, _str

try:
    import re2
except ImportError:   # a machine set up without requirements.txt: say so where a regex is used, not crash
    re2 = None
else:
    _OPTIONS = re2.Options()
    _OPTIONS.log_errors = False   # RE2 would print every rejected pattern on stderr

NO_ENGINE = Unknown("regular expressions need the google-re2 package, which is not installed (pip install -r "
                    "requirements.txt)")


def needs_engine(fn):
    """The function, or NO_ENGINE when RE2 is missing (never Python's re, whose syntax is not Terraform's)."""
    @functools.wraps(fn)
    def wrapped(*args):
        return NO_ENGINE if re2 is None else fn(*args)
    return wrapped


@functools.lru_cache(maxsize=256)
def compile_re2(pattern: str):
    """The compiled pattern, or FunctionError with Terraform's kind of message for one Terraform rejects."""
    if _has_escape(pattern, "C"):
        raise FunctionError(r"invalid regexp pattern: invalid escape sequence in \C")
    try:
        return re2.compile(pattern, options=_OPTIONS)
    except re2.error as exc:
        reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) else exc
        raise FunctionError(f"invalid regexp pattern: {reason}") from None


def _has_escape(pattern: str, letter: str) -> bool:
    r"""Whether the pattern holds the escape \<letter> outside a \Q..\E literal."""
    i, quoted = 0, False
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if quoted:
                quoted = nxt != "E"
            elif nxt == "Q":
                quoted = True
            elif nxt == letter:
                return True
            i += 2
            continue
        i += 1
    return False


def _matches(rx, s: str):
    """Every match, as Go's FindAll gives them: an empty match right after the previous match is skipped."""
    pos, prev_end = 0, -1
    while pos <= len(s):
        m = rx.search(s, pos)
        if m is None:
            return
        start, end = m.span()
        accept = True
        if end == start:
            accept = start != prev_end
            pos = end + 1
        else:
            pos = end
        prev_end = end
        if accept:
            yield m


def _captures(rx, m):
    """One match as Terraform returns it: the text without groups, a map with named groups, else a list;
    a group that did not take part is null."""
    if rx.groups == 0:
        return m.group(0)
    if rx.groupindex:
        return {name: m.group(i) for name, i in rx.groupindex.items()}
    return [m.group(i) for i in range(1, rx.groups + 1)]


def _checked(pattern):
    rx = compile_re2(_str(pattern))
    if rx.groupindex and len(rx.groupindex) != rx.groups:
        raise FunctionError("invalid regexp pattern: cannot mix both named and unnamed capture groups")
    return rx


@needs_engine
def regex(pattern, s):
    rx = _checked(pattern)
    m = rx.search(_str(s))
    if m is None:
        raise FunctionError("regex: pattern did not match any part of the given string")
    return _captures(rx, m)


@needs_engine
def regexall(pattern, s):
    rx = _checked(pattern)
    return [_captures(rx, m) for m in _matches(rx, _str(s))]


@needs_engine
def replace_all(pattern: str, s: str, template: str) -> str:
    """Go's Regexp.ReplaceAllString: $1, ${1}, $name and ${name} expand, $$ is a dollar."""
    rx = compile_re2(pattern)
    out, last_end, pos = [], 0, 0
    while pos <= len(s):
        m = rx.search(s, pos)
        if m is None:
            break
        start, end = m.span()
        out.append(s[last_end:start])
        if end > last_end or start == 0:   # no replacement for an empty match right after a match
            out.append(_expand(rx, m, template))
        last_end = end
        pos = pos + 1 if end <= pos else end
    out.append(s[last_end:])
    return "".join(out)


def _expand(rx, m, template: str) -> str:
    out, i = [], 0
    while i < len(template):
        c = template[i]
        if c != "$":
            out.append(c)
            i += 1
            continue
        if template.startswith("$$", i):
            out.append("$")
            i += 2
            continue
        name, rest = _group_name(template, i + 1)
        if name is None:   # malformed: the dollar is plain text
            out.append("$")
            i += 1
            continue
        out.append(_group_text(rx, m, name))
        i = rest
    return "".join(out)


def _group_name(template: str, i: int):
    """The group name after a $ at template[i:] and where the rest starts, or (None, i) if malformed."""
    brace = i < len(template) and template[i] == "{"
    j = i + 1 if brace else i
    k = j
    while k < len(template) and (template[k].isalnum() or template[k] == "_"):
        k += 1
    if k == j:
        return None, i
    if brace:
        if k >= len(template) or template[k] != "}":
            return None, i
        return template[j:k], k + 1
    return template[j:k], k


def _group_text(rx, m, name: str) -> str:
    if name.isascii() and name.isdigit():
        index = int(name)
    else:
        index = rx.groupindex.get(name)
    if index is None or index > rx.groups:
        return ""
    return m.group(index) or ""
