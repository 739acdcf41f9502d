"""Drawing worksheets (gui/canvas/worksheet.py): each blank's number where its number
was, the table, the answer key, pages that run on, black-and-white ink in any theme,
and the graph left as it was."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from dvar import core
from dvar.core.groups import Group
from dvar.core.lesson import Lesson, Step
from dvar.core.resources import lessons
from dvar.core.worksheet import blanks
from dvar.gui.canvas.export_formats import ExportError
from dvar.gui.canvas.worksheet import open_worksheet, sheet_overlay, write_worksheet
from dvar.gui.dialogs.preferences import apply_theme
from tests.core.helpers import build, lecture

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdftoppm")), reason="poppler-utils missing"
)


def text_of(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pages_as_images(path: Path, tmp_path: Path) -> list[Image.Image]:
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(tmp_path / "page")], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob("page-*.png"))]


def most_colourful(image: Image.Image) -> int:
    """The highest saturation of any pixel (0 to 255): 0 for greys, about 200 for red."""
    return image.convert("HSV").getchannel("S").getextrema()[1]


# ------------------------------------------------------------------ the overlay
def test_each_blank_shows_its_number_in_its_cell(qapp):
    graph = lecture()
    sheet = blanks(graph, core.evaluate(graph), ["derivatives", "locals"])
    overlay = sheet_overlay(sheet)
    assert {cell: mark.text for cell, mark in overlay.cells.items()} == {
        b.cell: f"[{b.number}]" for b in sheet
    }
    assert overlay.backward_shown


def test_a_values_sheet_shows_no_derivative(qapp):
    graph = lecture()
    overlay = sheet_overlay(blanks(graph, core.evaluate(graph), ["values"]))
    assert not overlay.backward_shown and overlay.derivatives == {}


def test_locals_are_drawn_in_the_backward_view_where_edges_carry_them(qapp):
    graph = lecture()
    with open_worksheet(graph, ["locals"]) as sheet:
        assert sheet.scene.backward_view
        labels = {edge.label for edge in sheet.scene.edges.values()}
        assert {b.mark for b in sheet.blanks} <= labels
    with open_worksheet(graph, ["derivatives"]) as sheet:
        assert not sheet.scene.backward_view


# ------------------------------------------------------------------ the PDF
@needs_poppler
def test_the_blanks_are_on_the_diagram_and_in_the_table(qapp, tmp_path):
    graph = lecture()
    out = tmp_path / "sheet.pdf"
    result = write_worksheet(graph, out, name="lecture.dvar")
    sheet = blanks(graph, core.evaluate(graph))
    assert (result.pages, result.blanks) == (1, len(sheet))
    text = text_of(out)
    assert graph.extra["title"] in text and "Name:" in text
    for blank in sheet:
        assert f"{blank.asked} = {blank.mark}" in text  # on the diagram
        row = [str(blank.number), blank.asked]
        assert any(line.split()[:2] == row for line in text.splitlines())  # in the table
        assert blank.working not in text  # no answers without the key


@needs_poppler
def test_the_answer_key_has_each_answer_and_its_working(qapp, tmp_path):
    graph = lecture()
    out = tmp_path / "key.pdf"
    assert write_worksheet(graph, out, answers=True).pages == 2
    key = text_of(out).split("\f")[1]
    assert key.lstrip().startswith("Answer key")
    for blank in blanks(graph, core.evaluate(graph)):
        assert f"{blank.number}" in key and blank.working in key


@needs_poppler
def test_a_long_table_runs_on_to_more_pages_and_every_page_is_numbered(qapp, tmp_path):
    spec = [("x0", "input", 0.5)] + [(f"x{i}", "sin", [f"x{i - 1}"]) for i in range(1, 40)]
    graph = build(spec, "x39")
    out = tmp_path / "long.pdf"
    result = write_worksheet(graph, out, hide=["derivatives", "values"])
    assert result.blanks == 79 and result.pages >= 3
    pages = text_of(out).split("\f")[: result.pages]
    for number, page in enumerate(pages, start=1):
        assert f"page {number} of {result.pages}" in page
    assert "(continued)" in pages[1]
    numbers = [line.split()[0] for page in pages for line in page.splitlines() if line.strip()]
    assert all(str(n) in numbers for n in range(1, 80))


@needs_poppler
@pytest.mark.parametrize("theme", ["light", "dark", "contrast"])
def test_ink_only_in_every_theme(qapp, tmp_path, theme):
    apply_theme(theme)
    out = tmp_path / "ink.pdf"
    write_worksheet(lecture(), out, hide=["derivatives", "locals"], answers=True)
    for image in pages_as_images(out, tmp_path):
        assert most_colourful(image) < 40  # no red derivatives, no amber output
        corner = image.getpixel((2, 2))
        assert min(corner) > 240  # white paper, even in the dark theme


def test_a_blank_on_a_constant_drawn_on_its_port_gets_a_box(qapp):
    graph = lecture()
    three = graph.key_of("three")  # drawn as a chip on J's port: no derivative line
    graph.set_lesson(
        Lesson("three", (Step("How much does J move with three?", ask=(("grad", three, 0),)),))
    )
    with open_worksheet(graph) as sheet:
        assert [b.asked for b in sheet.blanks] == ["dthree"]
        assert three not in sheet.scene.chips and three in sheet.scene.nodes
        assert sheet.scene.nodes[three].grad_text == "dthree = [1]"
    with open_worksheet(graph, ["derivatives"]) as sheet:  # dthree is not asked: a chip
        assert three in sheet.scene.chips


def test_a_collapsed_group_holding_blanks_is_drawn_open(qapp):
    graph = lecture()
    key = graph.key_of
    closed = (Group("u = b·c", (key("u"), key("b"), key("c")), collapsed=True),)
    graph.set_groups(closed)
    with open_worksheet(graph, ["derivatives"]) as sheet:
        assert {key("u"), key("b"), key("c")} <= set(sheet.scene.nodes)
        assert sheet.scene.nodes[key("b")].grad_text.startswith("db = [")
    assert graph.groups == closed  # opened on a copy only
    with open_worksheet(graph, ["values"]) as sheet:  # u's value is blank: open too
        assert key("u") in sheet.scene.nodes
    graph.set_groups((Group("a", (key("a"),), collapsed=True),))
    with open_worksheet(graph, ["values"]) as sheet:  # a holds no blank: stays closed
        assert key("a") not in sheet.scene.nodes


def test_a_sheet_of_the_lessons_questions_bears_the_lessons_title(qapp):
    graph = core.load(lessons()["paths-add-up"])
    with open_worksheet(graph) as sheet:
        assert sheet.title == graph.lesson.title
    with open_worksheet(graph, ["derivatives"]) as sheet:
        assert sheet.title == graph.extra["title"] != graph.lesson.title


def test_the_graph_is_left_as_it_was(qapp, tmp_path):
    graph = lecture()
    before = core.dumps(graph)
    write_worksheet(graph, tmp_path / "a.pdf", hide=["values", "locals"], answers=True)
    assert core.dumps(graph) == before
    graph.set_value("a", 6.0)  # no worksheet document is listening any more
    assert core.evaluate(graph).values["J"] == 36


def test_refusals_name_the_file(qapp, tmp_path):
    with pytest.raises(ExportError, match=r"out\.png: a worksheet is a PDF"):
        write_worksheet(lecture(), tmp_path / "out.png")
    with pytest.raises(ExportError, match="unknown paper 'a5'"):
        write_worksheet(lecture(), tmp_path / "out.pdf", paper="a5")
    no_output = build([("a", "input", 1.0), ("b", "neg", ["a"])])
    with pytest.raises(ExportError, match=r"out\.pdf: nothing to hide"):
        write_worksheet(no_output, tmp_path / "out.pdf")
    assert not list(tmp_path.iterdir())
