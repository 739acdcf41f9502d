"""core.worksheet: which cells a worksheet leaves blank, their numbers in reading order,
what each asks for and its answer, and the one-line refusals."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvar import core
from dvar.core.evaluation import derivative_symbol
from dvar.core.groups import Group
from dvar.core.resources import lessons
from dvar.core.worksheet import (
    MAX_BLANKS,
    WorksheetError,
    blanks,
    check_blanks,
    default_hide,
    groups_showing,
    hidden_cells,
    instructions,
)
from tests.core.helpers import build, lecture
from tests.core.test_pyexport import random_graph


def sheet(graph: core.Graph, *hide: str, **kwargs):
    return blanks(graph, core.evaluate(graph), hide or None, **kwargs)


def placed(spec: list[tuple], output: str, where: dict[str, tuple[float, float]]) -> core.Graph:
    graph = build(spec, output)
    for node_id, (x, y) in where.items():
        graph.set_position(node_id, x, y)
    return graph


# ------------------------------------------------------------------ what is hidden
def test_the_lecture_hides_every_derivative_but_the_constant_on_its_port():
    graph = lecture()
    ev = core.evaluate(graph)
    got = sheet(graph, "derivatives")
    asked = [b.asked for b in got]
    # every node with a derivative, except "three", drawn as a chip on J's port
    wanted = {derivative_symbol(n, "J") for n in ev.order if not ev.is_inline_constant(n)}
    assert set(asked) == wanted and "dthree" not in asked
    assert [b.number for b in got] == list(range(1, len(got) + 1))
    for b in got:
        assert b.answer == core.format_number(ev.grads[b.cell[1]])
        assert b.mark == f"[{b.number}]"
        assert b.working == ev.breakdown(b.cell[1])


def test_values_are_the_computed_nodes_only():
    graph = lecture()
    ev = core.evaluate(graph)
    got = sheet(graph, "values")
    computed = {n.id for n in graph if not n.op.is_leaf}
    assert {graph.id_of(b.cell[1]) for b in got} == computed
    assert {b.asked for b in got} == {f"value of {n}" for n in computed}
    for b in got:
        assert b.answer == core.format_number(ev.values[b.cell[1]])
        assert b.working.endswith(f"= {b.answer}")


def test_locals_skip_the_edges_from_constants():
    graph = lecture()
    got = sheet(graph, "locals")
    three = graph.key_of("three")
    for b in got:
        kind, consumer, slot = b.cell
        assert kind == "partial"
        assert graph.node(consumer).inputs[slot] != three
    ev = core.evaluate(graph)
    edges = sum(
        1 for n in graph for k in n.inputs if k is not None and graph.node(k).op.name != "const"
    )
    assert len(got) == edges
    for b in got:
        assert b.answer == core.format_number(ev.partial(b.cell[1], b.cell[2]))


def test_kinds_add_up_and_repeats_count_once():
    graph = lecture()
    ev = core.evaluate(graph)
    parts = [hidden_cells(graph, ev, [kind]) for kind in ("derivatives", "values", "locals")]
    both = hidden_cells(graph, ev, ["derivatives", "values", "locals", "values"])
    assert both == parts[0] | parts[1] | parts[2]
    assert len(both) == sum(len(p) for p in parts)


def test_a_local_derivative_of_zero_is_asked_too():
    graph = build([("x", "input", 0.0), ("w", "input", 3.0), ("m", "mul", ["x", "w"])], "m")
    got = {b.asked: b.answer for b in sheet(graph, "locals")}
    assert got == {"∂m/∂x": "3", "∂m/∂w": "0"}  # ∂(x·w)/∂w = x = 0


def test_a_node_used_twice_by_one_op_names_each_slot():
    graph = build([("x", "input", 3), ("w", "mul", ["x", "x"])], "w")
    asked = [b.asked for b in sheet(graph, "locals")]
    assert sorted(asked) == ["∂w/∂x[1]", "∂w/∂x[2]"]


def test_the_notation_is_the_one_asked_for():
    graph = lecture()
    asked = {b.asked for b in sheet(graph, "derivatives", notation="partial")}
    assert "∂J/∂a" in asked and "da" not in asked
    asked = {b.asked for b in sheet(graph, "derivatives", notation="grad")}
    assert "a.grad" in asked


# ------------------------------------------------------------------ the lesson
def lesson_graph() -> core.Graph:
    return core.load(lessons()["derivatives-with-a-computation-graph"])


def test_the_default_is_the_lesson_when_there_is_one():
    assert default_hide(lecture()) == ("derivatives",)
    graph = lesson_graph()
    assert default_hide(graph) == ("lesson",)
    got = sheet(graph)
    assert {b.cell for b in got} == set(graph.lesson.asked_cells())
    assert [b.cell for b in got] == [b.cell for b in sheet(graph, "lesson")]


def test_the_lesson_can_be_combined_with_a_kind():
    graph = lesson_graph()
    ev = core.evaluate(graph)
    combined = hidden_cells(graph, ev, ["lesson", "derivatives"])
    assert combined == set(graph.lesson.asked_cells()) | hidden_cells(graph, ev, ["derivatives"])


# ------------------------------------------------------------------ reading order
def test_blanks_are_numbered_left_to_right_then_top_to_bottom():
    graph = lecture()
    got = sheet(graph, "derivatives", "values")
    where = {n.key: (n.x, n.y) for n in graph}
    keys = [(where[b.cell[1]], b.cell[0] == "grad") for b in got]
    assert keys == sorted(keys)  # a node's value comes before its derivative
    first = got[0]
    leftmost = min(where.values())
    assert where[first.cell[1]] == leftmost


def test_nodes_nearly_in_a_column_are_read_top_to_bottom():
    spec = [("a", "input", 2.0), ("b", "input", 3.0), ("u", "mul", ["a", "b"])]
    # placed by hand: b a grid step right of a, but above it
    graph = placed(spec, "u", {"a": (0, 140), "b": (20, 0), "u": (260, 60)})
    assert [b.asked for b in sheet(graph, "derivatives")] == ["db", "da", "du"]
    # a label never joins the column of the node it points into, however close
    labels = [b.asked for b in sheet(graph, "derivatives", "locals")]
    assert labels == ["db", "da", "∂u/∂b", "∂u/∂a", "du"]


def test_moving_a_node_renumbers_its_blanks():
    graph = lecture()
    before = [b.asked for b in sheet(graph, "derivatives")]
    graph.set_position("c", -500, 0)  # c now stands left of everything
    after = [b.asked for b in sheet(graph, "derivatives")]
    assert after[0] == "dc" and before[0] != "dc"
    assert sorted(before) == sorted(after)


def test_given_positions_win_over_the_saved_ones():
    graph = lecture()
    flipped = {n.key: (-n.x, n.y) for n in graph}  # right to left
    asked = [b.asked for b in sheet(graph, "derivatives", positions=flipped)]
    assert asked[0] == "dJ" and asked[-1] in {"da", "db", "dc"}


def test_the_numbering_does_not_depend_on_the_order_nodes_were_made():
    spec = [
        ("a", "input", 2.0),
        ("b", "input", 3.0),
        ("u", "mul", ["a", "b"]),
        ("v", "add", ["u", "a"]),
    ]
    where = {"a": (0, 0), "b": (0, 140), "u": (240, 60), "v": (480, 0)}
    one = placed(spec, "v", where)
    other = placed([spec[1], spec[0], spec[2], spec[3]], "v", where)
    kinds = ("derivatives", "values", "locals")
    assert [b.asked for b in sheet(one, *kinds)] == [b.asked for b in sheet(other, *kinds)]


def test_unplaced_nodes_are_ordered_by_a_layout():
    graph = build([("a", "input", 2.0), ("b", "input", 3.0), ("u", "mul", ["a", "b"])], "u")
    assert all(n.x is None for n in graph)
    asked = [b.asked for b in sheet(graph, "derivatives")]
    assert asked[-1] == "du" and sorted(asked) == ["da", "db", "du"]


# ------------------------------------------------------------------ groups
def test_collapsed_groups_that_hide_a_blank_are_opened():
    graph = lecture()
    ev = core.evaluate(graph)
    key = graph.key_of
    inner = Group("b times c", (key("b"), key("c")), collapsed=True)
    outer = Group("u", (key("u"),), (inner,), collapsed=True)
    other = Group("a", (key("a"),), collapsed=True)
    graph.set_groups((outer, other))
    values = hidden_cells(graph, ev, ["values"])  # u's value: the outer group opens
    opened = groups_showing(graph, values)
    assert [g.collapsed for g in opened] == [False, True]  # a, an input, has no value blank
    assert opened[0].groups[0].collapsed  # b and c hold no blank: still closed
    everything = groups_showing(graph, hidden_cells(graph, ev, ["derivatives"]))
    assert not everything[0].groups[0].collapsed and not everything[1].collapsed
    assert graph.groups == (outer, other)  # the graph keeps its own
    j_only = {("value", key("J"), 0)}
    assert groups_showing(graph, j_only) == graph.groups


# ------------------------------------------------------------------ refusals
@pytest.mark.parametrize(
    ("graph", "hide", "words"),
    [
        (lecture, ["colours"], "cannot hide 'colours'"),
        (lecture, ["lesson"], "has no lesson"),
        (lambda: build([("a", "input", 1.0), ("b", "neg", ["a"])]), ["derivatives"], "no output"),
        (lambda: build([("a", "input", 1.0)], "a"), ["values"], "nothing to hide"),
        (core.Graph, None, "no nodes"),
    ],
)
def test_refusals_are_one_line(graph, hide, words):
    g = graph()
    with pytest.raises(WorksheetError) as error:
        check_blanks(g, core.evaluate(g), hide)
    assert words in str(error.value) and "\n" not in str(error.value)


def test_too_many_blanks_are_refused():
    spec = [("x0", "input", 0.5)]
    spec += [(f"x{i}", "neg", [f"x{i - 1}"]) for i in range(1, MAX_BLANKS + 1)]
    graph = build(spec, f"x{MAX_BLANKS}")
    ev = core.evaluate(graph)
    assert len(check_blanks(graph, ev, ["values"])) == MAX_BLANKS
    with pytest.raises(WorksheetError, match="more than the 500"):
        check_blanks(graph, ev, ["derivatives"])


# ------------------------------------------------------------------ instructions
def test_the_instructions_explain_only_the_symbols_used_with_the_first_blank():
    graph = lecture()
    derivatives = sheet(graph, "derivatives")
    text = instructions(graph, derivatives)
    node = graph.id_of(derivatives[0].cell[1])
    assert f"[1] to [{len(derivatives)}]" in text
    assert f"d{node} stands for dJ/d{node}" in text and "local derivative" not in text
    locals_ = sheet(graph, "locals")
    _, consumer, slot = locals_[0].cell
    u, x = graph.id_of(consumer), graph.id_of(graph.node(consumer).inputs[slot])
    text = instructions(graph, locals_)
    assert f"∂{u}/∂{x} is the local derivative on the edge from {x} into {u}" in text
    assert "stands for" not in text
    values = sheet(graph, "values")
    assert f"value of {graph.id_of(values[0].cell[1])}" in instructions(graph, values)
    assert "stands for" not in instructions(graph, derivatives, notation="partial")
    small = build([("a", "input", 2.0), ("b", "neg", ["a"])], "b")
    assert instructions(small, sheet(small, "values")).startswith("Work out the blank [1] ")


# ------------------------------------------------------------------ any graph
@given(st.integers(0, 10_000), st.integers(1, 25), st.sampled_from(["d", "partial", "grad"]))
def test_on_random_graphs_every_blank_is_numbered_once_with_its_answer(seed, size, notation):
    graph = random_graph(random.Random(seed), size)
    ev = core.evaluate(graph)
    hide = ["derivatives", "values", "locals"]
    try:
        got = blanks(graph, ev, hide, notation=notation)
    except WorksheetError as error:
        assert "nothing to hide" in str(error)
        return
    assert [b.number for b in got] == list(range(1, len(got) + 1))
    assert len({b.cell for b in got}) == len(got) == len(hidden_cells(graph, ev, hide))
    assert got == blanks(graph, ev, hide, notation=notation)  # deterministic
    for b in got:
        kind, key, slot = b.cell
        if kind == "grad":
            number = ev.grads[key]
        elif kind == "value":
            number = ev.values[key]
        else:
            number = ev.partial(key, slot)
        assert number is not None and b.answer == core.format_number(number)
