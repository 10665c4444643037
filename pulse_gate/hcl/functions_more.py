"""The rest of Terraform's deterministic functions: numbers, strings, collections, encodings, hashes, networks,
dates and paths. Each was checked against `terraform console` (Terraform 1.11); what depends on the machine, the
clock or randomness is not here but in functions.NOT_AT_PLAN, an Unknown naming the function.
"""
from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
import ipaddress
import math
import os
import posixpath
import re
import unicodedata
import urllib.parse
import uuid

from ..values import Ref, Unknown, is_known
from .functions_base import (FunctionError, _collection, _int, _need, _number, _shallow, _str, _strfn, _tidy,
                             arith, graphemes_unknown)


# ---- numbers ----------------------------------------------------------------------------------------------------
def log(x, base):
    """math.Log(x) / math.Log(base) in float64, as Terraform computes it."""
    if x <= 0 or base <= 0 or base == 1:
        return Unknown(f"log({_str(x)}, {_str(base)}) is not a finite number")
    return math.log(x) / math.log(base)


def pow_(x, y):
    """math.Pow in float64, as Terraform computes it (so pow(3, 40) loses the same digits)."""
    try:
        result = float(x) ** float(y)
    except ZeroDivisionError:
        result = None
    if not isinstance(result, float) or not math.isfinite(result):   # Python gives a complex for (-8) ** 0.5
        return Unknown(f"pow({_str(x)}, {_str(y)}) is not a finite number")
    return result


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


@_strfn
def parseint(s, base):
    """Go's big.Int SetString: bases 2 to 62, digits 0-9a-z then A-Z above base 36 (case-insensitive below)."""
    s, base = _str(s), _int(base, "parseint")
    if not 2 <= base <= 62:
        raise FunctionError("parseint: base must be a whole number between 2 and 62 inclusive")
    sign, digits = (-1, s[1:]) if s.startswith("-") else (1, s[1:] if s.startswith("+") else s)
    value = 0
    for c in digits:
        d = _DIGITS.find(c.lower() if base <= 36 else c)
        if d < 0 or d >= base:
            d = -1
        if d < 0:
            raise FunctionError(f"parseint: cannot parse {s!r} as a base {base} integer")
        value = value * base + d
    if not digits:
        raise FunctionError(f"parseint: cannot parse {s!r} as a base {base} integer")
    return sign * value


# ---- strings ----------------------------------------------------------------------------------------------------
@_strfn
def chomp(s):
    return re.sub(r"(?:\r\n|\r|\n)+\Z", "", _str(s))


@_strfn
def indent(n, s):
    pad = " " * _int(n, "indent")
    return _str(s).replace("\n", "\n" + pad)


@_strfn
def strrev(s):
    return graphemes_unknown("strrev", _str(s)) or _str(s)[::-1]


# Go maps case one code point at a time (unicode.ToUpper): "ß" stays "ß", "İ" lowers to "i"; Python's full case
# mapping would give "SS" and "i̇".
@_strfn
def upper(s):
    return "".join(u if len(u := c.upper()) == 1 else c for c in _str(s))


@_strfn
def lower(s):
    return "".join(c.lower()[0] for c in _str(s))


@_strfn
def title(s):
    """Go's strings.Title: the first letter after a separator (a blank, or ASCII other than letters, digits
    and _) in title case; Python's str.title would also capitalise after _, digits and apostrophes of any kind."""
    out, prev = [], " "
    for c in _str(s):
        out.append((t if len(t := c.title()) == 1 else c) if _separator(prev) else c)
        prev = c
    return "".join(out)


def _separator(c: str) -> bool:
    if c.isascii():
        return not (c.isalnum() or c == "_")
    if c.isalpha() or unicodedata.category(c) == "Nd":
        return False
    return c.isspace()


# ---- collections ------------------------------------------------------------------------------------------------
def chunklist(lst, size):
    if (u := _shallow(lst)) is not None or (u := _need(size)) is not None:
        return Unknown(f"chunklist of {u}")
    items, size = _collection(lst, "chunklist"), _int(size, "chunklist")
    if size < 0:
        raise FunctionError("chunklist: the size must not be negative")
    if size == 0:
        return [list(items)]
    return [items[i:i + size] for i in range(0, len(items), size)]


def matchkeys(values, keys, searchset):
    if (u := _need(keys, searchset)) is not None or (u := _shallow(values)) is not None:
        return Unknown(f"matchkeys over {u}")
    values, keys = _collection(values, "matchkeys"), _collection(keys, "matchkeys")
    if len(values) != len(keys):
        raise FunctionError("matchkeys: length of keys and values should be equal")
    wanted = _collection(searchset, "matchkeys")
    return [v for v, k in zip(values, keys) if k in wanted]


def setproduct(*sets):
    if (u := _need(*sets)) is not None:
        return Unknown(f"setproduct of {u}")
    if len(sets) < 2:
        raise FunctionError("setproduct: at least two arguments are required")
    out = [[]]
    for s in sets:
        out = [prefix + [x] for prefix in out for x in _collection(s, "setproduct")]
    return out


def transpose(m):
    if (u := _need(m)) is not None:
        return Unknown(f"transpose of {u}")
    if not isinstance(m, dict):
        raise FunctionError("transpose: a map of lists of strings is required")
    out: dict = {}
    for key in sorted(m):
        for v in _collection(m[key], "transpose"):
            out.setdefault(_str(v), []).append(key)
    return {k: sorted(v) for k, v in sorted(out.items())}


def range_(*args):
    """range with Terraform's rules: fractional steps allowed, at most 1024 elements."""
    if (u := _need(*args)) is not None:
        return Unknown(f"range over {u}")
    nums = [_number(a, "range") for a in args]
    if not 1 <= len(nums) <= 3:
        raise FunctionError("range: one to three arguments are required")
    start, end, step = (0, nums[0], None) if len(nums) == 1 else (nums[0], nums[1], nums[2] if len(nums) == 3
                                                                    else None)
    if step is None:
        step = 1 if end >= start else -1
    if step == 0:
        raise FunctionError("range: step must not be zero")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise FunctionError("range: the step must go from start towards the limit")
    out, value = [], start
    while value < end if step > 0 else value > end:
        if len(out) >= 1024:
            raise FunctionError("range: more than 1024 values were generated")
        out.append(_tidy(value))
        value = arith("+", value, step)   # in decimal: range(0, 1, 0.1) has 0.3, not 0.30000000000000004
    return out


def element(lst, idx):
    if (u := _shallow(lst)) is not None or (u := _need(idx)) is not None:
        return Unknown(f"element of {u}")
    items, idx = _collection(lst, "element"), _int(idx, "element")
    if not items:
        raise FunctionError("element: cannot use element function with an empty list")
    if idx < 0:
        raise FunctionError("element: cannot use element function with a negative index")
    return items[idx % len(items)]


@_strfn
def split(sep, s):
    sep, s = _str(sep), _str(s)
    return list(s) if sep == "" else s.split(sep)


# ---- encodings and hashes ---------------------------------------------------------------------------------------
@_strfn
def csvdecode(s):
    """RFC 4180 as Go reads it: a header row, then records of exactly as many fields."""
    if _bare_quote(_str(s)):
        raise FunctionError('csvdecode: bare " in non-quoted field')
    try:
        rows = list(csv.reader(io.StringIO(_str(s)), strict=True))
    except csv.Error as exc:
        raise FunctionError(f"csvdecode: {exc}") from None
    rows = [r for r in rows if r]
    if not rows:
        raise FunctionError("csvdecode: missing header line")
    header = rows[0]
    for n, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise FunctionError(f"csvdecode: record {n} has {len(row)} fields, the header {len(header)}")
    return [dict(zip(header, row)) for row in rows[1:]]


def _bare_quote(text: str) -> bool:
    """A quote inside a field that does not start with one: Go's reader refuses it, Python's keeps it."""
    at_start, quoted, i = True, False, 0
    while i < len(text):
        c = text[i]
        if quoted:
            if c == '"' and text[i + 1:i + 2] == '"':
                i += 1
            elif c == '"':
                quoted = False
        elif c == '"':
            if not at_start:
                return True
            quoted = True
        at_start = not quoted and c in ",\r\n"
        i += 1
    return False


@_strfn
def urlencode(s):
    return urllib.parse.quote_plus(_str(s), safe="~")


# IANA names Terraform accepts for which Python's codec is the same encoding (no byte-order mark is written)
_TEXT_ENCODINGS = {"utf-8": "utf-8", "utf-16le": "utf-16-le", "utf-16be": "utf-16-be", "iso-8859-1": "latin-1",
                   "us-ascii": "ascii", "windows-1252": "cp1252", "utf-32le": "utf-32-le", "utf-32be": "utf-32-be"}


def _codec(name, fn):
    codec = _TEXT_ENCODINGS.get(_str(name).lower())
    if codec is None:
        return None, Unknown(f"{fn}(): the encoding {name!r} is not one the gate evaluates")
    return codec, None


@_strfn
def textencodebase64(s, encoding):
    codec, unknown = _codec(encoding, "textencodebase64")
    if unknown:
        return unknown
    try:
        return base64.b64encode(_str(s).encode(codec)).decode()
    except UnicodeEncodeError:
        raise FunctionError(f"textencodebase64: the string cannot be encoded in {encoding}") from None


@_strfn
def textdecodebase64(s, encoding):
    codec, unknown = _codec(encoding, "textdecodebase64")
    if unknown:
        return unknown
    try:
        return base64.b64decode(_str(s), validate=True).decode(codec)
    except (ValueError, UnicodeDecodeError):
        raise FunctionError(f"textdecodebase64: the string is not base64 text in {encoding}") from None


@_strfn
def base64decode(s):
    try:
        return base64.b64decode(_str(s), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        raise FunctionError("base64decode: the string is not base64-encoded UTF-8") from None


def _digest(algorithm: str, b64: bool):
    def fn(s):
        digest = hashlib.new(algorithm, _str(s).encode())
        return base64.b64encode(digest.digest()).decode() if b64 else digest.hexdigest()
    fn.__name__ = f"{'base64' if b64 else ''}{algorithm}"
    return _strfn(fn)


# ---- identifiers and networks -----------------------------------------------------------------------------------
_UUID_NAMESPACES = {"dns": uuid.NAMESPACE_DNS, "url": uuid.NAMESPACE_URL, "oid": uuid.NAMESPACE_OID,
                    "x500": uuid.NAMESPACE_X500}


@_strfn
def uuidv5(namespace, name):
    ns = _UUID_NAMESPACES.get(_str(namespace))
    if ns is None:
        try:
            ns = uuid.UUID(_str(namespace))
        except ValueError:
            raise FunctionError(f"uuidv5: {namespace!r} is neither a namespace name nor a UUID") from None
    return str(uuid.uuid5(ns, _str(name)))


def _network(prefix, fn):
    try:
        return ipaddress.ip_network(_str(prefix), strict=False)
    except ValueError as exc:
        raise FunctionError(f"{fn}: invalid CIDR expression: {exc}") from None


@_strfn
def cidrnetmask(prefix):
    net = _network(prefix, "cidrnetmask")
    if net.version != 4:
        raise FunctionError("cidrnetmask: only IPv4 prefixes have a netmask")
    return str(net.netmask)


def cidrsubnets(prefix, *newbits):
    """Consecutive subnets of the given sizes, each aligned after the previous one (hashicorp/go-cidr)."""
    if (u := _need(prefix, *newbits)) is not None:
        return Unknown(f"cidrsubnets of {u}")
    net = _network(prefix, "cidrsubnets")
    if newbits and int(net.network_address) == 0:
        # go-cidr starts from the subnet before the prefix, which wraps around for a prefix at address zero:
        # Terraform then finds no room at all
        raise FunctionError("cidrsubnets: not enough remaining address space for a subnet after the prefix "
                            f"{prefix} (Terraform's wrap-around at address zero)")
    out, next_start = [], int(net.network_address)
    for bits in newbits:
        length = net.prefixlen + _int(bits, "cidrsubnets")
        if length > net.max_prefixlen or _int(bits, "cidrsubnets") < 1:
            raise FunctionError(f"cidrsubnets: would extend the prefix to {length} bits, which is not valid")
        size = 1 << (net.max_prefixlen - length)
        start = -(-next_start // size) * size   # align up to the subnet size
        if start + size - 1 > int(net.broadcast_address):
            raise FunctionError("cidrsubnets: not enough remaining address space for a subnet with a prefix of "
                                f"{length} bits")
        out.append(str(type(net)((start, length))))   # the prefix's own family: a small IPv6 start is no IPv4
        next_start = start + size
    return out


# ---- dates ------------------------------------------------------------------------------------------------------
_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def _timestamp(text, fn):
    m = _RFC3339.match(_str(text))
    if not m:
        raise FunctionError(f"{fn}: {text!r} is not a valid RFC3339 timestamp")
    y, mo, d, h, mi, s = (int(g) for g in m.groups()[:6])
    frac = m.group(7) or ""
    zone = m.group(8)
    tz = dt.timezone.utc if zone in ("Z", "z") else dt.timezone(
        (1 if zone[0] == "+" else -1) * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
    micro = int((frac[1:] + "000000")[:6]) if frac else 0
    try:
        return dt.datetime(y, mo, d, h, mi, s, micro, tzinfo=tz), frac
    except ValueError as exc:
        raise FunctionError(f"{fn}: {text!r}: {exc}") from None


def _rfc3339(t: dt.datetime) -> str:
    off = t.utcoffset()
    if off == dt.timedelta(0):
        zone = "Z"
    else:
        minutes = int(off.total_seconds() // 60)
        zone = f"{'+' if minutes >= 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return t.strftime("%Y-%m-%dT%H:%M:%S") + zone   # Go's time.RFC3339 layout: no fraction of a second


_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}


def _duration(text, fn) -> dt.timedelta:
    """Go's time.ParseDuration ("1h30m", "-1.5h", "300ms")."""
    s = _str(text)
    m = re.fullmatch(r"([+-]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+|0)", s)
    if not m:
        raise FunctionError(f"{fn}: invalid duration {s!r}")
    seconds = sum(float(n) * _DURATION_UNITS[u] for n, u in re.findall(r"(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)",
                                                                        m.group(2)))
    return dt.timedelta(seconds=-seconds if m.group(1) == "-" else seconds)


@_strfn
def timeadd(ts, duration):
    t, _ = _timestamp(ts, "timeadd")
    return _rfc3339(t + _duration(duration, "timeadd"))


@_strfn
def timecmp(a, b):
    ta, _ = _timestamp(a, "timecmp")
    tb, _ = _timestamp(b, "timecmp")
    return (ta > tb) - (ta < tb)


_DATE_TOKENS = re.compile(r"''|'(?:[^']|'')*'|([A-Za-z])\1*|.", re.S)   # a quoted literal, a run of one letter


@_strfn
def formatdate(spec, ts):
    """Terraform's formatdate: the tokens of its documentation; letters that are no token are an error."""
    t, _ = _timestamp(ts, "formatdate")
    off = t.utcoffset()
    minutes = int(off.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hh12 = t.hour % 12 or 12
    table = {
        "YYYY": f"{t.year:04d}", "YY": f"{t.year % 100:02d}", "MMMM": t.strftime("%B"), "MMM": t.strftime("%b"),
        "MM": f"{t.month:02d}", "M": str(t.month), "DD": f"{t.day:02d}", "D": str(t.day),
        "EEEE": t.strftime("%A"), "EEE": t.strftime("%a"), "hh": f"{t.hour:02d}", "h": str(t.hour),
        "HH": f"{hh12:02d}", "H": str(hh12), "AA": "AM" if t.hour < 12 else "PM",
        "aa": "am" if t.hour < 12 else "pm", "mm": f"{t.minute:02d}", "m": str(t.minute),
        "ss": f"{t.second:02d}", "s": str(t.second),
        "ZZZZZ": f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}",
        "ZZZZ": f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}",
        "ZZZ": "UTC" if minutes == 0 else f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}",
        "Z": "Z" if minutes == 0 else f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}",
    }
    out = []
    for m in _DATE_TOKENS.finditer(_str(spec)):
        tok = m.group(0)
        if tok == "''":
            out.append("'")
        elif tok.startswith("'"):
            if len(tok) < 2 or not tok.endswith("'"):
                raise FunctionError("formatdate: unterminated literal '")
            else:
                out.append(tok[1:-1].replace("''", "'"))
        elif tok in table:
            out.append(table[tok])
        elif tok.isalpha():
            raise FunctionError(f"formatdate: invalid date format verb {tok!r}")
        else:
            out.append(tok)
    return "".join(out)


# ---- paths (Go's path/filepath on Linux, where the gate runs) ----------------------------------------------------
def _clean(path: str) -> str:
    cleaned = posixpath.normpath(path) if path else "."
    return "/" + cleaned.lstrip("/") if cleaned.startswith("//") else cleaned


@_strfn
def basename(path):
    path = _str(path)
    if path == "":
        return "."
    stripped = path.rstrip("/")
    return "/" if stripped == "" else stripped.rsplit("/", 1)[-1]


@_strfn
def dirname(path):
    path = _str(path)
    return _clean(path[:path.rfind("/") + 1])


@_strfn
def pathexpand(path):
    path = _str(path)
    if path == "~" or path.startswith("~/"):
        return Unknown("pathexpand(): the home directory depends on the machine that runs Terraform")
    return path


def fileset(base: str, pattern: str) -> list:
    """The files under base whose path relative to it matches the doublestar pattern, sorted, as Terraform's
    fileset gives them: * and ? stay within a directory, ** spans any number of them, dot files match too.
    A / inside {...} is a syntax error here; Terraform rejects some of those patterns and finds nothing for others."""
    rx = re.compile(_glob(pattern))
    found = []
    for directory, _, files in os.walk(base):
        rel_dir = os.path.relpath(directory, base).replace(os.sep, "/")
        for name in files:
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            if rx.fullmatch(rel):
                found.append(rel)
    return sorted(found)


def _glob(pattern: str) -> str:
    segments = pattern.split("/")
    out = []
    for i, seg in enumerate(segments):
        last = i == len(segments) - 1
        if seg == "**":
            out.append(".*" if last else "(?:[^/]*/)*")
        else:
            out.append(_glob_segment(seg) + ("" if last else "/"))
    return "".join(out)


def _glob_segment(seg: str) -> str:
    out, i = [], 0
    while i < len(seg):
        c = seg[i]
        if c == "*":
            out.append("[^/]*")
        elif c == "?":
            out.append("[^/]")
        elif c == "\\" and i + 1 < len(seg):
            i += 1
            out.append(re.escape(seg[i]))
        elif c == "[":
            end = seg.find("]", i + 2 if seg[i + 1:i + 2] == "^" else i + 1)
            if end < 0:
                raise FunctionError(f"fileset: syntax error in pattern {seg!r}: unclosed [")
            body = seg[i + 1:end]
            negate = body[:1] == "^"   # as Go's path.Match: [!x] is the class of ! and x
            body = body[1:] if negate else body
            out.append("[" + ("^/" if negate else "") + body.replace("\\", "\\\\") + "]")
            i = end
        elif c == "{":
            end, depth = i, 0
            while end < len(seg):
                depth += {"{": 1, "}": -1}.get(seg[end], 0)
                if depth == 0:
                    break
                end += 1
            if end >= len(seg):
                raise FunctionError(f"fileset: syntax error in pattern {seg!r}: unclosed {{")
            out.append("(?:" + "|".join(_glob_segment(alt) for alt in _split_alternatives(seg[i + 1:end])) + ")")
            i = end
        else:
            out.append(re.escape(c))
        i += 1
    return "".join(out)


def _split_alternatives(body: str) -> list:
    parts, depth, start = [], 0, 0
    for j, c in enumerate(body):
        depth += {"{": 1, "}": -1}.get(c, 0)
        if c == "," and depth == 0:
            parts.append(body[start:j])
            start = j + 1
    parts.append(body[start:])
    return parts


# ---- sensitivity ------------------------------------------------------------------------------------------------
def sensitive(value):
    return value   # the gate keeps no sensitivity marks: the value is the same


def nonsensitive(value):
    return value


def issensitive(value):
    return Unknown("issensitive(): the gate does not track which values are sensitive")


def ephemeralasnull(value):
    """null for an ephemeral value; the gate marks those only as Unknowns from ephemeral resources."""
    if isinstance(value, Unknown) and value.reason.startswith("ephemeral resource "):
        return None
    if is_known(value) and not isinstance(value, (Ref, Unknown)):
        return Unknown("ephemeralasnull(): the gate does not track which input variables are ephemeral")
    return value


__all__ = ["FunctionError"]
