"""Automatic groups (core/autogroups.py): a traced graph grouped by the calls that made
it, a micrograd graph grouped by its model; both the same every time."""

from __future__ import annotations

import random

from micrograd.nn import MLP

import dvar
from benchmarks.moons import moons, moons_loss
from dvar import core
from dvar.core.groups import boundary, group_at, visible, walk


class Neuron:
    def __init__(self, nin: int, seed: int) -> None:
        rng = random.Random(seed)
        self.w = [dvar.Value(rng.uniform(-1, 1)) for _ in range(nin)]
        self.b = dvar.Value(0.0)

    def __call__(self, x):
        return sum((wi * xi for wi, xi in zip(self.w, x, strict=True)), self.b).relu()


class Layer:
    def __init__(self, nin: int, nout: int, seed: int) -> None:
        self.neurons = [Neuron(nin, seed + i) for i in range(nout)]

    def __call__(self, x):
        return [n(x) for n in self.neurons]


class Net:
    def __init__(self) -> None:
        self.layers = [Layer(2, 3, 0), Layer(3, 1, 10)]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x[0]


def batch_loss(model):
    scores = [model([1.0, 2.0]), model([0.5, -1.0]), model([2.0, 0.0])]
    total = sum(scores)
    return total * 0.5


def titles(graph: core.Graph) -> list[tuple[tuple[int, ...], str]]:
    return [(path, group.title) for path, group in walk(graph.groups)]


def test_a_trace_is_grouped_by_the_calls_that_made_its_nodes():
    graph = dvar.trace(batch_loss, model=Net())
    found = titles(graph)
    assert [t for p, t in found if len(p) == 1] == ["sample 1", "sample 2", "sample 3"]
    assert [t for p, t in found if p[:1] == (1,)] == [
        "sample 2",
        "Layer 1",
        "Neuron 1.1",
        "Neuron 1.2",
        "Neuron 1.3",
        "Layer 2",
        "Neuron 2.1",
    ]
    # Each neuron's group holds its relu: one output per neuron call, into the next layer.
    for _, group in walk(graph.groups):
        if group.title.startswith("Neuron"):
            ops = [graph.node(k).op.name for k in group.members]
            assert ops.count("relu") == 1
            assert not group.groups
    # The sum over the samples and the product with 0.5 were made by batch_loss itself.
    grouped = set().union(*(g.all_keys() for g in graph.groups))
    assert graph.output_key not in grouped
    assert not any(g.collapsed for _, g in walk(graph.groups))


def test_a_trace_groups_the_same_way_every_time():
    first = core.dumps(dvar.trace(batch_loss, model=Net()))
    second = core.dumps(dvar.trace(batch_loss, model=Net()))
    assert '"groups"' in first
    assert first == second


def test_the_lecture_traced_has_no_groups():
    def lecture(a, b, c):
        u = b * c
        v = a + u
        return 3 * v

    assert dvar.trace(lecture, a=5, b=3, c=2).groups == ()


def moons_graph(points: int = 6, seed: int = 3):
    random.seed(seed)
    model = MLP(2, [3, 2, 1])
    xs, ys = moons(points)
    loss = moons_loss(model, xs, ys)
    graph, node_of = dvar.from_micrograd(loss, model=model)
    return graph, node_of, model


def test_micrograd_with_a_model_opens_as_samples_losses_mean_and_regularisation():
    graph, node_of, model = moons_graph()
    assert [g.title for g in graph.groups] == [
        "6 samples",
        "losses",
        "mean",
        "regularisation",
        "parameters",
    ]
    assert all(g.collapsed for _, g in walk(graph.groups))
    shown, boxes = visible(graph)
    assert [graph.id_of(k) for k in shown] == [graph.output]
    assert boxes == [(i,) for i in range(5)]
    samples = graph.groups[0]
    assert [g.title for g in samples.groups] == [f"sample {i}" for i in range(1, 7)]
    assert [g.title for g in samples.groups[2].groups] == ["Layer 1", "Layer 2", "Layer 3"]
    assert [g.title for g in samples.groups[2].groups[1].groups] == ["Neuron 2.1", "Neuron 2.2"]
    # Each neuron's group uses that neuron's parameters, and only them.
    for s in range(6):
        for i, layer in enumerate(model.layers, 1):
            for j, neuron in enumerate(layer.neurons, 1):
                group = group_at(graph.groups, (0, s, i - 1, j - 1))
                assert group.title == f"Neuron {i}.{j}"
                own = {graph.key_of(node_of[p]) for p in neuron.parameters()}
                inputs, outputs = boundary(graph, group)
                params = {k for k in inputs if graph.node(k).op.name == "input"}
                assert own <= params
                assert len(outputs) == 1  # the neuron's activation on this sample
    # Every parameter is in the parameters group, by layer and neuron.
    parameters = graph.groups[4]
    assert parameters.all_keys() == {graph.key_of(node_of[p]) for p in model.parameters()}
    # ... and they are the graph's trainable parameters, and nothing else is.
    assert {n.key for n in graph if n.param} == parameters.all_keys()
    # A sample's loss term depends on that sample only.
    losses = graph.groups[1]
    assert [g.title for g in losses.groups] == [f"loss {i}" for i in range(1, 7)]


def test_micrograd_groups_are_the_same_every_time_and_change_no_number():
    first, _, _ = moons_graph()
    second, _, _ = moons_graph()
    assert core.dumps(first) == core.dumps(second)
    plain, _ = dvar.from_micrograd(moons_loss(*_plain_parts()))
    assert plain.groups == ()
    grouped, _, _ = moons_graph()
    assert core.evaluate(grouped).values == core.evaluate(first).values


def _plain_parts():
    random.seed(3)
    model = MLP(2, [3, 2, 1])
    xs, ys = moons(6)
    return model, xs, ys


def test_groups_made_later_hold_after_an_edit_and_a_save():
    graph, _, _ = moons_graph()
    expected = moons_graph()[0].groups
    a = graph.add_node("input", "extra", value=1.0)
    graph.connect(a, graph.add_node("relu", "r"), 0)  # the groups are made before this
    assert graph.groups == expected
    again = core.loads(core.dumps(graph))
    assert [g.title for _, g in walk(again.groups)] == [g.title for _, g in walk(expected)]


def test_the_moons_script_writes_a_grouped_file_the_same_every_time(tmp_path, monkeypatch):
    from benchmarks import moons as script

    paths = [tmp_path / "one.dvar", tmp_path / "two.dvar"]
    for path in paths:
        monkeypatch.setattr("sys.argv", ["moons.py", "--write", str(path), "--points", "4"])
        script.main()
    assert paths[0].read_bytes() == paths[1].read_bytes()
    graph = core.load(paths[0])
    assert [g.title for g in graph.groups][:3] == ["4 samples", "losses", "mean"]
    shown, boxes = visible(graph)
    assert len(shown) + len(boxes) <= 6  # a handful of units at the top level
