"""Copying nodes: a selection as a small ``.dvar`` fragment, and pasting it back."""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData

from dvar import core
from dvar.core import Graph

MIME = "application/x-dvar-nodes"
PASTE_OFFSET = 40.0


def copy_nodes(graph: Graph, keys: list[int]) -> QMimeData:
    """The nodes with the edges among them (edges from outside are left out)."""
    chosen = set(keys)
    records = []
    for key in graph.topological_keys():
        if key not in chosen:
            continue
        node = graph.node(key)
        record: dict = {"id": node.id, "op": node.op.name, "x": node.x, "y": node.y}
        if node.op.is_leaf:
            record["value"] = node.value
        else:
            record["inputs"] = [graph.id_of(s) if s in chosen else None for s in node.inputs]
        if node.label:
            record["label"] = node.label
        if node.param:
            record["param"] = True
        if node.box:
            record["box"] = True
        records.append(record)
    text = json.dumps({"format": "dvar", "version": 1, "output": None, "nodes": records})
    data = QMimeData()
    data.setData(MIME, text.encode())
    data.setText(text)
    return data


def paste_records(data: QMimeData, shift: float = PASTE_OFFSET) -> list[dict]:
    """The node records in clipboard data, moved by ``shift``; [] if it holds no nodes.

    The fragment is checked like a file (core.loads), so bad clipboard text is refused.
    """
    if data.hasFormat(MIME):
        raw = bytes(data.data(MIME))
    elif data.hasText() and '"format"' in data.text():
        raw = data.text().encode()
    else:
        return []
    try:
        fragment = core.loads(raw, "clipboard")
    except core.FileFormatError:
        return []
    records = core.to_dict(fragment)["nodes"]
    for record in records:
        if "x" in record:
            record["x"] += shift
            record["y"] += shift
    return records
