"""Random edit sequences: the incremental model and compiled plans agree with a fresh load,
and with finite differences of an evaluator written here.

The engine keeps a topological order up to date edit by edit, reuses plans across
value edits and compiles them on the second evaluation of one structure.  A graph
re-read from its own saved text goes through none of that history, so it is the
reference.
"""

from __future__ import annotations

import math
import struct

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dvar import core
from tests.core.helpers import snapshot
from tests.oracle import REFERENCE
from tests.profiles import scaled


def bits(x: float | None) -> str | None:
    """A float's exact bit pattern (so -0.0 and 0.0 differ), or None."""
    return None if x is None else struct.pack("<d", x).hex()


ALL_OPS = [name for name, op in core.OPS.items() if not op.is_leaf]
SMOOTH_OPS = ["add", "sub", "mul", "neg", "sin", "cos", "tanh", "sigmoid"]
VALUES = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
# Weighted: graphs should grow, and most of them should have an output.
EDITS = ["add_leaf", "add_op", "add_op", "add_op", "connect", "connect", "connect"]
EDITS += ["disconnect", "remove", "set_value", "output", "output", "rename", "batch", "rollback"]


class Abandon(Exception):
    """Raised inside a batch to make it roll back."""


def random_edit(
    g: core.Graph, data: st.DataObject, ops: list[str], counter: list[int], nested: bool = False
) -> None:
    """Apply one random edit; an edit the graph refuses must leave it unchanged.

    Listeners hear one call for a top-level edit that changed anything, none otherwise,
    and none for a batch that rolled back.
    """
    heard: list[list[core.Event]] = []
    if not nested:
        g.subscribe(heard.append)
    version = g.version
    try:
        kind = _edit(g, data, ops, counter, nested)
    finally:
        if not nested:
            g.unsubscribe(heard.append)
    if not nested:
        assert len(heard) == (1 if g.version != version and kind != "rollback" else 0)


def _edit(
    g: core.Graph, data: st.DataObject, ops: list[str], counter: list[int], nested: bool
) -> str:
    nodes = [n.id for n in g.nodes()]
    leaves = [n.id for n in g.nodes() if n.op.is_leaf]
    kinds = [k for k in EDITS if not nested or k not in ("batch", "rollback")]
    kind = data.draw(st.sampled_from(kinds if nodes else ["add_leaf"]), label="edit")
    counter[0] += 1
    fresh = f"n{counter[0]}"
    before = snapshot(g)
    try:
        if kind == "add_leaf":
            op = data.draw(st.sampled_from(["input", "const"]))
            g.add_node(op, fresh, value=data.draw(VALUES))
        elif kind == "add_op":
            op = data.draw(st.sampled_from(ops))
            arity = core.OPS[op].arity
            sources = data.draw(
                st.lists(st.sampled_from([None, *nodes]), min_size=arity, max_size=arity)
            )
            g.add_node(op, fresh, inputs=sources)
        elif kind == "connect":
            empty = [(n.id, s) for n in g.nodes() for s, k in enumerate(n.inputs) if k is None]
            if empty:
                consumer, slot = data.draw(st.sampled_from(empty))
                g.connect(data.draw(st.sampled_from(nodes)), consumer, slot)
        elif kind == "disconnect":
            full = [(n.id, s) for n in g.nodes() for s, k in enumerate(n.inputs) if k is not None]
            if full:
                g.disconnect(*data.draw(st.sampled_from(full)))
        elif kind == "remove":
            g.remove_node(data.draw(st.sampled_from(nodes)))
        elif kind == "set_value":
            if leaves:
                g.set_value(data.draw(st.sampled_from(leaves)), data.draw(VALUES))
        elif kind == "output":
            g.set_output(data.draw(st.sampled_from([None, *nodes])))
        elif kind == "batch":
            with g.batch():
                for _ in range(data.draw(st.integers(1, 4))):
                    random_edit(g, data, ops, counter, nested=True)
        elif kind == "rollback":
            try:
                with g.batch():
                    for _ in range(data.draw(st.integers(1, 4))):
                        random_edit(g, data, ops, counter, nested=True)
                    raise Abandon
            except Abandon:
                pass
            assert snapshot(g)[0] == before[0]
            assert {n.id: n.key for n in g.nodes()} == before[-1]
        else:
            g.rename(data.draw(st.sampled_from(nodes)), fresh)
    except core.GraphError as error:
        assert "cycle" in str(error) or "itself" in str(error), error
        assert snapshot(g) == before
    return kind


def check_against_fresh_load(g: core.Graph, ev: core.Evaluation) -> None:
    ref_graph = core.loads(core.dumps(g))
    ref = core.evaluate(ref_graph)
    ids = {n.id for n in g.nodes()}
    assert set(ev.values) == ids and set(ev.grads) == ids
    assert {i: g.inputs_of(i) for i in ids} == {i: ref_graph.inputs_of(i) for i in ids}
    edges = {
        (s, n.key, slot) for n in g.nodes() for slot, s in enumerate(n.inputs) if s is not None
    }
    assert set(g.nx.edges(keys=True)) == edges and set(g.nx.nodes) == {n.key for n in g.nodes()}
    assert ev.output == ref.output == g.output
    for node in ids:
        # One graph, one answer: bit-identical, sign of zero included.
        assert bits(ev.values[node]) == bits(ref.values[node]), node
        assert bits(ev.grads[node]) == bits(ref.grads[node]), node
        assert ev.error(node) == ref.error(node)
        # The chain rule reads the same, though keys here follow the order of the edits
        # and keys there the order of the file.
        shape = [(t.consumer, t.slot, t.partial_text) for t in ev.terms(node)]
        assert shape == [(t.consumer, t.slot, t.partial_text) for t in ref.terms(node)]
        assert ev.breakdown(node) == ref.breakdown(node)
    assert set(ev.errors) == set(ref.errors)
    assert sorted(ev.order) == sorted(ids)
    if g.output is not None:
        # The part of the backward order that reaches the output depends only on structure.
        reaching = len(nx.ancestors(g.nx, g.key_of(g.output))) + 1
        assert ev.order[:reaching] == ref.order[:reaching]
        assert ev.order[0] == g.output


def evaluate_repeatedly(g: core.Graph, data: st.DataObject) -> None:
    """Evaluate one structure several times, with a value edit before the last time.

    By default the plan compiles on the second evaluation; an interactive caller
    evaluates with ``compile=False`` and compiles with ``prepare`` when idle.
    """
    leaves = [n.id for n in g.nodes() if n.op.is_leaf]
    interactive = data.draw(st.booleans(), label="interactive")
    for round_ in range(4):
        if round_ == 3 and leaves:  # a value edit keeps the (by now compiled) plan
            g.set_value(data.draw(st.sampled_from(leaves)), data.draw(VALUES))
        if interactive and round_ == 2:
            core.prepare(g)
        check_against_fresh_load(g, core.evaluate(g, compile=not interactive))


@settings(max_examples=scaled(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_edits_agree_with_a_fresh_load(data: st.DataObject) -> None:
    g = core.Graph()
    counter = [0]
    for _ in range(data.draw(st.integers(1, 3), label="leaves")):
        random_edit(g, data, ALL_OPS, counter)  # the first edits of an empty graph add leaves
    for _ in range(data.draw(st.integers(1, 40), label="edits")):
        random_edit(g, data, ALL_OPS, counter)
        evaluate_repeatedly(g, data)


# ------------------------------------------------ finite differences on random graphs
def reference_output(g: core.Graph, leaf_values: dict[str, float]) -> float:
    """J computed here, from the REFERENCE functions, in networkx's topological order."""
    values: dict[int, float] = {}
    for key in nx.topological_sort(g.nx):
        node = g.node(key)
        if node.op.is_leaf:
            values[key] = leaf_values[node.id]
        else:
            values[key] = REFERENCE[node.op.name](*(values[k] for k in node.inputs))
    return values[g.key_of(g.output)]


@settings(max_examples=scaled(40), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_smooth_graphs_match_finite_differences(data: st.DataObject) -> None:
    g = core.Graph()
    counter = [0]
    g.add_node("input", "x0", value=data.draw(VALUES))
    for _ in range(data.draw(st.integers(1, 30), label="edits")):
        random_edit(g, data, SMOOTH_OPS, counter)
    leaves = [n.id for n in g.nodes() if n.op.is_leaf]
    if not leaves:
        g.add_node("input", "x0", value=1.0)
        leaves = ["x0"]
    for node in g.nodes():  # fill every empty slot with a leaf: leaves never close a cycle
        for slot, src in enumerate(node.inputs):
            if src is None:
                g.connect(data.draw(st.sampled_from(leaves)), node.id, slot)
    computed = [n.id for n in g.nodes() if not n.op.is_leaf]
    g.set_output(computed[-1] if computed else leaves[0])

    point = {n.id: n.value for n in g.nodes() if n.op.is_leaf}
    for _ in range(3):
        ev = core.evaluate(g)
        assert ev.errors == {}
        assert math.isclose(
            ev.values[g.output], reference_output(g, point), rel_tol=1e-12, abs_tol=1e-12
        )
        for leaf, x in point.items():
            h = 1e-6

            def f(t: float, leaf: str = leaf) -> float:
                return reference_output(g, {**point, leaf: t})

            fd = (f(x + h) - f(x - h)) / (2 * h)
            grad = ev.grads[leaf]
            assert grad is not None
            assert math.isclose(grad, fd, rel_tol=1e-5, abs_tol=1e-5), (leaf, grad, fd)
