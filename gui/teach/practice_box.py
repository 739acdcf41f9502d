"""The box a practice answer is typed into, over its hidden cell on the canvas.

It sits where the cell's number would be: after ``dv = `` on a node's derivative
line, after ``u = b·c = `` on its value line, or on an edge's label in the backward
view.  Enter hands the text on to be checked; Tab and Shift+Tab move to the next
or the previous open cell; Esc puts the box away (the canvas has the keys again).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit

from dvar.core import spoken
from dvar.gui.canvas.edges import curve_middle
from dvar.gui.canvas.look import Fonts
from dvar.gui.canvas.nodes import TEXT_LEFT, TEXT_RIGHT, metrics_of
from dvar.gui.canvas.view import GraphView
from dvar.gui.document.overlay import Cell
from dvar.gui.messages import plain_tip

#: The smallest box, in pixels: room to type a number at any zoom.
MIN_WIDTH, MIN_HEIGHT = 72, 24


class AnswerBox(QLineEdit):
    """One line edit on the canvas, moved from cell to cell."""

    #: (cell, text): Enter was pressed.
    submitted = Signal(object, str)
    #: +1 or -1: Tab or Shift+Tab.
    moved = Signal(int)

    def __init__(self, view: GraphView) -> None:
        super().__init__(view.viewport())
        self.view = view
        self.cell: Cell | None = None
        self.setObjectName("practice_answer")
        self.setPlaceholderText("?")
        self.hide()
        self.returnPressed.connect(self._submit)
        view.horizontalScrollBar().valueChanged.connect(self.place)
        view.verticalScrollBar().valueChanged.connect(self.place)
        # A zoom need not scroll: the box looks again whenever the canvas is painted.
        view.viewport().installEventFilter(self)

    def eventFilter(self, watched, event: QEvent) -> bool:  # noqa: N802 (as Qt names it)
        if event.type() in (QEvent.Type.Paint, QEvent.Type.Resize) and self.cell is not None:
            self.place()
        return False

    def open(self, cell: Cell, tip: str = "") -> None:
        """Put the box over ``cell``, empty, with the keyboard in it."""
        if cell != self.cell:
            self.clear()
        self.cell = cell
        self.setToolTip(plain_tip(tip))
        # A screen reader says what the cell asks for (or what was wrong), in words.
        self.setAccessibleName(f"Answer: {spoken.words(tip)}" if tip else "Answer")
        self.place()
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.selectAll()

    def set_state(self, state: str) -> None:
        """Frame the box by the cell's state: red after a wrong answer."""
        self.setStyleSheet("border: 2px solid #d84315;" if state == "wrong" else "")

    def put_away(self) -> None:
        self.cell = None
        self.hide()
        self.view.setFocus()

    def place(self, *_) -> None:
        """Follow the cell when the canvas scrolls, zooms or the node moves."""
        if self.cell is None:
            return
        rect = cell_rect(self.view, self.cell)
        if rect is None:
            self.put_away()
            return
        box = self.view.mapFromScene(rect).boundingRect()
        if box.width() < MIN_WIDTH:
            box.setWidth(MIN_WIDTH)
        if box.height() < MIN_HEIGHT:
            box.moveTop(box.center().y() - MIN_HEIGHT // 2)
            box.setHeight(MIN_HEIGHT)
        if box != self.geometry():
            self.setGeometry(box)

    def _submit(self) -> None:
        if self.cell is not None:
            self.submitted.emit(self.cell, self.text())

    def event(self, event: QEvent) -> bool:
        """Undo and Redo take back answers, not the typing in the box: the line edit
        lets the window's shortcuts have those keys."""
        if event.type() == QEvent.Type.ShortcutOverride and _is_history_key(event):
            event.ignore()
            return False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.put_away()
            return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 (as Qt names it)
        """Tab moves to the next open cell, not to the next widget."""
        if self.cell is None:
            return super().focusNextPrevChild(forward)
        self.moved.emit(1 if forward else -1)
        return True


_HISTORY_KEYS = (
    QKeySequence.StandardKey.Undo,
    QKeySequence.StandardKey.Redo,
)
_MORE_HISTORY_KEYS = {QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")}


def _is_history_key(event: QKeyEvent) -> bool:
    if any(event.matches(key) for key in _HISTORY_KEYS):
        return True
    return QKeySequence(event.keyCombination()) in _MORE_HISTORY_KEYS


def cell_rect(view: GraphView, cell: Cell) -> QRectF | None:
    """Where a cell's number is drawn, in scene coordinates (None: not on the canvas)."""
    scene = view.graph_scene()
    if scene is None:
        return None
    kind, key, slot = cell
    if kind == "partial":
        edge = scene.edges.get((key, slot))
        if edge is None:
            return None
        mid = curve_middle(*edge.ends())
        return QRectF(mid.x() - 36, mid.y() - 24, 72, 22)
    item = scene.nodes.get(key)
    if item is None:
        return None
    fonts = Fonts.get()
    if kind == "grad":
        line, metrics, top = item.grad_text, metrics_of(fonts.grad), item.header + item.line + 2
    else:
        line, metrics, top = item.value_text, fonts.metrics, item.header + 2
    head = line[: line.rfind("= ") + 2] if "= " in line else line
    start = TEXT_LEFT + metrics.horizontalAdvance(head) - 4
    right = item.width - TEXT_RIGHT + 4
    rect = QRectF(start, top, max(right - start, 40.0), item.line)  # as tall as the text
    return item.mapRectToScene(rect)
