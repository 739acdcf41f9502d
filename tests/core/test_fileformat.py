"""Reading and writing .dvar files: round trips, every optional field, atomic saves."""

from __future__ import annotations

import json
import math
import os
import stat
from pathlib import Path

import pytest

from dvar import core
from tests.core.helpers import lecture

FULL = {
    "format": "dvar",
    "version": 1,
    "output": "J",
    "title": "kept",
    "future": {"nested": [1, 2, {"deep": None}]},
    "nodes": [
        {"id": "a", "op": "input", "value": 5, "x": 0, "y": 0, "label": "α", "param": True},
        {"id": "b", "op": "input", "value": -2.5, "colour": "red"},
        {"id": "k", "op": "const", "value": 0.1},
        {"id": "u", "op": "mul", "inputs": ["a", None], "note": {"why": "unfinished"}},
        {"id": "J", "op": "add", "inputs": ["b", "k"], "x": 10.5, "y": -3},
    ],
}


def test_lecture_file_reads_as_designed() -> None:
    g = lecture()
    assert [n.id for n in g.nodes()] == ["a", "b", "c", "u", "v", "three", "J"]
    assert g.output == "J"
    assert g.node("three").op.name == "const" and g.node("three").value == 3.0
    assert g.inputs_of("u") == ["b", "c"] and g.inputs_of("J") == ["three", "v"]
    assert (g.node("a").x, g.node("a").y) == (0.0, 0.0)
    assert g.extra["title"].startswith("J = 3(a + bc)")


def test_every_field_survives_a_round_trip(tmp_path: Path) -> None:
    g = core.from_dict(json.loads(json.dumps(FULL)), "full")
    assert g.node("a").label == "α" and g.node("a").param is True
    assert g.inputs_of("u") == ["a", None]
    path = tmp_path / "full.dvar"
    core.save(g, path)
    again = core.load(path)
    document = core.to_dict(again)
    assert document == FULL
    assert json.loads(path.read_text(encoding="utf-8")) == FULL
    assert core.dumps(again) == core.dumps(g) == path.read_text(encoding="utf-8")


def test_output_null_and_empty_nodes_round_trip() -> None:
    document = {"format": "dvar", "version": 1, "output": None, "nodes": []}
    g = core.from_dict(document)
    assert len(g) == 0 and g.output is None
    assert json.loads(core.dumps(g)) == document
    document = {"format": "dvar", "version": 1, "nodes": [{"id": "x", "op": "input", "value": 1}]}
    g = core.loads(json.dumps(document))
    assert g.output is None
    assert json.loads(core.dumps(g))["output"] is None


def test_edits_round_trip(tmp_path: Path) -> None:
    g = lecture()
    g.rename("u", "product")
    g.set_value("a", 0.1)
    g.add_node("sin", "s", inputs=["product"], label="sine")
    g.set_output("s")
    g.set_position("s", 1, 2)
    path = tmp_path / "edited.dvar"
    core.save(g, path)
    again = core.load(path)
    assert core.dumps(again) == core.dumps(g)
    before, after = core.evaluate(g), core.evaluate(again)
    assert dict(before.values) == dict(after.values) and dict(before.grads) == dict(after.grads)
    assert again.node("a").value == 0.1


def test_saved_nodes_come_operands_first() -> None:
    g = core.Graph()
    g.add_node("neg", "late")
    g.add_node("input", "early", value=2)
    g.connect("early", "late", 0)
    ids = [n["id"] for n in core.to_dict(g)["nodes"]]
    assert ids == ["early", "late"]


def test_a_file_whose_nodes_are_not_in_order_loads() -> None:
    document = dict(FULL, nodes=list(reversed(FULL["nodes"])))
    g = core.from_dict(document)
    ev = core.evaluate(g)
    assert ev.values["J"] == pytest.approx(-2.4)
    assert ev.grads["b"] == 1.0


def test_numbers_are_written_compactly_and_exactly() -> None:
    g = core.Graph()
    g.add_node("input", "i", value=3)
    g.add_node("input", "m", value=-2.0)
    g.add_node("input", "f", value=0.1 + 0.2)
    text = core.dumps(g)
    assert '"value": 3}' in text
    assert '"value": -2}' in text  # a negative whole number too; only -0.0 keeps its point
    assert core.loads(text).node("f").value == 0.1 + 0.2


def test_utf8_with_bom_and_text_input() -> None:
    text = json.dumps(FULL, ensure_ascii=False)
    assert core.loads(text.encode("utf-8-sig")).node("a").label == "α"
    assert core.loads(text).node("a").label == "α"


def test_save_keeps_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "g.dvar"
    path.write_text("old", encoding="utf-8")
    os.chmod(path, 0o640)
    core.save(lecture(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert core.load(path).output == "J"


# ------------------------------------------------------------------ atomic saves
def _fail(*args: object, **kwargs: object) -> None:
    raise OSError(28, "No space left on device")


class HalfWriter:
    """A file that writes a few bytes and then finds the disk full."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def __enter__(self) -> HalfWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stream.close()

    def write(self, data: bytes) -> int:
        self.stream.write(data[:10])
        self.stream.flush()
        _fail()
        return 0


@pytest.mark.parametrize("step", ["replace", "fsync", "write"])
def test_a_failed_save_keeps_the_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    path = tmp_path / "g.dvar"
    core.save(lecture(), path)
    old = path.read_bytes()
    g = lecture()
    g.set_value("a", 42)
    if step == "write":
        real_fdopen = os.fdopen
        monkeypatch.setattr(os, "fdopen", lambda fd, mode: HalfWriter(real_fdopen(fd, mode)))
    else:
        monkeypatch.setattr(os, step, _fail)
    with pytest.raises(OSError, match="No space"):
        core.save(g, path)
    monkeypatch.undo()
    assert path.read_bytes() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.dvar"]
    core.save(g, path)
    assert core.load(path).node("a").value == 42.0


def test_a_failed_first_save_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "replace", _fail)
    with pytest.raises(OSError):
        core.save(lecture(), tmp_path / "new.dvar")
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_save_into_a_missing_folder_fails_cleanly(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        core.save(lecture(), tmp_path / "missing" / "g.dvar")
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_loads_can_be_saved_again(tmp_path: Path) -> None:
    r"""JSON allows a lone surrogate escape ("\udc00"); the bytes are plain ASCII, valid UTF-8.

    Either the reader refuses such a file with a clear message, or a save keeps it.
    """
    text = (
        '{"format": "dvar", "version": 1, "output": null, "title": "half \\ud83d pair", '
        '"nodes": [{"id": "a", "op": "input", "value": 1, "label": "\\udc00"}]}'
    )
    source = tmp_path / "surrogate.dvar"
    source.write_bytes(text.encode("ascii"))
    try:
        g = core.load(source)
    except core.FileFormatError as error:
        assert "\n" not in str(error) and str(source) in str(error)
        return
    target = tmp_path / "saved.dvar"
    core.save(g, target)
    again = core.load(target)
    assert again.extra["title"] == g.extra["title"]
    assert again.node("a").label == g.node("a").label


def test_negative_zero_keeps_its_sign(tmp_path: Path) -> None:
    g = core.Graph()
    g.add_node("input", "a", value=-0.0, x=-0.0, y=0.0)
    g.add_node("const", "k", value=0.0)
    text = core.dumps(g)
    assert '"value": -0.0' in text and '"x": -0.0, "y": 0}' in text
    assert '"value": 0}' in text  # +0 stays a plain 0
    path = tmp_path / "zero.dvar"
    core.save(g, path)
    for again in (core.loads(text), core.load(path)):
        a, k = again.node("a"), again.node("k")
        assert math.copysign(1.0, a.value) == -1.0
        assert math.copysign(1.0, a.x) == -1.0
        assert math.copysign(1.0, a.y) == 1.0
        assert math.copysign(1.0, k.value) == 1.0
