"""Text about a graph that every view shares, with no Qt: how a node reads in its
operands' names (``u = b·c``), and a breakdown line as LaTeX for slides."""

from __future__ import annotations

import re

from dvar.core.evaluation import EMPTY_SLOT
from dvar.core.graph import Graph, Node
from dvar.core.numbers import format_number


def formula(graph: Graph, node: Node) -> str:
    """``u = b·c``: how a node is computed, in the op table's template, for diagrams
    without numbers."""
    if node.op.is_leaf:
        return f"{node.id} = {format_number(node.value)}" if node.op.name == "const" else node.id
    names = [graph.id_of(k) if k is not None else EMPTY_SLOT for k in node.inputs]
    return f"{node.id} = {node.op.template.format(*names)}"


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
