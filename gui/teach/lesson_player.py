"""The lesson player (Teach → Lesson): the steps of the graph's lesson, one at a time.

Each step shows its text (dvar's own Markdown, :func:`dvar.core.markup.markdown_html`:
the file's text is never shown as rich text), dims every node outside its
spotlight, blanks the cells it hides, and asks its cells as practice mode does: a
:class:`PracticeSession` over exactly those cells, answered in the box on the
canvas, with diagnosis, hints and Reveal (that part of the player is
:class:`~dvar.gui.teach.lesson_questions.StepQuestions`).  *Next* opens once every
asked cell is solved or revealed and the step's action is done: a value set (watched
in the document's changes), a nudge (watched in the overlay) or a view (the window
says when it switches).  The step reached is remembered per lesson file (QSettings), and
*Restart* forgets it.

The player never edits the graph; it draws through the document's overlay, as every
teaching mode does, and leaving gives back the plain view.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dvar import core
from dvar.core.lesson import Action, Lesson, Step
from dvar.core.markup import markdown_html
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.canvas.view import GraphView
from dvar.gui.document.document import Document
from dvar.gui.document.field_commands import SetField
from dvar.gui.document.overlay import Cell, Mark
from dvar.gui.teach.lesson_questions import StepQuestions
from dvar.gui.teach.practice import PracticeSession
from dvar.gui.teach.practice_box import AnswerBox

#: Where the step reached in each lesson is kept (QSettings group).
PROGRESS_GROUP = "lessons/progress"
IDLE_TEXT = "This graph has no lesson. Open a lesson (Help → Lessons) or write one."
#: What a hidden cell that is not asked says.
HIDDEN_TIP = "Hidden in this step"
_VIEW_TEXT = {
    "backward": "Turn on the backward view (B)",
    "forward": "Turn on forward mode (Ctrl+Shift+D)",
    "normal": "Go back to the normal view: backward view and forward mode off",
}


@dataclass
class LessonHost:
    """What the player asks of the window: the view it shows, and the teaching tools."""

    #: "backward", "forward" or "normal".
    view: Callable[[], str]
    set_view: Callable[[str], None]
    #: Nudge a node as Teach → Nudge does; True when it ran.
    nudge: Callable[[int], bool]
    #: The node the nudge on show bumped, or None.
    nudged: Callable[[], int | None]
    #: End a nudge or a step-through on show (a new step starts without them).
    end_previews: Callable[[], None] = lambda: None


def progress_key(document: Document, lesson: Lesson) -> str:
    """The QSettings key of a lesson's progress: its file (or untitled name) and title."""
    where = str(document.path.resolve()) if document.path else document.untitled_name
    digest = hashlib.sha1(f"{where}\n{lesson.title}".encode()).hexdigest()[:20]
    return f"{PROGRESS_GROUP}/{digest}"


def action_text(document: Document, action: Action) -> str:
    """The action in words: ``Nudge v (select it, then N)``, ``Set a to 6``."""
    if action.kind == "view":
        return _VIEW_TEXT.get(action.view or "", "Switch the view")
    node_id = document.graph.id_of(action.key)
    if action.kind == "nudge":
        return f"Nudge {node_id} (select it, then N)"
    return f"Set {node_id} to {core.format_number(action.value)}"


class LessonPlayer(StepQuestions, QScrollArea):
    """The "Lesson" dock: a lesson's steps, with Back, Next and Restart."""

    #: The player started (True) or stopped (False).
    running_changed = Signal(bool)
    #: The step, or what is solved in it, changed (for the status bar).
    step_changed = Signal()

    def __init__(
        self,
        document: Document,
        scene: GraphScene,
        view: GraphView,
        host: LessonHost,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document, self.scene, self.view, self.host = document, scene, view, host
        self.settings = settings if settings is not None else QSettings("dvar", "dvar")
        self.lesson: Lesson | None = None
        self.index = 0
        self.session: PracticeSession | None = None
        self.box: AnswerBox | None = None
        self.cell: Cell | None = None
        self.feedback = ""
        self._value_set = False  # the step's "set" action was seen done
        self._evaluation = document.evaluation  # the numbers the step was laid out on

        body = QWidget()
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)

        self.title = QLabel("")
        self.title.setObjectName("lesson_title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.counter = QLabel("")
        self.counter.setObjectName("lesson_counter")
        self.counter.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.counter)

        self.text = QLabel("")
        self.text.setObjectName("lesson_text")
        self.text.setTextFormat(Qt.TextFormat.RichText)  # only ever markdown_html's output
        self.text.setWordWrap(True)
        self.text.setOpenExternalLinks(False)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        layout.addWidget(self.text)

        task = QGroupBox("Your turn")
        self.task = task
        task_layout = QVBoxLayout(task)
        self.asked = QLabel("")
        self.asked.setObjectName("lesson_asked")
        self.asked.setTextFormat(Qt.TextFormat.PlainText)
        self.asked.setWordWrap(True)
        task_layout.addWidget(self.asked)
        self.message = QLabel("")
        self.message.setObjectName("lesson_message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        task_layout.addWidget(self.message)
        row = QHBoxLayout()
        self.answer_button = QPushButton("&Answer")
        self.answer_button.setToolTip("Put the keyboard in the box of the cell to answer")
        self.hint_button = QPushButton("&Hint")
        self.hint_button.setToolTip("A hint for this cell: three, from vague to specific")
        self.reveal_button = QPushButton("Re&veal")
        self.reveal_button.setToolTip("Give this cell away")
        for button in (self.answer_button, self.hint_button, self.reveal_button):
            row.addWidget(button)
        task_layout.addLayout(row)
        row = QHBoxLayout()
        self.action_label = QLabel("")
        self.action_label.setObjectName("lesson_action")
        self.action_label.setTextFormat(Qt.TextFormat.PlainText)
        self.action_label.setWordWrap(True)
        row.addWidget(self.action_label, 1)
        self.do_button = QPushButton("&Do it")
        self.do_button.setToolTip("Take the step's action from here")
        row.addWidget(self.do_button)
        task_layout.addLayout(row)
        layout.addWidget(task)

        row = QHBoxLayout()
        self.back_button = QPushButton("&Back")
        self.next_button = QPushButton("&Next")
        self.restart_button = QPushButton("&Restart")
        self.restart_button.setToolTip("Start the lesson again from step 1 (forgets the progress)")
        row.addWidget(self.back_button)
        row.addWidget(self.next_button)
        row.addStretch(1)
        row.addWidget(self.restart_button)
        layout.addLayout(row)
        layout.addStretch(1)

        self.answer_button.clicked.connect(self.focus_answer)
        self.hint_button.clicked.connect(self.hint)
        self.reveal_button.clicked.connect(self.reveal)
        self.do_button.clicked.connect(self.do_action)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.restart_button.clicked.connect(self.restart)
        document.changed.connect(self._on_document_changed)
        document.overlay_changed.connect(self._on_overlay)
        self._show()

    # ------------------------------------------------------------------ state
    @property
    def active(self) -> bool:
        return self.lesson is not None

    @property
    def step(self) -> Step | None:
        if self.lesson is None or not self.lesson.steps:
            return None
        return self.lesson.steps[self.index]

    @property
    def finished(self) -> bool:
        """True on the last step with its questions answered and its action done."""
        lesson = self.lesson
        return lesson is not None and self.index == len(lesson.steps) - 1 and self.can_go_on()

    def status_text(self) -> str:
        """``Lesson · step 2 of 9 · 1 of 2 solved`` for the status bar."""
        if self.lesson is None:
            return ""
        parts = ["Lesson", self.counter.text()]
        if self.session is not None:
            parts.append(self.session.score().progress())
        return " · ".join(parts)

    def action_done(self) -> bool:
        """True when the step has no action, or the learner has taken it."""
        step = self.step
        action = step.action if step is not None else None
        if action is None:
            return True
        if action.kind == "view":
            return self.host.view() == action.view
        if action.kind == "nudge":
            return self.host.nudged() == action.key
        return self._value_set

    def can_go_on(self) -> bool:
        return self.step is not None and self.action_done() and self.questions_done()

    # ------------------------------------------------------------------ moving
    def start(self, index: int | None = None) -> bool:
        """Play the graph's lesson from step ``index`` (None: where the learner left
        it).  False, with a message, when the graph has none."""
        lesson = self.document.graph.lesson
        if lesson is None:
            self.document.message.emit("This graph has no lesson")
            return False
        was_running = self.active
        self.lesson = lesson
        if index is None:
            index = self._saved_index()
        if not was_running:
            self.running_changed.emit(True)
        self.go(index)
        return True

    def stop(self) -> None:
        """Leave the lesson: the plain view again (the progress stays remembered)."""
        if self.lesson is None:
            return
        self._end_session()
        self.lesson = None
        self.document.set_overlay(self.document.overlay.without_practice().but(spotlight=None))
        self.running_changed.emit(False)
        self._show()

    def go(self, index: int) -> None:
        """Show step ``index`` (from 0), clamped to the lesson's steps."""
        lesson = self.lesson
        if lesson is None:
            return
        moved = index != self.index
        self.index = max(0, min(index, len(lesson.steps) - 1))
        self.feedback = ""
        if moved:
            self.host.end_previews()  # the last step's nudge is no part of this one
        self._save_index()
        self._begin_step()

    def next(self) -> None:
        lesson = self.lesson
        if lesson is None or not self.can_go_on():
            return
        if self.index + 1 < len(lesson.steps):
            self.go(self.index + 1)
            self._focus_first()
        else:
            self.settings.setValue(progress_key(self.document, lesson), len(lesson.steps))
            self.message.setText("Lesson complete. Restart goes through it again.")
            self.restart_button.setFocus()

    def back(self) -> None:
        if self.lesson is not None and self.index > 0:
            self.go(self.index - 1)
            self._focus_first()

    def restart(self) -> None:
        """Forget the progress and start again from step 1."""
        if self.lesson is None and not self.start(0):
            return
        self.settings.remove(progress_key(self.document, self.lesson))
        self.go(0)
        self._focus_first()

    def _saved_index(self) -> int:
        saved = self.settings.value(progress_key(self.document, self.lesson), 0)
        try:
            index = int(saved)
        except (TypeError, ValueError):
            index = 0
        return 0 if index >= len(self.lesson.steps) else index  # a finished lesson starts over

    def _save_index(self) -> None:
        if self.lesson is not None:
            self.settings.setValue(progress_key(self.document, self.lesson), self.index)

    # ------------------------------------------------------------------ a step
    def _begin_step(self) -> None:
        """Lay the step over the graph: spotlight, hidden cells, and its questions (now,
        or once its value is set: the answers are about the graph after the action)."""
        self._end_session()
        step = self.step
        self._evaluation = self.document.evaluation
        self._value_set = self._set_matches()  # back at a step whose value was set
        if step is not None and (self._value_set or not _sets(step)):
            self._begin_questions()
        self._draw()
        self._show()
        self.step_changed.emit()

    def _draw(self) -> None:
        """The step's overlay: hidden cells blank, asked ones marked, the spotlight."""
        step = self.step
        if step is None:
            return
        marks: dict[Cell, Mark] = {}
        blank = Mark("", "waiting", HIDDEN_TIP)
        for cell in step.hidden:
            marks[cell] = blank
        if self.session is not None:
            marks.update(self.session.marks())
        spotlight = frozenset(step.spotlight) if step.spotlight else None
        self.document.set_overlay(self.document.overlay.but(cells=marks, spotlight=spotlight))

    def _focus_first(self) -> None:
        """The keyboard goes where the step needs it: the answer box, the action, Next."""
        if self.lesson is None:
            return
        if not self.questions_done():
            self.focus_answer()
        elif not self.action_done():
            self.do_button.setFocus()
        elif self.next_button.isEnabled():
            self.next_button.setFocus()
        else:
            self.restart_button.setFocus()

    # ---------------------------------------------------------------- actions
    def do_action(self) -> None:
        """Take the step's action from the dock (the keyboard's way to it)."""
        step = self.step
        action = step.action if step is not None else None
        if action is None:
            return
        if action.kind == "view":
            self.host.set_view(action.view)
        elif action.kind == "nudge":
            self.host.nudge(action.key)
        else:
            self.document.run(SetField.to(self.document.graph, action.key, "value", action.value))
        self.view_changed()

    def view_changed(self) -> None:
        """The window switched the view (backward view, forward mode): Next may open."""
        was = self.next_button.isEnabled()
        self._show()
        if self.next_button.isEnabled() and not was:
            self._focus_first()

    def _set_matches(self) -> bool:
        step = self.step
        action = step.action if step is not None else None
        if action is None or action.kind != "set":
            return False
        value = self.document.graph.node(action.key).value
        return value is not None and math.isclose(value, action.value, rel_tol=1e-9, abs_tol=1e-12)

    # -------------------------------------------------------------- following
    def _on_overlay(self, new, old) -> None:
        if self.lesson is not None and new.values != old.values:
            self.view_changed()  # a nudge came or went

    def _on_document_changed(self, events, evaluation) -> None:
        if self.lesson is None:
            return
        if any(event.kind == "lesson_changed" for event in events):
            if self.document.graph.lesson is None:
                self.stop()
                return
            self.lesson = self.document.graph.lesson
            self.go(self.index)
            return
        if evaluation is self._evaluation:
            return  # a move, a label, a note: no number changed
        self._evaluation = evaluation
        step = self.step
        if step is not None and step.action is not None and step.action.kind == "set":
            done = self._set_matches()
            if done != self._value_set:
                self._value_set = done
                self._end_session()
                if done:
                    self._begin_questions()
                self._draw()
                self._show()
                self._focus_first()
                return
        if self.session is not None:  # the numbers changed: the step asks again
            self.document.message.emit("The graph changed, so this step's questions start over")
            self._begin_step()
        else:  # the text quotes the numbers the lesson set up, which no longer hold
            self.document.message.emit(
                "A number changed that the lesson did not ask to change, so its text may "
                "quote the numbers from before: Ctrl+Z takes the change back"
            )

    # ------------------------------------------------------------------ view
    def _show(self, extra: str = "") -> None:
        lesson, step = self.lesson, self.step
        if lesson is None:
            self.title.setText("Lesson")
            self.counter.setText("")
            self.text.setText(
                markdown_html(
                    IDLE_TEXT
                    if self.document.graph.lesson is None
                    else ("This graph has a lesson: press Restart to play it from step 1.")
                )
            )
            self.task.hide()
            self.back_button.setEnabled(False)
            self.next_button.setEnabled(False)
            self.restart_button.setEnabled(self.document.graph.lesson is not None)
            return
        self.title.setText(lesson.title)
        self.restart_button.setEnabled(True)
        if step is None:
            self.counter.setText("no steps")
            self.text.setText(markdown_html("This lesson has no steps yet."))
            self.task.hide()
            self.back_button.setEnabled(False)
            self.next_button.setEnabled(False)
            return
        total = len(lesson.steps)
        self.counter.setText(f"step {self.index + 1} of {total}")
        self.text.setText(markdown_html(step.text))
        self.back_button.setEnabled(self.index > 0)
        last = self.index == total - 1
        self.next_button.setText("&Finish" if last else "&Next")
        self.next_button.setEnabled(self.can_go_on())
        self._show_task(step, extra)

    def _show_task(self, step: Step, extra: str) -> None:
        session, action = self.session, step.action
        waiting_for_set = _sets(step) and not self._value_set
        asks = bool(step.ask)
        self.task.setVisible(asks or action is not None)
        lines = []
        if session is not None:
            parts = []
            for cell in session.cells:
                state = session.state(cell)
                mark = "✓" if state.solved else ("✗" if state.wrong else "?")
                parts.append(f"{session.symbol(cell)} {mark}")
            self.asked.setText("Fill in: " + "   ".join(parts))
            if self.feedback:
                lines.append(self.feedback)
            cell = self.cell
            if cell is not None:
                state = session.state(cell)
                if state.wrong:
                    lines.append(f"✗ {state.message}")
                else:
                    lines.append(
                        f"Type {session.symbol(cell)} in its box on the canvas, then Enter."
                    )
            elif session.finished:
                lines.append("Every question of this step is answered.")
        elif waiting_for_set and asks:
            self.asked.setText("Questions come once the value is set.")
        else:
            self.asked.setText("")
        self.asked.setVisible(bool(self.asked.text()))
        if extra:
            lines.append(extra)
        self.message.setText("\n\n".join(lines))
        self.message.setVisible(bool(lines))
        open_cell = session is not None and self.cell is not None
        for button in (self.answer_button, self.hint_button, self.reveal_button):
            button.setVisible(session is not None and not session.finished)
            button.setEnabled(open_cell)
        if action is None:
            self.action_label.hide()
            self.do_button.hide()
        else:
            done = self.action_done()
            self.action_label.setText(
                f"{'☑' if done else '☐'} {action_text(self.document, action)}"
            )
            self.action_label.show()
            self.do_button.show()
            self.do_button.setEnabled(not done)


def _sets(step: Step) -> bool:
    return step.action is not None and step.action.kind == "set"
