"""Driving the canvas like a person: real mouse events on the view's viewport."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from gui.view import OP_MIME


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
    point = viewport_point(window, item.mapToScene(item.value_rect().center()))
    QTest.mouseDClick(
        window.view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
    )
    editor = window.view.value_editor
    assert editor.isVisible()
    editor.selectAll()
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
