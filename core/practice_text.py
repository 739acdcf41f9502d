"""How practice words what it says: derivatives, numbers, factors, uses and paths.

The phrases that :mod:`dvar.core.practice_candidates` puts into each candidate and
:mod:`dvar.core.practice` into its hints and messages: ``du`` for a derivative,
``(-2)`` for a negative factor, ``x is used twice by m``, ``the paths through a
and b``.  Numbers are written as the editor writes them (``core.numbers``).

It imports only the standard library and core's evaluation and numbers; never Qt.
"""

from __future__ import annotations

import re

from dvar.core.evaluation import Evaluation, Term, derivative_symbol
from dvar.core.numbers import format_number


def namer(evaluation: Evaluation):
    """``d(name)``: the symbol of a node's derivative with respect to this output."""
    out = evaluation.output

    def d(name: str) -> str:
        return derivative_symbol(name, out)

    return d


def used_by(node: str, terms: list[Term]) -> str:
    """``x is used by a and b``, ``x is used twice by m``."""
    counts: dict[str, int] = {}
    for t in terms:
        counts[t.consumer] = counts.get(t.consumer, 0) + 1
    named = [c if n == 1 else f"{c} ({_times(n)})" for c, n in counts.items()]
    if len(counts) == 1 and len(terms) > 1:
        (c,) = counts
        return f"{node} is used {_times(len(terms))} by {c}"
    if len(named) == 1:
        return f"{node} is used by {named[0]} only"
    return f"{node} is used by {', '.join(named[:-1])} and {named[-1]}"


def _times(n: int) -> str:
    return {2: "twice", 3: "three times"}.get(n, f"{n} times")


def paths_through(terms: list[Term]) -> str:
    """``the path through a``, ``the paths through a and b``."""
    names = [through(t) for t in terms]
    if len(names) == 1:
        return f"the path through {names[0]}"
    return f"the paths through {', '.join(names[:-1])} and {names[-1]}"


def through(t: Term) -> str:
    """What a path goes through: its consumer, or the slot when it uses the node twice."""
    return f"{t.consumer}'s slot {t.slot + 1}" if t.repeated else t.consumer


def sum_text(terms: list[Term]) -> str:
    """The terms' products added up, as factors: ``15 + (-2)``."""
    return " + ".join(factor(t.product) for t in terms)


def with_text(text: str, value: float) -> str:
    """A partial's text and its number (``c = 2``), or the number alone when they are one."""
    shown = fmt(value)
    return shown if text == shown else f"{text} = {shown}"


def fmt(x: float | None) -> str:
    """A number as the editor writes it."""
    return format_number(x)


def factor(x: float | None) -> str:
    """A number as a factor: bracketed when negative, ``(-2)``."""
    text = format_number(x)
    return f"({text})" if text.startswith("-") else text


def bracketed(text: str) -> str:
    """Brackets around a partial's text that is more than one factor: ``(1 - s)``."""
    if re.fullmatch(r"\w+|-?\d[\d.e+-]*|\(.*\)|\[[^\[\]]*\]", text):
        return text
    return f"({text})" if any(ch in text for ch in " +-/·") else text
