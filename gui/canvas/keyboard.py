"""The canvas from the keyboard alone: a focused node, arrow keys along the edges, ports.

The keyboard is on one node at a time (``scene.focused_key``), and on one of its
ports or none (``scene.focused_port``).  The arrow keys follow the edges:

- Left goes along an input to the node feeding it: the focused input port's, or the
  first fed input's;
- Right goes along the output to a consumer: the one Left came from, else the topmost;
- Up and Down go among siblings: after Left, the other fed inputs of that consumer;
  otherwise the nodes of the same layer (as many steps from the graph's inputs),
  ordered by height on the canvas.  While a port is focused they go from port to port.

Moving the focus selects the node it lands on, alone, as a file manager does, so every
action on the selection (Enter, F2, Ctrl+J, N, Del) acts on the focused node; with
Ctrl held the selection stays, and Ctrl+Space adds or removes the focused node.
Selecting a single node with the mouse puts the focus there too, so the keys go on from
what was clicked.  ``]`` and ``[`` step onto the node's ports (its inputs, top to
bottom, then its output); C opens the focused port's slot menu to connect it, and D
disconnects it.  Shift+arrows pan the canvas; Alt+arrows move the selection a grid
step.  F6 and Shift+F6 move between the canvas and the panels.

The ring that shows where the keyboard is lives in ``focus_ring``, and the slot menu
in ``slot_menu``.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPointF, QRect, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QPainter
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget

from dvar import core
from dvar.gui.canvas import slot_menu
from dvar.gui.canvas.focus_ring import FocusRing
from dvar.gui.canvas.nodes import GRID
from dvar.gui.document.field_commands import MoveNodes

if TYPE_CHECKING:
    from dvar.gui.canvas.nodes import NodeItem
    from dvar.gui.canvas.scene import GraphScene
    from dvar.gui.canvas.view import GraphView

Port = tuple[str, int]

_ARROWS = {
    Qt.Key.Key_Left: "left",
    Qt.Key.Key_Right: "right",
    Qt.Key.Key_Up: "up",
    Qt.Key.Key_Down: "down",
}
_STEPS = {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}


# ------------------------------------------------------------------ navigation
def layers(graph: core.Graph) -> dict[int, int]:
    """Each node's layer: how many steps its longest path from a node without
    inputs takes (what Arrange lays out as columns)."""
    depth: dict[int, int] = {}
    for key in graph.topological_keys():
        sources = [source for source in graph.node(key).inputs if source is not None]
        depth[key] = 1 + max(depth[source] for source in sources) if sources else 0
    return depth


def ports_of(graph: core.Graph, key: int) -> list[Port]:
    """A node's ports in the order ``]`` visits them: its inputs top to bottom, then its
    output."""
    return [("in", slot) for slot in range(graph.node(key).op.arity)] + [("out", 0)]


class KeyboardFocus(QObject):
    """The view's keyboard: moves the scene's focus, opens slot menus, draws the ring."""

    def __init__(self, view: GraphView) -> None:
        super().__init__(view)
        self.view = view
        #: Where the keyboard is, drawn for the eye.
        self.ring = FocusRing(view)
        #: (consumer, slot) the last Left came along: Up and Down walk its inputs.
        self.came_from: tuple[int, int] | None = None
        self._scene: GraphScene | None = None
        self.attach(view.graph_scene())

    @property
    def scene(self) -> GraphScene:
        return self._scene  # type: ignore[return-value]

    def _live(self) -> bool:
        """False while the window is being taken down (the view shows no scene of ours)."""
        return self._scene is not None and self.view.scene() is self._scene

    def attach(self, scene: GraphScene) -> None:
        """Follow this scene (the view shows another document's)."""
        old = self._scene
        if old is not None:
            for signal, slot in self._links(old):
                with contextlib.suppress(RuntimeError, TypeError):  # gone with its document
                    signal.disconnect(slot)
        self._scene = self.ring.scene = scene
        self.came_from = None
        for signal, slot in self._links(scene):
            signal.connect(slot)
        self.ring.redraw()

    def _links(self, scene: GraphScene) -> list:
        return [
            (scene.nodeFocused, self._focus_moved),
            (scene.portFocused, self._focus_moved),
            (scene.selectionChanged, self._selection_changed),
            (scene.document.changed, self._graph_changed),
        ]

    # ------------------------------------------------------------------ keys
    def key_press(self, event: QKeyEvent) -> bool:
        """Handle a key the canvas got, if it is one of the focus keys; says whether it was."""
        key, mods = event.key(), event.modifiers()
        Mod = Qt.KeyboardModifier  # noqa: N806 (Qt's name)
        mods &= ~Mod.KeypadModifier
        if key in _ARROWS:
            direction = _ARROWS[key]
            if mods == Mod.NoModifier:
                self.move(direction)
            elif mods == Mod.ControlModifier:
                self.move(direction, select=False)
            elif mods == Mod.ShiftModifier:
                self.pan(direction)
            elif mods == Mod.AltModifier:
                self.move_selection(direction)
            else:
                return False
            return True
        if key == Qt.Key.Key_Space and mods == Mod.ControlModifier:
            self.toggle_selected()
            return True
        return False

    def move(self, direction: str, select: bool = True) -> int | None:
        """Arrow key: move the focus along the edges (see the module's docstring); the
        focused node comes into view.  Returns the node focused now."""
        scene = self.scene
        self.show_ring()
        key, port = scene.focused_key, scene.focused_port
        if key is None:
            return self.focus(self._first_focus(), select=select)
        graph = scene.graph
        if port is not None and direction in ("up", "down"):
            ports = ports_of(graph, key)
            index = ports.index(port) + (1 if direction == "down" else -1)
            if 0 <= index < len(ports):
                self.focus(key, ports[index], select=select, came_from=self.came_from)
            return key
        target, came_from = self._neighbour(key, port, direction)
        if target is None:
            self._say_no_way(key, direction)
            return key
        item = scene.nodes.get(target)
        if item is None or not item.isVisible():  # inside a collapsed group
            scene.document.message.emit(
                f"{graph.id_of(target)} is inside a collapsed group: expand it to go there"
            )
            return key
        return self.focus(target, select=select, came_from=came_from)

    def _neighbour(
        self, key: int, port: Port | None, direction: str
    ) -> tuple[int | None, tuple[int, int] | None]:
        """The node an arrow key goes to from ``key``, with the (consumer, slot) Up and
        Down walk from there (None for the layer order)."""
        graph, items = self.scene.graph, self.scene.nodes
        node = graph.node(key)
        if direction == "left":
            slots = [port[1]] if port is not None and port[0] == "in" else range(len(node.inputs))
            for slot in slots:
                if node.inputs[slot] is not None:
                    return node.inputs[slot], (key, slot)
            return None, None
        if direction == "right":
            uses = [(graph.key_of(consumer), slot) for consumer, slot in graph.consumers(key)]
            if not uses:
                return None, None
            if self.came_from in uses:
                return self.came_from[0], None
            return min(uses, key=lambda use: _place(items, use[0]))[0], None
        step = 1 if direction == "down" else -1
        came = self.came_from
        chip = self.scene.chips.get(key)
        if came is None and chip is not None and chip.host is not None:
            came = (chip.host.key, chip.slot)  # a chip sits on its host's port
        if came is not None and came[0] in graph and graph.node(came[0]).inputs[came[1]] == key:
            inputs = graph.node(came[0]).inputs
            slot = came[1] + step
            while 0 <= slot < len(inputs):
                if inputs[slot] is not None and inputs[slot] != key:
                    return inputs[slot], (came[0], slot)
                slot += step
        chips = self.scene.chips
        depth = layers(graph)
        row = sorted(
            (
                other
                for other, level in depth.items()
                if level == depth[key]
                and other in items
                and (other == key or (other not in chips and items[other].isVisible()))
            ),
            key=lambda other: _place(items, other),
        )
        index = row.index(key) + step
        return (row[index], None) if 0 <= index < len(row) else (None, None)

    def _first_focus(self) -> int | None:
        """Where the first arrow key lands: the selected node, else the output, else the
        node nearest the middle of the view."""
        scene = self.scene
        selected = scene.selected_keys()
        if len(selected) == 1:
            return selected[0]
        if scene.graph.output_key in scene.nodes:
            return scene.graph.output_key
        if not scene.nodes:
            scene.document.message.emit("The canvas is empty: Tab adds a node")
            return None
        middle = self.view.centre()
        return min(
            scene.nodes,
            key=lambda k: (scene.nodes[k].sceneBoundingRect().center() - middle).manhattanLength(),
        )

    def _say_no_way(self, key: int, direction: str) -> None:
        name = self.scene.graph.id_of(key)
        why = {
            "left": f"{name} has no input fed",
            "right": f"{name} feeds no node",
            "up": f"No node above {name} in its layer",
            "down": f"No node below {name} in its layer",
        }[direction]
        self.scene.document.message.emit(why)

    def focus(
        self,
        key: int | None,
        port: Port | None = None,
        *,
        select: bool = True,
        came_from: tuple[int, int] | None = None,
    ) -> int | None:
        """Put the focus on ``key`` (and ``port``), select it alone unless ``select`` is
        False, and bring it into view."""
        scene = self.scene
        self.came_from = came_from
        if key is None or key not in scene.nodes:
            return None
        if select and scene.selected_keys() != [key]:
            scene.set_focused(key, port)  # before selecting: the selection keeps this focus
            scene.select_keys([key])
        scene.set_focused(key, port)
        self.view.ensureVisible(scene.nodes[key].sceneBoundingRect(), 30, 30)
        return key

    def toggle_selected(self) -> None:
        """Ctrl+Space: add the focused node to the selection, or take it out."""
        item = self.scene.nodes.get(self.scene.focused_key)  # type: ignore[arg-type]
        if item is not None:
            item.setSelected(not item.isSelected())

    def _selection_changed(self) -> None:
        """One node selected some other way (a click, Find, the panel): the keys go on
        from there."""
        if not self._live():
            return
        scene = self.scene
        keys = scene.selected_keys()
        if len(keys) == 1 and keys[0] != scene.focused_key:
            self.came_from = None
            scene.set_focused(keys[0])

    # ------------------------------------------------------------------ ports
    def next_port(self) -> None:
        """``]``: step onto the focused node's next port (after the output: the node)."""
        self._step_port(1)

    def previous_port(self) -> None:
        """``[``: step onto the focused node's previous port."""
        self._step_port(-1)

    def _step_port(self, step: int) -> None:
        scene = self.scene
        key = self._focused_or_first()
        if key is None:
            return
        self.show_ring()
        stops: list[Port | None] = [None, *ports_of(scene.graph, key)]
        index = (stops.index(scene.focused_port) + step) % len(stops)
        scene.set_focused(key, stops[index])

    def _focused_or_first(self) -> int | None:
        scene = self.scene
        if scene.focused_key is None:
            self.focus(self._first_focus())
        return scene.focused_key

    def open_slot_menu(self) -> slot_menu.SlotMenu | None:
        """C: the menu of what the focused port can connect to (see slot_menu).  With no
        port focused, the node's first empty input (else its output), for this once.
        Returns the menu, open."""
        scene = self.scene
        key = self._focused_or_first()
        if key is None:
            return None
        port = scene.focused_port
        chosen = port is None
        if port is None:
            inputs = scene.graph.node(key).inputs
            empty = [slot for slot, source in enumerate(inputs) if source is None]
            port = ("in", empty[0]) if empty else ("out", 0)
            scene.set_focused(key, port)
        self.show_ring()
        menu = slot_menu.open_slot_menu(self.view, key, port)
        if chosen:  # the focus goes back to the node once the menu closes
            menu.aboutToHide.connect(lambda: QTimer.singleShot(0, lambda: self._leave(key, port)))
        return menu

    def _leave(self, key: int, port: Port) -> None:
        """Take the focus off a port the slot menu chose by itself, back to its node."""
        scene = self.scene
        if self._live() and (scene.focused_key, scene.focused_port) == (key, port):
            scene.set_focused(key)

    def disconnect_port(self) -> None:
        """D: empty the focused input port; on an output, every input it feeds."""
        scene = self.scene
        key, port = scene.focused_key, scene.focused_port
        if key is None or port is None:
            scene.document.message.emit("Step onto a port first (] and [), then D disconnects it")
            return
        slot_menu.disconnect_port(scene, key, port)

    # ---------------------------------------------------------------- moving
    def pan(self, direction: str) -> None:
        """Shift+arrow: move the canvas a tenth of the view."""
        dx, dy = _STEPS[direction]
        view = self.view
        view.auto_fit = False
        bar = view.horizontalScrollBar() if dx else view.verticalScrollBar()
        page = view.viewport().width() if dx else view.viewport().height()
        bar.setValue(bar.value() + (dx or dy) * max(1, page // 10))

    def move_selection(self, direction: str) -> None:
        """Alt+arrow: move the selected nodes one grid step (one undo step)."""
        scene = self.scene
        keys = [key for key in scene.selected_keys() if key not in scene.chips]
        if not keys:
            scene.document.message.emit("Select nodes to move them")
            return
        dx, dy = _STEPS[direction]
        moves = {}
        for key in keys:
            item = scene.nodes[key]
            node = scene.graph.node(key)
            moves[key] = ((node.x, node.y), (item.x() + dx * GRID, item.y() + dy * GRID))
        scene.document.run(MoveNodes(scene.graph, moves, "Move with the keyboard"))

    # ----------------------------------------------------------------- panes
    def next_pane(self) -> None:
        """F6: the keyboard goes to the next pane: the canvas, then each panel shown."""
        self._step_pane(1)

    def previous_pane(self) -> None:
        """Shift+F6: the keyboard goes to the previous pane."""
        self._step_pane(-1)

    def _step_pane(self, step: int) -> None:
        panes = self.panes()
        focus = QApplication.focusWidget()
        here = next(
            (i for i, pane in enumerate(panes) if focus is not None and _within(focus, pane)),
            0 if step < 0 else -1,
        )
        for offset in range(1, len(panes) + 1):  # a panel with nothing to focus is passed
            if self._enter(panes[(here + step * offset) % len(panes)]):
                return

    def _enter(self, pane: QWidget) -> bool:
        """Give the keyboard to a pane (its first field that takes Tab); says whether it
        could.  A panel behind another's tab is brought to the front first."""
        reason = Qt.FocusReason.ShortcutFocusReason
        if pane is self.view:
            self.show_ring()
            self.view.setFocus(reason)
            return True
        dock = pane.parentWidget()
        if isinstance(dock, QDockWidget):
            dock.raise_()
        target = pane
        while not (
            _within(target, pane)
            and target.isVisible()
            and target.isEnabled()
            and target.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            target = target.nextInFocusChain()
            if target is pane:
                return False
        target.setFocus(reason)
        return True

    def panes(self) -> list[QWidget]:
        """The canvas, then each panel on screen (not one behind another's tab: a
        teaching tool brings its panel to the front when it starts), left to right and
        top to bottom."""
        window = self.view.window()
        docks = [
            dock
            for dock in window.findChildren(QDockWidget)
            if dock.widget() is not None and not dock.visibleRegion().isEmpty()
        ]

        def place(dock: QDockWidget) -> tuple[int, int]:
            corner = dock.mapTo(window, dock.rect().topLeft())
            return corner.x() // 50, corner.y()

        docks.sort(key=place)
        return [self.view, *(dock.widget() for dock in docks)]

    def beside_focus(self) -> QPointF | None:
        """While the keyboard is in use, a spot right of the focused node, level with it,
        where a node added next can take its output; None otherwise."""
        scene = self.scene
        item = scene.nodes.get(scene.focused_key) if self.ring_shown else None  # type: ignore[arg-type]
        if item is None:
            return None
        box = item.mapRectToScene(item.box())
        return QPointF(box.right() + 3 * GRID, box.top())

    # ------------------------------------------------------------------ ring
    @property
    def ring_shown(self) -> bool:
        return self.ring.shown

    def show_ring(self) -> None:
        self.ring.show()

    def ring_rect(self) -> QRect:
        return self.ring.rect()

    def mouse_pressed(self) -> None:
        """A mouse press on the canvas: the ring hides until the keyboard is used again."""
        self.ring.show(False)

    def focus_entered(self, reason: Qt.FocusReason) -> None:
        """The canvas got the keyboard: by Tab, Shift+Tab or a shortcut (F6), show where."""
        reasons = Qt.FocusReason
        if reason in (
            reasons.TabFocusReason,
            reasons.BacktabFocusReason,
            reasons.ShortcutFocusReason,
        ):
            self.ring.shown = True
        self.ring.redraw()

    def redraw(self) -> None:
        self.ring.redraw()

    def scrolled(self, dx: int, dy: int) -> None:
        self.ring.scrolled(dx, dy)

    def paint(self, painter: QPainter) -> None:
        self.ring.paint(painter)

    def _focus_moved(self, *_) -> None:
        self.ring.redraw()

    def _graph_changed(self, *_) -> None:
        self.ring.follow()


def _place(items: dict[int, NodeItem], key: int) -> tuple[float, float]:
    item = items.get(key)
    return (item.y(), item.x()) if item is not None else (0.0, 0.0)


def _within(widget: QWidget, pane: QWidget) -> bool:
    return widget is pane or pane.isAncestorOf(widget)
