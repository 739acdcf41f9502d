"""Export Image…: the dialog that asks for the format (an image, or a TikZ or Graphviz
figure), scale, background, numbers and what to draw, then the file name; the drawing
itself is ``gui.canvas.export``.

Problems are reported in plain-text message boxes (``gui.messages``): a file path
is shown as written, never as rich text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from dvar.gui import messages
from dvar.gui.canvas.export import (
    FORMAT_LABELS,
    FORMATS,
    SCALES,
    TEXT_FORMAT_LABELS,
    TEXT_FORMATS,
    ExportResult,
    export_scene,
    export_text_figure,
)
from dvar.gui.canvas.export_formats import ExportError
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.dialogs.folders import pictures_folder
from dvar.gui.dialogs.format_choice import format_box, path_with_format

#: Every format the dialog offers, with its name.
_LABELS = {**FORMAT_LABELS, **TEXT_FORMAT_LABELS}
#: Every format by its extension, images and figures as text.
_EXTENSIONS = {**FORMATS, **TEXT_FORMATS}


@dataclass(frozen=True)
class ExportOptions:
    """The choices made in the export dialog."""

    format: str = "png"
    scale: float = 2.0
    transparent: bool = False
    values: bool = True
    selection_only: bool = False


class ExportDialog(QDialog):
    """Export Image…: format, PNG scale, background, numbers, whole graph or selection."""

    def __init__(self, scene: GraphScene, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Image")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)

        self.format_box = format_box(_LABELS, "export/format", "png")
        form.addRow("&Format:", self.format_box)

        self.scale_box = QComboBox()
        for scale in SCALES:
            self.scale_box.addItem(f"{scale:g}×", scale)
        self.scale_box.setCurrentIndex(max(0, self.scale_box.findText("2×")))
        self.scale_box.setToolTip("Pixels per canvas unit; 2× looks sharp on slides")
        form.addRow("&Scale:", self.scale_box)

        self.transparent_box = QCheckBox("&Transparent background")
        self.values_box = QCheckBox("&Values and derivatives")
        self.values_box.setChecked(scene.show_numbers)
        self.values_box.setToolTip("Off: a blank diagram with formulas such as u = b × c")
        form.addRow(self.values_box)
        form.addRow(self.transparent_box)

        self.whole_button = QRadioButton("&Whole graph")
        self.selection_button = QRadioButton("Se&lected nodes only")
        group = QButtonGroup(self)
        group.addButton(self.whole_button)
        group.addButton(self.selection_button)
        has_selection = bool(scene.selected_keys())
        self.selection_button.setEnabled(has_selection)
        self.whole_button.setChecked(True)
        if not has_selection:
            self.selection_button.setToolTip("Select some nodes first")
        form.addRow(self.whole_button)
        form.addRow(self.selection_button)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        self._format_changed()

    def _format_changed(self, *_) -> None:
        fmt = self.format_box.currentData()
        self.scale_box.setEnabled(fmt == "png")
        self.transparent_box.setEnabled(fmt in ("png", "svg"))

    def options(self) -> ExportOptions:
        fmt = self.format_box.currentData()
        return ExportOptions(
            format=fmt,
            scale=float(self.scale_box.currentData()),
            transparent=self.transparent_box.isChecked() and fmt in ("png", "svg"),
            values=self.values_box.isChecked(),
            selection_only=self.selection_button.isChecked(),
        )


def export_with_dialog(
    parent: QWidget, scene: GraphScene, name: str = "diagram", document: Path | None = None
) -> ExportResult | None:
    """Ask for options and a file name, export, and report problems in a message box.

    The file dialog opens beside ``document`` (the graph's file), or in the Pictures
    folder for a graph not saved yet.  Returns what was written, or None when cancelled
    or failed."""
    dialog = ExportDialog(scene, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    options = dialog.options()
    folder = pictures_folder(document)
    suggested = str(folder / f"{Path(name).stem or 'diagram'}.{options.format}")
    path, _ = QFileDialog.getSaveFileName(
        parent,
        "Export image",
        suggested,
        f"{_LABELS[options.format]} (*.{options.format})",
    )
    if not path:
        return None
    # "talk.pdf" typed while the box says SVG writes a PDF.
    path, fmt = path_with_format(path, _EXTENSIONS, options.format)
    QSettings("dvar", "dvar").setValue("export/format", fmt)
    if fmt in TEXT_FORMAT_LABELS:
        try:
            return export_text_figure(
                scene,
                path,
                fmt=fmt,
                values=options.values,
                selection_only=options.selection_only,
            )
        except ExportError as error:
            messages.warning(parent, "Cannot export", str(error))
            return None
    try:
        result = export_scene(
            scene,
            path,
            fmt=fmt,
            scale=options.scale,
            values=options.values,
            transparent=options.transparent and fmt != "pdf",
            selection_only=options.selection_only,
        )
    except ExportError as error:
        messages.warning(parent, "Cannot export", str(error))
        return None
    if result.warning:
        messages.warning(parent, "Image reduced", f"{result.path}: {result.warning}")
    return result
