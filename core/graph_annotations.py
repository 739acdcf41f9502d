"""What a graph carries beside its computation: its lesson, canvas notes and groups.

None of these changes a value.  Each is held by node key (so renames leave it be),
is changed only through the methods here, and goes through the graph's one change
path (``_changed``), so batches, undo and listeners treat it like any other edit.
:class:`GraphAnnotations` is that part of :class:`~dvar.core.graph.Graph`; its state
(``_lesson``, ``_notes``, ``_groups``, ...) is made by ``Graph.__init__``.  The
values themselves live in :mod:`dvar.core.lesson`, :mod:`dvar.core.notes` and
:mod:`dvar.core.groups`.

It imports only the standard library and those core modules; never Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from dvar.core.groups import Group, GroupPath, check_groups, owner_of, without_key
from dvar.core.lesson import Lesson, LessonError
from dvar.core.node import Event, GraphError
from dvar.core.notes import MAX_NOTES, Note, check_note


class GraphAnnotations:
    """The lesson, the notes and the groups (mixed into Graph)."""

    # ----------------------------------------------------------------- lesson
    @property
    def lesson(self) -> Lesson | None:
        """The lesson this graph carries (core/lesson.py), or None."""
        return self._lesson

    def set_lesson(self, lesson: Lesson | None) -> None:
        """Give the graph a lesson, or remove it (None).  Event ``lesson_changed``; it
        changes no value.  Refused when the lesson names a node the graph lacks."""
        if lesson is not None:
            if not isinstance(lesson, Lesson):
                raise GraphError("a lesson must be a core.lesson.Lesson")
            missing = next((k for k in sorted(lesson.keys) if k not in self._nodes), None)
            if missing is not None:
                raise LessonError(f"the lesson names node key {missing}, which is not in the graph")
        if lesson != self._lesson:
            self._put_lesson(lesson)

    def _put_lesson(self, lesson: Lesson | None) -> None:
        old, self._lesson = self._lesson, lesson
        self._changed(Event("lesson_changed"), lambda: self._put_lesson(old))

    # ------------------------------------------------------------------ notes
    @property
    def notes(self) -> Mapping[int, Note]:
        """The canvas notes and frames by key, in drawing order (later ones on top).
        Read it; change it with ``add_note``, ``set_note`` and ``remove_note``."""
        return MappingProxyType(self._notes)

    def add_note(self, note: Note, key: int | None = None) -> int:
        """Place a note or frame and return its key (``key`` re-creates one under the
        key it had, for undo).  Events: ``note_added``, ``note_changed``,
        ``note_removed``, each with the note's key; none of them changes a value."""
        note = check_note(note)
        if len(self._notes) >= MAX_NOTES:
            raise GraphError(f"a graph holds at most {MAX_NOTES:,} notes")
        if key is None:
            key = self._next_note
        elif isinstance(key, bool) or not isinstance(key, int) or key < 0 or key in self._notes:
            raise GraphError(f"note key {key!r} is already in use")
        self._next_note = max(self._next_note, key + 1)
        self._put_note(key, note)
        return key

    def set_note(self, key: int, note: Note) -> None:
        """Replace a note (moved, resized, new text or colour)."""
        self._check_note_key(key)
        note = check_note(note)
        if note != self._notes[key]:
            self._put_note(key, note)

    def remove_note(self, key: int) -> None:
        """Take a note or frame off the canvas."""
        self._check_note_key(key)
        self._put_note(key, None)

    def _check_note_key(self, key: object) -> None:
        if key not in self._notes:
            raise GraphError(f"there is no note {key!r}")

    def _put_note(self, key: int, note: Note | None) -> None:
        """Set or (with None) delete one note; notes stay in key order, which is the
        order they were first placed in, so an undone delete comes back at its depth."""
        notes = self._notes
        old = notes.get(key)
        if note is None:
            del notes[key]
            kind = "note_removed"
        elif old is not None:
            notes[key] = note
            kind = "note_changed"
        else:
            notes[key] = note
            if len(notes) > 1 and key < max(notes):
                self._notes = {k: notes[k] for k in sorted(notes)}
            kind = "note_added"
        self._changed(Event(kind, key), lambda: self._put_note(key, old))

    # ----------------------------------------------------------------- groups
    @property
    def groups(self) -> tuple[Group, ...]:
        """The top-level groups (core/groups.py), each naming its nodes by key.  Read it;
        change it with ``set_groups``."""
        if self._groups_later is not None:
            make, self._groups_later = self._groups_later, None
            self._groups = make()
        return self._groups

    def group_later(self, make: Callable[[], tuple[Group, ...]]) -> None:
        """Let ``make()`` give the groups when they are first read, or before the first
        edge changes: for a graph just built, whose groups are trusted (``make`` reads
        the structure it was built with).  A graph that is only evaluated never pays."""
        self._groups, self._groups_later = (), make

    def set_groups(self, groups: tuple[Group, ...] | list[Group]) -> None:
        """Replace every group (checked: nodes exist, each in at most one group, titles
        plain text).  Event ``groups_changed``; it changes no value."""
        checked = check_groups(groups, self._nodes.__contains__)
        if checked != self.groups:
            self._put_groups(checked, None)

    def _put_groups(self, groups: tuple[Group, ...], owner: dict[int, GroupPath] | None) -> None:
        old = self._groups
        self._groups, self._group_owner = groups, owner
        self._changed(Event("groups_changed"), lambda: self._put_groups(old, None))

    def _leave_group(self, key: int) -> None:
        """Take a node being removed out of its group (an empty group disappears)."""
        if self._group_owner is None:
            self._group_owner = owner_of(self._groups)
        path = self._group_owner.get(key)
        if path is None:
            return
        groups, vanished = without_key(self._groups, path, key)
        owner = None
        if not vanished:  # every other group keeps its path: the cache stays good
            owner = self._group_owner  # undo recomputes it, so it may change in place
            del owner[key]
        self._put_groups(groups, owner)
