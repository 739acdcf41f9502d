"""`dvar new --formula … --set … -o FILE`: the formula parser from the command line."""

import subprocess
import sys

import pytest

from dvar import core
from dvar.gui.app.cli import main


def test_new_writes_the_lecture_graph(tmp_path, capsys):
    out = tmp_path / "j.dvar"
    status = main(
        [
            "new",
            "--formula",
            "J = 3*(a + b*c)",
            "--set",
            "a=5",
            "b=3",
            "--set",
            "c=2",
            "-o",
            str(out),
        ]
    )
    assert status == 0
    ev = core.evaluate(core.load(out))
    assert ev.values["J"] == 33 and [ev.grads[n] for n in "abc"] == [3, 6, 9]
    assert capsys.readouterr().err == ""


def test_inputs_without_values_start_at_one_with_a_warning(tmp_path, capsys):
    out = tmp_path / "x.dvar"
    assert main(["new", "--formula", "u = b*c; J = a + u", "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("dvar: warning:") and "1" in err
    assert core.evaluate(core.load(out)).values["J"] == 2


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--formula", "J = a.b"], ["line 1, column", "attribute"]),
        (["--formula", "J = __import__('os')"], ["line 1"]),
        (["--formula", "J = 2*a", "--set", "a=x"], ["--set", "'x'"]),
        (["--formula", "J = 2*a", "--set", "a"], ["--set", "NAME=VALUE"]),
        (["--formula", "J = 2*a", "--set", "q=1"], ["q"]),
    ],
)
def test_bad_input_is_one_line_and_no_file(tmp_path, capsys, args, words):
    out = tmp_path / "never.dvar"
    assert main(["new", *args, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("dvar: error:")
    for word in words:
        assert word in err
    assert not out.exists()


@pytest.mark.slow
def test_new_as_a_subprocess(tmp_path):
    out = tmp_path / "s.dvar"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "dvar",
            "new",
            "--formula",
            "J = x*x",
            "--set",
            "x=3",
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert core.evaluate(core.load(out)).grads["x"] == 6
