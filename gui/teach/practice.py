"""Practice: the learner fills in the numbers the graph hides, and hears which mistake
each wrong one is (Teach → Practice, P).

A :class:`PracticeSession` hides cells of the document's graph: derivatives dnode,
local derivatives ∂consumer/∂node on the edges, computed values, or any mix.  Each
answer is checked at once: a derivative with ``core.practice.diagnose``, a value by
the same "near" rule (within 0.5 %).  In *right to left* order a derivative cell
opens only once the cells it is built from are solved (the derivatives of its
consumers and the local derivatives on its edges), as in the lecture; a value
opens once its operands' values are solved.  *Any order* opens every cell.

Every answer, and every cell given away with *Reveal*, is one step on the session's
own undo stack, apart from the document's.  The session is drawn through the
document's overlay (``Overlay.cells``): it never changes the graph, and nothing of
it is saved.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from dvar import core
from dvar.core.cells import askable_cells
from dvar.core.evaluation import derivative_symbol
from dvar.core.practice import NEAR, NEAR_ZERO, diagnose, hints
from dvar.core.text import formula
from dvar.gui.canvas.value_editor import parse_typed_number
from dvar.gui.document.document import Document
from dvar.gui.document.overlay import Cell, Mark
from dvar.gui.numbers import format_number

#: What can be hidden, in the order the panel lists it.
KINDS = ("grad", "partial", "value")
KIND_TITLES = {"grad": "Derivatives", "partial": "Local derivatives", "value": "Values"}
#: How many hints each cell has.
HINTS = 3
#: How far the nudge bumps a node, as in the lecture.
NUDGE_H = 0.001


@dataclasses.dataclass(frozen=True)
class CellState:
    """Where one cell stands: what was last typed into it, and what came of it."""

    #: "hidden" (not solved yet), "right" or "revealed".
    status: str = "hidden"
    #: The last answer typed, as typed, and whether it was wrong.
    answer: str = ""
    wrong: bool = False
    #: What was said about the last answer (the diagnosis of a wrong one).
    message: str = ""
    #: Wrong answers given, and hints taken.
    tries: int = 0
    hints: int = 0

    @property
    def solved(self) -> bool:
        return self.status in ("right", "revealed")


@dataclasses.dataclass(frozen=True)
class Score:
    """Progress so far: how each solved cell was solved, and how many there are."""

    first_time: int
    after_help: int
    revealed: int
    wrong_tries: int
    total: int

    @property
    def solved(self) -> int:
        return self.first_time + self.after_help + self.revealed

    def progress(self) -> str:
        return f"{self.solved} of {self.total} solved"

    def summary(self) -> str:
        return (
            f"Right first time: {self.first_time}   ·   after a hint or a retry: "
            f"{self.after_help}   ·   revealed: {self.revealed}   ·   wrong tries: "
            f"{self.wrong_tries}"
        )


class CellStep(QUndoCommand):
    """One answer (or one cell given away): undo puts the cell back as it was, except
    for the hints taken since, which stay taken."""

    def __init__(self, session: PracticeSession, cell: Cell, after: CellState, text: str) -> None:
        super().__init__(text)
        self.session, self.cell = session, cell
        self.before, self.after = session.state(cell), after

    def redo(self) -> None:
        self.session._put(self.cell, self.after)

    def undo(self) -> None:
        now = self.session.state(self.cell)
        self.session._put(self.cell, dataclasses.replace(self.before, hints=now.hints))


class PracticeSession(QObject):
    """The hidden cells of one document, the answers given, and the score."""

    #: Some cell's state changed (an answer, a reveal, a hint, an undo).
    changed = Signal()

    def __init__(
        self,
        document: Document,
        kinds: tuple[str, ...] = ("grad",),
        any_order: bool = False,
        notation: str = "d",
        chips: Collection[int] = (),
        parent: QObject | None = None,
        cells: list[Cell] | None = None,
    ) -> None:
        super().__init__(parent)
        self.document, self.any_order, self.notation = document, any_order, notation
        self.kinds = tuple(kind for kind in KINDS if kind in kinds)
        self.evaluation = document.evaluation
        self.undo_stack = QUndoStack(self)
        # ``cells`` asks exactly those (a lesson step's); else every cell of the kinds.
        if cells is None:
            cells = askable_cells(document.graph, self.evaluation, self.kinds, chips)
        self.cells: list[Cell] = list(cells)
        self._states: dict[Cell, CellState] = {}
        self._needs: dict[Cell, list[Cell]] = _needs(document.graph, self.cells)
        # A breakdown of dnode shows the derivatives and local derivatives it is built
        # from, and local derivatives are often values (∂(x·y)/∂x = y).
        values = [cell for cell in self.cells if cell[0] == "value"]
        self._explained_by = {cell: self._needs[cell] + values for cell in self.cells}

    # ------------------------------------------------------------------ reading
    def state(self, cell: Cell) -> CellState:
        return self._states.get(cell, _BLANK)

    def is_open(self, cell: Cell) -> bool:
        """True when the cell takes an answer now (unsolved, and in right-to-left
        order, everything it is built from is solved)."""
        if self.state(cell).solved:
            return False
        return self.any_order or all(self.state(c).solved for c in self._needs[cell])

    def open_cells(self) -> list[Cell]:
        return [cell for cell in self.cells if self.is_open(cell)]

    def next_open(self, after: Cell | None = None, step: int = 1) -> Cell | None:
        """The next cell that takes an answer, in the session's order, after ``after``
        (from the start when None), wrapping round; None when every cell is solved."""
        if not self.cells:
            return None
        start = self.cells.index(after) if after in self.cells else -step
        count = len(self.cells)
        for i in range(1, count + 1):
            cell = self.cells[(start + step * i) % count]
            if self.is_open(cell):
                return cell
        return None

    @property
    def finished(self) -> bool:
        return all(self.state(cell).solved for cell in self.cells)

    def score(self) -> Score:
        first = helped = revealed = tries = 0
        for cell in self.cells:
            state = self.state(cell)
            tries += state.tries
            if state.status == "revealed":
                revealed += 1
            elif state.status == "right":
                if state.tries or state.hints:
                    helped += 1
                else:
                    first += 1
        return Score(first, helped, revealed, tries, len(self.cells))

    def truth(self, cell: Cell) -> float:
        kind, key, slot = cell
        ev = self.evaluation
        if kind == "grad":
            return ev.grads[key]
        if kind == "value":
            return ev.values[key]
        return ev.partial(key, slot)

    def symbol(self, cell: Cell) -> str:
        """``dv``, ``∂u/∂b`` or ``u``: what the cell asks for."""
        kind, key, slot = cell
        ev = self.evaluation
        if kind == "grad":
            return derivative_symbol(ev.id_of(key), ev.output, self.notation)
        if kind == "value":
            return ev.id_of(key)
        graph = self.document.graph
        return f"∂{graph.id_of(key)}/∂{graph.id_of(graph.node(key).inputs[slot])}"

    def mark(self, cell: Cell) -> Mark:
        """What the cell shows on the canvas and in the panel."""
        state = self.state(cell)
        if state.solved:
            # Its breakdown shows once everything in it is solved as well.
            explained = all(self.state(c).solved for c in self._explained_by[cell])
            number = format_number(self.truth(cell))
            if state.status == "right":
                return Mark(f"{number} ✓", "right", "Right", explained)
            return Mark(f"{number} (given)", "revealed", "Revealed", explained)
        if not self.is_open(cell):
            needed = [self.symbol(c) for c in self._needs[cell] if not self.state(c).solved]
            return Mark("", "waiting", f"Right to left: solve {', '.join(needed)} first")
        if state.wrong:
            return Mark(f"{state.answer} ✗", "wrong", state.message)
        return Mark("?", "open", f"Type {self.symbol(cell)} and press Enter")

    def marks(self) -> dict[Cell, Mark]:
        return {cell: self.mark(cell) for cell in self.cells}

    # ------------------------------------------------------------------ answering
    def answer(self, cell: Cell, text: str) -> CellState | None:
        """Check an answer typed for ``cell`` and record it (one undoable step).

        Returns the new state, or None when the text is no answer at all (not a
        number, or the cell is not open): nothing is recorded, and the document's
        status bar says why.
        """
        if cell not in self.cells:
            return None
        if not self.is_open(cell):
            reason = "is solved" if self.state(cell).solved else self.mark(cell).tip.lower()
            self.document.message.emit(f"{self.symbol(cell)}: {reason}")
            return None
        text = text.strip()
        try:
            right, message = self._judge(cell, text)
        except ValueError as error:
            self.document.message.emit(f"{self.symbol(cell)}: {error}")
            return None
        old = self.state(cell)
        if right:
            new = dataclasses.replace(
                old, status="right", answer=text, wrong=False, message=message
            )
        else:
            new = dataclasses.replace(
                old, answer=text, wrong=True, message=message, tries=old.tries + 1
            )
        verdict = "right" if right else "wrong"
        self.undo_stack.push(CellStep(self, cell, new, f"{self.symbol(cell)} = {text} ({verdict})"))
        return new

    def reveal(self, cell: Cell) -> None:
        """Give the cell away (counted as revealed); one undoable step."""
        if cell not in self.cells or self.state(cell).solved:
            return
        value = format_number(self.truth(cell))
        new = dataclasses.replace(
            self.state(cell),
            status="revealed",
            wrong=False,
            message=f"{self.symbol(cell)} = {value}: given away.",
        )
        self.undo_stack.push(CellStep(self, cell, new, f"Reveal {self.symbol(cell)}"))

    def hint(self, cell: Cell) -> str | None:
        """The cell's next hint (1, 2, 3, then the last again), or None when it has none."""
        if cell not in self.cells or self.state(cell).solved:
            return None
        ladder = self.hints(cell)
        state = self.state(cell)
        taken = min(HINTS, state.hints + 1)
        self._put(cell, dataclasses.replace(state, hints=taken))
        return ladder[taken - 1]

    def hints(self, cell: Cell) -> tuple[str, str, str]:
        kind, key, slot = cell
        ev, graph = self.evaluation, self.document.graph
        if kind == "value":
            return _value_hints(graph, ev, key)
        node = ev.id_of(key)
        if kind == "grad":
            return hints(ev, node)
        source = graph.id_of(graph.node(key).inputs[slot])
        return hints(ev, source, consumer=node, slot=slot)

    def nudge(self, cell: Cell) -> str:
        """Check by experiment: bump the cell's node by 0.001 and say how far the output
        (or, for a local derivative, the consumer) moves.  The graph is not changed."""
        kind, key, slot = cell
        graph = self.document.graph
        if kind == "value":
            return "A value is checked by working it out from its operands, not by a nudge."
        node = graph.node(key).inputs[slot] if kind == "partial" else key
        node_id = graph.id_of(node)
        result = core.nudge(graph, node, NUDGE_H)
        watched = graph.id_of(key) if kind == "partial" else result.before.output
        before, after = result.before.values[watched], result.after[watched]
        if before is None or after is None:
            return f"{node_id} + {format_number(NUDGE_H)}: {watched} has no value."
        delta = after - before
        return (
            f"Bump {node_id} by {format_number(NUDGE_H)} and watch {watched}: it moves by "
            f"{delta:+.6g}, so Δ{watched}/Δ{node_id} ≈ {delta / NUDGE_H:.4g}."
        )

    def _judge(self, cell: Cell, text: str) -> tuple[bool, str]:
        """(right, message) for an answer; ValueError for text that is no number."""
        kind, key, slot = cell
        ev, graph = self.evaluation, self.document.graph
        if kind == "value":
            answer = parse_typed_number(text)
            truth = ev.values[key]
            near = abs(answer - truth) <= (NEAR_ZERO if truth == 0 else NEAR * abs(truth))
            symbol = self.symbol(cell)
            if near:
                return True, f"{symbol} = {format_number(truth)}: right."
            return False, f"{symbol} is not {text}: work it out from its operands."
        typed = _typed(text)
        if kind == "grad":
            diagnosis = diagnose(ev, ev.id_of(key), typed)
        else:
            source = graph.id_of(graph.node(key).inputs[slot])
            diagnosis = diagnose(ev, source, typed, consumer=ev.id_of(key), slot=slot)
        return diagnosis.right, diagnosis.message

    def _put(self, cell: Cell, state: CellState) -> None:
        self._states[cell] = state
        self.changed.emit()


_BLANK = CellState()


def _typed(text: str) -> float | str:
    """The answer for ``diagnose``: the text itself, so the digits typed count, or the
    number read in the user's locale (``0,5``).  ValueError when it is no number."""
    try:
        core.parse_number(text)
    except ValueError:
        return parse_typed_number(text)
    return text


def _needs(graph: core.Graph, cells: list[Cell]) -> dict[Cell, list[Cell]]:
    """For each cell, the hidden cells it is worked out from (right to left order)."""
    hidden = set(cells)
    needs: dict[Cell, list[Cell]] = {}
    for cell in cells:
        kind, key, slot = cell
        if kind == "value":
            wanted = [("value", k, 0) for k in graph.node(key).inputs if k is not None]
        elif kind == "partial":
            wanted = [("grad", key, 0)]
        else:
            wanted = []
            for consumer, use in graph.consumers(key):
                consumer_key = graph.key_of(consumer)
                wanted += [("grad", consumer_key, 0), ("partial", consumer_key, use)]
        needs[cell] = [c for c in wanted if c in hidden]
    return needs


def _value_hints(graph: core.Graph, ev: core.Evaluation, key: int) -> tuple[str, str, str]:
    node = graph.node(key)
    inline = ev.inline_constant_keys
    operands = [graph.node(k) for k in node.inputs if k is not None and k not in inline]
    names = ", ".join(o.id for o in operands)
    numbers = []
    for k in node.inputs:
        text = "□" if k is None else format_number(ev.values[k])
        numbers.append(f"({text})" if text.startswith("-") else text)
    return (
        f"{node.id} is worked out from {names}: the forward pass, left to right.",
        formula(graph, node, inline),
        f"{node.id} = {node.op.template.format(*numbers)} = ?",
    )
