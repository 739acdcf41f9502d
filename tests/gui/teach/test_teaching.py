"""Nudge and step-through in the window: previews that never change the graph."""

import pytest

from dvar import core
from dvar.gui.document.field_commands import SetField


def _select(window, node_id):
    key = window.document.graph.key_of(node_id)
    window.scene.select_keys([key])
    return key


@pytest.mark.parametrize(("node", "expected"), [("a", "33.003"), ("b", "33.006"), ("c", "33.009")])
def test_nudge_shows_old_to_new_and_the_finite_difference(window, node, expected):
    graph = window.document.graph
    before = core.dumps(graph)
    key = _select(window, node)
    window.actions["nudge"].trigger()
    j = window.scene.nodes[graph.key_of("J")]
    assert j.nudge_text == f"J = 33 → {expected}"
    ratio = {"a": "3.000", "b": "6.000", "c": "9.000"}[node]
    assert f"ΔJ/Δ{node} = {ratio}" in window.panel.rows[key].text(1)
    assert f"= {ratio}   beside   d{node} = {ratio[0]}" in window.teaching.nudge_text.text()
    quiet = {"a": ["b", "c", "u", "three"], "b": ["a", "c", "three"], "c": ["a", "b", "three"]}
    for other in quiet[node]:
        assert window.scene.nodes[graph.key_of(other)].nudge_text == ""
    assert core.dumps(graph) == before  # a preview, not an edit


def test_nudging_an_intermediate_node_moves_only_its_downstream(window):
    graph = window.document.graph
    _select(window, "u")
    assert window.teaching.nudge_selected()
    moved = {graph.id_of(k) for k, item in window.scene.nodes.items() if item.nudge_text}
    assert moved == {"u", "v", "J"}


def test_escape_clears_and_a_real_edit_ends_the_nudge(window):
    graph = window.document.graph
    _select(window, "a")
    window.teaching.nudge_selected()
    window.actions["clear_preview"].trigger()
    assert all(item.nudge_text == "" for item in window.scene.nodes.values())
    window.teaching.nudge_selected()
    window.document.run(SetField.to(graph, graph.key_of("b"), "value", 4.0))
    assert window.teaching.nudge_mode is None
    assert all(item.nudge_text == "" for item in window.scene.nodes.values())


def test_apply_turns_the_nudge_into_an_undoable_edit(window):
    graph = window.document.graph
    _select(window, "a")
    window.teaching.nudge_selected()
    window.teaching.apply_nudge()
    assert graph.node("a").value == pytest.approx(5.001)
    assert window.document.evaluation.values["J"] == pytest.approx(33.003)
    assert window.document.undo_stack.undoText() == "Set a = 5.001"
    window.document.undo_stack.undo()
    assert graph.node("a").value == 5


def test_a_bad_h_is_refused(window, qtbot):
    _select(window, "a")
    window.teaching.h_edit.setText("tiny")
    with qtbot.waitSignal(window.document.message) as said:
        assert not window.teaching.nudge_selected()
    assert "tiny" in said.args[0]


def test_backward_steps_follow_the_lecture_and_fill_every_derivative(window):
    graph = window.document.graph
    window.actions["step_backward"].trigger()
    mode = window.teaching.step_mode
    order = [graph.id_of(k) for k in mode.order]
    assert order == ["J", "v", "a", "u", "b", "c"]  # the 3 is a number on J's port, no step
    grads = lambda: {graph.id_of(k): it.grad_text for k, it in window.scene.nodes.items()}  # noqa: E731
    assert all(text.endswith("= ") for text in grads().values())  # nothing known yet
    seen = []
    for _ in order:
        window.actions["next_step"].trigger()
        current = graph.id_of(mode.current())
        seen.append(current)
        # never a node before all of its consumers
        for consumer, _slot in graph.consumers(current):
            assert consumer in seen
        assert window.scene.nodes[mode.current()].highlighted
    assert seen == order
    final = grads()
    assert final["b"] == "db = 6" and final["c"] == "dc = 9"
    assert "du = dv · ∂v/∂u" not in window.teaching.step_text.text()  # at the last step now
    window.actions["clear_preview"].trigger()
    assert window.scene.nodes[graph.key_of("b")].grad_text == "db = 6"
    assert not any(item.highlighted for item in window.scene.nodes.values())


def test_backward_step_explains_the_formula_being_applied(window):
    window.teaching.start_steps(backward=True)
    window.teaching.step_to(4)  # J, v, a, u
    assert "du = dv · ∂v/∂u = dv · 1 = 3 · 1 = 3" in window.teaching.step_text.text()
    rows = window.panel.rows
    graph = window.document.graph
    assert rows[graph.key_of("b")].text(1) == ""  # not reached yet
    assert rows[graph.key_of("u")].text(1) == "3"


def test_forward_steps_fill_values_left_to_right(window):
    graph = window.document.graph
    window.teaching.start_steps(backward=False)
    mode = window.teaching.step_mode
    values = lambda: {graph.id_of(k): it.value_text for k, it in window.scene.nodes.items()}  # noqa: E731
    assert values()["J"].endswith(" = ")
    filled = ["three"]  # constants are known before the first step
    for _ in range(mode.steps):
        window.teaching.next_step()
        node = graph.node(mode.current())
        for source in node.inputs:
            assert graph.id_of(source) in filled  # operands are known first
        filled.append(node.id)
    assert values()["J"].endswith(" = 33")
    assert sorted(filled) == sorted(node.id for node in graph)


def test_play_walks_to_the_end(window, qtbot):
    window.teaching.speed.setValue(10)
    window.teaching.toggle_play()
    qtbot.waitUntil(
        lambda: window.teaching.step_mode.index == window.teaching.step_mode.steps, timeout=5000
    )
    qtbot.waitUntil(lambda: not window.teaching.timer.isActive(), timeout=2000)
