"""``dvar worksheet FILE -o OUT.pdf [--hide …] [--answers] [--paper …]``: the PDF's pages
and paper, the answer key on its own page, and one-line refusals with status 2."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dvar import core
from dvar.core.resources import lessons
from dvar.core.worksheet import blanks
from dvar.gui.app import cli
from tests.core.helpers import build

LECTURE = str(core.examples()["lecture"])
LOGISTIC = str(core.examples()["logistic_regression"])
LESSON = str(lessons()["derivatives-with-a-computation-graph"])


def pdf_pages(path: Path) -> int:
    """The page count, read by a PDF reader (pdfinfo) when there is one, else counted."""
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
        return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))


def page_points(path: Path) -> tuple[float, float]:
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo is not installed")
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    width, height = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+)", info.stdout, re.M).groups()
    return float(width), float(height)


def refused(capsys, *args: str) -> str:
    assert cli.main(["worksheet", *args]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("dvar: error: ") and err.count("\n") == 1
    return err


# ------------------------------------------------------------------ worksheets
def test_the_lecture_on_one_a4_page(tmp_path, capsys):
    out = tmp_path / "sheet.pdf"
    assert cli.main(["worksheet", LECTURE, "-o", str(out)]) == 0
    graph = core.load(LECTURE)
    count = len(blanks(graph, core.evaluate(graph)))
    assert capsys.readouterr().out == f"{out}: 1 page, {count} blanks\n"
    assert pdf_pages(out) == 1
    width, height = page_points(out)
    assert (round(width), round(height)) == (595, 842)  # A4, portrait


def test_the_answer_key_is_a_page_of_its_own(tmp_path, capsys):
    out = tmp_path / "key.pdf"
    assert cli.main(["worksheet", LECTURE, "-o", str(out), "--answers"]) == 0
    assert "with the answer key" in capsys.readouterr().out
    assert pdf_pages(out) == 2


def test_letter_paper(tmp_path):
    out = tmp_path / "letter.pdf"
    assert cli.main(["worksheet", LECTURE, "-o", str(out), "--paper", "letter"]) == 0
    width, height = page_points(out)
    assert (round(width), round(height)) == (612, 792)


def test_a_wide_graph_turns_the_page_and_a_long_table_goes_on(tmp_path):
    out = tmp_path / "wide.pdf"
    hide = ["--hide", "derivatives", "--hide", "values", "--hide", "locals"]
    assert cli.main(["worksheet", LOGISTIC, "-o", str(out), *hide]) == 0
    width, height = page_points(out)
    assert width > height  # landscape: the logistic graph is four times wider than tall
    graph = core.load(LOGISTIC)
    count = len(blanks(graph, core.evaluate(graph), ["derivatives", "values", "locals"]))
    assert count > 40 and pdf_pages(out) >= 3


def test_hide_may_be_repeated_and_the_lesson_is_the_default(tmp_path, capsys):
    graph = core.load(LESSON)
    ev = core.evaluate(graph)
    out = tmp_path / "lesson.pdf"
    assert cli.main(["worksheet", LESSON, "-o", str(out)]) == 0
    alone = len(blanks(graph, ev, ["lesson"]))
    assert f"{alone} blanks" in capsys.readouterr().out
    hide = ["--hide", "derivatives", "--hide", "lesson"]
    assert cli.main(["worksheet", LESSON, "-o", str(out), *hide]) == 0
    wanted = len(blanks(graph, ev, ["derivatives", "lesson"]))
    assert wanted > alone and f"{wanted} blanks" in capsys.readouterr().out


def test_the_file_is_written_whole_or_not_at_all(tmp_path, capsys):
    out = tmp_path / "sheet.pdf"
    out.write_bytes(b"old")
    refused(capsys, LECTURE, "-o", str(out), "--hide", "colours")
    assert out.read_bytes() == b"old"
    assert cli.main(["worksheet", LECTURE, "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")


# ------------------------------------------------------------------ refusals
def test_refusals_name_the_problem(tmp_path, capsys):
    missing = tmp_path / "missing.dvar"
    out = str(tmp_path / "out.pdf")
    assert "missing.dvar" in refused(capsys, str(missing), "-o", out)
    assert "cannot hide 'colours'" in refused(capsys, LECTURE, "-o", out, "--hide", "colours")
    assert "has no lesson" in refused(capsys, LECTURE, "-o", out, "--hide", "lesson")
    assert "a4 or letter" in refused(capsys, LECTURE, "-o", out, "--paper", "a5")
    assert ".pdf" in refused(capsys, LECTURE, "-o", str(tmp_path / "out.png"))
    assert "the following arguments are required" in refused(capsys, LECTURE)
    nowhere = str(tmp_path / "no" / "such" / "folder" / "out.pdf")
    assert "does not exist" in refused(capsys, LECTURE, "-o", nowhere)
    assert not list(tmp_path.glob("*.pdf"))


def test_a_graph_with_nothing_to_hide(tmp_path, capsys):
    no_output = tmp_path / "no-output.dvar"
    core.save(build([("a", "input", 1.0), ("b", "neg", ["a"])]), no_output)
    assert "no output" in refused(capsys, str(no_output), "-o", str(tmp_path / "x.pdf"))
    inputs = tmp_path / "inputs.dvar"
    core.save(build([("a", "input", 1.0)], "a"), inputs)
    err = refused(capsys, str(inputs), "-o", str(tmp_path / "x.pdf"), "--hide", "values")
    assert "nothing to hide" in err


def test_an_unwritable_output(tmp_path, capsys):
    folder = tmp_path / "taken.pdf"
    folder.mkdir()  # a folder where the file should go
    assert "it is a folder" in refused(capsys, LECTURE, "-o", str(folder))
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            return  # this user (root) may write anywhere
        assert "cannot write" in refused(capsys, LECTURE, "-o", str(locked / "out.pdf"))
    finally:
        locked.chmod(0o700)
