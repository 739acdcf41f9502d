"""Toolbar icons: dvar's own line drawings in ``resources/icons``, drawn in the theme's colours.

Each icon is an SVG that strokes and fills with ``currentColor``.  :func:`themed_icon`
renders it in the palette's text colour (a dimmed one when the action is disabled,
the highlight colour when a checkable action is on), so the same file reads on a
light and on a dark theme.  The window renders its icons again whenever the theme
changes.

The icon draws its SVG at whatever size and device pixel ratio is asked for
(:class:`SvgIcon`), so it is crisp at ``QT_SCALE_FACTOR=2`` or 3, on any screen,
never a small bitmap scaled up; the usual sizes are kept once drawn.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from dvar.gui.canvas.look import contrast as _contrast

#: The sizes rendered (in device pixels): menus, toolbars, and twice each for HiDPI.
SIZES = (16, 24, 32, 48)

_Mode, _State = QIcon.Mode, QIcon.State
_Group, _Role = QPalette.ColorGroup, QPalette.ColorRole


@cache
def icon_source(name: str) -> bytes:
    """The SVG text of ``resources/icons/<name>.svg``."""
    return resources.files("dvar.resources.icons").joinpath(f"{name}.svg").read_bytes()


def has_icon(name: str) -> bool:
    return resources.files("dvar.resources.icons").joinpath(f"{name}.svg").is_file()


def render(name: str, color: QColor, sizes: tuple[int, ...] = SIZES) -> list[QPixmap]:
    """The icon drawn in ``color`` on transparent squares of each of ``sizes`` pixels."""
    svg = icon_source(name).replace(b"currentColor", color.name().encode("ascii"))
    renderer = QSvgRenderer(QByteArray(svg))
    pixmaps = []
    for size in sizes:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setOpacity(color.alphaF())  # an SVG colour has no alpha of its own
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        pixmaps.append(pixmap)
    return pixmaps


def themed_icon(name: str, palette: QPalette) -> QIcon:
    """The icon in ``palette``'s colours: text, disabled text, and highlight when on."""
    normal = palette.color(_Group.Active, _Role.ButtonText)
    disabled = palette.color(_Group.Disabled, _Role.ButtonText)
    if disabled == normal:  # some palettes leave the disabled colours alone
        disabled = QColor(normal)
        disabled.setAlphaF(0.4)
    on = palette.color(_Group.Active, _Role.Highlight)
    if _contrast(on, palette.color(_Group.Active, _Role.Button)) < 1.6:
        on = normal  # a highlight the button hides would lose the icon
    return QIcon(SvgIcon(name, normal, disabled, on))


class SvgIcon(QIconEngine):
    """An icon drawn from its SVG in three colours, at any size and pixel ratio."""

    def __init__(self, name: str, normal: QColor, disabled: QColor, on: QColor) -> None:
        super().__init__()
        self.name = name
        self.colors = (QColor(normal), QColor(disabled), QColor(on))
        self._made: dict[tuple[int, int, int], QPixmap] = {}

    def color(self, mode: QIcon.Mode, state: QIcon.State) -> QColor:
        normal, disabled, on = self.colors
        if mode == _Mode.Disabled:
            return disabled
        return on if state == _State.On else normal

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State):
        color = self.color(mode, state)
        svg = icon_source(self.name).replace(b"currentColor", color.name().encode("ascii"))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setOpacity(painter.opacity() * color.alphaF())
        QSvgRenderer(QByteArray(svg)).render(painter, QRectF(rect))
        painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        return self.scaledPixmap(size, mode, state, 1.0)

    def scaledPixmap(self, size: QSize, mode, state, scale: float) -> QPixmap:
        """``size`` in logical pixels, drawn at ``scale`` device pixels each."""
        side = max(1, round(min(size.width(), size.height()) * scale))
        key = (side, int(mode.value), int(state.value))
        made = self._made.get(key)
        if made is None:
            made = render(self.name, self.color(mode, state), (side,))[0]
            if len(self._made) < 64:
                self._made[key] = made
        made = QPixmap(made)
        made.setDevicePixelRatio(scale)
        return made

    def actualSize(self, size: QSize, mode, state) -> QSize:
        side = min(size.width(), size.height())
        return QSize(side, side)

    def clone(self) -> QIconEngine:
        return SvgIcon(self.name, *self.colors)

    def key(self) -> str:
        return "dvar-svg"
