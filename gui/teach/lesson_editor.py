"""The lesson editor (Teach → Edit Lesson…): a teacher writes the lesson a graph carries.

A window beside the canvas holds the lesson's title and its steps (add, remove,
reorder), and for the chosen step: its text with a live preview, its spotlight, the
cells it hides or asks, and the action it wants the learner to take.  While the
editor is open the canvas shows the chosen step as the player will (the spotlight,
hidden cells as empty boxes, asked ones as ``?``), and a click on the canvas picks:

- on a node's name, the node goes into the spotlight, or out of it;
- on a value, a derivative or an edge's label (backward view), the cell goes
  shown → hidden → asked → shown.

The same is at hand from the keyboard: the buttons under the cells act on the nodes
and the edge selected on the canvas.

Every change is one ``SetLesson`` command on the document's undo stack, so Undo takes
it back and Save writes it with the file.  The editor keeps no lesson of its own: it
reads ``graph.lesson`` again after each change, an undo included.  How a step changes
and what a click picks are in ``lesson_cells.py``; the rows of the chosen step's
spotlight, cells and action are :class:`~dvar.gui.teach.lesson_step_fields.StepFields`.
"""

from __future__ import annotations

import dataclasses

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QMouseEvent, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dvar.core.graph import Graph
from dvar.core.lesson import (
    MAX_STEPS,
    MAX_TITLE,
    Lesson,
    LessonError,
    Step,
    check_text,
)
from dvar.core.markup import markdown_html, plain_text
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.canvas.view import GraphView
from dvar.gui.document.annotation_commands import SetLesson
from dvar.gui.document.document import Document
from dvar.gui.document.overlay import Mark
from dvar.gui.teach.lesson_cells import (
    pick_at,
    with_step,
    with_step_inserted,
    with_step_moved,
    with_step_removed,
)
from dvar.gui.teach.lesson_step_fields import StepFields, buddy_label

#: How long typing may pause before the text becomes one undoable change.
TEXT_PAUSE_MS = 900
#: How the canvas shows the chosen step's cells while the editor is open.
HIDDEN_MARK = Mark("", "waiting", "Hidden in this step")
ASKED_MARK = Mark("?", "open", "Asked in this step: the learner fills it in")
#: The editor's width when it first opens: about that of the window's right-hand panels.
FIRST_WIDTH = 400
NEW_STEP_TEXT = "Write what the learner should look at, or do, in this step."


class _CanvasPicker(QObject):
    """Watches the canvas for clicks while the editor is open; a click that picks
    something is the editor's, and starts no gesture (no move, no selection)."""

    def __init__(self, editor: LessonEditor) -> None:
        super().__init__(editor)
        self.editor = editor

    def eventFilter(self, watched, event: QEvent) -> bool:  # noqa: N802 (as Qt names it)
        kinds = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)
        if event.type() not in kinds or not isinstance(event, QMouseEvent):
            return False
        if event.button() != Qt.MouseButton.LeftButton or event.modifiers():
            return False
        view = self.editor.view
        if not self.editor.picking():
            return False
        picked = pick_at(view, view.mapToScene(event.position().toPoint()))
        if picked is None:
            return False
        what, target = picked
        if what == "spotlight":
            self.editor.toggle_spotlight([target])
        else:
            self.editor.cycle_cells([target])
        event.accept()
        return True


# ------------------------------------------------------------------- the window
class LessonEditor(StepFields, QDialog):
    """Edit the lesson of the window's document (one editor per window)."""

    def __init__(self, document: Document, scene: GraphScene, view: GraphView, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("lesson_editor")
        self.setWindowTitle("Edit Lesson")
        self.setModal(False)
        self.document: Document | None = None
        self.scene, self.view = scene, view
        #: The step shown, by index; 0 when the lesson has none.
        self.current = 0
        #: True while the fields are being filled from the lesson (no edits then).
        self._filling = False
        #: True while this editor's preview is on the document's overlay.
        self._previewing = False
        #: True once the editor has been put beside the canvas (the first time it shows).
        self._placed = False
        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(TEXT_PAUSE_MS)
        self._text_timer.timeout.connect(self.commit_text)
        self._picker = _CanvasPicker(self)
        self._build()
        view.viewport().installEventFilter(self._picker)
        self.set_document(document, scene, view)
        # The window's Undo and Redo, here too (a text field keeps them for its typing).
        QShortcut(QKeySequence.StandardKey.Undo, self, lambda: self._history("undo"))
        QShortcut(QKeySequence.StandardKey.Redo, self, lambda: self._history("redo"))
        self.resize(FIRST_WIDTH, 700)

    # ------------------------------------------------------------ building
    def _build(self) -> None:
        self.pages = QStackedWidget()
        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        self.empty_label = QLabel("This graph has no lesson yet.")
        self.create_button = QPushButton("&Create Lesson")
        self.create_button.clicked.connect(self.create_lesson)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addWidget(self.create_button, 0, Qt.AlignmentFlag.AlignLeft)
        empty_layout.addStretch(1)
        self.pages.addWidget(empty)
        self.pages.addWidget(self._build_lesson_page())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        self.message = QLabel()
        self.message.setObjectName("lesson_editor_message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _build_lesson_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)

        title_row = QHBoxLayout()
        self.title_edit = QLineEdit()
        self.title_edit.setMaxLength(MAX_TITLE)
        self.title_edit.editingFinished.connect(self._title_edited)
        self.delete_button = QPushButton("Delete Lesso&n")
        self.delete_button.setToolTip("Take the lesson out of this graph (Undo brings it back)")
        self.delete_button.clicked.connect(self.delete_lesson)
        title_row.addWidget(self.title_edit, 1)
        title_row.addWidget(self.delete_button)
        form.addRow(buddy_label("&Title:", self.title_edit), title_row)

        steps_row = QHBoxLayout()
        self.step_list = QListWidget()
        self.step_list.setObjectName("lesson_steps")
        self.step_list.currentRowChanged.connect(self._step_chosen)
        self.step_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.step_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        steps_row.addWidget(self.step_list, 1)
        step_buttons = QVBoxLayout()
        self.add_button = QPushButton("&Add Step")
        self.add_button.setToolTip("A new step after the chosen one")
        self.remove_button = QPushButton("&Remove Step")
        self.up_button = QPushButton("Move &Up")
        self.down_button = QPushButton("Move Do&wn")
        self.add_button.clicked.connect(self.add_step)
        self.remove_button.clicked.connect(self.remove_step)
        self.up_button.clicked.connect(lambda: self.move_step(-1))
        self.down_button.clicked.connect(lambda: self.move_step(1))
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            step_buttons.addWidget(button)
        step_buttons.addStretch(1)
        steps_row.addLayout(step_buttons)
        form.addRow(buddy_label("&Steps:", self.step_list), steps_row)

        self.text_edit = QPlainTextEdit()
        self.text_edit.setObjectName("lesson_text")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setPlaceholderText("*emphasis*, **strong**, `code`, - lists, 1. lists")
        self.text_edit.textChanged.connect(self._text_typed)
        self.text_edit.installEventFilter(self)
        form.addRow("Te&xt:", self.text_edit)
        self.preview = QTextBrowser()
        self.preview.setObjectName("lesson_preview")
        self.preview.setOpenLinks(False)
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        form.addRow("Preview:", self.preview)

        self._build_step_rows(form)

        self.hint = QLabel(
            "On the canvas: click a node's name to spotlight it; click its value, its "
            "derivative or (backward view, B) an edge's label to hide it, again to ask "
            "it, and again to show it. Hold Ctrl to select or move nodes as usual."
        )
        self.hint.setWordWrap(True)
        self.hint.setEnabled(False)  # drawn muted: it explains, it does nothing
        form.addRow(self.hint)
        return page

    # ------------------------------------------------------------ documents
    def set_document(self, document: Document, scene: GraphScene, view: GraphView) -> None:
        """Edit another document's lesson (the window opened a file)."""
        old = self.document
        if old is not None and shiboken6.isValid(old):
            self.commit_text()
            self._clear_preview()
            old.changed.disconnect(self._on_document_changed)
        self.document, self.scene = document, scene
        if view is not self.view:
            self.view.viewport().removeEventFilter(self._picker)
            self.view = view
            view.viewport().installEventFilter(self._picker)
        document.changed.connect(self._on_document_changed)
        self.current = 0
        self.message.clear()
        self.refresh()

    @property
    def graph(self) -> Graph:
        return self.document.graph

    @property
    def lesson(self) -> Lesson | None:
        return self.document.graph.lesson

    def step(self) -> Step | None:
        lesson = self.lesson
        if lesson is None or not lesson.steps:
            return None
        return lesson.steps[min(self.current, len(lesson.steps) - 1)]

    def _history(self, way: str) -> None:
        self.commit_text()
        stack = self.document.undo_stack
        if way == "undo":
            stack.undo()
        else:
            stack.redo()

    def picking(self) -> bool:
        """True when a click on the canvas is the editor's: it is open on a step."""
        return self.isVisible() and self.step() is not None and self.document.locked is None

    def _on_document_changed(self, events, evaluation) -> None:
        if any(e.kind in ("lesson_changed", "renamed", "node_removed") for e in events):
            self.refresh()

    # ------------------------------------------------------------ edits
    def _run(self, lesson: Lesson | None, text: str) -> bool:
        """Hand one change to the document's undo stack; False (and why) if refused."""
        self.message.clear()
        command = SetLesson(self.graph, lesson, text)
        if not self.document.run(command):
            self.message.setText(str(command.error or "The lesson cannot change now"))
            return False
        return True  # the graph says "lesson_changed", and the fields follow

    def _change_step(self, step: Step, text: str) -> bool:
        lesson = self.lesson
        if lesson is None or not lesson.steps:
            return False
        return self._run(with_step(lesson, self._index(), step), text)

    def _index(self) -> int:
        lesson = self.lesson
        return 0 if lesson is None else max(0, min(self.current, len(lesson.steps) - 1))

    def create_lesson(self) -> None:
        title = self.graph.extra.get("title") if hasattr(self.graph, "extra") else None
        if not isinstance(title, str) or not title.strip():
            title = "Untitled lesson"
        title = title.strip()[:MAX_TITLE]
        self.current = 0
        if self._run(Lesson(title, (Step(NEW_STEP_TEXT),)), "Create lesson"):
            self.text_edit.setFocus()
            self.text_edit.selectAll()

    def delete_lesson(self) -> None:
        self.commit_text()
        self._run(None, "Delete lesson")

    def _title_edited(self) -> None:
        if self._filling or self.lesson is None:
            return
        title = self.title_edit.text().strip()
        if title == self.lesson.title:
            return
        if not title or not title.isprintable():
            self.message.setText("A lesson's title is one line of text, not empty")
            self.title_edit.setText(self.lesson.title)
            return
        self._run(Lesson(title, self.lesson.steps), "Rename lesson")

    def add_step(self) -> None:
        self.commit_text()
        lesson = self.lesson
        if lesson is None:
            self.create_lesson()
            return
        if len(lesson.steps) >= MAX_STEPS:
            self.message.setText(f"A lesson has at most {MAX_STEPS} steps")
            return
        at = self._index() + 1 if lesson.steps else 0
        # A new step keeps the spotlight of the one it follows: the next idea usually
        # happens in the same corner of the graph.
        spotlight = lesson.steps[at - 1].spotlight if lesson.steps else ()
        self.current = at
        if self._run(with_step_inserted(lesson, at, Step(NEW_STEP_TEXT, spotlight)), "Add step"):
            self.text_edit.setFocus()
            self.text_edit.selectAll()

    def remove_step(self) -> None:
        self._text_timer.stop()
        lesson = self.lesson
        if lesson is None or len(lesson.steps) < 2:
            return
        index = self._index()
        self._run(with_step_removed(lesson, index), f"Remove step {index + 1}")

    def move_step(self, delta: int) -> None:
        self.commit_text()
        lesson = self.lesson
        if lesson is None or not lesson.steps:
            return
        index = self._index()
        to = index + delta
        if not 0 <= to < len(lesson.steps):
            return
        self.current = to
        self._run(with_step_moved(lesson, index, to), f"Move step {index + 1} to {to + 1}")

    def choose_step(self, index: int) -> None:
        """Show step ``index`` (from 0), its text saved first."""
        self.commit_text()
        self.current = index
        self.refresh()

    def commit_text(self) -> None:
        """Make the text typed so far one undoable change (when it differs)."""
        self._text_timer.stop()
        step = self.step()
        if step is None or self._filling or not shiboken6.isValid(self.text_edit):
            return
        text = self.text_edit.toPlainText()
        if text == step.text:
            return
        number = self._index() + 1
        try:
            check_text(text, f"step {number}")
        except LessonError as error:
            self.message.setText(str(error))
            return
        self._change_step(dataclasses.replace(step, text=text), f"Edit step {number}'s text")

    # ------------------------------------------------------------ showing
    def refresh(self) -> None:
        """Fill every field from the graph's lesson, and show the chosen step on the canvas."""
        if self.document is None:
            return
        lesson = self.lesson
        self.setWindowTitle(f"Edit Lesson — {self.document.name}")
        if lesson is None:
            self.pages.setCurrentIndex(0)
            self._clear_preview()
            return
        self.pages.setCurrentIndex(1)
        self.current = self._index()
        filling, self._filling = self._filling, True
        try:
            if not self.title_edit.hasFocus() or self.title_edit.text() != lesson.title:
                self.title_edit.setText(lesson.title)
            self._fill_steps(lesson)
            step = self.step()
            has_step = step is not None
            for widget in (
                self.remove_button,
                self.text_edit,
                self.spotlight_button,
                self.clear_spotlight_button,
                self.cell_list,
                self.value_button,
                self.grad_button,
                self.edge_button,
                self.show_button,
                self.action_kind,
            ):
                widget.setEnabled(has_step)
            self.up_button.setEnabled(has_step and self.current > 0)
            self.down_button.setEnabled(has_step and self.current < len(lesson.steps) - 1)
            self.add_button.setEnabled(len(lesson.steps) < MAX_STEPS)
            # A lesson keeps one step at least (one with none cannot be played);
            # Delete Lesson takes the whole of it away.
            self.remove_button.setEnabled(len(lesson.steps) > 1)
            if step is None:
                self.text_edit.clear()
                self.preview.clear()
                self.spotlight_label.setText("")
                self.cell_list.clear()
                self._fill_action_fields("", None)
            else:
                if self.text_edit.toPlainText() != step.text and not self._text_timer.isActive():
                    self.text_edit.setPlainText(step.text)
                self._show_preview_text()
                self._fill_step(step)
        finally:
            self._filling = filling
        self._preview()

    def _fill_steps(self, lesson: Lesson) -> None:
        blocked = self.step_list.blockSignals(True)
        try:
            self.step_list.clear()
            for number, step in enumerate(lesson.steps, 1):
                lines = plain_text(step.text).strip().splitlines()
                first = lines[0] if lines else "(no text)"
                item = QListWidgetItem(f"{number}.  {first}")
                item.setToolTip(step.text[:500])
                self.step_list.addItem(item)
            if lesson.steps:
                self.step_list.setCurrentRow(self.current)
        finally:
            self.step_list.blockSignals(blocked)

    def _show_preview_text(self) -> None:
        self.preview.setHtml(markdown_html(self.text_edit.toPlainText()))

    def _text_typed(self) -> None:
        if self._filling:
            return
        self._show_preview_text()
        self._text_timer.start()

    def _step_chosen(self, row: int) -> None:
        if row >= 0 and row != self.current:
            self.choose_step(row)

    def eventFilter(self, watched, event: QEvent) -> bool:  # noqa: N802 (as Qt names it)
        if watched is self.text_edit and event.type() == QEvent.Type.FocusOut:
            self.commit_text()
        return False

    def _preview(self) -> None:
        """The chosen step on the canvas: its spotlight, hidden cells empty, asked ones ``?``."""
        step = self.step()
        if step is None or not self.isVisible() or self.document.locked is not None:
            self._clear_preview()
            return
        cells = {cell: HIDDEN_MARK for cell in step.hide}
        cells.update({cell: ASKED_MARK for cell in step.ask})
        spotlight = frozenset(step.spotlight) or None
        self.document.set_overlay(self.document.overlay.but(cells=cells, spotlight=spotlight))
        self._previewing = True

    def _clear_preview(self) -> None:
        if self._previewing and shiboken6.isValid(self.document):
            self.document.set_overlay(self.document.overlay.but(cells={}, spotlight=None))
        self._previewing = False

    def showEvent(self, event) -> None:  # noqa: N802 (as Qt names it)
        super().showEvent(event)
        if not self._placed and self.parentWidget() is not None:
            self._placed = True
            QTimer.singleShot(0, self._place)  # once the layout knows its real sizes
        self.refresh()

    def _place(self) -> None:
        """Over the window's right-hand panels, not over the graph being picked from."""
        self.resize(max(FIRST_WIDTH, self.minimumSizeHint().width()), self.height())
        frame = self.parentWidget().frameGeometry()
        self.move(frame.right() - self.frameGeometry().width() - 8, frame.top() + 60)

    def hideEvent(self, event) -> None:  # noqa: N802 (as Qt names it)
        self.commit_text()
        self._clear_preview()
        super().hideEvent(event)
