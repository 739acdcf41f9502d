"""Documents: open, save, recent files, close, drop to open, and every fault along the way."""

import errno
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog

from dvar import core
from dvar.gui.document.field_commands import MoveNodes, SetField
from tests.core.bad_files import BAD, make


def _edit(window, value=7.0):
    graph = window.document.graph
    window.document.run(SetField.to(graph, graph.key_of("a"), "value", value))


def _save_as(window, monkeypatch, path: Path) -> bool:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    return window.save_as()


def test_save_quit_reopen_looks_the_same(window, monkeypatch, tmp_path, qtbot):
    graph = window.document.graph
    a = graph.key_of("a")
    window.document.run(MoveNodes(graph, {a: ((0, 0), (-100, 40))}))
    _edit(window, 5.5)
    assert window.isWindowModified()
    target = tmp_path / "mine.dvar"
    assert _save_as(window, monkeypatch, target)
    assert not window.isWindowModified()
    assert window.windowTitle() == "mine.dvar[*] — dvar"
    saved = core.dumps(graph)
    assert window.open_path(str(target))
    assert core.dumps(window.document.graph) == saved
    item = window.scene.nodes[window.document.graph.key_of("a")]
    assert (item.x(), item.y()) == (-100, 40)


def test_undo_back_to_the_saved_state_clears_the_mark(window, monkeypatch, tmp_path):
    assert _save_as(window, monkeypatch, tmp_path / "x.dvar")
    _edit(window)
    assert window.isWindowModified()
    window.document.undo_stack.undo()
    assert not window.isWindowModified()


def test_examples_open_as_untitled_copies(window, monkeypatch, tmp_path):
    window.open_example("two_paths")
    assert window.document.path is None
    assert window.windowTitle().startswith("two_paths.dvar")
    asked = []
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda *a, **k: asked.append(a) or (str(tmp_path / "copy.dvar"), ""),
    )
    _edit_two_paths = window.document.graph
    window.document.run(SetField.to(_edit_two_paths, _edit_two_paths.key_of("x"), "value", 4.0))
    assert window.save()
    assert asked, "Save on an example must ask where to save"
    assert core.load(core.examples()["two_paths"]).node("x").value == 3  # package untouched


@pytest.mark.parametrize("kind", sorted(BAD))
def test_a_bad_file_gets_a_dialog_and_the_document_stays(window, tmp_path, dialogs, kind):
    _edit(window, 9.0)
    before = core.dumps(window.document.graph)
    path = make(tmp_path, kind)
    assert not window.open_path(str(path))
    assert len(dialogs) == 1 and dialogs[0][0] == "warning"
    message = dialogs[0][1]
    assert "\n" not in message and str(path.name) in message
    with pytest.raises(core.FileFormatError) as cli_reason:
        core.load(path)
    assert message == str(cli_reason.value)  # the same line the CLI prints
    assert core.dumps(window.document.graph) == before
    assert window.isWindowModified()


@pytest.mark.parametrize("failure", [errno.ENOSPC, errno.EACCES])
def test_a_failed_save_says_why_and_keeps_everything(
    window, monkeypatch, tmp_path, dialogs, failure
):
    target = tmp_path / "kept.dvar"
    assert _save_as(window, monkeypatch, target)
    on_disk = target.read_bytes()
    _edit(window, 8.0)

    def refuse(*args, **kwargs):
        raise OSError(failure, os.strerror(failure))

    monkeypatch.setattr(os, "replace", refuse)  # full disk / read-only folder, as root
    assert not window.save()
    assert dialogs[-1][0] == "warning" and os.strerror(failure) in dialogs[-1][1]
    assert target.read_bytes() == on_disk  # the previous file is intact
    assert window.isWindowModified()  # still dirty: nothing was saved
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_new_open_close_and_quit_ask_before_discarding(window, monkeypatch, dialogs):
    from PySide6.QtWidgets import QMessageBox

    answers = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: answers.append(a[2]) or QMessageBox.StandardButton.Cancel,
    )
    _edit(window)
    kept = core.dumps(window.document.graph)
    window.new_document()
    window.close_document()
    window.open_example("lecture")
    assert not window.close()  # cancelled
    assert len(answers) == 4 and all("Save the changes" in text for text in answers)
    assert core.dumps(window.document.graph) == kept


def test_close_leaves_an_empty_document(window):
    window.close_document()
    assert len(window.document.graph) == 0
    assert window.windowTitle().startswith("untitled.dvar")


def test_recent_files_remember_and_reopen(window, monkeypatch, tmp_path):
    first, second = tmp_path / "one.dvar", tmp_path / "two.dvar"
    for path in (first, second):
        core.save(core.load(core.examples()["lecture"]), path)
        assert window.open_path(str(path))
    assert window.recent_files()[:2] == [str(second.resolve()), str(first.resolve())]
    window._fill_recent_menu()
    labels = [a.text() for a in window.recent_menu.actions() if a.text()]
    assert labels[:2] == ["&1 two.dvar", "&2 one.dvar"]
    window._open_recent(str(first.resolve()))
    assert window.document.path.name == "one.dvar"


def test_a_missing_recent_file_is_dropped_with_a_message(window, dialogs, tmp_path):
    gone = tmp_path / "gone.dvar"
    window.remember(gone)
    window._open_recent(str(gone.resolve()))
    assert dialogs and "no such file" in dialogs[-1][1]
    assert str(gone.resolve()) not in window.recent_files()


def test_dropping_a_dvar_file_opens_it(window, tmp_path):
    path = tmp_path / "dropped.dvar"
    core.save(core.load(core.examples()["two_paths"]), path)
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        QPointF(100, 100),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    assert window.document.path == path
    assert window.windowTitle().startswith("dropped.dvar")


def test_print_renders_the_diagram(window, monkeypatch, tmp_path):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    pdf = tmp_path / "printed.pdf"

    def accept(dialog):
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(pdf))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    window.scene.select_keys([window.document.graph.key_of("b")])
    window.print_diagram()
    assert pdf.read_bytes().startswith(b"%PDF")
    assert window.scene.selected_keys() == [window.document.graph.key_of("b")]
