"""Reading and writing ``.dvar`` files (format version 1; see docs/file-format.md).

A file is data and is never executed.  Every way a file can be wrong raises
:class:`FileFormatError` with one line that names the file, and the node and
field at fault.  Saves are atomic (:mod:`core.atomicwrite`): a temporary file in the
same folder, then ``os.replace``, so the previous file survives any failure; a save
through a symbolic link replaces the file it points to.
"""

from __future__ import annotations

import heapq
import json
import math
import os
import re
import stat
from typing import Any

from dvar.core.atomicwrite import write_atomic
from dvar.core.graph import Graph, GraphError, Node, check_id
from dvar.core.groups import groups_record, read_groups
from dvar.core.lesson import LessonError, check_structure, lesson_record, read_lesson
from dvar.core.notes import read_notes
from dvar.core.ops import OPS
from dvar.core.oserrors import reason

FORMAT = "dvar"
VERSION = 1
#: Limits on what a file may hold, so that a hostile or runaway file is refused with a
#: message instead of eating memory.  Parsed JSON takes up to 35 times its size in Python
#: objects, but at most about 100 bytes per JSON item, and a loaded node about 500
#: bytes; within these limits loading stays below about 300 MB (docs/file-format.md,
#: "Limits").  A 100,000-node graph is 6 to 9 MB, and about 1.3 million items.
MAX_BYTES = 16 * 1024 * 1024
#: JSON items: values (objects, arrays, strings, numbers, true/false/null) and object
#: keys, counted before parsing.
MAX_ITEMS = 2_000_000
MAX_NODES = 200_000
#: A JSON string, escapes included: what the value count skips over.
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NODE_FIELDS = frozenset({"id", "op", "value", "inputs", "label", "param", "box", "x", "y"})
_TOP_FIELDS = frozenset({"format", "version", "output", "nodes", "notes", "groups", "lesson"})


class FileFormatError(GraphError):
    """A file that dvar cannot read.  ``str(error)`` is one line naming the file and the fault."""


def load(path: str | os.PathLike[str]) -> Graph:
    """Read a ``.dvar`` file into a Graph; FileFormatError (one clear line) if it is bad.

    Only a regular file is read (symbolic links are followed): a folder, a named pipe,
    a device or a socket is refused at once, so nothing ever waits for a writer.
    """
    where = _printable(str(path))
    text = _decode(_read_file(path, where), where)  # the bytes go as soon as decoded
    document = _parse(text, where)
    del text
    return _from_dict(document, where, consume=True)


def _read_file(path: str | os.PathLike[str], where: str) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES; FileFormatError otherwise."""
    try:
        _check_regular(os.stat(path).st_mode, where)  # before opening: a FIFO would block
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb", closefd=True) as stream:
            # Whatever sits at the path now is what gets read: check it again.
            info = os.fstat(stream.fileno())
            _check_regular(info.st_mode, where)
            data = b"" if info.st_size > MAX_BYTES else stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise FileFormatError(f"{where}: no such file") from None
    except OSError as error:
        raise FileFormatError(f"{where}: cannot read: {reason(error)}") from None
    if len(data) > MAX_BYTES or info.st_size > MAX_BYTES:
        raise _too_large(where)
    return data


def _check_regular(mode: int, where: str) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise FileFormatError(f"{where}: is a folder, not a .dvar file")
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a special file"
    )
    raise FileFormatError(f"{where}: is {kind}, not a regular file; dvar reads only regular files")


def loads(data: bytes | str, where: str = "<data>") -> Graph:
    """Read ``.dvar`` content (bytes or text); ``where`` names it in error messages."""
    where = _printable(where)
    if len(data) > MAX_BYTES:  # text: characters, at most as many as its UTF-8 bytes
        raise _too_large(where)
    text = _decode(data, where) if isinstance(data, bytes) else data
    return _from_dict(_parse(text, where), where, consume=True)


def _too_large(where: str) -> FileFormatError:
    return FileFormatError(f"{where}: larger than {MAX_BYTES // 2**20} MiB; refusing to read it")


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileFormatError(
            f"{where}: not a dvar file: not UTF-8 text (bad byte at offset {error.start})"
        ) from None


def _parse(text: str, where: str) -> Any:
    """The JSON document in ``text``, after checking that it holds at most MAX_ITEMS
    values and keys (so that parsing cannot take more memory than that many objects)."""
    if not text or text.isspace():
        raise FileFormatError(f"{where}: the file is empty")
    if _count_items(text) > MAX_ITEMS:
        raise FileFormatError(
            f"{where}: more than {MAX_ITEMS:,} JSON values and keys; refusing to parse it"
        )
    try:
        document = json.loads(text)
    except RecursionError:
        raise FileFormatError(f"{where}: not a dvar file: JSON nested too deeply") from None
    except json.JSONDecodeError as error:
        raise FileFormatError(
            f"{where}: not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except ValueError as error:  # e.g. an integer with more digits than Python reads
        raise FileFormatError(f"{where}: not valid JSON: {error}") from None
    return document


def _count_items(text: str) -> int:
    """How many JSON values and keys ``text`` holds (for valid JSON; empty arrays and
    objects count twice), cheaply.

    Each value but the first follows a comma or a colon, or is the first in an array;
    each key is followed by a colon.  So one plus the commas, colons, ``[`` and ``{``
    outside strings bounds them.  The count over the whole text (strings
    included) takes milliseconds and is normally small enough; only when it is not are
    the strings skipped, stopping as soon as the limit is passed.
    """
    rough = 1 + _structural(text)
    if rough <= MAX_ITEMS:
        return rough
    count, start = 1, 0
    for string in _JSON_STRING.finditer(text):
        count += _structural(text[start : string.start()])
        if count > MAX_ITEMS:
            return count
        start = string.end()
    return count + _structural(text[start:])


def _structural(text: str) -> int:
    return text.count(",") + text.count(":") + text.count("[") + text.count("{")


def from_dict(document: Any, where: str = "<data>") -> Graph:
    """Build a Graph from a parsed ``.dvar`` document, checking every field."""
    return _from_dict(document, where, consume=False)


def _from_dict(document: Any, where: str, consume: bool) -> Graph:
    """``consume``: the document is ours, and its node records are dropped as they are
    read, so that the parsed JSON and the graph are not both whole in memory at once."""
    where = _printable(where)
    if not isinstance(document, dict):
        raise FileFormatError(f"{where}: not a dvar file: expected a JSON object at the top")
    if document.get("format") != FORMAT:
        raise FileFormatError(
            f"{where}: field 'format': expected \"dvar\", found {_show(document.get('format'))}"
        )
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise FileFormatError(f"{where}: field 'version': expected 1, found {_show(version)}")
    if version > VERSION:
        raise FileFormatError(
            f"{where}: field 'version': version {version} is newer than this dvar reads "
            f"(up to {VERSION}); please update dvar"
        )
    records = document.get("nodes")
    if not isinstance(records, list):
        found = "nothing" if records is None else _show(records)
        raise FileFormatError(f"{where}: field 'nodes': expected a list of nodes, found {found}")
    if len(records) > MAX_NODES:
        raise FileFormatError(f"{where}: field 'nodes': more than {MAX_NODES:,} nodes; refusing")

    nodes: list[Node] = []
    keys: dict[str, int] = {}
    wiring: list[list] = []
    for index, record in enumerate(records):
        node, inputs = _read_node(record, index, where)
        if consume:
            records[index] = None
        if node.id in keys:
            raise FileFormatError(f"{where}: node {index} ({node.id!r}): duplicate id")
        node.key = keys[node.id] = index
        nodes.append(node)
        wiring.append(inputs)

    sorted_already = True
    for node, inputs in zip(nodes, wiring, strict=True):
        for slot, source in enumerate(inputs):
            if source is None:
                continue
            key = keys.get(source)
            if key is None:
                raise FileFormatError(
                    f"{where}: node {node.id!r}: field 'inputs': slot {slot + 1} names "
                    f"{source!r}, which is not a node in this file"
                )
            if key == node.key:
                raise FileFormatError(
                    f"{where}: node {node.id!r}: field 'inputs': the node feeds itself"
                )
            if key > node.key:
                sorted_already = False
            node.inputs[slot] = key
    ranks = list(range(len(nodes))) if sorted_already else _ranks(nodes, where)

    output = document.get("output")
    if output is not None and (not isinstance(output, str) or output not in keys):
        raise FileFormatError(f"{where}: field 'output': {_show(output)} is not a node's id")
    notes = []
    if document.get("notes") is not None:
        try:
            notes = read_notes(document["notes"])
        except GraphError as error:
            raise FileFormatError(f"{where}: {error}") from None
    groups = ()
    if document.get("groups") is not None:
        try:
            groups = read_groups(document["groups"], keys, "field 'groups'")
        except GraphError as error:
            raise FileFormatError(f"{where}: {error}") from None
    extra = {k: v for k, v in document.items() if k not in _TOP_FIELDS}
    graph = Graph._from_nodes(
        nodes, ranks, None if output is None else keys[output], extra, notes, groups
    )
    if document.get("lesson") is not None:
        graph.set_lesson(_read_lesson(document["lesson"], keys, graph, where))
    return graph


def _read_lesson(record: Any, keys: dict[str, int], graph: Graph, where: str) -> Any:
    """The file's lesson, checked against its graph; one line naming the step at fault."""
    try:
        lesson = read_lesson(record, keys.__getitem__)
        check_structure(graph, lesson)
    except LessonError as error:
        about = "" if str(error).startswith("step ") else "field 'lesson': "
        raise FileFormatError(f"{where}: {about}{error}") from None
    return lesson


def _read_node(record: Any, index: int, where: str) -> tuple[Node, list]:
    if not isinstance(record, dict):
        raise FileFormatError(f"{where}: node {index}: expected an object, found {_show(record)}")
    raw_id = record.get("id")
    if raw_id is None:
        raise FileFormatError(f"{where}: node {index}: field 'id' is missing")
    try:
        node_id = check_id(raw_id)
    except GraphError as error:
        raise FileFormatError(f"{where}: node {index}: field 'id': {error}") from None
    at = f"{where}: node {node_id!r}"
    op = OPS.get(record.get("op")) if isinstance(record.get("op"), str) else None
    if op is None:
        raise FileFormatError(
            f"{at}: field 'op': unknown op {_show(record.get('op'))} (known: {', '.join(OPS)})"
        )
    value = None
    if op.is_leaf:
        if "value" not in record:
            raise FileFormatError(f"{at}: field 'value' is missing; an {op.name} needs one")
        value = _number(record["value"], at, "value")
        inputs = record.get("inputs", [])
        if inputs not in ([], None):
            raise FileFormatError(f"{at}: field 'inputs': an {op.name} takes no inputs")
        inputs = []
    else:
        if record.get("value") is not None:
            raise FileFormatError(
                f"{at}: field 'value': a {op.name} node computes its value; only inputs "
                "and constants hold one"
            )
        inputs = record.get("inputs")
        if not isinstance(inputs, list):
            raise FileFormatError(
                f"{at}: field 'inputs': expected a list of {op.arity} "
                f"id{'s' * (op.arity != 1)}, found {_show(inputs)}"
            )
        if len(inputs) != op.arity:
            raise FileFormatError(
                f"{at}: field 'inputs': {op.name} takes {op.arity} operand"
                f"{'s' * (op.arity != 1)}, found {len(inputs)}"
            )
        for slot, source in enumerate(inputs):
            if source is not None and not isinstance(source, str):
                raise FileFormatError(
                    f"{at}: field 'inputs': slot {slot + 1} must be an id or null, "
                    f"found {_show(source)}"
                )
    label = record.get("label")
    if label is not None and not isinstance(label, str):
        raise FileFormatError(f"{at}: field 'label': expected text, found {_show(label)}")
    param = record.get("param", False)
    if not isinstance(param, bool):
        raise FileFormatError(f"{at}: field 'param': expected true or false, found {_show(param)}")
    if param and op.name != "input":
        raise FileFormatError(f"{at}: field 'param': only inputs can be parameters")
    box = record.get("box", False)
    if not isinstance(box, bool):
        raise FileFormatError(f"{at}: field 'box': expected true or false, found {_show(box)}")
    if box and op.name != "const":
        raise FileFormatError(f"{at}: field 'box': only constants can be drawn as boxes")
    x = _number(record["x"], at, "x") if record.get("x") is not None else None
    y = _number(record["y"], at, "y") if record.get("y") is not None else None
    if (x is None) != (y is None):
        given, missing = ("x", "y") if x is not None else ("y", "x")
        raise FileFormatError(f"{at}: field {missing!r} is missing ({given} is given)")
    extra = {k: v for k, v in record.items() if k not in _NODE_FIELDS}
    node = Node(-1, node_id, op, value, [None] * op.arity, label or None, param, x, y, extra, box)
    return node, inputs


def _number(value: Any, at: str, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FileFormatError(f"{at}: field {field!r}: expected a number, found {_show(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise FileFormatError(
            f"{at}: field {field!r}: expected a finite number, found {_show(value)}"
        )
    return number


def _ranks(nodes: list[Node], where: str) -> list[int]:
    """A topological rank per node (Kahn's algorithm); FileFormatError naming a cycle."""
    count = [0] * len(nodes)
    consumers: list[list[int]] = [[] for _ in nodes]
    for node in nodes:
        for source in node.inputs:
            if source is not None:
                count[node.key] += 1
                consumers[source].append(node.key)
    ready = [i for i, c in enumerate(count) if c == 0]
    ranks = [-1] * len(nodes)
    for rank, i in enumerate(ready):  # `ready` grows while we walk it
        ranks[i] = rank
        for consumer in consumers[i]:
            count[consumer] -= 1
            if count[consumer] == 0:
                ready.append(consumer)
    if len(ready) < len(nodes):
        import networkx as nx

        left = nx.MultiDiGraph()
        left.add_edges_from(
            (s, n.key) for n in nodes if ranks[n.key] < 0 for s in n.inputs if s is not None
        )
        loop = [nodes[edge[0]].id for edge in nx.find_cycle(left)]
        loop.append(loop[0])
        raise FileFormatError(
            f"{where}: node {loop[0]!r}: field 'inputs': a cycle: " + " → ".join(loop)
        )
    return ranks


def _printable(text: str) -> str:
    """The text with line breaks and other control characters escaped: messages stay one line."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in text)


def _show(value: Any) -> str:
    text = json.dumps(value, allow_nan=True) if _plain(value) else type(value).__name__
    if text in ("NaN", "Infinity", "-Infinity"):
        return text
    return text if len(text) <= 40 else text[:37] + "..."


def _plain(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float | str)


def to_dict(graph: Graph) -> dict[str, Any]:
    """The graph as a ``.dvar`` document, nodes in a canonical topological order (operands
    first, then by key), unknown fields kept."""
    document: dict[str, Any] = {"format": FORMAT, "version": VERSION, "output": graph.output}
    nodes = {node.key: node for node in graph}
    records = []
    for key in _canonical_order(nodes):
        node = nodes[key]
        record: dict[str, Any] = {"id": node.id, "op": node.op.name}
        if node.label:
            record["label"] = node.label
        if node.op.is_leaf:
            record["value"] = _compact(node.value)
        else:
            record["inputs"] = [None if k is None else nodes[k].id for k in node.inputs]
        if node.param:
            record["param"] = True
        if node.box:
            record["box"] = True
        if node.x is not None and node.y is not None:
            record["x"], record["y"] = _compact(node.x), _compact(node.y)
        record.update(node.extra)
        records.append(record)
    document["nodes"] = records
    if graph.notes:
        document["notes"] = [note.record() for note in graph.notes.values()]
    if graph.groups:
        document["groups"] = groups_record(graph.groups, graph)
    if graph.lesson is not None:
        document["lesson"] = lesson_record(graph.lesson, graph.id_of)
    for field, value in graph.extra.items():
        document.setdefault(field, value)
    return document


def _canonical_order(nodes: dict[int, Node]) -> list[int]:
    """Operands before consumers, ties broken by the stable keys: the same graph always
    writes the same file, whatever order its edits (and their undos) came in."""
    waiting = {key: sum(s is not None for s in node.inputs) for key, node in nodes.items()}
    consumers: dict[int, list[int]] = {key: [] for key in nodes}
    for key, node in nodes.items():
        for source in node.inputs:
            if source is not None:
                consumers[source].append(key)
    ready = [key for key, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        key = heapq.heappop(ready)
        order.append(key)
        for consumer in consumers[key]:
            waiting[consumer] -= 1
            if waiting[consumer] == 0:
                heapq.heappush(ready, consumer)
    return order


def dumps(graph: Graph, ascii_only: bool = False) -> str:
    """The graph as ``.dvar`` text: one node per line, so files diff well.

    ``ascii_only`` escapes every non-ASCII character (JSON ``\\uXXXX``), which also
    carries text that is not valid Unicode (a lone surrogate read from a file).
    """
    document = to_dict(graph)
    records = document.pop("nodes")
    notes = document.pop("notes", None)
    groups = document.pop("groups", None)
    lesson = document.pop("lesson", None)
    head = json.dumps(document, ensure_ascii=ascii_only, indent=2)[:-2]  # drop the "\n}"
    text = f'{head},\n  "nodes": {_lines(records, ascii_only)}'
    if notes:
        text += f',\n  "notes": {_lines(notes, ascii_only)}'
    if groups:
        text += f',\n  "groups": {_lines(groups, ascii_only)}'
    if lesson is not None:
        title = json.dumps(lesson["title"], ensure_ascii=ascii_only)
        steps = _lines(lesson["steps"], ascii_only).replace("\n", "\n  ")
        text += f',\n  "lesson": {{\n    "title": {title},\n    "steps": {steps}\n  }}'
    return text + "\n}\n"


def _lines(records: list, ascii_only: bool) -> str:
    """A JSON list with one item per line (``[]`` when empty)."""
    if not records:
        return "[]"
    body = ",\n".join("    " + json.dumps(r, ensure_ascii=ascii_only) for r in records)
    return f"[\n{body}\n  ]"


def save(graph: Graph, path: str | os.PathLike[str]) -> None:
    """Write the graph to ``path`` atomically: the old file survives any failure.
    A symbolic link is kept and its target replaced."""
    try:
        text = dumps(graph).encode("utf-8")
    except UnicodeEncodeError:  # text that is not valid Unicode: keep it as JSON escapes
        text = dumps(graph, ascii_only=True).encode("ascii")
    write_atomic(path, text)


def _compact(x: float | None) -> float | int | None:
    """A whole number as an int (``5``, not ``5.0``); anything else, -0.0 included, as is."""
    if x is not None and x.is_integer() and abs(x) < 2**53 and (x or math.copysign(1.0, x) > 0):
        return int(x)
    return x
