"""dvar.Value: every op of the table, traced, agrees with core.evaluate of its graph
and with finite differences; numbers become constants; domain errors never raise."""

from __future__ import annotations

import math

import pytest

import dvar
from dvar import core
from dvar.core import bulk, tracer
from dvar.core.ops import _TABLE
from tests.core.helpers import central_difference

#: How a person reaches each op of the table with Values (x, y): operators,
#: dvar's functions and micrograd-style methods.
ROUTES = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y,
    "pow": lambda x, y: x**y,
    "max": lambda x, y: dvar.max(x, y),
    "min": lambda x, y: dvar.min(x, y),
    "neg": lambda x, y: -x,
    "exp": lambda x, y: x.exp(),
    "log": lambda x, y: dvar.log(x),
    "sqrt": lambda x, y: dvar.sqrt(x),
    "sin": lambda x, y: dvar.sin(x),
    "cos": lambda x, y: x.cos(),
    "tanh": lambda x, y: x.tanh(),
    "sigmoid": lambda x, y: dvar.sigmoid(x),
    "relu": lambda x, y: x.relu(),
    "abs": lambda x, y: abs(x),
}
BUILT_IN_OPS = [op.name for op in _TABLE if not op.is_leaf]
POINTS = [(0.7, 1.3), (1.9, 0.6), (-0.8, 2.0)]


def test_every_op_of_the_table_has_a_route() -> None:
    assert sorted(ROUTES) == sorted(BUILT_IN_OPS)


@pytest.mark.parametrize("op", BUILT_IN_OPS)
@pytest.mark.parametrize("point", POINTS, ids=str)
def test_each_op_matches_the_engine_and_finite_differences(op: str, point: tuple) -> None:
    x0, x1 = point
    if op in ("log", "sqrt", "pow") and x0 <= 0:  # real values, and a slope in y
        x0 = -x0
    x, y = dvar.Value(x0, "x"), dvar.Value(x1, "y")
    out = ROUTES[op](x, y)
    assert out.op == op
    graph = out.graph()
    ev = core.evaluate(graph)
    assert ev.values[graph.output] == out.data
    assert out.data is not None
    result = out.backward()
    assert result.values[graph.output] == out.data
    for leaf, value in ((x, x0), (y, x1)):
        if leaf not in out.operands:
            assert leaf.grad == 0.0
            continue
        assert leaf.grad == ev.grads[leaf.name]

        def f(t: float, leaf: dvar.Value = leaf) -> float:
            a = dvar.Value(t if leaf is x else x0)
            b = dvar.Value(t if leaf is y else x1)
            return ROUTES[op](a, b).data

        assert math.isclose(leaf.grad, central_difference(f, value), rel_tol=1e-6, abs_tol=1e-7)


def test_apply_reaches_any_op_by_name() -> None:
    x = dvar.Value(0.5, "x")
    for op in BUILT_IN_OPS:
        arity = core.OPS[op].arity
        v = dvar.apply(op, *([x, 2.0][:arity]))
        assert v.op == op
    with pytest.raises(ValueError, match="not an op"):
        dvar.apply("input", 1.0)
    with pytest.raises(TypeError, match="takes 2 operands"):
        dvar.apply("add", x)


@pytest.mark.parametrize(
    ("expression", "op", "order"),
    [
        (lambda x: 3 - x, "sub", "kx"),
        (lambda x: x - 3, "sub", "xk"),
        (lambda x: 2 / x, "div", "kx"),
        (lambda x: x**2, "pow", "xk"),
        (lambda x: 2**x, "pow", "kx"),
        (lambda x: 3 * x, "mul", "kx"),
        (lambda x: x + 1, "add", "xk"),
    ],
)
def test_numbers_on_either_side_become_constants_in_their_slot(expression, op, order) -> None:
    x = dvar.Value(4.0, "x")
    y = expression(x)
    assert y.op == op
    kinds = "".join("x" if a is x else "k" for a in y.operands)
    assert kinds == order
    constant = next(a for a in y.operands if a is not x)
    assert constant.op == "const"
    graph = y.graph()
    assert graph.node("k").op.name == "const"
    assert core.evaluate(graph).values[graph.output] == y.data


def test_unary_plus_is_the_value_itself_and_abs_is_an_op() -> None:
    x = dvar.Value(-2.0, "x")
    assert +x is x
    assert abs(x).data == 2.0
    assert dvar.abs(x).op == "abs"


def test_backward_fills_grad_like_micrograd() -> None:
    a, b, c = dvar.Value(5, "a"), dvar.Value(3, "b"), dvar.Value(2, "c")
    J = 3 * (a + b * c)
    J.backward()
    assert (J.data, J.grad, a.grad, b.grad, c.grad) == (33.0, 1.0, 3.0, 6.0, 9.0)
    b2 = b * b  # a Value used twice: both uses summed
    b2.backward()
    assert b.grad == 6.0


def test_a_domain_error_gives_no_value_and_says_why_without_raising() -> None:
    x = dvar.Value(-1.0, "x")
    y = dvar.log(x)
    z = y * 2 + x
    assert y.data is None and z.data is None
    assert "log of a negative number" in y.error
    assert z.error is not None
    assert x.error is None
    ev = z.backward()
    assert ev.values[z.graph().output] is None
    assert z.grad is None and x.grad is None
    assert "log of a negative number" in ev.errors[ev.output] or ev.errors
    assert dvar.sqrt(-4.0).data is None
    assert (dvar.Value(1.0) / 0).data is None
    assert (dvar.Value(1e300) * 1e300).data is None  # overflow: no finite value


def test_bad_operands_are_refused_clearly() -> None:
    x = dvar.Value(1.0, "x")
    with pytest.raises(TypeError):
        x + "2"  # noqa: B018
    with pytest.raises(TypeError, match="not bool"):
        x + True  # noqa: B018
    with pytest.raises(core.GraphError, match="finite"):
        x * math.nan  # noqa: B018
    with pytest.raises(core.GraphError, match="finite"):
        dvar.Value(math.inf)
    with pytest.raises(TypeError, match="name"):
        dvar.Value(1.0, 7)  # type: ignore[arg-type]


def test_the_graph_has_the_value_as_its_output_and_a_layout() -> None:
    x = dvar.Value(2.0, "x")
    y = x * x + 1
    g = y.graph()
    assert g.output == "J"  # an unnamed output
    assert [n.id for n in g.nodes_in_order()] == ["x", "xx", "k", "J"]
    assert g.node("xx").inputs == [g.key_of("x"), g.key_of("x")]
    assert all(n.x is not None and n.y is not None for n in g)
    assert core.loads(core.dumps(g)).output == "J"


def test_names_given_to_values_are_kept_and_made_unique() -> None:
    a, b = dvar.Value(1.0, "w"), dvar.Value(2.0, "w")
    odd = dvar.Value(3.0, "not an id")
    y = a + b + odd
    y.name = "total"
    g = y.graph()
    assert {n.id for n in g} >= {"w", "w_2", "total"}
    labelled = [n for n in g if n.label == "not an id"]
    assert len(labelled) == 1 and labelled[0].id == "x"


def test_big_graphs_get_no_positions() -> None:
    x = dvar.Value(0.5, "x")
    y = x
    for _ in range(bulk.LAYOUT_LIMIT):
        y = y * 1.0001 + x
    g = y.graph()
    assert len(g) > bulk.LAYOUT_LIMIT
    assert all(n.x is None for n in g)


def test_a_long_chain_needs_no_recursion() -> None:
    x = dvar.Value(0.0, "x")
    y = x
    for _ in range(30_000):
        y = y + 1
    y.backward()
    assert y.data == 30_000.0
    assert x.grad == 1.0
    assert len(tracer.ancestors(y)) == 60_001
