"""Keyboard and navigation on the canvas: quick-add, F2, find, zoom, fit, and the title."""

import pytest
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QCursor, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog

from tests.gui.helpers import (
    click,
    double_click,
    drop_op,
    empty_point,
    fit,
    keys,
    node_point,
    port_point,
    press_key,
    status,
    type_value,
)


def hover(window, point: QPoint) -> None:
    """Put the pointer over the canvas, as Qt's cursor and as a mouse move."""
    viewport = window.view.viewport()
    QCursor.setPos(viewport.mapToGlobal(point))
    QTest.mouseMove(viewport, point)
    QApplication.processEvents()


def visible_rect(window) -> QRectF:
    view = window.view
    return view.mapToScene(view.viewport().rect()).boundingRect()


def test_tab_opens_quick_add_at_the_cursor_and_enter_adds(window):
    win = window
    fit(win)
    spot = empty_point(win)
    hover(win, spot)
    press_key(win, Qt.Key.Key_Tab)
    box = win.quick_add
    assert box.isVisible() and box.search.hasFocus()
    QTest.keyClicks(box.search, "tanh")
    assert box.list.currentItem().data(Qt.ItemDataRole.UserRole) == "tanh"
    QTest.keyClick(box.search, Qt.Key.Key_Return)
    assert not box.isVisible()
    (node,) = [n for n in win.document.graph if n.op.name == "tanh"]
    at = win.view.mapToScene(spot)
    # On the grid, in the free spot nearest the cursor (test_placement.py checks "free").
    assert node.x % 20 == 0 and node.y % 20 == 0
    assert abs(node.x - at.x()) + abs(node.y - at.y()) <= 400
    assert win.scene.selected_keys() == [node.key]
    assert win.view.hasFocus()


def test_escape_closes_quick_add_without_adding(window):
    win = window
    count = len(win.document.graph)
    press_key(win, Qt.Key.Key_Tab)
    QTest.keyClick(win.quick_add.search, Qt.Key.Key_Escape)
    assert not win.quick_add.isVisible()
    assert len(win.document.graph) == count


def test_double_clicking_an_empty_input_port_adds_a_constant_ready_to_type(window, qtbot):
    win = window
    fit(win)
    neg = drop_op(win, "neg", empty_point(win))
    double_click(win, port_point(win, neg, "in", 0))
    graph = win.document.graph
    (constant,) = graph.node(neg).inputs
    assert constant is not None and graph.node(constant).op.name == "const"
    assert win.document.undo_stack.undoText() == "Add constant into neg"
    editor = win.view.value_editor
    assert editor.isVisible() and editor.hasFocus() and editor.key == constant
    QTest.keyClicks(editor, "7")  # the old text is selected: typing replaces it
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert graph.node(constant).value == 7
    assert win.scene.nodes[neg].value_text == "neg = −7 = -7"  # the 7 is a chip on the port


def test_f2_focuses_the_inspector_name_and_renaming_follows_everywhere(window):
    win, k = window, keys(window)
    fit(win)
    click(win, node_point(win, k["b"]))
    press_key(win, Qt.Key.Key_F2)
    name = win.inspector.name
    assert name.hasFocus() and name.selectedText() == "b"
    QTest.keyClicks(name, "beta")
    QTest.keyClick(name, Qt.Key.Key_Return)
    graph = win.document.graph
    assert graph.node(k["b"]).id == "beta"
    assert graph.inputs_of("u") == ["beta", "c"]  # references follow
    item = win.scene.nodes[k["b"]]
    assert item.title == "beta" and item.grad_text == "dbeta = 6"
    row = win.panel.rows[k["c"]]
    row.setExpanded(True)
    assert row.child(0).text(0) == "dc = du · ∂u/∂c = du · beta = 3 · 3 = 9"
    assert win.document.undo_stack.undoText() == "Rename b → beta"


def test_a_bad_name_is_refused_and_the_field_shows_the_old_one(window):
    win, k = window, keys(window)
    fit(win)
    click(win, node_point(win, k["b"]))
    press_key(win, Qt.Key.Key_F2)
    name = win.inspector.name
    QTest.keyClicks(name, "c")  # taken
    QTest.keyClick(name, Qt.Key.Key_Return)
    assert win.document.graph.node(k["b"]).id == "b"
    assert name.text() == "b"
    assert "already exists" in status(win)


def test_ctrl_f_finds_selects_and_centres_a_node(window, monkeypatch):
    win, k = window, keys(window)
    asked = []

    def choose(parent, title, label, items, *args):
        asked.append(list(items))
        return "c", True

    monkeypatch.setattr(QInputDialog, "getItem", choose)
    win.view.centerOn(5000, 5000)
    press_key(win, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert asked == [sorted(k)]
    assert win.scene.selected_keys() == [k["c"]]
    centre = visible_rect(win).center()
    target = win.scene.nodes[k["c"]].sceneBoundingRect().center()
    assert (centre - target).manhattanLength() < 4


def test_the_wheel_zooms_around_the_cursor(window):
    win = window
    fit(win)
    view = win.view
    point = QPoint(300, 300)
    hover(win, point)
    under = view.mapToScene(point)
    zoom = view.zoom()
    for steps in (1, -2):
        event = QWheelEvent(
            QPointF(point),
            QPointF(view.viewport().mapToGlobal(point)),
            QPoint(0, 0),
            QPoint(0, 120 * steps),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(view.viewport(), event)
        assert view.zoom() == pytest.approx(zoom * 1.15**steps)
        assert (view.mapToScene(point) - under).manhattanLength() < 3  # the spot stays put
        zoom = view.zoom()


def test_f_fits_every_node_into_view(window):
    win = window
    win.view.zoom_by(3.0)
    win.view.centerOn(3000, -3000)
    press_key(win, Qt.Key.Key_F)
    shown = visible_rect(win)
    for item in win.scene.nodes.values():
        assert shown.contains(item.sceneBoundingRect())
    assert win.view.zoom() <= 1.0


def test_title_and_the_modified_mark(window, qtbot):
    win, k = window, keys(window)
    assert win.windowTitle() == "lecture.dvar[*] — dvar"
    assert not win.isWindowModified()
    fit(win)
    type_value(win, qtbot, k["a"], "5.001")
    assert win.isWindowModified()
    win.actions["undo"].trigger()
    assert win.document.graph.node("a").value == 5
    assert not win.isWindowModified()
    win.actions["redo"].trigger()
    assert win.isWindowModified()
