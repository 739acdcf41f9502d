"""The shipped examples: they load, evaluate without errors, and their derivatives are right."""

from __future__ import annotations

import math

import pytest

from dvar import core
from tests.core.helpers import central_difference, output_as_function_of

NAMES = ["lecture", "logistic_regression", "tanh_neuron", "two_paths"]


def test_the_examples_are_found() -> None:
    found = core.examples()
    assert list(found) == NAMES
    for path in found.values():
        assert path.is_file() and path.suffix == ".dvar"
    assert core.example_path("lecture") == found["lecture"]
    with pytest.raises(KeyError, match="lecture"):
        core.example_path("nope")


@pytest.mark.parametrize("name", NAMES)
def test_every_leaf_derivative_matches_finite_differences(name: str) -> None:
    g = core.load(core.examples()[name])
    ev = core.evaluate(g)
    assert ev.output is not None and ev.errors == {}
    for node in g.nodes():
        if node.op.is_leaf:
            fd = central_difference(output_as_function_of(g, node.id), node.value)
            assert ev.grads[node.id] == pytest.approx(fd, rel=1e-6, abs=1e-8), node.id
    for node in g.nodes():  # and every derivative is the sum of its chain-rule terms
        terms = ev.terms(node.id)
        if node.id != ev.output:
            assert ev.grads[node.id] == pytest.approx(sum(t.product for t in terms), abs=1e-12)


def test_logistic_regression_by_hand() -> None:
    g = core.load(core.examples()["logistic_regression"])
    ev = core.evaluate(g)
    x1, w1, x2, w2, b, y = 1.5, 0.5, -0.5, -1.0, 0.1, 0.0
    z = w1 * x1 + w2 * x2 + b
    a = 1 / (1 + math.exp(-z))
    assert ev.values["z"] == pytest.approx(z)
    assert ev.values["L"] == pytest.approx(-(y * math.log(a) + (1 - y) * math.log(1 - a)))
    assert ev.grads["z"] == pytest.approx(a - y)  # the textbook dz = a − y
    assert ev.grads["w1"] == pytest.approx(x1 * (a - y))
    assert ev.grads["w2"] == pytest.approx(x2 * (a - y))
    assert ev.grads["b"] == pytest.approx(a - y)
    params = {n.id for n in g.nodes() if n.param}
    assert params == {"w1", "w2", "b"}
    assert g.node("w1").label == "w₁"


def test_tanh_neuron_by_hand() -> None:
    """The neuron from micrograd's lecture: o ≈ 0.7071, dn = 1 − o² = 0.5."""
    ev = core.evaluate(core.load(core.examples()["tanh_neuron"]))
    assert ev.values["o"] == pytest.approx(math.sqrt(0.5))
    assert ev.grads["n"] == pytest.approx(0.5)
    assert ev.grads["x1"] == pytest.approx(-1.5)  # w1 · dn
    assert ev.grads["w1"] == pytest.approx(1.0)  # x1 · dn
    assert ev.grads["x2"] == pytest.approx(0.5)
    assert ev.grads["w2"] == pytest.approx(0.0)
