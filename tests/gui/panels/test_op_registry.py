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
from dvar.gui.panels.operations import DESCRIPTION_ROLE, OP_ROLE, SYMBOL_ROLE, Palette


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
    rows = [
        (item.text(), item.data(SYMBOL_ROLE), item.data(DESCRIPTION_ROLE))
        for item in palette.list.op_items()
    ]
    assert ("cube", "³", "Cube") in rows  # no description given: the title stands in
    assert heading_of(palette, "cube") == "Functions"  # no group given: the default one


@pytest.mark.parametrize("group", ["Activations", "Experiments"])
def test_a_registered_op_sits_under_the_group_it_names(qtbot, group) -> None:
    ops.register(
        ops.Op(
            "softsign",
            1,
            "ss",
            "Softsign",
            "{0} / (1.0 + fabs({0}))",
            ("1.0 / ((1.0 + fabs({0})) * (1.0 + fabs({0})))",),
            ("1/(1 + |{0}|)²",),
            group=group,
            description="Squashes into (−1, 1), gently",
        )
    )
    try:
        palette = Palette()
        qtbot.addWidget(palette)
    finally:
        ops.unregister("softsign")
    assert heading_of(palette, "softsign") == group
    headings = [item.text() for item in palette_rows(palette) if item.data(OP_ROLE) is None]
    assert headings == sorted(set(headings), key=headings.index)  # each group once
    if group == "Experiments":  # a new group comes after dvar's own
        assert headings[-1] == "Experiments"


def palette_rows(palette):
    return [palette.list.item(row) for row in range(palette.list.count())]


def heading_of(palette, op: str) -> str:
    """The group heading the op's row sits under."""
    heading = ""
    for item in palette_rows(palette):
        if item.data(OP_ROLE) is None:
            heading = item.text()
        elif item.data(OP_ROLE) == op:
            return heading
    raise AssertionError(f"{op} is not in the palette")


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
