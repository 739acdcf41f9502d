"""Teach → New Problem…: four levels with what each practises, and a seed to share."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from dvar import core
from dvar.core.problems import LEVELS
from dvar.gui.dialogs.new_problem import DRAWN_SEEDS, NewProblemDialog


def test_the_dialog_lists_each_level_with_what_it_practises(qtbot):
    dialog = NewProblemDialog()
    qtbot.addWidget(dialog)
    texts = {level: dialog.levels.button(level).text() for level in LEVELS}
    assert texts[2] == "Level 2: a variable used twice"
    assert all(LEVELS[level] in text for level, text in texts.items())
    assert dialog.level() == 1
    assert 0 <= dialog.seed() <= DRAWN_SEEDS  # drawn at random, short enough to say aloud


def test_a_seed_is_drawn_again_or_typed(qtbot):
    dialog = NewProblemDialog(seed=4217)
    qtbot.addWidget(dialog)
    assert dialog.seed() == 4217
    dialog.choose(3, 12)
    assert (dialog.level(), dialog.seed()) == (3, 12)
    seen = set()
    for _ in range(5):
        dialog.draw_button.click()
        seen.add(dialog.seed())
    assert len(seen) > 1


def test_cancelling_keeps_the_open_document(window, monkeypatch):
    monkeypatch.setattr(NewProblemDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    before = window.document
    text = core.dumps(before.graph)
    window.actions["new_problem"].trigger()
    assert window.document is before and core.dumps(before.graph) == text
    assert not window.practice.active
