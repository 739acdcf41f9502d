"""The derivative panel: rows in backward order, chain-rule breakdowns, and selection both ways."""

import faulthandler

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dvar.gui.document.structure_commands import AddNodes, SetOutput
from tests.gui.helpers import click, fit, keys, node_point


def rows(panel) -> list:
    return list(panel.rows.values())


def click_row(panel, row) -> None:
    panel.scrollTo(row.index)
    point = panel.visualRect(row.index).center()
    QTest.mouseClick(
        panel.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, point
    )
    QApplication.processEvents()


def test_one_row_per_node_in_backward_order(window):
    graph = window.document.graph
    panel = window.panel
    order = [graph.id_of(row.data(0, Qt.ItemDataRole.UserRole)) for row in rows(panel)]
    assert order == ["J", "v", "a", "u", "b", "c"]  # the inline 3 has no row by default
    assert [row.text(0) for row in rows(panel)] == ["dJ", "dv", "da", "du", "db", "dc"]
    assert [row.text(1) for row in rows(panel)] == ["1", "3", "3", "3", "6", "9"]


def test_expanding_db_reads_like_the_lecture(window):
    k = keys(window)
    row = window.panel.rows[k["b"]]
    row.setExpanded(True)
    assert row.child(0).text(0) == "db = du · ∂u/∂b = du · c = 3 · 2 = 6"
    assert row.childCount() == 2  # the breakdown, then its one term
    assert row.child(1).text(0) == "via u: du · ∂u/∂b = 3 · 2 = 6"


def test_a_node_used_twice_has_one_term_per_use(window):
    """m = x * x uses x in both slots: dx is the sum of two terms."""
    graph = window.document.graph
    records = [
        {"id": "x", "op": "input", "value": 2.0, "x": 0, "y": 420},
        {"id": "m", "op": "mul", "inputs": ["x", "x"], "x": 240, "y": 420},
    ]
    window.document.run(AddNodes(graph, records, "Add x * x"))
    window.document.run(SetOutput(graph, graph.key_of("m")))
    row = window.panel.rows[graph.key_of("x")]
    row.setExpanded(True)
    assert row.text(1) == "4"
    assert [row.child(i).text(0) for i in range(1, row.childCount())] == [
        "via m: dm · ∂m/∂x[1] = 1 · 2 = 2",
        "via m: dm · ∂m/∂x[2] = 1 · 2 = 2",
    ]
    assert row.child(0).text(0).endswith("= 4")


def test_clicking_a_row_selects_the_node_and_highlights_its_terms(window):
    win, k = window, keys(window)
    fit(win)
    click_row(win.panel, win.panel.rows[k["b"]])
    assert win.scene.selected_keys() == [k["b"]]
    lit = {slot for slot, edge in win.scene.edges.items() if edge.highlighted}
    assert lit == {(k["u"], 0)}  # db = du · ∂u/∂b: the edge b → u
    assert win.inspector.name.text() == "b"
    click_row(win.panel, win.panel.rows[k["J"]])
    assert win.scene.selected_keys() == [k["J"]]
    assert not any(edge.highlighted for edge in win.scene.edges.values())  # J has no uses


def test_selecting_a_node_on_the_canvas_selects_its_row(window):
    win, k = window, keys(window)
    fit(win)
    click(win, node_point(win, k["u"]))
    assert win.panel.current_key() == k["u"]
    assert {s for s, e in win.scene.edges.items() if e.highlighted} == {(k["v"], 1)}
    win.scene.clearSelection()
    assert not any(edge.highlighted for edge in win.scene.edges.values())


def test_hovering_db_explains_it(window):
    k = keys(window)
    tip = window.panel.rows[k["b"]].toolTip(0)
    assert tip.startswith("db ≡ ∂J/∂b")
    assert "how much J moves per unit nudge of b" in tip


def test_the_notation_setting_changes_panel_and_canvas(window):
    win, k = window, keys(window)
    row, item = win.panel.rows[k["b"]], win.scene.nodes[k["b"]]
    row.setExpanded(True)
    win.set_notation("partial")
    assert row.text(0) == "∂J/∂b" and item.grad_text == "∂J/∂b = 6"
    assert row.child(0).text(0).startswith("∂J/∂b = ∂J/∂u · ∂u/∂b")
    win.set_notation("grad")
    assert row.text(0) == "b.grad" and item.grad_text == "b.grad = 6"
    win.set_notation("d")
    assert row.text(0) == "db" and item.grad_text == "db = 6"


def test_copy_breakdown_as_latex_and_as_text(window):
    win, k = window, keys(window)
    click_row(win.panel, win.panel.rows[k["b"]])
    win.panel.copy_latex_action.trigger()
    latex = QGuiApplication.clipboard().text()
    assert r"\frac{\partial u}{\partial b}" in latex
    assert latex.startswith("$") and latex.endswith("$") and "3 \\cdot 2 = 6" in latex
    win.panel.copy_text_action.trigger()
    assert QGuiApplication.clipboard().text() == "db = du · ∂u/∂b = du · c = 3 · 2 = 6"


def test_an_error_row_says_why(window):
    graph = window.document.graph
    records = [
        {"id": "x", "op": "input", "value": -2.0, "x": 0, "y": 420},
        {"id": "l", "op": "log", "inputs": ["x"], "x": 240, "y": 420},
        {"id": "after", "op": "neg", "inputs": ["l"], "x": 480, "y": 420},
    ]
    window.document.run(AddNodes(graph, records, "Add log of -2"))
    row = window.panel.rows[graph.key_of("l")]
    assert row.text(0).startswith("dl")
    assert "log of a negative number" in row.text(0)
    assert "waits on l" in window.panel.rows[graph.key_of("after")].text(0)
    row.setExpanded(True)
    assert row.childCount() >= 1  # expanding an error row never breaks


def test_a_domain_error_on_the_way_to_the_output_is_explained(window):
    graph = window.document.graph
    records = [
        {"id": "x", "op": "input", "value": -2.0, "x": 0, "y": 420},
        {"id": "l", "op": "log", "inputs": ["x"], "x": 240, "y": 420},
        {"id": "s", "op": "add", "inputs": ["l", "x"], "x": 480, "y": 420},
    ]
    window.document.run(AddNodes(graph, records, "Add log of -2"))
    window.document.run(SetOutput(graph, graph.key_of("s")))
    panel = window.panel
    row = panel.rows[graph.key_of("l")]
    assert row.text(0) == "dl   (l: log of a negative number: x = -2)"
    assert row.text(1) == "—"
    row.setExpanded(True)
    assert row.child(0).text(0) == "dl is undefined: log of a negative number: x = -2"
    assert panel.rows[graph.key_of("s")].text(0) == "ds   (s: waits on l)"
    assert window.value_label.text() == "s has no value: waits on l"


def test_a_half_built_graph_still_explains_its_chain_rule(window):
    """u = mul(empty, b): b's row expands to its term, with nothing to multiply yet."""
    graph = window.document.graph
    records = [
        {"id": "w", "op": "input", "value": 3.0, "x": 0, "y": 420},
        {"id": "m", "op": "mul", "inputs": [None, "w"], "x": 240, "y": 420},
    ]
    window.document.run(AddNodes(graph, records, "Add a half-built mul"))
    window.document.run(SetOutput(graph, graph.key_of("m")))
    row = window.panel.rows[graph.key_of("w")]
    row.setExpanded(True)
    assert [row.child(i).text(0) for i in range(row.childCount())] == [
        "dw is undefined: m has no value",
        "via m: dm · ∂m/∂w = — · — = —",
    ]


def test_expanded_rows_stay_open_when_the_graph_grows(window):
    """Rows rebuilt in a new order are opened again; the scroll bar that appears as
    they open makes the panel redraw rows while it rebuilds them."""
    panel = window.panel
    for _ in range(2):
        for row in panel.rows.values():
            row.setExpanded(True)
        window.actions["select_all"].trigger()
        window.actions["duplicate"].trigger()  # more rows, in a new order
        QApplication.processEvents()
    graph = window.document.graph
    inline = [node for node in graph if graph.is_inline_constant(node.key)]
    assert len(inline) == 4 and len(panel.rows) == len(graph) - 4 == 24
    assert panel.verticalScrollBar().isVisible()
    k = keys(window)
    assert panel.rows[k["b"]].isExpanded()
    assert panel.rows[k["b"]].child(0).text(0) == "db = du · ∂u/∂b = du · c = 3 · 2 = 6"


def test_expanding_every_row_at_once_fills_each_row_once(window):
    """The tree's own expand-all (the * key) also expands breakdown lines: they get no
    lines of their own, so it ends, and nothing is drawn under them."""
    panel = window.panel
    panel.setFocus()
    panel.setCurrentIndex(panel.rows[panel.rows_model.keys[0]].index)
    faulthandler.dump_traceback_later(30, exit=True)  # it used to expand forever
    try:
        QTest.keyClick(panel, Qt.Key.Key_Asterisk)
        panel.expandAll()
        QApplication.processEvents()
    finally:
        faulthandler.cancel_dump_traceback_later()
    rows = list(panel.rows.values())
    assert all(row.isExpanded() and row.childCount() >= 1 for row in rows)
    assert max(row.childCount() for row in rows) > 1  # the breakdown and its terms
    assert all(row.child(i).childCount() == 0 for row in rows for i in range(row.childCount()))
