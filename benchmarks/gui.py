"""dvar's editor, offscreen: value edits, drags, opening, pasting and launch.

Usage: ``python benchmarks/gui.py [--quick] [--seed N] [--profile]``

The graphs are the engine benchmark's (100 inputs, then N ops of add, mul and
tanh; see ``common.make_spec``), with every node placed on a grid so none
overlap.  A real ``MainWindow`` (1280 x 800, with its docks) shows each graph,
once at 100 % zoom centred on the middle of the graph and once fitted (zoomed
out until everything shows).  Every in-process sample ends with the frame on
screen: events are processed, and the canvas must have been painted (if Qt
painted nothing, the viewport is repainted by hand).

- 1,000 ops: a value edit (``SetField`` of a value through the undo stack on ``x99``,
  which feeds every op, so every label changes) through to the painted frame;
- 5,000 ops: opening a file through to the first paint, a drag step (a node
  moved by one grid step, edges re-routed, repainted) by ``setPos`` and by real
  mouse events, a value edit, and pasting 1,000 nodes (exactly one evaluation);
- launch: ``dvar`` from exec to the first painted window, ``dvar --version`` and
  ``dvar eval``, each in a subprocess.

Medians are printed against the GUI targets in benchmarks/README.md, with a peer where one makes
sense (the engine alone, or a bare Qt window), since these machines are noisy.
``--profile`` prints a cProfile of every row that misses its target.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from common import (
    INPUTS,
    build_dvar,
    format_seconds,
    make_spec,
    median,
    node_id,
    print_table,
    timed,
)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# This file is named gui.py, and running it puts benchmarks/ first on sys.path, where
# ``import gui`` would find this file.  The helpers are imported: now take dvar's
# packages from this checkout, and drop benchmarks/ from the path.
ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from dvar import core  # noqa: E402
from dvar.gui.app.window import MainWindow  # noqa: E402
from dvar.gui.canvas.edges import EdgeItem  # noqa: E402
from dvar.gui.canvas.nodes import GRID, NodeItem  # noqa: E402
from dvar.gui.document.clipboard import copy_nodes, paste_records  # noqa: E402
from dvar.gui.document.document import Document  # noqa: E402
from dvar.gui.document.field_commands import SetField  # noqa: E402
from dvar.gui.document.structure_commands import AddNodes  # noqa: E402

SMALL, LARGE = 1_000, 5_000
PASTED = 1_000
#: Grid pitch in scene units: nodes are 184 x 78 and snap to the 20-unit grid.
COLUMN, ROW = 260.0, 120.0
#: The input every op depends on: op 0 reads it, and each op reads the op before it.
FEEDS_ALL = node_id(INPUTS - 1)
#: Two values for it far enough apart that nearly every displayed number changes.
EDIT_VALUES = (0.3, -0.7)
WINDOW_SIZE = (1280, 800)
VIEWS = ("100%", "fitted")
WARM_UP = 3
#: Event-processing passes a frame may take before the canvas is repainted by hand.
FRAME_PASSES = 3

# The GUI targets of benchmarks/README.md, in seconds.
EDIT_SMALL_TARGET = 0.016
OPEN_TARGET = 1.0
DRAG_TARGET = 0.004
EDIT_LARGE_TARGET = 0.050
PASTE_TARGET = 1.0
LAUNCH_TARGET = 0.5


@dataclass(frozen=True)
class Rounds:
    """How many timed samples each kind of measurement takes."""

    edits: int
    drags: int
    repaints: int
    opens: int
    pastes: int
    launches: int


FULL = Rounds(edits=31, drags=101, repaints=21, opens=7, pastes=5, launches=7)
QUICK = Rounds(edits=9, drags=31, repaints=7, opens=3, pastes=2, launches=3)


@dataclass
class Step:
    """One kind of sample: ``act`` is timed; the other callbacks are not."""

    act: Callable[[int], object]
    before: Callable[[int], object] = lambda i: None
    after: Callable[[int], object] = lambda i: None
    #: Run once after the samples (e.g. to release a mouse button still held).
    finish: Callable[[], object] = lambda: None


@dataclass
class Row:
    """One line of the result table."""

    size: str
    what: str
    seconds: float
    #: The same work without the GUI (or a bare Qt window), for a ratio; None if no peer.
    peer: float | None
    #: The most it may take, or None for a measurement shown for context only.
    target: float | None
    #: True where benchmarks/README.md sets this target (other rows show it for context).
    official: bool
    #: Something the row must also satisfy (e.g. one evaluation per paste); False is a miss.
    ok: bool = True
    profile: str = field(default="", repr=False)

    @property
    def passed(self) -> bool:
        return self.ok and (self.target is None or self.seconds <= self.target)

    def cells(self) -> list[str]:
        if self.target is None:
            target = verdict = "-"
        else:
            target = f"< {format_seconds(self.target)}" + (" *" if self.official else "")
            verdict = "PASS" if self.passed else "MISS"
        peer = ratio = "-"
        if self.peer is not None:
            peer, ratio = format_seconds(self.peer), f"{self.seconds / self.peer:.1f}"
        return [self.size, self.what, format_seconds(self.seconds), peer, ratio, target, verdict]


# ------------------------------------------------------------------- helpers
def laid_out(n: int, seed: int) -> core.Graph:
    """The benchmark graph with ``n`` ops, its nodes on a grid, column by column.

    Nodes follow the evaluation order down each column, and the grid is about as
    wide as it is tall, so an op sits just below the op it reads.
    """
    spec = make_spec(n, seed)
    graph = build_dvar(spec)
    rows = max(1, round(math.sqrt(len(spec) * COLUMN / ROW)))
    with graph.batch():
        for position in range(len(spec)):
            x, y = COLUMN * (position // rows), ROW * (position % rows)
            graph.set_position(node_id(position), x, y)
    return graph


class PaintCounter(QObject):
    """Counts the paint events a widget receives."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


class Bench:
    """A main window on a graph, with the canvas in a known state."""

    def __init__(self, document: Document) -> None:
        self.window = MainWindow(document)
        self.window.resize(*WINDOW_SIZE)
        # The minimap redraws the whole graph 60 ms after the last change; it is timed
        # on its own (minimap_step) so that it does not land in some samples and not others.
        self.window.actions["minimap"].setChecked(False)
        self.window.show()
        self.view = self.window.view
        self.viewport = self.view.viewport()
        self.paints = PaintCounter(self.viewport)
        self.passes = [0] * (FRAME_PASSES + 1)  # frames by passes needed; last: repainted
        self.document = document
        self.graph = document.graph
        self.frame()

    def frame(self) -> None:
        """Process pending events until the canvas is painted (a repaint if Qt never does).

        An update posts its paint request while events are processed, so the paint
        may come in the next pass.
        """
        before = self.paints.count
        for passes in range(FRAME_PASSES):
            QApplication.processEvents()
            if self.paints.count != before:
                self.passes[passes] += 1
                return
        self.passes[FRAME_PASSES] += 1
        self.viewport.repaint()

    def look(self, view: str) -> str:
        """100 %: zoom 1 centred on the middle of the graph; fitted: the whole graph.

        Returns what the canvas shows: zoom, nodes and edges in view, and edges painted.
        """
        if view == "100%":
            self.view.zoom_by(1.0 / self.view.zoom())  # as the user zooms: stops auto-fit
            self.view.centerOn(self.window.scene.diagram_rect().center())
        else:
            self.view.fit()
        self.frame()
        shown = self.view.mapToScene(self.viewport.rect()).boundingRect()
        scene = self.window.scene
        nodes = sum(isinstance(item, NodeItem) for item in scene.items(shown))
        edges = sum(isinstance(item, EdgeItem) for item in scene.items(shown))
        # Qt paints every item whose bounding rectangle meets the exposed area.
        bounds = Qt.ItemSelectionMode.IntersectsItemBoundingRect
        painted = sum(isinstance(item, EdgeItem) for item in scene.items(shown, bounds))
        return (
            f"zoom {self.view.zoom():.3g}, {nodes:,} nodes and {edges:,} edges in view, "
            f"{painted:,} edges painted per full repaint"
        )

    def central_key(self) -> int:
        """The node nearest the centre of the canvas."""
        middle = self.view.mapToScene(self.viewport.rect().center())

        def distance(item: NodeItem) -> float:
            return (item.sceneBoundingRect().center() - middle).manhattanLength()

        return min(self.window.scene.nodes.values(), key=distance).key

    def close(self) -> None:
        self.document.undo_stack.setClean()  # or closing asks whether to save
        self.window.close()
        self.window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QApplication.processEvents()


def measure(step: Step, repeats: int) -> float:
    """The median of ``repeats`` timed samples, after a few untimed ones."""
    samples = []
    for i in range(WARM_UP + repeats):
        step.before(i)
        if i < WARM_UP:
            step.act(i)
        else:
            samples.append(timed(partial(step.act, i)))
        step.after(i)
    step.finish()
    return median(samples)


def profile(step: Step, repeats: int, lines: int = 18) -> str:
    """cProfile of ``repeats`` runs of the timed part, by own time, as text."""
    profiler = cProfile.Profile()
    for i in range(repeats):
        step.before(i)
        profiler.enable()
        step.act(i)
        profiler.disable()
        step.after(i)
    step.finish()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.sort_stats("tottime").print_stats(lines)
    return "\n".join(line for line in stream.getvalue().splitlines() if line.strip())


class Runner:
    """Collects rows; profiles the steps of rows that miss when asked to."""

    def __init__(self, with_profiles: bool) -> None:
        self.rows: list[Row] = []
        self.notes: list[str] = []
        self.with_profiles = with_profiles

    def note(self, text: str) -> None:
        """Something to print under the table (and now, as progress)."""
        print(f"  {text}", file=sys.stderr)
        self.notes.append(text)

    def add(self, row: Row, step: Step | None = None, profile_repeats: int = 5) -> Row:
        print(f"  {row.size:>6}  {row.what}: {format_seconds(row.seconds)}", file=sys.stderr)
        if self.with_profiles and step is not None and not row.passed:
            row.profile = profile(step, profile_repeats)
        self.rows.append(row)
        return row


# ------------------------------------------------------------------- in process
def other_value(graph: core.Graph) -> float:
    """The edit value that ``FEEDS_ALL`` does not hold now, so every edit changes it."""
    first, second = EDIT_VALUES
    return second if graph.node(FEEDS_ALL).value == first else first


def value_edit_step(bench: Bench) -> Step:
    """``SetField`` of the value of the input every op depends on, through to the painted frame."""
    key = bench.graph.key_of(FEEDS_ALL)

    def act(i: int) -> None:
        bench.document.run(SetField.to(bench.graph, key, "value", other_value(bench.graph)))
        bench.frame()

    return Step(act)


def engine_edit_step(graph: core.Graph) -> Step:
    """The engine's share of a value edit: ``set_value`` and ``evaluate`` on a bare copy."""
    copy = graph.copy()
    core.prepare(copy)

    def act(i: int) -> None:
        copy.set_value(FEEDS_ALL, other_value(copy))
        core.evaluate(copy, compile=False)

    return Step(act)


def uncompiled_edit_step(bench: Bench) -> Step:
    """A value edit within 0.7 s of a structural edit, before the plan is compiled."""
    edit = value_edit_step(bench)

    def before(i: int) -> None:  # a new structure, so a new plan, not compiled yet
        bench.graph.add_node("input", "bench_extra", value=0.0)
        bench.graph.remove_node("bench_extra")
        bench.frame()

    return Step(edit.act, before)


def check_labels_change(bench: Bench) -> int:
    """How many node items show a different value after one benchmark edit (and undo)."""
    scene = bench.window.scene
    before = {key: item.value_text for key, item in scene.nodes.items()}
    step = value_edit_step(bench)
    step.act(0)
    step.act(1)
    changed = sum(item.value_text != before[key] for key, item in scene.nodes.items())
    step.act(0)
    return changed


def repaint_step(bench: Bench) -> Step:
    """A full repaint of the canvas with nothing changed."""
    return Step(lambda i: bench.viewport.repaint())


def drag_step(bench: Bench) -> Step:
    """Move one node a grid step right or back, as a drag does, through to the frame."""
    item = bench.window.scene.nodes[bench.central_key()]

    def act(i: int) -> None:
        item.setPos(item.pos() + QPointF(GRID if i % 2 == 0 else -GRID, 0.0))
        bench.frame()

    return Step(act)


def mouse_drag_step(bench: Bench, moves_per_drag: int = 20) -> Step:
    """Real mouse events on the viewport: press on a node's title, move, release.

    Each timed sample is one mouse move of a grid step (the node follows, its edges
    re-route, the frame is painted); presses and releases are not timed.
    """
    item = bench.window.scene.nodes[bench.central_key()]
    left, no = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    step = int(GRID * bench.view.zoom())
    at = QPoint()
    moves = -1  # moves since the press; -1: the button is up

    def before(i: int) -> None:
        nonlocal at, moves
        if moves < 0:
            at = bench.view.mapFromScene(item.mapToScene(QPointF(60.0, 12.0)))  # the title
            QTest.mousePress(bench.viewport, left, no, at)
            bench.frame()
            moves = 0

    def act(i: int) -> None:
        nonlocal at, moves
        at += QPoint(step if moves % 2 == 0 else -step, 0)
        QTest.mouseMove(bench.viewport, at)
        bench.frame()
        moves += 1

    def release() -> None:
        nonlocal moves
        if moves >= 0:
            QTest.mouseRelease(bench.viewport, left, no, at)
            bench.frame()
            moves = -1

    def after(i: int) -> None:
        if moves >= moves_per_drag:
            release()

    return Step(act, before, after, release)


def minimap_step(bench: Bench) -> Step:
    """What the minimap costs 60 ms after each change: fit the graph and redraw it."""
    minimap = bench.view.minimap

    def before(i: int) -> None:
        minimap.enabled = True

    def act(i: int) -> None:
        minimap.sync()
        if not minimap.isVisible():
            raise RuntimeError("the minimap is hidden: its redraw would time nothing")
        minimap.viewport().repaint()

    def after(i: int) -> None:
        minimap.enabled = False
        minimap.hide()

    return Step(act, before, after)


def copied_keys(graph: core.Graph) -> list[int]:
    """The nodes a paste copies: 1,000 consecutive ones from the middle of the graph."""
    start = len(graph) // 2
    return [graph.key_of(node_id(position)) for position in range(start, start + PASTED)]


def autosave_step(bench: Bench) -> Step:
    """The autosave the window writes on the GUI thread every few seconds of unsaved work."""
    edit = value_edit_step(bench)
    return Step(lambda i: bench.window.autosaver.write(), before=edit.act)


def paste_step(bench: Bench) -> tuple[Step, list[int]]:
    """Paste 1,000 copied nodes (Ctrl+V) through to the frame; undone after each sample.

    Also returns how many evaluations each paste caused.
    """
    QGuiApplication.clipboard().setMimeData(copy_nodes(bench.graph, copied_keys(bench.graph)))
    evaluations: list[int] = []
    count = {"before": 0}

    def before(i: int) -> None:
        count["before"] = bench.document.evaluations

    def act(i: int) -> None:
        bench.window.paste()
        bench.frame()

    def after(i: int) -> None:
        evaluations.append(bench.document.evaluations - count["before"])
        bench.document.undo_stack.undo()
        bench.frame()

    return Step(act, before, after), evaluations


def engine_paste_step(graph: core.Graph) -> Step:
    """The engine's share of a paste: the same records added in one batch, then evaluate."""
    copy = graph.copy()
    records = paste_records(copy_nodes(copy, copied_keys(copy)))
    command = AddNodes(copy, records, "paste")

    def act(i: int) -> None:
        command.redo()
        core.evaluate(copy, compile=False)

    return Step(act, after=lambda i: command.undo())


def open_step(path: Path) -> Step:
    """``dvar FILE``'s work in process: load, build the window, show it, first paint, grab."""
    opened: list[Bench] = []

    def act(i: int) -> None:
        bench = Bench(Document.open(path))  # shows the window, waits for the first paint
        bench.window.grab()
        opened.append(bench)

    def after(i: int) -> None:
        opened.pop().close()

    return Step(act, after=after)


def bench_small(graph: core.Graph, rounds: Rounds, runner: Runner) -> None:
    size = f"{len(graph):,}"
    bench = Bench(Document(graph))
    core.prepare(graph)  # as the editor does after 0.7 s without edits
    changed = check_labels_change(bench)
    runner.note(f"{size} nodes: a value edit changes {changed:,} of the {size} values shown")
    peer = measure(engine_edit_step(graph), rounds.edits)
    for view in VIEWS:
        runner.note(f"{size} nodes, {view} view: {bench.look(view)}")
        step = value_edit_step(bench)
        what = f"value edit → painted, {view} view"
        row = Row(size, what, measure(step, rounds.edits), peer, EDIT_SMALL_TARGET, view == "100%")
        runner.add(row, step)
        row = Row(size, f"full canvas repaint, {view} view", 0.0, None, None, False)
        row.seconds = measure(repaint_step(bench), rounds.repaints)
        runner.add(row)
    bench.close()


def bench_large(graph: core.Graph, rounds: Rounds, runner: Runner, folder: Path) -> None:
    size = f"{len(graph):,}"
    file = folder / f"bench-{len(graph)}.dvar"
    core.save(graph, file)
    step = open_step(file)
    load = measure(Step(lambda i: core.load(file)), rounds.opens)
    what = "open file → first paint + grab"
    runner.add(Row(size, what, measure(step, rounds.opens), load, OPEN_TARGET, True), step, 2)

    bench = Bench(Document(graph))
    core.prepare(graph)
    for view in VIEWS:
        runner.note(f"{size} nodes, {view} view: {bench.look(view)}")
        step = drag_step(bench)
        what = f"drag step (setPos) → painted, {view} view"
        row = Row(size, what, measure(step, rounds.drags), None, DRAG_TARGET, view == "100%")
        runner.add(row, step, 20)
        if view == "100%":
            step = mouse_drag_step(bench)
            what = "drag step (mouse move) → painted, 100% view"
            runner.add(Row(size, what, measure(step, rounds.drags), None, DRAG_TARGET, True), step)

    peer = measure(engine_edit_step(graph), rounds.edits)
    for view in VIEWS:
        bench.look(view)
        step = value_edit_step(bench)
        what = f"value edit → painted, {view} view"
        row = Row(size, what, measure(step, rounds.edits), peer, EDIT_LARGE_TARGET, view == "100%")
        runner.add(row, step)
        if view == "100%":
            step = uncompiled_edit_step(bench)
            what = "value edit, plan not yet compiled, 100% view"
            runner.add(Row(size, what, measure(step, rounds.edits), None, None, False), step)
        row = Row(size, f"full canvas repaint, {view} view", 0.0, None, None, False)
        row.seconds = measure(repaint_step(bench), rounds.repaints)
        runner.add(row)
    # The minimap shows only while the canvas does not show the whole graph: at 100 %.
    bench.look("100%")
    row = Row(size, "minimap redraw, 100% view (60 ms after a change)", 0.0, None, None, False)
    row.seconds = measure(minimap_step(bench), rounds.repaints)
    runner.add(row)
    row = Row(size, "autosave write (every 4 s while unsaved)", 0.0, None, None, False)
    row.seconds = measure(autosave_step(bench), rounds.repaints)
    runner.add(row)

    bench.look("100%")
    step, evaluations = paste_step(bench)
    seconds = measure(step, rounds.pastes)
    peer = measure(engine_paste_step(graph), rounds.pastes)
    once = all(count == 1 for count in evaluations)
    counts = "1" if once else "/".join(str(count) for count in sorted(set(evaluations)))
    what = f"paste {PASTED:,} nodes → painted ({counts} evaluation{'s' * (not once)} each)"
    runner.add(Row(size, what, seconds, peer, PASTE_TARGET, True, ok=once), step, 2)
    QGuiApplication.clipboard().clear()  # a QMimeData left there crashes the exit offscreen
    bench.close()


# ---------------------------------------------------------------------- launch
#: Run in a subprocess: prints the monotonic clock (shared by all processes) when
#: the first frame of a main window has been painted.  ``dvar`` goes through the real
#: entry point (dvar.gui.app.cli.main, dvar.gui.app.application.run); ``bare`` is an
#: empty QMainWindow, the floor.
LAUNCH_SCRIPT = """\
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget


class FirstFrame(QObject):
    seen = False

    def eventFilter(self, watched, event):
        if (
            not self.seen
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and isinstance(watched.window(), QMainWindow)
        ):
            self.seen = True
            QTimer.singleShot(0, self.done)  # after the whole first frame is painted
        return False

    def done(self):
        print(time.monotonic(), flush=True)
        QApplication.quit()


app = QApplication(sys.argv[:1])
first_frame = FirstFrame()
app.installEventFilter(first_frame)
if sys.argv[1] == "dvar":
    from dvar.gui.app.cli import main

    main([])
else:
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    app.exec()
"""


def first_window(kind: str) -> float:
    """Seconds from exec to the first painted main window, for ``dvar`` or ``bare``."""
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", LAUNCH_SCRIPT, kind],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return float(done.stdout.split()[-1]) - start


def wall_clock(command: list[str]) -> float:
    """Wall-clock seconds of one run of ``command``, its output discarded."""
    start = time.monotonic()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True, cwd=ROOT)
    return time.monotonic() - start


def bench_launch(rounds: Rounds, runner: Runner) -> None:
    python = [sys.executable, "-c", "pass"]
    dvar = str(Path(sys.executable).with_name("dvar"))
    lecture = str(ROOT / "resources" / "examples" / "lecture.dvar")
    commands = {
        "dvar window": partial(first_window, "dvar"),
        "bare window": partial(first_window, "bare"),
        "python": partial(wall_clock, python),
        "version": partial(wall_clock, [dvar, "--version"]),
        "eval": partial(wall_clock, [sys.executable, "-m", "dvar", "eval", lecture]),
    }
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for run in range(rounds.launches + 1):  # interleaved; the first round warms the caches
        for name, command in commands.items():
            seconds = command()
            if run:
                samples[name].append(seconds)
    times = {name: median(values) for name, values in samples.items()}
    rows = [
        ("`dvar` → first window painted", "dvar window", "bare window", LAUNCH_TARGET),
        ("`dvar --version`", "version", "python", None),
        ("`dvar eval lecture.dvar`", "eval", "python", None),
    ]
    for what, mine, peer, target in rows:
        runner.add(Row("launch", what, times[mine], times[peer], target, target is not None))


# ---------------------------------------------------------------------- main
PEERS = """\
peers: value edit = the engine alone (set_value + evaluate on a copy of the graph);
open = core.load of the same file; paste = the same records added to a bare copy and
evaluated; first window = an empty QMainWindow in the same kind of subprocess;
dvar --version and dvar eval = `python -c pass`.  ratio = median / peer median."""


def main(argv: list[str] | None = None) -> int:
    """Run every measurement and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds (a rough check)")
    parser.add_argument("--seed", type=int, default=0, help="seed for the random graphs")
    parser.add_argument("--profile", action="store_true", help="profile the rows that miss")
    options = parser.parse_args(argv)
    rounds = QUICK if options.quick else FULL
    runner = Runner(options.profile)

    with tempfile.TemporaryDirectory(prefix="dvar-bench-") as name:
        folder = Path(name)
        # Fresh settings and data (recent files, autosaves) for this process and the
        # launched ones: nothing from the user's own dvar, and no recovery dialog.
        for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME"):
            os.environ[variable] = str(folder / variable.lower())
        app = QApplication.instance() or QApplication(sys.argv[:1])
        app.setApplicationName("dvar")
        print(f"{SMALL:,} ops: value edits...", file=sys.stderr, flush=True)
        bench_small(laid_out(SMALL, options.seed), rounds, runner)
        print(f"{LARGE:,} ops: open, drag, value edit, paste...", file=sys.stderr, flush=True)
        bench_large(laid_out(LARGE, options.seed), rounds, runner, folder)
        print("launch: subprocesses...", file=sys.stderr, flush=True)
        bench_launch(rounds, runner)

    platform = QGuiApplication.platformName()
    print(f"dvar {core.__version__}, Qt platform {platform!r}, Python {sys.version.split()[0]}")
    print("Nodes = 100 inputs + N ops; window 1280 x 800; * marks targets from the README.")
    print("Each in-process sample ends with the canvas painted.\n")
    header = ["nodes", "what", "median", "peer", "ratio", "target", "result"]
    print_table(header, [row.cells() for row in runner.rows], right={0, 2, 3, 4})
    print(f"\n{PEERS}\n")
    for note in runner.notes:
        print(note)
    official = [row for row in runner.rows if row.official]
    met = sum(row.passed for row in official)
    print(f"\ndesign targets met: {met} of {len(official)}")
    for row in runner.rows:
        if row.profile:
            print(f"\n--- profile: {row.size} {row.what} (by own time)\n{row.profile}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
