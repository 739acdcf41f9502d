"""What the canvas draws: node boxes and the edges between their ports.

Items draw their own text in ``paint`` (no child text items), skip text that is
too small to read when zoomed out, and repaint only when their text changes.
"""

from __future__ import annotations

import functools
import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontInfo,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QStyleOptionGraphicsItem,
    QWidget,
)

from dvar.gui.messages import plain_tip

WIDTH = 184.0
HEADER = 26.0
LINE = 22.0
HEIGHT = HEADER + 2 * LINE + 8.0
PORT_RADIUS = 5.5
GRID = 20.0
#: Where value and derivative text starts: clear of the input ports.
TEXT_LEFT = 16.0
#: Below this zoom, text is too small to read and is not drawn.
TEXT_LOD = 0.3
#: A node's box, in item coordinates.
BOX = QRectF(0, 0, WIDTH, HEIGHT)
#: A node's box with its ports, in item coordinates.
BOUNDS = QRectF(-PORT_RADIUS - 2, -2, WIDTH + 2 * PORT_RADIUS + 4, HEIGHT + 4)

#: The lecture's red, for derivatives; backward edges use it too.
RED = QColor("#c62828")
RED_DARK_MODE = QColor("#ff6b6b")
ERROR = QColor("#9e9e9e")
OUTPUT = QColor("#f9a825")
VALID_PORT = QColor("#2e7d32")


def is_dark() -> bool:
    """True when the system palette is a dark scheme."""
    return _is_dark(QApplication.palette())


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def derivative_color() -> QColor:
    return Look.get().red


class Look:
    """The colours and pens items draw with, made once per palette: looking them up
    for every item on every frame costs more than drawing a plain block."""

    _made: Look | None = None

    def __init__(self, palette: QPalette) -> None:
        role = QPalette.ColorRole
        self.key = palette.cacheKey()
        self.base = palette.color(role.Base)
        self.text = palette.color(role.Text)
        self.mid = palette.color(role.Mid)
        self.highlight = palette.color(role.Highlight)
        self.muted = palette.color(role.PlaceholderText)
        self.red = RED_DARK_MODE if _is_dark(palette) else RED
        self.no_pen = QPen(Qt.PenStyle.NoPen)
        self.no_brush = QBrush(Qt.BrushStyle.NoBrush)

        def edge(color: QColor, width: float) -> tuple[QColor, QPen]:
            return color, QPen(color, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)

        self.edge_plain = edge(self.text, 1.5)
        self.edge_backward = edge(self.red, 1.5)
        self.edge_highlighted = edge(self.red, 2.8)
        self.edge_selected = edge(self.highlight, 2.8)

    @classmethod
    def get(cls) -> Look:
        palette = QApplication.palette()
        if cls._made is None or cls._made.key != palette.cacheKey():
            cls._made = Look(palette)
        return cls._made


class Fonts:
    """The fonts items draw with, made once."""

    _made: Fonts | None = None

    def __init__(self) -> None:
        base = QFont(QApplication.font())
        # Name the family that is really used (e.g. "DejaVu Sans"), not an alias such
        # as "Sans Serif": exported SVG files name it, and other viewers must know it.
        base.setFamily(QFontInfo(base).family())
        base.setPointSizeF(max(10.5, base.pointSizeF()))
        self.title = QFont(base)
        self.title.setBold(True)
        self.body = QFont(base)
        self.grad = QFont(base)
        self.grad.setItalic(True)  # a cue besides colour, for colour-blind readers
        self.small = QFont(base)
        self.small.setPointSizeF(base.pointSizeF() * 0.8)
        self.metrics = QFontMetricsF(self.body)

    @classmethod
    def get(cls) -> Fonts:
        if cls._made is None:
            cls._made = Fonts()
        return cls._made


class NodeItem(QGraphicsRectItem):
    """A rounded box: name and op symbol, value, and the derivative in red.

    A rect item only for its bounds: Qt asks for them thousands of times per frame,
    and the base class answers without a call into Python.  ``paint`` draws it all.
    """

    def __init__(self, key: int, arity: int) -> None:
        super().__init__(BOUNDS)
        self.setPen(Qt.PenStyle.NoPen)
        self.key = key
        self.arity = arity
        self.state: tuple = ()  # what the texts were made from, to skip needless updates
        # Texts are made on demand (when painted or read) from ``state``: an edit that
        # changes thousands of values formats only the nodes that are on screen.
        self._title = self._symbol = self._value_text = self._grad_text = ""
        self._formula_text = ""  # "u = b × c": shown instead of the numbers in a blank diagram
        self._stale = False
        self._tooltip = ""
        self.nudge_text = ""
        self.has_error = False
        self.is_output = False
        self.is_leaf = arity == 0
        self.highlighted = False
        #: Backward view: the node feeds several consumers, so its derivative is a sum.
        self.sum_badge = False
        self.valid_ports: set[int] = set()
        self.hover_port: tuple[str, int] | None = None
        self.edges: list[EdgeItem] = []
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        self.snap = True

    # ---------------------------------------------------------------- geometry
    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(QRectF(-PORT_RADIUS, 0, WIDTH + 2 * PORT_RADIUS, HEIGHT), 8, 8)
        return path

    def input_port(self, slot: int) -> QPointF:
        """Where the edge into operand ``slot`` ends, in item coordinates."""
        step = (HEIGHT - HEADER) / (self.arity + 1)
        return QPointF(0.0, HEADER + step * (slot + 1))

    def output_port(self) -> QPointF:
        return QPointF(WIDTH, HEADER + (HEIGHT - HEADER) / 2)

    def port_at(self, pos: QPointF) -> tuple[str, int] | None:
        """("in", slot) or ("out", 0) for a point (item coordinates) on a port, else None."""
        grab = PORT_RADIUS + 5
        if (pos - self.output_port()).manhattanLength() <= grab * 1.4:
            return ("out", 0)
        for slot in range(self.arity):
            if (pos - self.input_port(slot)).manhattanLength() <= grab * 1.4:
                return ("in", slot)
        return None

    def value_rect(self) -> QRectF:
        return QRectF(TEXT_LEFT, HEADER + 2, WIDTH - TEXT_LEFT - 8, LINE)

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange and self.snap:
            return QPointF(round(value.x() / GRID) * GRID, round(value.y() / GRID) * GRID)
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.setZValue(1.0 if value else 0.0)  # a picked node is drawn above the rest
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            scene = self.scene()
            if scene is not None and self.edges:
                scene.lift_edges(self.edges)
            for edge in self.edges:
                edge.adjust()
        return super().itemChange(change, value)

    # ------------------------------------------------------------------- texts
    def mark_stale(self, has_error: bool, is_output: bool, tooltip: str) -> bool:
        """The node's numbers changed: remake the texts when next needed.  Says whether
        its look without text (a block's colour) changed too; the caller repaints."""
        block = (self.has_error, self.is_output)
        self.has_error, self.is_output = has_error, is_output
        if tooltip != self._tooltip:
            self._tooltip = tooltip
            self.setToolTip(plain_tip(tooltip))
        self._stale = True
        return block != (has_error, is_output)

    def _fresh(self) -> None:
        if self._stale:
            self._stale = False
            scene = self.scene()
            if scene is not None:
                scene.fill_texts(self)

    def set_texts(self, title: str, symbol: str, value: str, grad: str, formula: str) -> None:
        """Store the texts to draw (called by the scene, on demand)."""
        self._title, self._symbol, self._value_text = title, symbol, value
        self._grad_text, self._formula_text = grad, formula

    @property
    def title(self) -> str:
        self._fresh()
        return self._title

    @property
    def symbol(self) -> str:
        self._fresh()
        return self._symbol

    @property
    def value_text(self) -> str:
        self._fresh()
        return self._value_text

    @property
    def grad_text(self) -> str:
        self._fresh()
        return self._grad_text

    @property
    def formula_text(self) -> str:
        self._fresh()
        return self._formula_text

    def set_current(self, on: bool) -> None:
        """Mark the node the step-through is at."""
        if on != self.highlighted:
            self.highlighted = on
            self.update()

    def set_nudge(self, text: str) -> None:
        if text != self.nudge_text:
            self.nudge_text = text
            self.update()

    # ------------------------------------------------------------------- paint
    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        look = Look.get()
        if option.levelOfDetailFromTransform(painter.worldTransform()) < TEXT_LOD:
            painter.setPen(look.no_pen)  # too small to read: a solid block
            painter.setBrush(self.block_color(look))
            painter.drawRect(BOX)
            return
        self._fresh()
        rect = BOX
        base, text, border = look.base, look.text, self.border_color(look)
        pen = QPen(
            border, 2.6 if (self.isSelected() or self.is_output or self.highlighted) else 1.3
        )
        if self.has_error:
            pen.setStyle(Qt.PenStyle.DashLine)
            pen.setColor(ERROR if not self.isSelected() else border)
        if self.highlighted:
            pen.setColor(look.red)
        painter.setPen(pen)
        painter.setBrush(base)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.drawRoundedRect(rect, 8, 8)

        header = QRectF(0, 0, WIDTH, HEADER)
        fill = QColor(OUTPUT if self.is_output else border)
        fill.setAlpha(70 if self.is_output else 40)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        path = QPainterPath()
        path.addRoundedRect(header.adjusted(1, 1, -1, 0), 7, 7)
        path.addRect(QRectF(1, HEADER / 2, WIDTH - 2, HEADER / 2))
        path.setFillRule(Qt.FillRule.WindingFill)  # the overlap is filled, not cut out
        painter.drawPath(path.simplified())

        fonts = Fonts.get()
        muted = look.muted
        painter.setPen(muted if self.has_error else text)
        painter.setFont(fonts.title)
        painter.drawText(
            header.adjusted(10, 0, -50, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            fonts.metrics.elidedText(self.title, Qt.TextElideMode.ElideRight, WIDTH - 60),
        )
        painter.setFont(fonts.small if len(self.symbol) > 2 else fonts.title)
        painter.setPen(muted)
        painter.drawText(
            header.adjusted(0, 0, -10, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            ("output  " if self.is_output else "") + self.symbol,
        )

        painter.setFont(fonts.body)
        painter.setPen(muted if self.has_error else text)
        numbers = getattr(self.scene(), "show_numbers", True)
        value_line = (self.nudge_text or self.value_text) if numbers else self.formula_text
        painter.drawText(
            self.value_rect(),
            Qt.AlignmentFlag.AlignVCenter,
            fonts.metrics.elidedText(
                value_line, Qt.TextElideMode.ElideRight, WIDTH - TEXT_LEFT - 8
            ),
        )
        if not numbers:
            self._paint_ports(painter, look)
            return
        painter.setFont(fonts.grad)
        painter.setPen(look.red if not self.has_error else muted)
        painter.drawText(
            QRectF(TEXT_LEFT, HEADER + LINE + 2, WIDTH - TEXT_LEFT - 8, LINE),
            Qt.AlignmentFlag.AlignVCenter,
            fonts.metrics.elidedText(
                self.grad_text, Qt.TextElideMode.ElideRight, WIDTH - TEXT_LEFT - 8
            ),
        )
        if self.sum_badge:
            self._paint_sum_badge(painter, look)
        self._paint_ports(painter, look)

    def border_color(self, look: Look) -> QColor:
        if self.isSelected():
            return look.highlight
        return OUTPUT if self.is_output else look.mid

    def block_color(self, look: Look) -> QColor:
        """The node's colour when drawn too small to read: a plain block."""
        return ERROR if self.has_error else self.border_color(look)

    def set_sum_badge(self, on: bool) -> None:
        if on != self.sum_badge:
            self.sum_badge = on
            self.update()

    def _paint_sum_badge(self, painter: QPainter, look: Look) -> None:
        """A red Σ by the output port: dnode sums one term per consumer."""
        centre = QPointF(WIDTH - 18, HEADER + LINE * 1.5 + 2)
        painter.setPen(QPen(look.red, 1.2))
        painter.setBrush(look.base)
        painter.drawEllipse(centre, 9, 9)
        painter.setFont(Fonts.get().title)
        painter.drawText(
            QRectF(centre.x() - 9, centre.y() - 9, 18, 18), Qt.AlignmentFlag.AlignCenter, "Σ"
        )

    def _paint_ports(self, painter: QPainter, look: Look) -> None:
        ring = look.text
        painter.setPen(QPen(ring, 1.2))
        for slot in range(self.arity):
            valid = slot in self.valid_ports
            hovered = self.hover_port == ("in", slot)
            painter.setBrush(VALID_PORT if valid else look.base)
            radius = PORT_RADIUS + (2 if hovered or valid else 0)
            painter.drawEllipse(self.input_port(slot), radius, radius)
        hovered = self.hover_port == ("out", 0)
        painter.setBrush(ring)
        radius = PORT_RADIUS + (2 if hovered else 0)
        painter.drawEllipse(self.output_port(), radius, radius)

    # ------------------------------------------------------------------- hover
    def hoverMoveEvent(self, event) -> None:
        port = self.port_at(event.pos())
        if port != self.hover_port:
            self.hover_port = port
            self.setCursor(Qt.CursorShape.CrossCursor if port else Qt.CursorShape.ArrowCursor)
            self.update()

    def hoverLeaveEvent(self, event) -> None:
        if self.hover_port is not None:
            self.hover_port = None
            self.update()
        self.unsetCursor()


class EdgeItem(QGraphicsRectItem):
    """A curve from a node's output port to another node's input slot.

    Forward: an arrowhead at the consumer.  Backward view: red, the arrow at the
    source (derivatives flow right to left), labelled with the local derivative.
    A rect item for the same reason as NodeItem: its rect is its bounds.
    """

    def __init__(self, source: NodeItem, consumer: NodeItem, slot: int) -> None:
        super().__init__()
        self.setPen(Qt.PenStyle.NoPen)
        self.source, self.consumer, self.slot = source, consumer, slot
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
        return (
            self.source.mapToScene(self.source.output_port()),
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
            mid = self._mid
            self._bounds = self._bounds.united(QRectF(mid.x() - 40, mid.y() - 24, 80, 26))
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
            mid = self._mid
            return QRectF(mid.x() - 41, mid.y() - 23, 82, 20).intersects(rect)
        return False

    def _strips(
        self, ends: tuple[QPointF, QPointF], label: str, seen: QRectF | None
    ) -> list[QRectF]:
        """Small boxes along the curve between ``ends`` (and round its label), those
        meeting ``seen`` (None: all): what to redraw when it changes.  A long edge's
        bounding box would cover half the canvas; these do not."""
        start, end = ends
        if seen is None:
            left, top, right, bottom = -math.inf, -math.inf, math.inf, math.inf
        else:
            left, top, right, bottom = seen.left(), seen.top(), seen.right(), seen.bottom()
        pad = 14.0
        strips = []
        points = curve_points(start.x(), start.y(), end.x(), end.y())
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
            mid = curve_middle(start, end)
            strips.append(QRectF(mid.x() - 40, mid.y() - 24, 80, 26))
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
        strips = self._strips(self._ends, self.label, seen)
        rects = list(strips)
        if was is not None:
            drawn = self._drawn
            if drawn is not None and drawn[0] == was and drawn[2] == shown:
                rects += drawn[3]  # worked out last time, when the edge was drawn there
            else:
                rects += self._strips(was, drawn[1] if drawn else self.label, seen)
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
            mid = self._mid
            fonts = Fonts.get()
            painter.setFont(fonts.grad)
            box = QRectF(mid.x() - 40, mid.y() - 22, 80, 18)
            painter.setBrush(look.base)
            text_width = fonts.metrics.horizontalAdvance(self.label) + 10
            pill = QRectF(mid.x() - text_width / 2, box.top(), text_width, 18)
            painter.drawRoundedRect(pill, 6, 6)
            painter.setPen(color)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.label)


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
    x0: float, y0: float, x1: float, y1: float, spacing: float = 80.0
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
    angle = math.radians(angle_degrees)
    dx, dy = math.cos(angle), -math.sin(angle)
    back = QPointF(tip.x() - dx * size, tip.y() - dy * size)
    side = QPointF(-dy * size * 0.5, dx * size * 0.5)
    return QPolygonF([tip, back + side, back - side])
