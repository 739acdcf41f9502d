"""Help → Lessons lists dvar's own lessons by title and plays the one chosen; Teach →
Edit Lesson… opens the editor, which follows the window to each new file."""

from __future__ import annotations

from dvar import core
from dvar.core.resources import lessons
from dvar.gui.document.document import Document


def lessons_menu(window):
    help_menu = window.menuBar().findChildren(type(window.menuBar().addMenu("x")))
    for menu in help_menu:
        if menu.title() == "&Lessons":
            return menu
    raise AssertionError("no Help → Lessons")


def test_help_lists_the_lessons_by_title_in_teaching_order(window) -> None:
    menu = lessons_menu(window)
    menu.aboutToShow.emit()
    titles = [action.text() for action in menu.actions()]
    assert titles == [core.load(path).lesson.title for path in lessons().values()]
    assert titles[0] == "Derivatives with a computation graph" and len(titles) == 5


def test_choosing_a_lesson_opens_a_copy_and_plays_it(window, qtbot) -> None:
    menu = lessons_menu(window)
    menu.aboutToShow.emit()
    menu.actions()[1].trigger()  # Paths add up
    document = window.document
    assert document.path is None and document.name == "paths-add-up.dvar"
    assert document.graph.lesson.title == "Paths add up"
    assert window.lesson_player.active
    assert window.docks["lesson"].isVisible()


def test_edit_lesson_opens_the_editor_on_the_current_file(window, qtbot) -> None:
    window.actions["edit_lesson"].trigger()
    editor = window.lesson_editor
    qtbot.waitExposed(editor)
    assert editor.isVisible() and editor.pages.currentIndex() == 0  # the lecture: no lesson
    window.set_document(Document.open(lessons()["tanh-neuron"]))
    assert editor.document is window.document and editor.scene is window.scene
    assert editor.title_edit.text() == "A tanh neuron" and editor.step_list.count() == 6
    editor.close()


def test_edit_lesson_waits_for_practice_to_end(window) -> None:
    window.actions["practice"].trigger()
    assert window.practice.active
    window.actions["edit_lesson"].trigger()
    assert getattr(window, "lesson_editor", None) is None
    assert "practice" in window.statusBar().currentMessage().lower()


def test_playing_the_lesson_closes_the_editor(window, qtbot) -> None:
    window.set_document(Document.open(lessons()["paths-add-up"]))
    window.actions["edit_lesson"].trigger()
    assert window.lesson_editor.isVisible() and not window.lesson_player.active
    window.actions["play_lesson"].trigger()
    assert window.lesson_player.active and not window.lesson_editor.isVisible()
    window.actions["edit_lesson"].trigger()  # and editing stops the player
    assert window.lesson_editor.isVisible() and not window.lesson_player.active
    window.lesson_editor.close()


def test_practice_closes_the_editor_and_keeps_its_own_look(window) -> None:
    window.set_document(Document.open(lessons()["paths-add-up"]))
    window.actions["edit_lesson"].trigger()
    assert window.document.overlay.spotlight is not None  # step 1's spotlight, previewed
    window.actions["practice"].trigger()
    assert window.practice.active and not window.lesson_editor.isVisible()
    overlay = window.document.overlay
    assert overlay.spotlight is None
    assert set(overlay.cells) == set(window.practice.session.cells)
    window.actions["practice"].trigger()
