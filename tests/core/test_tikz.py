"""TikZ export: ASCII TeX that escapes every label, and a document pdflatex compiles."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from dvar import core
from dvar.core.notes import Note
from dvar.core.tikz import latex_text, to_tikz

NASTY = "Loss & {gain} 100% $5 #1 a_b x^2 ~ \\end{document} <b> | “q” é ñ ß α Δ 漢 \u0007 x·y −1"


@pytest.fixture
def lecture():
    graph = core.load(core.examples()["lecture"])
    return graph, core.evaluate(graph)


@pytest.mark.parametrize(
    ("text", "tex"),
    [
        ("a_b", r"a\_b"),
        ("50%", r"50\%"),
        ("{x}", r"\{x\}"),
        ("$", r"\$"),
        ("a&b", r"a\&b"),
        ("#", r"\#"),
        ("x^2", r"x\textasciicircum{}2"),
        ("~", r"\textasciitilde{}"),
        ("\\", r"\textbackslash{}"),
        ("b·c", r"b\ensuremath{\cdot}c"),
        ("σ(x)", r"\ensuremath{\sigma}(x)"),
        ("é", r"\'{e}"),
        ("漢", r"\texttt{[U+6F22]}"),
    ],
)
def test_latex_text_escapes(text, tex):
    assert latex_text(text) == tex


def test_latex_text_is_ascii_and_leaves_no_special_character_bare():
    out = latex_text(NASTY)
    assert out.isascii()
    bare = re.sub(r"\\[A-Za-z]+|\\.", "", out)  # drop every command and escaped character
    bare = re.sub(r"\{[^{}]*\}", "", bare)  # and the groups the commands take
    assert not set(bare) & set("$&#%_^~\\")


def test_the_document_has_the_lecture_at_its_canvas_positions(lecture):
    graph, ev = lecture
    tex = to_tikz(graph, ev)
    assert tex.isascii()
    assert tex.startswith("% J = 3(a + bc)")
    assert r"\documentclass{article}" in tex and r"\pagestyle{empty}" in tex
    assert re.findall(r"\\usepackage\{(\w+)\}", tex) == ["tikz"]
    assert tex.count(r"\begin{tikzpicture}") == 1
    u = graph.node("u")
    assert f"at ({u.x - 0 + 12:g}, {u.y + 27:g})" in tex  # the text, inside the box
    assert r"J = 3\ensuremath{\cdot}v = 33" in tex
    assert r"\textcolor{dvarred}{\itshape db = 6}" in tex
    assert r"\node[dvar chip]" in tex and "% three" in tex
    assert tex.count(r"\draw[dvar edge]") == 5
    assert "dvar backward]" not in tex


def test_backward_labels_and_the_body_alone(lecture):
    graph, ev = lecture
    body = to_tikz(graph, ev, backward=True, body=True)
    assert r"\documentclass" not in body and body.count(r"\begin{tikzpicture}") == 1
    assert body.count(r"\draw[dvar backward]") == 5
    assert "node[dvar label, midway, above=1pt] {2}" in body


def _pdflatex(folder: Path, tex: str) -> tuple[Path, str]:
    """Compile; the PDF and pdflatex's output (which says how many pages it wrote)."""
    source = folder / "figure.tex"
    source.write_text(tex, encoding="ascii")
    result = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", source.name],
        cwd=folder,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    return folder / "figure.pdf", result.stdout


needs_tex = pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")


@needs_tex
@pytest.mark.slow
@pytest.mark.parametrize("backward", [False, True])
def test_pdflatex_compiles_the_lecture_to_one_page(lecture, tmp_path, backward):
    graph, ev = lecture
    pdf, log = _pdflatex(tmp_path, to_tikz(graph, ev, backward=backward))
    assert "(1 page," in log
    assert "Overfull" not in log
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert text.count("db = 6") == 1 and "33" in text  # each text once: none hidden


@needs_tex
@pytest.mark.slow
def test_pdflatex_compiles_nasty_labels_ids_and_notes(tmp_path):
    graph = core.graph_from_formula("J = α * x1 + 2")
    graph.set_label("α", NASTY)
    graph.set_label("J", "}{ \\ % $")
    graph.add_note(Note.make("note", -200, -150, text=NASTY + "\nsecond line"))
    graph.add_note(Note.make("frame", -220, -200, text="Frame & co_1"))
    tex = to_tikz(graph, core.evaluate(graph))
    assert tex.isascii()
    _pdflatex(tmp_path, tex)


@needs_tex
@pytest.mark.slow
def test_the_body_compiles_inside_a_document_of_ones_own(lecture, tmp_path):
    graph, ev = lecture
    body = to_tikz(graph, ev, body=True, only=[graph.key_of("u"), graph.key_of("b")])
    document = (
        "\\documentclass{article}\n\\usepackage{tikz}\n"
        "\\usetikzlibrary{arrows.meta, calc, fit}\n\\begin{document}\n"
        f"Some notes.\n\n\\resizebox{{\\linewidth}}{{!}}{{{body}}}\n\\end{{document}}\n"
    )
    _pdflatex(tmp_path, document)
