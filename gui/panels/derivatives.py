"""The derivative panel: one row per node in backward order, each expanding into its chain rule.

A ``QTreeView`` over a :class:`DerivativeModel`: the model formats only the rows
the view draws, so the panel costs the same on a graph of ten nodes or ten thousand.
Every row is one line of one height; the card above the rows
(:class:`~dvar.gui.panels.card.DerivativeCard`) shows the chosen node's derivative
in full.  The window docks ``panel.container``: the card, the filter bar
(:class:`~dvar.gui.panels.derivative_filter.DerivativeFilter`: by name, by group,
parameters only; shown for graphs of more than BAR_LIMIT nodes or with groups),
then the rows.  A click on the value column's header lists the largest |d| first.
A node hidden inside a collapsed group names that group beside its symbol, and its
row's menu expands it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from PySide6.QtCore import QEvent, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from dvar.core import Evaluation, Event
from dvar.core.groups import group_at, hidden_by, with_collapsed
from dvar.core.node import STRUCTURAL
from dvar.core.text import to_latex
from dvar.gui.document.annotation_commands import SetGroups
from dvar.gui.document.document import Document
from dvar.gui.document.overlay import Overlay
from dvar.gui.panels.card import DerivativeCard
from dvar.gui.panels.derivative_filter import DerivativeFilter
from dvar.gui.panels.derivative_model import KEY_ROLE, DerivativeModel

__all__ = ["KEY_ROLE", "DerivativeModel", "DerivativePanel", "PanelRow"]


class DerivativePanel(QTreeView):
    """Rows ``db  6``; expanding one shows ``db = du · ∂u/∂b = du · c = 3 · 2 = 6``
    and then one line per term.  ``container`` holds the card above these rows."""

    #: A row was clicked: select this node on the canvas.
    node_activated = Signal(int)

    def __init__(self, document: Document, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self._syncing = False
        self._kept: tuple[int | None, list[int]] = (None, [])  # across a reset
        self._chosen_before_steps: int | None = None
        self.rows_model = DerivativeModel(self)
        self.rows_model.set_font(self.font())
        self.setModel(self.rows_model)
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # A fixed (user-adjustable) width: sizing to contents re-measures every row on
        # every change.
        self.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.header().resizeSection(1, VALUE_WIDTH)
        self.header().setStretchLastSection(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # One line per row, every row as tall as the first: the view never measures
        # rows, so it scrolls a 66,000-node graph as fast as the lecture's.  A text
        # too long for its column ends in "…"; its tooltip and the card hold the rest.
        self.setUniformRowHeights(True)
        self.setWordWrap(False)
        # the header and two rows at least: the card above takes at most 70 % of the panel
        self.setMinimumHeight(4 * self.fontMetrics().height())
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.expanded.connect(self._span_lines)
        self.rows_model.rowsInserted.connect(self._on_lines_inserted)
        self.rows_model.modelAboutToBeReset.connect(self._keep_state)
        self.rows_model.modelReset.connect(self._restore_state)
        self.selectionModel().selectionChanged.connect(self._on_selection)
        self.setAccessibleName("Derivative panel")
        self.copy_text_action = QAction("Copy breakdown as text", self)
        self.copy_text_action.triggered.connect(lambda: self.copy_breakdown(latex=False))
        self.copy_latex_action = QAction("Copy breakdown as LaTeX", self)
        self.copy_latex_action.triggered.connect(lambda: self.copy_breakdown(latex=True))
        self.card = DerivativeCard(document)
        self.filter_bar = DerivativeFilter(document)
        self.filter_bar.view_changed.connect(self.rows_model.set_view)
        # A click on the value column's header lists the largest |d| first, and back.
        self.header().setSectionsClickable(True)
        self.header().sectionClicked.connect(self._on_header_clicked)
        self._hidden: dict[int, tuple[int, ...]] = {}  # node -> collapsed group hiding it
        self.container = _CardAbove(self.card, self.filter_bar, self)
        document.changed.connect(self._on_changed)
        document.overlay_changed.connect(self._on_overlay)
        self.rows_model.set_overlay(document.overlay)
        self._read_groups()
        self.refresh(document.evaluation)

    # ---------------------------------------------------------------- contents
    @property
    def notation(self) -> str:
        return self.rows_model.notation

    @property
    def rows(self) -> Mapping[int, PanelRow]:
        """The rows by node key, in backward order: what the panel shows for each node."""
        return _Rows(self)

    def _on_changed(self, events: list[Event], evaluation: Evaluation) -> None:
        if any(e.kind == "groups_changed" or e.kind in STRUCTURAL for e in events):
            self._read_groups()
        self.refresh(evaluation)

    def _on_header_clicked(self, section: int) -> None:
        if section == 1:
            self.sort_by_size(not self.filter_bar.by_size)

    def sort_by_size(self, on: bool) -> None:
        """List the largest |derivative| first (True), or in backward order (False)."""
        self.filter_bar.set_by_size(on)
        header = self.header()
        header.setSortIndicatorShown(on)
        if on:
            header.setSortIndicator(1, Qt.SortOrder.DescendingOrder)

    def _read_groups(self) -> None:
        """Which nodes collapsed groups hide, for the hints beside their symbols; the
        filter bar shows once the graph is big enough to need it, or has groups."""
        graph = self.document.graph
        bar = self.filter_bar
        bar.setVisible(len(graph) > BAR_LIMIT or bool(graph.groups) or bar.view.active)
        groups = graph.groups
        self._hidden = hidden_by(groups) if groups else {}
        titles = {path: group_at(groups, path).title for path in set(self._hidden.values())}
        self.rows_model.set_hints({key: titles[path] for key, path in self._hidden.items()})

    def expand_group_of(self, key: int) -> bool:
        """Expand the collapsed group that hides this node (one level: the outermost);
        False when no group hides it."""
        path = self._hidden.get(key)
        if path is None:
            return False
        graph = self.document.graph
        title = group_at(graph.groups, path).title
        return self.document.run(
            SetGroups(graph, with_collapsed(graph.groups, path, False), f"Expand {title}")
        )

    def refresh(self, evaluation: Evaluation) -> None:
        """Show this evaluation; rows are made anew only when the order changed."""
        self.rows_model.set_evaluation(evaluation)
        self.card.refresh(evaluation)

    @property
    def show_constant_derivatives(self) -> bool:
        return self.rows_model.show_inline_constants

    def set_show_constant_derivatives(self, on: bool) -> None:
        """Give the inline constants (one use, written as their number) rows of their
        own (True), or none (False, the default).  Constants with two uses always
        have rows.  The card still shows a constant chosen on the canvas."""
        self.rows_model.set_show_inline_constants(on)
        if self.current_key() is None and self.card.key is not None:
            self.select_node(self.card.key)  # a constant chosen before gets its row now

    def _on_overlay(self, new: Overlay, old: Overlay) -> None:
        """Show what a teaching preview adds: notes beside values (the nudge's ΔJ/Δa),
        the derivatives known so far, and the node being computed as the chosen row
        (stepping); when the steps end, the row chosen before them is chosen again."""
        self.rows_model.set_overlay(new)
        self.card.refresh()
        if new.notes != old.notes:
            self._fit_values(new)
        if new.current == old.current:
            return
        if old.current is None:
            self._chosen_before_steps = self._selected_key()
        if new.current is not None:
            self.select_node(new.current)
        elif self._selected_key() == old.current:
            self.select_node(self._chosen_before_steps)

    def _fit_values(self, overlay: Overlay) -> None:
        """Widen the value column while a note (``6   (ΔJ/Δb = 6.000)``) needs it, up
        to half the panel, and give it back its width when the notes go."""
        metrics = self.fontMetrics()
        width = VALUE_WIDTH
        for key in overlay.notes:
            row = self.rows_model.row_of(key)
            if row is not None:
                text = self.rows_model.row_texts(row)[1]
                width = max(width, metrics.horizontalAdvance(text) + 2 * metrics.averageCharWidth())
        self.header().resizeSection(1, min(width, max(VALUE_WIDTH, self.viewport().width() // 2)))

    def _selected_key(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        return self.rows_model.key_at(rows[0]) if rows else None

    def set_notation(self, notation: str) -> None:
        self.rows_model.set_notation(notation)
        self.card.set_notation(notation)

    def restyle(self) -> None:
        """Numbers or colours are shown differently now: every row reads again."""
        self.rows_model.restyle()
        self.card.refresh()

    def explain(self, node_id: str, output: str | None) -> str:
        """The hover text: what the derivative means."""
        return self.rows_model.explain(node_id, output)

    def sizeHint(self) -> QSize:  # noqa: N802 (as Qt names it)
        """A few rows: the card above gets what it asks for first, the rows the rest."""
        return QSize(super().sizeHint().width(), 6 * self.fontMetrics().height())

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the red of the derivatives
            self.restyle()
        elif event.type() == QEvent.Type.FontChange:
            self.rows_model.set_font(self.font())
            self.restyle()

    def dataChanged(self, top_left: QModelIndex, bottom_right: QModelIndex, roles=()) -> None:
        """Told that many rows changed, QTreeView would measure each of them again at
        once, which formats every row of a big graph.  Every row is one line tall
        whatever its text says (a row's texts hold no line breaks, and Qt never grows a
        row to wrap a long one), so the panel just repaints: the rows on screen ask
        for their new texts as they are drawn."""
        if top_left.row() == bottom_right.row() or top_left.parent().isValid():
            super().dataChanged(top_left, bottom_right, roles)  # one row, or a breakdown
        else:
            QAbstractItemView.dataChanged(self, top_left, bottom_right, roles)

    def _span_lines(self, parent: QModelIndex) -> None:
        """A breakdown line spans both columns: it is one long formula."""
        if parent.isValid() and not parent.parent().isValid():
            for row in range(self.rows_model.rowCount(parent)):
                if not self.isFirstColumnSpanned(row, parent):
                    self.setFirstColumnSpanned(row, parent, True)

    def _on_lines_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        if parent.isValid() and self.isExpanded(parent):
            self._span_lines(parent)

    def _keep_state(self) -> None:
        """The rows are about to be made anew: remember which were open and chosen."""
        model = self.rows_model
        # Views hold persistent indexes of what they keep open: look only at those.
        open_keys = [
            model.key_at(index)
            for index in model.persistentIndexList()
            if index.isValid() and not index.parent().isValid() and self.isExpanded(index)
        ]
        self._kept = (self.current_key(), open_keys)

    def _restore_state(self) -> None:
        """Rows made anew in a new order: open and chosen rows stay so.

        Rebuilding moves the selection by itself: that is no one choosing a row, and
        the rows it passes through may name nodes that no longer exist.
        """
        selected, open_keys = self._kept
        self._kept = (None, [])
        self._syncing = True
        try:
            for key in open_keys:
                index = self.rows_model.index_of(key)
                if index.isValid():
                    self.expand(index)
            if self.rows_model.row_of(selected) is not None:
                self._select_row(selected)
        finally:
            self._syncing = False

    # --------------------------------------------------------------- selection
    def current_key(self) -> int | None:
        return self.rows_model.key_at(self.currentIndex())

    def _on_selection(self, *_) -> None:
        if self._syncing:
            return
        key = self.current_key()
        if key is not None and key in self.document.graph:
            self.card.show_node(key)
            self.node_activated.emit(key)

    def select_node(self, key: int | None) -> None:
        """Follow a selection made on the canvas: the card shows the node, and its row
        is chosen (a node without a row, an inline constant, leaves none chosen)."""
        self.card.show_node(key)
        self._syncing = True
        try:
            if key is not None and self.rows_model.row_of(key) is not None:
                self._select_row(key)
            else:
                self.clearSelection()
                self.setCurrentIndex(QModelIndex())
        finally:
            self._syncing = False

    def _select_row(self, key: int) -> None:
        index = self.rows_model.index_of(key)
        self.setCurrentIndex(index)
        self.scrollTo(index)

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
        index = self.indexAt(point)
        if not index.isValid():
            return
        menu = QMenu(self)
        key = self.rows_model.key_at(index)
        path = self._hidden.get(key) if key is not None else None
        if path is not None:
            title = group_at(self.document.graph.groups, path).title
            expand = menu.addAction(f"Expand {title}")
            expand.triggered.connect(lambda: self.expand_group_of(key))
            only = menu.addAction(f"List {title} only")
            only.triggered.connect(lambda: self.filter_bar.set_scope(path))
            menu.addSeparator()
        menu.addAction(self.copy_text_action)
        menu.addAction(self.copy_latex_action)
        menu.addSeparator()
        menu.addAction(self.card.copy_text_action)
        menu.addAction(self.card.copy_latex_action)
        menu.exec(self.viewport().mapToGlobal(point))


#: The value column's width: "-0.000123457" and a nudge's "ΔJ/Δa = 3" beside it.
VALUE_WIDTH = 150
#: Graphs of more nodes than this (or with groups) get the filter bar above the rows;
#: a smaller one shows all its rows at once, and the bar would take their room.
BAR_LIMIT = 30


class _CardAbove(QWidget):
    """What the window docks: the card, then the rows, which take the room left."""

    def __init__(self, card: DerivativeCard, bar: DerivativeFilter, rows: DerivativePanel) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(card)
        layout.addWidget(bar)
        layout.addWidget(rows, 1)
        self.setFocusProxy(rows)
        for action in (card.copy_text_action, card.copy_latex_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.card = card
        # The window replaces the panel on opening a file by deleting the rows: the
        # card and this box go with them.
        rows.destroyed.connect(self.deleteLater)

    def resizeEvent(self, event) -> None:  # noqa: N802 (as Qt names it)
        super().resizeEvent(event)
        self.card.fit_room(self.height())  # a long card scrolls and leaves the rows room


class PanelRow:
    """One row of the panel (or one line of its breakdown), named by node key, read
    through the model: what the view shows there."""

    __slots__ = ("panel", "key", "line")

    def __init__(self, panel: DerivativePanel, key: int, line: int | None = None) -> None:
        self.panel, self.key, self.line = panel, key, line

    @property
    def index(self) -> QModelIndex:
        """The row's index in column 0 (invalid once the node is gone)."""
        return self.cell(0)

    def cell(self, column: int) -> QModelIndex:
        model = self.panel.rows_model
        row = model.index_of(self.key, column if self.line is None else 0)
        if self.line is None:
            return row
        return model.index(self.line, column, row) if row.isValid() else QModelIndex()

    def data(self, column: int, role: int = KEY_ROLE):
        return self.cell(column).data(role)

    def text(self, column: int) -> str:
        return self.data(column, Qt.ItemDataRole.DisplayRole) or ""

    def toolTip(self, column: int) -> str:  # noqa: N802 (as Qt names it)
        return self.data(column, Qt.ItemDataRole.ToolTipRole) or ""

    def childCount(self) -> int:  # noqa: N802
        return 0 if self.line is not None else self.panel.rows_model.rowCount(self.index)

    def child(self, line: int) -> PanelRow:
        return PanelRow(self.panel, self.key, line)

    def isExpanded(self) -> bool:  # noqa: N802
        return self.line is None and self.panel.isExpanded(self.index)

    def setExpanded(self, on: bool) -> None:  # noqa: N802
        if self.line is None:
            self.panel.setExpanded(self.index, on)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PanelRow):
            return NotImplemented
        return (self.panel, self.key, self.line) == (other.panel, other.key, other.line)

    def __hash__(self) -> int:
        return hash((self.key, self.line))

    def __repr__(self) -> str:
        line = "" if self.line is None else f", line {self.line}"
        return f"<panel row of node {self.key}{line}>"


class _Rows(Mapping):
    """The panel's rows by node key, in row order; each row is made when asked for."""

    def __init__(self, panel: DerivativePanel) -> None:
        self._panel = panel

    def __getitem__(self, key: int) -> PanelRow:
        if self._panel.rows_model.row_of(key) is None:
            raise KeyError(key)
        return PanelRow(self._panel, key)

    def __iter__(self) -> Iterator[int]:
        return iter(list(self._panel.rows_model.keys))

    def __len__(self) -> int:
        return len(self._panel.rows_model.keys)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, int) and self._panel.rows_model.row_of(key) is not None
