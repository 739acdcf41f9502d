"""The editor and awkward files: named pipes, symbolic links, names of 255 bytes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from dvar import core
from dvar.gui.document.field_commands import SetField
from tests.core.test_atomicwrite import _long_name
from tests.core.test_awkward_files import rescued


def _save_as(window, monkeypatch, path: Path) -> bool:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    return window.save_as()


def _edit(window, value: float) -> None:
    graph = window.document.graph
    window.document.run(SetField.to(graph, graph.key_of("a"), "value", value))


def test_opening_a_named_pipe_says_cannot_open_at_once(window, tmp_path, dialogs):
    fifo = tmp_path / "pipe.dvar"
    os.mkfifo(fifo)
    before = core.dumps(window.document.graph)
    with rescued(fifo) as state:
        assert not window.open_path(str(fifo))
    assert not state["rescued"], "the editor waited for a writer"
    assert dialogs == [
        (
            "warning",
            f"{fifo}: is a named pipe (FIFO), not a regular file; dvar reads only regular files",
        )
    ]
    assert core.dumps(window.document.graph) == before


def test_save_through_a_link_keeps_the_link(window, monkeypatch, tmp_path):
    real = tmp_path / "real.dvar"
    core.save(window.document.graph, real)
    link = tmp_path / "link.dvar"
    link.symlink_to(real)
    assert window.open_path(str(link))
    _edit(window, 42.0)
    assert window.save()
    assert link.is_symlink()
    assert core.load(real).node("a").value == 42.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.dvar", "real.dvar"]


@pytest.mark.parametrize("char", ["a", "ü"])
def test_save_as_a_name_of_255_bytes(window, monkeypatch, tmp_path, dialogs, char):
    target = tmp_path / _long_name(char, ".dvar")
    _edit(window, 7.0)
    assert _save_as(window, monkeypatch, target), dialogs
    assert dialogs == []
    assert core.load(target).node("a").value == 7.0
    assert not window.isWindowModified()
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == [target.name]
