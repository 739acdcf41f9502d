"""Starting dvar on a file: a broken one is one error line and exit 2; a good one opens."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from dvar import core
from dvar.core.resources import lessons
from dvar.gui.app import application as app
from dvar.gui.app.window import MainWindow

BROKEN = '{"format": "dvar", "version": 1, "output": "J", "nodes": [{"id": "J", "op": "nope"}]}'


#: Run as from a terminal (a desktop launch would also show a dialog).
ENV = {k: v for k, v in os.environ.items() if k != "GIO_LAUNCHED_DESKTOP_FILE"}
ENV["QT_QPA_PLATFORM"] = "offscreen"


def dvar() -> list[str]:
    script = Path(sys.executable).with_name("dvar")
    return [str(script)] if script.exists() else [sys.executable, "-m", "dvar"]


@pytest.mark.slow
def test_dvar_on_a_broken_file_exits_2_with_one_error_line(tmp_path):
    path = tmp_path / "broken.dvar"
    path.write_text(BROKEN, encoding="utf-8")
    result = subprocess.run(
        [*dvar(), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env=ENV,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("dvar: error: ")
    assert str(path) in lines[0] and "nope" in lines[0]


def test_dvar_opens_the_given_file_with_its_name_in_the_title(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "mine.dvar"
    graph = core.load(core.example_path("lecture"))
    graph.set_value("a", 7)
    core.save(graph, path)
    shown: list[MainWindow] = []

    def exec_() -> int:  # the event loop: look at the window instead of waiting on it
        shown.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(exec_))
    assert app.run(str(path)) == 0
    (win,) = [w for w in shown if w.document.path == path]
    qtbot.addWidget(win)
    QApplication.processEvents()  # start-up timers run while the window lives
    assert win.windowTitle() == "mine.dvar[*] — dvar"
    assert not win.isWindowModified()
    assert core.dumps(win.document.graph) == core.dumps(graph)
    assert win.scene.nodes[win.document.graph.key_of("J")].value_text == "J = 3·v = 39"


def test_the_window_never_opens_bigger_than_the_screen(qtbot, monkeypatch):
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QGuiApplication

    from dvar.gui.app.window import MainWindow
    from dvar.gui.document.document import Document

    screen = QGuiApplication.primaryScreen()
    monkeypatch.setattr(type(screen), "availableGeometry", lambda self: QRect(0, 0, 1024, 700))
    small = MainWindow(Document.lecture())
    qtbot.addWidget(small)
    assert small.width() <= 1024 and small.height() <= 700
    monkeypatch.setattr(type(screen), "availableGeometry", lambda self: QRect(0, 0, 2560, 1440))
    big = MainWindow(Document.lecture())
    qtbot.addWidget(big)
    assert (big.width(), big.height()) == (1280, 800)


@pytest.mark.parametrize(
    "module", ["networkx", "dvar.gui.teach.lesson_editor", "dvar.gui.canvas.worksheet"]
)
def test_opening_the_lecture_does_not_load_what_it_does_not_use(tmp_path, module):
    """networkx costs about 0.2 s to import, and the lesson editor and worksheets are
    for when they are asked for: the window on the lecture needs none of them."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen")
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from dvar.gui.app.window import MainWindow\n"
        "w = MainWindow(); w.show(); app.processEvents()\n"
        f"print({module!r} in sys.modules)\n"
        "w.document.undo_stack.setClean()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env=env,
    )
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_the_recovery_question_and_the_lesson_question_come_one_after_the_other(qtbot, monkeypatch):
    # The recovery question runs its own event loop: the lesson's question must wait
    # for it to be answered, not open over it.
    said: list[str] = []

    def offer_recovery(window) -> None:
        said.append("recovery asked")
        for _ in range(3):
            QApplication.processEvents()  # as a modal question box does while open
        said.append("recovery answered")

    monkeypatch.setattr(MainWindow, "offer_recovery", offer_recovery)
    monkeypatch.setattr(MainWindow, "offer_lesson", lambda window: said.append("lesson asked"))
    shown: list[MainWindow] = []

    def exec_() -> int:
        shown.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
        for _ in range(3):
            QApplication.processEvents()
        return 0

    monkeypatch.setattr(QApplication, "exec", staticmethod(exec_))
    lesson = next(iter(lessons().values()))
    assert app.run(str(lesson)) == 0
    for win in shown:
        qtbot.addWidget(win)
    assert said == ["recovery asked", "recovery answered", "lesson asked"]
