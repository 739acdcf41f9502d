"""The palette of operations: a filter box over every op, grouped as the op table says.

Each row shows the op's name, its symbol when that says something the name does not
(``×`` for ``mul``, but nothing more for ``max``), and its one-line description.
Drag a row onto the canvas, or double-click it; in the filter box, Enter adds the
first match and Esc clears the filter.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QDrag, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dvar import core
from dvar.gui.canvas.view import OP_MIME

OP_ROLE = Qt.ItemDataRole.UserRole
#: The symbol a row shows beside the name ("" when it would only repeat the name).
SYMBOL_ROLE = Qt.ItemDataRole.UserRole + 1
#: The one-line description under the name.
DESCRIPTION_ROLE = Qt.ItemDataRole.UserRole + 2

_PAD = 6  # pixels around a row's text


def shown_symbol(op: core.Op) -> str:
    """The symbol to show beside the op's name: none when it is the name again."""
    return "" if op.symbol.strip().lower() == op.name.lower() else op.symbol


def description(op: core.Op) -> str:
    return op.description or op.title


def groups() -> dict[str, list[core.Op]]:
    """The ops by palette group, groups in the order their first op appears in the table."""
    grouped: dict[str, list[core.Op]] = {}
    for op in core.OPS.values():
        grouped.setdefault(op.group, []).append(op)
    return grouped


def matches(op: core.Op, needle: str) -> bool:
    """Whether the filter text names this op: by name, symbol, title or description."""
    haystack = " ".join(
        (op.name, op.symbol, op.title, description(op), op.function or "", op.operator or "")
    )
    return needle.strip().lower() in haystack.lower()


class OpDelegate(QStyledItemDelegate):
    """Draws an op row in two lines: name and symbol, then the description, dimmed."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        if index.data(OP_ROLE) is None:  # a group heading
            return super().sizeHint(option, index) + QSize(0, _PAD)
        name_font, symbol_font, small_font = _fonts(option.font)
        first = QFontMetrics(name_font).horizontalAdvance(index.data(OP_ROLE))
        symbol = index.data(SYMBOL_ROLE)
        if symbol:
            first += _PAD * 2 + QFontMetrics(symbol_font).horizontalAdvance(symbol)
        small = QFontMetrics(small_font)
        second = small.horizontalAdvance(index.data(DESCRIPTION_ROLE))
        height = max(QFontMetrics(name_font).height(), QFontMetrics(symbol_font).height())
        return QSize(max(first, second) + 3 * _PAD, height + small.height() + 2 * _PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        if index.data(OP_ROLE) is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        text_color = opt.palette.color(role)
        dim = opt.palette.color(role)
        dim.setAlphaF(0.85 if selected else 0.62)
        name_font, symbol_font, small_font = _fonts(opt.font)
        rect = opt.rect.adjusted(_PAD + 2, _PAD, -_PAD - 2, -_PAD)
        top = QFontMetrics(name_font).height()
        top = max(top, QFontMetrics(symbol_font).height())
        first = QRect(rect.left(), rect.top(), rect.width(), top)
        second = QRect(rect.left(), rect.top() + top, rect.width(), rect.height() - top)
        painter.save()
        painter.setPen(text_color)
        symbol = index.data(SYMBOL_ROLE)
        name_room = first.width()
        if symbol:
            painter.setFont(symbol_font)
            painter.drawText(
                first, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, symbol
            )
            name_room -= QFontMetrics(symbol_font).horizontalAdvance(symbol) + _PAD
        painter.setFont(name_font)
        name = QFontMetrics(name_font).elidedText(
            index.data(OP_ROLE), Qt.TextElideMode.ElideRight, max(0, name_room)
        )
        painter.drawText(first, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        painter.setFont(small_font)
        painter.setPen(dim)
        line = QFontMetrics(small_font).elidedText(
            index.data(DESCRIPTION_ROLE), Qt.TextElideMode.ElideRight, second.width()
        )
        painter.drawText(second, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, line)
        painter.restore()


def _fonts(base: QFont) -> tuple[QFont, QFont, QFont]:
    """The name's font (the list's own, medium weight), the symbol's and the description's."""
    name = QFont(base)
    name.setWeight(QFont.Weight.DemiBold)
    symbol = QFont(base)
    size = base.pointSizeF()
    if size > 0:
        symbol.setPointSizeF(size * 1.15)
    small = QFont(base)
    if size > 0:
        small.setPointSizeF(max(size * 0.88, 7.0))
    return name, symbol, small


class OpList(QListWidget):
    """The rows: a heading per group, then its ops; op rows drag onto the canvas."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setItemDelegate(OpDelegate(self))
        self.setAccessibleName("Operations")
        self.setMouseTracking(True)
        for group, ops in groups().items():
            heading = QListWidgetItem(group)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
            heading.setForeground(self.palette().brush(QPalette.ColorRole.PlaceholderText))
            self.addItem(heading)
            for op in ops:
                self.addItem(_op_item(op))

    def op_items(self) -> list[QListWidgetItem]:
        """Every op row, in order (headings left out)."""
        return [self.item(row) for row in range(self.count()) if self.item(row).data(OP_ROLE)]

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # the theme changed
            brush = self.palette().brush(QPalette.ColorRole.PlaceholderText)
            for row in range(self.count()):
                if self.item(row).data(OP_ROLE) is None:
                    self.item(row).setForeground(brush)
        super().changeEvent(event)

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:
        data = QMimeData()
        ops = [item.data(OP_ROLE) for item in items if item.data(OP_ROLE)]
        if ops:
            data.setData(OP_MIME, ops[0].encode())
        return data

    def startDrag(self, actions) -> None:
        item = self.currentItem()
        if item is None or not item.data(OP_ROLE):
            return
        drag = QDrag(self)
        drag.setMimeData(self.mimeData([item]))
        drag.setPixmap(self.viewport().grab(self.visualItemRect(item)))
        drag.exec(Qt.DropAction.CopyAction)


def _op_item(op: core.Op) -> QListWidgetItem:
    item = QListWidgetItem(op.name)
    item.setData(OP_ROLE, op.name)
    item.setData(SYMBOL_ROLE, shown_symbol(op))
    item.setData(DESCRIPTION_ROLE, description(op))
    item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{op.name}: {description(op)}")
    item.setFlags(
        Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
    )
    if op.is_leaf:
        tip = op.title
    else:
        operands = "one operand" if op.arity == 1 else f"{op.arity} operands"
        tip = f"{op.title}: {operands}; ∂: {', '.join(op.partial_texts)}"
    item.setToolTip(tip + "\nDrag onto the canvas, or double-click to add.")
    return item


class Palette(QWidget):
    """Every op in ``core.OPS`` under its group, with a filter box above."""

    #: An op was double-clicked, activated with Enter, or was the first match of the filter.
    op_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Operations palette")
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Filter operations…")
        self.filter.setClearButtonEnabled(True)
        self.filter.setAccessibleName("Filter operations")
        for button in self.filter.findChildren(QToolButton):  # the clear button's icon
            button.setAccessibleName("Clear the filter")
        self.filter.setToolTip("Type part of a name, symbol or description; Enter adds the first")
        self.list = OpList(self)
        self.nothing = QLabel(self)
        self.nothing.setWordWrap(True)
        self.nothing.setTextFormat(Qt.TextFormat.PlainText)
        self.nothing.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.nothing.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.filter)
        layout.addWidget(self.nothing)
        layout.addWidget(self.list)
        self.filter.textChanged.connect(self.apply_filter)
        self.filter.returnPressed.connect(self.choose_first)
        self.filter.installEventFilter(self)
        self.list.itemActivated.connect(self._activated)

    def sizeHint(self) -> QSize:
        """Wide enough for the widest row and a scroll bar."""
        widest = max((self.list.sizeHintForColumn(0), self.filter.sizeHint().width()), default=0)
        scroll = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        frame = 2 * self.list.frameWidth()
        return QSize(widest + scroll + frame + 4, super().sizeHint().height())

    def visible_ops(self) -> list[str]:
        """The ops the list shows now, in order."""
        return [item.data(OP_ROLE) for item in self.list.op_items() if not item.isHidden()]

    def apply_filter(self, text: str) -> None:
        """Show only the ops the text matches, under their headings; select the first."""
        first = None
        heading = None
        heading_used = False
        for row in range(self.list.count()):
            item = self.list.item(row)
            op = item.data(OP_ROLE)
            if op is None:
                if heading is not None:
                    heading.setHidden(not heading_used)
                heading, heading_used = item, False
                continue
            shown = matches(core.OPS[op], text) if op in core.OPS else False
            item.setHidden(not shown)
            heading_used = heading_used or shown
            if shown and first is None:
                first = item
        if heading is not None:
            heading.setHidden(not heading_used)
        if first is not None and text.strip():
            self.list.setCurrentItem(first)
            self.list.scrollToItem(first)
        elif not text.strip():
            self.list.clearSelection()
            self.list.scrollToTop()
        self.nothing.setText(f"No operation matches “{text.strip()}”")
        self.nothing.setVisible(first is None)

    def choose_first(self) -> None:
        """Enter in the filter box: add the first op shown (nothing when none matches)."""
        ops = self.visible_ops()
        if ops:
            self.op_chosen.emit(ops[0])

    def _activated(self, item: QListWidgetItem) -> None:
        op = item.data(OP_ROLE)
        if op:
            self.op_chosen.emit(op)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key == Qt.Key.Key_Escape and self.filter.text():
                self.filter.clear()
                return True
            if key == Qt.Key.Key_Down and self.visible_ops():
                self.list.setFocus()
                if self.list.currentItem() is None or self.list.currentItem().isHidden():
                    self.list.setCurrentItem(
                        next(i for i in self.list.op_items() if not i.isHidden())
                    )
                return True
        return super().eventFilter(watched, event)
