"""The inspector edits the selected node: name, label, value, flags, and what feeds each slot."""

from dvar import core


def _show(window, node_id):
    key = window.document.graph.key_of(node_id)
    window.scene.select_keys([key])
    return key


def test_slot_drop_downs_wire_the_graph_without_the_mouse(window):
    graph = window.document.graph
    _show(window, "u")
    combos = window.inspector.slot_combos
    assert [c.currentText() for c in combos] == ["b", "c"]
    # nodes downstream of u (v, J) and u itself are not offered: they would close a cycle
    offered = {combos[0].itemText(i) for i in range(combos[0].count())}
    assert offered == {"(empty)", "a", "b", "c", "three"}
    combos[1].setCurrentIndex(combos[1].findText("a"))
    combos[1].activated.emit(combos[1].currentIndex())
    assert graph.inputs_of("u") == ["b", "a"]
    assert window.document.evaluation.values["J"] == 3 * (5 + 3 * 5)
    assert window.document.undo_stack.undoText() == "Connect a → u"
    combos = window.inspector.slot_combos
    combos[0].setCurrentIndex(0)
    combos[0].activated.emit(0)
    assert graph.inputs_of("u") == [None, "a"]
    assert window.document.evaluation.error("u") == "slot 1 of u is empty"
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()
    assert graph.inputs_of("u") == ["b", "c"]


def test_rename_in_the_inspector_keeps_references(window):
    graph = window.document.graph
    _show(window, "b")
    window.inspector.name.setText("beta")
    window.inspector.name.editingFinished.emit()
    assert graph.inputs_of("u") == ["beta", "c"]
    assert window.document.evaluation.breakdown("beta") == (
        "dbeta = du · ∂u/∂beta = du · c = 3 · 2 = 6"
    )


def test_a_bad_name_is_refused_and_shown_back(window):
    _show(window, "b")
    window.inspector.name.setText("not a name")
    window.inspector.name.editingFinished.emit()
    assert window.inspector.name.text() == "b"
    assert "b" in window.document.graph


def test_value_and_param_and_output(window):
    graph = window.document.graph
    key = _show(window, "a")
    window.inspector.value.setText("2.5")
    window.inspector.value.editingFinished.emit()
    assert graph.node("a").value == 2.5
    window.inspector.param.setChecked(True)
    assert graph.node("a").param
    window.inspector.output.setChecked(True)
    assert graph.output == "a"  # never renamed
    assert core.evaluate(graph).grads[key] == 1.0


def test_a_name_not_in_normal_form_is_refused_with_the_normal_form(window):
    from tests.gui.helpers import status

    _show(window, "b")
    window.inspector.name.setText("\ufb01")  # the ligature ﬁ, which formulas read as fi
    window.inspector.name.editingFinished.emit()
    assert window.inspector.name.text() == "b"
    assert "b" in window.document.graph and "\ufb01" not in window.document.graph
    assert status(window) == "Refused: id '\ufb01' is not in normal form; use 'fi'"
