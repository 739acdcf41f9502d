"""The open document: a graph, its undo stack, its file, and its current evaluation.

    gesture → command (QUndoStack) → core Graph edit → Graph notifies
            → Document re-evaluates → ``changed`` → scene items and panels update

Views never do maths; they read ``document.evaluation``, and draw over it what
``document.overlay`` adds (a teaching preview; see ``overlay.py``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from dvar import core
from dvar.core import Event, Graph, GraphError
from dvar.gui.document.annotation_commands import SetGroups
from dvar.gui.document.commands import GraphCommand
from dvar.gui.document.field_commands import MoveNodes, SetField, SetValues
from dvar.gui.document.overlay import PLAIN, Overlay

#: Quiet time after an edit before the evaluation plan is compiled.
PREPARE_DELAY_MS = 700

#: Events that cannot change any value or derivative.
COSMETIC = frozenset(
    {
        "moved",
        "label_changed",
        "param_changed",
        "note_added",
        "note_changed",
        "note_removed",
        "groups_changed",
        "lesson_changed",
    }
)


def changes_numbers(events) -> bool:
    """Whether any of these graph events may change a value or a derivative."""
    return any(event.kind not in COSMETIC for event in events)


class Document(QObject):
    """One graph being edited."""

    #: (events, evaluation): emitted after every completed change, evaluation included.
    changed = Signal(list, object)
    #: A message for the status bar (a refused edit, a hint).
    message = Signal(str)
    #: An undo or a redo is about to run (Ctrl+Z, Ctrl+Y, or a jump in the History
    #: panel, one per step): what was said about the state being left no longer holds.
    history_moving = Signal()
    #: (new, old): ``overlay`` was replaced.
    overlay_changed = Signal(object, object)

    def __init__(
        self,
        graph: Graph | None = None,
        path: str | Path | None = None,
        parent: QObject | None = None,
        untitled_name: str = "untitled.dvar",
    ) -> None:
        super().__init__(parent)
        self.graph = graph if graph is not None else Graph()
        self.path: Path | None = Path(path) if path else None
        self.untitled_name = untitled_name
        self.undo_stack = QUndoStack(self)
        self.evaluation: core.Evaluation = core.evaluate(self.graph, compile=False)
        self.evaluations = 1  # how many times this document has evaluated (for tests/benchmarks)
        #: The command whose redo or undo is making the change ``changed`` announces
        #: (its ``applied`` says which way), or None for a change made outside the
        #: undo stack.  Meaningful only while ``changed`` is being handled.
        self.command: GraphCommand | None = None
        #: What the teaching previews show over the graph; PLAIN when none is on.
        self.overlay: Overlay = PLAIN
        #: Why the graph may not change now (practice is on: the answers would), or
        #: None.  ``run`` refuses every edit but moving nodes while it is set.
        self.locked: str | None = None
        self.graph.subscribe(self._on_graph_changed)
        # Compiling the evaluation plan makes value edits on big graphs several times
        # faster, but takes a moment: do it when the user pauses, never mid-gesture.
        self._prepare_timer = QTimer(self)
        self._prepare_timer.setSingleShot(True)
        self._prepare_timer.setInterval(PREPARE_DELAY_MS)
        self._prepare_timer.timeout.connect(lambda: core.prepare(self.graph))
        self._prepare_timer.start()

    @classmethod
    def open(cls, path: str | Path, parent: QObject | None = None) -> Document:
        """Load a file; raises core.FileFormatError with a one-line reason."""
        return cls(core.load(path), path, parent)

    @classmethod
    def lecture(cls, parent: QObject | None = None) -> Document:
        """The graph dvar opens with: the lecture's J = 3(a + bc), as an untitled copy."""
        return cls.example("lecture", parent)

    @classmethod
    def example(cls, name: str, parent: QObject | None = None) -> Document:
        """An example as an untitled copy, so Save never writes into the installed package."""
        return cls(core.load(core.example_path(name)), None, parent, f"{name}.dvar")

    @property
    def name(self) -> str:
        """The document name for the title bar."""
        return self.path.name if self.path else self.untitled_name

    def run(self, command: GraphCommand) -> bool:
        """Do an edit through the undo stack.  A refused edit changes nothing and says why."""
        if self.locked is not None and not _allowed_while_locked(command):
            what = "a value" if _changes_values(command) else "the graph"
            command.error = GraphError(
                f"Leave {self.locked} to change {what}: the answers would change"
            )
            self.message.emit(str(command.error))
            return False
        command.on_replay = self.history_moving.emit
        command.on_run = self._command_running
        self.undo_stack.push(command)
        if command.error is not None:
            self.message.emit(f"Refused: {command.error}")
            return False
        return True

    def set_overlay(self, overlay: Overlay) -> None:
        """Show another overlay (a preview starts, moves on, or ends)."""
        if overlay != self.overlay:
            old, self.overlay = self.overlay, overlay
            self.overlay_changed.emit(overlay, old)

    def detach(self) -> None:
        """Stop following the graph (for a document made only to draw it once)."""
        self._prepare_timer.stop()
        self.graph.unsubscribe(self._on_graph_changed)

    def save(self, path: str | Path) -> None:
        """Write the graph atomically; OSError propagates with the reason."""
        core.save(self.graph, path)
        self.path = Path(path)
        self.undo_stack.setClean()

    def _command_running(self, command: GraphCommand | None) -> None:
        self.command = command

    def _on_graph_changed(self, events: list[Event]) -> None:
        if changes_numbers(events):
            self.evaluation = core.evaluate(self.graph, compile=False)
            self.evaluations += 1
            self._prepare_timer.start()
        self.changed.emit(events, self.evaluation)


def _allowed_while_locked(command: GraphCommand) -> bool:
    """Moving nodes, and grouping, expanding or collapsing them, changes no answer;
    every other edit may."""
    return isinstance(command, MoveNodes | SetGroups) or (
        isinstance(command, SetField) and command.field == "position"
    )


def _changes_values(command: GraphCommand) -> bool:
    return isinstance(command, SetValues) or (
        isinstance(command, SetField) and command.field == "value"
    )
