"""PNG export of the lecture graph at 2x: in process, and ``dvar export`` end to end.

Usage: ``python benchmarks/export.py [--rounds N]``

In process, each sample is ``gui.export.export_graph`` from a loaded graph to a
written file: the scene is built, drawn at 2x, encoded and saved atomically.  The
first call (fonts, Qt plugins) is timed apart.  Then one ``python -m dvar export``
subprocess, which also pays for starting Python and importing Qt.  the benchmarks README's
limit is 0.5 s for the export; the subprocess line is information.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dvar import core  # noqa: E402

TARGET_SECONDS = 0.5
SCALE = 2.0


def main(argv: list[str] | None = None) -> int:
    """Time the export and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="in-process samples (default 20)")
    options = parser.parse_args(argv)

    from PySide6.QtWidgets import QApplication

    from dvar.gui.canvas.export import export_graph, export_scene
    from dvar.gui.canvas.scene import GraphScene

    app = QApplication.instance() or QApplication(["dvar-bench"])
    lecture = core.examples()["lecture"]
    graph = core.load(lecture)
    with tempfile.TemporaryDirectory(prefix="dvar-bench-") as folder:
        out = Path(folder) / "lecture.png"
        start = time.perf_counter()
        result = export_graph(graph, out, scale=SCALE)
        first = time.perf_counter() - start
        samples = []
        for _ in range(options.rounds):
            start = time.perf_counter()
            export_graph(graph, out, scale=SCALE)
            samples.append(time.perf_counter() - start)

        from dvar.gui.document.document import Document

        scene = GraphScene(Document(core.load(lecture)))
        drawn = []
        for _ in range(options.rounds):
            start = time.perf_counter()
            export_scene(scene, out, scale=SCALE)
            drawn.append(time.perf_counter() - start)

        env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
        env.pop("QT_QPA_PLATFORM", None)  # dvar export must choose offscreen itself
        command = [sys.executable, "-m", "dvar", "export", str(lecture), "-o", str(out)]
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
        end_to_end = time.perf_counter() - start
        if done.returncode != 0:
            print(f"dvar export failed: {done.stderr.decode(errors='replace')}", file=sys.stderr)
            return 1

    width, height = result.size
    median = statistics.median(samples)
    print(f"PNG export of the lecture graph at {SCALE:g}x ({width} x {height} px)")
    print(f"  first call (fonts, plugins)        {first * 1000:8.1f} ms")
    print(
        f"  export_graph, median of {len(samples):<3}        {median * 1000:8.1f} ms"
        f"  (fastest {min(samples) * 1000:.1f} ms)  target < {TARGET_SECONDS * 1000:.0f} ms"
        f"  {'PASS' if median < TARGET_SECONDS else 'MISS'}"
    )
    print(
        f"  export_scene (open scene), median  {statistics.median(drawn) * 1000:8.1f} ms"
        "  (what Export Image… costs in the editor)"
    )
    print(f"  dvar export, end to end (1 run)    {end_to_end * 1000:8.1f} ms  (Python + Qt start)")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
