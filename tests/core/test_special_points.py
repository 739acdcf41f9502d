"""Exact partials where the textbook formula breaks down: pow at base 0, div at the
edges of the float range.  Each value is checked against a worked limit or a
one-sided finite difference, never against the engine itself."""

from __future__ import annotations

import math

import pytest

from dvar import core
from tests.core.helpers import build


def pow_graph(x: float, y: float) -> core.Graph:
    return build([("x", "input", x), ("y", "input", y), ("p", "pow", ["x", "y"])], "p")


def every_evaluation(g: core.Graph) -> list[core.Evaluation]:
    """Interpreted, compiled, and through the careful path (an unused empty slot)."""
    results = [core.evaluate(g, compile=False)]
    core.prepare(g)
    results.append(core.evaluate(g))
    careful = core.loads(core.dumps(g))
    first = careful.nodes()[0].id
    careful.add_node("add", "loose", inputs=[first, None])  # incomplete: the careful path
    results.append(core.evaluate(careful))
    return results


@pytest.mark.parametrize(
    ("x", "y", "dx", "dy"),
    [
        (0.0, 1.0, 1.0, 0.0),  # 0^1: slope 1 in x; 0^y = 0 for y > 0, flat in y
        (0.0, 2.0, 0.0, 0.0),
        (-0.0, 2.0, -0.0, 0.0),  # 2·(−0)^1 = −0
        (0.0, 0.0, 0.0, 0.0),  # 0^0 = 1: both derivatives 0, by convention (as PyTorch)
        (-2.0, 0.0, 0.0, None),  # x^0 is flat in x for every x; ln(−2) has no real value
        (3.0, 0.0, 0.0, math.log(3.0)),
    ],
)
def test_pow_at_its_edges(x, y, dx, dy) -> None:
    for ev in every_evaluation(pow_graph(x, y)):
        assert ev.values["p"] == math.pow(x, y)
        assert ev.grads["x"] == dx and math.copysign(1, ev.grads["x"]) == math.copysign(1, dx)
        assert ev.grads["y"] == dy


def test_pow_at_base_zero_with_a_fractional_exponent() -> None:
    """0^0.5: the slope in y is 0 (0^y = 0 for y > 0); in x it is infinite, so undefined."""
    for ev in every_evaluation(pow_graph(0.0, 0.5)):
        assert ev.values["p"] == 0.0
        assert ev.grads["y"] == 0.0
        assert ev.grads["x"] is None
        assert "is not finite at" in ev.errors["x"]


def test_the_squared_error_at_its_minimum() -> None:
    """J = (x − 3)**2 at x = 3: every derivative is 0, none is undefined."""
    g = core.graph_from_formula("J = (x - 3)**2")
    g.set_value("x", 3.0)
    for ev in every_evaluation(g):
        assert ev.errors == {} or set(ev.errors) == {"loose"}
        assert ev.values["J"] == 0.0
        for node in ("x", "J"):
            assert ev.grads[node] is not None
        assert ev.grads["x"] == 0.0
        two = [n for n in g.nodes() if n.op.name == "const" and n.value == 2.0][0].id
        assert ev.grads[two] == 0.0


@pytest.mark.parametrize("y", [1.0, 0.5, 2.0, 3.5])
def test_the_slope_in_y_at_base_zero_matches_a_one_sided_difference(y: float) -> None:
    h = 1e-6
    fd = (math.pow(0.0, y + h) - math.pow(0.0, y)) / h
    ev = core.evaluate(pow_graph(0.0, y))
    assert ev.grads["y"] == fd == 0.0


@pytest.mark.parametrize(("a", "db"), [(1e-200, -1e200), (1e200, -1e-200)])
def test_the_divisors_derivative_keeps_its_range(a: float, db: float) -> None:
    """d(a/b)/db = −a/b², computed so that neither b² nor a/b² leaves the float range."""
    g = build([("a", "input", a), ("b", "input", a), ("q", "div", ["a", "b"])], "q")
    for ev in every_evaluation(g):
        assert ev.values["q"] == 1.0
        assert ev.grads["b"] == pytest.approx(db, rel=1e-15)
        assert ev.grads["a"] == pytest.approx(1 / a, rel=1e-15)


def test_the_divisors_derivative_against_a_finite_difference() -> None:
    a, b = 3.0e-150, 7.0e-151
    g = build([("a", "input", a), ("b", "input", b), ("q", "div", ["a", "b"])], "q")
    h = b * 1e-7
    fd = (a / (b + h) - a / (b - h)) / (2 * h)
    assert core.evaluate(g).grads["b"] == pytest.approx(fd, rel=1e-6)
