"""Gradient descent in the window: the "Train" dock.

Mark inputs as parameters, choose a learning rate and whether to minimize or
maximize J, then Step or Run N.  The steps are worked out on a copy of the graph
(``core.plan_descent``) and applied as one undoable edit, so a run of 50 steps is
one Undo away.  A small chart plots J against the step number over the whole
training session: it grows across runs, and starts again on Reset, when the graph
changes shape, or when J no longer matches where the last run left it (a value
was changed by hand in between).  Undo and Redo of a run take the chart back and
forth with the values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dvar import core
from dvar.core.graph import STRUCTURAL
from dvar.gui.canvas.value_editor import parse_typed_number
from dvar.gui.document.document import Document
from dvar.gui.document.field_commands import SetField, TrainCommand
from dvar.gui.messages import plain_tip
from dvar.gui.numbers import format_full, format_number

DEFAULT_RATE = "0.1"
DEFAULT_STEPS = 50
#: The most steps one press of Run takes: each step evaluates the graph, and the
#: window waits for the whole run.
MAX_RUN = 10_000

KEY_ROLE = Qt.ItemDataRole.UserRole
#: The parameter list grows to this many rows, then scrolls; the chart gives way to it.
PARAM_ROWS = 8
#: The value and derivative columns' shares of the parameter list's width.
VALUE_SHARE, DERIVATIVE_SHARE = 0.24, 0.42


# ------------------------------------------------------------------ the session
@dataclass(frozen=True)
class Session:
    """One training session: where it started, and J after every step so far."""

    #: The output trained (J), by id, for the chart's labels.
    output: str
    #: Each trained parameter's value before its first step, by node key (what Reset restores).
    start: dict[int, float]
    #: J before the first step, then after each step: ``steps + 1`` numbers.
    points: tuple[float, ...]

    @property
    def steps(self) -> int:
        return len(self.points) - 1

    def extended(self, result: core.TrainResult) -> Session | None:
        """This session with one more run on the end, or None if the run does not
        continue it (J moved in between, or another output is trained)."""
        history = result.history
        if (
            result.output != self.output
            or not history
            or not math.isclose(history[0], self.points[-1], rel_tol=1e-12, abs_tol=1e-300)
        ):
            return None
        start = dict(result.old_values)
        start.update(self.start)  # a parameter marked mid-session starts where it was then
        return Session(self.output, start, self.points + tuple(history[1:]))


def session_of(result: core.TrainResult, previous: Session | None) -> Session:
    """The session after a run: ``previous`` extended, or a new one starting at the run."""
    if previous is not None:
        extended = previous.extended(result)
        if extended is not None:
            return extended
    return Session(result.output, dict(result.old_values), tuple(result.history))


# -------------------------------------------------------------------- the chart
class LossChart(QWidget):
    """J against the step number: axes, a few tick labels, the line.  Drawn by hand."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.points: list[float] = []
        self.output = "J"
        self.setMinimumHeight(90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Chart of J against the step number")

    def sizeHint(self) -> QSize:
        return QSize(320, 200)

    def set_points(self, points: Sequence[float], output: str = "J") -> None:
        """Plot these values of J, one per step from step 0."""
        self.points = [float(p) for p in points]
        self.output = output
        if self.points:
            last = len(self.points) - 1
            self.setToolTip(
                f"{output} at step 0: {format_full(self.points[0])}\n"
                f"{output} at step {last}: {format_full(self.points[-1])}"
            )
        else:
            self.setToolTip("")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_color = palette.color(QPalette.ColorRole.WindowText)
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        metrics = QFontMetrics(self.font())
        if not self.points:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                QRectF(self.rect()).adjusted(8, 8, -8, -8),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                f"Step or Run to train: {self.output} after every step is drawn here.",
            )
            painter.end()
            return

        low, high = min(self.points), max(self.points)
        if high - low <= 1e-12 * max(abs(high), abs(low), 1e-300):
            pad = abs(high) * 0.1 or 1.0
            low, high = low - pad, high + pad
        y_ticks = nice_ticks(low, high, 4)
        low, high = min(low, y_ticks[0]), max(high, y_ticks[-1])
        steps = len(self.points) - 1
        x_ticks = [t for t in nice_ticks(0, max(steps, 1), 5) if t == int(t)]
        y_labels = [format_number(t) for t in y_ticks]

        line = metrics.height()
        left = 8 + max(metrics.horizontalAdvance(label) for label in y_labels) + 6
        top, bottom = line + 10, 2 * line + 10  # the title; the tick labels and "step" below
        plot = QRectF(left, top, self.width() - left - 14, self.height() - top - bottom)
        if plot.width() < 20 or plot.height() < 20:
            painter.end()
            return

        def to_x(step: float) -> float:
            return plot.left() + plot.width() * step / max(steps, 1)

        def to_y(value: float) -> float:
            return plot.bottom() - plot.height() * (value - low) / (high - low)

        grid = palette.color(QPalette.ColorRole.Mid)
        grid.setAlpha(70)
        painter.setPen(QPen(text_color, 1))
        painter.drawText(
            QRectF(0, 2, self.width() - 8, line),
            Qt.AlignmentFlag.AlignLeft,
            f"  {self.output} per step",
        )
        for tick, label in zip(y_ticks, y_labels, strict=True):
            y = to_y(tick)
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(text_color)
            painter.drawText(
                QRectF(0, y - line / 2, left - 6, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                label,
            )
        for tick in x_ticks:
            x = to_x(tick)
            painter.setPen(QPen(text_color, 1))
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4))
            label = format_number(tick)
            width = metrics.horizontalAdvance(label)
            painter.drawText(
                QRectF(x - width / 2 - 2, plot.bottom() + 5, width + 4, line),
                Qt.AlignmentFlag.AlignCenter,
                label,
            )
        painter.drawText(
            QRectF(plot.left(), plot.bottom() + 5 + line, plot.width(), line),
            Qt.AlignmentFlag.AlignRight,
            "step",
        )
        painter.setPen(QPen(text_color, 1.2))
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())

        color = palette.color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(color, 2))
        if steps == 0:
            painter.setBrush(color)
            painter.drawEllipse(QPointF(to_x(0), to_y(self.points[0])), 3, 3)
        else:
            painter.drawPolyline(
                QPolygonF([QPointF(to_x(i), to_y(p)) for i, p in enumerate(self.points)])
            )
            painter.setBrush(color)
            painter.drawEllipse(QPointF(to_x(steps), to_y(self.points[-1])), 3, 3)
        painter.end()


def nice_ticks(low: float, high: float, count: int) -> list[float]:
    """About ``count`` round numbers (1, 2 or 5 times a power of ten apart) covering low..high."""
    span = high - low
    if not (math.isfinite(span) and span > 0):
        return [low]
    raw = span / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step)
    last = math.ceil(high / step)
    return [round(i * step, 12) for i in range(first, last + 1)]


# -------------------------------------------------------------------- the panel
class TrainingPanel(QWidget):
    """Parameters, learning rate, minimize or maximize, Step / Run N / Reset, and the chart."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.session: Session | None = None
        self._hinting = True  # the line under the buttons shows a hint, not an outcome
        self._param_keys: list[int] = []
        self._behind = True  # hidden: refresh when shown
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)

        self.params = QTreeWidget()
        self.params.setColumnCount(3)
        self.params.setHeaderLabels(["parameter?", "value", "derivative"])
        self.params.setRootIsDecorated(False)
        self.params.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.params.setToolTip("Tick the inputs that gradient descent may change")
        self.params.setAccessibleName("Parameters")
        self.params.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.params.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.params.setUniformRowHeights(True)
        header = self.params.header()
        header.setStretchLastSection(False)
        # Widths by share of the list, not by contents: sizing columns to their contents
        # re-measures every row on every change, which made each value edit slow on
        # graphs with many inputs.  The name column takes what the other two leave.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.setMinimumSectionSize(30)
        self.params.viewport().installEventFilter(self)
        layout.addWidget(self.params)

        settings = QHBoxLayout()
        rate_label = QLabel("Learning &rate")
        self.rate_edit = QLineEdit(DEFAULT_RATE)
        self.rate_edit.setToolTip("The learning rate: each step moves p by rate · dp")
        self.rate_edit.setMaximumWidth(90)
        rate_label.setBuddy(self.rate_edit)
        self.goal = QComboBox()
        self.goal.addItems(["Minimize J", "Maximize J"])
        self.goal.setToolTip("Step against the derivative (minimize) or along it (maximize)")
        self.goal.setAccessibleName("Goal")
        settings.addWidget(rate_label)
        settings.addWidget(self.rate_edit)
        settings.addWidget(self.goal, 1)
        layout.addLayout(settings)

        row = QHBoxLayout()
        self.step_button = QPushButton("Step")
        self.step_button.setToolTip("One step of gradient descent (undoable)")
        self.run_button = QPushButton("Run")
        self.run_button.setToolTip("Take this many steps at once: one undoable edit")
        self.steps_spin = QSpinBox()
        self.steps_spin.setRange(1, MAX_RUN)
        self.steps_spin.setValue(DEFAULT_STEPS)
        self.steps_spin.setSuffix(" steps")
        self.steps_spin.setAccessibleName("Steps per run")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setToolTip(
            "Put the parameters back where this training session started (undoable)"
        )
        row.addWidget(self.step_button)
        row.addWidget(self.run_button)
        row.addWidget(self.steps_spin)
        row.addStretch(1)
        row.addWidget(self.reset_button)
        layout.addLayout(row)

        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 4)
        layout.addWidget(self.status)
        self.chart = LossChart()
        layout.addWidget(self.chart, 1)

        self.params.itemChanged.connect(self._on_item_changed)
        self.step_button.clicked.connect(self.step)
        self.run_button.clicked.connect(lambda: self.run())
        self.reset_button.clicked.connect(self.reset)
        self.rate_edit.returnPressed.connect(self.step)
        self.goal.currentIndexChanged.connect(lambda _: self._refresh(self.document.evaluation))
        document.changed.connect(self._on_document_changed)
        self._refresh(document.evaluation)

    # ----------------------------------------------------------------- public
    def output(self) -> str | None:
        return self.document.evaluation.output

    def maximize(self) -> bool:
        return self.goal.currentIndex() == 1

    def set_maximize(self, on: bool) -> None:
        self.goal.setCurrentIndex(1 if on else 0)

    def rate(self) -> float | None:
        """The learning rate typed, or None (with a message) when it is not a positive number."""
        text = self.rate_edit.text()
        try:
            rate = parse_typed_number(text)
        except ValueError as error:
            self._refuse(f"learning rate: {error}")
            return None
        if rate <= 0:
            self._refuse(f"the learning rate must be a positive number, not {text.strip()}")
            return None
        return rate

    def step(self) -> core.TrainResult | None:
        """One step of gradient descent."""
        return self.run(1)

    def run(self, steps: int | None = None) -> core.TrainResult | None:
        """Take ``steps`` steps (the spin box's number by default) as one undoable edit.

        Returns what the run did, or None when it could not start (a message says why).
        """
        rate = self.rate()
        if rate is None:
            return None
        steps = self.steps_spin.value() if steps is None else steps
        graph = self.document.graph
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            result = core.plan_descent(graph, rate=rate, steps=steps, maximize=self.maximize())
        except core.GraphError as error:
            self._refuse(str(error))
            return None
        finally:
            QApplication.restoreOverrideCursor()
        if result.steps_done and result.changed:
            after = session_of(result, self.session)
            what = "Gradient step" if result.steps_done == 1 else f"Train {result.steps_done} steps"
            trend = ""
            if result.history:
                first, last = result.history[0], result.history[-1]
                trend = f" ({result.output} {format_number(first)} → {format_number(last)})"
            command = TrainCommand(
                graph,
                result.old_values,
                result.new_values,
                what + trend,
                self.session,
                after,
            )
            self.document.run(command)
        elif self.session is None and result.history:
            # Nothing moved, but the chart can still show where J stands.
            self._show_session(session_of(result, None))
        self._say(result.summary())
        return result

    def reset(self) -> bool:
        """Put the parameters back where the session started, as one undoable edit."""
        session = self.session
        if session is None:
            self._say("Nothing to reset: this training session has taken no steps yet.")
            return False
        graph = self.document.graph
        start = {k: v for k, v in session.start.items() if k in graph}
        old = {k: float(graph.node(k).value) for k in start}  # type: ignore[arg-type]
        if old == start:
            self._show_session(None)
            self._say("The parameters are where the session started; the chart starts again.")
            return False
        command = TrainCommand(graph, old, start, "Reset training", session, None)
        if not self.document.run(command):
            return False
        self._say(f"Back to the values before step 1: {self._values_text(start)}")
        return True

    def set_param(self, ref: str | int, on: bool) -> bool:
        """Mark or unmark an input as a parameter (undoable), as the check box does."""
        graph = self.document.graph
        key = graph.key_of(ref)
        if graph.node(key).param == on:
            return True
        return self.document.run(SetField.to(graph, key, "param", on))

    # ---------------------------------------------------------------- private
    def _show_session(self, session: Session | None) -> None:
        self.session = session
        output = session.output if session is not None else (self.output() or "J")
        self.chart.set_points(session.points if session is not None else [], output)
        self.reset_button.setEnabled(session is not None)

    def _say(self, text: str) -> None:
        """Put the outcome of the last action under the buttons, and in the status bar."""
        self._hinting = False
        self.status.setText(text)
        self.document.message.emit(text)

    def _refuse(self, text: str) -> None:
        self._say(f"Refused: {text}")

    def _values_text(self, values: dict[int, float]) -> str:
        graph = self.document.graph
        return ", ".join(f"{graph.id_of(k)} = {format_number(v)}" for k, v in values.items())

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        key = item.data(0, KEY_ROLE)
        if column != 0 or key not in self.document.graph:
            return
        wanted = item.checkState(0) == Qt.CheckState.Checked
        if not self.set_param(key, wanted):
            self._refresh(self.document.evaluation)  # refused: show the graph as it is

    def _on_document_changed(self, events: list[core.Event], evaluation) -> None:
        if any(event.kind in STRUCTURAL for event in events):
            self._show_session(None)  # another graph now: its history starts afresh
        command = self.document.command
        if isinstance(command, TrainCommand):
            self._show_session(command.session)  # a run, a reset, or their undo
        if any(event.kind in ("param_changed", "output_changed") for event in events):
            self._hinting = True  # what to do next has changed
        if any(event.kind != "moved" for event in events):
            self._refresh(evaluation)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._behind:
            self._refresh(self.document.evaluation)

    def _refresh(self, evaluation: core.Evaluation) -> None:
        """Show the inputs (ticked when they are parameters) with their values and derivatives.

        While the panel is hidden (a tab behind another), the work waits until it shows.
        """
        self._behind = not self.isVisible()
        if self._behind:
            return
        graph = self.document.graph
        inputs = [node for node in graph if node.op.name == "input"]
        keys = [node.key for node in inputs]
        out = evaluation.output
        self.params.blockSignals(True)
        reshaped = keys != self._param_keys
        if reshaped:
            self.params.clear()
            for node in inputs:
                item = QTreeWidgetItem()
                item.setData(0, KEY_ROLE, node.key)
                item.setFlags(
                    Qt.ItemFlag.ItemIsEnabled
                    | Qt.ItemFlag.ItemIsSelectable
                    | Qt.ItemFlag.ItemIsUserCheckable
                )
                item.setCheckState(0, Qt.CheckState.Unchecked)  # so the box is drawn
                self.params.addTopLevelItem(item)
            self._param_keys = keys
        for index, node in enumerate(inputs):
            item = self.params.topLevelItem(index)
            name = node.id if not node.label else f"{node.id}  ({node.label})"
            grad = evaluation.grads[node.key]
            texts = (name, format_number(node.value), f"d{node.id} = {format_number(grad)}")
            for column, text in enumerate(texts):
                if item.text(column) != text:
                    item.setText(column, text)
            state = Qt.CheckState.Checked if node.param else Qt.CheckState.Unchecked
            if item.checkState(0) != state:
                item.setCheckState(0, state)
            item.setToolTip(
                2,
                plain_tip(f"d{node.id} ≡ ∂{out or 'J'}/∂{node.id} = {format_full(grad)}")
                if out
                else "",
            )
        self.params.blockSignals(False)
        if reshaped:
            self._fit_params()
        name = out or "J"
        for index, verb in enumerate(("Minimize", "Maximize")):
            if self.goal.itemText(index) != f"{verb} {name}":
                self.goal.setItemText(index, f"{verb} {name}")
        if self.session is None:
            self.chart.set_points([], name)
            self.reset_button.setEnabled(False)
        marked = sum(node.param for node in inputs)
        if self._hinting:
            self._hint(out, marked, len(inputs))

    def eventFilter(self, watched, event) -> bool:
        if watched is self.params.viewport() and event.type() == QEvent.Type.Resize:
            self._share_columns(event.size().width())
        return super().eventFilter(watched, event)

    def _share_columns(self, width: int) -> None:
        """Value and derivative columns take their share of the width; the name the rest."""
        header = self.params.header()
        header.resizeSection(1, round(width * VALUE_SHARE))
        header.resizeSection(2, round(width * DERIVATIVE_SHARE))

    def _fit_params(self) -> None:
        """As tall as the inputs need, up to PARAM_ROWS rows (then it scrolls)."""
        rows = min(max(self.params.topLevelItemCount(), 1), PARAM_ROWS)
        row = self.params.sizeHintForRow(0) if self.params.topLevelItemCount() else 0
        if row <= 0:
            row = self.fontMetrics().height() + 4
        frame = 2 * self.params.frameWidth()
        header = self.params.header().sizeHint().height()
        self.params.setFixedHeight(header + rows * row + frame + 2)

    def _hint(self, out: str | None, marked: int, inputs: int) -> None:
        if out is None:
            hint = "Choose an output (J) first: right-click a node → Set as output."
        elif not inputs:
            hint = "Add an input to train: gradient descent moves inputs marked as parameters."
        elif not marked:
            hint = "Tick the inputs to train, then Step or Run."
        else:
            count = f"{marked} parameter{'s' * (marked != 1)}"
            hint = f"{count}: Step or Run to {self._goal_verb()} {out}."
        self.status.setText(hint)

    def _goal_verb(self) -> str:
        return "raise" if self.maximize() else "lower"
