"""Every menu action, in every kind of state a graph can be in, raises nothing.

pytest-qt fails a test when an exception escapes into Qt's event loop, so this walks
every action in the window's table (``gui/app/actions.py``), dialogs answered with
Cancel, over the lecture graph, a selection, everything selected, a half-built graph
with a domain error, and an empty canvas, with every panel row open.  At the end,
undoing everything gives back the exact starting file.
"""

from __future__ import annotations

import pytest
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QInputDialog, QMenu

from dvar import core
from dvar.gui.app.actions import ACTIONS
from dvar.gui.document.structure_commands import AddNodes, SetOutput

#: Actions that end the session or the document, and About (a static message box).
SKIPPED = {"quit", "close", "new", "about"}


@pytest.fixture
def cancelled_dialogs(monkeypatch):
    for name in ("getSaveFileName", "getOpenFileName"):
        monkeypatch.setattr(QFileDialog, name, lambda *a, **k: ("", ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("", False))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("", False))
    for dialog in (QDialog, QPrintDialog):
        monkeypatch.setattr(dialog, "exec", lambda self: 0)
    monkeypatch.setattr(QMenu, "exec", lambda *a, **k: None)


def states(window):
    """Put the window through the states the actions are tried in, naming each."""
    graph = window.document.graph
    yield "the lecture graph"
    window.scene.select_keys([graph.key_of("b")])
    yield "one node selected"
    window.actions["select_all"].trigger()
    yield "everything selected"
    records = [
        {"id": "w", "op": "input", "value": -3.0, "x": 0, "y": 420},
        {"id": "m", "op": "mul", "inputs": [None, "w"], "x": 240, "y": 420},
        {"id": "lg", "op": "log", "inputs": ["w"], "x": 240, "y": 520},
    ]
    if window.practice.active:  # practice refuses edits: a user leaves it to build
        window.practice.stop()
    assert window.document.run(AddNodes(graph, records, "Add a half-built graph"))
    assert window.document.run(SetOutput(graph, graph.key_of("m")))
    window.scene.select_keys([graph.key_of("w")])
    yield "a half-built graph with a domain error"
    window.actions["select_all"].trigger()
    window.actions["delete"].trigger()
    yield "an empty canvas"


def test_every_action_in_every_state(window, cancelled_dialogs):
    assert set(window.actions) == set(ACTIONS)
    start = core.dumps(window.document.graph)
    tried = 0
    for _state in states(window):
        for name in ACTIONS:
            action = window.actions[name]
            if name in SKIPPED or not action.isEnabled():
                continue
            action.trigger()
            if action.isCheckable() and action.isChecked():
                action.trigger()  # and off again
            for row in window.panel.rows.values():
                row.setExpanded(True)
            QApplication.processEvents()
            tried += 1
    assert tried > 4 * 40
    stack = window.document.undo_stack
    stack.setIndex(0)
    assert core.dumps(window.document.graph) == start


@pytest.mark.parametrize(
    "mode", ["backward", "forward_mode", "step_backward", "step_forward", "nudge", "train"]
)
def test_every_action_with_a_mode_left_on(window, cancelled_dialogs, mode):
    """The same walk while a view or a teaching tool stays on (they are not turned off)."""
    for _state in states(window):
        window.actions[mode].trigger()
        for name in ACTIONS:
            action = window.actions[name]
            if name in SKIPPED or name == mode or not action.isEnabled():
                continue
            action.trigger()
            for row in window.panel.rows.values():
                row.setExpanded(True)
            QApplication.processEvents()
        # Whatever happened, canvas and panel show exactly the graph's nodes.
        graph = window.document.graph
        graph_keys = {node.key for node in graph}
        inline = {key for key in graph_keys if graph.is_inline_constant(key)}  # rows if asked
        assert set(window.scene.nodes) == graph_keys == set(window.panel.rows) | inline
