"""Autosave and recovery: nothing a user made is lost to a crash or a kill.

While a document has unsaved changes, its window writes it every few seconds to
``<data folder>/dvar/autosave/<id>.dvar`` (atomically, with ``core.save``), beside a small
``<id>.json`` saying what it was.  A ``QLockFile`` held for the life of the window
marks the autosave as someone's: another dvar process never takes over a live
one's work.  When the owner dies, the lock goes stale and the next dvar start
offers to recover the file.  A normal close removes all three files.  A graph
whose write is slow (tens of thousands of nodes) is written when the user pauses,
so an autosave never lands in the middle of a drag or a run of edits.

Recovered work moves into the recovering window's own autosave: the orphan is
deleted only once that autosave is on disk, so a second crash loses nothing.  Each
orphan is handled on its own; one with a damaged sidecar never blocks the others.
"""

from __future__ import annotations

import json
import math
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer

from dvar import core
from dvar.core.atomicwrite import write_atomic
from dvar.gui.document.document import Document

INTERVAL_MS = 4000
#: A write that took longer than this (seconds) makes the next ones wait for a pause:
#: writing a 66,000-node graph takes most of a second, which an edit must not feel.
SLOW_WRITE = 0.05
#: After a slow write, the timer writes only once the document has rested this long ...
REST = 1.5
#: ... and this many times the last write's cost has passed since it ...
SPACING = 20
#: ... unless the work has waited this long unsaved: then it is written anyway.
LONGEST_WAIT = 60.0


def folder() -> Path:
    """Where autosaves live: dvar's folder in the platform's data location
    (``$XDG_DATA_HOME/dvar/autosave`` on Linux), whatever the running program is called."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericDataLocation)
    return Path(base or Path.home() / ".local" / "share") / "dvar" / "autosave"


def _lock(path: Path) -> QLockFile:
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
    return lock


class Autosaver(QObject):
    """Keeps one window's autosave up to date while its document has unsaved changes."""

    def __init__(self, parent: QObject | None = None, where: Path | None = None) -> None:
        super().__init__(parent)
        self.folder = where or folder()
        self.id = f"{os.getpid()}-{uuid.uuid4().hex[:10]}"
        self.path = self.folder / f"{self.id}.dvar"
        self.info = self.folder / f"{self.id}.json"
        self.document: Document | None = None
        self._written_version = -1
        self.lock: QLockFile | None = None
        self.error: str | None = None
        #: Recovered orphans whose work this window now holds: deleted once it is safe.
        self.adopted: list[Recovery] = []
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        #: How long the last write took, when it ended, and when the document last changed
        #: (``time.monotonic()`` seconds): the pacing of writes after a slow one.
        self._write_cost = 0.0
        self._written_at = 0.0
        self._changed_at = 0.0
        self._waiting_since: float | None = None

    def watch(self, document: Document) -> None:
        """Autosave this document from now on (a new document replaces the old one)."""
        self._release_adopted()  # the document they held was saved or knowingly dropped
        self.document = document
        self._written_version = -1
        self.remove_files()
        document.undo_stack.cleanChanged.connect(self._on_clean_changed)
        document.changed.connect(self._on_changed)

    def _on_changed(self, *_) -> None:
        self._changed_at = time.monotonic()
        if self._waiting_since is None:
            self._waiting_since = self._changed_at

    def _tick(self) -> None:
        if self.due():
            self.write()

    def due(self) -> bool:
        """Whether the timer should write now.  Always, while writes are quick; after a
        slow one, only when the document has rested, the writes stay far apart, or the
        work has waited too long."""
        if self._write_cost <= SLOW_WRITE:
            return True
        now = time.monotonic()
        if self._waiting_since is not None and now - self._waiting_since >= LONGEST_WAIT:
            return True
        rested = now - self._changed_at >= REST
        spaced = now - self._written_at >= SPACING * self._write_cost
        return rested and spaced

    def adopt(self, recovery: Recovery) -> bool:
        """Take over a recovered orphan: write this window's autosave at once, and delete
        the orphan only when that worked (else on a later write).  True if it is gone."""
        self.adopted.append(recovery)
        self.write()
        return recovery not in self.adopted

    def _release_adopted(self) -> None:
        adopted, self.adopted = self.adopted, []
        for recovery in adopted:
            recovery.discard()

    def _on_clean_changed(self, clean: bool) -> None:
        if clean:
            self.remove_files()
            self._release_adopted()  # saved to its file: the orphan is no longer needed

    def write(self) -> bool:
        """Write the autosave now if there is anything unsaved; True if a file was written."""
        document = self.document
        if document is None or document.undo_stack.isClean():
            return False
        if document.graph.version == self._written_version and self.path.exists():
            return False
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if self.lock is None:
                self.lock = _lock(self.folder / f"{self.id}.lock")
                if not self.lock.tryLock(0):
                    raise OSError(f"cannot lock {self.lock.fileName()}")
            started = time.monotonic()
            core.save(document.graph, self.path)
            self._written_at = time.monotonic()
            self._write_cost = self._written_at - started
            meta = {
                "name": document.name,
                "source": str(document.path) if document.path else None,
                "saved": time.time(),
                "pid": os.getpid(),
            }
            write_atomic(self.info, json.dumps(meta).encode("utf-8"))
        except OSError as error:
            self.error = f"autosave failed: {error}"
            return False
        self.error = None
        self._written_version = document.graph.version
        self._waiting_since = None
        self._release_adopted()  # the recovered work is safe in our own autosave now
        return True

    def remove_files(self) -> None:
        for path in (self.path, self.info):
            path.unlink(missing_ok=True)

    def finish(self) -> None:
        """A normal close: the work is saved or knowingly discarded, so remove the autosave."""
        self.timer.stop()
        self.remove_files()
        self._release_adopted()
        if self.lock is not None:
            self.lock.unlock()
            self.lock = None


@dataclass
class Recovery:
    """Unsaved work left by a dvar that did not close normally."""

    path: Path
    name: str
    source: str | None
    saved: float
    lock: QLockFile

    def describe(self) -> str:
        when = _when(self.saved)
        where = f" (from {self.source})" if self.source else ""
        saved = f"last autosaved {when}" if when else "autosaved at an unknown time"
        return f"{self.name}{where}, {saved}"

    def load(self) -> core.Graph:
        """The recovered graph; core.FileFormatError if the autosave is damaged."""
        return core.load(self.path)

    def set_aside(self) -> Path:
        """Move a damaged autosave out of the way (kept for inspection), and release it."""
        target = self.path.with_suffix(".corrupt")
        os.replace(self.path, target)
        self.discard()
        return target

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)
        self.path.with_suffix(".json").unlink(missing_ok=True)
        self.lock.unlock()  # removes the stale lock file, which we now hold


def _when(saved: object) -> str | None:
    """A sidecar's time as local date and time, or None if it is not a usable time."""
    if isinstance(saved, bool) or not isinstance(saved, int | float):
        return None
    try:
        if not math.isfinite(saved):
            return None
        return time.strftime("%Y-%m-%d %H:%M", time.localtime(saved))
    except (OverflowError, ValueError, OSError):
        return None


def _read_sidecar(data: Path) -> dict:
    """What the sidecar says, or {} if it is missing or damaged (the data may be fine)."""
    try:
        meta = json.loads(data.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return meta if isinstance(meta, dict) else {}


def _orphan(data: Path, lock: QLockFile) -> Recovery:
    meta = _read_sidecar(data)
    saved = meta.get("saved")
    if _when(saved) is None:  # text, NaN, or a time no clock can show: the file's own time
        saved = data.stat().st_mtime
    name, source = meta.get("name"), meta.get("source")
    return Recovery(
        path=data,
        name=name if isinstance(name, str) and name else data.name,
        source=source if isinstance(source, str) else None,
        saved=float(saved),
        lock=lock,
    )


def orphans(where: Path | None = None) -> list[Recovery]:
    """Autosaves whose owners are gone, newest first.  Live owners' files are never taken.

    Each returned Recovery holds its lock, so no other process recovers it at the same time.
    An orphan that cannot even be looked at is set aside (``.corrupt``) and the rest are
    still offered.
    """
    base = where or folder()
    found: list[Recovery] = []
    if not base.is_dir():
        return found
    for data in sorted(base.glob("*.dvar")):
        lock = _lock(data.with_suffix(".lock"))
        if not lock.tryLock(0):
            continue  # its dvar is still running
        try:
            found.append(_orphan(data, lock))
        except Exception:  # one broken orphan must not cost the others their recovery
            broken = Recovery(data, data.name, None, 0.0, lock)
            try:
                broken.set_aside()
            except OSError:
                lock.unlock()
    found.sort(key=lambda r: r.saved, reverse=True)
    return found
