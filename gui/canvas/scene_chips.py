"""The canvas scene's chips: constants drawn on the ports they feed, not as boxes.

In the lecture's look a constant with one use (the 3 of ``J = 3·v``) is a small chip
(:mod:`chips`) docked on its consumer's input port, and the consumer's formula shows
its number.  :class:`SceneChips` is the part of
:class:`~dvar.gui.canvas.scene.GraphScene` that decides which constants are chips now,
swaps a constant's item between a box and a chip when that changes (an edge added or
removed, the View setting, undo) and docks each chip on its port; the scene holds the
items (``nodes``, ``chips``, and ``_hosted``: the chips on each node's ports).

It imports dvar.core's formulas (which constants can be chips) and nothing of Qt.
"""

from __future__ import annotations

from collections.abc import Iterable

from dvar.core.text import inline_constants


class SceneChips:
    """The chips' side of the scene (mixed into GraphScene)."""

    def set_constants_as_nodes(self, on: bool) -> None:
        """Draw every constant as a box of its own (True), or a constant with one use
        as a chip on its consumer's port (False, the default, as on the lecture's slide)."""
        if on == self.constants_as_nodes:
            return
        self.constants_as_nodes = on
        with self._in_bulk():
            if self.units.boxes:
                self._sync_units()
            else:
                self._fit_widths(self._sync_chips())
        self.refresh(self.document.evaluation)
        self.overview_changed.emit()

    def _wanted_chips(self) -> set[int]:
        """The constants to draw as chips now: not the output, which keeps its marked box."""
        if self.constants_as_nodes:
            return set()
        graph = self.graph
        hidden = self.units.hidden
        if not hidden:
            return inline_constants(graph) - {graph.output_key}
        # A chip sits on a shown port: not inside a group, nor on one hidden in it.
        chips = set()
        for key in graph.topological_keys():
            if key not in hidden and graph.is_inline_constant(key):
                consumer = graph.key_of(graph.consumers(key)[0][0])
                if consumer not in hidden:
                    chips.add(key)
        return chips - {graph.output_key}

    def _sync_chips(self) -> set[int]:
        """Draw as chips exactly the constants that should be now, swapping items whose
        kind changed (an edge added or removed, a chip dragged off, the View setting,
        undo), and put every chip on its port.  Returns the keys of the nodes whose
        formulas changed: those that gained or lost a chip."""
        wanted = self._wanted_chips()
        hosts_before = {key: chip.host.key for key, chip in self.chips.items() if chip.host}
        for key in set(self.chips) - wanted:
            self._replace_item(key, chip=False)
        for key in wanted - set(self.chips):
            self._replace_item(key, chip=True)
        self._dock_chips(wanted)
        hosts_after = {key: chip.host.key for key, chip in self.chips.items() if chip.host}
        changed = set(hosts_before.items()) ^ set(hosts_after.items())
        return {host for _, host in changed}

    def _replace_item(self, key: int, chip: bool) -> None:
        """Swap a constant's item between a box and a chip, keeping its selection."""
        old = self.nodes.pop(key, None)
        if old is None:
            return
        selected = old.isSelected()
        for edge in list(old.edges):
            self._drop_edge(edge)
        self._forget_chip(key)
        self.removeItem(old)
        item = self._add_node_item(key, len(self.nodes), chip=chip)
        if not chip:
            for consumer, slot in self.graph.consumers(key):
                consumer_key = self.graph.key_of(consumer)
                if (consumer_key, slot) not in self.edges and consumer_key in self.nodes:
                    self._add_edge_item(key, consumer_key, slot)
        if selected:
            item.setSelected(True)

    def _forget_chip(self, key: int) -> None:
        chip = self.chips.pop(key, None)
        if chip is not None:
            chip.undock()

    def _dock_chips(self, keys: Iterable[int]) -> None:
        """Put these chips on the ports they feed, and note which nodes host chips."""
        hosted: dict[int, list[int]] = {}
        ordered = [key for key in keys if key in self.chips]
        wanted = set(ordered)
        port: dict[int, tuple[int, int]] = {}  # chip -> (consumer, slot), one pass over edges
        if wanted:
            for node in self.graph:
                for slot, source in enumerate(node.inputs):
                    if source in wanted:
                        port[source] = (node.key, slot)
        for key in ordered:
            if key not in port:
                continue
            consumer, slot = port[key]
            host = self.nodes.get(consumer)
            if host is not None:
                self.chips[key].dock(host, slot)
                hosted.setdefault(host.key, []).append(key)
        self._hosted = {host: tuple(keys) for host, keys in hosted.items()}
