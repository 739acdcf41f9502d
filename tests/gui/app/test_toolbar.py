"""The toolbar: made from the action table, its buttons fire the table's actions, its icons
read on a light and on a dark theme, and hiding it is remembered."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QImage, QKeySequence, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QToolButton

from dvar.gui.app import actions, icons
from dvar.gui.app.action_records import Separator
from dvar.gui.app.actions import ACTIONS
from dvar.gui.app.window import MainWindow
from dvar.gui.dialogs.preferences import apply_theme, dark_palette
from dvar.gui.document.document import Document

#: What the brief of the toolbar asks for: the everyday modes and tools.
EVERYDAY = {"backward", "nudge", "step_backward", "forward_mode", "train", "formula", "fit"}


def bar_entries(window) -> list[str]:
    """The toolbar as it reads: action ids, ``---`` for a separator."""
    by_action = {action: name for name, action in window.actions.items()}
    return ["---" if a.isSeparator() else by_action[a] for a in window.toolbar.actions()]


def test_the_toolbar_is_the_tables_toolbar_entries_in_menu_order(window):
    expected = [
        "---" if isinstance(entry, Separator) else entry.id for entry in actions.toolbar_entries()
    ]
    assert bar_entries(window) == expected
    assert {name for name in expected if name != "---"} == {
        spec.id for spec in ACTIONS.values() if spec.toolbar
    }
    assert set(expected) >= EVERYDAY
    assert expected[0] != "---" and expected[-1] != "---" and "---\n---" not in "\n".join(expected)
    menu_order = list(ACTIONS)
    ids = [name for name in expected if name != "---"]
    assert ids == sorted(ids, key=menu_order.index)


def test_every_toolbar_entry_has_an_icon_file_and_a_tooltip_with_its_key(window):
    native = QKeySequence.SequenceFormat.NativeText
    for spec in ACTIONS.values():
        if not spec.toolbar:
            continue
        assert icons.has_icon(spec.id), spec.id
        action = window.actions[spec.id]
        assert not action.icon().isNull(), spec.id
        name = actions.plain(spec.text).rstrip("…")
        key = action.shortcuts()[0].toString(native)
        assert action.toolTip() == f"{name} ({key})", spec.id
    assert window.actions["nudge"].toolTip() == "Nudge (N)"
    assert window.actions["formula"].toolTip().startswith("Build from Formula (")


@pytest.fixture
def no_modal_dialogs(monkeypatch):
    monkeypatch.setattr(QDialog, "exec", lambda self: 0)


@pytest.mark.parametrize("name", sorted(EVERYDAY))
def test_clicking_a_button_fires_its_action(window, no_modal_dialogs, name):
    action = window.actions[name]
    button = window.toolbar.widgetForAction(action)
    assert isinstance(button, QToolButton) and button.isVisible()
    fired: list[bool] = []
    action.triggered.connect(lambda checked=False: fired.append(checked))
    window.scene.select_keys([window.document.graph.key_of("b")])  # nudge needs a node
    was = action.isChecked()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert len(fired) == 1
    if action.isCheckable():
        assert action.isChecked() == (not was) and button.isChecked() == action.isChecked()


def test_the_buttons_do_what_the_menus_do(window, no_modal_dialogs):
    def click(name: str) -> None:
        QTest.mouseClick(
            window.toolbar.widgetForAction(window.actions[name]), Qt.MouseButton.LeftButton
        )
        QApplication.processEvents()

    click("backward")
    assert window.scene.backward_view
    click("backward")
    assert not window.scene.backward_view
    window.scene.select_keys([window.document.graph.key_of("b")])
    click("nudge")
    assert window.teaching.active
    click("train")
    assert window.docks["train"].isVisible()


def test_in_the_menus_a_checkable_entry_keeps_its_check_box(window):
    for spec in ACTIONS.values():
        if spec.toolbar:
            action = window.actions[spec.id]
            assert action.isIconVisibleInMenu() == (not spec.checkable), spec.id


def test_a_checkable_button_shows_the_state_however_it_was_set(window):
    button = window.toolbar.widgetForAction(window.actions["backward"])
    window.view.setFocus()
    QTest.keyClick(window.view, Qt.Key.Key_B)
    assert button.isChecked()
    QTest.keyClick(window.view, Qt.Key.Key_B)
    assert not button.isChecked()


def ink(pixmap) -> tuple[int, QColor]:
    """How many pixels are drawn, and the colour of the most opaque one."""
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_ARGB32)
    drawn, best = 0, QColor(0, 0, 0, 0)
    for y in range(image.height()):
        for x in range(image.width()):
            color = image.pixelColor(x, y)
            if color.alpha() > 40:
                drawn += 1
            if color.alpha() > best.alpha():
                best = color
    return drawn, best


def contrast(a: QColor, b: QColor) -> float:
    return icons._contrast(a, b)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_icon_is_drawn_and_stands_out_on_both_themes(theme):
    palette = QApplication.style().standardPalette() if theme == "light" else dark_palette()
    button = palette.color(QPalette.ColorRole.Button)
    for spec in ACTIONS.values():
        if not spec.toolbar:
            continue
        icon = icons.themed_icon(spec.id, palette)
        for size in (16, 24, 48):
            drawn, color = ink(icon.pixmap(size, size))
            assert drawn >= size * size // 12, (spec.id, size, drawn)
            assert contrast(color, button) > 4.5, (spec.id, size, color.name())
        _, on = ink(icon.pixmap(24, 24, QIcon.Mode.Normal, QIcon.State.On))
        assert contrast(on, button) > 1.6, spec.id
        _, off = ink(icon.pixmap(24, 24, QIcon.Mode.Disabled))
        assert off.alpha() < 255 or contrast(off, button) < contrast(color, button), spec.id


def test_switching_the_theme_redraws_the_icons_in_its_colours(window):
    action = window.actions["fit"]
    apply_theme("light")
    QApplication.processEvents()
    _, light = ink(action.icon().pixmap(24, 24))
    apply_theme("dark")
    QApplication.processEvents()
    _, dark = ink(action.icon().pixmap(24, 24))
    assert light.lightness() < 100 < dark.lightness()
    assert dark.rgb() == dark_palette().color(QPalette.ColorRole.ButtonText).rgb()


def test_the_toolbar_hides_from_the_view_menu_and_stays_hidden_next_time(qtbot, window):
    toggle = window.toolbar.toggleViewAction()
    assert toggle in window.panels_menu.actions()
    assert toggle.isChecked() and window.toolbar.isVisible()
    toggle.trigger()
    assert not window.toolbar.isVisible()
    window.close()
    again = MainWindow(Document.lecture())
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert not again.toolbar.isVisible()
    assert not again.toolbar.toggleViewAction().isChecked()
    again.toolbar.toggleViewAction().trigger()
    again.close()
    third = MainWindow(Document.lecture())
    qtbot.addWidget(third)
    third.show()
    qtbot.waitExposed(third)
    assert third.toolbar.isVisible()
