"""The editor's number precision: the digit count a person chose in Preferences.

The core formats numbers with whatever digit count it is given; this is the one
place the editor keeps the person's choice, and every view formats through
:func:`format_number` here.  The command line and exported scripts never see it.
"""

from __future__ import annotations

from dvar.core.numbers import DIGITS, MAX_DIGITS, MIN_DIGITS, check_digits, format_full
from dvar.core.numbers import format_number as _format

__all__ = ["DIGITS", "MAX_DIGITS", "MIN_DIGITS", "digits", "format_full", "format_number"]

_digits = DIGITS


def set_digits(digits: int) -> None:
    """Show numbers with this many significant digits from now on."""
    global _digits
    _digits = check_digits(digits)


def digits() -> int:
    """How many significant digits the editor shows numbers with now."""
    return _digits


def format_number(x: float | None) -> str:
    """``x`` as the editor shows it, with the chosen number of significant digits."""
    return _format(x, _digits)
