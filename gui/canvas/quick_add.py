"""Quick-add: Tab's search box at the cursor, to add a node by typing part of its op's name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, Qt, QTimer
from PySide6.QtWidgets import QFrame, QLineEdit, QListWidget, QStyle, QVBoxLayout

from dvar import core

if TYPE_CHECKING:
    from dvar.gui.canvas.view import GraphView


class QuickAdd(QFrame):
    """Tab's search box at the cursor: type part of an op's name, Enter adds it."""

    def __init__(self, view: GraphView) -> None:
        super().__init__(view.viewport())
        self.view = view
        self.at = QPointF()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Add node… (type to search)")
        self.search.setAccessibleName("Add node: type part of an operation's name")
        self.list = QListWidget(self)
        self.list.setAccessibleName("Matching operations")
        self.setAccessibleName("Quick add")
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._choose)
        self.list.itemActivated.connect(lambda _: self._choose())
        self.search.installEventFilter(self)
        self.hide()

    def open(self, at: QPointF) -> None:
        self.at = at
        self.search.clear()
        self._filter("")
        self._fit_to_text()
        local = self.view.mapFromScene(at)
        viewport = self.view.viewport().rect()
        x = min(max(0, local.x()), viewport.width() - self.width())
        y = min(max(0, local.y()), viewport.height() - self.height())
        self.move(int(x), int(y))
        self.show()
        self.raise_()
        self.search.setFocus()

    def _fit_to_text(self) -> None:
        """As wide as the widest row (every op is listed now) and a dozen rows tall,
        in the current font, so no row is cut off; never larger than the canvas."""
        margins = self.layout().contentsMargins()
        frame = 2 * self.list.frameWidth()
        scroll = self.list.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        rows = min(self.list.count(), 12)
        text_width = max(self.list.sizeHintForColumn(0), self.search.sizeHint().width())
        width = text_width + frame + scroll + margins.left() + margins.right() + 4
        height = (
            self.search.sizeHint().height()
            + self.layout().spacing()
            + rows * max(self.list.sizeHintForRow(0), 1)
            + frame
            + margins.top()
            + margins.bottom()
        )
        viewport = self.view.viewport().rect()
        self.resize(min(width, viewport.width()), min(height, viewport.height()))

    def _filter(self, text: str) -> None:
        self.list.clear()
        needle = text.strip().lower()
        for op in core.OPS.values():
            description = op.description or op.title
            haystack = f"{op.name} {op.title} {op.symbol} {description}".lower()
            if needle in haystack:
                symbol = "" if op.symbol.lower() in ("", op.name) else f" ({op.symbol})"
                self.list.addItem(f"{op.name}{symbol}  —  {description}")
                self.list.item(self.list.count() - 1).setData(Qt.ItemDataRole.UserRole, op.name)
        if self.list.count():
            self.list.setCurrentRow(0)

    def _choose(self) -> None:
        item = self.list.currentItem()
        self.hide()
        self.view.setFocus()
        if item is not None:
            key = self.view.add_node(item.data(Qt.ItemDataRole.UserRole), self.at)
            self.view.keyboard.focus(key)  # typed in: the keys go on from the new node
            self.view.keyboard.show_ring()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key == Qt.Key.Key_Escape:
                self.hide()
                self.view.setFocus()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                row = self.list.currentRow() + (1 if key == Qt.Key.Key_Down else -1)
                self.list.setCurrentRow(max(0, min(self.list.count() - 1, row)))
                return True
        if event.type() == QEvent.Type.FocusOut and not self.list.hasFocus():
            QTimer.singleShot(0, self._hide_if_unfocused)
        return super().eventFilter(watched, event)

    def _hide_if_unfocused(self) -> None:
        if not (self.search.hasFocus() or self.list.hasFocus()):
            self.hide()
