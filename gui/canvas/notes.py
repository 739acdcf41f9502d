"""Notes and frames on the canvas: one item per ``graph.notes`` entry (core/notes.py).

A note is a box of plain text; a frame is a coloured rectangle with a title,
drawn behind the nodes.  Each item draws its own text with ``QPainter.drawText``,
which never reads markup, so ``<b>`` shows as typed.  Items are moved with the
mouse as nodes are (the view records the moves when the button comes up, see
``GraphScene.commit_note_moves``), resized by the grip in their lower right corner,
and their text is edited with a double-click.  Every change is one undoable
command (``AddNote``, ``SetNote``, ``RemoveNotes``) through ``document.run``.

A frame answers the mouse only on its title strip and its border: a press inside
it starts a rubber band over the nodes it holds, as on open canvas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsSceneMouseEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from dvar.core import GraphError
from dvar.core.notes import MIN_SIZE, Note
from dvar.gui.canvas.look import AA_TEXT, Fonts, Look, contrast
from dvar.gui.document.annotation_commands import AddNote, RemoveNotes, SetNote

if TYPE_CHECKING:
    from dvar.gui.canvas.scene import GraphScene

#: Frames lie under notes, and both under the nodes (z 0).
FRAME_Z, NOTE_Z = -20.0, -10.0
#: Text size in canvas units: a note's text, and a frame's title.
TEXT_PX, TITLE_PX = 16, 20
#: Room between the edge of a note and its text.
PADDING = 8.0
#: A frame's title strip, which (with its border) is what takes the mouse.
TITLE_STRIP = 30.0
BORDER = 3.0
#: The resize grip in the lower right corner, in canvas units.
GRIP = 14.0
#: Colours a note or frame can be given from its context menu.
COLORS = {
    "Yellow": "#fff2a8",
    "Green": "#c8ecc0",
    "Blue": "#4a86c8",
    "Pink": "#f7c6d9",
    "Orange": "#e8893a",
    "Grey": "#9e9e9e",
}


def ink_on(paper: QColor) -> QColor:
    """Black or white, whichever reads better on ``paper`` (the higher WCAG contrast)."""
    dark, light = QColor("#111111"), QColor("#f5f5f5")
    return dark if contrast(dark, paper) >= contrast(light, paper) else light


class NoteItem(QGraphicsItem):
    """A note or a frame.  ``key`` is its key in ``graph.notes``."""

    def __init__(self, key: int, note: Note) -> None:
        super().__init__()
        self.key = key
        self.note = note
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
        )
        self.setAcceptHoverEvents(True)
        self._resizing: QPointF | None = None  # the press point while the grip is dragged
        self._size = (note.w, note.h)
        self.show(note)

    # ------------------------------------------------------------ the model
    @property
    def is_frame(self) -> bool:
        return self.note.kind == "frame"

    def show(self, note: Note) -> None:
        """Draw this note as ``note`` says (after a change or its undo)."""
        self.prepareGeometryChange()
        self.note = note
        self._size = (note.w, note.h)
        self.setZValue(FRAME_Z if self.is_frame else NOTE_Z)  # the scene fine-tunes it
        self.setPos(note.x, note.y)
        self.setToolTip("")  # never a rich-text tooltip made from the text
        self.update()

    def rect(self) -> QRectF:
        return QRectF(0, 0, *self._size)

    def grip(self) -> QRectF:
        w, h = self._size
        return QRectF(w - GRIP, h - GRIP, GRIP, GRIP)

    # ----------------------------------------------------------------- shape
    def boundingRect(self) -> QRectF:
        return self.rect().adjusted(-BORDER, -BORDER, BORDER, BORDER)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        rect = self.rect()
        if not self.is_frame:
            path.addRect(rect)
            return path
        outer = rect.adjusted(-BORDER, -BORDER, BORDER, BORDER)
        inner = rect.adjusted(BORDER * 2, TITLE_STRIP, -BORDER * 2, -BORDER * 2)
        path.addRect(outer)
        hole = QPainterPath()
        hole.addRect(inner)
        path = path.subtracted(hole)
        path.addRect(self.grip())
        return path

    # ----------------------------------------------------------------- paint
    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionGraphicsItem,
        widget: QWidget | None = None,
    ) -> None:
        look, fonts = Look.get(), Fonts.get()
        rect = self.rect()
        color = QColor(self.note.color)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.is_frame:
            fill = QColor(color)
            fill.setAlphaF(0.10)
            painter.setBrush(fill)
            painter.setPen(QPen(color, 2.0))
            painter.drawRoundedRect(rect, 6, 6)
            painter.setFont(fonts.sized("title", TITLE_PX))
            painter.setPen(color if _reads_on(color, look.base) else look.text)
            title = rect.adjusted(PADDING + 2, 4, -PADDING, 0)
            title.setHeight(TITLE_STRIP - 4)
            painter.drawText(
                title,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                _first_line(self.note.text),
            )
        else:
            painter.setBrush(color)
            painter.setPen(QPen(color.darker(130), 1.0))
            painter.drawRoundedRect(rect, 4, 4)
            painter.setFont(fonts.sized("body", TEXT_PX))
            painter.setPen(ink_on(color))
            painter.drawText(
                rect.adjusted(PADDING, PADDING, -PADDING, -PADDING),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                self.note.text,
            )
        if self.isSelected():
            painter.setBrush(look.no_brush)
            painter.setPen(QPen(look.highlight, 1.5, Qt.PenStyle.DashLine))
            painter.drawRect(rect.adjusted(-2, -2, 2, 2))
            grip = self.grip()
            painter.setPen(QPen(look.highlight, 1.5))
            for step in (4.0, 8.0, 12.0):
                painter.drawLine(
                    QPointF(grip.right() - step, grip.bottom()),
                    QPointF(grip.right(), grip.bottom() - step),
                )
        painter.restore()

    # ----------------------------------------------------------------- mouse
    def hoverMoveEvent(self, event) -> None:
        on_grip = self.grip().contains(event.pos())
        self.setCursor(Qt.CursorShape.SizeFDiagCursor if on_grip else Qt.CursorShape.ArrowCursor)
        super().hoverMoveEvent(event)

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.grip().contains(event.pos()):
            self._resizing = event.pos()
            self.setSelected(True)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._resizing is not None:
            self.prepareGeometryChange()
            self._size = (max(MIN_SIZE, event.pos().x()), max(MIN_SIZE, event.pos().y()))
            self.update()
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._resizing is not None:
            self._resizing = None
            event.accept()
            scene = self.graph_scene()
            if scene is not None:
                edit_note(scene, self.key, self.note.resized(*self._size), "Resize")
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        scene = self.graph_scene()
        if scene is not None:
            scene.note_edit_requested.emit(self.key)
        event.accept()

    def graph_scene(self) -> GraphScene | None:
        return self.scene()  # type: ignore[return-value]


# ---------------------------------------------------------------- the edits
def add_note(scene: GraphScene, kind: str, at: QPointF, text: str = "") -> int | None:
    """Place a new note or frame with its top-left corner at ``at``, selected; its key."""
    try:
        note = Note.make(kind, round(at.x()), round(at.y()), text or _DEFAULT_TEXT[kind])
    except GraphError as error:
        scene.document.message.emit(f"Refused: {error}")
        return None
    command = AddNote(scene.graph, note)
    if not scene.document.run(command) or command.key is None:
        return None
    scene.clearSelection()
    item = scene.note_items.get(command.key)
    if item is not None:
        item.setSelected(True)
    return command.key


def edit_note(scene: GraphScene, key: int, new: Note | None, what: str = "Edit") -> bool:
    """Change one note (``new`` made from it), as one undoable step; False if refused.
    A note that cannot take the change (``new`` None: it failed its checks) is shown
    as it was."""
    if key not in scene.graph.notes:
        return False
    old = scene.graph.notes[key]
    done = new is not None and (
        new == old or scene.document.run(SetNote(scene.graph, key, new, f"{what} {old.kind}"))
    )
    item = scene.note_items.get(key)
    if not done and item is not None:
        item.show(scene.graph.notes[key])
    return done


def set_text(scene: GraphScene, key: int, text: str) -> bool:
    """Give a note new text (a frame a new title): plain text, kept as typed."""
    try:
        new = scene.graph.notes[key].with_text(text)
    except GraphError as error:
        scene.document.message.emit(f"Refused: {error}")
        return False
    return edit_note(scene, key, new, "Edit text of")


def set_color(scene: GraphScene, key: int, color: str) -> bool:
    return edit_note(scene, key, scene.graph.notes[key].with_color(color), "Recolour")


def commit_moves(scene: GraphScene) -> None:
    """Record where dragged notes went (after a mouse button comes up): one step
    per note moved, grouped into one when several moved together."""
    graph = scene.graph
    moved = [
        (key, item)
        for key, item in scene.note_items.items()
        if key in graph.notes and (item.x(), item.y()) != (graph.notes[key].x, graph.notes[key].y)
    ]
    if not moved:
        return
    stack = scene.document.undo_stack
    if len(moved) > 1:
        stack.beginMacro(f"Move {len(moved)} notes")
    try:
        for key, item in moved:
            try:
                new = graph.notes[key].moved(item.x(), item.y())
            except GraphError:
                new = None  # dragged off the canvas: back where it was
            edit_note(scene, key, new, "Move")
    finally:
        if len(moved) > 1:
            stack.endMacro()


def delete_notes(scene: GraphScene, keys: list[int]) -> bool:
    keys = [key for key in keys if key in scene.graph.notes]
    return bool(keys) and scene.document.run(RemoveNotes(scene.graph, keys))


_DEFAULT_TEXT = {"note": "Note", "frame": "Frame"}


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]


def _reads_on(color: QColor, background: QColor) -> bool:
    """Whether text in ``color`` reads on ``background`` (WCAG AA)."""
    return contrast(color, background) >= AA_TEXT
