"""Gradient descent (core/train.py): it lowers J, stops cleanly on a domain error,
refuses what it cannot use, and changes the graph in one batch or not at all."""

from __future__ import annotations

import math

import pytest

from dvar import core
from dvar.core.train import MAX_STEPS
from tests.core.helpers import build, lecture, snapshot


def logistic() -> core.Graph:
    return core.load(core.examples()["logistic_regression"])


def square(w: float = 0.0) -> core.Graph:
    """J = (w - 3)^2, smallest at w = 3."""
    g = build(
        [("w", "input", w), ("three", "const", 3), ("d", "sub", ["w", "three"])]
        + [("two", "const", 2), ("J", "pow", ["d", "two"])],
        output="J",
    )
    g.set_param("w", True)
    return g


def test_fifty_steps_lower_the_logistic_loss_and_leave_the_graph_alone() -> None:
    g = logistic()
    before = snapshot(g)
    result = core.plan_descent(g, rate=0.1, steps=50)
    assert snapshot(g) == before
    assert result.steps_done == 50 and not result.stopped_early and result.reason is None
    assert len(result.history) == 51
    assert result.history[0] == core.evaluate(g).values["L"]
    assert all(b < a for a, b in zip(result.history, result.history[1:], strict=False))
    assert result.output == "L" and result.params == ("w1", "w2", "b")
    keys = {g.key_of(p) for p in ("w1", "w2", "b")}
    assert set(result.old_values) == set(result.new_values) == keys
    assert result.old_values == {k: g.node(k).value for k in keys}
    assert result.changed


def test_maximizing_raises_the_loss() -> None:
    result = core.plan_descent(logistic(), rate=0.1, steps=50, maximize=True)
    assert result.steps_done == 50 and result.maximize
    assert all(b > a for a, b in zip(result.history, result.history[1:], strict=False))


def test_one_step_by_hand() -> None:
    g = logistic()
    ev = core.evaluate(g)
    result = core.plan_descent(g, rate=0.5)
    for name in ("w1", "w2", "b"):
        key = g.key_of(name)
        assert result.new_values[key] == g.node(name).value - 0.5 * ev.grads[name]
    ascent = core.plan_descent(g, rate=0.5, maximize=True)
    assert ascent.new_values[g.key_of("b")] == g.node("b").value + 0.5 * ev.grads["b"]


def test_descend_applies_the_run_in_one_change() -> None:
    g = logistic()
    heard: list[list[core.Event]] = []
    g.subscribe(heard.append)
    result = core.descend(g, rate=0.1, steps=50)
    assert len(heard) == 1
    assert {event.kind for event in heard[0]} == {"value_changed"}
    for key, value in result.new_values.items():
        assert g.node(key).value == value
    assert core.evaluate(g).values["L"] == pytest.approx(result.history[-1], rel=1e-12)
    # what an undo does: put the old values back, again as one change
    with g.batch():
        for key, value in result.old_values.items():
            g.set_value(key, value)
    assert len(heard) == 2
    assert core.evaluate(g).values["L"] == pytest.approx(result.history[0], rel=1e-12)


def test_descent_converges_to_the_minimum() -> None:
    g = square(w=0.0)
    result = core.descend(g, rate=0.1, steps=200)
    assert result.steps_done == 200 and result.reason is None
    assert g.node("w").value == pytest.approx(3.0, abs=1e-9)
    assert result.history[-1] == pytest.approx(0.0, abs=1e-15)
    assert all(b <= a for a, b in zip(result.history, result.history[1:], strict=False))


def test_a_step_that_would_make_J_undefined_is_not_taken() -> None:
    """J = log w from w = 1 at rate 0.5: w → 0.5, then → -0.5, where log has no value."""
    g = build([("w", "input", 1.0), ("J", "log", ["w"])], output="J")
    g.set_param("w", True)
    result = core.descend(g, rate=0.5, steps=10)
    assert result.steps_done == 1 and result.failed_step == 2 and result.stopped_early
    assert result.reason == "it would leave J with no value: log of a negative number: w = -0.5"
    assert g.node("w").value == 0.5 and result.new_values == {g.key_of("w"): 0.5}
    assert result.history == [0.0, math.log(0.5)]
    assert result.summary() == (
        "stopped after 1 step: J 0 → -0.693147. Step 2: it would leave J with no value: "
        "log of a negative number: w = -0.5"
    )


def test_a_derivative_with_no_value_stops_the_run() -> None:
    """J = √w: one step takes w from 0.25 to 0, where ∂J/∂w = 1/(2√w) is not finite."""
    g = build([("w", "input", 0.25), ("J", "sqrt", ["w"])], output="J")
    g.set_param("w", True)
    result = core.plan_descent(g, rate=0.25, steps=5)
    assert result.steps_done == 1 and result.failed_step == 2
    assert result.reason == "dw is undefined: ∂J/∂w = 1/(2√w) is not finite at w = 0"
    assert result.history == [0.5, 0.0]


def test_no_value_to_start_with() -> None:
    g = build([("w", "input", -1.0), ("J", "log", ["w"])], output="J")
    g.set_param("w", True)
    heard: list[list[core.Event]] = []
    g.subscribe(heard.append)
    result = core.descend(g, rate=0.1, steps=3)
    assert result.steps_done == 0 and result.failed_step == 1 and result.history == []
    assert result.reason == "J has no value: log of a negative number: w = -1"
    assert not result.changed and heard == []


def test_a_step_to_infinity_is_not_taken() -> None:
    g = build([("w", "input", 1.0), ("k", "const", 1e300), ("J", "mul", ["w", "k"])], output="J")
    g.set_param("w", True)
    result = core.plan_descent(g, rate=1e10, steps=3)
    assert result.steps_done == 0 and result.failed_step == 1
    assert result.reason == "w would become infinite (dw = 1e300)"
    assert result.history == [1e300] and not result.changed


def test_parameters_can_be_named() -> None:
    g = lecture()  # J = 3(a + bc), dJ/da = 3, dJ/db = 3c = 6
    result = core.plan_descent(g, rate=0.01, steps=1, params=["a", g.key_of("b"), "a"])
    assert result.params == ("a", "b")
    assert result.new_values == {g.key_of("a"): 5 - 0.03, g.key_of("b"): 3 - 0.06}
    assert result.summary() == "1 step: J 33 → 32.55"


def test_a_parameter_that_does_not_reach_J_stays_put() -> None:
    g = square(w=1.0)
    g.add_node("input", "idle", value=7.0, param=True)
    result = core.plan_descent(g, rate=0.1, steps=5)
    assert result.new_values[g.key_of("idle")] == 7.0 and result.steps_done == 5


@pytest.mark.parametrize("rate", [0, -0.1, math.nan, math.inf, True, "0.1", None])
def test_a_bad_rate_is_refused(rate: object) -> None:
    g = logistic()
    before = snapshot(g)
    with pytest.raises(core.GraphError, match="learning rate"):
        core.descend(g, rate=rate)  # type: ignore[arg-type]
    assert snapshot(g) == before


@pytest.mark.parametrize("steps", [0, -1, 1.5, True, "3", MAX_STEPS + 1])
def test_a_bad_number_of_steps_is_refused(steps: object) -> None:
    with pytest.raises(core.GraphError, match="number of steps"):
        core.plan_descent(logistic(), rate=0.1, steps=steps)  # type: ignore[arg-type]


def test_nothing_to_train_is_refused() -> None:
    g = lecture()
    before = snapshot(g)
    with pytest.raises(core.GraphError, match="mark one or more inputs as parameters"):
        core.descend(g, rate=0.1)
    with pytest.raises(core.GraphError, match="only inputs can be trained, and u is a mul"):
        core.descend(g, rate=0.1, params=["u"])
    with pytest.raises(core.GraphError, match="three is a const"):
        core.descend(g, rate=0.1, params=["three"])
    with pytest.raises(core.GraphError, match="nope"):
        core.descend(g, rate=0.1, params=["nope"])
    with pytest.raises(core.GraphError, match="no parameters"):
        core.descend(g, rate=0.1, params=[])
    g.set_output(None)
    with pytest.raises(core.GraphError, match="choose an output"):
        core.descend(g, rate=0.1, params=["a"])
    g.set_output("J")
    assert snapshot(g)[0] == before[0]


def test_many_steps_on_a_large_graph() -> None:
    """1,000 steps on 1,000 nodes: the plan is compiled once and reused (see benchmarks)."""
    g = core.Graph()
    g.add_node("input", "w", value=0.5, param=True)
    g.add_node("input", "b", value=0.1, param=True)
    previous = "w"
    for i in range(1000):
        inputs = [previous, "b"] if i % 3 == 0 else [previous]
        previous = g.add_node("add" if i % 3 == 0 else "tanh", f"n{i}", inputs=inputs)
    g.set_output(previous)
    result = core.plan_descent(g, rate=0.01, steps=1000)
    assert result.steps_done == 1000 and len(result.history) == 1001
    assert result.history[-1] < result.history[0]
