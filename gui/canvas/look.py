"""How the canvas looks: its colours, pens and fonts, made once per palette.

Nodes, edges, overviews and exports all draw with these; ``is_dark`` tells a dark
system scheme from a light one, ``is_high_contrast`` the high-contrast theme.
Every text colour here is chosen (or darkened, see ``readable``) to meet WCAG AA
(4.5:1) on what it is drawn on; ``contrast`` is the WCAG ratio the tests check.
Node text follows the application's font (the system's size) times the node
text size a person chose (``set_text_scale``, Ctrl+= and Ctrl+-).
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

#: The high-contrast theme (Preferences → Theme): white text on black, a cyan
#: selection, amber for the output, a light red for derivatives.  Every text colour
#: reaches 7:1 (WCAG AAA) on the black; ``is_high_contrast`` knows the palette by
#: its base, text and highlight.
CONTRAST = {
    "base": "#000000",
    "window": "#000000",
    "alternate": "#141414",
    "text": "#ffffff",
    "muted": "#d4d4d4",
    "disabled": "#a6a6a6",
    "mid": "#a0a0a0",
    "highlight": "#1aebff",
    "highlighted_text": "#000000",
    "link": "#ffff00",
    "visited": "#e6a8ff",
    "red": "#ff8a80",
    "error": "#c8c8c8",
    "output": "#ffc107",
    "valid_port": "#00e676",
}
RED_HIGH_CONTRAST = QColor(CONTRAST["red"])
#: The error border on a light base: grey, but dark enough to see (3:1 at least).
ERROR_LIGHT_MODE = QColor("#757575")
#: The least WCAG contrast for text (AA), and for borders and other shapes.
AA_TEXT = 4.5
AA_SHAPE = 3.0


def luminance(color: QColor) -> float:
    """The WCAG relative luminance of an opaque colour (0 black, 1 white)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two opaque colours, from 1 (the same) to 21."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def over(color: QColor, base: QColor) -> QColor:
    """``color`` (with its alpha) painted over the opaque ``base``: what the eye sees."""
    share = color.alphaF()

    def mix(ours: int, theirs: int) -> int:
        return round(theirs + (ours - theirs) * share)

    return QColor(
        mix(color.red(), base.red()),
        mix(color.green(), base.green()),
        mix(color.blue(), base.blue()),
    )


def readable(color: QColor, grounds: list[QColor], toward: QColor, least: float = AA_TEXT):
    """``color``, moved toward ``toward`` (the text colour) in small steps until it
    reaches ``least`` contrast on every one of ``grounds``: a grey that is too pale
    for text becomes one just dark enough."""
    made = QColor(color)
    for step in range(1, 21):
        if all(contrast(made, ground) >= least for ground in grounds):
            return made
        made = _mixed(color, toward, step / 20)
    return made


def _mixed(ours: QColor, theirs: QColor, share: float) -> QColor:
    """``ours`` moved ``share`` of the way to ``theirs``."""

    def mix(a: int, b: int) -> int:
        return round(a + (b - a) * share)

    return QColor(
        mix(ours.red(), theirs.red()),
        mix(ours.green(), theirs.green()),
        mix(ours.blue(), theirs.blue()),
    )


def is_dark() -> bool:
    """True when the system palette is a dark scheme."""
    return _is_dark(QApplication.palette())


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def is_high_contrast(palette: QPalette | None = None) -> bool:
    """True when ``palette`` (default: the application's) is the high-contrast theme's."""
    palette = QApplication.palette() if palette is None else palette
    role = QPalette.ColorRole
    return (
        palette.color(role.Base).name() == CONTRAST["base"]
        and palette.color(role.Text).name() == CONTRAST["text"]
        and palette.color(role.Highlight).name() == CONTRAST["highlight"]
    )


def derivative_color() -> QColor:
    return Look.get().red


def _alpha(color: QColor, alpha: int) -> QColor:
    made = QColor(color)
    made.setAlpha(alpha)
    return made


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
        self.dark = _is_dark(palette)
        self.high_contrast = high = is_high_contrast(palette)
        red = RED_HIGH_CONTRAST if high else RED_DARK_MODE if self.dark else RED
        self.red = INK if ink else readable(red, [self.base], self.text)  # any system base
        self.output = INK if ink else QColor(CONTRAST["output"]) if high else OUTPUT
        #: An error's dashed border, and a port a dragged edge may end on.
        self.error = QColor(CONTRAST["error"]) if high else ERROR if self.dark else ERROR_LIGHT_MODE
        self.valid_port = QColor(CONTRAST["valid_port"]) if high else VALID_PORT
        #: A header's fill: the border's colour (or the output's amber) over the base.
        self.header_fill = over(_alpha(self.mid, 40), self.base)
        self.output_fill = over(_alpha(self.output, 70), self.base)
        self.selected_fill = over(_alpha(self.highlight, 40), self.base)
        #: Quiet text (an op's symbol, an error's numbers): the palette's placeholder
        #: colour, darkened (or lightened) until it reads on every header (AA).
        grounds = [self.base, self.header_fill, self.output_fill, self.selected_fill]
        placeholder = over(palette.color(role.PlaceholderText), self.base)
        self.muted = readable(placeholder, grounds, self.text)
        self.no_pen = QPen(Qt.PenStyle.NoPen)
        self.no_brush = QBrush(Qt.BrushStyle.NoBrush)

        def edge(color: QColor, width: float) -> tuple[QColor, QPen]:
            return color, QPen(color, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)

        self._tints: dict[int, QColor] = {}
        self._inks: dict[tuple[int, int], QColor] = {}

        self.edge_plain = edge(self.text, 1.5)
        self.edge_backward = edge(self.red, 1.5)
        self.edge_highlighted = edge(self.red, 2.8)
        self.edge_selected = edge(self.highlight, 2.8)

    def ink_on(self, ink: QColor, ground: QColor) -> QColor:
        """``ink``, or the nearest colour toward the text colour that reads on
        ``ground`` at WCAG AA: text on a block's tint, a label in the selection's blue."""
        key = (ink.rgba(), ground.rgba())
        made = self._inks.get(key)
        if made is None:
            made = self._inks[key] = readable(ink, [ground], self.text)
        return made

    def tint(self, color: QColor) -> QColor:
        """``color`` mixed into the base: a zoomed-out block's fill, light (or, in a dark
        scheme, dark) enough for text on it."""
        made = self._tints.get(color.rgba())
        if made is None:
            made = self._tints[color.rgba()] = _mixed(self.base, color, 0.3)
        return made

    @classmethod
    def get(cls) -> Look:
        palette = QApplication.palette()
        if cls._made is None or cls._made.key != palette.cacheKey():
            cls._made = Look(palette)
        return cls._made


#: The node text sizes Ctrl+= and Ctrl+- step through, in percent of the usual.
TEXT_SIZES = (70, 80, 90, 100, 110, 125, 150, 175, 200)
#: The point size node text is drawn at, at 100 %, when the system's font is smaller:
#: 14 px on a 96 dpi screen, the size the boxes were drawn for.
USUAL_POINTS = 10.5


def set_text_scale(scale: float) -> None:
    """Draw node text at ``scale`` times its usual size from now on (a preference);
    scenes then resize their boxes (``GraphScene.fonts_changed``)."""
    Fonts.scale = scale
    Fonts._made = None


class Fonts:
    """The fonts items draw with, made once (and again when the application's font or
    the node text size changes: ``reset``).

    Their size is the application's font (the system's, at least ``USUAL_POINTS``)
    times ``scale``, the node text size a person chose.  ``box_scale`` is how much
    larger than at 100 % on a usual font the text is: boxes grow by it.
    """

    _made: Fonts | None = None
    #: The chosen node text size, as a multiple of the usual (``set_text_scale``).
    scale = 1.0

    def __init__(self) -> None:
        base = QFont(QApplication.font())
        # Name the family that is really used (e.g. "DejaVu Sans"), not an alias such
        # as "Sans Serif": exported SVG files name it, and other viewers must know it.
        base.setFamily(QFontInfo(base).family())
        points = max(USUAL_POINTS, _points(base))
        base.setPointSizeF(points * self.scale)
        #: How much larger than usual node text is: boxes are this much taller.
        self.box_scale = points * self.scale / USUAL_POINTS
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

    @classmethod
    def reset(cls) -> None:
        """The application's font changed: make the fonts again when next asked."""
        cls._made = None


def _points(font: QFont) -> float:
    """A font's size in points (one set in pixels is converted at 96 dpi)."""
    if font.pointSizeF() > 0:
        return font.pointSizeF()
    return font.pixelSize() * 72 / 96
