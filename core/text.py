"""Text about a graph that every view shares, with no Qt: how a node reads in its
operands' names (``u = b·c``), and a breakdown line as LaTeX for slides."""

from __future__ import annotations

import re
from collections.abc import Callable, Container

from dvar.core.evaluation import EMPTY_SLOT, Evaluation, Term, derivative_symbol
from dvar.core.graph import Graph, Node
from dvar.core.numbers import format_number


def formula(
    graph: Graph,
    node: Node,
    inline: Container[int] = (),
    number: Callable[[float | None], str] = format_number,
) -> str:
    """``u = b·c``: how a node is computed, in the op table's template, its operands
    named by id, an empty slot as ``□``.

    A constant whose key is in ``inline`` reads as its number, as on the lecture's
    slide: ``J = 3·v`` (the canvas passes the constants it draws as chips on their
    consumer's port; ``inline_constants(graph)`` gives the core's rule).  ``number``
    writes those numbers (the editor passes its own precision).  An input reads as
    its id, a constant as ``k = 3``.
    """
    if node.op.is_leaf:
        return f"{node.id} = {number(node.value)}" if node.op.name == "const" else node.id
    names = []
    for key in node.inputs:
        if key is None:
            names.append(EMPTY_SLOT)
            continue
        operand = graph.node(key)
        if key in inline and operand.op.name == "const":
            text = number(operand.value)
            names.append(f"({text})" if text.startswith("-") else text)
        else:
            names.append(operand.id)
    return f"{node.id} = {node.op.template.format(*names)}"


def inline_constants(graph: Graph) -> set[int]:
    """Keys of the constants drawn on their consumer's port and written as their number:
    those with exactly one use (``Graph.is_inline_constant``) not dragged off as a box."""
    return {node.key for node in graph if graph.is_inline_constant(node.key)}


_LATEX = {
    "·": r" \cdot ",
    "∂": r"\partial ",
    "²": "^{2}",
    "√": r"\sqrt",
    "σ": r"\sigma",
    "≡": r"\equiv",
    "—": r"\text{undefined}",
}


def to_latex(text: str) -> str:
    """A breakdown line as LaTeX math, for slides: ``db = du \\cdot \\frac{\\partial u}{...}``."""

    def fraction(match: re.Match) -> str:
        return rf"\frac{{\partial {match.group(1)}}}{{\partial {match.group(2)}}}"

    out = re.sub(r"∂(\w+)/∂(\w+(?:\[\d\])?)", fraction, text)
    out = out.replace("_", r"\_")
    for plain, tex in _LATEX.items():
        out = out.replace(plain, tex)
    out = re.sub(r" {2,}", " ", out)
    return f"${out.strip()}$"


#: How far a node goes up in the sentences about local derivatives: the lecture's nudge.
NUDGE = 0.001

_TIMES = {2: "twice", 3: "three times"}
_ORDINAL = ("first", "second")


def local_derivative_sentence(
    graph: Graph,
    evaluation: Evaluation,
    ref: str | int,
    notation: str = "d",
    h: float = NUDGE,
    number: Callable[[float | None], str] = format_number,
    most: int | None = None,
) -> str:
    """The local derivative of each use of a node, in the lecture's words:
    ``J = 3·v, so when v goes up by 0.001, J goes up by 0.003: ∂J/∂v = 3.``

    One clause per chain-rule term (``evaluation.terms``), in their order; a node
    used more than once first says who uses it and that the contributions add up.
    Each change is the partial times ``h``; "about" marks one the consumer's own
    formula does not give exactly at ``h``.  Formulas write inline constants as
    their number, as the breakdowns do.  ``graph`` is the graph ``evaluation``
    was made from, as it still is.  ``most`` bounds the uses written out (a node
    used a thousand times): the sentence then says how many more there are.
    """
    node_id = graph.node(ref).id
    out = evaluation.output
    if out is None:
        return (
            "No output is chosen: a derivative says how the output moves when "
            f"{node_id} moves, so there is none yet."
        )
    step = number(h)
    d_node = derivative_symbol(node_id, out, notation)
    if node_id == out:
        if evaluation.grads[ref] is None:
            return f"{out} is the output, but it has no value here, so it has no derivative."
        return (
            f"{out} is the output: when {out} goes up by {step}, {out} itself goes up by "
            f"{step}, so {d_node} = 1."
        )
    terms = evaluation.terms(ref)
    if not terms:
        return (
            f"{out} does not depend on {node_id}: no path leads from {node_id} to {out}, "
            f"so nudging {node_id} leaves {out} where it is: {d_node} = 0."
        )
    inline = evaluation.inline_constant_keys
    clauses = []
    for k, term in enumerate(terms[:most]):
        again = k > 0 and terms[k - 1].consumer == term.consumer  # the next slot of x·x
        clause = _use_clause(graph, evaluation, node_id, term, step, h, inline, number, again)
        clauses.append(clause[0].upper() + clause[1:] if again else clause)
    if len(terms) == 1:
        return clauses[0] + "."
    more = len(terms) - len(clauses)
    if more:
        clauses.append(f"And {more} more use{'s' * (more != 1)}, each read the same way")
    return f"{_uses_intro(node_id, terms)} " + " ".join(f"{clause}." for clause in clauses)


def _uses_intro(node_id: str, terms: list[Term]) -> str:
    """``a is used twice, by J and by m, and the contributions add up.``"""
    counts: dict[str, int] = {}
    for term in terms:
        counts[term.consumer] = counts.get(term.consumer, 0) + 1
    times = _TIMES.get(len(terms), f"{len(terms)} times")
    if len(counts) == 1:
        (consumer,) = counts
        whom = f"both times by {consumer}" if len(terms) == 2 else f"each time by {consumer}"
    else:
        named = [
            f"by {c}" + ("" if n == 1 else f" ({_TIMES.get(n, f'{n} times')})")
            for c, n in counts.items()
        ]
        whom = ", ".join(named[:-1]) + f" and {named[-1]}"
    return f"{node_id} is used {times}, {whom}, and the contributions add up."


def _use_clause(
    graph: Graph,
    evaluation: Evaluation,
    node_id: str,
    term: Term,
    step: str,
    h: float,
    inline: Container[int],
    number: Callable[[float | None], str],
    again: bool = False,
) -> str:
    """``J = 3·v, so when v goes up by 0.001, J goes up by 0.003: ∂J/∂v = 3``; with
    ``again`` (the consumer's formula was just written), the clause starts at "when"."""
    consumer = graph.node(term.consumer)
    shown = formula(graph, consumer, inline, number)
    symbol = term.partial_symbol(node_id)
    key = graph.key_of(node_id)
    if key in inline:  # the consumer's formula shows the constant as its number
        value = number(graph.node(key).value)
        head, subject = f"{node_id} is the {value} in {shown}", "it"
    elif term.repeated:
        first, other = _ORDINAL[term.slot], _ORDINAL[1 - term.slot]
        head, subject = shown, f"the {first} {node_id}"
        step = f"{step} and the {other} stays put"
    else:
        head, subject = shown, node_id
    if term.partial is None:
        if evaluation.values[consumer.key] is None:
            why = evaluation.error(consumer.key) or "a value is missing"
            return f"{head}, but {term.consumer} has no value ({why}), so {symbol} has none"
        return f"{head}, but {symbol} is not a finite number at these values"
    change = term.partial * h
    if change == 0:
        moves = f"{term.consumer} does not move"
    else:
        about = "" if _exact(evaluation, consumer, term.slot, h, change, number) else "about "
        way = "up" if change > 0 else "down"
        moves = f"{term.consumer} goes {way} by {about}{number(abs(change))}"
    when = f"when {subject} goes up by {step}, {moves}: {symbol} = {number(term.partial)}"
    return when if again else f"{head}, so {when}"


def _exact(
    evaluation: Evaluation,
    consumer: Node,
    slot: int,
    h: float,
    change: float,
    number: Callable[[float | None], str],
) -> bool:
    """Whether the consumer's formula, with the operand in ``slot`` moved by ``h`` and
    the other held still, moves by ``change`` as far as the digits shown go."""
    xs = [evaluation.values[k] for k in consumer.inputs]
    y = evaluation.values[consumer.key]
    if None in xs or y is None:
        return False
    xs[slot] += h
    try:
        moved = consumer.op.fn(*xs) - y
    except (ArithmeticError, ValueError):
        return False
    return number(moved) == number(change)
