"""micrograd's "moons" demo as data: the points and one training step's loss.

The benchmark (import_micrograd.py) and the tests (tests/core/test_micrograd_import.py)
both build the same graph from here.  Only micrograd is needed, no sklearn.

``python benchmarks/moons.py --write FILE`` saves that graph as a ``.dvar`` file,
grouped by the model (samples, layers, neurons, all collapsed): opened in dvar its
top level reads "100 samples → losses → mean + regularisation".
"""

from __future__ import annotations

import argparse
import math
import random

from micrograd.engine import Value
from micrograd.nn import MLP


def moons(n: int = 100, seed: int = 1) -> tuple[list[tuple[float, float]], list[int]]:
    """Two interleaving half circles with noise, labels 1 and -1 (as sklearn's make_moons)."""
    rng = random.Random(seed)
    points, labels = [], []
    for i in range(n):
        t = math.pi * rng.random()
        if i % 2:
            x, y, label = 1 - math.cos(t), 0.5 - math.sin(t), -1
        else:
            x, y, label = math.cos(t), math.sin(t), 1
        points.append((x + rng.gauss(0, 0.1), y + rng.gauss(0, 0.1)))
        labels.append(label)
    return points, labels


def moons_loss(model: MLP, points, labels) -> Value:
    """micrograd's demo loss: max-margin over the batch plus L2 regularisation."""
    inputs = [list(map(Value, p)) for p in points]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(labels, scores, strict=True)]
    data_loss = sum(losses) * (1.0 / len(losses))
    alpha = 1e-4
    reg_loss = alpha * sum(p * p for p in model.parameters())
    return data_loss + reg_loss


def moons_graph(n: int = 100, seed: int = 1337):
    """The moons step as a dvar graph, grouped by its model (``from_micrograd(loss, model=)``)."""
    from dvar import core

    random.seed(seed)
    model = MLP(2, [16, 16, 1])
    points, labels = moons(n)
    graph, _ = core.from_micrograd(moons_loss(model, points, labels), model=model)
    return graph


def main() -> None:
    parser = argparse.ArgumentParser(description="Write micrograd's moons step as a .dvar file.")
    parser.add_argument("--write", metavar="FILE", required=True, help="the .dvar file to write")
    parser.add_argument("--points", type=int, default=100, help="data points (default 100)")
    options = parser.parse_args()
    from dvar import core

    graph = moons_graph(options.points)
    core.save(graph, options.write)
    print(f"{options.write}: {len(graph):,} nodes, {len(graph.groups)} groups at the top level")


if __name__ == "__main__":
    main()
