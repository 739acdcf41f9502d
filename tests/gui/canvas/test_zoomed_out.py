"""Zoomed out, nodes are blocks whose text is sized for the screen: never smaller than
legible, left out when it does not fit; and fit never zooms out past readable names."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from PySide6.QtGui import QFontInfo, QImage, QPainter, QTransform
from PySide6.QtWidgets import QApplication, QStyleOptionGraphicsItem

from dvar import core
from dvar.gui.app.window import MainWindow
from dvar.gui.canvas.blocks import LEADING, LEGIBLE_PX, PAD_PX, SLACK, layout, lowest_named_zoom
from dvar.gui.canvas.look import TEXT_LOD, Fonts
from dvar.gui.canvas.nodes import HEIGHT
from dvar.gui.canvas.view import readable_zoom
from dvar.gui.document.document import Document
from dvar.gui.document.field_commands import SetField
from tests.gui.canvas.test_canvas_drawing import differing, from_scratch, on_screen

EXAMPLES = Path(__file__).resolve().parents[3] / "resources" / "examples"
#: The smallest print of a node drawn in full (its op's name, "output"): 11 px at 100 %.
FULL_LOOK_SMALLEST_PX = 6.5


class Spy(QPainter):
    """A painter that notes every text drawn with it, with its height on screen."""

    def __init__(self, device) -> None:
        super().__init__(device)
        self.texts: list[tuple[float, str]] = []

    def drawText(self, *args) -> None:
        font = self.font()
        pixels = font.pixelSize() if font.pixelSize() > 0 else QFontInfo(font).pixelSize()
        scale = math.sqrt(abs(self.worldTransform().determinant()))
        text = next(arg for arg in args if isinstance(arg, str))
        if text.strip():
            self.texts.append((pixels * scale, text))
        super().drawText(*args)


def painted_texts(scene, zoom: float) -> dict[int, list[tuple[float, str]]]:
    """Each node's texts as its own paint draws them at ``zoom``: (screen px, text)."""
    image = QImage(16, 16, QImage.Format.Format_ARGB32)
    found = {}
    for key, item in scene.nodes.items():
        spy = Spy(image)
        spy.setWorldTransform(item.sceneTransform() * QTransform.fromScale(zoom, zoom))
        item.paint(spy, QStyleOptionGraphicsItem(), None)
        spy.end()
        found[key] = spy.texts
    return found


def shows_name(texts: list[tuple[float, str]], name: str) -> bool:
    """A block's first line is its name, or its first two lines are, broken after an
    underscore when the name is too long for one."""
    return texts[0][1] == name or "".join(text for _, text in texts[:2]) == name


@pytest.fixture
def logistic(qtbot):
    """The logistic-regression example (20 nodes) in a 1280 × 800 window."""
    path = EXAMPLES / "logistic_regression.dvar"
    win = MainWindow(Document(core.load(path), path))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.document.undo_stack.setClean()


# -------------------------------------------------------------------- layout
def test_the_layout_never_chooses_text_below_legible_nor_wider_than_the_block():
    fonts = Fonts.get()
    kinds = ("title", "body", "grad")
    texts = ("one_minus_y", "0.20587", "-4.85743")

    def advance(line: int, text: str) -> float:
        return fonts.advance(kinds[line], text)

    title_fits = 0
    for width in range(6, 320, 9):
        for height in range(4, 90, 3):
            size, lines = layout(width, height, texts, advance)
            room_w, room_h = width - 2 * PAD_PX, height - 2 * PAD_PX
            fits = room_h >= LEGIBLE_PX * LEADING and room_w >= (
                advance(0, texts[0]) * SLACK * LEGIBLE_PX
            )
            assert bool(lines) == fits, (width, height)  # the name shows whenever it fits
            if not lines:
                continue
            title_fits += 1
            assert lines[0] == 0
            assert size >= LEGIBLE_PX
            assert len(lines) * size * LEADING <= room_h + 1e-9
            assert all(advance(line, texts[line]) * size <= room_w for line in lines)
    assert title_fits > 100


# ------------------------------------------------------------------- painting
def test_no_text_is_ever_painted_below_the_legible_size(logistic):
    scene = logistic.scene
    names = readable_zoom()
    for zoom in (0.04, 0.08, 0.12, names * 0.99, names, 0.2, 0.25, 0.3, 0.4, 0.5, 0.59, 0.6, 1):
        found = painted_texts(scene, zoom)
        sizes = [size for texts in found.values() for size, _ in texts]
        if zoom < names:
            assert not sizes, zoom  # plain blocks
            continue
        smallest = LEGIBLE_PX if zoom < TEXT_LOD else FULL_LOOK_SMALLEST_PX
        assert sizes and min(sizes) >= smallest - 1e-6, (zoom, min(sizes))
        if zoom < TEXT_LOD:  # blocks: each name shows, or nothing at all for that node
            for key, texts in found.items():
                assert not texts or shows_name(texts, scene.nodes[key].title)


def test_blocks_show_value_and_derivative_when_there_is_room(logistic):
    scene, graph = logistic.scene, logistic.document.graph
    z = graph.key_of("z")
    roomy = painted_texts(scene, TEXT_LOD * 0.95)[z]
    assert [text for _, text in roomy] == ["z", "1.35", "0.79413"]  # name, value, dz
    tight = painted_texts(scene, readable_zoom())[z]
    assert [text for _, text in tight] == ["z"]


# ------------------------------------------------------------------------ fit
def test_the_fitted_logistic_example_shows_every_name_legibly_at_1280_by_800(logistic):
    view, scene = logistic.view, logistic.scene
    view.fit()
    QApplication.processEvents()
    zoom = view.zoom()
    assert zoom >= readable_zoom()
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    assert shown.contains(scene.diagram_rect())  # all of it
    found = painted_texts(scene, zoom)
    fonts = Fonts.get()
    named = 0
    for key, texts in found.items():
        item = scene.nodes[key]
        room = item.boundingRect().width() * zoom
        if fonts.advance("title", item.title) * LEGIBLE_PX * SLACK < room - 20:
            assert texts, item.title  # a name with room to spare is always drawn
        if texts:
            named += 1
            assert shows_name(texts, item.title)
            assert min(size for size, _ in texts) >= LEGIBLE_PX - 1e-6
    # Every name shows: one too long for one line (one_minus_y) takes two.
    assert named == len(found)
    broken = [texts for texts in found.values() if texts and texts[0][1] == "one_"]
    assert {"".join(text for _, text in texts[:2]) for texts in broken} == {
        "one_minus_a",
        "one_minus_y",
    }


def test_a_graph_too_big_to_fit_readably_is_shown_readably_around_its_output(empty_window):
    window = empty_window
    graph = window.document.graph
    with graph.batch():
        graph.add_node("input", "x0", value=0.5, x=0.0, y=0.0)
        for i in range(1, 120):
            graph.add_node("tanh", f"x{i}", inputs=[f"x{i - 1}"], x=240.0 * i, y=0.0)
        graph.set_output("x119")
    QApplication.processEvents()
    view = window.view
    view.fit()
    assert view.zoom() == pytest.approx(view.names_zoom())
    assert readable_zoom() <= view.zoom() < TEXT_LOD
    found = painted_texts(window.scene, view.zoom())
    named = [key for key, texts in found.items() if texts]
    assert len(named) >= 0.9 * len(found)  # nine in ten names fit their blocks
    assert all(size >= LEGIBLE_PX - 1e-6 for texts in found.values() for size, _ in texts)
    shown = view.mapToScene(view.viewport().rect()).boundingRect()
    output = window.scene.nodes[graph.key_of("x119")].sceneBoundingRect()
    assert shown.contains(output)
    # Pushed into the graph's end, not centred on the output with empty canvas beyond it.
    assert shown.right() <= window.scene.diagram_rect().right() + 60


def test_text_shows_and_updates_between_readable_names_and_full_detail(logistic):
    view, scene, graph = logistic.view, logistic.scene, logistic.document.graph
    view.zoom_by((readable_zoom() + TEXT_LOD) / 2 / view.zoom())
    assert scene.text_readable and scene.node_looks_cached  # blocks with text: pixmaps
    view.zoom_by(TEXT_LOD / view.zoom())
    assert scene.text_readable and scene.node_looks_cached
    view.zoom_by(readable_zoom() * 0.9 / view.zoom())
    assert not scene.text_readable and not scene.node_looks_cached
    view.zoom_by(TEXT_LOD * 0.95 / view.zoom())
    b = graph.key_of("b")
    logistic.document.run(SetField.to(graph, b, "value", 0.25))
    texts = [text for _, text in painted_texts(scene, view.zoom())[b]]
    assert texts[:2] == ["b", "0.25"]


def test_where_only_names_show_a_new_value_repaints_nothing_and_a_rename_does(logistic):
    view, scene, graph = logistic.view, logistic.scene, logistic.document.graph
    logistic.actions["minimap"].setChecked(False)
    names_only = (readable_zoom() + lowest_named_zoom(HEIGHT, lines=2)) / 2
    view.zoom_by(names_only / view.zoom())
    b = graph.key_of("b")
    view.center_on_node(b)
    assert scene.names_readable and not scene.text_readable
    assert [text for _, text in painted_texts(scene, view.zoom())[b]] == ["b"]
    before = on_screen(logistic)
    logistic.document.run(SetField.to(graph, b, "value", 0.25))
    assert differing(on_screen(logistic), before) == 0  # no number shows: nothing to do
    assert differing(on_screen(logistic), from_scratch(logistic)) == 0
    logistic.document.run(SetField.to(graph, b, "label", "bias"))
    renamed = on_screen(logistic)
    assert differing(renamed, before) > 0  # the block's name changed on screen
    assert differing(renamed, from_scratch(logistic)) == 0


def test_exports_draw_nodes_in_full_whatever_the_canvas_zoom(logistic, tmp_path):
    from dvar.gui.canvas.export import export_scene

    logistic.view.zoom_by(readable_zoom() / logistic.view.zoom())
    out = tmp_path / "logistic.svg"
    export_scene(logistic.scene, out)
    svg = out.read_text(encoding="utf-8")
    assert "<image" not in svg  # vector
    assert "dz = 0.79413" in svg  # the full look's derivative line, not a block's


def test_block_fonts_are_made_once_per_size():
    fonts = Fonts.get()
    assert fonts.sized("title", 40) is fonts.sized("title", 40)
    assert fonts.sized("title", 40).pixelSize() == 40
    assert fonts.sized("grad", 40).italic()
    assert fonts.advance("body", "mm") > fonts.advance("body", "m") > 0
