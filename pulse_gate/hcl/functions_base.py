"""What every module of Terraform functions shares: the error type and the argument helpers.

Each function receives already-evaluated arguments. Unknown or Ref arguments make the result Unknown, except
where Terraform itself can still give a known answer.
"""
from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, localcontext

from ..values import Ref, Unknown, first_unknown, is_known


class FunctionError(Exception):
    """A call Terraform itself would reject (wrong types, index out of range)."""


def _need(*args):
    for a in args:
        if not is_known(a):
            return first_unknown(a)
    return None


def type_name(value) -> str:
    """Terraform's name for the type of a known value, for messages (never a Python class name)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "tuple" if isinstance(value, list) else "object"


def _str(v) -> str:
    """A primitive value as Terraform converts it to a string (numbers in plain decimal, never 1e+20)."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float) and math.isfinite(v):
        return format(Decimal(repr(v)).normalize(), "f")   # 1.0 is "1", 1.5e20 is "150000000000000000000"
    raise FunctionError(f"cannot convert {type_name(v)} to string")


def _shallow(value):
    """Unknown when the value itself (not its elements) is unknown."""
    return value if isinstance(value, (Ref, Unknown)) else None


def _collection(v, fn):
    if isinstance(v, dict):
        return list(v.values())
    if isinstance(v, list):
        return v
    raise FunctionError(f"{fn}: expected a list, set or map, got {type_name(v)}")


def _strfn(fn):
    def wrapped(*args):
        if (u := _need(*args)) is not None:
            return Unknown(f"string function over {u}")
        return fn(*args)
    wrapped.__name__ = fn.__name__
    return wrapped


_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def parse_number(text: str):
    """The number a string converts to in Terraform, or None: decimal notation or inf (Python's float() would
    also take "nan", "infinity", "1_000" and surrounding blanks, which Terraform refuses)."""
    if text.lstrip("+-") in ("inf", "Inf") and len(text) - len(text.lstrip("+-")) <= 1:
        return -math.inf if text.startswith("-") else math.inf   # as Go's big.Float parses it
    if not _NUMBER.fullmatch(text):
        return None
    if text.lstrip("+-").isdigit():
        return int(text)
    return _tidy(float(text))


def _number(v, fn: str):
    """A number argument: Terraform converts a numeric string; a bool or anything else is an error."""
    if isinstance(v, bool):
        raise FunctionError(f"{fn}: a number is required, got a bool")
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        n = parse_number(v)
        if n is None:
            raise FunctionError(f"{fn}: a number is required, got {v!r}")
        return n
    raise FunctionError(f"{fn}: a number is required, got {type_name(v)}")


# Characters that join with their neighbours into one user-perceived character (grapheme cluster), which is what
# Terraform's length, substr and strrev count; text without them has one grapheme per code point.
_JOINERS = re.compile("[\u200c\u200d\ufe00-\ufe0f\U000e0100-\U000e01ef\U0001f3fb-\U0001f3ff"
                      "\U0001f1e6-\U0001f1ff\u1100-\u11ff\ud7b0-\ud7ff]|\r\n")


def simple_text(s: str) -> bool:
    """Whether every code point of s is a grapheme of its own."""
    return not _JOINERS.search(s) and not any(unicodedata.category(c) in ("Mn", "Mc", "Me") for c in s)


def graphemes_unknown(fn: str, s: str):
    """The Unknown for a string the gate would count differently from Terraform, else None."""
    if simple_text(s):
        return None
    return Unknown(f"{fn}(): the text has combining characters; Terraform counts grapheme clusters, which the "
                   "gate does not segment")


def _int(v, fn: str) -> int:
    n = _number(v, fn)
    if isinstance(n, float):
        if not math.isfinite(n) or not n.is_integer():
            raise FunctionError(f"{fn}: a whole number is required, got {_str(n)}")
        n = int(n)
    return n


def _numfn(fn):
    """A numeric function: unknown in, unknown out; a number beyond a float's range (Terraform's numbers are
    arbitrary-precision, ours are not) is an Unknown saying so rather than a wrong answer."""
    def wrapped(*args):
        if (u := _need(*args)) is not None:
            return Unknown(f"numeric function over {u}")
        nums = [_number(a, fn.__name__) for a in args]
        if any(isinstance(n, float) and not math.isfinite(n) for n in nums):
            return Unknown(f"{fn.__name__}(): a number beyond the range the gate evaluates (Terraform's numbers are "
                           "arbitrary-precision)")
        try:
            return _tidy(fn(*nums))
        except OverflowError:
            return Unknown(f"{fn.__name__}(): the result is beyond the range the gate evaluates")
    wrapped.__name__ = fn.__name__
    return wrapped


def _tidy(n):
    """A whole float as the int Terraform shows for it: 2.0 is 2, and a float64 result such as pow(3, 40) is its
    shortest decimal form (12157665459056929000), as cty prints a number made from a float64."""
    if isinstance(n, float) and math.isfinite(n) and n.is_integer():
        return int(Decimal(repr(n)))
    return n


def arith(op: str, a, b):
    """+ - * / as Terraform's decimal-precise numbers give them: whole numbers exactly, fractions in decimal
    (0.1 + 0.2 is 0.3), then back to the nearest float. x / 0 raises ZeroDivisionError."""
    if isinstance(a, int) and isinstance(b, int) and (op != "/" or (b and a % b == 0)):
        return _OPS[op](a, b) if op != "/" else a // b
    with localcontext() as ctx:
        ctx.prec = 60
        try:
            return float(_OPS[op](_decimal(a), _decimal(b)))
        except ArithmeticError:   # decimal's own division by zero
            raise ZeroDivisionError from None


_OPS = {"+": lambda x, y: x + y, "-": lambda x, y: x - y, "*": lambda x, y: x * y, "/": lambda x, y: x / y}


def _decimal(n) -> Decimal:
    return Decimal(repr(n)) if isinstance(n, float) else Decimal(n)
