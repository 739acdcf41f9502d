"""Worksheets: which cells a printed worksheet leaves blank, how they are numbered, and
what each blank asks for.  Qt-free: ``dvar worksheet`` and File → Print Worksheet… both
draw from :func:`blanks` (the drawing is ``gui/canvas/worksheet.py``).

A worksheet hides whole kinds of cells (see :data:`HIDE`): every derivative dnode,
every computed value, every local derivative on an edge, or every cell the file's
lesson asks.  The blanks are numbered in reading order on the diagram: column by
column from the left, each column top to bottom; a node's value comes before its
derivative.  The numbering depends only on the graph and the
positions, never on the order nodes were made in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from dvar.core.cells import Cell, askable_cells
from dvar.core.evaluation import Evaluation, derivative_symbol
from dvar.core.graph import Graph
from dvar.core.groups import Group, hidden_by, with_collapsed
from dvar.core.layout import NODE_HEIGHT, NODE_WIDTH, layered_layout
from dvar.core.numbers import format_number
from dvar.core.text import formula

#: What ``--hide`` may name, and the kind of cell each hides (``lesson``: the lesson's).
HIDE = {"derivatives": "grad", "values": "value", "locals": "partial", "lesson": None}
#: A worksheet has at most this many blanks: a bigger table is no worksheet.
MAX_BLANKS = 500
#: Numbers this close (canvas units) left to right share a column of the reading order.
COLUMN = NODE_WIDTH / 2
#: Where a cell's number sits in its node, as a share of the box's height (for the order).
_LINE = {"value": 0.45, "grad": 0.75}


class WorksheetError(ValueError):
    """A worksheet that cannot be made; ``str(error)`` is one line."""


@dataclass(frozen=True)
class Blank:
    """One numbered blank: the cell, what it asks for and its answer."""

    number: int
    cell: Cell
    #: What is asked, in words: ``dv``, ``∂u/∂b``, ``value of u``.
    asked: str
    #: The right answer to six significant digits (``format_number``), ``—`` when none.
    answer: str
    #: How the answer is worked out, for the answer key: ``dv = dJ · ∂J/∂v = 1 · 3 = 3``.
    working: str

    @property
    def mark(self) -> str:
        """What the diagram shows in the blank's place: ``[1]``."""
        return f"[{self.number}]"


def default_hide(graph: Graph) -> tuple[str, ...]:
    """``("lesson",)`` when the graph carries a lesson, ``("derivatives",)`` otherwise."""
    return ("lesson",) if graph.lesson is not None else ("derivatives",)


def check_hide(graph: Graph, hide: Iterable[str] | None) -> tuple[str, ...]:
    """The choices to hide, each once, in the order given (the default when none are
    given); WorksheetError for a name not in :data:`HIDE`, or ``lesson`` without one."""
    chosen = tuple(dict.fromkeys(hide or ()))
    if not chosen:
        return default_hide(graph)
    for name in chosen:
        if name not in HIDE:
            raise WorksheetError(f"cannot hide {name!r}: choose from {', '.join(HIDE)}")
    if "lesson" in chosen and graph.lesson is None:
        raise WorksheetError(
            "the file has no lesson, so there are no asked cells to hide; hide derivatives, "
            "values or locals instead"
        )
    return chosen


def hidden_cells(graph: Graph, evaluation: Evaluation, hide: Iterable[str] | None) -> set[Cell]:
    """Every cell the choices hide (unordered).  A derivative needs an output; an
    input's value and a constant drawn on its consumer's port are given, so neither is
    asked, nor is the local derivative on an edge from a constant."""
    chosen = check_hide(graph, hide)
    kinds = {HIDE[name] for name in chosen} - {None}
    cells = set(askable_cells(graph, evaluation, kinds, evaluation.inline_constant_keys))
    if "lesson" in chosen:
        cells.update(cell for cell in graph.lesson.asked_cells() if _exists(graph, cell))
    return cells


def check_blanks(graph: Graph, evaluation: Evaluation, hide: Iterable[str] | None) -> set[Cell]:
    """The cells the choices hide, unordered; WorksheetError (one line saying why) when
    the choices are wrong, nothing would be blank, or more than :data:`MAX_BLANKS`."""
    chosen = check_hide(graph, hide)
    cells = hidden_cells(graph, evaluation, chosen)
    if not cells:
        raise WorksheetError(_nothing_to_hide(graph, evaluation, chosen))
    if len(cells) > MAX_BLANKS:
        raise WorksheetError(
            f"hiding {', '.join(chosen)} leaves {len(cells):,} blanks, more than the "
            f"{MAX_BLANKS} a worksheet holds; hide fewer kinds of cell, or use a smaller graph"
        )
    return cells


def blanks(
    graph: Graph,
    evaluation: Evaluation,
    hide: Iterable[str] | None = None,
    positions: Mapping[int, tuple[float, float]] | None = None,
    notation: str = "d",
) -> list[Blank]:
    """The worksheet's blanks, numbered from 1 in reading order.

    ``positions`` gives each node's top-left corner as drawn (the canvas passes its
    own); by default the nodes' saved positions, or a fresh layout when some node has
    none.  Raises WorksheetError when nothing would be left blank, or too much.
    """
    cells = check_blanks(graph, evaluation, hide)
    where = _positions(graph, positions)
    ordered = _reading_order(graph, where, cells)
    return [
        Blank(
            number,
            cell,
            asked(graph, evaluation, cell, notation),
            format_number(_answer(evaluation, cell)),
            working(graph, evaluation, cell, notation),
        )
        for number, cell in enumerate(ordered, start=1)
    ]


def asked(graph: Graph, evaluation: Evaluation, cell: Cell, notation: str = "d") -> str:
    """A cell in words: ``dv`` (in the chosen notation), ``value of u``, ``∂u/∂b``, or
    ``∂w/∂x[2]`` for the second of two slots that x feeds."""
    kind, key, slot = cell
    node_id = graph.id_of(key)
    if kind == "grad":
        return derivative_symbol(node_id, evaluation.output, notation)
    if kind == "value":
        return f"value of {node_id}"
    inputs = graph.node(key).inputs
    source = inputs[slot]
    if source is None:
        return f"∂{node_id}/∂□"
    repeated = f"[{slot + 1}]" if inputs.count(source) > 1 else ""
    return f"∂{node_id}/∂{graph.id_of(source)}{repeated}"


def working(graph: Graph, evaluation: Evaluation, cell: Cell, notation: str = "d") -> str:
    """How a cell's answer is found, for the answer key: the chain rule for dnode, the
    node's formula for a value, the rule's partial for a local derivative."""
    kind, key, slot = cell
    ev = evaluation
    number = format_number(_answer(ev, cell))
    if kind == "grad":
        return ev.breakdown(key, notation) if ev.output is not None else ""
    node = graph.node(key)
    if kind == "value":
        return f"{formula(graph, node, ev.inline_constant_keys)} = {number}"
    source = node.inputs[slot]
    symbol = asked(graph, ev, cell, notation)
    if source is None:
        return f"{symbol}: the slot is empty"
    term = next(
        (t for t in ev.terms(source) if t.consumer == node.id and t.slot == slot),
        None,
    )
    if term is None or term.partial_text == number:
        return f"{symbol} = {number}"
    return f"{symbol} = {term.partial_text} = {number}"


def groups_showing(graph: Graph, cells: Iterable[Cell]) -> tuple[Group, ...]:
    """The graph's groups with every collapsed group that would hide a cell expanded
    (a cell shows on its node, and a local derivative on the edge from its operand):
    a blank drawn inside a collapsed box would have no place.  The same groups when
    nothing needs to open."""
    groups = graph.groups
    if not groups:
        return groups
    keys: set[int] = set()
    for kind, key, slot in cells:
        keys.add(key)
        if kind == "partial" and graph.node(key).inputs[slot] is not None:
            keys.add(graph.node(key).inputs[slot])
    while True:  # a collapsed group inside an opened one may hide the cell still
        hidden = hidden_by(groups)
        closed = {hidden[key] for key in keys if key in hidden}
        if not closed:
            return groups
        for path in closed:
            groups = with_collapsed(groups, path, False)


def instructions(graph: Graph, sheet: list[Blank], notation: str = "d") -> str:
    """What the learner is asked to do, and what the symbols in the table mean, each
    told with the first blank of its kind (``db stands for dJ/db, …``)."""
    count = len(sheet)
    if count == 1:
        lines = ["Work out the blank [1] on the diagram and write it in the table."]
    else:
        lines = [
            f"Work out each blank, [1] to [{count}], on the diagram and write it in the table."
        ]
    first = {}
    for blank in sheet:
        first.setdefault(blank.cell[0], blank.cell)
    j = graph.output or "J"
    if "grad" in first and notation != "partial":
        node = graph.id_of(first["grad"][1])
        symbol = derivative_symbol(node, graph.output, notation)
        lines.append(
            f"{symbol} stands for d{j}/d{node}, the derivative of {j} with respect to {node}."
        )
    if "partial" in first:
        _, consumer, slot = first["partial"]
        source = graph.node(consumer).inputs[slot]
        if source is not None:
            u, x = graph.id_of(consumer), graph.id_of(source)
            lines.append(f"∂{u}/∂{x} is the local derivative on the edge from {x} into {u}.")
    if "value" in first:
        u = graph.id_of(first["value"][1])
        lines.append(f"“value of {u}” is the number {u} has in the forward pass.")
    return " ".join(lines)


# ----------------------------------------------------------------------- helpers
def _answer(evaluation: Evaluation, cell: Cell) -> float | None:
    kind, key, slot = cell
    if kind == "grad":
        return evaluation.grads[key]
    if kind == "value":
        return evaluation.values[key]
    return evaluation.partial(key, slot)


def _exists(graph: Graph, cell: Cell) -> bool:
    kind, key, slot = cell
    if key not in graph:
        return False
    return kind != "partial" or 0 <= slot < len(graph.node(key).inputs)


def _positions(
    graph: Graph, given: Mapping[int, tuple[float, float]] | None
) -> Mapping[int, tuple[float, float]]:
    if given is not None:
        return given
    saved = {node.key: (node.x, node.y) for node in graph}
    if all(x is not None and y is not None for x, y in saved.values()):
        return saved
    return layered_layout(graph)


def _reading_order(
    graph: Graph, where: Mapping[int, tuple[float, float]], cells: Iterable[Cell]
) -> list[Cell]:
    """The cells in reading order: column by column from the left, each column top to
    bottom.  Numbers on nodes whose left sides are less than :data:`COLUMN` apart
    share a column (a graph placed by hand is seldom aligned to the unit), and so do
    edge labels; a label never joins a column of nodes."""
    spots = sorted((_spot(graph, where, cell), cell) for cell in cells)
    keyed = []
    starts: dict[bool, float] = {}  # where the current column of each kind began
    for (x, y, key, slot), cell in spots:
        on_edge = cell[0] == "partial"
        start = starts.get(on_edge)
        if start is None or x - start >= COLUMN:
            starts[on_edge] = start = x
        keyed.append(((start, y, x, key, slot), cell))
    return [cell for _, cell in sorted(keyed)]


def _spot(
    graph: Graph, where: Mapping[int, tuple[float, float]], cell: Cell
) -> tuple[float, float, int, int]:
    """Where a cell's number sits on the diagram (x, y), then its key and slot for
    ties (never between two cells of one node)."""
    kind, key, slot = cell
    x, y = where.get(key, (0.0, 0.0))
    if kind != "partial":
        return (x, y + _LINE[kind] * NODE_HEIGHT, key, slot)
    # the label sits halfway along the edge, from the source's right side to the port
    source = graph.node(key).inputs[slot]
    sx, sy = where.get(source, (x, y)) if source is not None else (x, y)
    inputs = len(graph.node(key).inputs)
    port_y = y + NODE_HEIGHT * (slot + 1) / (inputs + 1)
    return ((sx + NODE_WIDTH + x) / 2, (sy + NODE_HEIGHT / 2 + port_y) / 2, key, slot)


def _nothing_to_hide(graph: Graph, evaluation: Evaluation, chosen: tuple[str, ...]) -> str:
    kinds = " or ".join(chosen)
    if not len(graph):
        return "nothing to hide: the graph has no nodes"
    needs_output = {"derivatives", "locals"} & set(chosen)
    if needs_output and evaluation.output is None:
        return (
            f"nothing to hide: the graph has no output (J), so it has no {kinds}; "
            "choose an output, or hide values"
        )
    if chosen == ("lesson",):
        return "nothing to hide: no step of the lesson asks for a cell"
    return f"nothing to hide: the graph has no {kinds} to ask for"
