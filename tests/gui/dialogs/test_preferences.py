"""Preferences: theme, notation, number precision, grid and snap, remembered between runs."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QDialogButtonBox

from dvar.gui import numbers
from dvar.gui.app.window import MainWindow
from dvar.gui.canvas.look import is_dark
from dvar.gui.document.document import Document
from tests.gui.canvas.test_canvas_drawing import differing, from_scratch, on_screen, zoomed_in
from tests.gui.helpers import keys, type_value


def open_window(qtbot) -> MainWindow:
    window = MainWindow(Document.lecture())
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    QApplication.processEvents()
    return window


def dialog_of(window):
    window.actions["preferences"].trigger()
    dialog = window.preferences_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_every_preference_is_remembered_for_the_next_window(window, qtbot):
    dialog = dialog_of(window)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.notation.setCurrentIndex(dialog.notation.findData("partial"))
    dialog.digits.setValue(3)
    dialog.grid.setChecked(False)
    dialog.snap.setChecked(False)
    dialog.close()
    window.close()
    numbers.set_digits(numbers.DIGITS)  # as a fresh start would have it

    again = open_window(qtbot)
    assert is_dark()
    assert numbers.digits() == 3
    assert not again.actions["grid"].isChecked() and not again.view.show_grid
    assert not again.actions["snap"].isChecked() and not again.scene.snap
    assert again.notation_actions["partial"].isChecked()
    b = again.scene.nodes[keys(again)["b"]]
    assert b.grad_text == "∂J/∂b = 6"


def test_each_change_shows_at_once(window, qtbot):
    a = keys(window)["a"]
    type_value(window, qtbot, a, "0.123456789")
    item = window.scene.nodes[a]
    assert item.value_text == "a = 0.123457"
    dialog = dialog_of(window)
    dialog.digits.setValue(3)
    assert item.value_text == "a = 0.123"
    row = window.panel.rows[keys(window)["J"]]
    assert row.text(1) == "1"
    assert window.panel.rows[a].text(1) == "3"
    dialog.notation.setCurrentIndex(dialog.notation.findData("grad"))
    assert window.notation_actions["grad"].isChecked()  # the View menu agrees
    assert window.scene.nodes[keys(window)["b"]].grad_text == "b.grad = 6"
    dialog.grid.setChecked(False)
    assert not window.actions["grid"].isChecked()
    # The history keeps the value as typed, whatever precision is shown.
    undo_text = window.document.undo_stack.text(window.document.undo_stack.index() - 1)
    assert undo_text == "Set a = 0.123457"


def test_a_theme_change_redraws_the_canvas_in_the_new_colours(window, qtbot):
    zoomed_in(window)
    light = on_screen(window)
    assert window.scene.node_looks_cached  # cached looks must not keep the old colours
    dialog = dialog_of(window)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    assert is_dark()
    dark = on_screen(window)
    assert differing(dark, light) > 0
    assert differing(dark, from_scratch(window)) == 0
    # The same as a window that started dark, with no cached look from before.
    fresh = open_window(qtbot)
    zoomed_in(fresh)
    fresh.view.horizontalScrollBar().setValue(window.view.horizontalScrollBar().value())
    fresh.view.verticalScrollBar().setValue(window.view.verticalScrollBar().value())
    assert differing(on_screen(fresh), dark) == 0
    fresh.close()
    dialog.theme.setCurrentIndex(dialog.theme.findData("system"))
    assert not is_dark()
    assert differing(on_screen(window), light) == 0


def test_restore_defaults_puts_everything_back(window, qtbot):
    dialog = dialog_of(window)
    dialog.digits.setValue(9)
    dialog.snap.setChecked(False)
    dialog.notation.setCurrentIndex(dialog.notation.findData("partial"))
    dialog.findChild(QDialogButtonBox).button(
        QDialogButtonBox.StandardButton.RestoreDefaults
    ).click()
    assert numbers.digits() == numbers.DIGITS
    assert window.actions["snap"].isChecked()
    assert window.notation() == "d"
    assert dialog.digits.value() == numbers.DIGITS and dialog.snap.isChecked()


def test_nonsense_in_the_settings_file_falls_back_to_defaults(window, qtbot):
    for name, junk in (("theme", "purple"), ("notation", "??"), ("digits", "lots"), ("grid", 7)):
        window.settings.setValue(name, junk)
    window.settings.setValue("digits", 99)
    window.close()
    again = open_window(qtbot)
    assert not is_dark()
    assert numbers.digits() == numbers.DIGITS
    assert again.notation() == "d"
    assert not again.actions["grid"].isChecked()  # 7 is not "true"
