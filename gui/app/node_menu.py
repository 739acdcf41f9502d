"""The Node menu's work: add a node or a note, edit a value or a note's text, rename,
set the output, build from a formula, arrange.

:class:`NodeMenu` is a part of the main window (a mixin): it acts on the window's
``document`` through ``Document.run`` and on its ``scene``, ``view`` and docks.

May import: ``core``, ``gui.canvas``, ``gui.document`` and Qt; ``gui.dialogs.formula``
only inside the method that needs it (loaded when asked for).
"""

from __future__ import annotations

from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QDialog, QInputDialog

from dvar import core
from dvar.gui.canvas import notes
from dvar.gui.canvas.group_actions import arrange_shown
from dvar.gui.document.field_commands import MoveNodes
from dvar.gui.document.structure_commands import SetOutput


class NodeMenu:
    """Node-by-node editing for the main window."""

    def open_quick_add(self) -> None:
        self.quick_add.open(self.view.cursor_scene_pos())

    def _add_from_palette(self, op: str) -> None:
        center = self.view.mapToScene(self.view.viewport().rect().center())
        self.view.add_node(op, center - QPointF(78, 36))
        self.view.setFocus()

    def _single_selected(self) -> int | None:
        keys = self.selected_keys()
        if len(keys) != 1:
            self.show_message("Select one node first")
            return None
        return keys[0]

    def edit_value(self) -> None:
        key = self._single_selected()
        if key is None:
            return
        if not self.document.graph.node(key).op.is_leaf:
            self.show_message(
                f"{self.document.graph.id_of(key)} is computed; only inputs and "
                "constants have a value to edit"
            )
            return
        self.view.edit_value(key)

    def rename(self) -> None:
        if self.scene.groups.rename(self):  # a group's box: its title
            return
        key = self._single_selected()
        if key is not None:
            self.docks["inspector"].show()
            self.inspector.focus_name()

    def set_output(self) -> None:
        key = self._single_selected()
        if key is not None and key != self.document.graph.output_key:
            self.document.run(SetOutput(self.document.graph, key))

    def build_from_formula(self) -> None:
        from dvar.gui.dialogs.formula import FormulaDialog

        dialog = FormulaDialog(self.document, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.command is not None:
            self.scene.select_keys(list(dialog.command.result.created_keys))
            self.view.fit()

    def arrange(self) -> None:
        """Lay out the selection (or everything) in layers; one undoable step."""
        if arrange_shown(self.scene):  # groups collapsed: what is shown, a box as one
            return
        graph = self.document.graph
        keys = self.selected_keys() or None
        positions = core.arrange(graph, keys)
        moves = {}
        for key, (x, y) in positions.items():
            node = graph.node(key)
            if (node.x, node.y) != (x, y):
                moves[key] = ((node.x, node.y), (x, y))
        if not moves:
            self.show_message("Already arranged")
            return
        self.document.run(MoveNodes(graph, moves, "Arrange"))
        if keys is None:
            self.view.fit()

    def add_note(self, kind: str, at: QPointF | None = None) -> int | None:
        """Node → Add Note / Add Frame: placed at ``at`` or at the mouse."""
        return notes.add_note(self.scene, kind, at or self.view.cursor_scene_pos())

    def edit_note_text(self, key: int) -> None:
        """Edit a note's text (a frame's title) as plain text."""
        note = self.document.graph.notes.get(key)
        if note is None:
            return
        what = "title" if note.kind == "frame" else "text"
        text, ok = QInputDialog.getMultiLineText(
            self, f"Edit {note.kind}", f"The {note.kind}'s {what} (plain text):", note.text
        )
        if ok:
            notes.set_text(self.scene, key, text)
