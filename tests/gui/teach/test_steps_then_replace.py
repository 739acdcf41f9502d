"""Step through the backward pass, leave it, then replace the graph with a formula:
no stale node key reaches the window, and no exception escapes to stderr."""

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.gui.helpers import fill_formula_dialog, press_key


@pytest.fixture
def escaped(monkeypatch):
    """Exceptions that reach sys.excepthook: what Python prints on stderr when a Qt slot
    raises.  They are also passed on, so pytest-qt's own capture fails the test too."""
    caught: list = []
    passed_on = sys.excepthook

    def hook(*exc):
        caught.append(exc)
        passed_on(*exc)

    monkeypatch.setattr(sys, "excepthook", hook)
    return caught


def test_steps_done_then_replace_with_formula_raises_nothing(window, qtbot, escaped):
    before = {node.key for node in window.document.graph}
    press_key(
        window,
        Qt.Key.Key_B,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    for _ in range(4):
        press_key(window, Qt.Key.Key_F10)
    teaching = window.teaching
    assert teaching.step_mode is not None and teaching.step_mode.index == 4
    QTest.mouseClick(teaching.stop_button, Qt.MouseButton.LeftButton)
    assert teaching.step_mode is None

    dialogs = fill_formula_dialog("J = 3*(a + b*c)", replace=True)
    press_key(
        window,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    QApplication.processEvents()
    assert len(dialogs) == 1, dialogs  # shown, and built (a refusal adds its reason)
    assert escaped == []

    graph = window.document.graph
    assert {node.key for node in graph}.isdisjoint(before)  # a new graph, with new keys
    assert set(window.scene.nodes) == {node.key for node in graph}
    assert window.document.evaluation.values["J"] == 3 * (1 + 1 * 1)
    # the panel and the canvas agree on what is selected, and name only live nodes
    assert window.panel.current_key() in (None, *window.scene.nodes)
    assert set(window.scene.selected_keys()) <= set(window.scene.nodes)
    # every node has a row but the inline constants (View → Derivatives of Constants)
    shown = {node.key for node in graph if not graph.is_inline_constant(node.key)}
    assert set(window.panel.rows) == shown
