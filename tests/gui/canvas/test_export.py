"""Export Image and Copy as Image: PNG, SVG and PDF, in process, from the window and the CLI."""

from __future__ import annotations

import errno
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFontInfo, QGuiApplication, QImage, QPalette
from PySide6.QtWidgets import QApplication

from dvar import core
from dvar.gui.app import cli
from dvar.gui.canvas import export, export_formats
from dvar.gui.canvas.export import MARGIN, export_graph, export_scene
from dvar.gui.canvas.export_formats import ExportError
from dvar.gui.canvas.look import Fonts
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.document.document import Document

ROOT = Path(__file__).resolve().parents[3]
LECTURE = str(core.examples()["lecture"])


def _scene() -> GraphScene:
    return GraphScene(Document.lecture())


def _expected_size(rect: QRectF, scale: float) -> tuple[int, int]:
    return (
        math.ceil((rect.width() + 2 * MARGIN) * scale - 1e-6),
        math.ceil((rect.height() + 2 * MARGIN) * scale - 1e-6),
    )


def _texts(svg_file: Path) -> str:
    """The text of every <text> element, one a line."""
    svg = svg_file.read_text(encoding="utf-8")
    return "\n".join(t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def _only_file(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ------------------------------------------------------------------ the three formats
@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf", ".PNG"])
def test_export_graph_writes_each_format(qapp, tmp_path, suffix):
    out = tmp_path / f"lecture{suffix}"
    graph = core.load(LECTURE)
    before = core.dumps(graph)
    result = export_graph(graph, out)
    assert result.path == out and result.warning is None
    data = out.read_bytes()
    magic = {".png": b"\x89PNG", ".svg": b"<?xml", ".pdf": b"%PDF"}[suffix.lower()]
    assert data.startswith(magic)
    assert core.dumps(graph) == before  # the graph is only read
    assert _only_file(tmp_path) == [out.name]  # no temporary file left behind


def test_export_graph_lets_go_of_the_graph(qapp, tmp_path):
    graph = core.load(LECTURE)
    listeners = list(graph._listeners)
    export_graph(graph, tmp_path / "x.png")
    assert graph._listeners == listeners


@pytest.mark.parametrize("scale", [1.0, 2.0, 4.0])
def test_png_is_the_diagram_plus_margins_times_scale(qapp, tmp_path, scale):
    scene = _scene()
    out = tmp_path / "x.png"
    result = export_scene(scene, out, scale=scale)
    image = QImage(str(out))
    assert (image.width(), image.height()) == _expected_size(scene.diagram_rect(), scale)
    assert result.size == (image.width(), image.height()) and result.scale == scale
    # Viewers that honour the PNG's DPI show it at canvas size.
    assert image.dotsPerMeterX() == round(export_formats._dpi() * scale / 0.0254)


def test_transparent_and_opaque_backgrounds(qapp, tmp_path):
    scene = _scene()
    export_scene(scene, tmp_path / "clear.png", transparent=True)
    export_scene(scene, tmp_path / "white.png")
    clear, white = QImage(str(tmp_path / "clear.png")), QImage(str(tmp_path / "white.png"))
    assert clear.hasAlphaChannel()
    assert clear.pixelColor(0, 0).alpha() == 0
    assert white.pixelColor(0, 0) == QColor("white")
    assert white.pixelColor(white.width() - 1, white.height() - 1) == QColor("white")


def test_the_diagram_is_drawn(qapp, tmp_path):
    """Text and boxes really are in the image: many dark pixels, and the derivative red."""
    scene = _scene()
    export_scene(scene, tmp_path / "x.png", scale=1)
    image = QImage(str(tmp_path / "x.png")).convertToFormat(QImage.Format.Format_RGB32)
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 2)
        for y in range(0, image.height(), 2)
    }
    dark = [c for c in colours if QColor(c).lightness() < 60]
    reddish = [c for c in colours if QColor(c).red() > 150 and QColor(c).green() < 90]
    assert len(dark) > 5 and reddish


# ---------------------------------------------------------------- only the diagram
def test_selection_hover_and_highlights_stay_out_and_come_back(window, tmp_path, qtbot):
    scene = window.scene
    export_scene(scene, tmp_path / "plain.png")
    graph = window.document.graph
    v, j = graph.key_of("v"), graph.key_of("J")
    scene.select_keys([v, j])
    next(iter(scene.edges.values())).setSelected(True)
    scene.highlight_terms(v)  # after selecting: the window resets it on selection changes
    scene.nodes[j].hover_port = ("in", 0)
    scene.nodes[v].valid_ports = {0}
    scene.nodes[j].set_current(True)
    assert scene.highlight
    selected = set(scene.selectedItems())
    emitted: list[object] = []
    scene.selectionChanged.connect(lambda: emitted.append(1))

    export_scene(scene, tmp_path / "busy.png")

    assert QImage(str(tmp_path / "busy.png")) == QImage(str(tmp_path / "plain.png"))
    assert set(scene.selectedItems()) == selected
    assert emitted == []  # the panels never heard of the export
    assert scene.nodes[j].hover_port == ("in", 0)
    assert scene.nodes[v].valid_ports == {0}
    assert scene.nodes[j].highlighted
    assert any(e.highlighted for e in scene.edges.values())
    assert not scene.signalsBlocked()


def test_state_comes_back_when_drawing_fails(window, tmp_path, monkeypatch):
    scene = window.scene
    j = window.document.graph.key_of("J")
    scene.select_keys([j])
    scene.nodes[j].hover_port = ("out", 0)
    target = tmp_path / "x.png"
    target.write_bytes(b"old")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(scene, "render", broken)
    with pytest.raises(RuntimeError):
        export_scene(scene, target, selection_only=True, values=False)
    assert scene.selected_keys() == [j]
    assert scene.nodes[j].hover_port == ("out", 0)
    assert scene.show_numbers
    assert all(item.isVisible() for item in scene.nodes.values())
    assert all(item.isVisible() for item in scene.edges.values())
    assert not scene.signalsBlocked()
    assert target.read_bytes() == b"old" and _only_file(tmp_path) == ["x.png"]


def test_the_grid_is_not_drawn(window, tmp_path):
    """The view's grid is not part of the scene: the margin is plain white."""
    window.view.show_grid = True
    export_scene(window.scene, tmp_path / "x.png", scale=1)
    image = QImage(str(tmp_path / "x.png"))
    row = {image.pixelColor(x, 3).name() for x in range(image.width())}
    assert row == {"#ffffff"}


def test_selection_only_is_smaller_and_needs_a_selection(window, tmp_path):
    scene = window.scene
    graph = window.document.graph
    export_scene(scene, tmp_path / "whole.png")
    with pytest.raises(ExportError, match="no node is selected"):
        export_scene(scene, tmp_path / "part.png", selection_only=True)
    assert not (tmp_path / "part.png").exists()
    scene.select_keys([graph.key_of("b"), graph.key_of("c"), graph.key_of("u")])
    result = export_scene(scene, tmp_path / "part.png", selection_only=True)
    whole = QImage(str(tmp_path / "whole.png"))
    part = QImage(str(tmp_path / "part.png"))
    assert part.width() < whole.width() and part.height() < whole.height()
    assert result.size == (part.width(), part.height())
    assert all(item.isVisible() for item in scene.nodes.values())
    export_scene(scene, tmp_path / "part.svg", selection_only=True)
    texts = _texts(tmp_path / "part.svg")
    assert "u = b·c = 6" in texts and "du = 3" in texts
    assert "J = 3·v" not in texts and "three" not in texts
    assert "with 3 nodes" in (tmp_path / "part.svg").read_text(encoding="utf-8")


def test_export_draws_light_even_in_dark_mode(qapp, tmp_path):
    scene = _scene()
    saved = QApplication.palette()
    dark = QPalette(QColor("#2b2b2b"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#eeeeee"))
    dark.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    QApplication.setPalette(dark)
    try:
        export_scene(scene, tmp_path / "x.png", scale=1)
        assert QApplication.palette().color(QPalette.ColorRole.Base) == QColor("#1e1e1e")
    finally:
        QApplication.setPalette(saved)
    image = QImage(str(tmp_path / "x.png"))
    a = scene.nodes[scene.graph.key_of("a")]
    inside = a.sceneBoundingRect().center() - scene.diagram_rect().topLeft()
    pixel = image.pixelColor(int(inside.x() + MARGIN) + 50, int(inside.y() + MARGIN))
    assert pixel.lightness() > 200  # the node's box is light, not #1e1e1e


# -------------------------------------------------------------------------- SVG
def test_svg_keeps_text_as_text_in_a_real_font(qapp, tmp_path):
    out = tmp_path / "x.svg"
    export_graph(core.load(LECTURE), out)
    svg = out.read_text(encoding="utf-8")
    family = QFontInfo(Fonts.get().body).family()
    assert family != "Sans Serif"
    assert "<text" in svg
    assert f'font-family="{family}"' in svg
    assert "Sans Serif" not in svg
    texts = _texts(out)
    assert "J = 3·v = 33" in texts and "dJ = 1" in texts and "db = 6" in texts
    assert re.search(r'viewBox="0 0 \d+ \d+"', svg)
    assert "<title>" in svg and "<desc>" in svg
    assert "<image" not in svg


def test_svg_without_values_shows_formulas(qapp, tmp_path):
    out = tmp_path / "blank.svg"
    export_graph(core.load(LECTURE), out, values=False)
    texts = _texts(out)
    assert "dJ" not in texts and "33" not in texts and "db" not in texts
    assert "u = b·c" in texts and "v = a + u" in texts and "J = 3·v" in texts
    assert "33" not in out.read_text(encoding="utf-8").split("<defs>")[0]  # title, desc


def test_no_values_also_drops_backward_edge_labels(window, tmp_path):
    window.scene.set_backward_view(True)
    export_scene(window.scene, tmp_path / "with.svg")
    export_scene(window.scene, tmp_path / "without.svg", values=False)
    assert any(edge.label for edge in window.scene.edges.values())  # put back afterwards
    with_values = _texts(tmp_path / "with.svg").splitlines()
    without = _texts(tmp_path / "without.svg").splitlines()
    assert "2" in with_values and "11" not in with_values  # ∂u/∂b = 2; 3 is a chip on J
    assert "2" not in without


# -------------------------------------------------------------------------- PDF
def test_pdf_is_vector_with_a_fitted_page(qapp, tmp_path):
    scene = _scene()
    out = tmp_path / "x.pdf"
    result = export_scene(scene, out)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/Subtype /Image" not in data and b"/Subtype/Image" not in data
    assert b"/FontFile2" in data  # DejaVu embedded; text stays text
    box = re.search(rb"/MediaBox \[([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)\]", data)
    assert box is not None
    width, height = float(box.group(3)), float(box.group(4))
    rect = scene.diagram_rect()
    points = 72 / export_formats._dpi()
    assert width == pytest.approx((rect.width() + 2 * MARGIN) * points, abs=1)
    assert height == pytest.approx((rect.height() + 2 * MARGIN) * points, abs=1)
    assert result.size == (round(width), round(height))


# ------------------------------------------------------------------ bad requests
@pytest.mark.parametrize("name", ["x.gif", "x", "x.png.txt"])
def test_unknown_extension_is_refused(qapp, tmp_path, name):
    with pytest.raises(ExportError, match=r"\.png, \.svg or \.pdf") as caught:
        export_graph(core.load(LECTURE), tmp_path / name)
    assert str(tmp_path / name) in str(caught.value)
    assert _only_file(tmp_path) == []


@pytest.mark.parametrize("scale", [0, -1, float("nan"), float("inf")])
def test_bad_scale_is_refused(qapp, tmp_path, scale):
    with pytest.raises(ExportError, match="scale"):
        export_graph(core.load(LECTURE), tmp_path / "x.png", scale=scale)


def test_empty_graph_is_refused(qapp, tmp_path):
    with pytest.raises(ExportError, match="no nodes"):
        export_graph(core.Graph(), tmp_path / "x.svg")
    assert _only_file(tmp_path) == []


def test_missing_folder_is_one_clear_error(qapp, tmp_path):
    out = tmp_path / "nowhere" / "x.png"
    with pytest.raises(ExportError) as caught:
        export_graph(core.load(LECTURE), out)
    assert str(out) in str(caught.value) and "does not exist" in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("where", "code"),
    [("open", errno.EACCES), ("fsync", errno.ENOSPC), ("replace", errno.EACCES)],
)
def test_write_failures_keep_the_old_file(qapp, tmp_path, monkeypatch, where, code):
    """Root ignores read-only folders, so permission and a full disk are simulated."""
    out = tmp_path / "x.png"
    out.write_bytes(b"previous image")

    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    graph = core.load(LECTURE)
    monkeypatch.setattr(os, where, fail)
    with pytest.raises(ExportError) as caught:
        export_graph(graph, out)
    assert str(caught.value) == f"cannot write {out}: {os.strerror(code)}"
    assert out.read_bytes() == b"previous image"
    assert _only_file(tmp_path) == ["x.png"]


def test_a_folder_in_the_way_is_refused(qapp, tmp_path):
    (tmp_path / "x.svg").mkdir()
    with pytest.raises(ExportError, match="it is a folder"):
        export_graph(core.load(LECTURE), tmp_path / "x.svg")


# ----------------------------------------------------------------- huge diagrams
def _wide_graph(n: int = 4000) -> core.Graph:
    nodes = [
        {"id": f"x{i}", "op": "input", "value": i, "x": 260 * i, "y": 140 * (i % 7)}
        for i in range(n)
    ]
    return core.loads(
        json.dumps({"format": "dvar", "version": 1, "output": None, "nodes": nodes}), "wide"
    )


def test_a_huge_png_is_capped_with_a_warning(qapp, tmp_path):
    out = tmp_path / "wide.png"
    result = export_graph(_wide_graph(), out, scale=4)
    assert result.warning is not None
    assert "16,384" in result.warning and "SVG" in result.warning
    image = QImage(str(out))
    assert not image.isNull()
    assert image.width() <= export_formats.MAX_SIDE and image.height() <= export_formats.MAX_SIDE
    assert image.width() * image.height() <= export_formats.MAX_PIXELS
    assert image.width() == pytest.approx(export_formats.MAX_SIDE, abs=2)
    assert result.scale < 4


def test_the_pixel_count_is_capped_too(qapp, tmp_path):
    scene = _scene()
    rect = scene.diagram_rect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
    scale = math.sqrt(export_formats.MAX_PIXELS / (rect.width() * rect.height())) * 1.5
    result = export_scene(scene, tmp_path / "x.png", scale=scale)
    width, height = result.size
    assert result.warning is not None
    assert width * height <= export_formats.MAX_PIXELS
    assert max(width, height) <= export_formats.MAX_SIDE


# ------------------------------------------------------------------ clipboard
def test_copy_image_puts_the_diagram_on_the_clipboard(window, tmp_path):
    window.actions["copy_image"].trigger()
    image = QGuiApplication.clipboard().image()
    assert not image.isNull()
    export_scene(window.scene, tmp_path / "x.png")
    png = QImage(str(tmp_path / "x.png"))
    assert (image.width(), image.height()) == (png.width(), png.height())
    assert "Copied" in window.statusBar().currentMessage()


def test_copy_image_of_an_empty_graph_says_why(empty_window):
    empty_window.actions["copy_image"].trigger()
    assert "nothing to draw" in empty_window.statusBar().currentMessage()


# ------------------------------------------------------------ copy and print
def far_window(window, *positions):
    """The window on a graph of inputs placed at these positions."""
    nodes = [
        {"id": f"n{i}", "op": "input", "value": 1, "x": x, "y": y}
        for i, (x, y) in enumerate(positions)
    ]
    text = json.dumps({"format": "dvar", "version": 1, "output": None, "nodes": nodes})
    window.set_document(Document(core.loads(text, "far.dvar")))
    return window


def test_copy_and_print_shrink_a_node_far_away(window, tmp_path):
    from PySide6.QtGui import QPainter, QPdfWriter

    far_window(window, (0, 0), (1e308, 0))
    result = export.copy_image(window.scene)
    assert result.warning and max(result.size) <= export_formats.MAX_SIDE
    writer = QPdfWriter(str(tmp_path / "page.pdf"))
    painter = QPainter(writer)
    export.paint_diagram(window.scene, painter, QRectF(0, 0, writer.width(), writer.height()))
    painter.end()
    assert (tmp_path / "page.pdf").read_bytes().startswith(b"%PDF")


def test_print_helper_draws_in_proportion_on_a_high_dpi_device(window, tmp_path):
    """paint_diagram keeps text and boxes in proportion on a 1200 dpi page (PDF check)."""
    from PySide6.QtGui import QPainter, QPdfWriter

    out = tmp_path / "page.pdf"
    writer = QPdfWriter(str(out))
    writer.setResolution(1200)
    painter = QPainter(writer)
    target = QRectF(0, 0, writer.width(), writer.height())
    export.paint_diagram(window.scene, painter, target)
    painter.end()
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and b"/Subtype /Image" not in data


# ------------------------------------------------------------------ the CLI
def test_cli_unknown_extension_in_process(tmp_path, capsys):
    assert cli.main(["export", LECTURE, "-o", str(tmp_path / "x.gif")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1
    assert err.startswith("dvar: error: ") and "x.gif" in err
    assert _only_file(tmp_path) == []


def test_cli_prints_the_cap_warning(tmp_path, capsys):
    source = tmp_path / "wide.dvar"
    core.save(_wide_graph(), source)
    out = tmp_path / "wide.png"
    assert cli.main(["export", str(source), "-o", str(out), "--scale", "4"]) == 0
    _, err = capsys.readouterr()
    assert len(err.splitlines()) == 1
    assert err.startswith(f"dvar: warning: {out}: at scale 4 the image would be")
    assert out.exists()


def _headless_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()}
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    return env


def _dvar(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dvar", *args],
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        cwd=ROOT,
        env=_headless_env(),
        check=False,
    )


@pytest.mark.slow
def test_cli_exports_all_formats_without_a_display(tmp_path):
    for suffix, magic in ((".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")):
        out = tmp_path / f"lecture{suffix}"
        done = _dvar("export", LECTURE, "-o", str(out))
        assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
        assert out.read_bytes().startswith(magic)
    image = QImage(str(tmp_path / "lecture.png"))
    assert (image.width(), image.height()) == _expected_size(_scene().diagram_rect(), 2)


@pytest.mark.slow
def test_cli_options_scale_no_values_transparent(tmp_path):
    png, svg = tmp_path / "x.png", tmp_path / "x.svg"
    done = _dvar("export", LECTURE, "-o", str(png), "--scale", "1", "--transparent")
    assert done.returncode == 0, done.stderr
    image = QImage(str(png))
    assert (image.width(), image.height()) == _expected_size(_scene().diagram_rect(), 1)
    assert image.pixelColor(0, 0).alpha() == 0
    done = _dvar("export", LECTURE, "-o", str(svg), "--no-values")
    assert done.returncode == 0, done.stderr
    texts = _texts(svg)
    assert "dJ" not in texts and "u = b·c" in texts


@pytest.mark.slow
@pytest.mark.parametrize("target", ["x.gif", "missing/x.png"])
def test_cli_bad_output_is_one_error_line(tmp_path, target):
    out = tmp_path / target
    done = _dvar("export", LECTURE, "-o", str(out))
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("dvar: error: ")
    assert str(out) in lines[0]
    assert "Traceback" not in done.stderr
    assert _only_file(tmp_path) == []


@pytest.mark.slow
def test_cli_huge_graph_at_scale_4_is_capped(tmp_path):
    source = tmp_path / "wide.dvar"
    core.save(_wide_graph(), source)
    out = tmp_path / "wide.png"
    done = _dvar("export", str(source), "-o", str(out), "--scale", "4")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("dvar: warning: ")
    image = QImage(str(out))
    assert 0 < image.width() <= export_formats.MAX_SIDE
