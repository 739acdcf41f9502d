"""Stepping through a pass: after Done the box says what its dropdown says, the forward
pass shows nothing of the backward pass, and constants are known from the first step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dvar.gui.panels.card import card_text
from dvar.gui.teach.teaching import IDLE_TEXT
from tests.gui.helpers import fit, keys


def _says_its_direction(teaching) -> None:
    chosen = teaching.direction.currentText()  # "Backward pass" or "Forward pass"
    text = teaching.step_text.text()
    assert chosen.split()[0].lower() in text
    other = "forward" if chosen.startswith("Backward") else "backward"
    assert other not in text
    assert text == IDLE_TEXT[chosen.startswith("Backward")]


@pytest.mark.parametrize("backward", [True, False])
def test_after_done_the_dropdown_and_the_text_agree(window, backward):
    teaching = window.teaching
    teaching.start_steps(backward=backward)
    mode = teaching.step_mode
    teaching.step_to(mode.steps)
    assert f"Step {mode.steps} of {mode.steps}" in teaching.step_text.text()
    QTest.mouseClick(teaching.stop_button, Qt.MouseButton.LeftButton)
    assert teaching.step_mode is None
    assert teaching.direction.currentIndex() == (0 if backward else 1)
    _says_its_direction(teaching)
    teaching.direction.setCurrentIndex(1 if backward else 0)  # choosing while idle
    assert teaching.step_mode is None
    _says_its_direction(teaching)
    teaching.next_step()  # starts the other pass
    assert teaching.step_mode is not None and teaching.step_mode.backward != backward
    window.actions["clear_preview"].trigger()
    _says_its_direction(teaching)


def _shows_no_backward_information(window) -> None:
    QApplication.processEvents()
    scene, panel = window.scene, window.panel
    for item in scene.nodes.values():
        assert item.grad_text == ""  # no derivative line on any node
    for edge in scene.edges.values():
        assert not edge.backward and not edge.label and not edge.highlighted  # no red arrows
    model = panel.rows_model
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        assert model.index(row, 1).data() == ""  # no derivative value
        assert model.rowCount(index) == 0  # and no breakdown under it
    card = panel.card.text
    if card is not None:
        shown = "\n".join((*card.lines, card.sentence))
        assert "∂" not in shown and "=" not in shown


def test_the_forward_pass_shows_nothing_of_the_backward_pass(window):
    fit(window)
    window.actions["backward"].setChecked(True)  # edges carry partials in red...
    QApplication.processEvents()
    assert any(edge.backward and edge.label for edge in window.scene.edges.values())
    teaching = window.teaching
    teaching.start_steps(backward=False)
    mode = teaching.step_mode
    for index in range(mode.steps + 1):  # ...but not while the forward pass is walked
        teaching.step_to(index)
        _shows_no_backward_information(window)
    teaching.stop_button.click()
    QApplication.processEvents()
    assert all(edge.backward for edge in window.scene.edges.values())  # back as it was
    assert any(edge.label for edge in window.scene.edges.values())
    assert all(item.grad_text.startswith("d") for item in window.scene.nodes.values())


def test_the_backward_pass_leaves_unreached_rows_blank(window):
    teaching, k = window.teaching, keys(window)
    teaching.start_steps(backward=True)
    teaching.step_to(2)  # J, v
    model = window.panel.rows_model
    row = model.row_of(k["b"])
    assert model.index(row, 1).data() == "" and model.rowCount(model.index(row, 0)) == 0
    reached = model.row_of(k["v"])
    assert model.index(reached, 1).data() == "3" and model.rowCount(model.index(reached, 0)) > 0
    document = window.document
    card = card_text(document.graph, document.evaluation, k["b"], overlay=document.overlay)
    assert card.lines == ("db is not worked out yet: step on to reach it",)
    assert card.sentence == ""  # not even the local derivative ∂u/∂b


def test_constants_show_their_value_from_the_first_step(window):
    teaching, k = window.teaching, keys(window)
    graph = window.document.graph
    teaching.start_steps(backward=False)
    mode = teaching.step_mode
    assert k["three"] not in mode.order  # a constant is not computed: it is no step
    assert mode.steps == len(graph) - 1
    overlay = window.document.overlay
    assert overlay.value_shown(k["three"])
    assert not any(overlay.value_shown(k[name]) for name in ("a", "b", "c", "u", "v", "J"))
    window.scene.fill_texts(window.scene.nodes[k["three"]])
    assert window.scene.nodes[k["three"]].value_text.endswith("= 3")
    assert "constants are known" in teaching.step_text.text()
    teaching.step_to(mode.steps)
    assert all(window.document.overlay.value_shown(node.key) for node in graph)


def test_the_forward_steps_write_the_inline_constant_by_its_number(window):
    teaching = window.teaching
    teaching.start_steps(backward=False)
    texts = []
    for step in range(1, teaching.step_mode.steps + 1):
        teaching.step_to(step)
        texts.append(teaching.step_text.text())
    assert any("J = 3·v = 33" in text for text in texts)
    assert not any("three" in text for text in texts)
