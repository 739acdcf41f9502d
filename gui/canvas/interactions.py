"""Gestures on the canvas, one class each: the view hands each mouse event to the
gesture under way, and Esc cancels it.

A gesture starts with a press (``GraphView.mousePressEvent`` chooses which one),
gets every move, and ends with its ``release``, which does the edit: one command
through ``document.run``, so one undo step.  ``cancel`` puts everything back as it
was before the press and runs no command, so the undo history does not change.

- :class:`Connect`: a new edge, dragged from an output port onto a free slot;
- :class:`Reconnect`: an edge's end, picked up off its slot, dropped on another one
  or on empty canvas (which disconnects it);
- :class:`Move`: nodes dragged by their title (Qt moves them; one ``MoveNodes`` on release);
- :class:`RubberBand`: a selection rectangle drawn from empty canvas (Qt draws it);
- :class:`Pan`: the canvas dragged with the middle button, or with Space held down;
- :class:`AddConstant`: a double-click on an empty input port: a constant wired into
  it, its value open for typing.  It lasts until the value is entered or the editor
  closes, so Esc while typing takes the constant back too.
- :class:`DragChip`: a constant's chip pressed: a click selects it; dragged off its
  port, it becomes a box where it is dropped (one ``DetachConstant``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QMouseEvent, QPainterPath, QPen
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsPathItem, QGraphicsView

from dvar.gui.canvas.chips import CHIP_Z, ChipItem
from dvar.gui.canvas.edges import curve
from dvar.gui.canvas.groups import GroupItem
from dvar.gui.canvas.look import derivative_color
from dvar.gui.canvas.nodes import GRID, NodeItem
from dvar.gui.document.field_commands import DetachConstant, MoveNodes
from dvar.gui.document.structure_commands import AddNodes, Disconnect
from dvar.gui.document.structure_commands import Connect as ConnectCommand

if TYPE_CHECKING:
    from dvar.gui.canvas.view import GraphView


class Interaction:
    """One gesture, from the press that starts it until it ends or is cancelled."""

    #: While True, presses of other buttons belong to this gesture (and are ignored).
    #: AddConstant lets go of the mouse once its double-click is released.
    holds_mouse = True

    def __init__(self, view: GraphView) -> None:
        self.view = view
        self.scene = view.graph_scene()

    def scene_pos(self, event: QMouseEvent) -> QPointF:
        return self.view.mapToScene(event.position().toPoint())

    def press(self, event: QMouseEvent) -> None:
        """The press that starts the gesture."""

    def move(self, event: QMouseEvent) -> None:
        """The mouse moved while the gesture is under way."""

    def release(self, event: QMouseEvent) -> None:
        """A button was released: finish the gesture (the default ends it)."""
        self.end()

    def cancel(self) -> None:
        """Esc: put back what the gesture changed, run no command, and end it."""
        self.end()

    def finish(self) -> None:
        """End now, keeping what was done (a gesture that no longer holds the mouse,
        when another press comes)."""
        self.end()

    def end(self) -> None:
        """The gesture is over: the view stops sending it events."""
        if self.view.interaction is self:
            self.view.interaction = None


class Connect(Interaction):
    """Dragging a new edge from a node's output port.

    While dragging, the slots that would accept the edge are lit.  Dropping on one
    connects; dropping where the edge cannot go is refused with a status-bar message.
    """

    def __init__(self, view: GraphView, source: int) -> None:
        super().__init__(view)
        self.source = source
        #: The slot (consumer, slot) whose edge is in hand; None for a new edge.
        self.picked: tuple[int, int] | None = None
        self.blocked: set[int] = set()
        self.marked: list[NodeItem] = []
        self.start = QPointF()
        self.line: QGraphicsPathItem | None = None

    def press(self, event: QMouseEvent) -> None:
        scene, graph, picked = self.scene, self.scene.graph, self.picked
        self.blocked = {self.source} | graph.upstream(self.source)
        for key, item in scene.nodes.items():
            if key in self.blocked:
                continue
            node = graph.node(key)
            free = {
                slot for slot, s in enumerate(node.inputs) if s is None or (key, slot) == picked
            }
            if free:
                item.valid_ports = free
                item.update()
                self.marked.append(item)
        origin = scene.nodes[self.source]
        self.start = origin.mapToScene(origin.output_port())
        self.line = QGraphicsPathItem()
        self.line.setPen(QPen(derivative_color(), 2, Qt.PenStyle.DashLine))
        self.line.setZValue(10)
        scene.add_transient(self.line)
        if picked is not None:
            edge = scene.edges.get(picked)
            if edge is not None:
                edge.setVisible(False)
        self._draw_to(self.scene_pos(event))
        event.accept()

    def move(self, event: QMouseEvent) -> None:
        self._draw_to(self.scene_pos(event))
        event.accept()

    def _draw_to(self, pos: QPointF) -> None:
        if self.line is not None:
            start = self.start
            self.line.setPath(curve(start, pos) if pos.x() >= start.x() else _straight(start, pos))

    def release(self, event: QMouseEvent) -> None:
        self._clear()
        self.end()
        pos = self.scene_pos(event)
        chip = self.scene.node_at(pos)
        if isinstance(chip, ChipItem) and chip.host is not None:
            graph = self.scene.graph
            self.scene.document.message.emit(
                f"Refused: slot {chip.slot + 1} of {graph.id_of(chip.host.key)} holds the "
                f"constant {chip.number}; drag it off the port first"
            )
        else:
            self.drop(self.scene.port_at(pos))
        event.accept()

    def cancel(self) -> None:
        self._clear()
        self.end()

    def _clear(self) -> None:
        """Take the dragged line and the lit slots away, and show a picked-up edge again."""
        scene = self.scene
        if self.line is not None:
            scene.remove_transient(self.line)
            self.line = None
        for item in self.marked:
            item.valid_ports = set()
            item.update()
        self.marked = []
        if self.picked is not None and self.picked in scene.edges:
            scene.edges[self.picked].setVisible(True)

    def drop(self, hit: tuple[NodeItem, str, int] | None) -> None:
        """Connect into the slot under the mouse, or say why not."""
        graph, document = self.scene.graph, self.scene.document
        if hit is None or hit[1] != "in":
            return
        item, _, slot = hit
        if item.key in self.blocked:
            why = "cannot feed itself" if item.key == self.source else "would close a cycle"
            document.message.emit(
                f"Refused: {graph.id_of(self.source)} → {graph.id_of(item.key)} {why}"
            )
            return
        taken = graph.node(item.key).inputs[slot]
        if taken is not None:
            document.message.emit(
                f"Refused: slot {slot + 1} of {graph.id_of(item.key)} is already fed by "
                f"{graph.id_of(taken)}; drag that edge away first"
            )
            return
        document.run(ConnectCommand(graph, self.source, item.key, slot, self.picked))


class Reconnect(Connect):
    """Dragging an edge's end off its slot: dropped on a free slot it moves there (one
    step), dropped on empty canvas it disconnects, dropped back on its slot nothing changes."""

    def __init__(self, view: GraphView, consumer: int, slot: int) -> None:
        super().__init__(view, view.graph_scene().graph.node(consumer).inputs[slot])
        self.picked = (consumer, slot)

    def drop(self, hit: tuple[NodeItem, str, int] | None) -> None:
        assert self.picked is not None
        if hit is None or hit[1] != "in":
            self.scene.document.run(Disconnect(self.scene.graph, *self.picked))
        elif (hit[0].key, hit[2]) != self.picked:
            super().drop(hit)


class Move(Interaction):
    """Dragging nodes: Qt selects and moves them (snapped to the grid, edges following);
    on release, one ``MoveNodes`` records where they went."""

    def __init__(self, view: GraphView) -> None:
        super().__init__(view)
        #: Where each selected node was at the press.
        self.pressed: dict[int, QPointF] = {}
        #: Where each selected group's box was at the press.
        self.boxes: dict[GroupItem, QPointF] = {}

    def press(self, event: QMouseEvent) -> None:
        QGraphicsView.mousePressEvent(self.view, event)
        chosen = self.scene.selectedItems()
        self.pressed = {
            item.key: item.pos()
            for item in chosen
            if isinstance(item, NodeItem) and not isinstance(item, ChipItem)  # chips follow
        }
        self.boxes = {item: item.pos() for item in chosen if isinstance(item, GroupItem)}

    def move(self, event: QMouseEvent) -> None:
        QGraphicsView.mouseMoveEvent(self.view, event)

    def release(self, event: QMouseEvent) -> None:
        QGraphicsView.mouseReleaseEvent(self.view, event)
        if event.buttons():
            return  # another button came up; the drag goes on
        self.end()
        scene, graph = self.scene, self.scene.graph
        moves = {}
        for key, pressed in self.pressed.items():
            item = scene.nodes.get(key)
            if item is not None and item.pos() != pressed and key in graph:
                node = graph.node(key)  # undo restores what the file had, even "no place"
                moves[key] = ((node.x, node.y), (item.x(), item.y()))
        for box, pressed in self.boxes.items():
            # A box's nodes move with it, hidden as they are; nodes without a place
            # yet keep none, and the box remembers where it was put.
            shift = box.pos() - pressed
            if shift.isNull() or box.scene() is not scene:
                continue
            scene.remember_box_spot(box)
            for key in box.group.all_keys():
                node = graph.node(key)
                if node.x is not None and node.y is not None and key not in moves:
                    moves[key] = ((node.x, node.y), (node.x + shift.x(), node.y + shift.y()))
        if moves:
            scene.document.run(MoveNodes(graph, moves))

    def cancel(self) -> None:
        scene = self.scene
        grabber = scene.mouseGrabberItem()
        if grabber is not None:
            grabber.ungrabMouse()  # the rest of the drag moves nothing
        for key, pressed in self.pressed.items():
            item = scene.nodes.get(key)
            if item is not None and item.pos() != pressed:
                snap, item.snap = item.snap, False  # back exactly, even off the grid
                item.setPos(pressed)
                item.snap = snap
        for box, pressed in self.boxes.items():
            box.snap = False
            box.setPos(pressed)
            box.snap = True
        self.end()


class RubberBand(Interaction):
    """A selection rectangle from empty canvas: Qt draws it and selects what it touches
    (Ctrl adds to the selection).  Cancelled, the selection is what it was before."""

    def __init__(self, view: GraphView) -> None:
        super().__init__(view)
        self.before: list[QGraphicsItem] = []

    def press(self, event: QMouseEvent) -> None:
        self.before = self.scene.selectedItems()
        QGraphicsView.mousePressEvent(self.view, event)

    def move(self, event: QMouseEvent) -> None:
        QGraphicsView.mouseMoveEvent(self.view, event)

    def release(self, event: QMouseEvent) -> None:
        QGraphicsView.mouseReleaseEvent(self.view, event)
        if not event.buttons():
            self.end()

    def cancel(self) -> None:
        view, scene = self.view, self.scene
        # Leaving the drag mode drops Qt's band; the rest of the drag selects nothing.
        view.setDragMode(QGraphicsView.DragMode.NoDrag)
        view.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        blocked = scene.blockSignals(True)  # one selectionChanged, not one per item
        try:
            scene.clearSelection()
            for item in self.before:
                if item.scene() is scene:
                    item.setSelected(True)
        finally:
            scene.blockSignals(blocked)
        scene.selectionChanged.emit()
        self.end()


class Pan(Interaction):
    """Dragging the canvas itself, with the middle button or with Space held down."""

    def __init__(self, view: GraphView) -> None:
        super().__init__(view)
        self.last = QPointF()
        self.scrolled = (0, 0)
        self.auto_fit = view.auto_fit

    def press(self, event: QMouseEvent) -> None:
        view = self.view
        view.auto_fit = False
        self.last = event.position()
        self.scrolled = (view.horizontalScrollBar().value(), view.verticalScrollBar().value())
        view.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
        event.accept()

    def move(self, event: QMouseEvent) -> None:
        view = self.view
        delta = event.position() - self.last
        self.last = event.position()
        view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() - int(delta.x()))
        view.verticalScrollBar().setValue(view.verticalScrollBar().value() - int(delta.y()))
        event.accept()

    def release(self, event: QMouseEvent) -> None:
        event.accept()
        if event.button() in (Qt.MouseButton.MiddleButton, Qt.MouseButton.LeftButton):
            self.view.viewport().unsetCursor()
            self.end()

    def cancel(self) -> None:
        view = self.view
        view.horizontalScrollBar().setValue(self.scrolled[0])
        view.verticalScrollBar().setValue(self.scrolled[1])
        view.auto_fit = self.auto_fit
        view.viewport().unsetCursor()
        self.end()


class AddConstant(Interaction):
    """A double-click on an empty input port: a constant (1) wired into the slot, one
    undo step, with its value open for typing.

    The gesture lasts until the editor closes: Enter sets the value (a step of its
    own) and clicking away keeps the constant as it is; Esc takes the constant back
    and leaves no undo step.  The double-click's second press may have started
    another gesture (a Move of the node clicked); it is carried along until its release.
    """

    def __init__(
        self, view: GraphView, consumer: int, slot: int, pending: Interaction | None = None
    ) -> None:
        super().__init__(view)
        self.consumer, self.slot = consumer, slot
        self.pending = pending
        self.holds_mouse = pending is not None
        self.command: AddNodes | None = None
        self.selected: list[int] = []
        self.listening = False  # to the value editor

    def press(self, event: QMouseEvent) -> None:
        event.accept()
        scene, graph = self.scene, self.scene.graph
        item = scene.nodes[self.consumer]
        port = item.mapToScene(item.input_port(self.slot))
        spot = self.view.constant_spot(port)  # to the port's left, in free space
        record = {"id": "k", "op": "const", "value": 1.0, "x": spot.x(), "y": spot.y()}
        command = AddNodes(graph, [record], "Add constant", connect=[(self.consumer, self.slot, 0)])
        command.setText(f"Add constant into {graph.id_of(self.consumer)}")
        self.selected = scene.selected_keys()
        if not scene.document.run(command):
            self._end_with_pending()
            return
        self.command = command
        scene.select_keys(command.keys)
        editor = self.view.value_editor
        self.view.edit_value(command.keys[0])
        if editor.key == command.keys[0]:
            editor.closed.connect(self._editor_closed)
            self.listening = True
        else:
            self._end_with_pending()

    def move(self, event: QMouseEvent) -> None:
        if self.pending is not None:
            self.pending.move(event)

    def release(self, event: QMouseEvent) -> None:
        """The double-click's button came up: the gesture goes on in the editor."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.release(event)
        self.holds_mouse = False
        event.accept()
        if self.command is None:
            self.end()

    def _editor_closed(self, cancelled: bool) -> None:
        if cancelled:
            self.view.cancel_interaction(self)
        else:
            self.finish()

    def finish(self) -> None:
        self._disconnect()
        self._end_with_pending()

    def cancel(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.cancel()
        self._disconnect()
        command, self.command = self.command, None
        editor = self.view.value_editor
        if command is not None:
            if editor.key in command.keys:
                editor.close_editor()
            self._take_back(command)
            self.scene.select_keys(self.selected)
        self.end()

    def _take_back(self, command: AddNodes) -> None:
        """Undo the constant's command and drop it from the history, if nothing came after."""
        stack = self.scene.document.undo_stack
        top = stack.count() - 1
        if stack.index() != top + 1 or top < 0 or stack.command(top) is not command:
            return
        command.undo()
        command.setObsolete(True)  # the stack drops an obsolete command instead of undoing it
        stack.undo()

    def _disconnect(self) -> None:
        if self.listening:
            self.listening = False
            self.view.value_editor.closed.disconnect(self._editor_closed)

    def _end_with_pending(self) -> None:
        """End, handing the mouse back to the gesture the double-click began, if it goes on."""
        pending, self.pending = self.pending, None
        self.end()
        if pending is not None:
            self.view.interaction = pending


class DragChip(Interaction):
    """A constant's chip pressed.  A click selects it (Ctrl toggles it).  Dragged, the
    chip follows the mouse; dropped at least ``DETACH_DISTANCE`` from its port it
    becomes a box there (one ``DetachConstant``, so one undo step), dropped nearer it
    goes back.  Esc puts it back."""

    #: How far from its port (scene units) a chip must be dropped to become a box.
    DETACH_DISTANCE = 40.0

    def __init__(self, view: GraphView, key: int) -> None:
        super().__init__(view)
        self.key = key
        self.chip: ChipItem = self.scene.chips[key]
        self.start = QPointF()
        self.grab = QPointF()  # where on the chip it was picked up
        self.dragging = False

    def press(self, event: QMouseEvent) -> None:
        event.accept()
        chip, scene = self.chip, self.scene
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            chip.setSelected(not chip.isSelected())
        elif not chip.isSelected():
            scene.select_keys([self.key])
        self.start = event.position()
        self.grab = self.scene_pos(event) - chip.pos()

    def move(self, event: QMouseEvent) -> None:
        event.accept()
        if not self.dragging:
            far = (event.position() - self.start).manhattanLength()
            if far < QApplication.startDragDistance():
                return
            self.dragging = True
            self.chip.setZValue(10)
            self.chip.setCursor(Qt.CursorShape.ClosedHandCursor)
        self.chip.setPos(self.scene_pos(event) - self.grab)

    def release(self, event: QMouseEvent) -> None:
        event.accept()
        self.end()
        if not self.dragging:
            return
        chip, scene = self.chip, self.scene
        drop = self.scene_pos(event)
        host = chip.host
        self._put_back()
        if host is None or self.key not in scene.graph:
            return
        port = host.mapToScene(host.input_port(chip.slot))
        if (drop - port).manhattanLength() < self.DETACH_DISTANCE:
            return
        # The new box's output port lands where the chip was let go of.
        box = NodeItem(-1, 0)
        corner = drop - box.output_port()
        x, y = round(corner.x() / GRID) * GRID, round(corner.y() / GRID) * GRID
        if scene.document.run(DetachConstant(scene.graph, self.key, x, y)):
            scene.select_keys([self.key])

    def cancel(self) -> None:
        self._put_back()
        self.end()

    def _put_back(self) -> None:
        chip = self.chip
        chip.setCursor(Qt.CursorShape.OpenHandCursor)
        chip.setZValue(CHIP_Z + (1.0 if chip.isSelected() else 0.0))
        chip.follow()


def _straight(a: QPointF, b: QPointF) -> QPainterPath:
    path = QPainterPath(a)
    path.lineTo(b)
    return path
