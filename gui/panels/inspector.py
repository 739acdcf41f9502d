"""The inspector: name, label, op, value and flags of the selected node, editable."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from dvar import core
from dvar.core import spoken
from dvar.gui.canvas.value_editor import parse_typed_number
from dvar.gui.document.document import Document
from dvar.gui.document.field_commands import SetField
from dvar.gui.document.structure_commands import SetInput, SetOutput
from dvar.gui.messages import plain_tip
from dvar.gui.numbers import format_full, format_number


class Inspector(QWidget):
    """Edits one node through commands; shows nothing editable when none is selected."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.key: int | None = None
        form = self.form = QFormLayout(self)
        self.name = QLineEdit()
        self.name.setToolTip("The node's id: the name used in formulas and breakdowns (F2)")
        self.label = QLineEdit()
        self.label.setPlaceholderText("optional display text, e.g. w₁")
        self.op = QLabel()
        self.value = QLineEdit()
        self.value.setToolTip("A number; your locale's decimal mark or a dot")
        self.computed = QLabel()
        self.param = QCheckBox("trainable parameter")
        self.output = QCheckBox("output (J)")
        self.hint = QLabel("Select a node to inspect it.")
        self.hint.setWordWrap(True)
        for label in (self.op, self.computed, self.hint):
            label.setTextFormat(Qt.TextFormat.PlainText)  # node text is never markup
        form.addRow(self.hint)
        form.addRow("Name", self.name)
        form.addRow("Label", self.label)
        form.addRow("Op", self.op)
        form.addRow("Value", self.value)
        self.slots_box = QWidget()
        self.slots_form = QFormLayout(self.slots_box)
        self.slots_form.setContentsMargins(0, 0, 0, 0)
        self.slot_combos: list[QComboBox] = []
        self._slots_for: tuple | None = None
        form.addRow("Inputs", self.slots_box)
        form.addRow("", self.computed)
        form.addRow("", self.param)
        form.addRow("", self.output)
        self.name.editingFinished.connect(self._rename)
        self.label.editingFinished.connect(self._relabel)
        self.value.editingFinished.connect(self._set_value)
        self.param.toggled.connect(self._set_param)
        self.output.toggled.connect(self._set_output)
        document.changed.connect(lambda *_: self.show_node(self.key))
        self.show_node(None)

    def show_node(self, key: int | None) -> None:
        graph = self.document.graph
        if key is not None and key not in graph:
            key = None
        self.key = key
        has = key is not None
        for widget in (self.name, self.label, self.value, self.param, self.output):
            widget.setEnabled(has)
        self.hint.setVisible(not has)
        self.form.setRowVisible(self.slots_box, has and not graph.node(key).op.is_leaf)
        if not has:
            for edit in (self.name, self.label, self.value):
                edit.clear()
            self.op.clear()
            self.computed.clear()
            return
        node = graph.node(key)
        evaluation = self.document.evaluation
        for edit, text in ((self.name, node.id), (self.label, node.label or "")):
            if not edit.hasFocus():
                edit.setText(text)
        self.op.setText(f"{node.op.name}  {node.op.symbol}  — {node.op.title}")
        self.op.setAccessibleName(f"{node.op.name}: {node.op.title}")  # not its symbol
        self.form.setRowVisible(self.value, node.op.is_leaf)
        self.form.setRowVisible(self.slots_box, not node.op.is_leaf)
        self._show_slots(node)
        if node.op.is_leaf and not self.value.hasFocus():
            self.value.setText(format_full(node.value))
        value = evaluation.values[key]
        reason = evaluation.error(key)
        self.computed.setText(
            f"= {format_number(value)}" + (f"\n{reason}" if reason else "")
            if not node.op.is_leaf
            else (reason or "")
        )
        self.computed.setAccessibleName(spoken.words(self.computed.text()))
        self.computed.setWordWrap(True)
        self.param.blockSignals(True)
        self.param.setChecked(node.param)
        self.param.setEnabled(node.op.name == "input")
        self.param.blockSignals(False)
        self.output.blockSignals(True)
        self.output.setChecked(graph.output_key == key)
        self.output.blockSignals(False)

    def _show_slots(self, node) -> None:
        """One drop-down per operand slot: wire the graph without the mouse."""
        graph = self.document.graph
        shape = (node.key, tuple(node.inputs), graph.structure_version, graph.names_version)
        if shape == self._slots_for:
            return
        self._slots_for = shape
        while self.slots_form.rowCount():
            self.slots_form.removeRow(0)
        self.slot_combos = []
        if node.op.is_leaf:
            return
        blocked = {node.key} | graph.downstream(node.key)  # feeding these would close a cycle
        choices = sorted((n.id, n.key) for n in graph if n.key not in blocked)
        for slot, source in enumerate(node.inputs):
            combo = QComboBox()
            combo.setToolTip(plain_tip(f"What feeds slot {slot + 1} of {node.id}"))
            combo.addItem("(empty)", None)
            for node_id, key in choices:
                combo.addItem(node_id, key)
            combo.setCurrentIndex(max(0, combo.findData(source)) if source is not None else 0)
            combo.activated.connect(lambda index, s=slot, c=combo: self._set_input(s, c))
            self.slots_form.addRow(f"slot {slot + 1}", combo)
            self.slot_combos.append(combo)

    def _set_input(self, slot: int, combo: QComboBox) -> None:
        if self.key is None:
            return
        graph = self.document.graph
        source = combo.currentData()
        if source != graph.node(self.key).inputs[slot]:
            self.document.run(SetInput(graph, self.key, slot, source))

    def focus_name(self) -> None:
        if self.key is not None:
            self.name.setFocus()
            self.name.selectAll()

    def _rename(self) -> None:
        if self.key is None:
            return
        graph = self.document.graph
        new = self.name.text().strip()
        if new != graph.id_of(self.key) and not self.document.run(
            SetField.to(graph, self.key, "id", new)
        ):
            self.name.setText(graph.id_of(self.key))

    def _relabel(self) -> None:
        if self.key is None:
            return
        graph = self.document.graph
        text = self.label.text().strip() or None
        if text != graph.node(self.key).label:
            self.document.run(SetField.to(graph, self.key, "label", text))

    def _set_value(self) -> None:
        if self.key is None:
            return
        graph = self.document.graph
        node = graph.node(self.key)
        if not node.op.is_leaf:
            return
        try:
            value = parse_typed_number(self.value.text())
        except ValueError as error:
            self.document.message.emit(
                f"Refused: {error}; {node.id} keeps {core.format_number(node.value)}"
            )
            self.value.setText(format_full(node.value))
            return
        if value != node.value:
            self.document.run(SetField.to(graph, self.key, "value", value))

    def _set_param(self, on: bool) -> None:
        if self.key is not None and on != self.document.graph.node(self.key).param:
            self.document.run(SetField.to(self.document.graph, self.key, "param", on))

    def _set_output(self, on: bool) -> None:
        if self.key is None:
            return
        graph = self.document.graph
        target = self.key if on else None
        if target != graph.output_key:
            self.document.run(SetOutput(graph, target))
