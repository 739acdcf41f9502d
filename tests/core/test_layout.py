"""Automatic layout: layered, few crossings, on the grid, no overlaps, no recursion."""

from __future__ import annotations

import random

import pytest

from dvar import core
from dvar.core.layout import GRID, LAYER_SPACING, NODE_HEIGHT, NODE_WIDTH, arrange, layered_layout
from tests.core.helpers import build, lecture


def overlapping(positions: dict[int, tuple[float, float]]) -> list[tuple[int, int]]:
    """Pairs of node boxes that overlap (sweeping by x keeps this fast)."""
    found = []
    items = sorted(positions.items(), key=lambda item: item[1])
    for i, (k1, (x1, y1)) in enumerate(items):
        for k2, (x2, y2) in items[i + 1 :]:
            if x2 - x1 >= NODE_WIDTH:
                break
            if abs(y2 - y1) < NODE_HEIGHT:
                found.append((k1, k2))
    return found


def on_grid(positions: dict[int, tuple[float, float]]) -> bool:
    return all(x % GRID == 0 and y % GRID == 0 for x, y in positions.values())


def layers_of(positions: dict[int, tuple[float, float]]) -> list[list[int]]:
    """Node keys by column, each column top to bottom."""
    columns: dict[float, list[int]] = {}
    for key, (x, _) in positions.items():
        columns.setdefault(x, []).append(key)
    return [sorted(columns[x], key=lambda k: positions[k][1]) for x in sorted(columns)]


def crossings(graph: core.Graph, layers: list[list[int]]) -> int:
    """Crossings among edges joining neighbouring layers, for the given orders."""
    total = 0
    for upper, lower in zip(layers, layers[1:], strict=False):
        top = {k: i for i, k in enumerate(upper)}
        edges = [
            (top[src], j)
            for j, key in enumerate(lower)
            for src in dict.fromkeys(graph.node(key).inputs)
            if src in top
        ]
        total += sum(
            1
            for i, (a1, b1) in enumerate(edges)
            for a2, b2 in edges[i + 1 :]
            if (a1 - a2) * (b1 - b2) < 0
        )
    return total


def random_layered_dag(seed: int, depth: int = 6, width: int = 8) -> core.Graph:
    """Inputs in layer 0; every later node takes both operands from the layer before,
    and every node is used by the next layer, so each edge joins neighbouring layers."""
    rng = random.Random(seed)
    g = core.Graph()
    with g.batch():
        previous = [g.add_node("input", f"x{i}", value=1.0) for i in range(width)]
        for level in range(1, depth):
            size = width if level < depth - 1 else 1
            current = []
            unused = previous[:]
            rng.shuffle(unused)
            for i in range(size):
                first = unused.pop() if unused else rng.choice(previous)
                second = unused.pop() if unused and i == size - 1 else rng.choice(previous)
                current.append(g.add_node("add", f"n{level}_{i}", inputs=[first, second]))
            for left in unused:  # make sure every node of the layer before is used
                current.append(g.add_node("mul", f"n{level}_{len(current)}", inputs=[left, left]))
            previous = current
        g.set_output(previous[-1])
    return g


def test_lecture_graph_is_laid_out_like_the_slide() -> None:
    g = lecture()
    positions = {g.id_of(k): p for k, p in layered_layout(g).items()}
    assert set(positions) == {"a", "b", "c", "u", "v", "three", "J"}
    xs = {name: x for name, (x, _) in positions.items()}
    left, right = min(xs.values()), max(xs.values())
    assert xs["a"] == xs["b"] == xs["c"] == left == 0
    assert xs["J"] == right
    assert xs["u"] < xs["v"] < xs["J"]
    assert xs["three"] == xs["J"] - LAYER_SPACING  # the constant sits just left of J
    ys = {name: y for name, (_, y) in positions.items()}
    assert ys["a"] < ys["b"] < ys["c"]  # operand order, as on the slide
    assert ys["three"] < ys["v"]  # slot 0 of J above slot 1
    assert ys["b"] <= ys["u"] <= ys["c"]  # u between the nodes it multiplies
    assert min(ys.values()) == 0
    assert overlapping(layered_layout(g)) == []
    assert on_grid(layered_layout(g))


def test_layout_does_not_change_the_graph() -> None:
    g = lecture()
    before = core.dumps(g)
    layered_layout(g)
    arrange(g)
    assert core.dumps(g) == before


@pytest.mark.parametrize("seed", range(8))
def test_barycenter_sweeps_beat_a_random_order(seed: int) -> None:
    g = random_layered_dag(seed)
    positions = layered_layout(g)
    layers = layers_of(positions)
    # every edge joins neighbouring layers, as the graph was made
    column = {k: i for i, layer in enumerate(layers) for k in layer}
    for node in g:
        for src in node.inputs:
            assert column[node.key] == column[src] + 1
    rng = random.Random(seed)
    shuffled = [rng.sample(layer, len(layer)) for layer in layers]
    in_order = [sorted(layer) for layer in layers]  # the order the nodes were made in
    found = crossings(g, layers)
    assert found <= crossings(g, shuffled)
    assert found <= crossings(g, in_order)
    assert overlapping(positions) == []


def test_barycenter_sweeps_remove_most_crossings() -> None:
    graphs = [random_layered_dag(seed, depth=5, width=10) for seed in range(10)]
    ours = sum(crossings(g, layers_of(layered_layout(g))) for g in graphs)
    rng = random.Random(1)
    shuffled = sum(
        crossings(g, [rng.sample(layer, len(layer)) for layer in layers_of(layered_layout(g))])
        for g in graphs
    )
    assert ours < 0.6 * shuffled


def test_a_tree_has_no_crossings() -> None:
    g = core.graph_from_formula("J = (a*b + c*d) * (e*f - g*h)")
    assert crossings(g, layers_of(layered_layout(g))) == 0


@pytest.mark.parametrize("seed", range(20))
def test_random_graphs_operands_left_no_overlap_on_grid(seed: int) -> None:
    rng = random.Random(seed)
    g = core.Graph()
    ids: list[str] = []
    for i in range(rng.randrange(1, 60)):
        roll = rng.random()
        if not ids or roll < 0.2:
            ids.append(g.add_node("input", f"x{i}", value=1.0))
        elif roll < 0.3:
            ids.append(g.add_node("const", f"k{i}", value=2.0))
        elif roll < 0.45:
            ids.append(g.add_node("tanh", f"t{i}", inputs=[rng.choice(ids)]))
        elif roll < 0.5:
            ids.append(g.add_node("mul", f"m{i}", inputs=[rng.choice(ids), None]))  # empty slot
        else:
            op = rng.choice(["add", "mul", "sub", "max"])
            ids.append(g.add_node(op, f"n{i}", inputs=[rng.choice(ids), rng.choice(ids)]))
    positions = layered_layout(g)
    assert set(positions) == {n.key for n in g}
    assert overlapping(positions) == []
    assert on_grid(positions)
    assert min(x for x, _ in positions.values()) == 0
    assert min(y for _, y in positions.values()) == 0
    for node in g:
        x = positions[node.key][0]
        if node.op.name == "input":
            assert x == 0
        for src in node.inputs:
            if src is not None:
                assert positions[src][0] < x


def test_a_long_chain_has_no_recursion() -> None:
    g = core.Graph()
    with g.batch():
        previous = g.add_node("input", "x", value=0.5)
        for i in range(100_000 - 1):
            previous = g.add_node("tanh", f"t{i}", inputs=[previous])
    positions = layered_layout(g)
    assert len(positions) == 100_000
    xs = [positions[k][0] for k in g.topological_keys()]
    assert xs == [i * LAYER_SPACING for i in range(100_000)]
    assert {y for _, y in positions.values()} == {0.0}


def test_a_wide_graph_with_long_edges_stays_linear() -> None:
    """Like the benchmark graph: a long chain whose ops also use random earlier nodes."""
    rng = random.Random(3)
    g = core.Graph()
    with g.batch():
        ids = [g.add_node("input", f"x{i}", value=1.0) for i in range(100)]
        for k in range(5_000):
            ids.append(g.add_node("add", f"n{k}", inputs=[ids[-1], rng.choice(ids)]))
    positions = layered_layout(g)
    assert len(positions) == len(g)
    assert overlapping(positions) == []


def test_repeated_operands_and_isolated_nodes() -> None:
    g = build([("x", "input", 2), ("sq", "mul", ["x", "x"]), ("lonely", "const", 1)], "sq")
    positions = {g.id_of(k): p for k, p in layered_layout(g).items()}
    assert positions["x"][0] < positions["sq"][0]
    assert positions["lonely"][0] == 0
    assert layered_layout(core.Graph()) == {}
    assert arrange(core.Graph()) == {}


def test_subset_is_laid_out_on_its_own() -> None:
    g = lecture()
    subset = [g.key_of("u"), g.key_of("b"), "c"]
    positions = layered_layout(g, subset)
    assert set(positions) == {g.key_of(n) for n in ("u", "b", "c")}
    assert positions[g.key_of("b")][0] == positions[g.key_of("c")][0] == 0
    assert positions[g.key_of("u")][0] == LAYER_SPACING
    with pytest.raises(core.GraphError):
        layered_layout(g, ["nope"])


def test_arrange_keeps_the_diagram_where_it_was() -> None:
    g = lecture()
    for node in g:
        g.set_position(node.key, node.x + 1000, node.y + 500)
    left = min(n.x for n in g)
    top = min(n.y for n in g)
    moved = arrange(g)
    assert set(moved) == {n.key for n in g}
    assert min(x for x, _ in moved.values()) == round(left / GRID) * GRID
    assert min(y for _, y in moved.values()) == round(top / GRID) * GRID
    assert on_grid(moved)
    assert overlapping(moved) == []


def test_arrange_a_subset_leaves_the_others_alone() -> None:
    g = lecture()
    with g.batch():
        g.add_node("input", "p", value=1.0)
        g.add_node("exp", "q", inputs=["p"])
        g.add_node("add", "r", inputs=["q", "J"])
    before = {n.id: (n.x, n.y) for n in g}
    new = [g.key_of(name) for name in ("p", "q", "r")]
    moved = arrange(g, new)
    assert set(moved) == set(new)
    assert {n.id: (n.x, n.y) for n in g} == before  # nothing applied yet
    every = {n.key: (n.x, n.y) for n in g if n.x is not None}
    every.update(moved)
    assert overlapping(every) == []
    bottom = max(n.y for n in g if n.x is not None)
    assert all(y > bottom for _, y in moved.values())  # below the diagram
    assert on_grid(moved)
    # laid out again when they already have positions: they stay where they were
    for key, (x, y) in moved.items():
        g.set_position(key, x, y)
    assert arrange(g, new) == moved


@pytest.mark.parametrize("seed", range(10))
def test_the_crossing_count_the_sweeps_keep_the_best_by_is_exact(seed: int) -> None:
    from dvar.core.layout import _crossings

    rng = random.Random(seed)
    sizes = [rng.randrange(1, 7) for _ in range(5)]
    layers, start = [], 0
    for size in sizes:
        row = list(range(start, start + size))
        rng.shuffle(row)
        layers.append(row)
        start += size
    vlayer = [depth for depth, size in enumerate(sizes) for _ in range(size)]
    down: list[list[int]] = [[] for _ in vlayer]
    for upper, lower in zip(layers, layers[1:], strict=False):
        for u in upper:
            down[u] = rng.sample(lower, rng.randrange(0, len(lower) + 1))
    brute = 0
    for upper, lower in zip(layers, layers[1:], strict=False):
        where = {v: i for i, v in enumerate(lower)}
        edges = [(i, where[w]) for i, u in enumerate(upper) for w in down[u]]
        brute += sum(
            1
            for k, (a1, b1) in enumerate(edges)
            for a2, b2 in edges[k + 1 :]
            if (a1 - a2) * (b1 - b2) < 0
        )
    assert _crossings(layers, down, vlayer) == brute
