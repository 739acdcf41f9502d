"""Export Image…: the dialog's choices, the file name, and what the window says."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage, Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from dvar.gui.canvas import export
from dvar.gui.dialogs.export import ExportDialog, ExportOptions
from tests.gui.canvas.test_export import _expected_size, far_window


def test_file_menu_has_the_export_actions(window):
    actions = window.actions
    assert actions["export_image"].shortcut().toString() == "Ctrl+E"
    assert actions["copy_image"].shortcut().toString() == "Ctrl+Shift+C"
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert texts.index("E&xport Image…") == texts.index("Save &As…") + 1
    assert "Copy as &Image" in texts


def _accept_dialog(monkeypatch, **choices):
    def exec_(dialog: ExportDialog) -> int:
        if "format" in choices:
            dialog.format_box.setCurrentIndex(dialog.format_box.findData(choices["format"]))
        if "scale" in choices:
            dialog.scale_box.setCurrentIndex(dialog.scale_box.findData(choices["scale"]))
        if choices.get("selection_only"):
            dialog.selection_button.setChecked(True)
        if "values" in choices:
            dialog.values_box.setChecked(choices["values"])
        if "transparent" in choices:
            dialog.transparent_box.setChecked(choices["transparent"])
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ExportDialog, "exec", exec_)


def test_export_image_from_the_window(window, tmp_path, monkeypatch, dialogs):
    _accept_dialog(monkeypatch, format="png", scale=1.0, transparent=True)
    asked: list[str] = []

    def save_name(parent, caption, suggested, filters):
        asked.append(suggested)
        return str(tmp_path / "mine"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    window.actions["export_image"].trigger()
    out = tmp_path / "mine.png"  # the extension is added
    image = QImage(str(out))
    assert (image.width(), image.height()) == _expected_size(window.scene.diagram_rect(), 1)
    assert image.pixelColor(0, 0).alpha() == 0
    assert asked and asked[0].endswith("lecture.png")
    assert dialogs == []
    assert str(out) in window.statusBar().currentMessage()


def test_export_image_failure_shows_one_line(window, tmp_path, monkeypatch, dialogs):
    _accept_dialog(monkeypatch, format="svg")
    out = tmp_path / "gone" / "x.svg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(out), ""))
    window.export_image()
    assert dialogs == [("warning", f"cannot write {out}: the folder {out.parent} does not exist")]


@pytest.mark.parametrize(
    ("chosen", "typed", "written", "magic"),
    [
        ("svg", "export-lecture.pdf", "export-lecture.pdf", b"%PDF"),
        ("svg", "Talk.PNG", "Talk.PNG", b"\x89PNG"),
        ("pdf", "figure.svg", "figure.svg", b"<?xml"),
        ("png", "plain", "plain.png", b"\x89PNG"),
        ("svg", "notes.txt", "notes.txt.svg", b"<?xml"),
    ],
)
def test_a_typed_extension_chooses_the_format(
    window, tmp_path, monkeypatch, dialogs, chosen, typed, written, magic
):
    _accept_dialog(monkeypatch, format=chosen, transparent=True)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(tmp_path / typed), ""))
    window.export_image()
    assert dialogs == []
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == [written]
    assert (tmp_path / written).read_bytes().startswith(magic)
    again = ExportDialog(window.scene, window)  # the format used is the one offered next
    assert again.format_box.currentData() == export.FORMATS[Path(written).suffix.lower()]


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
@pytest.mark.parametrize("x", [1e10, 1e308, -1e308])
def test_the_window_exports_a_node_far_away_shrunk_with_a_warning(
    window, tmp_path, monkeypatch, dialogs, fmt, x
):
    far_window(window, (0, 0), (x, 0))
    _accept_dialog(monkeypatch, format=fmt)
    out = tmp_path / f"far.{fmt}"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(out), ""))
    window.export_image()
    assert out.stat().st_size > 0
    assert len(dialogs) == 1 and dialogs[0][0] == "warning" and "scale" in dialogs[0][1]
    assert str(out) in window.statusBar().currentMessage()


def test_the_window_refuses_a_diagram_too_large_to_measure(window, tmp_path, monkeypatch, dialogs):
    far_window(window, (-1e308, 0), (1e308, 0))
    _accept_dialog(monkeypatch, format="svg")
    out = tmp_path / "far.svg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(out), ""))
    window.export_image()
    assert len(dialogs) == 1 and dialogs[0][0] == "warning"
    assert dialogs[0][1].startswith(f"{out}: cannot draw the diagram: it is too large")
    assert not out.exists()
    window.copy_image()  # Copy as Image says why in the status bar
    assert "too large" in window.statusBar().currentMessage()


def test_export_dialog_options(window):
    dialog = ExportDialog(window.scene, window)
    assert not dialog.selection_button.isEnabled()
    assert dialog.values_box.isChecked()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("svg"))
    assert not dialog.scale_box.isEnabled() and dialog.transparent_box.isEnabled()
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("pdf"))
    assert not dialog.transparent_box.isEnabled()
    dialog.transparent_box.setChecked(True)
    assert dialog.options() == ExportOptions(format="pdf", scale=2.0, transparent=False)
    window.scene.select_keys([window.document.graph.key_of("a")])
    dialog = ExportDialog(window.scene, window)
    assert dialog.selection_button.isEnabled() and dialog.whole_button.isChecked()


@pytest.mark.parametrize("reduced", [False, True])
def test_export_messages_show_the_path_as_written(window, tmp_path, monkeypatch, reduced):
    """ "Cannot export" and "Image reduced" name the file; a folder named like markup
    reads as written, never as a heading."""
    shown: list[tuple[str, str, Qt.TextFormat]] = []

    def run(box: QMessageBox) -> QMessageBox.StandardButton:
        shown.append((box.windowTitle(), box.text(), box.textFormat()))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "exec", run)
    folder = tmp_path / "<h1>talk<h1>"
    if reduced:
        folder.mkdir()
        far_window(window, (0, 0), (1e10, 0))
    out = folder / "x.svg"
    _accept_dialog(monkeypatch, format="svg")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(out), ""))
    window.export_image()
    ((title, text, text_format),) = shown
    assert title == ("Image reduced" if reduced else "Cannot export")
    assert str(out) in text
    assert text_format == Qt.TextFormat.PlainText
