"""Selecting (rubber band, Ctrl+A), then copy, paste, duplicate and cut."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from dvar.gui.document.clipboard import MIME, PASTE_OFFSET
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
)

CTRL = Qt.KeyboardModifier.ControlModifier


def select_b_c_u(win) -> None:
    rubber_band(win, scene_rect_of(win, ["b", "c", "u"]))
    assert sorted(win.document.graph.id_of(k) for k in win.scene.selected_keys()) == ["b", "c", "u"]


def test_rubber_band_and_ctrl_a_select_nodes(window):
    win = window
    fit(win)
    select_b_c_u(win)
    win.actions["select_all"].trigger()
    assert set(win.scene.selected_keys()) == set(win.scene.nodes)
    win.scene.clearSelection()
    press_key(win, Qt.Key.Key_A, CTRL)
    assert set(win.scene.selected_keys()) == set(win.scene.nodes)


def test_copy_paste_keeps_internal_edges_drops_external_ones(window):
    win, k = window, keys(window)
    graph, stack = win.document.graph, win.document.undo_stack
    fit(win)
    before, old = dumps(win), set(k)
    select_b_c_u(win)
    press_key(win, Qt.Key.Key_C, CTRL)
    assert QGuiApplication.clipboard().mimeData().hasFormat(MIME)
    press_key(win, Qt.Key.Key_V, CTRL)
    assert stack.undoText() == "Paste 3 nodes"
    new = {node.id: node for node in graph if node.id not in old}
    assert len(new) == 3 and len(graph) == 10
    (u2,) = [n for n in new.values() if n.op.name == "mul"]
    b2, c2 = (graph.node(s) for s in u2.inputs)
    assert (b2.id in new, c2.id in new) == (True, True)
    assert (b2.value, c2.value) == (3, 2)
    assert graph.consumers(u2.id) == []  # u → v pointed outside the selection
    assert graph.inputs_of("u") == ["b", "c"] and graph.inputs_of("v") == ["a", "u"]
    assert {(u2.key, 0), (u2.key, 1)} <= set(win.scene.edges)
    assert win.document.evaluation.values[u2.key] == 6
    assert (u2.x, u2.y) == (graph.node("u").x + PASTE_OFFSET, graph.node("u").y + PASTE_OFFSET)
    assert set(win.scene.selected_keys()) == {n.key for n in new.values()}
    # a second paste gets fresh ids again
    press_key(win, Qt.Key.Key_V, CTRL)
    ids = [node.id for node in graph]
    assert len(ids) == 13 == len(set(ids))
    stack.undo()
    stack.undo()
    assert_restored(win, before)


def test_duplicate_copies_the_selection_without_outside_edges(window):
    win, k = window, keys(window)
    graph = win.document.graph
    fit(win)
    click(win, node_point(win, k["u"]))
    assert win.scene.selected_keys() == [k["u"]]
    press_key(win, Qt.Key.Key_D, CTRL)
    (copy,) = [node for node in graph if node.key not in k.values()]
    assert copy.op.name == "mul" and copy.inputs == [None, None] and copy.id != "u"
    assert win.scene.nodes[copy.key].has_error  # both slots empty
    assert win.scene.selected_keys() == [copy.key]
    assert win.document.undo_stack.undoText() == "Duplicate 1 node"


def test_cut_removes_and_paste_brings_back(window):
    win, k = window, keys(window)
    graph, stack = win.document.graph, win.document.undo_stack
    fit(win)
    before = dumps(win)
    click(win, node_point(win, k["three"]))
    press_key(win, Qt.Key.Key_X, CTRL)
    assert "three" not in graph and k["three"] not in win.scene.nodes
    assert graph.inputs_of("J") == [None, "v"]
    press_key(win, Qt.Key.Key_V, CTRL)
    three = graph.node("three")  # the id was free again
    assert three.op.name == "const" and three.value == 3 and graph.consumers("three") == []
    stack.undo()
    stack.undo()
    assert_restored(win, before)
