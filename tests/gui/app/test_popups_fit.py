"""Tab's quick-add box and the F1 shortcut sheet show all their text: no row cut off and
no horizontal scroll bar, in the usual font and in a large one, in a 1280×800 window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QDialog, QStyle

from dvar import core
from dvar.gui.dialogs.shortcuts import ShortcutSheet
from tests.gui.helpers import fit, press_key


@pytest.fixture(params=["usual font", "large font"])
def font_size(request, qapp):
    """The application's font as it is, or half as large again (a large system font)."""
    saved = qapp.font()
    if request.param == "large font":
        big = qapp.font()
        big.setPointSizeF(max(saved.pointSizeF(), 9.0) * 1.6)
        qapp.setFont(big)
    yield qapp.font().pointSizeF()
    qapp.setFont(saved)


def open_sheet(window, monkeypatch) -> ShortcutSheet:
    shown: list[ShortcutSheet] = []
    monkeypatch.setattr(QDialog, "exec", lambda dialog: shown.append(dialog) or 0)
    window.actions["shortcuts"].trigger()
    (sheet,) = shown
    sheet.show()
    QApplication.processEvents()
    return sheet


def test_the_shortcut_sheet_shows_every_cell_whole(window, monkeypatch, font_size):
    sheet = open_sheet(window, monkeypatch)
    table = sheet.table
    assert table.font().pointSizeF() == pytest.approx(font_size)
    assert not table.horizontalScrollBar().isVisible()
    screen = sheet.screen().availableGeometry()
    assert sheet.width() <= screen.width() and sheet.height() <= screen.height()
    # The table's own width takes its columns with nothing hidden to the right.
    columns = table.columnWidth(0) + table.columnWidth(1)
    assert columns <= table.viewport().width() + 1
    # Qt keeps this margin on each side of a cell's text.
    margin = 2 * (table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    for row in range(table.rowCount()):
        spanned = table.columnSpan(row, 0) == 2
        for column in (0,) if spanned else (0, 1):
            item = table.item(row, column)
            if item is None or not item.text():
                continue
            metrics = QFontMetrics(item.font())
            room = (columns if spanned else table.columnWidth(column)) - margin
            needed = metrics.horizontalAdvance(item.text())
            if needed <= room:
                continue
            # Too long for one line: it wraps, and the row is tall enough for the lines.
            assert table.wordWrap(), item.text()
            lines = -(-needed // room)
            assert table.rowHeight(row) >= lines * metrics.height(), item.text()
    sheet.close()


def test_on_a_screen_of_a_usual_width_each_shortcut_fits_on_one_line(window, monkeypatch):
    sheet = open_sheet(window, monkeypatch)
    table = sheet.table
    for row in range(table.rowCount()):
        for column in (0, 1):
            item = table.item(row, column)
            if item is not None and table.columnSpan(row, 0) == 1:
                needed = QFontMetrics(item.font()).horizontalAdvance(item.text())
                assert needed <= table.columnWidth(column), item.text()
    sheet.close()


def test_quick_add_shows_every_row_whole(window, font_size):
    fit(window)
    press_key(window, Qt.Key.Key_Tab)  # at the pointer, or the middle when it is elsewhere
    box = window.quick_add
    assert box.isVisible()
    assert box.list.font().pointSizeF() == pytest.approx(font_size)
    assert box.list.count() == len(core.OPS)
    assert not box.list.horizontalScrollBar().isVisible()
    assert box.list.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
    room = box.list.viewport().width()
    metrics = QFontMetrics(box.list.font())
    for row in range(box.list.count()):
        item = box.list.item(row)
        assert metrics.horizontalAdvance(item.text()) <= room, item.text()
    assert box.list.count() >= 12 or not box.list.verticalScrollBar().isVisible()
    assert window.view.viewport().rect().contains(box.geometry())
