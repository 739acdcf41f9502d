"""File → Export as Python…: a runnable script of the two passes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from dvar import core
from dvar.core import fileformat


def _answer(monkeypatch, path):
    asked = []

    def fake(parent, title, directory, filters, *args, **kwargs):
        asked.append((title, directory, filters))
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    return asked


def test_export_python_writes_the_script(window, monkeypatch, tmp_path):
    target = tmp_path / "lecture.py"
    asked = _answer(monkeypatch, target)
    assert window.export_python()
    suggested = Path(asked[0][1])  # beside the graph, or in Documents: never the working folder
    assert suggested.name == "lecture.py" and suggested.is_absolute()
    assert target.read_text(encoding="utf-8") == core.to_python(window.document.graph)
    assert "Exported" in window.statusBar().currentMessage()


def test_the_suffix_is_added_and_cancel_writes_nothing(window, monkeypatch, tmp_path):
    _answer(monkeypatch, tmp_path / "passes")
    assert window.export_python()
    assert (tmp_path / "passes.py").exists()
    _answer(monkeypatch, "")
    assert not window.export_python()


def test_a_write_error_is_one_line_in_a_dialog(window, monkeypatch, tmp_path, dialogs):
    _answer(monkeypatch, tmp_path / "out.py")

    def fail(path, data):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(fileformat, "write_atomic", fail)
    assert not window.export_python()
    assert dialogs == [("warning", f"{tmp_path / 'out.py'}: Permission denied")]
    assert not (tmp_path / "out.py").exists()


def test_the_action_sits_in_the_file_menu_after_export_image(window):
    file_menu = window.menuBar().actions()[0].menu()
    actions = [a for a in file_menu.actions() if not a.isSeparator()]
    index = actions.index(window.actions["export_image"])
    assert actions[index + 1] is window.actions["export_python"]


@pytest.mark.slow
def test_the_exported_script_runs_and_prints_j(window, monkeypatch, tmp_path):
    target = tmp_path / "lecture.py"
    _answer(monkeypatch, target)
    window.actions["export_python"].trigger()
    done = subprocess.run(
        [sys.executable, str(target)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "J = 33" in done.stdout
    assert "db = 6" in done.stdout
