"""Small helpers shared by the core tests: building graphs, snapshots, finite differences."""

from __future__ import annotations

import math
from collections.abc import Callable

from dvar import core


def build(spec: list[tuple], output: str | None = None) -> core.Graph:
    """A graph from ``[(id, op, value_or_inputs), ...]``: a number for a leaf, a list otherwise."""
    g = core.Graph()
    for node_id, op, arg in spec:
        if core.OPS[op].is_leaf:
            g.add_node(op, node_id, value=arg)
        else:
            g.add_node(op, node_id, inputs=arg)
    g.set_output(output)
    return g


def lecture() -> core.Graph:
    """The lecture's graph, J = 3(a + bc), loaded from the shipped example."""
    return core.load(core.examples()["lecture"])


def snapshot(g: core.Graph) -> tuple:
    """Everything a refused edit must leave alone: the saved text and the version counters."""
    return (
        core.dumps(g),
        g.version,
        g.structure_version,
        g.names_version,
        len(g),
        g.output,
        {n.id: n.key for n in g.nodes()},
    )


def central_difference(f: Callable[[float], float], x: float, h: float | None = None) -> float:
    """(f(x + h) - f(x - h)) / 2h, with h scaled to x."""
    if h is None:
        h = 1e-6 * max(1.0, abs(x))
    return (f(x + h) - f(x - h)) / (2 * h)


def output_as_function_of(g: core.Graph, leaf: str) -> Callable[[float], float]:
    """J as a function of one leaf's value, evaluated on an independent copy of ``g``."""
    work = core.loads(core.dumps(g))
    out = work.output

    def f(x: float) -> float:
        work.set_value(leaf, x)
        value = core.evaluate(work).values[out]
        assert value is not None, f"J has no value at {leaf} = {x}"
        return value

    return f


def close(a: float | None, b: float | None, rel: float = 1e-9, abs_: float = 1e-12) -> bool:
    """Both None, or both numbers within tolerance."""
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_)
