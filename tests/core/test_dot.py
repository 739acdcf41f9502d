"""Graphviz export: left to right, the canvas's labels, escaped, and dot accepts it."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from dvar import core
from dvar.core.dot import to_dot
from dvar.core.notes import Note


@pytest.fixture
def lecture():
    graph = core.load(core.examples()["lecture"])
    return graph, core.evaluate(graph)


def node_names(dot: str) -> list[str]:
    return re.findall(r"^  (n\d+) \[label=<", dot, flags=re.MULTILINE)


def test_the_lecture_as_dot(lecture):
    graph, ev = lecture
    dot = to_dot(graph, ev)
    assert dot.startswith("digraph dvar {") and "rankdir=LR;" in dot
    # one node per box; the 3 sits on J's port, with no node of its own
    assert len(node_names(dot)) == 6
    assert f"n{graph.key_of('three')} " not in dot
    assert "J = 3·v = 33" in dot and "<I>db = 6</I>" in dot
    assert 'PORT="in0" BORDER="1" STYLE="rounded" CELLPADDING="1">3<' in dot
    edges = re.findall(r"n(\d+):out:e -> n(\d+):in(\d):w", dot)
    named = {(graph.id_of(int(s)), graph.id_of(int(c)), int(slot)) for s, c, slot in edges}
    assert named == {("a", "v", 0), ("u", "v", 1), ("b", "u", 0), ("c", "u", 1), ("v", "J", 1)}
    assert "dir=back" not in dot


def test_backward_edges_are_red_reversed_and_labelled(lecture):
    graph, ev = lecture
    dot = to_dot(graph, ev, backward=True)
    lines = [line for line in dot.splitlines() if "->" in line]
    assert len(lines) == 5 and all("dir=back" in line and "#c62828" in line for line in lines)
    b_to_u = next(line for line in lines if line.startswith(f"  n{graph.key_of('b')}:"))
    assert ">2</FONT>" in b_to_u  # ∂u/∂b = c = 2


def test_only_and_escaping(lecture):
    graph, ev = lecture
    graph.set_label("v", 'a <b> & "c"')
    dot = to_dot(graph, ev, only=[graph.key_of("v"), graph.key_of("J")])
    assert len(node_names(dot)) == 2
    assert "a &lt;b&gt; &amp; &quot;c&quot;" in dot and "<b>" not in dot
    assert dot.count("->") == 1


needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz not installed")


@needs_dot
@pytest.mark.parametrize("backward", [False, True])
def test_dot_accepts_it(lecture, backward):
    graph, ev = lecture
    graph.set_label("a", 'x <y> & "z" \\ ]] >>')
    graph.add_note(Note.make("note", 0, -200, text='a "note" \\ with\nlines & <tags>'))
    graph.add_note(Note.make("frame", 0, -300, text="frame"))
    result = subprocess.run(
        ["dot", "-Tsvg"],
        input=to_dot(graph, ev, backward=backward),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr and "Error" not in result.stderr
    svg = result.stdout
    assert "J = 3·v = 33" in svg and "dc = 9" in svg
    assert "x &lt;y&gt; &amp;" in svg
