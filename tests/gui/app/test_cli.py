"""``dvar eval FILE [--json]`` and ``dvar --version``: in process, and as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dvar import core
from dvar.gui.app import cli
from tests.core.bad_files import BAD, make, state

LECTURE = str(core.examples()["lecture"])
REPO = Path(__file__).resolve().parents[3]
VALUES = {"a": 5, "b": 3, "c": 2, "u": 6, "v": 11, "three": 3, "J": 33}
GRADS = {"a": 3, "b": 6, "c": 9, "u": 3, "v": 3, "three": 11, "J": 1}
DOMAIN_FILE = """{"format": "dvar", "version": 1, "output": "J", "nodes": [
  {"id": "x", "op": "input", "value": -2},
  {"id": "l", "op": "log", "inputs": ["x"]},
  {"id": "J", "op": "neg", "inputs": ["l"]},
  {"id": "ok", "op": "mul", "inputs": ["x", "x"]}]}
"""


def _strict_json(text: str) -> object:
    def refuse(constant: str) -> None:
        raise AssertionError(f"non-standard JSON number {constant}")

    return json.loads(text, parse_constant=refuse)


def _dvar_command() -> list[str]:
    script = Path(sys.executable).with_name("dvar")
    return [str(script)] if script.exists() else [sys.executable, "-m", "dvar"]


def run(*args: str, module: bool = False, cwd: Path | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "dvar"] if module else _dvar_command()
    return subprocess.run(
        [*command, *args], capture_output=True, timeout=60, cwd=cwd, encoding="utf-8", check=False
    )


def assert_refused(code: int, out: str, err: str, path: Path) -> None:
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("dvar: error: ")
    assert str(path) in lines[0]
    assert "Traceback" not in err


# ---------------------------------------------------------------- in process
def test_eval_prints_values_derivatives_and_breakdowns(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["eval", LECTURE]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "J = 33" in out
    for line in ("da = 3", "db = 6", "dc = 9", "du = 3", "dv = 3", "dthree = 11"):
        assert line in out
    assert "db = du · ∂u/∂b = du · c = 3 · 2 = 6" in out
    assert "dv = dJ · ∂J/∂v = dJ · 3 = 1 · 3 = 3" in out  # an inline constant by its number
    lines = out.splitlines()
    table = [line.split()[0] for line in lines[3:10]]
    assert table == ["J", "v", "a", "u", "b", "c", "three"]  # the backward order


def test_eval_json_has_exactly_the_documented_shape(capsys: pytest.CaptureFixture) -> None:
    assert cli.main(["eval", LECTURE, "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert _strict_json(out) == {"output": "J", "values": VALUES, "grads": GRADS, "errors": {}}


def test_eval_json_on_domain_errors_exits_0_with_nulls(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = tmp_path / "domain.dvar"
    path.write_text(DOMAIN_FILE, encoding="utf-8")
    assert cli.main(["eval", str(path), "--json"]) == 0
    out, _ = capsys.readouterr()
    result = _strict_json(out)
    assert set(result) == {"output", "values", "grads", "errors"}
    assert result["values"] == {"x": -2.0, "l": None, "J": None, "ok": 4.0}
    assert result["grads"] == {"x": None, "l": None, "J": None, "ok": 0.0}
    assert result["errors"]["l"] == "log of a negative number: x = -2"
    assert result["errors"]["J"] == "waits on l"
    assert cli.main(["eval", str(path)]) == 0
    out, _ = capsys.readouterr()
    assert "log of a negative number: x = -2" in out and "—" in out


def test_eval_without_an_output(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "open.dvar"
    path.write_text(
        '{"format": "dvar", "version": 1, "output": null, "nodes": '
        '[{"id": "x", "op": "input", "value": 2}]}',
        encoding="utf-8",
    )
    assert cli.main(["eval", str(path), "--json"]) == 0
    result = _strict_json(capsys.readouterr().out)
    assert result == {
        "output": None,
        "values": {"x": 2.0},
        "grads": {"x": None},
        "errors": {"x": "no output chosen"},
    }
    assert cli.main(["eval", str(path)]) == 0
    assert "no output" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_in_process(tmp_path: Path, capsys: pytest.CaptureFixture, name: str) -> None:
    path = make(tmp_path, name)
    before = state(path)
    code = cli.main(["eval", str(path), "--json"])
    out, err = capsys.readouterr()
    assert_refused(code, out, err, path)
    assert state(path) == before


@pytest.mark.parametrize(
    "args", [["eval"], ["eval", LECTURE, "--bogus"], ["eval", LECTURE, "extra"]]
)
def test_usage_errors_are_one_line(capsys: pytest.CaptureFixture, args: list[str]) -> None:
    assert cli.main(args) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1 and err.startswith("dvar: error: ")


# ---------------------------------------------------------------- subprocess
@pytest.mark.slow
def test_subprocess_eval_text(tmp_path: Path) -> None:
    result = run("eval", LECTURE, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for text in ("J = 33", "da = 3", "db = du · ∂u/∂b = du · c = 3 · 2 = 6", "dc = 9"):
        assert text in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("module", [False, True], ids=["dvar", "python -m dvar"])
def test_subprocess_eval_json(tmp_path: Path, module: bool) -> None:
    result = run("eval", LECTURE, "--json", module=module, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert _strict_json(result.stdout) == {
        "output": "J",
        "values": VALUES,
        "grads": GRADS,
        "errors": {},
    }


@pytest.mark.slow
def test_subprocess_domain_errors_exit_0(tmp_path: Path) -> None:
    path = tmp_path / "domain.dvar"
    path.write_text(DOMAIN_FILE, encoding="utf-8")
    result = run("eval", str(path), "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    document = _strict_json(result.stdout)
    assert document["values"]["l"] is None and "log of a negative" in document["errors"]["l"]


#: Every way of starting dvar: the installed command, the module, and the program
#: that PyInstaller freezes for the bundle.
LAUNCHERS = {
    "the dvar command": _dvar_command(),
    "python -m dvar": [sys.executable, "-m", "dvar"],
    "the bundle's entry": [sys.executable, str(REPO / "scripts" / "bundle-entry.py")],
}


@pytest.mark.slow
@pytest.mark.parametrize("launcher", sorted(LAUNCHERS))
def test_subprocess_version(launcher: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [*LAUNCHERS[launcher], "--version"],
        capture_output=True,
        timeout=60,
        cwd=tmp_path,  # not the checkout: dvar must come from the install
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"dvar {core.__version__}"
    assert result.stderr == ""


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BAD))
def test_subprocess_bad_file(tmp_path: Path, name: str) -> None:
    path = make(tmp_path, name)
    before = state(path)
    result = run("eval", str(path), cwd=tmp_path)
    assert_refused(result.returncode, result.stdout, result.stderr, path)
    assert state(path) == before


def test_bad_file_with_a_newline_in_its_name_is_still_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    path = tmp_path / "two\nlines.dvar"
    path.write_bytes(b"not json")
    assert cli.main(["eval", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1, err
    assert err.startswith("dvar: error: ") and "lines.dvar" in err
