"""The commands for what the graph carries beside its nodes, none of which changes a
value: canvas notes and frames (core/notes.py), groups (core/groups.py) and the
lesson (core/lesson.py).  Each is a ``GraphCommand`` (``commands.py``).

May import dvar.core, QtGui and the document room.
"""

from __future__ import annotations

from dvar.core import Graph
from dvar.core.groups import Group
from dvar.core.lesson import Lesson
from dvar.core.notes import Note
from dvar.gui.document.commands import GraphCommand


class AddNote(GraphCommand):
    """Place a canvas note or frame (core/notes.py); ``key`` is its key once placed."""

    def __init__(self, graph: Graph, note: Note, text: str = "") -> None:
        super().__init__(graph, text or f"Add {note.kind}")
        self.note = note
        self.key: int | None = None

    def apply(self) -> None:
        self.key = self.graph.add_note(self.note, self.key)

    def revert(self) -> None:
        self.graph.remove_note(self.key)


class SetNote(GraphCommand):
    """Change one note or frame: moved, resized, new text or colour."""

    def __init__(self, graph: Graph, key: int, new: Note, text: str = "") -> None:
        old = graph.notes[key]
        super().__init__(graph, text or f"Edit {old.kind}")
        self.key, self.old, self.new = key, old, new

    def apply(self) -> None:
        self.graph.set_note(self.key, self.new)

    def revert(self) -> None:
        self.graph.set_note(self.key, self.old)


class RemoveNotes(GraphCommand):
    """Take notes and frames off the canvas; undo puts each back at its depth."""

    def __init__(self, graph: Graph, keys: list[int]) -> None:
        self.removed = {key: graph.notes[key] for key in sorted(set(keys))}
        kinds = {note.kind for note in self.removed.values()}
        what = kinds.pop() if len(kinds) == 1 else "note"
        count = len(self.removed)
        super().__init__(graph, f"Delete {what}" if count == 1 else f"Delete {count} {what}s")

    def apply(self) -> None:
        for key in self.removed:
            self.graph.remove_note(key)

    def revert(self) -> None:
        for key, note in self.removed.items():
            self.graph.add_note(note, key)


class SetGroups(GraphCommand):
    """Replace the graph's groups (core/groups.py): group, ungroup, collapse, expand,
    retitle.  ``groups`` is the whole new tuple; undo puts back the old one."""

    def __init__(self, graph: Graph, groups: tuple[Group, ...], text: str) -> None:
        super().__init__(graph, text)
        self.old, self.new = graph.groups, tuple(groups)

    def apply(self) -> None:
        self.graph.set_groups(self.new)

    def revert(self) -> None:
        self.graph.set_groups(self.old)


class SetLesson(GraphCommand):
    """Give the graph a lesson, change it, or remove it (None): the lesson editor's every
    change.  Undo puts back the lesson as it was.  No value changes."""

    def __init__(self, graph: Graph, lesson: Lesson | None, text: str = "Edit lesson") -> None:
        super().__init__(graph, text)
        self.old, self.new = graph.lesson, lesson

    def apply(self) -> None:
        self.graph.set_lesson(self.new)

    def revert(self) -> None:
        self.graph.set_lesson(self.old)
