"""What the canvas shows: error nodes, the output, one edge per use, the backward view."""

from PySide6.QtCore import QPoint

from dvar.gui.document.field_commands import SetField
from dvar.gui.document.structure_commands import AddNodes
from tests.gui.helpers import click, connect, drop_op, fit, keys, node_point, type_value


def test_a_node_outside_its_domain_looks_different_and_says_why(window):
    graph = window.document.graph
    records = [
        {"id": "x", "op": "input", "value": -2.0, "x": 0, "y": 420},
        {"id": "l", "op": "log", "inputs": ["x"], "x": 240, "y": 420},
        {"id": "after", "op": "exp", "inputs": ["l"], "x": 480, "y": 420},
    ]
    window.document.run(AddNodes(graph, records, "Add log of -2"))
    nodes = window.scene.nodes
    log = nodes[graph.key_of("l")]
    assert log.has_error and not nodes[graph.key_of("x")].has_error
    assert log.toolTip() == "log of a negative number: x = -2"
    assert log.value_text == "l = ln(x) = —"
    assert nodes[graph.key_of("after")].toolTip() == "waits on l"
    # a good value clears the mark
    window.document.run(SetField.to(graph, graph.key_of("x"), "value", 1.0))
    assert not log.has_error and log.toolTip() == "" and log.value_text == "l = ln(x) = 0"


def test_the_output_node_is_marked(window):
    k = keys(window)
    marked = {key for key, item in window.scene.nodes.items() if item.is_output}
    assert marked == {k["J"]}


def test_set_as_output_moves_the_mark_and_never_renames(window):
    win, k = window, keys(window)
    fit(win)
    ids = sorted(k)
    click(win, node_point(win, k["v"]))
    win.actions["set_output"].trigger()
    graph = win.document.graph
    assert graph.output == "v"
    assert sorted(node.id for node in graph) == ids
    assert win.scene.nodes[k["v"]].is_output and not win.scene.nodes[k["J"]].is_output
    assert win.scene.nodes[k["J"]].title == "J" and win.scene.nodes[k["v"]].title == "v"
    assert win.scene.nodes[k["a"]].grad_text == "da = 1"  # now dv/da
    assert win.panel.rows[k["v"]].text(1) == "1"
    assert win.document.undo_stack.undoText() == "Set v as output"


def test_backward_view_points_edges_back_with_their_local_derivatives(window, qtbot):
    win, k = window, keys(window)
    edges = win.scene.edges
    assert not any(edge.backward or edge.label for edge in edges.values())
    win.actions["backward"].trigger()
    assert all(edge.backward for edge in edges.values())
    labels = {(win.document.graph.id_of(c), s): edge.label for (c, s), edge in edges.items()}
    assert labels == {
        ("u", 0): "2",  # ∂u/∂b = c
        ("u", 1): "3",  # ∂u/∂c = b
        ("v", 0): "1",
        ("v", 1): "1",
        # J's slot 0 holds the constant 3, drawn as a chip on the port: no edge
        ("J", 1): "3",
    }
    fit(win)
    type_value(win, qtbot, k["c"], "4")  # labels follow the values
    assert edges[(k["u"], 0)].label == "4"
    win.actions["backward"].trigger()
    assert not any(edge.backward or edge.label for edge in edges.values())


def test_a_node_used_twice_draws_two_edges(empty_window):
    win = empty_window
    x = drop_op(win, "input", QPoint(80, 120))
    m = drop_op(win, "mul", QPoint(420, 120))
    connect(win, x, m, 0)
    connect(win, x, m, 1)
    assert win.document.graph.inputs_of(m) == ["x", "x"]
    first, second = win.scene.edges[(m, 0)], win.scene.edges[(m, 1)]
    assert first is not second
    assert first.source is second.source is win.scene.nodes[x]
    assert first.ends()[1] != second.ends()[1]  # into two different ports
    assert len(win.scene.nodes[x].edges) == 2
    assert win.scene.nodes[m].value_text == "mul = x·x = 1"
