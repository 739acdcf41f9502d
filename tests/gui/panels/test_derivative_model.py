"""The derivative panel's model: rows formatted only when a view asks, heights that
follow their texts, and rows that keep their state when the graph changes shape."""

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from dvar import core
from dvar.gui.document.document import Document
from dvar.gui.document.field_commands import SetField
from dvar.gui.document.overlay import Overlay
from dvar.gui.panels.derivatives import DerivativePanel


def chain(n: int) -> core.Graph:
    """x, then n nodes each adding x to the one before: every derivative is 1."""
    graph = core.Graph()
    graph.add_node("input", "x", value=1.0)
    previous = "x"
    for i in range(n):
        graph.add_node("add", f"n{i}", inputs=[previous, "x"])
        previous = f"n{i}"
    graph.set_output(previous)
    return graph


def shown_panel(qtbot, graph: core.Graph, height: int = 300) -> DerivativePanel:
    document = Document(graph)
    panel = DerivativePanel(document)
    qtbot.addWidget(panel.container)  # the card above the rows, as the window docks it
    panel.container.resize(400, height + panel.card.sizeHint().height())
    panel.container.show()
    QApplication.processEvents()
    return panel


def test_a_value_edit_formats_only_the_rows_on_screen(qtbot, monkeypatch):
    panel = shown_panel(qtbot, chain(2000))
    model = panel.rows_model
    formatted = []
    real = type(model).row_texts
    monkeypatch.setattr(
        type(model), "row_texts", lambda self, row: formatted.append(row) or real(self, row)
    )
    document = panel.document
    document.run(SetField.to(document.graph, "x", "value", 2.0))
    panel.viewport().repaint()
    QApplication.processEvents()
    assert 5 < len(set(formatted)) < 60  # the rows on screen, of 2,001
    assert panel.rows[document.graph.key_of("x")].text(1) == "2001"  # any row, when asked


def test_model_rows_are_the_backward_order_with_their_breakdown_as_children(qtbot):
    graph = core.load(core.example_path("lecture"))
    panel = shown_panel(qtbot, graph)
    model = panel.rows_model
    assert model.rowCount() == 6 and model.columnCount() == 2  # no row for the inline 3
    assert model.headerData(0, Qt.Orientation.Horizontal) == "derivative"
    b = model.index_of(graph.key_of("b"))
    assert model.hasChildren(b) and model.rowCount(b) == 2
    line = model.index(0, 0, b)
    assert line.parent() == b and not model.hasChildren(line)
    assert line.data() == "db = du · ∂u/∂b = du · c = 3 · 2 = 6"
    assert line.data(Qt.ItemDataRole.FontRole).bold()
    assert b.data(Qt.ItemDataRole.FontRole).italic()
    assert model.index(5, 0, b) == QModelIndex()
    assert model.key_at(line) == graph.key_of("b")  # a line belongs to its node


def test_every_row_is_one_line_tall_whatever_its_text(qtbot):
    """The panel repaints a big change without having Qt measure every row again:
    that holds because a row's height never depends on its text."""
    graph = chain(200)
    panel = shown_panel(qtbot, graph)
    first, last = panel.rows_model.keys[0], panel.rows_model.keys[-1]
    plain = panel.visualRect(panel.rows[first].index).height()
    note = "(a note far too long to fit beside the value on one line of the panel)"
    panel.document.set_overlay(Overlay(notes={first: note, last: note}))
    QApplication.processEvents()
    panel.scrollTo(panel.rows[last].index)
    QApplication.processEvents()
    assert panel.visualRect(panel.rows[last].index).height() == plain
    panel.rows[last].setExpanded(True)
    row = panel.rows[last]
    texts = [row.text(0), row.text(1)] + [row.child(i).text(0) for i in range(row.childCount())]
    assert note in texts[1] and not any("\n" in text for text in texts)


def test_open_and_chosen_rows_survive_new_rows_and_lines(qtbot):
    """A new node makes the rows anew; a new use of a node adds a line to its open
    breakdown, spanning both columns like the others."""
    graph = core.load(core.example_path("lecture"))
    panel = shown_panel(qtbot, graph)
    a, b = graph.key_of("a"), graph.key_of("b")
    panel.rows[b].setExpanded(True)
    panel.select_node(a)
    document = panel.document
    graph.add_node("mul", "w", inputs=["b", "b"])
    graph.add_node("add", "z", inputs=["J", "w"])
    graph.set_output("z")
    assert panel.rows[b].isExpanded() and panel.current_key() == a
    row = panel.rows[b]
    assert row.childCount() == 4  # the breakdown, then u, w (slot 1), w (slot 2)
    assert sorted(row.child(i).text(0)[:6] for i in range(1, 4)) == ["via u:", "via w:", "via w:"]
    assert all(panel.isFirstColumnSpanned(i, row.index) for i in range(4))
    # the same rows in the same order, one more use of c: its open breakdown gains a line
    c = graph.key_of("c")
    panel.rows[c].setExpanded(True)
    assert panel.rows[c].childCount() == 2
    order = list(panel.rows)
    with graph.batch():
        graph.disconnect("w", 0)
        graph.connect("c", "w", 0)
    assert list(panel.rows) == order
    assert panel.rows[c].childCount() == 3 and panel.rows[b].childCount() == 3
    assert all(panel.isFirstColumnSpanned(i, panel.rows[c].index) for i in range(3))
    assert panel.rows[c].child(0).text(0) == document.evaluation.breakdown(c)
