"""dvar.show opens the editor in a process of its own without waiting; in a notebook,
Values and Graphs draw themselves as SVG through ``dvar export`` in a subprocess, so
the notebook's process never loads Qt."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import dvar
from dvar import core
from dvar.core import display as showing


def test_show_starts_the_editor_on_a_file_of_the_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    started = []

    class FakePopen:
        def __init__(self, command, **options):
            started.append((command, options))

    monkeypatch.setattr(showing.subprocess, "Popen", FakePopen)
    x = dvar.Value(3.0, "x")
    y = x * x
    y.name = "y"
    assert isinstance(dvar.show(y), FakePopen)
    ((command, options),) = started
    assert command[:3] == [sys.executable, "-m", "dvar"]
    assert options["start_new_session"] is True
    assert options["stdin"] is subprocess.DEVNULL
    g = core.load(command[3])
    assert g.output == "y" and core.evaluate(g).values["y"] == 9.0
    dvar.show(g)
    assert core.load(started[1][0][3]).output == "y"


def test_big_graphs_are_not_drawn_inline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(showing.subprocess, "run", None)  # must not be called
    x = dvar.Value(1.0, "x")
    y = x
    for _ in range(showing.SVG_LIMIT):
        y = y + x
    assert showing.svg(y.graph()) is None


def test_show_refuses_what_is_not_a_graph() -> None:
    with pytest.raises(TypeError, match="dvar.Value or a Graph"):
        dvar.show(42)


NOTEBOOK = """
import json, sys
import dvar
x = dvar.Value(2.0, "x")
y = dvar.tanh(x * x)
value_svg = y._repr_svg_()
graph_svg = dvar.load(dvar.example_path("lecture"))._repr_svg_()
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(json.dumps({"value": value_svg, "graph": graph_svg, "qt": qt}))
"""


@pytest.mark.slow
def test_values_and_graphs_draw_as_svg_without_qt_in_this_process() -> None:
    done = subprocess.run(
        [sys.executable, "-c", NOTEBOOK],
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.splitlines()[-1])
    assert report["qt"] == []
    for picture in (report["value"], report["graph"]):
        assert picture is not None and "<svg" in picture and picture.rstrip().endswith("</svg>")
    assert "33" in report["graph"]  # J's value is drawn
