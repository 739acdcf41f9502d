"""Text every view shares: a node in its operands' names, and breakdowns as LaTeX."""

from __future__ import annotations

from dvar import core
from dvar.core.text import formula, to_latex
from tests.core.helpers import lecture


def test_the_lecture_reads_as_on_the_slide() -> None:
    g = lecture()
    shown = {n.id: formula(g, n) for n in g.nodes()}
    assert shown == {
        "a": "a",
        "b": "b",
        "c": "c",
        "u": "u = b·c",
        "v": "v = a + u",
        "three": "three = 3",
        "J": "J = three·v",
    }


def test_an_empty_slot_reads_as_a_box() -> None:
    g = core.Graph()
    g.add_node("input", "a", value=1.0)
    g.add_node("div", "q", inputs=["a", None])
    assert formula(g, g.node("q")) == "q = a / □"


def test_a_breakdown_as_latex() -> None:
    text = core.evaluate(lecture()).breakdown("b")
    assert to_latex(text) == (
        r"$db = du \cdot \frac{\partial u}{\partial b} = du \cdot c = 3 \cdot 2 = 6$"
    )
