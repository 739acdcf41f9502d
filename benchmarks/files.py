"""Saving and loading a 10,000-op graph with ``core.save`` and ``core.load``.

Usage: ``python benchmarks/files.py [--quick]``

The graph is the engine benchmark's (100 inputs, then 10,000 ops of add, mul and
tanh).  Saves and loads alternate; medians are printed against the limit in benchmarks/README.md
of one second each.  The loaded graph is checked against the saved one first.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from functools import partial
from pathlib import Path

from common import build_dvar, format_seconds, make_spec, median, print_table, timed

from dvar import core

SIZE = 10_000
TARGET_SECONDS = 1.0


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; 1 if a load does not give back the graph."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a rough check)")
    options = parser.parse_args(argv)
    rounds = 5 if options.quick else 21

    graph = build_dvar(make_spec(SIZE))
    saves: list[float] = []
    loads: list[float] = []
    with tempfile.TemporaryDirectory(prefix="dvar-bench-") as folder:
        file = Path(folder) / f"bench-{SIZE}.dvar"
        core.save(graph, file)
        if core.dumps(core.load(file)) != core.dumps(graph):
            print("benchmark aborted: the loaded graph differs from the saved one", file=sys.stderr)
            return 1
        size = file.stat().st_size
        for _ in range(rounds):
            saves.append(timed(partial(core.save, graph, file)))
            loads.append(timed(partial(core.load, file)))

    print(f"dvar {core.__version__}, Python {sys.version.split()[0]}: ", end="")
    print(f"a graph of {len(graph):,} nodes ({SIZE:,} ops), {size / 1e6:.2f} MB on disk\n")
    header = ["what", "median", "fastest", "target", "result"]
    rows = [
        [
            what,
            format_seconds(median(samples)),
            format_seconds(min(samples)),
            f"< {TARGET_SECONDS:g} s",
            "PASS" if median(samples) < TARGET_SECONDS else "MISS",
        ]
        for what, samples in (("core.save", saves), ("core.load", loads))
    ]
    print_table(header, rows, right={1, 2})
    return 0


if __name__ == "__main__":
    sys.exit(main())
