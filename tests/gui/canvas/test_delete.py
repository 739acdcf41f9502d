"""Del and Backspace delete the selection with its edges; undo restores it exactly."""

import pytest
from PySide6.QtCore import Qt

from dvar.gui.canvas.edges import curve
from tests.gui.helpers import (
    assert_restored,
    click,
    dumps,
    fit,
    keys,
    node_point,
    press_key,
    rubber_band,
    scene_rect_of,
    viewport_point,
)


def slots(graph) -> set[tuple[str, int, str]]:
    """Every edge as (consumer, slot, source)."""
    return {
        (node.id, slot, source)
        for node in graph
        for slot, source in enumerate(graph.inputs_of(node.key))
        if source is not None
    }


@pytest.mark.parametrize("key", [Qt.Key.Key_Delete, Qt.Key.Key_Backspace])
def test_delete_a_clicked_node_then_undo_and_redo(window, key):
    win, k = window, keys(window)
    graph, stack = win.document.graph, win.document.undo_stack
    fit(win)
    before = dumps(win)
    click(win, node_point(win, k["b"]))
    press_key(win, key)
    assert "b" not in graph and k["b"] not in win.scene.nodes
    assert (k["u"], 0) not in win.scene.edges
    assert win.scene.nodes[k["u"]].has_error
    assert stack.undoText() == "Delete b"
    after = dumps(win)
    stack.undo()
    assert win.scene.edges[(k["u"], 0)].source is win.scene.nodes[k["b"]]
    assert win.scene.nodes[k["J"]].value_text == "J = 3·v = 33"
    assert_restored(win, before)
    stack.redo()
    assert dumps(win) == after


def test_delete_the_output_node_and_undo(window):
    win, k = window, keys(window)
    fit(win)
    before = dumps(win)
    click(win, node_point(win, k["J"]))
    press_key(win, Qt.Key.Key_Delete)
    assert win.document.graph.output is None
    win.document.undo_stack.undo()
    assert win.scene.nodes[k["J"]].is_output
    assert_restored(win, before)


def test_delete_a_clicked_edge(window):
    win, k = window, keys(window)
    fit(win)
    before = dumps(win)
    edge = win.scene.edges[(k["v"], 1)]
    click(win, viewport_point(win, curve(*edge.ends()).pointAtPercent(0.5)))
    assert win.scene.selected_edges() == [(k["v"], 1)]
    press_key(win, Qt.Key.Key_Delete)
    assert win.document.graph.inputs_of("v") == ["a", None]
    assert win.document.undo_stack.undoText() == "Delete edge"
    win.document.undo_stack.undo()
    assert_restored(win, before)


def test_delete_a_rubber_band_selection_then_undo_and_redo(window, qtbot):
    """The band catches nodes and the edges it crosses; deleting them is one step,
    and undo brings back every node and edge exactly."""
    win, k = window, keys(window)
    graph, stack = win.document.graph, win.document.undo_stack
    fit(win)
    before, edges_before = dumps(win), slots(graph)
    rubber_band(win, scene_rect_of(win, ["b", "c", "u"]))
    assert set(win.scene.selected_keys()) == {k["b"], k["c"], k["u"]}
    picked = {(graph.id_of(c), s) for c, s in win.scene.selected_edges()}
    assert {("u", 0), ("u", 1)} <= picked  # the edges among the nodes are caught too
    press_key(win, Qt.Key.Key_Delete)
    assert sorted(node.id for node in graph) == ["J", "a", "three", "v"]
    gone = {e for e in edges_before if e[2] in "bcu" or e[0] in "bcu" or e[:2] in picked}
    assert slots(graph) == edges_before - gone
    after = dumps(win)
    with qtbot.capture_exceptions() as errors:
        stack.undo()
    assert not errors, f"undo raised: {errors[0][1]!r}"
    assert slots(graph) == edges_before
    assert len(win.scene.edges) == 5  # the constant 3 is a chip on J's port, with no edge
    assert_restored(win, before)
    stack.redo()
    assert dumps(win) == after
