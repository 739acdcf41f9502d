"""What the benchmarks share: the random graphs, micrograd's missing tanh, timing, the table.

A benchmark graph is plain data (a :class:`Spec`): 100 inputs with random values,
then N ops of add, mul and tanh.  Each op reads the op before it and, for add and
mul, a random earlier node.  The same Spec builds a dvar Graph and a micrograd
graph, so both engines always work on the very same computation.
"""

from __future__ import annotations

import gc
import math
import random
import statistics
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from dvar import core

try:
    from micrograd.engine import Value
except ModuleNotFoundError:
    sys.exit("the benchmarks need micrograd, the bench extra: pip install -e '.[bench]'")

INPUTS = 100
OP_NAMES = ("add", "mul", "tanh")
#: micrograd's backward pass recurses once per node of the path it walks.
RECURSION_LIMIT = 1_000_000
STACK_BYTES = 512 * 1024 * 1024

T = TypeVar("T")


@dataclass(frozen=True)
class Spec:
    """A benchmark graph: input values, then ops as (name, operand, operand or None).

    Operands are positions: 0-99 are the inputs, 100 + k is op k.  The output is the last op.
    """

    values: list[float]
    ops: list[tuple[str, int, int | None]]

    @property
    def size(self) -> int:
        """The number of ops (N)."""
        return len(self.ops)

    def __len__(self) -> int:
        return len(self.values) + len(self.ops)


def make_spec(n: int, seed: int = 0) -> Spec:
    """The benchmark graph with ``n`` ops; the same ``n`` and ``seed`` give the same graph."""
    rng = random.Random(seed * 1_000_003 + n)
    values = [rng.uniform(-1.0, 1.0) for _ in range(INPUTS)]
    ops: list[tuple[str, int, int | None]] = []
    for k in range(n):
        previous = INPUTS + k - 1
        name = rng.choice(OP_NAMES)
        other = None if name == "tanh" else rng.randrange(INPUTS + k)
        ops.append((name, previous, other))
    return Spec(values, ops)


def node_id(position: int) -> str:
    """The dvar id of the node at ``position``: ``x0``-``x99`` for inputs, ``n0``... for ops."""
    return f"x{position}" if position < INPUTS else f"n{position - INPUTS}"


def build_dvar(spec: Spec) -> core.Graph:
    """The Spec as a dvar Graph, built through the public editing API in one batch."""
    graph = core.Graph()
    with graph.batch():
        for position, value in enumerate(spec.values):
            graph.add_node("input", node_id(position), value=value)
        for k, (name, a, b) in enumerate(spec.ops):
            operands = [node_id(a)] if b is None else [node_id(a), node_id(b)]
            graph.add_node(name, node_id(INPUTS + k), inputs=operands)
        graph.set_output(node_id(len(spec) - 1))
    return graph


# ----------------------------------------------------------------- micrograd
def tanh(x: Value) -> Value:
    """tanh in micrograd's own style (micrograd 0.1.0 on PyPI has none)."""
    t = math.tanh(x.data)
    out = Value(t, (x,), "tanh")

    def _backward() -> None:
        x.grad += (1 - t * t) * out.grad

    out._backward = _backward
    return out


def micrograd_rebuild_backward(spec: Spec) -> list[Value]:
    """Build the Spec as micrograd Values and backpropagate from the last one.

    This is what micrograd does after any edit: it has no way to update a graph in place.
    Deep graphs need :func:`run_with_big_stack`.
    """
    nodes = [Value(v) for v in spec.values]
    append = nodes.append
    for name, a, b in spec.ops:
        if name == "add":
            append(nodes[a] + nodes[b])
        elif name == "mul":
            append(nodes[a] * nodes[b])
        else:
            append(tanh(nodes[a]))
    nodes[-1].backward()
    return nodes


def run_with_big_stack(fn: Callable[[], T]) -> T:
    """Run ``fn`` in a thread with a large stack and a high recursion limit; return its result.

    micrograd's topological sort is recursive, so it fails on deep graphs otherwise.
    Exceptions raised by ``fn`` propagate to the caller.
    """
    sys.setrecursionlimit(RECURSION_LIMIT)
    threading.stack_size(STACK_BYTES)
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["result"] = fn()
        except BaseException as error:  # handed to the calling thread
            outcome["error"] = error

    worker = threading.Thread(target=target, name="benchmark")
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]  # type: ignore[return-value]


# -------------------------------------------------------------------- timing
def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of ``fn`` takes, starting from a freshly collected heap."""
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def median(samples: Sequence[float]) -> float:
    """The median of the samples."""
    return statistics.median(samples)


def format_seconds(seconds: float) -> str:
    """A duration with 3 significant digits, in µs, ms or s."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale or unit == "µs":
            number = seconds / scale
            digits = max(0, 2 - int(math.floor(math.log10(number)))) if number > 0 else 0
            return f"{number:.{digits}f} {unit}"
    raise AssertionError("unreachable")


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> None:
    """Print rows under a header, columns padded; columns in ``right`` are right-aligned."""
    widths = [max(len(row[c]) for row in [header, *rows]) for c in range(len(header))]

    def line(row: Sequence[str]) -> str:
        cells = (
            cell.rjust(w) if c in right else cell.ljust(w)
            for c, (cell, w) in enumerate(zip(row, widths, strict=True))
        )
        return "  ".join(cells).rstrip()

    print(line(header))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row))
