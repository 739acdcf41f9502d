"""The canvas scene: one item per node and per edge, kept in step with the document.

The scene never edits the graph itself; gestures (:mod:`interactions`, driven by
the view) build commands and hand them to ``document.run``.  After each change it
creates or removes only the items that changed, then refreshes texts from the new
evaluation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QTransform
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsScene,
    QStyleOptionGraphicsItem,
)

from dvar.core import Evaluation, Event, derivative_symbol
from dvar.core.text import formula, inline_constants
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
from dvar.gui.canvas.look import TEXT_LOD, Look
from dvar.gui.canvas.nodes import NodeItem, width_for
from dvar.gui.canvas.notes import FRAME_Z, NOTE_Z, NoteItem
from dvar.gui.canvas.scene_groups import SceneGroups
from dvar.gui.document.document import Document
from dvar.gui.document.overlay import Overlay, term_edges
from dvar.gui.numbers import format_number

#: How faint a lesson draws what lies outside its spotlight.
DIMMED = 0.25
#: A change with more events than this redraws the edges once, not one by one.
BULK_EVENTS = 32

#: Milliseconds after the last move before moving edges settle into the background.
SETTLE_MS = 300

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


class GraphScene(SceneGroups, QGraphicsScene):
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

    def redraw_background(self) -> None:
        """Draw every view's cached background (the edges) again, as far as it shows.

        Invalidating the whole scene rectangle instead would make each view draw the
        grid and every edge of the graph once, far outside what it shows.
        """
        for view in self.views():
            view.resetCachedContent()
            view.viewport().update()

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

    # ------------------------------------------------------------------ chips
    def set_constants_as_nodes(self, on: bool) -> None:
        """Draw every constant as a box of its own (True), or a constant with one use
        as a chip on its consumer's port (False, the default, as on the lecture's slide)."""
        if on == self.constants_as_nodes:
            return
        self.constants_as_nodes = on
        with self._in_bulk():
            if self.units.boxes:
                self._sync_units()
            else:
                self._fit_widths(self._sync_chips())
        self.refresh(self.document.evaluation)
        self.overview_changed.emit()

    def _wanted_chips(self) -> set[int]:
        """The constants to draw as chips now: not the output, which keeps its marked box."""
        if self.constants_as_nodes:
            return set()
        graph = self.graph
        hidden = self.units.hidden
        if not hidden:
            return inline_constants(graph) - {graph.output_key}
        # A chip sits on a shown port: not inside a group, nor on one hidden in it.
        chips = set()
        for key in graph.topological_keys():
            if key not in hidden and graph.is_inline_constant(key):
                consumer = graph.key_of(graph.consumers(key)[0][0])
                if consumer not in hidden:
                    chips.add(key)
        return chips - {graph.output_key}

    def _sync_chips(self) -> set[int]:
        """Draw as chips exactly the constants that should be now, swapping items whose
        kind changed (an edge added or removed, a chip dragged off, the View setting,
        undo), and put every chip on its port.  Returns the keys of the nodes whose
        formulas changed: those that gained or lost a chip."""
        wanted = self._wanted_chips()
        hosts_before = {key: chip.host.key for key, chip in self.chips.items() if chip.host}
        for key in set(self.chips) - wanted:
            self._replace_item(key, chip=False)
        for key in wanted - set(self.chips):
            self._replace_item(key, chip=True)
        self._dock_chips(wanted)
        hosts_after = {key: chip.host.key for key, chip in self.chips.items() if chip.host}
        changed = set(hosts_before.items()) ^ set(hosts_after.items())
        return {host for _, host in changed}

    def _replace_item(self, key: int, chip: bool) -> None:
        """Swap a constant's item between a box and a chip, keeping its selection."""
        old = self.nodes.pop(key, None)
        if old is None:
            return
        selected = old.isSelected()
        for edge in list(old.edges):
            self._drop_edge(edge)
        self._forget_chip(key)
        self.removeItem(old)
        item = self._add_node_item(key, len(self.nodes), chip=chip)
        if not chip:
            for consumer, slot in self.graph.consumers(key):
                consumer_key = self.graph.key_of(consumer)
                if (consumer_key, slot) not in self.edges and consumer_key in self.nodes:
                    self._add_edge_item(key, consumer_key, slot)
        if selected:
            item.setSelected(True)

    def _forget_chip(self, key: int) -> None:
        chip = self.chips.pop(key, None)
        if chip is not None:
            chip.undock()

    def _dock_chips(self, keys: Iterable[int]) -> None:
        """Put these chips on the ports they feed, and note which nodes host chips."""
        hosted: dict[int, list[int]] = {}
        ordered = [key for key in keys if key in self.chips]
        wanted = set(ordered)
        port: dict[int, tuple[int, int]] = {}  # chip -> (consumer, slot), one pass over edges
        if wanted:
            for node in self.graph:
                for slot, source in enumerate(node.inputs):
                    if source in wanted:
                        port[source] = (node.key, slot)
        for key in ordered:
            if key not in port:
                continue
            consumer, slot = port[key]
            host = self.nodes.get(consumer)
            if host is not None:
                self.chips[key].dock(host, slot)
                hosted.setdefault(host.key, []).append(key)
        self._hosted = {host: tuple(keys) for host, keys in hosted.items()}

    # ---------------------------------------------------------------- widths
    def _touched_formulas(self, events: list[Event]) -> set[int]:
        """Nodes whose formula or derivative text may have changed width after these events."""
        keys: set[int] = set()
        chips = self.chips
        for event in events:
            kind, key = event.kind, event.key
            if kind in ("node_added", "connected", "disconnected"):
                keys.add(key)
            elif kind == "renamed" and key in self.nodes:
                keys.add(key)
                keys.update(e.consumer.key for e in self.nodes[key].edges if e.consumer.key != key)
            elif kind == "value_changed" and key in chips and chips[key].host is not None:
                keys.add(chips[key].host.key)
            elif kind in ("output_changed", "reset"):
                return set(self.nodes)
        return keys

    def _fit_all_widths(self) -> None:
        self._fitted_for = (numbers.digits(), self.notation)
        self._fit_widths(self.nodes)

    def _fit_widths(self, keys: Iterable[int]) -> None:
        """Widen (or narrow back) these nodes' boxes for their formula and derivative
        lines (see nodes.width_for)."""
        graph, chips, notation = self.graph, self.chips, self.notation
        output = graph.output
        for key in keys:
            item = self.nodes.get(key)
            if item is None or key in chips or key not in graph:
                continue
            node = graph.node(key)
            head = node.id if node.op.is_leaf else formula(graph, node, chips, format_number)
            grad = derivative_symbol(node.id, output, notation)
            item.set_width(width_for(head, grad))

    def widen_later(self, item: NodeItem) -> None:
        """A node's text did not fit when painted (a long number): widen it soon."""
        self._to_widen.add(item)
        self._widen_timer.start()

    def widen_for_texts(self, items: Iterable[NodeItem] | None = None) -> None:
        """Widen the boxes (default: all) whose texts do not fit now: before an export,
        and soon after a paint found one (``widen_later``)."""
        if items is None:
            items = self.nodes.values()
        widened = False
        for item in items:
            if item.scene() is self and item.key not in self.chips:
                width = item.needed_width()
                if width > item.width:
                    item.set_width(width)
                    widened = True
        if widened:
            self.overview_changed.emit()

    def _widen_waiting(self) -> None:
        items, self._to_widen = self._to_widen, set()
        self.widen_for_texts(items)

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
        values, grads = evaluation.values, evaluation.grads
        overlay = self.document.overlay
        override = overlay.derivatives
        cells = overlay.cells  # practice: hidden cells show marks, not numbers
        names_version = graph.names_version
        digits = numbers.digits()
        readable, named = self.text_readable, self.names_readable
        in_view = self.shown_rect()
        alike = overlay.shown_alike()
        for key, item in self.nodes.items():
            node = node_of[key]
            value, grad = values[key], grads[key]
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
                None if key not in hosted else tuple(values[c] for c in hosted[key]),
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
                    in_view is None or in_view.intersects(item.sceneBoundingRect())
                ):
                    item.update()
        for box in self.group_items.values():
            if box.show_numbers(graph, evaluation, notation) and readable:
                box.update()
        self._style_edges(evaluation)

    # ------------------------------------------------------------------ edges
    # Edges are drawn by the scene, not as items: settled edges in the background
    # layer, which views cache, so an edit that changes numbers never redraws the
    # long curves.  Edges whose nodes are moving are "live": drawn over the cached
    # background, so each step of a drag repaints those few edges along their
    # length and nothing else.  They settle back a moment after the last move.
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        """The settled edges crossing ``rect``."""
        edges = [
            item
            for item in self.items(rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect)
            if isinstance(item, EdgeItem) and not item.live
        ]
        self.draw_edges(painter, rect, edges)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        """The live edges crossing ``rect``."""
        if self.live_edges:
            self.draw_edges(painter, rect, self.live_edges)

    def draw_edges(
        self, painter: QPainter, rect: QRectF, edges: Iterable[EdgeItem] | None = None
    ) -> None:
        """Draw those of ``edges`` (default: all) that cross ``rect``, highlighted ones last."""
        if edges is None:
            edges = [*self.edges.values(), *self.group_edges.values()]
        shown = [edge for edge in edges if edge.isVisible() and edge.crosses(rect)]
        if not shown:
            return
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        look = Look.get()
        painter.save()
        if lod >= TEXT_LOD:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        dimmed = self.document.overlay.spotlight is not None  # a lesson dims some edges
        for edge in sorted(shown, key=lambda e: e.isSelected() or e.highlighted):
            if dimmed:
                painter.setOpacity(edge.opacity())
            edge.draw(painter, lod, look)
        painter.restore()

    def lift_edges(self, edges: list[EdgeItem]) -> None:
        """These edges are about to move: take them out of the cached background."""
        if self.bulk:
            return
        for edge in edges:
            if not edge.live:
                edge.redraw()  # clears it from the background
                edge.live = True
                self.live_edges.add(edge)
        self._settle_timer.start()
        self.overview_changed.emit()

    def settle_edges(self) -> None:
        """Put every live edge back into the cached background layer."""
        self._settle_timer.stop()
        edges, self.live_edges = self.live_edges, set()
        for edge in edges:
            edge.live = False
            if edge.scene() is self:
                edge.redraw()  # draws it into the background, and clears it from above

    def draw_node_blocks(self, painter: QPainter) -> None:
        """Every node as a plain block in its colour (for overviews): one call per colour."""
        look = Look.get()
        blocks: dict[int, tuple[QColor, list[QRectF]]] = {}
        for item in [*self.nodes.values(), *self.group_items.values()]:
            if item.isVisible():
                color = item.block_color(look)
                rects = blocks.setdefault(color.rgba(), (color, []))[1]
                rects.append(QRectF(item.x(), item.y(), item.width, item.height))
        painter.setPen(look.no_pen)
        for color, rects in blocks.values():
            painter.setBrush(color)
            painter.drawRects(rects)

    def restyle(self) -> None:
        """The colours changed (theme or system scheme): nodes drop their cached looks.
        (Each view throws away its cached background itself.)"""
        for item in [*self.nodes.values(), *self.group_items.values()]:
            item.update()

    def fonts_changed(self) -> None:
        """Node text has another size (a preference, or the system's font): boxes
        grow or shrink to it, their edges follow, and all is drawn again."""
        for item in self.nodes.values():
            item.fit_text_size()
        for box in self.group_items.values():
            box.fit_text_size()
        self._fit_all_widths()
        self.widen_for_texts()
        self.update()
        self.overview_changed.emit()

    def set_text_readable(
        self, readable: bool, cached: bool | None = None, names: bool | None = None
    ) -> None:
        """The canvas is zoomed in far enough for nodes' numbers to show (``readable``:
        in their full look or as a block's value line), or not; ``names``: far enough
        for blocks' names at least; ``cached``: keep node looks as pixmaps (see
        cache_node_looks).  Both default to ``readable``.

        Where numbers do not show, a new number changes nothing on screen, so the node
        is not repainted until the view shows them again (which repaints everything);
        where names show, a renamed node is.
        """
        self.text_readable = readable
        self.names_readable = readable if names is None else names
        self.cache_node_looks(readable if cached is None else cached)

    def cache_node_looks(self, on: bool) -> None:
        """Keep each node's look as a pixmap (on) or paint it every time (off).

        Worth it when nodes show text: a node repainted because something moved over
        it is then copied, not drawn.  Views turn it on when zoomed in far enough for
        text (a block's name at least), and off when zoomed out further (thousands of
        tiny pixmaps would cost more than plain blocks); vector exports turn it off,
        or nodes would become pictures.
        """
        modes = QGraphicsItem.CacheMode
        mode = modes.DeviceCoordinateCache if on else modes.NoCache
        if mode != self._node_cache:
            self._node_cache = mode
            for item in [*self.nodes.values(), *self.group_items.values()]:
                item.setCacheMode(mode)

    @property
    def node_looks_cached(self) -> bool:
        return self._node_cache != QGraphicsItem.CacheMode.NoCache

    def shown_rect(self) -> QRectF | None:
        """The part of the canvas some view shows (None: draw as if all of it)."""
        rect = QRectF()
        for view in self.views():
            if view.isVisible() and not getattr(view, "is_overview", False):
                rect = rect.united(view.mapToScene(view.viewport().rect()).boundingRect())
        return None if rect.isEmpty() else rect

    def shown_scale(self) -> float:
        """How many screen pixels a scene unit takes in the views (the largest; 1 with none)."""
        scales = [
            view.transform().m11()
            for view in self.views()
            if view.isVisible() and not getattr(view, "is_overview", False)
        ]
        return max(scales, default=1.0) or 1.0

    def fill_texts(self, item: NodeItem) -> None:
        """Make a node's texts from its state (called when it is drawn or read)."""
        if item.key not in self.graph:
            return
        node = self.graph.node(item.key)
        (
            name,
            label,
            value,
            grad,
            _,
            _,
            output,
            notation,
            _,
            _,
            _,
            value_shown,
            grad_shown,
            override,
            _,
            marks,
        ) = item.state
        value_mark, grad_mark = marks or (None, None)
        item.marks = marks  # practice: the node paints its hidden cells as boxes
        derivative = (
            override
            if override is not None
            else f"{derivative_symbol(name, output, notation)} = "
            f"{grad_mark.text if grad_mark else format_number(grad) if grad_shown else ''}"
        )
        number = value_mark.text if value_mark else format_number(value) if value_shown else ""
        if node.op.is_leaf:
            text = formula(self.graph, node, (), format_number)
            value_line = f"{name} = {number}"
        else:
            text = formula(self.graph, node, self.chips, format_number)
            value_line = f"{text} = {number}"
        item.set_texts(
            label or name,
            node.op.symbol if not node.op.is_leaf else node.op.name,
            value_line,
            derivative,
            text,
            number,
        )

    # ---------------------------------------------------------------- overlay
    @property
    def highlight(self) -> frozenset[tuple[int, int]]:
        """The edges drawn highlighted (consumer key, slot): the overlay's."""
        return self.document.overlay.edges

    def _on_overlay(self, new: Overlay, old: Overlay) -> None:
        """Draw what the document's new overlay shows, touching only what changed."""
        for key in old.values.keys() | new.values.keys():
            item = self.nodes.get(key)
            if item is not None:
                item.set_nudge(new.values.get(key, ""))
        if new.current != old.current:
            for key in (old.current, new.current):
                if key in self.nodes:
                    self.nodes[key].set_current(key == new.current)
        if (new.shown_values, new.shown_grads, new.derivatives, new.cells) != (
            old.shown_values,
            old.shown_grads,
            old.derivatives,
            old.cells,
        ):
            self.refresh(self.document.evaluation)
        elif new.backward_shown != old.backward_shown:
            self._style_edges(self.document.evaluation)  # the forward pass hides backward edges
        if new.edges != old.edges:
            for slot_key in old.edges | new.edges:
                edge = self.edges.get(slot_key)
                if edge is not None:
                    edge.set_style(edge.backward, edge.label, slot_key in new.edges)
        if new.spotlight != old.spotlight:
            self._dim_outside(new.spotlight)
        self.overview_changed.emit()

    def _dim_outside(self, spotlight: frozenset[int] | None) -> None:
        """A lesson's spotlight: every node outside it, and every edge not between two
        nodes in it, drawn faint (None: everything in full)."""

        def opacity(*keys: int) -> float:
            return 1.0 if spotlight is None or all(k in spotlight for k in keys) else DIMMED

        for key, item in self.nodes.items():
            chip = self.chips.get(key)
            host = chip.host.key if chip is not None and chip.host is not None else key
            item.setOpacity(opacity(host))  # a chip is as bright as the node it sits on
        for (consumer, _), edge in self.edges.items():
            edge.setOpacity(opacity(edge.source.key, consumer))
        self.redraw_background()  # the edges

    def _style_edges(self, evaluation: Evaluation) -> None:
        backward = self.backward_view and self.document.overlay.backward_shown
        if not backward and not self._styled_backward:
            return  # plain forward edges carry no numbers; highlights are set elsewhere
        self._styled_backward = backward
        uses: dict[int, int] = {}
        if backward:  # Σ on every node whose derivative sums several terms
            for edge in self.edges.values():
                uses[edge.source.key] = uses.get(edge.source.key, 0) + 1
        for key, item in self.nodes.items():
            several = uses.get(key, 0) > 1 and len(evaluation.terms(key)) > 1
            item.set_sum_badge(several)
        lit = self.document.overlay.edges
        cells = self.document.overlay.cells
        for (consumer, slot), edge in self.edges.items():
            label = ""
            mark = cells.get(("partial", consumer, slot)) if cells else None
            if mark is not None and backward:  # practice: a hidden local derivative
                label = mark.text or "…"
            elif backward:
                label = format_number(evaluation.partial(consumer, slot))
            edge.set_style(backward, label, (consumer, slot) in lit)

    def set_backward_view(self, on: bool) -> None:
        self.backward_view = on
        self._style_edges(self.document.evaluation)
        self.overview_changed.emit()

    def set_notation(self, notation: str) -> None:
        self.notation = notation
        self.refresh(self.document.evaluation)

    def set_snap(self, on: bool) -> None:
        self.snap = on
        for item in self.nodes.values():
            item.snap = on

    def highlight_terms(self, key: int | None) -> None:
        """Highlight the edges that carry a node's chain-rule terms (its uses), or none:
        the document's overlay gets these edges."""
        document = self.document
        document.set_overlay(document.overlay.but(edges=term_edges(self.graph, key)))

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
