"""The bar above the derivative panel's rows: which nodes to list, in what order.

- **Filter by name**: the nodes whose id holds the text (any case).
- **Scope**: all nodes; the nodes the canvas shows (and the inputs and outputs of
  each collapsed group's box); only the parameters (inputs marked as trainable);
  or one group, chosen by its title path (``100 samples › sample 3 › Layer 1``;
  type to search).  A collapsed group lists its inputs and outputs, as its box
  does, and the button beside it expands it (or collapses it again); an expanded
  one lists every node inside.
- **Largest |d| first** (``set_by_size``; the panel's value header toggles it):
  sorted by the size of the derivative, to find the largest gradients; off, the
  rows keep the backward order (J first).

One row, so the panel keeps its room for rows.  The bar only works out a
:class:`RowView`; the model applies it.  On a graph of
66,000 nodes a change of scope costs tens of milliseconds, and typing waits for a
pause before filtering.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

from dvar.core import Event
from dvar.core.groups import (
    GroupPath,
    boundaries,
    boundary,
    group_at,
    visible,
    walk,
    with_collapsed,
)
from dvar.core.node import STRUCTURAL
from dvar.gui.document.annotation_commands import SetGroups
from dvar.gui.document.document import Document
from dvar.gui.panels.derivative_model import RowView

#: The scopes before the groups in the combo box.
ALL, CANVAS, PARAMETERS = "All nodes", "Shown on the canvas", "Parameters"
#: Quiet time after typing before the rows are filtered.
TYPING_DELAY_MS = 150
#: Between the titles of a group's path in the scope box.
SEPARATOR = " › "


class DerivativeFilter(QWidget):
    """Filter text, scope, largest first: ``view`` is the result."""

    #: The rows to show changed: the new RowView.
    view_changed = Signal(object)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.view = RowView()
        self.by_size = False
        self._paths: list[GroupPath | str] = [ALL, CANVAS, PARAMETERS]  # per combo entry
        self.text_box = QLineEdit(self)
        self.text_box.setPlaceholderText("Filter by name…")
        self.text_box.setClearButtonEnabled(True)
        self.text_box.setAccessibleName("Filter the derivatives by node name")
        for button in self.text_box.findChildren(QToolButton):  # the clear button
            button.setAccessibleName("Clear the name filter")
        self.scope_box = QComboBox(self)
        self.scope_box.setAccessibleName(
            "Which nodes to list: all, the canvas's, the parameters, or a group's"
        )
        self.scope_box.setToolTip(
            "All nodes, the nodes the canvas shows, the parameters, or a group: a "
            "collapsed group lists its inputs and outputs, an expanded one every node "
            "inside.  Type to search."
        )
        self.scope_box.setEditable(True)
        self.scope_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.scope_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.scope_box.setMinimumContentsLength(10)
        completer = QCompleter(self.scope_box.model(), self.scope_box)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.scope_box.setCompleter(completer)
        self.expand_button = QToolButton(self)
        self.expand_button.setText("Expand")
        self.expand_button.setEnabled(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.text_box, 3)
        layout.addWidget(self.scope_box, 2)
        layout.addWidget(self.expand_button)
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_DELAY_MS)
        self._typing.timeout.connect(self.update_view)
        self.text_box.textChanged.connect(lambda _: self._typing.start())
        self.scope_box.activated.connect(lambda _: self.update_view())
        self.expand_button.clicked.connect(self.toggle_group)
        document.changed.connect(self._on_changed)
        self._fill_scopes()

    # ----------------------------------------------------------------- choosing
    @property
    def scope(self) -> GroupPath | str:
        """ALL, CANVAS, or the path of the chosen group."""
        index = self.scope_box.currentIndex()
        return self._paths[index] if 0 <= index < len(self._paths) else ALL

    def set_scope(self, scope: GroupPath | str) -> None:
        """List all nodes (ALL), the canvas's (CANVAS), or a group's (its path)."""
        if scope in self._paths:
            self.scope_box.setCurrentIndex(self._paths.index(scope))
            self.update_view()

    def set_by_size(self, on: bool) -> None:
        """List the largest |derivative| first (True), or in backward order (False)."""
        self.by_size = bool(on)
        self.update_view()

    def set_text(self, text: str) -> None:
        """Filter by this text in the node ids now (typing waits for a pause)."""
        self.text_box.setText(text)
        self._typing.stop()
        self.update_view()

    def update_view(self) -> None:
        """Work out the rows from the bar's state, and tell the panel if they changed."""
        self._typing.stop()
        view = RowView(self.text_box.text().strip(), self._scope_keys(), self.by_size)
        self._show_button()
        if view != self.view:
            self.view = view
            self.view_changed.emit(view)

    def _scope_keys(self) -> frozenset[int] | None:
        scope, graph = self.scope, self.document.graph
        if scope == ALL:
            return None
        if scope == PARAMETERS:
            return frozenset(node.key for node in graph if node.param)
        if scope == CANVAS:
            shown, boxes = visible(graph)
            keys = set(shown)
            for inputs, outputs in boundaries(graph, [group_at(graph.groups, p) for p in boxes]):
                keys.update(inputs)
                keys.update(outputs)
            return frozenset(keys)
        group = group_at(graph.groups, scope)
        if group.collapsed:
            inputs, outputs = boundary(graph, group)
            return frozenset(inputs) | frozenset(outputs)
        return group.all_keys()

    # ------------------------------------------------------------------- groups
    def toggle_group(self) -> None:
        """Expand the chosen group, or collapse it again: one undoable step."""
        scope, graph = self.scope, self.document.graph
        if isinstance(scope, str):
            return
        group = group_at(graph.groups, scope)
        verb = "Collapse" if not group.collapsed else "Expand"
        groups = with_collapsed(graph.groups, scope, not group.collapsed)
        self.document.run(SetGroups(graph, groups, f"{verb} {group.title}"))

    def _show_button(self) -> None:
        scope = self.scope
        if isinstance(scope, str):
            self.expand_button.setEnabled(False)
            self.expand_button.setText("Expand")
            self.expand_button.setToolTip("Choose a group to expand or collapse it")
            return
        group = group_at(self.document.graph.groups, scope)
        verb = "Expand" if group.collapsed else "Collapse"
        self.expand_button.setEnabled(True)
        self.expand_button.setText(verb)
        self.expand_button.setToolTip(f"{verb} the group {group.title} on the canvas")

    def _fill_scopes(self) -> None:
        """The combo box's entries from the graph's groups, keeping the chosen one
        when it still exists (same path, same title)."""
        old_scope, old_text = self.scope, self.scope_box.currentText()
        paths: list[GroupPath | str] = [ALL, CANVAS, PARAMETERS]
        titles = [ALL, CANVAS, PARAMETERS]
        names: dict[GroupPath, str] = {}
        for path, group in walk(self.document.graph.groups):
            name = group.title if len(path) == 1 else names[path[:-1]] + SEPARATOR + group.title
            names[path] = name
            paths.append(path)
            titles.append(name)
        self.scope_box.blockSignals(True)
        try:
            self.scope_box.clear()
            self.scope_box.addItems(titles)
            self._paths = paths
            kept = isinstance(old_scope, str) or (
                old_scope in paths and titles[paths.index(old_scope)] == old_text
            )
            self.scope_box.setCurrentIndex(paths.index(old_scope) if kept else 0)
        finally:
            self.scope_box.blockSignals(False)

    def _on_changed(self, events: list[Event], _evaluation: object) -> None:
        kinds = {event.kind for event in events}
        if "groups_changed" in kinds:
            self._fill_scopes()
        scope = self.scope
        scoped = scope != ALL and (kinds & STRUCTURAL or "groups_changed" in kinds)
        params = scope == PARAMETERS and "param_changed" in kinds
        if scoped or params or "groups_changed" in kinds:
            self.update_view()
