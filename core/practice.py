"""Practice: judge a learner's answer for a derivative, and say which mistake it is.

``diagnose(evaluation, "x", 15)`` compares the answer for dx with the right value
and with the numbers the usual mistakes give: a missed path when x is used more
than once, the paths multiplied instead of added, the local derivative or the
upstream one alone, the wrong sign, the value instead of the derivative.  With a
``consumer`` the answer is the local derivative ∂consumer/∂node instead.
``hints`` gives three hints, from vague to specific.  docs/practice.md has the
table and the matching rules.

Everything is read from the Evaluation's public API (``terms``, ``partial``,
``values``, ``grads``), in the canonical order of its chain-rule terms.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from numbers import Real

from dvar.core.evaluation import Evaluation, Term, derivative_symbol
from dvar.core.numbers import format_number, parse_number
from dvar.core.ops import OPS

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

#: An answer is near a candidate within this fraction of it ...
NEAR = 0.005
#: ... or within this much of a candidate that is 0.
NEAR_ZERO = 1e-9
#: Two numbers closer than this, relative to the larger, are the same candidate.
SAME = 1e-9
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
        slot = _local_term(evaluation, node, consumer, slot).slot
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
    _derivative(evaluation, node)  # refuses a node with no derivative
    out = evaluation.output
    d = _namer(evaluation)
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
    uses = _uses(node, terms)
    first = (
        f"{uses}: {d(node)} adds up what comes back through each of them."
        if len(terms) > 1
        else f"{uses}: {d(node)} comes back through {terms[0].consumer}."
    )
    symbolic = " + ".join(f"{d(t.consumer)} · {t.partial_symbol(node)}" for t in terms)
    local = " + ".join(f"{d(t.consumer)} · {_group(t.partial_text)}" for t in terms)
    second = f"{d(node)} = {symbolic}"
    if local != symbolic:
        second += f" = {local}"
    numbers = " + ".join(f"{_factor(t.consumer_grad)} · {_factor(t.partial)}" for t in terms)
    return first, second, f"{d(node)} = {numbers} = ?"


def candidates(
    evaluation: Evaluation, node: str, *, consumer: str | None = None, slot: int | None = None
) -> tuple[Candidate, ...]:
    """The right value and every number a mistake gives, ``right`` first, in table order.

    Raises ValueError as :func:`diagnose` does.
    """
    if consumer is not None:
        return _local_candidates(evaluation, node, consumer, slot)
    if slot is not None:
        raise ValueError("a slot only makes sense with a consumer (a local derivative)")
    dn = _derivative(evaluation, node)
    d = _namer(evaluation)
    terms = [] if node == evaluation.output else evaluation.terms(node)
    numbers = " + ".join(f"{_factor(t.consumer_grad)} · {_factor(t.partial)}" for t in terms)
    worked = f"{numbers} = " if numbers and numbers != _fmt(dn) else ""
    found = [Candidate("right", dn, f"{d(node)} = {worked}{_fmt(dn)}")]
    products = [t.product for t in terms]
    several = len(terms) > 1 and None not in products
    if several:
        found += _missed_paths(evaluation, node, terms)
        product = math.prod(products)  # type: ignore[arg-type]
        shown = " · ".join(_factor(p) for p in products)
        found.append(
            Candidate(
                "product-of-paths",
                product,
                f"the product of the paths ({shown} = {_fmt(product)})",
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
                f"{symbol} alone, the local derivative ({_with_text(t.partial_text, t.partial)})",
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
                f"{d(t.consumer)} alone, the derivative from upstream ({_fmt(t.consumer_grad)})",
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


# ------------------------------------------------------------------ candidates
def _derivative(evaluation: Evaluation, node: str) -> float:
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
    d = _namer(evaluation)
    products: list[float] = [t.product for t in terms]  # type: ignore[misc]

    def path(t: Term) -> str:
        return f"{d(t.consumer)} · {t.partial_symbol(node)} = {_fmt(t.product)}"

    found = []
    if n <= MAX_SUBSET_USES:
        for size in range(1, n):
            for subset in itertools.combinations(range(n), size):
                value = 0.0
                for k in subset:  # in the canonical order, as the derivative is summed
                    value += products[k]
                had = [terms[k] for k in subset]
                amount = _fmt(value) if size == 1 else f"{_sum(had)} = {_fmt(value)}"
                add = " and ".join(path(terms[k]) for k in range(n) if k not in subset)
                what = f"only {_paths(had)} ({amount})"
                found.append(Candidate("missed-path", value, what, f"Add {add}.", subset))
        return found
    # Many uses: the texts name the one path kept or left out, and each all-but-one
    # sum is the whole sum less one term (fast; the same to far within "near").
    total = math.fsum(products)
    for k, t in enumerate(terms):
        what = f"only {_paths([t])} ({_fmt(t.product)})"
        advice = f"Add the other {n - 1} paths, one for each use of {node}."
        found.append(Candidate("missed-path", products[k], what, advice, (k,)))
    for k, t in enumerate(terms):
        value = total - products[k]
        what = f"every path but the one through {_through(t)} ({_fmt(value)})"
        found.append(Candidate("missed-path", value, what, f"Add {path(t)}.", omitted=(k,)))
    return found


def _wrong_sign(symbol: str, dn: float, terms: list[Term], node: str) -> Candidate:
    negative = [t for t in terms if t.partial is not None and t.partial < 0]
    check = (
        "Look again at the minus sign in "
        + " and ".join(f"{t.partial_symbol(node)} = {_fmt(t.partial)}" for t in negative)
        + "."
        if negative
        else "Check the sign of each factor."
    )
    return Candidate("wrong-sign", -dn, f"-{symbol}, the right size with the wrong sign", check)


def _local_term(evaluation: Evaluation, node: str, consumer: str, slot: int | None) -> Term:
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
    term = _local_term(evaluation, node, consumer, slot)
    symbol = term.partial_symbol(node)
    if term.partial is None:
        raise ValueError(f"{symbol} has no value here")
    right = term.partial
    found = [Candidate("right", right, f"{symbol} = {_with_text(term.partial_text, right)}")]
    names = _operands(evaluation, consumer)
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
                f"Check the sign of {_group(term.partial_text)}.",
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


def _operands(evaluation: Evaluation, consumer: str) -> list[str | None]:
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
    shown = _fmt(answer)
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
        return f"{_uses(node, terms)}; you have {c.what}. {c.advice}"
    whats = [c.what for c in matched]
    said = f"{shown} is {whats[0]}" + "".join(f", and also {w}" for w in whats[1:]) + "."
    if {"local-only", "upstream-only"} <= set(verdicts) and _same_term(matched):
        d = _namer(evaluation)
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
    term = _local_term(evaluation, node, consumer, slot)
    op = OPS[evaluation.op(consumer)]
    generic = [n for n in ("p", "q", "r") if n != consumer][: op.arity]
    rule = op.partial_text(term.slot, generic, consumer)
    shape = op.template.format(*generic)
    symbol = term.partial_symbol(node)
    first = (
        f"Rule for {op.title.split(':')[0]}: if {consumer} = {shape}, "
        f"then ∂{consumer}/∂{generic[term.slot]} = {rule}."
    )
    names = _operands(evaluation, consumer)
    shown = [_operand_text(evaluation, n) for n in names]
    here = op.template.format(*shown)
    second = f"Here {consumer} = {here}, so {symbol} = {term.partial_text}."
    known = dict.fromkeys(
        n for n in [*names, consumer] if n and not evaluation.is_inline_constant(n)
    )
    values = ", ".join(f"{n} = {_fmt(evaluation.values[n])}" for n in known)
    third = f"With {values}: {symbol} = ?"
    return first, second, third


def _operand_text(evaluation: Evaluation, name: str | None) -> str:
    if name is None:
        return "□"
    if evaluation.is_inline_constant(name):
        return _factor(evaluation.values[name])
    return name


def _symbol(evaluation: Evaluation, node: str, consumer: str | None, slot: int | None) -> str:
    if consumer is None:
        return derivative_symbol(node, evaluation.output)
    term = _local_term(evaluation, node, consumer, slot)
    return term.partial_symbol(node)


def _namer(evaluation: Evaluation):
    out = evaluation.output

    def d(name: str) -> str:
        return derivative_symbol(name, out)

    return d


def _uses(node: str, terms: list[Term]) -> str:
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


def _paths(terms: list[Term]) -> str:
    """``the path through a``, ``the paths through a and b``."""
    names = [_through(t) for t in terms]
    if len(names) == 1:
        return f"the path through {names[0]}"
    return f"the paths through {', '.join(names[:-1])} and {names[-1]}"


def _through(t: Term) -> str:
    return f"{t.consumer}'s slot {t.slot + 1}" if t.repeated else t.consumer


def _sum(terms: list[Term]) -> str:
    return " + ".join(_factor(t.product) for t in terms)


def _with_text(text: str, value: float) -> str:
    shown = _fmt(value)
    return shown if text == shown else f"{text} = {shown}"


def _fmt(x: float | None) -> str:
    return format_number(x)


def _factor(x: float | None) -> str:
    text = format_number(x)
    return f"({text})" if text.startswith("-") else text


def _group(text: str) -> str:
    """Brackets around a partial's text that is more than one factor: ``(1 - s)``."""
    if re.fullmatch(r"\w+|-?\d[\d.e+-]*|\(.*\)|\[[^\[\]]*\]", text):
        return text
    return f"({text})" if any(ch in text for ch in " +-/·") else text
