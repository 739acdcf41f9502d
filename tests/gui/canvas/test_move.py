"""Dragging nodes: snapped to the 20-px grid, edges follow, and a whole drag is one undo step."""

from PySide6.QtCore import QPoint, Qt

from dvar import core
from dvar.gui.app.window import MainWindow
from dvar.gui.canvas.nodes import GRID
from dvar.gui.document.document import Document
from tests.gui.helpers import assert_restored, click, drag, dumps, fit, keys, node_point


def on_grid(value: float) -> bool:
    return value % GRID == 0


def test_a_drag_snaps_to_the_grid_and_is_one_undo_step(window):
    win, k = window, keys(window)
    stack = win.document.undo_stack
    fit(win)
    before, depth = dumps(win), stack.count()
    item = win.scene.nodes[k["a"]]
    edge = win.scene.edges[(k["v"], 0)]
    old_start = edge.ends()[0]
    start = node_point(win, k["a"])
    drag(win, start, start + QPoint(57, 23), steps=12)
    node = win.document.graph.node("a")
    assert (node.x, node.y) == (item.x(), item.y()) != (0, 0)
    assert on_grid(node.x) and on_grid(node.y)
    assert edge.ends()[0] == item.mapToScene(item.output_port()) != old_start  # edge follows
    assert stack.count() == depth + 1 and stack.undoText() == "Move a"
    stack.undo()
    assert (item.x(), item.y()) == (0, 0)
    assert edge.ends()[0] == old_start
    assert dumps(win) == before


def test_dragging_a_selection_moves_all_of_it_in_one_step(window):
    win, k = window, keys(window)
    stack = win.document.undo_stack
    fit(win)
    before, depth = dumps(win), stack.count()
    click(win, node_point(win, k["b"]))
    click(win, node_point(win, k["c"]), Qt.KeyboardModifier.ControlModifier)
    start = node_point(win, k["c"])
    drag(win, start, start + QPoint(80, 40))
    graph = win.document.graph
    assert graph.node("b").x == graph.node("c").x != 0
    assert graph.node("c").y - graph.node("b").y == 140  # kept apart as they were
    assert stack.count() == depth + 1 and stack.undoText() == "Move 2 nodes"
    stack.undo()
    assert dumps(win) == before


def test_undoing_a_drag_of_a_node_without_a_saved_place_restores_the_file(qtbot):
    """A file may leave x and y out; the canvas lays such nodes out itself.  Dragging one
    and undoing must give back the file as it was, without made-up coordinates."""
    text = (
        '{"format": "dvar", "version": 1, "output": "y", "nodes": ['
        '{"id": "x", "op": "input", "value": 2}, {"id": "y", "op": "neg", "inputs": ["x"]}]}'
    )
    graph = core.loads(text)
    win = MainWindow(Document(graph))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    before = core.dumps(graph)
    fit(win)
    start = node_point(win, graph.key_of("x"))
    drag(win, start, start + QPoint(100, 60))
    assert graph.node("x").x is not None
    win.document.undo_stack.undo()
    assert_restored(win, before)
    win.document.undo_stack.setClean()
