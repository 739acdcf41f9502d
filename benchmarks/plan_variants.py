"""Four ways to run an evaluation plan, timed against each other and against micrograd.

Usage: ``python benchmarks/plan_variants.py [--quick] [--seed N] [--sizes 1000,10000,50000]
[--rounds N]``

On the engine benchmark's graphs (``common.make_spec``) it times a value edit
(``set_value`` on an input, then ``core.evaluate(graph, compile=False)``) with the
plan run four ways, all built from the same generated statements
(``Plan.statements``), so they differ only in what wraps them:

- (a) ``generator+warm-up``: a generator whose one frame is kept for the plan's life,
  opening with an empty loop of eight steps (dvar's compiled plan until this was measured);
- (b) ``function``: a plain generated function, called once per run (``Plan.compile``);
- (c) ``function+warm-up``: (b) opening with the same empty loop, run on every call;
- (d) ``interpreted``: no code generated, the engine's loop over the plan's arrays.

Each variant has its own copy of the graph.  A round makes a structural edit on
each copy (a node added and removed, so the plan is new), evaluates once (the
interpreted run that follows any structural edit), times building the variant
("compile": the statements, ``compile()``, ``exec``), then times 16 value edits,
the same edit on every copy, the variants taking turns in a rotating order.  Runs
1, 2-8 and 9-16 of each new plan are reported apart: CPython 3.11 specialises code
only after eight warm-up ticks, and the warm-up loop is there for the early runs.
micrograd rebuilding the graph and backpropagating is timed twice a round.

Rounds alternate between two callers.  "dropped": each evaluation is let go at
once, as ``engine.py`` does.  "kept": it is held until the next one replaces it,
as the editor's document and ``core.train`` do, so the previous run's numbers are
still alive while the next run computes new ones.

Every sample starts right after ``gc.collect()``.  Before timing, every variant must
give the same values and derivatives, bit for bit, as each other and as
``core.evaluate``; the script stops with exit status 1 if not.

Medians are printed with two ratios, against micrograd and against variant (a),
and the gain of (a): the median over rounds of the paired difference, the
variant's sample minus (a)'s sample of the same round and run.  The machine is
noisy: only ratios and differences from one run of the script mean anything.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import struct
import sys
from collections.abc import Callable
from functools import partial

from common import (
    INPUTS,
    build_dvar,
    format_seconds,
    make_spec,
    micrograd_rebuild_backward,
    node_id,
    print_table,
    run_with_big_stack,
    timed,
)

from dvar import core
from dvar.core.plan import Plan, define, plan_for

SIZES = (1_000, 10_000, 50_000)
#: Value edits timed on each new plan, and the runs reported apart.
RUNS_PER_PLAN = 16
WINDOWS = (("run 1", 1, 1), ("runs 2-8", 2, 8), ("runs 9-16", 9, 16))
#: An empty loop of eight steps: CPython 3.11's warm-up, spent in the first run.
WARM_UP = " for _ in (0, 0, 0, 0, 0, 0, 0, 0): pass"

Runner = Callable[[list[float]], object]


class KeptFrame:
    """Variant (a): the plan's statements as the loop of a generator kept between runs."""

    __slots__ = ("_steps", "_send")

    def __init__(self, steps: Callable) -> None:
        self._steps = steps
        self._send: Callable | None = None

    def __call__(self, leaf_values: list[float]) -> object:
        send = self._send
        if send is None:
            frames = self._steps()
            next(frames)
            send = self._send = frames.send
        try:
            return send(leaf_values)
        except BaseException:
            self._send = None
            raise


def generator_with_warm_up(plan: Plan) -> Runner:
    lines = ["def steps():", WARM_UP, " R = None", " while True:", "  L = yield R"]
    lines += ["  V = G = None", *("  " + line for line in plan.statements())]
    return KeptFrame(define(lines, "steps"))


def function(plan: Plan, warm_up: bool = False) -> Runner:
    lines = ["def run(L):", *([WARM_UP] if warm_up else [])]
    lines += [*(" " + line for line in plan.statements()), " return R"]
    return define(lines, "run")


def interpreted(plan: Plan) -> None:
    return None


#: name -> what builds plan.compiled (None: the engine interprets the plan).
VARIANTS: dict[str, Callable[[Plan], Runner | None]] = {
    "(a) generator+warm-up": generator_with_warm_up,
    "(b) function": function,
    "(c) function+warm-up": partial(function, warm_up=True),
    "(d) interpreted": interpreted,
}
BASE = "(a) generator+warm-up"


class Disagreement(Exception):
    """Two variants computed different bits: timing them would mean nothing."""


def fresh_plan(graph: core.Graph) -> Plan:
    """A structural edit and back, then the interpreted run that follows it: a new plan."""
    graph.add_node("mul", "extra", inputs=[node_id(0), node_id(1)])
    graph.remove_node("extra")
    core.evaluate(graph, compile=False)
    return plan_for(graph)


def evaluate(graph: core.Graph) -> core.Evaluation:
    """What a value edit costs after ``set_value``: the engine, never compiling by itself."""
    return core.evaluate(graph, compile=False)


def fingerprint(evaluation: core.Evaluation) -> bytes:
    """Every value and derivative, in position order, as IEEE bits (so -0.0 != 0.0)."""
    if evaluation.errors:
        raise Disagreement(f"unexpected errors: {dict(list(evaluation.errors.items())[:3])}")
    ids = list(evaluation.values)
    numbers = [evaluation.values[i] for i in ids] + [evaluation.grads[i] for i in ids]
    return struct.pack(f"<{len(numbers)}d", *numbers)


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def install(plan: Plan, build: Callable[[Plan], Runner | None]) -> None:
    """Build a variant for the plan; the engine runs it from the next evaluation on."""
    plan.compiled = build(plan)  # type: ignore[assignment]


def compile_peak(plan: Plan, build: Callable[[Plan], Runner | None]) -> float | None:
    """Bytes the process's resident set grows by, at its peak, while ``build`` runs
    (Linux only: it resets the high-water mark through /proc/self/clear_refs).

    Memory freed by an earlier, bigger compile stays with the process and is reused,
    so only the first size of a run gives a clean figure."""
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        return None
    before = _status_kib("VmRSS")
    install(plan, build)
    peak = _status_kib("VmHWM")
    return None if before is None or peak is None else (peak - before) * 1024.0


def check_bits(graphs: dict[str, core.Graph], reference: core.Graph, edits: list) -> float | None:
    """Every variant, run after run, against the engine as dvar ships it.

    Returns the first variant's compile peak (see :func:`compile_peak`), measured
    before any other compiles: the variants compile the same statements."""
    peak = None
    for k, (name, graph) in enumerate(graphs.items()):
        plan = fresh_plan(graph)
        if k == 0:
            peak = compile_peak(plan, VARIANTS[name])
        else:
            install(plan, VARIANTS[name])
    fresh_plan(reference)
    for run, (node, value) in enumerate(edits, start=1):
        reference.set_value(node, value)
        want = fingerprint(core.evaluate(reference))  # compiles on its second run
        for name, graph in graphs.items():
            graph.set_value(node, value)
            if fingerprint(evaluate(graph)) != want:
                raise Disagreement(f"{name}, run {run}: not bit-identical to core.evaluate")
    return peak


def bench_size(n: int, seed: int, rounds: int) -> dict:
    """Samples at size ``n``: keyed "micrograd", (variant, "compile"), (variant, held, run)."""
    spec = make_spec(n, seed)
    graphs = {name: build_dvar(spec) for name in VARIANTS}
    rng = random.Random(n)
    inputs = [node_id(p) for p in range(INPUTS)]

    def random_edits(count: int) -> list[tuple[str, float]]:
        return [(rng.choice(inputs), rng.uniform(-1.0, 1.0)) for _ in range(count)]

    peak = check_bits(graphs, build_dvar(spec), random_edits(RUNS_PER_PLAN))
    names = list(VARIANTS)
    samples: dict = {"micrograd": [], "peak": peak}
    held: dict[str, core.Evaluation | None] = dict.fromkeys(names)

    def edit(name: str, node: str, value: float, keep: bool) -> None:
        graphs[name].set_value(node, value)
        evaluation = evaluate(graphs[name])
        if keep:  # the previous one is freed here, after the run, as in the editor
            held[name] = evaluation

    for r in range(rounds):
        keep = bool(r % 2)
        held.update(dict.fromkeys(names))
        samples["micrograd"].append(timed(partial(micrograd_rebuild_backward, spec)))
        for name in names[r % 4 :] + names[: r % 4]:
            plan = fresh_plan(graphs[name])
            sample = timed(partial(install, plan, VARIANTS[name]))
            samples.setdefault((name, "compile"), []).append(sample)
        for run, (node, value) in enumerate(random_edits(RUNS_PER_PLAN), start=1):
            if run == RUNS_PER_PLAN // 2:
                samples["micrograd"].append(timed(partial(micrograd_rebuild_backward, spec)))
            turn = (r + run) % 4
            for name in names[turn:] + names[:turn]:
                sample = timed(partial(edit, name, node, value, keep))
                samples.setdefault((name, keep, run), []).append(sample)
    return samples


def paired(samples: dict, name: str, other: str, keys: list) -> float:
    """The median of (name's sample - other's sample), over the same rounds and runs."""
    return statistics.median(
        mine - theirs
        for key in keys
        for mine, theirs in zip(samples[(name, *key)], samples[(other, *key)], strict=True)
    )


def pooled(samples: dict, name: str, keys: list) -> float:
    return statistics.median(x for key in keys for x in samples[(name, *key)])


def windows() -> list[tuple[str, list]]:
    """What the table reports: compile, then each window of runs, results dropped or kept."""
    rows: list[tuple[str, list]] = [("compile", [("compile",)])]
    for keep in (False, True):
        for what, first, last in WINDOWS:
            label = f"{what}, {'kept' if keep else 'dropped'}"
            rows.append((label, [(keep, run) for run in range(first, last + 1)]))
    return rows


def rows_for(n: int, samples: dict) -> list[list[str]]:
    """The table's rows for one size: micrograd, then each variant's compile and runs."""
    peer = statistics.median(samples["micrograd"])
    rows = [[f"{n:,}", "micrograd", "rebuild+backward", format_seconds(peer), "1", "-", "-"]]
    for name in VARIANTS:
        for what, keys in windows():
            median, base = pooled(samples, name, keys), pooled(samples, BASE, keys)
            gain = "-" if name == BASE else f"{paired(samples, name, BASE, keys) * 1e3:+.3f}"
            ratio = f"{median / base:.3f}" if base else "-"
            row = [f"{n:,}", name, what, format_seconds(median), f"{median / peer:.4f}"]
            rows.append([*row, ratio, gain])
    return rows


def break_even(n: int, samples: dict) -> list[str]:
    """For each compiled variant: its compile time in value edits saved over interpreting."""
    peak = samples["peak"]
    lines = []
    if peak is not None:
        lines.append(f"N={n:,}: compiling grows the process by {peak / 2**20:,.0f} MiB at its peak")
    first, last = WINDOWS[-1][1:]
    steady = [(keep, run) for keep in (False, True) for run in range(first, last + 1)]
    for name in list(VARIANTS)[:3]:
        gain = paired(samples, "(d) interpreted", name, steady)
        cost = statistics.median(samples[(name, "compile")])
        edits = f"{cost / gain:,.0f} edits" if gain > 0 else "never"
        lines.append(
            f"N={n:,} {name}: saves {gain * 1e3:.2f} ms an edit over (d) (runs {first}-{last}), "
            f"compiles in {cost * 1e3:,.0f} ms: pays off after {edits}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run every size and print one table; 1 if two variants disagree."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a rough check)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the random graphs")
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, SIZES)),
        help="comma-separated op counts (default: %(default)s)",
    )
    parser.add_argument("--rounds", type=int, help="rounds at every size (default: by size)")
    options = parser.parse_args(argv)
    sizes = [int(size) for size in options.sizes.split(",")]

    def rounds(n: int) -> int:
        if options.rounds:
            return options.rounds
        full = 24 if n <= 2_000 else 16 if n <= 20_000 else 8
        return max(2, full // 4) if options.quick else full

    def run_all() -> tuple[list[list[str]], list[str]]:
        rows: list[list[str]] = []
        notes: list[str] = []
        for n in sizes:
            print(f"N={n:,}: building, checking, {rounds(n)} rounds...", file=sys.stderr)
            samples = bench_size(n, options.seed, rounds(n))
            rows += rows_for(n, samples)
            notes += break_even(n, samples)
        return rows, notes

    try:
        rows, notes = run_with_big_stack(run_all)
    except Disagreement as error:
        print(f"benchmark aborted: {error}", file=sys.stderr)
        return 1
    print(f"dvar {core.__version__}, Python {sys.version.split()[0]}: value edit + evaluate")
    print("medians; ratios against micrograd (rebuild + backward) and against (a);")
    print("gain of (a) = median paired (variant - (a)) in ms, > 0 where (a) is faster;")
    print("dropped: each evaluation dropped at once; kept: held until the next one replaces it.\n")
    header = ["N ops", "variant", "what", "median", "/ micrograd", "/ (a)", "gain of (a)"]
    print_table(header, rows, right={0, 3, 4, 5, 6})
    print()
    print("\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
