"""Help → Keyboard Shortcuts: every action with its keys, menu by menu, then the keys that
move around the canvas, then the mouse gestures."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QStyle,
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

#: The keys that move around the canvas (gui/canvas/keyboard.py): (keys, effect).
CANVAS_KEYS = [
    ("Tab (from a panel), F6", "Put the keyboard on the canvas"),
    ("Left", "Focus (and select) the node feeding this one"),
    ("Right", "Focus a node this one feeds"),
    ("Up, Down", "Focus its consumer's next input, or layer's node"),
    ("Up, Down (on a port)", "Focus the node's previous or next port"),
    ("Ctrl+arrow", "Move the focus, keep the selection"),
    ("Ctrl+Space", "Select or deselect the focused node"),
    ("Enter, F2, Ctrl+J, N, Del", "Act on the focused node"),
    ("Shift+arrow", "Pan the canvas"),
    ("Alt+arrow", "Move the selection one grid step"),
    ("Shift+Tab", "Leave the canvas (Tab adds a node)"),
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
        sections = [
            *sections,
            ("Keyboard on the Canvas", [(what, how) for how, what in CANVAS_KEYS]),
            ("Mouse", [(what, how) for how, what in GESTURES]),
        ]
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
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        # The keyboard scrolls it (arrows, Page Up/Down, Home/End): no mouse needed.
        table.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.setWordWrap(True)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        table.horizontalHeader().setStretchLastSection(True)
        layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.fit_to_text()

    def fit_to_text(self) -> None:
        """Size the columns to their text and the dialog to the table, within the screen.

        Every row fits on one line when the screen is wide enough; on a narrow screen
        (or with a very large font) the first column shares the room and its long
        entries wrap onto a second line rather than hiding behind a scroll bar.
        """
        table = self.table
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.resizeColumnsToContents()
        padding = 2 * table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 12
        widths = [table.columnWidth(column) + padding for column in (0, 1)]
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry().size() if screen else QSize(1280, 800)
        layout = self.layout().contentsMargins()
        scroll = table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        chrome = 2 * table.frameWidth() + scroll + layout.left() + layout.right()
        most = int(room.width() * 0.9) - chrome
        if sum(widths) > most:  # too wide: the keys keep their width, the actions wrap
            widths[0] = max(most - widths[1], most // 3)
        table.setColumnWidth(0, widths[0])
        table.setColumnWidth(1, widths[1])
        table.resizeRowsToContents()
        rows = sum(table.rowHeight(row) for row in range(table.rowCount()))
        buttons = self.layout().itemAt(1).widget().sizeHint().height()
        height = (
            rows
            + header.sizeHint().height()
            + 2 * table.frameWidth()
            + buttons
            + self.layout().spacing()
            + layout.top()
            + layout.bottom()
        )
        self.resize(sum(widths) + chrome, min(height, int(room.height() * 0.85)))

    def rows(self) -> list[tuple[str, str]]:
        """What the table shows, row by row; a heading row has no keys (``""``)."""
        table = self.table
        return [
            (table.item(row, 0).text(), table.item(row, 1).text() if table.item(row, 1) else "")
            for row in range(table.rowCount())
        ]
