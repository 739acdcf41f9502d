"""File → Print Worksheet…: what to leave blank, whether to add the answer key, which
paper; then save the worksheet as a PDF or send it to a printer.

The dialog counts the blanks as the choices change, and says in a line why there would
be none (no output, no lesson) instead of letting the person try.  The drawing is
``gui.canvas.worksheet``; problems are reported in plain-text message boxes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dvar import core
from dvar.core.worksheet import WorksheetError, check_blanks, default_hide
from dvar.gui import messages
from dvar.gui.canvas.export_formats import ExportError
from dvar.gui.canvas.worksheet import PAPER_LABELS, open_worksheet, write_worksheet
from dvar.gui.dialogs.folders import documents_folder
from dvar.gui.dialogs.format_choice import path_with_format, remembered_box

#: The choices of what to leave blank, as the dialog words them.
HIDE_LABELS = {
    "derivatives": "&Derivatives dJ/dnode",
    "values": "&Values of the computed nodes",
    "locals": "&Local derivatives on the edges",
    "lesson": "Everything the l&esson asks",
}


def printing_available() -> bool:
    """True when this Qt has its print support (some minimal builds lack it)."""
    try:
        from PySide6 import QtPrintSupport  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass(frozen=True)
class WorksheetChoices:
    """What the dialog was answered with."""

    hide: tuple[str, ...]
    answers: bool
    paper: str
    #: "pdf" to save a file, "print" to send it to a printer.
    to: str = "pdf"


class WorksheetDialog(QDialog):
    """Print Worksheet: the kinds of cell to leave blank, the answer key, the paper."""

    def __init__(
        self, graph: core.Graph, evaluation: core.Evaluation, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Print Worksheet")
        self.graph, self.evaluation = graph, evaluation
        settings = QSettings("dvar", "dvar")
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)

        self.hide_boxes: dict[str, QCheckBox] = {}
        chosen = default_hide(graph)
        for index, (name, label) in enumerate(HIDE_LABELS.items()):
            box = QCheckBox(label)
            box.setChecked(name in chosen)
            if name == "lesson" and graph.lesson is None:
                box.setEnabled(False)
                box.setToolTip("This file has no lesson")
            box.toggled.connect(self._update)
            self.hide_boxes[name] = box
            form.addRow("Leave blank:" if index == 0 else "", box)

        self.count_label = QLabel()
        self.count_label.setWordWrap(True)
        form.addRow("", self.count_label)

        self.answers_box = QCheckBox("Add an &answer key, on a page of its own")
        self.answers_box.setChecked(settings.value("worksheet/answers", False, type=bool))
        form.addRow(self.answers_box)

        self.paper_box = remembered_box(PAPER_LABELS, "worksheet/paper", "a4")
        self.paper_box.setToolTip("A wide diagram turns the pages to landscape")
        form.addRow("&Paper:", self.paper_box)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.pdf_button = QPushButton("Save as P&DF…")
        self.pdf_button.setDefault(True)
        self.buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.pdf_button.clicked.connect(lambda: self._choose("pdf"))
        self.print_button: QPushButton | None = None
        if printing_available():
            self.print_button = QPushButton("P&rint…")
            self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.AcceptRole)
            self.print_button.clicked.connect(lambda: self._choose("print"))
        self.buttons.rejected.connect(self.reject)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAutoDefault(False)  # Enter saves the PDF
        layout.addWidget(self.buttons)
        self.to = "pdf"
        self._update()

    def hide(self) -> tuple[str, ...]:
        """The kinds of cell chosen, in the dialog's order."""
        return tuple(name for name, box in self.hide_boxes.items() if box.isChecked())

    def choices(self) -> WorksheetChoices:
        return WorksheetChoices(
            hide=self.hide(),
            answers=self.answers_box.isChecked(),
            paper=self.paper_box.currentData(),
            to=self.to,
        )

    def _choose(self, to: str) -> None:
        self.to = to
        self.accept()

    def _update(self, *_) -> None:
        """Count the blanks the choices make, or say why there would be none."""
        hide = self.hide()
        problem = ""
        if not hide:
            problem = "Choose what to leave blank."
        else:
            try:
                count = len(check_blanks(self.graph, self.evaluation, hide))
            except WorksheetError as error:
                problem = f"{str(error)[:1].upper()}{str(error)[1:]}."
        if problem:
            self.count_label.setText(problem)
        else:
            self.count_label.setText(
                f"{count} blank{'s' * (count != 1)}, numbered on the diagram and in the table."
            )
        for button in (self.pdf_button, self.print_button):
            if button is not None:
                button.setEnabled(not problem)


def worksheet_with_dialog(
    parent: QWidget,
    graph: core.Graph,
    evaluation: core.Evaluation,
    name: str = "worksheet",
    document: Path | None = None,
    notation: str = "d",
) -> str | None:
    """Ask what to leave blank and where the worksheet goes, then write the PDF or print
    it.  Returns a line for the status bar, or None when cancelled or failed (a problem
    is shown in a message box)."""
    dialog = WorksheetDialog(graph, evaluation, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    choices = dialog.choices()
    settings = QSettings("dvar", "dvar")
    settings.setValue("worksheet/answers", choices.answers)
    settings.setValue("worksheet/paper", choices.paper)
    if choices.to == "print":
        return _print(parent, graph, choices, name, notation)
    stem = Path(name).stem or "worksheet"
    suggested = str(documents_folder(document) / f"{stem}-worksheet.pdf")
    path, _ = QFileDialog.getSaveFileName(parent, "Save worksheet", suggested, "PDF (*.pdf)")
    if not path:
        return None
    path, _ = path_with_format(path, {".pdf": "pdf"}, "pdf")
    try:
        result = write_worksheet(
            graph,
            path,
            hide=choices.hide,
            answers=choices.answers,
            paper=choices.paper,
            notation=notation,
            name=name,
        )
    except ExportError as error:
        messages.warning(parent, "Cannot save the worksheet", str(error))
        return None
    return f"Saved the worksheet to {result.path}: {_pages(result.pages)}, {result.blanks} blanks"


def _print(
    parent: QWidget, graph: core.Graph, choices: WorksheetChoices, name: str, notation: str
) -> str | None:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    try:
        with open_worksheet(graph, choices.hide, notation, name) as sheet:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setDocName(f"{sheet.title} — worksheet")
            printer.setPageLayout(sheet.page_layout(choices.paper))
            dialog = QPrintDialog(printer, parent)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            pages = sheet.draw(printer, choices.answers, "The printer could not be started.")
    except ExportError as error:
        messages.warning(parent, "Cannot print the worksheet", str(error))
        return None
    return f"Printed the worksheet: {_pages(pages)}, {len(sheet.blanks)} blanks"


def _pages(count: int) -> str:
    return f"{count} page{'s' * (count != 1)}"
