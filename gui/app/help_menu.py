"""The Help menu: dvar's own lessons, the keyboard shortcuts, About.

:class:`HelpMenu` is a part of the main window (a mixin); a lesson opens as an
untitled copy through the window's ``set_document`` and plays in its lesson player.

May import: ``core``, ``gui.dialogs``, ``gui.document``, ``gui.messages`` and Qt.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMenu, QMessageBox

from dvar import core
from dvar.core.resources import lessons as bundled_lessons
from dvar.gui import messages
from dvar.gui.app import actions
from dvar.gui.dialogs.shortcuts import ShortcutSheet
from dvar.gui.document.document import Document


class HelpMenu:
    """Help for the main window."""

    def _build_lessons_menu(self, menu: QMenu) -> None:
        """Help → Lessons: dvar's own lessons by title, read from the files when it opens."""
        menu.aboutToShow.connect(lambda: self._fill_lessons_menu(menu))

    def _fill_lessons_menu(self, menu: QMenu) -> None:
        menu.clear()
        for name, path in bundled_lessons().items():
            try:
                title = core.load(path).lesson.title
            except (core.FileFormatError, OSError, AttributeError):
                continue  # a damaged install: the menu lists the lessons that load
            menu.addAction(title, lambda n=name: self.open_bundled_lesson(n))

    def open_bundled_lesson(self, name: str) -> bool:
        """Open one of dvar's lessons as an untitled copy (Save never writes into the
        installed package) and play it."""
        if not self._confirm_discard():
            return False
        path = bundled_lessons()[name]
        try:
            graph = core.load(path)
        except (core.FileFormatError, OSError) as error:
            messages.critical(self, "Cannot open the lesson", f"{path.name}: {error}")
            return False
        self.set_document(Document(graph, None, self, f"{name}.dvar"))
        return self.play_lesson()

    def show_shortcuts(self) -> None:
        ShortcutSheet(actions.shortcut_sections(self.actions), self).exec()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About dvar",
            f"<h3>dvar {core.__version__}</h3>"
            "<p>Build a computation graph and watch backpropagation: every node shows its "
            "value and, in red, its derivative <i>dnode</i> = ∂J/∂node. The derivative "
            "panel explains each one with the chain rule.</p>"
            "<p>Opens with the lecture's example J = 3(a + bc).</p>",
        )
