"""One overlay: every teaching preview is a value the document holds, drawn by the
canvas and by the derivative panel alike; clearing it gives back the plain look."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication

from dvar import core
from dvar.gui.document.document import Document
from dvar.gui.document.overlay import PLAIN, Overlay, term_edges
from dvar.gui.numbers import format_number
from dvar.gui.teach.teaching import NudgeMode, StepMode
from tests.gui.helpers import fit, keys


def assert_drawn(window, overlay: Overlay) -> None:
    """The canvas and the panel show exactly what ``overlay`` says, over the evaluation."""
    graph, evaluation = window.document.graph, window.document.evaluation
    scene, panel = window.scene, window.panel
    for node in graph:
        key, name = node.key, node.id
        if panel.rows_model.row_of(key) is None:  # a constant with one use: no row, and
            assert graph.is_inline_constant(key)  # drawn as its number on its consumer's port
            continue
        item, row = scene.nodes[key], panel.rows[key]
        value, grad = evaluation.values[key], evaluation.grads[key]
        # the canvas
        assert item.nudge_text == overlay.values.get(key, "")
        shown = format_number(value) if overlay.value_shown(key) else ""
        text = item.value_text  # "u = 6", or with the operands: "u = b·c = 6"
        assert text.startswith(f"{name} = ") and text.endswith(f" = {shown}")
        if overlay.derivatives is not None:
            assert item.grad_text == overlay.derivatives.get(key, "")
        else:
            shown = format_number(grad) if overlay.grad_shown(key) else ""
            assert item.grad_text == f"d{name} = {shown}"
        assert item.highlighted == (key == overlay.current)
        # the panel: reverse-mode rows, with the notes and the derivatives known so far
        shown = format_number(grad) if overlay.grad_shown(key) else ""
        note = overlay.notes.get(key)
        assert row.text(1) == shown + ("" if note is None else f"   {note}")
        assert row.text(0) == f"d{name}"
    for slot, edge in scene.edges.items():
        assert edge.highlighted == (slot in overlay.edges)
        if not overlay.backward_shown:  # the forward pass: no backward arrow, no partial
            assert not edge.backward and not edge.label
    if overlay.current is not None:
        assert panel.current_key() == overlay.current


def look(window) -> dict:
    """Everything the canvas and the panel show, as texts and as pixels."""
    for _ in range(3):  # a layout that changes (the card's height) may post another
        QApplication.processEvents()
    scene, panel = window.scene, window.panel
    return {
        "nodes": {
            key: (item.value_text, item.grad_text, item.nudge_text, item.highlighted)
            for key, item in scene.nodes.items()
        },
        "edges": {slot: (edge.highlighted, edge.label) for slot, edge in scene.edges.items()},
        "rows": {
            key: (row.text(0), row.text(1), row.toolTip(0), row.toolTip(1))
            for key, row in panel.rows.items()
        },
        "canvas": _drawn(scene),
        "chosen": [panel.rows_model.key_at(i) for i in panel.selectionModel().selectedRows()],
        "panel": panel.viewport().grab().toImage(),
    }


def _drawn(scene) -> QImage:
    """The diagram as the canvas draws it, wherever the view has scrolled."""
    rect = scene.diagram_rect().adjusted(-20, -20, 20, 20)
    image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    return image


def _select(window, node_id: str) -> int:
    key = window.document.graph.key_of(node_id)
    window.scene.select_keys([key])
    return key


def _nudge(window) -> None:
    _select(window, "b")
    window.actions["nudge"].trigger()


def _backward_steps(window) -> None:
    window.actions["step_backward"].trigger()
    for _ in range(4):
        window.actions["next_step"].trigger()


def _forward_steps(window) -> None:
    window.actions["step_forward"].trigger()
    for _ in range(3):
        window.actions["next_step"].trigger()


def _forward_mode(window) -> None:
    assert window.teaching.forward.start("a")


def _nudge_in_forward_mode(window) -> None:
    _forward_mode(window)
    _select(window, "c")
    assert window.teaching.nudge_selected()


MODES = {
    "nudge": _nudge,
    "backward steps": _backward_steps,
    "forward steps": _forward_steps,
    "forward mode": _forward_mode,
    "nudge in forward mode": _nudge_in_forward_mode,
}


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_is_drawn_from_the_overlay_and_clearing_gives_the_plain_look(window, mode):
    fit(window)
    window.actions["backward"].setChecked(True)  # edges carry numbers: more to compare
    QApplication.processEvents()
    plain = look(window)
    assert window.document.overlay == PLAIN
    MODES[mode](window)
    overlay = window.document.overlay
    assert not overlay.plain
    assert_drawn(window, overlay)
    assert look(window) != plain
    window.actions["clear_preview"].trigger()
    window.scene.clearSelection()
    assert window.document.overlay == PLAIN
    assert_drawn(window, PLAIN)
    assert look(window) == plain


def test_what_each_mode_puts_in_the_overlay(window):
    graph, k = window.document.graph, keys(window)
    _nudge(window)
    overlay = window.document.overlay
    assert dict(overlay.values) == {
        k["b"]: "b = 3 → 3.001",
        k["u"]: "u = 6 → 6.002",
        k["v"]: "v = 11 → 11.002",
        k["J"]: "J = 33 → 33.006",
    }
    assert dict(overlay.notes) == {k["b"]: "(ΔJ/Δb = 6.000)"}
    window.teaching.start_steps(backward=True)
    window.teaching.step_to(4)  # J, v, a, u
    overlay = window.document.overlay
    assert not overlay.values and not overlay.notes  # the nudge ended
    assert overlay.shown_grads == {k["J"], k["v"], k["a"], k["u"]}
    assert overlay.shown_values is None and overlay.current == k["u"]
    assert overlay.edges == {(k["v"], 1)} == term_edges(graph, k["u"])
    window.teaching.start_steps(backward=False)
    window.teaching.step_to(5)
    overlay = window.document.overlay
    assert overlay.shown_grads == frozenset() and not overlay.backward_shown
    assert len(overlay.shown_values) == 6 and k["three"] in overlay.shown_values  # 5 + 3
    assert overlay.derivatives == {} and overlay.edges == frozenset()
    window.teaching.clear()
    assert window.document.overlay == PLAIN


def test_selecting_a_node_highlights_its_terms_through_the_overlay(window):
    k = keys(window)
    _select(window, "b")
    assert window.document.overlay == PLAIN.but(edges={(k["u"], 0)})
    assert_drawn(window, window.document.overlay)
    window.scene.clearSelection()
    assert window.document.overlay == PLAIN


def test_forward_mode_stays_when_a_nudge_ends(window):
    _nudge_in_forward_mode(window)
    derivatives = window.document.overlay.derivatives
    edges = window.document.overlay.edges  # the selected c's terms
    window.teaching.clear_button.click()  # ends the nudge and forward mode
    assert window.document.overlay == PLAIN.but(edges=edges)
    _nudge_in_forward_mode(window)
    window.teaching._end_previews()  # what a real edit does: forward mode stays
    assert window.document.overlay == PLAIN.but(derivatives=derivatives, edges=edges)


def test_modes_build_overlays_without_a_window(qapp):
    """A mode is a value computed from the graph: no canvas or panel needed."""
    document = Document.lecture()
    graph = document.graph
    b = graph.key_of("b")
    nudge = NudgeMode(graph, b, core.nudge(graph, b, 0.5))
    overlay = nudge.overlay(PLAIN)
    assert overlay.values[graph.key_of("J")] == "J = 33 → 36"
    assert overlay.notes == {b: "(ΔJ/Δb = 6.000)"}
    steps = StepMode(document, backward=True)
    assert steps.overlay(PLAIN) == PLAIN.but(shown_grads=())  # step 0: nothing known yet
    steps.go(1)
    j = graph.key_of("J")
    assert steps.overlay(overlay).shown_grads == {j} and steps.overlay(overlay).values


def test_an_overlay_is_an_immutable_value(qapp):
    notes = {1: "a note"}
    overlay = Overlay(notes=notes, shown_grads=[1, 2], edges=[(3, 0)])
    notes[2] = "changed afterwards"
    assert dict(overlay.notes) == {1: "a note"}  # a copy was kept
    with pytest.raises(TypeError):
        overlay.notes[5] = "x"
    with pytest.raises(AttributeError):
        overlay.current = 4
    assert overlay == Overlay(notes={1: "a note"}, shown_grads={1, 2}, edges={(3, 0)})
    assert hash(overlay) == hash(Overlay(notes={1: "a note"}, shown_grads={2, 1}, edges={(3, 0)}))
    assert Overlay().plain and not overlay.plain
    document = Document.lecture()
    seen = []
    document.overlay_changed.connect(lambda new, old: seen.append((new, old)))
    document.set_overlay(overlay)
    document.set_overlay(Overlay(notes={1: "a note"}, shown_grads={1, 2}, edges={(3, 0)}))
    assert seen == [(overlay, PLAIN)]  # an equal overlay changes nothing


def test_the_row_chosen_before_the_steps_is_chosen_again_after_them(window):
    b = _select(window, "b")
    assert window.panel.current_key() == b
    _backward_steps(window)
    assert window.panel.current_key() == window.document.overlay.current != b
    window.actions["clear_preview"].trigger()
    assert window.panel.current_key() == b and window.scene.selected_keys() == [b]
