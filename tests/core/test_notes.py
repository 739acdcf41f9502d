"""Canvas notes and frames in the core: the Graph's edits, their undo, and files."""

from __future__ import annotations

import json

import pytest

from dvar import core
from dvar.core import fileformat
from dvar.core.graph import Graph, GraphError
from dvar.core.notes import DEFAULT_COLOR, Note, check_note


def lecture() -> Graph:
    return core.load(core.example_path("lecture"))


def test_notes_survive_a_file_round_trip_in_order(tmp_path):
    graph = lecture()
    frame = graph.add_note(Note.make("frame", -40, -60, "Backward pass"))
    note = graph.add_note(Note.make("note", 10.5, 300, "da = dv · 1\n<b>plain</b>"))
    path = tmp_path / "lecture.dvar"
    core.save(graph, path)
    loaded = core.load(path)
    assert list(loaded.notes.values()) == [graph.notes[frame], graph.notes[note]]
    assert loaded.notes[1].text == "da = dv · 1\n<b>plain</b>"  # kept as typed
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["version"] == 1
    assert document["notes"][0] == {
        "kind": "frame",
        "text": "Backward pass",
        "x": -40,
        "y": -60,
        "w": 400,
        "h": 260,
        "color": DEFAULT_COLOR["frame"],
    }
    assert fileformat.dumps(loaded) == path.read_text(encoding="utf-8")


def test_a_graph_without_notes_writes_no_notes_field():
    graph = lecture()
    assert "notes" not in fileformat.to_dict(graph)
    text = fileformat.dumps(graph)
    assert '"notes"' not in text
    key = graph.add_note(Note.make("note", 0, 0, "x"))
    graph.remove_note(key)
    assert fileformat.dumps(graph) == text


def test_a_missing_colour_takes_the_kinds_default():
    text = fileformat.dumps(lecture()).rstrip().rstrip("}")
    text += ',"notes": [{"kind": "note", "text": "hi", "x": 1, "y": 2, "w": 30, "h": 40}]}'
    (note,) = fileformat.loads(text).notes.values()
    assert (note.color, note.w, note.h) == (DEFAULT_COLOR["note"], 30.0, 40.0)


def _with_notes(notes) -> str:
    document = fileformat.to_dict(lecture())
    document["notes"] = notes
    return json.dumps(document)


GOOD = {"kind": "note", "text": "hi", "x": 0, "y": 0, "w": 100, "h": 50, "color": "#ffeeaa"}


@pytest.mark.parametrize(
    ("notes", "message"),
    [
        ({"kind": "note"}, "bad.dvar: field 'notes': expected a list of notes, found dict"),
        ([3], "bad.dvar: notes[0]: expected an object, found int"),
        (
            [GOOD, {**GOOD, "kind": "box"}],
            "bad.dvar: notes[1]: field 'kind': expected \"note\" or \"frame\", found 'box'",
        ),
        (
            [{**GOOD, "text": None}],
            "bad.dvar: notes[0]: field 'text': expected text, found nothing",
        ),
        ([{k: v for k, v in GOOD.items() if k != "h"}], "bad.dvar: notes[0]: field 'h' is missing"),
        ([{**GOOD, "x": "left"}], "bad.dvar: notes[0]: field 'x': expected a number, found 'left'"),
        ([{**GOOD, "y": True}], "bad.dvar: notes[0]: field 'y': expected a number, found True"),
        (
            [{**GOOD, "w": 5}],
            "bad.dvar: notes[0]: field 'w': expected a size from 20 to 100,000, found 5",
        ),
        (
            [{**GOOD, "color": "red"}],
            "bad.dvar: notes[0]: field 'color': expected a colour as \"#rrggbb\", found 'red'",
        ),
        (
            [{**GOOD, "members": ["a"]}],
            "bad.dvar: notes[0]: unknown field 'members' (a note has kind, text, x, y, w, h",
        ),
        ([{**GOOD, "text": "x" * 10_001}], "bad.dvar: notes[0]: field 'text': longer than 10,000"),
        ([{**GOOD, "x": 5e6}], "bad.dvar: notes[0]: field 'x': 5e+06 is off the canvas"),
    ],
)
def test_a_bad_note_refuses_the_file_with_one_clear_line(notes, message):
    with pytest.raises(core.FileFormatError) as caught:
        fileformat.loads(_with_notes(notes), "bad.dvar")
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_non_finite_numbers_in_a_note_are_refused():
    text = _with_notes([GOOD]).replace('"w": 100', '"w": Infinity')
    with pytest.raises(core.FileFormatError, match=r"notes\[0\]: field 'w': expected a finite"):
        fileformat.loads(text, "bad.dvar")


def test_edits_notify_as_cosmetic_note_events_and_roll_back_in_a_batch():
    graph = lecture()
    heard: list = []
    graph.subscribe(heard.append)
    key = graph.add_note(Note.make("note", 0, 0, "first"))
    graph.set_note(key, graph.notes[key].moved(40, 80))
    version = graph.structure_version
    assert [e.kind for batch in heard for e in batch] == ["note_added", "note_changed"]
    assert graph.structure_version == version  # notes never touch the plan
    before = dict(graph.notes)
    with pytest.raises(GraphError, match="there is no note 99"), graph.batch():
        graph.set_note(key, graph.notes[key].with_text("second"))
        graph.add_note(Note.make("frame", 5, 5, "F"))
        graph.remove_note(99)
    assert dict(graph.notes) == before


def test_a_removed_note_comes_back_at_its_depth_under_its_key():
    graph = Graph()
    keys = [graph.add_note(Note.make("note", i * 10, 0, str(i))) for i in range(3)]
    middle = graph.notes[keys[1]]
    with pytest.raises(GraphError, match="boom"), graph.batch():
        graph.remove_note(keys[1])
        raise GraphError("boom")
    assert list(graph.notes) == keys
    graph.remove_note(keys[1])
    graph.add_note(middle, key=keys[1])  # what an undo of a delete does
    assert list(graph.notes) == keys and graph.notes[keys[1]] == middle
    with pytest.raises(GraphError, match="already in use"):
        graph.add_note(middle, key=keys[0])


def test_notes_are_checked_when_edited():
    graph = Graph()
    key = graph.add_note(Note.make("note", 0, 0))
    with pytest.raises(GraphError, match="field 'w'"):
        graph.set_note(key, graph.notes[key].resized(1, 50))
    with pytest.raises(GraphError, match="expected a colour"):
        graph.notes[key].with_color("#12345")
    with pytest.raises(GraphError, match="no note"):
        graph.set_note(7, Note.make("note", 0, 0))
    assert check_note(graph.notes[key]) == graph.notes[key]


def test_copy_keeps_notes_independent():
    graph = lecture()
    key = graph.add_note(Note.make("frame", 0, 0, "F"))
    copy = graph.copy()
    copy.set_note(key, copy.notes[key].with_text("G"))
    assert graph.notes[key].text == "F" and copy.notes[key].text == "G"
    assert copy.add_note(Note.make("note", 0, 0)) == key + 1
