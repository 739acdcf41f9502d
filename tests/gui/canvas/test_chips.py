"""The lecture's picture: nodes read u = b·c = 6, and a constant with one use is a
chip on its consumer's port (J = 3·v), not a box of its own."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from dvar import core
from dvar.gui.canvas.chips import ChipItem
from dvar.gui.canvas.nodes import WIDTH, NodeItem
from dvar.gui.document.field_commands import DetachConstant, SetField
from dvar.gui.document.structure_commands import AddNodes, Connect, RemoveItems, SetOutput
from tests.gui.helpers import (
    double_click,
    drag,
    dumps,
    fit,
    keys,
    port_point,
    press_key,
    rubber_band,
    scene_rect_of,
    status,
    viewport_point,
)

ROOT = Path(__file__).resolve().parents[3]
LECTURE = core.examples()["lecture"]


def _boxes(scene) -> set[str]:
    return {
        scene.graph.id_of(key)
        for key, item in scene.nodes.items()
        if not isinstance(item, ChipItem)
    }


def _chip_point(window, key: int):
    chip = window.scene.nodes[key]
    return viewport_point(window, chip.mapToScene(chip.box().center() - QPointF(3, 0)))


def test_the_lecture_shows_six_boxes_and_a_chip_reading_as_on_the_slide(window):
    scene, k = window.scene, keys(window)
    assert _boxes(scene) == {"a", "b", "c", "u", "v", "J"}
    assert set(scene.chips) == {k["three"]}
    chip = scene.chips[k["three"]]
    assert chip.number == "3" and chip.host is scene.nodes[k["J"]] and chip.slot == 0
    assert (k["J"], 0) not in scene.edges and len(scene.edges) == 5  # no edge from the 3
    texts = {node_id: scene.nodes[k[node_id]].value_text for node_id in ("a", "u", "v", "J")}
    assert texts == {"a": "a = 5", "u": "u = b·c = 6", "v": "v = a + u = 11", "J": "J = 3·v = 33"}
    assert scene.nodes[k["u"]].grad_text == "du = 3"
    # the chip sits on J's first port, and follows J when J moves
    port = scene.nodes[k["J"]].mapToScene(scene.nodes[k["J"]].input_port(0))
    assert chip.sceneBoundingRect().contains(port)
    scene.nodes[k["J"]].setPos(scene.nodes[k["J"]].pos() + QPointF(100, 40))
    port = scene.nodes[k["J"]].mapToScene(scene.nodes[k["J"]].input_port(0))
    assert chip.sceneBoundingRect().contains(port)


def test_the_toggle_draws_constants_as_boxes_and_back(window):
    scene, k = window.scene, keys(window)
    scene.set_constants_as_nodes(True)
    assert _boxes(scene) == {"a", "b", "c", "u", "v", "three", "J"} and not scene.chips
    assert scene.edges[(k["J"], 0)].source is scene.nodes[k["three"]]
    assert scene.nodes[k["J"]].value_text == "J = three·v = 33"
    assert scene.nodes[k["three"]].value_text == "three = 3"
    scene.set_constants_as_nodes(False)
    assert set(scene.chips) == {k["three"]} and (k["J"], 0) not in scene.edges
    assert scene.nodes[k["J"]].value_text == "J = 3·v = 33"


def test_a_chip_is_edited_in_place_and_the_edit_undoes(window, qtbot):
    scene, k, stack = window.scene, keys(window), window.document.undo_stack
    fit(window)
    double_click(window, _chip_point(window, k["three"]))
    editor = window.view.value_editor
    assert editor.isVisible() and editor.key == k["three"] and editor.width() >= 90
    editor.selectAll()
    QTest.keyClicks(editor, "4")
    QTest.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert window.document.graph.node("three").value == 4
    assert stack.undoText() == "Set three = 4"
    assert scene.chips[k["three"]].number == "4"
    assert scene.nodes[k["J"]].value_text == "J = 4·v = 44"
    stack.undo()
    assert scene.chips[k["three"]].number == "3"
    assert scene.nodes[k["J"]].value_text == "J = 3·v = 33"
    stack.redo()
    assert scene.nodes[k["J"]].value_text == "J = 4·v = 44"


def test_dragging_a_chip_off_its_port_makes_a_box_there_and_undo_puts_it_back(window):
    scene, k, stack = window.scene, keys(window), window.document.undo_stack
    graph = window.document.graph
    fit(window)
    before = dumps(window)
    start = _chip_point(window, k["three"])
    end = start + (viewport_point(window, QPointF(0, 0)) - viewport_point(window, QPointF(0, 160)))
    drag(window, start, end)
    assert graph.node("three").box is True
    assert stack.undoText() == "Show three as a box" and stack.count() == 1
    item = scene.nodes[k["three"]]
    assert not isinstance(item, ChipItem) and k["three"] not in scene.chips
    assert item.isSelected()
    dropped = window.view.mapToScene(end)
    assert (item.mapToScene(item.output_port()) - dropped).manhattanLength() < 45
    assert (graph.node("three").x, graph.node("three").y) == (item.x(), item.y())
    assert scene.edges[(k["J"], 0)].source is item
    assert scene.nodes[k["J"]].value_text == "J = three·v = 33"
    assert '"box": true' in dumps(window)
    stack.undo()
    assert set(scene.chips) == {k["three"]} and (k["J"], 0) not in scene.edges
    assert scene.nodes[k["J"]].value_text == "J = 3·v = 33"
    assert dumps(window) == before
    stack.redo()
    assert k["three"] not in scene.chips and graph.node("three").box


def test_a_chip_dropped_near_its_port_or_cancelled_stays_a_chip(window):
    scene, k, stack = window.scene, keys(window), window.document.undo_stack
    fit(window)
    start = _chip_point(window, k["three"])
    chip = scene.chips[k["three"]]
    home = chip.pos()
    drag(window, start, start + QPoint(6, 4))
    assert stack.count() == 0 and scene.chips[k["three"]] is chip and chip.pos() == home
    assert chip.isSelected()  # a click on a chip selects its constant
    assert window.scene.selected_keys() == [k["three"]]


def test_a_detached_constant_with_a_box_field_is_drawn_as_a_box(window):
    scene, k = window.scene, keys(window)
    graph = window.document.graph
    window.document.run(DetachConstant(graph, k["three"], 400.0, -200.0))
    assert k["three"] not in scene.chips
    assert scene.nodes[k["three"]].pos() == QPointF(400, -200)
    window.document.run(SetField.to(graph, k["three"], "box", False))
    assert k["three"] in scene.chips


def test_a_second_use_makes_a_chip_a_box_at_once_and_undo_makes_it_a_chip(window):
    scene, k, stack = window.scene, keys(window), window.document.undo_stack
    graph = window.document.graph
    window.document.run(AddNodes(graph, [{"id": "w", "op": "exp", "x": 900, "y": 300}], "Add"))
    w = graph.key_of("w")
    assert scene.nodes[w].value_text.startswith("w = exp(□) = ")
    window.document.run(Connect(graph, k["three"], w, 0))
    assert not scene.chips and scene.edges[(w, 0)].source is scene.nodes[k["three"]]
    assert scene.edges[(k["J"], 0)].source is scene.nodes[k["three"]]
    assert scene.nodes[k["J"]].value_text == "J = three·v = 33"
    assert scene.nodes[w].value_text == "w = exp(three) = 20.0855"
    stack.undo()
    assert set(scene.chips) == {k["three"]} and (k["J"], 0) not in scene.edges
    assert scene.nodes[k["J"]].value_text == "J = 3·v = 33"
    assert scene.nodes[w].value_text.startswith("w = exp(□)")


def test_deleting_the_consumer_leaves_a_box_and_undo_brings_the_chip_back(window):
    scene, k, stack = window.scene, keys(window), window.document.undo_stack
    window.document.run(RemoveItems(window.document.graph, [k["J"]], []))
    assert not scene.chips and isinstance(scene.nodes[k["three"]], NodeItem)
    assert not isinstance(scene.nodes[k["three"]], ChipItem)
    stack.undo()
    assert scene.chips[k["three"]].host is scene.nodes[k["J"]]


def test_a_selected_chip_is_deleted_with_the_delete_key_and_undo_restores_it(window):
    scene, k, stack = window.scene, keys(window), window.document.undo_stack
    fit(window)
    before = dumps(window)
    scene.select_keys([k["three"]])
    press_key(window, Qt.Key.Key_Delete)
    graph = window.document.graph
    assert "three" not in graph and not scene.chips
    assert scene.nodes[k["J"]].value_text == "J = □·v = —"
    stack.undo()
    assert dumps(window) == before and set(scene.chips) == {k["three"]}


def test_rubber_band_copy_and_paste_keep_the_chip(window):
    scene, k = window.scene, keys(window)
    graph = window.document.graph
    fit(window)
    rubber_band(window, scene_rect_of(window, ["v", "J"]))
    assert set(scene.selected_keys()) == {k["v"], k["J"], k["three"]}
    window.actions["copy"].trigger()
    window.actions["paste"].trigger()
    QApplication.processEvents()
    assert len(graph) == 10
    pasted = {graph.id_of(key) for key in scene.selected_keys()}
    assert len(pasted) == 3
    (constant,) = [i for i in pasted if graph.node(i).op.name == "const"]
    assert graph.key_of(constant) in scene.chips  # the copy is a chip on the copy of J
    assert QGuiApplication.clipboard().mimeData().hasFormat("application/x-dvar-nodes")


def test_a_box_field_survives_copy_and_paste(window):
    k, graph = keys(window), window.document.graph
    window.document.run(DetachConstant(graph, k["three"], 400.0, -200.0))
    window.scene.select_keys([k["three"]])
    window.actions["copy"].trigger()
    window.actions["paste"].trigger()
    QApplication.processEvents()
    (pasted,) = window.scene.selected_keys()
    assert graph.node(pasted).box is True


def test_a_long_formula_widens_its_box_and_never_leaves_it(empty_window):
    win, graph = empty_window, empty_window.document.graph
    records = [
        {"id": "weighted_input_one", "op": "input", "value": 1.5, "x": 0, "y": 0},
        {"id": "weighted_input_two", "op": "input", "value": 2.0, "x": 0, "y": 120},
        {
            "id": "hidden_sum",
            "op": "max",
            "inputs": ["weighted_input_one", "weighted_input_two"],
            "x": 300,
            "y": 60,
        },
    ]
    win.document.run(AddNodes(graph, records, "Add"))
    item = win.scene.nodes[graph.key_of("hidden_sum")]
    assert item.value_text == "hidden_sum = max(weighted_input_one, weighted_input_two) = 2"
    assert item.width > WIDTH
    line, font = item.value_line(True, item.width - 26)
    assert line == item.value_text and "…" not in line
    # the box's output port and its edges follow the new width
    assert item.output_port().x() == item.width


def test_the_svg_export_draws_the_slide(tmp_path):
    out = tmp_path / "a1.svg"
    done = subprocess.run(
        [sys.executable, "-m", "dvar", "export", str(LECTURE), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", out.read_text(encoding="utf-8"))
    texts = [t.strip() for t in texts]
    assert "u = b·c = 6" in texts and "v = a + u = 11" in texts and "J = 3·v = 33" in texts
    assert "3" in texts  # the chip
    assert not any("three" in t for t in texts)


def test_deleting_a_box_constant_and_undoing_keeps_it_a_box(window):
    scene, k, stack = window.scene, keys(window), window.document.undo_stack
    graph = window.document.graph
    window.document.run(DetachConstant(graph, k["three"], 400.0, -200.0))
    window.document.run(RemoveItems(graph, [k["three"]], []))
    assert "three" not in graph
    stack.undo()
    assert graph.node("three").box is True and k["three"] not in scene.chips
    assert scene.edges[(k["J"], 0)].source is scene.nodes[k["three"]]


def test_a_constant_chosen_as_the_output_keeps_its_marked_box(window):
    scene, k, stack = window.scene, keys(window), window.document.undo_stack
    window.document.run(SetOutput(window.document.graph, k["three"]))
    assert not scene.chips and scene.nodes[k["three"]].is_output
    stack.undo()
    assert set(scene.chips) == {k["three"]}


def test_an_edge_dropped_on_a_chip_is_refused_with_a_reason(window):
    k, stack = keys(window), window.document.undo_stack
    fit(window)
    drag(window, port_point(window, k["a"], "out"), _chip_point(window, k["three"]))
    assert stack.count() == 0
    assert status(window) == "Refused: slot 1 of J holds the constant 3; drag it off the port first"


def test_copy_delete_and_duplicate_take_the_chips_of_the_chosen_nodes(window):
    graph, scene = window.document.graph, window.scene
    j, three = graph.key_of("J"), graph.key_of("three")
    scene.select_keys([j])
    assert window.copy()
    window.paste()
    pasted = [node for node in graph if node.key not in (j, three) and node.op.name == "mul"]
    pasted_j = [n for n in pasted if n.id != "u"]
    assert len(pasted_j) == 1 and None not in pasted_j[0].inputs[:1]  # its 3 came along
    assert graph.node(pasted_j[0].inputs[0]).value == 3.0
    scene.select_keys([j])
    window.delete_selection()
    assert "J" not in graph and "three" not in graph  # no stray box left behind
    window.document.undo_stack.undo()
    assert "J" in graph and graph.is_inline_constant("three")
