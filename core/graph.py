"""The graph model: nodes, ordered operand slots, the output, and change events.

Every node has a stable integer *key* that never changes, and an *id* (its name)
that a person can rename.  Methods accept either; undo histories hold keys, so
they stay valid across renames.  Every refused edit raises :class:`GraphError`
and leaves the graph exactly as it was.

The model keeps a topological order of its nodes as *ranks* (each operand ranks
below its consumers), repaired locally when a new edge goes against it, so that
evaluation never has to sort the whole graph after an edit.  A
``networkx.MultiDiGraph`` mirror (edge ``source -> consumer`` keyed by slot)
serves graph algorithms; it is built on first use, so loading and evaluating a
large file never pays for it.

:class:`Graph` holds the nodes, their queries and edits; three sibling modules hold
its other sides as mixins: :mod:`~dvar.core.graph_changes` (listeners, batches,
rollback), :mod:`~dvar.core.graph_order` (the ranks) and
:mod:`~dvar.core.graph_annotations` (lesson, notes, groups).  It imports the
standard library, networkx (when first needed) and core modules; never Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from dvar.core import names
from dvar.core.graph_annotations import GraphAnnotations
from dvar.core.graph_changes import GraphChanges
from dvar.core.graph_order import GraphOrder
from dvar.core.groups import Group, GroupPath
from dvar.core.lesson import Lesson
from dvar.core.node import (
    STRUCTURAL,
    Event,
    GraphError,
    Node,
    NodeRef,
    _check_position,
    check_id,
    check_value,
)
from dvar.core.notes import Note
from dvar.core.ops import OPS, Op

__all__ = [
    "STRUCTURAL",
    "Event",
    "Graph",
    "GraphError",
    "Node",
    "NodeRef",
    "check_id",
    "check_value",
]

if TYPE_CHECKING:
    import networkx as nx


class Graph(GraphChanges, GraphOrder, GraphAnnotations):
    """A computation graph: the document dvar edits, evaluates, saves and draws."""

    def __init__(self) -> None:
        self._nodes: dict[int, Node] = {}
        self._by_id: dict[str, int] = {}
        self._rank: dict[int, int] = {}
        self._next_key = 0
        self._next_rank = 0
        self._order: list[int] | None = []
        self._consumer_count: dict[int, int] = {}
        self._nx: nx.MultiDiGraph | None = None
        self._output: int | None = None
        self.extra: dict[str, Any] = {}
        self.structure_version = 0
        self.names_version = 0
        self.version = 0
        self._listeners: list[Callable[[list[Event]], None]] = []
        self._pending: list[Event] | None = None
        self._journal: list[Callable[[], None]] | None = None
        self._batch_depth = 0
        self._plan: Any = None  # the engine's cached evaluation plan
        self._notes: dict[int, Note] = {}  # canvas notes and frames (core/notes.py)
        self._next_note = 0
        self._lesson: Lesson | None = None  # the file's lesson (core/lesson.py), by node key
        self._groups: tuple[Group, ...] = ()  # core/groups.py
        self._groups_later: Callable[[], tuple[Group, ...]] | None = None  # see group_later
        self._group_owner: dict[int, GroupPath] | None = None  # innermost group per key, cached

    # ----------------------------------------------------------------- queries
    def __len__(self) -> int:
        return len(self._nodes)

    def __contains__(self, ref: object) -> bool:
        if isinstance(ref, str):
            return ref in self._by_id
        return ref in self._nodes

    def __iter__(self) -> Iterator[Node]:
        return iter(self._nodes.values())

    def nodes(self) -> list[Node]:
        """Every node, in insertion order."""
        return list(self._nodes.values())

    def node(self, ref: NodeRef) -> Node:
        """The node with this id or key; GraphError if there is none."""
        return self._nodes[self.key_of(ref)]

    def key_of(self, ref: NodeRef) -> int:
        """The stable key of the node with this id (or key); GraphError if there is none."""
        if isinstance(ref, str):
            key = self._by_id.get(ref)
            if key is None:
                raise GraphError(f"there is no node named {ref!r}")
            return key
        if isinstance(ref, int) and not isinstance(ref, bool) and ref in self._nodes:
            return ref
        raise GraphError(f"there is no node {ref!r}")

    def id_of(self, ref: NodeRef) -> str:
        """The id of the node with this key (or id)."""
        return self._nodes[self.key_of(ref)].id

    @property
    def output(self) -> str | None:
        """The id of the node being differentiated (J), or None when none is chosen."""
        return None if self._output is None else self._nodes[self._output].id

    @property
    def output_key(self) -> int | None:
        """The key of the output node, or None."""
        return self._output

    def inputs_of(self, ref: NodeRef) -> list[str | None]:
        """The ids feeding each operand slot of a node, None for an empty slot."""
        return [None if k is None else self._nodes[k].id for k in self.node(ref).inputs]

    def consumers(self, ref: NodeRef) -> list[tuple[str, int]]:
        """Every use of a node, as (consumer id, slot), one entry per edge."""
        key = self.key_of(ref)
        g = self.nx
        return sorted(
            ((self._nodes[dst].id, slot) for _, dst, slot in g.out_edges(key, keys=True)),
            key=lambda use: (self._rank[self._by_id[use[0]]], use[1]),
        )

    def is_inline_constant(self, ref: NodeRef) -> bool:
        """A constant with exactly one use (one slot of one consumer), not marked to be
        drawn as a box.  The canvas draws it as a chip on that port, and breakdowns write
        it as its number: ``J = 3·v``.  Plan.inline_constants() is the same rule over a
        plan's arrays."""
        key = self.key_of(ref)
        node = self._nodes[key]
        return node.op.name == "const" and not node.box and self._consumer_count.get(key) == 1

    def upstream(self, ref: NodeRef) -> set[int]:
        """Keys of every node this node depends on (its ancestors)."""
        import networkx as nx

        return nx.ancestors(self.nx, self.key_of(ref))

    def downstream(self, ref: NodeRef) -> set[int]:
        """Keys of every node that depends on this node (its descendants)."""
        import networkx as nx

        return nx.descendants(self.nx, self.key_of(ref))

    @property
    def cached_plan(self) -> Any:
        """The evaluation plan kept with this graph, None until the engine makes one.

        The graph only holds it: ``core.plan.plan_for`` builds it, and knows from
        ``structure_version`` when it no longer fits.
        """
        return self._plan

    @cached_plan.setter
    def cached_plan(self, plan: Any) -> None:
        self._plan = plan

    @property
    def nx(self) -> nx.MultiDiGraph:
        """The graph as a ``networkx.MultiDiGraph`` over node keys (source → consumer,
        edge key = slot).  Read it; never edit it directly."""
        if self._nx is None:
            import networkx as nx

            g = nx.MultiDiGraph()
            g.add_nodes_from(self._nodes)
            g.add_edges_from(
                (src, node.key, slot)
                for node in self._nodes.values()
                for slot, src in enumerate(node.inputs)
                if src is not None
            )
            self._nx = g
        return self._nx

    def unique_id(self, stem: str) -> str:
        """A free id made from ``stem``: ``stem`` itself, else ``stem_2``, ``stem_3``, ...

        The rule for every new id is :func:`dvar.core.names.unique`.
        """
        return names.unique(stem, self._by_id.__contains__)

    # ------------------------------------------------------------------- edits
    def add_node(
        self,
        op: str,
        id: str | None = None,
        *,
        value: float | None = None,
        inputs: list[NodeRef | None] | None = None,
        label: str | None = None,
        param: bool = False,
        x: float | None = None,
        y: float | None = None,
        key: int | None = None,
        extra: dict[str, Any] | None = None,
        box: bool = False,
    ) -> str:
        """Add a node and return its id.

        ``op`` is a name from :data:`core.ops.OPS`.  Inputs and constants take a
        ``value`` (default 0); other ops may take ``inputs``, one entry per operand
        slot, None for a slot left empty.  Without an ``id`` one is made from the op
        name.  ``key`` re-creates a node under a key it had before (for undo), and
        ``extra`` gives back the fields this version does not know (kept for saving).
        ``box`` draws a constant as a box even when it has one use (see ``set_box``).
        """
        spec = OPS.get(op) if isinstance(op, str) else None
        if spec is None:
            raise GraphError(f"unknown op {op!r}; known ops: {', '.join(OPS)}")
        node_id = check_id(id) if id is not None else self.unique_id(_stem(spec))
        if node_id in self._by_id:
            raise GraphError(f"a node named {node_id!r} already exists")
        if key is not None and (key in self._nodes or not isinstance(key, int) or key < 0):
            raise GraphError(f"node key {key!r} is already in use")
        if spec.is_leaf:
            number = check_value(0.0 if value is None else value, f"the value of {node_id}")
            if inputs:
                raise GraphError(f"{node_id} is an {op} and takes no inputs")
        else:
            if value is not None:
                raise GraphError(f"{node_id} is computed by {op}; only inputs hold a value")
            number = None
        if param and op != "input":
            raise GraphError(f"only inputs can be parameters, and {node_id} is a {op}")
        if box and op != "const":
            raise GraphError(f"only constants can be drawn as boxes, and {node_id} is a {op}")
        sources = list(inputs) if inputs is not None else [None] * spec.arity
        if len(sources) != spec.arity:
            raise GraphError(
                f"{op} takes {spec.arity} operand{'s' * (spec.arity != 1)}, "
                f"but {len(sources)} were given for {node_id}"
            )
        source_keys = [None if s is None else self.key_of(s) for s in sources]
        if label is not None and not isinstance(label, str):
            raise GraphError(f"the label of {node_id} must be text")
        px = _check_position(x, f"the x position of {node_id}")
        py = _check_position(y, f"the y position of {node_id}")

        if extra is not None and not isinstance(extra, dict):
            raise GraphError(f"the extra fields of {node_id} must be a mapping")

        if key is None:
            key = self._next_key
        self._next_key = max(self._next_key, key + 1)
        node = Node(key, node_id, spec, number, None, label, bool(param), px, py, dict(extra or {}))
        node.box = bool(box)
        with self.batch():
            self._insert(node, self._next_rank)
            for slot, src in enumerate(source_keys):
                if src is not None:
                    self.connect(src, key, slot)
        return node_id

    def remove_node(self, ref: NodeRef) -> None:
        """Remove a node.  Slots it fed become empty; if it was the output, none is chosen."""
        key = self.key_of(ref)
        fed: list[tuple[int, int]] = []  # the slots it fed: their local derivatives go too
        with self.batch():
            if self._consumer_count.get(key):
                for _, dst, slot in list(self.nx.out_edges(key, keys=True)):
                    fed.append((dst, slot))
                    self.disconnect(dst, slot)
            for slot, src in enumerate(self._nodes[key].inputs):
                if src is not None:
                    self.disconnect(key, slot)
            if self._output == key:
                self.set_output(None)
            if self._lesson is not None and self._lesson.mentions(key, fed):
                self._put_lesson(self._lesson.without_node(key, fed))
            if self.groups:
                self._leave_group(key)
            self._delete(key)

    def connect(self, source: NodeRef, consumer: NodeRef, slot: int) -> None:
        """Feed ``source`` into operand ``slot`` (0-based) of ``consumer``.

        Refused for an occupied or missing slot, and for an edge that would close a cycle.
        """
        src, dst = self.key_of(source), self.key_of(consumer)
        node = self._nodes[dst]
        self._check_slot(node, slot)
        if self._groups_later is not None:
            self.groups  # noqa: B018 - made from the structure as it was built
        if node.inputs[slot] is not None:
            taken = self._nodes[node.inputs[slot]].id
            raise GraphError(f"slot {slot + 1} of {node.id} is already fed by {taken}")
        if src == dst:
            raise GraphError(f"{node.id} cannot feed itself")
        reranked = self._make_room(src, dst) if self._rank[src] > self._rank[dst] else None
        self._set_slot(dst, slot, src)
        if reranked and self._journal is not None:
            self._journal.insert(len(self._journal) - 1, lambda: self._restore_ranks(reranked))

    def disconnect(self, consumer: NodeRef, slot: int) -> None:
        """Empty operand ``slot`` of ``consumer``.  Emptying an empty slot is refused."""
        dst = self.key_of(consumer)
        node = self._nodes[dst]
        self._check_slot(node, slot)
        if self._groups_later is not None:
            self.groups  # noqa: B018 - made from the structure as it was built
        if node.inputs[slot] is None:
            raise GraphError(f"slot {slot + 1} of {node.id} is already empty")
        self._set_slot(dst, slot, None)

    def set_value(self, ref: NodeRef, value: float) -> None:
        """Set the value of an input or a constant."""
        node = self.node(ref)
        if not node.op.is_leaf:
            raise GraphError(
                f"{node.id} is computed by {node.op.name}; only inputs and constants hold a value"
            )
        self._set_field(node, "value", check_value(value, f"the value of {node.id}"))

    def set_label(self, ref: NodeRef, label: str | None) -> None:
        """Set the display text shown instead of the id (None or "" removes it)."""
        node = self.node(ref)
        if label is not None and not isinstance(label, str):
            raise GraphError(f"the label of {node.id} must be text")
        self._set_field(node, "label", label or None)

    def set_param(self, ref: NodeRef, param: bool) -> None:
        """Mark an input as a trainable parameter, or unmark it."""
        node = self.node(ref)
        if param and node.op.name != "input":
            raise GraphError(f"only inputs can be parameters, and {node.id} is a {node.op.name}")
        self._set_field(node, "param", bool(param))

    def set_box(self, ref: NodeRef, box: bool) -> None:
        """Draw a constant as a box of its own even when it has one use (True), or on
        its consumer's port again when it has one (False).  Only the drawing changes."""
        node = self.node(ref)
        if box and node.op.name != "const":
            raise GraphError(
                f"only constants can be drawn as boxes, and {node.id} is a {node.op.name}"
            )
        self._set_field(node, "box", bool(box))

    def set_position(self, ref: NodeRef, x: float | None, y: float | None) -> None:
        """Place a node on the canvas; ``(None, None)`` makes it "not placed yet" again."""
        node = self.node(ref)
        if (x is None) != (y is None):
            raise GraphError(f"a position for {node.id} needs both x and y, or neither")
        px = _check_position(x, f"the x position of {node.id}")
        py = _check_position(y, f"the y position of {node.id}")
        old = (node.x, node.y)

        def put(pos: tuple[float | None, float | None]) -> None:
            node.x, node.y = pos

        put((px, py))
        self._changed(Event("moved", node.key), lambda: put(old))

    def rename(self, ref: NodeRef, new_id: str) -> None:
        """Give a node a new id.  References follow, since they hold keys."""
        node = self.node(ref)
        check_id(new_id)
        if new_id == node.id:
            return
        if new_id in self._by_id:
            raise GraphError(f"a node named {new_id!r} already exists")
        self._rename(node, new_id)

    def set_output(self, ref: NodeRef | None) -> None:
        """Choose the node to differentiate (J), or None.  Never renames anything."""
        key = None if ref is None else self.key_of(ref)
        old = self._output
        if key == old:
            return
        self._output = key
        self._changed(Event("output_changed", key), lambda: self._restore_output(old))

    def _restore_output(self, key: int | None) -> None:
        self._output = key
        self.structure_version += 1

    # ------------------------------------------------------- internal editing
    def _check_slot(self, node: Node, slot: object) -> None:
        if isinstance(slot, bool) or not isinstance(slot, int) or not 0 <= slot < node.op.arity:
            if node.op.arity == 0:
                raise GraphError(f"{node.id} is an {node.op.name} and has no operand slots")
            raise GraphError(
                f"{node.id} ({node.op.name}) has slots 1 to {node.op.arity}, not {slot!r}"
            )

    def _insert(self, node: Node, rank: int) -> None:
        self._nodes[node.key] = node
        self._by_id[node.id] = node.key
        self._rank[node.key] = rank
        self._next_rank = max(self._next_rank, rank + 1)
        if self._order is not None:
            if not self._order or self._rank[self._order[-1]] < rank:
                self._order.append(node.key)
            else:
                self._order = None
        if self._nx is not None:
            self._nx.add_node(node.key)
        self._changed(Event("node_added", node.key), lambda: self._delete(node.key))

    def _delete(self, key: int) -> None:
        node = self._nodes.pop(key)
        del self._by_id[node.id]
        rank = self._rank.pop(key)
        self._consumer_count.pop(key, None)
        if self._order is not None:
            self._order.remove(key)
        if self._nx is not None:
            self._nx.remove_node(key)
        self._changed(Event("node_removed", key), lambda: self._insert(node, rank))

    def _set_slot(self, dst: int, slot: int, src: int | None) -> None:
        node = self._nodes[dst]
        old = node.inputs[slot]
        if old is not None:
            self._consumer_count[old] -= 1
            if self._nx is not None:
                self._nx.remove_edge(old, dst, key=slot)
        node.inputs[slot] = src
        if src is not None:
            self._consumer_count[src] = self._consumer_count.get(src, 0) + 1
            if self._nx is not None:
                self._nx.add_edge(src, dst, key=slot)
        kind = "connected" if src is not None else "disconnected"
        self._changed(Event(kind, dst, slot), lambda: self._set_slot(dst, slot, old))

    def _set_field(self, node: Node, name: str, value: Any) -> None:
        old = getattr(node, name)
        if old == value and type(old) is type(value):
            return
        setattr(node, name, value)
        kind = {
            "value": "value_changed",
            "label": "label_changed",
            "param": "param_changed",
            "box": "box_changed",
        }[name]
        self._changed(Event(kind, node.key), lambda: self._set_field(node, name, old))

    def _rename(self, node: Node, new_id: str) -> None:
        old = node.id
        del self._by_id[old]
        self._by_id[new_id] = node.key
        node.id = new_id
        self.names_version += 1
        self._changed(Event("renamed", node.key), lambda: self._rename(node, old))

    # ------------------------------------------------------- bulk construction
    @classmethod
    def _from_nodes(
        cls,
        nodes: list[Node],
        ranks: list[int],
        output: int | None,
        extra: dict[str, Any],
        notes: Iterable[Note] = (),
        groups: tuple[Group, ...] = (),
    ) -> Graph:
        """Build a graph from already validated nodes and notes (used by the file reader)."""
        graph = cls()
        graph._notes = dict(enumerate(notes))
        graph._next_note = len(graph._notes)
        count: dict[int, int] = {}
        for node, rank in zip(nodes, ranks, strict=True):
            graph._nodes[node.key] = node
            graph._by_id[node.id] = node.key
            graph._rank[node.key] = rank
            for src in node.inputs:
                if src is not None:
                    count[src] = count.get(src, 0) + 1
        graph._consumer_count = count
        graph._next_key = len(nodes)
        graph._next_rank = len(nodes)
        graph._order = None
        graph._output = output
        graph.extra = extra
        graph._groups = groups  # checked by the caller (core/groups.py read_groups)
        return graph

    def _repr_svg_(self) -> str | None:
        """The graph as SVG, for Jupyter: drawn by ``dvar export`` in a subprocess
        (core/display.py), so the notebook's process never loads Qt."""
        from dvar.core.display import svg

        return svg(self)

    def copy(self) -> Graph:
        """An independent copy with the same ids, keys, values and positions."""
        nodes = [
            Node(
                n.key,
                n.id,
                n.op,
                n.value,
                list(n.inputs),
                n.label,
                n.param,
                n.x,
                n.y,
                dict(n.extra),
                n.box,
            )
            for n in self._nodes.values()
        ]
        graph = Graph._from_nodes(
            nodes, [self._rank[n.key] for n in nodes], self._output, dict(self.extra)
        )
        graph._notes, graph._next_note = dict(self._notes), self._next_note
        graph._lesson = self._lesson
        graph._next_key, graph._next_rank = self._next_key, self._next_rank
        graph._groups = self.groups
        return graph


def _stem(op: Op) -> str:
    return names.default_stem(op.name)
