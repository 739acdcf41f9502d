"""Presentation mode (View → Present, F5): the graph full screen, revealed step by step.

The window goes full screen with its docks, toolbar, menu and status bar hidden,
and the canvas is zoomed so the graph fills the screen: node text grows with the
zoom.  A caption along the bottom says what the current slide shows.  Each slide
is one step of the step-through (:class:`teaching.StepMode`): first the forward
pass, left to right, then the backward pass, right to left, each derivative with
its chain-rule line.  The backward view (red edges with local derivatives) follows
the reveal: off for the forward pass, on for the backward pass.

Presentation has its own keys, as slide software does, and no other shortcut fires
while it lasts:

- PageDown, Space, → (and ↓, Enter): next slide; PageUp, ← (and ↑, Backspace): back;
  Home and End: first and last;
- B (or .): black screen, and again to come back;
- S: spotlight on or off (it follows the mouse, or the current node after a step);
- Esc or F5: leave.

The mouse pans (any button) and the wheel zooms; nothing can be edited.  Leaving
gives back the window exactly: its state, docks, toolbar, view and overlay.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QEvent, QObject, QPointF, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPainter, QPainterPath, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from dvar.gui.canvas.look import is_dark
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.canvas.view import FIT_MARGIN, MAX_ZOOM, GraphView
from dvar.gui.document.document import Document
from dvar.gui.document.overlay import PLAIN, Overlay
from dvar.gui.teach.teaching import StepMode

#: The caption's text height, in pixels on a 1080-line screen (scaled with the height).
CAPTION_PX = 34
#: How dark the screen outside the spotlight gets (out of 255), on a light and a dark theme.
DIM_ALPHA = {False: 165, True: 215}
#: The spotlight's radius around the mouse, in pixels on a 1080-line screen.
SPOT_RADIUS = 170

NEXT_KEYS = frozenset(
    {Qt.Key.Key_PageDown, Qt.Key.Key_Space, Qt.Key.Key_Right, Qt.Key.Key_Down}
    | {Qt.Key.Key_Return, Qt.Key.Key_Enter}
)
BACK_KEYS = frozenset({Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Backspace})
BLACK_KEYS = frozenset({Qt.Key.Key_B, Qt.Key.Key_Period})
LEAVE_KEYS = frozenset({Qt.Key.Key_Escape, Qt.Key.Key_F5})


@dataclass(frozen=True)
class Slide:
    """One step of a presentation: what the canvas shows, and the caption under it."""

    overlay: Overlay
    caption: str
    #: Show the backward view (red edges with local derivatives) on this slide.
    backward: bool
    #: The node the step is about (the spotlight goes to it), or None.
    focus: int | None


def slides_for(document: Document) -> Sequence[Slide]:
    """The slides for a document.

    This is the hook for lessons: a file that carries a lesson (a later issue) will
    give its own steps here, one Slide each.  Until then every graph presents its
    two passes (:func:`pass_slides`).
    """
    return pass_slides(document)


class PassSlides(Sequence[Slide]):
    """The forward pass from its start (constants known), then the backward pass,
    one node per slide, as the step-through walks them.

    Each slide is made when it is shown: a slide's overlay lists every node known
    so far, so making them all at once would take time and memory in the square of
    the graph's size.
    """

    def __init__(self, document: Document) -> None:
        self.forward = StepMode(document, False)
        self.backward = StepMode(document, True)
        # Forward steps 0..n, then backward steps 1..m: the backward pass starts
        # where the forward one ends, with every value known.
        self._forward_count = self.forward.steps + 1
        self._count = self._forward_count + self.backward.steps

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        if index < self._forward_count:
            mode, step = self.forward, index
        else:
            mode, step = self.backward, index - self._forward_count + 1
        mode.go(step)
        return Slide(mode.overlay(PLAIN), caption_of(mode), mode.backward, mode.current())


def pass_slides(document: Document) -> PassSlides:
    """The slides of both passes (see :class:`PassSlides`)."""
    return PassSlides(document)


def caption_of(mode: StepMode) -> str:
    """``Backward pass 3/7 · da = dv · ∂v/∂a = dv · 1 = 3 · 1 = 3``: the step's place
    and its line from the step-through, on one line."""
    _, _, body = mode.explain().partition("\n")
    direction = "Backward pass" if mode.backward else "Forward pass"
    return f"{direction} {mode.index}/{mode.steps} · {body.replace(chr(10), '  ')}"


class Presentation(QObject):
    """Presentation mode for one main window: ``start``, ``stop``, and the slides."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.slides: Sequence[Slide] = []
        self.index = 0
        self.active = False
        self.blacked = False
        self.spotlight_on = True
        self._saved: dict = {}
        self.caption: QLabel | None = None
        self.spotlight: Spotlight | None = None
        self.black: QWidget | None = None

    # ------------------------------------------------------------ the parts
    @property
    def view(self) -> GraphView:
        return self.window.view

    @property
    def scene(self) -> GraphScene:
        return self.window.scene

    @property
    def document(self) -> Document:
        return self.window.document

    def current(self) -> Slide | None:
        return self.slides[self.index] if self.slides else None

    # ----------------------------------------------------------- start, stop
    def start(self) -> None:
        """Go full screen on the first slide."""
        if self.active:
            return
        window, view = self.window, self.view
        self._saved = {
            "state": window.saveState(),
            "geometry": window.geometry(),
            "window_state": window.windowState(),
            "menu": window.menuBar().isVisible(),
            "status": window.statusBar().isVisible(),
            "zoom": view.zoom(),
            "centre": view.centre(),
            "auto_fit": view.auto_fit,
            "grid": view.show_grid,
            "minimap": view.minimap.enabled,
            "backward": self.scene.backward_view,
            "overlay": self.document.overlay,
            "selection": self.scene.selectedItems(),
            "tracking": view.viewport().hasMouseTracking(),
        }
        view.cancel_interaction()
        view.value_editor.close_editor()
        self.active = True
        self.slides = slides_for(self.document)
        self.index = 0
        for dock in window.findChildren(QDockWidget):
            dock.hide()
        for bar in window.findChildren(QToolBar):
            bar.hide()
        window.menuBar().hide()
        window.statusBar().hide()
        blocked = self.scene.blockSignals(True)  # the panels need not hear it
        self.scene.clearSelection()
        self.scene.blockSignals(blocked)
        view.show_grid = False
        view.minimap.enabled = False
        view.minimap.setVisible(False)
        view.auto_fit = False
        view.pan_only = True
        view.viewport().setMouseTracking(True)
        view.resetCachedContent()
        self.spotlight = Spotlight(self)
        self.caption = _caption(view)  # made last: it lies over the spotlight
        self.black = QWidget(window)
        self.black.setAutoFillBackground(True)
        palette = self.black.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("black"))
        self.black.setPalette(palette)
        self.black.hide()
        self.blacked = False
        QApplication.instance().installEventFilter(self)
        # The screen's size first: where no window manager makes a window full screen
        # (a bare X server), it still fills the screen.
        window.setGeometry(window.screen().geometry())
        window.showFullScreen()
        self._layout()
        self.show_slide()
        self.fit()
        view.setFocus()

    def stop(self) -> None:
        """Leave: the window, its docks and the canvas as they were before."""
        if not self.active:
            return
        self.active = False
        QApplication.instance().removeEventFilter(self)
        window, view, saved = self.window, self.view, self._saved
        for widget in (self.caption, self.spotlight, self.black):
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.caption = self.spotlight = self.black = None
        self.blacked = False
        view.pan_only = False
        view.viewport().setMouseTracking(saved["tracking"])
        view.viewport().unsetCursor()
        window.setWindowState(saved["window_state"])
        if not saved["window_state"] & (
            Qt.WindowState.WindowMaximized | Qt.WindowState.WindowFullScreen
        ):
            window.setGeometry(saved["geometry"])  # as it was, even larger than the screen
        window.menuBar().setVisible(saved["menu"])
        window.statusBar().setVisible(saved["status"])
        window.restoreState(QByteArray(saved["state"]))
        view.show_grid = saved["grid"]
        view.minimap.enabled = saved["minimap"]
        view.set_zoom(saved["zoom"], saved["centre"])
        view.auto_fit = saved["auto_fit"]
        # Restyled at the old zoom, edges off screen cost little on a big graph.
        self.document.set_overlay(saved["overlay"])
        self.scene.set_backward_view(saved["backward"])
        view.resetCachedContent()
        for item in saved["selection"]:
            if item.scene() is self.scene:
                item.setSelected(True)
        view.minimap.schedule()
        self.slides = []
        self._saved = {}
        # A window manager gives the window its old size back a moment later: lay the
        # docks and the canvas out again then, for that size.
        QTimer.singleShot(0, lambda: self._settle(saved))

    def _settle(self, saved: dict) -> None:
        if self.active:
            return
        view = self.view
        self.window.restoreState(QByteArray(saved["state"]))
        auto_fit = view.auto_fit
        view.set_zoom(saved["zoom"], saved["centre"])
        view.auto_fit = auto_fit

    # ----------------------------------------------------------- the slides
    def go(self, index: int) -> None:
        if not self.slides:
            return
        index = max(0, min(len(self.slides) - 1, index))
        if index != self.index:
            self.index = index
            self.show_slide()

    def next(self) -> None:
        self.go(self.index + 1)

    def back(self) -> None:
        self.go(self.index - 1)

    def show_slide(self) -> None:
        slide = self.current()
        if slide is None:
            self.document.set_overlay(PLAIN)
            self._set_caption("This graph has nothing to step through.")
            return
        self.document.set_overlay(slide.overlay)
        if self.scene.backward_view != slide.backward:
            self.scene.set_backward_view(slide.backward)
        self._set_caption(slide.caption)
        if self.spotlight is not None:
            self.spotlight.follow_node(slide.focus)

    def _set_caption(self, text: str) -> None:
        if self.caption is not None:
            self.caption.setText(text)

    def toggle_black(self) -> None:
        """B: black the screen, or bring the slide back."""
        if self.black is None:
            return
        self.blacked = not self.blacked
        if self.blacked:
            self.black.setGeometry(self.window.rect())
            self.black.raise_()
            self.black.show()
        else:
            self.black.hide()

    def toggle_spotlight(self) -> None:
        self.spotlight_on = not self.spotlight_on
        if self.spotlight is not None:
            self.spotlight.update()

    # ----------------------------------------------------------------- fit
    def caption_height(self) -> int:
        return self.caption.height() if self.caption is not None else 0

    def fit(self) -> None:
        """Zoom so the graph (and its notes) fills the screen above the caption: no
        least zoom, so node text grows with the graph."""
        view = self.view
        port = view.viewport().rect()
        free = QRectF(0, 0, port.width(), max(1, port.height() - self.caption_height()))
        rect = self.scene.diagram_rect()
        if rect.isEmpty():
            return
        shown = rect.adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
        zoom = min(MAX_ZOOM, free.width() / shown.width(), free.height() / shown.height())
        # Centre the graph in the part of the screen above the caption.
        below = self.caption_height() / 2 / zoom
        view.set_zoom(zoom, QPointF(shown.center().x(), shown.center().y() + below))
        if self.spotlight is not None:
            self.spotlight.update()

    def _layout(self) -> None:
        """The screen changed size: caption, black screen and spotlight follow."""
        view = self.view
        if self.caption is not None:
            port = view.viewport().geometry()
            height = self.caption.sizeHint().height()
            self.caption.setGeometry(port.left(), port.bottom() + 1 - height, port.width(), height)
            _size_caption(self.caption, port.height())
        if self.spotlight is not None:
            self.spotlight.setGeometry(view.viewport().geometry())
        if self.black is not None:
            self.black.setGeometry(self.window.rect())

    # ---------------------------------------------------------------- keys
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.active:
            return False
        kind = event.type()
        mine = isinstance(watched, QWidget) and watched.window() is self.window
        if not mine:
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # every key is the presentation's: no shortcut fires
            return True
        if kind == QEvent.Type.KeyPress:
            self.key(event)  # type: ignore[arg-type]
            return True
        if kind == QEvent.Type.KeyRelease:
            return True
        viewport = self.view.viewport()
        if watched is viewport:
            if kind in (QEvent.Type.MouseButtonDblClick, QEvent.Type.ContextMenu):
                return True  # no value editor, no menu: nothing is edited here
            if kind == QEvent.Type.MouseMove and self.spotlight is not None:
                self.spotlight.follow_mouse(event.position())  # type: ignore[attr-defined]
            if kind == QEvent.Type.Resize:
                self._layout()
                self.fit()
        elif watched is self.window and kind == QEvent.Type.Resize:
            self._layout()
        return False

    def key(self, event: QKeyEvent) -> None:
        """Handle one key press of the presentation's own keys; ignore the rest."""
        key = event.key()
        if key in LEAVE_KEYS:
            self.stop()
        elif key in BLACK_KEYS:
            self.toggle_black()
        elif self.blacked:
            return  # while black, only B (or Esc) does anything
        elif key in NEXT_KEYS:
            self.next()
        elif key in BACK_KEYS:
            self.back()
        elif key == Qt.Key.Key_Home:
            self.go(0)
        elif key == Qt.Key.Key_End:
            self.go(len(self.slides) - 1)
        elif key == Qt.Key.Key_S:
            self.toggle_spotlight()


def _caption(view: GraphView) -> QLabel:
    """The caption line along the bottom of the canvas: plain text, large."""
    label = QLabel(view)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setAutoFillBackground(True)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    _size_caption(label, view.viewport().height())
    label.show()
    return label


def _size_caption(label: QLabel, screen_height: int) -> None:
    font = QFont(label.font())
    font.setPixelSize(max(16, round(CAPTION_PX * max(screen_height, 400) / 1080)))
    label.setFont(font)
    label.setContentsMargins(24, 10, 24, 14)
    label.setFixedHeight(round(font.pixelSize() * 1.35 * 2 + 24))


class Spotlight(QWidget):
    """Dims the canvas but a circle round the mouse, or round the current node after
    a step.  One translucent fill per repaint: cheap at any graph size.

    It lies over the view's viewport as a child of the view, not of the viewport:
    scrolling the canvas moves the viewport's children with it."""

    def __init__(self, presentation: Presentation) -> None:
        view = presentation.view
        super().__init__(view)
        self.presentation = presentation
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setGeometry(view.viewport().geometry())
        self.mouse: QPointF | None = None
        self.node: int | None = None
        self.show()

    def follow_mouse(self, pos: QPointF) -> None:
        self.mouse = QPointF(pos)
        self.update()

    def follow_node(self, key: int | None) -> None:
        """A step was taken: light its node (or, with none, wherever the mouse was)."""
        self.node = key
        if key is not None:
            self.mouse = None
        self.update()

    def hole(self) -> QRectF | None:
        """The lit part of the canvas, in viewport pixels (the viewport fills this
        widget), or None: nothing dimmed."""
        view = self.presentation.view
        radius = SPOT_RADIUS * max(view.viewport().height(), 400) / 1080
        if self.mouse is not None:
            return QRectF(self.mouse.x() - radius, self.mouse.y() - radius, 2 * radius, 2 * radius)
        item = view.graph_scene().nodes.get(self.node) if self.node is not None else None
        if item is None:
            return None
        box = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
        lit = QRectF(box).adjusted(-box.width() * 0.3, -box.height() * 0.6, 0, 0)
        lit.setWidth(box.width() * 1.6)
        lit.setHeight(box.height() * 2.2)
        return lit

    def paintEvent(self, event) -> None:
        if not self.presentation.spotlight_on:
            return
        hole = self.hole()
        if hole is None:
            return
        path = QPainterPath()
        path.addRect(QRectF(self.rect()))
        spot = QPainterPath()
        spot.addEllipse(hole)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillPath(path.subtracted(spot), QColor(0, 0, 0, DIM_ALPHA[is_dark()]))
        painter.end()
