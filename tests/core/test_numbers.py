"""The one number formatter, and reading numbers a person typed."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvar import core
from dvar.core import numbers


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (6.0, "6"),
        (6, "6"),
        (33.003, "33.003"),
        (33.0030000001, "33.003"),
        (0.1 + 0.2, "0.3"),
        (1 / 3, "0.333333"),
        (2 / 3, "0.666667"),
        (-2.5, "-2.5"),
        (123456.0, "123456"),
        (1234567.0, "1.23457e6"),
        (1e6, "1e6"),
        (1.5e-7, "1.5e-7"),
        (0.0001, "0.0001"),
        (0.0, "0"),
        (-0.0, "0"),
        (None, "—"),
    ],
)
def test_format_number(x: float | None, text: str) -> None:
    assert core.format_number(x) == text


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: x != 0))
def test_format_number_keeps_six_significant_digits(x: float) -> None:
    text = core.format_number(x)
    mantissa = text.split("e")[0]
    digits = mantissa.lstrip("-").replace(".", "").lstrip("0")
    assert len(digits) <= 6
    if "." in mantissa:
        assert not mantissa.endswith("0") and not mantissa.endswith(".")
    assert re.fullmatch(r"-?\d+(\.\d+)?(e-?\d+)?", text)
    assert math.isclose(float(text), x, rel_tol=5e-6)


@pytest.mark.parametrize(
    ("digits", "x", "text"),
    [(3, 1 / 3, "0.333"), (3, 33.003, "33"), (3, 1234.5, "1.23e3"), (10, 1 / 3, "0.3333333333")],
)
def test_the_shown_precision_can_be_chosen(digits, x, text) -> None:
    assert core.format_number(x, digits) == text
    assert core.format_number(1 / 3) == "0.333333"  # the default: six, whatever came before


@given(digits=st.integers(numbers.MIN_DIGITS, numbers.MAX_DIGITS), x=st.floats(-1e12, 1e12))
def test_chosen_precision_keeps_that_many_significant_digits(digits: int, x: float) -> None:
    text = core.format_number(x, digits)
    mantissa = text.split("e")[0].lstrip("-").replace(".", "").lstrip("0")
    assert len(mantissa) <= digits
    assert math.isclose(float(text), x, rel_tol=10.0 ** (1 - digits), abs_tol=1e-300)


@pytest.mark.parametrize("digits", [0, 1, 16, 40, 2.5, True])
def test_a_precision_out_of_range_is_refused(digits) -> None:
    with pytest.raises(ValueError, match="digits must be"):
        numbers.check_digits(digits)


def test_format_full_reads_back_exactly() -> None:
    assert core.format_full(0.1 + 0.2) == "0.30000000000000004"
    assert float(core.format_full(1 / 3)) == 1 / 3
    assert core.format_full(None) == "—"


@pytest.mark.parametrize(
    ("text", "value"),
    [("5", 5.0), (" -2.5 ", -2.5), ("1e-3", 0.001), ("−4", -4.0), ("0", 0.0), ("+7", 7.0)],
)
def test_parse_number(text: str, value: float) -> None:
    assert core.parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1,5", "nan", "inf", "-Infinity", "1e999", "5 6"])
def test_parse_number_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="number"):
        core.parse_number(text)
