"""Starting the editor: the QApplication, the first window, and the file to open."""

from __future__ import annotations

import os
import sys

from dvar import core


def _show_error(title: str, text: str) -> None:
    from PySide6.QtWidgets import QApplication

    from dvar.gui import messages

    app = QApplication.instance() or QApplication(sys.argv[:1])  # noqa: F841 - keeps it alive
    messages.critical(None, f"{title} — dvar", text)  # the file's words, never rich text


def run(path: str | None = None, lesson: bool = False) -> int:
    """Open the main window on ``path`` (or on the lecture graph) and run until it closes;
    with ``lesson``, in the player of the file's lesson (``dvar lesson FILE``).

    A file that cannot be opened is reported like any ``dvar`` error (exit 2) before
    a window appears; when a desktop launched dvar (a double-click), where nobody reads
    stderr, the same line is also shown in a dialog.
    """
    if path is not None:
        try:
            graph = core.load(path)
        except core.FileFormatError as error:
            print(f"dvar: error: {error}", file=sys.stderr)
            if os.environ.get("GIO_LAUNCHED_DESKTOP_FILE"):
                _show_error("Cannot open file", str(error))
            return 2
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from dvar.gui.app.desktop import APP_ID, icon_path
    from dvar.gui.app.window import MainWindow
    from dvar.gui.document.document import Document

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("dvar")
    app.setOrganizationName("dvar")
    app.setApplicationDisplayName("dvar")
    app.setDesktopFileName(APP_ID)  # matches dvar.desktop, for the taskbar (Wayland app id)
    app.setWindowIcon(QIcon(str(icon_path())))
    document = Document(graph, path) if path is not None else Document.lecture()
    window = MainWindow(document)
    window.show()
    if path is not None:
        window.remember(path)

    def first_questions() -> None:
        # One after the other: the recovery question runs its own event loop, and a
        # second timer would open the lesson's question over it.
        window.offer_recovery()
        if path is None or graph.lesson is None:
            return
        if lesson:  # dvar lesson FILE plays it; opening the file asks
            window.play_lesson()
        else:
            window.offer_lesson()

    QTimer.singleShot(0, first_questions)
    app.aboutToQuit.connect(_release_clipboard)
    return app.exec()


def _release_clipboard() -> None:
    """Offscreen Qt crashes at exit while it still owns clipboard data: let go of it."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.platformName() == "offscreen":
        clipboard = QGuiApplication.clipboard()
        if clipboard.ownsClipboard():
            clipboard.clear()
