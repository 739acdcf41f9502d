"""Toolbar icons: dvar's own line drawings in ``resources/icons``, drawn in the theme's colours.

Each icon is an SVG that strokes and fills with ``currentColor``.  :func:`themed_icon`
renders it in the palette's text colour (a dimmed one when the action is disabled,
the highlight colour when a checkable action is on), at the sizes a toolbar and a
menu ask for, so the same file reads on a light and on a dark theme.  The window
renders its icons again whenever the theme changes.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

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
    drawn = {color.rgba(): render(name, color) for color in (normal, disabled, on)}
    icon = QIcon()
    for index in range(len(SIZES)):
        for state, color in ((_State.Off, normal), (_State.On, on)):
            for mode in (_Mode.Normal, _Mode.Active, _Mode.Selected):
                icon.addPixmap(drawn[color.rgba()][index], mode, state)
            icon.addPixmap(drawn[disabled.rgba()][index], _Mode.Disabled, state)
    return icon


def _contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""

    def luminance(color: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(color.redF())
            + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF())
        )

    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
