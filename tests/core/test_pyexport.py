"""Export as Python (core/pyexport.py): the script reads like the lecture, runs on its own,
and prints what ``dvar eval --json`` prints, for the examples and for random graphs.

Most tests run the generated script in this process (runpy), which is quick enough
for hundreds of graphs; the ``slow`` ones run scripts in an isolated interpreter
(``python -I``), where ``core`` cannot be imported, to show they stand alone.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import math
import random
import runpy
import subprocess
import symtable
import sys
import unicodedata
from pathlib import Path

import pytest

from dvar import core
from dvar.core.pyexport import reserved, to_python, variable_names
from tests.core.helpers import build, lecture, snapshot

ALL_OPS = [name for name, op in core.OPS.items() if not op.is_leaf]
#: Ids that would break a careless generator: modules, builtins and helpers the script
#: uses, its own globals and locals, ``d``-prefix clashes, a ``d`` + id that is a keyword
#: (``el`` → ``del``), dunders, and ids Python normalises to the same name (NFKC).
NASTY_IDS = [
    "math", "json", "sys", "print", "len", "max", "abs", "sigmoid", "power", "max_share",
    "min_share", "sign", "main", "forward_and_backward", "_careful", "_GRAPH", "_OPS",
    "_inputs", "_fmt", "fmt", "fpow", "fabs", "why", "careful_values", "careful_grads", "_Op",
    "FAILURES", "HELPERS", "values", "grads", "errors", "result", "name", "i", "x0", "y", "d",
    "dd", "da", "a", "d_a", "el", "ef", "__name__", "__file__", "__debug__", "fi", "dfi", "max_",
]  # fmt: skip


# ------------------------------------------------------------------ graphs
def random_graph(
    rng: random.Random, size: int, ops: list[str] | None = None, nasty: bool = True
) -> core.Graph:
    """A random DAG over ``ops`` (default: all of them).

    Operands are chosen so that values mostly stay inside each op's domain (positive
    logs and roots, divisors away from 0, small exponents), with some deliberate
    trouble: empty slots, a node used twice by one op (``x*x``, ``x-x``), nodes that
    do not reach the output, and now and then no output at all.
    """
    ops = ops or ALL_OPS
    g = core.Graph()
    pool = list(NASTY_IDS) if nasty else []
    rng.shuffle(pool)
    ids: list[str] = []

    def fresh() -> str:
        return pool.pop() if pool and rng.random() < 0.3 else f"n{len(g)}"

    for _ in range(rng.randint(1, 4)):
        value = rng.choice([rng.uniform(-3, 3), rng.uniform(0.1, 3), rng.randint(-2, 3), 0, 1])
        ids.append(g.add_node(rng.choice(["input", "input", "const"]), fresh(), value=value))
    for _ in range(size):
        op = rng.choice(ops)
        values = core.evaluate(g).values

        def pick(slot: int, op: str = op, values: object = values) -> str | None:
            if rng.random() < 0.03 and ops is ALL_OPS:
                return None
            known = [k for k in ids if values[k] is not None]  # type: ignore[index]
            wanted = known
            if rng.random() < 0.85:
                v = values.__getitem__  # type: ignore[attr-defined]
                if op in ("log", "sqrt") or (op == "pow" and slot == 0):
                    wanted = [k for k in known if v(k) > 0.05]
                elif op == "div" and slot == 1:
                    wanted = [k for k in known if abs(v(k)) > 0.1]
                elif op == "exp" or (op == "pow" and slot == 1):
                    wanted = [k for k in known if abs(v(k)) < 5]
            return rng.choice(wanted or ids)

        inputs = [pick(slot) for slot in range(core.OPS[op].arity)]
        if len(inputs) == 2 and rng.random() < 0.1:
            inputs[1] = inputs[0]
        ids.append(g.add_node(op, fresh(), inputs=inputs))
    draw = rng.random()
    if ops is ALL_OPS and draw < 0.05:
        g.set_output(None)
    else:
        g.set_output(rng.choice(ids) if draw < 0.2 else ids[-1])
    return g


# ------------------------------------------------------------------ running
def run_script(path: Path, *args: str) -> str:
    """Run a generated script as ``__main__`` in this process; return what it printed."""
    buffer = io.StringIO()
    saved = sys.argv
    sys.argv = [str(path), *args]
    try:
        with contextlib.redirect_stdout(buffer):
            runpy.run_path(str(path), run_name="__main__")
    finally:
        sys.argv = saved
    return buffer.getvalue()


def write(tmp_path: Path, graph: core.Graph, name: str = "graph") -> Path:
    path = tmp_path / f"{name}.py"
    path.write_text(to_python(graph), encoding="utf-8")
    return path


def close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def assert_same(got: dict, want: dict, what: str = "") -> None:
    """The script's JSON against ``Evaluation.to_json()``: keys, their order, numbers, reasons."""
    assert list(got) == ["output", "values", "grads", "errors"], what
    assert got["output"] == want["output"], what
    for column in ("values", "grads"):
        assert list(got[column]) == list(want[column]), what
        bad = {k: (got[column][k], want[column][k]) for k in want[column]}
        bad = {k: pair for k, pair in bad.items() if not close(*pair)}
        assert bad == {}, f"{what} {column}"
    assert got["errors"] == want["errors"], what
    assert list(got["errors"]) == list(want["errors"]), what


def check_in_process(tmp_path: Path, graph: core.Graph, name: str = "graph") -> dict:
    path = write(tmp_path, graph, name)
    want = core.evaluate(graph).to_json()
    got = json.loads(run_script(path, "--json"))
    assert_same(got, want, core.dumps(graph))
    run_script(path)  # the readable report runs too
    return got


# ------------------------------------------------------------------ the text
def test_the_script_computes_every_op_with_the_op_tables_own_expressions() -> None:
    for name in ALL_OPS:
        op = core.OPS[name]
        operands = ["p", "q"][: op.arity]
        spec = [("p", "input", 0.5), ("q", "input", 2.0), ("r", name, operands)]
        text = to_python(build(spec, output="r"))
        assert f"    r = {op.forward_code(operands)}\n" in text, name
        for slot in range(op.arity):
            partial = op.partial_code(slot, ["x0", "x1"], "y")
            assert f"lambda x0, x1, y: {partial}" in text, (name, slot)


def test_the_lecture_script_reads_like_the_lecture() -> None:
    text = to_python(lecture(), source="lecture.dvar")
    lines = [line.strip() for line in text.splitlines()]
    forward = ["u = b * c", "v = a + u", "J = three * v"]
    backward = ["dJ = 1.0", "dv = three * dJ", "da = dv", "du = dv", "db = du * c", "dc = b * du"]
    backward.append("dthree = dJ * v")
    for line in ["a = 5.0", "b = 3.0", "c = 2.0", "three = 3.0", *forward, *backward]:
        assert line in lines, line
    assert "dJ = 1" in text and "db = du * c" in text
    # forward in topological order, backward in the shared order: J, v, a, u, b, c, three
    assert [lines.index(line) for line in forward] == sorted(lines.index(x) for x in forward)
    assert [lines.index(line) for line in backward] == sorted(lines.index(x) for x in backward)
    assert core.evaluate(lecture()).order == ["J", "v", "a", "u", "b", "c", "three"]
    assert "lecture.dvar" in text and "The output is J" in text


def test_sums_over_several_uses_are_built_with_plus_equals() -> None:
    text = to_python(core.load(core.examples()["two_paths"]))  # J = x·y + x
    lines = [line.strip() for line in text.splitlines()]
    assert "dx = dJ" in lines and "dx += du * y" in lines
    g = build([("x", "input", 3), ("sq", "mul", ["x", "x"]), ("z", "sub", ["sq", "x"])], output="z")
    lines = [line.strip() for line in to_python(g).splitlines()]
    assert "dx = -dz" in lines and "dx += dsq * x" in lines and "dx += x * dsq" in lines
    g = build([("x", "input", 3), ("z", "sub", ["x", "x"])], output="z")
    lines = [line.strip() for line in to_python(g).splitlines()]
    assert "dx = dz" in lines and "dx -= dz" in lines


def test_nodes_that_do_not_reach_the_output_get_zero() -> None:
    g = build([("x", "input", 3), ("J", "neg", ["x"]), ("side", "exp", ["x"])], output="J")
    assert "dside = 0.0  # J does not depend on side" in to_python(g)


def test_the_script_imports_only_the_standard_library() -> None:
    graphs = [core.load(path) for path in core.examples().values()]
    graphs += [random_graph(random.Random(seed), 12) for seed in range(20)]
    for graph in graphs:
        tree = ast.parse(to_python(graph))
        modules = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                modules.add((node.module or "").split(".")[0])
        assert modules == {"json", "math", "sys"}
        assert modules <= sys.stdlib_module_names


def test_exporting_leaves_the_graph_alone() -> None:
    g = lecture()
    before = snapshot(g)
    to_python(g)
    assert snapshot(g) == before


# ------------------------------------------------------------------ names
def _globals_and_locals(source: str) -> tuple[set[str], dict[str, set[str]]]:
    """Names bound at module level or read as globals anywhere; locals of each function."""
    globals_: set[str] = set()
    locals_: dict[str, set[str]] = {}
    tables = [symtable.symtable(source, "<script>", "exec")]
    while tables:
        table = tables.pop()
        module = table.get_type() == "module" or str(table.get_type()).endswith("MODULE")
        for symbol in table.get_symbols():
            if module or symbol.is_global():
                globals_.add(symbol.get_name())
        if not module:
            locals_[table.get_name()] = {s.get_name() for s in table.get_symbols() if s.is_local()}
        tables.extend(table.get_children())
    return globals_, locals_


@pytest.mark.parametrize("seed", range(40))
def test_no_variable_shadows_anything_the_script_uses(seed: int) -> None:
    g = random_graph(random.Random(seed), 14)
    ids = [node.id for node in g.nodes()]
    values, grads = variable_names(ids)
    variables = [*values.values(), *grads.values()]
    keys = [unicodedata.normalize("NFKC", v) for v in variables]
    assert len(set(keys)) == len(keys), "two variables are the same name to Python"
    assert not set(keys) & reserved()
    source = to_python(g)
    globals_, locals_ = _globals_and_locals(source)
    assert globals_ - set(keys) <= reserved()
    assert locals_["forward_and_backward"] <= set(keys)


def test_names_that_clash_are_renamed_and_still_print_as_the_ids(tmp_path: Path) -> None:
    g = build(
        [
            ("a", "input", 2),
            ("da", "input", 3),
            ("math", "mul", ["a", "da"]),
            ("print", "add", ["math", "a"]),
            ("d_a", "sigmoid", ["print"]),
            ("json", "input", 0.5),
            ("sys", "mul", ["d_a", "json"]),
        ],
        output="sys",
    )
    values, grads = variable_names([n.id for n in g.nodes()])
    assert values["a"] == "a" and values["da"] == "da" and values["d_a"] == "d_a"
    assert values["math"] == "math_" and values["print"] == "print_" and values["sys"] == "sys_"
    assert grads["da"] == "dda" and grads["a"] not in values.values()
    got = check_in_process(tmp_path, g)
    assert list(got["grads"]) == ["a", "da", "math", "print", "d_a", "json", "sys"]
    text = run_script(write(tmp_path, g, "again"))
    assert "dmath = " in text and "da = " in text and "dd_a = " in text


def test_a_d_prefix_that_makes_a_keyword(tmp_path: Path) -> None:
    g = build([("el", "input", 2), ("ef", "exp", ["el"])], output="ef")
    _, grads = variable_names(["el", "ef"])
    assert grads == {"el": "d_el", "ef": "d_ef"}
    check_in_process(tmp_path, g)


def test_dunder_ids(tmp_path: Path) -> None:
    """``__debug__`` cannot even be assigned to, and ``__name__`` decides whether main runs."""
    g = build(
        [("__debug__", "input", 2), ("__name__", "const", 3)]
        + [("__builtins__", "mul", ["__debug__", "__name__"])],
        output="__builtins__",
    )
    values, _ = variable_names([n.id for n in g.nodes()])
    assert all(not (v.startswith("__") and v.endswith("__")) for v in values.values())
    assert check_in_process(tmp_path, g)["grads"] == {
        "__debug__": 3.0,
        "__name__": 2.0,
        "__builtins__": 1.0,
    }


def test_ids_python_reads_as_the_same_name() -> None:
    """A graph never holds ids that Python would read as another name (ids are NFKC);
    the script's names stay distinct even if it did."""
    with pytest.raises(core.GraphError, match="normal form"):
        build([("ﬁ", "input", 2), ("fi", "input", 3)])
    values, _ = variable_names(["ﬁ", "fi", "𝐦𝐚𝐱"])
    assert values["fi"] == "fi" and values["ﬁ"] != "ﬁ" and values["𝐦𝐚𝐱"] != "𝐦𝐚𝐱"


def test_text_from_the_file_cannot_become_code(tmp_path: Path) -> None:
    g = lecture()
    g.extra["title"] = "harmless\nimport os\r\nos.system('echo boom')\u2028raise SystemExit"
    g.set_label("a", "a\nraise SystemExit(3)")
    text = to_python(g, source="evil\n.dvar\nimport os")
    tree = ast.parse(text)
    assert not any(isinstance(n, ast.Raise) for n in ast.walk(tree))
    assert "import os" not in [line.strip() for line in text.splitlines()]
    path = tmp_path / "evil.py"
    path.write_text(text, encoding="utf-8")
    assert json.loads(run_script(path, "--json"))["values"]["J"] == 33.0


def test_a_title_cannot_choose_the_encoding(tmp_path: Path) -> None:
    """Python obeys a ``coding:`` comment on line 1 or 2; in UTF-7, ``+AAo-`` is a newline."""
    g = lecture()
    g.extra["title"] = "-*- coding: utf-7 -*- +AAo-raise SystemExit(3)"
    text = to_python(g, source="coding: utf-7")
    assert all("coding" not in line for line in text.splitlines()[:2])
    path = tmp_path / "utf7.py"
    path.write_text(text, encoding="utf-8")
    assert json.loads(run_script(path, "--json"))["values"]["J"] == 33.0


# ------------------------------------------------------------------ agreement
@pytest.mark.parametrize("name", list(core.examples()))
def test_every_example_agrees_with_the_engine(tmp_path: Path, name: str) -> None:
    g = core.load(core.examples()[name])
    path = write(tmp_path, g, name)
    printed = run_script(path, "--json")
    # the same text as `dvar eval --json`, not only the same numbers
    assert printed == json.dumps(core.evaluate(g).to_json(), ensure_ascii=False) + "\n"
    report = run_script(path)
    assert f"{g.output} = " in report.splitlines()[0]


def test_the_lecture_report(tmp_path: Path) -> None:
    report = run_script(write(tmp_path, lecture()))
    assert report.splitlines()[0] == "J = 33"
    for line in ["dJ = 1", "dv = 3", "da = 3", "du = 3", "db = 6", "dc = 9", "dthree = 11"]:
        assert line in report
    rows = [line.split()[0] for line in report.splitlines()[3:]]
    assert rows == ["J", "v", "a", "u", "b", "c", "three"]


def test_editing_an_input_in_the_script(tmp_path: Path) -> None:
    path = tmp_path / "lecture.py"
    path.write_text(to_python(lecture()).replace("\na = 5.0\n", "\na = 5.001\n"), "utf-8")
    assert json.loads(run_script(path, "--json"))["values"]["J"] == pytest.approx(33.003)


@pytest.mark.parametrize("seed", range(300))
def test_random_graphs_agree_with_the_engine(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    check_in_process(tmp_path, random_graph(rng, rng.randint(0, 14)))


#: A graph for every row of docs/evaluation.md's table of cases and every domain error:
#: (nodes, output, words the errors must contain, or "" where everything is defined).
CASES: dict[str, tuple[list[tuple], str | None, str]] = {
    "log of a negative number": (
        [("x", "input", -2), ("J", "log", ["x"])],
        "J",
        "log of a negative number: x = -2",
    ),
    "log of zero": ([("x", "input", 0), ("J", "log", ["x"])], "J", "log of zero: x = 0"),
    "division by zero": (
        [("x", "input", 1), ("z", "const", 0), ("J", "div", ["x", "z"])],
        "J",
        "division by zero: z = 0",
    ),
    "exp overflows": ([("x", "input", 1000), ("J", "exp", ["x"])], "J", "the result overflows"),
    "mul overflows": ([("x", "input", 1e200), ("J", "mul", ["x", "x"])], "J", "overflows"),
    "negative base, fractional power": (
        [("x", "input", -8), ("t", "const", 1 / 3), ("J", "pow", ["x", "t"])],
        "J",
        "a negative base to a fractional power is not a real number",
    ),
    "zero to a negative power": (
        [("x", "input", 0), ("t", "const", -1), ("J", "pow", ["x", "t"])],
        "J",
        "zero to a negative power: 0^-1",
    ),
    "square root of a negative number": (
        [("x", "input", -1), ("J", "sqrt", ["x"])],
        "J",
        "square root of a negative number: x = -1",
    ),
    "square root at 0: a non-finite partial, and what waits on it": (
        [("y", "input", 0), ("x", "neg", ["y"]), ("s", "sqrt", ["x"]), ("a", "input", 2)]
        + [("J", "mul", ["s", "a"])],
        "J",
        "waits on dx",
    ),
    "∂(x^y)/∂y with x < 0": (
        [("x", "input", -2), ("t", "const", 2), ("J", "pow", ["x", "t"])],
        "J",
        "∂J/∂t = x^t·ln x is not finite at x = -2, t = 2",
    ),
    "a product that overflows in the backward pass": (
        [("x", "input", 1e-310), ("k", "const", 1e308), ("m", "mul", ["x", "k"])]
        + [("k2", "const", 1e300), ("J", "mul", ["m", "k2"])],
        "J",
        "∂m/∂x = k is not finite",
    ),
    "a sum that overflows": (
        [("x", "input", 1e-300), ("k", "const", 1e308), ("m1", "mul", ["x", "k"])]
        + [("m2", "mul", ["x", "k"]), ("J", "add", ["m1", "m2"])],
        "J",
        "dx overflows: the sum is too large",
    ),
    "empty slot": (
        [("x", "input", 1), ("u", "mul", ["x", None]), ("J", "neg", ["u"])],
        "J",
        "slot 2 of u is empty",
    ),
    "empty slot off the path": (
        [("x", "input", 1), ("u", "mul", ["x", None]), ("J", "neg", ["x"])],
        "J",
        "slot 2 of u is empty",
    ),
    "domain error off the path": (
        [("x", "input", -1), ("l", "log", ["x"]), ("J", "neg", ["x"])],
        "J",
        "log of a negative number",
    ),
    "no output": ([("x", "input", 1), ("J", "exp", ["x"])], None, "no output chosen"),
    "no output and an empty slot": (
        [("x", "input", 1), ("J", "add", ["x", None])],
        None,
        "slot 2 of J is empty",
    ),
    "max tie": ([("x", "input", 2), ("y", "input", 2), ("J", "max", ["x", "y"])], "J", ""),
    "min tie": ([("x", "input", 2), ("y", "input", 2), ("J", "min", ["x", "y"])], "J", ""),
    "max of x and x": ([("x", "input", 2), ("J", "max", ["x", "x"])], "J", ""),
    "x - x": ([("x", "input", 2), ("J", "sub", ["x", "x"])], "J", ""),
    "x / x": ([("x", "input", 2), ("J", "div", ["x", "x"])], "J", ""),
    "x * x": ([("x", "input", 2), ("J", "mul", ["x", "x"])], "J", ""),
    "relu and abs at 0": (
        [("x", "input", 0), ("r", "relu", ["x"]), ("s", "abs", ["x"]), ("J", "add", ["r", "s"])],
        "J",
        "",
    ),
    "the output is an input": ([("x", "input", 2), ("y", "exp", ["x"])], "x", ""),
    "every op once": (
        [("p", "input", 0.7), ("q", "input", 1.3)]
        + [(op, op, ["p", "q"] if core.OPS[op].arity == 2 else ["p"]) for op in ALL_OPS]
        + [("J", "add", ["add", "sub"])],
        "J",
        "",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_case_of_the_evaluation_table(tmp_path: Path, case: str) -> None:
    spec, output, words = CASES[case]
    got = check_in_process(tmp_path, build(spec, output))
    if words:
        assert words in " | ".join(got["errors"].values())
    else:
        assert got["errors"] == {}
    if "tie" in case:
        assert got["grads"] == {"x": 0.5, "y": 0.5, "J": 1.0}
    if case in ("x - x", "x / x"):
        assert got["grads"]["x"] == 0.0


# ------------------------------------------------------------------ standalone
@pytest.mark.slow
@pytest.mark.parametrize("name", list(core.examples()))
def test_each_example_script_runs_alone(tmp_path: Path, name: str) -> None:
    g = core.load(core.examples()[name])
    path = write(tmp_path, g, name)
    for args in (["--json"], []):
        result = subprocess.run(
            [sys.executable, "-I", str(path), *args],
            capture_output=True,
            encoding="utf-8",
            cwd=tmp_path,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0 and result.stderr == ""
        if args:
            assert_same(json.loads(result.stdout), core.evaluate(g).to_json(), name)
        else:
            assert result.stdout.startswith(f"{g.output} = ")


DRIVER = """
import contextlib, io, json, runpy, sys

paths = sys.argv[1:]
printed = []
for path in paths:
    buffer = io.StringIO()
    sys.argv = [path, "--json"]
    with contextlib.redirect_stdout(buffer):
        runpy.run_path(path, run_name="__main__")
    assert "core" not in sys.modules
    printed.append(buffer.getvalue())
print(json.dumps(printed))
"""


@pytest.mark.slow
def test_random_graph_scripts_agree_in_a_separate_interpreter(tmp_path: Path) -> None:
    """150 scripts, each standalone, run one after another by one isolated interpreter."""
    graphs = []
    for seed in range(1000, 1150):
        rng = random.Random(seed)
        graphs.append(random_graph(rng, rng.randint(0, 14)))
    paths = [str(write(tmp_path, g, f"g{k}")) for k, g in enumerate(graphs)]
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-I", str(driver), *paths],
        capture_output=True,
        encoding="utf-8",
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    for graph, text in zip(graphs, printed, strict=True):
        assert_same(json.loads(text), core.evaluate(graph).to_json(), core.dumps(graph))
