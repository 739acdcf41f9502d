"""The lesson player in the main window: lesson 1 from the keyboard alone, Next waiting
for answers and actions, the spotlight and hidden cells, progress and Restart."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QPushButton

from dvar import core
from dvar.core.resources import lessons
from dvar.gui.app.window import MainWindow
from dvar.gui.canvas.scene_overlay import DIMMED
from dvar.gui.document.annotation_commands import SetLesson
from dvar.gui.document.document import Document
from dvar.gui.document.field_commands import MoveNodes, SetField
from dvar.gui.document.structure_commands import BuildFromFormula, RemoveItems
from dvar.gui.teach.lesson_player import HIDDEN_TIP, progress_key

LESSON_1 = lessons()["derivatives-with-a-computation-graph"]


@pytest.fixture
def open_window(window):
    """The main window, on a file of our choosing (each call opens one in its place)."""
    window.activateWindow()  # the keyboard goes to this window

    def open_(path) -> MainWindow:
        window.document.undo_stack.setClean()
        window.set_document(Document.open(path))
        return window

    yield open_
    window.document.undo_stack.setClean()


def focused():
    return QApplication.focusWidget()


def type_answer(qtbot, text: str) -> None:
    box = focused()
    where = QApplication.focusWidget()
    assert box.objectName() == "practice_answer", f"the keyboard is in {where!r}"
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def press(qtbot, button: QPushButton) -> None:
    """Space on the button that has the keyboard: it must be the one expected."""
    assert focused() is button, f"the keyboard is in {focused()!r}, not {button.text()!r}"
    qtbot.keyClick(button, Qt.Key.Key_Space)


def truths(window: MainWindow) -> list[str]:
    """The numbers the current step asks, in the order it asks them (from the file)."""
    player = window.lesson_player
    graph = player.document.graph
    ev = core.evaluate(graph)
    from dvar.core.lesson import answer

    return [core.format_number(answer(graph, ev, cell)) for cell in player.step.ask]


def test_lesson_1_can_be_completed_with_the_keyboard_alone(open_window, qtbot):
    window = open_window(LESSON_1)
    player = window.lesson_player
    assert window.play_lesson()
    total = len(player.lesson.steps)
    assert total == len(core.load(LESSON_1).lesson.steps)
    for number in range(1, total + 1):
        assert player.counter.text() == f"step {number} of {total}"
        step = player.step
        assert not player.next_button.isEnabled() or (not step.ask and step.action is None)
        for text in truths(window):
            type_answer(qtbot, text)
        if step.action is not None:
            assert not player.next_button.isEnabled()
            press(qtbot, player.do_button)
        assert player.next_button.isEnabled()
        press(qtbot, player.next_button)
    assert player.message.text().startswith("Lesson complete")
    assert focused() is player.restart_button
    settings = QSettings("dvar", "dvar")
    assert int(settings.value(progress_key(window.document, player.lesson))) == total


def test_next_waits_for_the_answers_and_the_action(open_window, qtbot):
    window = open_window(LESSON_1)
    player = window.lesson_player
    window.play_lesson()
    player.go(1)  # nudge v, then dv
    assert not player.next_button.isEnabled()
    player.answer(player.cell, "2")  # a wrong answer is diagnosed, and Next stays shut
    assert "✗" in player.message.text()
    assert not player.next_button.isEnabled()
    player.reveal()
    assert player.questions_done() and not player.next_button.isEnabled()
    window.teaching.nudge(window.document.graph.key_of("a"))  # the wrong node
    assert not player.next_button.isEnabled()
    window.scene.clearSelection()
    window.scene.nodes[window.document.graph.key_of("v")].setSelected(True)
    window.nudge()  # N on the canvas, as the text says
    assert player.next_button.isEnabled()
    assert player.action_label.text().startswith("☑")
    assert window.document.overlay.values  # J = 33 → 33.003 on the canvas
    player.next()
    assert not window.document.overlay.values  # the next step starts without that nudge
    assert not player.action_done()  # ... and asks for its own (a)


def test_a_view_action_is_seen_whichever_way_the_view_switches(open_window):
    window = open_window(LESSON_1)
    player = window.lesson_player
    window.play_lesson()
    player.go(3)  # the backward view, and ∂v/∂a
    player.reveal()
    assert not player.action_done()
    window.actions["backward"].trigger()  # B, from the menu or the canvas
    assert player.action_done() and player.next_button.isEnabled()
    window.actions["backward"].trigger()
    assert not player.next_button.isEnabled()


def test_the_step_hides_asks_and_spotlights(open_window):
    window = open_window(LESSON_1)
    player = window.lesson_player
    window.play_lesson()
    player.go(1)
    graph, overlay = window.document.graph, window.document.overlay
    k = graph.key_of
    assert overlay.spotlight == {k("v"), k("J")}
    assert overlay.cells[("grad", k("a"), 0)].tip == HIDDEN_TIP
    assert overlay.cells[("grad", k("v"), 0)].state == "open"
    assert window.scene.nodes[k("a")].opacity() == pytest.approx(DIMMED)
    assert window.scene.nodes[k("v")].opacity() == 1.0
    assert window.scene.nodes[k("three")].opacity() == 1.0  # J's chip shines with J
    assert "33" not in window.value_label.text()  # J's value is in no status bar
    player.stop()
    assert window.document.overlay.plain
    assert window.scene.nodes[k("a")].opacity() == 1.0


def test_the_text_is_rendered_from_markdown_never_raw(open_window, tmp_path):
    data = core.to_dict(core.load(core.example_path("lecture")))
    data["lesson"] = {"title": "<i>t</i>", "steps": [{"text": "Bump *v*; a < b & `x`"}]}
    path = tmp_path / "marked.dvar"
    path.write_text(json.dumps(data), encoding="utf-8")
    window = open_window(path)
    window.play_lesson()
    player = window.lesson_player
    assert player.text.text() == "<p>Bump <em>v</em>; a &lt; b &amp; <code>x</code></p>"
    assert player.title.textFormat() == Qt.TextFormat.PlainText
    assert player.title.text() == "<i>t</i>"


def test_a_set_action_comes_before_its_questions(open_window, tmp_path):
    data = core.to_dict(core.load(core.example_path("lecture")))
    data["lesson"] = {
        "title": "Set, then ask",
        "steps": [{"text": "Set a to 6. What is J?", "ask": [{"value": "J"}],
                   "action": {"set": "a", "value": 6}}],
    }  # fmt: skip
    path = tmp_path / "set.dvar"
    path.write_text(json.dumps(data), encoding="utf-8")
    window = open_window(path)
    player = window.lesson_player
    window.play_lesson()
    assert player.session is None and not player.next_button.isEnabled()
    assert "once the value is set" in player.asked.text()
    player.do_action()
    assert window.document.graph.node("a").value == 6
    assert player.session is not None
    player.answer(player.cell, "36")  # J = 3(6 + 6), after the set
    assert player.next_button.isEnabled()
    window.document.undo_stack.undo()  # the value goes back: the step asks again
    assert player.session is None and not player.next_button.isEnabled()


def test_progress_is_remembered_and_restart_forgets_it(open_window, qtbot):
    window = open_window(LESSON_1)
    window.play_lesson()
    window.lesson_player.go(4)
    again = open_window(LESSON_1)  # the file opened again: a new player
    assert again.lesson_player is not window.lesson_player or not again.lesson_player.active
    assert again.play_lesson()
    player = again.lesson_player
    assert player.counter.text().startswith("step 5 of")
    player.restart()
    assert player.counter.text().startswith("step 1 of")
    assert QSettings("dvar", "dvar").value(progress_key(again.document, player.lesson)) in (0, "0")


def test_every_control_of_the_dock_is_reached_with_tab(open_window, qtbot):
    window = open_window(LESSON_1)
    player = window.lesson_player
    window.play_lesson()
    player.go(1)  # a question and an action
    buttons = [
        player.answer_button,
        player.hint_button,
        player.reveal_button,
        player.do_button,
        player.back_button,
        player.next_button,
        player.restart_button,
    ]
    for state in ("asking", "answered"):
        reachable = [b for b in buttons if b.isVisible() and b.isEnabled()]
        if state == "asking":
            assert {player.answer_button, player.do_button, player.back_button} <= set(reachable)
        else:
            assert player.next_button in reachable
        reachable[0].setFocus()
        for button in reachable[1:]:
            qtbot.keyClick(focused(), Qt.Key.Key_Tab)
            assert focused() is button, f"{state}: Tab went to {focused()!r}"
        player.reveal()
        player.do_action()


def test_no_lesson_says_so(qtbot, window):
    assert not window.play_lesson()
    assert not window.actions["play_lesson"].isEnabled()


def test_the_lesson_is_undoable_and_comes_back_with_a_deleted_node(open_window):
    window = open_window(LESSON_1)
    document = window.document
    graph = document.graph
    lesson = graph.lesson
    evaluations = document.evaluations
    document.run(SetLesson(graph, None, "Remove lesson"))
    assert graph.lesson is None
    assert document.evaluations == evaluations  # a lesson changes no number
    document.undo_stack.undo()
    assert graph.lesson == lesson
    v = graph.key_of("v")
    document.run(RemoveItems(graph, [v], []))
    assert graph.key_of("J") in graph.lesson.keys and v not in graph.lesson.keys
    assert all(("grad", v, 0) not in step.ask for step in graph.lesson.steps)
    document.undo_stack.undo()
    assert graph.lesson == lesson
    document.run(BuildFromFormula(graph, "J = 2*x", replace=True))  # every node goes
    assert graph.lesson.keys == frozenset() and len(graph.lesson.steps) == len(lesson.steps)
    document.undo_stack.undo()
    assert graph.lesson == lesson


def test_a_lesson_edit_while_playing_keeps_the_step(open_window):
    window = open_window(LESSON_1)
    player = window.lesson_player
    window.play_lesson()
    player.go(2)
    graph = window.document.graph
    shorter = type(graph.lesson)(graph.lesson.title, graph.lesson.steps[:5])
    window.document.run(SetLesson(graph, shorter))
    assert player.counter.text() == "step 3 of 5"
    window.document.run(SetLesson(graph, None))
    assert not player.active


def test_dimmed_edges_and_pasted_nodes(open_window):
    window = open_window(LESSON_1)
    window.play_lesson()
    player, scene = window.lesson_player, window.scene
    graph = window.document.graph
    k = graph.key_of
    player.go(1)  # spotlight v and J
    assert scene.edges[(k("v"), 0)].opacity() == pytest.approx(DIMMED)  # a → v
    assert scene.edges[(k("J"), 1)].opacity() == 1.0  # v → J
    player.stop()
    assert scene.edges[(k("v"), 0)].opacity() == 1.0
    # Pasted copies of lesson nodes join the graph, not the lesson.
    lesson = graph.lesson
    scene.clearSelection()
    scene.nodes[k("v")].setSelected(True)
    window.duplicate()
    assert len(graph) == 8 and graph.lesson == lesson


def test_opening_a_file_with_a_lesson_offers_it(window, dialogs, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window.open_path(str(core.example_path("lecture")))
    assert dialogs == []  # no lesson, no question
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes
    )
    window.open_path(str(LESSON_1))
    assert window.lesson_player.active
    assert window.docks["lesson"].isVisible()
    window.document.undo_stack.setClean()


def test_forward_and_normal_views_are_actions_too(open_window, tmp_path):
    data = core.to_dict(core.load(core.example_path("lecture")))
    steps = [{"text": v, "action": {"view": v}} for v in ("forward", "normal", "backward")]
    data["lesson"] = {"title": "Views", "steps": steps}
    path = tmp_path / "views.dvar"
    path.write_text(json.dumps(data), encoding="utf-8")
    window = open_window(path)
    player = window.lesson_player
    window.play_lesson()
    assert not player.next_button.isEnabled()
    window.actions["forward_mode"].trigger()  # Ctrl+Shift+D
    assert window.teaching.forward.active and player.next_button.isEnabled()
    player.next()
    assert not player.action_done()
    player.do_action()
    assert not window.teaching.forward.active and not window.actions["backward"].isChecked()
    assert player.next_button.isEnabled()
    player.next()
    player.do_action()
    assert window.actions["backward"].isChecked() and player.finished


def test_a_number_changed_by_hand_is_said_to_leave_the_text_behind(open_window, tmp_path):
    data = core.to_dict(core.load(core.example_path("lecture")))
    data["lesson"] = {"title": "Read", "steps": [{"text": "J is 33."}, {"text": "Now dv."}]}
    path = tmp_path / "read.dvar"
    path.write_text(json.dumps(data), encoding="utf-8")
    window = open_window(path)
    window.play_lesson()
    said = []
    window.document.message.connect(said.append)
    graph = window.document.graph
    node = graph.node("a")
    window.document.run(MoveNodes(graph, {node.key: ((node.x, node.y), (node.x + 20, node.y))}))
    assert said == []  # a move changes no number
    window.document.run(SetField.to(graph, graph.key_of("a"), "value", 7.0))
    assert said and "Ctrl+Z takes the change back" in said[-1]
    assert window.lesson_player.active  # the lesson goes on
