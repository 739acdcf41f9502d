"""The Edit menu's work on the canvas: copy, cut, paste, duplicate, delete, select, find.

:class:`EditMenu` is a part of the main window (a mixin): it reads the window's
``document``, ``scene`` and ``view`` and runs its edits through ``Document.run``.

May import: ``gui.canvas``, ``gui.document`` and Qt.
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog

from dvar.gui.canvas import notes
from dvar.gui.document.clipboard import copy_nodes, paste_records
from dvar.gui.document.structure_commands import AddNodes, RemoveItems


class EditMenu:
    """Clipboard, delete and selection for the main window."""

    def selected_keys(self) -> list[int]:
        return self.scene.selected_keys()

    def copy(self) -> bool:
        keys = self.scene.selected_with_chips()
        if not keys:
            self.show_message("Nothing selected to copy")
            return False
        QGuiApplication.clipboard().setMimeData(copy_nodes(self.document.graph, keys))
        self.show_message(f"Copied {len(keys)} node{'s' * (len(keys) != 1)}")
        return True

    def cut(self) -> None:
        if self.copy():
            self.delete_selection()

    def paste(self) -> None:
        records = paste_records(QGuiApplication.clipboard().mimeData())
        if not records:
            self.show_message("The clipboard holds no dvar nodes")
            return
        self._add_records(records, f"Paste {len(records)} node{'s' * (len(records) != 1)}")

    def duplicate(self) -> None:
        keys = self.scene.selected_with_chips()
        if not keys:
            self.show_message("Select nodes to duplicate")
            return
        records = paste_records(copy_nodes(self.document.graph, keys))
        self._add_records(records, f"Duplicate {len(records)} node{'s' * (len(records) != 1)}")

    def _add_records(self, records: list[dict], text: str) -> None:
        command = AddNodes(self.document.graph, records, text)
        if self.document.run(command):
            self.scene.select_keys(command.keys)

    def delete_selection(self) -> None:
        keys, edges = self.scene.selected_with_chips(), self.scene.selected_edges()
        note_keys = self.scene.selected_note_keys()
        if not keys and not edges and not note_keys:
            self.show_message("Nothing selected to delete")
            return
        stack = self.document.undo_stack
        both = bool(note_keys) and bool(keys or edges)
        if both:
            stack.beginMacro("Delete")
        try:
            if note_keys:
                notes.delete_notes(self.scene, note_keys)
            if keys or edges:
                self.document.run(RemoveItems(self.document.graph, keys, edges))
        finally:
            if both:
                stack.endMacro()

    def select_all(self) -> None:
        self.scene.select_keys(self.scene.nodes, boxes=True)

    def find_node(self) -> None:
        ids = sorted(node.id for node in self.document.graph)
        if not ids:
            return
        text, ok = QInputDialog.getItem(self, "Find node", "Name:", ids, 0, True)
        if not ok or not text:
            return
        if text not in self.document.graph:
            self.show_message(f"No node named {text!r}")
            return
        key = self.document.graph.key_of(text)
        self.scene.select_keys([key])
        self.view.center_on_node(key)
