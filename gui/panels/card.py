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

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QSpacerItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dvar.core import derivative_symbol, spoken
from dvar.core.evaluation import Evaluation
from dvar.core.graph import Graph
from dvar.core.text import local_derivative_sentence, to_latex
from dvar.gui.canvas.look import derivative_color, is_dark
from dvar.gui.document.document import Document
from dvar.gui.document.overlay import PLAIN, Overlay

#: The card's shortcuts, active while the panel (its rows or the card) has the focus.
COPY_TEXT_KEYS = "Ctrl+Alt+C"
COPY_LATEX_KEYS = "Ctrl+Alt+Shift+C"

#: Uses of a node the card's sentence writes out; it counts the rest.
MOST_USES = 24

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
    graph: Graph,
    evaluation: Evaluation,
    key: int,
    notation: str = "d",
    overlay: Overlay = PLAIN,
    most: int | None = None,
) -> CardText:
    """The card for node ``key``: the chain rule on up to three lines (symbolic, then
    substituted, then the number), and the local derivative in the lecture's words."""
    node_id = evaluation.id_of(key)
    sentence = local_derivative_sentence(graph, evaluation, key, notation, most=most)
    mark = overlay.mark("grad", key)
    if mark is not None and not mark.solved:  # practice: the learner's to work out
        symbol = derivative_symbol(node_id, evaluation.output, notation)
        return CardText((f"{symbol} = {mark.text or '…'}   (practice: your turn)",), "")
    if mark is not None and not mark.explained:  # solved, but what it is built from is not
        symbol = derivative_symbol(node_id, evaluation.output, notation)
        return CardText((f"{symbol} = {mark.text}",), "")
    if not overlay.grad_shown(key):  # stepping: this derivative is not worked out yet
        symbol = derivative_symbol(node_id, evaluation.output, notation)
        when = "yet: step on to reach it" if overlay.backward_shown else "in the forward pass"
        return CardText((f"{symbol} is not worked out {when}",), "")
    steps = tuple(evaluation.breakdown_steps(key, notation))
    if len(steps) < 3:  # undefined, the output, or no path to the output: one line
        return CardText((" = ".join(steps),), sentence, steps)
    lines = [f"{steps[0]} = {steps[1]}"]
    if len(steps) > 3:
        lines.append("= " + " = ".join(steps[2:-1]))
    lines.append(f"= {steps[-1]}")
    return CardText(tuple(lines), sentence, steps)


def _border(palette: QPalette) -> QColor:
    """The card's hairlines: the palette's mid tone, lighter on a dark one."""
    border = palette.color(QPalette.ColorRole.Mid)
    return border.lighter(140) if is_dark() else border


class _Rule(QWidget):
    """A hairline across the card, in the colour of its border."""

    def __init__(self) -> None:
        super().__init__()
        self.setFixedHeight(1)

    def paintEvent(self, event) -> None:  # noqa: N802 (as Qt names it)
        painter = QPainter(self)
        painter.setPen(QPen(_border(self.palette()), 1))
        painter.drawLine(0, 0, self.width(), 0)


class _Scrolled(QScrollArea):
    """The card's lines and sentence: as tall as they are, up to ``most`` pixels, and
    scrolled past that, so a long card never pushes the rows out of the dock."""

    def __init__(self, body: QWidget) -> None:
        super().__init__()
        self.most = 0
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for widget in (self, self.viewport(), body):  # the card's sheet shows through
            widget.setAutoFillBackground(False)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (as Qt names it)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        # measured beside a scroll bar: a height that only fits without one would
        # bring one in, and then not fit
        bar = self.verticalScrollBar().sizeHint().width()
        return min(self.widget().heightForWidth(max(1, width - bar)), self.most)

    def sizeHint(self) -> QSize:  # noqa: N802
        width = super().sizeHint().width()
        return QSize(width, self.heightForWidth(max(self.width(), width)))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(0, min(self.sizeHint().height(), 3 * self.fontMetrics().height()))


def _unbroken(text: str) -> str:
    """The text as shown: ``∂J/∂v`` never breaks at its slash (a word joiner after it),
    nor ``J = 3·v`` at its "=" (no-break spaces); a very long id may break anywhere
    (a zero-width space every 16 characters), so it wraps instead of being cut off."""
    text = _LONG_WORD.sub("\\g<0>\u200b", text)
    return text.replace("/", "/\u2060").replace(" = ", "\u00a0=\u00a0")


_LONG_WORD = re.compile(r"[^\s/]{16}(?=[^\s/])")
#: What _unbroken adds, taken out again of text a person copies.
_INVISIBLE = str.maketrans({"\u2060": None, "\u200b": None, "\u00a0": " "})


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


class DerivativeCard(QWidget):
    """One node's derivative in full, above the panel's rows: it follows the node
    chosen on the canvas or in the rows, and every edit."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.key: int | None = None
        self.notation = "d"
        self.text: CardText | None = None
        self.setObjectName("derivativeCard")
        self.setAccessibleName("Derivative card")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self.title = QLabel()
        self.title.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)  # a long id wraps: it never widens the dock
        self.title.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
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
        self.rule = _Rule()  # between the chain rule and the sentence
        # Beside the lines, an empty strut as tall as a usual card: a hint the dock
        # follows when it has room (so the rows below stay put), never a minimum.
        self._room = 0  # the panel's height: see fit_room
        self._strut = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(10, 4, 6, 8)
        outer.setSpacing(0)
        outer.addSpacerItem(self._strut)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        outer.addLayout(column, 1)
        column.addLayout(header)
        body = QWidget()
        self.body = _Scrolled(body)  # a node used a hundred times scrolls: never cut off
        column.addWidget(self.body)
        column.addStretch(1)  # a short card keeps its lines at the top
        self._lines = layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for label in self.line_labels:
            layout.addWidget(label)
        layout.addSpacing(4)
        layout.addWidget(self.rule)
        layout.addSpacing(2)
        layout.addWidget(self.sentence_label)
        layout.addStretch(1)  # a short card keeps its lines at the top
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self._fonts()
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
        label.setForegroundRole(QPalette.ColorRole.Text)  # text on the card's base colour
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
            self.text = card_text(
                document.graph, evaluation, key, self.notation, document.overlay, MOST_USES
            )
            self.title.setText(_unbroken(f"Chain rule for {evaluation.id_of(key)}"))
            self._show(list(self.text.lines), self.text.sentence)
        for widget in (
            self.copy_text_action,
            self.copy_latex_action,
            self.copy_text_button,
            self.copy_latex_button,
        ):
            widget.setEnabled(self.text is not None)

    def _show(self, lines: list[str], sentence: str) -> None:
        for k, label in enumerate(self.line_labels):
            label.setText(_unbroken(lines[k]) if k < len(lines) else "")
            label.setAccessibleName(spoken.words(lines[k]) if k < len(lines) else "")
            label.setVisible(k < len(lines))
        # each use of a node used more than once on a line of its own
        self.sentence_label.setText(_unbroken(sentence).replace(". ", ".\n"))
        self.sentence_label.setAccessibleName(spoken.words(sentence))  # read in words
        self.sentence_label.setVisible(bool(sentence))
        self.rule.setVisible(bool(sentence))
        self._fonts()

    def _fonts(self) -> None:
        """The first line (the chain rule in symbols) in bold, the number in bold red,
        and the "= ..." lines under the first line's "=", as the lecture aligns them."""
        placeholder = self.text is None
        count = 1 if placeholder else len(self.text.lines)
        font = QFont(self.font())
        bold = QFont(font)
        bold.setBold(True)
        title = QFont(font)
        title.setPointSizeF(font.pointSizeF() * 0.92)
        title.setBold(True)
        self.title.setFont(title)
        first = self.line_labels[0]
        first.setFont(font if placeholder else bold)
        first.setForegroundRole(
            QPalette.ColorRole.PlaceholderText if placeholder else QPalette.ColorRole.Text
        )
        red = derivative_color()
        for k, label in enumerate(self.line_labels[1:], start=1):
            is_number = k == count - 1
            label.setFont(bold if is_number else font)
            palette = QPalette()  # empty: every role but the one set follows the card
            if is_number:
                palette.setColor(QPalette.ColorRole.Text, red)
            label.setPalette(palette)
        indent = 0
        if count > 1 and self.text is not None and self.text.steps:
            indent = QFontMetrics(bold).horizontalAdvance(f"{self.text.steps[0]} ")
            indent = min(indent, self.width() // 3)
        for label in self.line_labels[1:]:
            label.setIndent(indent)
        self.fit_room(self._room)
        usual = self._usual_height(bold)
        if usual != self._strut.sizeHint().height():
            policy = QSizePolicy.Policy
            self._strut.changeSize(0, usual, policy.Minimum, policy.Preferred)
            self.layout().invalidate()

    def fit_room(self, height: int) -> None:
        """The panel is ``height`` pixels tall: past fourteen lines, or 70 % of that,
        the card's lines scroll, and the rows keep the rest."""
        self._room = height
        line = self.fontMetrics().height()
        most = min(14 * line, int(0.7 * height)) if height > 0 else 14 * line
        most = max(most, 4 * line)
        if most != self.body.most:
            self.body.most = most
        self.body.updateGeometry()

    def _usual_height(self, bold: QFont) -> int:
        """As tall as three lines of chain rule and two of sentence, when there is
        room (a hint, not a minimum): the rows below stay put as the chosen node
        changes, and a longer card grows past this."""
        header = max(self.title.sizeHint().height(), self.copy_text_button.sizeHint().height())
        lines = 3 * QFontMetrics(bold).height() + 2 * self.fontMetrics().height()
        return header + lines + 6 * self._lines.spacing() + 4 + self.rule.height() + 2

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
            text = selected[0].selectedText().translate(_INVISIBLE)
            copy_selection.triggered.connect(lambda: QGuiApplication.clipboard().setText(text))
            menu.addSeparator()
        menu.addAction(self.copy_text_action)
        menu.addAction(self.copy_latex_action)
        menu.exec(self.mapToGlobal(point))

    # -------------------------------------------------------------------- look
    def paintEvent(self, event) -> None:
        """A sheet in the base colour with a hairline border and round corners, drawn
        from the palette, so it follows the theme."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.setPen(QPen(_border(palette), 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fonts()  # the "=" lines' indent is capped by the width

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._fonts()  # the red of the number, and the bold fonts
            self.update()
