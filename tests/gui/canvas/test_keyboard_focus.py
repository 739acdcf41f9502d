"""Moving around the canvas with the keyboard: the focused node, ports, panes, the ring."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu

from tests.gui.helpers import click, fit, keys, node_point, status

Key = Qt.Key
Mod = Qt.KeyboardModifier


def press(win, key: Qt.Key, modifiers=Mod.NoModifier) -> None:
    """A key pressed where the keyboard is (the canvas unless a panel took it)."""
    QApplication.processEvents()
    QTest.keyClick(QApplication.focusWidget() or win.view, key, modifiers)
    QApplication.processEvents()


def on_canvas(win) -> None:
    win.activateWindow()
    win.view.setFocus()
    QApplication.processEvents()


def focused(win) -> str | None:
    key = win.scene.focused_key
    return None if key is None else win.document.graph.id_of(key)


def selected(win) -> list[str]:
    return sorted(win.document.graph.id_of(key) for key in win.scene.selected_keys())


def test_arrows_follow_the_edges_and_select_where_they_land(window):
    win = window
    on_canvas(win)
    heard = []
    win.scene.nodeFocused.connect(heard.append)
    press(win, Key.Key_Left)  # nothing focused yet: the output first
    assert focused(win) == "J" and selected(win) == ["J"]
    walk = [
        (Key.Key_Left, "three"),  # J's input 1 (a chip on its port)
        (Key.Key_Down, "v"),  # J's input 2
        (Key.Key_Left, "a"),  # v's input 1
        (Key.Key_Down, "u"),  # v's input 2
        (Key.Key_Left, "b"),
        (Key.Key_Down, "c"),
        (Key.Key_Up, "b"),
        (Key.Key_Right, "u"),
        (Key.Key_Right, "v"),
        (Key.Key_Right, "J"),
    ]
    for key, name in walk:
        press(win, key)
        assert (focused(win), selected(win)) == (name, [name]), key
    k = keys(win)
    assert heard == [k[name] for name in ["J", *(name for _, name in walk)]]
    press(win, Key.Key_Right)
    assert focused(win) == "J" and status(win) == "J feeds no node"


def test_up_and_down_go_through_a_layer_by_height_when_no_edge_was_followed(window):
    win = window
    on_canvas(win)
    k = keys(win)
    win.scene.select_keys([k["a"]])  # selected another way: the keys go on from there
    assert focused(win) == "a"
    press(win, Key.Key_Down)
    assert focused(win) == "b"  # a, b and c are the inputs' layer, top to bottom
    press(win, Key.Key_Down)
    assert focused(win) == "c"
    press(win, Key.Key_Down)
    assert focused(win) == "c" and status(win) == "No node below c in its layer"


def test_ctrl_arrows_keep_the_selection_and_ctrl_space_adds_to_it(window):
    win = window
    on_canvas(win)
    press(win, Key.Key_Left)
    press(win, Key.Key_Left, Mod.ControlModifier)  # to three, J stays selected alone
    assert focused(win) == "three" and selected(win) == ["J"]
    press(win, Key.Key_Down, Mod.ControlModifier)
    press(win, Key.Key_Space, Mod.ControlModifier)
    assert focused(win) == "v" and selected(win) == ["J", "v"]
    press(win, Key.Key_Space, Mod.ControlModifier)
    assert selected(win) == ["J"]


def test_a_click_moves_the_keyboard_to_the_node_and_hides_the_ring(window):
    win = window
    fit(win)
    on_canvas(win)
    press(win, Key.Key_Left)
    assert win.view.keyboard.ring_shown and not win.view.keyboard.ring_rect().isEmpty()
    click(win, node_point(win, keys(win)["b"]))
    assert focused(win) == "b"
    assert not win.view.keyboard.ring_shown and win.view.keyboard.ring_rect().isEmpty()
    press(win, Key.Key_Right)  # the keys go on from the click, and the ring is back
    assert focused(win) == "u" and win.view.keyboard.ring_shown


def test_ports_are_stepped_onto_and_disconnected_from_the_keyboard(window):
    win = window
    on_canvas(win)
    graph = win.document.graph
    win.scene.select_keys([keys(win)["v"]])
    press(win, Key.Key_BracketRight)
    assert win.scene.focused_port == ("in", 0)
    press(win, Key.Key_Down)  # on a port, Up and Down go from port to port
    assert win.scene.focused_port == ("in", 1)
    press(win, Key.Key_Down)
    assert win.scene.focused_port == ("out", 0)
    press(win, Key.Key_BracketRight)  # past the output: back to the node itself
    assert win.scene.focused_port is None and focused(win) == "v"
    press(win, Key.Key_BracketLeft)
    press(win, Key.Key_BracketLeft)
    assert win.scene.focused_port == ("in", 1)
    press(win, Key.Key_D)
    assert graph.inputs_of("v") == ["a", None]
    assert win.document.undo_stack.undoText() == "Disconnect u → v"
    press(win, Key.Key_Z, Mod.ControlModifier)
    assert graph.inputs_of("v") == ["a", "u"]
    press(win, Key.Key_Left)  # from a focused input, Left follows that input
    assert focused(win) == "u"


def test_d_on_the_node_itself_says_to_step_onto_a_port(window):
    win = window
    on_canvas(win)
    press(win, Key.Key_Left)
    before = win.document.undo_stack.count()
    press(win, Key.Key_D)
    assert "port" in status(win) and win.document.undo_stack.count() == before


def test_a_slot_menu_connects_by_a_names_first_letter(window):
    win = window
    on_canvas(win)
    graph = win.document.graph
    win.scene.select_keys([keys(win)["v"]])
    press(win, Key.Key_BracketRight)
    press(win, Key.Key_D)  # v's input 1 is empty now
    assert graph.inputs_of("v") == [None, "u"]
    press(win, Key.Key_C)
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    names = [a.text().replace("&", "").split()[0] for a in menu.actions() if not a.isSeparator()]
    # Nodes downstream of v (J) would close a cycle: they are not offered.
    assert sorted(names) == ["a", "b", "c", "three", "u"]
    QTest.keyClick(menu, Key.Key_B)  # the only name starting with b: picked at once
    QApplication.processEvents()
    assert graph.inputs_of("v") == ["b", "u"]
    assert win.view.hasFocus() and QApplication.activePopupWidget() is None


def test_the_output_ports_menu_offers_free_inputs(window):
    win = window
    on_canvas(win)
    graph = win.document.graph
    win.scene.select_keys([keys(win)["v"]])
    press(win, Key.Key_BracketRight)
    press(win, Key.Key_D)
    win.scene.select_keys([keys(win)["c"]])
    for _ in range(2):  # c is an input: its one port is its output
        press(win, Key.Key_BracketRight)
        if win.scene.focused_port == ("out", 0):
            break
    press(win, Key.Key_C)
    menu = QApplication.activePopupWidget()
    assert [a.text() for a in menu.actions() if not a.isSeparator()] == ["&v, input 1"]
    QTest.keyClick(menu, Key.Key_Return)
    QApplication.processEvents()
    assert graph.inputs_of("v") == ["c", "u"]


def test_alt_arrows_move_the_selection_a_grid_step_and_shift_arrows_pan(window):
    win = window
    on_canvas(win)
    graph = win.document.graph
    press(win, Key.Key_Left)
    item = win.scene.nodes[keys(win)["J"]]
    x, y = item.x(), item.y()  # on the grid
    press(win, Key.Key_Right, Mod.AltModifier)
    press(win, Key.Key_Down, Mod.AltModifier)
    assert (graph.node("J").x, graph.node("J").y) == (x + 20, y + 20)
    press(win, Key.Key_Z, Mod.ControlModifier)
    assert (graph.node("J").x, graph.node("J").y) == (x + 20, y)
    centre = win.view.centre()
    press(win, Key.Key_Right, Mod.ShiftModifier)
    assert win.view.centre().x() > centre.x() and focused(win) == "J"


def test_f6_goes_round_the_panels_and_back_to_the_canvas(window):
    win = window
    on_canvas(win)
    seen = []
    for _ in range(20):
        press(win, Key.Key_F6)
        widget = QApplication.focusWidget()
        seen.append(widget)
        if widget is win.view:
            break
    assert seen[-1] is win.view
    assert win.view.keyboard.ring_shown  # arriving by key shows where the keyboard is

    def reached(panel) -> bool:
        return any(panel is w or panel.isAncestorOf(w) for w in seen)

    # Every panel on screen, the inspector last (so F2, a new name, Enter and F6 come
    # back to the canvas); a teaching tool's panel is reached once it starts.
    for panel in (win.palette, win.history, win.panel.container):
        assert reached(panel), panel
    assert not reached(win.teaching)
    win.scene.select_keys([keys(win)["b"]])  # the inspector has fields to fill now
    on_canvas(win)
    press(win, Key.Key_F6, Mod.ShiftModifier)
    assert win.inspector.isAncestorOf(QApplication.focusWidget())
    press(win, Key.Key_F6)
    assert QApplication.focusWidget() is win.view
    press(win, Key.Key_N)  # nudge b: the Teach panel comes to the front, and F6 reaches it
    for _ in range(8):
        press(win, Key.Key_F6)
        if win.teaching.isAncestorOf(QApplication.focusWidget()):
            break
    assert win.teaching.isAncestorOf(QApplication.focusWidget())


def test_tab_from_a_panel_reaches_the_canvas_and_shift_tab_leaves_it(window):
    win = window
    win.activateWindow()
    win.palette.setFocus()
    QApplication.processEvents()
    start = QApplication.focusWidget()
    for _ in range(60):  # through every panel's fields (F6 is the quick way)
        press(win, Key.Key_Tab)
        if QApplication.focusWidget() is win.view:
            break
    assert QApplication.focusWidget() is win.view and start is not win.view
    press(win, Key.Key_Tab, Mod.ShiftModifier)
    assert QApplication.focusWidget() is not win.view
    assert not win.quick_add.isVisible()


def test_the_focused_node_removed_leaves_no_focus(window):
    win = window
    on_canvas(win)
    heard = []
    win.scene.nodeFocused.connect(heard.append)
    press(win, Key.Key_Left)
    press(win, Key.Key_Delete)
    assert "J" not in win.document.graph
    assert win.scene.focused_key is None and heard[-1] is None
    press(win, Key.Key_Z, Mod.ControlModifier)
    press(win, Key.Key_Left)  # the output is back: the keys start there again
    assert focused(win) == "J"


def test_the_ring_is_drawn_on_screen_and_never_exported(window):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QImage, QPainter, QPalette

    win = window
    fit(win)
    on_canvas(win)
    press(win, Key.Key_Left)
    item = win.scene.nodes[win.scene.focused_key]
    box = win.view.mapFromScene(item.mapRectToScene(item.box())).boundingRect()
    ring = win.view.keyboard.ring_rect()
    assert ring.contains(box) and ring != box
    # A picture of the scene (what exports draw) has no ring round the node.
    source = item.sceneBoundingRect().adjusted(-30, -30, 30, 30)
    image = QImage(int(source.width()), int(source.height()), QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    win.scene.render(painter, QRectF(image.rect()), source)
    painter.end()
    highlight = win.view.palette().color(QPalette.ColorRole.Highlight).rgb()
    top = int(item.sceneBoundingRect().top() - source.top()) - 5
    row = [image.pixelColor(x, top).rgb() for x in range(image.width())]
    assert highlight not in row


def test_quick_add_from_the_keyboard_puts_the_node_beside_the_focused_one(window):
    win = window
    fit(win)
    on_canvas(win)
    press(win, Key.Key_Left)  # J, the keyboard in use
    before = set(win.scene.nodes)
    press(win, Key.Key_Tab)
    QTest.keyClicks(win.quick_add.search, "exp")
    press(win, Key.Key_Return)
    (key,) = set(win.scene.nodes) - before
    assert win.scene.focused_key == key  # the new node has the keyboard
    new, output = win.scene.nodes[key], win.scene.nodes[keys(win)["J"]]
    assert new.x() > output.sceneBoundingRect().right()  # right of J, where J can feed it
    assert abs(new.y() - output.y()) <= 3 * 20


def test_a_node_inside_a_collapsed_group_is_not_gone_to(window):
    win = window
    on_canvas(win)
    k = keys(win)
    win.scene.select_keys([k["b"]])
    press(win, Key.Key_Down, Mod.ControlModifier)  # to c, b stays selected
    press(win, Key.Key_Space, Mod.ControlModifier)  # b and c selected
    press(win, Key.Key_G, Mod.ControlModifier)  # Node → Group: one collapsed box
    assert k["b"] not in win.scene.nodes  # drawn as the group's box
    win.scene.select_keys([k["u"]])
    before = win.scene.focused_key
    press(win, Key.Key_Left)  # u's first input, b, is in the box
    assert win.scene.focused_key == before == k["u"]
    assert "collapsed group" in status(win)
