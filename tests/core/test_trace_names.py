"""dvar.trace: parameters become inputs, local variables name the nodes (the outermost
frame wins), the rest are named by the house rule, and each node knows its calls."""

from __future__ import annotations

import pytest

import dvar
from dvar import core
from dvar.core.tracing import call_chains, call_table


def lecture(a, b, c):
    u = b * c
    v = a + u
    J = 3 * v
    return J


def test_the_lecture_function_gives_the_lecture_graph() -> None:
    g = dvar.trace(lecture, a=5, b=3, c=2)
    assert [n.id for n in g.nodes_in_order()] == ["a", "b", "c", "u", "v", "k", "J"]
    assert g.output == "J"
    assert g.inputs_of("u") == ["b", "c"]
    assert g.inputs_of("v") == ["a", "u"]
    assert g.inputs_of("J") == ["k", "v"]
    assert g.node("k").op.name == "const" and g.node("k").value == 3.0
    assert g.is_inline_constant("k")
    ev = core.evaluate(g)
    assert ev.values["J"] == 33.0
    assert (ev.grads["a"], ev.grads["b"], ev.grads["c"]) == (3.0, 6.0, 9.0)
    assert ev.breakdown("b") == "db = du · ∂u/∂b = du · c = 3 · 2 = 6"
    assert all(n.x is not None for n in g)  # laid out
    # The same graph as the formula of the lecture, apart from positions.
    formula = core.graph_from_formula("u = b*c; v = a + u; J = 3*v", {"a": 5, "b": 3, "c": 2})
    assert _shape(g) == _shape(formula)


def _shape(g: core.Graph) -> list:
    return sorted((n.id, n.op.name, tuple(g.inputs_of(n.id)), n.value) for n in g)


def square_plus_one(t):
    sq = t * t
    out = sq + 1
    return out


def test_names_come_from_the_frame_where_a_value_was_made_and_the_outermost_wins() -> None:
    def f(x, y):
        h = square_plus_one(x)  # out in the helper, h here: h wins
        s = square_plus_one(y)
        return h * s  # returned without a name: J

    g = dvar.trace(f, x=1.5, y=2.0)
    ids = {n.id for n in g}
    assert {"x", "y", "h", "s", "sq", "sq_2", "J"} <= ids
    assert "out" not in ids and "t" not in ids  # the helper's parameter names nothing
    assert g.inputs_of("h")[0] == "sq"


def test_unnamed_values_get_readable_names_and_constants_k() -> None:
    def f(b, c, w, x):
        return (b * c + 2) * (w * x) - 1

    g = dvar.trace(f, b=1, c=2, w=3, x=4)
    ids = {n.id for n in g}
    assert {"bc", "wx", "k", "k_2", "J"} <= ids
    assert all(n.op.name != "const" or n.id.startswith("k") for n in g)


def test_a_value_reassigned_is_named_by_its_last_binding() -> None:
    def f(a):
        s = a * 2
        s = s + 1
        return s

    g = dvar.trace(f, a=1)
    assert g.output == "s"
    assert g.node(g.inputs_of("s")[0]).op.name == "mul"


def test_other_arguments_pass_through_and_defaults_apply() -> None:
    def f(x, weights, bias=0.5):
        total = bias
        for w in weights:
            total = total + w * x
        return total

    g = dvar.trace(f, x=2, weights=[1.0, 2.0])
    ev = core.evaluate(g)
    assert ev.values[g.output] == 6.5
    assert g.output == "total"


def test_bad_calls_are_refused_with_the_reason() -> None:
    with pytest.raises(TypeError, match="parameter 'c'"):
        dvar.trace(lecture, a=1, b=2)
    with pytest.raises(TypeError, match="no parameter 'd'"):
        dvar.trace(lecture, a=1, b=2, c=3, d=4)
    with pytest.raises(TypeError, match="not a dvar.Value"):
        dvar.trace(lambda a: 3, a=1)
    with pytest.raises(TypeError, match="needs a function"):
        dvar.trace(42)  # type: ignore[arg-type]


def test_an_exception_in_the_function_propagates_and_the_hook_is_gone() -> None:
    import sys

    def f(a):
        raise KeyError("boom")

    before = sys.getprofile()
    with pytest.raises(KeyError, match="boom"):
        dvar.trace(f, a=1)
    assert sys.getprofile() is before
    assert dvar.Value(1.0)._call == -1


class Neuron:
    def __init__(self, w):
        self.w = [dvar.Value(x) for x in w]

    def __call__(self, x):
        return sum((wi * xi for wi, xi in zip(self.w, x, strict=True)), dvar.Value(0.0)).tanh()


class Layer:
    def __init__(self, n):
        self.neurons = [Neuron([0.1 * (i + 1), -0.2]) for i in range(n)]

    def __call__(self, x):
        return [n(x) for n in self.neurons]


def test_each_node_remembers_the_calls_that_made_it() -> None:
    layer = Layer(2)

    def step(x0, x1, layer):
        outs = layer([x0, x1])
        loss = outs[0] + outs[1]
        return loss

    g = dvar.trace(step, x0=1.0, x1=2.0, layer=layer)
    chains = call_chains(g)
    tanh_keys = [n.key for n in g if n.op.name == "tanh"]
    assert len(tanh_keys) == 2
    for key in tanh_keys:
        assert chains[key] == ("step", "Layer.__call__", "Neuron.__call__")
    assert chains[g.key_of("loss")] == ("step",)
    inputs = [n for n in g if n.op.name == "input" and n.id not in ("x0", "x1")]
    weights = [n.key for n in inputs if n.value != 0.0]
    starts = [n.key for n in inputs if n.value == 0.0]  # sum's start, made in each call
    assert len(weights) == 4 and all(chains[k] == () for k in weights)  # made before
    assert len(starts) == 2 and all(chains[k][-1] == "Neuron.__call__" for k in starts)
    table = call_table(g)
    neuron_calls = {table.node_calls[k] for k in tanh_keys}
    assert len(neuron_calls) == 2  # one call per neuron: what a group needs
    assert call_chains(core.Graph()) == {}


def test_a_trace_inside_a_trace_gives_the_outer_one_its_hook_back() -> None:
    import sys

    def inner(p):
        q = p * 2
        return q

    def outer(a):
        g = dvar.trace(inner, p=3)
        b = a + core.evaluate(g).values["q"]
        return b

    before = sys.getprofile()
    g = dvar.trace(outer, a=1)
    assert sys.getprofile() is before
    assert g.output == "b" and core.evaluate(g).values["b"] == 7.0


def test_the_engines_own_functions_are_no_calls() -> None:
    def f(a):
        b = a * 2 + 1.5
        return dvar.exp(b)

    g = dvar.trace(f, a=1)
    assert call_table(g).qualnames == ("f",)
