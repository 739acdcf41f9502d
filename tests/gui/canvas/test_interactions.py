"""Every gesture, cancelled by Esc halfway through with real mouse events: the graph, the
undo history and what the canvas shows are as they were before the press."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dvar.gui.canvas.interactions import (
    AddConstant,
    Connect,
    Move,
    Pan,
    Reconnect,
    RubberBand,
)
from tests.gui.helpers import (
    click,
    double_click,
    drop_op,
    dumps,
    empty_point,
    fit,
    keys,
    node_point,
    port_point,
    scene_rect_of,
    viewport_point,
)

LEFT, MIDDLE = Qt.MouseButton.LeftButton, Qt.MouseButton.MiddleButton
NONE = Qt.KeyboardModifier.NoModifier


def history(window) -> tuple[int, int, bool, str]:
    stack = window.document.undo_stack
    return stack.count(), stack.index(), stack.isClean(), stack.undoText()


def press(window, at: QPoint, button=LEFT) -> None:
    window.view.setFocus()  # as the click itself would give it
    QTest.mousePress(window.view.viewport(), button, NONE, at)


def move(window, start: QPoint, end: QPoint, steps: int = 6) -> None:
    for i in range(1, steps + 1):
        QTest.mouseMove(window.view.viewport(), start + (end - start) * (i / steps))


def release(window, at: QPoint, button=LEFT) -> None:
    QTest.mouseRelease(window.view.viewport(), button, NONE, at)
    QApplication.processEvents()


def escape(window) -> None:
    """Esc, to whichever widget has the keyboard (the canvas, or the value editor)."""
    QTest.keyClick(QApplication.focusWidget() or window.view, Qt.Key.Key_Escape)
    QApplication.processEvents()


def test_esc_cancels_a_new_edge_being_dragged(window):
    win, k = window, keys(window)
    fit(win)
    neg = drop_op(win, "neg", empty_point(win))
    before, was = dumps(win), history(win)
    start, target = port_point(win, k["a"], "out"), port_point(win, neg, "in", 0)
    press(win, start)
    move(win, start, target)
    assert isinstance(win.view.interaction, Connect)
    assert win.scene.transient and win.scene.nodes[neg].valid_ports == {0}
    escape(win)
    assert win.view.interaction is None
    assert not win.scene.transient  # the dashed line is gone
    assert not any(item.valid_ports for item in win.scene.nodes.values())
    release(win, target)  # dropped right on the free slot: still nothing
    assert dumps(win) == before and history(win) == was
    assert win.document.graph.node(neg).inputs == [None]


def test_esc_puts_a_picked_up_edge_end_back(window):
    win, k = window, keys(window)
    fit(win)
    before, was = dumps(win), history(win)
    start, away = port_point(win, k["u"], "in", 0), empty_point(win)
    press(win, start)
    move(win, start, away)
    assert isinstance(win.view.interaction, Reconnect)
    assert not win.scene.edges[(k["u"], 0)].isVisible()  # the end is in hand
    escape(win)
    assert win.scene.edges[(k["u"], 0)].isVisible()
    assert not win.scene.transient
    release(win, away)  # on empty canvas, which would disconnect it
    assert dumps(win) == before and history(win) == was
    assert win.document.graph.inputs_of("u") == ["b", "c"]


def test_esc_puts_dragged_nodes_back_where_they_were(window):
    win, k = window, keys(window)
    fit(win)
    click(win, node_point(win, k["b"]))
    click(win, node_point(win, k["c"]), Qt.KeyboardModifier.ControlModifier)
    before, was = dumps(win), history(win)
    items = [win.scene.nodes[k["b"]], win.scene.nodes[k["c"]]]
    places = [item.pos() for item in items]
    edge = win.scene.edges[(k["u"], 0)]
    ends = edge.ends()
    start = node_point(win, k["c"])
    end = start + QPoint(97, 43)
    press(win, start)
    move(win, start, end, steps=12)
    assert isinstance(win.view.interaction, Move)
    assert [item.pos() for item in items] != places  # both follow the mouse
    escape(win)
    assert [item.pos() for item in items] == places
    assert edge.ends() == ends
    move(win, end, end + QPoint(60, 60))  # the rest of the drag moves nothing
    release(win, end + QPoint(60, 60))
    assert [item.pos() for item in items] == places
    assert dumps(win) == before and history(win) == was
    assert set(win.scene.selected_keys()) == {k["b"], k["c"]}


def test_esc_puts_a_node_from_a_file_back_off_the_grid(window):
    """A file may place a node between grid lines: cancelling a drag puts it back exactly."""
    win, k = window, keys(window)
    item = win.scene.nodes[k["a"]]
    item.snap = False
    item.setPos(item.pos() + QPointF(7.5, 3.25))
    item.snap = True
    place = item.pos()
    fit(win)
    start = node_point(win, k["a"])
    press(win, start)
    move(win, start, start + QPoint(80, 0))
    assert item.pos() != place
    escape(win)
    release(win, start + QPoint(80, 0))
    assert item.pos() == place


def test_esc_gives_back_the_selection_a_rubber_band_replaced(window):
    win, k = window, keys(window)
    fit(win)
    click(win, node_point(win, k["J"]))
    was = history(win)
    rect = scene_rect_of(win, ["b", "c", "u"])
    start, end = viewport_point(win, rect.topLeft()), viewport_point(win, rect.bottomRight())
    assert not win.view.items(start)
    press(win, start)
    move(win, start, end)
    assert isinstance(win.view.interaction, RubberBand)
    assert set(win.scene.selected_keys()) == {k["b"], k["c"], k["u"]}
    assert not win.view.rubberBandRect().isEmpty()
    escape(win)
    assert win.view.rubberBandRect().isEmpty()  # the band is gone at once
    assert win.scene.selected_keys() == [k["J"]]
    move(win, end, end + QPoint(40, 40))
    release(win, end + QPoint(40, 40))
    assert win.scene.selected_keys() == [k["J"]]
    assert history(win) == was
    # the next band works as ever
    press(win, start)
    move(win, start, end)
    release(win, end)
    assert set(win.scene.selected_keys()) == {k["b"], k["c"], k["u"]}


def test_esc_scrolls_a_pan_back(window):
    win = window
    fit(win)
    view = win.view
    scrolled = (view.horizontalScrollBar().value(), view.verticalScrollBar().value())
    centre = view.mapToScene(view.viewport().rect().center())
    start = empty_point(win)
    press(win, start, MIDDLE)
    move(win, start, start + QPoint(-150, -90))
    assert isinstance(view.interaction, Pan)
    assert view.viewport().cursor().shape() == Qt.CursorShape.ClosedHandCursor
    assert view.horizontalScrollBar().value() != scrolled[0]
    escape(win)
    assert (view.horizontalScrollBar().value(), view.verticalScrollBar().value()) == scrolled
    assert view.mapToScene(view.viewport().rect().center()) == centre
    assert view.viewport().cursor().shape() != Qt.CursorShape.ClosedHandCursor
    release(win, start + QPoint(-150, -90), MIDDLE)
    assert (view.horizontalScrollBar().value(), view.verticalScrollBar().value()) == scrolled


def test_esc_scrolls_a_space_drag_back(window):
    win = window
    fit(win)
    view = win.view
    scrolled = (view.horizontalScrollBar().value(), view.verticalScrollBar().value())
    start = node_point(win, keys(win)["u"])  # with Space down even a node pans
    view.setFocus()
    QTest.keyPress(view, Qt.Key.Key_Space)
    press(win, start)
    move(win, start, start + QPoint(120, 60))
    assert isinstance(view.interaction, Pan)
    escape(win)
    release(win, start + QPoint(120, 60))
    QTest.keyRelease(view, Qt.Key.Key_Space)
    assert (view.horizontalScrollBar().value(), view.verticalScrollBar().value()) == scrolled
    assert win.scene.selected_keys() == []


def test_esc_during_the_double_click_takes_the_constant_back(window):
    """The second click's button is still down when Esc comes."""
    win = window
    fit(win)
    neg = drop_op(win, "neg", empty_point(win))
    before, was = dumps(win), history(win)
    count = len(win.document.graph)
    port = port_point(win, neg, "in", 0)
    viewport = win.view.viewport()
    press(win, port)
    release(win, port)
    QTest.mousePress(viewport, LEFT, NONE, port)
    QTest.mouseDClick(viewport, LEFT, NONE, port)
    assert isinstance(win.view.interaction, AddConstant)
    assert len(win.document.graph) == count + 1  # the constant is there, ready to type
    assert win.view.value_editor.isVisible()
    escape(win)
    assert len(win.document.graph) == count
    assert not win.view.value_editor.isVisible()
    assert win.view.interaction is None
    release(win, port)
    assert dumps(win) == before and history(win) == was
    assert win.scene.selected_keys() == [neg]  # as the clicks left it


def test_esc_while_typing_the_new_constant_takes_it_back(window):
    win = window
    fit(win)
    neg = drop_op(win, "neg", empty_point(win))
    before, was = dumps(win), history(win)
    double_click(win, port_point(win, neg, "in", 0))
    editor = win.view.value_editor
    assert editor.hasFocus() and win.document.undo_stack.undoText() == "Add constant into neg"
    QTest.keyClicks(editor, "7")
    escape(win)
    assert dumps(win) == before and history(win) == was
    assert not editor.isVisible() and win.view.interaction is None
    assert set(win.scene.nodes) == {node.key for node in win.document.graph}


def test_a_constant_whose_value_was_entered_stays_after_esc(window):
    """Once Enter has set the value the gesture is over: Esc no longer takes it back."""
    win = window
    fit(win)
    neg = drop_op(win, "neg", empty_point(win))
    double_click(win, port_point(win, neg, "in", 0))
    editor = win.view.value_editor
    QTest.keyClicks(editor, "7")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert win.view.interaction is None
    escape(win)
    (constant,) = win.document.graph.node(neg).inputs
    assert win.document.graph.node(constant).value == 7


def test_clicking_away_keeps_the_new_constant(window):
    win = window
    fit(win)
    neg = drop_op(win, "neg", empty_point(win))
    double_click(win, port_point(win, neg, "in", 0))
    click(win, empty_point(win))
    assert win.view.interaction is None and not win.view.value_editor.isVisible()
    (constant,) = win.document.graph.node(neg).inputs
    assert win.document.graph.node(constant).value == 1
    assert win.document.undo_stack.undoText() == "Add constant into neg"


def test_esc_without_a_gesture_still_clears_the_selection(window):
    win, k = window, keys(window)
    fit(win)
    click(win, node_point(win, k["b"]))
    assert win.scene.selected_keys() == [k["b"]]
    escape(win)
    assert win.scene.selected_keys() == []


def test_a_cancelled_gesture_leaves_the_next_one_working(window):
    win, k = window, keys(window)
    fit(win)
    start = node_point(win, k["a"])
    press(win, start)
    move(win, start, start + QPoint(60, 0))
    escape(win)
    release(win, start + QPoint(60, 0))
    was = win.document.undo_stack.count()
    press(win, start)
    move(win, start, start + QPoint(60, 40))
    release(win, start + QPoint(60, 40))
    assert win.document.undo_stack.count() == was + 1
    assert win.document.undo_stack.undoText() == "Move a"
    assert win.document.graph.node("a").x != 0


def test_an_export_mid_drag_leaves_the_dragged_edge_out(window, tmp_path):
    from dvar.gui.canvas.export import export_scene

    win, k = window, keys(window)
    fit(win)
    start = port_point(win, k["a"], "out")
    press(win, start)
    move(win, start, empty_point(win))
    (line,) = win.scene.transient
    result = export_scene(win.scene, tmp_path / "mid.svg")
    assert line.isVisible()  # shown again after drawing
    assert "stroke-dasharray" not in result.path.read_text()
    escape(win)
    release(win, start)
    assert QRectF(win.scene.itemsBoundingRect()).isValid()
