"""A node on the canvas: a box with its name, op, formula and value, derivative, and ports.

The item draws its own text in ``paint`` (no child text items), skips text that is
too small to read when zoomed out, and repaints only when its text changes.  A box
is ``WIDTH`` wide, or wider when its formula needs it (``width_for``): text is never
drawn outside it, and a formula is never cut short.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem, QStyleOptionGraphicsItem, QWidget

from dvar.gui.canvas.blocks import draw_block
from dvar.gui.canvas.look import TEXT_LOD, Fonts, Look
from dvar.gui.messages import plain_tip

if TYPE_CHECKING:
    from dvar.gui.canvas.chips import ChipItem
    from dvar.gui.canvas.edges import EdgeItem

WIDTH = 184.0
HEADER = 26.0
LINE = 22.0
HEIGHT = HEADER + 2 * LINE + 8.0
PORT_RADIUS = 5.5
GRID = 20.0
#: Where value and derivative text starts: clear of the input ports.
TEXT_LEFT = 16.0
#: A node's box, in item coordinates.
BOX = QRectF(0, 0, WIDTH, HEIGHT)
#: A node's box with its ports, in item coordinates.
BOUNDS = QRectF(-PORT_RADIUS - 2, -2, WIDTH + 2 * PORT_RADIUS + 4, HEIGHT + 4)
#: Room right of the text, before the box's edge and its output port.
TEXT_RIGHT = 10.0
#: What an error node says in its header besides its dashed border: a sign and words,
#: so that no one needs to tell its grey from another.
NO_VALUE, NO_DERIVATIVE = "⚠ no value", "⚠ no derivative"


def box_sizes() -> tuple[float, float, float]:
    """A box's header, line and whole height for the node text's size now: taller
    than ``HEADER``, ``LINE`` and ``HEIGHT`` when the text is larger (Fonts.box_scale)."""
    scale = Fonts.get().box_scale
    return HEADER * scale, LINE * scale, HEIGHT * scale


def width_for(head: str, grad: str) -> float:
    """How wide a box must be for its value line (``u = b·c``) and derivative line
    (``du``), each followed by a short number (`` = -88``), in the small font at
    least: ``WIDTH``, or more, in whole grid steps.  A line that fits is drawn in the
    regular font; a longer number makes the box grow when it is drawn (see
    ``NodeItem.needed_width``), which also makes up for this being an estimate.
    Node text set larger than usual (a preference, or a large system font) is there to
    be read: its boxes grow to fit it in the regular font, never falling back to the
    small one."""
    fonts = Fonts.get()
    widths = _widths(fonts.small if fonts.box_scale <= 1 else fonts.body)
    width = widths.__getitem__
    text = max(sum(map(width, head)), sum(map(width, grad)))
    return _grid_width(text + widths.short_number)


#: The number every box has room for.
SHORT_NUMBER = " = -88"


class _CharWidths(dict):
    """Each character's width in one font, measured once.  Summed, they estimate a
    line's width (kerning left out): a box's width is worked out for thousands of
    nodes at once when a file opens, and Qt's exact measure costs ten times more."""

    def __init__(self, font: QFont) -> None:
        super().__init__()
        self.font = font
        self.short_number = sum(map(self.__getitem__, SHORT_NUMBER))

    def __missing__(self, char: str) -> float:
        width = self[char] = metrics_of(self.font).horizontalAdvance(char)
        return width


_char_widths: dict[int, _CharWidths] = {}


def _widths(font: QFont) -> _CharWidths:
    made = _char_widths.get(id(font))
    if made is None or made.font is not font:
        made = _char_widths[id(font)] = _CharWidths(font)
    return made


#: Text drawn at another zoom can come out a few percent wider than measured (each
#: glyph is hinted to whole pixels at the size it is drawn), so a line counts as
#: fitting when it is this much narrower than its room.
SLACK = 1.06


def _grid_width(text: float) -> float:
    """The box width for a line of text this wide: WIDTH, or more in grid steps."""
    need = TEXT_LEFT + text * SLACK + TEXT_RIGHT
    if need <= WIDTH:
        return WIDTH
    return WIDTH + GRID * -(-(need - WIDTH) // GRID)


class NodeItem(QGraphicsRectItem):
    """A rounded box: name and op symbol, value, and the derivative in red.

    A rect item only for its bounds: Qt asks for them thousands of times per frame,
    and the base class answers without a call into Python.  ``paint`` draws it all.
    """

    #: The box's height (a chip's is smaller), its header's and a text line's, for
    #: node text at its usual size; ``fit_text_size`` sets them for the size now.
    height = HEIGHT
    header = HEADER
    line = LINE

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
        #: Practice: the marks of the node's hidden value and derivative cells (each a
        #: ``Mark`` or None), or None when nothing of it is hidden (see ``fill_texts``).
        self.marks: tuple | None = None
        #: The value line as a whole, and the one last painted (see ``_check_width``).
        self._full_line = self._shown_line = ""
        self.has_error = False
        self.is_output = False
        self.is_leaf = arity == 0
        self.highlighted = False
        #: Backward view: the node feeds several consumers, so its derivative is a sum.
        self.sum_badge = False
        self.valid_ports: set[int] = set()
        self.hover_port: tuple[str, int] | None = None
        self.edges: list[EdgeItem] = []
        #: Constants drawn as chips on this node's input ports (see chips.py).
        self.chips: list[ChipItem] = []
        #: The box's width: WIDTH, or more for a long formula (see ``set_width``).
        self.width = WIDTH
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setAcceptHoverEvents(True)
        self.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        self.snap = True
        sizes = box_sizes()
        if sizes != (HEADER, LINE, HEIGHT):
            self.header, self.line, self.height = sizes
            self.setRect(self._bounds(self.width))

    def fit_text_size(self) -> None:
        """The node text's size changed: make the box as tall as its text needs (the
        scene then fits its width, see ``GraphScene.fonts_changed``)."""
        sizes = box_sizes()
        if sizes != (self.header, self.line, self.height):
            self.header, self.line, self.height = sizes
            self.setRect(self._bounds(self.width))
            for edge in self.edges:
                edge.adjust()
            for chip in self.chips:
                chip.follow()

    # ---------------------------------------------------------------- geometry
    def box(self) -> QRectF:
        """The box, in item coordinates (without its ports)."""
        return QRectF(0, 0, self.width, self.height)

    def _bounds(self, width: float) -> QRectF:
        return QRectF(-PORT_RADIUS - 2, -2, width + 2 * PORT_RADIUS + 4, self.height + 4)

    def set_width(self, width: float) -> None:
        """Make the box this wide (its text needs it); edges follow the output port."""
        if width == self.width:
            return
        self.width = width
        self.setRect(self._bounds(width))
        for edge in self.edges:
            edge.adjust()

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(
            QRectF(-PORT_RADIUS, 0, self.width + 2 * PORT_RADIUS, self.height), 8, 8
        )
        return path

    def input_port(self, slot: int) -> QPointF:
        """Where the edge into operand ``slot`` ends, in item coordinates."""
        step = (self.height - self.header) / (self.arity + 1)
        return QPointF(0.0, self.header + step * (slot + 1))

    def output_port(self) -> QPointF:
        return QPointF(self.width, self.header + (self.height - self.header) / 2)

    def port_at(self, pos: QPointF) -> tuple[str, int] | None:
        """("in", slot) or ("out", 0) for a point (item coordinates) on a port, else None."""
        grab = PORT_RADIUS + 5
        if (pos - self.output_port()).manhattanLength() <= grab * 1.4:
            return ("out", 0)
        for slot in range(self.arity):
            if (pos - self.input_port(slot)).manhattanLength() <= grab * 1.4:
                if self.chips and any(chip.slot == slot for chip in self.chips):
                    return None  # the chip on it answers for this port
                return ("in", slot)
        return None

    def value_rect(self) -> QRectF:
        return QRectF(TEXT_LEFT, self.header + 2, self.width - TEXT_LEFT - 8, self.line)

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
            for chip in self.chips:
                chip.follow()
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

    def set_texts(
        self, title: str, symbol: str, value: str, grad: str, formula: str, number: str = ""
    ) -> None:
        """Store the texts to draw (called by the scene, on demand).  ``number`` is the
        value alone, as a chip shows it."""
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
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < TEXT_LOD:  # too small to read: a block, with text sized for the screen
            draw_block(painter, self, self.box(), lod, look)
            return
        self._fresh()
        width = self.width
        rect = self.box()
        base, text, border = look.base, look.text, self.border_color(look)
        pen = QPen(
            border, 2.6 if (self.isSelected() or self.is_output or self.highlighted) else 1.3
        )
        if self.has_error:
            pen.setStyle(Qt.PenStyle.DashLine)
            pen.setColor(look.error if not self.isSelected() else border)
        if self.highlighted:
            pen.setColor(look.red)
        painter.setPen(pen)
        painter.setBrush(base)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.drawRoundedRect(rect, 8, 8)

        header_height = self.header
        header = QRectF(0, 0, width, header_height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.header_fill(look))
        path = QPainterPath()
        path.addRoundedRect(header.adjusted(1, 1, -1, 0), 7, 7)
        path.addRect(QRectF(1, header_height / 2, width - 2, header_height / 2))
        path.setFillRule(Qt.FillRule.WindingFill)  # the overlap is filled, not cut out
        painter.drawPath(path.simplified())

        fonts = Fonts.get()
        muted = look.muted
        tag = ("output  " if self.is_output else "") + self.symbol
        tag_font = fonts.small if len(self.symbol) > 2 else fonts.title
        tag_room = metrics_of(tag_font).horizontalAdvance(tag) + 10
        if self.has_error:  # said in words, not only by the grey and the dashes
            tag_room = self._paint_error_mark(painter, look, header, tag_room)
        painter.setPen(muted if self.has_error else text)
        painter.setFont(fonts.title)
        painter.drawText(
            header.adjusted(10, 0, -tag_room - 4, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            metrics_of(fonts.title).elidedText(
                self.title, Qt.TextElideMode.ElideRight, max(width - tag_room - 14, 12)
            ),
        )
        painter.setFont(tag_font)
        painter.setPen(muted)
        painter.drawText(
            header.adjusted(0, 0, -10, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            tag,
        )

        value_mark = self.marks[0] if self.marks else None  # practice: green when right
        painter.setPen(mark_color(value_mark, look) or (muted if self.has_error else text))
        numbers = getattr(self.scene(), "show_numbers", True)
        room = width - TEXT_LEFT - TEXT_RIGHT
        line, font = self.value_line(numbers, room)
        font_of_value = font
        painter.setFont(font)
        painter.drawText(self.value_rect(), Qt.AlignmentFlag.AlignVCenter, line)
        if self._full_line != self._shown_line:  # a new text: does it still fit?
            self._check_width()
        if not numbers:
            self._paint_ports(painter, look)
            return
        grad_mark = self.marks[1] if self.marks else None
        painter.setPen(mark_color(grad_mark, look) or (look.red if not self.has_error else muted))
        grad, font = _fitted(self.grad_text, room, fonts.grad, metrics_of(fonts.grad))
        painter.setFont(font)
        grad_rect = QRectF(TEXT_LEFT, self.header + self.line + 2, room, self.line)
        painter.drawText(grad_rect, Qt.AlignmentFlag.AlignVCenter, grad)
        if self.marks:
            self._paint_cell(painter, look, self.marks[0], self.value_rect(), line, font_of_value)
            self._paint_cell(painter, look, grad_mark, grad_rect, grad, font)
        if self.sum_badge:
            self._paint_sum_badge(painter, look)
        self._paint_ports(painter, look)

    def _paint_cell(
        self, painter: QPainter, look: Look, mark, rect: QRectF, line: str, font
    ) -> None:
        """Practice: a box around a hidden cell's number (dashed while it waits for
        the cells it needs, red after a wrong answer); nothing once it is solved."""
        if mark is None or mark.solved:
            return
        metrics = metrics_of(font)
        start = metrics.horizontalAdvance(line[: len(line) - len(mark.text)])
        width = max(34.0, metrics.horizontalAdvance(mark.text) + 12)
        box = QRectF(rect.left() + start - 5, rect.top() + 2, width, rect.height() - 4)
        box.setRight(min(box.right(), self.width - 4))
        color = mark_color(mark, look) or look.highlight
        pen = QPen(color, 1.4)
        if mark.state == "waiting":
            pen.setColor(look.muted)
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(box, 4, 4)

    def needed_width(self) -> float:
        """The width the box needs for the texts it shows now: its width, or just
        enough more for a line that fits in neither the regular nor the small font (a
        long number) to fit in the small one."""
        fonts = Fonts.get()
        small = metrics_of(fonts.small)
        numbers = getattr(self.scene(), "show_numbers", True)
        room = self.width - TEXT_LEFT - TEXT_RIGHT
        width = self.width
        line, font = self.value_line(numbers, room)
        if font is fonts.small and line != self._full_line:
            width = max(width, _grid_width(small.horizontalAdvance(self._full_line)))
        if numbers:
            grad = self.grad_text
            if small.horizontalAdvance(grad) * SLACK > room:
                width = max(width, _grid_width(small.horizontalAdvance(grad)))
        return width

    def _check_width(self) -> None:
        """After painting new text: ask the scene to widen the box if the text did not
        fit (never while painting: the scene does it next, and the box is repainted)."""
        self._shown_line = self._full_line
        scene = self.scene()
        if scene is not None and self.needed_width() > self.width:
            scene.widen_later(self)

    def value_line(self, numbers: bool, room: float) -> tuple[str, QFont]:
        """The value line and its font, fitted into ``room``: ``u = b·c = 6``, or the
        formula alone in a blank diagram.  A nudge's ``u = 6 → 6.002`` follows the
        formula (``u = b·c = 6 → 6.002``) when that fits, even in the smaller font,
        and stands alone when it does not."""
        fonts = Fonts.get()
        line = self.formula_text if not numbers else (self.nudge_text or self.value_text)
        nudge = self.nudge_text if numbers else ""
        head = f"{self.state[0]} = " if self.state else ""
        formula = self.formula_text
        if nudge and not self.is_leaf and head and nudge.startswith(head) and formula:
            with_formula = f"{formula} = {nudge[len(head) :]}"
            if metrics_of(fonts.small).horizontalAdvance(with_formula) * SLACK <= room:
                line = with_formula
        self._full_line = line
        return _fitted(line, room, fonts.body, fonts.metrics)

    def error_mark(self) -> str:
        """What an error node's header says: it has no value, or a value but no
        derivative (a later node failed)."""
        return NO_VALUE if not self.state or self.state[2] is None else NO_DERIVATIVE

    def _paint_error_mark(self, painter: QPainter, look: Look, header: QRectF, room: float):
        """Write the error mark left of the op's symbol, if the header has room for
        it beside a short name; returns the room the header's right end now takes."""
        fonts = Fonts.get()
        mark = self.error_mark()
        metrics = metrics_of(fonts.small)
        if metrics.horizontalAdvance(mark) + room + 56 > self.width:
            mark = "⚠"  # a narrow box: the sign alone (the tooltip says why)
        wide = metrics.horizontalAdvance(mark) + 8
        painter.setFont(fonts.small)
        painter.setPen(look.text)
        painter.drawText(
            header.adjusted(0, 0, -room - 6, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
            mark,
        )
        return room + wide + 6

    def header_fill(self, look: Look) -> QColor:
        """The header's colour: the output's amber, the selection's, or the border's,
        faint over the base (opaque colours made once per palette)."""
        if self.is_output and not self.isSelected():
            return look.output_fill
        if self.isSelected():
            return look.selected_fill if not self.is_output else look.output_fill
        return look.header_fill

    def border_color(self, look: Look) -> QColor:
        if self.isSelected():
            return look.highlight
        return look.output if self.is_output else look.mid

    def block_color(self, look: Look) -> QColor:
        """The node's colour when drawn too small to read: a plain block."""
        return look.error if self.has_error else self.border_color(look)

    def set_sum_badge(self, on: bool) -> None:
        if on != self.sum_badge:
            self.sum_badge = on
            self.update()

    def _paint_sum_badge(self, painter: QPainter, look: Look) -> None:
        """A red Σ by the output port: dnode sums one term per consumer."""
        radius = 9 * self.line / LINE  # larger with larger text
        centre = QPointF(self.width - 9 - radius, self.header + self.line * 1.5 + 2)
        painter.setPen(QPen(look.red, 1.2))
        painter.setBrush(look.base)
        painter.drawEllipse(centre, radius, radius)
        painter.setFont(Fonts.get().title)
        painter.drawText(
            QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius),
            Qt.AlignmentFlag.AlignCenter,
            "Σ",
        )

    def _paint_ports(self, painter: QPainter, look: Look) -> None:
        ring = look.text
        painter.setPen(QPen(ring, 1.2))
        for slot in range(self.arity):
            valid = slot in self.valid_ports
            hovered = self.hover_port == ("in", slot)
            painter.setBrush(look.valid_port if valid else look.base)
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


#: Practice: a right answer's green, on a light and on a dark theme.
RIGHT = QColor("#2e7d32")
RIGHT_DARK_MODE = QColor("#81c784")


def mark_color(mark, look: Look) -> QColor | None:
    """The colour of a practice cell's text: green when right, red when wrong, muted
    when given away; None for the usual colour."""
    if mark is None:
        return None
    if mark.state == "right":
        return RIGHT_DARK_MODE if look.dark else RIGHT
    if mark.state == "wrong":
        return ERROR_MARK_DARK_MODE if look.dark else ERROR_MARK
    if mark.state == "revealed":
        return look.muted
    return None


#: Practice: a wrong answer's colour (an orange-red, apart from the derivatives' red).
ERROR_MARK = QColor("#d84315")
ERROR_MARK_DARK_MODE = QColor("#ff8a65")


_made_metrics: dict[int, tuple[QFont, QFontMetricsF]] = {}


def metrics_of(font: QFont) -> QFontMetricsF:
    """Metrics for one of the ``Fonts`` (made once per font)."""
    made = _made_metrics.get(id(font))
    if made is None or made[0] is not font:
        made = _made_metrics[id(font)] = (font, QFontMetricsF(font))
    return made[1]


def _fitted(text: str, room: float, font: QFont, metrics: QFontMetricsF) -> tuple[str, QFont]:
    """``text`` in ``font`` if it fits in ``room``, else in the small font; cut short
    (…) only if even that is too wide, which a box made wide enough never needs."""
    if metrics.horizontalAdvance(text) * SLACK <= room:
        return text, font
    fonts = Fonts.get()
    return (
        metrics_of(fonts.small).elidedText(text, Qt.TextElideMode.ElideRight, room / SLACK),
        fonts.small,
    )
