"""The lecture's graph J = 3(a + bc): its numbers, its breakdowns, its order, its nudges."""

from __future__ import annotations

import pytest

from dvar import core
from tests.core.helpers import lecture, snapshot

VALUES = {"a": 5, "b": 3, "c": 2, "u": 6, "v": 11, "three": 3, "J": 33}
GRADS = {"a": 3, "b": 6, "c": 9, "u": 3, "v": 3, "three": 11, "J": 1}


def test_values_and_derivatives() -> None:
    g = lecture()
    assert g.output == "J"
    for _ in range(3):  # interpreted, then compiled
        ev = core.evaluate(g)
        assert dict(ev.values) == VALUES
        assert dict(ev.grads) == GRADS
        assert ev.errors == {}
        assert ev.output == "J"


def test_values_by_key() -> None:
    g = lecture()
    ev = core.evaluate(g)
    assert ev.values[g.key_of("u")] == 6.0
    assert ev.grads[g.key_of("c")] == 9.0
    assert g.key_of("c") in ev.grads and "c" in ev.grads and "zz" not in ev.grads


def test_editing_a_value_as_the_api_example_does() -> None:
    g = lecture()
    core.evaluate(g)
    g.set_value("a", 5.001)
    assert core.evaluate(g).values["J"] == pytest.approx(33.003)
    g.set_value("b", 4)
    ev = core.evaluate(g)
    assert ev.values["J"] == pytest.approx(3 * (5.001 + 8))
    assert ev.grads["b"] == 6.0 and ev.grads["c"] == 12.0


def test_backward_order() -> None:
    ev = core.evaluate(lecture())
    assert ev.order == ["J", "v", "a", "u", "b", "c", "three"]


def test_breakdown_text() -> None:
    ev = core.evaluate(lecture())
    assert ev.breakdown("J") == "dJ = 1"
    assert ev.breakdown("v") == "dv = dJ · ∂J/∂v = dJ · 3 = 1 · 3 = 3"
    assert ev.breakdown("a") == "da = dv · ∂v/∂a = dv · 1 = 3 · 1 = 3"
    assert ev.breakdown("u") == "du = dv · ∂v/∂u = dv · 1 = 3 · 1 = 3"
    assert ev.breakdown("b") == "db = du · ∂u/∂b = du · c = 3 · 2 = 6"
    assert ev.breakdown("c") == "dc = du · ∂u/∂c = du · b = 3 · 3 = 9"
    assert ev.breakdown("three") == "dthree = dJ · ∂J/∂three = dJ · v = 1 · 11 = 11"


def built_backwards() -> core.Graph:
    """The lecture's graph built from J back to the inputs, so a node's key (its order of
    creation) and its place in the evaluation order differ for almost every node."""
    g = core.Graph()
    g.add_node("mul", "J")
    g.add_node("add", "v")
    g.add_node("mul", "u")
    for name, value in (("three", 3.0), ("a", 5.0), ("b", 3.0), ("c", 2.0)):
        g.add_node("const" if name == "three" else "input", name, value=value)
    for source, consumer, slot in (
        ("three", "J", 0),
        ("v", "J", 1),
        ("a", "v", 0),
        ("u", "v", 1),
        ("b", "u", 0),
        ("c", "u", 1),
    ):
        g.connect(source, consumer, slot)
    g.set_output("J")
    return g


def test_breakdowns_do_not_depend_on_the_order_nodes_were_made_in() -> None:
    g = built_backwards()
    for _ in range(3):  # interpreted, then compiled
        ev = core.evaluate(g)
        assert dict(ev.grads) == GRADS
        assert ev.breakdown("b") == "db = du · ∂u/∂b = du · c = 3 · 2 = 6"
        assert ev.breakdown(g.key_of("c")) == "dc = du · ∂u/∂c = du · b = 3 · 3 = 9"
        assert ev.breakdown("three") == "dthree = dJ · ∂J/∂three = dJ · v = 1 · 11 = 11"
        assert ev.breakdown("v") == "dv = dJ · ∂J/∂v = dJ · 3 = 1 · 3 = 3"
        assert [t.consumer for t in ev.terms(g.key_of("a"))] == ["v"]


def test_breakdown_in_other_notations() -> None:
    ev = core.evaluate(lecture())
    assert ev.breakdown("b", "partial") == "∂J/∂b = ∂J/∂u · ∂u/∂b = ∂J/∂u · c = 3 · 2 = 6"
    assert ev.breakdown("b", "grad") == "b.grad = u.grad · ∂u/∂b = u.grad · c = 3 · 2 = 6"
    assert core.derivative_symbol("b", "J", "d") == "db"


def test_terms() -> None:
    ev = core.evaluate(lecture())
    (term,) = ev.terms("b")
    assert (term.consumer, term.slot, term.consumer_grad) == ("u", 0, 3.0)
    assert (term.partial_text, term.partial, term.product) == ("c", 2.0, 6.0)
    (term,) = ev.terms("c")
    assert (term.consumer, term.slot, term.partial_text, term.product) == ("u", 1, "b", 9.0)
    assert ev.terms("J") == []


def test_to_json() -> None:
    ev = core.evaluate(lecture())
    assert ev.to_json() == {"output": "J", "values": VALUES, "grads": GRADS, "errors": {}}


@pytest.mark.parametrize(
    ("node", "j_after", "changed"),
    [
        ("a", 33.003, {"a", "v", "J"}),
        ("b", 33.006, {"b", "u", "v", "J"}),
        ("c", 33.009, {"c", "u", "v", "J"}),
        ("three", 33.011, {"three", "J"}),
        ("u", 33.003, {"u", "v", "J"}),
        ("v", 33.003, {"v", "J"}),
    ],
)
def test_nudge(node: str, j_after: float, changed: set[str]) -> None:
    g = lecture()
    before = snapshot(g)
    n = core.nudge(g, node)
    assert n.h == 0.001 and n.node == node
    assert n.after["J"] == pytest.approx(j_after, abs=1e-12)
    assert set(n.changed) == changed
    assert n.changed[-1] == "J"
    for other in VALUES:
        if other not in changed:
            assert n.after[other] == VALUES[other]
    assert n.after[node] == pytest.approx(VALUES[node] + 0.001)
    assert n.grad == GRADS[node]
    assert n.delta == pytest.approx(j_after - 33, abs=1e-12)
    assert n.ratio == pytest.approx(GRADS[node], rel=1e-9)
    assert snapshot(g) == before  # a nudge never edits the graph
    assert core.evaluate(g).values["J"] == 33.0


def test_nudge_intermediate_u_moves_only_u_v_and_j() -> None:
    n = core.nudge(lecture(), "u")
    assert n.after["u"] == pytest.approx(6.001)
    assert n.after["v"] == pytest.approx(11.001)
    assert n.after["J"] == pytest.approx(33.003)
    assert (n.after["a"], n.after["b"], n.after["c"], n.after["three"]) == (5, 3, 2, 3)
    assert n.changed == ["u", "v", "J"]


def test_nudge_with_another_step() -> None:
    n = core.nudge(lecture(), "b", h=-0.5)
    assert n.after["u"] == pytest.approx(5.0)
    assert n.after["J"] == pytest.approx(30.0)
    assert n.ratio == pytest.approx(6.0)


def test_nudge_on_a_curve_approaches_the_derivative() -> None:
    g = core.Graph()
    g.add_node("input", "x", value=2)
    g.add_node("mul", "J", inputs=["x", "x"])
    g.set_output("J")
    n = core.nudge(g, "x")
    assert n.grad == 4.0
    assert n.ratio == pytest.approx(4.001)  # ((2.001)² - 4) / 0.001
