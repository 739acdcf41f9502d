"""The derivative panel: one row per node in backward order, each expanding into its chain rule."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QFont, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
)

from dvar.core import Evaluation, derivative_symbol
from dvar.core.numbers import format_full, format_number
from dvar.gui.canvas.look import derivative_color
from dvar.gui.document.document import Document
from dvar.gui.messages import plain_tip

KEY_ROLE = Qt.ItemDataRole.UserRole


class DerivativePanel(QTreeWidget):
    """Rows ``db  6``; expanding one shows ``db = du · ∂u/∂b = du · c = 3 · 2 = 6``
    and then one line per term."""

    #: A row was clicked: select this node on the canvas.
    node_activated = Signal(int)

    def __init__(self, document: Document, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.notation = "d"
        self.rows: dict[int, QTreeWidgetItem] = {}
        self._shown: dict[int, tuple] = {}  # what each row's texts were made from
        self._evaluation: Evaluation | None = None
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        #: Extra text after a row's value (the nudge's ΔJ/Δx), by node key.
        self.annotations: dict[int, str] = {}
        #: While stepping backward: the rows whose derivative is known so far (None: all).
        self.revealed: set[int] | None = None
        self._order: list[int] = []
        self._syncing = False
        self.setColumnCount(2)
        self.setHeaderLabels(["derivative", "value"])
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # A fixed (user-adjustable) width: sizing to contents re-measures every row on
        # every change.
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.header().resizeSection(1, 150)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformRowHeights(False)
        self.setWordWrap(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.itemExpanded.connect(self._fill)
        self.itemSelectionChanged.connect(self._on_selection)
        self.setAccessibleName("Derivative panel")
        self.copy_text_action = QAction("Copy breakdown as text", self)
        self.copy_text_action.triggered.connect(lambda: self.copy_breakdown(latex=False))
        self.copy_latex_action = QAction("Copy breakdown as LaTeX", self)
        self.copy_latex_action.triggered.connect(lambda: self.copy_breakdown(latex=True))
        document.changed.connect(lambda events, evaluation: self.refresh(evaluation))
        self.refresh(document.evaluation)

    # ---------------------------------------------------------------- contents
    def refresh(self, evaluation: Evaluation) -> None:
        """Rebuild rows only when the order changed; otherwise just update their text."""
        order = evaluation.order_keys
        self._evaluation = evaluation  # rows may be drawn while they are rebuilt
        if order != self._order:
            # Rebuilding moves the selection by itself: that is no one choosing a row, and
            # the rows it passes through may name nodes that no longer exist.
            self._syncing = True
            try:
                self._rebuild(order)
            finally:
                self._syncing = False
        self._update_rows(self._rows_in_view())

    def _rebuild(self, order: list[int]) -> None:
        """New rows for a new order; expanded and selected rows stay so."""
        selected = self.current_key()
        expanded = {k for k, row in self.rows.items() if row.isExpanded()}
        self.clear()
        self.rows = {}
        self._shown = {}
        red = QBrush(derivative_color())
        italic = QFont(self.font())
        italic.setItalic(True)
        for key in order:
            row = QTreeWidgetItem(self)
            row.setData(0, KEY_ROLE, key)
            row.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            row.setForeground(0, red)
            row.setFont(0, italic)
            self.rows[key] = row
        self._order = order
        for key in expanded & set(self.rows):
            self.rows[key].setExpanded(True)
        if selected in self.rows:
            self._select_row(selected)

    def _rows_in_view(self) -> list[int]:
        """Keys of the rows on screen (with some slack) and of every expanded row.

        A value edit can change thousands of derivatives; only the rows a person can
        see are rewritten now, the others when they scroll into view.
        """
        order = self._order
        if not order:
            return []
        first = self.indexAt(self.viewport().rect().topLeft()).row()
        first = max(0, first)
        height = max(1, self.sizeHintForRow(0) if self.topLevelItemCount() else 16)
        count = self.viewport().height() // height + 4
        keys = order[first : first + count]
        keys += [k for k, row in self.rows.items() if row.isExpanded() and k not in keys]
        return keys

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._on_scrolled()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._on_scrolled()

    def _on_scrolled(self, *_) -> None:
        if self._evaluation is not None:
            self._update_rows(self._rows_in_view())

    def _update_rows(self, keys: list[int]) -> None:
        evaluation = self._evaluation
        graph = self.document.graph
        output = evaluation.output
        grads = evaluation.grads
        for key in keys:
            row = self.rows[key]
            node_id = graph.id_of(key)
            grad = grads[key]
            error = evaluation.error(key)
            shown = self.revealed is None or key in self.revealed
            state = (node_id, grad, error, shown, self.annotations.get(key), output, self.notation)
            if self._shown.get(key) != state:  # only rows whose text changes are touched
                self._shown[key] = state
                symbol = derivative_symbol(node_id, output, self.notation)
                row.setText(0, symbol if error is None else f"{symbol}   ({node_id}: {error})")
                value_text = format_number(grad) if shown else ""
                if key in self.annotations:
                    value_text += f"   {self.annotations[key]}"
                row.setText(1, value_text)
                row.setToolTip(0, plain_tip(self.explain(node_id, output)))
                row.setToolTip(1, format_full(grad) if shown else "")
            if row.isExpanded():
                self._fill(row)
            elif row.childCount():
                row.takeChildren()

    def explain(self, node_id: str, output: str | None) -> str:
        """The hover text: what the derivative means."""
        out = output or "J"
        symbol = derivative_symbol(node_id, output, self.notation)
        return f"{symbol} ≡ ∂{out}/∂{node_id}: how much {out} moves per unit nudge of {node_id}"

    def _fill(self, row: QTreeWidgetItem) -> None:
        if row.parent() is not None:
            return  # a breakdown line (expand-all reaches it): it has no breakdown of its own
        key = row.data(0, KEY_ROLE)
        evaluation = self.document.evaluation
        lines = [evaluation.breakdown(key, self.notation)]
        node_id = self.document.graph.id_of(key)
        for term in evaluation.terms(key):
            d = derivative_symbol(term.consumer, evaluation.output, self.notation)
            lines.append(
                f"via {term.consumer}: {d} · {term.partial_symbol(node_id)} = "
                f"{format_number(term.consumer_grad)} · {format_number(term.partial)} = "
                f"{format_number(term.product)}"
            )
        existing = [row.child(i).text(0) for i in range(row.childCount())]
        if existing == lines:
            return
        row.takeChildren()
        for index, line in enumerate(lines):
            child = QTreeWidgetItem(row, [line])
            child.setData(0, KEY_ROLE, key)
            child.setFirstColumnSpanned(True)
            child.setToolTip(0, plain_tip(line))
            if index == 0:
                font = QFont(self.font())
                font.setBold(True)
                child.setFont(0, font)

    def annotate(self, annotations: dict[int, str]) -> None:
        """Show extra text beside some rows' values (e.g. ΔJ/Δa during a nudge)."""
        self.annotations = dict(annotations)
        self.refresh(self.document.evaluation)

    def set_reveal(self, keys: set[int] | None) -> None:
        """Blank the derivatives not reached yet while stepping; None shows all."""
        self.revealed = None if keys is None else set(keys)
        self.refresh(self.document.evaluation)

    def set_notation(self, notation: str) -> None:
        self.notation = notation
        self.refresh(self.document.evaluation)

    def restyle(self) -> None:
        """Numbers or colours are shown differently now: rebuild every row."""
        self._order = []
        self.refresh(self.document.evaluation)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the red of the derivatives
            self.restyle()

    # --------------------------------------------------------------- selection
    def current_key(self) -> int | None:
        item = self.currentItem()
        return None if item is None else item.data(0, KEY_ROLE)

    def _on_selection(self) -> None:
        if self._syncing:
            return
        key = self.current_key()
        if key is not None and key in self.document.graph:
            self.node_activated.emit(key)

    def select_node(self, key: int | None) -> None:
        """Follow a selection made on the canvas."""
        self._syncing = True
        try:
            if key is None:
                self.clearSelection()
            elif key in self.rows:
                self._select_row(key)
        finally:
            self._syncing = False

    def _select_row(self, key: int) -> None:
        row = self.rows[key]
        self.setCurrentItem(row)
        self.scrollToItem(row)

    # ----------------------------------------------------------------- copying
    def breakdown_text(self, key: int, latex: bool) -> str:
        text = self.document.evaluation.breakdown(key, self.notation)
        return to_latex(text) if latex else text

    def copy_breakdown(self, latex: bool) -> None:
        key = self.current_key()
        if key is None:
            self.document.message.emit("Select a row to copy its breakdown")
            return
        QGuiApplication.clipboard().setText(self.breakdown_text(key, latex))
        self.document.message.emit("Copied the breakdown as " + ("LaTeX" if latex else "text"))

    def _menu(self, point) -> None:
        if self.itemAt(point) is None:
            return
        menu = QMenu(self)
        menu.addAction(self.copy_text_action)
        menu.addAction(self.copy_latex_action)
        menu.exec(self.viewport().mapToGlobal(point))


_LATEX = {
    "·": r" \cdot ",
    "∂": r"\partial ",
    "²": "^{2}",
    "√": r"\sqrt",
    "σ": r"\sigma",
    "≡": r"\equiv",
    "—": r"\text{undefined}",
}


def to_latex(text: str) -> str:
    """A breakdown line as LaTeX math, for slides: ``db = du \\cdot \\frac{\\partial u}{...}``."""
    import re

    def fraction(match: re.Match) -> str:
        return rf"\frac{{\partial {match.group(1)}}}{{\partial {match.group(2)}}}"

    out = re.sub(r"∂(\w+)/∂(\w+(?:\[\d\])?)", fraction, text)
    out = out.replace("_", r"\_")
    for plain, tex in _LATEX.items():
        out = out.replace(plain, tex)
    out = re.sub(r" {2,}", " ", out)
    return f"${out.strip()}$"
