"""The figure model that the TikZ and DOT writers draw: what the canvas shows, in core."""

from __future__ import annotations

import pytest

from dvar import core
from dvar.core.figure import chosen_keys, make_figure


@pytest.fixture
def lecture():
    graph = core.load(core.examples()["lecture"])
    return graph, core.evaluate(graph)


def test_the_lecture_reads_as_on_the_canvas(lecture):
    graph, ev = lecture
    figure = make_figure(graph, ev)
    boxes = {box.id: box for box in figure.boxes}
    assert set(boxes) == {"a", "b", "c", "u", "v", "J"}  # the 3 is a chip, not a box
    assert boxes["J"].value_line == "J = 3·v = 33"
    assert boxes["u"].value_line == "u = b·c = 6"
    assert boxes["a"].value_line == "a = 5"
    assert [boxes[n].grad_line for n in "abc"] == ["da = 3", "db = 6", "dc = 9"]
    assert boxes["J"].is_output and not boxes["v"].is_output
    (chip,) = boxes["J"].chips
    assert (chip.id, chip.slot, chip.number) == ("three", 0, "3")
    assert (boxes["u"].x, boxes["u"].y) == (graph.node("u").x, graph.node("u").y)
    ids = {(graph.id_of(e.source), graph.id_of(e.consumer), e.slot) for e in figure.edges}
    assert ids == {("a", "v", 0), ("u", "v", 1), ("b", "u", 0), ("c", "u", 1), ("v", "J", 1)}
    assert all(edge.label == "" for edge in figure.edges)


def test_backward_edges_carry_the_local_derivatives(lecture):
    graph, ev = lecture
    figure = make_figure(graph, ev, backward=True)
    for edge in figure.edges:
        assert edge.label == core.format_number(ev.partial(edge.consumer, edge.slot))
    labels = {(graph.id_of(e.source), e.label) for e in figure.edges}
    assert ("b", "2") in labels and ("v", "3") in labels


def test_without_values_the_boxes_show_formulas(lecture):
    graph, ev = lecture
    boxes = {box.id: box for box in make_figure(graph, ev, values=False).boxes}
    assert boxes["u"].value_line == "u = b·c"
    assert boxes["u"].grad_line == ""
    assert boxes["a"].value_line == "a"


def test_only_keeps_the_chosen_nodes_their_chips_and_the_edges_among_them(lecture):
    graph, ev = lecture
    keys = chosen_keys(graph, ["J", " v"])
    figure = make_figure(graph, ev, only=keys)
    assert [box.id for box in figure.boxes] == ["v", "J"]
    assert [chip.id for chip in figure.boxes[1].chips] == ["three"]
    assert [(graph.id_of(e.source), graph.id_of(e.consumer)) for e in figure.edges] == [("v", "J")]


def test_unknown_ids_are_named(lecture):
    graph, _ = lecture
    with pytest.raises(core.GraphError, match="'zz', 'q'"):
        chosen_keys(graph, ["a", "zz", "q"])
    with pytest.raises(core.GraphError, match="no node is named"):
        chosen_keys(graph, ["", " "])


def test_ids_are_read_as_formulas_read_them():
    graph = core.graph_from_formula("J = 3*ﬁ")  # NFKC: the ligature is "fi"
    assert chosen_keys(graph, ["ﬁ"]) == {graph.key_of("fi")}


def test_nodes_never_placed_get_a_spot_below_the_placed_ones():
    graph = core.Graph()
    graph.add_node("input", id="x", value=2.0)
    graph.add_node("input", id="y", value=3.0, x=0.0, y=500.0)
    graph.add_node("mul", id="m", inputs=["x", "y"])
    graph.set_output("m")
    figure = make_figure(graph, core.evaluate(graph))
    boxes = {box.id: box for box in figure.boxes}
    assert (boxes["y"].x, boxes["y"].y) == (0.0, 500.0)
    assert boxes["x"].y > 500.0 and boxes["m"].y > 500.0
    assert boxes["m"].x > boxes["x"].x


def test_a_long_label_is_cut_short_in_the_header_as_on_the_canvas(lecture):
    graph, ev = lecture
    graph.set_label("a", "the learning rate\nof the second layer, in full")
    graph.set_label("b", "short")
    boxes = {box.id: box for box in make_figure(graph, ev).boxes}
    assert boxes["a"].title == "the learning rate of th…"
    assert boxes["b"].title == "short"
