"""Node text size: Ctrl+= and Ctrl+- on the canvas, whatever the zoom; remembered, in
Preferences too; boxes grow with their text; the system's font size is followed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetricsF, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dvar.gui.app import actions
from dvar.gui.app.window import MainWindow
from dvar.gui.canvas.look import TEXT_SIZES, Fonts
from dvar.gui.canvas.nodes import HEADER, HEIGHT, LINE
from dvar.gui.dialogs.preferences import apply_text_size, stepped_text_size
from dvar.gui.dialogs.shortcuts import ShortcutSheet
from dvar.gui.document.document import Document
from tests.gui.helpers import keys

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def _usual_size():
    yield
    apply_text_size(100)


def press(window, key: Qt.Key, modifiers=CTRL) -> None:
    window.view.setFocus()
    QTest.keyClick(window.view, key, modifiers)
    QApplication.processEvents()


def sizes(window, name: str = "u") -> tuple[float, float, float]:
    """A node's box height and width, and its body text's point size."""
    item = window.scene.nodes[keys(window)[name]]
    return item.height, item.width, Fonts.get().body.pointSizeF()


def test_ctrl_equals_makes_node_text_larger_and_the_zoom_stays(window):
    zoom = window.view.transform().m11()
    height, width, points = sizes(window)
    assert (height, window.preferences.get("text_size")) == (HEIGHT, 100)
    press(window, Qt.Key.Key_Equal)
    assert window.preferences.get("text_size") == 110
    assert Fonts.get().body.pointSizeF() == pytest.approx(points * 1.1)
    taller, wider, _ = sizes(window)
    assert taller == pytest.approx(HEIGHT * 1.1) and wider >= width
    assert window.view.transform().m11() == zoom  # the text grew, not the view
    u = window.scene.nodes[keys(window)["u"]]
    assert u.boundingRect().height() == pytest.approx(u.height + 4)  # Qt knows the new size
    edge = u.edges[0]
    start, end = edge.ends()
    assert end == u.mapToScene(u.input_port(edge.slot)) or start == u.mapToScene(u.output_port())


def test_ctrl_minus_and_ctrl_shift_0_step_down_and_back(window):
    press(window, Qt.Key.Key_Minus)
    press(window, Qt.Key.Key_Minus)
    assert window.preferences.get("text_size") == 80
    assert sizes(window)[0] == pytest.approx(HEIGHT * 0.8)
    press(window, Qt.Key.Key_0, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.preferences.get("text_size") == 100
    assert sizes(window)[0] == HEIGHT
    assert window.statusBar().currentMessage() == "Node text at 100 %"


def test_the_steps_stop_at_the_ends():
    assert stepped_text_size(TEXT_SIZES[-1], 1) == TEXT_SIZES[-1]
    assert stepped_text_size(TEXT_SIZES[0], -1) == TEXT_SIZES[0]
    assert stepped_text_size(100, 1) == 110 and stepped_text_size(100, -1) == 90
    assert stepped_text_size(175, 0) == 100
    assert stepped_text_size(105, 1) == 110  # a size between the steps goes to the next


def test_zoom_keeps_ctrl_plus_and_moves_off_ctrl_equals(window):
    def keys_of(name):
        return [k.toString() for k in window.actions[name].shortcuts()]

    assert "Ctrl++" in keys_of("zoom_in") and keys_of("zoom_out") == ["Ctrl+Shift+-"]
    assert keys_of("text_larger") == ["Ctrl+="] and keys_of("text_smaller") == ["Ctrl+-"]
    every = [k for a in window.actions.values() for k in a.shortcuts()]
    for key in ("Ctrl+=", "Ctrl+-", "Ctrl++", "Ctrl+Shift+0"):
        assert every.count(QKeySequence(key)) == 1, key  # never two actions on one key
    zoom = window.view.transform().m11()
    window.actions["zoom_in"].trigger()
    assert window.view.transform().m11() == pytest.approx(zoom * 1.25)
    assert window.preferences.get("text_size") == 100


def test_the_shortcut_sheet_names_the_text_keys(window):
    rows = dict(ShortcutSheet(actions.shortcut_sections(window.actions)).rows())
    assert rows["Larger Node Text"] == QKeySequence("Ctrl+=").toString(
        QKeySequence.SequenceFormat.NativeText
    )
    assert rows["Smaller Node Text"].endswith("-")
    assert rows["Zoom Out"] != rows["Smaller Node Text"]


def test_the_size_is_remembered_for_the_next_window(window, qtbot):
    press(window, Qt.Key.Key_Equal)
    press(window, Qt.Key.Key_Equal)
    window.close()
    apply_text_size(100)  # as a fresh start would have it
    again = MainWindow(Document.lecture())
    qtbot.addWidget(again)
    again.show()
    assert again.preferences.get("text_size") == 125
    assert sizes(again)[0] == pytest.approx(HEIGHT * 1.25)
    again.document.undo_stack.setClean()


def test_preferences_show_the_size_and_set_it(window):
    press(window, Qt.Key.Key_Equal)
    window.actions["preferences"].trigger()
    dialog = window.preferences_dialog
    assert dialog.text_size.currentData() == 110
    dialog.text_size.setCurrentIndex(dialog.text_size.findData(150))
    assert window.preferences.get("text_size") == 150
    assert sizes(window)[0] == pytest.approx(HEIGHT * 1.5)
    press(window, Qt.Key.Key_Minus)  # the keys and the dialog agree
    assert dialog.text_size.currentData() == 125
    dialog.close()


@pytest.mark.parametrize("size", [70, 200])
def test_every_line_fits_its_box_in_the_regular_font(window, size):
    apply_text_size(size)
    fonts = Fonts.get()
    body = QFontMetricsF(fonts.body)
    for name, key in keys(window).items():
        item = window.scene.nodes[key]
        if item.key in window.scene.chips:
            assert item.height >= body.height()  # a chip's number has room
            continue
        room = item.width - 26
        line, font = item.value_line(True, room)
        assert font is fonts.body or size <= 100, (name, line)
        assert "…" not in line
        assert item.line >= body.height() - 1, name  # a text line is tall enough
        assert item.header == pytest.approx(HEADER * size / 100)
        assert item.line == pytest.approx(LINE * size / 100)


def test_the_system_font_size_is_followed(window):
    usual = QApplication.font()
    height = sizes(window)[0]
    larger = QFont(usual)
    larger.setPointSizeF(max(usual.pointSizeF(), 10.5) * 1.5)
    QApplication.setFont(larger)
    try:
        QApplication.processEvents()
        grown, _, points = sizes(window)
        assert points == pytest.approx(larger.pointSizeF())
        assert grown == pytest.approx(height * 1.5)
    finally:
        QApplication.setFont(usual)
        QApplication.processEvents()
    assert sizes(window)[0] == pytest.approx(height)


def test_a_groups_box_grows_with_the_node_text(window):
    scene = window.scene
    scene.select_keys([keys(window)["u"], keys(window)["v"]])
    window.actions["group"].trigger()
    (box,) = scene.group_items.values()
    height, row = box.height, box.row
    title = QFontMetricsF(Fonts.get().title).height()
    assert box.header >= title  # the title fits its band
    press(window, Qt.Key.Key_Equal)
    press(window, Qt.Key.Key_Equal)
    (box,) = scene.group_items.values()
    assert box.row == pytest.approx(row * Fonts.get().box_scale)
    assert box.height > height
    assert box.header >= QFontMetricsF(Fonts.get().title).height()
    for edge in box.edges:  # edges still end at the box's ports
        start, end = edge.ends()
        ports = [box.mapToScene(box.input_port(r)) for r in range(len(box.in_texts))]
        ports += [box.mapToScene(box.output_port(r)) for r in range(len(box.out_texts))]
        assert start in ports or end in ports
    press(window, Qt.Key.Key_0, CTRL | Qt.KeyboardModifier.ShiftModifier)
    (box,) = scene.group_items.values()
    assert box.height == pytest.approx(height)
