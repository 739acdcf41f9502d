"""The canvas scene: one item per node and per edge, kept in step with the document.

The scene never edits the graph itself; gestures (:mod:`interactions`, driven by
the view) build commands and hand them to ``document.run``.  After each change it
creates or removes only the items that changed, then refreshes texts from the new
evaluation.

The scene is one class in parts, each a mixin in a module of its own:
:mod:`scene_groups` (what a grouped graph shows), :mod:`scene_chips` (constants drawn
on ports), :mod:`scene_texts` (what each box says and its width), :mod:`scene_overlay`
(what teaching tools show over the graph) and :mod:`scene_drawing` (edges in the
views' cached background, nodes at each zoom).  This module builds the items, keeps
them in step with each change (``_apply``, ``refresh``), and answers what is
selected, focused or under a point.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QTransform
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

from dvar.core import Evaluation, Event
from dvar.gui import numbers
from dvar.gui.canvas.chips import ChipItem
from dvar.gui.canvas.edges import EdgeItem
from dvar.gui.canvas.group_actions import GroupActions
from dvar.gui.canvas.groups import (
    Borders,
    GroupFrame,
    GroupItem,
    Units,
    shown_units,
)
from dvar.gui.canvas.nodes import NodeItem
from dvar.gui.canvas.notes import FRAME_Z, NOTE_Z, NoteItem
from dvar.gui.canvas.scene_chips import SceneChips
from dvar.gui.canvas.scene_drawing import SETTLE_MS, SceneDrawing
from dvar.gui.canvas.scene_groups import SceneGroups
from dvar.gui.canvas.scene_overlay import SceneOverlay
from dvar.gui.canvas.scene_texts import SceneTexts
from dvar.gui.document.document import Document

#: A change with more events than this redraws the edges once, not one by one.
BULK_EVENTS = 32

#: Half the canvas size in scene units.
CANVAS = 200_000.0

#: Events after which a constant may start or stop being drawn as a chip.
_CHIP_EVENTS = frozenset(
    {
        "node_added",
        "node_removed",
        "connected",
        "disconnected",
        "box_changed",
        "output_changed",
        "reset",
    }
)


class GraphScene(SceneGroups, SceneChips, SceneTexts, SceneOverlay, SceneDrawing, QGraphicsScene):
    """Items for the document's graph, and what is under a point of it."""

    #: Something an overview (the minimap) shows may have changed: nodes, edges,
    #: positions, selection or highlights.  (Qt's own ``changed`` signal is left
    #: unconnected: connecting it makes Qt repaint every moved edge's whole bounding box.)
    overview_changed = Signal()
    #: A note's text should be edited (it was double-clicked): its key.
    note_edit_requested = Signal(int)
    #: The keyboard's focus moved to another node (see keyboard.py): its key, or None.
    nodeFocused = Signal(object)  # noqa: N815 (named as Qt names its signals)
    #: The keyboard's focus moved onto a port, or off every port: (key, "in" or "out",
    #: slot), or None.  Comes after ``nodeFocused`` when both change.
    portFocused = Signal(object)  # noqa: N815

    def __init__(self, document: Document, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.graph = document.graph
        self.nodes: dict[int, NodeItem] = {}
        #: The canvas notes and frames, by their keys in ``graph.notes``.
        self.note_items: dict[int, NoteItem] = {}
        self.edges: dict[tuple[int, int], EdgeItem] = {}
        #: What is shown of the groups (see groups.py): collapsed boxes and what they hide.
        self.units = Units()
        #: A box per outermost collapsed group, by path, and the edges that end at boxes.
        self.group_items: dict[tuple[int, ...], GroupItem] = {}
        self.group_edges: dict[tuple, EdgeItem] = {}
        #: A dashed frame round each expanded group that shows, by path.
        self.group_frames: dict[tuple[int, ...], GroupFrame] = {}
        #: Where the boxes of groups whose nodes have no positions are (by their nodes).
        self._box_spots: dict[frozenset[int], QPointF] = {}
        #: Group, Ungroup, Expand, Collapse on the selection (the window's actions).
        self.groups = GroupActions(self)
        #: The groups' borders, kept while the graph's structure stays the same.
        self._borders = Borders()
        self.backward_view = False
        self.notation = "d"
        self.snap = True
        #: False draws a blank diagram: formulas instead of values and derivatives.
        self.show_numbers = True
        #: True draws every constant as a box; False (the lecture's look) draws a
        #: constant with one use as a chip on its consumer's port (see chips.py).
        self.constants_as_nodes = False
        #: The constants drawn as chips, by key (each item is also in ``nodes``).
        self.chips: dict[int, ChipItem] = {}
        #: The nodes without a value at the last change, for the overview's colours.
        self._failed: frozenset[str] = frozenset()
        #: For each node with chips on its ports, the chips' keys: its formula shows their numbers.
        self._hosted: dict[int, tuple[int, ...]] = {}
        #: The digit count and notation the boxes' widths were fitted for.
        self._fitted_for: tuple | None = None
        #: Nodes whose text did not fit when painted: widened soon (see widen_later).
        self._to_widen: set[NodeItem] = set()
        self._widen_timer = QTimer(self)
        self._widen_timer.setSingleShot(True)
        self._widen_timer.setInterval(0)
        self._widen_timer.timeout.connect(self._widen_waiting)
        self._styled_backward = False  # edges currently carry backward-view labels
        #: Items a gesture shows for the moment (the edge being dragged): never exported.
        self.transient: list[QGraphicsItem] = []
        self._auto_positions: dict[int, QPointF] = {}
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        # A fixed, roomy canvas: the view never jumps when nodes are added or removed.
        self.setSceneRect(-CANVAS, -CANVAS, 2 * CANVAS, 2 * CANVAS)
        self.bulk = False  # while True, edges do not ask to be redrawn one by one
        #: Edges whose nodes are moving: drawn over the cached background until they settle.
        self.live_edges: set[EdgeItem] = set()
        self._settle_timer = QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(SETTLE_MS)
        self._settle_timer.timeout.connect(self.settle_edges)
        self._node_cache = QGraphicsItem.CacheMode.NoCache
        #: False while the canvas is zoomed out too far to read text (see set_text_readable).
        self.text_readable = True
        #: False while too far out for even a block's name (see set_text_readable).
        self.names_readable = True
        #: The node the keyboard is on (arrow keys move it, see keyboard.py), or None;
        #: and the port of it the keyboard is on, ("in", slot) or ("out", 0), or None.
        self.focused_key: int | None = None
        self.focused_port: tuple[str, int] | None = None
        self._build()
        document.changed.connect(self._on_changed)
        document.overlay_changed.connect(self._on_overlay)
        self.selectionChanged.connect(self.overview_changed)

    # ------------------------------------------------------------ keeping step
    @contextmanager
    def _in_bulk(self) -> Iterator[None]:
        """Many items change at once: skip per-edge redraw requests, then redraw once."""
        self.bulk = True
        try:
            yield
        finally:
            self.bulk = False
            self.redraw_background()

    def _build(self) -> None:
        with self._in_bulk():
            self._build_items()
        for key, note in self.graph.notes.items():
            self._show_note(key, note)
        self._order_notes()
        self.refresh(self.document.evaluation)

    def _build_items(self) -> None:
        """Items for what is shown: nodes outside collapsed groups, and a box per group."""
        self.units = shown_units(self.graph, self._borders)
        hidden = self.units.hidden
        chips = self._wanted_chips()
        for index, node in enumerate(self.graph.topological_keys()):
            if node not in hidden:
                self._add_node_item(node, index, chip=node in chips)
        self._fit_all_widths()  # before the edges, so that each is routed once
        for node in self.graph:
            if node.key in hidden:
                continue
            for slot, source in enumerate(node.inputs):
                if source is not None and source not in chips and source not in hidden:
                    self._add_edge_item(source, node.key, slot)
        self._show_boxes()
        self._dock_chips(chips)
        self._lay_out_unplaced(list(self.nodes), list(self.group_items), {})
        self._sync_frames()

    def _add_node_item(self, key: int, index: int = 0, chip: bool = False) -> NodeItem:
        node = self.graph.node(key)
        if chip:
            item: NodeItem = ChipItem(key)
            self.chips[key] = item  # type: ignore[assignment]
        else:
            item = NodeItem(key, node.op.arity)
        item.snap = self.snap and not chip
        item.setCacheMode(self._node_cache)
        if chip:
            pass  # placed on its consumer's port by _dock_chips
        elif node.x is None or node.y is None:  # not placed yet: a spot of the scene's own
            self._auto_positions[key] = self._free_spot(index)
            item.setPos(self._auto_positions[key])
        else:
            item.setPos(node.x, node.y)
        overlay = self.document.overlay
        item.set_nudge(overlay.values.get(key, ""))
        item.set_current(key == overlay.current)
        self.addItem(item)
        self.nodes[key] = item
        return item

    def _free_spot(self, index: int) -> QPointF:
        return QPointF(240.0 * (index // 8), 100.0 * (index % 8))

    def _add_edge_item(self, source: int, consumer: int, slot: int) -> None:
        edge = EdgeItem(self.nodes[source], self.nodes[consumer], slot)
        self.nodes[source].edges.append(edge)
        self.nodes[consumer].edges.append(edge)
        self.addItem(edge)
        self.edges[(consumer, slot)] = edge

    def _remove_edge_item(self, consumer: int, slot: int) -> None:
        edge = self.edges.pop((consumer, slot), None)
        if edge is None:
            return
        self._unlink(edge)

    def _drop_edge(self, edge: EdgeItem) -> None:
        """Remove an edge item, between nodes or ending at a group's box."""
        if edge.link is not None:
            self.group_edges.pop(edge.link, None)
            self._unlink(edge)
        else:
            self._remove_edge_item(edge.consumer.key, edge.slot)

    def _unlink(self, edge: EdgeItem) -> None:
        for end in (edge.source, edge.consumer):
            if edge in end.edges:
                end.edges.remove(edge)
        self.removeItem(edge)
        self.live_edges.discard(edge)

    def _show_note(self, key: int, note) -> None:
        item = self.note_items.get(key)
        if item is None:
            item = self.note_items[key] = NoteItem(key, note)
            self.addItem(item)
        elif item.note != note or item.pos() != QPointF(note.x, note.y):
            item.show(note)

    def _apply_notes(self, events: list[Event]) -> None:
        """Notes added, changed or removed: only their items change."""
        notes = self.graph.notes
        for event in events:
            key = event.key
            if key in notes:
                self._show_note(key, notes[key])
            elif key in self.note_items:
                self.removeItem(self.note_items.pop(key))
        self._order_notes()

    def _order_notes(self) -> None:
        """Frames under notes, each kind in the order of ``graph.notes`` (an undone
        delete goes back to its depth, not on top)."""
        notes = self.graph.notes
        for index, key in enumerate(notes):
            item = self.note_items.get(key)
            if item is not None:
                base = FRAME_Z if item.is_frame else NOTE_Z
                item.setZValue(base + index / (len(notes) + 1))

    def selected_note_keys(self) -> list[int]:
        return [item.key for item in self.selectedItems() if isinstance(item, NoteItem)]

    def _on_changed(self, events: list[Event], evaluation: Evaluation) -> None:
        if all(event.kind == "lesson_changed" for event in events):
            return  # a lesson shows through the overlay (player, editor): nothing to redraw
        if any(event.kind.startswith("note_") for event in events):
            self._apply_notes([e for e in events if e.kind.startswith("note_")])
            events = [e for e in events if not e.kind.startswith("note_")]
            if not events:
                self.overview_changed.emit()
                return
        if len(events) > BULK_EVENTS:
            with self._in_bulk():
                self._apply(events, evaluation)
        else:
            self._apply(events, evaluation)
        # The overview draws shapes and colours, not numbers: a new value changes it
        # only when a node gains or loses its value (an error is drawn in its own colour).
        failed = frozenset(evaluation.errors)
        if failed != self._failed or any(e.kind != "value_changed" for e in events):
            self.overview_changed.emit()
        self._failed = failed

    def _apply(self, events: list[Event], evaluation: Evaluation) -> None:
        if (
            self.units.boxes
            or self.group_frames
            or any(event.kind == "groups_changed" for event in events)
        ):
            self._apply_grouped(events, evaluation)
            return
        graph = self.graph
        structural = False
        added: list[int] = []
        for event in events:
            kind, key = event.kind, event.key
            if kind == "node_added" and key in graph and key not in self.nodes:
                self._add_node_item(key, len(self.nodes))
                added.append(key)
                structural = True
            elif kind == "node_removed" and key in self.nodes:
                if key == self.focused_key:
                    self.set_focused(None)
                self._remove_node_item(key)
                structural = True
            elif kind in ("connected", "disconnected"):
                self._remove_edge_item(key, event.slot)
                structural = True
            elif kind == "moved" and key in self.nodes and key not in self.chips:
                self._follow_move(key)
        # New boxes take their widths before their edges, so that each edge is routed once.
        self._fit_widths(added)
        if structural:  # re-create edges of the slots that now hold a source
            for event in events:
                if event.kind == "connected" and event.key in graph:
                    source = graph.node(event.key).inputs[event.slot]
                    if source is not None and (event.key, event.slot) not in self.edges:
                        self._add_edge_item(source, event.key, event.slot)
        if any(event.kind != "moved" for event in events):
            refit = self._touched_formulas(events).difference(added)
            if any(event.kind in _CHIP_EVENTS for event in events):
                refit.update(self._sync_chips())
            self._fit_widths(refit)
            self.refresh(evaluation)

    def _follow_move(self, key: int) -> None:
        """Put a node's item where the graph says it is (or where the layout of what
        is shown put it, for a node with no position)."""
        node = self.graph.node(key)
        item = self.nodes[key]
        if node.x is None:
            item.setPos(self._auto_positions.get(key, item.pos()))
        elif (item.x(), item.y()) != (node.x, node.y):
            item.setPos(node.x, node.y)

    def _remove_node_item(self, key: int) -> None:
        if key == self.focused_key:
            self.set_focused(None)
        item = self.nodes.pop(key)
        for edge in list(item.edges):
            self._drop_edge(edge)
        self._forget_chip(key)
        self.removeItem(item)

    def refresh(self, evaluation: Evaluation) -> None:
        """Show the evaluation's numbers on every node (and on edges in the backward view).

        Only nodes whose numbers changed are marked for repainting; their texts are
        formatted when they are next drawn (``fill_texts``), so off-screen nodes cost
        almost nothing.
        """
        graph, notation = self.graph, self.notation
        if self._fitted_for != (numbers.digits(), notation):
            self._fit_all_widths()
        hosted = self._hosted
        node_of = {node.key: node for node in graph} if self.nodes else {}
        output, output_key = evaluation.output, graph.output_key
        position, values, grads = evaluation.by_position()
        overlay = self.document.overlay
        override = overlay.derivatives
        cells = overlay.cells  # practice: hidden cells show marks, not numbers
        names_version = graph.names_version
        digits = numbers.digits()
        readable, named = self.text_readable, self.names_readable
        in_view = self.shown_rect()
        # What the views show, found once through the scene's index: far cheaper than
        # asking each of thousands of nodes for its rectangle.
        shown = (
            None
            if in_view is None
            else set(self.items(in_view, Qt.ItemSelectionMode.IntersectsItemBoundingRect))
        )
        alike = overlay.shown_alike()
        for key, item in self.nodes.items():
            node = node_of[key]
            at = position[key]
            value, grad = values[at], grads[at]
            error = evaluation.error(key) if value is None or grad is None else None
            state = (
                node.id,
                node.label,
                value,
                grad,
                error,
                key == output_key,
                output,
                notation,
                digits,
                tuple(node.inputs),
                names_version,
                overlay.value_shown(key) if alike is None else alike[0],
                overlay.grad_shown(key) if alike is None else alike[1],
                None if override is None else override.get(key, ""),
                None if key not in hosted else tuple(values[position[c]] for c in hosted[key]),
                None if not cells else (cells.get(("value", key, 0)), cells.get(("grad", key, 0))),
            )
            if state != item.state:
                renamed = state[:2] != item.state[:2]  # (id, label): a block's name
                item.state = state
                tip = error or _mark_tips(state[-1])
                block_changed = item.mark_stale(error is not None, key == output_key, tip)
                # Off screen, or too small to read with the same colour: nothing to
                # repaint now; the texts are made when the node is next drawn readably.
                if (readable or block_changed or (named and renamed)) and (
                    shown is None or item in shown
                ):
                    item.update()
        for box in self.group_items.values():
            if box.show_numbers(graph, evaluation, notation) and readable:
                box.update()
        self._style_edges(evaluation)

    # ------------------------------------------ settings, focus and selection
    def set_notation(self, notation: str) -> None:
        self.notation = notation
        self.refresh(self.document.evaluation)

    def set_snap(self, on: bool) -> None:
        self.snap = on
        for item in self.nodes.values():
            item.snap = on

    def set_focused(self, key: int | None, port: tuple[str, int] | None = None) -> None:
        """Put the keyboard's focus on a node, and on one of its ports (``("in", slot)``
        or ``("out", 0)``) or none; None takes it off every node.  Tells the views and
        assistive technology (``nodeFocused``, ``portFocused``) what changed."""
        if key is not None and key not in self.nodes:
            key = None
        if key is None:
            port = None
        old_key, old_port = self.focused_key, self.focused_port
        if (key, port) == (old_key, old_port):
            return
        self.focused_key, self.focused_port = key, port
        if key != old_key:
            self.nodeFocused.emit(key)
        if port is not None or old_port is not None:
            self.portFocused.emit(None if port is None else (key, *port))

    def selected_keys(self) -> list[int]:
        return [item.key for item in self.selectedItems() if isinstance(item, NodeItem)]

    def selected_with_chips(self) -> list[int]:
        """The selected nodes and the chips on their ports, which read as part of them:
        what copy, duplicate and delete take."""
        keys = self.selected_keys()
        chosen = set(keys)
        for key in list(keys):
            keys += [chip for chip in self._hosted.get(key, ()) if chip not in chosen]
        for box in self.selected_boxes():  # a group's box stands for the nodes inside
            keys += sorted(box.group.all_keys() - chosen)
        return keys

    def selected_boxes(self) -> list[GroupItem]:
        """The selected boxes of collapsed groups."""
        return [item for item in self.selectedItems() if isinstance(item, GroupItem)]

    def selected_edges(self) -> list[tuple[int, int]]:
        return [
            (item.consumer.key, item.slot)
            for item in self.selectedItems()
            if isinstance(item, EdgeItem)
        ]

    def select_keys(self, keys: Iterable[int], boxes: bool = False) -> None:
        """Select exactly these nodes (and, with ``boxes``, every group's box), telling
        the views once (not once per node: a paste of 1,000 nodes would update the
        inspector and the panel 1,000 times)."""
        blocked = self.blockSignals(True)
        try:
            self.clearSelection()
            for key in keys:
                item = self.nodes.get(key)
                if item is not None:
                    item.setSelected(True)
            for box in self.group_items.values() if boxes else ():
                box.setSelected(True)
        finally:
            self.blockSignals(blocked)
        self.selectionChanged.emit()

    def item_showing(self, key: int) -> QGraphicsItem | None:
        """The item that shows a node: its own, or the box of the collapsed group
        hiding it (None if neither is on the canvas)."""
        item = self.nodes.get(key)
        if item is None and key in self.units.hidden:
            item = self.group_items.get(self.units.hidden[key])
        return item

    def diagram_rect(self) -> QRectF:
        """The bounding box of all nodes and edges (no grid or margins)."""
        return self.itemsBoundingRect()

    # ------------------------------------------------------- for the gestures
    def add_transient(self, item: QGraphicsItem) -> None:
        """Show an item that is not part of the diagram while a gesture lasts."""
        self.transient.append(item)
        self.addItem(item)

    def remove_transient(self, item: QGraphicsItem) -> None:
        if item in self.transient:
            self.transient.remove(item)
            self.removeItem(item)

    def node_at(self, scene_pos: QPointF) -> NodeItem | None:
        """The node drawn topmost at this point, or None."""
        for item in self.items(
            scene_pos,
            Qt.ItemSelectionMode.IntersectsItemShape,
            Qt.SortOrder.DescendingOrder,
            QTransform(),
        ):
            if isinstance(item, NodeItem):
                return item
        return None

    def port_at(self, scene_pos: QPointF) -> tuple[NodeItem, str, int] | None:
        """(node, "in" or "out", slot) for the port at this point, or None."""
        item = self.node_at(scene_pos)
        if item is None:
            return None
        port = item.port_at(item.mapFromScene(scene_pos))
        return None if port is None else (item, port[0], port[1])

    def empty_slot_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        """(node key, slot) of an input port with no edge at this point, or None."""
        hit = self.port_at(scene_pos)
        if hit is None or hit[1] != "in" or self.graph.node(hit[0].key).inputs[hit[2]] is not None:
            return None
        return hit[0].key, hit[2]


def _mark_tips(marks) -> str:
    """A node's tooltip while practising: what its hidden cells say (a wrong answer's
    diagnosis, or what the cell asks for)."""
    if not marks:
        return ""
    return "\n".join(mark.tip for mark in marks if mark is not None and mark.tip)
