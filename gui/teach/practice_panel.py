"""The Practice dock: what to hide, in which order, help for the cell at hand, and the score.

It runs a :class:`PracticeSession` on the window's document: the session's marks go
into the document's overlay (the canvas and the derivative panel draw them), the
answer box sits over the cell being answered, and the document is locked so the
answers cannot change under the learner.  Leaving practice gives back the plain
view, unlocks the document and forgets the answers.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dvar import core
from dvar.core.problems import LEVELS
from dvar.gui.canvas.look import TEXT_LOD
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.canvas.view import GraphView
from dvar.gui.document.document import Document, changes_numbers
from dvar.gui.document.overlay import Cell
from dvar.gui.teach.practice import KIND_TITLES, KINDS, PracticeSession
from dvar.gui.teach.practice_box import AnswerBox, cell_rect

IDLE_TEXT = (
    "Hide the numbers, then work them out: type each into its box on the canvas and "
    "press Enter. Teach → Practice (P) starts and leaves."
)
ORDERS = ("Right to left", "Any order")


def problem_text(document: Document) -> str:
    """``Level 2, seed 4217: a variable used twice`` for a generated problem, else ""."""
    made = document.graph.extra.get("practice")
    if not isinstance(made, dict) or "level" not in made or "seed" not in made:
        return ""
    level = made["level"]
    about = LEVELS.get(level, "")
    return f"Level {level}, seed {made['seed']}" + (f": {about}" if about else "")


class PracticePanel(QScrollArea):
    """Practice controls for the window's "Practice" dock (scrolling in a small window,
    so the docks it shares a place with keep their room)."""

    #: The session started (the session) or ended (None).
    session_changed = Signal(object)

    def __init__(self, document: Document, scene: GraphScene, view: GraphView, parent=None):
        super().__init__(parent)
        self.document, self.scene, self.view = document, scene, view
        self.session: PracticeSession | None = None
        self.box: AnswerBox | None = None
        self.cell: Cell | None = None
        #: What was said about the last answer checked ("✓ dv = 3: right").
        self.feedback = ""
        body = QWidget()
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)

        self.problem = QLabel(problem_text(document))
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setWordWrap(True)
        self.problem.setObjectName("practice_problem")
        font = self.problem.font()
        font.setBold(True)
        self.problem.setFont(font)
        self.problem.setVisible(bool(self.problem.text()))
        layout.addWidget(self.problem)

        setup = QGroupBox("Hide")
        setup_layout = QVBoxLayout(setup)
        row = QHBoxLayout()
        self.hide_boxes: dict[str, QCheckBox] = {}
        for kind in KINDS:
            box = QCheckBox(KIND_TITLES[kind])
            box.setChecked(kind == "grad")
            box.toggled.connect(self._options_changed)
            self.hide_boxes[kind] = box
            row.addWidget(box)
        row.addStretch(1)
        setup_layout.addLayout(row)
        row = QHBoxLayout()
        self.order = QComboBox()
        self.order.addItems(ORDERS)
        self.order.setAccessibleName("Order of the cells")
        self.order.setToolTip(
            "Right to left: a derivative opens once the cells it is built from are solved"
        )
        self.order.currentIndexChanged.connect(self._options_changed)
        row.addWidget(self.order, 1)
        self.start_button = QPushButton("Start")
        self.start_button.setToolTip("Start or leave practice (P)")
        self.start_button.clicked.connect(self.toggle)
        row.addWidget(self.start_button)
        setup_layout.addLayout(row)
        layout.addWidget(setup)

        cell = QGroupBox("This cell")
        cell_layout = QVBoxLayout(cell)
        self.cell_title = QLabel("")
        self.cell_title.setTextFormat(Qt.TextFormat.PlainText)
        self.cell_title.setObjectName("practice_cell")
        cell_layout.addWidget(self.cell_title)
        self.message = QLabel(IDLE_TEXT)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setObjectName("practice_message")
        self.message.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 4)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        cell_layout.addWidget(self.message)
        row = QHBoxLayout()
        self.hint_button = QPushButton("Hint")
        self.hint_button.setToolTip("A hint for this cell: three, from vague to specific")
        self.reveal_button = QPushButton("Reveal")
        self.reveal_button.setToolTip("Give this cell away (counted as revealed)")
        self.nudge_button = QPushButton("Nudge")
        self.nudge_button.setToolTip("Check by experiment: bump the node by 0.001 and watch")
        for button in (self.hint_button, self.reveal_button, self.nudge_button):
            row.addWidget(button)
        cell_layout.addLayout(row)
        layout.addWidget(cell)

        score = QGroupBox("Progress")
        score_layout = QVBoxLayout(score)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        score_layout.addWidget(self.progress)
        self.score = QLabel("")
        self.score.setTextFormat(Qt.TextFormat.PlainText)
        self.score.setWordWrap(True)
        self.score.setObjectName("practice_score")
        score_layout.addWidget(self.score)
        layout.addWidget(score)
        layout.addStretch(1)

        self.hint_button.clicked.connect(self.hint)
        self.reveal_button.clicked.connect(self.reveal)
        self.nudge_button.clicked.connect(self.nudge)
        document.changed.connect(self._on_document_changed)
        scene.selectionChanged.connect(self._on_selection)
        self._show()

    # ------------------------------------------------------------------ state
    @property
    def active(self) -> bool:
        return self.session is not None

    def status_text(self) -> str:
        """The status bar while practising: ``Practice · Level 2, seed 4217 · 3 of 7 solved``."""
        if self.session is None:
            return ""
        problem = problem_text(self.document).split(":")[0]
        parts = ["Practice", problem, self.session.score().progress()]
        return " · ".join(part for part in parts if part)

    def kinds(self) -> tuple[str, ...]:
        return tuple(kind for kind, box in self.hide_boxes.items() if box.isChecked())

    def toggle(self) -> None:
        if self.active:
            self.stop()
        else:
            self.start()

    def start(self) -> bool:
        """Hide the chosen cells and lock the graph.  Refused, with a message, when there
        is nothing to practise (no output chosen, or nothing chosen to hide)."""
        self.stop()
        document = self.document
        if document.evaluation.output is None:
            document.message.emit("Choose an output first: practice works back from it")
            return False
        kinds = self.kinds()
        if not kinds:
            document.message.emit("Choose what to hide first: derivatives, local ones, values")
            return False
        session = PracticeSession(
            document,
            kinds,
            any_order=self.order.currentIndex() == 1,
            notation=self.scene.notation,
            chips=self.scene.chips,
            parent=self,
        )
        if not session.cells:
            document.message.emit("This graph has nothing of that kind to hide")
            return False
        self.session = session
        session.changed.connect(self._on_session_changed)
        document.locked = "practice"
        self.box = AnswerBox(self.view)
        self.box.submitted.connect(self.answer)
        self.box.moved.connect(self._move)
        self.scene.changed.connect(self.box.place)  # a node moved, or the view zoomed
        self.session_changed.emit(session)
        self._on_session_changed()
        self.go_to(session.next_open())
        QTimer.singleShot(0, self._readable)  # after a new document's first fit
        return True

    def stop(self) -> None:
        """Leave practice: the plain view, the graph unlocked, the answers forgotten."""
        session = self.session
        if session is None:
            return
        self.session = None
        self.cell = None
        self.feedback = ""
        if self.box is not None:
            self.scene.changed.disconnect(self.box.place)
            self.box.put_away()
            self.box.deleteLater()
            self.box = None
        self.document.locked = None
        self.document.set_overlay(self.document.overlay.without_practice())
        self.session_changed.emit(None)
        session.undo_stack.clear()
        session.deleteLater()
        self._show()

    # ------------------------------------------------------------------ cells
    def go_to(self, cell: Cell | None) -> None:
        """Make ``cell`` the one being answered: the box moves over it."""
        session = self.session
        if session is None or self.box is None:
            return
        self.cell = cell
        if cell is None:
            self.box.put_away()
        else:
            mark = session.mark(cell)
            self.box.set_state(mark.state)
            self._show_cell()  # the view follows the answers across a big graph
            self.box.open(cell, mark.tip)
        self._show()

    def _readable(self) -> None:
        """Zoomed out so far that nodes are blocks, the cells cannot be read: zoom in
        to where they can, and show the cell at hand."""
        if self.session is None or not shiboken6.isValid(self.view):
            return
        if self.view.zoom() < TEXT_LOD:
            self.view.zoom_by(TEXT_LOD * 1.01 / self.view.zoom())
        self._show_cell()

    def _show_cell(self) -> None:
        rect = cell_rect(self.view, self.cell) if self.cell is not None else None
        if rect is not None:
            self.view.ensureVisible(rect, 80, 60)
            if self.box is not None:
                self.box.place()

    def answer(self, cell: Cell, text: str) -> None:
        """Check what was typed into ``cell``; a right answer moves on to the next cell."""
        session = self.session
        if session is None:
            return
        state = session.answer(cell, text)
        if state is None:
            return
        self.feedback = f"✓ {session.symbol(cell)} = {text.strip()}: right." if state.solved else ""
        if state.solved:
            self.go_to(session.next_open(cell))
        else:
            self.go_to(cell)

    def hint(self) -> None:
        if self.session is None or self.cell is None:
            return
        text = self.session.hint(self.cell)
        if text is not None:
            self._show(extra=f"Hint {self.session.state(self.cell).hints}: {text}")
            self._refocus()

    def reveal(self) -> None:
        if self.session is None or self.cell is None:
            return
        cell = self.cell
        self.session.reveal(cell)
        self.go_to(self.session.next_open(cell))

    def nudge(self) -> None:
        if self.session is None or self.cell is None:
            return
        try:
            text = self.session.nudge(self.cell)
        except core.GraphError as error:  # a nudge that cannot run says why
            text = f"Cannot nudge: {error}"
        self._show(extra=text)
        self._refocus()

    def _move(self, step: int) -> None:
        if self.session is not None:
            self.go_to(self.session.next_open(self.cell, step) or self.cell)

    def _refocus(self) -> None:
        if self.box is not None and self.cell is not None:
            self.box.open(self.cell, self.session.mark(self.cell).tip)

    # ------------------------------------------------------------- following
    def _on_session_changed(self) -> None:
        session = self.session
        if session is None:
            return
        self.document.set_overlay(self.document.overlay.but(cells=session.marks()))
        if self.cell is not None and not session.is_open(self.cell):
            self.go_to(session.next_open())  # solved, or closed again by an undo
            return
        if self.cell is not None and self.box is not None:
            self.box.set_state(session.mark(self.cell).state)
        if self.cell is None and not session.finished:
            self.go_to(session.next_open())  # an undo opened a cell again
            return
        self._show()

    def _on_document_changed(self, events, evaluation) -> None:
        if self.active and changes_numbers(events):
            self.stop()  # the numbers changed: the answers no longer hold
            self.document.message.emit("The graph changed, so practice ended")

    def _on_selection(self) -> None:
        """Choosing a node (or an edge) on the canvas moves the box to its open cell."""
        if self.session is None or not shiboken6.isValid(self.scene):
            return  # not practising, or the window is closing and its scene is gone
        keys = self.scene.selected_keys()
        edges = self.scene.selected_edges()
        if len(keys) == 1 and not edges:
            self.choose(keys[0])
        elif len(edges) == 1 and not keys:
            self._choose_first([("partial", *edges[0])])

    def choose(self, key: int) -> None:
        """Move the box to a node's open cell (its derivative, else its value), if any."""
        self._choose_first([("grad", key, 0), ("value", key, 0)])

    def _choose_first(self, wanted: list[Cell]) -> None:
        session = self.session
        if session is None:
            return
        for cell in wanted:
            if cell in session.cells and session.is_open(cell) and cell != self.cell:
                self.go_to(cell)
                return

    def set_notation(self, notation: str) -> None:
        """Name the cells in the notation the canvas uses (``db``, ``∂J/∂b``, ``b.grad``)."""
        if self.session is not None and notation != self.session.notation:
            self.session.notation = notation
            self._on_session_changed()

    def _options_changed(self, *_) -> None:
        if self.active:
            self.start()  # practise the new choice from a clean slate

    def _show(self, extra: str = "") -> None:
        """Fill the panel from the session: the cell at hand, its message, the score."""
        session, cell = self.session, self.cell
        active = session is not None
        self.start_button.setText("Leave" if active else "Start")
        for button in (self.hint_button, self.reveal_button, self.nudge_button):
            button.setEnabled(active and cell is not None)
        if session is None:
            self.cell_title.setText("")
            self.message.setText(IDLE_TEXT)
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.progress.setFormat("Not practising")
            self.score.setText("")
            return
        score = session.score()
        self.progress.setRange(0, max(1, score.total))
        self.progress.setValue(score.solved)
        self.progress.setFormat(score.progress())
        self.score.setText(score.summary())
        if cell is None:
            self.cell_title.setText("All solved" if session.finished else "")
            done = (
                "Every cell is solved. Leave practice (P) to see the graph as it is."
                if session.finished
                else "Choose a cell on the canvas."
            )
            self.message.setText("\n\n".join(filter(None, (self.feedback, done))))
            return
        symbol = session.symbol(cell)
        state = session.state(cell)
        self.cell_title.setText(f"{symbol} = {state.answer if state.wrong else '?'}")
        if cell[0] == "value":
            self.nudge_button.setEnabled(False)
            self.nudge_button.setToolTip("A value is worked out from its operands")
        else:
            kind, key, slot = cell
            graph = self.document.graph
            node = graph.node(key).inputs[slot] if kind == "partial" else key
            watched = graph.id_of(key) if kind == "partial" else session.evaluation.output
            self.nudge_button.setText(f"Nudge {graph.id_of(node)}")
            self.nudge_button.setToolTip(f"Bump {graph.id_of(node)} by 0.001 and watch {watched}")
        lines = [self.feedback] if self.feedback else []
        if state.wrong:
            lines.append(f"✗ {state.message}")
        elif state.message:
            lines.append(state.message)
        else:
            lines.append(f"Type {symbol} in its box on the canvas and press Enter.")
        if extra:
            lines.append(extra)
        self.message.setText("\n\n".join(lines))
