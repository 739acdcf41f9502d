"""The canvas's children as assistive technology sees them: a node, a port, a
collapsed group's box, each a ``QAccessibleInterface`` made by the view's
:class:`~dvar.gui.canvas.accessible.CanvasAccessibility` when first asked for.

They hold a key (or a group's path), never a scene item: each question reads the
scene as it is now, and their words come from :mod:`dvar.core.spoken` through the
teaching overlay (``shown``), so a hidden practice cell is never read out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, QRectF
from PySide6.QtGui import QAccessible, QAccessibleInterface

from dvar.core import spoken
from dvar.gui.document.overlay import Overlay
from dvar.gui.numbers import format_number

if TYPE_CHECKING:
    from dvar.gui.canvas.accessible import CanvasAccessibility

Role, Text = QAccessible.Role, QAccessible.Text


def shown(overlay: Overlay, key: int) -> spoken.Shown:
    """What the teaching overlay lets a listener hear about one node."""
    value_mark, grad_mark = overlay.mark("value", key), overlay.mark("grad", key)
    derivatives = overlay.derivatives
    return spoken.Shown(
        value=overlay.value_shown(key),
        grad=overlay.grad_shown(key),
        backward=overlay.backward_shown,
        breakdown=overlay.breakdown_shown(key),
        value_mark=None if value_mark is None else spoken.Hidden(value_mark.text, value_mark.state),
        grad_mark=None if grad_mark is None else spoken.Hidden(grad_mark.text, grad_mark.state),
        derivative=None if derivatives is None else derivatives.get(key, ""),
        nudge=overlay.values.get(key, ""),
        note=overlay.notes.get(key, ""),
        current=key == overlay.current,
    )


class CanvasChild(QAccessibleInterface):
    """What every canvas child answers the same way: no QObject behind it, no relations,
    no children, no text to set, and the item's rectangle on the screen.  Subclasses
    answer ``item``, ``parent``, the words, the role and the state (a node also has
    its ports as children, and a port its own rectangle)."""

    def item(self):
        return None

    def isValid(self) -> bool:  # noqa: N802
        return self.item() is not None

    def object(self) -> QObject | None:
        return None

    def window(self):
        parent = self.parent()
        return None if parent is None else parent.window()

    def relations(self, match=QAccessible.RelationFlag.AllRelations):  # noqa: ARG002
        return []

    def childCount(self) -> int:  # noqa: N802
        return 0

    def child(self, index: int) -> QAccessibleInterface | None:  # noqa: ARG002
        return None

    def indexOfChild(self, child: QAccessibleInterface) -> int:  # noqa: N802, ARG002
        return -1

    def focusChild(self) -> QAccessibleInterface | None:  # noqa: N802
        return None

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # noqa: N802, ARG002
        return None

    def setText(self, kind: QAccessible.Text, text: str) -> None:  # noqa: N802, ARG002
        return None

    def rect(self) -> QRect:
        """Where the child's item is on the screen (empty once the item is gone)."""
        item = self.item()
        return QRect() if item is None else self.canvas_rect(item.sceneBoundingRect())

    def canvas_rect(self, scene_rect) -> QRect:
        """A rectangle of the canvas in screen coordinates."""
        view = self.canvas.view
        local = view.mapFromScene(scene_rect).boundingRect()
        return QRect(view.viewport().mapToGlobal(local.topLeft()), local.size())


class NodeInterface(CanvasChild):
    """One node of the canvas: its sentence, its state, where it is; its ports as children."""

    def __init__(self, canvas: CanvasAccessibility, key: int) -> None:
        super().__init__()
        self.canvas = canvas
        self.key = key
        self.ports: dict[tuple[str, int], PortInterface] = {}

    def release(self) -> None:
        for port in self.ports.values():
            port.release()
        self.ports.clear()
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(self))

    def item(self):
        scene = self.canvas.scene
        return None if scene is None else scene.nodes.get(self.key)

    def port_keys(self) -> list[tuple[str, int]]:
        graph = self.canvas.scene.graph
        if self.key not in graph:
            return []
        arity = graph.node(self.key).op.arity
        return [("in", slot) for slot in range(arity)] + [("out", 0)]

    def port(self, side: str, slot: int) -> PortInterface | None:
        if (side, slot) not in self.port_keys():
            return None
        port = self.ports.get((side, slot))
        if port is None:
            port = self.ports[(side, slot)] = PortInterface(self, side, slot)
            QAccessible.registerAccessibleInterface(port)
        return port

    # ---------------------------------------------------- QAccessibleInterface
    def parent(self) -> QAccessibleInterface | None:
        return QAccessible.queryAccessibleInterface(self.canvas.view)

    def childCount(self) -> int:  # noqa: N802
        return len(self.port_keys()) if self.isValid() else 0

    def child(self, index: int) -> QAccessibleInterface | None:
        keys = self.port_keys()
        return self.port(*keys[index]) if 0 <= index < len(keys) else None

    def indexOfChild(self, child: QAccessibleInterface) -> int:  # noqa: N802
        if isinstance(child, PortInterface) and child.node is self:
            keys = self.port_keys()
            place = (child.side, child.slot)
            return keys.index(place) if place in keys else -1
        return -1

    def focusChild(self) -> QAccessibleInterface | None:  # noqa: N802
        scene = self.canvas.scene
        if scene.focused_key == self.key and scene.focused_port is not None:
            return self.port(*scene.focused_port)
        return None

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # noqa: N802
        for index in range(self.childCount()):
            port = self.child(index)
            if port is not None and port.rect().contains(x, y):
                return port
        return None

    def text(self, kind: QAccessible.Text) -> str:
        if not self.isValid():
            return ""
        if kind == Text.Name:
            return self.canvas.name(self.key)
        if kind == Text.Description:
            return self.canvas.description(self.key)
        if kind == Text.Value:
            scene = self.canvas.scene
            overlay = scene.document.overlay
            value = scene.document.evaluation.values[self.key]
            if not overlay.value_shown(self.key) or overlay.mark("value", self.key):
                return ""
            return format_number(value) if value is not None else ""
        return ""

    def role(self) -> QAccessible.Role:
        return Role.ListItem

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        item = self.item()
        if item is None:
            state.invalid = True
            return state
        view, scene = self.canvas.view, self.canvas.scene
        state.focusable = True
        state.selectable = True
        state.multiSelectable = True
        state.movable = True
        state.selected = item.isSelected()
        state.focused = view.hasFocus() and self.canvas.focused() == self.key
        shown = view.mapToScene(view.viewport().rect()).boundingRect()
        state.offscreen = not shown.intersects(item.sceneBoundingRect())
        state.invisible = not item.isVisible()
        state.editable = scene.graph.node(self.key).op.is_leaf
        return state


class GroupInterface(CanvasChild):
    """A collapsed group's box: its title, size, inputs, and its outputs' numbers."""

    def __init__(self, canvas: CanvasAccessibility, path: tuple) -> None:
        super().__init__()
        self.canvas = canvas
        self.path = path

    def item(self):
        scene = self.canvas.scene
        return None if scene is None else getattr(scene, "group_items", {}).get(self.path)

    def parent(self) -> QAccessibleInterface | None:
        return QAccessible.queryAccessibleInterface(self.canvas.view)

    def text(self, kind: QAccessible.Text) -> str:
        item = self.item()
        if item is None:
            return ""
        if kind == Text.Name:
            scene = self.canvas.scene
            overlay = scene.document.overlay
            return spoken.group_name(
                scene.graph,
                scene.document.evaluation,
                item.title,
                item.count,
                item.inputs,
                item.outputs,
                lambda key: shown(overlay, key),
                scene.notation,
                format_number,
            )
        if kind == Text.Description:
            return "Double-click its title, or press Ctrl+Shift+G, to open it"
        return ""

    def role(self) -> QAccessible.Role:
        return Role.ListItem

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        item = self.item()
        if item is None:
            state.invalid = True
            return state
        state.selectable = True
        state.selected = item.isSelected()
        state.movable = True
        state.expandable = True
        state.collapsed = True
        return state


class PortInterface(CanvasChild):
    """An input or the output of a node: where it comes from or where it goes."""

    def __init__(self, node: NodeInterface, side: str, slot: int) -> None:
        super().__init__()
        self.node = node
        self.canvas = node.canvas
        self.side = side
        self.slot = slot

    def release(self) -> None:
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(self))

    def isValid(self) -> bool:  # noqa: N802
        return self.node.isValid() and (self.side, self.slot) in self.node.port_keys()

    def parent(self) -> QAccessibleInterface | None:
        return self.node

    def text(self, kind: QAccessible.Text) -> str:
        if kind != Text.Name or not self.isValid():
            return ""
        graph = self.canvas.scene.graph
        return spoken.port_name(graph, self.node.key, self.side, self.slot)

    def rect(self) -> QRect:
        item = self.node.item()
        if item is None:
            return QRect()
        centre = item.output_port() if self.side == "out" else item.input_port(self.slot)
        spot = item.mapToScene(centre)
        size = 14.0
        return self.canvas_rect(QRectF(spot.x() - size / 2, spot.y() - size / 2, size, size))

    def role(self) -> QAccessible.Role:
        return Role.ListItem

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        if not self.isValid():
            state.invalid = True
            return state
        scene = self.canvas.scene
        state.focusable = True
        state.focused = (
            self.canvas.view.hasFocus()
            and scene.focused_key == self.node.key
            and scene.focused_port == (self.side, self.slot)
        )
        return state
