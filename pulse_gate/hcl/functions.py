"""Terraform built-in functions the gate evaluates. Anything not here yields an Unknown, never a guess.

Each function receives already-evaluated arguments. Unknown or Ref arguments make the result Unknown, except
where Terraform itself can still give a known answer (length of a list with unknown elements, keys of a map,
merge of maps whose values are unknown, ...).
"""
from __future__ import annotations

import base64
import hashlib
import ipaddress
import json
import math
import re
from decimal import Decimal

from ..values import Ref, Unknown, is_known
from . import functions_more as more
from . import functions_regex as rx
from .functions_base import (FunctionError, _collection, _int, _need, _number, _numfn, _shallow, _str, _strfn,
                             _tidy, arith, graphemes_unknown, parse_number, type_name)

__all__ = ["APPLY_TIME", "EVALUATOR_FUNCTIONS", "FUNCTIONS", "FunctionError", "NOT_AT_PLAN",
           "SIGNATURES",
           "TERRAFORM_FUNCTIONS", "arity_error"]


def f_length(v):
    if (u := _shallow(v)) is not None:
        return Unknown(f"length of {u}") if isinstance(u, Ref) else u
    if isinstance(v, str):
        return graphemes_unknown("length", v) or len(v)
    return len(_collection(v, "length"))


def f_merge(*maps):
    out = {}
    for m in maps:
        if m is None:
            continue
        if (u := _shallow(m)) is not None:
            return Unknown(f"merge of a value not known before apply: {u}")
        if not isinstance(m, dict):
            raise FunctionError("merge: arguments must be maps or objects")
        out.update(m)
    return out


def f_lookup(m, key, *default):
    if (u := _shallow(m)) is not None or (u := _need(key)) is not None:
        return u if isinstance(u, Unknown) else Unknown(f"lookup in {u}")
    if not isinstance(m, dict):
        raise FunctionError("lookup: first argument must be a map")
    if key in m:
        return m[key]
    if default:
        return default[0]
    raise FunctionError(f"lookup: key {key!r} not found and no default")


def f_coalesce(*args):
    # the arguments share one type first, as in Terraform: coalesce(1, "a") is "1"
    for a in _unify([a for a in args if a is not None]):
        if isinstance(a, (Ref, Unknown)):
            return a if isinstance(a, Unknown) else Unknown(f"coalesce over {a}")
        if a != "":
            return a
    raise FunctionError("coalesce: no non-null, non-empty argument")


def f_coalescelist(*args):
    for a in args:
        if (u := _shallow(a)) is not None:
            return Unknown(f"coalescelist over {u}")
        if a:
            return a
    raise FunctionError("coalescelist: all lists empty")


def f_concat(*lists):
    out = []
    for v in lists:
        if (u := _shallow(v)) is not None:
            return Unknown(f"concat of {u}")
        out.extend(_collection(v, "concat"))
    return out


def f_contains(coll, value):
    if (u := _shallow(coll)) is not None or (u := _need(value)) is not None:
        return Unknown(f"contains over {u}")
    items = _collection(coll, "contains")
    if value in items:
        return True
    if not all(is_known(i) for i in items):
        return Unknown("contains over a list with values known only after apply")
    return False


def f_keys(m):
    if (u := _shallow(m)) is not None:
        return Unknown(f"keys of {u}")
    if not isinstance(m, dict):
        raise FunctionError("keys: argument must be a map")
    return sorted(m)


def f_values(m):
    if (u := _shallow(m)) is not None:
        return Unknown(f"values of {u}")
    if not isinstance(m, dict):
        raise FunctionError("values: argument must be a map")
    return [m[k] for k in sorted(m)]




@_strfn
def f_replace(s, old, new):
    s, old, new = _str(s), _str(old), _str(new)
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        return rx.replace_all(old[1:-1], s, new)
    return s.replace(old, new)


def _format_one(flags: str, width: str, verb: str, value):
    """One verb of Terraform's format (Go's fmt on cty values), checked against terraform console."""
    spec = "%" + flags + width
    if value is None:
        return Unknown(f"format(): %{verb} of null")   # Terraform's answer for it is not a plain string either
    if verb == "s":
        return (spec + "s") % _str(value)
    if verb == "t":
        if not isinstance(value, bool):
            raise FunctionError("format: %t needs a bool")
        return (spec + "s") % _str(value)
    if verb == "d":
        return (spec + "d") % _int(value, "format: %d")
    if verb in "xXo":
        return (spec + verb) % _int(value, f"format: %{verb}")
    if verb in "fFeE" or (verb in "gG" and "." in width):
        return (spec + verb) % float(_number(value, f"format: %{verb}"))
    if verb == "q":
        return (spec + "s") % _json_str(_str(value))
    if verb in "vgG":
        if isinstance(value, (list, dict)):
            text = _json(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            text = _shortest_g(value)
        elif verb == "v":
            text = _str(value)
        else:
            raise FunctionError(f"format: %{verb} needs a number")
        return (spec + "s") % text
    if verb == "b" and spec == "%":
        return format(_int(value, "format: %b"), "b")
    return Unknown(f"format(): the verb %{flags}{width}{verb} is not one the gate evaluates")


def _shortest_g(n) -> str:
    """Go's %v of a number: the shortest digits, in exponent form below 1e-4 or from 1e6 on (1.234567e+06)."""
    if n == 0:
        return "0"
    sign, digits, exponent = (Decimal(n) if isinstance(n, int) else Decimal(repr(n))).normalize().as_tuple()
    mant = "".join(map(str, digits))
    exp10 = len(mant) - 1 + exponent
    if -4 <= exp10 < 6:
        return _str(n)
    text = mant[0] + ("." + mant[1:] if len(mant) > 1 else "")
    return f"{'-' if sign else ''}{text}e{'-' if exp10 < 0 else '+'}{abs(exp10):02d}"


_VERB = re.compile(r"%%|%([-+ #0]*)(?:\[(\d+)\])?(\d*(?:\.\d+)?)([a-zA-Z])|%|[^%]+")


@_strfn
def f_format(fmt, *args):
    out, i, fmt = [], 0, _str(fmt)
    for m in _VERB.finditer(fmt):
        tok = m.group(0)
        if tok == "%%":
            out.append("%")
        elif tok == "%":
            raise FunctionError(f"format: unsupported format spec at {fmt[m.start():m.start() + 5]!r}")
        elif m.group(4):
            if m.group(2):   # %[n]v: argument n, and the next verbs go on from there
                i = int(m.group(2)) - 1
            if not 0 <= i < len(args):
                raise FunctionError("format: not enough arguments")
            piece = _format_one(m.group(1), m.group(3), m.group(4), args[i])
            if isinstance(piece, Unknown):
                return piece
            out.append(piece)
            i += 1
        else:
            out.append(tok)
    return "".join(out)


def f_formatlist(fmt, *args):
    if (u := _need(fmt, *args)) is not None:
        return Unknown(f"formatlist over {u}")
    lengths = {len(a) for a in args if isinstance(a, list)}
    if len(lengths) > 1:
        raise FunctionError("formatlist: lists of different lengths")
    n = lengths.pop() if lengths else 1
    return [f_format(fmt, *[a[i] if isinstance(a, list) else a for a in args]) for i in range(n)]


def f_join(sep, *lists):
    if (u := _need(sep, *lists)) is not None:
        return Unknown(f"join over {u}")
    return _str(sep).join(_str(x) for lst in lists for x in _collection(lst, "join"))




def _unify(items: list) -> list:
    """Primitive values converted to the one type Terraform gives a list of them: strings as soon as one is a
    string (["a", 1] is ["a", "1"]); anything else is left as it is."""
    prims = [x for x in items if isinstance(x, (str, int, float))]
    if len(prims) == len(items) and any(isinstance(x, str) for x in prims):
        return [_str(x) for x in items]
    return list(items)


def _set_order(items: list) -> list:
    """A set of known strings or numbers in Terraform's order (lexical, numeric); other sets keep their order."""
    if all(isinstance(x, str) for x in items) or all(
            isinstance(x, (int, float)) and not isinstance(x, bool) for x in items):
        return sorted(items)
    return items


def _unique(items):
    out = []
    for x in items:
        if x not in out:
            out.append(x)
    return out


def f_toset(v):
    if (u := _shallow(v)) is not None:
        return Unknown(f"toset of {u}")
    items = _unify(_collection(v, "toset"))
    if not all(is_known(x) for x in items):
        return Unknown("toset over values known only after apply (set membership unknown)")
    return _set_order(_unique(items))


def f_tolist(v):
    if (u := _shallow(v)) is not None:
        return Unknown(f"tolist of {u}")
    return _unify(_collection(v, "tolist"))


def f_tomap(v):
    if (u := _shallow(v)) is not None:
        return Unknown(f"tomap of {u}")
    if not isinstance(v, dict):
        raise FunctionError("tomap: argument must be an object or map")
    return dict(zip(v, _unify(list(v.values()))))


def f_tostring(v):
    if v is None:
        return None
    if (u := _need(v)) is not None:
        return u if isinstance(u, Unknown) else Unknown(f"tostring of {u}")
    return _str(v)


def f_tonumber(v):
    if v is None:
        return None
    if (u := _need(v)) is not None:
        return Unknown(f"tonumber of {u}")
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v
    n = parse_number(v) if isinstance(v, str) else None
    if n is None:
        raise FunctionError(f"tonumber: {v!r} is not a number")
    if isinstance(n, float) and math.isinf(n):
        return Unknown(f"tonumber({v!r}) is an infinity, beyond the range of numbers the gate evaluates")
    return n


def f_tobool(v):
    if v is None:
        return None
    if (u := _need(v)) is not None:
        return Unknown(f"tobool of {u}")
    if isinstance(v, bool):
        return v
    if v in ("true", "false"):
        return v == "true"
    raise FunctionError(f"tobool: {v!r} is not a bool")


def f_jsonencode(v):
    if (u := _need(v)) is not None:
        return Unknown(f"jsonencode of {u}")
    return _json(v)


def _json(v) -> str:
    """JSON as Terraform (Go's encoding/json) writes it: keys sorted, no spaces, numbers in plain decimal."""
    if v is None:
        return "null"
    if isinstance(v, (bool, int, float)):
        return _str(v)
    if isinstance(v, str):
        return _json_str(v)
    if isinstance(v, list):
        return "[" + ",".join(_json(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ",".join(_json_str(k) + ":" + _json(v[k]) for k in sorted(v)) + "}"
    raise FunctionError(f"jsonencode: cannot encode {type_name(v)}")


# Go escapes these besides quote and backslash; other text, non-ASCII included, is written as UTF-8
_JSON_SHORT = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _json_str(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch in _JSON_SHORT:
            out.append(_JSON_SHORT[ch])
        elif ord(ch) < 0x20 or ch in "<>&\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


@_strfn
def f_jsondecode(s):
    try:
        return json.loads(s, parse_float=_json_number, parse_constant=_json_constant)
    except json.JSONDecodeError as exc:
        raise FunctionError(f"jsondecode: {exc}") from None
    except _BeyondFloat:
        return Unknown("jsondecode(): a number beyond the range the gate evaluates (Terraform's numbers are "
                       "arbitrary-precision)")


class _BeyondFloat(Exception):
    pass


def _json_number(text: str):
    value = float(text)
    if not math.isfinite(value):
        raise _BeyondFloat
    return _tidy(value)


def _json_constant(name: str):
    # Python's json reads NaN and Infinity; JSON (and Terraform) does not
    raise FunctionError(f"jsondecode: invalid character {name[0]!r} looking for beginning of value")


@_strfn
def f_substr(s, offset, length):
    s = _str(s)
    if unknown := graphemes_unknown("substr", s):
        return unknown
    offset = int(offset)
    if offset < 0:
        offset += len(s)
    return s[offset:] if int(length) == -1 else s[offset:offset + int(length)]


def f_distinct(lst):
    if (u := _shallow(lst)) is not None:
        return Unknown(f"distinct of {u}")
    return _unique(_unify(_collection(lst, "distinct")))


def f_flatten(lst):
    if (u := _shallow(lst)) is not None:
        return Unknown(f"flatten of {u}")
    out = []
    for x in _collection(lst, "flatten"):
        if isinstance(x, (Ref, Unknown)):
            return Unknown("flatten over a value known only after apply")
        if isinstance(x, list):
            flat = f_flatten(x)
            if isinstance(flat, Unknown):
                return flat
            out.extend(flat)
        else:
            out.append(x)
    return out




def f_index(lst, value):
    if (u := _need(lst, value)) is not None:
        return Unknown(f"index over {u}")
    try:
        return _collection(lst, "index").index(value)
    except ValueError:
        raise FunctionError("index: value not in list") from None


def f_zipmap(ks, vs):
    if (u := _shallow(ks)) is not None or (u := _shallow(vs)) is not None:
        return Unknown(f"zipmap of {u}")
    if (u := _need(ks)) is not None:
        return Unknown(f"zipmap keys {u}")
    return dict(zip(ks, vs))


def f_compact(lst):
    if (u := _need(lst)) is not None:
        return Unknown(f"compact of {u}")
    return [x for x in lst if x not in (None, "")]


def f_one(lst):
    if (u := _shallow(lst)) is not None:
        return Unknown(f"one of {u}")
    items = _collection(lst, "one")
    if len(items) > 1:
        raise FunctionError("one: more than one element")
    return items[0] if items else None




def f_slice(lst, start, end):
    if (u := _shallow(lst)) is not None or (u := _need(start, end)) is not None:
        return Unknown(f"slice of {u}")
    return list(_collection(lst, "slice"))[int(start):int(end)]


def f_sort(lst):
    if (u := _need(lst)) is not None:
        return Unknown(f"sort of {u}")
    return sorted(_str(x) for x in lst)


def f_reverse(lst):
    if (u := _shallow(lst)) is not None:
        return Unknown(f"reverse of {u}")
    return list(reversed(_collection(lst, "reverse")))


def f_setunion(*sets):
    if (u := _need(*sets)) is not None:
        return Unknown(f"setunion of {u}")
    return _set_order(_unique(_unify([x for s in sets for x in s])))


def f_setintersection(first, *rest):
    if (u := _need(first, *rest)) is not None:
        return Unknown(f"setintersection of {u}")
    return _set_order([x for x in _unique(_unify(first)) if all(x in _unify(r) for r in rest)])


def f_setsubtract(a, b):
    if (u := _need(a, b)) is not None:
        return Unknown(f"setsubtract of {u}")
    return _set_order([x for x in _unique(_unify(a)) if x not in _unify(b)])


def f_cidrsubnet(prefix, newbits, netnum):
    if (u := _need(prefix, newbits, netnum)) is not None:
        return Unknown(f"cidrsubnet of {u}")
    net = ipaddress.ip_network(prefix, strict=False)
    subnets = list(net.subnets(prefixlen_diff=int(newbits)))
    if int(netnum) >= len(subnets):
        raise FunctionError("cidrsubnet: netnum out of range")
    return str(subnets[int(netnum)])


def f_cidrhost(prefix, hostnum):
    if (u := _need(prefix, hostnum)) is not None:
        return Unknown(f"cidrhost of {u}")
    net = ipaddress.ip_network(prefix, strict=False)
    return str(net[int(hostnum)])


def _bools(lst, fn):
    """The elements of a list(bool) argument: true/false, the strings "true"/"false", or null."""
    out = []
    for x in _collection(lst, fn):
        if isinstance(x, str) and x in ("true", "false"):
            x = x == "true"
        if not (x is None or isinstance(x, (bool, Ref, Unknown))):
            raise FunctionError(f"{fn}: element {x!r} is not a bool")
        out.append(x)
    return out


def f_alltrue(lst):
    # as Terraform: elements in order; an unknown one before any false makes the result unknown, null is false
    if (u := _shallow(lst)) is not None:
        return Unknown(f"alltrue of {u}")
    for x in _bools(lst, "alltrue"):
        if isinstance(x, (Ref, Unknown)):
            return Unknown(f"alltrue over {x}")
        if not x:
            return False
    return True


def f_anytrue(lst):
    # as Terraform: any known true wins; otherwise an unknown element makes the result unknown; null is skipped
    if (u := _shallow(lst)) is not None:
        return Unknown(f"anytrue of {u}")
    unknown = None
    for x in _bools(lst, "anytrue"):
        if isinstance(x, (Ref, Unknown)):
            unknown = unknown or x
        elif x:
            return True
    return Unknown(f"anytrue over {unknown}") if unknown is not None else False


def f_sum(lst):
    if (u := _shallow(lst)) is not None or (u := _need(lst)) is not None:
        return Unknown(f"sum of {u}")
    items = _collection(lst, "sum")
    if not items:
        raise FunctionError("sum: cannot sum an empty list")
    total = 0
    for x in items:
        if isinstance(x, str):
            x = f_tonumber(x)
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            raise FunctionError(f"sum: element {x!r} is not a number")
        total = arith("+", total, x)   # in decimal, as Terraform: sum([0.1, 0.2]) is 0.3
    return _tidy(total)





def f_yamldecode(text):
    from .functions_yaml import yamldecode   # PyYAML is loaded only for a configuration that decodes YAML
    return yamldecode(text)


def min_(*nums):
    if not nums:
        raise FunctionError("min: at least one number is required")
    return min(nums)


def max_(*nums):
    if not nums:
        raise FunctionError("max: at least one number is required")
    return max(nums)


def abs_(x):
    return abs(x)


def ceil(x):
    return x if isinstance(x, int) else float(math.ceil(x))   # math.Ceil in float64, as Terraform


def floor(x):
    return x if isinstance(x, int) else float(math.floor(x))


def signum(x):
    x = _int(x, "signum")   # Terraform: "value must be a whole number"
    return (x > 0) - (x < 0)


FUNCTIONS = {
    "length": f_length, "merge": f_merge, "lookup": f_lookup, "coalesce": f_coalesce,
    "coalescelist": f_coalescelist, "concat": f_concat, "contains": f_contains, "keys": f_keys,
    "values": f_values, "replace": f_replace, "format": f_format, "formatlist": f_formatlist, "join": f_join,
    "split": more.split, "toset": f_toset, "tolist": f_tolist, "tomap": f_tomap, "tostring": f_tostring,
    "tonumber": f_tonumber, "tobool": f_tobool, "jsonencode": f_jsonencode, "jsondecode": f_jsondecode,
    "substr": f_substr, "distinct": f_distinct, "flatten": f_flatten, "element": more.element, "index": f_index,
    "zipmap": f_zipmap, "compact": f_compact, "one": f_one, "range": more.range_, "slice": f_slice, "sort": f_sort,
    "reverse": f_reverse, "setunion": f_setunion, "setintersection": f_setintersection,
    "setsubtract": f_setsubtract, "cidrsubnet": f_cidrsubnet, "cidrhost": f_cidrhost,
    "lower": more.lower, "upper": more.upper, "title": more.title, "trimspace": _strfn(lambda s: _str(s).strip()),
    "trim": _strfn(lambda s, cs: _str(s).strip(_str(cs))),
    "trimprefix": _strfn(lambda s, p: _str(s)[len(p):] if _str(s).startswith(p) else _str(s)),
    "trimsuffix": _strfn(lambda s, p: _str(s)[:-len(p)] if p and _str(s).endswith(p) else _str(s)),
    "startswith": _strfn(lambda s, p: _str(s).startswith(_str(p))),
    "endswith": _strfn(lambda s, p: _str(s).endswith(_str(p))),
    "strcontains": _strfn(lambda s, p: _str(p) in _str(s)),
    "regex": _strfn(rx.regex), "regexall": _strfn(rx.regexall),
    "base64encode": _strfn(lambda s: base64.b64encode(_str(s).encode()).decode()),
    "base64decode": more.base64decode,
    "md5": _strfn(lambda s: hashlib.md5(_str(s).encode()).hexdigest()),
    "sha1": _strfn(lambda s: hashlib.sha1(_str(s).encode()).hexdigest()),
    "sha256": _strfn(lambda s: hashlib.sha256(_str(s).encode()).hexdigest()),
    "min": _numfn(min_), "max": _numfn(max_), "abs": _numfn(abs_), "ceil": _numfn(ceil), "floor": _numfn(floor),
    "signum": _numfn(signum),
    "alltrue": f_alltrue, "anytrue": f_anytrue, "sum": f_sum,
}

FUNCTIONS.update({
    "log": _numfn(more.log), "pow": _numfn(more.pow_), "parseint": more.parseint,
    "chomp": more.chomp, "indent": more.indent, "strrev": more.strrev,
    "chunklist": more.chunklist, "matchkeys": more.matchkeys, "setproduct": more.setproduct,
    "transpose": more.transpose,
    "csvdecode": more.csvdecode, "urlencode": more.urlencode, "textencodebase64": more.textencodebase64,
    "textdecodebase64": more.textdecodebase64,
    "sha512": more._digest("sha512", False), "base64sha256": more._digest("sha256", True),
    "base64sha512": more._digest("sha512", True),
    "uuidv5": more.uuidv5, "cidrnetmask": more.cidrnetmask, "cidrsubnets": more.cidrsubnets,
    "timeadd": more.timeadd, "timecmp": more.timecmp, "formatdate": more.formatdate,
    "basename": more.basename, "dirname": more.dirname, "pathexpand": more.pathexpand,
    "sensitive": more.sensitive, "nonsensitive": more.nonsensitive, "issensitive": more.issensitive,
    "ephemeralasnull": more.ephemeralasnull, "yamldecode": f_yamldecode,
})

# Functions whose result is not known at plan time, by design (the clock, randomness, the machine that runs
# Terraform), or whose exact output depends on a Go implementation the gate does not reproduce: evaluating them
# would be a guess, so they are an Unknown with this reason.
NOT_AT_PLAN = {
    "timestamp": "is the time of the apply",
    "plantimestamp": "is the time the plan is made",
    "uuid": "is random",
    "bcrypt": "uses a random salt",
    "abspath": "depends on the directory Terraform runs in",
    "base64gzip": "depends on Go's deflate implementation byte for byte",
    "yamlencode": "writes YAML in go-yaml's layout, which the gate does not reproduce",
    "rsadecrypt": "decrypts with a private key, which the gate does not read",
}
APPLY_TIME = set(NOT_AT_PLAN)

# Functions the evaluator implements itself, because they need the scope or the module's directory.
EVALUATOR_FUNCTIONS = {"try", "can", "file", "fileexists", "fileset", "templatefile", "templatestring",
                       "filebase64", "filemd5", "filesha1", "filesha256", "filesha512", "filebase64sha256",
                       "filebase64sha512"}

# Every function of Terraform 1.11 with its parameters, from `terraform metadata functions -json` (the core::
# aliases left out): name -> (number of fixed parameters, whether more may follow). A call with the wrong number
# of arguments is a configuration Terraform refuses.
_SIGNATURES = {
    (0, False): "plantimestamp timestamp uuid",
    (0, True): "coalesce coalescelist concat max merge min range setproduct try",
    (1, False): """abs abspath alltrue anytrue base64decode base64encode base64gzip base64sha256 base64sha512 basename
        can ceil chomp cidrnetmask compact csvdecode dirname distinct ephemeralasnull file filebase64
        filebase64sha256 filebase64sha512 fileexists filemd5 filesha1 filesha256 filesha512 flatten floor
        issensitive jsondecode jsonencode keys length lower md5 nonsensitive one pathexpand reverse sensitive sha1
        sha256 sha512 signum sort strrev sum title tobool tolist tomap tonumber toset tostring transpose trimspace
        upper urlencode values yamldecode yamlencode""",
    (1, True): "bcrypt cidrsubnets format formatlist join setintersection setunion",
    (2, False): """chunklist cidrhost contains element endswith fileset formatdate indent index log parseint pow
        regex regexall rsadecrypt setsubtract split startswith strcontains templatefile templatestring
        textdecodebase64 textencodebase64 timeadd timecmp trim trimprefix trimsuffix uuidv5 zipmap""",
    (2, True): "lookup",
    (3, False): "cidrsubnet matchkeys replace slice substr",
}
SIGNATURES = {name: sig for sig, names in _SIGNATURES.items() for name in names.split()}
TERRAFORM_FUNCTIONS = frozenset(SIGNATURES)


def arity_error(name: str, given: int) -> str | None:
    """Terraform's complaint about the number of arguments of a call, or None when it is right."""
    fixed, variadic = SIGNATURES[name]
    if given < fixed:
        return f'not enough arguments for function "{name}": it expects {fixed}, got {given}'
    if given > fixed and not variadic:
        return f'too many arguments for function "{name}": it expects only {fixed}, got {given}'
    return None
