"""The shortcut sheet is read with the keyboard alone, and lists the canvas's keys."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dvar.gui.dialogs.shortcuts import CANVAS_KEYS, ShortcutSheet


def test_the_sheet_scrolls_from_the_keyboard_and_names_the_canvas_keys(qtbot):
    rows = [(f"Action {n}", f"Ctrl+{n}") for n in range(80)]  # taller than any screen
    sheet = ShortcutSheet([("Many", rows)])
    qtbot.addWidget(sheet)
    sheet.resize(500, 300)
    sheet.show()
    qtbot.waitExposed(sheet)
    sheet.activateWindow()
    QApplication.processEvents()
    table = sheet.table
    assert QApplication.focusWidget() is table  # the keys go to the table at once
    bar = table.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    QTest.keyClick(table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert bar.value() == bar.maximum()
    QTest.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    assert bar.value() == 0
    shown = sheet.rows()
    assert ("Keyboard on the Canvas", "") in shown
    for keys, effect in CANVAS_KEYS:
        assert (effect, keys) in shown
