"""One op registry: an op added to the table alone appears everywhere dvar knows ops."""

from __future__ import annotations

import contextlib
import io
import json
import runpy
import sys

import pytest

from dvar import core
from dvar.core import ops
from dvar.gui.app.cli import main
from dvar.gui.panels.operations import Palette


@pytest.fixture
def cube():
    """A throwaway op, registered for one test: x³, with its derivative 3x²."""
    op = ops.register(
        ops.Op(
            "cube",
            1,
            "³",
            "Cube",
            "{0} * {0} * {0}",
            ("3.0 * {0} * {0}",),
            ("3{0}²",),
            template="{0}³",
            function="cube",
        )
    )
    yield op
    ops.unregister("cube")


def test_a_registered_op_is_in_the_palette(qtbot, cube) -> None:
    palette = Palette()
    qtbot.addWidget(palette)
    names = [palette.item(i).text() for i in range(palette.count())]
    assert "cube   ³" in names


def test_a_registered_op_is_known_to_formulas_and_shown_with_its_template(cube) -> None:
    from dvar.core.text import formula

    g = core.graph_from_formula("J = cube(x) + x")
    g.set_value("x", 2.0)
    ev = core.evaluate(g)
    assert ev.values["J"] == 10.0
    assert ev.grads["x"] == 3 * 2.0**2 + 1  # checked by hand: d(x³ + x)/dx = 3x² + 1
    node = next(n for n in g.nodes() if n.op.name == "cube")
    assert formula(g, node) == f"{node.id} = x³"
    assert "cube" in core.formula.FUNCTIONS


def test_a_registered_op_works_in_dvar_eval_and_the_exported_script(tmp_path, cube) -> None:
    g = core.Graph()
    g.add_node("input", "x", value=1.5)
    g.add_node("cube", "y", inputs=["x"])
    g.set_output("y")
    path = tmp_path / "cube.dvar"
    core.save(g, path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["eval", str(path), "--json"]) == 0
    result = json.loads(out.getvalue())
    assert result["values"]["y"] == 1.5**3 and result["grads"]["x"] == 3 * 1.5**2
    script = tmp_path / "cube.py"
    script.write_text(core.to_python(g), encoding="utf-8")
    out = io.StringIO()
    saved = sys.argv
    sys.argv = [str(script), "--json"]
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(str(script), run_name="__main__")
    finally:
        sys.argv = saved
    assert json.loads(out.getvalue()) == result


def test_an_op_of_dvars_own_cannot_be_replaced_or_removed() -> None:
    with pytest.raises(ValueError, match="already"):
        ops.register(ops.OPS["add"])
    with pytest.raises(ValueError, match="own"):
        ops.unregister("add")
