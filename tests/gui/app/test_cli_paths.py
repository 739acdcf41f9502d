"""``dvar paths FILE NODE [--json]``: the table, the JSON, refusals, many paths, no Qt."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dvar import core
from dvar.gui.app import cli
from tests.core.test_paths import diamonds

LECTURE = str(core.examples()["lecture"])


def _strict_json(text: str) -> object:
    def refuse(constant: str) -> None:
        raise AssertionError(f"non-standard JSON number {constant}")

    return json.loads(text, parse_constant=refuse)


def test_json_of_the_lecture_is_the_issues_shape(capsys) -> None:
    assert cli.main(["paths", LECTURE, "b", "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.endswith("\n") and out.count("\n") == 1
    data = _strict_json(out)
    assert list(data) == ["node", "output", "derivative", "count", "paths", "sum"]
    # In the lecture's file v = a + u and J = three·v, so u and v feed slot 1.
    assert data == {
        "node": "b",
        "output": "J",
        "derivative": 6,
        "count": 1,
        "paths": [
            {"nodes": ["b", "u", "v", "J"], "slots": [0, 1, 1], "factors": [2, 1, 3], "product": 6}
        ],
        "sum": 6,
    }


def test_derivative_is_what_dvar_eval_gives(capsys) -> None:
    assert cli.main(["eval", LECTURE, "--json"]) == 0
    grads = json.loads(capsys.readouterr().out)["grads"]
    for node, grad in grads.items():
        assert cli.main(["paths", LECTURE, node, "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["derivative"] == grad
        assert data["sum"] == grad


def test_text_table(capsys) -> None:
    assert cli.main(["paths", LECTURE, "c"]) == 0
    out = capsys.readouterr().out
    assert "1 path from c to J; dc = 9" in out
    assert "c → u → v → J" in out
    assert "∂u/∂c · ∂v/∂u · ∂J/∂v = 3 · 1 · 3" in out
    assert "Sum of the products: 9" in out
    assert "dc = du · ∂u/∂c = du · b = 3 · 3 = 9" in out


def test_x_times_x_lists_two_paths(tmp_path: Path, capsys) -> None:
    g = core.Graph()
    g.add_node("input", "x", value=3.0)
    g.add_node("mul", "J", inputs=["x", "x"])
    g.set_output("J")
    path = tmp_path / "square.dvar"
    core.save(g, path)
    assert cli.main(["paths", str(path), "x", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["count"] == 2
    assert [p["slots"] for p in data["paths"]] == [[0], [1]]
    assert data["sum"] == data["derivative"] == 6


def test_more_than_a_thousand_paths_are_counted_not_listed(tmp_path: Path, capsys) -> None:
    path = tmp_path / "diamonds.dvar"
    core.save(diamonds(60), path)
    assert cli.main(["paths", str(path), "x0", "--json"]) == 0
    data = _strict_json(capsys.readouterr().out)
    assert data["count"] == 2**60
    assert data["paths"] is None and data["sum"] is None
    assert data["derivative"] == core.evaluate(core.load(path)).grads["x0"]
    assert cli.main(["paths", str(path), "x0"]) == 0
    out = capsys.readouterr().out
    assert f"{2**60:,} paths from x0 to x60" in out
    assert "More than 1,000 paths" in out
    assert "da0 · ∂a0/∂x0" in out and f"({2**59:,} paths)" in out


def test_non_finite_numbers_are_null(tmp_path: Path, capsys) -> None:
    g = core.Graph()
    g.add_node("input", "x", value=-1.0)
    g.add_node("sqrt", "r", inputs=["x"])
    g.add_node("mul", "J", inputs=["r", "x"])
    g.set_output("J")
    path = tmp_path / "sqrt.dvar"
    core.save(g, path)
    assert cli.main(["paths", str(path), "x", "--json"]) == 0
    data = _strict_json(capsys.readouterr().out)
    assert data["derivative"] is None and data["sum"] is None
    assert None in data["paths"][0]["factors"]


@pytest.mark.parametrize(
    "args",
    [
        ["paths", LECTURE, "nope"],
        ["paths", LECTURE, "nope", "--json"],
        ["paths", "/no/such/file.dvar", "b"],
        ["paths", LECTURE],
    ],
)
def test_bad_input_is_one_error_line(args: list[str], capsys) -> None:
    assert cli.main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1 and err.startswith("dvar: error: ")


def test_no_output_chosen_is_refused(tmp_path: Path, capsys) -> None:
    g = core.load(LECTURE)
    g.set_output(None)
    path = tmp_path / "no-output.dvar"
    core.save(g, path)
    assert cli.main(["paths", str(path), "b"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("dvar: error: ") and "no output" in err
    assert len(err.splitlines()) == 1


SCRIPT = """
import json, sys
import dvar.gui.app.cli
code = dvar.gui.app.cli.main(["paths", sys.argv[1], "b", "--json"])
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(json.dumps({"code": code, "qt": qt}), file=sys.stderr)
"""


@pytest.mark.slow
def test_paths_loads_no_qt(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, LECTURE],
        capture_output=True,
        encoding="utf-8",
        timeout=60,
        cwd=tmp_path,
        check=False,
    )
    assert json.loads(result.stderr.strip().splitlines()[-1]) == {"code": 0, "qt": []}
    assert json.loads(result.stdout)["sum"] == 6
