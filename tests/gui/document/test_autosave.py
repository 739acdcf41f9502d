"""Autosave and recovery, for real: a dvar process is killed mid-edit and the next one recovers."""

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dvar import core
from dvar.gui.app.window import MainWindow
from dvar.gui.document import autosave
from dvar.gui.document.document import Document
from dvar.gui.document.field_commands import SetField

EDIT_AND_WAIT = textwrap.dedent(
    """
    import os, sys, time
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    app.setOrganizationName("dvar"); app.setApplicationName("dvar")
    import dvar.gui.document.autosave
    dvar.gui.document.autosave.INTERVAL_MS = 100
    from dvar.gui.app.window import MainWindow
    from dvar.gui.document.field_commands import SetField
    window = MainWindow()
    window.show()
    graph = window.document.graph
    window.document.run(SetField.to(graph, graph.key_of("a"), "value", 7.5))
    deadline = time.time() + 10
    while not window.autosaver.path.exists() and time.time() < deadline:
        app.processEvents()
    print("AUTOSAVED", window.autosaver.path, flush=True)
    while True:
        app.processEvents()
        time.sleep(0.01)
    """
)


def _start_editing(data_home: Path) -> tuple[subprocess.Popen, Path]:
    env = dict(os.environ, XDG_DATA_HOME=str(data_home), QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen(
        [sys.executable, "-c", EDIT_AND_WAIT],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = proc.stdout.readline()
    proc.stdout.close()
    assert line.startswith("AUTOSAVED"), line
    return proc, Path(line.split(maxsplit=1)[1].strip())


@pytest.mark.slow
def test_killed_dvar_is_recovered_by_the_next_start(tmp_path, monkeypatch, qtbot, dialogs):
    proc, saved = _start_editing(tmp_path)
    try:
        # While the editing process lives, its autosave is not up for grabs.
        assert autosave.orphans(saved.parent) == []
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    assert saved.exists()

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    window = MainWindow(Document.lecture())
    qtbot.addWidget(window)
    window.offer_recovery()
    assert dialogs and dialogs[0][0] == "question"  # recovery was offered
    # conftest answers questions with Discard, which is not Yes: the work was dropped
    assert not saved.exists()


@pytest.mark.slow
def test_recovering_restores_the_killed_edit(tmp_path, monkeypatch, qtbot):
    from PySide6.QtWidgets import QMessageBox

    proc, saved = _start_editing(tmp_path)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window = MainWindow(Document.lecture())
    qtbot.addWidget(window)
    window.offer_recovery()
    graph = window.document.graph
    assert graph.node("a").value == 7.5
    assert window.document.evaluation.values["J"] == 3 * (7.5 + 6)
    assert window.isWindowModified()  # recovered work is not saved anywhere yet
    assert not saved.exists()  # taken over: the new window autosaves it under its own name
    window.document.undo_stack.setClean()


def test_autosave_follows_the_clean_state(window, qtbot):
    saver = window.autosaver
    graph = window.document.graph
    assert not saver.write()  # nothing unsaved, nothing written
    window.document.run(SetField.to(graph, graph.key_of("b"), "value", 4.0))
    assert saver.write()
    assert core.load(saver.path).node("b").value == 4.0
    meta = json.loads(saver.info.read_text())
    assert meta["name"] == "lecture.dvar" and meta["pid"] == os.getpid()
    window.document.undo_stack.undo()  # back to the saved state
    assert not saver.path.exists()


def test_a_live_windows_autosave_is_never_taken(window, tmp_path):
    graph = window.document.graph
    window.document.run(SetField.to(graph, graph.key_of("b"), "value", 4.0))
    assert window.autosaver.write()
    assert autosave.orphans(window.autosaver.folder) == []


def test_two_windows_keep_separate_autosaves(qtbot):
    first, second = MainWindow(Document.lecture()), MainWindow(Document.lecture())
    for w in (first, second):
        qtbot.addWidget(w)
        g = w.document.graph
        w.document.run(SetField.to(g, g.key_of("a"), "value", 1.0 if w is first else 2.0))
        assert w.autosaver.write()
    assert first.autosaver.path != second.autosaver.path
    assert core.load(first.autosaver.path).node("a").value == 1.0
    assert core.load(second.autosaver.path).node("a").value == 2.0
    for w in (first, second):
        w.document.undo_stack.setClean()


def test_normal_close_removes_the_autosave(qtbot):
    w = MainWindow(Document.lecture())
    qtbot.addWidget(w)
    g = w.document.graph
    w.document.run(SetField.to(g, g.key_of("a"), "value", 1.0))
    assert w.autosaver.write()
    path = w.autosaver.path
    w.close()  # conftest answers "Discard"
    assert not path.exists()
    assert not path.with_suffix(".lock").exists()


def test_corrupt_autosave_is_reported_and_set_aside(tmp_path, monkeypatch, qtbot, dialogs):
    from PySide6.QtWidgets import QMessageBox

    folder = tmp_path / "dvar" / "autosave"
    folder.mkdir(parents=True)
    (folder / "999999-dead.dvar").write_bytes(b'{"format": "dvar", "version": 1, "nod')
    (folder / "999999-dead.json").write_text("not json either")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window = MainWindow(Document.lecture())
    qtbot.addWidget(window)
    before = core.dumps(window.document.graph)
    window.offer_recovery()
    assert [kind for kind, _ in dialogs] == ["warning"]
    assert "set aside" in dialogs[0][1]
    assert (folder / "999999-dead.corrupt").exists()
    assert not (folder / "999999-dead.dvar").exists()
    assert core.dumps(window.document.graph) == before  # the open document is untouched


def test_after_a_slow_write_the_timer_waits_for_a_pause(window, monkeypatch):
    # A huge graph's write takes most of a second: the timer must not make an edit feel
    # it, so after a slow write it writes only when the document rests (or waited long).
    saver = window.autosaver
    graph = window.document.graph
    clock = [1000.0]
    monkeypatch.setattr(autosave.time, "monotonic", lambda: clock[0])
    real_save = autosave.core.save

    def slow_save(g, path):
        real_save(g, path)
        clock[0] += 0.5  # as if writing took half a second

    monkeypatch.setattr(autosave.core, "save", slow_save)
    window.document.run(SetField.to(graph, graph.key_of("b"), "value", 4.0))
    assert saver.due()  # quick so far: the timer writes
    assert saver.write()
    window.document.run(SetField.to(graph, graph.key_of("b"), "value", 5.0))
    assert not saver.due()  # just edited, and just after a slow write
    clock[0] += autosave.REST
    assert not saver.due()  # rested, but writes of 0.5 s stay SPACING × 0.5 s apart
    clock[0] += autosave.SPACING * 0.5
    assert saver.due()
    window.document.run(SetField.to(graph, graph.key_of("b"), "value", 6.0))
    assert not saver.due()  # a new edit: wait for the next pause ...
    for _ in range(int(autosave.LONGEST_WAIT)):  # ... unless edits never pause
        clock[0] += 1.0
        window.document.run(SetField.to(graph, graph.key_of("b"), "value", clock[0]))
    assert saver.due()
    window.document.undo_stack.setClean()
