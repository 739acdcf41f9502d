"""Teach → Paths: dJ/dx as a sum over every path from x to J, and that sum factored.

Pick a node (the panel follows the canvas selection) and the panel lists every path
from it to the output: its nodes, each edge's local derivative, their product, and
the sum of the products, which is dx.  *Factor* groups the paths by their first
edge, i.e. by the suffix they share: ``dx = da·∂a/∂x + db·∂b/∂x``, where ``da``
already sums every path above a; reverse mode computes each shared part once.
Above 1,000 paths the panel says how many there are and shows only the factored form.

Hovering or selecting a row highlights its edges on the canvas through the
document's overlay (never by touching items); hiding the panel clears that.
The numbers come from the core (``Evaluation.paths``, ``factored_paths``).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dvar import core
from dvar.core.paths import LIMIT, factor_text, path_sum
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.document.document import Document
from dvar.gui.numbers import format_number

Edges = frozenset[tuple[int, int]]

IDLE_TEXT = "Pick a node, or select one on the canvas, to list its paths to the output."
PRACTICE_TEXT = "Paths wait until practice ends: their products are the answers."
PATH_HEADERS = ("Path", "Local derivatives", "Numbers", "Product")
FACTOR_HEADERS = ("Term", "Stands for", "Numbers", "Product")


class PathsPanel(QWidget):
    """The paths from one node to the output, listed or factored, highlighted on hover."""

    def __init__(self, document: Document, scene: GraphScene, parent=None) -> None:
        super().__init__(parent)
        self.document, self.scene = document, scene
        self._key: int | None = None  # the node whose paths are shown
        self._ids: list[str] = []  # the nodes the chooser lists, in the backward order
        self._row_edges: list[Edges] = []  # each row's edges, for the highlight
        self._shown: Edges = frozenset()  # the edges this panel put in the overlay
        self._before: Edges = frozenset()  # the edges it replaced (a node's chain-rule terms)
        self._stale = True  # the document changed while the panel was hidden
        self._on_screen = True  # False while its dock is a hidden tab (see set_shown)

        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        label = QLabel("Node:")
        row.addWidget(label)
        self.chooser = QComboBox()
        label.setBuddy(self.chooser)  # on Linux a screen reader names a combo box by its label
        self.chooser.setToolTip("The node x whose paths to the output are listed")
        self.chooser.setAccessibleName("Node whose paths are listed")
        row.addWidget(self.chooser, 1)
        self.factor = QCheckBox("Factor")
        self.factor.setToolTip(
            "Group the paths by the first edge they take: dx = da·∂a/∂x + db·∂b/∂x, "
            "where da already sums every path from a to the output"
        )
        row.addWidget(self.factor)
        layout.addLayout(row)
        self.summary = _label(IDLE_TEXT)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(PATH_HEADERS))
        self.table.setAccessibleName("Paths to the output")
        self.table.setHorizontalHeaderLabels(PATH_HEADERS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.setMouseTracking(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 1)
        self.total = _label("")
        layout.addWidget(self.total)

        self.chooser.activated.connect(self._on_chosen)
        self.factor.toggled.connect(lambda _on: self.refresh())
        self.table.cellEntered.connect(lambda row, _col: self._highlight_row(row))
        self.table.itemSelectionChanged.connect(self._highlight_selected)
        self.table.viewport().installEventFilter(self)
        document.changed.connect(self._on_document_changed)
        scene.selectionChanged.connect(self._follow_selection)

    # ----------------------------------------------------------------- public
    @property
    def key(self) -> int | None:
        """The node whose paths are shown, or None."""
        return self._key

    @property
    def factored(self) -> bool:
        """True while the rows are the factored form (chosen, or forced by many paths)."""
        return self.factor.isChecked() or not self.factor.isEnabled()

    def choose(self, ref: str | int | None) -> None:
        """Show the paths of this node (an id or a key; None shows none)."""
        graph = self.document.graph
        if isinstance(ref, str):
            ref = graph.key_of(ref) if ref in graph else None
        if ref is not None and ref not in graph:
            ref = None
        if ref != self._key:
            self._key = ref
            self.clear()
            self.refresh()

    def clear(self) -> None:
        """Take this panel's highlight off the canvas (if it is still the one showing),
        giving back the edges it replaced."""
        if self._shown and self.document.overlay.edges == self._shown:
            self.document.set_overlay(self.document.overlay.but(edges=self._before))
        self._shown = self._before = frozenset()

    def set_shown(self, shown: bool) -> None:
        """The panel's dock came on screen (catch up) or left it (clear the highlight)."""
        self._on_screen = shown
        if not shown:
            self.clear()
        elif self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Rebuild the chooser and the rows from the document's current evaluation."""
        if not self.isEnabled():  # practice: no number may show
            self._blank(PRACTICE_TEXT)
            self._stale = True
            return
        if not (self.isVisible() and self._on_screen):
            self._stale = True
            return
        self._stale = False
        evaluation = self.document.evaluation
        self._fill_chooser(evaluation)
        self._blank(IDLE_TEXT)
        self.factor.setEnabled(True)
        key = self._key
        out = evaluation.output
        if key is None:
            return
        node = self.document.graph.id_of(key)
        if out is None:
            self.summary.setText("No output is chosen: there are no paths to list.")
            return
        count = evaluation.count_paths(key)
        grad = evaluation.grads[key]
        if count == 0:
            self.summary.setText(
                f"{out} does not depend on {node}: no path leads there, d{node} = 0."
            )
            return
        found = None if self.factor.isChecked() else evaluation.paths(key, LIMIT)
        many = count > LIMIT
        if many:
            self.factor.setEnabled(False)
        word = "path" if count == 1 else "paths"
        text = f"{count:,} {word} from {node} to {out}."
        if many:
            text += f" That is more than {LIMIT:,}: only the factored form is shown."
        self.summary.setText(text)
        if found is not None and not many:
            self._show_paths(found, node, grad)
        else:
            self._show_shares(evaluation, key, node, grad)

    # ------------------------------------------------------------------- rows
    def _show_paths(self, found: list[core.Path], node: str, grad: float | None) -> None:
        self.table.setHorizontalHeaderLabels(PATH_HEADERS)
        self.table.setRowCount(len(found))
        for row, path in enumerate(found):
            symbols = " · ".join(path.symbols) or "(J itself)"
            numbers = " · ".join(factor_text(format_number(f)) for f in path.factors) or "1"
            cells = (" → ".join(path.nodes), symbols, numbers, format_number(path.product))
            self._set_row(row, cells)
            self._row_edges.append(frozenset(path.edges))
        total = path_sum(found)
        self.total.setText(
            f"Sum of the products: {format_number(total)}  =  d{node} = {format_number(grad)}"
        )

    def _show_shares(self, evaluation: core.Evaluation, key: int, node: str, grad) -> None:
        self.table.setHorizontalHeaderLabels(FACTOR_HEADERS)
        shares = evaluation.factored_paths(key)
        self.table.setRowCount(len(shares))
        for row, share in enumerate(shares):
            t = share.term
            grad_text, partial_text = format_number(t.consumer_grad), format_number(t.partial)
            numbers = f"{factor_text(grad_text)} · {factor_text(partial_text)}"
            word = "path" if share.count == 1 else "paths"
            cells = (
                f"d{t.consumer} · {t.partial_symbol(node)}",
                f"{share.count:,} {word}",
                numbers,
                format_number(t.product),
            )
            self._set_row(row, cells)
            above = evaluation.edges_to_output(share.consumer_key)
            self._row_edges.append(above | {(share.consumer_key, t.slot)})
        symbolic = " + ".join(f"d{s.term.consumer}·{s.term.partial_symbol(node)}" for s in shares)
        self.total.setText(
            f"d{node} = {symbolic} = {format_number(grad)}\n"
            f"Each d(consumer) already sums every path from it to {evaluation.output}."
        )

    def _blank(self, text: str) -> None:
        self.table.clearContents()
        self.table.setRowCount(0)
        self._row_edges = []
        self.summary.setText(text)
        self.total.setText("")

    def _set_row(self, row: int, cells: tuple[str, ...]) -> None:
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if column == len(cells) - 1:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)

    # -------------------------------------------------------------- highlight
    def _highlight_row(self, row: int) -> None:
        if 0 <= row < len(self._row_edges):
            self._highlight(self._row_edges[row])

    def _highlight_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self._highlight_row(rows[0].row())
        else:
            self.clear()

    def _highlight(self, edges: Edges) -> None:
        overlay = self.document.overlay
        if not self._shown or overlay.edges != self._shown:  # someone else's edges
            self._before = overlay.edges
        if overlay.edges != edges:
            self.document.set_overlay(overlay.but(edges=edges))
        self._shown = edges

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Leave:
            self._highlight_selected()  # back to the chosen row, or to none
        return super().eventFilter(watched, event)

    # ---------------------------------------------------------------- follows
    def _follow_selection(self) -> None:
        if not shiboken6.isValid(self.scene):  # the scene is going, its items with it
            return
        keys = self.scene.selected_keys()
        if len(keys) == 1 and self.isEnabled():
            self.choose(keys[0])

    def _on_chosen(self, index: int) -> None:
        if 0 <= index < len(self._ids):
            self.choose(self._ids[index])

    def _on_document_changed(self, events: list[core.Event], evaluation) -> None:
        if events and all(event.kind == "moved" for event in events):
            return
        if self._key is not None and self._key not in self.document.graph:
            self._key = None
        rows = self.table.selectionModel().selectedRows()
        self.clear()
        self.refresh()
        if rows and rows[0].row() < self.table.rowCount():  # a value edit: the same paths
            self.table.selectRow(rows[0].row())

    def _fill_chooser(self, evaluation: core.Evaluation) -> None:
        ids = evaluation.order
        if ids != self._ids:
            self._ids = ids
            self.chooser.blockSignals(True)
            self.chooser.clear()
            self.chooser.addItems(ids)
            self.chooser.blockSignals(False)
        current = self.document.graph.id_of(self._key) if self._key is not None else None
        self.chooser.setCurrentIndex(ids.index(current) if current in ids else -1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        self.clear()  # leaving the panel takes its highlight with it
        super().hideEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.EnabledChange:
            if not self.isEnabled():
                self.clear()
            self.refresh()


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
