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

The ring round the focused node (or port) is drawn by the view over the scene, in
screen pixels, so it is as clear at 5 % as at 400 % and never reaches an export.  It
shows once the keyboard is used, and hides at a mouse press (what a desktop shows a
mouse user is the selection).  With no node focused, it goes round the canvas itself.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QDockWidget, QInputDialog, QMenu, QWidget

from dvar import core
from dvar.gui.canvas.nodes import GRID, PORT_RADIUS
from dvar.gui.document.commands import MoveNodes, SetInput

if TYPE_CHECKING:
    from dvar.gui.canvas.nodes import NodeItem
    from dvar.gui.canvas.scene import GraphScene
    from dvar.gui.canvas.view import GraphView

Port = tuple[str, int]

#: The ring's gap from the box and its width, in screen pixels.
RING_GAP, RING_WIDTH = 4, 3
#: Items less tall than this are chips, which have no ports of their own (see chips.py).
PORT_BOX = 20
#: How many nodes a slot menu lists (the nearest first); "Other…" asks for any name.
MENU_NODES = 24

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
        #: True once the keyboard moved the focus; False again after a mouse press.
        self.ring_shown = False
        #: (consumer, slot) the last Left came along: Up and Down walk its inputs.
        self.came_from: tuple[int, int] | None = None
        self._ring = QRect()  # where the ring was last drawn, in viewport pixels
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
        self._scene = scene
        self.came_from = None
        for signal, slot in self._links(scene):
            signal.connect(slot)
        self.redraw()

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

    def open_slot_menu(self) -> QMenu | None:
        """C: a menu of what the focused port can connect to: for an input, the nodes that
        can feed it; for an output, the free inputs it can feed.  With no port focused,
        the node's first empty input (else its output).  Returns the menu, open."""
        scene = self.scene
        key = self._focused_or_first()
        if key is None:
            return None
        graph = scene.graph
        port = scene.focused_port
        menu = SlotMenu(self.view)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if port is None:  # the port is chosen for this once: the focus goes back to the node
            empty = [slot for slot, source in enumerate(graph.node(key).inputs) if source is None]
            port = ("in", empty[0]) if empty else ("out", 0)
            scene.set_focused(key, port)
            chosen = port
            menu.aboutToHide.connect(lambda: QTimer.singleShot(0, lambda: self._leave(key, chosen)))
        self.show_ring()
        if port[0] == "in":
            self._fill_sources(menu, key, port[1])
        else:
            self._fill_targets(menu, key)
        item = scene.nodes[key]
        spot = item.input_port(port[1]) if port[0] == "in" else item.output_port()
        at = self.view.viewport().mapToGlobal(self.view.mapFromScene(item.mapToScene(spot)))
        # Beside the port, on the side its edges come from, so the node stays in sight.
        size = menu.sizeHint()
        if port[0] == "in":
            at -= QPoint(size.width() + 2 * RING_GAP + RING_WIDTH, size.height() // 2)
        else:
            at += QPoint(2 * RING_GAP + RING_WIDTH, -(size.height() // 2))
        menu.popup(at)
        first = [
            action for action in menu.actions() if action.isEnabled() and not action.isSeparator()
        ]
        if first:
            menu.setActiveAction(first[0])
        return menu

    def _leave(self, key: int, port: Port) -> None:
        """Take the focus off a port the slot menu chose by itself, back to its node."""
        scene = self.scene
        if self._live() and (scene.focused_key, scene.focused_port) == (key, port):
            scene.set_focused(key)

    def _fill_sources(self, menu: QMenu, key: int, slot: int) -> None:
        graph = self.scene.graph
        node = graph.node(key)
        menu.setTitle(f"Connect input {slot + 1} of {node.id}")
        menu.addSection(f"Feed input {slot + 1} of {node.id} from")
        blocked = graph.downstream(key) | {key}
        current = node.inputs[slot]
        choices = [other for other in self._nearest(key) if other not in blocked]
        for other in choices[:MENU_NODES]:
            name = graph.id_of(other) + ("  (feeds it now)" if other == current else "")
            action = menu.addAction(_menu_text(name))
            action.triggered.connect(lambda _=False, o=other: self._feed(o, key, slot))
        if len(choices) > MENU_NODES:
            names = sorted(graph.id_of(other) for other in choices)
            menu.addAction("Other…", lambda: self._feed_named(names, key, slot))
        if not choices:
            menu.addAction("No node can feed it without closing a cycle").setEnabled(False)

    def _fill_targets(self, menu: QMenu, key: int) -> None:
        graph = self.scene.graph
        name = graph.id_of(key)
        menu.setTitle(f"Connect the output of {name}")
        menu.addSection(f"Feed {name} into")
        blocked = graph.upstream(key) | {key}
        free = [
            (other, slot)
            for other in self._nearest(key)
            if other not in blocked
            for slot, source in enumerate(graph.node(other).inputs)
            if source is None
        ]
        for other, slot in free[:MENU_NODES]:
            text = f"{graph.id_of(other)}, input {slot + 1}"
            action = menu.addAction(_menu_text(text))
            action.triggered.connect(lambda _=False, o=other, s=slot: self._feed(key, o, s))
        if not free:
            menu.addAction("No free input it can feed").setEnabled(False)

    def _nearest(self, key: int) -> list[int]:
        """Every other node, the nearest to ``key`` on the canvas first."""
        items = self.scene.nodes
        here = items[key].sceneBoundingRect().center()
        return sorted(
            (other for other in items if other != key),
            key=lambda other: (items[other].sceneBoundingRect().center() - here).manhattanLength(),
        )

    def _feed(self, source: int, consumer: int, slot: int) -> None:
        scene = self.scene
        if source in scene.graph and consumer in scene.graph:
            scene.document.run(SetInput(scene.graph, consumer, slot, source))
        if scene.focused_key in scene.nodes:
            scene.set_focused(scene.focused_key, scene.focused_port)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _feed_named(self, names: list[str], consumer: int, slot: int) -> None:
        graph = self.scene.graph
        name, ok = QInputDialog.getItem(
            self.view,
            "Connect",
            f"Feed input {slot + 1} of {graph.id_of(consumer)} from:",
            names,
            0,
            True,
        )
        if not ok or not name:
            return
        if name not in graph:
            self.scene.document.message.emit(f"No node named {name!r}")
            return
        self._feed(graph.key_of(name), consumer, slot)

    def disconnect_port(self) -> None:
        """D: empty the focused input port; on an output, every input it feeds."""
        scene = self.scene
        key, port = scene.focused_key, scene.focused_port
        message = scene.document.message
        if key is None or port is None:
            message.emit("Step onto a port first (] and [), then D disconnects it")
            return
        graph = scene.graph
        if port[0] == "in":
            if graph.node(key).inputs[port[1]] is None:
                message.emit(f"Input {port[1] + 1} of {graph.id_of(key)} is not connected")
                return
            scene.document.run(SetInput(graph, key, port[1], None))
            return
        uses = [(graph.key_of(consumer), slot) for consumer, slot in graph.consumers(key)]
        if not uses:
            message.emit(f"{graph.id_of(key)} feeds no node")
            return
        stack = scene.document.undo_stack
        stack.beginMacro(f"Disconnect {graph.id_of(key)}'s output")
        try:
            for consumer, slot in uses:
                scene.document.run(SetInput(graph, consumer, slot, None))
        finally:
            stack.endMacro()

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
    def show_ring(self) -> None:
        if not self.ring_shown:
            self.ring_shown = True
            self.redraw()

    def mouse_pressed(self) -> None:
        """A mouse press on the canvas: the ring hides until the keyboard is used again."""
        if self.ring_shown:
            self.ring_shown = False
            self.redraw()

    def focus_entered(self, reason: Qt.FocusReason) -> None:
        """The canvas got the keyboard: by Tab, Shift+Tab or a shortcut (F6), show where."""
        reasons = Qt.FocusReason
        if reason in (
            reasons.TabFocusReason,
            reasons.BacktabFocusReason,
            reasons.ShortcutFocusReason,
        ):
            self.ring_shown = True
        self.redraw()

    def scrolled(self, dx: int, dy: int) -> None:
        """The view scrolled its pixels: the ring drawn went with them."""
        self._ring.translate(dx, dy)
        if self.ring_shown and self._live() and self.scene.focused_key is None:
            self.view.viewport().update()  # the ring round the canvas stays put

    def _focus_moved(self, *_) -> None:
        self.redraw()

    def _graph_changed(self, *_) -> None:
        """An edit: the focused node may have moved or grown (an undo, Arrange)."""
        if self.ring_rect() != self._ring:
            self.redraw()

    def redraw(self) -> None:
        """Repaint where the ring was and where it is now (only those pixels: a big
        graph's canvas is not redrawn for a key press)."""
        viewport = self.view.viewport()
        new = self.ring_rect()
        if not self._ring.isEmpty():
            viewport.update(self._ring)
        if not new.isEmpty():
            viewport.update(new)
        self._ring = new

    def ring_rect(self) -> QRect:
        """What the ring covers in viewport pixels: round the focused node (and port),
        or round the whole canvas when it has the focus and no node does; empty when
        hidden."""
        if not self.ring_shown or not self._live():
            return QRect()
        item = self.scene.nodes.get(self.scene.focused_key)  # type: ignore[arg-type]
        if item is not None and not item.isVisible():
            return QRect()  # inside a collapsed group: its box shows the selection
        if item is None:
            return self.view.viewport().rect() if self.view.hasFocus() else QRect()
        margin = RING_WIDTH + 2
        rect = self._ring_on_screen(item).toAlignedRect().adjusted(-margin, -margin, margin, margin)
        port = self._port_on_screen(item)
        if port is not None:
            rect = rect.united(port.toAlignedRect().adjusted(-margin, -margin, margin, margin))
        return rect

    def _box_on_screen(self, item: NodeItem) -> QRectF:
        return QRectF(self.view.mapFromScene(item.mapRectToScene(item.box())).boundingRect())

    def _ring_on_screen(self, item: NodeItem) -> QRectF:
        """The line the ring follows: RING_GAP pixels clear of the box, and of the ports
        that stand out of its sides (a chip has none)."""
        gap = RING_GAP + RING_WIDTH / 2
        side = gap + (PORT_RADIUS + 1) * self.view.zoom() if item.height > PORT_BOX else gap
        return self._box_on_screen(item).adjusted(-side, -gap, side, gap)

    def _port_on_screen(self, item: NodeItem) -> QRectF | None:
        port = self.scene.focused_port
        if port is None:
            return None
        centre = item.input_port(port[1]) if port[0] == "in" else item.output_port()
        middle = QPointF(self.view.mapFromScene(item.mapToScene(centre)))
        radius = (PORT_RADIUS + 2) * self.view.zoom() + RING_GAP
        return QRectF(middle.x() - radius, middle.y() - radius, 2 * radius, 2 * radius)

    def paint(self, painter: QPainter) -> None:
        """Draw the ring (the view calls this over the scene, in any transform)."""
        self._ring = self.ring_rect()  # the transform may have changed: the ring is here now
        if self._ring.isEmpty():
            return
        palette = self.view.palette()
        ring = palette.color(QPalette.ColorRole.Highlight)
        halo = palette.color(QPalette.ColorRole.Base)
        item = self.scene.nodes.get(self.scene.focused_key)  # type: ignore[arg-type]
        if item is not None and not item.isVisible():
            return
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if item is None:
            if self.view.hasFocus():
                rect = QRectF(self.view.viewport().rect()).adjusted(1.5, 1.5, -1.5, -1.5)
                _stroke(painter, rect, 0, ring, halo)
            painter.restore()
            return
        line = self._ring_on_screen(item)
        gap = RING_GAP + RING_WIDTH / 2
        radius = 8 * self.view.zoom() + gap if item.height > PORT_BOX else line.height() / 2
        _stroke(painter, line, radius, ring, halo)
        port = self._port_on_screen(item)
        if port is not None:
            _stroke(painter, port, port.width() / 2, ring, halo)
        painter.restore()


class SlotMenu(QMenu):
    """A slot menu: a letter typed picks a node by its first letter (its mnemonic), and
    never fires one of the canvas's single-key shortcuts (B, N, P...) behind it."""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            plain = not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier  # type: ignore[attr-defined]
            if plain and event.text().strip():  # type: ignore[attr-defined]
                event.accept()
                return True
        return super().event(event)


def _stroke(painter: QPainter, rect: QRectF, radius: float, ring: QColor, halo: QColor) -> None:
    """A ring in the highlight colour between two thin lines of the base colour, so it
    stands out on the canvas, on a box and on a selected box's highlight alike."""
    painter.setPen(QPen(halo, RING_WIDTH + 2))
    painter.drawRoundedRect(rect, radius, radius)
    painter.setPen(QPen(ring, RING_WIDTH))
    painter.drawRoundedRect(rect, radius, radius)


def _place(items: dict[int, NodeItem], key: int) -> tuple[float, float]:
    item = items.get(key)
    return (item.y(), item.x()) if item is not None else (0.0, 0.0)


def _within(widget: QWidget, pane: QWidget) -> bool:
    return widget is pane or pane.isAncestorOf(widget)


def _menu_text(text: str) -> str:
    """Menu text shown as it is, with its first letter as the mnemonic: typing a node's
    first letter goes to it (again: to the next node with that letter), or picks it
    when it is the only one.  A ``&`` in a name is shown, not taken as a mnemonic."""
    return "&" + text.replace("&", "&&")
