"""Driving the canvas like a person: real mouse events on the view's viewport."""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData, QPoint, QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from dvar import core
from dvar.gui.canvas.view import OP_MIME


def viewport_point(window, scene_point: QPointF) -> QPoint:
    return window.view.mapFromScene(scene_point)


def port_point(window, key: int, side: str, slot: int = 0) -> QPoint:
    item = window.scene.nodes[key]
    local = item.output_port() if side == "out" else item.input_port(slot)
    return viewport_point(window, item.mapToScene(local))


def drag(window, start: QPoint, end: QPoint, steps: int = 6) -> None:
    """Press, move in steps, release: a real mouse drag on the canvas."""
    viewport = window.view.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    for i in range(1, steps + 1):
        point = start + (end - start) * (i / steps)
        QTest.mouseMove(viewport, point)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    QApplication.processEvents()


def connect(window, source: int, consumer: int, slot: int) -> None:
    drag(window, port_point(window, source, "out"), port_point(window, consumer, "in", slot))


def drop_op(window, op: str, at: QPoint) -> int:
    """A palette drag, as the drop event it ends in (QTest cannot drive QDrag.exec)."""
    data = QMimeData()
    data.setData(OP_MIME, op.encode())
    before = set(window.scene.nodes)
    event = QDropEvent(
        QPointF(at),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.view.dropEvent(event)
    QApplication.processEvents()
    (key,) = set(window.scene.nodes) - before
    return key


def type_value(window, qtbot, key: int, text: str) -> None:
    """Double-click the node's value, type, press Enter."""
    item = window.scene.nodes[key]
    double_click(window, viewport_point(window, item.mapToScene(item.value_rect().center())))
    editor = window.view.value_editor
    assert editor.isVisible()
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()


# ------------------------------------------------------------ lecture windows
def keys(window) -> dict[str, int]:
    """Node id -> stable key, for the window's graph as it is now."""
    return {node.id: node.key for node in window.document.graph}


def fit(window) -> None:
    """Show the whole graph, so every port is on screen for the mouse."""
    window.view.fit()
    QApplication.processEvents()


def status(window) -> str:
    return window.statusBar().currentMessage()


def node_point(window, key: int) -> QPoint:
    """A point on the node's header: grabs the node itself, not a port."""
    item = window.scene.nodes[key]
    return viewport_point(window, item.mapToScene(QPointF(item.boundingRect().width() / 2, 10)))


def empty_point(window, near: QPoint | None = None) -> QPoint:
    """A viewport point with no item under it (closest to ``near``, default the centre)."""
    view = window.view
    rect = view.viewport().rect()
    near = near if near is not None else rect.center()
    spots = [
        QPoint(x, y)
        for x in range(20, rect.width() - 20, 20)
        for y in range(20, rect.height() - 20, 20)
    ]
    spots.sort(key=lambda p: (p - near).manhattanLength())
    for spot in spots:
        # a margin around the spot: the band or drop must not graze an edge's shape
        if not view.items(QRect(spot - QPoint(8, 8), spot + QPoint(8, 8))):
            return spot
    raise AssertionError("no empty spot on the canvas")


def click(window, point: QPoint, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, modifiers, point)
    QApplication.processEvents()


def double_click(window, point: QPoint) -> None:
    """A person's double-click: a click, then the second press that Qt reports as double."""
    click(window, point)
    QTest.mouseDClick(
        window.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
    )
    QApplication.processEvents()


def press_key(window, key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed while the canvas has focus (shortcuts included)."""
    window.view.setFocus()
    QTest.keyClick(window.view, key, modifiers)
    QApplication.processEvents()


def rubber_band(window, scene_rect: QRectF) -> None:
    """Drag a selection band over ``scene_rect``, starting on empty canvas."""
    start = viewport_point(window, scene_rect.topLeft())
    assert not window.view.items(start), "the band must start on empty canvas"
    drag(window, start, viewport_point(window, scene_rect.bottomRight()))


def scene_rect_of(window, ids: list[str]) -> QRectF:
    """The scene rectangle around some nodes, with a margin."""
    graph = window.document.graph
    rect = QRectF()
    for node_id in ids:
        rect = rect.united(window.scene.nodes[graph.key_of(node_id)].sceneBoundingRect())
    return rect.adjusted(-30, -30, 30, 30)


def dumps(window) -> str:
    return core.dumps(window.document.graph)


def facts(text: str) -> dict:
    """A graph's text with the node order left out: what it means, not how it is listed."""
    document = json.loads(text)
    document["nodes"] = {record["id"]: record for record in document["nodes"]}
    return document


def assert_restored(window, before: str) -> None:
    """The graph is back to ``before``: the same nodes, edges and fields, then the same text."""
    now = dumps(window)
    was, is_ = facts(before), facts(now)
    changed = {
        node_id: (was["nodes"].get(node_id), is_["nodes"].get(node_id))
        for node_id in was["nodes"].keys() | is_["nodes"].keys()
        if was["nodes"].get(node_id) != is_["nodes"].get(node_id)
    }
    assert was == is_, f"not restored: (before, now) = {changed or (was, is_)}"
    assert now == before, f"same graph, but the file lists its nodes in another order:\n{now}"


def fill_formula_dialog(text: str, replace: bool) -> list:
    """Answer the next formula dialog like a person: type, pick Replace or Insert, click Build.

    Returns a list that receives the dialog once it shows, then the reason if it refused.
    """
    seen: list = []

    def answer() -> None:
        from dvar.gui.dialogs.formula import FormulaDialog

        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, FormulaDialog):
            QTimer.singleShot(10, answer)
            return
        seen.append(dialog)
        assert QTest.qWaitForWindowExposed(dialog)
        editor = dialog.editor
        editor.setFocus()
        QTest.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        QTest.keyClick(editor, Qt.Key.Key_Delete)
        for n, line in enumerate(text.split("\n")):
            if n:
                QTest.keyClick(editor, Qt.Key.Key_Return)
            QTest.keyClicks(editor, line)
        choice = dialog.replace if replace else dialog.insert
        # on its round button: a radio button's label ends well before the widget does
        at = QPoint(8, choice.height() // 2)
        QTest.mouseClick(choice, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
        assert choice.isChecked()
        build = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        QTest.mouseClick(build, Qt.MouseButton.LeftButton)
        if dialog.isVisible():  # refused: say why, and never leave a test waiting on it
            seen.append(dialog.error.text())
            dialog.reject()

    QTimer.singleShot(0, answer)
    return seen
