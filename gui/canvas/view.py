"""The canvas view: zoom, pan, grid, quick-add, in-place value editing and the minimap."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLineF, QLocale, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPalette, QPen, QWheelEvent
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsView,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from dvar import core
from dvar.gui.canvas.look import TEXT_LOD
from dvar.gui.canvas.nodes import GRID
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.document.commands import AddNodes, SetField
from dvar.gui.messages import plain_tip

MIN_ZOOM, MAX_ZOOM = 0.05, 4.0


def parse_typed_number(text: str) -> float:
    """A number typed in the user's locale (``5,001`` where that is the decimal mark) or
    with a plain dot.  Raises ValueError with a readable message otherwise."""
    try:
        return core.parse_number(text)
    except ValueError as plain_error:
        value, ok = QLocale().toDouble(text.strip())
        if ok and value == value and abs(value) != float("inf"):
            return value
        raise plain_error


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
        self._panning = False
        self._space_down = False
        self._pan_from = QPointF()
        self.value_editor = ValueEditor(self)
        self.minimap = Minimap(self)
        scene.edit_value_requested.connect(self.edit_value)
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

    def show_scene(self, scene: GraphScene) -> None:
        """Show another document's scene in this same view (the window layout stays)."""
        self.value_editor.close_editor()
        self.setScene(scene)
        self.minimap.setScene(scene)
        scene.edit_value_requested.connect(self.edit_value)
        scene.overview_changed.connect(self.minimap.schedule)
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
        """Show the whole graph (never zooming past 100 %)."""
        rect = self.graph_scene().diagram_rect()
        if rect.isEmpty():
            return
        self.fitInView(rect.adjusted(-40, -40, 40, 40), Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > 1.0:
            self.scale(1.0 / self.zoom(), 1.0 / self.zoom())
        self.centerOn(rect.center())
        self._zoom_changed()

    def _zoom_changed(self) -> None:
        """Tell the scene whether text is readable at this zoom (see
        GraphScene.set_text_readable)."""
        self.graph_scene().set_text_readable(self.zoom() >= TEXT_LOD)

    def center_on_node(self, key: int) -> None:
        item = self.graph_scene().nodes.get(key)
        if item is not None:
            self.centerOn(item.sceneBoundingRect().center())

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.MiddleButton or (
            event.button() == Qt.MouseButton.LeftButton and self._space_down
        ):
            self._panning = True
            self.auto_fit = False
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._panning:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(delta.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._panning and event.button() in (
            Qt.MouseButton.MiddleButton,
            Qt.MouseButton.LeftButton,
        ):
            self._panning = False
            self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
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
        return False  # Tab belongs to quick-add, not to the focus chain

    def cursor_scene_pos(self) -> QPointF:
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
        """Add a node of this op with its top-left near ``at``; returns its key."""
        scene = self.graph_scene()
        graph = scene.graph
        spec = core.OPS[op]
        stem = {"input": "x", "const": "k"}.get(op, op)
        record = {
            "id": graph.unique_id(stem),
            "op": op,
            "x": round(at.x() / GRID) * GRID,
            "y": round(at.y() / GRID) * GRID,
        }
        if spec.is_leaf:
            record["value"] = 1.0
        command = AddNodes(graph, [record], f"Add {spec.title.split(':')[0].lower()}")
        if not scene.document.run(command):
            return None
        key = command.keys[0]
        scene.select_keys([key])
        return key

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


class ValueEditor(QLineEdit):
    """The in-place editor for an input's or a constant's value.

    Enter sets the value (one undoable step); text that is not a number is refused
    with a message and the old value stays; Esc or clicking away cancels.
    """

    def __init__(self, view: GraphView) -> None:
        super().__init__(view.viewport())
        self.view = view
        self.key: int | None = None
        self.hide()
        self.returnPressed.connect(self.commit)

    def open(self, key: int, rect) -> None:
        scene = self.view.graph_scene()
        node = scene.graph.node(key)
        self.key = key
        self.setText(core.format_full(node.value))
        self.setToolTip(plain_tip(f"New value for {node.id}: a number, e.g. 5.001"))
        self.setGeometry(rect.adjusted(-4, -3, 4, 3))
        self.setStyleSheet("")
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.selectAll()

    def commit(self) -> None:
        scene = self.view.graph_scene()
        if self.key is None or self.key not in scene.graph:
            self.close_editor()
            return
        try:
            value = parse_typed_number(self.text())
        except ValueError as error:
            scene.document.message.emit(
                f"Refused: {error}; {scene.graph.id_of(self.key)} keeps "
                f"{core.format_number(scene.graph.node(self.key).value)}"
            )
            self.setStyleSheet("border: 2px solid #c62828;")
            self.selectAll()
            return
        key = self.key
        self.close_editor()
        if value != scene.graph.node(key).value:
            scene.document.run(SetField.to(scene.graph, key, "value", value))

    def close_editor(self) -> None:
        self.key = None
        self.hide()
        self.view.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_editor()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        if self.isVisible() and event.reason() != Qt.FocusReason.PopupFocusReason:
            self.close_editor()


class Minimap(QGraphicsView):
    """An overview of a big graph in the canvas corner; click or drag to move there."""

    SIZE = (220, 150)
    #: Redrawn as a whole on a timer, so it never makes items repaint on its own account.
    is_overview = True

    def __init__(self, view: GraphView) -> None:
        super().__init__(view.scene(), view)
        self.main = view
        self.setInteractive(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.NoViewportUpdate)
        self.setFrameShape(QFrame.Shape.Box)
        self.setToolTip("Overview: click or drag to move the canvas")
        self.resize(*self.SIZE)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(60)
        self._timer.timeout.connect(self.sync)
        self.enabled = True
        self.hide()

    def schedule(self, *args) -> None:
        if self.enabled:
            self._timer.start()

    def place(self) -> None:
        parent = self.main.viewport()
        self.move(parent.width() - self.width() - 12, parent.height() - self.height() - 12)

    def sync(self) -> None:
        """Show the minimap only when the graph does not fit the canvas, and redraw it."""
        rect = self.main.graph_scene().diagram_rect()
        visible = self.main.mapToScene(self.main.viewport().rect()).boundingRect()
        wanted = self.enabled and not rect.isEmpty() and not visible.contains(rect)
        self.setVisible(wanted)
        if wanted:
            self.place()
            self.fitInView(rect.adjusted(-20, -20, 20, 20), Qt.AspectRatioMode.KeepAspectRatio)
            self.viewport().update()

    def paintEvent(self, event) -> None:
        """Edges, every node as a block, and a frame round what the canvas shows.

        Drawn here rather than by the items: nodes keep cached looks for the canvas
        alone, and plain blocks drawn a colour at a time are far cheaper.
        """
        scene = self.main.graph_scene()
        palette = self.palette()
        painter = QPainter(self.viewport())
        painter.fillRect(self.viewport().rect(), palette.color(QPalette.ColorRole.AlternateBase))
        painter.setTransform(self.viewportTransform())
        scene.draw_edges(painter, self.mapToScene(self.viewport().rect()).boundingRect())
        scene.draw_node_blocks(painter)
        visible = self.main.mapToScene(self.main.viewport().rect()).boundingRect()
        color = palette.color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(color, 0))
        fill = QColor(color)
        fill.setAlpha(40)
        painter.setBrush(fill)
        painter.drawRect(visible)
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.main.centerOn(self.mapToScene(event.position().toPoint()))
        self.viewport().update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self.main.centerOn(self.mapToScene(event.position().toPoint()))
            self.viewport().update()

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.ignore()


class QuickAdd(QFrame):
    """Tab's search box at the cursor: type part of an op's name, Enter adds it."""

    def __init__(self, view: GraphView) -> None:
        super().__init__(view.viewport())
        self.view = view
        self.at = QPointF()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Add node… (type to search)")
        self.list = QListWidget(self)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self.resize(240, 260)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._choose)
        self.list.itemActivated.connect(lambda _: self._choose())
        self.search.installEventFilter(self)
        self.hide()

    def open(self, at: QPointF) -> None:
        self.at = at
        self.search.clear()
        self._filter("")
        local = self.view.mapFromScene(at)
        viewport = self.view.viewport().rect()
        x = min(max(0, local.x()), viewport.width() - self.width())
        y = min(max(0, local.y()), viewport.height() - self.height())
        self.move(int(x), int(y))
        self.show()
        self.raise_()
        self.search.setFocus()

    def _filter(self, text: str) -> None:
        self.list.clear()
        needle = text.strip().lower()
        for op in core.OPS.values():
            haystack = f"{op.name} {op.title} {op.symbol}".lower()
            if needle in haystack:
                self.list.addItem(f"{op.name}  —  {op.title}")
                self.list.item(self.list.count() - 1).setData(Qt.ItemDataRole.UserRole, op.name)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _choose(self) -> None:
        item = self.list.currentItem()
        self.hide()
        self.view.setFocus()
        if item is not None:
            self.view.add_node(item.data(Qt.ItemDataRole.UserRole), self.at)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key == Qt.Key.Key_Escape:
                self.hide()
                self.view.setFocus()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                row = self.list.currentRow() + (1 if key == Qt.Key.Key_Down else -1)
                self.list.setCurrentRow(max(0, min(self.list.count() - 1, row)))
                return True
        if event.type() == QEvent.Type.FocusOut and not self.list.hasFocus():
            QTimer.singleShot(0, self._hide_if_unfocused)
        return super().eventFilter(watched, event)

    def _hide_if_unfocused(self) -> None:
        if not (self.search.hasFocus() or self.list.hasFocus()):
            self.hide()
