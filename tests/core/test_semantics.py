"""docs/evaluation.md's table of what each case evaluates to, row by row, plus sums over
several paths."""

from __future__ import annotations

import json

import pytest

from dvar import core
from tests.core.helpers import build, central_difference, output_as_function_of


def evaluations(g: core.Graph, times: int = 3) -> list[core.Evaluation]:
    """Evaluate one structure several times, so both the interpreted and compiled plans run."""
    return [core.evaluate(g) for _ in range(times)]


# ------------------------------------------------------------ sums over paths
def test_x_times_x_plus_x_sums_three_terms() -> None:
    g = build([("x", "input", 3), ("m", "mul", ["x", "x"]), ("J", "add", ["m", "x"])], "J")
    for ev in evaluations(g):
        assert ev.values["J"] == 12.0
        assert ev.grads["x"] == 2 * 3 + 1
        terms = ev.terms("x")
        # canonical order: consumers in backward order (J before m), then slot
        assert [(t.consumer, t.slot) for t in terms] == [("J", 1), ("m", 0), ("m", 1)]
        assert [t.partial for t in terms] == [1.0, 3.0, 3.0]
        assert [t.product for t in terms] == [1.0, 3.0, 3.0]
        assert [t.repeated for t in terms] == [False, True, True]
        text = ev.breakdown("x")
        assert text.startswith("dx = dJ · ∂J/∂x + dm · ∂m/∂x[1] + dm · ∂m/∂x[2] = ")
        assert text.endswith(" = 1 · 1 + 1 · 3 + 1 · 3 = 7")


@pytest.mark.parametrize("x", [-2.5, 0.0, 1.0, 7.25])
def test_x_times_x_plus_x_is_2x_plus_1(x: float) -> None:
    g = build([("x", "input", x), ("m", "mul", ["x", "x"]), ("J", "add", ["m", "x"])], "J")
    for ev in evaluations(g):
        assert ev.grads["x"] == pytest.approx(2 * x + 1)


def test_two_paths_example() -> None:
    g = core.load(core.examples()["two_paths"])
    ev = core.evaluate(g)
    assert ev.values["J"] == 9.0
    assert ev.grads["x"] == 3.0  # y + 1
    assert ev.grads["y"] == 3.0  # x
    assert len(ev.terms("x")) == 2


@pytest.mark.parametrize(("op", "x"), [("sub", 3.0), ("sub", -1.5), ("div", 3.0), ("div", -0.25)])
def test_per_slot_partials_cancel(op: str, x: float) -> None:
    """x − x and x / x are constant, so dx = 0, from two terms that cancel."""
    g = build([("x", "input", x), ("J", op, ["x", "x"])], "J")
    for ev in evaluations(g):
        assert ev.grads["x"] == pytest.approx(0.0, abs=1e-15)
        terms = ev.terms("x")
        assert len(terms) == 2
        assert terms[0].product == pytest.approx(-terms[1].product)
        assert terms[0].product != 0
    if op == "sub":
        assert ev.breakdown("x") == (
            "dx = dJ · ∂J/∂x[1] + dJ · ∂J/∂x[2] = dJ · 1 + dJ · (-1) = 1 · 1 + 1 · (-1) = 0"
        )


def test_per_slot_partials_inside_a_bigger_graph() -> None:
    """J = (x − x)·y + x / x: dx = y·0 + 0 = 0, dy = 0."""
    g = build(
        [
            ("x", "input", 2),
            ("y", "input", 5),
            ("d", "sub", ["x", "x"]),
            ("q", "div", ["x", "x"]),
            ("m", "mul", ["d", "y"]),
            ("J", "add", ["m", "q"]),
        ],
        "J",
    )
    for ev in evaluations(g):
        assert ev.values["J"] == 1.0
        assert ev.grads["x"] == pytest.approx(0.0, abs=1e-15)
        assert ev.grads["y"] == 0.0
        assert ev.grads["d"] == 5.0


# ------------------------------------------------------- the semantics table
def test_normal_node_and_constant_get_their_derivatives() -> None:
    g = build([("x", "input", 2), ("k", "const", 4), ("J", "mul", ["k", "x"])], "J")
    for ev in evaluations(g):
        assert ev.grads["x"] == 4.0
        assert ev.grads["k"] == 2.0


def test_nodes_that_do_not_reach_the_output_get_zero() -> None:
    g = build(
        [
            ("x", "input", 2),
            ("y", "input", 3),
            ("J", "neg", ["x"]),
            ("side", "mul", ["x", "y"]),  # uses x, but J does not use it
            ("lone", "const", 9),
        ],
        "J",
    )
    for ev in evaluations(g):
        assert ev.values["side"] == 6.0
        assert ev.grads["side"] == 0.0 and ev.grads["y"] == 0.0 and ev.grads["lone"] == 0.0
        assert ev.grads["x"] == -1.0
        assert [t.consumer for t in ev.terms("x")] == ["J"]
        assert ev.breakdown("y").startswith("dy = 0")
        assert ev.errors == {}
        assert ev.order[:2] == ["J", "x"]
        assert set(ev.order) == {"x", "y", "J", "side", "lone"}


def test_empty_slot() -> None:
    g = build([("x", "input", 2), ("u", "add", ["x", None]), ("J", "neg", ["u"])], "J")
    ev = core.evaluate(g)
    assert ev.values["x"] == 2.0
    assert ev.values["u"] is None and ev.grads["u"] is None
    assert ev.errors["u"] == "slot 2 of u is empty"
    assert ev.values["J"] is None and ev.grads["J"] is None
    assert ev.errors["J"] == "waits on u"
    assert ev.grads["x"] is None


def test_terms_through_an_empty_slot_have_no_numbers_and_a_placeholder() -> None:
    # A graph half built: the chain rule can be read, it just has nothing to multiply yet.
    g = build([("b", "input", 3), ("u", "mul", [None, "b"]), ("J", "neg", ["u"])], "J")
    ev = core.evaluate(g)
    (term,) = ev.terms("b")
    assert (term.consumer, term.slot, term.partial_text) == ("u", 1, "□")
    assert term.consumer_grad is None and term.partial is None and term.product is None
    assert ev.partial("u", 1) is None and ev.partial("u", 0) is None
    assert ev.breakdown("b") == "db is undefined: J has no value"


def test_waits_on_names_the_root_cause() -> None:
    g = build(
        [
            ("x", "input", 2),
            ("u", "mul", [None, "x"]),
            ("v", "exp", ["u"]),
            ("w", "neg", ["v"]),
            ("J", "add", ["w", "x"]),
        ],
        "J",
    )
    ev = core.evaluate(g)
    assert ev.errors["u"] == "slot 1 of u is empty"
    assert ev.errors["v"] == ev.errors["w"] == ev.errors["J"] == "waits on u"


def test_empty_slot_off_the_path_to_the_output_leaves_the_rest_alone() -> None:
    g = build([("x", "input", 2), ("J", "neg", ["x"]), ("half", "mul", ["x", None])], "J")
    for ev in evaluations(g):
        assert ev.values["J"] == -2.0 and ev.grads["x"] == -1.0
        assert ev.values["half"] is None
        assert ev.errors == {"half": "slot 2 of half is empty"}


def test_no_output_chosen() -> None:
    g = build([("x", "input", 2), ("y", "input", 3), ("m", "mul", ["x", "y"])], None)
    for ev in evaluations(g):
        assert ev.output is None
        assert dict(ev.values) == {"x": 2.0, "y": 3.0, "m": 6.0}
        assert dict(ev.grads) == {"x": None, "y": None, "m": None}
        assert ev.errors == dict.fromkeys(("x", "y", "m"), "no output chosen")
        assert ev.terms("x") == []
        assert "no output chosen" in ev.breakdown("x")


def test_nudge_without_an_output_still_moves_values() -> None:
    g = build([("x", "input", 2), ("m", "mul", ["x", "x"])], None)
    n = core.nudge(g, "x", h=1)
    assert n.after == {"x": 3.0, "m": 9.0}
    assert n.changed == ["x", "m"]
    assert n.delta is None and n.ratio is None and n.grad is None


def test_empty_graph() -> None:
    ev = core.evaluate(core.Graph())
    assert ev.output is None and dict(ev.values) == {} and ev.order == []
    assert ev.to_json() == {"output": None, "values": {}, "grads": {}, "errors": {}}


def test_output_may_be_an_input() -> None:
    g = build([("x", "input", 2), ("y", "input", 3), ("m", "mul", ["x", "y"])], "x")
    for ev in evaluations(g):
        assert dict(ev.grads) == {"x": 1.0, "y": 0.0, "m": 0.0}


@pytest.mark.parametrize("op", ["max", "min"])
def test_ties_split_evenly(op: str) -> None:
    g = build([("x", "input", 2), ("y", "input", 2), ("J", op, ["x", "y"])], "J")
    for ev in evaluations(g):
        assert ev.values["J"] == 2.0
        assert ev.grads["x"] == 0.5 and ev.grads["y"] == 0.5


@pytest.mark.parametrize("op", ["max", "min"])
def test_tie_with_itself_gives_one(op: str) -> None:
    g = build([("x", "input", 2), ("J", op, ["x", "x"])], "J")
    for ev in evaluations(g):
        assert ev.grads["x"] == 1.0


# ----------------------------------------------------------- domain errors
DOMAIN = [
    ("log", (-2,), "log of a negative number: x0 = -2"),
    ("log", (0,), "log of zero: x0 = 0"),
    ("sqrt", (-1,), "square root of a negative number: x0 = -1"),
    ("div", (1, 0), "division by zero: x1 = 0"),
    ("exp", (1000,), "overflows"),
    ("pow", (-8, 0.3333), "negative base to a fractional power"),
    ("pow", (0, -1), "zero to a negative power"),
    ("pow", (10, 400), "overflows"),
    ("mul", (1e200, 1e200), "overflows"),
]


@pytest.mark.parametrize(("op", "operands", "reason"), DOMAIN)
def test_domain_errors_give_null_and_a_reason(op: str, operands: tuple, reason: str) -> None:
    spec = [(f"x{i}", "input", v) for i, v in enumerate(operands)]
    g = build([*spec, ("u", op, [s[0] for s in spec]), ("J", "neg", ["u"])], "J")
    for ev in evaluations(g):
        assert ev.values["u"] is None
        assert reason in ev.errors["u"]
        assert ev.values["J"] is None and ev.errors["J"] == "waits on u"
        assert all(ev.grads[n] is None for n in ("u", "J", *(s[0] for s in spec)))
        assert all(ev.values[s[0]] == s[2] for s in spec)
        for value in ev.values.values():
            assert value is None or type(value) is float  # never complex, never inf or nan
        json.dumps(ev.to_json(), allow_nan=False)
        assert "undefined" in ev.breakdown("x0")


@pytest.mark.parametrize(("op", "operands", "reason"), DOMAIN)
def test_leaving_the_domain_after_the_plan_is_compiled(
    op: str, operands: tuple, reason: str
) -> None:
    """A value edit that leaves the domain is caught by the compiled plan too, and coming
    back into the domain gives numbers again."""
    inside = {"log": (2,), "sqrt": (4,), "div": (1, 2), "exp": (1,), "pow": (2, 3), "mul": (2, 3)}[
        op
    ]
    spec = [(f"x{i}", "input", v) for i, v in enumerate(inside)]
    g = build([*spec, ("u", op, [s[0] for s in spec]), ("J", "neg", ["u"])], "J")
    good = evaluations(g)[-1]
    for i, v in enumerate(operands):
        g.set_value(f"x{i}", v)
    for ev in evaluations(g):
        assert ev.values["u"] is None and reason in ev.errors["u"]
        assert ev.grads["x0"] is None
    for i, v in enumerate(inside):
        g.set_value(f"x{i}", v)
    for ev in evaluations(g):
        assert dict(ev.values) == dict(good.values) and dict(ev.grads) == dict(good.grads)
        assert ev.errors == {}


def test_domain_error_off_the_path_keeps_the_derivatives() -> None:
    g = build([("x", "input", -2), ("J", "mul", ["x", "x"]), ("bad", "log", ["x"])], "J")
    for ev in evaluations(g):
        assert ev.values["J"] == 4.0 and ev.grads["x"] == -4.0
        assert ev.values["bad"] is None and "log of a negative number" in ev.errors["bad"]
        assert set(ev.errors) == {"bad"}


# ---------------------------------------------- non-finite local partials
def test_square_of_a_negative_difference_nulls_only_the_exponent() -> None:
    """(x − y)**2 with x < y: value 4, dx = 2(x−y) = −4, dy = 4; only d(two) is null."""
    g = build(
        [
            ("x", "input", 1),
            ("y", "input", 3),
            ("d", "sub", ["x", "y"]),
            ("two", "const", 2),
            ("J", "pow", ["d", "two"]),
        ],
        "J",
    )
    for ev in evaluations(g):
        assert ev.values["J"] == 4.0
        assert ev.grads["x"] == -4.0 and ev.grads["y"] == 4.0 and ev.grads["d"] == -4.0
        assert ev.grads["two"] is None
        assert set(ev.errors) == {"two"}
        assert "not finite" in ev.errors["two"]
        assert "undefined" in ev.breakdown("two")
        for node, h in (("x", 1e-6), ("y", 1e-6)):
            fd = central_difference(output_as_function_of(g, node), g.node(node).value, h)
            assert ev.grads[node] == pytest.approx(fd, rel=1e-6)


def test_sqrt_at_zero_nulls_the_operand_only() -> None:
    """J = sqrt(x)·y at x = 0: value 0, dy = sqrt(0) = 0, dx is null (infinite slope)."""
    g = build(
        [("x", "input", 0), ("y", "input", 3), ("r", "sqrt", ["x"]), ("J", "mul", ["r", "y"])],
        "J",
    )
    for ev in evaluations(g):
        assert ev.values["r"] == 0.0 and ev.values["J"] == 0.0
        assert ev.grads["r"] == 3.0 and ev.grads["y"] == 0.0
        assert ev.grads["x"] is None
        assert set(ev.errors) == {"x"}
        (term,) = ev.terms("x")
        assert term.partial is None and term.product is None and term.consumer_grad == 3.0


def test_a_null_derivative_flows_to_every_node_behind_it() -> None:
    """J = sqrt(s) with s = a + b and s = 0: da and db are null too, and say why."""
    g = build(
        [("a", "input", 2), ("b", "input", -2), ("s", "add", ["a", "b"]), ("J", "sqrt", ["s"])],
        "J",
    )
    ev = core.evaluate(g)
    assert ev.values["J"] == 0.0
    assert ev.grads["s"] is None and ev.grads["a"] is None and ev.grads["b"] is None
    assert ev.errors["a"] == ev.errors["b"] == "waits on ds"


def test_a_null_term_nulls_the_sum_but_not_the_other_inputs() -> None:
    """J = sqrt(x) + x·y at x = 0: dx has a null term so it is null; dy = x = 0 is fine."""
    g = build(
        [
            ("x", "input", 0),
            ("y", "input", 5),
            ("r", "sqrt", ["x"]),
            ("m", "mul", ["x", "y"]),
            ("J", "add", ["r", "m"]),
        ],
        "J",
    )
    for ev in evaluations(g):
        assert ev.grads["x"] is None and ev.grads["y"] == 0.0 and ev.grads["m"] == 1.0
        assert ev.values["J"] == 0.0


def test_derivative_overflow_is_null_with_a_reason() -> None:
    """J = y / x at tiny x: the value is finite, but ∂J/∂x = −y/x² overflows."""
    g = build([("x", "input", 1e-200), ("y", "input", 1e100), ("J", "div", ["y", "x"])], "J")
    for ev in evaluations(g):
        assert ev.values["J"] == pytest.approx(1e300)
        assert ev.grads["y"] == pytest.approx(1e200)
        assert ev.grads["x"] is None  # −1e300 / 1e-200 is beyond any float
        assert set(ev.errors) == {"x"}
