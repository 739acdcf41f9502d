"""The commands that change the graph's structure: nodes added (palette, paste,
duplicate, a formula) and removed, edges connected and disconnected, and the
choice of the output.  Each is a ``GraphCommand`` (``commands.py``).

May import dvar.core, QtGui and the document room.
"""

from __future__ import annotations

from dvar import core
from dvar.core import Graph
from dvar.core.groups import without_keys
from dvar.gui.document.commands import GraphCommand, NodeRecord


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
