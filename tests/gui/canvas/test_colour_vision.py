"""Colour is never the only signal: the canvas seen with a colour-vision deficiency.

Pictures of the lecture, of its backward view and of a graph with an error node are
passed through the three dichromacy simulations, and each state must still stand out
by luminance (WCAG contrast) or by shape and text:

- derivatives: red, and also italic and written ``d…``; the red keeps 3:1 (and AA)
  against the node's background after every simulation, in every theme;
- errors: a dashed border (gaps along the edge, whatever its colour) and "⚠ no value";
- the output: a thicker border and its "output" tag.

The simulated pictures are written to ``DVAR_VISION_DIR`` when it is set, to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, QPointF, QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from dvar import core
from dvar.gui.canvas.look import AA_SHAPE, AA_TEXT, Fonts, Look, contrast
from dvar.gui.canvas.nodes import HEADER, NO_DERIVATIVE, NO_VALUE, TEXT_LEFT
from dvar.gui.dialogs.preferences import apply_theme
from dvar.gui.document.document import Document
from tests.gui.helpers import keys

# Machado, Oliveira & Fernandes (2009), "A Physiologically-based Model for Simulation
# of Color Vision Deficiency", IEEE TVCG 15(6), table of matrices at severity 1.0
# (dichromacy).  They act on linear RGB, row by row.
MACHADO_2009 = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
THEMES = ("light", "dark", "contrast")

ERROR_GRAPH = {
    "format": "dvar",
    "version": 1,
    "output": "J",
    "nodes": [
        {"id": "a", "op": "input", "value": -2, "x": 0, "y": 0},
        {"id": "b", "op": "input", "value": 3, "x": 0, "y": 140},
        {"id": "u", "op": "log", "inputs": ["a"], "x": 240, "y": 0},
        {"id": "w", "op": "mul", "inputs": ["a", "b"], "x": 240, "y": 140},
        {"id": "J", "op": "add", "inputs": ["u", "w"], "x": 480, "y": 70},
    ],
}


# ------------------------------------------------------------------ simulation
def _linear(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _encoded(v: float) -> float:
    v = min(max(v, 0.0), 1.0)
    return v * 12.92 if v <= 0.0031308 else 1.055 * v ** (1 / 2.4) - 0.055


def seen(color: QColor, deficiency: str) -> QColor:
    """``color`` as a person with ``deficiency`` sees it (in linear light, exactly)."""
    rgb = [_linear(c) for c in (color.redF(), color.greenF(), color.blueF())]
    out = [sum(m * c for m, c in zip(row, rgb, strict=True)) for row in MACHADO_2009[deficiency]]
    return QColor.fromRgbF(*(_encoded(v) for v in out))


def simulated(picture: Image.Image, deficiency: str) -> Image.Image:
    """A whole picture as seen with ``deficiency``: decoded to linear light with a
    table (16 levels of rounding in the darkest tones at most), the matrix applied by
    Pillow, and encoded again."""
    to_linear = [round(_linear(i / 255) * 255) for i in range(256)] * 3
    to_encoded = [round(_encoded(i / 255) * 255) for i in range(256)] * 3
    rows = MACHADO_2009[deficiency]
    matrix = tuple(v for row in rows for v in (*row, 0.0))
    return picture.point(to_linear).convert("RGB", matrix).point(to_encoded)


# --------------------------------------------------------------------- pictures
def lecture_window(qtbot, theme: str, graph: dict | None = None):
    """A window on the lecture (or ``graph``) in ``theme``."""
    from dvar.gui.app.window import MainWindow

    document = Document(core.from_dict(graph)) if graph else Document.lecture()
    window = MainWindow(document)
    window.preferences.set("theme", theme)
    apply_theme(theme)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.actions["minimap"].setChecked(False)
    return window


def picture(window) -> tuple[Image.Image, QPointF]:
    """The canvas drawn at 100 % on its background, and the scene point at its corner."""
    scene = window.scene
    QApplication.processEvents()
    source = scene.diagram_rect().adjusted(-20, -20, 20, 20)
    image = QImage(int(source.width()), int(source.height()), QImage.Format.Format_RGB32)
    image.fill(window.view.palette().color(window.view.backgroundRole()))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(image.rect()), source)
    painter.end()
    return to_pillow(image), source.topLeft()


def to_pillow(image: QImage) -> Image.Image:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    from io import BytesIO

    return Image.open(BytesIO(bytes(buffer.data()))).convert("RGB")


def save(image: Image.Image, name: str) -> None:
    folder = os.environ.get("DVAR_VISION_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        image.save(Path(folder) / f"{name}.png")


def pixel(image: Image.Image, x: float, y: float) -> QColor:
    return QColor(*image.getpixel((int(x), int(y))))


def box_on(image: Image.Image, corner: QPointF, item) -> QRectF:
    """A node's box in the picture's pixels."""
    return item.mapRectToScene(item.box()).translated(-corner)


def strongest(image: Image.Image, rect: QRectF, ground: QColor) -> float:
    """The highest contrast of any pixel in ``rect`` against ``ground``: the ink's own
    colour, at the heart of a glyph or a line."""
    best = 1.0
    for y in range(int(rect.top()), int(rect.bottom())):
        for x in range(int(rect.left()), int(rect.right())):
            best = max(best, contrast(pixel(image, x, y), ground))
    return best


def gaps_along_top(image: Image.Image, box: QRectF, outside: QColor) -> int:
    """How many gaps break the box's top edge (its straight middle part): one between
    every two dashes of a dashed border, none in a solid one, whatever its colour.  A
    column is a gap where the edge stands out from the canvas outside less than half
    as much as where the border is drawn."""
    y = round(box.top())
    drawn = [
        max(contrast(pixel(image, x, y + dy), outside) for dy in (-1, 0, 1))
        for x in range(int(box.left()) + 14, int(box.right()) - 14)
    ]
    strongest_ink = max(drawn)
    gaps, in_gap = 0, False
    for ratio in drawn:
        weak = ratio - 1 < (strongest_ink - 1) * 0.6
        gaps += weak and not in_gap
        in_gap = weak
    return gaps


def border_width(image: Image.Image, box: QRectF, outside: QColor, inside: QColor) -> int:
    """How many pixels thick the border is where it crosses the box's right side just
    under the header (clear of ports and chips): pixels that differ from both the
    canvas and the box's fill."""
    y = round(box.top() + HEADER + 4)
    count = 0
    for x in range(int(box.right()) - 4, int(box.right()) + 5):
        color = pixel(image, x, y)
        count += contrast(color, outside) > 1.25 and contrast(color, inside) > 1.25
    return count


# ------------------------------------------------------------------------ tests
@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("deficiency", list(MACHADO_2009))
def test_the_red_keeps_3_to_1_on_the_node_background_after_simulation(theme, deficiency, qapp):
    apply_theme(theme)
    look = Look.get()
    red, base = seen(look.red, deficiency), seen(look.base, deficiency)
    assert contrast(red, base) >= AA_SHAPE
    assert contrast(red, base) >= AA_TEXT  # and still AA, as text
    for color in (look.output, look.highlight, look.error, look.mid):
        fill = look.tint(color)  # a zoomed-out block of each state
        ink = look.ink_on(look.red, fill)
        assert contrast(seen(ink, deficiency), seen(fill, deficiency)) >= AA_SHAPE


def test_the_simulation_is_the_published_one(qapp):
    """White stays white and black black; pure red loses to a dull olive for a protanope
    and a deuteranope, and pure blue turns teal for a tritanope."""
    for deficiency in MACHADO_2009:
        assert seen(QColor("#ffffff"), deficiency).name() in ("#ffffff", "#fefefe")
        assert seen(QColor("#000000"), deficiency).name() == "#000000"
    protan = seen(QColor("#ff0000"), "protanopia")
    assert abs(protan.red() - protan.green()) < 60 and protan.blue() < 30
    tritan = seen(QColor("#0000ff"), "tritanopia")
    assert tritan.green() > tritan.red() and tritan.blue() > tritan.red()
    picture = Image.new("RGB", (2, 1), (198, 40, 40))
    exact = seen(QColor(198, 40, 40), "deuteranopia")
    assert abs(QColor(*simulated(picture, "deuteranopia").getpixel((0, 0))).red() - exact.red()) < 4


@pytest.mark.parametrize("theme", THEMES)
def test_derivatives_stand_out_in_simulated_pictures_of_the_lecture(qtbot, theme):
    window = lecture_window(qtbot, theme)
    try:
        for view in ("lecture", "backward"):
            if view == "backward":
                window.actions["backward"].setChecked(True)
            image, corner = picture(window)
            save(image, f"{theme}-{view}")
            b = window.scene.nodes[keys(window)["b"]]
            box = box_on(image, corner, b)
            grad_line = QRectF(box.left() + TEXT_LEFT, box.top() + b.header + b.line, 60, b.line)
            inside = pixel(image, box.right() - 4, grad_line.center().y())
            assert b.grad_text.startswith("db = ")  # written d…, whatever the colour
            for deficiency in MACHADO_2009:
                sim = simulated(image, deficiency)
                save(sim, f"{theme}-{view}-{deficiency}")
                ground = pixel(sim, box.right() - 4, grad_line.center().y())
                assert strongest(sim, grad_line, ground) >= AA_SHAPE, deficiency
                assert contrast(ground, seen(inside, deficiency)) < 1.05  # the fill itself
                if view == "backward":  # the edges' labels: local derivatives, in red
                    edge = b.edges[0]
                    mid = edge.mapToScene(edge._mid) - corner
                    label = QRectF(mid.x() - 12, mid.y() - 20, 24, 14)
                    assert strongest(sim, label, ground) >= AA_SHAPE, deficiency
    finally:
        window.document.undo_stack.setClean()
        window.close()


@pytest.mark.parametrize("theme", THEMES)
def test_error_and_output_nodes_differ_by_shape_and_text_after_simulation(qtbot, theme):
    window = lecture_window(qtbot, theme, ERROR_GRAPH)
    try:
        image, corner = picture(window)
        save(image, f"{theme}-error")
        names = keys(window)
        u, j = window.scene.nodes[names["u"]], window.scene.nodes[names["J"]]
        a = window.scene.nodes[names["a"]]
        assert (u.has_error, u.error_mark()) == (True, NO_VALUE)
        assert (a.has_error, a.error_mark()) == (True, NO_DERIVATIVE)  # a has its value
        assert j.is_output
        outside = pixel(image, 2, 2)
        lecture = lecture_window(qtbot, theme)
        plain_image, plain_corner = picture(lecture)
        plain = lecture.scene.nodes[keys(lecture)["u"]]
        plain_output = lecture.scene.nodes[keys(lecture)["J"]]
        lecture.document.undo_stack.setClean()
        lecture.close()
        for deficiency in MACHADO_2009:
            sim = simulated(image, deficiency)
            plain_sim = simulated(plain_image, deficiency)
            save(sim, f"{theme}-error-{deficiency}")
            ground = seen(outside, deficiency)
            # Dashed: gaps along the edge, which a solid border has none of.
            assert gaps_along_top(sim, box_on(sim, corner, u), ground) >= 8
            assert gaps_along_top(plain_sim, box_on(plain_sim, plain_corner, plain), ground) == 0
            # The mark's words stand out from the header.
            header = box_on(sim, corner, u)
            header.setHeight(u.header)
            mark = QRectF(header.right() - 110, header.top() + 3, 80, u.header - 6)
            fill = pixel(sim, header.left() + 40, header.top() + 3)
            assert strongest(sim, mark, fill) >= AA_TEXT, deficiency
            # The output: a thicker border than a plain node's, in any colour.
            out_box = box_on(plain_sim, plain_corner, plain_output)
            plain_box = box_on(plain_sim, plain_corner, plain)
            inside = pixel(plain_sim, plain_box.center().x(), plain_box.bottom() - 3)
            assert border_width(plain_sim, out_box, ground, inside) > border_width(
                plain_sim, plain_box, ground, inside
            )
    finally:
        window.document.undo_stack.setClean()
        window.close()


def test_a_minus_sign_stays_legible_when_zoomed_out(qapp):
    """Zoomed out, a block writes a negative number with the long minus (U+2212): at
    the smallest size blocks use it is as wide as a digit's stroke, where a hyphen
    is a speck."""
    from dvar.gui.canvas import blocks

    assert blocks._told("da = -3.5") == f"{blocks.MINUS}3.5"
    assert blocks._told("u = a − b = -1e-05 → -2") == "−1e−05 → −2"
    assert blocks._told("b = 3") == "3"
    fonts = Fonts.get()
    hyphen, minus = fonts.advance("grad", "-"), fonts.advance("grad", blocks.MINUS)
    assert minus > 1.5 * hyphen
    assert minus * blocks.LEGIBLE_PX >= 4.0  # pixels, at the smallest text drawn
