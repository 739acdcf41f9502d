"""File → Print Worksheet…: the choices, the live count of blanks, saving a PDF, printing,
and problems told in a message box."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog

from dvar import core
from dvar.core.resources import lessons
from dvar.core.worksheet import blanks
from dvar.gui.dialogs.worksheet import WorksheetDialog
from tests.core.helpers import build


def answer(monkeypatch, tmp_path=None, name="sheet.pdf", *, hide=None, answers=None, paper=None,
           button="pdf"):  # fmt: skip
    """Answer the dialog: tick ``hide`` (and nothing else), set the key and the paper, then
    press Save as PDF or Print; the file dialog answers ``tmp_path / name``."""

    def exec_(dialog: WorksheetDialog) -> int:
        if hide is not None:
            for kind, box in dialog.hide_boxes.items():
                box.setChecked(kind in hide)
        if answers is not None:
            dialog.answers_box.setChecked(answers)
        if paper is not None:
            dialog.paper_box.setCurrentIndex(dialog.paper_box.findData(paper))
        (dialog.pdf_button if button == "pdf" else dialog.print_button).click()
        return dialog.result()

    monkeypatch.setattr(WorksheetDialog, "exec", exec_)
    if tmp_path is not None:
        chosen = str(tmp_path / name)
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (chosen, ""))


def pages_in(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", data))


def test_the_file_menu_has_print_worksheet_after_print(window):
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert texts.index("Print &Worksheet…") == texts.index("&Print…") + 1


# ------------------------------------------------------------------ the choices
def test_the_lecture_starts_with_its_derivatives_blank(qapp):
    graph = core.load(core.examples()["lecture"])
    ev = core.evaluate(graph)
    dialog = WorksheetDialog(graph, ev)
    assert dialog.hide() == ("derivatives",)
    lesson = dialog.hide_boxes["lesson"]
    assert not lesson.isEnabled() and "no lesson" in lesson.toolTip()
    count = len(blanks(graph, ev, ["derivatives"]))
    assert dialog.count_label.text().startswith(f"{count} blanks")
    dialog.hide_boxes["values"].setChecked(True)
    count = len(blanks(graph, ev, ["derivatives", "values"]))
    assert dialog.count_label.text().startswith(f"{count} blanks")
    assert dialog.pdf_button.isEnabled() and dialog.print_button.isEnabled()


def test_a_file_with_a_lesson_starts_with_the_lessons_questions(qapp):
    graph = core.load(lessons()["paths-add-up"])
    dialog = WorksheetDialog(graph, core.evaluate(graph))
    assert dialog.hide() == ("lesson",) and dialog.hide_boxes["lesson"].isEnabled()


def test_nothing_to_hide_is_said_and_nothing_can_be_pressed(qapp):
    graph = build([("a", "input", 1.0), ("b", "neg", ["a"])])  # no output
    dialog = WorksheetDialog(graph, core.evaluate(graph))
    assert "no output" in dialog.count_label.text()
    assert not dialog.pdf_button.isEnabled() and not dialog.print_button.isEnabled()
    dialog.hide_boxes["derivatives"].setChecked(False)
    assert dialog.count_label.text() == "Choose what to leave blank."
    dialog.hide_boxes["values"].setChecked(True)
    assert dialog.pdf_button.isEnabled()


# ------------------------------------------------------------------ saving and printing
def test_save_as_pdf_with_the_answer_key(window, monkeypatch, tmp_path):
    answer(monkeypatch, tmp_path, "lecture sheet", hide=["values", "locals"], answers=True)
    window.actions["print_worksheet"].trigger()
    out = tmp_path / "lecture sheet.pdf"  # .pdf is added
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and pages_in(data) == 2
    graph = window.document.graph
    count = len(blanks(graph, window.document.evaluation, ["values", "locals"]))
    message = window.statusBar().currentMessage()
    assert str(out) in message and f"2 pages, {count} blanks" in message
    settings = QSettings("dvar", "dvar")
    assert settings.value("worksheet/answers", type=bool) is True
    assert window.document.undo_stack.isClean()  # the document is not touched


def test_the_paper_is_remembered(window, monkeypatch, tmp_path):
    answer(monkeypatch, tmp_path, paper="letter")
    window.actions["print_worksheet"].trigger()
    assert QSettings("dvar", "dvar").value("worksheet/paper") == "letter"
    dialog = WorksheetDialog(window.document.graph, window.document.evaluation)
    assert dialog.paper_box.currentData() == "letter"


def test_printing_uses_the_chosen_paper(window, monkeypatch, tmp_path):
    printed = tmp_path / "printed.pdf"
    seen = {}

    def accept(dialog):
        printer = dialog.printer()
        layout = printer.pageLayout()
        seen["paper"] = layout.pageSize().id()
        seen["orientation"] = layout.orientation()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    answer(monkeypatch, paper="letter", answers=True, button="print")
    window.actions["print_worksheet"].trigger()
    assert seen == {
        "paper": QPageSize.PageSizeId.Letter,
        "orientation": QPageLayout.Orientation.Portrait,
    }
    assert pages_in(printed.read_bytes()) == 2
    assert window.statusBar().currentMessage().startswith("Printed the worksheet: 2 pages")


def test_cancelling_the_print_dialog_prints_nothing(window, monkeypatch):
    monkeypatch.setattr(QPrintDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected)
    answer(monkeypatch, button="print")
    window.show_message("")
    window.actions["print_worksheet"].trigger()
    assert window.statusBar().currentMessage() == ""


def test_an_unwritable_file_is_told_in_a_message_box(window, monkeypatch, tmp_path, dialogs):
    answer(monkeypatch, tmp_path, "no such folder/sheet.pdf")
    window.actions["print_worksheet"].trigger()
    assert dialogs and dialogs[-1][0] == "warning" and "does not exist" in dialogs[-1][1]
    assert not list(tmp_path.rglob("*.pdf"))


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_dialog_opens_in_either_theme(window, theme, qtbot):
    from dvar.gui.dialogs.preferences import apply_theme

    apply_theme(theme)
    dialog = WorksheetDialog(window.document.graph, window.document.evaluation, window)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.isVisible() and dialog.windowTitle() == "Print Worksheet"
