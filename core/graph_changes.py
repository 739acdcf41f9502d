"""How a graph's edits are recorded and announced: listeners, batches and rollback.

:class:`GraphChanges` is the part of :class:`~dvar.core.graph.Graph` that every edit
ends in: ``_changed`` counts the versions, journals the undo step of an edit inside
a batch, and tells the listeners (at once, or once when the outer batch ends).  A
batch that raises undoes its journal, so a compound change happens entirely or not
at all.  The state it uses (``_listeners``, ``_pending``, ``_journal``,
``_batch_depth``, the version counters) is made by ``Graph.__init__``.

It imports only the standard library and :mod:`dvar.core.node`; never Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from dvar.core.node import STRUCTURAL, Event

if TYPE_CHECKING:
    from dvar.core.graph import Graph


class GraphChanges:
    """Listeners, batches and rollback (mixed into Graph)."""

    def subscribe(self, listener: Callable[[list[Event]], None]) -> None:
        """Call ``listener(events)`` after each completed change (one call per batch)."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[list[Event]], None]) -> None:
        """Stop telling ``listener`` about changes."""
        self._listeners.remove(listener)

    @contextmanager
    def batch(self) -> Iterator[Graph]:
        """Group edits into one change: listeners hear once, at the end.

        If an edit inside raises, every edit of the batch is undone and the error
        propagates, so a compound change happens entirely or not at all.
        """
        outer = self._batch_depth == 0
        if outer:
            self._pending, self._journal = [], []
        self._batch_depth += 1
        try:
            yield self
        except BaseException:
            self._batch_depth -= 1
            if outer:
                self._rollback()
            raise
        self._batch_depth -= 1
        if outer:
            events, self._pending, self._journal = self._pending, None, None
            if events:
                self._notify(events)

    def _rollback(self) -> None:
        journal, self._journal = self._journal or [], None
        self._pending = []  # collects the undo steps' own events, which nobody needs to hear
        try:
            for undo in reversed(journal):
                undo()
        finally:
            self._pending = None

    def _changed(self, event: Event, undo: Callable[[], None]) -> None:
        self.version += 1
        if event.kind in STRUCTURAL:
            self.structure_version += 1
        if self._journal is not None:
            self._journal.append(undo)
        if self._pending is not None:
            self._pending.append(event)
        else:
            self._notify([event])

    def _notify(self, events: list[Event]) -> None:
        for listener in list(self._listeners):
            listener(events)
