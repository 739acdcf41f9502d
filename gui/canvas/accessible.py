"""The canvas as assistive technology sees it: the view, its nodes, their ports.

Scene items are not QObjects, so Qt exposes nothing about them on its own.  Here
the view gets an accessible interface (``CanvasInterface``, made by the factory
``install()`` registers) whose children are the nodes, in the order the graph
computes them, then the collapsed groups' boxes, then the view's own widgets; each
node's children are its ports: its inputs, then its output (those interfaces are in
:mod:`accessible_items`).  Their words come from :mod:`dvar.core.spoken`, through
the document's teaching overlay, so a hidden practice cell or a step not reached
yet is never read out.

Interfaces are made only when assistive technology asks for them, and kept (Qt's
accessibility cache owns them once registered) until their node goes.  The view's
``CanvasAccessibility`` tells assistive technology what changed: the keyboard's
focus (the scene's ``nodeFocused``/``portFocused``), the selection, and the
focused node's words after an edit or a preview, and announces teaching steps.
``show_text`` gives a panel's label with symbols a name in words.  When no assistive
technology is listening (``QAccessible.isActive()`` is False) it does nothing per node.
"""

from __future__ import annotations

import dataclasses

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QTimer
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QAccessibleEvent,
    QAccessibleInterface,
)
from PySide6.QtWidgets import QAccessibleWidget

from dvar.core import Evaluation, Event, spoken
from dvar.gui.canvas.accessible_items import GroupInterface, NodeInterface, PortInterface, shown
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.document.overlay import Overlay
from dvar.gui.numbers import format_number

Role, Text = QAccessible.Role, QAccessible.Text

#: Events after which the canvas has other nodes or ports: its children are re-read.
_REORDER = frozenset(
    {"node_added", "node_removed", "connected", "disconnected", "reset", "groups_changed"}
)


def show_text(label, text: str) -> None:
    """Show ``text`` on a label, and let a screen reader read it in words where it has
    symbols (``du = dv · ∂v/∂u`` is read ``du equals dv times partial v by partial u``)."""
    label.setText(text)
    said = spoken.words(text)
    label.setAccessibleName("" if said == text else said)  # "": the text itself is read


def announce(event: QAccessibleEvent) -> None:
    """Hand an event to assistive technology (tests listen here)."""
    QAccessible.updateAccessibility(event)


class CanvasAccessibility(QObject):
    """The view's accessible children, made on demand, and the events that keep
    assistive technology in step with the canvas."""

    def __init__(self, view) -> None:
        super().__init__(view)
        self.view = view
        self.scene: GraphScene | None = None
        #: Node interfaces made so far, by key (only those someone asked for).
        self.interfaces: dict[int, NodeInterface] = {}
        #: Collapsed groups' interfaces made so far, by the group's path.
        self.group_interfaces: dict[tuple, GroupInterface] = {}
        self._order: list[int] = []
        self._index: dict[int, int] = {}
        self._order_for: tuple | None = None
        self._said: str = ""  # the focused node's name as last told
        self.bind(view.graph_scene())
        view.installEventFilter(self)  # the view's own events only: focus in (not the mouse's)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.FocusIn and QAccessible.isActive():
            # Qt tells of the canvas getting focus; then say which node has it (a click
            # selects before the canvas has focus, so the selection could not say it).
            QTimer.singleShot(0, self._focus_in)
        return False

    def _focus_in(self) -> None:
        if not self.listening():
            return
        key = self.focused()
        if key is not None and self.view.hasFocus():
            self._said = self.name(key)
            self._child_event(QAccessible.Event.Focus, key)

    # ---------------------------------------------------------------- the scene
    def bind(self, scene: GraphScene) -> None:
        """Follow this scene (the view shows another document's scene now)."""
        if scene is self.scene:
            return
        if self.scene is not None:
            old = self.scene
            old.selectionChanged.disconnect(self._on_selection)
            old.nodeFocused.disconnect(self._on_focus)
            old.portFocused.disconnect(self._on_port_focus)
            old.document.changed.disconnect(self._on_changed)
            old.document.overlay_changed.disconnect(self._on_overlay)
        self.forget(list(self.interfaces))
        self.forget_groups(list(self.group_interfaces))
        self.scene = scene
        self._order_for = None
        scene.selectionChanged.connect(self._on_selection)
        scene.nodeFocused.connect(self._on_focus)
        scene.portFocused.connect(self._on_port_focus)
        scene.document.changed.connect(self._on_changed)
        scene.document.overlay_changed.connect(self._on_overlay)
        if QAccessible.isActive():
            announce(QAccessibleEvent(self.view, QAccessible.Event.ObjectReorder))

    # ----------------------------------------------------------------- children
    def order(self) -> list[int]:
        """Node keys in the order the canvas's children are: the graph's, operands first
        (a node inside a collapsed group has no item, and is not a child)."""
        graph = self.scene.graph
        version = (id(graph), graph.structure_version, id(getattr(self.scene, "units", None)))
        if version != self._order_for:
            nodes = self.scene.nodes
            self._order = [key for key in graph.topological_keys() if key in nodes]
            self._index = {key: i for i, key in enumerate(self._order)}
            self._order_for = version
        return self._order

    def index_of(self, key: int) -> int:
        self.order()
        return self._index.get(key, -1)

    def node(self, key: int) -> NodeInterface | None:
        """The interface of a node, made (and registered with Qt) on first use."""
        if self.scene is None or key not in self.scene.nodes:
            return None
        interface = self.interfaces.get(key)
        if interface is None:
            interface = self.interfaces[key] = NodeInterface(self, key)
            QAccessible.registerAccessibleInterface(interface)
        return interface

    def boxes(self) -> list[tuple]:
        """The collapsed groups' paths, in the order their boxes follow the nodes."""
        return list(getattr(self.scene, "group_items", {}))

    def group(self, path: tuple) -> GroupInterface | None:
        """The interface of a collapsed group's box, made on first use."""
        if path not in getattr(self.scene, "group_items", {}):
            return None
        interface = self.group_interfaces.get(path)
        if interface is None:
            interface = self.group_interfaces[path] = GroupInterface(self, path)
            QAccessible.registerAccessibleInterface(interface)
        return interface

    def forget_groups(self, paths) -> None:
        for path in paths:
            interface = self.group_interfaces.pop(path, None)
            if interface is not None:
                QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(interface))

    def forget(self, keys) -> None:
        """Nodes went: drop their interfaces and their ports' from Qt's cache."""
        for key in keys:
            interface = self.interfaces.pop(key, None)
            if interface is not None:
                interface.release()

    # ------------------------------------------------------------- the words
    def name(self, key: int) -> str:
        scene = self.scene
        graph, evaluation = scene.graph, scene.document.evaluation
        if key not in graph:
            return ""
        told = shown(scene.document.overlay, key)
        if key in scene.chips:  # a number on its consumer's port: no derivative drawn
            told = dataclasses.replace(told, backward=False)
        return spoken.node_name(graph, evaluation, key, told, scene.notation, format_number)

    def description(self, key: int) -> str:
        graph = self.scene.graph
        return spoken.node_description(graph, key) if key in graph else ""

    def focused(self) -> int | None:
        """The node assistive technology should follow: the keyboard's, or the one
        selected node."""
        scene = self.scene
        if scene.focused_key is not None:
            return scene.focused_key
        keys = scene.selected_keys()
        return keys[0] if len(keys) == 1 else None

    # ---------------------------------------------------------------- events
    def listening(self) -> bool:
        """Assistive technology listens, and the view and its scene still exist (a
        closing window's scene may signal while it is being destroyed)."""
        return (
            QAccessible.isActive()
            and self.scene is not None
            and shiboken6.isValid(self.scene)
            and shiboken6.isValid(self.view)
        )

    def _child_event(self, kind: QAccessible.Event, key: int) -> None:
        index = self.index_of(key)
        if index < 0:
            return
        event = QAccessibleEvent(self.view, kind)
        event.setChild(index)
        announce(event)

    def _on_focus(self, key: int | None) -> None:
        if not self.listening() or key is None:
            return
        self._said = self.name(key)
        if self.view.hasFocus():
            self._child_event(QAccessible.Event.Focus, key)

    def _on_port_focus(self, port) -> None:
        if not self.listening() or port is None or not self.view.hasFocus():
            return
        key, side, slot = port
        node = self.node(key)
        child = None if node is None else node.port(side, slot)
        if child is not None:
            announce(QAccessibleEvent(child, QAccessible.Event.Focus))

    def _on_selection(self) -> None:
        if not self.listening():
            return
        scene = self.scene
        keys = scene.selected_keys()
        if len(keys) == 1:
            self._child_event(QAccessible.Event.Selection, keys[0])
            if scene.focused_key is None and self.view.hasFocus():  # no keyboard focus: follow it
                self._said = self.name(keys[0])
                self._child_event(QAccessible.Event.Focus, keys[0])
        else:
            announce(QAccessibleEvent(self.view, QAccessible.Event.SelectionWithin))

    def _on_changed(self, events: list[Event], evaluation: Evaluation) -> None:
        gone = [e.key for e in events if e.kind in ("node_removed", "reset")]
        regrouped = any(e.kind == "groups_changed" for e in events)
        if (gone or regrouped) and self.interfaces:
            if regrouped or any(e.kind == "reset" for e in events):  # all that has no item
                gone = [key for key in self.interfaces if key not in self.scene.nodes]
            self.forget(gone)
        if self.group_interfaces:
            items = getattr(self.scene, "group_items", {})
            self.forget_groups([path for path in self.group_interfaces if path not in items])
        if not self.listening():
            return
        if any(e.kind in _REORDER for e in events):
            announce(QAccessibleEvent(self.view, QAccessible.Event.ObjectReorder))
        self._tell_focused()

    def _on_overlay(self, new: Overlay, old: Overlay) -> None:
        if not self.listening():
            return
        self._tell_focused()
        # What a teaching step shows on the canvas is said at once, wherever focus is:
        # the node a step computes, the output a nudge moves.
        said = None
        if new.current is not None and new.current != old.current:  # stepping moved on
            self._child_event(QAccessible.Event.NameChanged, new.current)
            said = new.current
        elif new.values and new.values != old.values:
            output = self.scene.graph.output_key
            said = output if output in new.values else next(iter(new.values))
        if said is not None and said in self.scene.graph:
            announce(QAccessibleAnnouncementEvent(self.view, self.name(said)))

    def _tell_focused(self) -> None:
        """The focused node may read differently now: say so if it does."""
        key = self.focused()
        if key is None:
            return
        name = self.name(key)
        if name != self._said:
            self._said = name
            self._child_event(QAccessible.Event.NameChanged, key)


class CanvasInterface(QAccessibleWidget):
    """The canvas view: its children are the nodes, then the view's own widgets
    (the value editor, the minimap)."""

    def __init__(self, view) -> None:
        super().__init__(view, Role.Canvas, "Canvas")
        self.view = view
        self.canvas: CanvasAccessibility = view.accessibility

    def text(self, kind: QAccessible.Text) -> str:
        if kind == Text.Name:
            return self.view.accessibleName() or "Canvas"
        if kind == Text.Description:
            scene = self.canvas.scene
            count = len(scene.nodes)
            output = scene.graph.output
            out = f", output {output}" if output else ", no output chosen"
            return f"Computation graph, {count} node{'s' * (count != 1)}{out}"
        return super().text(kind)

    def childCount(self) -> int:  # noqa: N802 (Qt's names)
        canvas = self.canvas
        return len(canvas.order()) + len(canvas.boxes()) + super().childCount()

    def child(self, index: int) -> QAccessibleInterface | None:
        if index < 0:
            return None
        order = self.canvas.order()
        if index < len(order):
            return self.canvas.node(order[index])
        index -= len(order)
        boxes = self.canvas.boxes()
        if index < len(boxes):
            return self.canvas.group(boxes[index])
        return super().child(index - len(boxes))

    def indexOfChild(self, child: QAccessibleInterface) -> int:  # noqa: N802
        canvas = self.canvas
        if isinstance(child, NodeInterface):
            return canvas.index_of(child.key) if child.canvas is canvas else -1
        if isinstance(child, GroupInterface):
            boxes = canvas.boxes()
            if child.canvas is not canvas or child.path not in boxes:
                return -1
            return len(canvas.order()) + boxes.index(child.path)
        if isinstance(child, PortInterface):
            return -1
        index = super().indexOfChild(child)
        return index + len(canvas.order()) + len(canvas.boxes()) if index >= 0 else -1

    def focusChild(self) -> QAccessibleInterface | None:  # noqa: N802
        key = self.canvas.focused()
        if key is None or not self.view.hasFocus():
            return super().focusChild()
        node = self.canvas.node(key)
        port = self.canvas.scene.focused_port
        if node is not None and port is not None and key == self.canvas.scene.focused_key:
            return node.port(*port) or node
        return node

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # noqa: N802
        view = self.view
        local = view.viewport().mapFromGlobal(QPoint(x, y))
        if view.viewport().rect().contains(local):
            item = self.canvas.scene.node_at(view.mapToScene(local))
            if item is not None:
                return self.canvas.node(item.key)
        return super().childAt(x, y)


_installed = False


def _factory(key: str, obj: QObject) -> QAccessibleInterface | None:  # noqa: ARG001
    from dvar.gui.canvas.view import GraphView

    if isinstance(obj, GraphView) and getattr(obj, "accessibility", None) is not None:
        return CanvasInterface(obj)
    return None


def install() -> None:
    """Let assistive technology see into the canvas (once per process)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True


__all__ = [
    "CanvasAccessibility",
    "CanvasInterface",
    "GroupInterface",
    "NodeInterface",
    "PortInterface",
    "announce",
    "install",
    "show_text",
    "shown",
]
