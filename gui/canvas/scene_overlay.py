"""What the document's overlay shows on the canvas, and the backward view's edges.

The overlay (:mod:`dvar.gui.document.overlay`) is what teaching tools show over the
graph: nudged values, the current step, highlighted edges, hidden cells, a lesson's
spotlight.  :class:`SceneOverlay` is the part of
:class:`~dvar.gui.canvas.scene.GraphScene` that draws a new overlay, touching only
what changed, and labels edges with their local derivatives in the backward view.

It imports dvar.core's evaluation, the overlay and gui.numbers; nothing of Qt.
"""

from __future__ import annotations

from dvar.core import Evaluation
from dvar.gui.document.overlay import Overlay, term_edges
from dvar.gui.numbers import format_number

#: How faint a lesson draws what lies outside its spotlight.
DIMMED = 0.25


class SceneOverlay:
    """The overlay's side of the scene (mixed into GraphScene)."""

    @property
    def highlight(self) -> frozenset[tuple[int, int]]:
        """The edges drawn highlighted (consumer key, slot): the overlay's."""
        return self.document.overlay.edges

    def _on_overlay(self, new: Overlay, old: Overlay) -> None:
        """Draw what the document's new overlay shows, touching only what changed."""
        for key in old.values.keys() | new.values.keys():
            item = self.nodes.get(key)
            if item is not None:
                item.set_nudge(new.values.get(key, ""))
        if new.current != old.current:
            for key in (old.current, new.current):
                if key in self.nodes:
                    self.nodes[key].set_current(key == new.current)
        if (new.shown_values, new.shown_grads, new.derivatives, new.cells) != (
            old.shown_values,
            old.shown_grads,
            old.derivatives,
            old.cells,
        ):
            self.refresh(self.document.evaluation)
        elif new.backward_shown != old.backward_shown:
            self._style_edges(self.document.evaluation)  # the forward pass hides backward edges
        if new.edges != old.edges:
            for slot_key in old.edges | new.edges:
                edge = self.edges.get(slot_key)
                if edge is not None:
                    edge.set_style(edge.backward, edge.label, slot_key in new.edges)
        if new.spotlight != old.spotlight:
            self._dim_outside(new.spotlight)
        self.overview_changed.emit()

    def _dim_outside(self, spotlight: frozenset[int] | None) -> None:
        """A lesson's spotlight: every node outside it, and every edge not between two
        nodes in it, drawn faint (None: everything in full)."""

        def opacity(*keys: int) -> float:
            return 1.0 if spotlight is None or all(k in spotlight for k in keys) else DIMMED

        for key, item in self.nodes.items():
            chip = self.chips.get(key)
            host = chip.host.key if chip is not None and chip.host is not None else key
            item.setOpacity(opacity(host))  # a chip is as bright as the node it sits on
        for (consumer, _), edge in self.edges.items():
            edge.setOpacity(opacity(edge.source.key, consumer))
        self.redraw_background()  # the edges

    def _style_edges(self, evaluation: Evaluation) -> None:
        backward = self.backward_view and self.document.overlay.backward_shown
        if not backward and not self._styled_backward:
            return  # plain forward edges carry no numbers; highlights are set elsewhere
        self._styled_backward = backward
        uses: dict[int, int] = {}
        if backward:  # Σ on every node whose derivative sums several terms
            for edge in self.edges.values():
                uses[edge.source.key] = uses.get(edge.source.key, 0) + 1
        for key, item in self.nodes.items():
            several = uses.get(key, 0) > 1 and len(evaluation.terms(key)) > 1
            item.set_sum_badge(several)
        lit = self.document.overlay.edges
        cells = self.document.overlay.cells
        for (consumer, slot), edge in self.edges.items():
            label = ""
            mark = cells.get(("partial", consumer, slot)) if cells else None
            if mark is not None and backward:  # practice: a hidden local derivative
                label = mark.text or "…"
            elif backward:
                label = format_number(evaluation.partial(consumer, slot))
            edge.set_style(backward, label, (consumer, slot) in lit)

    def set_backward_view(self, on: bool) -> None:
        self.backward_view = on
        self._style_edges(self.document.evaluation)
        self.overview_changed.emit()

    def highlight_terms(self, key: int | None) -> None:
        """Highlight the edges that carry a node's chain-rule terms (its uses), or none:
        the document's overlay gets these edges."""
        document = self.document
        document.set_overlay(document.overlay.but(edges=term_edges(self.graph, key)))
