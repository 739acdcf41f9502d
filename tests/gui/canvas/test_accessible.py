"""The canvas as a screen reader sees it: the tree from the main window's accessible
interface down to the nodes and their ports, read after edits, undo and in each
teaching mode, and the events that let a screen reader follow the keyboard.

Scene items are never read directly here: every name comes through the view's
accessible interface, as assistive technology gets it.
"""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleInterface
from PySide6.QtWidgets import QApplication

from dvar import core
from dvar.gui.canvas import accessible
from dvar.gui.document.document import Document
from dvar.gui.document.field_commands import SetField
from dvar.gui.document.structure_commands import AddNodes, RemoveItems
from dvar.gui.numbers import format_number
from tests.gui.helpers import click, fit, node_point, type_value

NAME, DESCRIPTION = QAccessible.Text.Name, QAccessible.Text.Description


def find(interface: QAccessibleInterface, role: QAccessible.Role) -> QAccessibleInterface | None:
    """The first interface of this role under ``interface``, depth first."""
    if interface.role() == role:
        return interface
    for index in range(interface.childCount()):
        child = interface.child(index)
        if child is not None:
            found = find(child, role)
            if found is not None:
                return found
    return None


def canvas(window) -> QAccessibleInterface:
    root = QAccessible.queryAccessibleInterface(window)
    found = find(root, QAccessible.Role.Canvas)
    assert found is not None, "the window has no canvas for assistive technology"
    return found


def nodes(window) -> dict[str, QAccessibleInterface]:
    """The canvas's node children by the name they say (``node u, ...`` -> ``u``)."""
    view = canvas(window)
    found = {}
    for index in range(view.childCount()):
        child = view.child(index)
        name = child.text(NAME)
        if name.startswith("node "):
            assert view.indexOfChild(child) == index
            assert child.parent().role() == QAccessible.Role.Canvas
            found[name.split(",")[0].removeprefix("node ")] = child
    return found


def said(window) -> dict[str, str]:
    return {node_id: child.text(NAME) for node_id, child in nodes(window).items()}


def ports(node: QAccessibleInterface) -> list[str]:
    names = []
    for index in range(node.childCount()):
        port = node.child(index)
        assert port.parent() is node and node.indexOfChild(port) == index
        names.append(port.text(NAME))
    return names


def test_the_window_tree_reaches_every_node_and_its_ports(window):
    graph = window.document.graph
    found = nodes(window)
    assert sorted(found) == sorted(node.id for node in graph)
    u = found["u"]
    assert u.text(NAME) == "node u, multiply b by c, value 6, derivative du 3"
    assert u.text(DESCRIPTION) == "u equals b times c; used by v"
    assert ports(u) == ["input 1 of u, from b", "input 2 of u, from c", "output of u, to v"]
    assert ports(found["J"])[0] == "input 1 of J, from constant 3"
    assert ports(found["a"]) == ["output of a, to v"]
    evaluation = window.document.evaluation
    for node in graph:  # every number read is the one the document computed
        name = found[node.id].text(NAME)
        assert f"value {format_number(evaluation.values[node.key])}" in name
        if node.id != "three":
            assert f"derivative d{node.id} {format_number(evaluation.grads[node.key])}" in name
    # The lecture's 3 is a number on J's port, with no derivative drawn: none is read.
    assert found["three"].text(NAME) == "node three, constant, value 3"
    # Where a node is on screen, as a screen magnifier needs it.
    rect = u.rect()
    assert rect.isValid() and canvas(window).rect().intersects(rect)
    at = canvas(window).childAt(rect.center().x(), rect.center().y())
    assert at is not None and at.text(NAME) == u.text(NAME)


def test_names_follow_an_edit_and_its_undo(window, qtbot):
    fit(window)
    before = said(window)
    b = window.document.graph.key_of("b")
    type_value(window, qtbot, b, "4")
    after = said(window)
    assert after["b"].startswith("node b, input, value 4,")
    assert after["u"] == "node u, multiply b by c, value 8, derivative du 3"
    assert "value 39" in after["J"]  # 3·(5 + 4·2)
    window.document.undo_stack.undo()
    assert said(window) == before
    window.document.undo_stack.redo()
    assert said(window) == after


def test_a_removed_node_leaves_the_tree_and_ports_follow_the_edges(window):
    graph = window.document.graph
    count = canvas(window).childCount()
    u = nodes(window)["u"]
    window.document.run(RemoveItems(graph, [graph.key_of("u")], []))
    assert canvas(window).childCount() == count - 1
    assert not shiboken6.isValid(u)  # its interface left Qt's cache with it
    found = nodes(window)
    assert "u" not in found
    assert ports(found["v"])[1] == "input 2 of v, empty"
    assert "no value" in found["v"].text(NAME)
    window.document.undo_stack.undo()
    assert ports(nodes(window)["v"])[1] == "input 2 of v, from u"


def test_an_error_node_says_why(window, qtbot):
    fit(window)
    c = window.document.graph.key_of("c")
    graph = window.document.graph
    window.document.run(
        AddNodes(graph, [{"id": "r", "op": "log", "inputs": [c], "x": 0, "y": 400}], "Add log")
    )
    type_value(window, qtbot, c, "-2")
    r = nodes(window)["r"]
    reason = window.document.evaluation.error(graph.key_of("r"))
    assert reason and r.text(NAME).startswith(f"node r, natural log of c, no value: {reason},")


def test_the_nudge_is_read_out(window):
    window.scene.select_keys([window.document.graph.key_of("b")])
    window.actions["nudge"].trigger()
    found = said(window)
    assert "nudged: J equals 33 goes to 33.006" in found["J"]
    assert "change in J over change in b equals 6.000" in found["b"]
    window.actions["clear_preview"].trigger()
    assert "nudged" not in said(window)["J"]


def test_stepping_reads_only_what_is_computed(window):
    window.actions["step_backward"].trigger()
    found = said(window)
    assert "derivative db not computed yet" in found["b"]
    assert "derivative dJ not computed yet" in found["J"]
    window.actions["next_step"].trigger()  # J
    window.actions["next_step"].trigger()  # v
    found = said(window)
    assert found["v"].endswith("derivative dv 3, being computed now")
    assert "derivative db not computed yet" in found["b"]
    window.actions["clear_preview"].trigger()
    assert said(window)["b"].endswith("derivative db 6")


def test_the_forward_pass_reads_no_derivatives(window):
    window.teaching.start_steps(backward=False)
    found = said(window)
    assert "value not computed yet" in found["J"] and "derivative" not in found["J"]
    assert "value 3" in found["three"]  # constants are known from the start


def test_forward_mode_reads_the_forward_derivative(window):
    assert window.teaching.forward.start("a")
    found = said(window)
    assert found["J"].endswith("forward derivative dJ by da equals 3")
    assert found["u"].endswith("forward derivative du by da equals 0")


def test_practice_never_reads_a_hidden_derivative(window):
    panel = window.practice
    for kind, box in panel.hide_boxes.items():
        box.setChecked(kind == "grad")
    window.actions["practice"].trigger()
    assert panel.active
    found = said(window)
    evaluation = window.document.evaluation
    graph = window.document.graph
    for node_id in ("J", "v", "b", "c"):
        grad = format_number(evaluation.grads[graph.key_of(node_id)])
        assert f"derivative d{node_id} hidden" in found[node_id], found[node_id]
        assert f"d{node_id} {grad}" not in found[node_id]
    assert "derivative dJ hidden, to be worked out" in found["J"]  # right to left: J first
    assert "waiting" in found["b"]
    assert found["three"] == "node three, constant, value 3"  # dthree = dJ·v would tell dJ
    answer = [
        child.text(NAME)
        for child in _descendants(canvas(window))
        if child.role() == QAccessible.Role.EditableText and child.text(NAME).startswith("Answer")
    ]
    assert answer == ["Answer: Type dJ and press Enter"]


# ------------------------------------------------------------------- events
@pytest.fixture
def heard(monkeypatch):
    """Assistive technology listening: the events the canvas raises, as (kind, name)."""
    events: list[tuple[QAccessible.Event, str]] = []

    def listen(event) -> None:
        if isinstance(event, QAccessibleAnnouncementEvent):
            events.append((event.type(), event.message()))
            return
        interface = event.accessibleInterface()
        events.append((event.type(), "" if interface is None else interface.text(NAME)))

    monkeypatch.setattr(accessible, "announce", listen)
    was = QAccessible.isActive()
    QAccessible.setActive(True)
    yield events
    QAccessible.setActive(was)


def test_offscreen_no_assistive_technology_listens_and_nothing_is_raised(window, monkeypatch):
    """The editor does no per-node work for screen readers unless one is listening."""
    assert not QAccessible.isActive()  # offscreen: no bridge; tests switch it on themselves
    events = []
    monkeypatch.setattr(accessible, "announce", events.append)
    window.scene.select_keys([window.document.graph.key_of("u")])
    window.actions["nudge"].trigger()
    window.scene.set_focused(window.document.graph.key_of("b"))
    assert events == []


def test_selection_and_focus_are_told(window, heard):
    window.view.setFocus()
    QApplication.processEvents()
    fit(window)
    graph = window.document.graph
    click(window, node_point(window, graph.key_of("u")))
    kinds = [kind for kind, _ in heard]
    assert QAccessible.Event.Selection in kinds and QAccessible.Event.Focus in kinds
    assert all(name.startswith("node u,") for _, name in heard)
    focus = canvas(window).focusChild()
    assert focus is not None and focus.text(NAME).startswith("node u,")
    assert focus.state().focused and focus.state().selected
    heard.clear()
    window.scene.set_focused(graph.key_of("b"))  # the keyboard's focus, as the arrows move it
    assert heard == [(QAccessible.Event.Focus, "node b, input, value 3, derivative db 6")]
    heard.clear()
    window.scene.set_focused(graph.key_of("u"), ("in", 1))
    assert (QAccessible.Event.Focus, "input 2 of u, from c") in heard
    assert canvas(window).focusChild().text(NAME) == "input 2 of u, from c"


def test_an_edit_tells_the_focused_node_s_new_name(window, heard):
    window.view.setFocus()
    fit(window)
    graph = window.document.graph
    window.scene.set_focused(graph.key_of("u"))
    heard.clear()
    window.document.run(SetField.to(graph, graph.key_of("c"), "value", 5.0))  # the inspector's way
    changed = [name for kind, name in heard if kind == QAccessible.Event.NameChanged]
    assert changed == ["node u, multiply b by c, value 15, derivative du 3"]
    heard.clear()
    window.document.undo_stack.undo()
    changed = [name for kind, name in heard if kind == QAccessible.Event.NameChanged]
    assert changed == ["node u, multiply b by c, value 6, derivative du 3"]


def test_the_canvas_getting_focus_tells_which_node_has_it(window, qtbot, heard):
    graph = window.document.graph
    window.panel.setFocus()  # focus elsewhere; a node is selected meanwhile
    window.scene.select_keys([graph.key_of("v")])
    heard.clear()
    window.view.setFocus()
    qtbot.waitUntil(lambda: any(kind == QAccessible.Event.Focus for kind, _ in heard))
    assert (QAccessible.Event.Focus, "node v, add a and u, value 11, derivative dv 3") in heard


def test_the_value_editor_says_whose_value_it_edits(window):
    graph = window.document.graph
    window.view.edit_value(graph.key_of("b"))
    view = canvas(window)
    editors = [
        view.child(index)
        for index in range(view.childCount())
        if view.child(index).role() != QAccessible.Role.ListItem
    ]
    found = [e for interface in editors for e in _descendants(interface)]
    assert "New value for b" in [e.text(NAME) for e in found]


def _descendants(interface: QAccessibleInterface) -> list[QAccessibleInterface]:
    out = [interface]
    for index in range(interface.childCount()):
        child = interface.child(index)
        if child is not None:
            out += _descendants(child)
    return out


def test_teaching_steps_and_nudges_are_announced(window, heard):
    said = lambda: [text for kind, text in heard if kind == QAccessible.Event.Announcement]  # noqa: E731
    window.actions["step_backward"].trigger()
    window.actions["next_step"].trigger()
    assert said() == [
        "node J, output, multiply 3 by v, value 33, derivative dJ 1, being computed now"
    ]
    window.actions["next_step"].trigger()
    assert said()[-1] == "node v, add a and u, value 11, derivative dv 3, being computed now"
    window.actions["clear_preview"].trigger()
    heard.clear()
    window.scene.select_keys([window.document.graph.key_of("c")])
    window.actions["nudge"].trigger()
    assert len(said()) == 1 and said()[0].startswith("node J, output, multiply 3 by v, nudged: ")
    assert "J equals 33 goes to 33.009" in said()[0]


def test_another_document_in_the_window_is_read(window, heard):
    old = nodes(window)["u"]
    graph = core.Graph()
    graph.add_node("input", "x", value=-3.0)
    graph.add_node("abs", "y", inputs=["x"])
    graph.set_output("y")
    window.set_document(Document(graph))
    assert not shiboken6.isValid(old)  # the old graph's nodes left Qt's cache
    assert said(window) == {
        "x": "node x, input, value minus 3, derivative dx minus 1",
        "y": "node y, output, absolute value of x, value 3, derivative dy 1",
    }
    assert (QAccessible.Event.ObjectReorder, "Canvas") in heard


def test_a_collapsed_group_is_one_child_that_says_what_it_holds(window):
    graph = window.document.graph
    count = canvas(window).childCount()
    window.scene.select_keys([graph.key_of("u")])
    path = window.scene.groups.group()  # Ctrl+G: grouped and collapsed
    assert path is not None
    found = nodes(window)
    assert sorted(found) == ["J", "a", "b", "c", "three", "v"]
    view = canvas(window)
    assert view.childCount() == count - 1 + 1
    boxes = [
        view.child(index)
        for index in range(view.childCount())
        if view.child(index).text(NAME).startswith("group ")
    ]
    assert len(boxes) == 1
    (box,) = boxes
    assert view.indexOfChild(box) >= 0 and box.parent().role() == QAccessible.Role.Canvas
    title = graph.groups[0].title
    assert box.text(NAME) == (
        f"group {title}, collapsed, 1 node; inputs b and c; output u, value 6, derivative du 3"
    )
    assert box.state().collapsed and box.state().selected
    assert ports(found["v"])[1] == "input 2 of v, from u"  # the edge comes out of the box
    window.document.undo_stack.undo()
    assert sorted(nodes(window)) == sorted(node.id for node in graph)
    assert not shiboken6.isValid(box)
