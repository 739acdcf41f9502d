"""Group, Ungroup, Expand, Collapse and Rename Group on the canvas's selection, and
Arrange while groups are collapsed: the window's group actions, each one undo step
(``SetGroups`` or ``MoveNodes``).  The boxes themselves are :mod:`groups`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QInputDialog

from dvar.core import GraphError
from dvar.core.groups import (
    Group,
    GroupPath,
    group_at,
    grouped,
    owner_of,
    ungrouped,
    with_collapsed,
    with_title,
)
from dvar.gui.canvas.groups import GroupItem
from dvar.gui.canvas.look import TEXT_LOD
from dvar.gui.document.annotation_commands import SetGroups
from dvar.gui.document.field_commands import MoveNodes

if TYPE_CHECKING:
    from dvar.core import Graph


class GroupActions:
    """Group, Ungroup, Expand, Collapse and Rename Group on a scene's selection, each
    one ``SetGroups`` (one undo step).  A refused edit says why in the status bar."""

    def __init__(self, scene) -> None:
        self.scene = scene

    @property
    def graph(self) -> Graph:
        return self.scene.graph

    def _say(self, text: str) -> None:
        self.scene.document.message.emit(text)

    def _run(self, groups: tuple[Group, ...], text: str) -> bool:
        return self.scene.document.run(SetGroups(self.graph, groups, text))

    def _selected_paths(self) -> list[GroupPath]:
        """The groups the selection stands for: the selected boxes, and the innermost
        group of each selected node (in file order, no path twice)."""
        paths = {box.path for box in self.scene.selected_boxes()}
        owner = owner_of(self.graph.groups)
        paths.update(owner[key] for key in self.scene.selected_keys() if key in owner)
        return sorted(paths)

    def can_group(self) -> bool:
        return bool(self.scene.selected_keys() or self.scene.selected_boxes())

    def can_expand(self) -> bool:
        return bool(self.scene.selected_boxes())

    def can_collapse(self) -> bool:
        keys = self.scene.selected_keys()
        if not keys or not self.graph.groups:
            return False
        owner = owner_of(self.graph.groups)
        return any(key in owner for key in keys)

    def can_ungroup(self) -> bool:
        return self.can_expand() or self.can_collapse()

    def group(self) -> GroupPath | None:
        """Ctrl+G: the selected nodes (and boxes) become one collapsed group, titled
        after what is in it.  Returns its path."""
        keys = self.scene.selected_with_chips()
        if not keys:
            self._say("Select the nodes to group first")
            return None
        title = default_title(self.graph, keys)
        try:
            groups, path = grouped(self.graph.groups, keys, title)
            groups = with_collapsed(groups, path, True)
        except GraphError as error:
            self._say(f"Cannot group: {error}")
            return None
        if not self._run(groups, f"Group {title}"):
            return None
        box = self.scene.group_items.get(path)
        if box is not None:
            self.scene.clearSelection()
            box.setSelected(True)
        return path

    def ungroup(self) -> None:
        """The selected groups (a box, or the group a selected node is in) dissolve:
        their nodes and nested groups move up one level."""
        paths = self._selected_paths()
        if not paths:
            self._say("Select a group's box, or a node in a group, to ungroup")
            return
        groups = self.graph.groups
        for path in sorted(paths, reverse=True):  # later paths first: earlier ones stay valid
            groups = ungrouped(groups, path)
        self._run(groups, "Ungroup")

    def expand(self, paths: list[GroupPath] | None = None) -> None:
        """Ctrl+Shift+G: open the selected boxes in place."""
        if paths is None:
            paths = [box.path for box in self.scene.selected_boxes()]
        if not paths:
            self._say("Select a group's box to expand")
            return
        groups = self.graph.groups
        for path in paths:
            groups = with_collapsed(groups, path, False)
        self._run(groups, "Expand group")

    def collapse(self) -> None:
        """Close the groups of the selected nodes into their boxes again."""
        owner = owner_of(self.graph.groups)
        paths = sorted({owner[key] for key in self.scene.selected_keys() if key in owner})
        if not paths:
            self._say("Select a node in a group to collapse its group")
            return
        self.collapse_paths(paths)

    def collapse_paths(self, paths: list[GroupPath]) -> None:
        groups = self.graph.groups
        for path in paths:
            groups = with_collapsed(groups, path, True)
        self._run(groups, "Collapse group")

    def rename(self, parent=None) -> bool:
        """F2 on a selected box: give its group a new title.  Says whether a box was
        selected (else F2 renames a node)."""
        boxes = self.scene.selected_boxes()
        if len(boxes) != 1:
            return False
        self.retitle(boxes[0].path, parent)
        return True

    def retitle(self, path: GroupPath, parent=None) -> None:
        group = group_at(self.graph.groups, path)
        text, ok = QInputDialog.getText(
            parent, "Rename group", "Title (plain text):", text=group.title
        )
        if not ok or text.strip() == group.title:
            return
        try:
            groups = with_title(self.graph.groups, path, text)
        except GraphError as error:
            self._say(f"Cannot rename the group: {error}")
            return
        self._run(groups, f"Rename group to {text.strip()}")

    def double_clicked(self, box: GroupItem, scene_pos: QPointF, view=None) -> None:
        """On the title: open the group; anywhere else on the box: rename it.  Zoomed
        out, a box is a block that shows its title alone: anywhere on it opens it."""
        zoomed_out = view is not None and view.zoom() < TEXT_LOD
        if zoomed_out or box.on_title(scene_pos):
            self.expand([box.path])
        else:
            self.retitle(box.path, view)


def arrange_shown(scene) -> bool:
    """Node → Arrange while a group is collapsed: lay out what is shown (the selection,
    or all of it), each box one unit, where it is now, in one ``MoveNodes``.  A box's
    placed nodes move with it; a box whose nodes have no places keeps its new place
    on the canvas only.  Says whether it arranged (False when no group is collapsed:
    ``core.arrange`` lays the graph out then)."""
    if not scene.group_items:
        return False
    graph = scene.graph
    units: list = [k for k in scene.selected_keys() if k not in scene.chips]
    units += [box.path for box in scene.selected_boxes()]
    if not units:
        units = [k for k in scene.nodes if k not in scene.chips] + list(scene.group_items)
    items = [scene.group_items[u] if isinstance(u, tuple) else scene.nodes[u] for u in units]
    left = min(item.x() for item in items)
    top = min(item.y() for item in items)
    moves: dict[int, tuple] = {}
    for unit, point in scene.layout_units(units, (left, top)).items():
        if isinstance(unit, tuple):
            box = scene.group_items[unit]
            shift = point - box.pos()
            for key in box.group.all_keys() if box.placed_in_file else ():
                node = graph.node(key)
                if node.x is not None and node.y is not None:
                    moves[key] = ((node.x, node.y), (node.x + shift.x(), node.y + shift.y()))
            box.setPos(point)
            scene.remember_box_spot(box)
        else:
            node = graph.node(unit)
            if (node.x, node.y) != (point.x(), point.y()):
                moves[unit] = ((node.x, node.y), (point.x(), point.y()))
    if moves:
        scene.document.run(MoveNodes(graph, moves, "Arrange"))
    return True


def default_title(graph: Graph, keys: list[int]) -> str:
    """A readable title for a new group: its nodes' names in the order they are
    computed when there are a few (``u, v``), else the first and last and how many
    (``a … v, 5 nodes``)."""
    rank = {key: index for index, key in enumerate(graph.topological_keys())}
    names = [graph.node(key).label or graph.node(key).id for key in sorted(keys, key=rank.get)]
    if len(names) <= 3:
        title = ", ".join(names)
        if len(title) <= 40:
            return title
    return f"{names[0]} … {names[-1]}, {len(names)} nodes"
