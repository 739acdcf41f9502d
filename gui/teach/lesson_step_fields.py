"""The lesson editor's fields for the chosen step's spotlight, cells and action.

:class:`StepFields` is the part of :class:`~dvar.gui.teach.lesson_editor.LessonEditor`
that builds the Spotlight, Cells and Action rows of its form, changes the step when
they are used (and when a click on the canvas picks a node's name or a cell), and
fills them from the step.  Each change goes through the editor's ``_change_step``,
so it is one ``SetLesson`` on the undo stack.  The editor holds what the fields
read: ``graph``, ``document``, ``scene``, ``step()``, ``message`` and ``_filling``.

A teach module: may import dvar.core, gui.document, gui.canvas, gui.panels and gui.messages.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from dvar.core.lesson import Action, Cell, Step, answer, cell_name
from dvar.gui.canvas.value_editor import parse_typed_number
from dvar.gui.numbers import format_number
from dvar.gui.teach.lesson_cells import (
    ASKED,
    HIDDEN,
    SHOWN,
    cell_state,
    next_state,
    with_cell_state,
    with_spotlight_toggled,
)

#: The actions offered, as (kind, what the list says); "" is "no action".
ACTION_CHOICES = (
    ("", "No action"),
    ("set", "Set a node to a value"),
    ("nudge", "Nudge a node"),
    ("view", "Switch the view"),
)
VIEW_CHOICES = (("backward", "Backward view"), ("forward", "Forward mode"), ("normal", "Normal"))


class StepFields:
    """The chosen step's spotlight, cells and action: their rows, edits and filling."""

    # ------------------------------------------------------------ building
    def _build_step_rows(self, form: QFormLayout) -> None:
        """The Spotlight, Cells and Action rows of the lesson page."""
        spot_row = QHBoxLayout()
        self.spotlight_label = QLabel()
        self.spotlight_label.setTextFormat(Qt.TextFormat.PlainText)
        self.spotlight_label.setWordWrap(True)
        self.spotlight_button = QPushButton("S&potlight Selected")
        self.spotlight_button.setToolTip(
            "Put the nodes selected on the canvas into the spotlight, or take them out"
        )
        self.spotlight_button.clicked.connect(lambda: self.toggle_spotlight(self._selected()))
        self.clear_spotlight_button = QPushButton("Cl&ear")
        self.clear_spotlight_button.setToolTip("No spotlight: nothing is dimmed")
        self.clear_spotlight_button.clicked.connect(self.clear_spotlight)
        spot_row.addWidget(self.spotlight_label, 1)
        spot_row.addWidget(self.spotlight_button)
        spot_row.addWidget(self.clear_spotlight_button)
        form.addRow("Spotlight:", spot_row)

        cells = QGridLayout()
        self.cell_list = QListWidget()
        self.cell_list.setObjectName("lesson_cells")
        self.cell_list.setToolTip("Space: hide ▸ ask ▸ show;  Delete: show it again")
        cells.addWidget(self.cell_list, 0, 0, 1, 2)
        self.value_button = QPushButton("&Value")
        self.grad_button = QPushButton("&Derivative")
        self.edge_button = QPushButton("Ed&ge Label")
        self.show_button = QPushButton("S&how")
        self.value_button.setToolTip("Selected nodes' values: shown ▸ hidden ▸ asked")
        self.grad_button.setToolTip("Selected nodes' derivatives: shown ▸ hidden ▸ asked")
        self.edge_button.setToolTip("The selected edges' local derivatives: shown ▸ hidden ▸ asked")
        self.show_button.setToolTip("Show the cell chosen in the list again")
        self.value_button.clicked.connect(lambda: self._cycle_selected("value"))
        self.grad_button.clicked.connect(lambda: self._cycle_selected("grad"))
        self.edge_button.clicked.connect(self._cycle_selected_edges)
        self.show_button.clicked.connect(self._show_listed)
        for place, button in enumerate(
            (self.value_button, self.grad_button, self.edge_button, self.show_button)
        ):
            cells.addWidget(button, 1 + place // 2, place % 2)
        QShortcut(
            QKeySequence(Qt.Key.Key_Space),
            self.cell_list,
            self._cycle_listed,
            Qt.ShortcutContext.WidgetShortcut,
        )
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.cell_list,
            self._show_listed,
            Qt.ShortcutContext.WidgetShortcut,
        )
        form.addRow(buddy_label("Ce&lls:", self.cell_list), cells)

        action_row = QHBoxLayout()
        self.action_kind = QComboBox()
        self.action_kind.setObjectName("lesson_action")
        for kind, text in ACTION_CHOICES:
            self.action_kind.addItem(text, kind)
        self.action_node = QComboBox()
        self.action_value = QLineEdit()
        self.action_value.setPlaceholderText("value")
        self.action_view = QComboBox()
        for view, text in VIEW_CHOICES:
            self.action_view.addItem(text, view)
        self.action_kind.activated.connect(self._action_kind_chosen)
        self.action_node.activated.connect(lambda _: self._action_edited())
        self.action_value.editingFinished.connect(self._action_edited)
        self.action_view.activated.connect(lambda _: self._action_edited())
        for widget in (self.action_kind, self.action_node, self.action_value, self.action_view):
            action_row.addWidget(widget)
        action_row.addStretch(1)
        form.addRow(buddy_label("Acti&on:", self.action_kind), action_row)

    # ------------------------------------------------------------ edits
    def toggle_spotlight(self, keys: list[int]) -> None:
        step = self.step()
        if step is None or not keys:
            return
        for key in keys:
            step = with_spotlight_toggled(step, key)
        self._change_step(step, "Change spotlight")

    def clear_spotlight(self) -> None:
        step = self.step()
        if step is not None and step.spotlight:
            self._change_step(dataclasses.replace(step, spotlight=()), "Clear spotlight")

    def cycle_cells(self, cells: list[Cell]) -> None:
        """Move each cell one state on (shown → hidden → asked → shown), as one change;
        the first cell decides the state, so a mixed selection moves together."""
        step = self.step()
        if step is None or not cells:
            return
        state = next_state(cell_state(step, cells[0]), self._can_ask(cells[0]))
        self.set_cells(cells, state)

    def set_cells(self, cells: list[Cell], state: str) -> None:
        step = self.step()
        if step is None or not cells:
            return
        refused = []
        for cell in cells:
            wanted = state
            if wanted == ASKED and not self._can_ask(cell):
                refused.append(cell_name(self.graph, cell))
                wanted = HIDDEN
            step = with_cell_state(step, cell, wanted)
        names = ", ".join(cell_name(self.graph, c) for c in cells[:3])
        more = "…" if len(cells) > 3 else ""
        if self._change_step(step, f"{state.capitalize()}: {names}{more}") and refused:
            self.message.setText(
                f"{', '.join(refused)} has no answer here, so it can only be hidden"
            )

    def set_action(self, action: Action | None) -> None:
        step = self.step()
        if step is not None and action != step.action:
            self._change_step(dataclasses.replace(step, action=action), "Change action")

    def _can_ask(self, cell: Cell) -> bool:
        kind, key, slot = cell
        if kind == "partial" and self.graph.node(key).inputs[slot] is None:
            return False
        if kind == "grad" and self.graph.output is None:
            return False
        return answer(self.graph, self.document.evaluation, cell) is not None

    # ------------------------------------------------------ selection buttons
    def _selected(self) -> list[int]:
        # In the order the nodes were made, not Qt's order of selected items (which varies).
        return sorted(k for k in self.scene.selected_keys() if k not in self.scene.chips)

    def _cycle_selected(self, kind: str) -> None:
        keys = self._selected()
        if not keys:
            self.message.setText("Select nodes on the canvas first")
            return
        self.cycle_cells([(kind, key, 0) for key in keys])

    def _cycle_selected_edges(self) -> None:
        edges = sorted(self.scene.selected_edges())
        if not edges:
            self.message.setText("Select an edge on the canvas first")
            return
        self.cycle_cells([("partial", consumer, slot) for consumer, slot in edges])

    def _listed(self) -> Cell | None:
        item = self.cell_list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _cycle_listed(self) -> None:
        cell = self._listed()
        if cell is not None:
            row = self.cell_list.currentRow()
            self.cycle_cells([cell])
            self.cell_list.setCurrentRow(min(row, self.cell_list.count() - 1))

    def _show_listed(self) -> None:
        cell = self._listed()
        if cell is not None:
            row = self.cell_list.currentRow()
            self.set_cells([cell], SHOWN)
            self.cell_list.setCurrentRow(min(row, self.cell_list.count() - 1))

    # ------------------------------------------------------ the action fields
    def _action_kind_chosen(self, _=None) -> None:
        kind = self.action_kind.currentData()
        self._fill_action_fields(kind, None)
        if kind in ("set", "nudge"):
            self.action_node.setFocus()
        self._action_edited()

    def _action_edited(self) -> None:
        if self._filling:
            return
        kind = self.action_kind.currentData()
        if not kind:
            self.set_action(None)
            return
        if kind == "view":
            self.set_action(Action("view", view=self.action_view.currentData()))
            return
        key = self.action_node.currentData()
        if key is None:
            self.message.setText("There is no node to " + ("set" if kind == "set" else "nudge"))
            return
        if kind == "nudge":
            self.set_action(Action("nudge", key))
            return
        text = self.action_value.text().strip()
        try:
            value = parse_typed_number(text) if text else self.graph.node(key).value
        except ValueError as error:
            self.message.setText(f"The value to set: {error}")
            return
        self.set_action(Action("set", key, float(value)))

    def _fill_action_fields(self, kind: str, action: Action | None) -> None:
        """Show the fields an action of ``kind`` needs, filled from ``action``."""
        filling, self._filling = self._filling, True
        try:
            self.action_kind.setCurrentIndex(self.action_kind.findData(kind))
            needs_node = kind in ("set", "nudge")
            self.action_node.setVisible(needs_node)
            self.action_value.setVisible(kind == "set")
            self.action_view.setVisible(kind == "view")
            if needs_node:
                self._fill_node_choices(kind, action.key if action is not None else None)
            if kind == "set":
                key = self.action_node.currentData()
                value = action.value if action is not None else None
                if value is None and key is not None:
                    value = self.graph.node(key).value
                self.action_value.setText("" if value is None else format_number(value))
            if kind == "view":
                view = action.view if action is not None else "backward"
                self.action_view.setCurrentIndex(self.action_view.findData(view))
        finally:
            self._filling = filling

    def _fill_node_choices(self, kind: str, chosen: int | None) -> None:
        """The nodes an action may name: inputs and constants for *set*, nodes with a
        value for *nudge*; selected node first when nothing is chosen yet."""
        values = self.document.evaluation.values
        if kind == "set":
            keys = [node.key for node in self.graph if node.op.is_leaf]
        else:
            keys = [node.key for node in self.graph if values[node.id] is not None]
        self.action_node.clear()
        for key in keys:
            self.action_node.addItem(self.graph.id_of(key), key)
        if chosen is None:
            chosen = next((k for k in self._selected() if k in keys), None)
        if chosen is not None:
            self.action_node.setCurrentIndex(max(0, self.action_node.findData(chosen)))

    # ------------------------------------------------------------ showing
    def _fill_step(self, step: Step) -> None:
        graph = self.graph
        names = ", ".join(graph.id_of(k) for k in step.spotlight)
        self.spotlight_label.setText(names or "none (nothing is dimmed)")
        row = self.cell_list.currentRow()
        self.cell_list.clear()
        for cell in step.hidden:
            state = cell_state(step, cell)
            item = QListWidgetItem(f"{cell_name(graph, cell)}  —  {state}")
            item.setData(Qt.ItemDataRole.UserRole, cell)
            self.cell_list.addItem(item)
        if self.cell_list.count():
            self.cell_list.setCurrentRow(max(0, min(row, self.cell_list.count() - 1)))
        action = step.action
        self._fill_action_fields("" if action is None else action.kind, action)


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    """A form label whose mnemonic (Alt+letter) puts the keyboard in ``buddy``."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label
