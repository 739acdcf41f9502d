"""Groups on the canvas: a collapsed group is one box, its nodes have no items, and
Group, Ungroup, Expand and Collapse are each one undo step."""

from __future__ import annotations

import json
import random

from PySide6.QtCore import QPointF, Qt
from PySide6.QtTest import QTest

from dvar import core
from dvar.core.groups import Group, boundary, group_at, grouped, with_collapsed
from dvar.gui.canvas import group_actions
from dvar.gui.canvas.export import export_scene
from dvar.gui.canvas.group_actions import default_title
from dvar.gui.canvas.groups import ROWS, GroupItem, shown_units
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.document.annotation_commands import SetGroups
from dvar.gui.document.document import Document
from dvar.gui.document.field_commands import SetField


def _graph(records: list[dict], output: str) -> core.Graph:
    return core.loads(
        json.dumps({"format": "dvar", "version": 1, "nodes": records, "output": output})
    )


def _on_grid(value: float) -> float:
    return round(value / 20) * 20


def _keys(graph, *ids):
    return [graph.key_of(i) for i in ids]


def _group_u_v(window) -> tuple[int, ...]:
    """Select u and v on the lecture's canvas and press Ctrl+G."""
    scene = window.scene
    scene.select_keys(_keys(scene.graph, "u", "v"))
    window.actions["group"].trigger()
    (path,) = scene.group_items
    return path


def _shown_ids(scene) -> set[str]:
    return {scene.graph.id_of(key) for key in scene.nodes}


def test_ctrl_g_collapses_the_selection_into_one_box_and_undo_brings_the_nodes_back(window):
    scene, document = window.scene, window.document
    path = _group_u_v(window)
    assert _shown_ids(scene) == {"a", "b", "c", "three", "J"}
    box = scene.group_items[path]
    assert box.title == "u, v" == scene.graph.groups[0].title
    assert box.isSelected()
    # The box lists the group's inputs and outputs with their numbers, and a count.
    assert [row[1:] for row in box.in_texts] == [
        ("a = 5", "da = 3"),
        ("b = 3", "db = 6"),
        ("c = 2", "dc = 9"),
    ]
    assert [row[1:] for row in box.out_texts] == [("v = 11", "dv = 3")]
    assert box.count == 2
    # Edges from a, b, c end at the box; the one into J starts at it.
    ends = {(e.source, e.consumer) for e in scene.group_edges.values()}
    nodes = scene.nodes
    assert ends == {
        (nodes[scene.graph.key_of("a")], box),
        (nodes[scene.graph.key_of("b")], box),
        (nodes[scene.graph.key_of("c")], box),
        (box, nodes[scene.graph.key_of("J")]),
    }
    assert not scene.edges  # no edge between two shown nodes is left
    document.undo_stack.undo()
    assert _shown_ids(scene) == {"a", "b", "c", "u", "v", "three", "J"}
    assert not scene.group_items and not scene.group_edges and len(scene.edges) == 5
    document.undo_stack.redo()
    assert _shown_ids(scene) == {"a", "b", "c", "three", "J"} and len(scene.group_items) == 1


def test_expand_opens_the_box_in_place_and_collapse_closes_it_again(window):
    scene = window.scene
    path = _group_u_v(window)
    spot = scene.group_items[path].pos()
    window.actions["expand_group"].trigger()
    assert not scene.group_items
    assert _shown_ids(scene) >= {"u", "v"}
    graph = scene.graph
    u = scene.nodes[graph.key_of("u")]
    # The lecture's nodes have positions: the box sat at their top-left corner.
    assert spot == QPointF(
        min(scene.nodes[k].x() for k in _keys(graph, "u", "v")),
        min(scene.nodes[k].y() for k in _keys(graph, "u", "v")),
    )
    scene.select_keys([u.key])
    window.actions["collapse_group"].trigger()
    assert graph.groups[0].collapsed and len(scene.group_items) == 1
    window.document.undo_stack.undo()
    assert not graph.groups[0].collapsed and not scene.group_items


def test_a_double_click_on_the_title_expands_the_group(window):
    scene, view = window.scene, window.view
    path = _group_u_v(window)
    box = scene.group_items[path]
    title = view.mapFromScene(box.mapToScene(QPointF(60, 12)))
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=title)
    assert not scene.group_items and not scene.graph.groups[0].collapsed


def test_values_inside_a_collapsed_group_cannot_be_edited_on_the_canvas(window, monkeypatch):
    asked = []
    monkeypatch.setattr(
        group_actions.QInputDialog,
        "getText",
        lambda *args, **kwargs: (asked.append(kwargs.get("text")), ("forward", True))[1],
    )
    scene, view = window.scene, window.view
    scene.select_keys(_keys(scene.graph, "a", "u"))
    window.actions["group"].trigger()
    a = scene.graph.key_of("a")
    assert a not in scene.nodes
    view.edit_value(a)  # what Return or a double-click would do
    assert not view.value_editor.isVisible()
    # A double-click anywhere on the box never opens a value editor either.
    (box,) = scene.group_items.values()
    body = view.mapFromScene(box.mapToScene(QPointF(60, box.height - 8)))
    window.document.undo_stack.setClean()
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=body)
    assert not view.value_editor.isVisible()
    assert scene.graph.node(a).value == 5.0
    # It asked for the group's title instead, and renamed the group (one undo step).
    assert asked == ["a, u"]
    assert scene.graph.groups[0].title == "forward"
    assert next(iter(scene.group_items.values())).title == "forward"
    window.document.undo_stack.undo()
    assert scene.graph.groups[0].title == "a, u"


def test_groups_nest_and_an_outer_box_hides_the_inner_one(window):
    scene, graph = window.scene, window.scene.graph
    groups, inner = grouped((), _keys(graph, "u"), "inner")
    groups, outer = grouped(groups, _keys(graph, "u", "v"), "outer")
    groups = with_collapsed(groups, outer, True)
    window.document.run(SetGroups(graph, groups, "Nest"))
    assert [box.title for box in scene.group_items.values()] == ["outer"]
    window.actions["expand_group"].setEnabled(True)
    scene.select_keys([])
    scene.group_items[outer].setSelected(True)
    window.actions["expand_group"].trigger()
    assert _shown_ids(scene) >= {"u", "v"} and not scene.group_items
    # Collapse the inner one from its node: only u is hidden now.
    scene.select_keys(_keys(graph, "u"))
    window.actions["collapse_group"].trigger()
    assert [box.title for box in scene.group_items.values()] == ["inner"]
    assert "v" in _shown_ids(scene) and "u" not in _shown_ids(scene)


def test_ungroup_dissolves_the_selected_box(window):
    scene = window.scene
    _group_u_v(window)
    window.actions["ungroup"].trigger()
    assert scene.graph.groups == () and not scene.group_items
    assert len(scene.nodes) == 7 and len(scene.edges) == 5
    window.document.undo_stack.undo()
    assert len(scene.group_items) == 1


def test_delete_on_a_box_deletes_the_nodes_inside_in_one_undo_step(window):
    scene, graph = window.scene, window.scene.graph
    _group_u_v(window)
    window.actions["delete"].trigger()
    assert "u" not in graph and "v" not in graph and not scene.group_items
    window.document.undo_stack.undo()
    assert "u" in graph and "v" in graph and len(scene.group_items) == 1


def test_dragging_a_box_moves_the_nodes_inside_as_one_move(window):
    scene, view, graph = window.scene, window.view, window.scene.graph
    path = _group_u_v(window)
    box = scene.group_items[path]
    before = {k: (graph.node(k).x, graph.node(k).y) for k in _keys(graph, "u", "v")}
    start = view.mapFromScene(box.mapToScene(QPointF(60, 12)))
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    zoom = view.zoom()
    for step in range(1, 5):
        QTest.mouseMove(view.viewport(), start + QPointF(0, 0).toPoint() + _dx(step * 10 * zoom))
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start + _dx(40 * zoom))
    shift = box.pos().x() - (min(x for x, _ in before.values()))
    assert shift != 0
    for key, (x, y) in before.items():
        assert (graph.node(key).x, graph.node(key).y) == (x + shift, y)
    window.document.undo_stack.undo()
    assert {k: (graph.node(k).x, graph.node(k).y) for k in before} == before


def _dx(pixels: float):
    return QPointF(pixels, 0).toPoint()


def test_a_big_collapsed_graph_has_few_items_and_expanding_adds_only_its_level(qapp):
    # 40 "samples" of 50 chained nodes each, every sample a collapsed group.
    records = [{"id": "w", "op": "input", "value": 0.5}]
    tails = []
    rng = random.Random(4)
    for s in range(40):
        previous = "w"
        for i in range(50):
            node = f"s{s}_{i}"
            records.append({"id": node, "op": "mul", "inputs": [previous, "w"]})
            previous = node
        tails.append(previous)
    total = tails[0]
    for t, tail in enumerate(tails[1:]):
        records.append({"id": f"sum{t}", "op": "add", "inputs": [total, tail]})
        total = f"sum{t}"
    graph = _graph(records, total)
    samples = tuple(
        Group(f"sample {s}", tuple(graph.key_of(f"s{s}_{i}") for i in range(50)), (), True)
        for s in range(40)
    )
    graph.set_groups(samples)
    rng.shuffle(records)
    document = Document(graph)
    scene = GraphScene(document)
    assert len(scene.group_items) == 40
    assert len(scene.nodes) == 1 + 39  # w and the sums
    assert len(scene.items()) < 250  # not 2,000 nodes' worth
    # Each unplaced box got a place of its own from the layout of this level.
    spots = {(box.x(), box.y()) for box in scene.group_items.values()}
    assert len(spots) == 40
    document.run(SetGroups(graph, with_collapsed(graph.groups, (3,), False), "Expand"))
    assert len(scene.group_items) == 39 and len(scene.nodes) == 40 + 50
    # The box's rows follow core.groups.boundary, the one rule for a group's border.
    for path, box in scene.group_items.items():
        ins, outs = boundary(graph, group_at(graph.groups, path))
        assert (box.inputs, box.outputs) == (ins, outs)


def test_shown_units_agrees_with_boundary_on_random_groupings(qapp):
    rng = random.Random(11)
    graph = core.loads(core.dumps(core.load(core.example_path("lecture"))))
    for _ in range(20):
        keys = [node.key for node in graph]
        rng.shuffle(keys)
        chosen = keys[: rng.randint(1, len(keys) - 1)]
        groups, path = grouped((), chosen, "g")
        graph.set_groups(with_collapsed(groups, path, True))
        units = shown_units(graph)
        ins, outs = boundary(graph, graph.groups[0])
        box = units.boxes[path]
        assert (box.inputs, box.outputs) == (ins, outs)
        assert set(units.hidden) == set(chosen)


def test_a_box_lists_a_few_rows_and_the_rest_as_more(qapp):
    records = [{"id": f"x{i}", "op": "input", "value": float(i)} for i in range(ROWS + 4)]
    total = "x0"
    for i in range(1, ROWS + 4):
        records.append({"id": f"s{i}", "op": "add", "inputs": [total, f"x{i}"]})
        total = f"s{i}"
    graph = _graph(records, total)
    sums = [graph.key_of(f"s{i}") for i in range(1, ROWS + 4)]
    graph.set_groups((Group("sums", tuple(sums), (), True),))
    scene = GraphScene(Document(graph))
    (box,) = scene.group_items.values()
    assert len(box.in_texts) == ROWS + 1
    assert box.in_texts[-1][1] == f"… {ROWS + 4 - ROWS:,} more inputs"
    # Edges of inputs past the shown rows end at the last row's port.
    rows = sorted(edge.slot for edge in scene.group_edges.values() if edge.consumer is box)
    assert rows == [*range(ROWS), *[ROWS] * 4]


def test_exporting_a_grouped_graph_draws_the_box(window, tmp_path):
    scene = window.scene
    _group_u_v(window)
    out = tmp_path / "grouped.svg"
    export_scene(scene, out)
    svg = out.read_text()
    assert "u, v" in svg and "2 nodes inside" in svg
    assert ">u = " not in svg  # the hidden nodes are not drawn


def test_default_titles_read_well(qapp):
    graph = core.load(core.example_path("lecture"))
    assert default_title(graph, _keys(graph, "u", "v")) == "u, v"
    many = default_title(graph, _keys(graph, "a", "b", "c", "u", "v"))
    assert many == "a … v, 5 nodes"


def test_group_items_are_not_nodes(window):
    _group_u_v(window)
    (box,) = window.scene.group_items.values()
    assert isinstance(box, GroupItem)
    assert window.scene.selected_keys() == []  # the box is selected, no node


def test_a_box_follows_structural_edits_around_it(window):
    scene, graph = window.scene, window.scene.graph
    path = _group_u_v(window)
    scene.select_keys(_keys(graph, "a"))
    window.actions["delete"].trigger()  # u loses its operand a
    box = scene.group_items[path]
    assert [row[0] for row in box.in_texts] == ["b", "c"]
    assert len(scene.group_edges) == 3
    window.document.undo_stack.undo()
    box = scene.group_items[path]
    inputs = boundary(graph, group_at(graph.groups, path))[0]
    assert [row[0] for row in box.in_texts] == [graph.id_of(k) for k in inputs]
    assert sorted(row[0] for row in box.in_texts) == ["a", "b", "c"]
    assert len(scene.group_edges) == 4


def test_zoomed_out_a_double_click_anywhere_on_a_box_opens_it(window):
    scene, view = window.scene, window.view
    path = _group_u_v(window)
    box = scene.group_items[path]
    view.set_zoom(0.3, box.sceneBoundingRect().center())  # drawn as a block with its title
    middle = view.mapFromScene(box.sceneBoundingRect().center())
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    assert not scene.group_items and not scene.graph.groups[0].collapsed


def test_renaming_a_node_whose_edge_ends_at_a_box_renames_its_row(window):
    scene, graph = window.scene, window.scene.graph
    path = _group_u_v(window)
    window.document.run(SetField.to(graph, graph.key_of("a"), "id", "alpha"))
    box = scene.group_items[path]
    assert ("alpha = 5", "dalpha = 3") in [row[1:] for row in box.in_texts]
    assert scene.nodes[graph.key_of("alpha")].title == "alpha"


def test_select_all_takes_the_boxes_too(window):
    scene = window.scene
    _group_u_v(window)
    scene.clearSelection()
    window.actions["select_all"].trigger()
    assert len(scene.selected_boxes()) == 1
    assert sorted(scene.graph.id_of(k) for k in scene.selected_with_chips()) == sorted(
        node.id for node in scene.graph
    )


def test_an_open_group_is_framed_and_a_double_click_on_its_title_closes_it(window):
    scene, view, graph = window.scene, window.view, window.scene.graph
    path = _group_u_v(window)
    window.actions["expand_group"].trigger()
    (frame,) = scene.group_frames.values()
    for key in _keys(graph, "u", "v"):
        assert frame.frame.contains(scene.nodes[key].sceneBoundingRect().adjusted(0, 2, 0, -2))
    for key in _keys(graph, "a", "J"):
        assert not frame.frame.intersects(scene.nodes[key].mapRectToScene(scene.nodes[key].box()))
    # A press inside the frame, off every node, is a press on the canvas: a rubber band.
    scene.clearSelection()
    u = scene.nodes[graph.key_of("u")]
    start = view.mapFromScene(frame.frame.topLeft() + QPointF(4, 4))
    end = view.mapFromScene(u.sceneBoundingRect().bottomRight())
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    QTest.mouseMove(view.viewport(), end)
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
    assert graph.key_of("u") in scene.selected_keys()
    title = view.mapFromScene(frame.title_rect().center())
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=title)
    assert graph.groups[0].collapsed and path in scene.group_items and not scene.group_frames


def test_arrange_with_a_collapsed_group_lays_out_what_is_shown_in_one_step(window):
    scene, graph = window.scene, window.scene.graph
    path = _group_u_v(window)
    j = graph.key_of("J")
    window.document.run(SetField.to(graph, j, "position", (-2000.0, 3000.0)))
    before = {node.key: (node.x, node.y) for node in graph}
    scene.clearSelection()
    window.actions["arrange"].trigger()
    box = scene.group_items[path]
    inputs = [scene.nodes[k] for k in _keys(graph, "a", "b", "c")]
    # Left to right: the inputs, the box, J; the box's nodes moved with it.
    assert max(item.x() for item in inputs) < box.x() < scene.nodes[j].x()
    assert (graph.node(j).x, graph.node(j).y) == (scene.nodes[j].x(), scene.nodes[j].y())
    # (on the grid, as every item is drawn: the lecture's file has v 5 units off it)
    assert box.pos() == QPointF(
        _on_grid(min(graph.node(k).x for k in _keys(graph, "u", "v"))),
        _on_grid(min(graph.node(k).y for k in _keys(graph, "u", "v"))),
    )
    window.document.undo_stack.undo()
    assert {node.key: (node.x, node.y) for node in graph} == before


def test_choosing_a_hidden_nodes_row_in_the_panel_shows_its_groups_box(window):
    scene = window.scene
    path = _group_u_v(window)
    u = scene.graph.key_of("u")
    assert u not in scene.nodes
    assert scene.item_showing(u) is scene.group_items[path]
    assert scene.item_showing(scene.graph.key_of("a")) is scene.nodes[scene.graph.key_of("a")]
    box = scene.group_items[path].sceneBoundingRect()
    scene.setSceneRect(scene.sceneRect().united(box.translated(5000, 5000)))
    window.view.centerOn(box.center() + QPointF(5000, 5000))  # far from the box
    seen = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert not seen.intersects(box)
    window.panel.node_activated.emit(u)  # a click on u's row
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert visible.intersects(scene.group_items[path].sceneBoundingRect())
