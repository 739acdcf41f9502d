"""What a figure of a graph shows, with no Qt: the boxes, chips, edges and notes that
the TikZ (``core/tikz.py``) and Graphviz (``core/dot.py``) writers draw.

It follows the canvas's look: each box has its name and op in a header, its value line
(``u = b·c = 6``, or the formula alone without numbers) and its derivative in red
(``du = 3``); a constant with one use (``Graph.is_inline_constant``, not the output)
is a chip on the port it feeds, written as its number in its consumer's formula; in
the backward view each edge carries the local derivative ∂consumer/∂operand.
Positions are the canvas's (top-left corners, y down); a node never placed gets the
layered layout's spot.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from dvar.core.evaluation import Evaluation, derivative_symbol
from dvar.core.graph import Graph, GraphError
from dvar.core.layout import layered_layout
from dvar.core.numbers import format_number
from dvar.core.text import formula, inline_constants


@dataclass(frozen=True)
class Chip:
    """A constant drawn on its consumer's input port: its number."""

    key: int
    id: str
    slot: int
    number: str


@dataclass(frozen=True)
class Box:
    """A node drawn as a box."""

    key: int
    id: str
    #: The header's name: the node's label, or its id (a long label cut short with "…").
    title: str
    #: The op's symbol (``×``), or ``input`` / ``const`` for a leaf.
    symbol: str
    #: ``u = b·c = 6`` (the formula alone when numbers are off).
    value_line: str
    #: ``du = 3``, or "" when numbers are off.
    grad_line: str
    x: float
    y: float
    arity: int
    is_output: bool
    chips: tuple[Chip, ...] = ()


@dataclass(frozen=True)
class Edge:
    """An edge from ``source``'s output to input ``slot`` of ``consumer`` (both box keys)."""

    source: int
    consumer: int
    slot: int
    #: The local derivative, in the backward view; "" otherwise.
    label: str


@dataclass(frozen=True)
class Figure:
    boxes: tuple[Box, ...]
    edges: tuple[Edge, ...]
    #: Canvas notes and frames (``core.notes.Note``), drawn behind the graph.
    notes: tuple
    backward: bool
    values: bool
    title: str


def chosen_keys(graph: Graph, ids: Iterable[str]) -> set[int]:
    """The keys of the nodes named in ``--only a,b,c`` (read as NFKC, as formulas are).
    Raises GraphError naming every id the graph does not have."""
    keys, unknown = set(), []
    for raw in ids:
        name = unicodedata.normalize("NFKC", raw.strip())
        if not name:
            continue
        if name in graph:
            keys.add(graph.key_of(name))
        else:
            unknown.append(name)
    if unknown:
        listed = ", ".join(repr(name) for name in unknown)
        raise GraphError(f"the graph has no node {listed}")
    if not keys:
        raise GraphError("no node is named")
    return keys


def make_figure(
    graph: Graph,
    evaluation: Evaluation,
    *,
    backward: bool = False,
    values: bool = True,
    only: Iterable[int] | None = None,
) -> Figure:
    """The figure of ``graph`` (``evaluation`` is its evaluation, as it is now).
    ``only`` keeps those node keys, the chips on their ports and the edges among them."""
    chips_wanted = inline_constants(graph) - {graph.output_key}
    chosen = set(graph.topological_keys()) if only is None else set(only)
    output = graph.output
    placed = _positions(graph)
    hosted: dict[int, list[Chip]] = {}
    for key in chips_wanted:
        (consumer, slot), *_ = graph.consumers(key)
        host = graph.key_of(consumer)
        if host in chosen or (only is not None and key in chosen):
            number = format_number(graph.node(key).value) if values else graph.node(key).id
            hosted.setdefault(host, []).append(Chip(key, graph.id_of(key), slot, number))
    boxes = []
    for key in graph.topological_keys():
        if key not in chosen or key in chips_wanted:
            continue
        node = graph.node(key)
        x, y = placed[key]
        boxes.append(
            Box(
                key=key,
                id=node.id,
                title=_elided(node.label or node.id, node.id),
                symbol=node.op.name if node.op.is_leaf else node.op.symbol,
                value_line=_value_line(graph, evaluation, node, chips_wanted, values),
                grad_line=(
                    f"{derivative_symbol(node.id, output)} = {format_number(evaluation.grads[key])}"
                    if values
                    else ""
                ),
                x=x,
                y=y,
                arity=node.op.arity,
                is_output=key == graph.output_key,
                chips=tuple(sorted(hosted.get(key, ()), key=lambda chip: chip.slot)),
            )
        )
    drawn = {box.key for box in boxes}
    edges = []
    for box in boxes:
        for slot, source in enumerate(graph.node(box.key).inputs):
            if source is None or source not in drawn:
                continue
            label = format_number(evaluation.partial(box.key, slot)) if backward else ""
            edges.append(Edge(source, box.key, slot, label))
    title = graph.extra.get("title") if isinstance(graph.extra, dict) else None
    return Figure(
        boxes=tuple(boxes),
        edges=tuple(edges),
        notes=tuple(getattr(graph, "notes", {}).values()) if only is None else (),
        backward=backward,
        values=values,
        title=title if isinstance(title, str) else "",
    )


#: A title longer than this many characters (or than the id, if longer) is cut short
#: with "…", as the canvas cuts a header to its box's width.
TITLE_CHARS = 24


def _elided(title: str, node_id: str) -> str:
    room = max(TITLE_CHARS, len(node_id))
    title = " ".join(title.split())  # one line
    return title if len(title) <= room else title[: room - 1].rstrip() + "…"


def _value_line(graph: Graph, evaluation: Evaluation, node, chips, values: bool) -> str:
    """As the canvas writes it: ``u = b·c = 6``, ``a = 5``; the formula alone without numbers."""
    if node.op.is_leaf:
        text = formula(graph, node)
        return f"{node.id} = {format_number(evaluation.values[node.key])}" if values else text
    text = formula(graph, node, chips)
    return f"{text} = {format_number(evaluation.values[node.key])}" if values else text


def _positions(graph: Graph) -> dict[int, tuple[float, float]]:
    """Each node's canvas position; nodes never placed get the layered layout's spot,
    below everything that was placed."""
    placed = {n.key: (n.x, n.y) for n in graph if n.x is not None and n.y is not None}
    missing = [n.key for n in graph if n.key not in placed]
    if missing:
        layout = layered_layout(graph, missing)
        below = max((y for _, y in placed.values()), default=-140.0) + 140.0
        for key, (x, y) in layout.items():
            placed[key] = (x, y + below)
    return placed
