"""core.cells: which cells of a kind a learner can be asked for, in the order met."""

from __future__ import annotations

from dvar import core
from dvar.core.cells import askable_cells
from tests.core.helpers import build, lecture


def test_the_lecture_asks_values_forward_and_derivatives_backward():
    graph = lecture()
    ev = core.evaluate(graph)
    key = graph.key_of
    chips = ev.inline_constant_keys
    values = askable_cells(graph, ev, ["value"], chips)
    assert values == [("value", key(n), 0) for n in ("u", "v", "J")]
    grads = askable_cells(graph, ev, ["grad"], chips)
    # right to left: J first; the 3 drawn on J's port has no derivative line
    assert [graph.id_of(k) for _, k, _ in grads][0] == "J"
    assert {graph.id_of(k) for _, k, _ in grads} == {"J", "v", "a", "u", "b", "c"}


def test_a_local_derivative_of_zero_is_asked_like_any_number():
    # u = a·b with b = 0: ∂u/∂a = b = 0 is a number to work out, not a missing one
    graph = build([("a", "input", 4.0), ("b", "input", 0.0), ("u", "mul", ["a", "b"])], "u")
    ev = core.evaluate(graph)
    assert ev.partial(graph.key_of("u"), 0) == 0
    partials = askable_cells(graph, ev, ["partial"], ())
    assert ("partial", graph.key_of("u"), 0) in partials
    assert ("partial", graph.key_of("u"), 1) in partials


def test_no_output_means_no_derivative_cells():
    graph = build([("a", "input", 4.0), ("u", "exp", ["a"])])
    ev = core.evaluate(graph)
    assert askable_cells(graph, ev, ["grad", "partial"], ()) == []
    assert askable_cells(graph, ev, ["value"], ()) == [("value", graph.key_of("u"), 0)]
