"""Teach → Paths: rows per path, the highlight through the overlay, the factored form."""

from __future__ import annotations

from dvar import core
from dvar.gui.document.document import Document
from dvar.gui.document.field_commands import SetField
from tests.core.test_paths import diamonds


def _open_paths(window, node_id: str):
    key = window.document.graph.key_of(node_id)
    window.scene.select_keys([key])
    window.actions["paths"].trigger()
    return window.paths_panel


def _row(panel, row: int) -> list[str]:
    table = panel.table
    return [table.item(row, c).text() for c in range(table.columnCount())]


def test_the_action_shows_the_selected_nodes_paths(window) -> None:
    panel = _open_paths(window, "b")
    assert window.docks["paths"].isVisible()
    assert panel.key == window.document.graph.key_of("b")
    assert panel.chooser.currentText() == "b"
    assert panel.table.rowCount() == 1
    assert _row(panel, 0) == ["b → u → v → J", "∂u/∂b · ∂v/∂u · ∂J/∂v", "2 · 1 · 3", "6"]
    assert "1 path from b to J" in panel.summary.text()
    assert "Sum of the products: 6" in panel.total.text() and "db = 6" in panel.total.text()


def test_the_panel_follows_the_canvas_selection_and_the_chooser(window) -> None:
    panel = _open_paths(window, "b")
    window.scene.select_keys([window.document.graph.key_of("c")])
    assert _row(panel, 0)[2] == "3 · 1 · 3"
    panel.chooser.setCurrentText("a")
    panel.chooser.activated.emit(panel.chooser.currentIndex())
    assert _row(panel, 0)[0] == "a → v → J"


def test_hovering_or_selecting_a_row_highlights_its_edges(window, qtbot) -> None:
    graph = window.document.graph
    panel = _open_paths(window, "b")
    expected = {
        (graph.key_of("u"), 0),
        (graph.key_of("v"), 1),
        (graph.key_of("J"), 1),
    }
    panel.table.cellEntered.emit(0, 1)
    assert window.document.overlay.edges == expected
    highlighted = {slot for slot, item in window.scene.edges.items() if item.highlighted}
    assert highlighted == expected  # the canvas draws the overlay's edges
    panel.table.selectRow(0)
    assert window.document.overlay.edges == expected
    panel.table.clearSelection()  # back to what selecting b showed: its chain-rule term
    assert window.document.overlay.edges == {(graph.key_of("u"), 0)}


def test_hiding_the_panel_clears_its_highlight(window) -> None:
    panel = _open_paths(window, "c")
    panel.table.selectRow(0)
    assert window.document.overlay.edges
    window.docks["teach"].raise_()  # another tab in front: the Paths panel is hidden
    assert window.document.overlay.edges == {(window.document.graph.key_of("u"), 1)}


def test_factor_groups_by_first_edge(qtbot) -> None:
    from dvar.gui.app.window import MainWindow

    g = core.build_graph("y = x*x; J = y + 3*x", {"x": 2}).graph
    win = MainWindow(Document(g))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    panel = _open_paths(win, "x")
    assert panel.table.rowCount() == 3
    assert [_row(panel, r)[1] for r in range(3)] == [
        "∂y/∂x[1] · ∂J/∂y",
        "∂y/∂x[2] · ∂J/∂y",
        "∂t1/∂x · ∂J/∂t1",
    ]
    panel.factor.setChecked(True)
    assert panel.factored
    rows = [_row(panel, r) for r in range(panel.table.rowCount())]
    assert [r[0] for r in rows] == ["dy · ∂y/∂x[1]", "dy · ∂y/∂x[2]", "dt1 · ∂t1/∂x"]
    assert [r[1] for r in rows] == ["1 path"] * 3
    assert [r[3] for r in rows] == ["2", "2", "3"]
    assert "dx = " in panel.total.text() and panel.total.text().split("\n")[0].endswith("= 7")
    panel.table.cellEntered.emit(2, 0)  # dt1 · ∂t1/∂x: its edge and every edge above t1
    graph = win.document.graph
    assert win.document.overlay.edges == {(graph.key_of("t1"), 1), (graph.key_of("J"), 1)}
    win.document.undo_stack.setClean()


def test_many_paths_show_only_the_factored_form(qtbot) -> None:
    from dvar.gui.app.window import MainWindow

    win = MainWindow(Document(diamonds(30)))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    panel = _open_paths(win, "x0")
    assert f"{2**30:,} paths from x0 to x30" in panel.summary.text()
    assert "more than 1,000" in panel.summary.text()
    assert not panel.factor.isEnabled() and panel.factored
    assert panel.table.rowCount() == 2
    assert [_row(panel, r)[1] for r in range(2)] == [f"{2**29:,} paths"] * 2
    win.document.undo_stack.setClean()


def test_an_edit_updates_the_rows(window) -> None:
    graph = window.document.graph
    panel = _open_paths(window, "b")
    panel.table.selectRow(0)
    window.document.run(SetField.to(graph, graph.key_of("c"), "value", 5.0))
    assert _row(panel, 0)[2] == "5 · 1 · 3"
    assert _row(panel, 0)[3] == "15"
    assert panel.table.selectionModel().selectedRows()[0].row() == 0  # still chosen
    assert (graph.key_of("J"), 1) in window.document.overlay.edges


def test_practice_disables_the_panel_and_the_action(window) -> None:
    panel = _open_paths(window, "b")
    panel.table.selectRow(0)
    window.actions["practice"].setChecked(True)
    assert not panel.isEnabled()
    assert panel.table.rowCount() == 0  # no product may show: they are the answers
    assert "practice" in panel.summary.text() and panel.total.text() == ""
    assert not window.actions["paths"].isEnabled()
    assert (window.document.graph.key_of("J"), 1) not in window.document.overlay.edges
    window.actions["practice"].setChecked(False)
    assert panel.isEnabled() and window.actions["paths"].isEnabled()
    window.docks["paths"].raise_()  # practice put its own tab in front
    assert _row(panel, 0)[3] == "6"


def test_a_hidden_panel_waits_and_catches_up_when_shown(window) -> None:
    graph = window.document.graph
    panel = _open_paths(window, "b")
    window.docks["inspector"].raise_()  # the Paths tab goes behind
    window.document.run(SetField.to(graph, graph.key_of("c"), "value", 7.0))
    assert _row(panel, 0)[2] == "2 · 1 · 3"  # not rebuilt while nobody sees it
    window.docks["paths"].raise_()
    assert _row(panel, 0)[2] == "7 · 1 · 3"


def test_negative_factors_are_bracketed(window) -> None:
    graph = window.document.graph
    panel = _open_paths(window, "b")
    window.document.run(SetField.to(graph, graph.key_of("c"), "value", -2.0))
    assert _row(panel, 0)[2:] == ["(-2) · 1 · 3", "-6"]
