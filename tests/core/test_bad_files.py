"""Every broken file is refused with FileFormatError: one line naming the file, node and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from dvar import core
from tests.core.bad_files import BAD, make, state


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_is_refused_in_one_clear_line(tmp_path: Path, name: str) -> None:
    path = make(tmp_path, name)
    before = state(path)
    with pytest.raises(core.FileFormatError) as caught:
        core.load(path)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(f"{path}: ")
    for words in BAD[name][1]:
        assert words in message, (words, message)
    assert len(message) < 400
    assert "Traceback" not in message
    assert caught.value.__cause__ is None
    assert state(path) == before


def test_file_format_error_is_a_graph_error() -> None:
    assert issubclass(core.FileFormatError, core.GraphError)
    assert issubclass(core.GraphError, ValueError)


def test_loads_names_where_the_text_came_from() -> None:
    with pytest.raises(core.FileFormatError, match=r"^clipboard: .*'format'"):
        core.loads('{"format": "x", "version": 1, "nodes": []}', "clipboard")
    with pytest.raises(core.FileFormatError, match=r"^clipboard: .*empty"):
        core.loads("", "clipboard")


def test_from_dict_checks_every_field() -> None:
    with pytest.raises(core.FileFormatError, match=r"'u'.*'op'"):
        core.from_dict(
            {"format": "dvar", "version": 1, "nodes": [{"id": "u", "op": "nope"}]}, "doc"
        )
    with pytest.raises(core.FileFormatError, match="object"):
        core.from_dict([], "doc")


def test_the_size_limit_applies_before_reading_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = core.dumps(core.load(core.examples()["lecture"])).encode()
    path = tmp_path / "g.dvar"
    path.write_bytes(text)
    monkeypatch.setattr(core.fileformat, "MAX_BYTES", len(text))
    assert core.load(path).output == "J"  # exactly at the limit: fine
    path.write_bytes(text + b" ")
    with pytest.raises(core.FileFormatError, match="larger than"):
        core.load(path)


def test_too_many_nodes_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(core.fileformat, "MAX_NODES", 3)
    nodes = [{"id": f"x{i}", "op": "input", "value": i} for i in range(4)]
    with pytest.raises(core.FileFormatError, match="'nodes'"):
        core.from_dict({"format": "dvar", "version": 1, "nodes": nodes}, "many")


def test_domain_errors_are_not_bad_files() -> None:
    """log(−2), (−8)^0.3333, 1/0, exp(1000): the file loads; values are null with a reason."""
    text = """{"format": "dvar", "version": 1, "output": "J", "nodes": [
      {"id": "m", "op": "input", "value": -2},
      {"id": "e", "op": "const", "value": 0.3333},
      {"id": "z", "op": "const", "value": 0},
      {"id": "big", "op": "const", "value": 1000},
      {"id": "l", "op": "log", "inputs": ["m"]},
      {"id": "p", "op": "pow", "inputs": ["m", "e"]},
      {"id": "q", "op": "div", "inputs": ["m", "z"]},
      {"id": "x", "op": "exp", "inputs": ["big"]},
      {"id": "s", "op": "add", "inputs": ["l", "p"]},
      {"id": "t", "op": "add", "inputs": ["q", "x"]},
      {"id": "J", "op": "add", "inputs": ["s", "t"]}]}"""
    ev = core.evaluate(core.loads(text, "domain.dvar"))
    for node in ("l", "p", "q", "x", "s", "t", "J"):
        assert ev.values[node] is None and node in ev.errors
    assert ev.errors["l"] == "log of a negative number: m = -2"
    assert "negative base" in ev.errors["p"]
    assert ev.errors["q"] == "division by zero: z = 0"
    assert "overflows" in ev.errors["x"]
    assert ev.errors["s"] == "waits on l" and ev.errors["t"] == "waits on q"


@pytest.mark.parametrize("exists", [False, True], ids=["missing", "empty"])
def test_message_stays_one_line_when_the_file_name_has_a_newline(
    tmp_path: Path, exists: bool
) -> None:
    path = tmp_path / "two\nlines.dvar"
    if exists:
        path.write_bytes(b"")
    with pytest.raises(core.FileFormatError) as caught:
        core.load(path)
    message = str(caught.value)
    assert "\n" not in message
    assert "lines.dvar" in message
