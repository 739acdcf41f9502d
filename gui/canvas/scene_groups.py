"""The canvas scene's groups: what a grouped graph shows, kept in step with it.

A collapsed group is one box (:mod:`groups`) and its nodes have no items: items come
and go as groups are collapsed and expanded, so a big grouped graph stays small on
the canvas.  While any group is collapsed, a structural change works out what is
shown again (two passes over the graph) and changes only the items that differ.
:class:`SceneGroups` is the part of :class:`~dvar.gui.canvas.scene.GraphScene` that
does this; the scene holds the items it makes (``nodes``, ``group_items``, ...).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSizeF
from PySide6.QtWidgets import QGraphicsItem

from dvar.core import Evaluation, Event
from dvar.gui.canvas.edges import EdgeItem
from dvar.gui.canvas.groups import (
    GroupFrame,
    GroupItem,
    Units,
    box_spot,
    open_groups,
    place_units,
    shown_units,
)

#: Nodes and boxes without positions are laid out in layers up to this many at once;
#: more (a flat graph of thousands of unplaced nodes) go on a plain grid.
LAYOUT_LIMIT = 3000

#: Events after which the groups' boxes, and what they hide, are worked out again.
UNIT_EVENTS = frozenset(
    {
        "node_added",
        "node_removed",
        "connected",
        "disconnected",
        "groups_changed",
        "output_changed",
        "box_changed",
        "reset",
    }
)


class SceneGroups:
    """The groups' side of the scene (mixed into GraphScene)."""

    def _apply_grouped(self, events: list[Event], evaluation: Evaluation) -> None:
        graph = self.graph
        if any(event.kind in UNIT_EVENTS for event in events):
            self._sync_units()
        hidden = self.units.hidden
        moved_boxes = set()
        for event in events:
            key = event.key
            if event.kind != "moved" or key is None:
                continue
            if key in self.nodes and key not in self.chips and key in graph:
                self._follow_move(key)
            elif key in hidden:
                moved_boxes.add(hidden[key])
        for path in moved_boxes:
            box = self.group_items.get(path)
            spot = box_spot(graph, box.group) if box is not None else None
            if spot is not None and spot != box.pos():
                box.setPos(spot)
        if self.group_frames and any(event.kind == "moved" for event in events):
            self._sync_frames()
        if any(event.kind != "moved" for event in events):
            refit = self._touched_formulas(events)
            self._fit_widths(refit)
            self.refresh(evaluation)

    def _sync_units(self) -> None:
        """Make the items show what is shown now: nodes hidden by a collapsed group lose
        their items, nodes shown again get theirs (laid out where their box was, if they
        have no positions); a box whose group and rows did not change is kept, with its
        edges, and the others are made again.  No edge asks to be redrawn on its own."""
        with self._in_bulk():
            self._sync_items()
        self.overview_changed.emit()

    def _sync_items(self) -> None:
        graph = self.graph
        old = self.units
        units = self.units = shown_units(graph, self._borders)
        hidden = units.hidden
        kept: dict[frozenset[int], GroupItem] = {}
        #: Where each box was drawn, for what opens in its place (see _make_room).
        self._was_drawn = {}
        for box in self.group_items.values():
            keys = box.group.all_keys()
            self._box_spots[keys] = box.pos()
            self._was_drawn[keys] = box.mapRectToScene(box.box())
            kept[keys] = box
        # A group just collapsed: its box goes where its nodes were.
        for box in units.boxes.values():
            keys = box.group.all_keys()
            if keys not in self._box_spots and box_spot(graph, box.group) is None:
                shown = [self.nodes[k].pos() for k in keys if k in self.nodes]
                if shown:
                    self._box_spots[keys] = QPointF(
                        min(p.x() for p in shown), min(p.y() for p in shown)
                    )
        chips = self._wanted_chips()
        # Boxes: keep those whose group shows the same rows; remove the rest.
        self.group_items = {}
        for path, box in units.boxes.items():
            item = kept.get(box.group.all_keys())
            if item is not None and (item.inputs, item.outputs) == (box.inputs, box.outputs):
                del kept[box.group.all_keys()]
                item.path, item.group = path, box.group
                self.group_items[path] = item
        for item in kept.values():
            for edge in list(item.edges):
                self._drop_edge(edge)
            self.removeItem(item)
        gone = [
            k
            for k in self.nodes
            if k not in graph or k in hidden or (k in chips) != (k in self.chips)
        ]
        for key in gone:
            self._remove_node_item(key)
        fresh = []
        for index, key in enumerate(graph.topological_keys()):
            if key not in hidden and key not in self.nodes:
                self._add_node_item(key, index, chip=key in chips)
                fresh.append(key)
        wanted: dict[tuple[int, int], int] = {}
        nodes = self.nodes
        for key in nodes:
            for slot, source in enumerate(graph.node(key).inputs):
                if source is not None and source in nodes and source not in chips:
                    wanted[(key, slot)] = source
        for edge_key, edge in list(self.edges.items()):
            if wanted.get(edge_key) != edge.source.key:
                self._remove_edge_item(*edge_key)
        for (key, slot), source in wanted.items():
            if (key, slot) not in self.edges:
                self._add_edge_item(source, key, slot)
        made = self._show_boxes()
        self._dock_chips(chips)
        self._fit_widths(fresh)
        # Nodes and boxes shown for the first time, without positions: laid out where
        # the box that hid them was.
        was_in = {unit: old.hidden.get(unit) for unit in fresh}
        for path in made:
            some = next(iter(units.boxes[path].group.all_keys()))
            was_in[path] = old.hidden.get(some)
        self._lay_out_unplaced(fresh, made, was_in, old)
        self._sync_frames()

    def _show_boxes(self) -> list[tuple[int, ...]]:
        """A box for each outermost collapsed group that has none, and the edges that
        end at boxes (those that are there already stay).  Returns the paths of the new
        boxes that have no place yet."""
        graph, evaluation = self.graph, self.document.evaluation
        unplaced = []
        for path, box in self.units.boxes.items():
            if path in self.group_items:
                continue
            item = GroupItem(path, box)
            item.setCacheMode(self._node_cache)
            spot = box_spot(graph, box.group)
            item.placed_in_file = spot is not None
            spot = spot or self._box_spots.get(box.group.all_keys())
            if spot is None:
                unplaced.append(path)
            else:
                item.setPos(spot)
            item.show_numbers(graph, evaluation, self.notation)
            self.addItem(item)
            self.group_items[path] = item
        nodes, boxes = self.nodes, self.group_items
        there = {
            (id(edge.source), edge.out, id(edge.consumer), edge.slot): edge
            for edge in self.group_edges.values()
        }
        self.group_edges = {}
        for link in self.units.links:
            source_unit, out, consumer_unit, slot = link
            grouped_source = isinstance(source_unit, tuple)
            source = boxes.get(source_unit) if grouped_source else nodes.get(source_unit)
            consumer = (
                boxes.get(consumer_unit)
                if isinstance(consumer_unit, tuple)
                else nodes.get(consumer_unit)
            )
            if source is None or consumer is None:
                continue
            out_row = out if grouped_source else None
            edge = there.pop((id(source), out_row, id(consumer), slot), None)
            if edge is None:
                edge = EdgeItem(source, consumer, slot, out_row)  # type: ignore[arg-type]
                edge.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
                source.edges.append(edge)
                consumer.edges.append(edge)
                self.addItem(edge)
            edge.link = link
            self.group_edges[link] = edge
        for edge in there.values():
            edge.link = None
            self._unlink(edge)
        return unplaced

    def _lay_out_unplaced(
        self, keys: list[int], paths: list[tuple[int, ...]], was_in: dict, old: Units | None = None
    ) -> None:
        """Place the nodes among ``keys`` that have no position, and the boxes at
        ``paths``, in layers: those that were inside the same box where that box was
        (``was_in``: unit → the path of the box in ``old``), the rest below the graph."""
        graph = self.graph
        units: list = [k for k in keys if k not in self.chips and graph.node(k).x is None]
        units += paths
        if not units:
            return
        if len(units) > LAYOUT_LIMIT:
            return  # each keeps its spot on the plain grid (_free_spot)
        by_box: dict = {}
        for unit in units:
            by_box.setdefault(was_in.get(unit), []).append(unit)
        for home, members in by_box.items():
            spot = None
            if home is not None and old is not None and home in old.boxes:
                spot = self._box_spots.get(old.boxes[home].group.all_keys())
            at = (spot.x(), spot.y()) if spot is not None else self._below_everything(members)
            placed = QRectF()
            for unit, point in self.layout_units(members, at).items():
                if isinstance(unit, tuple):
                    item = self.group_items[unit]
                    self._box_spots[item.group.all_keys()] = point
                else:
                    item = self.nodes[unit]
                    self._auto_positions[unit] = point
                item.setPos(point)
                placed = placed.united(QRectF(point, QSizeF(item.width, item.height)))
            if spot is not None and old is not None and home in old.boxes:
                was = getattr(self, "_was_drawn", {}).get(old.boxes[home].group.all_keys())
                if was is not None:
                    self._make_room(was, placed, set(members))

    def layout_units(self, units: list, at: tuple[float, float]) -> dict:
        """Positions for shown nodes (keys) and boxes (paths), laid out in layers from
        the edges among them, each box one unit, with the top-left corner at ``at``."""
        graph = self.graph
        rank = {key: index for index, key in enumerate(graph.topological_keys())}

        def order(unit) -> int:
            if isinstance(unit, tuple):
                box = self.units.boxes[unit]
                if box.outputs:
                    return rank[box.outputs[0]]
                return max(rank[k] for k in box.group.all_keys())
            return rank[unit]

        units = sorted(units, key=order)
        links = [(source, consumer) for source, _, consumer, _ in self.units.links]
        sizes = {}
        for unit in units:
            if isinstance(unit, tuple):
                item = self.group_items[unit]
            else:
                item = self.nodes[unit]
                links += [(s, unit) for s in graph.node(unit).inputs if s in self.nodes]
            sizes[unit] = (item.width, item.height)
        places = place_units(units, sizes, links, graph.output_key, at)
        return {unit: QPointF(x, y) for unit, (x, y) in places.items()}

    def _make_room(self, was: QRectF, now: QRectF, opened: set) -> None:
        """A box at ``was`` opened into ``now``: what has no place of its own in the file
        and lay right of the box moves right, or below it moves down, by as much as
        the opened group is wider or taller (nothing with a position moves)."""
        wider, taller = now.right() - was.right(), now.bottom() - was.bottom()
        if wider <= 0 and taller <= 0:
            return
        graph = self.graph
        for unit, item in [*self.nodes.items(), *self.group_items.items()]:
            if unit in opened or unit in self.chips:
                continue
            if isinstance(unit, tuple):
                keys = item.group.all_keys()
                if item.placed_in_file:
                    continue
            elif graph.node(unit).x is not None:
                continue
            rect = item.mapRectToScene(item.box())
            shift = QPointF()
            beside = rect.top() < now.bottom() and rect.bottom() > now.top()
            under = rect.left() < now.right() and rect.right() > now.left()
            if wider > 0 and beside and rect.left() >= was.right() - 1:
                shift.setX(wider)
            elif taller > 0 and under and rect.top() >= was.bottom() - 1:
                shift.setY(taller)
            if shift.isNull():
                continue
            point = item.pos() + shift
            item.setPos(point)
            if isinstance(unit, tuple):
                self._box_spots[keys] = point
            else:
                self._auto_positions[unit] = point

    def _sync_frames(self) -> None:
        """A dashed frame round each expanded group that shows (groups.GroupFrame),
        round its shown nodes and what is drawn for its nested groups."""
        groups = self.graph.groups
        old, self.group_frames = self.group_frames, {}
        nodes, boxes, chips = self.nodes, self.group_items, self.chips
        for path, group in open_groups(groups) if groups else []:
            rect = QRectF()
            for key in group.members:
                item = nodes.get(key)
                if item is not None and key not in chips:
                    rect = rect.united(item.mapRectToScene(item.box()))
            for index in range(len(group.groups)):
                child = (*path, index)
                if child in self.group_frames:
                    rect = rect.united(self.group_frames[child].rect())
                elif child in boxes:
                    rect = rect.united(boxes[child].mapRectToScene(boxes[child].box()))
            if rect.isEmpty():
                continue
            frame = old.pop(path, None)
            if frame is not None and frame.group is group:
                frame.fit(rect)
            else:
                if frame is not None:
                    self.removeItem(frame)
                frame = GroupFrame(path, group, rect)
                self.addItem(frame)
            self.group_frames[path] = frame
        for frame in old.values():
            self.removeItem(frame)

    def remember_box_spot(self, box: GroupItem) -> None:
        """A box was dragged: where it is now is its place while its nodes have none."""
        self._box_spots[box.group.all_keys()] = box.pos()

    def _below_everything(self, leaving_out: list) -> tuple[float, float]:
        """The top-left corner for new things: under whatever is placed already."""
        skip = set(leaving_out)
        rect = QRectF()
        for unit, item in [*self.nodes.items(), *self.group_items.items()]:
            if unit not in skip:
                rect = rect.united(item.sceneBoundingRect())
        if rect.isEmpty():
            return (0.0, 0.0)
        return (round(rect.left() / 20) * 20, round((rect.bottom() + 60) / 20) * 20)
