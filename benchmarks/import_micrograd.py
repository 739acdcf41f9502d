"""dvar.from_micrograd against micrograd itself, on one training step of the moons demo.

Usage: ``python benchmarks/import_micrograd.py [--rounds N]``

The graph: micrograd's demo, an MLP(2, [16, 16, 1]) on 100 "moons" points (made
here, without sklearn), the SVM max-margin loss plus L2 regularisation: about
66,000 nodes.  First it checks that dvar's derivative of every parameter equals
micrograd's ``.grad`` (relative 1e-9).  Then, in interleaved rounds, each sample
right after ``gc.collect()`` with Python's default garbage collection, and no
other large graph alive:

- micrograd: the forward pass (building the loss) and ``backward()``: the peer;
- ``from_micrograd(loss, model=model)`` (grouped by samples, layers and neurons,
  as the moons file opens) and the first ``core.evaluate`` of the graph (target
  at most 0.5 of the peer), with the two parts on rows of their own; the groups
  are made when first read (``Graph.group_later``), so for information a row of
  their own times that first read;
- a value edit: ``set_value`` of one weight and ``core.evaluate`` on the imported
  graph, the micrograd graph gone, each evaluation kept until the next replaces it
  as the editor does (target at most 0.1 of the peer);
- for information, the ``gc.collect()`` right after an import: the collection the
  import leaves for later (it builds with the collector paused).

Medians of the rounds (7 by default), wall clock (what the targets judge) and the
process's CPU time beside it (a busy shared machine stretches the wall clock of
one side more than the other's).  Exit status 1 if the derivatives disagree.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import sys
import time

from common import format_seconds, median, print_table, run_with_big_stack
from micrograd.nn import MLP
from moons import moons, moons_loss

from dvar import core

IMPORT_TARGET = 0.5
EDIT_TARGET = 0.1


def check(model: MLP, points, labels) -> int:
    """Nodes in the graph; exits with status 1 if a derivative differs from micrograd's."""
    loss = moons_loss(model, points, labels)
    model.zero_grad()
    loss.backward()
    graph, node_of = core.from_micrograd(loss, model=model)
    ev = core.evaluate(graph)
    for p in model.parameters():
        if not math.isclose(ev.grads[node_of[p]], p.grad, rel_tol=1e-9):
            sys.exit(f"derivatives differ at {node_of[p]}: {ev.grads[node_of[p]]} vs {p.grad}")
    return len(graph)


def run(rounds: int) -> None:
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    points, labels = moons()
    size = check(model, points, labels)
    keys = ("micrograd", "import", "evaluate", "both", "groups", "collect", "edit")
    wall: dict[str, list[float]] = {k: [] for k in keys}
    cpu: dict[str, list[float]] = {k: [] for k in keys}
    weight = model.layers[1].neurons[3].w[5]

    def clock() -> tuple[float, float]:
        return time.perf_counter(), time.process_time()

    def note(key: str, start: tuple[float, float], end: tuple[float, float]) -> None:
        wall[key].append(end[0] - start[0])
        cpu[key].append(end[1] - start[1])

    for r in range(rounds):
        # micrograd: forward + backward, the previous graph already gone.
        gc.collect()
        start = clock()
        loss = moons_loss(model, points, labels)
        loss.backward()
        note("micrograd", start, clock())
        # dvar: import + first evaluate of that very graph.
        gc.collect()
        start = clock()
        graph, node_of = core.from_micrograd(loss, model=model)
        middle = clock()
        ev = core.evaluate(graph)
        end = clock()
        note("import", start, middle)
        note("evaluate", middle, end)
        note("both", start, end)
        start = clock()
        assert graph.groups
        note("groups", start, clock())
        start = clock()
        gc.collect()
        note("collect", start, clock())
        # A value edit on the imported graph, with micrograd's graph gone.
        weight_id = node_of[weight]
        del loss, node_of
        gc.collect()
        value = weight.data + 0.001 * (r + 1)
        start = clock()
        graph.set_value(weight_id, value)
        ev = core.evaluate(graph)
        note("edit", start, clock())
        assert ev.values[weight_id] == value
        del graph, ev
    peer, peer_cpu = median(wall["micrograd"]), median(cpu["micrograd"])
    rows = []
    for key, label, target in (
        ("micrograd", "micrograd forward + backward (peer)", None),
        ("import", "from_micrograd, grouped", None),
        ("evaluate", "first evaluate", None),
        ("both", "from_micrograd + first evaluate", IMPORT_TARGET),
        ("groups", "groups, at their first read (information)", None),
        ("collect", "gc.collect() after the import (information)", None),
        ("edit", "value edit (one weight) + evaluate", EDIT_TARGET),
    ):
        m, c = median(wall[key]), median(cpu[key])
        ratio = m / peer
        verdict = "" if target is None else ("PASS" if ratio <= target else "MISS")
        rows.append(
            (
                label,
                format_seconds(m),
                f"{ratio:.3f}",
                format_seconds(c),
                f"{c / peer_cpu:.3f}",
                "" if target is None else f"≤ {target}",
                verdict,
            )
        )
    print(f"moons step: MLP(2, [16, 16, 1]), 100 points, {size:,} nodes; median of {rounds}")
    header = ("row", "wall", "ratio", "cpu", "cpu ratio", "target", "")
    print_table(header, rows, right={1, 2, 3, 4})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="samples per row (default 7)")
    options = parser.parse_args()
    run_with_big_stack(lambda: run(options.rounds))


if __name__ == "__main__":
    main()
