"""Forward mode (core/forward.py): d(node)/dx in one sweep, the same as reverse mode."""

from __future__ import annotations

import math
import random

import pytest

from dvar import core
from tests.core.helpers import build, central_difference, lecture, snapshot
from tests.core.test_pyexport import random_graph

SMOOTH_OPS = ["add", "sub", "mul", "neg", "sin", "cos", "tanh", "sigmoid"]


def test_the_lecture_with_respect_to_a() -> None:
    g = lecture()
    result = core.forward_derivatives(g, "a")
    assert result["u"] == 0.0 and result["v"] == 1.0 and result["J"] == 3.0
    assert result["a"] == 1.0 and result["b"] == 0.0 and result["three"] == 0.0
    assert result["J"] == core.evaluate(g).grads["a"]
    assert result.wrt == "a" and result.output == "J" and result.errors == {}
    assert result.symbol("u") == "du/da"


def test_the_lecture_with_respect_to_each_leaf() -> None:
    g = lecture()
    grads = core.evaluate(g).grads
    expected = {
        "b": {"u": 2.0, "v": 2.0, "J": 6.0},
        "c": {"u": 3.0, "v": 3.0, "J": 9.0},
        "three": {"u": 0.0, "v": 0.0, "J": 11.0},
    }
    for leaf, derivatives in expected.items():
        result = core.forward_derivatives(g, leaf)
        assert {k: result[k] for k in derivatives} == derivatives
        assert result["J"] == grads[leaf]


def test_a_result_reads_like_evaluation_values() -> None:
    g = lecture()
    result = core.forward_derivatives(g, g.key_of("b"))
    assert list(result) == list(core.evaluate(g).values) and len(result) == 7
    assert "J" in result and "nope" not in result and g.key_of("J") in result
    assert result[g.key_of("J")] == result.derivatives["J"] == 6.0
    assert dict(result.values) == dict(core.evaluate(g).values)
    assert result.to_json() == {
        "wrt": "b",
        "output": "J",
        "values": dict(core.evaluate(g).values),
        "derivatives": {"a": 0.0, "b": 1.0, "c": 0.0, "u": 2.0, "v": 2.0, "three": 0.0, "J": 6.0},
        "errors": {},
    }
    assert result.error("J") is None


def test_only_an_input_or_a_constant_can_be_the_variable() -> None:
    g = lecture()
    before = snapshot(g)
    with pytest.raises(core.GraphError, match="u is computed by mul"):
        core.forward_derivatives(g, "u")
    with pytest.raises(core.GraphError, match="nope"):
        core.forward_derivatives(g, "nope")
    with pytest.raises(core.GraphError):
        core.forward_derivatives(g, 999)
    assert snapshot(g) == before


def test_no_output_is_needed() -> None:
    g = lecture()
    g.set_output(None)
    result = core.forward_derivatives(g, "c")
    assert result.output is None and result["J"] == 9.0 and result.errors == {}


def test_a_rename_later_does_not_change_a_result() -> None:
    g = lecture()
    result = core.forward_derivatives(g, "a")
    g.rename("a", "alpha")
    assert result.wrt == "a" and result["a"] == 1.0 and list(result)[0] == "a"


def test_null_values_have_null_derivatives_with_the_engines_reasons() -> None:
    g = build(
        [
            ("x", "input", -1.0),
            ("l", "log", ["x"]),
            ("m", "mul", ["l", "x"]),
            ("e", "add", ["x", None]),
            ("ok", "exp", ["x"]),
        ],
        output="m",
    )
    result = core.forward_derivatives(g, "x")
    ev = core.evaluate(g)
    for node in ("l", "m", "e"):
        assert result.values[node] is None and result[node] is None
        assert result.error(node) == ev.errors[node]
    assert result.errors["l"] == "log of a negative number: x = -1"
    assert result.errors["m"] == "waits on l"
    assert result.errors["e"] == "slot 2 of e is empty"
    assert result["ok"] == pytest.approx(math.exp(-1.0))


def test_a_node_that_does_not_depend_on_x_has_derivative_0_even_without_a_value() -> None:
    """The mirror of reverse mode, where a node that does not reach J gets dJ/dnode = 0."""
    g = build(
        [("x", "input", 1.0), ("y", "input", -1.0), ("l", "log", ["y"]), ("J", "add", ["l", None])],
        output="J",
    )
    result = core.forward_derivatives(g, "x")
    assert result["l"] == 0.0 and result["J"] == 0.0 == core.evaluate(g).grads["x"]
    assert result.values["l"] is None and result.errors["l"] == "log of a negative number: y = -1"
    assert core.forward_derivatives(g, "y")["J"] is None is core.evaluate(g).grads["y"]


def test_a_non_finite_partial_nulls_only_what_flows_through_it() -> None:
    """s = √x at x = 0: ds/dx is undefined, and so is everything built on it; dJ/da is not."""
    g = build(
        [
            ("y", "input", 0.0),
            ("x", "neg", ["y"]),
            ("s", "sqrt", ["x"]),
            ("a", "input", 2.0),
            ("J", "mul", ["s", "a"]),
            ("K", "add", ["a", "y"]),
        ],
        output="J",
    )
    result = core.forward_derivatives(g, "y")
    assert result["x"] == -1.0
    assert result["s"] is None and result["J"] is None
    assert result.errors["s"] == "∂s/∂x = 1/(2√x) is not finite at x = 0"
    assert result.errors["J"] == "waits on ds/dy"
    assert result["K"] == 1.0
    ev = core.evaluate(g)
    assert ev.grads["y"] is None  # reverse mode agrees
    by_a = core.forward_derivatives(g, "a")
    assert by_a["J"] == 0.0 == ev.grads["a"] and by_a["s"] == 0.0 and by_a.errors == {}


def test_a_sum_that_overflows() -> None:
    g = build(
        [
            ("x", "input", 1e-300),
            ("k", "const", 1e308),
            ("m1", "mul", ["x", "k"]),
            ("m2", "mul", ["x", "k"]),
            ("J", "add", ["m1", "m2"]),
        ],
        output="J",
    )
    result = core.forward_derivatives(g, "x")
    assert result["m1"] == 1e308 and result["J"] is None
    assert result.errors["J"] == "dJ/dx overflows: the sum is too large"
    assert core.evaluate(g).grads["x"] is None


def test_ties_split_evenly_and_slots_cancel() -> None:
    g = build(
        [
            ("x", "input", 2.0),
            ("y", "input", 2.0),
            ("top", "max", ["x", "y"]),
            ("zero", "sub", ["x", "x"]),
            ("one", "div", ["x", "x"]),
            ("sq", "mul", ["x", "x"]),
        ],
        output="top",
    )
    result = core.forward_derivatives(g, "x")
    assert result["top"] == 0.5 and result["zero"] == 0.0 and result["one"] == 0.0
    assert result["sq"] == 4.0


def _agree(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9 * max(1.0, abs(a), abs(b)))


@pytest.mark.parametrize("seed", range(150))
def test_forward_mode_agrees_with_reverse_mode(seed: int) -> None:
    rng = random.Random(seed)
    g = random_graph(rng, rng.randint(0, 14), nasty=seed % 2 == 0)
    ev = core.evaluate(g)
    out = ev.output
    for node in g.nodes():
        if not node.op.is_leaf:
            continue
        result = core.forward_derivatives(g, node.id)
        below = g.downstream(node.id)
        # the same values, and the same reasons wherever a value is missing
        assert dict(result.values) == dict(ev.values)
        for name, value in ev.values.items():
            if g.key_of(name) not in below and name != node.id:
                assert result[name] == 0.0  # does not depend on x, with or without a value
            elif value is None:
                assert result[name] is None
            if value is None:
                assert result.errors[name] == ev.errors[name]
        if out is not None:
            assert _agree(result[out], ev.grads[node.id]), (node.id, core.dumps(g))


@pytest.mark.parametrize("seed", range(60))
def test_forward_mode_matches_finite_differences(seed: int) -> None:
    rng = random.Random(seed)
    g = random_graph(rng, rng.randint(1, 12), ops=SMOOTH_OPS, nasty=False)
    work = g.copy()
    leaves = [node.id for node in g.nodes() if node.op.is_leaf]
    for leaf in leaves:
        result = core.forward_derivatives(g, leaf)
        x0 = g.node(leaf).value
        for node in g.nodes():

            def f(x: float, node: str = node.id, leaf: str = leaf) -> float:
                work.set_value(leaf, x)
                return core.evaluate(work).values[node]

            fd = central_difference(f, x0)
            work.set_value(leaf, x0)
            assert result[node.id] == pytest.approx(fd, rel=1e-5, abs=1e-6), (leaf, node.id)


def test_a_long_chain_needs_no_recursion() -> None:
    g = core.Graph()
    g.add_node("input", "x", value=1.3)
    previous = "x"
    for i in range(20_000):
        previous = g.add_node("tanh", f"y{i}", inputs=[previous])
    g.set_output(previous)
    result = core.forward_derivatives(g, "x")
    assert result[previous] == pytest.approx(core.evaluate(g).grads["x"], rel=1e-9)
