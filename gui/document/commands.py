"""The base of every undoable edit: ``GraphCommand``, and ``NodeRecord`` for bringing
nodes back exactly.

Each command changes the graph inside one ``graph.batch()``, so listeners (and
the evaluation behind them) run once per command however many nodes it touches.
A command whose edit the graph refuses becomes obsolete: QUndoStack drops it,
the graph is left as it was, and ``command.error`` holds the reason.

The commands themselves live beside this module, by what they change:
``structure_commands`` (nodes, edges, the output), ``field_commands`` (a node's
value, name, label, position and the like) and ``annotation_commands`` (notes,
groups, the lesson).  May import dvar.core and QtGui.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtGui import QUndoCommand

from dvar import core
from dvar.core import Graph, GraphError


class GraphCommand(QUndoCommand):
    """An edit of one graph.  Subclasses implement ``apply`` and ``revert``."""

    def __init__(self, graph: Graph, text: str) -> None:
        super().__init__(text)
        self.graph = graph
        self.error: GraphError | None = None
        #: Called just before an undo, or a redo after the first: the document moves
        #: through its history (Ctrl+Z, Ctrl+Y, a click in the History panel).
        self.on_replay: Callable[[], None] | None = None
        #: Called with this command just before its redo or undo runs, and with None
        #: just after: the document tells its listeners which command made a change.
        self.on_run: Callable[[GraphCommand | None], None] | None = None
        #: True while the edit stands (after a redo), False after an undo.
        self.applied = False
        self._done = False

    def redo(self) -> None:
        if self._done and self.on_replay is not None:
            self.on_replay()
        self.applied = True
        try:
            self._run(self.apply)
        except GraphError as error:
            self.applied = False
            self.error = error
            self.setObsolete(True)
        self._done = True

    def undo(self) -> None:
        if self.on_replay is not None:
            self.on_replay()
        self.applied = False
        self._run(self.revert)

    def _run(self, edit: Callable[[], None]) -> None:
        if self.on_run is not None:
            self.on_run(self)
        try:
            with self.graph.batch():
                edit()
        finally:
            if self.on_run is not None:
                self.on_run(None)

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


@dataclass
class NodeRecord:
    """Everything needed to re-create a node exactly, under the same key, including
    the fields a newer dvar wrote that this one does not know (the file keeps them).

    Every command that brings nodes back (redo of an add, undo of a delete or of a
    replace) keeps them as these records.
    """

    key: int
    id: str
    op: str
    value: float | None
    inputs: list[int | None]
    label: str | None
    param: bool
    x: float | None
    y: float | None
    extra: dict = field(default_factory=dict)
    box: bool = False

    @classmethod
    def of(cls, node: core.Node) -> NodeRecord:
        return cls(
            node.key,
            node.id,
            node.op.name,
            node.value,
            list(node.inputs),
            node.label,
            node.param,
            node.x,
            node.y,
            copy.deepcopy(node.extra),
            node.box,
        )

    def create(self, graph: Graph, wired: bool = True) -> None:
        """Add the node back under its key.  With ``wired=False`` its slots stay empty
        (``wire`` fills them once every operand exists)."""
        graph.add_node(
            self.op,
            self.id,
            value=self.value,
            label=self.label,
            param=self.param,
            x=self.x,
            y=self.y,
            key=self.key,
            inputs=self.inputs if wired else None,
            extra=copy.deepcopy(self.extra),
            box=self.box,
        )

    def wire(self, graph: Graph) -> None:
        """Feed the node's slots again, slot by slot."""
        for slot, source in enumerate(self.inputs):
            if source is not None:
                graph.connect(source, self.key, slot)
