"""Text about a graph that every view shares, with no Qt: how a node reads in its
operands' names (``u = b·c``), and a breakdown line as LaTeX for slides."""

from __future__ import annotations

import re
from collections.abc import Callable, Container

from dvar.core.evaluation import EMPTY_SLOT
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
    return {
        node.key
        for node in graph
        if node.op.name == "const" and not node.box and graph.is_inline_constant(node.key)
    }


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
