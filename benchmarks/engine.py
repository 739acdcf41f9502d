"""dvar's engine against micrograd, in one process, on the same graphs.

Usage: ``python benchmarks/engine.py [--quick] [--seed N]``

For N = 1,000, 10,000 and 100,000 ops (see ``common.make_spec``) it checks first
that dvar and micrograd give the same values and derivatives for every node, then
times, in interleaved rounds:

- micrograd rebuilding the graph and backpropagating (what it must do after any edit);
- dvar's value edit: ``set_value`` on an input, then ``core.evaluate``;
- dvar's structural edits, each followed by ``core.evaluate``: a node added, the same
  node removed, an edge disconnected, the same edge connected again;
- the first value edit after a structural edit (when the plan compiles; no target).

Then ``dvar eval --json`` on the 100,000-op file, end to end in a subprocess, against
a micrograd script that reads the same JSON and prints the same shape.

Medians and ratios (dvar / micrograd) are printed; the machines are noisy, so only
ratios measured in the same run mean anything.  Exit status 1 if the engines disagree.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from common import (
    INPUTS,
    Spec,
    Value,
    build_dvar,
    format_seconds,
    make_spec,
    median,
    micrograd_rebuild_backward,
    node_id,
    print_table,
    run_with_big_stack,
    timed,
)

from dvar import core

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1_000, 10_000, 100_000)
#: The targets: dvar / micrograd ratios, and the size at which benchmarks/README.md sets
#: them.
VALUE_EDIT_TARGET = 0.1
STRUCTURAL_TARGET = 1.0
END_TO_END_TARGET = 1.0
TARGET_SIZE = 10_000
END_TO_END_SIZE = 100_000


@dataclass(frozen=True)
class Rounds:
    """How many interleaved rounds to run at each size, and end-to-end runs."""

    per_size: dict[int, int]
    value_edits_per_round: int
    end_to_end: int


FULL = Rounds({1_000: 31, 10_000: 25, 100_000: 5}, value_edits_per_round=5, end_to_end=5)
QUICK = Rounds({1_000: 7, 10_000: 5, 100_000: 2}, value_edits_per_round=3, end_to_end=2)


@dataclass(frozen=True)
class Row:
    """One line of the result table."""

    size: int
    what: str
    dvar: float
    micrograd: float
    #: The highest acceptable ratio, or None for a measurement without a target.
    target: float | None
    #: True where benchmarks/README.md sets this target (the other sizes are shown for context).
    official: bool

    @property
    def ratio(self) -> float:
        return self.dvar / self.micrograd

    def cells(self) -> list[str]:
        if self.target is None:
            target = verdict = "-"
        else:
            target = f"<= {self.target:g}" + (" *" if self.official else "")
            verdict = "PASS" if self.ratio <= self.target else "MISS"
        return [
            f"{self.size:,}",
            self.what,
            format_seconds(self.dvar),
            format_seconds(self.micrograd),
            f"{self.ratio:.3f}",
            target,
            verdict,
        ]


class Disagreement(Exception):
    """dvar and micrograd computed different numbers: timing them would mean nothing."""


# ------------------------------------------------------------- correctness
def check_same(spec: Spec, graph: core.Graph, reference: list[Value], when: str) -> None:
    """Raise Disagreement unless dvar's values and grads match micrograd's for every node."""
    evaluation = core.evaluate(graph)
    if evaluation.errors:
        node, message = next(iter(evaluation.errors.items()))
        raise Disagreement(f"N={spec.size:,} ({when}): dvar reports {node}: {message}")
    for position, peer in enumerate(reference):
        name = node_id(position)
        for what, mine, theirs in (
            ("value", evaluation.values[name], peer.data),
            ("grad", evaluation.grads[name], peer.grad),
        ):
            if mine is None or not math.isclose(mine, theirs, rel_tol=1e-9):
                raise Disagreement(
                    f"N={spec.size:,} ({when}): {what} of {name}: "
                    f"dvar {mine!r}, micrograd {theirs!r}"
                )


# ---------------------------------------------------------------- in process
#: The evaluation the last timed edit made, held until the next one replaces it, as
#: the editor's document and ``core.train`` hold theirs (docs/architecture.md, "The
#: compiled plan": letting go of each one at once is a case no caller is in).
_held: list[object] = [None]


def time_edit(graph: core.Graph, edit: Callable[[], object]) -> float:
    """Seconds for one edit followed by ``core.evaluate``."""

    def run() -> None:
        edit()
        _held[0] = core.evaluate(graph)

    return timed(run)


def bench_size(spec: Spec, graph: core.Graph, rounds: int, value_edits: int) -> list[Row]:
    """Time micrograd's rebuild+backward against dvar's edits, in interleaved rounds."""
    reference = micrograd_rebuild_backward(spec)
    # Three evaluations cover the interpreted plan, the compiling one, and the compiled one.
    for when in ("first evaluation", "second evaluation", "third evaluation"):
        check_same(spec, graph, reference, when)

    rng = random.Random(spec.size)
    inputs = [node_id(p) for p in range(INPUTS)]
    middle = node_id(INPUTS + spec.size // 2)  # its first slot: the op before it
    fed_by = graph.inputs_of(middle)[0]
    assert fed_by is not None
    samples: dict[str, list[float]] = {
        key: [] for key in ("peer", "add", "remove", "disconnect", "connect", "first", "value")
    }
    for _ in range(rounds):
        samples["peer"].append(timed(partial(micrograd_rebuild_backward, spec)))
        a, b = (node_id(rng.randrange(len(spec))) for _ in range(2))
        add = partial(graph.add_node, "mul", "extra", inputs=[a, b])
        samples["add"].append(time_edit(graph, add))
        samples["remove"].append(time_edit(graph, partial(graph.remove_node, "extra")))
        samples["disconnect"].append(time_edit(graph, partial(graph.disconnect, middle, 0)))
        samples["connect"].append(time_edit(graph, partial(graph.connect, fed_by, middle, 0)))
        # The structure is new again, so the next evaluation compiles the plan.
        edits = [(rng.choice(inputs), rng.uniform(-1.0, 1.0)) for _ in range(value_edits + 1)]
        samples["first"].append(time_edit(graph, partial(graph.set_value, *edits[0])))
        for name, value in edits[1:]:
            samples["value"].append(time_edit(graph, partial(graph.set_value, name, value)))

    with graph.batch():
        for position, value in enumerate(spec.values):
            graph.set_value(node_id(position), value)
    check_same(spec, graph, reference, "after the edits")

    peer = median(samples["peer"])
    official = spec.size == TARGET_SIZE

    def row(key: str, what: str, target: float | None) -> Row:
        return Row(spec.size, what, median(samples[key]), peer, target, official and bool(target))

    return [
        row("value", "value edit + evaluate", VALUE_EDIT_TARGET),
        row("add", "node added + evaluate", STRUCTURAL_TARGET),
        row("remove", "node removed + evaluate", STRUCTURAL_TARGET),
        row("disconnect", "edge disconnected + evaluate", STRUCTURAL_TARGET),
        row("connect", "edge connected + evaluate", STRUCTURAL_TARGET),
        row("first", "1st value edit after a structural edit", None),
    ]


# ---------------------------------------------------------------- end to end
MICROGRAD_EVAL = '''\
"""micrograd's side of the end-to-end benchmark: read a .dvar file, backpropagate,
print {output, values, grads, errors} as `dvar eval --json` does."""

import json
import math
import sys
import threading

from micrograd.engine import Value


def tanh(x):
    t = math.tanh(x.data)
    out = Value(t, (x,), "tanh")

    def _backward():
        x.grad += (1 - t * t) * out.grad

    out._backward = _backward
    return out


def main():
    with open(sys.argv[1], encoding="utf-8") as stream:
        document = json.load(stream)
    nodes = {}
    for record in document["nodes"]:  # dvar saves every operand before its consumers
        op = record["op"]
        if op in ("input", "const"):
            node = Value(float(record["value"]))
        else:
            xs = [nodes[name] for name in record["inputs"]]
            if op == "add":
                node = xs[0] + xs[1]
            elif op == "mul":
                node = xs[0] * xs[1]
            elif op == "tanh":
                node = tanh(xs[0])
            else:
                raise SystemExit(f"this script knows add, mul and tanh, not {op}")
        nodes[record["id"]] = node
    output = document["output"]
    nodes[output].backward()
    result = {
        "output": output,
        "values": {name: node.data for name, node in nodes.items()},
        "grads": {name: float(node.grad) for name, node in nodes.items()},
        "errors": {},
    }
    json.dump(result, sys.stdout, ensure_ascii=False, allow_nan=False)
    sys.stdout.write("\\n")


failed = []


def guarded():
    try:
        main()
    except BaseException:
        failed.append(True)
        raise


sys.setrecursionlimit(1_000_000)
threading.stack_size(512 * 1024 * 1024)  # micrograd's backward() recurses through the graph
worker = threading.Thread(target=guarded)
worker.start()
worker.join()
sys.exit(1 if failed else 0)
'''


def check_same_output(dvar_out: str, peer_out: str) -> None:
    """Raise Disagreement unless both commands printed the same JSON (within 1e-9)."""
    mine, theirs = json.loads(dvar_out), json.loads(peer_out)
    if (
        mine["output"] != theirs["output"]
        or mine["errors"]
        or set(mine["grads"]) != set(theirs["grads"])
    ):
        raise Disagreement("dvar eval --json and the micrograd script printed different graphs")
    for field in ("values", "grads"):
        for name, value in theirs[field].items():
            if mine[field][name] is None or not math.isclose(
                mine[field][name], value, rel_tol=1e-9
            ):
                raise Disagreement(
                    f"end to end: {field} of {name}: dvar {mine[field][name]!r}, "
                    f"micrograd {value!r}"
                )


def time_command(command: list[str]) -> float:
    """Wall-clock seconds of one run of ``command``, its output discarded."""
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True, cwd=ROOT)
    return time.perf_counter() - start


def bench_end_to_end(spec: Spec, graph: core.Graph, runs: int) -> Row:
    """``dvar eval FILE --json`` against a micrograd script reading the same file."""
    with tempfile.TemporaryDirectory(prefix="dvar-bench-") as folder:
        file = Path(folder) / f"bench-{spec.size}.dvar"
        core.save(graph, file)
        script = Path(folder) / "micrograd_eval.py"
        script.write_text(MICROGRAD_EVAL, encoding="utf-8")
        dvar = [sys.executable, "-m", "dvar", "eval", str(file), "--json"]
        peer = [sys.executable, str(script), str(file)]

        outputs = [
            subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT).stdout
            for cmd in (dvar, peer)
        ]
        check_same_output(*outputs)

        mine: list[float] = []
        theirs: list[float] = []
        for run in range(runs):  # alternate who goes first
            if run % 2:
                theirs.append(time_command(peer))
                mine.append(time_command(dvar))
            else:
                mine.append(time_command(dvar))
                theirs.append(time_command(peer))
    return Row(
        spec.size,
        "dvar eval --json, end to end",
        median(mine),
        median(theirs),
        END_TO_END_TARGET,
        spec.size == END_TO_END_SIZE,
    )


# ---------------------------------------------------------------------- main
def run(rounds: Rounds, seed: int) -> list[Row]:
    """Every measurement, size by size; prints progress to stderr."""
    rows: list[Row] = []
    for n in SIZES:
        print(f"N={n:,}: building and checking...", file=sys.stderr, flush=True)
        spec = make_spec(n, seed)
        graph = build_dvar(spec)
        rows += bench_size(spec, graph, rounds.per_size[n], rounds.value_edits_per_round)
        if n == END_TO_END_SIZE:
            print(f"N={n:,}: dvar eval --json, end to end...", file=sys.stderr, flush=True)
            rows.append(bench_end_to_end(spec, graph, rounds.end_to_end))
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; 1 if the engines disagree."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a rough check)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the random graphs")
    options = parser.parse_args(argv)
    rounds = QUICK if options.quick else FULL
    try:
        rows = run_with_big_stack(lambda: run(rounds, options.seed))
    except Disagreement as error:
        print(f"benchmark aborted: dvar and micrograd disagree: {error}", file=sys.stderr)
        return 1

    print(f"dvar {core.__version__} against micrograd, Python {sys.version.split()[0]}")
    print("micrograd = rebuild + backward on the same graph (its only way to follow an edit);")
    print("ratio = dvar median / micrograd median; * marks the targets set in the README.\n")
    header = ["N ops", "dvar measures", "dvar", "micrograd", "ratio", "target", "result"]
    print_table(header, [row.cells() for row in rows], right={0, 2, 3, 4})
    official = [row for row in rows if row.official]
    met = sum(row.ratio <= row.target for row in official if row.target is not None)
    print(f"\ndesign targets met: {met} of {len(official)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
