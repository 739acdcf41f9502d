"""The editor shows one answer for one graph: on open, after a value edit, and after the
plan compiled while the editor was idle, every derivative reads the same."""

from __future__ import annotations

from dvar import core
from dvar.gui.app.window import MainWindow
from dvar.gui.document.document import PREPARE_DELAY_MS, Document
from tests.gui.helpers import fit, keys, type_value


def test_a_cancelling_sum_reads_the_same_before_and_after_idle_compilation(qtbot) -> None:
    graph = core.graph_from_formula("J = x*1 + x*1e16 + x*(-1e16)")
    expected = core.evaluate(core.loads(core.dumps(graph))).grads["x"]
    window = MainWindow(Document(graph))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    fit(window)
    x = keys(window)["x"]
    item = window.scene.nodes[x]
    shown = [item.grad_text]
    assert window.document.evaluation.grads["x"] == expected
    type_value(window, qtbot, x, "2")
    shown.append(item.grad_text)
    qtbot.wait(PREPARE_DELAY_MS + 300)  # idle: the plan compiles
    assert window.document.graph.cached_plan.compiled is not None
    type_value(window, qtbot, x, "3")
    shown.append(item.grad_text)
    assert window.document.evaluation.grads["x"] == expected
    assert shown == ["dx = 0"] * 3
