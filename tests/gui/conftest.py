"""GUI tests run offscreen: this must be set before any QApplication exists."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from dvar.gui.app.window import MainWindow  # noqa: E402
from dvar.gui.document.document import Document  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    """Keep QSettings (notation, recent files) out of the user's real config."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # autosaves go here
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    # QSettings("dvar", "dvar") uses the native format, and Qt reads XDG_CONFIG_HOME only
    # once per process: point it at this test's folder too, or tests share one file.
    config = str(tmp_path / "config")
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, config)


@pytest.fixture(autouse=True)
def _default_look():
    """Preferences a test chose (number precision, theme) do not leak into the next."""
    yield
    from dvar.gui import numbers
    from dvar.gui.dialogs.preferences import apply_theme

    numbers.set_digits(numbers.DIGITS)
    apply_theme("system")


@pytest.fixture(autouse=True)
def dialogs(monkeypatch):
    """Message boxes never block a test: they are recorded, and questions answer Discard."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []

    def record(kind, answer):
        def show(parent, title, text, *args, **kwargs):
            shown.append((kind, text))
            return answer

        return show

    monkeypatch.setattr(
        QMessageBox, "question", record("question", QMessageBox.StandardButton.Discard)
    )
    monkeypatch.setattr(QMessageBox, "warning", record("warning", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "critical", record("critical", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(
        QMessageBox, "information", record("information", QMessageBox.StandardButton.Ok)
    )
    kinds = {
        QMessageBox.Icon.Question: "question",
        QMessageBox.Icon.Warning: "warning",
        QMessageBox.Icon.Critical: "critical",
    }

    def run_box(box):
        """A message box made and run by hand (gui.messages) goes where the static one
        of its kind goes, so a test's own answer for ``question`` applies to both."""
        show = getattr(QMessageBox, kinds.get(box.icon(), "information"))
        default = box.defaultButton()
        default = box.standardButton(default) if default else QMessageBox.StandardButton.NoButton
        return show(box.parent(), box.windowTitle(), box.text(), box.standardButtons(), default)

    monkeypatch.setattr(QMessageBox, "exec", run_box)
    return shown


@pytest.fixture(autouse=True)
def _empty_clipboard(qapp):
    """Copying hands a QMimeData to the clipboard; if one is still there when the test
    process exits, Qt's teardown segfaults (exit 139 after every test passed)."""
    yield
    qapp.clipboard().clear()


@pytest.fixture
def window(qtbot):
    """The main window on the lecture graph, shown and sized."""
    win = MainWindow(Document.lecture())
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.view.resetTransform()
    win.document.undo_stack.setClean()
    yield win
    win.document.undo_stack.setClean()  # no "save changes?" prompt on teardown


@pytest.fixture
def empty_window(qtbot):
    """A main window on an empty, untitled graph."""
    win = MainWindow(Document())
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.view.resetTransform()
    yield win
    win.document.undo_stack.setClean()
