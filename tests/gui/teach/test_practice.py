"""Practice mode: hidden cells typed in from the keyboard, checked, diagnosed, scored, undone."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from dvar import core
from dvar.core.groups import Group
from dvar.core.practice import hints
from dvar.core.problems import make_problem
from dvar.core.text import inline_constants
from dvar.gui.document.annotation_commands import SetGroups
from dvar.gui.document.document import Document
from dvar.gui.document.field_commands import MoveNodes, SetField
from dvar.gui.document.structure_commands import AddNodes, RemoveItems
from dvar.gui.numbers import format_number
from dvar.gui.panels.card import card_text
from dvar.gui.teach.practice import CellState, PracticeSession

#: The lecture's derivatives in the order right to left, from the lecture's slide.
LECTURE = [("J", "1"), ("v", "3"), ("a", "3"), ("u", "3"), ("b", "6"), ("c", "9")]


def start(window, *kinds: str, any_order: bool = False) -> None:
    panel = window.practice
    for kind, box in panel.hide_boxes.items():
        box.setChecked(kind in (kinds or ("grad",)))
    panel.order.setCurrentIndex(1 if any_order else 0)
    window.actions["practice"].trigger()
    assert panel.active


def type_answer(qtbot, window, text: str) -> None:
    """Type into the answer box on the canvas and press Enter, as a learner would."""
    box = window.practice.box
    assert box is not None and box.isVisible()
    box.clear()
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def cell_of(window, node_id: str, kind: str = "grad"):
    return (kind, window.document.graph.key_of(node_id), 0)


def grad_number(window, node_id: str) -> str:
    """What the canvas shows after ``dnode = ``."""
    item = window.scene.nodes[window.document.graph.key_of(node_id)]
    return item.grad_text.split("= ", 1)[1]


# ------------------------------------------------------------------ end to end
def test_the_lecture_is_solved_right_to_left_from_the_keyboard(window, qtbot):
    start(window)
    panel = window.practice
    for node_id, answer in LECTURE:
        assert panel.cell == cell_of(window, node_id), node_id  # the box moved on by itself
        assert grad_number(window, node_id) == "?"
        type_answer(qtbot, window, answer)
        assert grad_number(window, node_id) == f"{answer} ✓"
        assert f"✓ d{node_id} = {answer}: right" in panel.message.text()
    assert panel.session.finished and panel.cell is None
    assert panel.progress.text() == "6 of 6 solved"
    assert "Right first time: 6" in panel.score.text()


def test_a_missed_path_is_named_in_the_message_and_the_tooltip(window, qtbot):
    """Level 2 uses x twice; answering with one path only gets the other one named."""
    window.set_document(Document(make_problem(2, 4217)))
    start(window)
    ev = window.document.evaluation
    panel = window.practice
    for _, key, _ in panel.session.cells:
        if key == window.document.graph.key_of("x"):
            break
        type_answer(qtbot, window, format_number(ev.grads[key]))
    assert panel.cell == cell_of(window, "x")
    first, second = ev.terms("x")[:2]
    type_answer(qtbot, window, format_number(first.product))
    state = panel.session.state(panel.cell)
    assert state.wrong and state.tries == 1
    message = panel.message.text()
    assert f"d{second.consumer}" in message and second.consumer in message
    assert message == f"✗ {state.message}"
    item = window.scene.nodes[window.document.graph.key_of("x")]
    assert state.message in item.toolTip()
    assert grad_number(window, "x") == f"{format_number(first.product)} ✗"
    type_answer(qtbot, window, format_number(ev.grads["x"]))
    assert panel.session.state(cell_of(window, "x")).status == "right"
    assert "after a hint or a retry: 1" in panel.score.text()


# ------------------------------------------------------------------ hidden cells
def test_a_hidden_derivative_shows_no_number_anywhere(window, qtbot):
    graph = window.document.graph
    b = graph.key_of("b")
    window.scene.select_keys([b])
    start(window)
    window.scene.select_keys([b])
    qtbot.wait(10)
    ev = window.document.evaluation
    model = window.panel.rows_model
    for node_id, _ in LECTURE:
        key = graph.key_of(node_id)
        shown = grad_number(window, node_id)
        assert shown in ("?", ""), node_id
        row = model.row_of(key)
        assert model.row_texts(row)[1] in ("?", "")
        assert model.lines(key) == []  # no breakdown
        assert format_number(ev.grads[key]) not in (model._row_tip(row, 1) or "")
        card = card_text(graph, ev, key, "d", window.document.overlay)
        assert card.sentence == "" and len(card.lines) == 1
        assert card.lines[0].split("=", 1)[1].strip().startswith(("?", "…"))
        tip = window.scene.nodes[key].toolTip()
        assert "Type d" in tip or "solve" in tip
    assert window.inspector.key is None  # the inspector would show values
    status = window.value_label.text()
    assert status.startswith("Practice") and "of 6 solved" in status


def test_hidden_values_and_local_derivatives_show_boxes_and_take_answers(window, qtbot):
    start(window, "value", "partial")
    graph = window.document.graph
    u = graph.key_of("u")
    assert window.actions["backward"].isChecked()  # local derivatives sit on the edges
    item = window.scene.nodes[u]
    assert item.value_text == "u = b·c = ?"
    assert window.practice.cell == ("value", u, 0)
    type_answer(qtbot, window, "6")
    assert item.value_text == "u = b·c = 6 ✓"
    assert window.scene.nodes[graph.key_of("v")].value_text.endswith("= ?")
    j = graph.key_of("J")
    assert window.scene.edges[(j, 1)].label == "?"  # dJ is not hidden: open at once
    type_answer(qtbot, window, "11")
    type_answer(qtbot, window, "33")
    assert window.practice.cell == ("partial", j, 1)
    assert window.scene.edges[(j, 1)].label == "?"
    type_answer(qtbot, window, "11")  # the value of J's other operand: ∂J/∂v is 3
    assert window.scene.edges[(j, 1)].label == "11 ✗"
    assert "other operand" in window.practice.session.state(("partial", j, 1)).message
    type_answer(qtbot, window, "3")
    assert window.scene.edges[(j, 1)].label == "3 ✓"


# ------------------------------------------------------------------ lock
def test_the_structure_and_the_values_are_locked_while_practising(window, qtbot):
    start(window)
    document, graph = window.document, window.document.graph
    before = core.dumps(graph)
    said = []
    document.message.connect(said.append)
    a = graph.key_of("a")
    window.scene.select_keys([a])
    window.delete_selection()
    assert "Leave practice to change the graph" in said[-1]
    assert not document.run(SetField.to(graph, a, "value", 7.0))
    assert "Leave practice to change a value" in said[-1]
    assert not document.run(AddNodes(graph, [], "Paste"))
    assert not document.run(RemoveItems(graph, [a], []))
    assert core.dumps(graph) == before
    assert document.undo_stack.count() == 0
    node = graph.node(a)
    assert document.run(MoveNodes(graph, {a: ((node.x, node.y), (node.x + 40, node.y))}))
    assert window.practice.active  # moving a node is no reason to stop
    assert not window.training.isEnabled()
    # grouping and collapsing change no answer either
    u, v = graph.key_of("u"), graph.key_of("v")
    assert document.run(SetGroups(graph, (Group("u, v", (u, v), collapsed=True),), "Group"))
    assert document.run(SetGroups(graph, (Group("u, v", (u, v)),), "Expand"))
    assert window.practice.active


def test_gestures_and_dialogs_that_would_change_the_graph_are_refused(window, qtbot):
    from dvar.gui.dialogs.formula import FormulaDialog
    from tests.gui.helpers import connect, fit

    start(window)
    graph = window.document.graph
    before = core.dumps(graph)
    fit(window)
    a, u = graph.key_of("a"), graph.key_of("u")
    connect(window, a, u, 0)  # onto an occupied slot, and structure anyway
    window.view.add_node("add", window.view.mapToScene(10, 10))
    dialog = FormulaDialog(window.document, window)
    qtbot.addWidget(dialog)
    dialog.editor.setPlainText("J = a*b")
    assert not dialog.build()
    assert "Leave practice to change the graph" in dialog.error.text()
    assert core.dumps(graph) == before
    assert window.practice.active
    assert not window.teaching.isEnabled()  # its breakdowns and nudges would tell
    for name in ("step_backward", "next_step", "forward_mode"):
        assert not window.actions[name].isEnabled()


def test_leaving_practice_gives_back_the_plain_view(window, qtbot):
    start(window)
    type_answer(qtbot, window, "1")
    window.actions["practice"].trigger()
    panel, document = window.practice, window.document
    assert not panel.active and panel.box is None
    assert document.overlay.plain and document.locked is None
    assert grad_number(window, "b") == "6"
    assert window.panel.rows_model.row_texts(0)[1] == "1"
    assert window.undo_group.activeStack() is document.undo_stack
    assert window.value_label.text() == "J = 33"
    assert not window.actions["practice"].isChecked()
    assert window.teaching.isEnabled() and window.actions["next_step"].isEnabled()


def test_the_answer_box_follows_its_cell_when_the_canvas_zooms(window, qtbot):
    start(window)
    box = window.practice.box
    before = box.geometry()
    window.view.zoom_by(1.25)
    qtbot.waitUntil(lambda: box.geometry() != before)
    item = window.scene.nodes[window.document.graph.key_of("J")]
    node = window.view.mapFromScene(item.sceneBoundingRect()).boundingRect()
    assert node.intersects(box.geometry())


def test_practice_zooms_in_until_the_cells_can_be_read(window, qtbot):
    from dvar.gui.canvas.look import TEXT_LOD

    window.view.zoom_by(0.3 / window.view.zoom())  # blocks: no text to read
    start(window)
    qtbot.waitUntil(lambda: window.view.zoom() >= TEXT_LOD)
    box = window.practice.box.geometry()
    assert window.view.viewport().rect().contains(box)


def test_cells_follow_the_notation(window, qtbot):
    start(window)
    window.set_notation("partial")
    assert window.practice.cell_title.text() == "∂J/∂J = ?"
    assert grad_number(window, "J") == "?"
    assert window.practice.session.mark(cell_of(window, "v")).tip.endswith("∂J/∂J first")


def test_the_p_key_on_the_canvas_starts_and_leaves_practice(window, qtbot):
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_P)
    assert window.practice.active and window.actions["practice"].isChecked()
    window.practice.box.put_away()  # Esc: the canvas has the keys again
    qtbot.keyClick(window.view, Qt.Key.Key_P)
    assert not window.practice.active


# ------------------------------------------------------------------ order
def test_right_to_left_opens_a_derivative_only_when_its_consumers_are_solved(window, qtbot):
    start(window)
    session = window.practice.session
    a, v, j = (cell_of(window, n) for n in ("a", "v", "J"))
    assert session.open_cells() == [j]
    assert session.mark(a).state == "waiting" and "dv" in session.mark(a).tip
    assert session.answer(a, "3") is None  # not open: nothing recorded
    assert session.state(a) == CellState()
    type_answer(qtbot, window, "1")
    assert session.open_cells() == [v]
    type_answer(qtbot, window, "3")
    assert set(session.open_cells()) == {a, cell_of(window, "u")}


def test_any_order_opens_every_cell(window, qtbot):
    start(window, "grad", any_order=True)
    session = window.practice.session
    assert len(session.open_cells()) == 6
    c = cell_of(window, "c")
    window.scene.select_keys([c[1]])  # choosing a node puts the box on its cell
    assert window.practice.cell == c
    type_answer(qtbot, window, "9")
    assert session.state(c).status == "right"
    model = window.panel.rows_model
    assert model.lines(c[1]) == []  # its breakdown would tell du, which is not solved
    card = card_text(window.document.graph, session.evaluation, c[1], "d", window.document.overlay)
    assert card.lines == ("dc = 9 ✓",) and card.sentence == ""
    for node_id, answer in LECTURE[:4]:  # dJ, dv, da, du
        window.practice.go_to(cell_of(window, node_id))
        type_answer(qtbot, window, answer)
    assert model.lines(c[1])[0] == "dc = du · ∂u/∂c = du · b = 3 · 3 = 9"
    b = window.document.graph.key_of("b")
    window.panel.node_activated.emit(b)  # a row of the derivative panel does it too
    assert window.practice.cell == ("grad", b, 0)


# ------------------------------------------------------------------ help
def test_the_hint_button_climbs_the_ladder(window, qtbot):
    start(window)
    type_answer(qtbot, window, "1")
    panel = window.practice
    ladder = hints(window.document.evaluation, "v")
    for step, hint in enumerate(ladder, start=1):
        panel.hint_button.click()
        assert f"Hint {step}: {hint}" in panel.message.text()
    panel.hint_button.click()  # the top of the ladder stays
    assert f"Hint 3: {ladder[2]}" in panel.message.text()
    type_answer(qtbot, window, "3")
    assert "after a hint or a retry: 1" in panel.score.text()
    assert "Right first time: 1" in panel.score.text()


def test_reveal_gives_one_cell_away_and_counts_it(window, qtbot):
    start(window)
    panel = window.practice
    panel.reveal_button.click()
    j = cell_of(window, "J")
    assert panel.session.state(j).status == "revealed"
    assert grad_number(window, "J") == "1 (given)"
    assert panel.cell == cell_of(window, "v")
    assert "revealed: 1" in panel.score.text()
    assert panel.progress.text() == "1 of 6 solved"


def test_the_nudge_checks_by_experiment(window, qtbot):
    start(window)
    type_answer(qtbot, window, "1")
    type_answer(qtbot, window, "3")
    panel = window.practice
    assert panel.cell == cell_of(window, "a")
    assert panel.nudge_button.text() == "Nudge a"
    before = core.dumps(window.document.graph)
    panel.nudge_button.click()
    assert "Bump a by 0.001 and watch J" in panel.message.text()
    assert "ΔJ/Δa ≈ 3" in panel.message.text()
    assert core.dumps(window.document.graph) == before


def test_the_score_counts_first_time_after_help_and_revealed(window, qtbot):
    start(window)
    panel = window.practice
    type_answer(qtbot, window, "1")  # dJ: first time
    type_answer(qtbot, window, "33")  # dv: wrong (the value) ...
    type_answer(qtbot, window, "3")  # ... then right
    panel.reveal_button.click()  # da
    score = panel.session.score()
    assert (score.first_time, score.after_help, score.revealed, score.wrong_tries) == (1, 1, 1, 1)
    assert score.solved == 3 and score.total == 6


# ------------------------------------------------------------------ undo
def test_ctrl_z_undoes_answers_and_leaving_forgets_them(window, qtbot):
    document = window.document
    start(window)
    type_answer(qtbot, window, "1")
    type_answer(qtbot, window, "5")  # wrong
    session = window.practice.session
    v = cell_of(window, "v")
    assert session.state(v).tries == 1
    window.actions["undo"].trigger()
    assert session.state(v) == CellState()
    window.actions["undo"].trigger()
    assert session.state(cell_of(window, "J")) == CellState()
    assert window.practice.cell == cell_of(window, "J")
    window.actions["redo"].trigger()
    assert session.state(cell_of(window, "J")).status == "right"
    box = window.practice.box
    qtbot.keyClicks(box, "7")
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # in the box too
    assert session.state(cell_of(window, "J")) == CellState()
    assert document.undo_stack.count() == 0  # the document's history is untouched
    window.actions["practice"].trigger()
    assert window.undo_group.activeStack() is document.undo_stack
    assert not window.actions["undo"].isEnabled()
    start(window)
    assert window.practice.session.score().solved == 0


# ------------------------------------------------------------------ files
def test_practice_state_never_reaches_the_file(window, qtbot, tmp_path):
    plain, during = tmp_path / "plain.dvar", tmp_path / "during.dvar"
    window.document.save(plain)
    start(window, "grad", "partial", "value")
    type_answer(qtbot, window, "6")
    type_answer(qtbot, window, "12")  # wrong
    window.document.save(during)
    assert during.read_bytes() == plain.read_bytes()


def test_a_session_is_plain_python_over_the_document(qtbot):
    document = Document.lecture()
    session = PracticeSession(document, ("grad",), chips=inline_constants(document.graph))
    assert [document.graph.id_of(key) for _, key, _ in session.cells] == [n for n, _ in LECTURE]
    assert session.answer(session.cells[0], "one") is None  # no number: nothing recorded
    assert session.answer(session.cells[0], "1").status == "right"
    assert session.undo_stack.count() == 1


# ------------------------------------------------------------------ new problem
def test_new_problem_opens_the_level_and_seed_and_practises_it(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from dvar.gui.dialogs.new_problem import NewProblemDialog

    def chosen(dialog):
        dialog.choose(2, 4217)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NewProblemDialog, "exec", chosen)
    window.actions["new_problem"].trigger()
    document = window.document
    assert core.dumps(document.graph) == core.dumps(make_problem(2, 4217))
    assert document.path is None
    assert window.practice.active
    assert window.practice.problem.text() == "Level 2, seed 4217: a variable used twice"
    assert "Level 2, seed 4217" in window.windowTitle()
    assert "Level 2, seed 4217" in window.value_label.text()


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_every_level_can_be_practised_to_the_end(window, qtbot, level):
    window.set_document(Document(make_problem(level, 7)))
    start(window, "grad", "partial", "value")
    session = window.practice.session
    while not session.finished:
        cell = window.practice.cell
        assert cell is not None
        type_answer(qtbot, window, repr(session.truth(cell)))
    assert session.score().first_time == len(session.cells)


def test_practice_without_an_output_is_refused_with_a_reason(empty_window):
    said = []
    empty_window.document.message.connect(said.append)
    empty_window.actions["practice"].trigger()
    assert not empty_window.practice.active
    assert not empty_window.actions["practice"].isChecked()
    assert said == ["Choose an output first: practice works back from it"]


def test_a_local_derivative_has_hints_of_its_own(window, qtbot):
    start(window, "partial")
    panel = window.practice
    j = window.document.graph.key_of("J")
    assert panel.cell == ("partial", j, 1)
    ladder = hints(window.document.evaluation, "v", consumer="J", slot=1)
    panel.hint_button.click()
    assert f"Hint 1: {ladder[0]}" in panel.message.text()
    assert panel.nudge_button.text() == "Nudge v"
    panel.nudge_button.click()
    assert "watch J" in panel.message.text() and "ΔJ/Δv ≈ 3" in panel.message.text()
