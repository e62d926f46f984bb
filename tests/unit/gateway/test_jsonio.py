"""Strict JSON in and out of the gateway (``jsonio``): pure functions, no server."""

from __future__ import annotations

import math

import pytest

from talentmind_gateway.jsonio import MAX_DEPTH, JsonInputError, dumps, loads, too_deep


def test_depth_counts_objects_and_arrays_but_not_brackets_in_strings() -> None:
    assert not too_deep(b"[" * MAX_DEPTH + b"]" * MAX_DEPTH)
    assert too_deep(b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1))
    assert too_deep(b'{"a":' * (MAX_DEPTH + 1))  # unclosed: refused before the parser sees it
    assert not too_deep(b'{"s": "' + b"[{" * 1000 + b'"}')
    assert not too_deep(b'{"s": "quote \\" then [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}')


def test_depth_is_refused_with_its_own_code() -> None:
    with pytest.raises(JsonInputError) as caught:
        loads(b"[" * 100_000)
    assert caught.value.code == "json_too_deep"


@pytest.mark.parametrize("text", [b"1e999", b'{"x": -1e400}', b"NaN", b"[Infinity]", b"-Infinity"])
def test_numbers_beyond_a_double_are_malformed(text: bytes) -> None:
    with pytest.raises(JsonInputError) as caught:
        loads(text)
    assert caught.value.code == "malformed_json"


def test_ordinary_json_parses() -> None:
    assert loads(b'{"a": [1, 2.5, 1e300, "x"], "b": null}') == {"a": [1, 2.5, 1e300, "x"], "b": None}


def test_output_never_carries_non_finite_numbers() -> None:
    assert dumps({"a": 1.5}) == '{"a": 1.5}'
    for bad in (math.inf, -math.inf, math.nan):
        with pytest.raises(ValueError):
            dumps({"a": bad})
