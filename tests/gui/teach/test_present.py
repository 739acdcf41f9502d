"""Presentation mode: full screen and back exactly, clicker keys, black screen, the
caption of each step, the spotlight, and no other shortcut while presenting."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDockWidget

from dvar.gui.canvas import notes
from dvar.gui.document.overlay import PLAIN
from dvar.gui.teach.present import pass_slides
from dvar.gui.teach.teaching import StepMode
from tests.gui.helpers import dumps

FORWARD = [
    "Start with the inputs; the constants are known already.",
    "a = 5  (input)",
    "b = 3  (input)",
    "c = 2  (input)",
    "u = b·c = 6",
    "v = a + u = 11",
    "J = 3·v = 33",
]
BACKWARD = [
    "dJ = 1",
    "dv = dJ · ∂J/∂v = dJ · 3 = 1 · 3 = 3",
    "da = dv · ∂v/∂a = dv · 1 = 3 · 1 = 3",
    "du = dv · ∂v/∂u = dv · 1 = 3 · 1 = 3",
    "db = du · ∂u/∂b = du · c = 3 · 2 = 6",
    "dc = du · ∂u/∂c = du · b = 3 · 3 = 9",
]


def key(win, which, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
    """A key as a clicker sends it, to whatever has the focus."""
    target = QApplication.focusWidget() or win.view
    QTest.keyClick(target, which, modifiers)
    QApplication.processEvents()


def visible_docks(win) -> set[str]:
    return {d.objectName() for d in win.findChildren(QDockWidget) if d.isVisible()}


def caption(win) -> str:
    return win.presentation.caption.text()


def test_the_lecture_slides_are_the_step_through_forward_then_backward(window):
    slides = pass_slides(window.document)
    texts = [s.caption.split(" · ", 1)[1] for s in slides]
    assert texts == FORWARD + BACKWARD
    assert slides[4].caption == "Forward pass 4/6 · u = b·c = 6"
    assert slides[9].caption.startswith("Backward pass 3/6 · da = dv")
    assert [s.backward for s in slides] == [False] * 7 + [True] * 6
    doc, graph = window.document, window.document.graph
    assert slides[4].focus == graph.key_of("u") and slides[0].focus is None
    mode = StepMode(doc, True)
    mode.go(3)
    assert slides[9].overlay == mode.overlay(PLAIN)  # the step-through's own overlay


def test_present_hides_everything_and_leaving_restores_it_exactly(window, qtbot):
    win = window
    win.docks["teach"].show()
    win.docks["teach"].raise_()
    win.actions["backward"].setChecked(True)
    docks, state = visible_docks(win), win.saveState()
    zoom, centre = win.view.zoom(), win.view.centre()
    win.actions["present"].trigger()
    presentation = win.presentation
    assert presentation.active and win.isFullScreen()
    assert visible_docks(win) == set()
    assert not win.toolbar.isVisible() and not win.menuBar().isVisible()
    assert not win.statusBar().isVisible() and not win.view.show_grid
    assert not win.scene.backward_view  # the forward pass comes first
    assert caption(win) == "Forward pass 0/6 · " + FORWARD[0]
    key(win, Qt.Key.Key_Escape)
    assert not presentation.active and not win.isFullScreen()
    qtbot.wait(20)
    qtbot.waitUntil(lambda: visible_docks(win) == docks)
    assert win.saveState() == state
    assert win.toolbar.isVisible() and win.menuBar().isVisible() and win.statusBar().isVisible()
    assert win.scene.backward_view and win.view.show_grid
    assert abs(win.view.zoom() - zoom) < 1e-9
    assert (win.view.centre() - centre).manhattanLength() < 3 / zoom  # a pixel each way
    assert win.document.overlay == PLAIN and presentation.caption is None


def test_the_graph_fills_the_screen_with_no_least_zoom(window):
    win = window
    win.presentation.start()
    view = win.view
    shown = view.mapFromScene(win.scene.diagram_rect()).boundingRect()
    port = view.viewport().rect()
    free_height = port.height() - win.presentation.caption_height()
    # The graph's wider side spans the screen, whatever zoom that takes: no least zoom,
    # and text grows with it (on a 1920 × 1080 screen the lecture is drawn at 170 %).
    assert shown.width() > 0.85 * port.width() or shown.height() > 0.85 * free_height
    assert port.contains(shown) and shown.bottom() <= free_height
    win.presentation.stop()


def test_clicker_keys_advance_and_go_back_with_their_captions(window):
    win = window
    win.actions["present"].trigger()
    graph = win.document.graph
    for which in (Qt.Key.Key_PageDown, Qt.Key.Key_Space, Qt.Key.Key_Right, Qt.Key.Key_Right):
        key(win, which)
    assert caption(win) == "Forward pass 4/6 · u = b·c = 6"
    assert win.document.overlay.current == graph.key_of("u")
    assert not win.document.overlay.value_shown(graph.key_of("v"))
    for _ in range(5):
        key(win, Qt.Key.Key_PageDown)
    assert caption(win) == "Backward pass 3/6 · " + BACKWARD[2]
    assert win.scene.backward_view  # the backward view follows the reveal
    assert win.document.overlay.grad_shown(graph.key_of("a"))
    assert not win.document.overlay.grad_shown(graph.key_of("b"))
    key(win, Qt.Key.Key_PageUp)
    key(win, Qt.Key.Key_Left)
    assert caption(win) == "Backward pass 1/6 · dJ = 1"
    key(win, Qt.Key.Key_Left)
    assert caption(win).startswith("Forward pass 6/6") and not win.scene.backward_view
    key(win, Qt.Key.Key_End)
    assert caption(win) == "Backward pass 6/6 · " + BACKWARD[-1]
    key(win, Qt.Key.Key_Space)  # past the end: stays
    assert caption(win) == "Backward pass 6/6 · " + BACKWARD[-1]
    key(win, Qt.Key.Key_Home)
    assert caption(win) == "Forward pass 0/6 · " + FORWARD[0]
    win.presentation.stop()


def test_b_blacks_the_screen_and_again_brings_it_back(window):
    win = window
    win.actions["present"].trigger()
    black = win.presentation.black
    key(win, Qt.Key.Key_B)
    assert win.presentation.blacked and black.isVisible()
    assert black.geometry() == win.rect()
    image = win.grab().toImage()
    assert image.pixelColor(image.width() // 2, image.height() // 2).name() == "#000000"
    key(win, Qt.Key.Key_PageDown)  # a clicker's advance does not show through the black
    assert caption(win).startswith("Forward pass 0/6")
    key(win, Qt.Key.Key_B)
    assert not win.presentation.blacked and not black.isVisible()
    assert not win.actions["backward"].isChecked()  # B is not the backward view here
    key(win, Qt.Key.Key_Escape)
    assert not win.presentation.active


def test_no_other_shortcut_fires_while_presenting(window):
    win = window
    before = dumps(win)
    win.scene.select_keys([win.document.graph.key_of("a")])
    selected = win.scene.selected_keys()
    win.actions["present"].trigger()
    assert win.scene.selected_keys() == []  # nothing to delete by accident
    win.scene.select_keys(selected)
    for which in (Qt.Key.Key_Delete, Qt.Key.Key_N, Qt.Key.Key_M, Qt.Key.Key_P, Qt.Key.Key_F):
        key(win, which)
    key(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    key(win, Qt.Key.Key_Tab)
    assert win.presentation.active
    assert dumps(win) == before and win.document.undo_stack.count() == 0
    assert not win.actions["practice"].isChecked() and not win.teaching.active
    assert not win.quick_add.isVisible()
    assert caption(win).startswith("Forward pass 0/6")
    key(win, Qt.Key.Key_F5)  # F5 leaves, as it came in
    assert not win.presentation.active
    assert win.scene.selected_keys() == selected  # the selection is given back
    key(win, Qt.Key.Key_M)  # and the canvas keys work again
    assert not win.actions["minimap"].isChecked()


def test_the_mouse_pans_and_never_edits(window):
    from tests.gui.helpers import drag, node_point

    win = window
    win.actions["present"].trigger()
    before = dumps(win)
    a = win.document.graph.key_of("a")
    start = node_point(win, a)
    centre = win.view.centre()
    drag(win, start, QPoint(start.x() + 120, start.y()))
    assert dumps(win) == before  # a was not moved: the canvas was
    assert win.view.centre().x() < centre.x()
    win.presentation.stop()


def test_the_spotlight_follows_the_step_and_the_mouse(window):
    win = window
    win.actions["present"].trigger()
    spot = win.presentation.spotlight
    assert spot.hole() is None  # the first slide is about no node: nothing is dimmed
    for _ in range(4):
        key(win, Qt.Key.Key_PageDown)
    u = win.scene.nodes[win.document.graph.key_of("u")]
    box = win.view.mapFromScene(u.sceneBoundingRect()).boundingRect()
    assert spot.hole().contains(QPointF(box.center()))
    away = QPointF(box.topLeft() - QPoint(200, 100))
    viewport = win.view.viewport()
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        away,
        QPointF(viewport.mapToGlobal(away.toPoint())),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, move)  # as the mouse sends it, wherever the cursor is
    assert not spot.hole().contains(QPointF(box.center()))  # it follows the mouse now
    image = spot.grab().toImage()
    corner = image.pixelColor(2, 2)
    assert corner.alpha() > 100 or corner.value() < 80  # the rest is dimmed
    key(win, Qt.Key.Key_S)
    assert not win.presentation.spotlight_on
    win.presentation.stop()


def test_notes_show_while_presenting(window):
    win = window
    notes.add_note(win.scene, "note", QPointF(60, 460), "Read right to left")
    win.actions["present"].trigger()
    item = next(iter(win.scene.note_items.values()))
    assert item.isVisible()
    port = win.view.viewport().rect()
    assert port.contains(win.view.mapFromScene(item.sceneBoundingRect()).boundingRect())
    win.presentation.stop()


def test_present_is_refused_while_practising(window):
    win = window
    win.actions["practice"].setChecked(True)
    win.actions["present"].trigger()
    assert not win.presentation.active
    win.actions["practice"].setChecked(False)
