"""The canvas view: zoom, the grid, palette drops, and the mouse.

Every mouse event arrives here and goes to the gesture under way (see
:mod:`interactions`); a press with none under way chooses which one starts.  Esc
cancels it.  The in-place value editor, the minimap and quick-add live on the view
too, each in a module of its own.
"""

from __future__ import annotations

import itertools

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPalette, QPen, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from dvar import core
from dvar.gui.canvas import notes, placement
from dvar.gui.canvas.accessible import CanvasAccessibility
from dvar.gui.canvas.blocks import lowest_named_zoom, named_zoom
from dvar.gui.canvas.chips import ChipItem
from dvar.gui.canvas.edges import EdgeItem
from dvar.gui.canvas.groups import GroupFrame, GroupItem
from dvar.gui.canvas.interactions import (
    AddConstant,
    DragChip,
    Interaction,
    Move,
    Pan,
    Reconnect,
    RubberBand,
)
from dvar.gui.canvas.interactions import Connect as ConnectEdge
from dvar.gui.canvas.keyboard import KeyboardFocus
from dvar.gui.canvas.look import TEXT_LOD, Fonts
from dvar.gui.canvas.minimap import Minimap
from dvar.gui.canvas.nodes import GRID, HEIGHT, NodeItem
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.canvas.value_editor import ValueEditor
from dvar.gui.document.structure_commands import AddNodes

MIN_ZOOM, MAX_ZOOM = 0.05, 4.0
#: The room fit leaves round the graph, in scene units.
FIT_MARGIN = 40.0
#: How many nodes' names fit looks at, at most (see GraphView.names_zoom).
NAMES_SAMPLE = 500
#: The room a new node keeps around itself, in scene units.
NODE_GAP = 2 * GRID
#: The horizontal run of a new constant's edge: room for its arrow and its label.
EDGE_ROOM = 5 * GRID


def readable_zoom() -> float:
    """The least zoom at which nodes still show text: their names, as blocks."""
    return lowest_named_zoom(HEIGHT)


class GraphView(QGraphicsView):
    """A QGraphicsView that behaves like a node editor's canvas."""

    #: Tab was pressed: open quick-add at this scene position.
    quick_add_requested = Signal(QPointF)

    def __init__(self, scene: GraphScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState)
        # Grid and edges are the background: cached, and redrawn only where an edge changed.
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # The canvas is unbounded; pan with the middle button or Space, and use the minimap.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.show_grid = True
        #: True until the user zooms or pans: resizing the window re-fits the graph.
        self.auto_fit = True
        #: The gesture under way (it gets every mouse event), or None.
        self.interaction: Interaction | None = None
        self._space_down = False
        #: True while presenting: a left drag pans too, and never moves or selects.
        self.pan_only = False
        self.value_editor = ValueEditor(self)
        #: The focused node, the arrow keys and the focus ring (see keyboard.py).
        self.keyboard = KeyboardFocus(self)
        self.minimap = Minimap(self)
        #: What assistive technology sees of the canvas: its nodes and ports (accessible.py).
        self.accessibility = CanvasAccessibility(self)
        scene.overview_changed.connect(self.minimap.schedule)
        self.horizontalScrollBar().valueChanged.connect(self.minimap.schedule)
        self.verticalScrollBar().valueChanged.connect(self.minimap.schedule)

    def graph_scene(self) -> GraphScene:
        return self.scene()  # type: ignore[return-value]

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # a theme, or the system's scheme
            self.graph_scene().restyle()
            self.resetCachedContent()
        elif event.type() == QEvent.Type.FontChange:  # the system's font size
            Fonts.reset()
            self.graph_scene().fonts_changed()

    def show_scene(self, scene: GraphScene) -> None:
        """Show another document's scene in this same view (the window layout stays)."""
        self.cancel_interaction()
        self.value_editor.close_editor()
        self.setScene(scene)
        self.keyboard.attach(scene)
        self.minimap.setScene(scene)
        scene.overview_changed.connect(self.minimap.schedule)
        self.accessibility.bind(scene)
        self.resetTransform()
        self._zoom_changed()
        self.auto_fit = True

    # -------------------------------------------------------------- navigation
    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        self.auto_fit = False
        target = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom() * factor))
        factor = target / self.zoom()
        self.scale(factor, factor)
        self._zoom_changed()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(1.15**steps)
        event.accept()

    def fit(self) -> None:
        """Show the whole graph, never zooming past 100 %, nor so far out that nodes'
        names no longer fit their blocks (``names_zoom``).  A graph too big for that
        is shown at that zoom around its output (the minimap shows the rest), as far
        into the graph's corner as the output allows, so no more canvas than needed
        is empty."""
        scene = self.graph_scene()
        rect = scene.diagram_rect()
        if rect.isEmpty():
            return
        shown = rect.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
        port = self.viewport().rect()
        fitting = min(port.width() / shown.width(), port.height() / shown.height())
        zoom = max(self.names_zoom(), min(1.0, fitting))
        self.resetTransform()
        self.scale(zoom, zoom)
        if zoom <= fitting:
            self.centerOn(rect.center())
        else:
            self.centerOn(self._centre_near_output(shown, zoom))
        self._zoom_changed()

    def set_zoom(self, zoom: float, centre: QPointF) -> None:
        """Show the canvas at ``zoom`` (at most MAX_ZOOM, with no least zoom) around
        ``centre``: presentation mode's fit, and putting a view back as it was."""
        self.resetTransform()
        zoom = min(MAX_ZOOM, zoom)
        self.scale(zoom, zoom)
        self.centerOn(centre)
        self._zoom_changed()

    def centre(self) -> QPointF:
        """The canvas point at the middle of the view."""
        return self.mapToScene(self.viewport().rect().center())

    def names_zoom(self) -> float:
        """The least zoom fit goes to: the one at which nine nodes in ten show their
        names (the longest few may not), and never more than full detail needs.  A
        big graph is judged by an even sample of NAMES_SAMPLE of its nodes."""
        scene = self.graph_scene()
        fonts, items, chips = Fonts.get(), scene.nodes, scene.chips
        stride = max(1, len(scene.graph) // NAMES_SAMPLE)
        needed = sorted(
            named_zoom(fonts.advance("title", node.label or node.id), box.width(), box.height())
            for node in itertools.islice(scene.graph, 0, None, stride)
            if node.key in items and node.key not in chips  # a chip shows a number, not a name
            for box in (items[node.key].box(),)
        )
        boxes = itertools.islice(scene.group_items.values(), NAMES_SAMPLE)  # groups' titles
        needed += [named_zoom(fonts.advance("title", b.title), b.width, b.height) for b in boxes]
        needed.sort()
        if not needed:
            return readable_zoom()
        return min(TEXT_LOD, needed[int(0.9 * (len(needed) - 1))])

    def _centre_near_output(self, shown: QRectF, zoom: float) -> QPointF:
        """Where to centre a view at ``zoom`` that shows the output node and as much of
        ``shown`` (the graph) as it can."""
        scene = self.graph_scene()
        output = scene.nodes.get(scene.graph.output_key)
        target = output.sceneBoundingRect().center() if output is not None else shown.center()
        half_w = self.viewport().width() / zoom / 2
        half_h = self.viewport().height() / zoom / 2

        def clamp(value: float, low: float, high: float) -> float:
            # Within the graph's span where the view is smaller than it; centred otherwise.
            return (low + high) / 2 if low > high else min(max(value, low), high)

        return QPointF(
            clamp(target.x(), shown.left() + half_w, shown.right() - half_w),
            clamp(target.y(), shown.top() + half_h, shown.bottom() - half_h),
        )

    def _zoom_changed(self) -> None:
        """Tell the scene what text shows at this zoom: numbers, names, or none (see
        GraphScene.set_text_readable)."""
        zoom = self.zoom()
        numbers = zoom >= lowest_named_zoom(HEIGHT, lines=2)  # a block's value line fits
        text = zoom >= readable_zoom()  # names at least: worth keeping looks as pixmaps
        self.graph_scene().set_text_readable(numbers, cached=text, names=text)

    def center_on_node(self, key: int) -> None:
        item = self.graph_scene().nodes.get(key)
        if item is not None:
            self.centerOn(item.sceneBoundingRect().center())

    # ---------------------------------------------------------------- gestures
    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.keyboard.mouse_pressed()
        interaction = self.interaction
        if interaction is not None:
            if interaction.holds_mouse:
                event.accept()  # another button, mid-gesture
                return
            interaction.finish()
        interaction = self._interaction_for(event)
        if interaction is None:
            super().mousePressEvent(event)  # Qt's own: an edge clicked, another button
            return
        self.interaction = interaction
        interaction.press(event)

    def _interaction_for(self, event: QMouseEvent) -> Interaction | None:
        """The gesture a press starts, or None for Qt's own handling."""
        button = event.button()
        if button == Qt.MouseButton.MiddleButton or (
            button == Qt.MouseButton.LeftButton and (self._space_down or self.pan_only)
        ):
            return Pan(self)
        if button != Qt.MouseButton.LeftButton:
            return None
        scene = self.graph_scene()
        hit = scene.port_at(self.mapToScene(event.position().toPoint()))
        if hit is not None:
            item, side, slot = hit
            if side == "out":
                return ConnectEdge(self, item.key)
            if scene.graph.node(item.key).inputs[slot] is not None:
                return Reconnect(self, item.key, slot)  # pick up the edge's end
        under = self.itemAt(event.position().toPoint())
        if under is None or isinstance(under, GroupFrame):  # an open group's frame: canvas
            return RubberBand(self)
        if isinstance(under, ChipItem):
            return DragChip(self, under.key)
        return Move(self) if isinstance(under, NodeItem | GroupItem) else None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self.interaction is not None and self.interaction.holds_mouse:
            self.interaction.move(event)
        else:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.interaction is not None and self.interaction.holds_mouse:
            self.interaction.release(event)
        else:
            super().mouseReleaseEvent(event)
        if not event.buttons():
            notes.commit_moves(self.graph_scene())  # notes dragged, alone or with nodes

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """On an empty input port: add a constant into it; on an input or a constant:
        edit its value."""
        scene = self.graph_scene()
        pos = self.mapToScene(event.position().toPoint())
        slot = scene.empty_slot_at(pos)
        if slot is not None:
            # The second press may have begun a gesture (a Move): it goes on until release.
            self.interaction = AddConstant(self, *slot, pending=self.interaction)
            self.interaction.press(event)
            return
        box = self.itemAt(event.position().toPoint())
        if isinstance(box, GroupItem):  # its title opens it; the rest renames it
            scene.groups.double_clicked(box, pos, self)
            event.accept()
            return
        if isinstance(box, GroupFrame) and box.on_title(pos):  # an open group closes
            scene.groups.collapse_paths([box.path])
            event.accept()
            return
        item = scene.node_at(pos)
        if item is not None and scene.graph.node(item.key).op.is_leaf:
            self.edit_value(item.key)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def cancel_interaction(self, only: Interaction | None = None) -> bool:
        """Esc: cancel the gesture under way (if it is ``only``, when given); says whether
        there was one."""
        interaction = self.interaction
        if interaction is None or (only is not None and interaction is not only):
            return False
        interaction.cancel()
        self.interaction = None
        return True

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and self.interaction is not None
            and event.key() == Qt.Key.Key_Escape  # type: ignore[attr-defined]
        ):
            event.accept()  # Esc is this gesture's, not a shortcut's
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.cancel_interaction():
            event.accept()
            return
        if self.keyboard.key_press(event):  # arrows, Ctrl+Space
            event.accept()
            return
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        if event.key() == Qt.Key.Key_Tab and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.quick_add_requested.emit(self.cursor_scene_pos())
            event.accept()
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_down = False
            self.viewport().unsetCursor()
        super().keyReleaseEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab belongs to quick-add, not to the focus chain; Shift+Tab leaves the canvas.
        return False if next else super().focusNextPrevChild(False)

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        self.keyboard.focus_entered(event.reason())

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        self.keyboard.redraw()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self.keyboard.scrolled(dx, dy)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        super().drawForeground(painter, rect)  # the live edges
        self.keyboard.paint(painter)  # the focus ring: on screen only, never exported

    def cursor_scene_pos(self) -> QPointF:
        """Where the person points: beside the focused node while the keyboard is in
        use (quick-add and notes land there), else the mouse, else the middle."""
        beside = self.keyboard.beside_focus()
        if beside is not None:
            return beside
        local = self.viewport().mapFromGlobal(self.cursor().pos())
        if not self.viewport().rect().contains(local):
            local = self.viewport().rect().center()
        return self.mapToScene(local)

    # -------------------------------------------------------------------- grid
    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        palette = self.palette()
        painter.fillRect(rect, palette.color(QPalette.ColorRole.Window))
        if not self.show_grid or self.zoom() < 0.3:
            self.scene().drawBackground(painter, rect)  # the edges
            return
        # An opaque colour and one call, without antialiasing: a translucent,
        # antialiased line per grid step costs more than all the nodes on screen.
        window, mid = (
            palette.color(QPalette.ColorRole.Window),
            palette.color(QPalette.ColorRole.Mid),
        )
        color = QColor(
            (window.red() * 3 + mid.red()) // 4,
            (window.green() * 3 + mid.green()) // 4,
            (window.blue() * 3 + mid.blue()) // 4,
        )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(QPen(color, 0))
        lines = []
        x = int(rect.left() // GRID) * GRID
        while x < rect.right():
            lines.append(QLineF(x, rect.top(), x, rect.bottom()))
            x += GRID
        y = int(rect.top() // GRID) * GRID
        while y < rect.bottom():
            lines.append(QLineF(rect.left(), y, rect.right(), y))
            y += GRID
        painter.drawLines(lines)
        painter.restore()
        self.scene().drawBackground(painter, rect)  # the edges

    # ---------------------------------------------------------- drops (palette)
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(OP_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()  # files are for the window: dropping a .dvar opens it

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasFormat(OP_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        if event.mimeData().hasFormat(OP_MIME):
            op = bytes(event.mimeData().data(OP_MIME)).decode()
            self.add_node(op, self.mapToScene(event.position().toPoint()))
            event.acceptProposedAction()
        else:
            event.ignore()

    def add_node(self, op: str, at: QPointF) -> int | None:
        """Add a node of this op with its top-left at the free spot nearest to ``at``
        (never on top of another node), select it and show it; returns its key."""
        scene = self.graph_scene()
        graph = scene.graph
        spec = core.OPS[op]
        stem = core.names.default_stem(op)  # the one naming rule, in core
        spot = self.free_spot(spec.arity, at)
        record = {"id": graph.unique_id(stem), "op": op, "x": spot.x(), "y": spot.y()}
        if spec.is_leaf:
            record["value"] = 1.0
        command = AddNodes(graph, [record], f"Add {spec.title.split(':')[0].lower()}")
        if not scene.document.run(command):
            return None
        key = command.keys[0]
        scene.select_keys([key])
        item = scene.nodes.get(key)
        if item is not None:
            self.ensureVisible(item.sceneBoundingRect(), 20, 20)
        return key

    def constant_spot(self, port: QPointF) -> QPointF:
        """Where a constant made for the input port at ``port`` (scene coordinates)
        goes: to the port's left, level with it, far enough for the edge and its label
        to read; the nearest free spot to that if it is taken."""
        probe = NodeItem(-1, 0)
        out = probe.output_port()
        wanted = QPointF(port.x() - EDGE_ROOM - out.x(), port.y() - out.y())
        reach = probe.boundingRect().right() - out.x()  # the port's ring, right of its centre
        return self.free_spot(0, wanted, right_limit=port.x() - EDGE_ROOM + reach)

    def free_spot(
        self,
        arity: int,
        wanted: QPointF,
        *,
        gap: float = NODE_GAP,
        right_limit: float | None = None,
    ) -> QPointF:
        """Where a new node with ``arity`` operands goes: the position nearest to
        ``wanted`` (on the grid) where it keeps ``gap`` clear of every node on the
        canvas.  With ``right_limit``, its box with its ports stays left of that x."""
        bounds = NodeItem(-1, arity).boundingRect()  # the size it will have, ports included
        dx, dy = bounds.left(), bounds.top()
        scene = self.graph_scene()
        graph = scene.graph
        constant = NodeItem(-1, 0).boundingRect()

        def obstacles(window: placement.Rect) -> list[placement.Rect]:
            # Positions are searched for, not bounding boxes: shift the boxes by the offset.
            rects = []
            left, top, width, height = window
            shown = QRectF(left + dx, top + dy, width, height)
            for item in scene.items(shown, Qt.ItemSelectionMode.IntersectsItemBoundingRect):
                if isinstance(item, EdgeItem) or item in scene.transient:
                    continue
                x, y, width, height = item.sceneBoundingRect().getRect()
                rects.append((x - dx, y - dy, width, height))
            # A constant drawn as a chip keeps its own spot, where its box appears when
            # constants are shown as nodes: keep that free too.
            for key in scene.chips:
                node = graph.node(key)
                if node.x is not None and node.y is not None:
                    rects.append(
                        (
                            node.x + constant.x() - dx,
                            node.y + constant.y() - dy,
                            constant.width(),
                            constant.height(),
                        )
                    )
            return rects

        x, y = placement.free_spot(
            (bounds.width(), bounds.height()),
            (wanted.x(), wanted.y()),
            obstacles,
            gap=gap,
            step=GRID,
            right_limit=None if right_limit is None else right_limit - dx,
        )
        return QPointF(x, y)

    # ------------------------------------------------------------ value editor
    def edit_value(self, key: int) -> None:
        """Open the in-place editor over a node's value."""
        scene = self.graph_scene()
        item = scene.nodes.get(key)
        if item is None or not scene.graph.node(key).op.is_leaf:
            return
        self.ensureVisible(item.sceneBoundingRect(), 20, 20)
        rect = self.mapFromScene(item.mapRectToScene(item.value_rect())).boundingRect()
        self.value_editor.open(key, rect)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.minimap.place()
        if self.auto_fit:  # until the user zooms or pans, keep the whole graph in view
            self.fit()
            self.auto_fit = True


OP_MIME = "application/x-dvar-op"
