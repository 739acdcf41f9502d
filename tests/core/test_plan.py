"""The compiled plan called directly: snapshots, failures, and starting again after one."""

from __future__ import annotations

import math
import sys

import pytest

from dvar import core
from dvar.core.plan import plan_for
from tests.core.helpers import build


def compiled_for(g: core.Graph):
    """The graph's plan, compiled."""
    core.prepare(g)
    plan = plan_for(g)
    assert plan.compiled is not None
    return plan, plan.compiled


def by_id(plan, numbers: list[float]) -> dict[str, float]:
    return dict(zip(plan.names, numbers, strict=True))


def test_results_are_snapshots_that_later_runs_leave_alone() -> None:
    """J = (a + b) * b: each run hands out new lists; earlier ones keep their numbers."""
    g = build([("a", "input", 1), ("b", "input", 2), ("s", "add", ["a", "b"])])
    g.add_node("mul", "J", inputs=["s", "b"])
    g.set_output("J")
    plan, run = compiled_for(g)
    order = [plan.names[p] for p in plan.leaf_pos]
    results = []
    for a, b in [(1.0, 2.0), (3.0, -1.0), (0.5, 4.0)]:
        leaves = {"a": a, "b": b}
        results.append((a, b, run([leaves[name] for name in order])))
    for a, b, result in results:
        assert result is not None
        values, grads = (by_id(plan, numbers) for numbers in result)
        assert values == {"a": a, "b": b, "s": a + b, "J": (a + b) * b}
        assert grads == {"a": b, "b": a + 2 * b, "s": b, "J": 1.0}


def test_a_run_lets_go_of_what_the_previous_run_handed_out() -> None:
    """A compiled run holds on to nothing it handed out: after the next run, even one
    that stops early because a value is not finite, only the caller refers to them."""
    g = build([("a", "input", 3), ("s", "mul", ["a", "a"]), ("J", "add", ["s", "a"])], "J")
    _, run = compiled_for(g)
    result = run([3.0])
    assert result is not None
    values, grads = result
    del result
    assert run([1e200]) is None  # a·a overflows to inf: no derivatives are computed
    # Only ``values`` (or ``grads``) and getrefcount's own argument refer to each list now.
    assert sys.getrefcount(values) == 2 and sys.getrefcount(grads) == 2
    assert values == [3.0, 9.0, 12.0] and grads == [7.0, 1.0, 1.0]


def test_a_run_that_raises_is_followed_by_runs_that_work() -> None:
    g = build([("x", "input", 4), ("r", "sqrt", ["x"]), ("J", "log", ["r"])], "J")
    plan, run = compiled_for(g)
    with pytest.raises(ValueError):
        run([-1.0])
    with pytest.raises(ValueError):
        run([0.0])  # log(0)
    result = run([4.0])
    assert result is not None
    values, grads = (by_id(plan, numbers) for numbers in result)
    assert values == {"x": 4.0, "r": 2.0, "J": math.log(2.0)}
    assert grads["x"] == pytest.approx(1 / (2 * 4.0))


def test_a_run_with_numbers_out_of_range_returns_none_and_the_next_one_works() -> None:
    g = build([("x", "input", 1), ("e", "exp", ["x"]), ("J", "mul", ["e", "e"])], "J")
    plan, run = compiled_for(g)
    assert run([400.0]) is None  # exp(400)² overflows to inf: no exception, just not finite
    result = run([1.0])
    assert result is not None
    values, grads = (by_id(plan, numbers) for numbers in result)
    assert values["J"] == pytest.approx(math.e**2)
    assert grads["x"] == pytest.approx(2 * math.e**2)


def test_evaluate_uses_the_compiled_plan_after_a_failure() -> None:
    """Through the engine: out of the domain and back, the compiled plan keeps serving."""
    g = build([("x", "input", 2), ("J", "log", ["x"])], "J")
    for _ in range(3):
        core.evaluate(g)
    plan = plan_for(g)
    compiled = plan.compiled
    assert compiled is not None
    g.set_value("x", -1)
    assert core.evaluate(g).values["J"] is None
    for x in (3.0, 5.0):
        g.set_value("x", x)
        ev = core.evaluate(g)
        assert ev.values["J"] == math.log(x) and ev.grads["x"] == 1 / x
    assert plan_for(g) is plan and plan.compiled is compiled


def test_a_node_with_many_uses_sums_every_term() -> None:
    """x feeds 70 products (more terms than one generated statement holds), and the
    plan has more nodes than one tuple display holds: J = Σ k·x, so dJ/dx = Σ k."""
    g = core.Graph()
    g.add_node("input", "x", value=3)
    total = None
    for k in range(70):
        g.add_node("const", f"c{k}", value=k)
        g.add_node("mul", f"m{k}", inputs=["x", f"c{k}"])
        if total is None:
            total = f"m{k}"
        else:
            g.add_node("add", f"s{k}", inputs=[total, f"m{k}"])
            total = f"s{k}"
    g.set_output(total)
    plan, run = compiled_for(g)
    leaves = {n.id: n.value for n in g.nodes() if n.op.is_leaf}
    result = run([leaves[plan.names[p]] for p in plan.leaf_pos])
    assert result is not None
    values, grads = (by_id(plan, numbers) for numbers in result)
    assert values[total] == 3 * sum(range(70))
    assert grads["x"] == sum(range(70))
    assert all(grads[f"c{k}"] == 3.0 and grads[f"m{k}"] == 1.0 for k in range(70))
    assert all(values[f"m{k}"] == 3.0 * k for k in range(70))
