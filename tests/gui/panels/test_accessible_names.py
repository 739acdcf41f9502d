"""The panels as a screen reader sees them: every control has a name in words, and
every row of the derivative panel reads its derivative and its chain rule.

Everything is read from the main window's accessible interface down, as assistive
technology reads it.
"""

from __future__ import annotations

from PySide6.QtGui import QAccessible, QAccessibleInterface

from dvar.gui.document.field_commands import SetField

NAME = QAccessible.Text.Name
Role = QAccessible.Role

#: Roles a person acts on: each must say what it is for.
CONTROLS = {
    Role.Button,
    Role.CheckBox,
    Role.RadioButton,
    Role.ComboBox,
    Role.EditableText,
    Role.SpinBox,
    Role.Slider,
    Role.List,
    Role.Tree,
    Role.Table,
    Role.ProgressBar,
    Role.PageTab,
}


def walk(interface: QAccessibleInterface, parent: QAccessibleInterface | None = None):
    """Every interface under ``interface`` with its parent, depth first (not into the
    canvas, whose nodes have tests of their own)."""
    yield interface, parent
    if interface.role() == Role.Canvas:
        return
    for index in range(interface.childCount()):
        child = interface.child(index)
        if child is not None:
            yield from walk(child, interface)


def named(window, role: Role, name: str) -> QAccessibleInterface:
    root = QAccessible.queryAccessibleInterface(window)
    for interface, _ in walk(root):
        if interface.role() == role and interface.text(NAME) == name:
            return interface
    raise AssertionError(f"no {role.name} named {name!r}")


def unnamed_controls(window) -> list[str]:
    found = []
    for interface, parent in walk(QAccessible.queryAccessibleInterface(window)):
        if interface.role() not in CONTROLS:
            continue
        if parent is not None and parent.role() == Role.ComboBox:
            continue  # a combo box's popup list: Qt's, and named by the combo box
        name = interface.text(NAME)
        if not any(ch.isalpha() for ch in name):
            owner = interface.object()
            found.append(f"{interface.role().name} {name!r} ({type(owner).__name__})")
    return found


def test_every_control_has_a_name_in_words(window):
    assert unnamed_controls(window) == []
    window.actions["step_backward"].trigger()  # the step buttons, now enabled
    window.scene.select_keys([window.document.graph.key_of("u")])  # the inspector's fields
    assert unnamed_controls(window) == []


def test_the_step_buttons_say_what_they_do(window):
    for name in ("Back to the start", "Previous step", "Play / pause", "Next step"):
        assert named(window, Role.Button, name).object().toolTip() == name


def test_palette_entries_say_what_the_op_does(window):
    entry = named(window, Role.ListItem, "mul: Product of two values")
    assert entry.parent().text(NAME) == "Operations"
    named(window, Role.ListItem, "tanh: Squashes into (−1, 1)")


def tree_rows(window) -> list[str]:
    tree = named(window, Role.Tree, "Derivative panel")
    return [
        tree.child(index).text(NAME)
        for index in range(tree.childCount())
        if tree.child(index).role() == Role.TreeItem
    ]


def test_derivative_rows_read_the_chain_rule_in_words(window):
    rows = tree_rows(window)
    assert "db equals 6; db equals du times c, 3 times 2" in rows
    assert "dv equals 3; dv equals dJ times 3, 1 times 3" in rows
    assert "dJ equals 1; J is the output" in rows
    assert "6" in rows  # the value column reads its number
    graph = window.document.graph
    window.document.run(SetField.to(graph, graph.key_of("c"), "value", -2.0))
    rows = tree_rows(window)
    assert "db equals minus 6; db equals du times c, 3 times minus 2" in rows
    window.document.undo_stack.undo()
    assert "db equals 6; db equals du times c, 3 times 2" in tree_rows(window)


def test_derivative_rows_keep_practice_cells_hidden(window):
    panel = window.practice
    for kind, box in panel.hide_boxes.items():
        box.setChecked(kind == "grad")
    window.actions["practice"].trigger()
    assert panel.active
    rows = tree_rows(window)
    assert "dJ hidden, to be worked out" in rows
    db = next(row for row in rows if row.startswith("db "))
    assert db == "db hidden, waiting for the cells it needs"
    assert not any("times" in row for row in rows)  # no chain rule gives a number away


def test_derivative_rows_while_stepping(window):
    window.actions["step_backward"].trigger()
    window.actions["next_step"].trigger()  # J
    rows = tree_rows(window)
    assert "dJ equals 1; J is the output" in rows
    assert "db not computed yet" in rows


def under(window, role: Role, name: str) -> list[str]:
    """The names of everything inside the interface of this role and name."""
    return [interface.text(NAME) for interface, _ in walk(named(window, role, name))]


def test_the_card_and_the_inspector_read_in_words(window):
    window.scene.select_keys([window.document.graph.key_of("b")])
    card = [text for text in under(window, Role.Client, "Derivative card") if text]
    assert "db equals du times partial u by partial b" in card
    assert any(text.startswith("equals du times c equals 3 times 2") for text in card), card
    assert not any(symbol in text for text in card for symbol in "·∂")
    window.scene.select_keys([window.document.graph.key_of("u")])
    inspector = under(window, Role.Pane, "Inspector")
    assert "mul: Multiply" in inspector
    assert "equals 6" in inspector


def test_the_teach_panel_explains_in_words(window):
    window.scene.select_keys([window.document.graph.key_of("b")])
    window.actions["nudge"].trigger()
    teach = under(window, Role.Pane, "Teach")
    assert any("change in J over change in b equals" in text for text in teach), teach
    window.teaching.start_steps(backward=True)
    window.teaching.step_to(4)  # J, v, a, u
    teach = under(window, Role.Pane, "Teach")
    assert any("du equals dv times partial v by partial u" in text for text in teach), teach
    assert not any("∂" in text or "·" in text for text in teach)
    window.actions["clear_preview"].trigger()
    assert "Walk the backward pass right to left, one node at a time." in under(
        window, Role.Pane, "Teach"
    )
