"""The minimap: an overview of a big graph in the canvas corner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPalette, QPen, QWheelEvent
from PySide6.QtWidgets import QFrame, QGraphicsView

if TYPE_CHECKING:
    from dvar.gui.canvas.view import GraphView


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
