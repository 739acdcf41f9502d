"""The derivative panel's item model: one row per node over an ``Evaluation``.

Top-level rows are the nodes in backward order (J first), with two columns: the
derivative's symbol and its value.  Each row's children are its breakdown: the
chain rule as the lecture writes it, then one line per use of the node.  An inline
constant (a constant with one use, written as its number) has no row unless
``set_show_inline_constants(True)``.

Every row is one line: a text too long for its column ends in "…", and its
tooltip (and the card above the rows) holds all of it.

A :class:`RowView` narrows and orders the rows for a big graph: the nodes whose
id holds some text, only some keys (a group's nodes, the parameters, what the
canvas shows), and the largest |derivative| first.  Filtering rebuilds the tuple of
keys (10 to 40 ms on the 66,000-node moons graph); the rows themselves are still
formatted only when drawn.  Going back to all 66,000 rows takes about 0.4 s: the
view lays out every row again, as after any structural edit of that graph.

What a teaching preview adds comes from the document's :class:`Overlay`: notes
beside values (the nudge's ΔJ/Δa) and the derivatives known so far (stepping).

Nothing is formatted ahead of time.  A view asks ``data()`` only for the rows it
draws, so a value edit that changes thousands of derivatives costs one
``dataChanged`` signal, and formatting the twenty rows on screen.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont

from dvar.core import Evaluation, derivative_symbol, spoken
from dvar.gui.canvas import accessible
from dvar.gui.canvas.look import derivative_color
from dvar.gui.document.overlay import PLAIN, Overlay
from dvar.gui.messages import plain_tip
from dvar.gui.numbers import format_full, format_number

#: The node key of a row, and of each of its breakdown lines.
KEY_ROLE = Qt.ItemDataRole.UserRole

#: internalId of a top-level row; a breakdown line's is its parent's row + 1.
_TOP = 0

# Roles as plain ints: data() is called for every role of every cell drawn.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TIP = int(Qt.ItemDataRole.ToolTipRole)
_KEY = int(KEY_ROLE)
_SPOKEN = int(Qt.ItemDataRole.AccessibleTextRole)
_SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_LINE_FLAGS = _SELECTABLE | Qt.ItemFlag.ItemNeverHasChildren

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible root, as a default argument

#: Rows sorted by |derivative| are sorted again after a value edit up to this many;
#: beyond, new rows cost the view about 6 µs each to lay out (0.4 s at 66,000), so
#: the order is kept until the structure or the filter changes.
RESORT_LIMIT = 10_000


@dataclass(frozen=True)
class RowView:
    """Which rows the panel shows, and in what order: ``text`` in the node's id (any
    case), only the keys in ``only`` (None: every node), and with ``by_size`` the
    largest |derivative| first (ties, and nodes without a derivative, keep the
    backward order, the latter last)."""

    text: str = ""
    only: frozenset[int] | None = None
    by_size: bool = False

    @property
    def active(self) -> bool:
        return bool(self.text) or self.only is not None or self.by_size

    def keys(self, evaluation: Evaluation, keys: tuple[int, ...]) -> tuple[int, ...]:
        """``keys`` (in backward order) narrowed and ordered by this view."""
        if not self.active:
            return keys
        out: list[int] | tuple[int, ...] = keys
        if self.only is not None:
            only = self.only
            out = [k for k in out if k in only]
        if self.text:
            text, id_of = self.text.casefold(), evaluation.id_of
            out = [k for k in out if text in id_of(k).casefold()]
        if self.by_size:
            grads = evaluation.grads
            out = sorted(out, key=lambda k: _size(grads[k]))
        return tuple(out)


def _size(grad: float | None) -> float:
    """The sort key of a derivative, largest |value| first; none (or NaN) last."""
    if grad is None or math.isnan(grad):
        return math.inf
    return -abs(grad)


class DerivativeModel(QAbstractItemModel):
    """Rows ``db  6``; the children of ``db`` are ``db = du · ∂u/∂b = du · c = 3 · 2 = 6``
    and then one line per chain-rule term."""

    HEADERS = ("derivative", "value")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.evaluation: Evaluation | None = None
        self.notation = "d"
        #: The preview shown over the rows: its ``notes`` and ``shown_grads``.
        self.overlay: Overlay = PLAIN
        #: Rows for inline constants too (View → Derivatives of Constants).
        self.show_inline_constants = False
        self._keys: tuple[int, ...] = ()  # node keys in row order: row → key
        self._all: tuple[int, ...] = ()  # every node key with a row, in backward order
        #: Which rows show, in what order (the panel's filter bar).
        self.view = RowView()
        #: Per node key inside a collapsed group, that group's title (shown beside it).
        self.hints: Mapping[int, str] = {}
        self._rows: dict[int, int] | None = None  # key → row, made when first asked
        self._texts: dict[int, tuple[str, str]] = {}  # formatted rows, by row
        self._lines: dict[int, list[str]] = {}  # breakdown lines, by key
        #: How many breakdown lines views were told each row has (only rows asked about).
        self._told: dict[int, int] = {}
        self._brush = QBrush(derivative_color())
        self._italic = QFont()
        self._bold = QFont()
        self.set_font(QFont())

    # ---------------------------------------------------------------- updating
    def set_evaluation(self, evaluation: Evaluation) -> None:
        """Show this evaluation: new rows if the order changed, otherwise new numbers.

        One structure gives one tuple of keys (``Evaluation.backward_keys``), so a
        value edit compares them by identity."""
        every = evaluation.backward_keys(self.show_inline_constants)
        same = every is self._all or every == self._all
        # A rename may change what the text matches; new numbers, the order by size.
        resort = self.view.by_size and len(self._keys) <= RESORT_LIMIT
        if same and not (resort or self.view.text):
            self.evaluation = evaluation
            self.texts_changed()
            return
        self._all = every
        keys = self.view.keys(evaluation, every)
        if keys == self._keys:
            self.evaluation = evaluation
            self.texts_changed()
        else:
            self._reset(evaluation, keys)

    def set_view(self, view: RowView) -> None:
        """Show the rows ``view`` picks, in its order."""
        if view == self.view:
            return
        self.view = view
        if self.evaluation is not None:
            keys = view.keys(self.evaluation, self._all)
            if keys != self._keys:
                self._reset(self.evaluation, keys)

    def set_hints(self, hints: Mapping[int, str]) -> None:
        """Name, beside each node hidden in a collapsed group, that group."""
        if hints != self.hints:
            self.hints = hints
            self.texts_changed()

    def set_show_inline_constants(self, on: bool) -> None:
        """Give inline constants rows (True) or not (False, the default)."""
        on = bool(on)
        if on == self.show_inline_constants:
            return
        self.show_inline_constants = on
        if self.evaluation is not None:
            self._all = self.evaluation.backward_keys(on)
            self._reset(self.evaluation, self.view.keys(self.evaluation, self._all))

    def _reset(self, evaluation: Evaluation, keys: tuple[int, ...]) -> None:
        self.beginResetModel()
        self.evaluation = evaluation
        self._keys, self._rows = keys, None
        self._texts, self._lines, self._told = {}, {}, {}
        self.endResetModel()

    def set_notation(self, notation: str) -> None:
        if notation != self.notation:
            self.notation = notation
            self.texts_changed()

    def set_overlay(self, overlay: Overlay) -> None:
        """What a teaching preview adds to the rows: notes beside values, hidden values."""
        old, self.overlay = self.overlay, overlay
        if (overlay.notes, overlay.shown_grads, overlay.cells) != (
            old.notes,
            old.shown_grads,
            old.cells,
        ):
            self.texts_changed()

    def set_font(self, font: QFont) -> None:
        """The view's font, for the italic symbols and the bold first breakdown line."""
        self._italic = QFont(font)
        self._italic.setItalic(True)
        self._bold = QFont(font)
        self._bold.setBold(True)

    def restyle(self) -> None:
        """Numbers or colours are shown differently now (digits, theme)."""
        self._brush = QBrush(derivative_color())
        self.texts_changed()

    def texts_changed(self) -> None:
        """Every row may read differently: forget what was formatted and tell the views,
        which ask again for the rows they show."""
        self._texts.clear()
        self._lines.clear()
        for key, told in list(self._told.items()):
            row = self.row_of(key)
            if row is None:
                continue
            parent = self.createIndex(row, 0, _TOP)
            count = len(self.lines(key))
            if count > told:
                self.beginInsertRows(parent, told, count - 1)
                self._told[key] = count
                self.endInsertRows()
            elif count < told:
                self.beginRemoveRows(parent, count, told - 1)
                self._told[key] = count
                self.endRemoveRows()
            if count:
                self.dataChanged.emit(
                    self.createIndex(0, 0, row + 1), self.createIndex(count - 1, 1, row + 1)
                )
        if self._keys:
            last = len(self._keys) - 1
            self.dataChanged.emit(self.createIndex(0, 0, _TOP), self.createIndex(last, 1, _TOP))

    # ----------------------------------------------------------------- reading
    @property
    def keys(self) -> tuple[int, ...]:
        """Node keys in row order (backward order, J first, unless the view sorts)."""
        return self._keys

    @property
    def all_keys(self) -> tuple[int, ...]:
        """Every node key that has a row when no filter narrows them, in backward order."""
        return self._all

    def row_of(self, key: int) -> int | None:
        if self._rows is None:
            self._rows = {k: row for row, k in enumerate(self._keys)}
        return self._rows.get(key)

    def index_of(self, key: int, column: int = 0) -> QModelIndex:
        """The top-level index of a node's row (invalid when it has none)."""
        row = self.row_of(key)
        return QModelIndex() if row is None else self.createIndex(row, column, _TOP)

    def key_at(self, index: AnyIndex) -> int | None:
        if not index.isValid():
            return None
        ident = index.internalId()
        return self._keys[index.row() if ident == _TOP else ident - 1]

    def explain(self, node_id: str, output: str | None) -> str:
        """The hover text: what the derivative means."""
        out = output or "J"
        symbol = derivative_symbol(node_id, output, self.notation)
        return f"{symbol} ≡ ∂{out}/∂{node_id}: how much {out} moves per unit nudge of {node_id}"

    def row_texts(self, row: int) -> tuple[str, str]:
        """The two cells of a top-level row: ``db`` (and why it has no value) and ``6``."""
        texts = self._texts.get(row)
        if texts is None:
            evaluation = self.evaluation
            key = self._keys[row]
            node_id = evaluation.id_of(key)
            symbol = derivative_symbol(node_id, evaluation.output, self.notation)
            error = evaluation.error(key)
            if error is not None:
                symbol = f"{symbol}   ({node_id}: {error})"
            hint = self.hints.get(key)
            if hint is not None:
                symbol = f"{symbol}   ▸ {hint}"
            overlay = self.overlay
            value = format_number(evaluation.grads[key]) if overlay.grad_shown(key) else ""
            mark = overlay.mark("grad", key)
            if mark is not None:  # practice: "?", "15 ✗", "21 ✓"
                value = mark.text
            note = overlay.notes.get(key)
            if note is not None:
                value += f"   {note}"
            texts = self._texts[row] = (symbol, value)
        return texts

    def lines(self, key: int) -> list[str]:
        """A row's breakdown: the chain rule, then ``via u: du · ∂u/∂b = 3 · 2 = 6`` per use."""
        if not self.overlay.breakdown_shown(key):  # stepping: not worked out yet
            return []
        lines = self._lines.get(key)
        if lines is None:
            evaluation, notation = self.evaluation, self.notation
            node_id = evaluation.id_of(key)
            lines = [evaluation.breakdown(key, notation)]
            for term in evaluation.terms(key):
                d = derivative_symbol(term.consumer, evaluation.output, notation)
                lines.append(
                    f"via {term.consumer}: {d} · {term.partial_symbol(node_id)} = "
                    f"{format_number(term.consumer_grad)} · {format_number(term.partial)} = "
                    f"{format_number(term.product)}"
                )
            self._lines[key] = lines
        return lines

    # ------------------------------------------------------ QAbstractItemModel
    def index(self, row: int, column: int, parent: AnyIndex = _ROOT) -> QModelIndex:
        if not 0 <= column < 2 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP) if row < len(self._keys) else QModelIndex()
        if parent.internalId() != _TOP or parent.column() != 0:
            return QModelIndex()
        if row >= self.rowCount(parent):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def sibling(self, row: int, column: int, index: AnyIndex) -> QModelIndex:
        if row == index.row() and 0 <= column < 2 and index.isValid():
            return self.createIndex(row, column, index.internalId())  # the same row
        return self.index(row, column, self.parent(index))

    def parent(self, index: AnyIndex | None = None):  # also QObject.parent() without one
        if index is None:
            return QObject.parent(self)
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        if not parent.isValid():
            return len(self._keys)
        if parent.internalId() != _TOP or parent.column() != 0:
            return 0
        key = self._keys[parent.row()]
        count = len(self.lines(key))
        self._told[key] = count
        return count

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 2

    def hasChildren(self, parent: AnyIndex = _ROOT) -> bool:
        if not parent.isValid():
            return bool(self._keys)
        return parent.internalId() == _TOP and parent.column() == 0  # a breakdown, always

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _SELECTABLE if index.internalId() == _TOP else _LINE_FLAGS

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section] if 0 <= section < 2 else None
        if role == _TIP and orientation == Qt.Orientation.Horizontal and section == 1:
            if self.view.by_size:
                return "Largest |derivative| first: click for J first and backwards"
            return "Click to list the largest |derivative| first"
        return None

    def data(self, index: AnyIndex, role: int = _DISPLAY):
        ident = index.internalId()
        if ident == _TOP:
            if role == _DISPLAY:
                return self.row_texts(index.row())[index.column()]
            if role == _FOREGROUND:
                return self._brush if index.column() == 0 else None
            if role == _FONT:
                return self._italic if index.column() == 0 else None
            if role == _TIP:
                return self._row_tip(index.row(), index.column())
            if role == _KEY:
                return self._keys[index.row()]
            if role == _SPOKEN:  # a screen reader hears the whole row, in words
                if index.column() == 0:
                    return self.spoken_row(index.row())
                return spoken.words(self.row_texts(index.row())[1])
            return None
        if index.column() != 0:
            return None
        if role == _DISPLAY:
            return self._line(ident - 1, index.row())
        if role == _FONT:
            return self._bold if index.row() == 0 else None
        if role == _TIP:
            return plain_tip(self._line(ident - 1, index.row()))
        if role == _KEY:
            return self._keys[ident - 1]
        if role == _SPOKEN:
            return spoken.words(self._line(ident - 1, index.row()))
        return None

    def spoken_row(self, row: int) -> str:
        """A row as a screen reader says it: ``db equals 6; db equals du times c, 3 times 2``
        (only what the teaching preview shows)."""
        key = self._keys[row]
        shown = accessible.shown(self.overlay, key)
        return spoken.derivative_row(self.evaluation, key, shown, self.notation, format_number)

    def _line(self, parent_row: int, row: int) -> str:
        lines = self.lines(self._keys[parent_row])
        return lines[row] if row < len(lines) else ""

    def _row_tip(self, row: int, column: int) -> str | None:
        """All that the row's cells may cut off: the breakdown and the reason in full,
        what the derivative means, and the value to full precision with its note."""
        key = self._keys[row]
        evaluation = self.evaluation
        shown = self.overlay.grad_shown(key)
        if column == 0:
            node_id = evaluation.id_of(key)
            lines = [self.explain(node_id, evaluation.output)]
            if shown and self.overlay.breakdown_shown(key):
                lines.append(evaluation.breakdown(key, self.notation))
            error = evaluation.error(key)
            if error is not None and error not in lines[-1]:
                lines.append(f"{node_id}: {error}")
            return plain_tip("\n".join(lines))
        mark = self.overlay.mark("grad", key)
        if mark is not None and not mark.solved:  # practice: the diagnosis, never the number
            return plain_tip(mark.tip) if mark.tip else None
        if not shown:
            return None
        note = self.overlay.notes.get(key)
        value = format_full(evaluation.grads[key])
        return plain_tip(value if note is None else f"{value}   {note}")
