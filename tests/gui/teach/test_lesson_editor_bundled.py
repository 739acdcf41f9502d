"""Every bundled lesson (Help → Lessons) can be played to its end in the real window:
each asked cell takes its answer, each action can be taken, and Next opens each time."""

from __future__ import annotations

import pytest

from dvar.core.resources import lessons


@pytest.mark.parametrize("name", list(lessons()))
def test_each_bundled_lesson_plays_to_its_end(window, name: str) -> None:
    assert window.open_bundled_lesson(name)
    player = window.lesson_player
    lesson = window.document.graph.lesson
    assert player.active and player.index == 0
    for number, step in enumerate(lesson.steps, 1):
        assert player.index == number - 1
        session = player.session
        answered = 0
        while session is not None and not session.finished:
            cell = session.next_open()
            assert cell is not None, f"step {number}: a cell waits on one that is not asked"
            player.answer(cell, f"{session.truth(cell):.9g}")
            assert session.state(cell).status == "right", (number, session.symbol(cell))
            answered += 1
        assert answered == len(step.ask)
        assert player.next_button.isEnabled() == (step.action is None), number
        if step.action is not None:
            player.do_action()
        assert player.can_go_on() and player.next_button.isEnabled(), number
        if number < len(lesson.steps):
            player.next()
    assert player.index == len(lesson.steps) - 1
    window.document.undo_stack.setClean()
