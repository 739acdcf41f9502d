"""The ``box`` field: a constant dragged off its consumer's port stays a box."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dvar import core
from dvar.core import GraphError
from tests.core.helpers import lecture

LECTURE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "lecture.dvar"


def test_box_round_trips_and_is_written_only_when_true():
    g = lecture()
    assert '"box"' not in core.dumps(g)
    g.set_box("three", True)
    text = core.dumps(g)
    record = next(r for r in json.loads(text)["nodes"] if r["id"] == "three")
    assert record["box"] is True
    assert list(record)[:4] == ["id", "op", "value", "box"]
    back = core.loads(text)
    assert back.node("three").box is True
    assert "box" not in back.node("three").extra
    assert core.dumps(back) == text
    assert back.copy().node("three").box is True


def test_the_lecture_example_saves_byte_identical(tmp_path: Path):
    out = tmp_path / "lecture.dvar"
    core.save(core.load(LECTURE), out)
    again = tmp_path / "again.dvar"
    core.save(core.load(out), again)
    assert again.read_bytes() == out.read_bytes()
    assert b'"box"' not in out.read_bytes()
    # what this version writes is what the version before it wrote: no new field
    reference = core.dumps(core.loads(LECTURE.read_text()))
    assert out.read_text(encoding="utf-8") == reference


@pytest.mark.parametrize(
    ("node", "message"),
    [
        ({"id": "k", "op": "const", "value": 1, "box": "yes"}, "field 'box': expected true or"),
        ({"id": "k", "op": "const", "value": 1, "box": 1}, "field 'box': expected true or"),
        ({"id": "a", "op": "input", "value": 1, "box": True}, "only constants can be drawn"),
    ],
)
def test_a_bad_box_field_is_a_clear_error(node: dict, message: str):
    text = json.dumps({"format": "dvar", "version": 1, "output": None, "nodes": [node]})
    with pytest.raises(core.FileFormatError, match=message):
        core.loads(text, "bad.dvar")


def test_box_false_in_a_file_is_accepted_and_not_written_back():
    text = json.dumps(
        {
            "format": "dvar",
            "version": 1,
            "output": None,
            "nodes": [{"id": "k", "op": "const", "value": 1, "box": False}],
        }
    )
    g = core.loads(text)
    assert g.node("k").box is False
    assert '"box"' not in core.dumps(g)


def test_set_box_is_for_constants_and_undoes_in_a_batch():
    g = lecture()
    with pytest.raises(GraphError, match="only constants"):
        g.set_box("a", True)
    with pytest.raises(GraphError, match="only constants"):
        g.add_node("input", "z", value=1.0, box=True)
    heard: list = []
    g.subscribe(heard.append)
    g.set_box("three", True)
    assert [e.kind for e in heard[-1]] == ["box_changed"]
    with pytest.raises(GraphError), g.batch():
        g.set_box("three", False)
        g.connect("a", "J", 0)  # slot taken: the batch rolls back
    assert g.node("three").box is True
