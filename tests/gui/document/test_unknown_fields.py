"""Fields a newer dvar wrote survive every edit and its undo, and the next save keeps them."""

import json

import pytest
from PySide6.QtCore import Qt

from dvar import core
from dvar.gui.document.commands import NodeRecord
from dvar.gui.document.structure_commands import BuildFromFormula
from tests.gui.helpers import click, fit, node_point, press_key

EXTRAS = {
    "a": {"color": "teal", "note": {"why": ["the lecture", 5]}},
    "u": {"comment": "u = bc", "weight": 0.25},
    "J": {"pinned": True},
}


def _file_with_extras(tmp_path):
    document = json.loads(core.dumps(core.load(core.example_path("lecture"))))
    for record in document["nodes"]:
        record.update(EXTRAS.get(record["id"], {}))
    document["future"] = {"kept": "too"}
    path = tmp_path / "extras.dvar"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _saved_extras(window, tmp_path) -> dict:
    out = tmp_path / "again.dvar"
    assert window._save_to(out)
    document = json.loads(out.read_text(encoding="utf-8"))
    known = {"id", "op", "value", "inputs", "label", "param", "x", "y"}
    found = {
        record["id"]: {k: v for k, v in record.items() if k not in known}
        for record in document["nodes"]
    }
    assert document["future"] == {"kept": "too"}
    return {node_id: fields for node_id, fields in found.items() if fields}


@pytest.fixture
def opened(window, tmp_path):
    assert window.open_path(str(_file_with_extras(tmp_path)))
    assert _saved_extras(window, tmp_path) == EXTRAS
    return window


@pytest.mark.parametrize("victims", [["a"], ["u"], ["a", "u", "J"]])
def test_delete_then_undo_keeps_unknown_fields(opened, tmp_path, victims):
    window = opened
    graph = window.document.graph
    fit(window)
    for n, node_id in enumerate(victims):
        modifier = Qt.KeyboardModifier.ControlModifier if n else Qt.KeyboardModifier.NoModifier
        click(window, node_point(window, graph.key_of(node_id)), modifier)
    assert sorted(graph.id_of(k) for k in window.selected_keys()) == sorted(victims)
    press_key(window, Qt.Key.Key_Delete)
    assert not any(node_id in graph for node_id in victims)
    press_key(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _saved_extras(window, tmp_path) == EXTRAS
    # and again, after a redo and a second undo
    window.document.undo_stack.redo()
    window.document.undo_stack.undo()
    assert _saved_extras(window, tmp_path) == EXTRAS


def test_replace_with_formula_then_undo_keeps_unknown_fields(opened, tmp_path):
    window = opened
    stack = window.document.undo_stack
    assert window.document.run(BuildFromFormula(window.document.graph, "K = 2*z", replace=True))
    assert "a" not in window.document.graph
    press_key(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _saved_extras(window, tmp_path) == EXTRAS
    stack.redo()
    stack.undo()
    assert _saved_extras(window, tmp_path) == EXTRAS


def test_a_record_does_not_share_the_nodes_fields():
    graph = core.load(core.example_path("lecture"))
    graph.node("a").extra["note"] = {"list": [1]}
    record = NodeRecord.of(graph.node("a"))
    graph.node("a").extra["note"]["list"].append(2)  # a later change to the live node
    graph.remove_node("a")
    record.create(graph)
    assert graph.node("a").extra == {"note": {"list": [1]}}


def test_add_node_refuses_extra_fields_that_are_not_a_mapping():
    graph = core.Graph()
    with pytest.raises(core.GraphError, match="extra fields of x"):
        graph.add_node("input", "x", extra=["not", "a", "mapping"])
    assert len(graph) == 0
    graph.add_node("input", "x", extra={"color": "red"})
    assert graph.node("x").extra == {"color": "red"}
