"""The table of mistakes: every number a usual mistake gives for a derivative.

``candidates(evaluation, "x")`` gives the right value of dx and, in table order, the
number each mistake gives: a missed path, the paths multiplied, the local or the
upstream derivative alone, the wrong sign, the value instead of the derivative; with
a ``consumer``, the same for the local derivative ∂consumer/∂x.  Each
:class:`Candidate` says in words what its number is and what to do about it.
:mod:`dvar.core.practice` judges an answer against them; docs/practice.md has the
table.

It imports only the standard library and core's evaluation, ops and the wording of
:mod:`dvar.core.practice_text`; never Qt.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from dvar.core.evaluation import Evaluation, Term
from dvar.core.ops import OPS
from dvar.core.practice_text import (
    bracketed,
    factor,
    fmt,
    namer,
    paths_through,
    sum_text,
    through,
    with_text,
)

#: The verdicts for a derivative answer dn, in table order: the first that matches wins.
VERDICTS = (
    "right",
    "missed-path",
    "product-of-paths",
    "local-only",
    "upstream-only",
    "wrong-sign",
    "value-not-derivative",
    "wrong",
)
#: The verdicts for a local derivative ∂consumer/∂node, in table order.
LOCAL_VERDICTS = ("right", "other-operand", "wrong-sign", "value-not-derivative", "wrong")
#: Every subset of the uses is tried up to this many uses; beyond, single uses and all-but-one.
MAX_SUBSET_USES = 12


@dataclass(frozen=True)
class Candidate:
    """One number a mistake (or the right reasoning) gives, and what it is in words."""

    verdict: str
    value: float
    #: What the number is, as a phrase: ``"du alone, the derivative from upstream (3)"``.
    what: str
    #: What to do about it, as a sentence ("" for ``right``).
    advice: str = ""
    #: For ``missed-path``: the positions (in ``Evaluation.terms``) of the terms summed.
    #: For ``local-only`` and ``upstream-only``: the one term.  Empty otherwise.
    terms: tuple[int, ...] = ()
    #: For a ``missed-path`` sum of all terms but one (a node with more than
    #: MAX_SUBSET_USES uses): the position of the one left out, and ``terms`` is empty.
    omitted: tuple[int, ...] = ()


def candidates(
    evaluation: Evaluation, node: str, *, consumer: str | None = None, slot: int | None = None
) -> tuple[Candidate, ...]:
    """The right value and every number a mistake gives, ``right`` first, in table order.

    Raises ValueError as :func:`dvar.core.practice.diagnose` does.
    """
    if consumer is not None:
        return _local_candidates(evaluation, node, consumer, slot)
    if slot is not None:
        raise ValueError("a slot only makes sense with a consumer (a local derivative)")
    dn = checked_derivative(evaluation, node)
    d = namer(evaluation)
    terms = [] if node == evaluation.output else evaluation.terms(node)
    numbers = " + ".join(f"{factor(t.consumer_grad)} · {factor(t.partial)}" for t in terms)
    worked = f"{numbers} = " if numbers and numbers != fmt(dn) else ""
    found = [Candidate("right", dn, f"{d(node)} = {worked}{fmt(dn)}")]
    products = [t.product for t in terms]
    several = len(terms) > 1 and None not in products
    if several:
        found += _missed_paths(evaluation, node, terms)
        product = math.prod(products)  # type: ignore[arg-type]
        shown = " · ".join(factor(p) for p in products)
        found.append(
            Candidate(
                "product-of-paths",
                product,
                f"the product of the paths ({shown} = {fmt(product)})",
                f"The paths add, they do not multiply: {d(node)} = "
                + " + ".join(f"{d(t.consumer)} · {t.partial_symbol(node)}" for t in terms)
                + ".",
            )
        )
    for k, t in enumerate(terms):
        if t.partial is None:
            continue
        symbol = t.partial_symbol(node)
        upstream = d(t.consumer)
        more = ", and add the other paths" if len(terms) > 1 else ""
        found.append(
            Candidate(
                "local-only",
                t.partial,
                f"{symbol} alone, the local derivative ({with_text(t.partial_text, t.partial)})",
                f"Multiply it by {upstream}, the derivative from upstream{more}.",
                (k,),
            )
        )
    for k, t in enumerate(terms):
        if t.consumer_grad is None:
            continue
        symbol = t.partial_symbol(node)
        more = ", and add the other paths" if len(terms) > 1 else ""
        found.append(
            Candidate(
                "upstream-only",
                t.consumer_grad,
                f"{d(t.consumer)} alone, the derivative from upstream ({fmt(t.consumer_grad)})",
                f"Multiply it by the local derivative {symbol}{more}.",
                (k,),
            )
        )
    if dn != 0:
        found.append(_wrong_sign(d(node), dn, terms, node))
    value = evaluation.values[node]
    if value is not None:
        found.append(
            Candidate(
                "value-not-derivative",
                value,
                f"the value of {node}, not its derivative",
                f"{d(node)} is how far {evaluation.output} moves for each unit {node} moves.",
            )
        )
    return tuple(c for c in found if math.isfinite(c.value))


def checked_derivative(evaluation: Evaluation, node: str) -> float:
    """dnode; ValueError for an unknown node, no output, or a derivative with no value."""
    _check_node(evaluation, node)
    if evaluation.output is None:
        raise ValueError(f"d{node} has no value: no output is chosen")
    dn = evaluation.grads[node]
    if dn is None:
        reason = evaluation.error(node) or "a value is missing"
        raise ValueError(f"d{node} has no value: {reason}")
    return dn


def _check_node(evaluation: Evaluation, node: object) -> None:
    if not isinstance(node, str) or node not in evaluation.values:
        raise ValueError(f"there is no node called {node!r}")


def _missed_paths(evaluation: Evaluation, node: str, terms: list[Term]) -> list[Candidate]:
    """One candidate per non-empty proper subset of the terms (or, past
    MAX_SUBSET_USES uses, each single term and each sum of all but one)."""
    n = len(terms)
    d = namer(evaluation)
    products: list[float] = [t.product for t in terms]  # type: ignore[misc]

    def path(t: Term) -> str:
        return f"{d(t.consumer)} · {t.partial_symbol(node)} = {fmt(t.product)}"

    found = []
    if n <= MAX_SUBSET_USES:
        for size in range(1, n):
            for subset in itertools.combinations(range(n), size):
                value = 0.0
                for k in subset:  # in the canonical order, as the derivative is summed
                    value += products[k]
                had = [terms[k] for k in subset]
                amount = fmt(value) if size == 1 else f"{sum_text(had)} = {fmt(value)}"
                add = " and ".join(path(terms[k]) for k in range(n) if k not in subset)
                what = f"only {paths_through(had)} ({amount})"
                found.append(Candidate("missed-path", value, what, f"Add {add}.", subset))
        return found
    # Many uses: the texts name the one path kept or left out, and each all-but-one
    # sum is the whole sum less one term (fast; the same to far within "near").
    total = math.fsum(products)
    for k, t in enumerate(terms):
        what = f"only {paths_through([t])} ({fmt(t.product)})"
        advice = f"Add the other {n - 1} paths, one for each use of {node}."
        found.append(Candidate("missed-path", products[k], what, advice, (k,)))
    for k, t in enumerate(terms):
        value = total - products[k]
        what = f"every path but the one through {through(t)} ({fmt(value)})"
        found.append(Candidate("missed-path", value, what, f"Add {path(t)}.", omitted=(k,)))
    return found


def _wrong_sign(symbol: str, dn: float, terms: list[Term], node: str) -> Candidate:
    negative = [t for t in terms if t.partial is not None and t.partial < 0]
    check = (
        "Look again at the minus sign in "
        + " and ".join(f"{t.partial_symbol(node)} = {fmt(t.partial)}" for t in negative)
        + "."
        if negative
        else "Check the sign of each factor."
    )
    return Candidate("wrong-sign", -dn, f"-{symbol}, the right size with the wrong sign", check)


def local_term(evaluation: Evaluation, node: str, consumer: str, slot: int | None) -> Term:
    """The chain-rule term of ``node`` through ``consumer`` (in ``slot``, when it uses
    the node twice); ValueError when there is no such use on the way to the output."""
    _check_node(evaluation, node)
    _check_node(evaluation, consumer)
    if evaluation.output is None:
        raise ValueError(
            f"∂{consumer}/∂{node} is not asked for: no output is chosen, so no path leads anywhere"
        )
    uses = [t for t in evaluation.terms(node) if t.consumer == consumer]
    if not uses:
        raise ValueError(f"{consumer} does not use {node} on the way to {evaluation.output}")
    if slot is None:
        if len(uses) > 1:
            slots = " and ".join(str(t.slot) for t in uses)
            raise ValueError(
                f"{consumer} uses {node} in more than one slot ({slots}): "
                "say which slot the answer is for"
            )
        return uses[0]
    if isinstance(slot, bool) or not isinstance(slot, int):
        raise ValueError(f"slot must be a whole number, not {slot!r}")
    term = next((t for t in uses if t.slot == slot), None)
    if term is None:
        raise ValueError(f"slot {slot} of {consumer} is not {node}")
    return term


def _local_candidates(
    evaluation: Evaluation, node: str, consumer: str, slot: int | None
) -> tuple[Candidate, ...]:
    term = local_term(evaluation, node, consumer, slot)
    symbol = term.partial_symbol(node)
    if term.partial is None:
        raise ValueError(f"{symbol} has no value here")
    right = term.partial
    found = [Candidate("right", right, f"{symbol} = {with_text(term.partial_text, right)}")]
    names = operands(evaluation, consumer)
    for other in range(OPS[evaluation.op(consumer)].arity):
        if other == term.slot:
            continue
        partial = evaluation.partial(consumer, other)
        if partial is None:
            continue
        name = names[other] or f"slot {other}"
        found.append(
            Candidate(
                "other-operand",
                partial,
                f"∂{consumer}/∂{name}, the local derivative for the other operand",
                f"{symbol} is the derivative for {node}: hold {name} still and move {node}.",
            )
        )
    if right != 0:
        found.append(
            Candidate(
                "wrong-sign",
                -right,
                f"-{symbol}, the right size with the wrong sign",
                f"Check the sign of {bracketed(term.partial_text)}.",
            )
        )
    value = evaluation.values[consumer]
    if value is not None:
        found.append(
            Candidate(
                "value-not-derivative",
                value,
                f"the value of {consumer}, not its derivative",
                f"{symbol} is how far {consumer} moves for each unit {node} moves.",
            )
        )
    return tuple(c for c in found if math.isfinite(c.value))


def operands(evaluation: Evaluation, consumer: str) -> list[str | None]:
    """The ids in each operand slot of ``consumer`` (None where none is known), read off
    the chain-rule terms of the nodes that reach the output."""
    arity = OPS[evaluation.op(consumer)].arity
    names: list[str | None] = [None] * arity
    for ref in evaluation.order:
        for t in evaluation.terms(ref):
            if t.consumer == consumer:
                names[t.slot] = ref
        if None not in names:
            break
    return names
