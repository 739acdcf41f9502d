"""The palette of operations: drag one onto the canvas, or double-click to add it."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDrag
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem

from dvar import core
from dvar.gui.canvas.view import OP_MIME

OP_ROLE = Qt.ItemDataRole.UserRole


class Palette(QListWidget):
    """Every op in ``core.OPS``, with its symbol and a tooltip saying what it computes."""

    #: An op was double-clicked (or activated with Enter).
    op_chosen = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setAccessibleName("Operations palette")
        for op in core.OPS.values():
            item = QListWidgetItem(f"{op.name}   {op.symbol}".rstrip())
            item.setData(OP_ROLE, op.name)
            partials = ", ".join(op.partial_texts)
            tip = op.title if op.is_leaf else f"{op.title}: {op.arity} operand(s); ∂: {partials}"
            item.setToolTip(tip + "\nDrag onto the canvas, or double-click to add.")
            self.addItem(item)
        self.itemActivated.connect(lambda item: self.op_chosen.emit(item.data(OP_ROLE)))

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:
        data = QMimeData()
        if items:
            data.setData(OP_MIME, items[0].data(OP_ROLE).encode())
        return data

    def startDrag(self, actions) -> None:
        item = self.currentItem()
        if item is None:
            return
        drag = QDrag(self)
        drag.setMimeData(self.mimeData([item]))
        drag.exec(Qt.DropAction.CopyAction)
