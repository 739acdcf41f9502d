"""The Train dock: gradient descent on the parameters, one undoable edit per run."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from dvar import core
from dvar.gui.dialogs.preferences import apply_theme
from dvar.gui.document.document import Document
from dvar.gui.document.field_commands import SetField
from dvar.gui.teach.training import LossChart, nice_ticks


@pytest.fixture
def logistic(window):
    """The window on the logistic-regression example (w1, w2, b marked as parameters)."""
    window.set_document(Document.example("logistic_regression"))
    window.document.undo_stack.setClean()
    return window


def _row(panel, node_id):
    key = panel.document.graph.key_of(node_id)
    for index in range(panel.params.topLevelItemCount()):
        item = panel.params.topLevelItem(index)
        if item.data(0, Qt.ItemDataRole.UserRole) == key:
            return item
    raise AssertionError(f"no row for {node_id}")


def _params(graph):
    return {node.id: node.value for node in graph if node.param}


def test_the_dock_lists_inputs_with_the_parameters_ticked(logistic):
    panel = logistic.training
    assert logistic.docks["train"].widget() is panel
    ticked = {
        panel.params.topLevelItem(i).text(0).split()[0]
        for i in range(panel.params.topLevelItemCount())
        if panel.params.topLevelItem(i).checkState(0) == Qt.CheckState.Checked
    }
    assert ticked == {"w1", "w2", "b"}
    assert panel.params.topLevelItemCount() == 6  # x1 w1 x2 w2 b y
    assert _row(panel, "w1").text(1) == "0.5"
    assert panel.goal.currentText() == "Minimize L"


def test_ticking_a_box_marks_a_parameter_undoably(logistic):
    panel, graph = logistic.training, logistic.document.graph
    _row(panel, "x1").setCheckState(0, Qt.CheckState.Checked)
    assert graph.node("x1").param
    assert logistic.document.undo_stack.undoText() == "Mark x1 as parameter"
    _row(panel, "w2").setCheckState(0, Qt.CheckState.Unchecked)
    assert not graph.node("w2").param
    logistic.document.undo_stack.undo()
    assert graph.node("w2").param
    assert _row(panel, "w2").checkState(0) == Qt.CheckState.Checked
    logistic.document.undo_stack.undo()
    assert not graph.node("x1").param
    assert _row(panel, "x1").checkState(0) == Qt.CheckState.Unchecked


def test_fifty_steps_lower_the_loss_and_one_undo_restores_the_parameters(logistic):
    panel, graph = logistic.training, logistic.document.graph
    before = _params(graph)
    stack = logistic.document.undo_stack
    depth = stack.count()
    logistic.actions["train"].trigger()
    panel.run_button.click()
    result = panel.chart.points
    assert stack.count() == depth + 1  # the whole run is one edit
    assert stack.undoText().startswith("Train 50 steps (L 1.58051 → ")
    assert len(result) == 51
    assert all(b < a for a, b in zip(result, result[1:], strict=False))
    assert logistic.document.evaluation.values["L"] == pytest.approx(result[-1])
    assert result[-1] < result[0] / 10
    assert _params(graph) != before
    assert "50 steps: L 1.58051 → " in panel.status.text()
    stack.undo()
    assert _params(graph) == before  # exactly, not approximately
    assert panel.chart.points == []
    stack.redo()
    assert len(panel.chart.points) == 51


def test_runs_accumulate_on_the_chart_and_reset_goes_back_to_the_start(logistic):
    panel, graph = logistic.training, logistic.document.graph
    before = _params(graph)
    panel.step()
    panel.step()
    panel.steps_spin.setValue(10)
    panel.run()
    points = panel.chart.points
    assert len(points) == 13  # step 0, two single steps, then ten
    assert logistic.document.evaluation.values["L"] == pytest.approx(points[-1])
    assert panel.reset()
    assert _params(graph) == before
    assert panel.chart.points == []
    assert logistic.document.undo_stack.undoText() == "Reset training"
    logistic.document.undo_stack.undo()  # the reset, with its chart
    assert len(panel.chart.points) == 13
    logistic.document.undo_stack.undo()  # the run of ten
    assert len(panel.chart.points) == 3


def test_a_structural_edit_starts_the_history_afresh(logistic):
    panel, graph = logistic.training, logistic.document.graph
    panel.run(5)
    assert len(panel.chart.points) == 6
    # a value: the chart stays
    logistic.document.run(SetField.to(graph, graph.key_of("y"), "value", 1.0))
    assert len(panel.chart.points) == 6
    panel.run(5)  # J moved in between, so this starts a new session
    assert len(panel.chart.points) == 6
    logistic.scene.select_keys([graph.key_of("x2")])
    logistic.delete_selection()
    assert panel.chart.points == []


def test_maximize_raises_the_output(logistic):
    panel = logistic.training
    panel.set_maximize(True)
    assert panel.goal.currentText() == "Maximize L"
    start = logistic.document.evaluation.values["L"]
    result = panel.run(20)
    assert result is not None and result.maximize
    assert logistic.document.evaluation.values["L"] > start
    assert all(b > a for a, b in zip(panel.chart.points, panel.chart.points[1:], strict=False))


@pytest.mark.parametrize("text", ["fast", "0", "-0.1", "inf", ""])
def test_a_bad_learning_rate_is_refused(logistic, qtbot, text):
    panel, graph = logistic.training, logistic.document.graph
    before = core.dumps(graph)
    panel.rate_edit.setText(text)
    with qtbot.waitSignal(logistic.document.message) as said:
        assert panel.step() is None
    assert said.args[0].startswith("Refused:")
    assert "Refused:" in panel.status.text()
    assert core.dumps(graph) == before
    assert logistic.document.undo_stack.isClean()


def test_a_learning_rate_in_the_locale_is_accepted(logistic):
    from PySide6.QtCore import QLocale

    old = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        logistic.training.rate_edit.setText("0,5")
        assert logistic.training.rate() == 0.5
    finally:
        QLocale.setDefault(old)


def test_a_domain_error_stops_the_run_and_says_why(logistic):
    panel, graph = logistic.training, logistic.document.graph
    before = core.dumps(graph)
    panel.rate_edit.setText("1e6")
    result = panel.step()
    assert result is not None and result.stopped_early
    text = panel.status.text()
    assert text.startswith("stopped after 0 steps")
    assert "Step 1: it would leave L with no value" in text
    assert core.dumps(graph) == before  # nothing to undo: no step was taken
    assert logistic.document.undo_stack.isClean()


def test_no_parameters_or_no_output_is_explained(window, qtbot):
    panel = window.training  # the lecture: nothing marked
    assert "Tick the inputs" in panel.status.text()
    with qtbot.waitSignal(window.document.message) as said:
        assert panel.step() is None
    assert "no parameters to train" in said.args[0]
    assert panel.set_param("a", True)
    result = panel.step()
    assert result is not None and result.steps_done == 1
    assert window.document.graph.node("a").value == pytest.approx(5 - 0.1 * 3)


def test_the_chart_draws_its_points(qtbot):
    chart = LossChart()
    qtbot.addWidget(chart)
    chart.resize(320, 200)
    chart.grab()  # empty: a hint instead of axes
    chart.set_points([3.0, 2.0, 1.5, 1.25], "L")
    assert chart.grab().width() > 0
    chart.set_points([5.0], "L")  # one point, and a flat range
    chart.grab()
    assert "L at step 0: 5" in chart.toolTip()


def test_nice_ticks_are_round_numbers():
    assert nice_ticks(0, 50, 5) == [0, 10, 20, 30, 40, 50]
    assert nice_ticks(0.068, 1.58, 4) == [0, 0.5, 1, 1.5, 2]
    assert nice_ticks(2, 2, 4) == [2]


# ------------------------------------------------------------ fit and contrast
EIGHT_INPUTS = "J = (a*b + c*d) * (e*f - g*h)"


def _small_window_training(window, theme: str, text: str = EIGHT_INPUTS):
    apply_theme(theme)
    window.set_document(Document(core.graph_from_formula(text)))
    window.resize(1024, 700)
    window.show_training()
    QApplication.processEvents()
    return window.training


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_eight_inputs_all_show_in_a_small_window_with_no_sideways_scrolling(window, theme):
    panel = _small_window_training(window, theme)
    assert window.size().width() <= 1024 and window.size().height() <= 700
    tree = panel.params
    assert tree.isVisible() and tree.topLevelItemCount() == 8
    viewport = tree.viewport().rect()
    for index in range(8):
        assert viewport.contains(tree.visualItemRect(tree.topLevelItem(index))), index
    assert not tree.verticalScrollBar().isVisible()
    assert not tree.horizontalScrollBar().isVisible()
    assert tree.header().length() <= viewport.width()  # every column fits the width
    assert panel.chart.isVisible() and panel.chart.height() >= panel.chart.minimumHeight()


def test_more_inputs_than_fit_scroll_down_only(window):
    text = "J = " + " + ".join(f"x{i}*w{i}" for i in range(8))  # 16 inputs
    panel = _small_window_training(window, "light", text)
    tree = panel.params
    assert tree.topLevelItemCount() == 16
    assert tree.verticalScrollBar().isVisible() and not tree.horizontalScrollBar().isVisible()
    viewport = tree.viewport().rect()
    shown = [i for i in range(16) if viewport.contains(tree.visualItemRect(tree.topLevelItem(i)))]
    assert shown == list(range(8))
    assert tree.header().length() <= viewport.width()


def _box_ink(panel) -> int:
    """How many pixels of the first row's check box stand out from the list's background."""
    tree = panel.params
    item = tree.topLevelItem(0)
    assert item.checkState(0) == Qt.CheckState.Unchecked
    row = tree.visualItemRect(item)
    image = tree.viewport().grab(row.adjusted(0, 0, -(row.width() - row.height() - 8), 0))
    image = image.toImage()
    base = tree.palette().color(QPalette.ColorRole.Base)
    return sum(
        abs(image.pixelColor(x, y).lightness() - base.lightness()) > 60
        for y in range(image.height())
        for x in range(image.width())
    )


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_an_unticked_box_stands_out_in_both_themes(window, theme):
    panel = _small_window_training(window, theme)
    assert _box_ink(panel) >= 12  # the outline of the box, at least
