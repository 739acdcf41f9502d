"""The palette's rows: grouped as the op table says, described, filtered as you type."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from dvar import core
from dvar.gui.panels.operations import DESCRIPTION_ROLE, OP_ROLE, SYMBOL_ROLE, Palette


@pytest.fixture
def palette(qtbot):
    widget = Palette()
    qtbot.addWidget(widget)
    widget.resize(260, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def rows(palette) -> list:
    return [palette.list.item(row) for row in range(palette.list.count())]


def shown_headings(palette) -> list[str]:
    return [
        item.text() for item in rows(palette) if item.data(OP_ROLE) is None and not item.isHidden()
    ]


def test_every_op_sits_once_under_its_group_in_table_order(palette):
    layout: dict[str, list[str]] = {}
    heading = None
    for item in rows(palette):
        if item.data(OP_ROLE) is None:
            heading = item.text()
            assert heading not in layout, "a group heading twice"
            layout[heading] = []
        else:
            layout[heading].append(item.data(OP_ROLE))
    assert list(layout) == ["Values", "Arithmetic", "Functions", "Activations"]
    for group, names in layout.items():
        assert names == [op.name for op in core.OPS.values() if op.group == group]
    assert sorted(name for names in layout.values() for name in names) == sorted(core.OPS)
    assert {"tanh", "sigmoid", "relu"} <= set(layout["Activations"])
    assert {"input", "const"} == set(layout["Values"])


def test_headings_cannot_be_selected_or_dragged(palette):
    for item in rows(palette):
        if item.data(OP_ROLE) is None:
            assert not item.flags() & Qt.ItemFlag.ItemIsSelectable
            assert not item.flags() & Qt.ItemFlag.ItemIsDragEnabled
        else:
            assert item.flags() & Qt.ItemFlag.ItemIsDragEnabled


def test_each_row_has_a_description_and_never_repeats_its_name_as_its_symbol(palette):
    for item in palette.list.op_items():
        op = core.OPS[item.data(OP_ROLE)]
        symbol = item.data(SYMBOL_ROLE)
        assert symbol.lower() != op.name.lower(), op.name
        assert symbol in ("", op.symbol), op.name
        assert item.data(DESCRIPTION_ROLE) == op.description and op.description, op.name
    symbols = {item.data(OP_ROLE): item.data(SYMBOL_ROLE) for item in palette.list.op_items()}
    assert symbols["mul"] == "×" and symbols["sigmoid"] == "σ"
    assert symbols["max"] == symbols["exp"] == symbols["relu"] == ""


def test_a_row_is_tall_enough_for_its_two_lines_and_wide_enough_for_its_text(palette):
    list_ = palette.list
    item = next(i for i in list_.op_items() if i.data(OP_ROLE) == "relu")
    hint = list_.sizeHintForIndex(list_.indexFromItem(item))
    metrics = list_.fontMetrics()
    assert hint.height() >= 2 * metrics.height()
    assert hint.width() > metrics.horizontalAdvance(item.data(DESCRIPTION_ROLE)) * 0.8
    assert palette.sizeHint().width() >= list_.sizeHintForColumn(0)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sigm", ["sigmoid"]),  # a name
        ("×", ["mul"]),  # a symbol
        ("SQUASHES", ["tanh", "sigmoid"]),  # a description, any case
        ("radians", ["sin", "cos"]),
        ("log", ["log"]),
    ],
)
def test_typing_filters_by_name_symbol_or_description(palette, typed, expected):
    QTest.keyClicks(palette.filter, typed)
    assert palette.visible_ops() == expected
    groups = {core.OPS[name].group for name in expected}
    assert set(shown_headings(palette)) == groups  # headings of empty groups hide
    assert palette.list.currentItem().data(OP_ROLE) == expected[0]
    assert not palette.nothing.isVisible()


def test_no_match_says_so_and_enter_adds_nothing(palette, qtbot):
    chosen: list[str] = []
    palette.op_chosen.connect(chosen.append)
    QTest.keyClicks(palette.filter, "zzz")
    assert palette.visible_ops() == [] and shown_headings(palette) == []
    assert palette.nothing.isVisible() and "zzz" in palette.nothing.text()
    QTest.keyClick(palette.filter, Qt.Key.Key_Return)
    assert chosen == []


def test_escape_clears_the_filter_and_every_op_comes_back(palette):
    QTest.keyClicks(palette.filter, "exp")
    assert palette.visible_ops() == ["exp"]
    QTest.keyClick(palette.filter, Qt.Key.Key_Escape)
    assert palette.filter.text() == ""
    assert sorted(palette.visible_ops()) == sorted(core.OPS)
    assert len(shown_headings(palette)) == 4


def test_enter_in_the_filter_adds_the_first_match(palette):
    chosen: list[str] = []
    palette.op_chosen.connect(chosen.append)
    QTest.keyClicks(palette.filter, "squash")
    QTest.keyClick(palette.filter, Qt.Key.Key_Return)
    assert chosen == ["tanh"]


def test_down_from_the_filter_moves_into_the_matches(palette):
    chosen: list[str] = []
    palette.op_chosen.connect(chosen.append)
    palette.filter.setFocus()
    QTest.keyClicks(palette.filter, "squash")
    QTest.keyClick(palette.filter, Qt.Key.Key_Down)
    assert palette.list.hasFocus()
    QTest.keyClick(palette.list, Qt.Key.Key_Down)
    QTest.keyClick(palette.list, Qt.Key.Key_Return)
    assert chosen == ["sigmoid"]


def test_a_heading_double_clicked_adds_nothing(palette):
    chosen: list[str] = []
    palette.op_chosen.connect(chosen.append)
    heading = rows(palette)[0]
    point = palette.list.visualItemRect(heading).center()
    QTest.mouseDClick(
        palette.list.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
    )
    assert chosen == []


def test_a_drag_carries_the_op_and_never_a_heading(palette):
    from dvar.gui.canvas.view import OP_MIME

    items = rows(palette)
    heading = items[0]
    op_row = next(i for i in items if i.data(OP_ROLE) == "mul")
    assert not palette.list.mimeData([heading]).hasFormat(OP_MIME)
    assert bytes(palette.list.mimeData([op_row]).data(OP_MIME)).decode() == "mul"


def test_the_window_adds_the_first_match_at_the_centre(window):
    palette = window.palette
    palette.filter.setFocus()  # as a click in the box would: Return is the canvas's key too
    QTest.keyClicks(palette.filter, "relu")
    QTest.keyClick(palette.filter, Qt.Key.Key_Return)
    assert [node.op.name for node in window.document.graph].count("relu") == 1
    assert window.view.hasFocus()
