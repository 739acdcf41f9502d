"""Every edit re-evaluates once, and every number on the canvas and in the panel follows."""

import json

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from dvar.gui.document.clipboard import copy_nodes
from tests.gui.helpers import click, drag, fit, keys, node_point, press_key, type_value


def test_a_value_edit_updates_canvas_panel_and_status_bar(window, qtbot):
    win, k = window, keys(window)
    fit(win)
    panel, scene = win.panel, win.scene
    panel.set_show_constant_derivatives(True)  # the inline 3 has a row only when asked
    panel.rows[k["three"]].setExpanded(True)
    evaluations = win.document.evaluations
    type_value(win, qtbot, k["a"], "5.001")
    assert win.document.evaluations == evaluations + 1
    assert win.document.undo_stack.undoText() == "Set a = 5.001"
    assert scene.nodes[k["a"]].value_text == "a = 5.001"
    assert scene.nodes[k["v"]].value_text == "v = a + u = 11.001"
    assert scene.nodes[k["J"]].value_text == "J = 3·v = 33.003"
    assert scene.nodes[k["three"]].grad_text == "dthree = 11.001"
    assert scene.nodes[k["a"]].grad_text == "da = 3"
    # the panel: J and a keep their derivatives, dthree = v follows the new value
    assert (panel.rows[k["J"]].text(1), panel.rows[k["a"]].text(1)) == ("1", "3")
    assert panel.rows[k["three"]].text(1) == "11.001"
    breakdown = panel.rows[k["three"]].child(0).text(0)
    assert breakdown == "dthree = dJ · ∂J/∂three = dJ · v = 1 · 11.001 = 11.001"
    assert win.value_label.text() == "J = 33.003"
    # the inspector follows the selection made by the double-click
    assert win.inspector.value.text() == "5.001"


def test_the_inspector_edits_values_too(window):
    win, k = window, keys(window)
    fit(win)
    click(win, node_point(win, k["b"]))
    editor = win.inspector.value
    evaluations = win.document.evaluations
    editor.setText("4")
    editor.editingFinished.emit()
    assert win.document.evaluations == evaluations + 1
    assert win.scene.nodes[k["u"]].value_text == "u = b·c = 8"
    assert win.scene.nodes[k["J"]].value_text == "J = 3·v = 39"
    assert win.inspector.computed.text() == ""


def test_one_evaluation_per_command_and_none_for_a_move(window):
    win, k = window, keys(window)
    fit(win)
    document = win.document
    count = document.evaluations
    click(win, node_point(win, k["u"]))
    press_key(win, Qt.Key.Key_Delete)
    assert document.evaluations == count + 1
    document.undo_stack.undo()
    assert document.evaluations == count + 2
    document.undo_stack.redo()
    assert document.evaluations == count + 3
    start = node_point(win, k["J"])
    drag(win, start, start + (start - node_point(win, k["v"])) / 2)
    assert document.undo_stack.undoText() == "Move J"
    assert document.evaluations == count + 3  # moving changes no number


def chain(n: int) -> str:
    """A .dvar fragment: x, then n - 1 nodes each adding 1 to the one before."""
    nodes = [{"id": "x", "op": "input", "value": 1, "x": 0, "y": 600}]
    nodes.append({"id": "one", "op": "const", "value": 1, "x": 0, "y": 700})
    for i in range(n - 2):
        before = nodes[-1]["id"] if i else "x"
        nodes.append(
            {"id": f"s{i}", "op": "add", "inputs": [before, "one"], "x": 240 * i, "y": 800}
        )
    return json.dumps({"format": "dvar", "version": 1, "output": None, "nodes": nodes})


def test_pasting_200_nodes_is_one_evaluation(window):
    win = window
    document = win.document
    QGuiApplication.clipboard().setText(chain(200))
    count, before = document.evaluations, len(win.scene.nodes)
    win.actions["paste"].trigger()
    assert len(win.scene.nodes) == before + 200
    assert len(win.scene.edges) == 5 + 2 * 198  # the lecture's 3 is a chip: no edge
    assert document.evaluations == count + 1
    last = document.graph.node("s197")
    assert document.evaluation.values[last.key] == 199
    assert win.scene.nodes[last.key].value_text == "s197 = s196 + one = 199"
    document.undo_stack.undo()
    assert document.evaluations == count + 2
    assert len(win.scene.nodes) == before


def test_copy_of_many_nodes_round_trips_through_the_clipboard(window):
    win = window
    graph = win.document.graph
    QGuiApplication.clipboard().setMimeData(copy_nodes(graph, [n.key for n in graph]))
    count = win.document.evaluations
    win.actions["paste"].trigger()
    assert len(graph) == 14 and win.document.evaluations == count + 1
