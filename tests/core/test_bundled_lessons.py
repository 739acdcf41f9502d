"""The lessons dvar ships (resources/lessons, Help → Lessons): each loads, passes the
lesson check, can be done step by step, and the numbers its text quotes are the
ones dvar computes."""

from __future__ import annotations

import math

import pytest

from dvar import core
from dvar.core.lesson import answer, check_lesson
from dvar.core.resources import LESSON_ORDER, lessons

TITLES = {
    "derivatives-with-a-computation-graph": "Derivatives with a computation graph",
    "paths-add-up": "Paths add up",
    "logistic-regression": "Logistic regression on one example",
    "faded-practice": "Faded practice",
    "tanh-neuron": "A tanh neuron",
}


def load(name: str) -> tuple[core.Graph, core.Evaluation]:
    graph = core.load(lessons()[name])
    return graph, core.evaluate(graph)


def test_the_lessons_are_found_in_teaching_order() -> None:
    found = lessons()
    assert list(found) == list(LESSON_ORDER) == list(TITLES)
    for path in found.values():
        assert path.is_file() and path.suffix == ".dvar"


@pytest.mark.parametrize("name", list(TITLES))
def test_each_lesson_loads_evaluates_and_passes_the_check(name: str) -> None:
    graph, ev = load(name)
    assert graph.lesson is not None and graph.lesson.title == TITLES[name]
    assert ev.output is not None and ev.errors == {}
    check_lesson(graph, graph.lesson, ev)
    assert len(graph.lesson.steps) >= 5


@pytest.mark.parametrize("name", list(TITLES))
def test_dvar_lesson_check_passes_each_lesson(name: str, capsys) -> None:
    from dvar.gui.app import cli  # the headless command: it loads no Qt

    path = str(lessons()[name])
    assert cli.main(["lesson", path, "--check"]) == 0
    out, err = capsys.readouterr()
    steps = len(core.load(path).lesson.steps)
    assert (out, err) == (f'{path}: "{TITLES[name]}", {steps} steps: ok\n', "")


@pytest.mark.parametrize("name", list(TITLES))
def test_each_step_can_be_done(name: str) -> None:
    """Asked cells have finite answers; a local derivative is asked or hidden only once a
    step has switched to the backward view (edges show their labels only there); a set
    changes the value, a nudge bumps a node with a value; every step's text is there."""
    graph, ev = load(name)
    backward = False
    for number, step in enumerate(graph.lesson.steps, 1):
        assert step.text.strip(), f"step {number} has no text"
        action = step.action
        if action is not None and action.kind == "view":
            backward = action.view == "backward"
        for cell in step.ask:
            assert math.isfinite(answer(graph, ev, cell)), (number, cell)
        if any(cell[0] == "partial" for cell in step.hidden):
            assert backward, f"step {number} asks an edge label before the backward view is on"
        for kind, consumer, slot in step.ask:
            # An operand's derivative would show the answer in its chain rule.
            node = graph.node(consumer)
            if kind == "partial":
                sources = [node.inputs[slot]]
            elif kind == "grad":
                sources = [k for k in node.inputs if graph.node(k).op.name != "const"]
            else:
                continue
            for source in sources:
                assert ("grad", source, 0) in step.hidden, (number, graph.id_of(source))
        if action is not None and action.kind == "set":
            assert graph.node(action.key).value != action.value, number
        if action is not None and action.kind == "nudge":
            assert ev.values[graph.id_of(action.key)] is not None, number


@pytest.mark.parametrize("name", list(TITLES))
def test_a_lesson_survives_a_save_and_a_load(name: str, tmp_path) -> None:
    graph, _ = load(name)
    path = tmp_path / f"{name}.dvar"
    core.save(graph, path)
    again = core.load(path)
    assert again.lesson == graph.lesson


def nudged(graph: core.Graph, node: str, h: float = 0.001) -> dict[str, float]:
    """Every value after bumping ``node`` by h (the lecture's nudge)."""
    result = core.nudge(graph, graph.key_of(node), h)
    return dict(result.after)


def with_value(graph: core.Graph, node: str, value: float) -> core.Evaluation:
    changed = graph.copy()
    changed.set_value(node, value)
    return core.evaluate(changed)


def test_lesson_1_quotes_the_lecture() -> None:
    graph, ev = load("derivatives-with-a-computation-graph")
    assert (ev.values["u"], ev.values["v"], ev.values["J"]) == (6, 11, 33)
    assert nudged(graph, "v")["J"] == pytest.approx(33.003)
    after_a = nudged(graph, "a")
    assert after_a["v"] == pytest.approx(11.001) and after_a["J"] == pytest.approx(33.003)
    after_b = nudged(graph, "b")
    assert after_b["u"] == pytest.approx(6.002) and after_b["v"] == pytest.approx(11.002)
    assert after_b["J"] == pytest.approx(33.006)
    grads = {node: ev.grads[node] for node in ("v", "a", "u", "b", "c")}
    assert grads == {"v": 3, "a": 3, "u": 3, "b": 6, "c": 9}


def test_paths_add_up_quotes_its_numbers() -> None:
    graph, ev = load("paths-add-up")
    assert (ev.values["u"], ev.values["J"]) == (12, 15)
    assert (ev.grads["x"], ev.grads["y"], ev.partial("u", 0)) == (5, 3, 4)
    assert nudged(graph, "x")["J"] == pytest.approx(15.005)


def test_logistic_regression_dz_is_a_minus_y() -> None:
    graph, ev = load("logistic-regression")
    a, y = ev.values["a"], ev.values["y"]
    assert y == 1
    assert ev.grads["a"] == pytest.approx(-y / a + (1 - y) / (1 - a))
    assert ev.grads["z"] == pytest.approx(a - y)
    assert ev.grads["w1"] == pytest.approx(ev.values["x1"] * ev.grads["z"])
    assert ev.grads["w2"] == pytest.approx(ev.values["x2"] * ev.grads["z"])
    assert ev.grads["b"] == pytest.approx(ev.grads["z"])
    assert round(ev.grads["w1"], 3) == -0.309
    assert round(ev.values["L"], 4) == 0.2305
    stepped = with_value(graph, "w1", 0.8)
    assert round(stepped.values["L"], 3) == 0.153
    assert stepped.values["a"] > a


def test_faded_practice_worked_example_and_blanks() -> None:
    graph, ev = load("faded-practice")
    worked = {node: ev.grads[node] for node in ("u1", "a1", "b1", "c1")}
    assert worked == {"u1": 4, "a1": 12, "b1": 8, "c1": 6}
    given = {node: ev.grads[node] for node in ("u2", "b2", "c2")}
    assert given == {"u2": -1, "b2": -1.5, "c2": 3}
    for k in (1, 2, 3, 4):
        assert ev.grads[f"e{k}"] == 1
    asked = [len(step.ask) for step in graph.lesson.steps]
    assert asked[:4] == [0, 1, 3, 4]  # more blanks each time


def test_tanh_neuron_quotes_its_numbers() -> None:
    graph, ev = load("tanh-neuron")
    assert round(ev.values["o"], 4) == 0.7071
    assert ev.partial("o", 0) == pytest.approx(0.5)
    assert (ev.grads["w1"], ev.grads["w2"]) == (pytest.approx(1), 0)
    assert nudged(graph, "w2")["o"] == ev.values["o"]
    assert round(with_value(graph, "w1", -2.9).values["o"], 3) == 0.794
