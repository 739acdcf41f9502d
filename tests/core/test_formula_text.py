"""How a node reads on the canvas: its formula in its operands' names, from the op
table's template, with inline constants written as their number."""

from __future__ import annotations

import pytest

from dvar import core
from dvar.core.text import formula, inline_constants
from tests.core.helpers import lecture

CASES = [
    ("add", ["a", "b"], "n = a + b"),
    ("sub", ["a", "b"], "n = a − b"),
    ("mul", ["a", "b"], "n = a·b"),
    ("div", ["a", "b"], "n = a / b"),
    ("pow", ["a", "b"], "n = a^b"),
    ("max", ["a", "b"], "n = max(a, b)"),
    ("min", ["a", "b"], "n = min(a, b)"),
    ("neg", ["a"], "n = −a"),
    ("exp", ["a"], "n = exp(a)"),
    ("log", ["a"], "n = ln(a)"),
    ("sqrt", ["a"], "n = √a"),
    ("sin", ["a"], "n = sin(a)"),
    ("cos", ["a"], "n = cos(a)"),
    ("tanh", ["a"], "n = tanh(a)"),
    ("sigmoid", ["a"], "n = σ(a)"),
    ("relu", ["a"], "n = relu(a)"),
    ("abs", ["a"], "n = |a|"),
]


def _graph() -> core.Graph:
    g = core.Graph()
    g.add_node("input", "a", value=2.0)
    g.add_node("input", "b", value=3.0)
    return g


@pytest.mark.parametrize(("op", "inputs", "expected"), CASES)
def test_every_op_reads_in_its_operands_names(op: str, inputs: list[str], expected: str):
    g = _graph()
    g.add_node(op, "n", inputs=inputs)
    assert formula(g, g.node("n")) == expected


def test_every_op_of_the_table_is_covered():
    covered = {op for op, _, _ in CASES}
    assert covered == {name for name, spec in core.OPS.items() if not spec.is_leaf}


@pytest.mark.parametrize("op", ["add", "exp", "max", "neg"])
def test_an_empty_slot_reads_as_a_box(op: str):
    g = _graph()
    g.add_node(op, "n")
    text = formula(g, g.node("n"))
    assert text.count(core.evaluation.EMPTY_SLOT) == core.OPS[op].arity
    assert "None" not in text


def test_the_lecture_with_its_constant_inline_reads_as_on_the_slide():
    g = lecture()
    inline = inline_constants(g)
    assert inline == {g.key_of("three")}
    shown = {n.id: formula(g, n, inline) for n in g if n.id in ("u", "v", "J")}
    assert shown == {"u": "u = b·c", "v": "v = a + u", "J": "J = 3·v"}


def test_an_inline_constant_follows_its_value_and_the_number_format():
    g = lecture()
    g.set_value("three", -0.125)
    inline = inline_constants(g)
    assert formula(g, g.node("J"), inline) == "J = (-0.125)·v"
    assert formula(g, g.node("J"), inline, number=lambda x: f"{x:.1f}") == "J = (-0.1)·v"


def test_a_constant_marked_box_or_used_twice_keeps_its_name():
    g = lecture()
    g.set_box("three", True)
    assert inline_constants(g) == set()
    assert formula(g, g.node("J"), inline_constants(g)) == "J = three·v"
    g.set_box("three", False)
    g.add_node("add", "w", inputs=["three", "a"])
    assert inline_constants(g) == set()
