"""Size limits: whatever the size cap lets through loads without much memory.

Parsed JSON can take 35 times its size in Python objects (``[[],[],...]``), so a
file's JSON values and keys are counted before it is parsed, and a file with too
many is refused at once.  The loader also drops each node record once it has read
it.  The slow test measures peak memory in a fresh interpreter.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dvar import core
from dvar.core import fileformat

HEAD = '{"format": "dvar", "version": 1, "output": null, "nodes": [], "junk": ['


def _true_items(value: object) -> int:
    """Values and keys in a parsed JSON value, counted the slow way."""
    if isinstance(value, dict):
        return 1 + sum(1 + _true_items(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(_true_items(v) for v in value)
    return 1


@pytest.mark.parametrize(
    "text",
    [
        "1",
        '"a, b: [c {d"',
        "[1, 2, 3]",
        '{"a": 1, "b": [true, null, "x,y"]}',
        '{"a": {"b": {"c": [1, {"d": "\\\\\\", :"}]}}}',
        core.dumps(core.load(core.examples()["lecture"])),
    ],
)
def test_the_item_count_is_exact_for_json_without_empty_containers(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _true_items(json.loads(text))
    assert fileformat._count_items(text) >= expected
    # With the limit at the true count, a rough count above it is redone skipping strings.
    monkeypatch.setattr(fileformat, "MAX_ITEMS", expected)
    assert fileformat._count_items(text) == expected


def test_commas_inside_strings_do_not_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fileformat, "MAX_ITEMS", 50)
    graph = core.Graph()
    graph.add_node("input", "a", value=1, label="," * 1000)
    graph.extra["title"] = "[{:" * 1000
    assert core.loads(core.dumps(graph)).node("a").label == "," * 1000
    graph.extra["list"] = list(range(60))
    with pytest.raises(core.FileFormatError, match="more than 50 JSON values and keys"):
        core.loads(core.dumps(graph), "many")


@pytest.mark.parametrize("size", [50 * 2**20, fileformat.MAX_BYTES - 64])
def test_a_file_of_empty_records_is_refused_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    """The 50 MB file of ``{}`` that once took 1.3 GB, and one that fits the size cap."""
    count = (size - 100) // 3
    path = tmp_path / "empty records.dvar"
    path.write_text(
        '{"format":"dvar","version":1,"output":null,"nodes":[' + ",".join(["{}"] * count) + "]}",
        "utf-8",
    )
    monkeypatch.setattr(json, "loads", lambda *a, **k: pytest.fail("the file was parsed"))
    with pytest.raises(core.FileFormatError) as caught:
        core.load(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert "larger than 16 MiB" in str(caught.value) or "JSON values and keys" in str(caught.value)


def test_from_dict_leaves_the_callers_document_alone() -> None:
    document = json.loads(core.dumps(core.load(core.examples()["lecture"])))
    before = json.dumps(document)
    core.from_dict(document, "doc")
    assert json.dumps(document) == before


def test_the_limits_allow_a_100000_node_graph_with_positions_and_labels() -> None:
    per_node = 13 + 2  # values and keys of an op node with x, y and a label
    assert 100_000 * per_node < fileformat.MAX_ITEMS
    record = {"id": "n99999", "op": "add", "label": "w₉₉₉", "inputs": ["n99998", "n99997"],
              "x": 123456.75, "y": -4567.25}  # fmt: skip
    assert 100_000 * (len(json.dumps(record, ensure_ascii=False).encode()) + 6) < (
        fileformat.MAX_BYTES
    )
    assert fileformat.MAX_NODES >= 100_000


def _worst_files(folder: Path) -> list[Path]:
    """Files just inside the limits, in the shapes that cost the most memory per byte
    and per item, plus the 50 MB file of empty records."""
    limit = fileformat.MAX_ITEMS - 20
    shapes = {
        "lists": ("[]", 2, False),
        "nested": ("[[]]", 3, False),
        "texts": ('"ab"', 1, False),
        "unique keys": ('{"k%07d":0}', 3, True),
        "unique keys, lists": ('{"k%07d":[]}', 4, True),
        "floats": ("1.5", 1, False),
    }
    files = []
    for name, (item, per, unique) in shapes.items():
        n = min((fileformat.MAX_BYTES - 200) // (len(item) + 1), limit // per)
        items = [item % i for i in range(n)] if unique else [item] * n
        text = HEAD + ('"\U0001f600",' if unique else "") + ",".join(items) + "]}"
        path = folder / f"{name}.dvar"
        path.write_text(text, "utf-8")
        assert path.stat().st_size <= fileformat.MAX_BYTES
        files.append(path)
    big = folder / "50 MB of empty records.dvar"
    big.write_text(
        '{"format":"dvar","version":1,"output":null,"nodes":['
        + ",".join(["{}"] * (50 * 2**20 // 3))
        + "]}",
        "utf-8",
    )
    files.append(big)
    return files


#: Loads a file in a fresh interpreter and prints its peak memory.  VmHWM, not
#: getrusage: on Linux, ru_maxrss keeps the forking parent's peak across exec.
PROBE = """
import sys
from dvar import core
try:
    core.load(sys.argv[1])
    result = "loaded"
except core.FileFormatError as error:
    result = "refused"
with open("/proc/self/status") as status:
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(result, peak // 1024)
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_peak_memory_stays_below_300_mb(tmp_path: Path) -> None:
    for path in _worst_files(tmp_path):
        done = subprocess.run(
            [sys.executable, "-c", PROBE, str(path)],
            capture_output=True,
            encoding="utf-8",
            timeout=120,
            check=True,
        )
        result, megabytes = done.stdout.split()
        assert int(megabytes) < 300, (path.name, result, megabytes)
