"""Every user edit, as an undoable command.

Each command changes the graph inside one ``graph.batch()``, so listeners (and
the evaluation behind them) run once per command however many nodes it touches.
A command whose edit the graph refuses becomes obsolete: QUndoStack drops it,
the graph is left as it was, and ``command.error`` holds the reason.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtGui import QUndoCommand

from dvar import core
from dvar.core import Graph, GraphError
from dvar.core.groups import Group, without_keys
from dvar.core.lesson import Lesson
from dvar.core.notes import Note
from dvar.core.numbers import DIGITS, format_number


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


class AddNodes(GraphCommand):
    """Add nodes (with the edges among them and into existing nodes): palette, paste, duplicate.

    ``records`` are ``.dvar`` node records (operands named by id, among the records
    or in the graph).  The first redo builds them, giving keys and free ids; it then
    keeps the new nodes as NodeRecords, which later redos re-create under the same
    keys, so later commands that name these nodes stay valid.
    """

    def __init__(
        self,
        graph: Graph,
        records: list[dict],
        text: str,
        connect: list[tuple[int | str, int, int]] = (),
    ) -> None:
        super().__init__(graph, text)
        self.records = records
        self.extra_edges = list(connect)  # (consumer key, slot, index of a new node)
        self.keys: list[int] = []
        self.ids: list[str] = []
        self.created: list[NodeRecord] = []  # in the order of ``records``

    def apply(self) -> None:
        graph = self.graph
        if self.created:
            for record in self.created:
                record.create(graph, wired=False)
            for record in self.created:
                record.wire(graph)
        else:
            self._build()
        for consumer, slot, index in self.extra_edges:
            graph.connect(self.keys[index], consumer, slot)

    def _build(self) -> None:
        graph = self.graph
        id_map: dict[str, str] = {}
        keys, ids = [], []
        for record in self.records:
            wanted = record["id"]
            new_id = wanted if wanted not in graph else graph.unique_id(wanted)
            id_map[wanted] = new_id
            graph.add_node(
                record["op"],
                new_id,
                value=record.get("value"),
                label=record.get("label"),
                param=record.get("param", False),
                x=record.get("x"),
                y=record.get("y"),
                box=record.get("box", False),
            )
            keys.append(graph.key_of(new_id))
            ids.append(new_id)
        for record in self.records:
            consumer = id_map[record["id"]]
            for slot, source in enumerate(record.get("inputs") or []):
                if source is None:
                    continue
                graph.connect(id_map.get(source, source), consumer, slot)
        self.keys, self.ids = keys, ids
        self.created = [NodeRecord.of(graph.node(key)) for key in keys]

    def revert(self) -> None:
        for key in reversed(self.keys):
            self.graph.remove_node(key)


class RemoveItems(GraphCommand):
    """Delete nodes (with every edge touching them) and single edges."""

    def __init__(self, graph: Graph, keys: list[int], edges: list[tuple[int, int]]) -> None:
        names = [graph.id_of(k) for k in keys]
        if keys:
            text = f"Delete {names[0]}" if len(keys) == 1 else f"Delete {len(keys)} nodes"
        else:
            text = "Delete edge" if len(edges) == 1 else f"Delete {len(edges)} edges"
        super().__init__(graph, text)
        removed = set(keys)
        self.records = [
            NodeRecord.of(graph.node(k)) for k in graph.topological_keys() if k in removed
        ]
        self.outgoing: list[tuple[int, int, int]] = []  # (source, consumer, slot)
        for record in self.records:
            for consumer_id, slot in graph.consumers(record.key):
                consumer = graph.key_of(consumer_id)
                if consumer not in removed:
                    self.outgoing.append((record.key, consumer, slot))
        # Edges touching a removed node go (and come back) with it.
        self.edges = [
            (dst, slot, source)
            for dst, slot in edges
            if dst not in removed and (source := graph.node(dst).inputs[slot]) not in removed
        ]
        self.output = graph.output_key
        self.groups = graph.groups  # removing a node takes it out of its group
        self.lesson = graph.lesson  # ... and out of the lesson

    def apply(self) -> None:
        for dst, slot, _ in self.edges:
            self.graph.disconnect(dst, slot)
        if self.graph.groups:  # all at once: node by node moves the groups' paths each time
            self.graph.set_groups(without_keys(self.graph.groups, {r.key for r in self.records}))
        for record in reversed(self.records):
            self.graph.remove_node(record.key)

    def revert(self) -> None:
        graph = self.graph
        for record in self.records:
            record.create(graph)
        for source, consumer, slot in self.outgoing:
            graph.connect(source, consumer, slot)
        for dst, slot, source in self.edges:
            graph.connect(source, dst, slot)
        graph.set_output(self.output)
        graph.set_groups(self.groups)
        graph.set_lesson(self.lesson)


class Connect(GraphCommand):
    """Feed a node into a slot; with ``replace``, whatever fed that slot is unplugged first."""

    def __init__(
        self,
        graph: Graph,
        source: int,
        consumer: int,
        slot: int,
        previous: tuple[int, int] | None = None,
    ) -> None:
        text = f"Connect {graph.id_of(source)} → {graph.id_of(consumer)}"
        super().__init__(graph, text)
        self.source, self.consumer, self.slot = source, consumer, slot
        self.previous = previous  # (consumer, slot) this edge was dragged away from

    def apply(self) -> None:
        if self.previous is not None:
            self.graph.disconnect(*self.previous)
        self.graph.connect(self.source, self.consumer, self.slot)

    def revert(self) -> None:
        self.graph.disconnect(self.consumer, self.slot)
        if self.previous is not None:
            self.graph.connect(self.source, *self.previous)


class Disconnect(GraphCommand):
    """Empty one slot."""

    def __init__(self, graph: Graph, consumer: int, slot: int) -> None:
        self.source = graph.node(consumer).inputs[slot]
        name = graph.id_of(self.source) if self.source is not None else "?"
        super().__init__(graph, f"Disconnect {name} → {graph.id_of(consumer)}")
        self.consumer, self.slot = consumer, slot

    def apply(self) -> None:
        self.graph.disconnect(self.consumer, self.slot)

    def revert(self) -> None:
        self.graph.connect(self.source, self.consumer, self.slot)


class SetInput(GraphCommand):
    """Feed a slot from a chosen node, or empty it (None): the keyboard's way to wire."""

    def __init__(self, graph: Graph, consumer: int, slot: int, source: int | None) -> None:
        self.old = graph.node(consumer).inputs[slot]
        shown = source if source is not None else self.old
        verb = "Connect" if source is not None else "Disconnect"
        name = graph.id_of(shown) if shown is not None else "?"
        super().__init__(graph, f"{verb} {name} → {graph.id_of(consumer)}")
        self.consumer, self.slot, self.new = consumer, slot, source

    def _put(self, source: int | None) -> None:
        if self.graph.node(self.consumer).inputs[self.slot] is not None:
            self.graph.disconnect(self.consumer, self.slot)
        if source is not None:
            self.graph.connect(source, self.consumer, self.slot)

    def apply(self) -> None:
        self._put(self.new)

    def revert(self) -> None:
        self._put(self.old)


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


class SetOutput(GraphCommand):
    """Choose the node that is differentiated (J).  Never renames anything."""

    def __init__(self, graph: Graph, key: int | None) -> None:
        text = f"Set {graph.id_of(key)} as output" if key is not None else "Clear output"
        super().__init__(graph, text)
        self.old, self.new = graph.output_key, key

    def apply(self) -> None:
        self.graph.set_output(self.new)

    def revert(self) -> None:
        self.graph.set_output(self.old)


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


class BuildFromFormula(GraphCommand):
    """Build a formula into the graph, or replace the graph with it: one undoable step.

    The first redo parses and builds (core.build_graph); later redos re-create the
    same nodes under the same keys, so commands after this one stay valid.
    """

    def __init__(self, graph: Graph, text: str, replace: bool) -> None:
        super().__init__(graph, "Replace with formula" if replace else "Insert formula")
        self.text, self.replace = text, replace
        self.result: core.BuildResult | None = None
        self.removed: list[NodeRecord] = []
        self.created: list[NodeRecord] = []
        self.old_output = graph.output_key
        self.new_output: int | None = None
        self.values: dict[int, tuple[float, float]] = {}  # key -> (old, new) of bound nodes
        self.old_groups = graph.groups  # a replace removes every node from its group
        self.old_lesson = graph.lesson  # ... and from the lesson

    def apply(self) -> None:
        graph = self.graph
        if self.replace:
            if not self.removed:
                self.removed = [NodeRecord.of(graph.node(k)) for k in graph.topological_keys()]
            graph.set_groups(())  # every node goes
            for record in reversed(self.removed):
                graph.remove_node(record.key)
        if self.result is None:
            self.result = core.build_graph(self.text, into=graph)
            self.created = [NodeRecord.of(graph.node(k)) for k in self.result.created_keys]
            self.values = {
                graph.key_of(node_id): change
                for node_id, change in self.result.changed_values.items()
            }
            self.new_output = graph.output_key
            return
        for record in self.created:
            record.create(graph)
        for key, (_, new) in self.values.items():
            graph.set_value(key, new)
        graph.set_output(self.new_output)

    def revert(self) -> None:
        graph = self.graph
        for record in reversed(self.created):
            graph.remove_node(record.key)
        for key, (old, _) in self.values.items():
            graph.set_value(key, old)
        for record in self.removed:
            record.create(graph)
        graph.set_output(self.old_output)
        graph.set_groups(self.old_groups)
        graph.set_lesson(self.old_lesson)


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


class AddNote(GraphCommand):
    """Place a canvas note or frame (core/notes.py); ``key`` is its key once placed."""

    def __init__(self, graph: Graph, note: Note, text: str = "") -> None:
        super().__init__(graph, text or f"Add {note.kind}")
        self.note = note
        self.key: int | None = None

    def apply(self) -> None:
        self.key = self.graph.add_note(self.note, self.key)

    def revert(self) -> None:
        self.graph.remove_note(self.key)


class SetNote(GraphCommand):
    """Change one note or frame: moved, resized, new text or colour."""

    def __init__(self, graph: Graph, key: int, new: Note, text: str = "") -> None:
        old = graph.notes[key]
        super().__init__(graph, text or f"Edit {old.kind}")
        self.key, self.old, self.new = key, old, new

    def apply(self) -> None:
        self.graph.set_note(self.key, self.new)

    def revert(self) -> None:
        self.graph.set_note(self.key, self.old)


class RemoveNotes(GraphCommand):
    """Take notes and frames off the canvas; undo puts each back at its depth."""

    def __init__(self, graph: Graph, keys: list[int]) -> None:
        self.removed = {key: graph.notes[key] for key in sorted(set(keys))}
        kinds = {note.kind for note in self.removed.values()}
        what = kinds.pop() if len(kinds) == 1 else "note"
        count = len(self.removed)
        super().__init__(graph, f"Delete {what}" if count == 1 else f"Delete {count} {what}s")

    def apply(self) -> None:
        for key in self.removed:
            self.graph.remove_note(key)

    def revert(self) -> None:
        for key, note in self.removed.items():
            self.graph.add_note(note, key)


class SetGroups(GraphCommand):
    """Replace the graph's groups (core/groups.py): group, ungroup, collapse, expand,
    retitle.  ``groups`` is the whole new tuple; undo puts back the old one."""

    def __init__(self, graph: Graph, groups: tuple[Group, ...], text: str) -> None:
        super().__init__(graph, text)
        self.old, self.new = graph.groups, tuple(groups)

    def apply(self) -> None:
        self.graph.set_groups(self.new)

    def revert(self) -> None:
        self.graph.set_groups(self.old)


class SetLesson(GraphCommand):
    """Give the graph a lesson, change it, or remove it (None): the lesson editor's every
    change.  Undo puts back the lesson as it was.  No value changes."""

    def __init__(self, graph: Graph, lesson: Lesson | None, text: str = "Edit lesson") -> None:
        super().__init__(graph, text)
        self.old, self.new = graph.lesson, lesson

    def apply(self) -> None:
        self.graph.set_lesson(self.new)

    def revert(self) -> None:
        self.graph.set_lesson(self.old)
