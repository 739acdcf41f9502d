"""The canvas scene's node texts: what each box says, and how wide it is.

A node's texts (its name, the formula with its chips' numbers, the value and the
derivative lines) are made from its state only when it is drawn or read
(``fill_texts``); ``GraphScene.refresh`` only notes which states changed.  Boxes are
fitted to their formula and derivative lines after each change that may alter them,
and widened soon after a paint finds a number that does not fit.
:class:`SceneTexts` is the part of :class:`~dvar.gui.canvas.scene.GraphScene` that
does this.

It imports dvar.core (formulas, derivative symbols), gui.numbers and the node items.
"""

from __future__ import annotations

from collections.abc import Iterable

from dvar.core import Event, derivative_symbol
from dvar.core.text import formula
from dvar.gui import numbers
from dvar.gui.canvas.nodes import NodeItem, width_for
from dvar.gui.numbers import format_number


class SceneTexts:
    """The texts' and widths' side of the scene (mixed into GraphScene)."""

    def _touched_formulas(self, events: list[Event]) -> set[int]:
        """Nodes whose formula or derivative text may have changed width after these events."""
        keys: set[int] = set()
        chips = self.chips
        for event in events:
            kind, key = event.kind, event.key
            if kind in ("node_added", "connected", "disconnected"):
                keys.add(key)
            elif kind == "renamed" and key in self.nodes:
                keys.add(key)
                keys.update(e.consumer.key for e in self.nodes[key].edges if e.consumer.key != key)
            elif kind == "value_changed" and key in chips and chips[key].host is not None:
                keys.add(chips[key].host.key)
            elif kind in ("output_changed", "reset"):
                return set(self.nodes)
        return keys

    def _fit_all_widths(self) -> None:
        self._fitted_for = (numbers.digits(), self.notation)
        self._fit_widths(self.nodes)

    def _fit_widths(self, keys: Iterable[int]) -> None:
        """Widen (or narrow back) these nodes' boxes for their formula and derivative
        lines (see nodes.width_for)."""
        graph, chips, notation = self.graph, self.chips, self.notation
        output = graph.output
        for key in keys:
            item = self.nodes.get(key)
            if item is None or key in chips or key not in graph:
                continue
            node = graph.node(key)
            head = node.id if node.op.is_leaf else formula(graph, node, chips, format_number)
            grad = derivative_symbol(node.id, output, notation)
            item.set_width(width_for(head, grad))

    def widen_later(self, item: NodeItem) -> None:
        """A node's text did not fit when painted (a long number): widen it soon."""
        self._to_widen.add(item)
        self._widen_timer.start()

    def widen_for_texts(self, items: Iterable[NodeItem] | None = None) -> None:
        """Widen the boxes (default: all) whose texts do not fit now: before an export,
        and soon after a paint found one (``widen_later``)."""
        if items is None:
            items = self.nodes.values()
        widened = False
        for item in items:
            if item.scene() is self and item.key not in self.chips:
                width = item.needed_width()
                if width > item.width:
                    item.set_width(width)
                    widened = True
        if widened:
            self.overview_changed.emit()

    def _widen_waiting(self) -> None:
        items, self._to_widen = self._to_widen, set()
        self.widen_for_texts(items)

    def fonts_changed(self) -> None:
        """Node text has another size (a preference, or the system's font): boxes
        grow or shrink to it, their edges follow, and all is drawn again."""
        for item in self.nodes.values():
            item.fit_text_size()
        for box in self.group_items.values():
            box.fit_text_size()
        self._fit_all_widths()
        self.widen_for_texts()
        self.update()
        self.overview_changed.emit()

    def fill_texts(self, item: NodeItem) -> None:
        """Make a node's texts from its state (called when it is drawn or read)."""
        if item.key not in self.graph:
            return
        node = self.graph.node(item.key)
        (
            name,
            label,
            value,
            grad,
            _,
            _,
            output,
            notation,
            _,
            _,
            _,
            value_shown,
            grad_shown,
            override,
            _,
            marks,
        ) = item.state
        value_mark, grad_mark = marks or (None, None)
        item.marks = marks  # practice: the node paints its hidden cells as boxes
        derivative = (
            override
            if override is not None
            else f"{derivative_symbol(name, output, notation)} = "
            f"{grad_mark.text if grad_mark else format_number(grad) if grad_shown else ''}"
        )
        number = value_mark.text if value_mark else format_number(value) if value_shown else ""
        if node.op.is_leaf:
            text = formula(self.graph, node, (), format_number)
            value_line = f"{name} = {number}"
        else:
            text = formula(self.graph, node, self.chips, format_number)
            value_line = f"{text} = {number}"
        item.set_texts(
            label or name,
            node.op.symbol if not node.op.is_leaf else node.op.name,
            value_line,
            derivative,
            text,
            number,
        )
