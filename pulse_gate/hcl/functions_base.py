"""What every module of Terraform functions shares: the error type and the argument helpers.

Each function receives already-evaluated arguments. Unknown or Ref arguments make the result Unknown, except
where Terraform itself can still give a known answer.
"""
from __future__ import annotations

import math
from decimal import Decimal

from ..values import Ref, Unknown, first_unknown, is_known


class FunctionError(Exception):
    """A call Terraform itself would reject (wrong types, index out of range)."""


def _need(*args):
    for a in args:
        if not is_known(a):
            return first_unknown(a)
    return None


def _str(v) -> str:
    """A primitive value as Terraform converts it to a string (numbers in plain decimal, never 1e+20)."""
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float) and math.isfinite(v):
        return format(Decimal(repr(v)), "f")
    raise FunctionError(f"cannot convert {type(v).__name__} to string")


def _shallow(value):
    """Unknown when the value itself (not its elements) is unknown."""
    return value if isinstance(value, (Ref, Unknown)) else None


def _collection(v, fn):
    if isinstance(v, dict):
        return list(v.values())
    if isinstance(v, list):
        return v
    raise FunctionError(f"{fn}: expected a list, set or map, got {type(v).__name__}")


def _strfn(fn):
    def wrapped(*args):
        if (u := _need(*args)) is not None:
            return Unknown(f"string function over {u}")
        return fn(*args)
    wrapped.__name__ = fn.__name__
    return wrapped


def _number(v, fn: str):
    """A number argument: Terraform converts a numeric string; a bool or anything else is an error."""
    if isinstance(v, bool):
        raise FunctionError(f"{fn}: a number is required, got a bool")
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        try:
            f = float(v)
        except ValueError:
            raise FunctionError(f"{fn}: a number is required, got {v!r}") from None
        return int(f) if f.is_integer() and "." not in v and "e" not in v.lower() else f
    raise FunctionError(f"{fn}: a number is required, got {type(v).__name__}")


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
