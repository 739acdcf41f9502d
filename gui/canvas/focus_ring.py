"""The focus ring: where the keyboard is on the canvas.

The ring goes round the focused node (and its focused port), or round the canvas
itself when the canvas has the keyboard and no node does.  The view draws it over the
scene in screen pixels, so it is as clear at 5 % as at 400 %, and it never reaches an
export (exports draw the scene, not the view).  Its colour is the palette's highlight,
between thin lines of the base colour, so every theme (light, dark, high contrast)
gives it its own clear colour.  It shows once the keyboard is used and hides at a
mouse press: what a desktop shows a mouse user is the selection.

Only the pixels where the ring was and where it is are repainted when it moves: a key
press never redraws a big graph's whole canvas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen

from dvar.gui.canvas.nodes import PORT_RADIUS

if TYPE_CHECKING:
    from dvar.gui.canvas.nodes import NodeItem
    from dvar.gui.canvas.scene import GraphScene
    from dvar.gui.canvas.view import GraphView

#: The ring's gap from the box and its width, in screen pixels.
RING_GAP, RING_WIDTH = 4, 3
#: Items less tall than this are chips, which have no ports of their own (see chips.py).
PORT_BOX = 20


class FocusRing:
    """The ring one view draws round the focus of its scene."""

    def __init__(self, view: GraphView) -> None:
        self.view = view
        #: True once the keyboard is used; False again after a mouse press.
        self.shown = False
        self.scene: GraphScene | None = None
        self._drawn = QRect()  # where the ring was last drawn, in viewport pixels

    def _live(self) -> bool:
        """False while the window is being taken down (the view shows no scene of ours)."""
        return self.scene is not None and self.view.scene() is self.scene

    def show(self, on: bool = True) -> None:
        if on != self.shown:
            self.shown = on
            self.redraw()

    def redraw(self) -> None:
        """Repaint where the ring was and where it is now."""
        viewport = self.view.viewport()
        new = self.rect()
        if not self._drawn.isEmpty():
            viewport.update(self._drawn)
        if not new.isEmpty():
            viewport.update(new)
        self._drawn = new

    def follow(self) -> None:
        """After an edit: the focused node may have moved or grown (an undo, Arrange)."""
        if self.rect() != self._drawn:
            self.redraw()

    def scrolled(self, dx: int, dy: int) -> None:
        """The view scrolled its pixels: the ring drawn round a node went with them."""
        self._drawn.translate(dx, dy)
        if self.shown and self._live() and self.scene.focused_key is None:  # type: ignore[union-attr]
            self.view.viewport().update()  # the ring round the canvas stays put

    def _focused_item(self) -> NodeItem | None:
        return self.scene.nodes.get(self.scene.focused_key)  # type: ignore[arg-type, union-attr]

    def rect(self) -> QRect:
        """What the ring covers in viewport pixels; empty when it is hidden."""
        if not self.shown or not self._live():
            return QRect()
        item = self._focused_item()
        if item is None:
            return self.view.viewport().rect() if self.view.hasFocus() else QRect()
        if not item.isVisible():
            return QRect()
        margin = RING_WIDTH + 2
        rect = self._line(item).toAlignedRect().adjusted(-margin, -margin, margin, margin)
        port = self._port(item)
        if port is not None:
            rect = rect.united(port.toAlignedRect().adjusted(-margin, -margin, margin, margin))
        return rect

    def box_on_screen(self, item: NodeItem) -> QRectF:
        """A node's box in viewport pixels."""
        return QRectF(self.view.mapFromScene(item.mapRectToScene(item.box())).boundingRect())

    def _line(self, item: NodeItem) -> QRectF:
        """The line the ring follows: RING_GAP pixels clear of the box, of the ports that
        stand out of its sides (a chip has none), and of the chips on its ports."""
        gap = RING_GAP + RING_WIDTH / 2
        side = gap + (PORT_RADIUS + 1) * self.view.zoom() if item.height > PORT_BOX else gap
        line = self.box_on_screen(item).adjusted(-side, -gap, side, gap)
        for chip in item.chips:
            line = line.united(self.box_on_screen(chip).adjusted(-gap, 0, 0, 0))
        return line

    def _port(self, item: NodeItem) -> QRectF | None:
        """The circle round the focused port, in viewport pixels, or None."""
        port = self.scene.focused_port  # type: ignore[union-attr]
        if port is None:
            return None
        centre = item.input_port(port[1]) if port[0] == "in" else item.output_port()
        middle = QPointF(self.view.mapFromScene(item.mapToScene(centre)))
        radius = (PORT_RADIUS + 2) * self.view.zoom() + RING_GAP
        return QRectF(middle.x() - radius, middle.y() - radius, 2 * radius, 2 * radius)

    def paint(self, painter: QPainter) -> None:
        """Draw the ring (the view calls this over the scene, in any transform)."""
        self._drawn = self.rect()  # the transform may have changed: the ring is here now
        if self._drawn.isEmpty():
            return
        palette = self.view.palette()
        ring = palette.color(QPalette.ColorRole.Highlight)
        halo = palette.color(QPalette.ColorRole.Base)
        item = self._focused_item()
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if item is None:  # round the canvas
            rect = QRectF(self.view.viewport().rect()).adjusted(1.5, 1.5, -1.5, -1.5)
            _stroke(painter, rect, 0, ring, halo)
        else:
            line = self._line(item)
            gap = RING_GAP + RING_WIDTH / 2
            chip = item.height <= PORT_BOX
            radius = line.height() / 2 if chip else 8 * self.view.zoom() + gap
            _stroke(painter, line, radius, ring, halo)
            port = self._port(item)
            if port is not None:
                _stroke(painter, port, port.width() / 2, ring, halo)
        painter.restore()


def _stroke(painter: QPainter, rect: QRectF, radius: float, ring: QColor, halo: QColor) -> None:
    """A ring in the highlight colour on a wider line of the base colour, so it stands
    out on the canvas, on a box and on a selected box's highlight alike."""
    painter.setPen(QPen(halo, RING_WIDTH + 2))
    painter.drawRoundedRect(rect, radius, radius)
    painter.setPen(QPen(ring, RING_WIDTH))
    painter.drawRoundedRect(rect, radius, radius)
