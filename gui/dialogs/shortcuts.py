"""Help → Keyboard Shortcuts: every action with its keys, menu by menu, then the mouse gestures."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

#: What the mouse does on the canvas: (gesture, effect).
GESTURES = [
    ("Drag from an output port to an input port", "Connect"),
    ("Drag an edge's end off its port", "Disconnect (drop on another port to reconnect)"),
    ("Double-click a value", "Edit it in place"),
    ("Double-click an empty input port", "Add a constant wired into it"),
    ("Wheel", "Zoom around the cursor"),
    ("Middle-drag, or Space + drag", "Pan"),
    ("Drag on empty canvas", "Rubber-band selection"),
    ("Right-click", "Node or canvas menu"),
]

Section = tuple[str, list[tuple[str, str]]]


class ShortcutSheet(QDialog):
    """A read-only table: a heading row per menu, then each action and its keys.

    ``sections`` is the menus in order, each with its actions' (text, keys); the
    window makes it from its table of actions.
    """

    def __init__(self, sections: list[Section], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts — dvar")
        layout = QVBoxLayout(self)
        sections = [*sections, ("Mouse", [(what, how) for how, what in GESTURES])]
        self.table = table = QTableWidget(0, 2, self)
        table.setHorizontalHeaderLabels(["Action", "Keys / gesture"])
        for title, rows in sections:
            heading = QTableWidgetItem(title)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            row = table.rowCount()
            table.insertRow(row)
            table.setItem(row, 0, heading)
            table.setSpan(row, 0, 1, 2)
            for action, keys in rows:
                row = table.rowCount()
                table.insertRow(row)
                table.setItem(row, 0, QTableWidgetItem(action))
                table.setItem(row, 1, QTableWidgetItem(keys))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 620)

    def rows(self) -> list[tuple[str, str]]:
        """What the table shows, row by row; a heading row has no keys (``""``)."""
        table = self.table
        return [
            (table.item(row, 0).text(), table.item(row, 1).text() if table.item(row, 1) else "")
            for row in range(table.rowCount())
        ]
