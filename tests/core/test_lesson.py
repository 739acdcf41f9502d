"""Lessons in the core: reading and writing the file's ``lesson``, the graph owning it
(removals, undo, renames), and the checks that refuse a bad lesson in one line."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvar import core
from dvar.core import fileformat
from dvar.core.lesson import (
    MAX_STEPS,
    Action,
    Lesson,
    LessonError,
    Step,
    check_lesson,
    lesson_record,
    read_lesson,
)
from tests.core.helpers import lecture

STEP = {
    "text": "Bump *v* from 11 to 11.001. How much does J move?",
    "spotlight": ["v", "J"],
    "hide": {"grads": ["u"], "values": [], "locals": [["J", 0]]},
    "ask": [{"grad": "v"}, {"local": ["v", 1]}, {"value": "u"}],
    "action": {"nudge": "v"},
}


def record(*steps: dict, title: str = "The lecture") -> dict:
    return {"title": title, "steps": list(steps)}


def document(lesson: dict) -> dict:
    data = core.to_dict(lecture())
    data["lesson"] = lesson
    return data


def load(lesson: dict) -> core.Graph:
    return core.loads(json.dumps(document(lesson)), "lesson.dvar")


def refusal(lesson: dict) -> str:
    with pytest.raises(core.FileFormatError) as caught:
        load(lesson)
    message = str(caught.value)
    assert "\n" not in message
    return message


# ------------------------------------------------------------------ reading
def test_a_step_reads_into_keys_and_cells():
    graph = lecture()
    key = graph.key_of
    lesson = read_lesson(record(STEP), key)
    (step,) = lesson.steps
    assert step.spotlight == (key("v"), key("J"))
    assert step.hide == (("grad", key("u"), 0), ("partial", key("J"), 0))
    assert step.ask == (("grad", key("v"), 0), ("partial", key("v"), 1), ("value", key("u"), 0))
    assert step.action == Action("nudge", key("v"))
    # Asked cells are hidden too, each once.
    assert set(step.hidden) == set(step.hide) | set(step.ask)
    assert len(step.hidden) == len(set(step.hidden))


def test_the_record_written_reads_back_the_same():
    graph = lecture()
    steps = [
        STEP,
        {"text": "Set a.", "action": {"set": "a", "value": 6.5}},
        {"text": "Switch.", "action": {"view": "backward"}},
        {"text": "Only words."},
    ]
    lesson = read_lesson(record(*steps), graph.key_of)
    written = lesson_record(lesson, graph.id_of)
    assert read_lesson(written, graph.key_of) == lesson
    assert written["steps"][3] == {"text": "Only words."}  # empty fields left out
    assert written["steps"][1]["action"] == {"set": "a", "value": 6.5}


def test_asked_cells_come_in_order_of_first_asking_each_once():
    graph = lecture()
    k = graph.key_of
    lesson = read_lesson(
        record(
            {"text": "1", "ask": [{"grad": "v"}, {"grad": "a"}]},
            {"text": "2", "ask": [{"grad": "a"}, {"value": "u"}]},
        ),
        k,
    )
    assert lesson.asked_cells() == [("grad", k("v"), 0), ("grad", k("a"), 0), ("value", k("u"), 0)]


def test_a_file_with_a_lesson_round_trips_and_stays_version_1(tmp_path):
    graph = load(record(STEP, {"text": "Next.", "action": {"set": "b", "value": 4}}))
    path = tmp_path / "with-lesson.dvar"
    core.save(graph, path)
    text = path.read_text(encoding="utf-8")
    saved = json.loads(text)
    assert saved["version"] == 1
    assert saved["lesson"]["steps"][0]["ask"] == STEP["ask"]
    again = core.load(path)
    assert again.lesson == graph.lesson
    assert fileformat.dumps(again) == text


def test_a_file_without_a_lesson_is_written_as_before():
    graph = lecture()
    assert graph.lesson is None
    assert "lesson" not in core.to_dict(graph)


def test_a_rename_is_written_under_the_new_id():
    graph = load(record(STEP))
    graph.rename("v", "sum")
    saved = core.to_dict(graph)["lesson"]["steps"][0]
    assert saved["spotlight"] == ["sum", "J"]
    assert saved["ask"][0] == {"grad": "sum"}
    assert saved["action"] == {"nudge": "sum"}


# ---------------------------------------------------------------- refusals
@pytest.mark.parametrize(
    ("step", "words"),
    [
        ({"text": "Look at <b>this</b>"}, "HTML"),
        ({"text": "<img src=x onerror=alert(1)>"}, "HTML"),
        ({"text": 'a <a href="http://x">link</a>'}, "HTML"),
        ({"text": "<script>alert(1)</script>"}, "HTML"),
        ({"text": "<!-- hidden -->"}, "HTML"),
        ({"text": "x", "spotlight": ["nowhere"]}, "there is no node 'nowhere'"),
        ({"text": "x", "ask": [{"grad": "ghost"}]}, "there is no node 'ghost'"),
        ({"text": "x", "ask": [{"slope": "v"}]}, "each cell is"),
        ({"text": "x", "ask": [{"local": ["v", 7]}]}, "no slot 7"),
        ({"text": "x", "ask": [{"local": ["a", 0]}]}, "no local derivatives"),
        ({"text": "x", "hide": {"grads": "v"}}, "expected a list"),
        ({"text": "x", "action": {"jump": "v"}}, "'action'"),
        ({"text": "x", "action": {"view": "sideways"}}, "backward, forward or normal"),
        ({"text": "x", "action": {"set": "v", "value": 2}}, "cannot set v"),
        ({"text": "x", "action": {"set": "a"}}, "set needs a number"),
        ({"text": "x", "action": {"set": "a", "value": 1e999}}, "finite"),
        ({"text": "x", "action": {"nudge": "v", "view": "normal"}}, "'action'"),
        ({"text": 5}, "expected text"),
        ({"text": "x", "colour": "red"}, "unknown field 'colour'"),
    ],
)
def test_a_bad_step_is_refused_in_one_line_naming_it(step, words):
    message = refusal(record({"text": "fine"}, step))
    assert message.startswith("lesson.dvar: step 2: ")
    assert words in message


def test_ten_thousand_steps_are_refused():
    message = refusal(record(*({"text": f"step {i}"} for i in range(10_000))))
    assert message == f"lesson.dvar: field 'lesson': 10,000 steps; a lesson has at most {MAX_STEPS}"
    load(record(*({"text": "ok"} for _ in range(MAX_STEPS))))  # the limit itself is fine


@pytest.mark.parametrize(
    ("lesson", "words"),
    [
        ([], "expected an object"),
        ({"steps": []}, "needs a title"),
        ({"title": "a\nb", "steps": []}, "one line"),
        ({"title": "t", "steps": {}}, "expected a list"),
    ],
)
def test_a_bad_lesson_object_is_refused_in_one_line(lesson, words):
    message = refusal(lesson)
    assert message.startswith("lesson.dvar: field 'lesson': ")
    assert words in message


def test_text_that_only_looks_like_math_is_not_html():
    graph = load(record({"text": "a < b and b > c, so 2<3 and x <= y"}))
    assert graph.lesson.steps[0].text.startswith("a < b")


# ---------------------------------------------------------------- checking
def test_check_lesson_accepts_the_lecture_lesson():
    graph = load(record(STEP))
    check_lesson(graph, graph.lesson, core.evaluate(graph))


def test_check_lesson_refuses_a_question_without_an_answer():
    graph = load(record({"text": "fine"}, {"text": "dv?", "ask": [{"grad": "v"}]}))
    graph.set_output(None)
    with pytest.raises(LessonError, match=r"^step 2: dv has no answer: the graph has no output"):
        check_lesson(graph, graph.lesson, core.evaluate(graph))


def test_check_lesson_refuses_a_nudge_of_a_node_without_a_value():
    graph = lecture()
    graph.add_node("log", "bad", inputs=[graph.add_node("const", "m", value=-1)])
    lesson = Lesson("t", (Step("nudge it", action=Action("nudge", graph.key_of("bad"))),))
    with pytest.raises(LessonError, match=r"^step 1: cannot nudge bad: it has no value"):
        check_lesson(graph, lesson, core.evaluate(graph))


def test_check_lesson_refuses_a_lesson_with_no_steps():
    graph = lecture()
    with pytest.raises(LessonError, match="no steps"):
        check_lesson(graph, Lesson("empty"), core.evaluate(graph))


# ------------------------------------------------------------ the graph owns it
def test_set_lesson_is_one_undoable_cosmetic_change():
    graph = lecture()
    heard = []
    graph.subscribe(heard.append)
    lesson = read_lesson(record(STEP), graph.key_of)
    structure = graph.structure_version
    graph.set_lesson(lesson)
    assert graph.lesson == lesson
    assert [e.kind for e in heard[-1]] == ["lesson_changed"]
    assert graph.structure_version == structure
    graph.set_lesson(lesson)  # the same lesson again: no change, no event
    assert len(heard) == 1


def test_set_lesson_refuses_a_lesson_naming_a_missing_key():
    graph = lecture()
    with pytest.raises(LessonError, match="node key 99"):
        graph.set_lesson(Lesson("t", (Step("x", spotlight=(99,)),)))
    assert graph.lesson is None


def test_removing_a_node_drops_it_from_the_lesson_in_the_same_change():
    graph = load(record(STEP, {"text": "set", "action": {"set": "a", "value": 1}}))
    k = graph.key_of
    j, v, u = k("J"), k("v"), k("u")
    heard = []
    graph.subscribe(heard.append)
    graph.remove_node("u")
    first = graph.lesson.steps[0]
    assert ("value", u, 0) not in first.ask and ("grad", u, 0) not in first.hide
    # u fed slot 1 of v: the local derivative on that edge goes too.
    assert ("partial", v, 1) not in first.ask
    assert first.ask == (("grad", v, 0),)
    assert first.spotlight == (v, j)
    assert len(heard) == 1 and "lesson_changed" in [e.kind for e in heard[0]]
    graph.remove_node("a")
    assert graph.lesson.steps[1].action is None
    graph.remove_node("v")
    assert graph.lesson.steps[0].action is None and graph.lesson.steps[0].ask == ()


def test_a_refused_batch_gives_the_lesson_back():
    graph = load(record(STEP))
    before = graph.lesson
    with pytest.raises(core.GraphError), graph.batch():
        graph.remove_node("v")
        graph.remove_node("no such node")
    assert graph.lesson == before
    assert "v" in graph


def test_a_copy_keeps_the_lesson():
    graph = load(record(STEP))
    assert graph.copy().lesson == graph.lesson


def test_the_json_schema_describes_the_same_lesson():
    from importlib import resources

    from dvar.core import lesson as lessons

    schema = json.loads((resources.files("dvar.resources") / "dvar.schema.json").read_text())
    defs = schema["$defs"]
    assert "lesson" in schema["properties"]
    assert set(defs["step"]["properties"]) == {"text", "spotlight", "hide", "ask", "action"}
    assert set(defs["step"]["properties"]["hide"]["properties"]) == {"grads", "values", "locals"}
    assert defs["lesson"]["properties"]["steps"]["maxItems"] == lessons.MAX_STEPS
    assert defs["lesson"]["properties"]["title"]["maxLength"] == lessons.MAX_TITLE
    assert defs["step"]["properties"]["text"]["maxLength"] == lessons.MAX_TEXT
    views = defs["step"]["properties"]["action"]["oneOf"][2]["properties"]["view"]["enum"]
    assert tuple(views) == lessons.VIEWS


# ------------------------------------------------------------------ properties
IDS = ["a", "b", "c", "u", "v", "three", "J"]
COMPUTED = ["u", "v", "J"]
LEAVES = ["a", "b", "c", "three"]
cells = st.one_of(
    st.builds(lambda i: {"grad": i}, st.sampled_from(IDS)),
    st.builds(lambda i: {"value": i}, st.sampled_from(IDS)),
    st.builds(lambda i, s: {"local": [i, s]}, st.sampled_from(COMPUTED), st.integers(0, 1)),
)
actions = st.one_of(
    st.none(),
    st.builds(lambda i: {"nudge": i}, st.sampled_from(IDS)),
    st.builds(lambda i, x: {"set": i, "value": x}, st.sampled_from(LEAVES), st.integers(-9, 9)),
    st.builds(lambda v: {"view": v}, st.sampled_from(["backward", "forward", "normal"])),
)


@st.composite
def steps(draw) -> dict:
    step = {"text": draw(st.text(alphabet="ab *`-\n", max_size=20))}
    spotlight = draw(st.lists(st.sampled_from(IDS), max_size=4, unique=True))
    if spotlight:
        step["spotlight"] = spotlight
    asked = draw(st.lists(cells, max_size=4))
    if asked:
        step["ask"] = asked
    hidden = draw(st.lists(st.sampled_from(IDS), max_size=3, unique=True))
    if hidden:
        step["hide"] = {"grads": hidden}
    action = draw(actions)
    if action is not None:
        step["action"] = action
    return step


@given(st.lists(steps(), min_size=1, max_size=5), st.lists(st.sampled_from(IDS), max_size=3))
def test_any_lesson_survives_its_file_and_the_removal_of_nodes(steps_, removed):
    graph = load(record(*steps_))
    again = core.loads(fileformat.dumps(graph), "again.dvar")
    assert again.lesson == graph.lesson
    for node_id in dict.fromkeys(removed):
        key = graph.key_of(node_id)
        graph.remove_node(node_id)
        assert key not in graph.lesson.keys
        # What is left is a lesson the file reader takes back.
        reread = core.loads(fileformat.dumps(graph), "after.dvar")
        assert lesson_record(reread.lesson, reread.id_of) == lesson_record(
            graph.lesson, graph.id_of
        )
