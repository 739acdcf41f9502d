"""A constant with one use, drawn as a chip on its consumer's input port.

The lecture's slide writes ``J = 3·v``, not a box named ``three`` with an edge
into J.  A constant with exactly one use (``Graph.is_inline_constant``) that was
not dragged off as a box is drawn as a small chip showing its number, sitting on
the port it feeds, and its consumer's formula shows the number.  The chip is the
constant's item on the canvas (``scene.nodes[key]``), so selecting, deleting,
copying, the step-through and the minimap treat it as the node it is.  It has no
edge and no ports of its own; it follows its consumer wherever that moves.

A double-click edits its value in place; dragging it away from its port makes it
a box where it is dropped (``interactions.DragChip``).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from dvar.gui.canvas.look import TEXT_LOD, Fonts, Look
from dvar.gui.canvas.nodes import PORT_RADIUS, NodeItem
from dvar.gui.messages import plain_tip

#: A chip's height for node text at its usual size (it grows with the text); two
#: chips on the two ports of one box do not touch.
CHIP_HEIGHT = 17.0
#: The narrowest chip, and the room round its number.
CHIP_MIN_WIDTH = 22.0
CHIP_PAD = 10.0
#: How far a chip reaches right of its port's centre: it covers the port's ring.
OVER_PORT = PORT_RADIUS + 2.0
#: Stacking: over its consumer's box (which rises to 1 when selected).
CHIP_Z = 2.0


class ChipItem(NodeItem):
    """A constant on its consumer's port: a small rounded label with its number."""

    height = CHIP_HEIGHT

    def __init__(self, key: int) -> None:
        super().__init__(key, 0)
        #: The node item whose port this chip sits on, and the slot.
        self.host: NodeItem | None = None
        self.slot = 0
        self._number = ""
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsMovable, False)
        self.setZValue(CHIP_Z)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.snap = False
        self._fit("")

    # ---------------------------------------------------------------- geometry
    def box(self) -> QRectF:
        return QRectF(0, 0, self.width, self.height)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.box(), self.height / 2, self.height / 2)
        return path

    def value_rect(self) -> QRectF:
        return self.box()

    def output_port(self) -> QPointF:
        return QPointF(self.width, self.height / 2)

    def port_at(self, pos: QPointF) -> tuple[str, int] | None:
        return None  # a chip has no ports: pressing it picks it up

    def _fit(self, number: str) -> None:
        """Size the chip for its number (and the text's size) and put it back on its port."""
        fonts = Fonts.get()
        width = max(CHIP_MIN_WIDTH, fonts.metrics.horizontalAdvance(number) + CHIP_PAD)
        width += OVER_PORT
        height = CHIP_HEIGHT * fonts.box_scale
        if width != self.width or height != self.height or self.rect().height() != height + 2:
            self.width, self.height = width, height
            self.setRect(QRectF(-1, -1, width + 2, height + 2))
        self.follow()

    def fit_text_size(self) -> None:
        self._fit(self._number)

    def dock(self, host: NodeItem, slot: int) -> None:
        """Sit on input ``slot`` of ``host`` from now on."""
        if self.host is not host:
            self.undock()
            host.chips.append(self)
        self.host, self.slot = host, slot
        self.follow()

    def undock(self) -> None:
        if self.host is not None and self in self.host.chips:
            self.host.chips.remove(self)
        self.host = None

    def follow(self) -> None:
        """Move onto the host's port (after the host moved, or the chip was dragged)."""
        host = self.host
        if host is None:
            return
        port = host.pos() + host.input_port(self.slot)
        self.setPos(port.x() + OVER_PORT - self.width, port.y() - self.height / 2)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.setZValue(CHIP_Z + (1.0 if value else 0.0))
            return value
        return QGraphicsItem.itemChange(self, change, value)

    # ------------------------------------------------------------------- texts
    def mark_stale(self, has_error: bool, is_output: bool, tooltip: str) -> bool:
        """A chip's size follows its number, so its text is made at once (chips are
        few), not when next drawn."""
        changed = super().mark_stale(has_error, is_output, tooltip)
        self._fresh()
        return changed

    def set_texts(
        self, title: str, symbol: str, value: str, grad: str, formula: str, number: str = ""
    ) -> None:
        super().set_texts(title, symbol, value, grad, formula, number)
        if not self._tooltip:  # an error's reason, when there is one, says more
            self.setToolTip(
                plain_tip(
                    f"{title} = {number}, a constant used once, shown on the port it "
                    "feeds. Double-click to change it; drag it away to show it as a box."
                )
            )
        if number != self._number:
            self._number = number
            self._fit(number)

    @property
    def number(self) -> str:
        self._fresh()
        return self._number

    # ------------------------------------------------------------------- paint
    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        look = Look.get()
        rect = self.box()
        if option.levelOfDetailFromTransform(painter.worldTransform()) < TEXT_LOD:
            painter.setPen(look.no_pen)
            painter.setBrush(self.block_color(look))
            painter.drawRect(rect)
            return
        self._fresh()
        selected = self.isSelected()
        border = look.highlight if selected else look.text
        if self.highlighted:
            border = look.red
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(border, 2.0 if (selected or self.highlighted) else 1.1))
        painter.setBrush(look.base)
        painter.drawRoundedRect(
            rect.adjusted(0.5, 0.5, -0.5, -0.5), self.height / 2, self.height / 2
        )
        painter.setFont(Fonts.get().body)
        painter.setPen(look.text)
        painter.drawText(
            rect.adjusted(0, 0, -OVER_PORT, 0), Qt.AlignmentFlag.AlignCenter, self._number
        )

    # ------------------------------------------------------------------- hover
    def hoverMoveEvent(self, event) -> None:
        pass  # the open hand says it all: drag it off, or double-click to edit

    def hoverLeaveEvent(self, event) -> None:
        pass
