"""JSON in and out of the gateway: strict in both directions.

* In: a nesting limit checked before parsing (a body of 100,000 ``[`` would otherwise exhaust the parser's recursion),
  and numbers that do not fit a finite double (``1e999``) refused, as are the non-standard ``NaN``/``Infinity``.
* Out: ``allow_nan=False``, so the API can never send a number that no JSON parser accepts.
"""

from __future__ import annotations

import functools
import json
import math
import re
from typing import Any

MAX_DEPTH = 32
"""Deepest nesting of objects and arrays a request body may have (the contract's deepest is 4: metadata is free-form,
but no ATS needs more than a few levels)."""

dumps = functools.partial(json.dumps, allow_nan=False)
"""The serialiser of every JSON response."""

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(rb"[\[\]{}]")


class JsonInputError(ValueError):
    """A body that is not acceptable JSON; ``code`` is the API error code."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


def too_deep(raw: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether objects and arrays nest deeper than ``limit`` (brackets inside strings do not count)."""
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub(b'""', raw)):
        if match.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:24]} does not fit a double")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def loads(raw: bytes) -> Any:
    """Parse a request body; raises ``JsonInputError`` with the code to answer."""
    if too_deep(raw):
        raise JsonInputError(f"body: nested deeper than {MAX_DEPTH} levels", "json_too_deep")
    try:
        return json.loads(raw, parse_float=_finite, parse_constant=_no_constant)
    except RecursionError:  # pragma: no cover - too_deep refuses such bodies first
        raise JsonInputError(f"body: nested deeper than {MAX_DEPTH} levels", "json_too_deep") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise JsonInputError(f"body: malformed JSON ({exc})", "malformed_json") from None
