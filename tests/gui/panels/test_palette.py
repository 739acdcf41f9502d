"""The palette: double-click an op (or press Enter on it) to add it in the middle of the canvas."""

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dvar.gui.panels.operations import OP_ROLE


def palette_item(window, op: str):
    palette = window.palette.list
    (item,) = [
        palette.item(i) for i in range(palette.count()) if palette.item(i).data(OP_ROLE) == op
    ]
    palette.scrollToItem(item)
    return item


def test_double_clicking_an_op_adds_it_at_the_centre(window):
    win = window
    palette = win.palette.list
    point = palette.visualItemRect(palette_item(win, "sigmoid")).center()
    centre = win.view.mapToScene(win.view.viewport().rect().center())
    # Centred on the canvas, or the free spot nearest that when a node is there already.
    wanted = win.view.free_spot(1, centre - QPointF(78, 36))
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mouseClick(palette.viewport(), left, none, point)
    QTest.mouseDClick(palette.viewport(), left, none, point)
    QApplication.processEvents()
    (node,) = [n for n in win.document.graph if n.op.name == "sigmoid"]
    assert (node.x, node.y) == (wanted.x(), wanted.y())
    assert (QPointF(node.x, node.y) - centre).manhattanLength() < 400
    assert win.scene.selected_keys() == [node.key]
    assert win.document.undo_stack.count() == 1
    assert win.view.hasFocus()  # ready for the next keyboard command


def test_enter_on_an_op_adds_it(window):
    win = window
    palette = win.palette.list
    palette.setCurrentItem(palette_item(win, "exp"))
    palette.setFocus()
    QTest.keyClick(palette, Qt.Key.Key_Return)
    assert [n.op.name for n in win.document.graph].count("exp") == 1
