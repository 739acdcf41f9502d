"""The one number formatter every view uses."""

from __future__ import annotations

import math

from dvar.core import rules

#: What a missing (null) number reads as.
MISSING = rules.MISSING

#: Significant digits numbers are shown with, unless a person chooses otherwise.
DIGITS = rules.DIGITS
#: The choices the editor offers for that.
MIN_DIGITS, MAX_DIGITS = 2, 15


def check_digits(digits: int) -> int:
    """Return ``digits`` if numbers can be shown with that many significant digits."""
    if isinstance(digits, bool) or not isinstance(digits, int):
        raise ValueError(f"digits must be a whole number, not {digits!r}")
    if not MIN_DIGITS <= digits <= MAX_DIGITS:
        raise ValueError(f"digits must be from {MIN_DIGITS} to {MAX_DIGITS}, not {digits}")
    return digits


def format_number(x: float | None, digits: int = DIGITS) -> str:
    """Up to ``digits`` significant digits (default 6; the editor passes the
    person's choice), trailing zeros trimmed: ``6``, ``33.003``, ``1.5e-07``.

    ``None`` (no value) reads as an em dash, and ``-0`` reads as ``0``.
    """
    return rules.fmt(x, digits)


def format_full(x: float | None) -> str:
    """Full precision, for tooltips: the shortest text that reads back as the same float."""
    if x is None:
        return MISSING
    x = float(x)
    if x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    return repr(x)


def parse_number(text: str) -> float:
    """Read a number a person typed: ``5``, ``-2.5``, ``1e-3``; refuse anything else.

    Raises ValueError with a readable message for text that is not a finite number.
    """
    cleaned = text.strip().replace("−", "-")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{text.strip()!r} is not a finite number")
    return value
