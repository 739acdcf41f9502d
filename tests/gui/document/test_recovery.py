"""Recovery after a crash: recovered work survives a second crash, and one damaged
autosave never blocks the others."""

import json
import math
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from dvar import core
from dvar.gui.app.window import MainWindow
from dvar.gui.document import autosave
from dvar.gui.document.document import Document
from tests.gui.document.test_autosave import _start_editing

RECOVER_AND_DIE = textwrap.dedent(
    """
    import os, signal, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication, QMessageBox
    app = QApplication([])
    app.setOrganizationName("dvar"); app.setApplicationName("dvar")
    QMessageBox.exec = lambda box: QMessageBox.StandardButton.Yes  # "Recover it?" Yes
    from dvar.gui.app.window import MainWindow
    window = MainWindow()
    window.show()
    window.offer_recovery()
    assert window.document.graph.node("a").value == 7.5, "not recovered"
    print("RECOVERED", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)  # a second crash, long before the autosave timer
    """
)


def _orphan(folder: Path, name: str, value: float, saved) -> Path:
    """An autosave left by a dead dvar: its data, its sidecar, and no lock."""
    folder.mkdir(parents=True, exist_ok=True)
    graph = core.load(core.example_path("lecture"))
    graph.set_value("a", value)
    data = folder / f"{name}.dvar"
    core.save(graph, data)
    meta = {"name": f"{name}.dvar", "source": None, "saved": saved, "pid": 999999}
    (folder / f"{name}.json").write_text(json.dumps(meta), encoding="utf-8")
    return data


def _recovered_values(folder: Path) -> list[float]:
    """The value of a in every autosave a next start would offer (locks released after)."""
    values = []
    for found in autosave.orphans(folder):
        values.append(found.load().node("a").value)
        found.lock.unlock()
    return values


@pytest.fixture
def say_yes(monkeypatch, dialogs):
    """Answer Yes to every recovery question, and still record what was asked."""

    def yes(parent, title, text, *args, **kwargs):
        dialogs.append(("question", text))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    return dialogs


@pytest.fixture
def folder():
    """Where this test's windows autosave (conftest points the data folder at tmp_path)."""
    return autosave.folder()


def _close(window: MainWindow) -> None:
    for w in [window, *window.recovered_windows]:
        w.document.undo_stack.setClean()
        w.autosaver.finish()


@pytest.mark.slow
def test_a_second_crash_right_after_recovering_loses_nothing(tmp_path):
    proc, saved = _start_editing(tmp_path)
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    started = time.monotonic()
    second = subprocess.run(
        [sys.executable, "-c", RECOVER_AND_DIE],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "RECOVERED" in second.stdout, second.stderr
    assert second.returncode == -signal.SIGKILL
    assert time.monotonic() - started < 30
    # The third start still finds the work: in the second dvar's own autosave.
    assert _recovered_values(saved.parent) == [7.5]


def test_the_orphan_is_deleted_only_once_the_new_autosave_holds_the_work(
    folder, monkeypatch, qtbot, say_yes
):
    orphan = _orphan(folder, "4242-dead", 7.5, time.time())
    window = MainWindow(Document.lecture())
    qtbot.addWidget(window)
    seen = []
    discard = autosave.Recovery.discard

    def checked_discard(recovery):
        new = window.autosaver.path
        seen.append(new.exists() and core.load(new).node("a").value)
        discard(recovery)

    monkeypatch.setattr(autosave.Recovery, "discard", checked_discard)
    window.offer_recovery()
    assert window.document.graph.node("a").value == 7.5
    assert seen == [7.5]  # at the moment the orphan went, the work was safe elsewhere
    assert not orphan.exists()
    _close(window)


def test_a_failed_autosave_keeps_the_orphan_until_one_succeeds(folder, monkeypatch, qtbot, say_yes):
    orphan = _orphan(folder, "4242-dead", 7.5, time.time())
    window = MainWindow(Document.lecture())
    qtbot.addWidget(window)
    real_save = core.save

    def full_disk(graph, path):
        if Path(path) == window.autosaver.path:
            raise OSError(28, "No space left on device")
        return real_save(graph, path)

    monkeypatch.setattr(core, "save", full_disk)
    window.offer_recovery()
    assert window.document.graph.node("a").value == 7.5
    assert window.autosaver.error and "No space" in window.autosaver.error
    assert orphan.exists()  # the only copy on disk stays
    assert autosave.orphans(folder) == []  # and stays ours: no other dvar takes it meanwhile
    monkeypatch.setattr(core, "save", real_save)
    window.autosaver.timer.timeout.emit()  # the next autosave tick
    assert core.load(window.autosaver.path).node("a").value == 7.5
    assert not orphan.exists()
    _close(window)


def test_saving_recovered_work_releases_the_orphan(tmp_path, folder, monkeypatch, qtbot, say_yes):
    orphan = _orphan(folder, "4242-dead", 7.5, time.time())
    window = MainWindow(Document.lecture())
    qtbot.addWidget(window)
    real_save = core.save

    def no_autosave(graph, path):
        if Path(path) == window.autosaver.path:
            raise OSError(28, "No space left on device")
        return real_save(graph, path)

    monkeypatch.setattr(core, "save", no_autosave)
    window.offer_recovery()
    assert orphan.exists()
    assert window._save_to(tmp_path / "kept.dvar")
    assert not orphan.exists() and not orphan.with_suffix(".lock").exists()
    assert core.load(tmp_path / "kept.dvar").node("a").value == 7.5
    _close(window)


CORRUPT_TIMES = [1e300, math.nan, -1e20, 9e18, "yesterday", math.inf, None, True, [1]]


@pytest.mark.parametrize("saved", CORRUPT_TIMES, ids=repr)
def test_a_corrupt_saved_time_is_described_without_raising(folder, saved):
    _orphan(folder, "4242-dead", 7.5, saved)
    (found,) = autosave.orphans(folder)
    try:
        text = found.describe()
        assert text.startswith("4242-dead.dvar, ")
        # the time shown is the file's own: nothing made up, nothing out of range
        assert math.isfinite(found.saved)
        assert found.saved == pytest.approx((folder / "4242-dead.dvar").stat().st_mtime)
    finally:
        found.lock.unlock()


@pytest.mark.parametrize("saved", CORRUPT_TIMES, ids=repr)
def test_one_corrupt_sidecar_never_blocks_the_other_orphans(
    folder, monkeypatch, qtbot, say_yes, saved
):
    now = time.time()
    _orphan(folder, "1000-good", 1.5, now - 60)
    _orphan(folder, "2000-odd", 2.5, saved)
    _orphan(folder, "3000-good", 3.5, now - 120)
    errors = []
    monkeypatch.setattr(sys, "excepthook", lambda *exc: errors.append(exc))
    window = MainWindow(Document.lecture())
    qtbot.addWidget(window)
    window.offer_recovery()
    QApplication.processEvents()
    assert errors == []
    asked = [text for kind, text in say_yes if kind == "question"]
    assert len(asked) == 3 and all("Recover it?" in text for text in asked)
    assert any("2000-odd.dvar" in text for text in asked)
    windows = [window, *window.recovered_windows]
    assert sorted(w.document.graph.node("a").value for w in windows) == [1.5, 2.5, 3.5]
    assert all(w.isVisible() for w in window.recovered_windows)
    assert not list(folder.glob("[123]000-*.dvar"))  # each moved into a live autosave
    _close(window)


def test_an_orphan_that_cannot_be_read_is_set_aside_and_the_rest_offered(
    folder, monkeypatch, qtbot, say_yes
):
    _orphan(folder, "1000-good", 1.5, time.time())
    (folder / "2000-bad.dvar").write_bytes(b'{"format": "dvar", "nodes": [')
    (folder / "2000-bad.json").write_text('{"saved": NaN, "name": 7}')
    (folder / "3000-link.dvar").symlink_to(folder / "nowhere.dvar")  # stat() fails
    window = MainWindow(Document.lecture())
    qtbot.addWidget(window)
    window.offer_recovery()
    assert window.document.graph.node("a").value == 1.5
    assert [kind for kind, _ in say_yes].count("warning") == 1  # the unreadable one
    assert (folder / "2000-bad.corrupt").exists()
    assert (folder / "3000-link.corrupt").is_symlink()
    assert not window.recovered_windows
    _close(window)
