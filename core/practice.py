"""Practice: judge a learner's answer for a derivative, and say which mistake it is.

``diagnose(evaluation, "x", 15)`` compares the answer for dx with the right value
and with the numbers the usual mistakes give: a missed path when x is used more
than once, the paths multiplied instead of added, the local derivative or the
upstream one alone, the wrong sign, the value instead of the derivative.  With a
``consumer`` the answer is the local derivative ∂consumer/∂node instead.
``hints`` gives three hints, from vague to specific.  docs/practice.md has the
table and the matching rules.

Everything is read from the Evaluation's public API (``terms``, ``partial``,
``values``, ``grads``), in the canonical order of its chain-rule terms.  This module
judges: the matching rules, the verdict's message and the hints.  The numbers the
mistakes give are :mod:`dvar.core.practice_candidates` (the table), and the wording
both use is :mod:`dvar.core.practice_text`.  It imports only the standard library
and core; never Qt.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from numbers import Real

from dvar.core.evaluation import Evaluation, derivative_symbol
from dvar.core.numbers import parse_number
from dvar.core.ops import OPS
from dvar.core.practice_candidates import (
    LOCAL_VERDICTS,
    VERDICTS,
    Candidate,
    candidates,
    checked_derivative,
    local_term,
    operands,
)
from dvar.core.practice_text import bracketed, factor, fmt, namer, used_by

#: An answer is near a candidate within this fraction of it ...
NEAR = 0.005
#: ... or within this much of a candidate that is 0.
NEAR_ZERO = 1e-9
#: Two numbers closer than this, relative to the larger, are the same candidate.
SAME = 1e-9


@dataclass(frozen=True)
class Diagnosis:
    """The verdict on one answer, with everything a view needs to show it."""

    node: str
    #: The node whose local derivative was asked for, or None for dnode itself.
    consumer: str | None
    slot: int | None
    #: ``dx`` or ``∂u/∂b``: what the answer was for.
    symbol: str
    answer: float
    #: The right value.
    expected: float
    #: The first matching verdict in table order, and every matching verdict.
    verdict: str
    verdicts: tuple[str, ...]
    message: str
    #: Every candidate that was checked, ``right`` first, then the table's order.
    candidates: tuple[Candidate, ...]
    #: The candidates the answer matched (the nearest one per verdict), in table order.
    matched: tuple[Candidate, ...]

    @property
    def right(self) -> bool:
        return self.verdict == "right"

    def value_of(self, verdict: str) -> float | None:
        """The number a verdict's (first) candidate gives, or None if it has none here."""
        return next((c.value for c in self.candidates if c.verdict == verdict), None)


# ------------------------------------------------------------------ public API
def diagnose(
    evaluation: Evaluation,
    node: str,
    answer: float | str,
    *,
    consumer: str | None = None,
    slot: int | None = None,
) -> Diagnosis:
    """Judge ``answer`` for dnode, or for ∂consumer/∂node when ``consumer`` is given.

    A text answer is read as the editor reads numbers; one typed with two or more
    significant digits is also right when it is dnode rounded to those digits.
    Raises ValueError for an unknown node, a consumer that does not use the node,
    a missing ``slot`` when the consumer uses the node twice, a node with no
    derivative, or an answer that is not a number.
    """
    digits = None
    if isinstance(answer, str):
        value = parse_number(answer)
        digits = significant_digits(answer)
    else:
        if isinstance(answer, bool) or not isinstance(answer, Real):
            raise ValueError(f"the answer must be a number, not {answer!r}")
        value = float(answer)
        if not math.isfinite(value):
            raise ValueError(f"the answer must be a finite number, not {answer!r}")
    pool = candidates(evaluation, node, consumer=consumer, slot=slot)
    local = consumer is not None
    if local:
        slot = local_term(evaluation, node, consumer, slot).slot
    verdicts, matched = _match(value, digits, pool, LOCAL_VERDICTS if local else VERDICTS)
    symbol = _symbol(evaluation, node, consumer, slot)
    message = _message(evaluation, node, consumer, slot, value, pool, verdicts, matched)
    return Diagnosis(
        node=node,
        consumer=consumer,
        slot=slot,
        symbol=symbol,
        answer=value,
        expected=pool[0].value,
        verdict=verdicts[0],
        verdicts=verdicts,
        message=message,
        candidates=pool,
        matched=matched,
    )


def hints(
    evaluation: Evaluation, node: str, *, consumer: str | None = None, slot: int | None = None
) -> tuple[str, str, str]:
    """Three hints for dnode (or ∂consumer/∂node), from vague to specific.

    For dnode: which nodes use it; the chain rule in symbols; the chain rule with the
    numbers filled in and the result left blank.  For a local derivative: the op's
    rule in symbols, then in this graph's names, then with their values.
    """
    if consumer is not None:
        return _local_hints(evaluation, node, consumer, slot)
    checked_derivative(evaluation, node)  # refuses a node with no derivative
    out = evaluation.output
    d = namer(evaluation)
    if node == out:
        return (
            f"{node} is the output: how far does {node} move when {node} itself moves?",
            f"{d(node)} = ∂{node}/∂{node}: the output's derivative with respect to itself.",
            f"{d(node)} = ?   ({node} moves exactly as far as {node} does.)",
        )
    terms = evaluation.terms(node)
    if not terms:
        return (
            f"{node} is not used on any path to {out}.",
            f"{d(node)} adds one term per path from {node} to {out}, and there is none.",
            f"{d(node)} = ?   (With no path, nudging {node} leaves {out} where it is.)",
        )
    uses = used_by(node, terms)
    first = (
        f"{uses}: {d(node)} adds up what comes back through each of them."
        if len(terms) > 1
        else f"{uses}: {d(node)} comes back through {terms[0].consumer}."
    )
    symbolic = " + ".join(f"{d(t.consumer)} · {t.partial_symbol(node)}" for t in terms)
    local = " + ".join(f"{d(t.consumer)} · {bracketed(t.partial_text)}" for t in terms)
    second = f"{d(node)} = {symbolic}"
    if local != symbolic:
        second += f" = {local}"
    numbers = " + ".join(f"{factor(t.consumer_grad)} · {factor(t.partial)}" for t in terms)
    return first, second, f"{d(node)} = {numbers} = ?"


def clashes(pool: tuple[Candidate, ...]) -> list[tuple[Candidate, Candidate]]:
    """The pairs of candidates that one answer could be near at once, and so could not be
    told apart: two different verdicts, two different missed paths, or a mistake near
    the right value without being equal to it.  A mistake that gives exactly the right
    value is no mistake, and is left out; two uses with the same local derivative (or
    the same upstream one) are the same mistake, and are not a clash.
    """
    right = pool[0].value
    kept = sorted(
        ((*_reach(c.value), c) for c in pool if c is pool[0] or not _same(c.value, right)),
        key=lambda item: item[0],
    )
    found = []
    for i, (_, high, a) in enumerate(kept):
        j = i + 1
        while j < len(kept) and kept[j][0] <= high:
            b = kept[j][2]
            if a.verdict != b.verdict or a.verdict == "missed-path":
                found.append((a, b))
            j += 1
    return found


def significant_digits(text: str) -> int | None:
    """How many significant digits a typed number has (``0.119`` has 3, ``100`` has 3,
    ``1.5e3`` has 2), or None for text that is not a plain decimal number."""
    match = _DECIMAL.fullmatch(text.strip().replace("−", "-"))
    if match is None:
        return None
    digits = (match.group(1) + (match.group(2) or "")).lstrip("0")
    return max(len(digits), 1)


_DECIMAL = re.compile(r"[+-]?(\d*)(?:\.(\d*))?(?:[eE][+-]?\d+)?")


# ------------------------------------------------------------------ matching
def _match(
    answer: float, digits: int | None, pool: tuple[Candidate, ...], table: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[Candidate, ...]]:
    """The matching verdicts in table order, and the nearest matching candidate of each."""
    right = pool[0]
    mistakes = [c for c in pool[1:] if not _same(c.value, right.value)]
    gap = abs(answer - right.value)
    near_right = _near(answer, right.value) or (
        digits is not None and digits >= 2 and _same(answer, _rounded(right.value, digits))
    )
    nearer = [c for c in mistakes if abs(answer - c.value) < gap]
    hits = [c for c in mistakes if _near(answer, c.value)]
    if near_right and not nearer:
        hits.insert(0, right)
    elif near_right and not hits:  # right by the digits typed, but a mistake is nearer
        closest = min(abs(answer - c.value) for c in nearer)
        hits = [c for c in nearer if abs(answer - c.value) == closest]
    best: dict[str, Candidate] = {}
    for c in hits:
        if c.verdict not in best or abs(answer - c.value) < abs(answer - best[c.verdict].value):
            best[c.verdict] = c
    ordered = tuple(best[v] for v in table if v in best)
    verdicts = tuple(c.verdict for c in ordered) or ("wrong",)
    return verdicts, ordered


def _near(answer: float, candidate: float) -> bool:
    low, high = _reach(candidate)
    return low <= answer <= high


def _reach(candidate: float) -> tuple[float, float]:
    """The answers near a candidate: within 0.5 % of it, or 1e-9 of 0."""
    spread = NEAR_ZERO if candidate == 0 else NEAR * abs(candidate)
    return candidate - spread, candidate + spread


def _same(a: float, b: float) -> bool:
    return a == b or abs(a - b) <= SAME * max(abs(a), abs(b))


def _rounded(x: float, digits: int) -> float:
    return float(f"{x:.{digits - 1}e}")


# ------------------------------------------------------------------ messages
def _message(
    evaluation: Evaluation,
    node: str,
    consumer: str | None,
    slot: int | None,
    answer: float,
    pool: tuple[Candidate, ...],
    verdicts: tuple[str, ...],
    matched: tuple[Candidate, ...],
) -> str:
    shown = fmt(answer)
    symbol = _symbol(evaluation, node, consumer, slot)
    if verdicts[0] == "right":
        return f"Right: {pool[0].what}."
    if verdicts == ("wrong",):
        # The symbolic chain rule for a derivative; for a local derivative only the
        # op's general rule, since the rule in this node's names is often the answer.
        rule = (
            hints(evaluation, node)[1]
            if consumer is None
            else _local_hints(evaluation, node, consumer, slot)[0]
        )
        return f"{shown} is not {symbol}. {rule.rstrip('.')}."
    if verdicts == ("missed-path",) and consumer is None:
        (c,) = matched
        terms = evaluation.terms(node)
        return f"{used_by(node, terms)}; you have {c.what}. {c.advice}"
    whats = [c.what for c in matched]
    said = f"{shown} is {whats[0]}" + "".join(f", and also {w}" for w in whats[1:]) + "."
    if {"local-only", "upstream-only"} <= set(verdicts) and _same_term(matched):
        d = namer(evaluation)
        (k,) = matched[0].terms
        t = evaluation.terms(node)[k]
        product = f"{d(t.consumer)} · {t.partial_symbol(node)}"
        advice = [f"{symbol} needs both, multiplied: {symbol} = {product}."]
        advice += [c.advice for c in matched if c.verdict not in ("local-only", "upstream-only")]
    else:
        advice = [c.advice for c in matched]
    return " ".join([said, *dict.fromkeys(advice)])


def _same_term(matched: tuple[Candidate, ...]) -> bool:
    terms = {c.terms for c in matched if c.verdict in ("local-only", "upstream-only")}
    return len(terms) == 1


def _local_hints(
    evaluation: Evaluation,
    node: str,
    consumer: str,
    slot: int | None,
) -> tuple[str, str, str]:
    term = local_term(evaluation, node, consumer, slot)
    op = OPS[evaluation.op(consumer)]
    generic = [n for n in ("p", "q", "r") if n != consumer][: op.arity]
    rule = op.partial_text(term.slot, generic, consumer)
    shape = op.template.format(*generic)
    symbol = term.partial_symbol(node)
    first = (
        f"Rule for {op.title.split(':')[0]}: if {consumer} = {shape}, "
        f"then ∂{consumer}/∂{generic[term.slot]} = {rule}."
    )
    names = operands(evaluation, consumer)
    shown = [_operand_text(evaluation, n) for n in names]
    here = op.template.format(*shown)
    second = f"Here {consumer} = {here}, so {symbol} = {term.partial_text}."
    known = dict.fromkeys(
        n for n in [*names, consumer] if n and not evaluation.is_inline_constant(n)
    )
    values = ", ".join(f"{n} = {fmt(evaluation.values[n])}" for n in known)
    third = f"With {values}: {symbol} = ?"
    return first, second, third


def _operand_text(evaluation: Evaluation, name: str | None) -> str:
    if name is None:
        return "□"
    if evaluation.is_inline_constant(name):
        return factor(evaluation.values[name])
    return name


def _symbol(evaluation: Evaluation, node: str, consumer: str | None, slot: int | None) -> str:
    if consumer is None:
        return derivative_symbol(node, evaluation.output)
    term = local_term(evaluation, node, consumer, slot)
    return term.partial_symbol(node)
