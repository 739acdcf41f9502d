"""Autosave and recovery: nothing a user made is lost to a crash or a kill.

While a document has unsaved changes, its window writes it every few seconds to
``<data folder>/dvar/autosave/<id>.dvar`` (atomically, with ``core.save``), beside a small
``<id>.json`` saying what it was.  A ``QLockFile`` held for the life of the window
marks the autosave as someone's: another dvar process never takes over a live
one's work.  When the owner dies, the lock goes stale and the next dvar start
offers to recover the file.  A normal close removes all three files.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer

import core
from gui.document import Document

INTERVAL_MS = 4000


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
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.write)
        self.timer.start()

    def watch(self, document: Document) -> None:
        """Autosave this document from now on (a new document replaces the old one)."""
        self.document = document
        self._written_version = -1
        self.remove_files()
        document.undo_stack.cleanChanged.connect(self._on_clean_changed)

    def _on_clean_changed(self, clean: bool) -> None:
        if clean:
            self.remove_files()

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
            core.save(document.graph, self.path)
            meta = {
                "name": document.name,
                "source": str(document.path) if document.path else None,
                "saved": time.time(),
                "pid": os.getpid(),
            }
            self.info.write_text(json.dumps(meta), encoding="utf-8")
        except OSError as error:
            self.error = f"autosave failed: {error}"
            return False
        self.error = None
        self._written_version = document.graph.version
        return True

    def remove_files(self) -> None:
        for path in (self.path, self.info):
            path.unlink(missing_ok=True)

    def finish(self) -> None:
        """A normal close: the work is saved or knowingly discarded, so remove the autosave."""
        self.timer.stop()
        self.remove_files()
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
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.saved))
        where = f" (from {self.source})" if self.source else ""
        return f"{self.name}{where}, last autosaved {when}"

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


def orphans(where: Path | None = None) -> list[Recovery]:
    """Autosaves whose owners are gone, newest first.  Live owners' files are never taken.

    Each returned Recovery holds its lock, so no other process recovers it at the same time.
    """
    base = where or folder()
    found: list[Recovery] = []
    if not base.is_dir():
        return found
    for data in base.glob("*.dvar"):
        lock = _lock(data.with_suffix(".lock"))
        if not lock.tryLock(0):
            continue  # its dvar is still running
        try:
            meta = json.loads(data.with_suffix(".json").read_text(encoding="utf-8"))
            if not isinstance(meta, dict):
                raise ValueError
        except (OSError, ValueError):
            meta = {}
        saved = meta.get("saved")
        if isinstance(saved, bool) or not isinstance(saved, int | float):
            saved = data.stat().st_mtime
        source = meta.get("source")
        found.append(
            Recovery(
                path=data,
                name=str(meta.get("name") or data.name),
                source=source if isinstance(source, str) else None,
                saved=float(saved),
                lock=lock,
            )
        )
    found.sort(key=lambda r: r.saved, reverse=True)
    return found
