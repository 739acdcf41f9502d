"""What the teaching previews lay over the plain view of a graph, as one immutable value.

A preview never edits the graph: it changes what the canvas and the derivative
panel show.  The nudge replaces some values with ``J = 33 → 33.003`` and notes
ΔJ/Δa beside a derivative; stepping through a pass hides what is not computed
yet and marks the node being computed (stepping through the forward pass shows
nothing of the backward pass at all); forward mode writes d(node)/dx where
dJ/d(node) was; a chosen node's chain-rule edges are drawn highlighted;
practice hides cells (derivatives, local derivatives, values) for the learner to
fill in, each showing a ``Mark`` (``dv = ?``, ``dx = 15 ✗``, ``dx = 21 ✓``) instead
of its number.

The document holds the current ``Overlay`` (``document.overlay``).  A mode builds
a new one from it, changing only its own fields, and hands it to
``document.set_overlay``; the canvas and the panel redraw from the new value.
``Overlay()`` is the plain view.  Qt-free: it can be built and compared in tests
without a window.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from dvar.core import Graph
from dvar.core.cells import Cell

#: An edge by the slot it feeds: (consumer key, slot).
Slot = tuple[int, int]


#: The states a practice cell can be in: waiting for the cells it needs (right to
#: left), open for an answer, answered wrongly, answered rightly, or given away.
CELL_STATES = ("waiting", "open", "wrong", "right", "revealed")

_EMPTY: Mapping = MappingProxyType({})


def _frozen(mapping: Mapping | None) -> Mapping | None:
    if mapping is None:
        return None
    return MappingProxyType(dict(mapping)) if mapping else _EMPTY


def _keys(keys: Iterable[int] | None) -> frozenset[int] | None:
    return None if keys is None else frozenset(keys)


@dataclasses.dataclass(frozen=True)
class Mark:
    """What a hidden practice cell shows where its number was."""

    #: ``""`` (waiting), ``"?"`` (open), ``"15 ✗"`` (wrong), ``"21 ✓"``, ``"21 (given)"``.
    text: str
    #: One of :data:`CELL_STATES`.
    state: str
    #: The cell's tooltip: the diagnosis of a wrong answer, or what the cell asks for.
    tip: str = ""
    #: A solved derivative's breakdown may show: every number in it is solved too
    #: (in any order, a cell can be solved before the ones it is built from).
    explained: bool = True

    @property
    def solved(self) -> bool:
        """Right or revealed: the cell's true number may show everywhere."""
        return self.state in ("right", "revealed")


@dataclasses.dataclass(frozen=True)
class Overlay:
    """Everything a preview shows over the graph; every field empty means the plain view."""

    #: Nudge: text replacing a node's value line on the canvas (``J = 33 → 33.003``), by key.
    values: Mapping[int, str] = dataclasses.field(default_factory=dict)
    #: Nudge: text after a derivative's value in the panel (``(ΔJ/Δa = 3.000)``), by key.
    notes: Mapping[int, str] = dataclasses.field(default_factory=dict)
    #: Stepping: the nodes whose value is known so far (None: every value shows).
    shown_values: frozenset[int] | None = None
    #: Stepping: the nodes whose derivative is known so far (None: every derivative shows).
    shown_grads: frozenset[int] | None = None
    #: Stepping: the node being computed (outlined on the canvas, chosen in the panel).
    current: int | None = None
    #: Forward mode: text replacing each node's derivative line, by key (None: dJ/dnode;
    #: a node missing from the mapping has no derivative line).
    derivatives: Mapping[int, str] | None = None
    #: Edges drawn highlighted, by the slot they feed.
    edges: frozenset[Slot] = frozenset()
    #: False while stepping through the forward pass: no derivative shows anywhere, and
    #: edges carry no backward arrows or partials even in the backward view.
    backward_shown: bool = True
    #: Practice: the hidden cells, each with what it shows instead of its number.  An
    #: unsolved cell's number shows nowhere (canvas, panel, card, breakdown, tooltips).
    cells: Mapping[Cell, Mark] = dataclasses.field(default_factory=dict)
    #: A lesson step's spotlight: the nodes drawn in full, every other one dimmed
    #: (None: nothing is dimmed).
    spotlight: frozenset[int] | None = None

    def __post_init__(self) -> None:
        # Copies, read-only: whoever built an overlay cannot change it afterwards.
        set_field = object.__setattr__
        set_field(self, "values", _frozen(self.values))
        set_field(self, "notes", _frozen(self.notes))
        set_field(self, "shown_values", _keys(self.shown_values))
        set_field(self, "shown_grads", _keys(self.shown_grads))
        set_field(self, "derivatives", _frozen(self.derivatives))
        set_field(self, "edges", frozenset(self.edges))
        set_field(self, "cells", _frozen(self.cells))
        set_field(self, "spotlight", _keys(self.spotlight))

    def __hash__(self) -> int:
        def items(mapping: Mapping | None) -> frozenset | None:
            return None if mapping is None else frozenset(mapping.items())

        return hash(
            (
                items(self.values),
                items(self.notes),
                self.shown_values,
                self.shown_grads,
                self.current,
                items(self.derivatives),
                self.edges,
                self.backward_shown,
                items(self.cells),
                self.spotlight,
            )
        )

    @property
    def plain(self) -> bool:
        """True when the overlay shows nothing: the graph looks as it is."""
        return self == PLAIN

    def but(self, **changes) -> Overlay:
        """A copy with some fields changed: ``overlay.but(edges=...)``."""
        return dataclasses.replace(self, **changes)

    def shown_alike(self) -> tuple[bool, bool] | None:
        """(value shown, derivative shown) when they are the same for every node, as
        they are outside stepping and practice; None when they depend on the node."""
        if self.shown_values is not None or self.shown_grads is not None or self.cells:
            return None
        return True, self.backward_shown

    def value_shown(self, key: int) -> bool:
        if self.shown_values is not None and key not in self.shown_values:
            return False
        return not self.cells or self._solved(("value", key, 0))

    def grad_shown(self, key: int) -> bool:
        if not self.backward_shown:
            return False
        if self.shown_grads is not None and key not in self.shown_grads:
            return False
        return not self.cells or self._solved(("grad", key, 0))

    def breakdown_shown(self, key: int) -> bool:
        """True when the chain rule for dnode may show with its numbers (the panel's
        breakdown, the card): the derivative shows, and so does every number in it."""
        if not self.grad_shown(key):
            return False
        mark = self.mark("grad", key)
        return mark is None or mark.explained

    def mark(self, kind: str, key: int, slot: int = 0) -> Mark | None:
        """The practice mark of a cell (``"grad"``, ``"value"`` or ``"partial"``), or None
        when the cell is not hidden."""
        return self.cells.get((kind, key, slot)) if self.cells else None

    def _solved(self, cell: Cell) -> bool:
        mark = self.cells.get(cell)
        return mark is None or mark.solved

    # ------------------------------------------------------ what each mode sets
    def without_nudge(self) -> Overlay:
        return self.but(values=_EMPTY, notes=_EMPTY)

    def without_steps(self) -> Overlay:
        steps = {"shown_values": None, "shown_grads": None, "current": None}
        if not self.backward_shown:  # the forward pass blanked the derivative lines
            steps.update(backward_shown=True, derivatives=None)
        return self.but(**steps, edges=frozenset())

    def without_practice(self) -> Overlay:
        return self.but(cells=_EMPTY)

    def forward_pass(self, known: Iterable[int], current: int | None) -> Overlay:
        """Stepping through the forward pass: the values in ``known`` (constants among
        them, known from the start), ``current`` outlined, and nothing of the backward
        pass: no derivative line, value or panel breakdown, no backward edge."""
        return self.but(
            shown_values=known,
            shown_grads=(),
            current=current,
            derivatives=_EMPTY,
            edges=frozenset(),
            backward_shown=False,
        )


#: The plain view: no preview on.
PLAIN = Overlay()


def term_edges(graph: Graph, key: int | None) -> frozenset[Slot]:
    """The edges that carry a node's chain-rule terms: one per use of the node."""
    if key is None or key not in graph:
        return frozenset()
    return frozenset((graph.key_of(consumer), slot) for consumer, slot in graph.consumers(key))
