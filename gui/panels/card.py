"""The card above the derivative panel's rows: one node's derivative, in full.

Three lines of chain rule, then one sentence about the local derivative::

    dv = dJ · ∂J/∂v
       = dJ · 3 = 1 · 3
       = 3
    J = 3·v, so when v goes up by 0.001, J goes up by 0.003: ∂J/∂v = 3.

The lines come from ``Evaluation.breakdown_steps`` and the sentence from
``core.text.local_derivative_sentence``, so the card says what ``dvar eval`` and
every export say.  Every label wraps and can be selected, so nothing is cut off;
the card copies itself as text or as LaTeX.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QAction, QFont, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dvar.core import derivative_symbol
from dvar.core.evaluation import Evaluation
from dvar.core.graph import Graph
from dvar.core.text import local_derivative_sentence, to_latex
from dvar.gui.canvas.look import derivative_color, is_dark
from dvar.gui.document.document import Document
from dvar.gui.document.overlay import PLAIN, Overlay

#: The card's shortcuts, active while the panel (its rows or the card) has the focus.
COPY_TEXT_KEYS = "Ctrl+Alt+C"
COPY_LATEX_KEYS = "Ctrl+Alt+L"

PLACEHOLDER = "Select a node to see its derivative worked out with the chain rule."


@dataclass(frozen=True)
class CardText:
    """What the card says about one node: one to three lines of chain rule, and a sentence."""

    lines: tuple[str, ...]
    sentence: str
    #: The breakdown's parts between its "=" signs (``Evaluation.breakdown_steps``).
    steps: tuple[str, ...] = ()

    def as_text(self) -> str:
        return "\n".join((*self.lines, self.sentence))

    def as_latex(self) -> str:
        """The chain rule as one ``aligned`` block on its "=" signs: ``$\\begin{aligned}
        dv &= dJ \\cdot \\frac{...}{...} \\\\ &= ... \\end{aligned}$``."""
        steps = self.steps
        if len(steps) < 2 or " is undefined: " in steps[0] or "   (" in steps[0]:
            return _latex_sentence(self.lines[0])
        rows = [f"{_math(steps[0])} &= {_math(steps[1])}"]
        if len(steps) > 3:
            rows.append("&= " + " = ".join(_math(step) for step in steps[2:-1]))
        if len(steps) > 2:
            rows.append(f"&= {_math(steps[-1])}")
        return "$\\begin{aligned} " + r" \\ ".join(rows) + " \\end{aligned}$"


def card_text(
    graph: Graph, evaluation: Evaluation, key: int, notation: str = "d", overlay: Overlay = PLAIN
) -> CardText:
    """The card for node ``key``: the chain rule on up to three lines (symbolic, then
    substituted, then the number), and the local derivative in the lecture's words."""
    node_id = evaluation.id_of(key)
    sentence = local_derivative_sentence(graph, evaluation, key, notation)
    if not overlay.grad_shown(key):  # stepping: this derivative is not worked out yet
        symbol = derivative_symbol(node_id, evaluation.output, notation)
        return CardText((f"{symbol} is not worked out yet: step on to reach it",), sentence)
    steps = tuple(evaluation.breakdown_steps(key, notation))
    if len(steps) < 3:  # undefined, the output, or no path to the output: one line
        return CardText((" = ".join(steps),), sentence, steps)
    lines = [f"{steps[0]} = {steps[1]}"]
    if len(steps) > 3:
        lines.append("= " + " = ".join(steps[2:-1]))
    lines.append(f"= {steps[-1]}")
    return CardText(tuple(lines), sentence, steps)


def _math(text: str) -> str:
    return to_latex(text)[1:-1]


def _latex_sentence(text: str) -> str:
    """A one-line card (``dx is undefined: ...``) as LaTeX: the symbol as math, the
    reason as text."""
    head, sep, rest = text.partition(" is undefined: ")
    if not sep:
        return to_latex(text)
    reason = _LATEX_SPECIAL.sub(lambda match: "\\" + match.group(0), rest)
    return f"{to_latex(head)} is undefined: {reason}"


#: Characters LaTeX reads as commands in running text.
_LATEX_SPECIAL = re.compile(r"[_%#&$]")


class DerivativeCard(QFrame):
    """One node's derivative in full, above the panel's rows: it follows the node
    chosen on the canvas or in the rows, and every edit."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.key: int | None = None
        self.notation = "d"
        self.text: CardText | None = None
        self._styling = False
        self.setObjectName("derivativeCard")
        self.setAccessibleName("Derivative card")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self.title = QLabel()
        self.copy_text_action = QAction("Copy Card as Text", self)
        self.copy_text_action.setShortcut(QKeySequence(COPY_TEXT_KEYS))
        self.copy_text_action.triggered.connect(lambda: self.copy(latex=False))
        self.copy_latex_action = QAction("Copy Card as LaTeX", self)
        self.copy_latex_action.setShortcut(QKeySequence(COPY_LATEX_KEYS))
        self.copy_latex_action.triggered.connect(lambda: self.copy(latex=True))
        self.copy_text_button = self._button("Copy", self.copy_text_action)
        self.copy_latex_button = self._button("LaTeX", self.copy_latex_action)
        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.setSpacing(2)
        header.addWidget(self.title, 1)
        header.addWidget(self.copy_text_button)
        header.addWidget(self.copy_latex_button)

        self.line_labels = [self._label() for _ in range(3)]
        self.sentence_label = self._label()
        self.rule = QFrame()
        self.rule.setFrameShape(QFrame.Shape.HLine)
        self.rule.setFrameShadow(QFrame.Shadow.Plain)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.setSpacing(2)
        layout.addLayout(header)
        for label in self.line_labels:
            layout.addWidget(label)
        layout.addSpacing(4)
        layout.addWidget(self.rule)
        layout.addSpacing(2)
        layout.addWidget(self.sentence_label)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self._style()
        self.refresh()

    def _label(self) -> QLabel:
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.PlainText)  # ids and reasons read as written
        label.setWordWrap(True)
        label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        label.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)  # the card's menu
        label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        return label

    def _button(self, text: str, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setAutoRaise(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{action.text()} ({keys})")
        button.clicked.connect(action.trigger)
        return button

    # ---------------------------------------------------------------- contents
    def show_node(self, key: int | None) -> None:
        """Follow the chosen node (None: none is)."""
        if key != self.key:
            self.key = key
            self.refresh()

    def set_notation(self, notation: str) -> None:
        if notation != self.notation:
            self.notation = notation
            self.refresh()

    def refresh(self, evaluation: Evaluation | None = None) -> None:
        """Read the chosen node again (after an edit, a preview, a new notation)."""
        document = self.document
        evaluation = evaluation or document.evaluation
        key = self.key
        if key is None or key not in document.graph or key not in evaluation.values:
            self.text = None
            self.title.setText("Derivative")
            self._show([PLACEHOLDER], "")
        else:
            self.text = card_text(document.graph, evaluation, key, self.notation, document.overlay)
            self.title.setText(f"Chain rule for {evaluation.id_of(key)}")
            self._show(list(self.text.lines), self.text.sentence)
        for action in (self.copy_text_action, self.copy_latex_action):
            action.setEnabled(self.text is not None)
        self.copy_text_button.setEnabled(self.text is not None)
        self.copy_latex_button.setEnabled(self.text is not None)

    def _show(self, lines: list[str], sentence: str) -> None:
        for k, label in enumerate(self.line_labels):
            label.setText(lines[k] if k < len(lines) else "")
            label.setVisible(k < len(lines))
        self.sentence_label.setText(sentence)
        self.sentence_label.setVisible(bool(sentence))
        self.rule.setVisible(bool(sentence))
        placeholder = self.text is None
        self.line_labels[0].setForegroundRole(
            QPalette.ColorRole.PlaceholderText if placeholder else QPalette.ColorRole.WindowText
        )
        self._emphasise(len(lines), placeholder)

    def _emphasise(self, count: int, placeholder: bool) -> None:
        """The first line (the chain rule as symbols) in bold, the number in red and bold."""
        font = QFont(self.font())
        bold = QFont(font)
        bold.setBold(not placeholder)
        self.line_labels[0].setFont(bold)
        for label in self.line_labels[1:]:
            label.setFont(font)
        number = self.line_labels[count - 1] if count > 1 else None
        for label in self.line_labels:
            label.setStyleSheet("")
        if number is not None:
            number.setFont(bold)
            number.setStyleSheet(f"color: {derivative_color().name()};")

    # ----------------------------------------------------------------- copying
    def copy(self, latex: bool) -> None:
        if self.text is None:
            self.document.message.emit("Select a node to copy its derivative")
            return
        text = self.text.as_latex() if latex else self.text.as_text()
        QGuiApplication.clipboard().setText(text)
        what = "LaTeX" if latex else "text"
        self.document.message.emit(f"Copied the derivative of {self._node_id()} as {what}")

    def _node_id(self) -> str:
        return self.document.evaluation.id_of(self.key) if self.key is not None else ""

    def _menu(self, point) -> None:
        menu = QMenu(self)
        selected = [label for label in self.findChildren(QLabel) if label.hasSelectedText()]
        if selected:
            copy_selection = menu.addAction("Copy Selection")
            text = selected[0].selectedText()
            copy_selection.triggered.connect(lambda: QGuiApplication.clipboard().setText(text))
            menu.addSeparator()
        menu.addAction(self.copy_text_action)
        menu.addAction(self.copy_latex_action)
        menu.exec(self.mapToGlobal(point))

    # -------------------------------------------------------------------- look
    def _style(self) -> None:
        """A raised sheet in the base colour with a hairline border, in either theme."""
        if self._styling:  # a style sheet set here may change the palette again
            return
        self._styling = True
        try:
            self._apply_style()
        finally:
            self._styling = False

    def _apply_style(self) -> None:
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        border = palette.color(QPalette.ColorRole.Mid)
        if is_dark():
            border = border.lighter(130)
        sheet = (
            f"QFrame#derivativeCard {{ background: {base.name()}; border: 1px solid "
            f"{border.name()}; border-radius: 6px; }}"
        )
        if sheet != self.styleSheet():
            self.setStyleSheet(sheet)
        muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
        self.title.setStyleSheet(f"color: {muted}; font-weight: 600;")
        self.rule.setStyleSheet(f"color: {border.name()};")
        self._emphasise(len(self.text.lines) if self.text else 1, self.text is None)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._style()
