"""The commands themselves: SetField for every node field, its undo texts, and the
document telling its listeners which command made a change."""

import pytest

from dvar import core
from dvar.gui.document.document import Document
from dvar.gui.document.field_commands import SetField, TrainCommand
from dvar.gui.document.structure_commands import AddNodes


@pytest.fixture
def document(qtbot):
    return Document.lecture()


@pytest.mark.parametrize(
    ("field", "new", "text"),
    [
        ("value", 4.0, "Set a = 4"),
        ("label", "learning rate", "Label a “learning rate”"),
        ("param", True, "Mark a as parameter"),
        ("id", "alpha", "Rename a → alpha"),
        ("position", (120.0, -40.0), "Move a"),
    ],
)
def test_set_field_does_undoes_and_redoes_each_field(document, field, new, text):
    graph, stack = document.graph, document.undo_stack
    key = graph.key_of("a")
    before = core.dumps(graph)
    assert document.run(SetField.to(graph, key, field, new))
    assert stack.undoText() == text
    node = graph.node(key)
    assert (node.x, node.y) == new if field == "position" else getattr(node, field) == new
    after = core.dumps(graph)
    stack.undo()
    assert core.dumps(graph) == before
    stack.redo()
    assert core.dumps(graph) == after


def test_set_field_texts_for_clearing():
    graph = core.load(core.example_path("lecture"))
    key = graph.key_of("a")
    graph.set_label(key, "rate")
    graph.set_param(key, True)
    cleared = SetField.to(graph, key, "label", "")
    assert cleared.text() == "Clear label of a" and cleared.new is None
    assert SetField.to(graph, key, "param", False).text() == "Unmark a as parameter"
    assert SetField(graph, key, "value", 1.0, 2.5, "Nudge a").text() == "Nudge a"


def test_set_field_puts_back_the_old_value_it_was_given(document):
    graph, stack = document.graph, document.undo_stack
    key = graph.key_of("b")
    assert document.run(SetField(graph, key, "value", -1.5, 8.0))
    assert graph.node(key).value == 8.0
    stack.undo()
    assert graph.node(key).value == -1.5


def test_set_field_knows_only_node_fields(document):
    graph = document.graph
    with pytest.raises(ValueError, match="not 'op'"):
        SetField.to(graph, graph.key_of("a"), "op", "exp")
    with pytest.raises(ValueError, match="not 'output'"):
        SetField(graph, graph.key_of("a"), "output", None, 1)


def test_a_refused_set_field_changes_nothing(document):
    graph = document.graph
    before = core.dumps(graph)
    messages = []
    document.message.connect(messages.append)
    command = SetField.to(graph, graph.key_of("a"), "id", "b")
    assert not document.run(command)  # the stack drops (and deletes) an obsolete command
    assert document.undo_stack.count() == 0
    assert core.dumps(graph) == before
    assert messages == ["Refused: a node named 'b' already exists"]


def test_add_nodes_brings_back_the_same_keys_after_undo(document):
    graph, stack = document.graph, document.undo_stack
    records = [
        {"id": "a", "op": "input", "value": 2.0, "x": 0.0, "y": 0.0},
        {"id": "e", "op": "exp", "inputs": ["a"]},
    ]
    command = AddNodes(graph, records, "Add two")
    assert document.run(command)
    assert command.ids == ["a_2", "e"]  # "a" was taken
    added = core.dumps(graph)
    assert graph.inputs_of("e") == ["a_2"]
    stack.undo()
    assert "a_2" not in graph and "e" not in graph
    stack.redo()
    assert [graph.id_of(k) for k in command.keys] == ["a_2", "e"]
    assert core.dumps(graph) == added


def test_the_document_names_the_command_behind_each_change(document):
    graph, stack = document.graph, document.undo_stack
    seen = []
    document.changed.connect(
        lambda events, evaluation: seen.append(
            None if document.command is None else (document.command, document.command.applied)
        )
    )
    key = graph.key_of("a")
    run = TrainCommand(graph, {key: 2.0}, {key: 1.5}, "Gradient step", "before", "after")
    assert document.run(run)
    assert run.session == "after"
    stack.undo()
    assert run.session == "before"
    stack.redo()
    assert seen == [(run, True), (run, False), (run, True)]
    assert document.command is None  # only while the change is announced
    graph.set_value(key, 3.0)  # an edit outside the undo stack
    assert seen[-1] is None
