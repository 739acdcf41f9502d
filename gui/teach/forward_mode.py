"""Forward mode in the window: pick one input x, and every node shows d(node)/dx.

Reverse mode (the usual view) gives dJ/dnode for every node in one backward
sweep.  Forward mode turns it around: one forward sweep from x gives d(node)/dx
for every node (``core.forward_derivatives``).  The canvas's red derivative lines
then read ``du/da = 0``, ``dv/da = 1``, ``dJ/da = 3`` until the toggle is switched
off: they are the ``derivatives`` of the document's overlay.  Like the nudge, it
is a view and never an edit; unlike the nudge, it follows real edits: every change
recomputes it at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout

from dvar import core
from dvar.core.graph import STRUCTURAL
from dvar.gui.canvas.accessible import show_text
from dvar.gui.document.document import Document
from dvar.gui.numbers import format_number

#: Events after which the list of inputs and constants may read differently.
_RENAMING = STRUCTURAL | {"renamed"}

IDLE_TEXT = "Pick x and switch on: every node shows d(node)/dx, from one forward sweep."


class ForwardModeBox(QGroupBox):
    """The "Forward mode" group of the Teach dock: a choice of x and an on/off toggle."""

    #: Forward mode is about to be switched on (the Teach panel ends its other previews).
    starting = Signal()
    #: Forward mode was switched on or off (the window keeps its menu action in step).
    toggled = Signal(bool)

    def __init__(self, document: Document, parent=None) -> None:
        super().__init__("Forward mode", parent)
        self.document = document
        self.result: core.ForwardResult | None = None
        self._key: int | None = None  # the key of x while forward mode is on
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        label = QLabel("x =")
        row.addWidget(label)
        self.wrt = QComboBox()
        label.setBuddy(self.wrt)  # on Linux a screen reader names a combo box by its label
        self.wrt.setToolTip("The input or constant to differentiate with respect to")
        self.wrt.setAccessibleName("Forward mode: x, the node to differentiate by")
        row.addWidget(self.wrt, 1)
        self.show_button = QCheckBox("Show d(node)/dx")
        self.show_button.setToolTip(
            "Switch every node's red line between d(node)/dx (forward mode) "
            "and dJ/d(node) (the usual reverse view)"
        )
        row.addWidget(self.show_button)
        layout.addLayout(row)
        self.text = QLabel(IDLE_TEXT)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 4)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text)

        self._fill_choices()
        self.show_button.toggled.connect(self.set_active)
        self.wrt.currentIndexChanged.connect(self._on_choice)
        document.changed.connect(self._on_document_changed)

    # ----------------------------------------------------------------- public
    @property
    def active(self) -> bool:
        return self.result is not None

    def wrt_key(self) -> int | None:
        """The key of the chosen x, or None when the graph has no input or constant."""
        key = self.wrt.currentData()
        return key if isinstance(key, int) and key in self.document.graph else None

    def choose(self, ref: str | int) -> bool:
        """Pick x by id or key; False (and a message) when it is not an input or constant."""
        graph = self.document.graph
        if ref not in graph:
            self.document.message.emit(f"Forward mode: there is no node {ref}")
            return False
        index = self.wrt.findData(graph.key_of(ref))
        if index < 0:
            self.document.message.emit(
                f"Forward mode differentiates with respect to an input or a constant, "
                f"and {graph.id_of(ref)} is computed"
            )
            return False
        self.wrt.setCurrentIndex(index)
        return True

    def start(self, ref: str | int | None = None) -> bool:
        """Switch forward mode on, with respect to ``ref`` or the chosen x."""
        if ref is not None and not self.choose(ref):
            return False
        return self.set_active(True)

    def stop(self) -> None:
        """Back to the usual reverse view."""
        self.set_active(False)

    def set_active(self, on: bool) -> bool:
        """Switch forward mode on or off; True when it ends up as asked."""
        if on:
            if not self.active:
                self.starting.emit()
            shown = self._show()
            if not shown:
                self._switch_off()
            return shown
        if self.active or self.show_button.isChecked():
            self._switch_off()
        return True

    # ---------------------------------------------------------------- private
    def _show(self) -> bool:
        """Compute d(node)/dx in one sweep and put it on every node."""
        graph = self.document.graph
        key = self.wrt_key()
        if key is None:
            self.document.message.emit("Forward mode needs an input or a constant to start from")
            return False
        try:
            result = core.forward_derivatives(graph, key)
        except core.GraphError as error:
            self.document.message.emit(f"Cannot show forward mode: {error}")
            return False
        texts = {
            node.key: f"{result.symbol(node.key)} = {format_number(result[node.key])}"
            for node in graph
        }
        was_active = self.active
        self.result, self._key = result, key
        self.document.set_overlay(self.document.overlay.but(derivatives=texts))
        self._set_button(True)
        show_text(self.text, self._explain(result))
        if not was_active:
            self.toggled.emit(True)
        return True

    def _switch_off(self) -> None:
        was_active = self.active
        self.result, self._key = None, None
        self.document.set_overlay(self.document.overlay.but(derivatives=None))
        self._set_button(False)
        show_text(self.text, IDLE_TEXT)
        if was_active:
            self.toggled.emit(False)

    def _explain(self, result: core.ForwardResult) -> str:
        x = result.wrt
        head = f"One forward sweep from {x}: every node shows d(node)/d{x}."
        out = result.output
        if out is None:
            return head
        forward = result[out]
        if forward is None:
            return f"{head}\n{result.symbol(out)} has no value: {result.error(out)}"
        reverse = self.document.evaluation.grads[x]
        line = f"{result.symbol(out)} = {format_number(forward)}"
        if reverse is not None:
            line += f", as d{x} = {format_number(reverse)} from the backward pass"
        return f"{head}\n{line}."

    def _set_button(self, on: bool) -> None:
        self.show_button.blockSignals(True)
        self.show_button.setChecked(on)
        self.show_button.blockSignals(False)

    def _fill_choices(self) -> None:
        """List the inputs and constants, in topological order, keeping the current choice."""
        graph = self.document.graph
        current = self.wrt.currentData()
        self.wrt.blockSignals(True)
        self.wrt.clear()
        for key in graph.topological_keys():
            node = graph.node(key)
            if node.op.is_leaf:
                self.wrt.addItem(f"{node.id}  ({node.op.name})", key)
        index = self.wrt.findData(current) if current is not None else -1
        self.wrt.setCurrentIndex(max(index, 0) if self.wrt.count() else -1)
        self.wrt.blockSignals(False)
        name = graph.id_of(self.wrt_key()) if self.wrt_key() is not None else "x"
        self.show_button.setText(f"Show d(node)/d{name}")
        self.show_button.setEnabled(self.wrt.count() > 0 or self.active)

    def _on_choice(self, _index: int) -> None:
        key = self.wrt_key()
        name = self.document.graph.id_of(key) if key is not None else "x"
        self.show_button.setText(f"Show d(node)/d{name}")
        if self.active:
            self.set_active(True)

    def _on_document_changed(self, events: list[core.Event], evaluation) -> None:
        if all(event.kind == "moved" for event in events):
            return
        if any(event.kind in _RENAMING for event in events):
            shown = self.result.wrt if self.result is not None else None
            self._fill_choices()
            if self.active and self.wrt.currentData() != self._key:
                self.stop()  # x was deleted, or became something else
                self.document.message.emit(f"Forward mode ended: {shown} is gone")
                return
        if self.active:
            self.set_active(True)  # any real edit: recompute at once
