"""What the canvas shows after moves, checked pixel by pixel.

Edges are drawn by the scene in two layers (settled edges in the view's cached
background, edges of moving nodes over it), and each move repaints only small
strips along them.  These tests compare what is on screen after a series of
moves with a repaint of everything from scratch: any trail or gap left by a
strip that was not repainted shows up as a differing pixel.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication, QGraphicsScene

from dvar.gui.canvas.export import export_scene
from dvar.gui.canvas.look import OUTPUT
from dvar.gui.canvas.nodes import GRID
from dvar.gui.canvas.scene_drawing import SETTLE_MS
from dvar.gui.canvas.view import readable_zoom
from dvar.gui.document.field_commands import SetField
from dvar.gui.document.structure_commands import SetOutput
from tests.gui.helpers import drag, drop_op, keys, node_point


def on_screen(window) -> QImage:
    """The canvas as it is on screen now: the window's pixels, not a fresh render."""
    QApplication.processEvents()
    view = window.view
    corner = view.viewport().mapTo(window, view.viewport().rect().topLeft())
    screen = window.screen().grabWindow(window.winId())
    image = screen.toImage()
    ratio = image.devicePixelRatio()
    size = view.viewport().size()
    x, y = int(corner.x() * ratio), int(corner.y() * ratio)
    return image.copy(x, y, int(size.width() * ratio), int(size.height() * ratio))


def from_scratch(window) -> QImage:
    """The canvas after throwing away every cache and repainting it all."""
    view = window.view
    view.resetCachedContent()
    view.viewport().repaint()
    return on_screen(window)


def differing(a: QImage, b: QImage) -> int:
    assert a.size() == b.size()
    if a == b:
        return 0
    return sum(a.pixel(x, y) != b.pixel(x, y) for y in range(a.height()) for x in range(a.width()))


def visibly_differing(a: QImage, b: QImage, levels: int = 8) -> int:
    """Pixels whose colour differs by more than ``levels`` in some channel: a trail, not
    the last-bit rounding of an antialiased curve drawn in two partial repaints."""
    assert a.size() == b.size()
    count = 0
    for y in range(a.height()):
        for x in range(a.width()):
            p, q = a.pixel(x, y), b.pixel(x, y)
            if p == q:
                continue
            if any(abs(((p >> s) & 255) - ((q >> s) & 255)) > levels for s in (0, 8, 16)):
                count += 1
    return count


def zoomed_in(window) -> None:
    """100 %, centred on the graph, without the minimap (it comes and goes on a timer)."""
    window.actions["minimap"].setChecked(False)
    view = window.view
    view.zoom_by(1.0 / view.zoom())  # 100 %, as the user zooms
    view.centerOn(window.scene.diagram_rect().center())
    QApplication.processEvents()


def settled(window, qtbot) -> None:
    scene = window.scene
    qtbot.waitUntil(lambda: not scene.live_edges, timeout=SETTLE_MS * 10)
    QApplication.processEvents()


# ------------------------------------------------------------------ moving nodes
def test_a_dragged_node_leaves_no_trail_while_moving_or_after(window, qtbot):
    zoomed_in(window)
    before = on_screen(window)
    assert differing(before, from_scratch(window)) == 0
    key = keys(window)["u"]  # three edges: from b and c, on to v
    item = window.scene.nodes[key]
    home = item.pos()
    start = node_point(window, key)
    step = int(GRID * window.view.zoom())
    # Drags into the empty space below and back, by real mouse events.
    path = [start + type(start)(dx * step, dy * step) for dx, dy in ((3, 2), (-2, 7), (4, 5))]
    for a, b in zip([start, *path], [*path, start], strict=True):
        drag(window, a, b, steps=4)
        assert item.pos() == home + QPointF(b - start)
    assert window.scene.live_edges, "the moved node's edges are drawn over the background"
    during = on_screen(window)
    assert differing(during, from_scratch(window)) == 0
    settled(window, qtbot)
    node = window.document.graph.node(key)
    assert item.pos() == QPointF(node.x, node.y)
    after = on_screen(window)
    assert differing(after, from_scratch(window)) == 0
    window.scene.clearSelection()  # the drag selected the node
    assert differing(on_screen(window), before) == 0  # the same place, the same picture


@pytest.mark.parametrize("zoom", [0.5, 0.15])
def test_zoomed_out_a_moved_node_leaves_no_trail(window, qtbot, zoom):
    # Zoomed out, a moved edge redraws fewer, longer strips (each at least STRIP_PIXELS
    # on screen): they must still cover everything it drew.  Settled back into the
    # cached background, a curve may differ from a full repaint in its last bit of
    # antialiasing, never by a trail.
    zoomed_in(window)
    view = window.view
    view.zoom_by(zoom / view.zoom())
    view.centerOn(window.scene.diagram_rect().center())
    QApplication.processEvents()
    item = window.scene.nodes[keys(window)["u"]]
    for dx, dy in ((3, 2), (-7, 9), (12, -4), (-8, -7)):
        item.setPos(item.pos() + QPointF(dx * GRID, dy * GRID))
        QApplication.processEvents()
        assert differing(on_screen(window), from_scratch(window)) == 0
    settled(window, qtbot)
    assert visibly_differing(on_screen(window), from_scratch(window)) == 0


def test_moving_edges_settle_back_into_the_background(window, qtbot):
    zoomed_in(window)
    item = window.scene.nodes[keys(window)["u"]]
    item.setPos(item.pos() + QPointF(2 * GRID, GRID))
    live = set(window.scene.live_edges)
    assert live == set(item.edges) and len(live) == 3
    assert all(edge.live for edge in live)
    settled(window, qtbot)
    assert not any(edge.live for edge in window.scene.edges.values())


def test_undoing_a_move_redraws_the_edges_where_they_were(window, qtbot):
    zoomed_in(window)
    before = on_screen(window)
    key = keys(window)["v"]
    start = node_point(window, key)
    drag(window, start, start + type(start)(0, 6 * int(GRID * window.view.zoom())), steps=5)
    settled(window, qtbot)
    assert differing(on_screen(window), before) > 0
    window.document.undo_stack.undo()
    settled(window, qtbot)
    assert differing(on_screen(window), from_scratch(window)) == 0
    window.scene.clearSelection()  # the drag selected the node
    assert differing(on_screen(window), before) == 0


# ------------------------------------------------------------------- node looks
def test_nodes_keep_cached_looks_only_while_their_text_is_readable(window):
    view, scene = window.view, window.scene
    zoomed_in(window)
    assert scene.node_looks_cached
    assert all(
        item.cacheMode() == item.CacheMode.DeviceCoordinateCache for item in scene.nodes.values()
    )
    view.zoom_by(readable_zoom() / view.zoom() * 0.9)  # too small to read: plain blocks
    assert not scene.node_looks_cached
    assert all(item.cacheMode() == item.CacheMode.NoCache for item in scene.nodes.values())
    view.zoom_by(1.0 / view.zoom())
    assert scene.node_looks_cached
    added = scene.nodes[drop_op(window, "input", view.viewport().rect().center())]
    assert added.cacheMode() == added.CacheMode.DeviceCoordinateCache  # new nodes follow suit


def test_exports_stay_vector_while_the_canvas_caches_node_looks(window, qtbot, tmp_path):
    zoomed_in(window)
    assert window.scene.node_looks_cached
    out = tmp_path / "zoomed.svg"
    export_scene(window.scene, out)
    svg = out.read_text(encoding="utf-8")
    assert "<image" not in svg
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert any("J = 3·v = 33" in t for t in texts) and any("db = 6" in t for t in texts)
    assert window.scene.node_looks_cached  # put back for the canvas


def test_an_export_during_a_drag_draws_the_edges_under_the_nodes(window, qtbot, tmp_path):
    zoomed_in(window)
    settled(window, qtbot)
    export_scene(window.scene, tmp_path / "still.png")
    item = window.scene.nodes[keys(window)["u"]]
    item.setPos(item.pos() + QPointF(GRID, 0))
    item.setPos(item.pos() - QPointF(GRID, 0))
    assert window.scene.live_edges
    export_scene(window.scene, tmp_path / "moving.png")
    assert QImage(str(tmp_path / "moving.png")) == QImage(str(tmp_path / "still.png"))


# ---------------------------------------------------------------------- minimap
def test_the_minimap_shows_every_node_as_a_block(window, qtbot):
    view, scene = window.view, window.scene
    view.zoom_by(3.0 / view.zoom())  # the graph no longer fits: the minimap shows
    minimap = view.minimap
    qtbot.waitUntil(minimap.isVisible, timeout=2000)
    palette = minimap.palette()
    block = palette.color(QPalette.ColorRole.Mid).rgb()
    output = OUTPUT.rgb()  # J, the output, is marked in amber
    pixels = minimap_pixels(minimap)
    # Five plain nodes and the output, each a block of many pixels.
    assert pixels.count(block) > 5 * 50
    assert pixels.count(output) > 50
    # Selecting a node recolours its block, and only its block.
    a, b = (scene.nodes[keys(window)[name]] for name in "ab")
    before = {item: block_pixel(minimap, item) for item in (a, b)}
    scene.select_keys([a.key])
    qtbot.waitUntil(lambda: block_pixel(minimap, a) != before[a], timeout=2000)
    assert block_pixel(minimap, b) == before[b]


def block_pixel(minimap, item) -> int:
    """The minimap's pixel at the middle of a node's block."""
    at = minimap.mapFromScene(item.mapToScene(item.rect().center()))
    return minimap.viewport().grab().toImage().pixel(at)


def minimap_pixels(minimap) -> list[int]:
    image = minimap.viewport().grab().toImage()
    return [image.pixel(x, y) for y in range(image.height()) for x in range(image.width())]


def test_edge_labels_come_and_go_cleanly_with_the_backward_view(window, qtbot):
    zoomed_in(window)
    before = on_screen(window)
    window.actions["backward"].setChecked(True)  # red edges, labelled with partials
    backward = on_screen(window)
    assert differing(backward, before) > 0
    assert differing(backward, from_scratch(window)) == 0
    window.actions["backward"].setChecked(False)
    assert differing(on_screen(window), from_scratch(window)) == 0
    assert differing(on_screen(window), before) == 0


def test_a_picked_node_is_drawn_above_the_others(window):
    zoomed_in(window)
    u, v = (window.scene.nodes[keys(window)[name]] for name in "uv")
    window.scene.select_keys([u.key])
    assert u.zValue() > v.zValue()
    window.scene.select_keys([v.key])
    assert v.zValue() > u.zValue()
    # Dragged over v, u covers it: the middle of v shows u's box, not v's.
    start = node_point(window, u.key)
    drag(window, start, node_point(window, v.key), steps=4)
    middle = window.view.mapFromScene(v.mapToScene(v.rect().center()))
    assert window.view.itemAt(middle) is u


# ------------------------------------------------------------------- zoomed out
def test_zoomed_out_new_numbers_wait_until_text_is_readable_again(window, qtbot):
    view, scene, graph = window.view, window.scene, window.document.graph
    window.actions["minimap"].setChecked(False)
    view.zoom_by(readable_zoom() * 0.8 / view.zoom())  # plain blocks, not even names
    assert not scene.text_readable
    before = on_screen(window)
    a = graph.key_of("a")
    window.document.run(SetField.to(graph, a, "value", 7.0))
    assert differing(on_screen(window), before) == 0  # the blocks look the same
    assert differing(on_screen(window), from_scratch(window)) == 0
    window.document.run(SetOutput(graph, graph.key_of("v")))  # J's block loses its colour
    assert differing(on_screen(window), before) > 0
    assert differing(on_screen(window), from_scratch(window)) == 0
    view.zoom_by(1.0 / view.zoom())
    assert scene.text_readable
    assert differing(on_screen(window), from_scratch(window)) == 0
    assert scene.nodes[a].value_text == "a = 7"


def test_repainting_only_an_edges_label_or_arrowhead_keeps_them(window, qtbot):
    """Another edge's strip may cover just the label (or the arrowhead) of an edge whose
    curve runs elsewhere: the repaint must draw them again, not wipe them."""
    zoomed_in(window)
    window.actions["backward"].setChecked(True)
    settled(window, qtbot)
    assert differing(on_screen(window), from_scratch(window)) == 0
    scene = window.scene
    edge = scene.edges[(keys(window)["v"], 0)]  # a → v, labelled with ∂v/∂a = 1
    assert edge.label
    mid = edge._mid
    # the top of the label's pill, which the curve (through the middle, below it) stays off
    label_only = QRectF(mid.x() - 3, mid.y() - 22, 6, 5)
    assert not edge._path.intersects(label_only.adjusted(-4, -4, 4, 4))
    assert edge.crosses(label_only)
    start, _ = edge.ends()
    arrow_tip = QRectF(start.x() + 7, start.y() + 3, 4, 3)  # backward: the arrow is at the source
    assert edge.crosses(arrow_tip)
    for rect in (label_only, arrow_tip):
        scene.invalidate(rect, QGraphicsScene.SceneLayer.BackgroundLayer)
        assert differing(on_screen(window), from_scratch(window)) == 0


def test_the_overview_is_redrawn_for_a_new_shape_or_a_lost_value_not_for_a_new_number(window):
    scene, graph = window.scene, window.document.graph
    redrawn = []
    scene.overview_changed.connect(lambda: redrawn.append(True))
    window.document.run(SetField.to(graph, graph.key_of("a"), "value", 7.0))
    assert not redrawn  # same shapes, same colours
    window.document.run(SetField.to(graph, graph.key_of("three"), "value", 1e308))
    assert "J" in window.document.evaluation.errors  # 1e308 · 11 overflows
    assert redrawn  # J loses its value: drawn in the error colour
    redrawn.clear()
    window.document.undo_stack.undo()
    assert redrawn  # and get them back
    redrawn.clear()
    graph_item = scene.nodes[graph.key_of("a")]
    window.document.run(SetField.to(graph, graph_item.key, "label", "α"))
    assert redrawn  # a new label is a new block text
