"""Building the lecture's graph from an empty canvas with palette drops, port drags and typing."""

from PySide6.QtCore import QPoint

from tests.gui.helpers import connect, drop_op, type_value


def test_build_the_lecture_graph_by_mouse(empty_window, qtbot):
    win = empty_window
    graph = win.document.graph
    spots = {
        "a": (60, 60),
        "b": (60, 200),
        "c": (60, 340),
        "u": (300, 270),
        "v": (540, 160),
        "three": (540, 20),
        "J": (780, 90),
    }
    ops = {
        "a": "input",
        "b": "input",
        "c": "input",
        "u": "mul",
        "v": "add",
        "three": "const",
        "J": "mul",
    }
    keys = {name: drop_op(win, ops[name], QPoint(*spots[name])) for name in spots}
    for name, value in (("a", "5"), ("b", "3"), ("c", "2"), ("three", "3")):
        type_value(win, qtbot, keys[name], value)
    connect(win, keys["b"], keys["u"], 0)
    connect(win, keys["c"], keys["u"], 1)
    connect(win, keys["a"], keys["v"], 0)
    connect(win, keys["u"], keys["v"], 1)
    connect(win, keys["three"], keys["J"], 0)
    connect(win, keys["v"], keys["J"], 1)
    win.scene.select_keys([keys["J"]])
    win.actions["set_output"].trigger()

    ev = win.document.evaluation
    assert ev.values[keys["J"]] == 33
    assert [ev.grads[keys[n]] for n in "abc"] == [3, 6, 9]
    panel = win.panel
    row_b = panel.rows[keys["b"]]
    row_b.setExpanded(True)
    b, u, c = (graph.id_of(keys[n]) for n in "buc")
    assert row_b.child(0).text(0) == f"d{b} = d{u} · ∂{u}/∂{b} = d{u} · {c} = 3 · 2 = 6"
    row_c = panel.rows[keys["c"]]
    row_c.setExpanded(True)
    assert row_c.child(0).text(0).endswith("= 3 · 3 = 9")
    # the canvas shows the same numbers
    assert win.scene.nodes[keys["J"]].value_text.endswith("= 33")
    assert win.scene.nodes[keys["b"]].grad_text.endswith("= 6")
