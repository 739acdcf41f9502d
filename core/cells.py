"""Cells: the numbers on a diagram that a learner can be asked for.

A cell is ``("grad", key, 0)`` for dnode, ``("value", key, 0)`` for a computed
node's value, or ``("partial", consumer key, slot)`` for the local derivative on
the edge into that slot.  Practice mode, lessons and worksheets all hide and ask
cells; :func:`askable_cells` is the one rule for which cells of a kind exist.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the graph imports the lesson, which names cells
    from dvar.core.evaluation import Evaluation
    from dvar.core.graph import Graph

Cell = tuple[str, int, int]

#: The kinds of cell, in the words the cells use.
KINDS = ("value", "grad", "partial")


def askable_cells(
    graph: Graph, ev: Evaluation, kinds: Iterable[str], chips: Collection[int]
) -> list[Cell]:
    """Every cell of the given kinds that has an answer, in the order a learner meets
    them: computed values in topological order, then derivatives right to left, each
    followed by the local derivatives on its edges.

    Inputs and constants are given, so their values are never asked.  Constants drawn
    as chips (``chips``) have no derivative line, so no derivative cell; nor are the
    edges from constants asked (a constant's local derivative is its consumer's rule).
    A local derivative of 0 is a number like any other, and is asked."""
    kinds = set(kinds)
    cells: list[Cell] = []
    if "value" in kinds:
        cells += [
            ("value", node.key, 0)
            for node in graph.nodes_in_order()
            if not node.op.is_leaf and ev.values[node.key] is not None
        ]
    if not kinds & {"grad", "partial"} or ev.output is None:
        return cells
    consts = {node.key for node in graph if node.op.name == "const"}
    chips = set(chips)
    for key in ev.order_keys:
        if ev.grads[key] is None:
            continue
        if "grad" in kinds and key not in chips:
            cells.append(("grad", key, 0))
        if "partial" in kinds:
            for slot, source in enumerate(graph.node(key).inputs):
                if source is None or source in consts:
                    continue
                partial = ev.partial(key, slot)
                if partial is not None and math.isfinite(partial):
                    cells.append(("partial", key, slot))
    return cells
