"""The lesson editor: steps added, removed and reordered, text with a live preview,
cells picked on the canvas, actions chosen; each change one undoable step, saved
with the file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt

from dvar import core
from dvar.core.lesson import Action, Lesson, Step
from dvar.core.resources import lessons
from dvar.gui.canvas.nodes import HEADER, LINE
from dvar.gui.document.document import Document
from dvar.gui.teach.lesson_cells import (
    ASKED,
    HIDDEN,
    SHOWN,
    cell_state,
    next_state,
    pick_at,
    with_cell_state,
    with_step_moved,
)
from dvar.gui.teach.lesson_editor import LessonEditor
from dvar.gui.teach.practice_box import cell_rect


@pytest.fixture
def editor(window, qtbot):
    dialog = LessonEditor(window.document, window.scene, window.view, window)
    dialog.show()
    qtbot.waitExposed(dialog)
    yield dialog
    dialog.close()


def key(window, node_id: str) -> int:
    return window.document.graph.key_of(node_id)


def steps(window) -> tuple[Step, ...]:
    return window.document.graph.lesson.steps


def texts(window) -> list[str]:
    return [step.text for step in steps(window)]


def click_scene(qtbot, window, pos: QPointF) -> None:
    point = window.view.mapFromScene(pos)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def node_line(window, node_id: str, line: str) -> QPointF:
    """A point on a node's name ("header"), value line or derivative line, in the scene."""
    item = window.scene.nodes[key(window, node_id)]
    y = {"header": HEADER / 2, "value": HEADER + LINE / 2, "grad": HEADER + LINE * 1.5}[line]
    return item.mapToScene(QPointF(40, y + 2))


# ------------------------------------------------------------------ the arithmetic
def test_a_cell_cycles_shown_hidden_asked_and_back() -> None:
    step = Step("s")
    cell = ("grad", 3, 0)
    seen = []
    for _ in range(3):
        state = next_state(cell_state(step, cell), can_ask=True)
        step = with_cell_state(step, cell, state)
        seen.append((state, step.hide, step.ask))
    assert seen == [(HIDDEN, (cell,), ()), (ASKED, (), (cell,)), (SHOWN, (), ())]
    assert next_state(HIDDEN, can_ask=False) == SHOWN  # no answer: never asked


def test_moving_a_step_keeps_the_others_in_order() -> None:
    lesson = Lesson("t", tuple(Step(str(n)) for n in range(4)))
    assert [s.text for s in with_step_moved(lesson, 0, 2).steps] == ["1", "2", "0", "3"]
    assert [s.text for s in with_step_moved(lesson, 3, 2).steps] == ["0", "1", "3", "2"]


# ------------------------------------------------------------------ steps
def test_create_add_reorder_remove_and_undo_each(window, editor, qtbot) -> None:
    document = window.document
    assert document.graph.lesson is None and editor.pages.currentIndex() == 0
    qtbot.mouseClick(editor.create_button, Qt.MouseButton.LeftButton)
    lesson = document.graph.lesson
    assert lesson is not None and lesson.title == "J = 3(a + bc), the lecture's computation graph"
    assert len(lesson.steps) == 1 and editor.pages.currentIndex() == 1
    editor.text_edit.setPlainText("first")
    editor.commit_text()
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    editor.text_edit.setPlainText("second")
    editor.commit_text()
    assert texts(window) == ["first", "second"] and editor.current == 1
    assert editor.step_list.count() == 2 and editor.step_list.currentRow() == 1
    qtbot.mouseClick(editor.up_button, Qt.MouseButton.LeftButton)
    assert texts(window) == ["second", "first"] and editor.current == 0
    assert not editor.up_button.isEnabled() and editor.down_button.isEnabled()
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    assert texts(window) == ["first"]
    undo = document.undo_stack
    assert undo.undoText() == "Remove step 1"
    undo.undo()
    assert texts(window) == ["second", "first"]
    undo.undo()
    assert texts(window) == ["first", "second"]
    assert editor.step_list.item(1).text().endswith("second")
    while undo.canUndo():
        undo.undo()
    assert document.graph.lesson is None and editor.pages.currentIndex() == 0


def test_the_text_previews_live_and_is_one_change_per_pause(window, editor, qtbot) -> None:
    editor.create_lesson()
    editor.text_edit.clear()
    qtbot.keyClicks(editor.text_edit, "Bump *v* by `0.001`")
    html = editor.preview.toHtml()
    assert "Bump" in html and '<span style=" font-style:italic;">v</span>' in html
    assert steps(window)[0].text != "Bump *v* by `0.001`"  # not yet: typing goes on
    qtbot.waitUntil(lambda: steps(window)[0].text == "Bump *v* by `0.001`", timeout=3000)
    assert window.document.undo_stack.undoText() == "Edit step 1's text"


def test_html_in_the_text_is_refused_and_shown_as_text(window, editor, qtbot) -> None:
    editor.create_lesson()
    before = steps(window)[0].text
    editor.text_edit.setPlainText("<b>bold</b>")
    assert "&lt;b&gt;" in editor.preview.toHtml()  # the preview escapes it
    editor.commit_text()
    assert steps(window)[0].text == before
    assert "HTML" in editor.message.text()


# ------------------------------------------------------------------ cells and spotlight
def test_clicks_on_the_canvas_spotlight_hide_and_ask(window, editor, qtbot) -> None:
    editor.create_lesson()
    v = key(window, "v")
    click_scene(qtbot, window, node_line(window, "v", "header"))
    assert steps(window)[0].spotlight == (v,)
    assert window.document.overlay.spotlight == frozenset({v})
    click_scene(qtbot, window, node_line(window, "v", "grad"))
    assert steps(window)[0].hide == (("grad", v, 0),)
    assert window.document.overlay.mark("grad", v).state == "waiting"
    click_scene(qtbot, window, node_line(window, "v", "grad"))
    assert steps(window)[0].ask == (("grad", v, 0),) and steps(window)[0].hide == ()
    assert window.document.overlay.mark("grad", v).text == "?"
    click_scene(qtbot, window, node_line(window, "u", "value"))
    assert steps(window)[0].hide == (("value", key(window, "u"), 0),)
    assert [editor.cell_list.item(i).text() for i in range(2)] == [
        "dv  —  asked",
        "the value of u  —  hidden",
    ]
    assert not window.scene.selected_keys()  # a pick moves and selects nothing
    click_scene(qtbot, window, node_line(window, "v", "grad"))
    assert steps(window)[0].ask == ()
    undo = window.document.undo_stack
    undo.undo()
    assert steps(window)[0].ask == (("grad", v, 0),)


def test_an_edge_label_is_picked_in_the_backward_view(window, editor, qtbot) -> None:
    editor.create_lesson()
    cell = ("partial", key(window, "u"), 0)  # ∂u/∂b
    label = cell_rect(window.view, cell).center()
    assert pick_at(window.view, label) != ("cell", cell)  # no labels in the plain view
    window.actions["backward"].setChecked(True)
    assert pick_at(window.view, label) == ("cell", cell)
    click_scene(qtbot, window, label)
    click_scene(qtbot, window, label)
    assert steps(window)[0].ask == (cell,)
    assert editor.cell_list.item(0).text() == "∂u/∂b  —  asked"


def test_the_buttons_act_on_the_canvas_selection(window, editor, qtbot) -> None:
    editor.create_lesson()
    a, b = key(window, "a"), key(window, "b")
    window.scene.select_keys([a, b])
    qtbot.mouseClick(editor.spotlight_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.grad_button, Qt.MouseButton.LeftButton)
    step = steps(window)[0]
    assert step.spotlight == (a, b) and step.hide == (("grad", a, 0), ("grad", b, 0))
    qtbot.mouseClick(editor.clear_spotlight_button, Qt.MouseButton.LeftButton)
    assert steps(window)[0].spotlight == ()
    editor.cell_list.setFocus()
    editor.cell_list.setCurrentRow(0)
    qtbot.keyClick(editor.cell_list, Qt.Key.Key_Space)  # hidden → asked
    assert steps(window)[0].ask == (("grad", a, 0),)
    qtbot.keyClick(editor.cell_list, Qt.Key.Key_Delete)  # shown again
    assert ("grad", a, 0) not in steps(window)[0].hidden


def test_a_cell_with_no_answer_can_be_hidden_but_not_asked(qtbot) -> None:
    graph = core.Graph()
    graph.add_node("input", "x", value=2)
    graph.add_node("log", "y", inputs=[None])
    graph.set_output("y")
    from dvar.gui.app.window import MainWindow

    win = MainWindow(Document(graph))
    qtbot.addWidget(win)
    dialog = LessonEditor(win.document, win.scene, win.view, win)
    dialog.show()
    dialog.create_lesson()
    cell = ("value", graph.key_of("y"), 0)
    dialog.cycle_cells([cell])
    dialog.cycle_cells([cell])
    assert graph.lesson.steps[0].ask == () and graph.lesson.steps[0].hide == ()
    dialog.set_cells([cell], ASKED)
    assert graph.lesson.steps[0].hide == (cell,)
    assert "no answer" in dialog.message.text()
    dialog.close()
    win.document.undo_stack.setClean()


# ------------------------------------------------------------------ actions, saving
def test_actions_are_chosen_from_a_list(window, editor, qtbot) -> None:
    editor.create_lesson()
    v, a = key(window, "v"), key(window, "a")
    window.scene.select_keys([v])
    kinds = [editor.action_kind.itemData(i) for i in range(editor.action_kind.count())]
    editor.action_kind.setCurrentIndex(kinds.index("nudge"))
    editor.action_kind.activated.emit(kinds.index("nudge"))
    assert steps(window)[0].action == Action("nudge", v)  # the selected node first
    editor.action_kind.setCurrentIndex(kinds.index("set"))
    editor.action_kind.activated.emit(kinds.index("set"))
    assert steps(window)[0].action.kind == "set"
    editor.action_node.setCurrentIndex(editor.action_node.findData(a))
    editor.action_value.setText("5.001")
    editor.action_value.editingFinished.emit()
    assert steps(window)[0].action == Action("set", a, 5.001)
    editor.action_kind.setCurrentIndex(kinds.index("view"))
    editor.action_kind.activated.emit(kinds.index("view"))
    assert steps(window)[0].action == Action("view", view="backward")
    editor.action_kind.setCurrentIndex(0)
    editor.action_kind.activated.emit(0)
    assert steps(window)[0].action is None
    window.document.undo_stack.undo()
    assert steps(window)[0].action == Action("view", view="backward")


def test_the_lesson_is_saved_with_the_file(window, editor, qtbot, tmp_path) -> None:
    editor.create_lesson()
    click_scene(qtbot, window, node_line(window, "v", "grad"))
    click_scene(qtbot, window, node_line(window, "v", "grad"))
    editor.text_edit.setPlainText("Bump *v*.")
    editor.commit_text()
    path = tmp_path / "mine.dvar"
    window.document.save(path)
    again = core.load(path)
    step = again.lesson.steps[0]
    assert step.text == "Bump *v*." and step.ask == (("grad", again.key_of("v"), 0),)


def test_a_bundled_lesson_opens_in_the_editor(window, editor) -> None:
    window.set_document(Document.open(lessons()["paths-add-up"]))
    editor.set_document(window.document, window.scene, window.view)
    assert editor.pages.currentIndex() == 1
    assert editor.step_list.count() == len(steps(window)) == 7
    assert editor.title_edit.text() == "Paths add up"
    editor.choose_step(1)
    assert editor.action_kind.currentData() == "view" and editor.action_view.isVisible()
    assert editor.cell_list.count() == len(steps(window)[1].hidden)
    window.document.undo_stack.setClean()


def test_closing_the_editor_gives_back_the_plain_view(window, editor, qtbot) -> None:
    editor.create_lesson()
    click_scene(qtbot, window, node_line(window, "v", "header"))
    assert window.document.overlay.spotlight is not None
    editor.close()
    assert window.document.overlay.spotlight is None and not window.document.overlay.cells
    click_scene(qtbot, window, node_line(window, "v", "header"))  # an ordinary click again
    assert steps(window)[0].spotlight == (key(window, "v"),)
    assert window.scene.selected_keys() == [key(window, "v")]


def test_a_rename_or_a_removal_shows_in_the_editor(window, editor, qtbot) -> None:
    from dvar.gui.document.field_commands import SetField
    from dvar.gui.document.structure_commands import RemoveItems

    editor.create_lesson()
    click_scene(qtbot, window, node_line(window, "v", "grad"))
    click_scene(qtbot, window, node_line(window, "u", "grad"))
    graph = window.document.graph
    window.document.run(SetField.to(graph, graph.key_of("v"), "id", "w"))
    assert editor.cell_list.item(0).text() == "dw  —  hidden"
    window.document.run(RemoveItems(graph, [graph.key_of("w")], []))
    assert [editor.cell_list.item(i).text() for i in range(editor.cell_list.count())] == [
        "du  —  hidden"
    ]
    window.document.undo_stack.undo()
    assert editor.cell_list.count() == 2


def test_every_control_is_in_the_tab_chain_and_labels_have_keys(window, editor) -> None:
    """Keyboard reachable: Tab visits each control, and Alt+letter finds the fields."""
    from PySide6.QtWidgets import QLabel

    editor.create_lesson()
    editor.action_kind.setCurrentIndex(editor.action_kind.findData("set"))
    editor._action_kind_chosen()
    wanted = [
        editor.title_edit,
        editor.delete_button,
        editor.step_list,
        editor.add_button,
        editor.text_edit,
        editor.spotlight_button,
        editor.cell_list,
        editor.value_button,
        editor.grad_button,
        editor.edge_button,
        editor.action_kind,
        editor.action_node,
        editor.action_value,
    ]
    seen, widget = [], editor.title_edit
    for _ in range(200):
        policy = widget.focusPolicy()
        if widget.isVisible() and widget.isEnabled() and policy & Qt.FocusPolicy.TabFocus:
            seen.append(widget)
        widget = widget.nextInFocusChain()
        if widget is editor.title_edit:
            break
    assert all(w in seen for w in wanted), [w.objectName() or w for w in wanted if w not in seen]
    buddies = {label.buddy() for label in editor.findChildren(QLabel) if label.buddy()}
    assert {editor.title_edit, editor.step_list, editor.text_edit, editor.cell_list} <= buddies
    assert editor.action_kind in buddies


def test_undo_and_redo_keys_work_in_the_editor(window, editor, qtbot) -> None:
    editor.create_lesson()
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert len(steps(window)) == 2
    editor.activateWindow()
    editor.step_list.setFocus()
    qtbot.keyClick(editor.step_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(steps(window)) == 1
    qtbot.keyClick(
        editor.step_list,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert len(steps(window)) == 2


def test_a_lesson_change_alone_redraws_no_node(window, editor, monkeypatch) -> None:
    """A big graph stays quick to edit a lesson on: the lesson shows through the
    overlay, so only a change of what it blanks redraws the nodes."""
    editor.create_lesson()
    calls = []
    monkeypatch.setattr(window.scene, "refresh", lambda evaluation: calls.append(evaluation))
    editor.text_edit.setPlainText("Only the text changes.")
    editor.commit_text()
    editor.add_step()
    assert len(steps(window)) == 2 and calls == []
    editor.cycle_cells([("grad", key(window, "v"), 0)])
    assert len(calls) == 1  # the blank on dv, through the overlay


def test_the_last_step_stays_and_delete_lesson_takes_the_whole(window, editor, qtbot) -> None:
    editor.create_lesson()
    assert not editor.remove_button.isEnabled()
    editor.remove_step()
    assert len(steps(window)) == 1
    qtbot.mouseClick(editor.delete_button, Qt.MouseButton.LeftButton)
    assert window.document.graph.lesson is None and editor.pages.currentIndex() == 0
    window.document.undo_stack.undo()
    assert len(steps(window)) == 1 and editor.pages.currentIndex() == 1


def test_a_ctrl_click_selects_as_usual_while_the_editor_is_open(window, editor, qtbot) -> None:
    editor.create_lesson()
    point = window.view.mapFromScene(node_line(window, "v", "header"))
    qtbot.mouseClick(
        window.view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        point,
    )
    assert steps(window)[0].spotlight == ()
    assert window.scene.selected_keys() == [key(window, "v")]
