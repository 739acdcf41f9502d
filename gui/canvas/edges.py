"""An edge on the canvas: the curve from a node's output port to another node's slot.

Edges are drawn by the scene (see ``GraphScene.drawBackground``); the item is kept
for hit-testing, selection and rubber bands.  The curve helpers below are plain
float arithmetic, as redrawing a dragged edge asks for them on every mouse move.
"""

from __future__ import annotations

import functools
import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPainterPathStroker, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QStyleOptionGraphicsItem,
    QWidget,
)

from dvar.gui.canvas.look import TEXT_LOD, Fonts, Look
from dvar.gui.canvas.nodes import PORT_RADIUS, NodeItem, metrics_of

#: A moved edge asks the scene to redraw small boxes along its curve, each about this
#: many scene units long ...
STRIP = 80.0
#: ... and at least this many screen pixels long, when the view is zoomed out.
STRIP_PIXELS = 96.0


class EdgeItem(QGraphicsRectItem):
    """A curve from a node's output port to another node's input slot.

    Forward: an arrowhead at the consumer.  Backward view: red, the arrow at the
    source (derivatives flow right to left), labelled with the local derivative.
    A rect item for the same reason as NodeItem: its rect is its bounds.
    """

    def __init__(
        self, source: NodeItem, consumer: NodeItem, slot: int, out: int | None = None
    ) -> None:
        super().__init__()
        self.setPen(Qt.PenStyle.NoPen)
        self.source, self.consumer, self.slot = source, consumer, slot
        #: The row of a group's box the edge leaves from (see groups.py); None for a node.
        self.out = out
        #: For an edge that ends at a group's box, its key in ``scene.group_edges``.
        self.link: tuple | None = None
        self.backward = False
        self.highlighted = False
        self.label = ""
        self._path = QPainterPath()
        self._shape: QPainterPath | None = None
        self._ends: tuple[QPointF, QPointF] | None = None
        #: What the last redraw asked for: ends, label, the part shown, and its strips.
        self._drawn: tuple | None = None
        self._bounds = QRectF()
        #: True while an end is moving: drawn over the cached background (see
        #: GraphScene.lift_edges), so each move repaints this edge alone.
        self.live = False
        self.setZValue(-1)
        # Edges are drawn by the scene's background layer, which the view caches: an
        # edit that only changes numbers repaints the nodes, never the (long) curves.
        # The item stays for hit-testing, selection and rubber bands.
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
        )
        self.adjust()

    def ends(self) -> tuple[QPointF, QPointF]:
        source = self.source
        return (
            source.mapToScene(
                source.output_port() if self.out is None else source.output_port(self.out)
            ),
            self.consumer.mapToScene(self.consumer.input_port(self.slot)),
        )

    def adjust(self) -> None:
        """Re-route after either end moved.  Everything paint needs is worked out here,
        once, rather than on every repaint."""
        start, end = self.ends()
        old = self._ends
        self._ends = (start, end)
        self._path = curve(start, end)
        self._shape = None
        # The curve leaves and enters horizontally, so the arrows point straight along x.
        gap = PORT_RADIUS + 1
        self._arrow_forward = arrowhead(QPointF(end.x() - gap, end.y()), 0.0)
        self._arrow_backward = arrowhead(QPointF(start.x() + gap, start.y()), 180.0)
        self._mid = curve_middle(start, end)
        self._bounds = self._path.boundingRect().adjusted(-12, -12, 12, 12)
        if self.label:
            self._label_box = label_box(self._mid, self.label)
            self._bounds = self._bounds.united(self._label_box.adjusted(-2, -2, 2, 2))
        self.setRect(self._bounds)
        self.redraw(old)

    def crosses(self, rect: QRectF) -> bool:
        """Whether anything drawn for this edge (its curve, arrowhead or label) reaches
        into ``rect``: not just its bounding box, but never less than what it paints, or
        a repaint of ``rect`` would wipe out the part left out."""
        if rect.contains(self._bounds):
            return True
        if not rect.intersects(self._bounds):
            return False
        if self._path.intersects(rect.adjusted(-4, -4, 4, 4)):
            return True
        arrow = self._arrow_backward if self.backward else self._arrow_forward
        if arrow.boundingRect().adjusted(-1, -1, 1, 1).intersects(rect):
            return True
        if self.label and self.backward:
            return self._label_box.adjusted(-1, -1, 1, 1).intersects(rect)
        return False

    def _strips(
        self,
        ends: tuple[QPointF, QPointF],
        label: str,
        seen: QRectF | None,
        spacing: float = STRIP,
    ) -> list[QRectF]:
        """Small boxes along the curve between ``ends`` (and round its label), about
        ``spacing`` long, those meeting ``seen`` (None: all): what to redraw when it
        changes.  A long edge's bounding box would cover half the canvas; these do not."""
        start, end = ends
        if seen is None:
            left, top, right, bottom = -math.inf, -math.inf, math.inf, math.inf
        else:
            left, top, right, bottom = seen.left(), seen.top(), seen.right(), seen.bottom()
        pad = 14.0
        strips = []
        points = curve_points(start.x(), start.y(), end.x(), end.y(), spacing)
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            low_x, high_x = (x0, x1) if x0 < x1 else (x1, x0)
            low_y, high_y = (y0, y1) if y0 < y1 else (y1, y0)
            if high_x + pad < left or low_x - pad > right:
                continue
            if high_y + pad < top or low_y - pad > bottom:
                continue
            strips.append(
                QRectF(low_x - pad, low_y - pad, high_x - low_x + 2 * pad, high_y - low_y + 2 * pad)
            )
        if label:
            strips.append(label_box(curve_middle(start, end), label, 2))
        return strips

    def setVisible(self, visible: bool) -> None:  # a picked-up edge hides while dragged
        super().setVisible(visible)
        self.redraw()

    def redraw(self, was: tuple[QPointF, QPointF] | None = None) -> None:
        """Ask the scene to draw this edge again (and to clear it from between ``was``,
        where its ends were): in the cached background layer, or over it while live."""
        scene = self.scene()
        if scene is None or getattr(scene, "bulk", False) or self._ends is None:
            return
        layer = (
            QGraphicsScene.SceneLayer.ForegroundLayer
            if self.live
            else QGraphicsScene.SceneLayer.BackgroundLayer
        )
        seen = scene.shown_rect()  # only what a view shows needs drawing again
        shown = None if seen is None else (seen.left(), seen.top(), seen.right(), seen.bottom())
        # Zoomed out, a strip of STRIP scene units is a few pixels: longer ones, fewer calls.
        spacing = max(STRIP, STRIP_PIXELS / scene.shown_scale())
        strips = self._strips(self._ends, self.label, seen, spacing)
        rects = list(strips)
        if was is not None:
            drawn = self._drawn
            if drawn is not None and drawn[0] == was and drawn[2] == shown:
                rects += drawn[3]  # worked out last time, when the edge was drawn there
            else:
                rects += self._strips(was, drawn[1] if drawn else self.label, seen, spacing)
        self._drawn = (self._ends, self.label, shown, strips)
        for rect in rects:
            scene.invalidate(rect, layer)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):
        if change in _REDRAW_ON:
            self.redraw()
        return super().itemChange(change, value)

    def set_style(self, backward: bool, label: str, highlighted: bool) -> None:
        if (backward, label, highlighted) != (self.backward, self.label, self.highlighted):
            self.backward, self.label, self.highlighted = backward, label, highlighted
            self.adjust()

    def shape(self) -> QPainterPath:
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(10)
            self._shape = stroker.createStroke(self._path)
        return self._shape

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        pass  # drawn by GraphScene.drawBackground (see draw)

    def draw(self, painter: QPainter, lod: float, look: Look) -> None:
        """Draw the edge: the curve, its arrowhead and, in the backward view, its label."""
        if self.isSelected():
            color, pen = look.edge_selected
        elif self.highlighted:
            color, pen = look.edge_highlighted
        else:
            color, pen = look.edge_backward if self.backward else look.edge_plain
        painter.setPen(pen)
        painter.setBrush(look.no_brush)
        painter.drawPath(self._path)
        if lod < TEXT_LOD:
            return
        painter.setPen(look.no_pen)
        painter.setBrush(color)
        painter.drawPolygon(self._arrow_backward if self.backward else self._arrow_forward)
        if self.label and self.backward:
            painter.setFont(Fonts.get().grad)
            painter.setBrush(look.base)
            pill = self._label_box
            painter.drawRoundedRect(pill, 6, 6)
            painter.setPen(look.ink_on(color, look.base))  # AA, even in the selection's blue
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, self.label)


_label_widths: dict[str, float] = {}
_label_fonts: list = [None]


def label_box(mid: QPointF, label: str, margin: float = 0.0) -> QRectF:
    """The pill an edge's label is drawn in, just above the curve's middle ``mid``: as
    wide and as tall as the label's text (which grows with the node text size), with
    ``margin`` more all round."""
    fonts = Fonts.get()
    if _label_fonts[0] is not fonts or len(_label_widths) > 20_000:  # other fonts, or old
        _label_fonts[0] = fonts
        _label_widths.clear()
    width = _label_widths.get(label)
    if width is None:
        width = _label_widths[label] = metrics_of(fonts.grad).horizontalAdvance(label) + 10
    height = metrics_of(fonts.grad).height() + 2
    return QRectF(
        mid.x() - width / 2 - margin,
        mid.y() - 4 - height - margin,
        width + 2 * margin,
        height + 2 * margin,
    )


_REDRAW_ON = frozenset(
    {
        QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged,
        QGraphicsItem.GraphicsItemChange.ItemSceneChange,  # leaving: clear it there
        QGraphicsItem.GraphicsItemChange.ItemSceneHasChanged,  # arriving: draw it
    }
)


def _reach(x0: float, x1: float) -> float:
    """How far the curve's control points sit right of its start and left of its end."""
    return max(40.0, abs(x1 - x0) * 0.5)


def _controls(start: QPointF, end: QPointF) -> tuple[QPointF, QPointF]:
    reach = _reach(start.x(), end.x())
    return QPointF(start.x() + reach, start.y()), QPointF(end.x() - reach, end.y())


def curve(start: QPointF, end: QPointF) -> QPainterPath:
    """A smooth S-curve leaving ``start`` to the right and entering ``end`` from the left."""
    path = QPainterPath(start)
    path.cubicTo(*_controls(start, end), end)
    return path


def curve_points(
    x0: float, y0: float, x1: float, y1: float, spacing: float = STRIP
) -> list[tuple[float, float]]:
    """Points (x, y) along ``curve`` from (x0, y0) to (x1, y1), about ``spacing`` apart.
    The Bézier formula in plain floats: redrawing a dragged edge asks for these on
    every mouse move, and Qt point objects would cost more than the arithmetic."""
    reach = _reach(x0, x1)
    c1, c2 = x0 + reach, x1 - reach  # the control points' x; their y are y0 and y1
    span = abs(x1 - x0) + abs(y1 - y0) + 2 * reach
    return [
        (a * x0 + b * c1 + c * c2 + d * x1, (a + b) * y0 + (c + d) * y1)
        for a, b, c, d in _bernstein(max(2, int(span // spacing)))
    ]


@functools.cache
def _bernstein(steps: int) -> tuple[tuple[float, float, float, float], ...]:
    """The cubic Bézier weights at t = 0, 1/steps, ..., 1."""
    weights = []
    for i in range(steps + 1):
        t = i / steps
        u = 1.0 - t
        weights.append((u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t))
    return tuple(weights)


def curve_middle(start: QPointF, end: QPointF) -> QPointF:
    """The point halfway along ``curve(start, end)`` (the Bézier at t = ½)."""
    return QPointF((start.x() + end.x()) / 2, (start.y() + end.y()) / 2)


def arrowhead(tip: QPointF, angle_degrees: float, size: float = 9.0) -> QPolygonF:
    """A filled triangle at ``tip`` pointing along ``angle_degrees`` (Qt's counter-clockwise)."""
    return _arrowhead_at_origin(angle_degrees, size).translated(tip)


@functools.cache
def _arrowhead_at_origin(angle_degrees: float, size: float) -> QPolygonF:
    """The arrowhead with its tip at (0, 0): every edge moves a copy of one of two
    (forward and backward), which costs a sixth of building it point by point."""
    angle = math.radians(angle_degrees)
    dx, dy = math.cos(angle), -math.sin(angle)
    back = QPointF(-dx * size, -dy * size)
    side = QPointF(-dy * size * 0.5, dx * size * 0.5)
    return QPolygonF([QPointF(0.0, 0.0), back + side, back - side])
