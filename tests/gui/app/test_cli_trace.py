"""``dvar trace SCRIPT.py``: the graph of a person's own function or variable, saved or
opened; a failing script is one line naming the exception and its line; ``dvar FILE.py``
is refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dvar import core
from dvar.gui.app import cli

SCRIPT = """\
import dvar

def f(a, b, c):
    u = b * c
    v = a + u
    J = 3 * v
    return J

x = dvar.Value(2.0, "x")
y = dvar.tanh(x * x)
graph = dvar.trace(f, a=1, b=2, c=3)
number = 4

def broken(a):
    helper = a * 2
    return helper + missing_name

if __name__ == "__main__":
    raise SystemExit("the main block must not run")
"""


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "lesson.py"
    path.write_text(SCRIPT, encoding="utf-8")
    return path


def one_error_line(capsys: pytest.CaptureFixture) -> str:
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("dvar: error: ") and "Traceback" not in err
    return lines[0]


def test_a_function_is_traced_with_the_values_given(script: Path, tmp_path: Path) -> None:
    out = tmp_path / "lecture.dvar"
    args = ["trace", str(script), "--function", "f", "--set", "a=5", "b=3", "c=2", "-o", str(out)]
    assert cli.main(args) == 0
    g = core.load(out)
    assert {n.id for n in g} == {"a", "b", "c", "u", "v", "k", "J"}
    ev = core.evaluate(g)
    assert (ev.values["J"], ev.grads["a"], ev.grads["b"], ev.grads["c"]) == (33, 3, 6, 9)


@pytest.mark.parametrize(("name", "output"), [("y", "J"), ("graph", "J")])
def test_a_module_level_value_or_graph_is_taken(
    script: Path, tmp_path: Path, name: str, output: str
) -> None:
    out = tmp_path / "var.dvar"
    assert cli.main(["trace", str(script), "--var", name, "-o", str(out)]) == 0
    assert core.load(out).output == output


def test_a_micrograd_variable_is_imported(tmp_path: Path) -> None:
    path = tmp_path / "mg.py"
    path.write_text(
        "from micrograd.engine import Value\nx = Value(3.0)\nloss = (x * x).relu()\n",
        encoding="utf-8",
    )
    out = tmp_path / "mg.dvar"
    assert cli.main(["trace", str(path), "--var", "loss", "-o", str(out)]) == 0
    ev = core.evaluate(core.load(out))
    assert ev.values[ev.output] == 9.0


def test_an_exception_names_itself_and_the_scripts_line(
    script: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    out = tmp_path / "never.dvar"
    assert cli.main(["trace", str(script), "--function", "broken", "--set", "a=1", "-o", str(out)])
    line = one_error_line(capsys)
    assert f"{script}, line 16: NameError: name 'missing_name' is not defined" in line
    assert not out.exists()
    crash = tmp_path / "crash.py"
    crash.write_text("x = 1\n\ny = 1 / 0\n", encoding="utf-8")
    assert cli.main(["trace", str(crash), "--var", "y", "-o", str(out)]) == 2
    assert "crash.py, line 3: ZeroDivisionError: division by zero" in one_error_line(capsys)
    syntax = tmp_path / "syntax.py"
    syntax.write_text("x = 1\ny = (\n", encoding="utf-8")
    assert cli.main(["trace", str(syntax), "--var", "y", "-o", str(out)]) == 2
    assert "syntax.py, line 2: SyntaxError" in one_error_line(capsys)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--function", "nope"], "defines no function named 'nope'"),
        (["--var", "nope"], "defines no variable named 'nope'"),
        (
            ["--var", "number"],
            "number is not a dvar.Value, a Graph or a micrograd Value (it is int)",
        ),
        (["--function", "number"], "number is not a function (it is int)"),
        (["--function", "f", "--set", "a=1"], "parameter 'b'"),
        (["--function", "f", "--set", "a=x"], "--set:"),
        (["--var", "y", "--set", "a=1"], "goes with --function"),
        ([], "one of the arguments --function --var is required"),
    ],
)
def test_bad_requests_are_one_line(
    script: Path, capsys: pytest.CaptureFixture, args: list[str], reason: str
) -> None:
    assert cli.main(["trace", str(script), *args]) == 2
    assert reason in one_error_line(capsys)


def test_a_missing_script(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["trace", str(tmp_path / "none.py"), "--var", "x"]) == 2
    assert "no such file" in one_error_line(capsys)


def test_without_output_the_graph_opens_in_its_own_process(
    script: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = []
    monkeypatch.setattr(core, "show", shown.append)
    assert cli.main(["trace", str(script), "--var", "y"]) == 0
    assert len(shown) == 1 and isinstance(shown[0], core.Graph)


def test_opening_a_python_file_is_refused(script: Path, capsys: pytest.CaptureFixture) -> None:
    assert cli.main([str(script)]) == 2
    line = one_error_line(capsys)
    assert "never runs a file to open it" in line and "dvar trace" in line


HEADLESS = """
import json, sys
from dvar.gui.app import cli
code = cli.main(["trace", sys.argv[1], "--function", "f", "--set", "a=5", "b=3", "c=2",
                 "-o", sys.argv[2]])
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(json.dumps({"code": code, "qt": qt}))
"""


@pytest.mark.slow
def test_tracing_to_a_file_loads_no_qt(script: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.dvar"
    done = subprocess.run(
        [sys.executable, "-c", HEADLESS, str(script), str(out)],
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == {"code": 0, "qt": []}
    assert core.evaluate(core.load(out)).values["J"] == 33
