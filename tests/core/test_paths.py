"""Backprop as a sum over paths: Evaluation.paths, count_paths and the factored sum."""

from __future__ import annotations

import math
import time

from hypothesis import given
from hypothesis import strategies as st

from dvar import core
from dvar.core import paths
from tests.core.helpers import build, lecture


def test_lecture_b_has_one_path_with_the_lectures_factors() -> None:
    ev = core.evaluate(lecture())
    found = ev.paths("b")
    assert len(found) == 1
    (path,) = found
    assert path.nodes == ["b", "u", "v", "J"]
    # u = b·c (b in slot 0), v = a + u (u in slot 1), J = three·v (v in slot 1).
    assert path.slots == [0, 1, 1]
    assert path.factors == [2.0, 1.0, 3.0]
    assert path.product == 6.0 == ev.grads["b"]
    assert path.symbols == ["∂u/∂b", "∂v/∂u", "∂J/∂v"]
    assert ev.count_paths("b") == 1


def test_every_node_of_the_lecture_sums_to_its_derivative() -> None:
    ev = core.evaluate(lecture())
    for node in ev.order:
        found = ev.paths(node)
        assert paths.path_sum(found) == ev.grads[node], node
        assert len(found) == ev.count_paths(node)


def test_the_output_has_one_empty_path() -> None:
    ev = core.evaluate(lecture())
    (path,) = ev.paths("J")
    assert (path.nodes, path.slots, path.factors, path.product) == (["J"], [], [], 1.0)


def test_an_inline_constant_is_a_node_of_its_path() -> None:
    ev = core.evaluate(lecture())
    assert ev.is_inline_constant("three")
    (path,) = ev.paths("three")
    assert path.nodes == ["three", "J"]
    assert path.product == 11.0 == ev.grads["three"]


def test_a_variable_used_by_two_ops_has_a_path_through_each() -> None:
    # J = (x + y)·(x·y): x feeds s and p.
    g = build(
        [
            ("x", "input", 2.0),
            ("y", "input", 5.0),
            ("s", "add", ["x", "y"]),
            ("p", "mul", ["x", "y"]),
            ("J", "mul", ["s", "p"]),
        ],
        "J",
    )
    ev = core.evaluate(g)
    found = ev.paths("x")
    assert [p.nodes for p in found] == [["x", "s", "J"], ["x", "p", "J"]]
    assert [p.product for p in found] == [1.0 * 10.0, 5.0 * 7.0]
    assert paths.path_sum(found) == ev.grads["x"] == 45.0
    shares = ev.factored_paths("x")
    assert [(s.term.consumer, s.count) for s in shares] == [("s", 1), ("p", 1)]
    assert math.fsum(s.term.product for s in shares) == ev.grads["x"]


def test_x_times_x_counts_one_path_per_slot() -> None:
    g = build([("x", "input", 3.0), ("J", "mul", ["x", "x"])], "J")
    ev = core.evaluate(g)
    found = ev.paths("x")
    assert [p.slots for p in found] == [[0], [1]]
    assert [p.factors for p in found] == [[3.0], [3.0]]
    assert [p.symbols for p in found] == [["∂J/∂x[1]"], ["∂J/∂x[2]"]]
    assert ev.count_paths("x") == 2
    assert paths.path_sum(found) == ev.grads["x"] == 6.0


def diamonds(n: int) -> core.Graph:
    """x0 → (a_k, b_k) → x_{k+1}, n times: 2**n paths from x0 to the output."""
    spec: list[tuple] = [("x0", "input", 1.0)]
    for k in range(n):
        x = f"x{k}"
        spec += [
            (f"a{k}", "neg", [x]),
            (f"b{k}", "sin", [x]),
            (f"x{k + 1}", "add", [f"a{k}", f"b{k}"]),
        ]
    return build(spec, f"x{n}")


def test_count_paths_on_a_chain_of_diamonds_is_two_to_the_n_without_listing() -> None:
    n = 400
    ev = core.evaluate(diamonds(n))
    started = time.perf_counter()
    assert ev.count_paths("x0") == 2**n
    assert ev.count_paths("a0") == 2 ** (n - 1)
    assert ev.paths("x0") is None  # far more than 1,000
    assert time.perf_counter() - started < 2.0  # listing 2**400 paths would never end
    shares = ev.factored_paths("x0")
    assert [s.count for s in shares] == [2 ** (n - 1), 2 ** (n - 1)]


def test_the_limit_is_inclusive() -> None:
    ev = core.evaluate(diamonds(10))
    assert ev.count_paths("x0") == 1024
    assert ev.paths("x0", limit=1023) is None
    assert len(ev.paths("x0", limit=1024)) == 1024
    assert ev.paths("x0") is None  # the default limit is 1,000
    assert len(ev.paths("x3")) == 128


def test_paths_are_distinct_and_follow_edges() -> None:
    g = diamonds(5)
    ev = core.evaluate(g)
    found = ev.paths("x0")
    assert len({tuple(p.nodes) for p in found}) == 32
    for p in found:
        for (consumer, slot), operand in zip(p.edges, p.keys, strict=False):
            assert g.node(consumer).inputs[slot] == operand


def test_a_node_that_does_not_reach_the_output_has_no_paths() -> None:
    g = lecture()
    g.add_node("input", "z", value=1.0)
    g.add_node("exp", "w", inputs=["z"])
    ev = core.evaluate(g)
    assert ev.paths("z") == []
    assert ev.count_paths("z") == 0
    assert ev.factored_paths("z") == []


def test_no_output_means_no_paths() -> None:
    g = lecture()
    g.set_output(None)
    ev = core.evaluate(g)
    assert ev.count_paths("b") == 0
    assert ev.paths("b") == []


def test_an_undefined_factor_leaves_the_product_and_sum_undefined() -> None:
    g = build([("x", "input", -1.0), ("r", "sqrt", ["x"]), ("J", "mul", ["r", "x"])], "J")
    ev = core.evaluate(g)
    assert any(p.product is None for p in ev.paths("x"))
    assert paths.path_sum(ev.paths("x")) is None


def test_edges_to_output_are_the_edges_of_the_paths() -> None:
    g = diamonds(3)
    ev = core.evaluate(g)
    listed = {edge for p in ev.paths("a0") for edge in p.edges}
    assert ev.edges_to_output("a0") == frozenset(listed)


def test_json_of_the_lecture() -> None:
    ev = core.evaluate(lecture())
    assert paths.to_json(ev, "b") == {
        "node": "b",
        "output": "J",
        "derivative": 6,
        "count": 1,
        "paths": [
            {"nodes": ["b", "u", "v", "J"], "slots": [0, 1, 1], "factors": [2, 1, 3], "product": 6}
        ],
        "sum": 6,
    }


# ------------------------------------------------------------ random graphs
UNARY = ("neg", "exp", "sin", "cos", "tanh", "sigmoid")
BINARY = ("add", "sub", "mul", "max", "min")


@st.composite
def graphs(draw) -> core.Graph:
    """A random graph over a few inputs: nodes reuse earlier nodes freely (also twice in
    one op), so paths branch and join."""
    g = core.Graph()
    names = []
    for k in range(draw(st.integers(1, 3))):
        names.append(f"x{k}")
        g.add_node("input", names[-1], value=draw(st.floats(-2, 2, allow_nan=False)))
    for k in range(draw(st.integers(1, 14))):
        op = draw(st.sampled_from(UNARY + BINARY))
        arity = core.OPS[op].arity
        inputs = [draw(st.sampled_from(names)) for _ in range(arity)]
        names.append(f"n{k}")
        g.add_node(op, names[-1], inputs=inputs)
    g.set_output(names[-1])
    return g


@given(graphs())
def test_the_sum_over_paths_is_the_derivative(g: core.Graph) -> None:
    ev = core.evaluate(g)
    for node in ev.order:
        found = ev.paths(node, limit=5000)
        count = ev.count_paths(node)
        if found is None:
            assert count > 5000
            continue
        assert len(found) == count
        grad, total = ev.grads[node], paths.path_sum(found)
        if grad is None or total is None or not math.isfinite(grad):
            continue
        scale = math.fsum(abs(p.product) for p in found)  # what cancellation may lose
        assert abs(total - grad) <= 1e-9 * max(scale, abs(grad), 1e-300), (node, total, grad)
        shares = ev.factored_paths(node)
        assert sum(s.count for s in shares) == (count if node != ev.output else 0)
