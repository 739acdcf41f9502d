"""The lecture graph built from an empty document with the keyboard alone.

Every step is a key event sent to the widget that has the keyboard focus (the canvas,
quick-add's search box, the inspector's name field, the value editor, a slot menu):
no mouse event, and no call into the document or its commands.  The test reads the
widgets to know which key to press next (how far down a list a name is), as a
person reads the screen.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from dvar.gui.canvas.focus_ring import RING_GAP, RING_WIDTH
from dvar.gui.dialogs.preferences import THEMES, apply_theme

Key = Qt.Key
Ctrl = Qt.KeyboardModifier.ControlModifier


def focused():
    QApplication.processEvents()
    return QApplication.focusWidget()


def press(key: Qt.Key, modifiers=Qt.KeyboardModifier.NoModifier, to=None) -> None:
    """A key pressed where the keyboard focus is (or on ``to``, a popup menu)."""
    QTest.keyClick(to if to is not None else focused(), key, modifiers)
    QApplication.processEvents()


def type_text(text: str) -> None:
    QTest.keyClicks(focused(), text)
    QApplication.processEvents()


def back_to_canvas(win) -> None:
    """F6 from a panel: the inspector is the last pane, so the canvas is next."""
    press(Key.Key_F6)
    assert focused() is win.view


def add(win, op: str, name: str, value: str | None = None) -> int:
    """Tab, type the op, Down to it, Enter; F2 and type its name; Enter and type its value."""
    assert focused() is win.view
    before = set(win.scene.nodes)
    press(Key.Key_Tab)
    box = win.quick_add
    assert box.isVisible() and focused() is box.search
    type_text(op)
    for _ in range(box.list.count()):
        if box.list.currentItem().data(Qt.ItemDataRole.UserRole) == op:
            break
        press(Key.Key_Down)
    press(Key.Key_Return)
    (key,) = set(win.scene.nodes) - before
    assert win.scene.focused_key == key  # a new node has the keyboard
    assert focused() is win.view
    press(Key.Key_F2)
    assert focused() is win.inspector.name
    type_text(name)  # the old name is selected: typing replaces it
    press(Key.Key_Return)
    back_to_canvas(win)
    assert win.scene.focused_key == key and win.document.graph.id_of(key) == name
    if value is not None:
        press(Key.Key_Return)
        assert focused() is win.view.value_editor
        type_text(value)
        press(Key.Key_Return)
        assert focused() is win.view
    return key


def connect(win, source: str) -> None:
    """C on the focused node: its slot menu for the first empty input; Down to ``source``,
    Enter."""
    press(Key.Key_C)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)

    def chosen() -> str:
        return menu.activeAction().text().replace("&", "").split()[0]

    for _ in range(len(menu.actions())):
        if chosen() == source:
            break
        press(Key.Key_Down, to=menu)
    assert chosen() == source
    press(Key.Key_Return, to=menu)
    assert QApplication.activePopupWidget() is None
    assert focused() is win.view


def test_the_lecture_built_with_the_keyboard_alone(window):
    win = window
    win.activateWindow()
    win.view.setFocus()
    press(Key.Key_N, Ctrl)  # File → New: an empty document
    graph = win.document.graph
    assert len(graph) == 0 and focused() is win.view

    add(win, "input", "a", "5")
    add(win, "input", "b", "3")
    add(win, "input", "c", "2")
    add(win, "mul", "u")
    connect(win, "b")
    connect(win, "c")
    add(win, "add", "v")
    connect(win, "a")
    connect(win, "u")
    add(win, "const", "three", "3")
    add(win, "mul", "J")
    connect(win, "three")
    connect(win, "v")
    press(Key.Key_J, Ctrl)  # Set as Output: J has the keyboard, so it is selected

    assert graph.output == "J"
    assert graph.inputs_of("u") == ["b", "c"]
    assert graph.inputs_of("v") == ["a", "u"]
    assert graph.inputs_of("J") == ["three", "v"]
    evaluation = win.document.evaluation
    assert evaluation.values[graph.key_of("J")] == 33
    grads = {name: evaluation.grads[graph.key_of(name)] for name in "abc"}
    assert grads == {"a": 3, "b": 6, "c": 9}

    press(Key.Key_B)  # the backward view
    assert win.actions["backward"].isChecked() and win.scene.backward_view

    # From J along its inputs to a: Left to three (input 1), Down to v (input 2), Left to a.
    press(Key.Key_Left)
    assert graph.id_of(win.scene.focused_key) == "three"
    press(Key.Key_Down)
    assert graph.id_of(win.scene.focused_key) == "v"
    press(Key.Key_Left)
    assert graph.id_of(win.scene.focused_key) == "a"
    assert win.scene.selected_keys() == [graph.key_of("a")]

    press(Key.Key_N)  # nudge a: J moves by da times the nudge
    overlay = win.document.overlay
    assert graph.key_of("a") in overlay.values and graph.key_of("J") in overlay.values
    assert "33" in overlay.values[graph.key_of("J")]
    assert graph.node("a").value == 5  # a nudge shows, it does not edit

    # Undo takes the build back step by step, from the keyboard too.
    steps = win.document.undo_stack.count()
    press(Key.Key_Z, Ctrl)
    assert win.document.undo_stack.index() == steps - 1
    assert graph.output is None


@pytest.mark.parametrize("theme", [name for name in THEMES if name != "system"])
def test_the_focus_ring_is_drawn_in_the_themes_highlight(window, theme):
    """The ring is the palette's highlight on the canvas, so every theme has its own."""
    win = window
    apply_theme(theme)
    win.view.setFocus()
    press(Key.Key_Left)  # onto J, the output
    QApplication.processEvents()
    ring = win.view.keyboard.ring_rect()
    assert not ring.isEmpty()
    shot = win.view.viewport().grab().toImage()
    highlight = win.view.palette().color(QPalette.ColorRole.Highlight)
    item = win.scene.nodes[win.scene.focused_key]
    box = win.view.mapFromScene(item.mapRectToScene(item.box())).boundingRect()
    # Just outside the box, in the middle of its top side: the ring's colour.
    x = round(box.center().x())
    y = round(box.top() - RING_GAP - RING_WIDTH / 2)
    ratio = shot.devicePixelRatio()
    pixel = shot.pixelColor(int(x * ratio), int(y * ratio))
    assert (
        max(
            abs(pixel.red() - highlight.red()),
            abs(pixel.green() - highlight.green()),
            abs(pixel.blue() - highlight.blue()),
        )
        < 40
    ), (pixel.name(), highlight.name())


def _luminance(color) -> float:
    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.red())
        + 0.7152 * channel(color.green())
        + 0.0722 * channel(color.blue())
    )


@pytest.mark.parametrize("theme", list(THEMES))
def test_the_ring_keeps_3_to_1_against_the_canvas_and_the_boxes(window, theme):
    """WCAG's least contrast for a focus indicator, against what surrounds it."""
    apply_theme(theme)
    palette = window.view.palette()
    ring = palette.color(QPalette.ColorRole.Highlight)
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):  # canvas, node box
        high, low = sorted([_luminance(ring), _luminance(palette.color(role))], reverse=True)
        assert (high + 0.05) / (low + 0.05) >= 3.0, (theme, role)
