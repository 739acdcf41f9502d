"""Choosing a format, for Export Image…, Export Steps… and Print Worksheet…: a box of
formats (or papers) that opens on the one chosen last time, and the file name's
extension, which may choose the format instead.

May import QtCore and QtWidgets; it needs nothing else of dvar.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox


def remembered_box(items: Mapping[str, str], setting: str, default: str) -> QComboBox:
    """A combo box with one item per entry of ``items`` (data → text), opened on the
    choice dvar's settings hold under ``setting``, else on ``default``, else on the
    first item."""
    box = QComboBox()
    for data, text in items.items():
        box.addItem(text, data)
    box.setCurrentIndex(max(0, box.findData(QSettings("dvar", "dvar").value(setting, default))))
    return box


def format_box(labels: Mapping[str, str], setting: str, default: str) -> QComboBox:
    """A remembered box of formats, each item read as its label with its extension:
    "PNG image (.png)"."""
    return remembered_box(
        {fmt: f"{label} (.{fmt})" for fmt, label in labels.items()}, setting, default
    )


def path_with_format(path: str, formats: Mapping[str, str], chosen: str) -> tuple[str, str]:
    """The file name and the format to write it in.  A name typed with one of
    ``formats``' extensions (".pdf" → "pdf") chooses that format, whatever the box
    says; any other name gets the ``chosen`` format's extension."""
    fmt = formats.get(Path(path).suffix.lower())
    if fmt is None:
        return f"{path}.{chosen}", chosen
    return path, fmt
