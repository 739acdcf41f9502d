"""An Evaluation is a snapshot: later edits to the graph do not change it (core/evaluation.py)."""

from __future__ import annotations

import pytest

from dvar import core
from tests.core.helpers import lecture

VALUES = {"a": 5, "b": 3, "c": 2, "u": 6, "v": 11, "three": 3, "J": 33}


def test_value_edits_do_not_change_an_earlier_evaluation() -> None:
    g = lecture()
    first = core.evaluate(g)
    g.set_value("a", 100)
    second = core.evaluate(g)
    assert first.values["J"] == 33.0 and second.values["J"] == 318.0
    assert dict(first.values) == VALUES


def test_rename_does_not_change_an_earlier_evaluation() -> None:
    g = lecture()
    ev = core.evaluate(g)
    g.rename("a", "alpha")
    assert ev.values["a"] == 5.0
    assert ev.grads["a"] == 3.0
    assert ev.order == ["J", "v", "a", "u", "b", "c", "three"]
    assert ev.breakdown("a") == "da = dv · ∂v/∂a = dv · 1 = 3 · 1 = 3"


def test_removing_a_node_does_not_break_an_earlier_evaluation() -> None:
    g = lecture()
    ev = core.evaluate(g)
    g.remove_node("a")
    assert ev.values["J"] == 33.0
    assert dict(ev.values) == VALUES
    assert ev.order == ["J", "v", "a", "u", "b", "c", "three"]


def test_numbers_by_position_are_the_lectures_and_stay_so_after_edits() -> None:
    g = lecture()
    ev = core.evaluate(g)
    position, values, grads = ev.by_position()
    # The lecture's worked example, read through positions: a=5, da=3; b=3, db=6; c=2, dc=9.
    for node, value, grad in (("a", 5.0, 3.0), ("b", 3.0, 6.0), ("c", 2.0, 9.0), ("J", 33.0, 1.0)):
        at = position[g.key_of(node)]
        assert (values[at], grads[at]) == (value, grad)
    g.set_value("a", 100)
    g.remove_node("c")
    core.evaluate(g)
    at = position[g.key_of("a")]
    assert (values[at], grads[at]) == (5.0, 3.0)  # still the snapshot's numbers
    with pytest.raises(TypeError):  # read-only: a caller cannot change the snapshot
        values[at] = 0.0  # type: ignore[index]
    with pytest.raises(TypeError):
        position[g.key_of("a")] = 0  # type: ignore[index]
    assert ev.values["a"] == 5.0
