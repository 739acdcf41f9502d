"""File dialogs open beside the document, or in the person's Pictures or Documents folder
for an untitled one: never in the folder dvar was started from."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog

from dvar import core
from dvar.gui.dialogs.export import ExportDialog
from dvar.gui.dialogs.folders import documents_folder, pictures_folder
from dvar.gui.document.document import Document


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A home of the test's own, and a working folder elsewhere that no dialog may use."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    started_in = tmp_path / "started-in"
    started_in.mkdir()
    monkeypatch.chdir(started_in)
    return home


@pytest.fixture
def asked(monkeypatch) -> list[tuple[str, str]]:
    """Every file dialog records (caption, the path it was given) and is cancelled."""
    seen: list[tuple[str, str]] = []

    def dialog(parent, caption, start, *args, **kwargs):
        seen.append((caption, start))
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", dialog)
    monkeypatch.setattr(ExportDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    return seen


def saved_copy(window, folder: Path) -> Path:
    """Open a saved lecture graph from ``folder`` in the window."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "mine.dvar"
    core.save(core.load(core.example_path("lecture")), path)
    window.set_document(Document.open(path))
    return path


def test_export_image_of_a_saved_graph_opens_beside_it(window, home, asked, tmp_path):
    saved_copy(window, tmp_path / "talks")
    (home / "Pictures").mkdir()
    window.export_image()
    assert asked == [("Export image", str(tmp_path / "talks" / "mine.png"))]


def test_export_image_of_an_untitled_graph_opens_in_pictures(window, home, asked):
    (home / "Pictures").mkdir()
    window.export_image()
    assert asked == [("Export image", str(home / "Pictures" / "lecture.png"))]


def test_without_a_pictures_folder_export_opens_at_home(window, home, asked):
    window.export_image()
    assert asked == [("Export image", str(home / "lecture.png"))]


def test_a_document_whose_folder_is_gone_falls_back_too(home, tmp_path):
    (home / "Documents").mkdir()
    gone = tmp_path / "removed" / "old.dvar"
    assert pictures_folder(gone) == home
    assert documents_folder(gone) == home / "Documents"
    assert documents_folder(None) == home / "Documents"


def test_save_as_of_an_untitled_graph_opens_in_documents(window, home, asked):
    (home / "Documents").mkdir()
    window.save_as()
    assert asked == [("Save graph", str(home / "Documents" / "lecture.dvar"))]


def test_save_as_open_and_export_python_of_a_saved_graph_start_beside_it(
    window, home, asked, tmp_path
):
    saved_copy(window, tmp_path / "course")
    window.save_as()
    window.open_dialog()
    window.export_python()
    folder = tmp_path / "course"
    assert asked == [
        ("Save graph", str(folder / "mine.dvar")),
        ("Open graph", str(folder)),
        ("Export as Python", str(folder / "mine.py")),
    ]


def test_no_dialog_starts_in_the_working_folder(window, home, asked):
    window.export_image()
    window.save_as()
    window.open_dialog()
    window.export_python()
    assert len(asked) == 4
    for caption, start in asked:
        assert Path(start).is_absolute(), caption
        assert Path.cwd() not in (Path(start), *Path(start).parents), caption
        assert Path(start) == home or home in Path(start).parents, caption
