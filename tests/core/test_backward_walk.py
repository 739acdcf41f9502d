"""The interpreter walks the canonical backward order while it sums (one pass); the
order it leaves behind must be the one a plan works out on its own."""

import random

from dvar.core import engine
from dvar.core.graph import Graph
from dvar.core.plan import Plan

OPS = ("add", "mul", "sub", "tanh", "sigmoid")


def _random_graph(seed: int, size: int = 60) -> Graph:
    rng = random.Random(seed)
    g = Graph()
    ids = []
    for i in range(4):
        ids.append(g.add_node("input", f"x{i}", value=rng.uniform(-1, 1)))
    ids.append(g.add_node("const", "k", value=2.0))
    for i in range(size):
        op = rng.choice(OPS)
        arity = 1 if op in ("tanh", "sigmoid") else 2
        inputs = [rng.choice(ids) for _ in range(arity)]
        ids.append(g.add_node(op, f"n{i}", inputs=inputs))
    g.set_output(ids[-1])
    return g


def test_the_walk_an_interpreted_run_leaves_is_the_plans_own_order():
    for seed in range(25):
        g = _random_graph(seed)
        ev = engine.evaluate(g, compile=False)  # interpreted: walks while it sums
        walked = g.cached_plan.backward_order()
        fresh = Plan(g)  # never run: works the order out by itself
        assert walked == fresh.backward_order(), seed
        assert ev.order == [fresh.names[i] for i in fresh.backward_order()]


def test_a_run_that_gives_up_half_way_leaves_the_order_whole():
    g = Graph()
    g.add_node("input", "x", value=0.0)
    g.add_node("input", "y", value=1.0)
    g.add_node("sqrt", "q", inputs=["x"])  # √0 = 0, but its partial 1/(2√0) is not finite
    g.add_node("mul", "p", inputs=["q", "y"])
    g.add_node("add", "J", inputs=["p", "y"])
    g.set_output("J")
    ev = engine.evaluate(g, compile=False)  # the fast path gives up in the backward pass
    assert ev.values["q"] == 0.0 and ev.grads["x"] is None and ev.errors
    assert g.cached_plan.backward_order() == Plan(g).backward_order()
