"""The ``dvar`` command.

``dvar`` and ``dvar FILE.dvar`` open the editor; ``dvar eval FILE [--json]`` prints
values, derivatives and the chain rule without a display; ``dvar trace SCRIPT.py``
runs a person's own script and shows or saves the graph of one of its functions
or variables (a ``.py`` file is never run by opening it).  This module imports no
Qt at load time, so ``dvar eval`` and ``dvar --version`` load only ``core``.

Bad input on any command: exit status 2 and one line on stderr starting
``dvar: error:``; never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Sequence

BAD_INPUT = 2
SUBCOMMANDS = ("eval", "export", "lesson", "new", "paths", "trace", "worksheet")


class UsageError(Exception):
    """A command line that dvar cannot act on."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        raise UsageError(f"{message} (see {self.prog} --help)")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``dvar`` command; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    _prefer_utf8()
    try:
        if args and args[0] == "eval":
            return _eval(args[1:])
        if args and args[0] == "export":
            return _export(args[1:])
        if args and args[0] == "new":
            return _new(args[1:])
        if args and args[0] == "trace":
            return _trace(args[1:])
        if args and args[0] == "paths":
            return _paths(args[1:])
        if args and args[0] in ("lesson", "worksheet"):
            from dvar.gui.app import cli_classroom

            return cli_classroom.COMMANDS[args[0]](args[1:])
        return _open(args)
    except UsageError as error:
        return fail(str(error))
    except BrokenPipeError:  # `dvar eval big.dvar | head`
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130


def fail(message: str) -> int:
    print(f"dvar: error: {message}", file=sys.stderr)
    return BAD_INPUT


def _prefer_utf8() -> None:
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
            if encoding != "utf8":
                stream.reconfigure(errors="backslashreplace")


def _version() -> str:
    from dvar import core

    return f"dvar {core.__version__}"


def _open(args: list[str]) -> int:
    parser = Parser(
        prog="dvar",
        description="See backpropagation: build a computation graph and watch dJ/dnode.",
        epilog="Commands: 'dvar eval FILE [--json]' prints values, derivatives and the chain "
        "rule; 'dvar export FILE -o OUT.png|svg|pdf|tex|dot' draws the diagram; "
        "'dvar new --formula \"J = 3*(a + b*c)\" --set a=5 b=3 c=2 -o FILE.dvar' makes a file; "
        "'dvar new --practice 2 [--seed S] -o FILE.dvar' makes a practice problem; "
        "'dvar trace SCRIPT.py --function f --set a=5' shows the graph of your own code; "
        "'dvar paths FILE NODE [--json]' lists every path from NODE to the output; "
        "'dvar lesson FILE [--check]' plays the lesson a file carries (or checks it); "
        "'dvar worksheet FILE -o OUT.pdf [--hide WHAT] [--answers]' prints a worksheet.",
    )
    parser.add_argument("file", nargs="?", help="a .dvar file to open (default: the lecture graph)")
    parser.add_argument("--version", action="version", version=_version())
    desktop = parser.add_mutually_exclusive_group()
    desktop.add_argument(
        "--install-desktop",
        action="store_true",
        help="add dvar to the desktop menu and open .dvar files with it",
    )
    desktop.add_argument(
        "--uninstall-desktop", action="store_true", help="remove what --install-desktop added"
    )
    options = parser.parse_args(args)
    if options.install_desktop or options.uninstall_desktop:
        from dvar.gui.app import desktop

        try:
            done = desktop.install() if options.install_desktop else desktop.uninstall()
        except desktop.DesktopError as error:
            return fail(str(error))
        for line in done:
            print(line)
        return 0
    if options.file and options.file.lower().endswith(".py"):
        return fail(
            f"{options.file} is a Python script, and dvar never runs a file to open it; to "
            f"see its graph: dvar trace {options.file} --function NAME (or --var NAME)"
        )
    from dvar.gui.app.application import run

    return run(options.file)


def _eval(args: list[str]) -> int:
    parser = Parser(
        prog="dvar eval",
        description="Print every node's value and derivative dJ/dnode, with the chain rule.",
    )
    parser.add_argument("file", help="the .dvar file to evaluate")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    options = parser.parse_args(args)

    from dvar import core

    try:
        graph = core.load(options.file)
    except core.FileFormatError as error:
        return fail(str(error))
    evaluation = core.evaluate(graph)
    if options.json:
        json.dump(evaluation.to_json(), sys.stdout, ensure_ascii=False, allow_nan=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(report(evaluation, options.file))
    return 0


def _paths(args: list[str]) -> int:
    parser = Parser(
        prog="dvar paths",
        description="List every path from NODE to the output, each edge's local derivative "
        "and each path's product; their sum is dJ/dNODE. More than 1,000 paths are counted "
        "and shown factored.",
    )
    parser.add_argument("file", help="the .dvar file")
    parser.add_argument("node", help="the id of the node whose paths to list")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    options = parser.parse_args(args)

    from dvar import core
    from dvar.core import paths

    try:
        graph = core.load(options.file)
    except core.FileFormatError as error:
        return fail(str(error))
    evaluation = core.evaluate(graph)
    if evaluation.output is None:
        return fail(f"{options.file}: no output is chosen, so there are no paths to list")
    if options.node not in graph:
        return fail(f"{options.file}: no node is named {options.node!r}")
    if options.json:
        data = paths.to_json(evaluation, options.node)
        json.dump(data, sys.stdout, ensure_ascii=False, allow_nan=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(f"{options.file}: " + paths.report(evaluation, options.node))
    return 0


def _export(args: list[str]) -> int:
    parser = Parser(
        prog="dvar export",
        description="Render a graph's diagram to PNG, SVG or PDF without a display, write it "
        "as a TikZ picture (OUT.tex) or a Graphviz graph (OUT.dot), write each step of a pass "
        "(--steps, to .pdf or .gif), or write it as a Python script (OUT.py) with the forward "
        "and backward pass.",
    )
    parser.add_argument("file", help="the .dvar file to draw")
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT",
        help="what to write: OUT.png, OUT.svg, OUT.pdf, OUT.tex (LaTeX with TikZ), OUT.dot "
        "(Graphviz), OUT.gif (with --steps), or OUT.py (a runnable script)",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=2.0,
        help="pixels per canvas unit for PNG and GIF (default 2)",
    )
    parser.add_argument(
        "--no-values", action="store_true", help="draw formulas instead of values and derivatives"
    )
    parser.add_argument("--transparent", action="store_true", help="no background (PNG, SVG)")
    parser.add_argument(
        "--backward",
        action="store_true",
        help="draw the backward view: red edges right to left, labelled with local derivatives",
    )
    parser.add_argument(
        "--only",
        metavar="NODE,NODE…",
        help="draw only these nodes (with the constants on their ports) and the edges among them",
    )
    parser.add_argument(
        "--tikz-body",
        action="store_true",
        help="with OUT.tex: write the tikzpicture alone, without the LaTeX document round it",
    )
    parser.add_argument(
        "--steps",
        choices=("backward", "forward"),
        help="write every step of the pass as the step-through shows it: a page each (.pdf) "
        "or an animation (.gif)",
    )
    parser.add_argument(
        "--frame-ms",
        type=int,
        default=None,
        metavar="N",
        help="with --steps and .gif: milliseconds per step (default 1000; the last shows 3×)",
    )
    options = parser.parse_args(args)
    suffix = options.output.lower().rpartition(".")[2] if "." in options.output else ""
    if options.steps and suffix not in ("pdf", "gif"):
        return fail(f"--steps writes a .pdf (a page per step) or a .gif, not {options.output}")
    if not options.steps and suffix == "gif":
        return fail(f"{options.output}: a GIF is written with --steps backward or forward")
    if options.frame_ms is not None and not (options.steps and suffix == "gif"):
        return fail("--frame-ms goes with --steps and a .gif output")
    if suffix not in ("png", "svg", "pdf", "tex", "dot", "gif", "py"):
        given = f"'.{suffix}'" if suffix else "no extension"
        return fail(
            f"{options.output}: cannot export to {given}; name the file .png, .svg, .pdf, "
            ".tex (TikZ), .dot (Graphviz), .gif (with --steps) or .py"
        )
    if options.tikz_body and suffix != "tex":
        return fail(f"--tikz-body goes with a .tex output, not {options.output}")

    from dvar import core
    from dvar.core.oserrors import reason

    try:
        graph = core.load(options.file)
    except core.FileFormatError as error:
        return fail(str(error))
    only = None
    if options.only is not None:
        from dvar.core.figure import chosen_keys

        try:
            only = chosen_keys(graph, options.only.split(","))
        except core.GraphError as error:
            return fail(f"--only: {error}")
    if suffix in ("py", "tex", "dot"):
        from dvar.core.fileformat import write_atomic

        try:
            if suffix == "py":
                if only is not None or options.backward:
                    return fail("--only and --backward draw pictures; OUT.py is a script")
                text = core.to_python(graph, source=options.file)
            else:
                text = _figure_text(graph, suffix, options, only)
            write_atomic(options.output, text.encode("utf-8"))
        except OSError as error:
            return fail(f"{options.output}: cannot write: {reason(error)}")
        return 0
    if options.steps == "backward" and graph.output is None:
        return fail("--steps backward: the graph has no output; the backward pass starts there")
    use_offscreen_without_display()
    from dvar.gui.canvas import export
    from dvar.gui.canvas.export_formats import ExportError

    steps = None
    if options.steps:
        from dvar.gui.teach.teaching import step_frames

        backward_pass = options.steps == "backward"

        def steps(document):
            return step_frames(document, backward_pass)

    try:
        result = export.export_graph(
            graph,
            options.output,
            scale=options.scale,
            values=not options.no_values,
            transparent=options.transparent,
            backward=options.backward,
            only=only,
            steps=steps,
            frame_ms=export.FRAME_MS if options.frame_ms is None else options.frame_ms,
        )
    except ExportError as error:
        return fail(str(error))
    if result.warning:
        print(f"dvar: warning: {result.path}: {result.warning}", file=sys.stderr)
    return 0


def _figure_text(graph, suffix: str, options, only) -> str:
    """The TikZ or DOT text of ``dvar export`` (no Qt: core's writers)."""
    from dvar import core

    evaluation = core.evaluate(graph)
    values = not options.no_values
    if suffix == "dot":
        from dvar.core.dot import to_dot

        return to_dot(graph, evaluation, backward=options.backward, values=values, only=only)
    from dvar.core.tikz import to_tikz

    return to_tikz(
        graph,
        evaluation,
        backward=options.backward,
        values=values,
        only=only,
        body=options.tikz_body,
    )


def _new(args: list[str]) -> int:
    parser = Parser(
        prog="dvar new",
        description="Make a .dvar file from a formula, laid out left to right, or a "
        "practice problem (--practice LEVEL [--seed S]).",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--formula",
        help='e.g. "J = 3*(a + b*c)", or lines separated by ";" or newlines',
    )
    source.add_argument(
        "--practice",
        metavar="LEVEL",
        help="a practice problem: 1 the lecture's shape, 2 a variable used twice, "
        "3 exp, log and σ, 4 a loss like logistic regression",
    )
    parser.add_argument(
        "--seed",
        metavar="S",
        help="with --practice: which problem of the level (default: a random one, printed)",
    )
    parser.add_argument(
        "--set",
        nargs="+",
        action="extend",
        default=[],
        metavar="NAME=VALUE",
        help="input values, e.g. --set a=5 b=3 c=2 (may be repeated)",
    )
    parser.add_argument(
        "-o", "--output", required=True, metavar="FILE.dvar", help="the file to write"
    )
    options = parser.parse_args(args)
    if options.practice is not None:
        if options.set:
            raise UsageError("--set goes with --formula, not with --practice")
        return _new_practice(options.practice, options.seed, options.output)
    if options.seed is not None:
        raise UsageError("--seed goes with --practice")

    from dvar import core
    from dvar.core.oserrors import reason

    try:
        values = _settings(options.set)
    except ValueError as error:
        return fail(f"--set: {error}")
    try:
        result = core.build_graph(options.formula, values)
    except core.GraphError as error:
        return fail(f"--formula: {error}")
    for warning in result.warnings:
        print(f"dvar: warning: {warning}", file=sys.stderr)
    try:
        core.save(result.graph, options.output)
    except OSError as error:
        return fail(f"{options.output}: cannot write: {reason(error)}")
    return 0


def _settings(pairs: list[str]) -> dict[str, float]:
    """``--set a=5 b=3``: names and numbers, or ValueError saying which pair is wrong.
    Names are read as Python reads them (NFKC: ﬁ is fi), as formulas and scripts are."""
    from dvar.core.numbers import parse_number

    values: dict[str, float] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"{pair!r} is not NAME=VALUE")
        values[unicodedata.normalize("NFKC", name.strip())] = parse_number(text)
    return values


def _new_practice(level_text: str, seed_text: str | None, output: str) -> int:
    """``dvar new --practice LEVEL [--seed S] -o FILE``: prints ``level 2, seed 4217``."""
    import random

    from dvar import core
    from dvar.core import problems
    from dvar.core.oserrors import reason

    levels = ", ".join(map(str, problems.LEVELS))
    level = _whole_number(level_text)
    if level not in problems.LEVELS:
        return fail(f"--practice: the level must be one of {levels}, not {level_text!r}")
    if seed_text is None:
        seed = random.SystemRandom().randrange(10_000)
    else:
        seed = _whole_number(seed_text)
        if seed is None or not 0 <= seed <= problems.MAX_SEED:
            return fail(
                f"--seed: the seed must be a whole number from 0 to {problems.MAX_SEED}, "
                f"not {seed_text!r}"
            )
    graph = problems.make_problem(level, seed)
    try:
        core.save(graph, output)
    except OSError as error:
        return fail(f"{output}: cannot write: {reason(error)}")
    print(f"level {level}, seed {seed}")
    return 0


def _whole_number(text: str) -> int | None:
    """``4217`` as an int; None for anything that is not a plain whole number."""
    text = text.strip()
    return int(text) if text.isascii() and text.lstrip("-").isdigit() else None


def _trace(args: list[str]) -> int:
    parser = Parser(
        prog="dvar trace",
        description="Run your own Python script and show the graph of one of its functions "
        "(traced with dvar.Value) or module-level variables (a dvar.Value, a Graph or a "
        "micrograd Value). The script runs as a module, not as __main__.",
    )
    parser.add_argument("script", metavar="SCRIPT.py", help="the script to run")
    chosen = parser.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--function", metavar="NAME", help="trace this function of the script")
    chosen.add_argument("--var", metavar="NAME", help="take this module-level variable")
    parser.add_argument(
        "--set",
        nargs="+",
        action="extend",
        default=[],
        metavar="NAME=VALUE",
        help="the function's arguments, e.g. --set a=5 b=3 c=2",
    )
    parser.add_argument(
        "-o", "--output", metavar="OUT.dvar", help="save the graph here instead of opening it"
    )
    options = parser.parse_args(args)
    if options.set and options.var:
        return fail("--set gives a function's arguments; it goes with --function, not --var")

    from dvar import core
    from dvar.core.oserrors import reason
    from dvar.core.script import ScriptError, graph_of_script

    try:
        values = _settings(options.set)
    except ValueError as error:
        return fail(f"--set: {error}")
    try:
        graph = graph_of_script(
            options.script, function=options.function, values=values, variable=options.var
        )
    except ScriptError as error:
        return fail(str(error))
    if options.output:
        try:
            core.save(graph, options.output)
        except OSError as error:
            return fail(f"{options.output}: cannot write: {reason(error)}")
        return 0
    core.show(graph)
    return 0


def use_offscreen_without_display() -> None:
    import os

    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def report(evaluation, name: str) -> str:
    """The readable form of ``dvar eval``: a table, then the chain rule, then the errors."""
    from dvar.core import format_number

    ev = evaluation
    order = ev.order
    out = ev.output
    lines = [f"{name}: {out} = {format_number(ev.values[out])}" if out else f"{name}: no output"]
    rows = [("node", "op", "value", "derivative")]
    for node in order:
        grad = ev.grads[node]
        rows.append(
            (node, ev.op(node), format_number(ev.values[node]), f"d{node} = {format_number(grad)}")
        )
    widths = [max(len(row[c]) for row in rows) for c in range(3)]
    lines.append("")
    for row in rows:
        lines.append(
            "  ".join(cell.ljust(w) for cell, w in zip(row[:3], widths, strict=True))
            + "  "
            + row[3]
        )
    if out:
        lines += ["", "Chain rule, in backward order:"]
        lines += [f"  {ev.breakdown(node)}" for node in order]
    errors = ev.errors
    if errors:
        lines += ["", "Missing values and derivatives:"]
        lines += [f"  {node}: {message}" for node, message in errors.items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
