"""Invalid edits are refused on the spot with a status-bar message, and nothing changes."""

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dvar.gui.document.structure_commands import Connect, Disconnect
from tests.gui.helpers import (
    connect,
    drag,
    dumps,
    empty_point,
    fit,
    keys,
    port_point,
    press_key,
    status,
    type_value,
)


@pytest.fixture
def german():
    """The user's locale writes 5,001 for five and a thousandth."""
    old = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    QLocale.setDefault(old)


def test_an_edge_that_would_close_a_cycle_is_refused(window):
    win, k = window, keys(window)
    graph = win.document.graph
    assert win.document.run(Disconnect(graph, k["u"], 0))  # free a slot of u
    fit(win)
    before, depth = dumps(win), win.document.undo_stack.count()
    connect(win, k["J"], k["u"], 0)  # J depends on u: J → u closes a loop
    assert dumps(win) == before
    assert win.document.undo_stack.count() == depth
    assert (k["u"], 0) not in win.scene.edges
    assert "cycle" in status(win)
    # the graph itself refuses the same edge when it comes as a command
    assert not win.document.run(Connect(graph, k["v"], k["u"], 0))
    assert dumps(win) == before
    assert "cycle" in status(win)


def test_a_node_cannot_feed_itself(window):
    win, k = window, keys(window)
    win.document.run(Disconnect(win.document.graph, k["u"], 0))
    fit(win)
    before = dumps(win)
    connect(win, k["u"], k["u"], 0)
    assert dumps(win) == before
    assert "itself" in status(win)


def test_while_dragging_only_free_slots_that_make_no_cycle_light_up(window):
    win, k = window, keys(window)
    win.document.run(Disconnect(win.document.graph, k["u"], 1))
    fit(win)
    viewport = win.view.viewport()
    start = port_point(win, k["a"], "out")
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(viewport, empty_point(win))
    lit = {key: item.valid_ports for key, item in win.scene.nodes.items() if item.valid_ports}
    assert lit == {k["u"]: {1}}
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    # from J, every free slot would close a loop: nothing lights up
    start = port_point(win, k["J"], "out")
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(viewport, empty_point(win))
    assert not any(item.valid_ports for item in win.scene.nodes.values())
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QApplication.processEvents()
    assert all(not item.valid_ports for item in win.scene.nodes.values())


def test_dropping_onto_an_occupied_slot_is_refused(window):
    win, k = window, keys(window)
    fit(win)
    before = dumps(win)
    connect(win, k["a"], k["u"], 0)  # slot 1 of u already holds b
    assert dumps(win) == before
    assert win.document.graph.inputs_of("u") == ["b", "c"]
    message = status(win)
    assert "slot 1 of u" in message and "already" in message and "b" in message


def test_dropping_an_edge_end_onto_an_occupied_slot_keeps_the_edge(window):
    win, k = window, keys(window)
    fit(win)
    before = dumps(win)
    # pick up b's end of b → u and drop it on v's first slot, which a holds
    drag(win, port_point(win, k["u"], "in", 0), port_point(win, k["v"], "in", 0))
    assert dumps(win) == before
    assert win.scene.edges[(k["u"], 0)].isVisible()
    assert "already" in status(win)


def test_text_that_is_not_a_number_is_refused_and_the_old_value_stays(window, qtbot):
    win, k = window, keys(window)
    fit(win)
    before = dumps(win)
    evaluations = win.document.evaluations
    type_value(win, qtbot, k["a"], "abc")
    assert dumps(win) == before
    assert win.document.evaluations == evaluations
    assert win.scene.nodes[k["a"]].value_text == "a = 5"
    message = status(win)
    assert "abc" in message and "a keeps 5" in message
    editor = win.view.value_editor
    assert editor.isVisible() and editor.text() == "abc"  # still open, to be corrected
    editor.selectAll()
    QTest.keyClicks(editor, "4")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    assert not editor.isVisible()
    assert win.document.graph.node("a").value == 4


@pytest.mark.parametrize("text", ["5,001", "5.001"])
def test_typed_numbers_follow_the_locale_and_accept_a_dot(window, qtbot, german, text):
    win, k = window, keys(window)
    fit(win)
    type_value(win, qtbot, k["a"], text)
    assert win.document.graph.node("a").value == 5.001
    assert win.scene.nodes[k["J"]].value_text == "J = 3·v = 33.003"


def test_escape_cancels_the_value_editor(window, qtbot):
    win, k = window, keys(window)
    fit(win)
    before = dumps(win)
    win.scene.select_keys([k["b"]])
    press_key(win, Qt.Key.Key_Return)  # Edit Value, from the keyboard
    editor = win.view.value_editor
    assert editor.isVisible() and editor.text() == "3"
    QTest.keyClicks(editor, "7")
    QTest.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()
    assert dumps(win) == before
