"""Export Steps…: every step of the backward or forward pass, as the step-through shows
it, written as a PDF (a page per step) or an animated GIF.  The drawing is
``gui.canvas.export_steps.export_steps``; the window hands over the steps (the step-through
belongs to ``gui.teach``, which dialogs do not import).

Problems are reported in plain-text message boxes (``gui.messages``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dvar.gui import messages
from dvar.gui.canvas.export import FRAME_MS, STEP_FORMATS, ExportResult, Frame
from dvar.gui.canvas.export_formats import ExportError
from dvar.gui.canvas.export_steps import export_steps
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.dialogs.folders import pictures_folder
from dvar.gui.dialogs.format_choice import format_box, path_with_format

STEP_FORMAT_LABELS = {"pdf": "PDF, a page per step", "gif": "GIF animation"}
#: The GIF's pixels per canvas unit.
GIF_SCALE = 1.5


@dataclass(frozen=True)
class StepsOptions:
    """The choices made in the Export Steps dialog."""

    backward: bool = True
    format: str = "pdf"
    frame_ms: int = FRAME_MS
    selection_only: bool = False


class ExportStepsDialog(QDialog):
    """Export Steps…: the pass, PDF or GIF, the time per frame, whole graph or selection."""

    def __init__(self, scene: GraphScene, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Steps")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)

        self.direction_box = QComboBox()
        self.direction_box.addItem("Backward pass (derivatives, right to left)", True)
        self.direction_box.addItem("Forward pass (values, left to right)", False)
        if scene.graph.output_key is None:
            self.direction_box.setCurrentIndex(1)
        form.addRow("&Steps of:", self.direction_box)

        self.format_box = format_box(STEP_FORMAT_LABELS, "export_steps/format", "pdf")
        form.addRow("&Format:", self.format_box)

        self.frame_box = QSpinBox()
        self.frame_box.setRange(100, 10_000)
        self.frame_box.setSingleStep(100)
        self.frame_box.setSuffix(" ms")
        self.frame_box.setValue(FRAME_MS)
        self.frame_box.setToolTip(
            "How long each step shows; the last one shows three times as long"
        )
        form.addRow("Frame &time:", self.frame_box)

        self.selection_box = QCheckBox("Se&lected nodes only")
        has_selection = bool(scene.selected_keys())
        self.selection_box.setEnabled(has_selection)
        if not has_selection:
            self.selection_box.setToolTip("Select some nodes first")
        form.addRow(self.selection_box)

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
        self.frame_box.setEnabled(self.format_box.currentData() == "gif")

    def options(self) -> StepsOptions:
        return StepsOptions(
            backward=bool(self.direction_box.currentData()),
            format=self.format_box.currentData(),
            frame_ms=self.frame_box.value(),
            selection_only=self.selection_box.isChecked() and self.selection_box.isEnabled(),
        )


def export_steps_with_dialog(
    parent: QWidget,
    scene: GraphScene,
    frames_of: Callable[[bool], Sequence[Frame]],
    name: str = "steps",
    document: Path | None = None,
) -> ExportResult | None:
    """Ask for the pass, format and file name, write the steps, and report problems in a
    message box.  ``frames_of(backward)`` gives the step-through's frames.  Returns what
    was written, or None when cancelled or failed."""
    dialog = ExportStepsDialog(scene, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    options = dialog.options()
    if options.backward and scene.graph.output_key is None:
        messages.warning(
            parent, "Cannot export", "Choose an output first: the backward pass starts there."
        )
        return None
    stem = Path(name).stem or "steps"
    suffix = "backward" if options.backward else "forward"
    suggested = str(pictures_folder(document) / f"{stem}-{suffix}.{options.format}")
    path, _ = QFileDialog.getSaveFileName(
        parent,
        "Export steps",
        suggested,
        f"{STEP_FORMAT_LABELS[options.format]} (*.{options.format})",
    )
    if not path:
        return None
    path, fmt = path_with_format(path, STEP_FORMATS, options.format)
    QSettings("dvar", "dvar").setValue("export_steps/format", fmt)
    try:
        result = export_steps(
            scene,
            frames_of(options.backward),
            path,
            fmt=fmt,
            scale=GIF_SCALE,
            frame_ms=options.frame_ms,
            values=scene.show_numbers,
            selection_only=options.selection_only,
        )
    except ExportError as error:
        messages.warning(parent, "Cannot export", str(error))
        return None
    if result.warning:
        messages.warning(parent, "Image reduced", f"{result.path}: {result.warning}")
    return result
