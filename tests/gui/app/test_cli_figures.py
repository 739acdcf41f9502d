"""``dvar export`` for figures: TikZ and DOT without Qt, --backward and --only for every
format, and --steps to a PDF page or a GIF frame per step."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from dvar import core
from dvar.gui.app import cli

LECTURE = str(core.examples()["lecture"])


def export(capsys, *args: str) -> tuple[int, str]:
    code = cli.main(["export", LECTURE, *args])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "x.png", "--steps", "forward"], "--steps writes a .pdf"),
        (["-o", "x.svg", "--steps", "backward"], "--steps writes a .pdf"),
        (["-o", "x.tex", "--steps", "backward"], "--steps writes a .pdf"),
        (["-o", "x.gif"], "a GIF is written with --steps"),
        (["-o", "x.pdf", "--frame-ms", "300"], "--frame-ms goes with --steps"),
        (["-o", "x.dot", "--tikz-body"], "--tikz-body goes with a .tex output"),
        (["-o", "x.png", "--only", "a,zz,q"], "--only: the graph has no node 'zz', 'q'"),
        (["-o", "x.tex", "--only", ","], "--only: no node is named"),
        (["-o", "x.py", "--backward"], "OUT.py is a script"),
        (["-o", "x.pdf", "--steps", "sideways"], "invalid choice"),
        (["-o", "x.jpg"], "cannot export to '.jpg'; name the file .png, .svg, .pdf, .tex"),
        (["-o", "x"], "cannot export to no extension"),
    ],
)
def test_bad_figure_options_exit_2_with_one_line(capsys, tmp_path, args, message):
    args = [str(tmp_path / a) if a.startswith("x.") else a for a in args]
    code, err = export(capsys, *args)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("dvar: error: ") and message in err
    assert list(tmp_path.iterdir()) == []


def test_backward_steps_need_an_output(capsys, tmp_path):
    source = tmp_path / "no-output.dvar"
    graph = core.load(LECTURE)
    graph.set_output(None)
    core.save(graph, source)
    code = cli.main(["export", str(source), "-o", str(tmp_path / "s.pdf"), "--steps", "backward"])
    err = capsys.readouterr().err
    assert code == 2 and "has no output" in err and err.count("\n") == 1


def test_tex_and_dot(capsys, tmp_path):
    tex, body, dot = tmp_path / "f.tex", tmp_path / "b.tex", tmp_path / "f.dot"
    assert export(capsys, "-o", str(tex), "--backward")[0] == 0
    assert export(capsys, "-o", str(body), "--tikz-body", "--only", "u,b")[0] == 0
    assert export(capsys, "-o", str(dot), "--no-values")[0] == 0
    text = tex.read_text()
    assert text.startswith("% J = 3(a + bc)") and "dvar backward" in text
    assert "\\documentclass" not in body.read_text() and body.read_text().count("% ") >= 2
    assert "u = b·c<" in dot.read_text() and "du" not in dot.read_text()


SCRIPT = """
import json, sys
import dvar.gui.app.cli as cli
args = ["--backward", "--only", "J,v"]
codes = [cli.main(["export", sys.argv[1], "-o", sys.argv[2] + suffix, *args])
         for suffix in (".tex", ".dot")]
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(json.dumps({"codes": codes, "qt": qt}))
"""


@pytest.mark.slow
def test_tex_and_dot_export_load_no_qt(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, LECTURE, str(tmp_path / "figure")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {"codes": [0, 0], "qt": []}
    assert (tmp_path / "figure.tex").exists() and (tmp_path / "figure.dot").exists()


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_backward_and_only_change_every_image_format(capsys, tmp_path, fmt):
    plain, backward, only = (tmp_path / f"{n}.{fmt}" for n in ("plain", "backward", "only"))
    assert export(capsys, "-o", str(plain))[0] == 0
    assert export(capsys, "-o", str(backward), "--backward")[0] == 0
    assert export(capsys, "-o", str(only), "--only", "J, v")[0] == 0
    assert plain.read_bytes() != backward.read_bytes()
    if fmt == "png":
        whole, part = QImage(str(plain)), QImage(str(only))
        assert part.width() < whole.width() and part.height() < whole.height()
    if fmt == "svg":
        assert "output J = 33" in only.read_text()  # the description
        assert ">b = 3<" not in only.read_text().replace(" ", "")


def expected_frames(steps: str) -> int:
    """Step 0, then one step per node the pass visits: every node with a derivative
    backward, but for an inline constant (a number on its port); forward, every node
    but the constants (known from the start)."""
    graph = core.load(LECTURE)
    if steps == "backward":
        grads = core.evaluate(graph).grads
        return 1 + sum(
            1
            for node in graph
            if grads[node.id] is not None and not graph.is_inline_constant(node.id)
        )
    return 1 + sum(1 for node in graph if node.op.name != "const")


@pytest.mark.parametrize("steps", ["backward", "forward"])
def test_steps_as_pdf_pages(capsys, tmp_path, steps):
    out = tmp_path / "steps.pdf"
    code, err = export(capsys, "-o", str(out), "--steps", steps)
    assert code == 0, err
    pages = re.findall(rb"/Type\s*/Page[^s]", out.read_bytes())  # Qt writes no object streams
    assert len(pages) == expected_frames(steps) == 7  # 6 steps and step 0, either way


@pytest.mark.parametrize("steps", ["backward", "forward"])
def test_steps_as_a_gif(capsys, tmp_path, steps):
    from PIL import Image, ImageChops

    out = tmp_path / "steps.gif"
    frames = expected_frames(steps)
    code, err = export(
        capsys, "-o", str(out), "--steps", steps, "--frame-ms", "250", "--scale", "1"
    )
    assert code == 0, err
    with Image.open(out) as gif:
        assert gif.n_frames == frames
        durations, pictures = [], []
        for index in range(gif.n_frames):
            gif.seek(index)
            durations.append(gif.info["duration"])
            pictures.append(gif.convert("RGB"))
    assert durations == [250] * (frames - 1) + [750]
    width, height = pictures[-1].size
    assert {pictures[-1].getpixel((x, height - 1)) for x in range(width)} == {(255, 255, 255)}
    for before, after in zip(pictures, pictures[1:], strict=False):
        assert ImageChops.difference(before, after).getbbox() is not None  # each step shows more


def test_steps_of_a_part_are_the_steps_at_its_nodes(capsys, tmp_path):
    from PIL import Image

    out = tmp_path / "part.gif"
    code, err = export(capsys, "-o", str(out), "--steps", "backward", "--only", "u,b,c")
    assert code == 0, err
    with Image.open(out) as gif:
        assert gif.n_frames == 1 + 3  # the start, then du, db and dc


def test_a_pass_too_long_to_draw_is_refused(capsys, tmp_path, monkeypatch):
    from dvar.gui.canvas import export_steps as drawing

    monkeypatch.setattr(drawing, "MAX_STEP_FRAMES", 4)
    code, err = export(capsys, "-o", str(tmp_path / "s.pdf"), "--steps", "backward")
    assert code == 2 and "the pass has 6 steps, more than the 3" in err
    assert err.count("\n") == 1 and not (tmp_path / "s.pdf").exists()


def test_notes_show_in_every_image_format_but_not_in_a_part(capsys, tmp_path):
    from dvar.core.notes import Note

    source = tmp_path / "noted.dvar"
    graph = core.load(LECTURE)
    graph.add_note(Note.make("note", -600, -400, text="Remember: dJ/dJ = 1"))
    core.save(graph, source)
    sizes = {}
    for name, extra in (("plain", []), ("noted", []), ("part", ["--only", "u"])):
        out = tmp_path / f"{name}.png"
        file = LECTURE if name == "plain" else str(source)
        assert cli.main(["export", file, "-o", str(out), "--scale", "1", *extra]) == 0
        image = QImage(str(out))
        sizes[name] = (image.width(), image.height())
    assert sizes["noted"][0] >= sizes["plain"][0] + 500  # the note, far to the left
    assert sizes["noted"][1] >= sizes["plain"][1] + 350
    assert sizes["part"][0] < sizes["plain"][0]
    svg = tmp_path / "noted.svg"
    assert cli.main(["export", str(source), "-o", str(svg)]) == 0
    assert "Remember: dJ/dJ = 1" in svg.read_text()
    capsys.readouterr()
