"""After a crash or a kill: offering the unsaved work that other dvar sessions left behind."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from dvar.core.oserrors import reason
from dvar.gui import messages
from dvar.gui.document import autosave
from dvar.gui.document.document import Document


class RecoveryOffer:
    """The main window's offer to recover orphaned autosaves, one at a time."""

    def offer_recovery(self) -> None:
        """Offer the unsaved work other dvar sessions left behind.

        Each orphan is offered on its own, so one that cannot be read never keeps the
        others from being offered.  A recovered orphan is deleted only once the window
        holding its work has written that work to its own autosave.
        """
        for found in autosave.orphans(self.autosaver.folder):
            self._offer_one(found)

    def _offer_one(self, found: autosave.Recovery) -> None:
        answer = messages.question(
            self,
            "Recover unsaved work?",
            f"dvar did not close normally last time. Unsaved work was kept:\n\n"
            f"{found.describe()}\n\nRecover it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            found.discard()
            return
        try:
            graph = found.load()
        except Exception as error:  # a damaged autosave, whatever the damage: set it aside
            try:
                kept = f"was set aside as {found.set_aside()}"
            except OSError as why:
                found.lock.unlock()
                kept = f"was left where it is ({reason(why)})"
            messages.warning(
                self, "Cannot recover", f"The autosave could not be read and {kept}: {error}"
            )
            return
        document = Document(graph, found.source, untitled_name=found.name)
        document.undo_stack.resetClean()  # recovered work is not saved anywhere yet
        if self.document.undo_stack.isClean():
            target = self
            self.set_document(document)
        else:
            target = type(self)(document)
            self.recovered_windows.append(target)  # a window nobody holds would vanish
            target.show()
        target.autosaver.adopt(found)
        target.show_message(f"Recovered {found.name}")
