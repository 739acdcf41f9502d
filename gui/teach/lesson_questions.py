"""The questions of a lesson step: a practice session over the cells it asks.

:class:`StepQuestions` is the part of :class:`~dvar.gui.teach.lesson_player.LessonPlayer`
that asks a step's cells as practice mode does: a :class:`PracticeSession` over
exactly those cells (the ones with a number to find), the answer box on the canvas,
Hint and Reveal, and the keyboard moving from cell to cell.  The player holds what
it reads and calls: ``document``, ``scene``, ``view``, ``step``, ``session``, ``box``,
``cell``, ``feedback``, ``_draw()``, ``_show()``, ``_focus_first()`` and ``step_changed``.

A teach module: may import dvar.core, gui.document, gui.canvas, gui.panels and gui.messages.
"""

from __future__ import annotations

import math

import shiboken6

from dvar import core
from dvar.core.lesson import answer
from dvar.gui.document.overlay import Cell
from dvar.gui.teach.practice import KINDS, PracticeSession
from dvar.gui.teach.practice_box import AnswerBox


class StepQuestions:
    """The step's asked cells: the session, the answer box, answers, hints and Reveal."""

    # ---------------------------------------------------------------- the session
    def questions_done(self) -> bool:
        return self.session is None or self.session.finished

    def _begin_questions(self) -> None:
        step = self.step
        graph, evaluation = self.document.graph, self.document.evaluation
        cells = [c for c in step.ask if _answerable(graph, evaluation, c)]
        if not cells:
            return
        session = PracticeSession(
            self.document,
            KINDS,
            notation=self.scene.notation,
            parent=self,
            cells=cells,
        )
        self.session = session
        session.changed.connect(self._on_session_changed)
        self.box = AnswerBox(self.view)
        self.box.submitted.connect(self.answer)
        self.box.moved.connect(self._move)
        self.scene.changed.connect(self.box.place)
        self.cell = session.next_open()

    def _end_session(self) -> None:
        session, self.session, self.cell = self.session, None, None
        if self.box is not None:
            if shiboken6.isValid(self.scene):
                self.scene.changed.disconnect(self.box.place)
            if shiboken6.isValid(self.box):
                self.box.put_away()
                self.box.deleteLater()
            self.box = None
        if session is not None:
            session.undo_stack.clear()
            session.deleteLater()

    # ---------------------------------------------------------------- answers
    def focus_answer(self) -> None:
        """Put the keyboard in the box of the cell at hand (the first open one)."""
        session = self.session
        if session is None or self.box is None:
            return
        if self.cell is None or not session.is_open(self.cell):
            self.cell = session.next_open()
        if self.cell is not None:
            self.box.set_state(session.mark(self.cell).state)
            self.box.open(self.cell, session.mark(self.cell).tip)

    def answer(self, cell: Cell, text: str) -> None:
        session = self.session
        if session is None:
            return
        state = session.answer(cell, text)
        if state is None:
            return
        if state.solved:
            self.feedback = f"✓ {session.symbol(cell)} = {text.strip()}: right."
            self.cell = session.next_open(cell)
            if self.cell is None:
                self._after_questions()
            else:
                self.focus_answer()
        else:
            self.feedback = ""
            self.focus_answer()
        self._show()

    def hint(self) -> None:
        if self.session is None or self.cell is None:
            return
        text = self.session.hint(self.cell)
        if text is not None:
            self._show(extra=f"Hint {self.session.state(self.cell).hints}: {text}")
            self.focus_answer()

    def reveal(self) -> None:
        session = self.session
        if session is None or self.cell is None:
            return
        session.reveal(self.cell)
        self.cell = session.next_open(self.cell)
        if self.cell is None:
            self._after_questions()
        else:
            self.focus_answer()
        self._show()

    def _move(self, step: int) -> None:
        if self.session is not None:
            self.cell = self.session.next_open(self.cell, step) or self.cell
            self.focus_answer()
            self._show()

    def _after_questions(self) -> None:
        """Every question solved: the box goes, and the keyboard goes to what is next."""
        if self.box is not None:
            self.box.put_away()
        self._show()
        self._focus_first()

    # ---------------------------------------------------------------- following
    def _on_session_changed(self) -> None:
        if self.session is not None:
            self._draw()
            self._show()
            self.step_changed.emit()


def _answerable(graph: core.Graph, evaluation: core.Evaluation, cell: Cell) -> bool:
    """A cell with a number to find (an asked cell whose answer is undefined here is
    left out; ``dvar lesson --check`` reports it)."""
    try:
        number = answer(graph, evaluation, cell)
    except (core.GraphError, KeyError, IndexError):
        return False
    return number is not None and math.isfinite(number)
