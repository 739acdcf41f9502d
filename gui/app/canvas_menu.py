"""The canvas's right-click menu: on a node, on a note or frame, or on empty canvas.

:class:`CanvasMenu` is a part of the main window (a mixin): its entries are the
window's own actions (``window.actions``) and its Add Node / Add Note commands.

May import: ``core``, ``gui.canvas`` and Qt.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMenu

from dvar import core
from dvar.gui.canvas import notes
from dvar.gui.canvas.nodes import NodeItem
from dvar.gui.canvas.notes import NoteItem


class CanvasMenu:
    """The context menu of the main window's canvas."""

    def _canvas_menu(self, point) -> None:
        scene_pos = self.view.mapToScene(point)
        item = self.scene.node_at(scene_pos)
        menu = QMenu(self)
        under = self.view.itemAt(point)
        if item is None and isinstance(under, NoteItem):
            self._note_menu(menu, under)
        elif isinstance(item, NodeItem):
            if not item.isSelected():
                self.scene.select_keys([item.key])
            node = self.document.graph.node(item.key)
            if node.op.is_leaf:
                menu.addAction(self.actions["edit_value"])
            menu.addAction(self.actions["rename"])
            menu.addAction(self.actions["set_output"])
            menu.addAction(self.actions["nudge"])
            menu.addSeparator()
            menu.addActions(
                [self.actions["copy"], self.actions["duplicate"], self.actions["delete"]]
            )
        else:
            add = menu.addMenu("Add Node")
            for op in core.OPS.values():
                add.addAction(
                    f"{op.name}  {op.symbol}", lambda o=op.name: self.view.add_node(o, scene_pos)
                )
            menu.addAction("Add No&te", lambda: self.add_note("note", scene_pos))
            menu.addAction("Add Fra&me", lambda: self.add_note("frame", scene_pos))
            menu.addAction(self.actions["paste"])
            menu.addSeparator()
            menu.addAction(self.actions["fit"])
        menu.exec(self.view.viewport().mapToGlobal(point))

    def _note_menu(self, menu: QMenu, item: NoteItem) -> None:
        if not item.isSelected():
            self.scene.clearSelection()
            item.setSelected(True)
        key = item.key
        menu.addAction("Edit &Text…", lambda: self.edit_note_text(key))
        colours = menu.addMenu("&Colour")
        for name, colour in notes.COLORS.items():
            colours.addAction(name, lambda c=colour: notes.set_color(self.scene, key, c))
        menu.addSeparator()
        menu.addAction(self.actions["delete"])
