"""The derivative panel's filter bar: by name, by scope (the canvas's nodes, a group),
parameters only, largest |d| first; collapsed groups listed by their inputs and
outputs, expanded from the panel in one undoable step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from dvar.core.groups import grouped, with_collapsed
from dvar.gui.document.annotation_commands import SetGroups
from dvar.gui.document.document import Document
from dvar.gui.document.field_commands import SetField
from dvar.gui.document.structure_commands import BuildFromFormula
from dvar.gui.panels.derivative_filter import ALL, CANVAS, PARAMETERS, SEPARATOR
from dvar.gui.panels.derivatives import BAR_LIMIT, DerivativePanel


@pytest.fixture
def document(qtbot):
    return Document.lecture()


@pytest.fixture
def panel(document, qtbot):
    panel = DerivativePanel(document)
    qtbot.addWidget(panel.container)
    return panel


def listed(panel) -> list[str]:
    graph = panel.document.graph
    return [graph.id_of(key) for key in panel.rows]


def group_u_v(document, collapsed: bool = True) -> tuple[int, ...]:
    graph = document.graph
    groups, path = grouped(graph.groups, [graph.key_of("u"), graph.key_of("v")], "sum part")
    groups = with_collapsed(groups, path, collapsed)
    assert document.run(SetGroups(graph, groups, "Group"))
    return path


def test_filtering_by_name_is_a_substring_in_any_case(panel):
    everything = listed(panel)
    panel.filter_bar.set_text("U")
    assert listed(panel) == ["u"]
    panel.filter_bar.set_text("")
    assert listed(panel) == everything


def test_typing_filters_after_a_pause(panel, qtbot):
    panel.filter_bar.text_box.setText("v")
    assert "a" in listed(panel)  # not yet
    qtbot.waitUntil(lambda: listed(panel) == ["v"], timeout=2000)


def test_parameters_only_follows_the_parameter_marks(panel, document):
    graph = document.graph
    panel.filter_bar.set_scope(PARAMETERS)
    assert listed(panel) == []
    assert document.run(SetField.to(graph, graph.key_of("b"), "param", True))
    assert document.run(SetField.to(graph, graph.key_of("a"), "param", True))
    assert sorted(listed(panel)) == ["a", "b"]
    document.undo_stack.undo()
    assert listed(panel) == ["b"]


def test_largest_derivative_first_and_back(panel, document):
    backward = listed(panel)
    panel.header().sectionClicked.emit(1)  # a click on the value column's header
    assert panel.header().isSortIndicatorShown()
    grads = document.evaluation.grads
    ranked = listed(panel)
    sizes = [abs(grads[i]) for i in ranked]
    assert sizes == sorted(sizes, reverse=True)
    assert ranked[0] == "c"  # dc = 9, the lecture's largest
    ties = [i for i in ranked if abs(grads[i]) == abs(grads["v"])]
    assert ties == [i for i in backward if i in ties]  # ties keep the backward order
    # A value edit changes the derivatives, and the order follows: with c = 10, db = 30.
    graph = document.graph
    assert document.run(SetField.to(graph, graph.key_of("c"), "value", 10.0))
    assert listed(panel)[0] == "b"
    panel.header().sectionClicked.emit(1)
    assert listed(panel) == backward
    assert not panel.header().isSortIndicatorShown()


def test_a_collapsed_group_lists_its_inputs_and_outputs_and_expands(panel, document):
    path = group_u_v(document)
    bar = panel.filter_bar
    titles = [bar.scope_box.itemText(i) for i in range(bar.scope_box.count())]
    assert titles == [ALL, CANVAS, PARAMETERS, "sum part"]
    bar.set_scope(path)
    assert sorted(listed(panel)) == ["a", "b", "c", "v"]  # u is inside, fed only from inside
    assert bar.expand_button.isEnabled() and bar.expand_button.text() == "Expand"
    bar.expand_button.click()
    assert not document.graph.groups[0].collapsed
    assert sorted(listed(panel)) == ["u", "v"]  # expanded: every node inside
    assert bar.expand_button.text() == "Collapse"
    assert document.undo_stack.undoText() == "Expand sum part"
    document.undo_stack.undo()
    assert document.graph.groups[0].collapsed
    assert sorted(listed(panel)) == ["a", "b", "c", "v"]


def test_the_canvas_scope_lists_what_the_canvas_shows(panel, document):
    group_u_v(document)
    panel.filter_bar.set_scope(CANVAS)
    assert listed(panel) == [i for i in ["J", "v", "a", "b", "c"] if i in listed(panel)]
    assert sorted(listed(panel)) == ["J", "a", "b", "c", "v"]  # u is hidden in the box
    document.undo_stack.undo()  # no groups: the canvas shows everything
    assert "u" in listed(panel)


def test_hidden_nodes_name_their_group_and_expand_from_the_panel(panel, document):
    group_u_v(document)
    graph = document.graph
    u = panel.rows[graph.key_of("u")]
    assert u.text(0).endswith("▸ sum part")
    assert "▸" not in panel.rows[graph.key_of("a")].text(0)
    assert panel.expand_group_of(graph.key_of("u"))
    assert not graph.groups[0].collapsed
    assert "▸" not in panel.rows[graph.key_of("u")].text(0)
    assert not panel.expand_group_of(graph.key_of("a"))  # in no collapsed group


def test_nested_groups_are_listed_by_their_title_path(panel, document):
    graph = document.graph
    groups, _ = grouped(graph.groups, [graph.key_of("u")], "product")
    groups, _ = grouped(groups, [graph.key_of(i) for i in ("u", "v")], "sum part")
    assert document.run(SetGroups(graph, groups, "Group"))
    bar = panel.filter_bar
    titles = [bar.scope_box.itemText(i) for i in range(bar.scope_box.count())]
    assert titles == [ALL, CANVAS, PARAMETERS, "sum part", f"sum part{SEPARATOR}product"]
    bar.set_scope((0, 0))
    assert listed(panel) == ["u"]
    # The group goes: the bar falls back to every node.
    document.undo_stack.undo()
    assert bar.scope == ALL
    assert len(listed(panel)) == len(panel.rows_model.all_keys)


def test_filters_combine_and_keep_the_chosen_row(panel, document):
    group_u_v(document, collapsed=False)
    graph = document.graph
    panel.select_node(graph.key_of("v"))
    panel.filter_bar.set_scope((0,))
    panel.filter_bar.set_text("v")
    assert listed(panel) == ["v"]
    assert panel.current_key() == graph.key_of("v")
    assert panel.currentIndex().data(Qt.ItemDataRole.DisplayRole) == "dv"


def test_the_bar_shows_for_big_or_grouped_graphs_only(panel, document):
    assert panel.filter_bar.isHidden()  # the lecture: six rows, all in view
    group_u_v(document)
    assert not panel.filter_bar.isHidden()
    document.undo_stack.undo()
    assert panel.filter_bar.isHidden()
    text = "J = " + " + ".join(f"x{i}*w{i}" for i in range(12))
    assert document.run(BuildFromFormula(document.graph, text, replace=True))
    assert len(document.graph) > BAR_LIMIT
    assert not panel.filter_bar.isHidden()
