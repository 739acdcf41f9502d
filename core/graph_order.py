"""A graph's topological order, kept as ranks and repaired locally after each edge.

Each node has a rank, and each operand ranks below its consumers.  A new edge that
goes against the ranks re-ranks only the nodes between its two ends (Pearce and
Kelly's dynamic topological sort), and refuses an edge that would close a cycle, so
evaluation never sorts the whole graph after an edit.  :class:`GraphOrder` is that
part of :class:`~dvar.core.graph.Graph`; the ranks themselves (``_rank``,
``_order``) are made by ``Graph.__init__`` and kept by its edits.

It imports only the standard library, networkx (when a cycle is named) and
:mod:`dvar.core.node`; never Qt.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from dvar.core.node import GraphError, Node


class GraphOrder:
    """The ranks: every operand before its consumers (mixed into Graph)."""

    def topological_keys(self) -> list[int]:
        """Node keys with every operand before its consumers."""
        if self._order is None:
            self._order = sorted(self._rank, key=self._rank.__getitem__)
        return self._order

    @property
    def ranks(self) -> Mapping[int, int]:
        """Each node key's rank: operands rank below their consumers (read-only)."""
        return MappingProxyType(self._rank)

    def nodes_in_order(self) -> list[Node]:
        """Every node, each after the nodes that feed it (the order of ``topological_keys``)."""
        return list(map(self._nodes.__getitem__, self.topological_keys()))

    def _make_room(self, src: int, dst: int) -> dict[int, int]:
        """Re-rank nodes so that ``src`` ranks below ``dst`` before the edge src → dst.

        Only nodes ranked between the two move (Pearce and Kelly's dynamic
        topological sort).  Raises GraphError if the edge would close a cycle.
        Returns the old ranks of the nodes that moved.
        """
        rank, low, high = self._rank, self._rank[dst], self._rank[src]
        g = self.nx
        ahead: set[int] = set()  # reachable from dst, ranked below src
        stack = [dst]
        while stack:
            n = stack.pop()
            if n in ahead:
                continue
            ahead.add(n)
            for nxt in g.successors(n):
                if nxt == src:
                    raise GraphError(self._cycle_message(src, dst))
                if rank[nxt] < high and nxt not in ahead:
                    stack.append(nxt)
        behind: set[int] = set()  # reaching src, ranked above dst
        stack = [src]
        while stack:
            n = stack.pop()
            if n in behind:
                continue
            behind.add(n)
            stack.extend(p for p in set(self._nodes[n].inputs) if p is not None and rank[p] > low)
        moved = sorted(behind, key=rank.__getitem__) + sorted(ahead, key=rank.__getitem__)
        old = {n: rank[n] for n in moved}
        for n, r in zip(moved, sorted(old.values()), strict=True):
            rank[n] = r
        self._order = None
        return old

    def _restore_ranks(self, old: dict[int, int]) -> None:
        self._rank.update((k, r) for k, r in old.items() if k in self._rank)
        self._order = None

    def _cycle_message(self, src: int, dst: int) -> str:
        import networkx as nx

        path = nx.shortest_path(self.nx, dst, src)
        loop = " → ".join(self._nodes[k].id for k in [src, *path])
        return (
            f"connecting {self._nodes[src].id} → {self._nodes[dst].id} would close a cycle: {loop}"
        )
