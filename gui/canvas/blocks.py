"""A node drawn zoomed out: a block with its name, and its value and derivative when
they fit.

Below ``TEXT_LOD`` a node's full look would have text too small to read, so it is
drawn as a block instead.  Its text is sized for the screen, not the scene: never
smaller than ``LEGIBLE_PX`` on screen, never larger than ``LARGEST_PX``.  A line
that does not fit at a legible size is left out, never shrunk further: the name
first, then the value and the derivative as room allows.  Further out still, where
not even the name fits, the block is a plain rectangle in the node's colour (the
cheapest thing to draw, for graphs of thousands of nodes).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPen

from dvar.gui.canvas.look import Fonts, Look

#: The smallest text drawn, in screen pixels.
LEGIBLE_PX = 8.0
#: The largest text a block uses, in screen pixels (a block is a summary, not a poster).
LARGEST_PX = 13.0
#: Room above, below and beside the text, in screen pixels.
PAD_PX = 1.5
#: A line's height, as a multiple of its font's pixel size.
LEADING = 1.1
#: Text is measured a little wide, since sizes are rounded to whole scene pixels.
SLACK = 1.08

#: Screen pixels that rounding may lose: a view zoomed to exactly ``lowest_named_zoom``
#: works out each item's scale from its own transform, a hair off in the last digits.
TOLERANCE = 1e-6

#: The lines a block can show, each in its font: name, value, derivative.
TITLE, VALUE, GRAD = 0, 1, 2
KINDS = ("title", "body", "grad")
#: The line sets tried, best first: the name always; then value and derivative.
CHOICES = ((TITLE, VALUE, GRAD), (TITLE, VALUE), (TITLE, GRAD), (TITLE,))


def lowest_named_zoom(height: float, lines: int = 1) -> float:
    """The zoom below which a block ``height`` scene units tall has no room for
    ``lines`` legible lines (one: plain blocks from there on out; two: the name, but
    no value)."""
    return (lines * LEGIBLE_PX * LEADING + 2 * PAD_PX) / height


def named_zoom(title_advance: float, width: float, height: float) -> float:
    """The least zoom at which a block ``width`` × ``height`` scene units shows a name
    ``title_advance`` wide at 1 px (``Fonts.advance("title", name)``)."""
    across = (title_advance * SLACK * LEGIBLE_PX + 2 * PAD_PX) / width
    return max(lowest_named_zoom(height), across)


def layout(
    width_px: float,
    height_px: float,
    texts: Sequence[str],
    advance: Callable[[int, str], float],
    choices: Sequence[tuple[int, ...]] = CHOICES,
) -> tuple[float, tuple[int, ...]]:
    """The font size (screen pixels) and the lines (indexes into ``texts``) for a block
    of this size on screen; ``(0.0, ())`` when not even the name fits.

    ``advance(line, text)`` is the width of ``text`` in line ``line``'s font at 1 px.
    Every line chosen fits the block at the size returned, which is at least
    ``LEGIBLE_PX``.
    """
    room_w, room_h = width_px - 2 * PAD_PX, height_px - 2 * PAD_PX
    if room_h < LEGIBLE_PX * LEADING - TOLERANCE or not texts[TITLE]:
        return 0.0, ()
    smallest = LEGIBLE_PX - TOLERANCE
    for lines in choices:
        size = min(LARGEST_PX, room_h / (len(lines) * LEADING))
        if size < smallest or any(not texts[line] for line in lines):
            continue  # too many lines for the height (text is measured only when they fit)
        for line in lines:
            size = min(size, room_w / (advance(line, texts[line]) * SLACK))
            if size < smallest:
                break
        else:
            return size, lines
    return 0.0, ()


def draw_block(painter: QPainter, item, box: QRectF, lod: float, look: Look) -> None:
    """Draw ``item`` (a NodeItem) as a block filling ``box`` (item coordinates), at
    ``lod`` screen pixels per scene unit."""
    color = item.block_color(look)
    if lod * box.height() < LEGIBLE_PX * LEADING + 2 * PAD_PX - TOLERANCE:
        painter.setPen(look.no_pen)  # far out: a plain block, nothing else
        painter.setBrush(color)
        painter.drawRect(box)
        return
    scene = item.scene()
    title = f"⚠ {item.title}" if item.has_error else item.title
    if getattr(scene, "show_numbers", True):
        texts = (title, _told(item.nudge_text or item.value_text), _told(item.grad_text))
    else:
        texts = (title, _told(item.formula_text), "")
    fonts = Fonts.get()
    kinds = KINDS
    size, lines = layout(
        box.width() * lod,
        box.height() * lod,
        texts,
        lambda line, text: fonts.advance(kinds[line], text),
    )
    if not lines and "_" in item.title.strip("_"):
        # A long name like one_minus_a: two lines of it, broken after an underscore,
        # rather than a block with no name at all.
        texts, kinds = (*_broken(item.title), ""), ("title", "title", "grad")
        size, lines = layout(
            box.width() * lod,
            box.height() * lod,
            texts,
            lambda line, text: fonts.advance(kinds[line], text),
            choices=((TITLE, VALUE),),  # both halves, or nothing
        )
    selected = item.isSelected() or item.highlighted
    # Besides its colour, an error is a dashed border (and a ⚠ by its name) and the
    # output a thick one, as in the full look.
    thick = selected or item.is_output
    pen = QPen(look.red if item.highlighted else color, 2.0 if thick else 1.0)
    if item.has_error:
        pen.setStyle(Qt.PenStyle.DashLine)
    pen.setCosmetic(True)  # in screen pixels, at any zoom
    painter.setPen(pen)
    fill = look.tint(color)
    painter.setBrush(fill)
    painter.drawRect(box)
    if not lines:
        return
    pixels = math.ceil(size / lod)  # in scene units, rounded up: never below ``size``
    line_height = pixels * LEADING
    top = box.center().y() - line_height * len(lines) / 2
    text = look.ink_on(look.muted if item.has_error else look.text, fill)
    red = look.ink_on(look.red, fill)
    pens = {TITLE: text, VALUE: text, GRAD: red if not item.has_error else text}
    for line in lines:
        painter.setFont(fonts.sized(kinds[line], pixels))
        painter.setPen(pens[line])
        painter.drawText(
            QRectF(box.left(), top, box.width(), line_height),
            Qt.AlignmentFlag.AlignCenter,
            texts[line],
        )
        top += line_height


def _broken(name: str) -> tuple[str, str]:
    """A name in two lines, broken after the underscore nearest its middle:
    ``one_minus_`` and ``a``."""
    cuts = [i + 1 for i, ch in enumerate(name) if ch == "_" and 0 < i < len(name) - 1]
    cut = min(cuts, key=lambda i: abs(len(name) - 2 * i))
    return name[:cut], name[cut:]


def _told(line: str) -> str:
    """What a node's line says after its last " = ": the number (or the formula, or
    old → new) without the name, which the block's first line shows already.  A
    number's minus sign is the long one (−, U+2212): at a block's small sizes a hyphen
    is a speck that is easy to miss."""
    told = line.rpartition(" = ")[2]
    return told.replace("-", MINUS) if "-" in told else told


#: The minus sign blocks write: as wide as a plus, where a hyphen is a third of that.
MINUS = "\u2212"
