"""Breakdowns write an inline constant (one use) by its number, whatever the view shows."""

from __future__ import annotations

import pytest

from dvar import core
from dvar.core.text import to_latex
from tests.core.helpers import build, lecture


def test_the_lecture_writes_three_as_3() -> None:
    ev = core.evaluate(lecture())
    assert ev.breakdown("v") == "dv = dJ · ∂J/∂v = dJ · 3 = 1 · 3 = 3"
    (term,) = ev.terms("v")
    assert (term.partial_text, term.partial) == ("3", 3.0)
    # the constant's own derivative still names the node it is taken with respect to
    assert ev.breakdown("three") == "dthree = dJ · ∂J/∂three = dJ · v = 1 · 11 = 11"
    assert to_latex(ev.breakdown("v")) == (
        r"$dv = dJ \cdot \frac{\partial J}{\partial v} = dJ \cdot 3 = 1 \cdot 3 = 3$"
    )


def test_the_number_follows_the_constants_value() -> None:
    g = lecture()
    g.set_value("three", 2.5)
    assert core.evaluate(g).breakdown("v") == "dv = dJ · ∂J/∂v = dJ · 2.5 = 1 · 2.5 = 2.5"


def test_a_negative_constant_reads_in_brackets_once() -> None:
    g = build([("x", "input", 4.0), ("k", "const", -2.0), ("J", "mul", ["x", "k"])], "J")
    assert core.evaluate(g).breakdown("x") == "dx = dJ · ∂J/∂x = dJ · (-2) = 1 · (-2) = -2"


def test_an_exponent_reads_as_its_number_inside_a_longer_partial() -> None:
    g = build([("x", "input", 2.0), ("n", "const", 3.0), ("J", "pow", ["x", "n"])], "J")
    ev = core.evaluate(g)
    assert ev.breakdown("x") == "dx = dJ · ∂J/∂x = dJ · (3·x^(3-1)) = 1 · 12 = 12"


def test_a_constant_used_twice_keeps_its_name() -> None:
    g = build(
        [
            ("x", "input", 2.0),
            ("k", "const", 5.0),
            ("m", "mul", ["x", "k"]),
            ("J", "add", ["m", "k"]),
        ],
        "J",
    )
    ev = core.evaluate(g)
    assert not ev.is_inline_constant("k")
    assert ev.breakdown("x") == "dx = dm · ∂m/∂x = dm · k = 1 · 5 = 5"


def test_a_partial_of_minus_one_is_still_grouped() -> None:
    g = build([("a", "input", 1.0), ("b", "input", 2.0), ("J", "sub", ["a", "b"])], "J")
    assert core.evaluate(g).breakdown("b") == "db = dJ · ∂J/∂b = dJ · (-1) = 1 · (-1) = -1"


def test_breakdown_steps_are_the_parts_between_equals_signs() -> None:
    ev = core.evaluate(lecture())
    assert ev.breakdown_steps("v") == ["dv", "dJ · ∂J/∂v", "dJ · 3", "1 · 3", "3"]
    assert ev.breakdown_steps("J") == ["dJ", "1"]
    for node in ev.order:
        assert " = ".join(ev.breakdown_steps(node)) == ev.breakdown(node)


def test_backward_keys_without_inline_constants_are_shared_by_one_structure() -> None:
    g = lecture()
    ev = core.evaluate(g)
    three = g.key_of("three")
    assert list(ev.backward_keys()) == ev.order_keys
    assert list(ev.backward_keys(False)) == [k for k in ev.order_keys if k != three]
    assert ev.inline_constant_keys == {three}
    g.set_value("a", 6.0)  # a value edit keeps the structure: the same tuple, no new list
    assert core.evaluate(g).backward_keys(False) is ev.backward_keys(False)
    g.add_node("add", "w", inputs=["three", "a"])  # three now has two uses
    after = core.evaluate(g)
    assert three in after.backward_keys(False)
    assert after.inline_constant_keys == frozenset()


@pytest.mark.parametrize("path", ["interpreted", "compiled", "careful"])
def test_every_path_writes_the_same_breakdown(path: str) -> None:
    g = lecture()
    if path == "careful":  # a domain error beside J sends the evaluation the careful way
        g.add_node("input", "n", value=-1.0)
        g.add_node("log", "bad", inputs=["n"])
    runs = 3 if path == "compiled" else 1
    for _ in range(runs):
        ev = core.evaluate(g)
    if path == "careful":
        assert "log of a negative number" in ev.error("bad")
    assert ev.breakdown("v") == "dv = dJ · ∂J/∂v = dJ · 3 = 1 · 3 = 3"


def test_reasons_keep_ids_and_list_each_operands_value() -> None:
    """A reason names the operands with their values (``x = 0``), so it keeps the ids."""
    g = build([("x", "input", 0.0), ("k", "const", 0.5), ("J", "pow", ["x", "k"])], "J")
    ev = core.evaluate(g)
    assert ev.grads["x"] is None
    assert "x = 0" in ev.error("x") and "k = 0.5" in ev.error("x")
