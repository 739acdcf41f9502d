"""How the canvas looks: its colours, pens and fonts, made once per palette.

Nodes, edges, overviews and exports all draw with these; ``is_dark`` tells a dark
system scheme from a light one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontInfo, QFontMetricsF, QPalette, QPen
from PySide6.QtWidgets import QApplication

#: Below this zoom a node's own text would be too small to read (its body text is
#: 14 px at 100 %, so 8.4 px here, and its small print 6.6 px): it is drawn as a block
#: with text sized for the screen instead (see ``blocks``), and edges lose their labels.
TEXT_LOD = 0.6
#: Text is measured at this size in pixels and scaled: widths grow with the size.
REFERENCE_PX = 100

#: The lecture's red, for derivatives; backward edges use it too.
RED = QColor("#c62828")
RED_DARK_MODE = QColor("#ff6b6b")
ERROR = QColor("#9e9e9e")
OUTPUT = QColor("#f9a825")
VALID_PORT = QColor("#2e7d32")
#: Paper in black and white (worksheets): derivatives, marks and the output in dark ink.
INK = QColor("#1a1a1a")


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

    def __init__(self, palette: QPalette, ink: bool = False) -> None:
        role = QPalette.ColorRole
        self.key = palette.cacheKey()
        self.base = palette.color(role.Base)
        self.text = palette.color(role.Text)
        self.mid = palette.color(role.Mid)
        self.highlight = INK if ink else palette.color(role.Highlight)
        self.muted = palette.color(role.PlaceholderText)
        self.red = INK if ink else RED_DARK_MODE if _is_dark(palette) else RED
        self.output = INK if ink else OUTPUT
        self.no_pen = QPen(Qt.PenStyle.NoPen)
        self.no_brush = QBrush(Qt.BrushStyle.NoBrush)

        def edge(color: QColor, width: float) -> tuple[QColor, QPen]:
            return color, QPen(color, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)

        self._tints: dict[int, QColor] = {}

        self.edge_plain = edge(self.text, 1.5)
        self.edge_backward = edge(self.red, 1.5)
        self.edge_highlighted = edge(self.red, 2.8)
        self.edge_selected = edge(self.highlight, 2.8)

    def tint(self, color: QColor) -> QColor:
        """``color`` mixed into the base: a zoomed-out block's fill, light (or, in a dark
        scheme, dark) enough for text on it."""
        made = self._tints.get(color.rgba())
        if made is None:
            base, share = self.base, 0.3

            def mix(ours: int, theirs: int) -> int:
                return round(ours + (theirs - ours) * share)

            made = QColor(
                mix(base.red(), color.red()),
                mix(base.green(), color.green()),
                mix(base.blue(), color.blue()),
            )
            self._tints[color.rgba()] = made
        return made

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
        self._sized: dict[tuple[str, int], QFont] = {}
        self._unit: dict[str, tuple[QFontMetricsF, float]] = {}

    def sized(self, kind: str, pixels: int) -> QFont:
        """The font ``kind`` ("title", "body", "grad" or "small") at ``pixels`` pixels
        (in the painter's units: scene units on the canvas), made once."""
        font = self._sized.get((kind, pixels))
        if font is None:
            font = QFont(getattr(self, kind))
            font.setPixelSize(pixels)
            self._sized[(kind, pixels)] = font
        return font

    def advance(self, kind: str, text: str) -> float:
        """The width of ``text`` in the font ``kind`` at a size of one pixel."""
        unit = self._unit.get(kind)
        if unit is None:
            metrics = QFontMetricsF(self.sized(kind, REFERENCE_PX))
            unit = self._unit[kind] = (metrics, 1.0 / REFERENCE_PX)
        return unit[0].horizontalAdvance(text) * unit[1]

    @classmethod
    def get(cls) -> Fonts:
        if cls._made is None:
            cls._made = Fonts()
        return cls._made
