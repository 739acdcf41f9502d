"""Every op: its forward value and its partials, slot by slot.

Values are checked against plain ``math`` expressions written here, and partials
against central finite differences of those expressions, never against the engine.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dvar import core
from tests.core.helpers import central_difference
from tests.oracle import REFERENCE
from tests.profiles import scaled

DESIGN_OPS = {"input", "const", *REFERENCE}


def _floats(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def _away_from_zero(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.one_of(_floats(-hi, -lo), _floats(lo, hi))


_any = _floats(-10, 10)

#: op -> a strategy for operand tuples inside the op's domain and away from its kinks.
DOMAINS: dict[str, st.SearchStrategy[tuple[float, ...]]] = {
    "add": st.tuples(_any, _any),
    "sub": st.tuples(_any, _any),
    "mul": st.tuples(_any, _any),
    "div": st.tuples(_any, _away_from_zero(0.1, 10)),
    "pow": st.tuples(_floats(0.1, 5), _floats(-3, 3)),
    "max": st.tuples(_any, _any).filter(lambda t: abs(t[0] - t[1]) > 1e-3),
    "min": st.tuples(_any, _any).filter(lambda t: abs(t[0] - t[1]) > 1e-3),
    "neg": st.tuples(_any),
    "exp": st.tuples(_any),
    "log": st.tuples(_floats(0.01, 100)),
    "sqrt": st.tuples(_floats(0.01, 100)),
    "sin": st.tuples(_any),
    "cos": st.tuples(_any),
    "tanh": st.tuples(_any),
    "sigmoid": st.tuples(_any),
    "relu": st.tuples(_away_from_zero(1e-3, 10)),
    "abs": st.tuples(_away_from_zero(1e-3, 10)),
}


def one_op_graph(op: str, operands: tuple[float, ...], careful: bool = False) -> core.Graph:
    """u = op(x0[, x1]) with u the output; ``careful`` adds a half-built node elsewhere,
    which sends evaluation down the engine's careful path instead of the fast one."""
    g = core.Graph()
    names = [g.add_node("input", f"x{i}", value=v) for i, v in enumerate(operands)]
    g.add_node(op, "u", inputs=names)
    g.set_output("u")
    if careful:
        g.add_node("neg", "unfinished")
    return g


def test_the_table_has_every_op_of_the_design_and_each_is_declared_once() -> None:
    assert set(core.OPS) == DESIGN_OPS
    for name, op in core.OPS.items():
        assert op.name == name
        assert len(op.partials) == op.arity
        assert len(op.partial_texts) == op.arity
        assert len(op.dfns) == op.arity
    binary = {"add", "sub", "mul", "div", "pow", "max", "min"}
    assert {n for n, op in core.OPS.items() if op.arity == 2} == binary
    assert {n for n, op in core.OPS.items() if op.arity == 0} == {"input", "const"}


@pytest.mark.parametrize(
    ("op", "slot", "text"),
    [
        ("mul", 0, "c"),
        ("mul", 1, "b"),
        ("add", 0, "1"),
        ("sub", 1, "-1"),
        ("div", 0, "1/c"),
    ],
)
def test_partial_text_is_written_in_terms_of_the_operands(op: str, slot: int, text: str) -> None:
    assert core.OPS[op].partial_text(slot, ["b", "c"], "u") == text


@pytest.mark.parametrize("careful", [False, True], ids=["fast", "careful"])
@pytest.mark.parametrize("op", sorted(REFERENCE))
@settings(max_examples=scaled(40), deadline=None)
@given(data=st.data())
def test_partials_match_central_differences(op: str, careful: bool, data: st.DataObject) -> None:
    operands = data.draw(DOMAINS[op], label="operands")
    ref = REFERENCE[op]
    g = one_op_graph(op, operands, careful)
    # Three evaluations of one structure: interpreted, then compiled, then compiled again.
    for _ in range(3):
        ev = core.evaluate(g)
        assert ev.values["u"] == pytest.approx(ref(*operands), rel=1e-12, abs=1e-300)
        assert ev.grads["u"] == 1.0
        for slot in range(len(operands)):

            def f(x: float, slot: int = slot) -> float:
                args = list(operands)
                args[slot] = x
                return ref(*args)

            expected = central_difference(f, operands[slot])
            got = ev.grads[f"x{slot}"]
            assert got is not None, ev.errors
            assert math.isclose(got, expected, rel_tol=1e-5, abs_tol=1e-6), (slot, got, expected)


# Worked examples: (op, operands, value, partials), done by hand.
WORKED = [
    ("add", (2, 5), 7, (1, 1)),
    ("sub", (5, 3), 2, (1, -1)),
    ("sub", (3, 5), -2, (1, -1)),
    ("mul", (3, 2), 6, (2, 3)),
    ("div", (6, 3), 2, (1 / 3, -6 / 9)),
    ("div", (3, 6), 0.5, (1 / 6, -3 / 36)),
    ("pow", (2, 3), 8, (12, 8 * math.log(2))),
    ("pow", (3, 2), 9, (6, 9 * math.log(3))),
    ("max", (2, 7), 7, (0, 1)),
    ("max", (7, 2), 7, (1, 0)),
    ("min", (2, 7), 2, (1, 0)),
    ("min", (7, 2), 2, (0, 1)),
    ("neg", (4,), -4, (-1,)),
    ("exp", (0,), 1, (1,)),
    ("exp", (1,), math.e, (math.e,)),
    ("log", (math.e,), 1, (1 / math.e,)),
    ("log", (1,), 0, (1,)),
    ("sqrt", (4,), 2, (0.25,)),
    ("sin", (0,), 0, (1,)),
    ("cos", (0,), 1, (0,)),
    ("cos", (math.pi / 2,), math.cos(math.pi / 2), (-1,)),
    ("tanh", (0,), 0, (1,)),
    ("sigmoid", (0,), 0.5, (0.25,)),
    ("relu", (3,), 3, (1,)),
    ("relu", (-3,), 0, (0,)),
    ("relu", (0,), 0, (0,)),
    ("abs", (-3,), 3, (-1,)),
    ("abs", (3,), 3, (1,)),
    ("abs", (0,), 0, (0,)),
    ("pow", (-2, 3), -8, (12, None)),  # integer power of a negative base: ∂/∂x1 = ln(-2)·… is null
]


@pytest.mark.parametrize(("op", "operands", "value", "partials"), WORKED)
def test_worked_examples(op: str, operands: tuple, value: float, partials: tuple) -> None:
    g = one_op_graph(op, operands)
    for _ in range(3):
        ev = core.evaluate(g)
        assert ev.values["u"] == pytest.approx(value, abs=1e-15)
        for slot, expected in enumerate(partials):
            got = ev.grads[f"x{slot}"]
            if expected is None:
                assert got is None
                assert f"x{slot}" in ev.errors
            else:
                assert got == pytest.approx(expected, abs=1e-15)


# (a op b, d/da, d/db) and (b op a, d/db, d/da), with a = 5 and b = 3, done by hand.
SLOT_ORDER = {
    "sub": ((2.0, 1.0, -1.0), (-2.0, 1.0, -1.0)),
    "div": ((5 / 3, 1 / 3, -5 / 9), (3 / 5, 1 / 5, -3 / 25)),
    "pow": ((125.0, 75.0, 125 * math.log(5)), (243.0, 405.0, 243 * math.log(3))),
}


@pytest.mark.parametrize("op", sorted(SLOT_ORDER))
def test_slot_order_matters(op: str) -> None:
    """a op b and b op a differ, and each slot's partial goes to the node in that slot."""
    g = core.Graph()
    g.add_node("input", "a", value=5)
    g.add_node("input", "b", value=3)
    g.add_node(op, "ab", inputs=["a", "b"])
    g.add_node(op, "ba", inputs=["b", "a"])
    (ab, ab_da, ab_db), (ba, ba_db, ba_da) = SLOT_ORDER[op]
    g.set_output("ab")
    ev = core.evaluate(g)
    assert ev.values["ab"] == pytest.approx(ab)
    assert ev.values["ba"] == pytest.approx(ba)
    assert ev.grads["a"] == pytest.approx(ab_da)
    assert ev.grads["b"] == pytest.approx(ab_db)
    g.set_output("ba")
    ev = core.evaluate(g)
    assert ev.grads["b"] == pytest.approx(ba_db)
    assert ev.grads["a"] == pytest.approx(ba_da)
