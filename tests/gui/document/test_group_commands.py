"""Groups through the undo stack: SetGroups, and every command that removes nodes
gives the grouping back exactly on undo."""

import pytest

from dvar import core
from dvar.core.groups import grouped, with_collapsed
from dvar.gui.document.annotation_commands import SetGroups
from dvar.gui.document.document import Document
from dvar.gui.document.structure_commands import AddNodes, BuildFromFormula, RemoveItems


@pytest.fixture
def document(qtbot):
    doc = Document.lecture()
    graph = doc.graph
    groups, _ = grouped(graph.groups, [graph.key_of("u"), graph.key_of("v")], "inner")
    groups, _ = grouped(groups, [graph.key_of(i) for i in ("u", "v", "J")], "outer")
    assert doc.run(SetGroups(graph, groups, "Group"))
    return doc


def test_set_groups_is_one_undoable_step_that_does_not_re_evaluate(document):
    graph, stack = document.graph, document.undo_stack
    grouped_text = core.dumps(graph)
    evaluations = document.evaluations
    assert document.run(SetGroups(graph, with_collapsed(graph.groups, (0,), True), "Collapse"))
    assert graph.groups[0].collapsed
    assert document.evaluations == evaluations  # groups change no value
    stack.undo()
    assert core.dumps(graph) == grouped_text
    stack.undo()
    assert graph.groups == ()
    stack.redo()
    assert core.dumps(graph) == grouped_text


def test_a_refused_grouping_changes_nothing(document):
    graph = document.graph
    before = core.dumps(graph)
    bad = (graph.groups[0], graph.groups[0])  # every node in two groups
    assert not document.run(SetGroups(graph, bad, "Group"))
    assert core.dumps(graph) == before


@pytest.mark.parametrize("deleted", [["v"], ["u", "v"], ["u", "v", "J"], ["a", "J"]])
def test_deleting_nodes_and_undoing_brings_the_groups_back(document, deleted):
    graph, stack = document.graph, document.undo_stack
    before = core.dumps(graph)
    groups = graph.groups
    assert document.run(RemoveItems(graph, [graph.key_of(i) for i in deleted], []))
    kept = set().union(*(g.all_keys() for g in graph.groups)) if graph.groups else set()
    assert not kept & {k for k in groups[0].all_keys() if k not in graph}
    assert all(k in graph for k in kept)
    stack.undo()
    assert graph.groups == groups
    assert core.dumps(graph) == before
    stack.redo()
    stack.undo()
    assert core.dumps(graph) == before


def test_replacing_the_graph_with_a_formula_and_undoing_restores_the_groups(document):
    graph, stack = document.graph, document.undo_stack
    before = core.dumps(graph)
    assert document.run(BuildFromFormula(graph, "J = x * y", replace=True))
    assert graph.groups == ()
    stack.undo()
    assert core.dumps(graph) == before


def test_pasted_nodes_join_no_group(document):
    graph = document.graph
    groups = graph.groups
    records = [{"id": "u", "op": "mul", "inputs": ["b", "c"]}]
    assert document.run(AddNodes(graph, records, "Paste"))
    pasted = graph.key_of("u_2")
    assert graph.groups == groups
    assert all(pasted not in g.all_keys() for g in graph.groups)
