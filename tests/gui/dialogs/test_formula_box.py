"""The formula box and Arrange: a typed formula becomes a laid-out graph in one undoable step."""

from dvar import core
from dvar.gui.dialogs.formula import FormulaDialog


def _build(window, text, replace):
    dialog = FormulaDialog(window.document, window, text)
    (dialog.replace if replace else dialog.insert).setChecked(True)
    ok = dialog.build()
    return dialog, ok


def test_replace_with_the_logistic_loss_then_undo(window):
    graph = window.document.graph
    before = core.dumps(graph)
    text = "a = sigmoid(w*x + b)\nL = -(y*log(a) + (1-y)*log(1-a))\nw = 0.5\nx = 2\nb = 0\ny = 1"
    dialog, ok = _build(window, text, replace=True)
    assert ok
    ev = window.document.evaluation
    assert ev.output == "L"
    sigma = 1 / (1 + __import__("math").exp(-1.0))
    assert ev.values["L"] == -__import__("math").log(sigma)
    assert "J" not in graph  # the lecture graph is gone
    assert window.document.undo_stack.undoText() == "Replace with formula"
    # every node has a place, and no two boxes overlap
    places = {(n.x, n.y) for n in graph}
    assert len(places) == len(graph) and None not in {n.x for n in graph}
    window.document.undo_stack.undo()
    assert core.dumps(graph) == before
    window.document.undo_stack.redo()
    assert window.document.evaluation.values["L"] == ev.values["L"]


def test_insert_binds_existing_names(window):
    graph = window.document.graph
    dialog, ok = _build(window, "K = a * J", replace=False)
    assert ok
    assert graph.inputs_of("K") == ["a", "J"]
    assert window.document.evaluation.values["K"] == 5 * 33
    assert graph.output == "K"


def test_a_mistake_points_at_its_line_and_column_and_changes_nothing(window):
    graph = window.document.graph
    before = core.dumps(graph)
    dialog, ok = _build(window, "u = b*c\nJ = os.system(u)", replace=True)
    assert not ok
    assert dialog.error.text().startswith("line 2, column")
    cursor = dialog.editor.textCursor()
    assert cursor.blockNumber() == 1
    assert core.dumps(graph) == before
    dialog, ok = _build(window, "J = __import__('os')", replace=True)
    assert not ok and "line 1" in dialog.error.text()
    assert core.dumps(graph) == before


def test_arrange_is_one_undoable_step(window):
    graph = window.document.graph
    before = core.dumps(graph)
    # scramble, then arrange
    for node in list(graph):
        graph.set_position(node.key, 0.0, 0.0)
    window.document.undo_stack.setClean()
    scrambled = core.dumps(graph)
    window.actions["arrange"].trigger()
    xs = {n.id: n.x for n in graph}
    assert xs["a"] < xs["u"] < xs["v"] < xs["J"]
    assert len({(n.x, n.y) for n in graph}) == len(graph)
    assert window.document.undo_stack.undoText() == "Arrange"
    window.document.undo_stack.undo()
    assert core.dumps(graph) == scrambled
    assert before != scrambled
