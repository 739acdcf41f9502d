"""The commands that change what nodes hold, never which nodes there are: one field
of one node (``SetField``), positions (a drag, a constant's chip made a box), and
many values at once (a training run and its reset).  Each is a ``GraphCommand``
(``commands.py``).

May import dvar.core, QtGui and the document room.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dvar import core
from dvar.core import Graph
from dvar.core.numbers import DIGITS, format_number
from dvar.gui.document.commands import GraphCommand


def _set_position(graph: Graph, key: int, position: tuple) -> None:
    graph.set_position(key, *position)  # (None, None): back to "not placed yet"


#: The node fields SetField changes, each with how to read it and how to write it.
_FIELDS: dict[str, tuple[Callable[[core.Node], Any], Callable[[Graph, int, Any], None]]] = {
    "value": (lambda node: node.value, Graph.set_value),
    "label": (lambda node: node.label, Graph.set_label),
    "param": (lambda node: node.param, Graph.set_param),
    "box": (lambda node: node.box, Graph.set_box),
    "id": (lambda node: node.id, Graph.rename),
    "position": (lambda node: (node.x, node.y), _set_position),
}


def _field_text(name: str, field: str, old: Any, new: Any) -> str:
    """The undo history's line for setting ``field`` of the node ``name``."""
    if field == "value":
        # The undo history reads the same whatever precision numbers are shown with.
        return f"Set {name} = {format_number(new, DIGITS)}"
    if field == "label":
        return f"Label {name} “{new}”" if new else f"Clear label of {name}"
    if field == "param":
        return f"{'Mark' if new else 'Unmark'} {name} as parameter"
    if field == "id":
        return f"Rename {old} → {new}"
    if field == "box":
        return f"Show {name} as a box" if new else f"Show {name} on its port"
    return f"Move {name}"


class SetField(GraphCommand):
    """Change one field of one node from ``old`` to ``new``; undo puts ``old`` back.

    The fields: ``value`` (of an input or a constant), ``label`` (None or "" clears
    it), ``param`` (an input marked as a trainable parameter), ``id`` (a rename) and
    ``position`` (an ``(x, y)`` pair, ``(None, None)`` for "not placed yet") and
    ``box`` (a constant drawn as a box even with one use).
    ``SetField.to`` reads ``old`` from the graph.
    """

    def __init__(
        self, graph: Graph, key: int, field: str, old: Any, new: Any, text: str = ""
    ) -> None:
        if field not in _FIELDS:
            raise ValueError(f"SetField changes {', '.join(_FIELDS)}, not {field!r}")
        if field == "label":
            old, new = old or None, new or None
        super().__init__(graph, text or _field_text(graph.id_of(key), field, old, new))
        self.key, self.field, self.old, self.new = key, field, old, new

    @classmethod
    def to(cls, graph: Graph, key: int, field: str, new: Any, text: str = "") -> SetField:
        """Set ``field`` of the node ``key`` to ``new``, from what it holds now."""
        if field not in _FIELDS:
            raise ValueError(f"SetField changes {', '.join(_FIELDS)}, not {field!r}")
        read, _ = _FIELDS[field]
        return cls(graph, key, field, read(graph.node(key)), new, text)

    def apply(self) -> None:
        _FIELDS[self.field][1](self.graph, self.key, self.new)

    def revert(self) -> None:
        _FIELDS[self.field][1](self.graph, self.key, self.old)


class MoveNodes(GraphCommand):
    """Move nodes: a whole drag is one command, pushed on release."""

    def __init__(self, graph: Graph, moves: dict[int, tuple[tuple, tuple]], text: str = "") -> None:
        if not text:
            text = (
                f"Move {graph.id_of(next(iter(moves)))}"
                if len(moves) == 1
                else (f"Move {len(moves)} nodes")
            )
        super().__init__(graph, text)
        self.moves = moves  # key -> ((old x, old y), (new x, new y))

    def apply(self) -> None:
        for key, (_, new) in self.moves.items():
            self.graph.set_position(key, *new)

    def revert(self) -> None:
        for key, (old, _) in self.moves.items():
            self.graph.set_position(key, *old)  # (None, None): back to "not placed yet"


class DetachConstant(GraphCommand):
    """A constant's chip dragged off its consumer's port: from now on it is drawn as a
    box of its own (``box``), placed where it was dropped.  Undo puts the chip back."""

    def __init__(self, graph: Graph, key: int, x: float, y: float) -> None:
        super().__init__(graph, f"Show {graph.id_of(key)} as a box")
        node = graph.node(key)
        self.key = key
        self.old = (node.box, (node.x, node.y))
        self.new = (True, (x, y))

    def apply(self) -> None:
        self._put(*self.new)

    def revert(self) -> None:
        self._put(*self.old)

    def _put(self, box: bool, position: tuple) -> None:
        self.graph.set_position(self.key, *position)
        self.graph.set_box(self.key, box)


class SetValues(GraphCommand):
    """Set several inputs' or constants' values at once: a training run, or its reset.

    ``old`` and ``new`` map node keys to values; undo puts back exactly ``old``.
    """

    def __init__(
        self, graph: Graph, old: dict[int, float], new: dict[int, float], text: str
    ) -> None:
        super().__init__(graph, text)
        self.old, self.new = dict(old), dict(new)

    def apply(self) -> None:
        for key, value in self.new.items():
            self.graph.set_value(key, value)

    def revert(self) -> None:
        for key, value in self.old.items():
            self.graph.set_value(key, value)


class TrainCommand(SetValues):
    """A training run, or the Reset back to where its session started: one undoable edit.

    Besides the values it carries the training session (the chart) that goes with
    them, ``before`` and ``after``: the training panel's own record, kept here and
    never read.  The panel hears the change through the document, finds this
    command in ``document.command``, and shows ``session``.
    """

    def __init__(
        self,
        graph: Graph,
        old: dict[int, float],
        new: dict[int, float],
        text: str,
        before: object | None,
        after: object | None,
    ) -> None:
        super().__init__(graph, old, new, text)
        self.before, self.after = before, after

    @property
    def session(self) -> object | None:
        """The session that goes with the values now: ``after`` if done, ``before`` if undone."""
        return self.after if self.applied else self.before
