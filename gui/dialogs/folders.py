"""Where a file dialog opens: beside the document, or else in the person's own folder for
the job (Pictures for images, Documents for graphs and scripts), never in whatever folder
dvar happened to be started from."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths

Location = QStandardPaths.StandardLocation


def start_folder(document: Path | None, fallback: Location) -> Path:
    """The document's folder when it has one on disk; else ``fallback``, else home."""
    if document is not None:
        folder = Path(document).expanduser().absolute().parent
        if folder.is_dir():
            return folder
    for location in (fallback, Location.HomeLocation):
        folder = QStandardPaths.writableLocation(location)
        if folder and Path(folder).is_dir():
            return Path(folder)
    return Path.home()


def pictures_folder(document: Path | None) -> Path:
    """Where Export Image… opens."""
    return start_folder(document, Location.PicturesLocation)


def documents_folder(document: Path | None) -> Path:
    """Where Open, Save As and Export as Python open."""
    return start_folder(document, Location.DocumentsLocation)
