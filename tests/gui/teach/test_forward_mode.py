"""Forward mode: every node shows d(node)/dx for one chosen input x."""

from __future__ import annotations

from dvar.gui.document.field_commands import SetField


def _grads(window):
    graph = window.document.graph
    return {graph.id_of(key): item.grad_text for key, item in window.scene.nodes.items()}


def test_forward_mode_on_the_lecture_with_respect_to_a(window):
    forward = window.teaching.forward
    assert forward.start("a")
    shown = _grads(window)
    assert shown["u"] == "du/da = 0"
    assert shown["v"] == "dv/da = 1"
    assert shown["J"] == "dJ/da = 3"
    assert shown["a"] == "da/da = 1"
    assert shown["b"] == "db/da = 0"
    assert "dJ/da = 3, as da = 3 from the backward pass" in forward.text.text()
    assert window.actions["forward_mode"].isChecked()
    assert forward.show_button.isChecked()
    window.actions["forward_mode"].trigger()  # off: the usual reverse view
    assert not forward.active
    shown = _grads(window)
    assert shown["b"] == "db = 6"
    assert shown["J"] == "dJ = 1"


def test_the_menu_toggle_and_the_choice_of_x(window):
    forward = window.teaching.forward
    assert forward.choose("c")
    window.actions["forward_mode"].trigger()
    assert forward.active
    assert _grads(window)["J"] == "dJ/dc = 9"
    assert _grads(window)["u"] == "du/dc = 3"
    forward.choose("three")  # a constant works too, and switching x recomputes at once
    assert _grads(window)["J"] == "dJ/dthree = 11"
    assert not forward.choose("u")  # computed nodes are not offered


def test_a_real_edit_recomputes_and_deleting_x_ends_it(window):
    graph = window.document.graph
    forward = window.teaching.forward
    forward.start("b")
    assert _grads(window)["J"] == "dJ/db = 6"
    window.document.run(SetField.to(graph, graph.key_of("c"), "value", 4.0))
    assert forward.active
    assert _grads(window)["J"] == "dJ/db = 12"
    window.document.undo_stack.undo()
    assert _grads(window)["J"] == "dJ/db = 6"
    window.scene.select_keys([graph.key_of("b")])
    window.delete_selection()
    assert not forward.active
    assert not window.actions["forward_mode"].isChecked()
    assert _grads(window)["a"] == "da = —"  # the reverse view again (J waits on u's empty slot)


def test_escape_a_nudge_or_stepping_ends_forward_mode(window):
    graph = window.document.graph
    forward = window.teaching.forward
    forward.start("a")
    window.actions["clear_preview"].trigger()
    assert not forward.active
    assert _grads(window)["b"] == "db = 6"
    forward.start("a")
    window.scene.select_keys([graph.key_of("a")])
    window.teaching.nudge_selected()
    assert not forward.active
    forward.start("a")  # ...and forward mode ends the nudge
    assert window.teaching.nudge_mode is None
    assert forward.active
    window.actions["step_backward"].trigger()
    assert not forward.active


def test_a_new_document_starts_in_the_reverse_view(window):
    window.teaching.forward.start("a")
    window.new_document()
    assert not window.actions["forward_mode"].isChecked()
    assert not window.teaching.forward.active
    window.actions["forward_mode"].trigger()  # an empty graph has no x: refused, unchecked
    assert not window.actions["forward_mode"].isChecked()
