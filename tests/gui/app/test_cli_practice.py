"""`dvar new --practice LEVEL [--seed S] -o FILE`: a practice problem from the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dvar import core
from dvar.gui.app.cli import main


def test_a_level_and_a_seed_make_the_problem_and_say_so(tmp_path: Path, capsys) -> None:
    out = tmp_path / "p.dvar"
    assert main(["new", "--practice", "2", "--seed", "4217", "-o", str(out)]) == 0
    printed, err = capsys.readouterr()
    assert printed == "level 2, seed 4217\n" and err == ""
    assert core.dumps(core.load(out)) == core.dumps(core.make_problem(2, 4217))


def test_without_a_seed_a_random_one_is_chosen_and_printed(tmp_path: Path, capsys) -> None:
    seeds = set()
    for k in range(4):
        out = tmp_path / f"p{k}.dvar"
        assert main(["new", "--practice", "3", "-o", str(out)]) == 0
        printed = capsys.readouterr().out
        level, seed = printed.removesuffix("\n").split(", ")
        assert level == "level 3" and seed.startswith("seed ")
        seed_number = int(seed.removeprefix("seed "))
        seeds.add(seed_number)
        # the printed seed is enough to share the problem
        assert core.dumps(core.load(out)) == core.dumps(core.make_problem(3, seed_number))
    assert len(seeds) > 1


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--practice", "5"], ["--practice", "1, 2, 3, 4", "'5'"]),
        (["--practice", "two"], ["--practice", "'two'"]),
        (["--practice", "1", "--seed", "-3"], ["--seed", "'-3'"]),
        (["--practice", "1", "--seed", "x1"], ["--seed", "'x1'"]),
        (["--practice", "1", "--seed", "99999999999"], ["--seed", "2147483647"]),
        (["--practice", "1", "--set", "a=1"], ["--set", "--formula"]),
        (["--formula", "J = 2*a", "--seed", "4"], ["--seed", "--practice"]),
        (["--formula", "J = 2*a", "--practice", "1"], ["not allowed with"]),
        ([], ["--formula", "--practice"]),
    ],
)
def test_bad_input_is_one_line_and_no_file(tmp_path: Path, capsys, args, words) -> None:
    out = tmp_path / "never.dvar"
    assert main(["new", *args, "-o", str(out)]) == 2
    printed, err = capsys.readouterr()
    assert printed == ""
    assert err.count("\n") == 1 and err.startswith("dvar: error:"), err
    for word in words:
        assert word in err
    assert not out.exists()


def test_an_unwritable_file_is_one_line(tmp_path: Path, capsys) -> None:
    out = tmp_path / "missing-folder" / "p.dvar"
    assert main(["new", "--practice", "1", "--seed", "1", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"dvar: error: {out}: cannot write") and err.count("\n") == 1


@pytest.mark.slow
def test_practice_as_a_subprocess_loads_no_qt(tmp_path: Path) -> None:
    out = tmp_path / "s.dvar"
    code = (
        "import sys; from dvar.gui.app.cli import main; status = main(sys.argv[1:]); "
        "assert not [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]; "
        "sys.exit(status)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "new", "--practice", "4", "--seed", "7", "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "level 4, seed 7\n"
    assert core.load(out).extra["practice"] == {"level": 4, "seed": 7, "generator": 1}
