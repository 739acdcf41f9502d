"""The in-place editor for an input's or a constant's value, and reading typed numbers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit

from dvar import core
from dvar.gui.document.field_commands import SetField
from dvar.gui.messages import plain_tip

if TYPE_CHECKING:
    from dvar.gui.canvas.view import GraphView


#: The smallest editor, in pixels: room to type a number, even over a small chip.
MIN_WIDTH, MIN_HEIGHT = 96, 24


def parse_typed_number(text: str) -> float:
    """A number typed in the user's locale (``5,001`` where that is the decimal mark) or
    with a plain dot.  Raises ValueError with a readable message otherwise."""
    try:
        return core.parse_number(text)
    except ValueError as plain_error:
        value, ok = QLocale().toDouble(text.strip())
        if ok and value == value and abs(value) != float("inf"):
            return value
        raise plain_error


class ValueEditor(QLineEdit):
    """The in-place editor for an input's or a constant's value.

    Enter sets the value (one undoable step); text that is not a number is refused
    with a message and the old value stays; Esc or clicking away cancels.
    """

    #: The editor closed; True when Esc cancelled it (a gesture that opened it may
    #: then take back what it did, see ``interactions.AddConstant``).
    closed = Signal(bool)

    def __init__(self, view: GraphView) -> None:
        super().__init__(view.viewport())
        self.view = view
        self.key: int | None = None
        self.hide()
        self.returnPressed.connect(self.commit)

    def open(self, key: int, rect) -> None:
        scene = self.view.graph_scene()
        node = scene.graph.node(key)
        self.key = key
        self.setText(core.format_full(node.value))
        self.setToolTip(plain_tip(f"New value for {node.id}: a number, e.g. 5.001"))
        self.setAccessibleName(f"New value for {node.id}")  # what a screen reader says
        box = rect.adjusted(-4, -3, 4, 3)
        if box.width() < MIN_WIDTH:  # a chip is narrow; a number needs room to type
            box.setWidth(MIN_WIDTH)
        if box.height() < MIN_HEIGHT:
            box.moveTop(box.center().y() - MIN_HEIGHT // 2)
            box.setHeight(MIN_HEIGHT)
        self.setGeometry(box)
        self.setStyleSheet("")
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.selectAll()

    def commit(self) -> None:
        scene = self.view.graph_scene()
        if self.key is None or self.key not in scene.graph:
            self.close_editor()
            return
        try:
            value = parse_typed_number(self.text())
        except ValueError as error:
            scene.document.message.emit(
                f"Refused: {error}; {scene.graph.id_of(self.key)} keeps "
                f"{core.format_number(scene.graph.node(self.key).value)}"
            )
            self.setStyleSheet("border: 2px solid #c62828;")
            self.selectAll()
            return
        key = self.key
        self.close_editor()
        if value != scene.graph.node(key).value:
            scene.document.run(SetField.to(scene.graph, key, "value", value))

    def close_editor(self, cancelled: bool = False) -> None:
        was_open, self.key = self.key is not None, None
        self.hide()
        self.view.setFocus()
        if was_open:
            self.closed.emit(cancelled)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_editor(cancelled=True)
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        if self.isVisible() and event.reason() != Qt.FocusReason.PopupFocusReason:
            self.close_editor()
