"""Every kind of broken .dvar file, shared by the reader tests and the command-line tests.

Each case gives the file's bytes (or how to make the path) and the words the one-line
error must contain besides the file's name: the node and the field at fault.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from dvar import core

#: Special contents that are not bytes.
MISSING, FOLDER, OVERSIZED = "missing", "folder", "oversized"


def _doc(nodes: object, **top: object) -> bytes:
    document = {"format": "dvar", "version": 1, "output": None, "nodes": nodes}
    document.update(top)
    return json.dumps(document).encode()


A = {"id": "a", "op": "input", "value": 1}
B = {"id": "b", "op": "input", "value": 2}


def _u(**fields: object) -> dict:
    return {"id": "u", "op": "add", "inputs": ["a", "b"], **fields}


LECTURE = core.examples()["lecture"].read_bytes()

#: name -> (contents, words the message must contain)
BAD: dict[str, tuple[bytes | str, list[str]]] = {
    "empty": (b"", ["empty"]),
    "only whitespace": (b" \n\t\n", ["empty"]),
    "not JSON": (b"hello, world", ["not valid JSON"]),
    "truncated": (LECTURE[: len(LECTURE) // 2], ["not valid JSON"]),
    "trailing garbage": (LECTURE + b"}", ["not valid JSON"]),
    "not UTF-8": (_doc([A]).replace(b'"a"', b'"a\xff"'), ["UTF-8"]),
    "UTF-16": (LECTURE.decode().encode("utf-16"), ["UTF-8"]),
    "top-level array": (b"[1, 2, 3]", ["object"]),
    "top-level number": (b"42", ["object"]),
    "array nested 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, ["nested too deeply"]),
    "object nested 100,000 deep": (b'{"a":' * 100_000 + b"1" + b"}" * 100_000, ["nested"]),
    "binary garbage": (random.Random(0).randbytes(4096), ["not"]),
    "NUL bytes": (b"\x00" * 64, ["not valid JSON"]),
    "integer too long": (_doc([A]).replace(b'"value": 1', b'"value": ' + b"9" * 5000), ["JSON"]),
    "wrong format": (_doc([A], format="other"), ["'format'", "other"]),
    "format missing": (b'{"version": 1, "nodes": []}', ["'format'"]),
    "future version": (_doc([A], version=2), ["'version'", "2", "newer"]),
    "version as text": (_doc([A], version="1"), ["'version'"]),
    "version zero": (_doc([A], version=0), ["'version'"]),
    "nodes missing": (b'{"format": "dvar", "version": 1}', ["'nodes'"]),
    "nodes not a list": (_doc({"a": A}), ["'nodes'"]),
    "node not an object": (_doc([A, 5]), ["node 1", "object"]),
    "node without id": (_doc([{"op": "input", "value": 1}]), ["node 0", "'id'"]),
    "id not text": (_doc([dict(A, id=7)]), ["node 0", "'id'"]),
    "id not a name": (_doc([dict(A, id="1x")]), ["node 0", "'id'", "1x"]),
    "id a keyword": (_doc([dict(A, id="class")]), ["node 0", "'id'", "keyword"]),
    "id not in normal form": (
        _doc([dict(A, id="\ufb01")]),  # the ligature ﬁ, which Python reads as fi
        ["node 0", "'id'", "id '\ufb01' is not in normal form; use 'fi'"],
    ),
    "unknown op": (_doc([A, B, _u(op="frobnicate")]), ["'u'", "'op'", "frobnicate"]),
    "op missing": (_doc([{"id": "a", "value": 1}]), ["'a'", "'op'"]),
    "too few inputs": (_doc([A, B, _u(inputs=["a"])]), ["'u'", "'inputs'"]),
    "too many inputs": (_doc([A, B, _u(inputs=["a", "b", "a"])]), ["'u'", "'inputs'"]),
    "inputs missing": (_doc([A, B, {"id": "u", "op": "add"}]), ["'u'", "'inputs'"]),
    "inputs not a list": (_doc([A, B, _u(inputs="a")]), ["'u'", "'inputs'"]),
    "input not an id": (_doc([A, B, _u(inputs=["a", 3])]), ["'u'", "'inputs'", "slot 2"]),
    "inputs on an input": (_doc([dict(A, inputs=["b"]), B]), ["'a'", "'inputs'"]),
    "missing id": (_doc([A, B, _u(inputs=["a", "zz"])]), ["'u'", "'inputs'", "zz"]),
    "duplicate id": (_doc([A, dict(B, id="a")]), ["'a'", "duplicate id"]),
    "cycle": (
        _doc([A, _u(inputs=["a", "v"]), {"id": "v", "op": "neg", "inputs": ["u"]}]),
        ["'inputs'", "cycle", "u", "v"],
    ),
    "feeds itself": (_doc([A, _u(inputs=["a", "u"])]), ["'u'", "'inputs'", "itself"]),
    "value as text": (_doc([dict(A, value="5")]), ["'a'", "'value'"]),
    "value boolean": (_doc([dict(A, value=True)]), ["'a'", "'value'"]),
    "value NaN": (_doc([A]).replace(b'"value": 1', b'"value": NaN'), ["'a'", "'value'", "NaN"]),
    "value 1e999": (_doc([A]).replace(b'"value": 1', b'"value": 1e999'), ["'a'", "'value'"]),
    "value -Infinity": (
        _doc([A]).replace(b'"value": 1', b'"value": -Infinity'),
        ["'a'", "'value'"],
    ),
    "value null on an input": (_doc([dict(A, value=None)]), ["'a'", "'value'"]),
    "value missing on an input": (_doc([{"id": "a", "op": "input"}]), ["'a'", "'value'"]),
    "value on an op": (_doc([A, B, _u(value=3)]), ["'u'", "'value'"]),
    "param not a boolean": (_doc([dict(A, param="yes")]), ["'a'", "'param'"]),
    "param on a constant": (
        _doc([{"id": "k", "op": "const", "value": 1, "param": True}]),
        ["'k'", "'param'"],
    ),
    "label not text": (_doc([dict(A, label=5)]), ["'a'", "'label'"]),
    "x not a number": (_doc([dict(A, x="left", y=0)]), ["'a'", "'x'"]),
    "x without y": (_doc([dict(A, x=3)]), ["'a'", "'y'"]),
    "y infinite": (_doc([dict(A, x=0, y=1)]).replace(b'"y": 1', b'"y": 1e999'), ["'a'", "'y'"]),
    "unknown output": (_doc([A], output="Q"), ["'output'", "Q"]),
    "output not text": (_doc([A], output=5), ["'output'"]),
    "does not exist": (MISSING, ["no such file"]),
    "a folder": (FOLDER, ["folder"]),
    "over 16 MiB": (OVERSIZED, ["larger than 16 MiB"]),
    "more than 2,000,000 JSON values and keys": (
        b'{"format": "dvar", "version": 1, "nodes": [], "x": [' + b"[]," * 2_000_000 + b"[]]}",
        ["more than 2,000,000 JSON values and keys"],
    ),
}


def make(tmp_path: Path, name: str) -> Path:
    """Create the broken file for case ``name`` and return its path."""
    contents, _ = BAD[name]
    path = tmp_path / "broken file.dvar"
    if contents == MISSING:
        return tmp_path / "no such.dvar"
    if contents == FOLDER:
        path = tmp_path / "folder.dvar"
        path.mkdir()
        return path
    if contents == OVERSIZED:
        with path.open("wb") as stream:  # sparse: cheap to make, still over the limit
            stream.write(b'{"format": "dvar", "version": 1, "nodes": []}')
            stream.truncate(core.fileformat.MAX_BYTES + 1)
        return path
    assert isinstance(contents, bytes)
    path.write_bytes(contents)
    return path


def state(path: Path) -> tuple | None:
    """What must not change when a bad file is refused: its bytes and modification time."""
    if not path.exists():
        return None
    if path.is_dir():
        return ("dir", sorted(p.name for p in path.iterdir()), path.stat().st_mtime_ns)
    return (path.read_bytes(), path.stat().st_mtime_ns)
