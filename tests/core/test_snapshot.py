"""An Evaluation is a snapshot: later edits to the graph do not change it (core/evaluation.py)."""

from __future__ import annotations

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
