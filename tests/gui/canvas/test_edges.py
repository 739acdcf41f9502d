"""Picking up an edge's end: off a port to disconnect, onto another port to reconnect."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.gui.helpers import drag, drop_op, dumps, empty_point, fit, keys, port_point


def test_dragging_an_edge_end_onto_empty_canvas_disconnects_it(window):
    win, k = window, keys(window)
    stack = win.document.undo_stack
    fit(win)
    before = dumps(win)
    drag(win, port_point(win, k["u"], "in", 0), empty_point(win))
    graph = win.document.graph
    assert graph.inputs_of("u") == [None, "c"]
    assert (k["u"], 0) not in win.scene.edges
    assert win.scene.nodes[k["u"]].has_error  # slot 1 is empty now
    assert stack.undoText() == "Disconnect b → u"
    stack.undo()
    assert dumps(win) == before
    assert win.scene.edges[(k["u"], 0)].source is win.scene.nodes[k["b"]]
    stack.redo()
    assert graph.inputs_of("u") == [None, "c"]


def test_dragging_an_edge_end_onto_a_free_port_reconnects_it_in_one_step(window):
    win, k = window, keys(window)
    stack = win.document.undo_stack
    fit(win)
    neg = drop_op(win, "neg", empty_point(win))
    graph = win.document.graph
    before, depth = dumps(win), stack.count()
    # a's edge into v moves to the new node's only slot
    drag(win, port_point(win, k["v"], "in", 0), port_point(win, neg, "in", 0))
    assert graph.inputs_of("v") == [None, "u"]
    assert graph.node(neg).inputs == [k["a"]]
    assert (k["v"], 0) not in win.scene.edges
    edge = win.scene.edges[(neg, 0)]
    assert (edge.source.key, edge.consumer.key) == (k["a"], neg)
    assert edge.isVisible()
    assert stack.count() == depth + 1
    stack.undo()
    assert dumps(win) == before
    assert (neg, 0) not in win.scene.edges
    assert win.scene.edges[(k["v"], 0)].isVisible()


def test_dropping_an_edge_end_back_on_its_own_port_changes_nothing(window):
    win, k = window, keys(window)
    fit(win)
    before, depth = dumps(win), win.document.undo_stack.count()
    viewport = win.view.viewport()
    port = port_point(win, k["J"], "in", 1)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, port)
    QTest.mouseMove(viewport, empty_point(win))
    assert not win.scene.edges[(k["J"], 1)].isVisible()  # the end is in hand
    QTest.mouseMove(viewport, port)
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, port)
    assert dumps(win) == before
    assert win.document.undo_stack.count() == depth
    assert win.scene.edges[(k["J"], 1)].isVisible()
