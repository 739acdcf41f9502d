"""The local derivative in the lecture's words, with its numbers checked by a nudge."""

from __future__ import annotations

import re

import pytest

from dvar import core
from dvar.core.text import NUDGE, local_derivative_sentence
from tests.core.helpers import build, lecture

LECTURE = {
    "v": "J = 3·v, so when v goes up by 0.001, J goes up by 0.003: ∂J/∂v = 3.",
    "a": "v = a + u, so when a goes up by 0.001, v goes up by 0.001: ∂v/∂a = 1.",
    "u": "v = a + u, so when u goes up by 0.001, v goes up by 0.001: ∂v/∂u = 1.",
    "b": "u = b·c, so when b goes up by 0.001, u goes up by 0.002: ∂u/∂b = 2.",
    "c": "u = b·c, so when c goes up by 0.001, u goes up by 0.003: ∂u/∂c = 3.",
}

#: ", J goes up by 0.003:" / ", t goes down by about 0.0002:": the consumer and its change.
_CHANGE = re.compile(r", (\w+) goes (up|down) by (?:about )?([0-9.e-]+):")


def sentence(g: core.Graph, node: str, **kw) -> str:
    return local_derivative_sentence(g, core.evaluate(g), node, **kw)


def stated_changes(text: str) -> list[tuple[str, float]]:
    """Every ", <consumer> goes up/down by <n>:" in order: (consumer, ±n)."""
    return [
        (consumer, (1.0 if way == "up" else -1.0) * float(number))
        for consumer, way, number in _CHANGE.findall(text)
    ]


def moved_by_nudge(g: core.Graph, node: str, consumer: str) -> float:
    """How far ``consumer`` moves when ``node`` goes up by the nudge (a finite difference)."""
    bumped = core.nudge(g, node, NUDGE)
    return bumped.after[consumer] - bumped.before.values[consumer]


@pytest.mark.parametrize("node", sorted(LECTURE))
def test_the_lecture_in_its_own_words(node: str) -> None:
    g = lecture()
    text = sentence(g, node)
    assert text == LECTURE[node]
    ((consumer, change),) = stated_changes(text)
    assert moved_by_nudge(g, node, consumer) == pytest.approx(change, rel=1e-6)
    # the number after "=" is the partial in the breakdown
    (term,) = core.evaluate(g).terms(node)
    assert text.endswith(f"= {core.format_number(term.partial)}.")


def test_the_output_changes_one_for_one_with_itself() -> None:
    assert sentence(lecture(), "J") == (
        "J is the output: when J goes up by 0.001, J itself goes up by 0.001, so dJ = 1."
    )


def test_the_constant_is_the_number_in_its_consumers_formula() -> None:
    g = lecture()
    text = sentence(g, "three")
    assert text == (
        "three is the 3 in J = 3·v, so when it goes up by 0.001, "
        "J goes up by 0.011: ∂J/∂three = 11."
    )
    assert moved_by_nudge(g, "three", "J") == pytest.approx(0.011, rel=1e-6)


def test_a_node_used_twice_by_one_consumer() -> None:
    g = build([("a", "input", 3.0), ("y", "mul", ["a", "a"])], "y")
    text = sentence(g, "a")
    assert text == (
        "a is used twice, both times by y, and the contributions add up. "
        "y = a·a, so when the first a goes up by 0.001 and the second stays put, "
        "y goes up by 0.003: ∂y/∂a[1] = 3. "
        "When the second a goes up by 0.001 and the first stays put, "
        "y goes up by 0.003: ∂y/∂a[2] = 3."
    )
    # both uses move together under a nudge of a: the contributions add up (plus h²)
    changes = stated_changes(text)
    assert [c for c, _ in changes] == ["y", "y"]
    total = sum(change for _, change in changes)
    assert moved_by_nudge(g, "a", "y") == pytest.approx(total, abs=NUDGE**2 * 1.01)


def test_a_node_used_by_two_consumers() -> None:
    """J = a + a·b: a reaches J directly and through m = a·b."""
    g = build(
        [
            ("a", "input", 2.0),
            ("b", "input", 3.0),
            ("m", "mul", ["a", "b"]),
            ("J", "add", ["a", "m"]),
        ],
        "J",
    )
    text = sentence(g, "a")
    assert text == (
        "a is used twice, by J and by m, and the contributions add up. "
        "J = a + m, so when a goes up by 0.001, J goes up by 0.001: ∂J/∂a = 1. "
        "m = a·b, so when a goes up by 0.001, m goes up by 0.003: ∂m/∂a = 3."
    )
    ((_, through_m),) = [change for change in stated_changes(text) if change[0] == "m"]
    assert moved_by_nudge(g, "a", "m") == pytest.approx(through_m, rel=1e-6)
    # J moves by both contributions: dJ·∂J/∂a·h + dm·∂m/∂a·h
    assert moved_by_nudge(g, "a", "J") == pytest.approx(0.001 + 0.003, rel=1e-6)


def test_three_uses_name_each_consumer_with_its_count() -> None:
    g = build(
        [("x", "input", 2.0), ("y", "mul", ["x", "x"]), ("J", "add", ["y", "x"])],
        "J",
    )
    assert sentence(g, "x").startswith(
        "x is used three times, by J and by y (twice), and the contributions add up. "
    )


def test_a_curved_op_says_about_and_a_falling_one_says_down() -> None:
    g = build(
        [("x", "input", 0.5), ("t", "tanh", ["x"]), ("k", "const", -2.0), ("J", "mul", ["t", "k"])],
        "J",
    )
    text = sentence(g, "x")
    assert "t goes up by about 0.000786448: ∂t/∂x = 0.786448" in text
    ((_, change),) = stated_changes(text)
    assert moved_by_nudge(g, "x", "t") == pytest.approx(change, rel=1e-3)
    falling = sentence(g, "t")
    assert falling == "J = t·(-2), so when t goes up by 0.001, J goes down by 0.002: ∂J/∂t = -2."
    ((_, change),) = stated_changes(falling)
    assert moved_by_nudge(g, "t", "J") == pytest.approx(change, rel=1e-6)


def test_a_flat_use_does_not_move() -> None:
    g = build([("x", "input", -1.0), ("r", "relu", ["x"])], "r")
    assert (
        sentence(g, "x") == "r = relu(x), so when x goes up by 0.001, r does not move: ∂r/∂x = 0."
    )


def test_undefined_and_unconnected() -> None:
    g = build([("x", "input", -1.0), ("l", "log", ["x"]), ("z", "input", 1.0)], "l")
    assert sentence(g, "l") == "l is the output, but it has no value here, so it has no derivative."
    assert sentence(g, "x") == (
        "l = ln(x), but l has no value (log of a negative number: x = -1), so ∂l/∂x has none."
    )
    assert sentence(g, "z") == (
        "l does not depend on z: no path leads from z to l, "
        "so nudging z leaves l where it is: dz = 0."
    )
    g.set_output(None)
    assert sentence(g, "x").startswith("No output is chosen")


def test_other_notations_and_digits() -> None:
    g = lecture()
    assert sentence(g, "J", notation="grad").endswith("so J.grad = 1.")
    text = sentence(g, "b", number=lambda x: core.format_number(x, 2))
    assert text == "u = b·c, so when b goes up by 0.001, u goes up by 0.002: ∂u/∂b = 2."


def test_a_partial_that_is_not_finite_says_so() -> None:
    g = build([("x", "input", 0.0), ("r", "sqrt", ["x"])], "r")
    assert sentence(g, "x") == "r = √x, but ∂r/∂x is not a finite number at these values."


def test_a_node_used_many_times_can_be_told_in_short() -> None:
    spec = [("x", "input", 2.0)] + [(f"m{i}", "mul", ["x", "x"]) for i in range(30)]
    spec.append(("J", "add", ["m0", "m1"]))
    g = build(spec, "J")
    full = sentence(g, "x")
    assert full.count("goes up by 0.001") == 4  # m0 and m1, two slots each
    short = sentence(g, "x", most=3)
    assert short.startswith("x is used 4 times, by m0 (twice) and by m1 (twice)")
    assert short.count("goes up by 0.001") == 3
    assert short.endswith("And 1 more use, each read the same way.")
    assert sentence(g, "x", most=4) == full
