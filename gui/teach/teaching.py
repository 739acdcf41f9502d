"""The lecture's moves, made tangible: nudge a node, and step through the passes.

Both are previews: they change what the canvas and the panel show, never the graph.
Each builds the document's overlay (``document.set_overlay``), which the canvas and
the panel draw.  Any real edit ends them.  "Apply" turns a nudge of an input or a
constant into an ordinary undoable edit.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from dvar import core
from dvar.gui.canvas.accessible import show_text
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.canvas.value_editor import parse_typed_number
from dvar.gui.document.document import Document
from dvar.gui.document.field_commands import SetField
from dvar.gui.document.overlay import Overlay, term_edges
from dvar.gui.numbers import format_number
from dvar.gui.teach.forward_mode import ForwardModeBox

DEFAULT_H = 0.001


class NudgeMode:
    """A nudge on show: which node, by how much, and what moved."""

    def __init__(self, graph: core.Graph, key: int, result: core.Nudge) -> None:
        self.key, self.result = key, result
        before = result.before.values
        #: The value line of every node that moved: ``J = 33 → 33.003``.
        self.values = {
            graph.key_of(node_id): (
                f"{node_id} = {format_number(before[node_id])} → "
                f"{format_number(result.after[node_id])}"
            )
            for node_id in result.changed
        }

    def overlay(self, base: Overlay) -> Overlay:
        """``base`` with this nudge's values, and ΔJ/Δx noted beside the nudged derivative."""
        r = self.result
        notes = {}
        if r.ratio is not None:
            notes[self.key] = f"(Δ{r.before.output}/Δ{r.node} = {r.ratio:.3f})"
        return base.but(values=self.values, notes=notes)

    def summary(self) -> str:
        r = self.result
        out = r.before.output
        if out is None:
            return f"Nudged {r.node} by {format_number(r.h)}; no output is chosen."
        old = r.before.values[out]
        new = r.after[out]
        if r.ratio is None:
            return f"Nudged {r.node} by {format_number(r.h)}: {out} has no value."
        d = f"d{r.node}"
        return (
            f"{r.node} + {format_number(r.h)}:  {out} = {format_number(old)} → "
            f"{format_number(new)}\n"
            f"Δ{out}/Δ{r.node} = {format_number(r.delta)} / {format_number(r.h)} = "
            f"{r.ratio:.3f}   beside   {d} = {format_number(r.grad)}"
        )


#: What the step-through box says while no pass is being walked, by direction.
IDLE_TEXT = {
    True: "Walk the backward pass right to left, one node at a time.",
    False: "Walk the forward pass left to right, one node at a time.",
}


class StepMode:
    """Walking a pass one node at a time; step 0 shows the starting point.

    The backward pass visits every node with a derivative, from the output, but for
    the constants written as numbers on their consumer's port (inline).  The
    forward pass visits the inputs and the computed nodes in an order where each
    comes after its operands; constants are no step: their values are known before
    anything is computed, so they show from step 0.
    """

    def __init__(self, document: Document, backward: bool) -> None:
        self.document, self.backward = document, backward
        graph = document.graph
        evaluation = document.evaluation
        self.constants: frozenset[int] = frozenset()
        if backward:  # an inline constant (the lecture's 3) is a number, not a step
            inline = evaluation.inline_constant_keys
            order = (graph.key_of(n) for n in evaluation.order if evaluation.grads[n] is not None)
            self.order = [k for k in order if k not in inline]
        else:
            self.constants = frozenset(n.key for n in graph if n.op.name == "const")
            self.order = [k for k in graph.topological_keys() if k not in self.constants]
        self.index = 0

    @property
    def steps(self) -> int:
        return len(self.order)

    def current(self) -> int | None:
        return self.order[self.index - 1] if self.index > 0 else None

    def go(self, index: int) -> None:
        self.index = max(0, min(self.steps, index))

    def overlay(self, base: Overlay) -> Overlay:
        """``base`` showing what is known at this step.  Backward: the derivatives
        reached so far, and the edges of the current node's chain-rule terms.
        Forward: the constants and the values computed so far, and nothing of the
        backward pass (see :meth:`Overlay.forward_pass`)."""
        known = self.order[: self.index]
        current = self.current()
        graph = self.document.graph
        if self.backward:
            return base.but(
                shown_values=None,
                shown_grads=known,
                current=current,
                edges=term_edges(graph, current),
            )
        return base.forward_pass(self.constants.union(known), current)

    def explain(self) -> str:
        graph, evaluation = self.document.graph, self.document.evaluation
        direction = "backward" if self.backward else "forward"
        head = f"Step {self.index} of {self.steps} ({direction} pass)"
        current = self.current()
        if current is None:
            start = (
                f"Start at d{evaluation.output} = 1: the output's derivative with "
                "respect to itself."
                if self.backward
                else "Start with the inputs"
                + ("; the constants are known already." if self.constants else ".")
            )
            return f"{head}\n{start}"
        node = graph.node(current)
        if self.backward:
            return f"{head}\n{evaluation.breakdown(current)}"
        value = format_number(evaluation.values[current])
        if node.op.is_leaf:
            return f"{head}\n{node.id} = {value}  ({node.op.name})"
        from dvar.core.text import formula

        return f"{head}\n{formula(graph, node, evaluation.inline_constant_keys)} = {value}"


def step_frames(document: Document, backward: bool) -> list[tuple[Overlay, str]]:
    """Every step of a pass as the step-through shows it, from step 0: the overlay
    and the caption of each, for exporting the steps (``gui.canvas.export``).  The
    document's current overlay is the base, without any nudge or steps."""
    mode = StepMode(document, backward)
    base = document.overlay.without_nudge().without_steps()
    frames = []
    for index in range(mode.steps + 1):
        mode.go(index)
        frames.append((mode.overlay(base), mode.explain()))
    return frames


class TeachingPanel(QWidget):
    """Nudge and step-through controls, for the window's "Teach" dock."""

    #: The mode changed (for the window's status line and actions).
    mode_changed = Signal(str)

    def __init__(self, document: Document, scene: GraphScene, parent=None) -> None:
        super().__init__(parent)
        self.document, self.scene = document, scene
        self.nudge_mode: NudgeMode | None = None
        self.step_mode: StepMode | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)

        nudge = QGroupBox("Nudge")
        nudge_layout = QVBoxLayout(nudge)
        row = QHBoxLayout()
        row.addWidget(QLabel("h ="))
        self.h_edit = QLineEdit(str(DEFAULT_H))
        self.h_edit.setToolTip("How far to bump the selected node (the lecture uses 0.001)")
        self.h_edit.setAccessibleName("Nudge size h")
        row.addWidget(self.h_edit)
        self.nudge_button = QPushButton("Nudge")
        self.nudge_button.setToolTip("Bump the selected node by h and see what moves (N)")
        self.apply_button = QPushButton("Apply")
        self.apply_button.setToolTip("Keep the nudged value of an input or constant (undoable)")
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("Back to the graph as it is (Esc)")
        for button in (self.nudge_button, self.apply_button, self.clear_button):
            row.addWidget(button)
        nudge_layout.addLayout(row)
        self.nudge_text = QLabel("Select a node and press Nudge (N).")
        self.nudge_text.setTextFormat(Qt.TextFormat.PlainText)
        self.nudge_text.setWordWrap(True)
        self.nudge_text.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 4)
        self.nudge_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        nudge_layout.addWidget(self.nudge_text)
        layout.addWidget(nudge)

        step = QGroupBox("Step through")
        step_layout = QVBoxLayout(step)
        top = QHBoxLayout()
        self.direction = QComboBox()
        self.direction.addItems(["Backward pass", "Forward pass"])
        self.direction.setAccessibleName("Pass to step through")
        top.addWidget(self.direction, 1)
        step_layout.addLayout(top)
        row = QHBoxLayout()
        self.first_button = QPushButton("|◀")
        self.prev_button = QPushButton("◀")
        self.play_button = QPushButton("▶ Play")
        self.next_button = QPushButton("▶|")
        self.stop_button = QPushButton("Done")
        tips = (
            "Back to the start",
            "Previous step",
            "Play / pause",
            "Next step",
            "Leave step mode",
        )
        for button, tip in zip(
            (
                self.first_button,
                self.prev_button,
                self.play_button,
                self.next_button,
                self.stop_button,
            ),
            tips,
            strict=True,
        ):
            button.setToolTip(tip)
            button.setAccessibleName(tip)  # a screen reader says this, not the arrows
            if button is self.stop_button:
                top.addWidget(button)
            else:
                row.addWidget(button)
        step_layout.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(QLabel("Speed"))
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(1, 10)
        self.speed.setValue(4)
        self.speed.setToolTip("Steps per second when playing")
        self.speed.setAccessibleName("Speed, in steps per second")
        row.addWidget(self.speed)
        step_layout.addLayout(row)
        self.step_text = QLabel(IDLE_TEXT[True])
        self.step_text.setTextFormat(Qt.TextFormat.PlainText)
        self.step_text.setWordWrap(True)
        self.step_text.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 4)
        self.step_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        step_layout.addWidget(self.step_text)
        layout.addWidget(step)
        self.forward = ForwardModeBox(document)
        self.forward.starting.connect(self._end_previews)
        self.forward.toggled.connect(lambda on: self.mode_changed.emit("forward" if on else ""))
        layout.addWidget(self.forward)
        layout.addStretch(1)

        self.timer = QTimer(self)
        self.timer.timeout.connect(self._tick)
        self.speed.valueChanged.connect(self._set_speed)
        self._set_speed(self.speed.value())
        self.nudge_button.clicked.connect(self.nudge_selected)
        self.apply_button.clicked.connect(self.apply_nudge)
        self.clear_button.clicked.connect(self.clear)
        self.first_button.clicked.connect(lambda: self.step_to(0))
        self.prev_button.clicked.connect(self.previous_step)
        self.next_button.clicked.connect(self.next_step)
        self.play_button.clicked.connect(self.toggle_play)
        self.stop_button.clicked.connect(self.clear)
        self.direction.currentIndexChanged.connect(lambda _: self._restart_steps())
        document.changed.connect(self._on_document_changed)
        self._update_buttons()

    # ------------------------------------------------------------------ nudge
    def h(self) -> float | None:
        try:
            h = parse_typed_number(self.h_edit.text())
        except ValueError as error:
            self.document.message.emit(f"Refused: h: {error}")
            return None
        if h == 0:
            self.document.message.emit("Refused: h must not be zero")
            return None
        return h

    def nudge(self, key: int) -> bool:
        """Bump one node by h and show what moves."""
        h = self.h()
        if h is None:
            return False
        self.clear()
        try:
            result = core.nudge(self.document.graph, key, h)
        except core.GraphError as error:
            self.document.message.emit(f"Cannot nudge: {error}")
            return False
        self.nudge_mode = NudgeMode(self.document.graph, key, result)
        self.document.set_overlay(self.nudge_mode.overlay(self.document.overlay))
        show_text(self.nudge_text, self.nudge_mode.summary())
        self.mode_changed.emit("nudge")
        self._update_buttons()
        return True

    def nudge_selected(self) -> bool:
        keys = self.scene.selected_keys()
        if len(keys) != 1:
            self.document.message.emit("Select one node to nudge")
            return False
        return self.nudge(keys[0])

    def apply_nudge(self) -> None:
        mode = self.nudge_mode
        if mode is None:
            return
        graph = self.document.graph
        node = graph.node(mode.result.node)
        if not node.op.is_leaf:
            self.document.message.emit(
                f"{node.id} is computed: only a nudge of an input or a constant can be applied"
            )
            return
        value = node.value + mode.result.h
        self.clear()
        self.document.run(SetField.to(graph, node.key, "value", value))

    # ---------------------------------------------------------------- stepping
    def start_steps(self, backward: bool | None = None) -> None:
        if backward is not None:
            self.direction.blockSignals(True)
            self.direction.setCurrentIndex(0 if backward else 1)
            self.direction.blockSignals(False)
        self.clear()
        if self.document.graph.output_key is None and self.direction.currentIndex() == 0:
            self.document.message.emit("Choose an output first: the backward pass starts there")
            return
        self.step_mode = StepMode(self.document, self.direction.currentIndex() == 0)
        self._show_step()
        self.mode_changed.emit("step")

    def _restart_steps(self) -> None:
        if self.step_mode is not None:
            self.start_steps()
        else:
            show_text(self.step_text, IDLE_TEXT[self.direction.currentIndex() == 0])

    def step_to(self, index: int) -> None:
        if self.step_mode is None:
            self.start_steps()
        if self.step_mode is not None:
            self.step_mode.go(index)
            self._show_step()

    def next_step(self) -> None:
        if self.step_mode is None:
            self.start_steps()
            return
        self.step_to(self.step_mode.index + 1)

    def previous_step(self) -> None:
        if self.step_mode is not None:
            self.step_to(self.step_mode.index - 1)

    def toggle_play(self) -> None:
        if self.timer.isActive():
            self.timer.stop()
        else:
            if self.step_mode is None or self.step_mode.index >= self.step_mode.steps:
                self.start_steps()
            self.timer.start()
        self._update_buttons()

    def _tick(self) -> None:
        mode = self.step_mode
        if mode is None or mode.index >= mode.steps:
            self.timer.stop()
            self._update_buttons()
            return
        self.step_to(mode.index + 1)

    def _set_speed(self, steps_per_second: int) -> None:
        self.timer.setInterval(int(1000 / steps_per_second))

    def _show_step(self) -> None:
        mode = self.step_mode
        if mode is not None:
            self.document.set_overlay(mode.overlay(self.document.overlay))
            show_text(self.step_text, mode.explain())
        self._update_buttons()

    # ------------------------------------------------------------------ common
    @property
    def active(self) -> bool:
        return self.nudge_mode is not None or self.step_mode is not None or self.forward.active

    def clear(self) -> None:
        """Leave nudge, step or forward mode: the canvas shows the graph as it is."""
        self.forward.stop()
        self._end_previews()

    def _end_previews(self) -> None:
        """Leave nudge or step mode (forward mode follows edits, so it may stay)."""
        self.timer.stop()
        if self.nudge_mode is not None:
            self.nudge_mode = None
            self.document.set_overlay(self.document.overlay.without_nudge())
            show_text(self.nudge_text, "Select a node and press Nudge (N).")
        if self.step_mode is not None:
            self.step_mode = None
            self.document.set_overlay(self.document.overlay.without_steps())
        show_text(self.step_text, IDLE_TEXT[self.direction.currentIndex() == 0])
        self.mode_changed.emit("")
        self._update_buttons()

    def _on_document_changed(self, events, evaluation) -> None:
        previewing = self.nudge_mode is not None or self.step_mode is not None
        if previewing and any(e.kind not in ("moved",) for e in events):
            self._end_previews()  # a real edit ends a nudge or the steps

    def _update_buttons(self) -> None:
        nudging = self.nudge_mode is not None
        self.apply_button.setEnabled(nudging)
        self.clear_button.setEnabled(nudging)
        stepping = self.step_mode is not None
        self.first_button.setEnabled(stepping)
        self.prev_button.setEnabled(stepping and self.step_mode.index > 0)
        self.stop_button.setEnabled(stepping)
        self.play_button.setText("⏸ Pause" if self.timer.isActive() else "▶ Play")
