"""A state reached by clicking an earlier entry in the History panel looks exactly like
the same state reached with Ctrl+Z: the same items, the same status bar, the same pixels,
and nothing of the graph that is gone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dvar.gui.app.window import MainWindow
from dvar.gui.document.document import Document
from tests.gui.canvas.test_canvas_drawing import differing, from_scratch, on_screen, settled
from tests.gui.helpers import (
    drag,
    fill_formula_dialog,
    keys,
    node_point,
    press_key,
    status,
    type_value,
)

LOGISTIC = "a = sigmoid(w*x + b)\nL = -(y*log(a) + (1-y)*log(1-a))"
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def two_windows(qtbot):
    """Two windows on the lecture graph, alike in every way, shown side by side."""
    made = []
    for _ in range(2):
        win = MainWindow(Document.lecture())
        qtbot.addWidget(win)
        win.resize(1280, 800)
        win.show()
        qtbot.waitExposed(win)
        win.actions["minimap"].setChecked(False)  # it comes and goes on a timer
        made.append(win)
    yield made
    for win in made:
        win.document.undo_stack.setClean()


def _activate(window) -> None:
    window.activateWindow()
    assert QTest.qWaitForWindowActive(window)


def _edit_then_replace(window, qtbot) -> None:
    """Four steps, as a person takes them: set a value, replace the graph with the
    logistic loss (its warning lands in the status bar), set w, move a node; then the
    backward view is on and a panel row is picked, so edges are red and highlighted."""
    _activate(window)
    type_value(window, qtbot, keys(window)["a"], "7")
    seen = fill_formula_dialog(LOGISTIC, replace=True)
    press_key(window, Qt.Key.Key_N, CTRL | SHIFT)
    assert len(seen) == 1, seen
    _activate(window)
    assert "w, x, b and y" in status(window)
    type_value(window, qtbot, keys(window)["w"], "0.5")
    start = node_point(window, keys(window)["L"])
    drag(window, start, start + QPoint(0, 60))
    settled(window, qtbot)
    assert window.document.undo_stack.index() == 4
    press_key(window, Qt.Key.Key_B)
    window.panel.setCurrentIndex(window.panel.rows[keys(window)["a"]].index)  # as a click does
    QApplication.processEvents()
    window.document.message.emit("a: sigmoid of the weighted sum")  # about the graph that goes
    assert any(edge.highlighted for edge in window.scene.edges.values())


def _jump_in_history(window, qtbot, row: int) -> None:
    history = window.history
    rect = history.visualRect(history.model().index(row, 0))
    QTest.mouseClick(
        history.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, rect.center()
    )
    settled(window, qtbot)


def _undo_by_keys(window, qtbot, times: int) -> None:
    for _ in range(times):
        press_key(window, Qt.Key.Key_Z, CTRL)
    settled(window, qtbot)


def _looks(window) -> dict:
    """Everything the canvas and the status bar show, item by item."""
    scene = window.scene
    nodes = {}
    for key, item in scene.nodes.items():
        nodes[key] = (
            (item.x(), item.y()),
            item.title,
            item.symbol,
            item.value_text,
            item.grad_text,
            item.has_error,
            item.is_output,
            item.highlighted,
            item.sum_badge,
            item.isSelected(),
            item.toolTip(),
            item.isVisible(),
        )
    edges = {}
    for slot_key, edge in scene.edges.items():
        edges[slot_key] = (
            edge.source.key,
            edge.ends(),
            edge.backward,
            edge.label,
            edge.highlighted,
            edge.isSelected(),
            edge.isVisible(),
            edge.live,
        )
    others = [
        type(item).__name__
        for item in scene.items()
        if item not in set(scene.nodes.values()) | set(scene.edges.values())
    ]
    return {
        "nodes": nodes,
        "edges": edges,
        "other items": sorted(others),
        "highlight": sorted(scene.highlight),
        "status": status(window),
        "value label": window.value_label.text(),
        "panel rows": list(window.panel.rows),
        "panel key": window.panel.current_key(),
        "inspector key": window.inspector.key,
        "stack index": window.document.undo_stack.index(),
    }


def test_a_history_jump_looks_exactly_like_undoing_by_keys(two_windows, qtbot):
    by_history, by_keys = two_windows
    for window in two_windows:
        _edit_then_replace(window, qtbot)
        assert _looks(window)["edges"].keys() == _looks(two_windows[0])["edges"].keys()

    _jump_in_history(by_history, qtbot, 1)  # "Set a = 7": three steps back at once
    _activate(by_keys)
    _undo_by_keys(by_keys, qtbot, 3)

    jumped, undone = _looks(by_history), _looks(by_keys)
    assert jumped["stack index"] == undone["stack index"] == 1
    graph = by_history.document.graph
    assert {node.id for node in graph} == {"a", "b", "c", "u", "v", "three", "J"}
    assert graph.node("a").value == 7
    # nothing of the logistic graph is left: not an item, not a word in the status bar
    assert set(jumped["nodes"]) == {node.key for node in graph}
    expected_edges = {
        (node.key, slot)
        for node in graph
        for slot, s in enumerate(node.inputs)
        if s is not None and s not in by_history.scene.chips  # a chip has no edge
    }
    assert set(jumped["edges"]) == expected_edges
    assert jumped["other items"] == []
    assert jumped["status"] == ""
    assert jumped == undone

    # what is on screen is what a repaint from scratch gives, and the same either way
    for window in two_windows:
        window.view.fit()
        settled(window, qtbot)
    shots = [on_screen(window) for window in two_windows]
    for window, shot in zip(two_windows, shots, strict=True):
        assert differing(shot, from_scratch(window)) == 0
    assert differing(shots[0], shots[1]) == 0


def stale_pixels(a: QImage, b: QImage, tolerance: int = 32) -> int:
    """Pixels that differ by more than ``tolerance`` in a channel.  A strip repainted under
    a clip region can differ from a full repaint by a few levels of antialiasing (Qt
    rasterises differently under a single clip rectangle); an edge left behind, or
    one missing, differs by far more."""
    assert a.size() == b.size()
    count = 0
    for y in range(a.height()):
        for x in range(a.width()):
            pa, pb = a.pixel(x, y), b.pixel(x, y)
            if pa != pb and any(
                abs(((pa >> shift) & 255) - ((pb >> shift) & 255)) > tolerance
                for shift in (0, 8, 16)
            ):
                count += 1
    return count


def test_history_jumps_back_and_forth_leave_no_stale_pixels(window, qtbot):
    """Without fitting the view again (F), the canvas after each jump is already right."""
    window.actions["minimap"].setChecked(False)
    _edit_then_replace(window, qtbot)
    for row in (1, 4, 0, 2, 3):  # back three steps, forward three, to the start, ...
        _jump_in_history(window, qtbot, row)
        assert window.document.undo_stack.index() == row
        assert stale_pixels(on_screen(window), from_scratch(window)) == 0, f"after row {row}"
        assert status(window) == ""
