"""Graphs built in one go: from parts already in topological order, with fresh names.

The tracer (``dvar.Value``) and the micrograd import make graphs of tens of
thousands of nodes at once.  Adding them one ``Graph.add_node`` at a time checks
every id, slot and rank again and again; here the caller hands over nodes whose
operands always come first, and the graph is put together in one pass through
``Graph._from_nodes`` (the file reader's path).

:class:`Namer` hands out ids by the house rule of :mod:`dvar.core.names`
(``stem``, ``stem_2``, ...; steps ``t1``, ``t2``), remembering where each stem's
count stands, so that naming n nodes costs n steps, not n².
"""

from __future__ import annotations

import keyword
import unicodedata

from dvar.core.graph import Graph, Node
from dvar.core.layout import layered_layout
from dvar.core.ops import Op

#: Graphs up to this many nodes are laid out when built (about 0.3 s at 2,000 nodes);
#: bigger ones get no positions, and the editor lays out what it shows.
LAYOUT_LIMIT = 2_000


def is_valid_id(text: object) -> bool:
    """True when ``text`` can be a node's id as it is (see ``core.node.check_id``)."""
    return (
        isinstance(text, str)
        and text.isidentifier()
        and not keyword.iskeyword(text)
        and unicodedata.normalize("NFKC", text) == text
    )


class Namer:
    """Free ids for a graph being built: each id is handed out once."""

    __slots__ = ("taken", "_next", "_steps")

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self._next: dict[str, int] = {}
        self._steps = 0

    def claim(self, name: str) -> bool:
        """Take ``name`` itself if it is free; False if it is not."""
        if name in self.taken:
            return False
        self.taken.add(name)
        return True

    def unique(self, stem: str) -> str:
        """``stem`` if free, else the first free ``stem_2``, ``stem_3``, ... (``names.unique``)."""
        taken = self.taken
        if stem not in taken:
            taken.add(stem)
            return stem
        n = self._next.get(stem, 2)
        while f"{stem}_{n}" in taken:
            n += 1
        self._next[stem] = n + 1
        name = f"{stem}_{n}"
        taken.add(name)
        return name

    def step(self, stem: str) -> str:
        """The next free of ``stem1``, ``stem2``, ... (``names.numbered``)."""
        n = self._steps + 1
        while f"{stem}{n}" in self.taken:
            n += 1
        self._steps = n
        name = f"{stem}{n}"
        self.taken.add(name)
        return name


def assemble(
    ops: list[Op],
    ids: list[str],
    values: list[float | None],
    inputs: list[list[int]],
    labels: list[str | None] | None,
    output: int,
) -> Graph:
    """A graph whose node at position i has ``ops[i]``, ``ids[i]``, ``values[i]`` (leaves),
    operands ``inputs[i]`` (positions, each below i) and ``labels[i]``; its output is the
    node at ``output``.  Keys and ranks are the positions.  Nothing is checked again: the
    caller made the parts valid (distinct valid ids, finite leaf values, arities)."""
    no_label = labels is None
    nodes = [
        Node(i, ids[i], ops[i], values[i], inputs[i], None if no_label else labels[i])
        for i in range(len(ops))
    ]
    return Graph._from_nodes(nodes, list(range(len(nodes))), output, {})


def lay_out(graph: Graph) -> bool:
    """Place the nodes with the automatic layout when the graph has at most
    :data:`LAYOUT_LIMIT` nodes; True if it did."""
    if len(graph) > LAYOUT_LIMIT:
        return False
    for key, (x, y) in layered_layout(graph).items():
        graph.set_position(key, x, y)
    return True
