"""New nodes land in free space: from the palette, from quick-add, from a drop, and the
constant made at an empty input port, which goes to the left of its port."""

from __future__ import annotations

import time

from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dvar.gui.canvas import placement
from dvar.gui.canvas.nodes import GRID, NodeItem
from dvar.gui.canvas.view import EDGE_ROOM, NODE_GAP
from tests.gui.helpers import double_click, drop_op, fit, keys, port_point


# ------------------------------------------------------------------ geometry
def _grown(rect: placement.Rect, by: float) -> placement.Rect:
    x, y, w, h = rect
    return x - by, y - by, w + 2 * by, h + 2 * by


def _overlap(a: placement.Rect, b: placement.Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _place_many(count: int, wanted=(0.0, 0.0), size=(200.0, 80.0), gap=40.0):
    rects: list[placement.Rect] = []
    queries = []

    def obstacles(window):
        queries.append(window)
        return [r for r in rects if _overlap(r, window)]

    for _ in range(count):
        x, y = placement.free_spot(size, wanted, obstacles, gap=gap, step=GRID)
        rects.append((x, y, *size))
    return rects, queries


def test_thirty_rectangles_asked_for_at_one_spot_never_overlap_and_stay_close():
    rects, _ = _place_many(30)
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not _overlap(_grown(a, 40.0 - 1e-6), b), (a, b)  # the gap is kept too
    assert rects[0][:2] == (0.0, 0.0)  # a free spot is taken as asked
    # Thirty boxes with their gaps cover about 30 × 240 × 120 units²: a disc of radius
    # ~530.  None goes much further than that.
    assert max(abs(x) + abs(y) for x, y, _, _ in rects) < 1500
    assert all(x % GRID == 0 and y % GRID == 0 for x, y, _, _ in rects)


def test_placement_is_deterministic():
    assert _place_many(12)[0] == _place_many(12)[0]


def test_a_right_limit_keeps_the_rectangle_left_of_it():
    blocker = (-300.0, -100.0, 400.0, 300.0)  # covers the wanted spot
    x, y = placement.free_spot(
        (100.0, 50.0),
        (-200.0, 0.0),
        lambda window: [blocker],
        gap=20.0,
        step=GRID,
        right_limit=-150.0,
    )
    assert x + 100.0 <= -150.0
    assert not _overlap(_grown(blocker, 20.0 - 1e-6), (x, y, 100.0, 50.0))


def test_a_crowded_canvas_asks_the_index_only_a_few_times_and_answers_fast():
    """5,000 boxes on a tight grid, the wanted spot in the middle: the answer is outside
    the crowd, found with a handful of window queries, not one per box."""
    rects = [(260.0 * (i % 70), 120.0 * (i // 70), 184.0, 80.0) for i in range(5000)]
    queries = []

    def obstacles(window):
        queries.append(window)
        return [r for r in rects if _overlap(r, window)]

    start = time.perf_counter()
    x, y = placement.free_spot((190.0, 90.0), (9000.0, 4300.0), obstacles, gap=40.0)
    elapsed = time.perf_counter() - start
    assert not any(_overlap(_grown(r, 40.0 - 1e-6), (x, y, 190.0, 90.0)) for r in rects)
    assert len(queries) <= 8
    assert elapsed < 2.0  # the test's own obstacle scan dominates; the search is a few ms


@given(
    st.lists(
        st.tuples(
            st.integers(-30, 30), st.integers(-30, 30), st.integers(1, 30), st.integers(1, 30)
        ),
        max_size=25,
    ),
    st.integers(-40, 40),
    st.integers(-40, 40),
)
def test_any_answer_is_clear_of_every_obstacle(boxes, wx, wy):
    rects = [(x * 10.0, y * 10.0, w * 10.0, h * 10.0) for x, y, w, h in boxes]
    size = (184.0, 78.0)
    x, y = placement.free_spot(
        size, (wx * 10.0, wy * 10.0), lambda window: rects, gap=20.0, step=GRID
    )
    assert not any(_overlap(_grown(r, 20.0 - 1e-6), (x, y, *size)) for r in rects)


# ------------------------------------------------------------------ the canvas
def _node_boxes(window) -> dict[int, QRectF]:
    """Each node's box with its ports, where the graph says it is (so a constant drawn
    as a chip on its port counts at its own position too)."""
    graph = window.document.graph
    boxes = {}
    for node in graph:
        bounds = NodeItem(-1, node.op.arity).boundingRect()
        boxes[node.key] = bounds.translated(node.x, node.y)
    return boxes


def _assert_apart(window, new: list[int]) -> None:
    boxes = _node_boxes(window)
    for key in new:
        grown = boxes[key].adjusted(-NODE_GAP + 1, -NODE_GAP + 1, NODE_GAP - 1, NODE_GAP - 1)
        for other, box in boxes.items():
            if other != key:
                assert not grown.intersects(box), (window.document.graph.id_of(key), other)


def _centre(window) -> QPointF:
    view = window.view
    return view.mapToScene(view.viewport().rect().center())


def test_thirty_palette_adds_at_the_centre_never_overlap(window):
    fit(window)
    centre = _centre(window)
    before = set(window.scene.nodes)
    for _ in range(30):
        window._add_from_palette("add")
    new = sorted(set(window.scene.nodes) - before)
    assert len(new) == 30
    _assert_apart(window, new)
    boxes = _node_boxes(window)
    first = boxes[new[0]].center()
    assert (first - centre).manhattanLength() < 300  # the first is near the centre
    assert all((boxes[k].center() - centre).manhattanLength() < 2500 for k in new)
    # Undo takes them back one by one.
    for _ in range(30):
        window.document.undo_stack.undo()
    assert set(window.scene.nodes) == before


def test_quick_add_places_the_node_in_free_space_near_the_cursor(window):
    fit(window)
    graph = window.document.graph
    k = keys(window)
    u = window.scene.nodes[k["u"]]
    at = u.sceneBoundingRect().center()  # Tab pressed over a node
    added = []
    for _ in range(3):
        before = set(window.scene.nodes)
        window.quick_add.open(at)
        QTest.keyClicks(window.quick_add.search, "tanh")
        QTest.keyClick(window.quick_add.search, Qt.Key.Key_Return)
        QApplication.processEvents()
        (key,) = set(window.scene.nodes) - before
        assert graph.node(key).op.name == "tanh"
        added.append(key)
    _assert_apart(window, added)
    for key in added:
        assert (_node_boxes(window)[key].center() - at).manhattanLength() < 1200


def test_a_drop_on_a_node_lands_beside_it(window):
    fit(window)
    k = keys(window)
    target = window.view.mapFromScene(window.scene.nodes[k["v"]].sceneBoundingRect().center())
    key = drop_op(window, "exp", target)
    _assert_apart(window, [key])


def test_the_constant_for_an_empty_port_goes_left_of_it_in_free_space(window):
    fit(window)
    graph = window.document.graph
    view = window.view
    neg = drop_op(window, "neg", view.mapFromScene(_centre(window)))
    # Crowd the spot left of the port, where the constant would go.
    item = window.scene.nodes[neg]
    port = item.mapToScene(item.input_port(0))
    crowd = []
    for _ in range(4):
        crowd.append(view.add_node("input", QPointF(port.x() - EDGE_ROOM - 180, port.y() - 40)))
    fit(window)
    before, steps = {n.key for n in graph}, window.document.undo_stack.index()
    double_click(window, port_point(window, neg, "in", 0))
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    QApplication.processEvents()
    (const,) = {n.key for n in graph} - before
    assert graph.node(neg).inputs == [const]
    _assert_apart(window, [const])
    probe = NodeItem(-1, 0)
    node = graph.node(const)
    out_x = node.x + probe.output_port().x()
    assert out_x <= port.x() - EDGE_ROOM  # to the left, with room for the edge's label
    assert port.x() - out_x < 1500
    for _ in range(window.document.undo_stack.index() - steps):
        window.document.undo_stack.undo()
    assert graph.node(neg).inputs == [None]
    assert const not in {n.key for n in graph}


def test_an_uncrowded_constant_sits_level_with_its_port(empty_window):
    window = empty_window
    graph = window.document.graph
    neg = window.view.add_node("neg", QPointF(0, 0))
    item = window.scene.nodes[neg]
    port = item.mapToScene(item.input_port(0))
    free = window.view.constant_spot(port)
    out = NodeItem(-1, 0).output_port()
    assert abs(free.y() + out.y() - port.y()) <= GRID  # level, give or take the grid
    assert port.x() - (free.x() + out.x()) <= EDGE_ROOM + GRID
    assert graph.node(neg).inputs == [None]  # only asked, nothing added
