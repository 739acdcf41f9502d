"""Every teaching mode runs from the keyboard alone: keys sent where the focus is."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.gui.helpers import keys

Key = Qt.Key
Mod = Qt.KeyboardModifier
CtrlShift = Mod.ControlModifier | Mod.ShiftModifier


def press(key: Qt.Key, modifiers=Mod.NoModifier) -> None:
    QApplication.processEvents()
    QTest.keyClick(QApplication.focusWidget(), key, modifiers)
    QApplication.processEvents()


def start(win) -> None:
    win.activateWindow()
    win.view.setFocus()
    QApplication.processEvents()


def tab_to(widget, limit: int = 40, back: bool = False) -> None:
    """Tab (or Shift+Tab) until ``widget`` has the keyboard, as a person tabs through a
    panel."""
    for _ in range(limit):
        if QApplication.focusWidget() is widget:
            return
        press(Key.Key_Tab, Mod.ShiftModifier if back else Mod.NoModifier)
    assert QApplication.focusWidget() is widget


def test_step_through_both_passes_by_keys(window):
    win = window
    start(win)
    overlay = win.document.overlay
    press(Key.Key_B, CtrlShift)  # Step Through Backward Pass
    first = win.document.overlay.current
    press(Key.Key_F10)
    assert win.document.overlay.current != first
    press(Key.Key_F10, Mod.ShiftModifier)
    assert win.document.overlay.current == first
    win.view.setFocus()
    press(Key.Key_Escape)  # Clear Nudge / Steps, on the canvas
    assert win.document.overlay == overlay
    press(Key.Key_F, CtrlShift)  # Step Through Forward Pass: the values hidden, then shown
    assert win.document.overlay != overlay
    shown = win.document.overlay.shown_values
    press(Key.Key_F10)
    assert win.document.overlay.shown_values > shown


def test_forward_mode_and_its_input_chosen_by_keys(window):
    win = window
    start(win)
    press(Key.Key_D, CtrlShift)
    forward = win.teaching.forward
    assert forward.active and win.actions["forward_mode"].isChecked()
    chosen = forward.wrt_key()
    derivatives = win.document.overlay.derivatives
    press(Key.Key_F6)  # the Teach panel came to the front: F6 goes round to it
    for _ in range(6):
        if win.teaching.isAncestorOf(QApplication.focusWidget()):
            break
        press(Key.Key_F6)
    tab_to(forward.wrt)
    press(Key.Key_Down)
    assert forward.wrt_key() != chosen
    assert win.document.overlay.derivatives != derivatives


def test_paths_of_the_focused_node_by_keys(window):
    win = window
    start(win)
    press(Key.Key_Left)  # J
    press(Key.Key_Down)  # nothing below J in its layer: still J
    press(Key.Key_Left)
    press(Key.Key_Down)
    press(Key.Key_Left)  # three, v, a: the keyboard is on a
    assert win.scene.focused_key == keys(win)["a"]
    press(Key.Key_H, CtrlShift)
    assert win.paths_panel.isVisible()
    assert win.paths_panel.chooser.currentText().startswith("a")


def test_training_by_keys(window):
    win = window
    start(win)
    press(Key.Key_T, CtrlShift)
    assert QApplication.focusWidget() is win.training.step_button
    tab_to(win.training.params, back=True)
    params = win.training.params
    press(Key.Key_Home)
    assert params.currentItem() is params.topLevelItem(0)
    press(Key.Key_Space)  # tick the first input as a parameter
    assert params.topLevelItem(0).checkState(0) == Qt.CheckState.Checked
    name = params.topLevelItem(0).text(0).split()[0]
    value = win.document.graph.node(name).value
    tab_to(win.training.step_button)
    press(Key.Key_Space)
    assert win.document.graph.node(name).value != value


def test_practice_answers_typed(window):
    win = window
    start(win)
    press(Key.Key_P)
    assert win.practice.active
    box = QApplication.focusWidget()
    assert box is win.practice.box and box.isVisible()
    cell = win.practice.cell
    QTest.keyClicks(box, "1")  # the first open cell is dJ: 1
    press(Key.Key_Return)
    assert win.practice.session.state(cell).solved
    assert win.practice.cell != cell
    press(Key.Key_Escape)  # the box goes away; the canvas has the keyboard
    assert QApplication.focusWidget() is win.view
    press(Key.Key_P)
    assert not win.practice.active


def test_presenting_by_keys(window):
    win = window
    start(win)
    press(Key.Key_F5)
    assert win.presentation.active
    press(Key.Key_Right)
    press(Key.Key_Escape)
    assert not win.presentation.active
