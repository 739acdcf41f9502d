"""What an evaluation hands out: values, derivatives, reasons, and the chain rule.

Results are read lazily out of the plan's arrays: nothing is copied into new
dictionaries on every edit.  An Evaluation is a snapshot; later edits to the
graph do not change it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from dvar.core.numbers import format_number

if TYPE_CHECKING:
    from dvar.core.paths import Path, Share
    from dvar.core.plan import Names, Plan

#: How a derivative is written: the lecture's ``db``, Leibniz's ``∂J/∂b``, or PyTorch's ``b.grad``.
NOTATIONS = ("d", "partial", "grad")
#: What an empty operand slot reads as in a partial's text, e.g. ∂u/∂b = □.
EMPTY_SLOT = "□"


def derivative_symbol(node: str, output: str | None, notation: str = "d") -> str:
    """``db``, ``∂J/∂b`` or ``b.grad``, for node ``b`` and output ``J``."""
    if notation == "partial":
        return f"∂{output or 'J'}/∂{node}"
    if notation == "grad":
        return f"{node}.grad"
    return f"d{node}"


class Column(Mapping):
    """One number (or None) per node, looked up by id or by key, read from the plan's array."""

    __slots__ = ("_naming", "_pos", "_data")

    def __init__(self, naming: Names, pos: dict[int, int], data: list) -> None:
        self._naming, self._pos, self._data = naming, pos, data

    def __getitem__(self, ref: str | int) -> float | None:
        if isinstance(ref, str):
            return self._data[self._naming.index[ref]]
        return self._data[self._pos[ref]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._naming.ids)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, ref: object) -> bool:
        return ref in self._naming.index if isinstance(ref, str) else ref in self._pos


@dataclass(frozen=True)
class Term:
    """One use of a node on the way to J: ``d<consumer> · ∂<consumer>/∂<node>``."""

    consumer: str
    slot: int
    consumer_grad: float | None
    #: The local partial as a person reads it (``c`` for ∂(b·c)/∂b) and as a number.
    partial_text: str
    partial: float | None
    product: float | None
    #: True when the consumer uses the node in more than one slot (``x*x``).
    repeated: bool = False

    def partial_symbol(self, node: str) -> str:
        """``∂u/∂b``, or ``∂u/∂x[2]`` for the second slot when u uses x twice."""
        mark = f"[{self.slot + 1}]" if self.repeated else ""
        return f"∂{self.consumer}/∂{node}{mark}"


class PlanResult:
    """What every result read off a plan shares: ids as they were, output, reasons."""

    def __init__(self, plan: Plan, values: list, errors: dict[int, str]) -> None:
        self._plan = plan
        self._naming = plan.naming  # the ids as they are now: later renames don't change them
        self._values = values
        self._errors = errors
        self.values: Mapping[str | int, float | None] = Column(self._naming, plan.pos, values)

    @property
    def output(self) -> str | None:
        """The id of the node differentiated (J), or None."""
        return None if self._plan.out is None else self._naming.ids[self._plan.out]

    @property
    def errors(self) -> dict[str, str]:
        """Why a value or a derivative is missing, by node id, in topological order."""
        names = self._naming.ids
        return {names[i]: message for i, message in sorted(self._errors.items())}

    def error(self, ref: str | int) -> str | None:
        """The reason this node's value or derivative is missing, or None."""
        return self._errors.get(self._position(ref))

    def id_of(self, key: int) -> str:
        """A node's id as it was when this was evaluated (later renames don't change it)."""
        return self._naming.ids[self._plan.pos[key]]

    def _position(self, ref: str | int) -> int:
        return self._naming.index[ref] if isinstance(ref, str) else self._plan.pos[ref]


class Evaluation(PlanResult):
    """Every node's value and derivative, the reasons for what is missing, and the chain rule."""

    def __init__(self, plan: Plan, values: list, grads: list, errors: dict[int, str]) -> None:
        super().__init__(plan, values, errors)
        self._grads = grads
        self.grads: Mapping[str | int, float | None] = Column(self._naming, plan.pos, grads)

    def by_position(self) -> tuple[Mapping[int, int], Sequence, Sequence]:
        """(each node key's position, the values, the derivatives by position): for a
        caller that reads every node at once, as the canvas does after each edit, with
        plain indexing in place of a lookup per number.  Copies and read-only views:
        nothing a caller does to them reaches this evaluation."""
        return MappingProxyType(self._plan.pos), tuple(self._values), tuple(self._grads)

    def op(self, ref: str | int) -> str:
        """The name of the node's op (``mul``, ``input``, ...)."""
        return self._plan.ops[self._position(ref)].name

    @property
    def order(self) -> list[str]:
        """Node ids in the backward order every view shares: J first (see Plan.backward_order)."""
        names = self._naming.ids
        return [names[i] for i in self._plan.backward_order()]

    @property
    def order_keys(self) -> list[int]:
        """The same order as ``order``, as stable node keys."""
        keys = self._plan.keys
        return [keys[i] for i in self._plan.backward_order()]

    def backward_keys(self, inline_constants: bool = True) -> tuple[int, ...]:
        """``order_keys``, with or without the inline constants, as one tuple shared by
        every evaluation of the same structure: a view compares it by identity, and a
        value edit on a big graph builds no new list."""
        return _facts(self._plan).backward_keys(self._plan, inline_constants)

    def is_inline_constant(self, ref: str | int) -> bool:
        """A constant with exactly one use (Plan.inline_constants): breakdowns write it
        as its number, ``dv = dJ · 3``."""
        return self._position(ref) in _facts(self._plan).inline

    @property
    def inline_constant_keys(self) -> frozenset[int]:
        """The keys of the inline constants, for ``text.formula(..., inline=...)``."""
        facts = _facts(self._plan)
        if facts.inline_keys is None:
            keys = self._plan.keys
            facts.inline_keys = frozenset(keys[i] for i in facts.inline)
        return facts.inline_keys

    # ------------------------------------------------------------- chain rule
    def partial(self, consumer: str | int, slot: int) -> float | None:
        """The local derivative ∂consumer/∂(operand in ``slot``) at the current values."""
        plan = self._plan
        c = self._position(consumer)
        operands = plan.args[c]
        if operands[slot] is None:
            return None
        xs = [None if a is None else self._values[a] for a in operands]
        y = self._values[c]
        if None in xs or y is None:
            return None
        try:
            value = plan.ops[c].dfns[slot](xs[0], xs[-1], y)
        except (ArithmeticError, ValueError):
            return None
        return value if math.isfinite(value) else None

    def terms(self, ref: str | int) -> list[Term]:
        """The chain-rule terms whose sum is dJ/dnode: one per use of the node on the way to J."""
        plan = self._plan
        names = self._naming.ids
        i = self._position(ref)
        if plan.out is None or i == plan.out:
            return []
        grads = self._grads
        inline = _facts(plan).inline
        terms = []
        for c, slot in plan.uses()[i]:
            if not plan.reach[c]:
                continue
            op, operands = plan.ops[c], plan.args[c]
            g = grads[c]
            partial = self.partial(plan.keys[c], slot)
            product = None if partial is None or g is None else g * partial
            terms.append(
                Term(
                    consumer=names[c],
                    slot=slot,
                    consumer_grad=g,
                    partial_text=op.partial_text(
                        slot, [self._operand_text(a, inline) for a in operands], names[c]
                    ),
                    partial=partial,
                    product=product,
                    repeated=operands.count(i) > 1,
                )
            )
        return terms

    # ------------------------------------------------------------------ paths
    def paths(self, ref: str | int, limit: int = 1000) -> list[Path] | None:
        """Every path from the node to the output, each with its local derivatives and
        their product, in the canonical order; None when there are more than ``limit``
        (see core/paths.py).  The products' sum is dJ/dnode."""
        from dvar.core import paths

        return paths.list_paths(self, self._plan, self._position(ref), limit)

    def count_paths(self, ref: str | int) -> int:
        """How many paths lead from the node to the output, counted without listing them."""
        from dvar.core import paths

        return paths.count_paths(self._plan, self._position(ref))

    def factored_paths(self, ref: str | int) -> list[Share]:
        """The sum over paths factored by shared suffix: one share per chain-rule term
        (``du · ∂u/∂b``), with the number of paths it stands for."""
        from dvar.core import paths

        return paths.factored(self, self._plan, self._position(ref))

    def edges_to_output(self, ref: str | int) -> frozenset[tuple[int, int]]:
        """Every edge, as (consumer key, slot), on some path from the node to the output."""
        from dvar.core import paths

        return paths.edges_to_output(self._plan, self._position(ref))

    def _operand_text(self, a: int | None, inline: frozenset[int]) -> str:
        """How a partial's text names an operand: its id, an inline constant's number
        (negative ones in brackets, ``x·(-2)``), or □ for an empty slot."""
        if a is None:
            return EMPTY_SLOT
        return _factor(self._values[a]) if a in inline else self._naming.ids[a]

    def breakdown(self, ref: str | int, notation: str = "d") -> str:
        """The derivative as the lecture writes it.

        ``db = du · ∂u/∂b = du · c = 3 · 2 = 6``: symbolic, then the local partials,
        then the numbers, then the result.  Several uses give a sum of terms.  An
        inline constant reads as its number: ``dv = dJ · ∂J/∂v = dJ · 3 = 1 · 3 = 3``.
        """
        return " = ".join(self.breakdown_steps(ref, notation))

    def breakdown_steps(self, ref: str | int, notation: str = "d") -> list[str]:
        """The breakdown's parts between its ``=`` signs: ``["db", "du · ∂u/∂b",
        "du · c", "3 · 2", "6"]``; one part when the derivative is undefined, 1
        (the output) or 0 (the output does not depend on the node)."""
        plan = self._plan
        i = self._position(ref)
        node = self._naming.ids[i]

        def d(name: str) -> str:
            return derivative_symbol(name, self.output, notation)

        grad = self._grads[i]
        if plan.out is None:
            return [f"{d(node)} is undefined: no output chosen"]
        if grad is None:
            return [f"{d(node)} is undefined: {self._errors.get(i, 'a value is missing')}"]
        if i == plan.out:
            return [d(node), "1"]
        terms = self.terms(plan.keys[i])
        if not terms:
            return [f"{d(node)} = 0   ({self.output} does not depend on {node})"]
        symbolic = " + ".join(f"{d(t.consumer)} · {t.partial_symbol(node)}" for t in terms)
        local = " + ".join(f"{d(t.consumer)} · {_group(t.partial_text)}" for t in terms)
        numbers = " + ".join(f"{_factor(t.consumer_grad)} · {_factor(t.partial)}" for t in terms)
        steps = [d(node), symbolic]
        if local != symbolic:
            steps.append(local)
        if numbers != local:
            steps.append(numbers)
        steps.append(format_number(grad))
        return _dedupe(steps)

    def to_json(self) -> dict:
        """``{"output", "values", "grads", "errors"}``, as ``dvar eval --json`` prints it."""
        names = self._naming.ids
        return {
            "output": self.output,
            "values": dict(zip(names, self._values, strict=True)),
            "grads": dict(zip(names, self._grads, strict=True)),
            "errors": self.errors,
        }


class _Facts:
    """What every evaluation of one plan shares: its inline constants, and the
    backward order with and without them."""

    __slots__ = ("inline", "inline_keys", "_keys")  # no reference to the plan: the cache's key

    def __init__(self, plan: Plan) -> None:
        self.inline = frozenset(plan.inline_constants())
        self.inline_keys: frozenset[int] | None = None
        self._keys: dict[bool, tuple[int, ...]] = {}

    def backward_keys(self, plan: Plan, inline_constants: bool) -> tuple[int, ...]:
        keys = self._keys.get(inline_constants)
        if keys is None:
            inline = () if inline_constants else self.inline
            keys = tuple(plan.keys[i] for i in plan.backward_order() if i not in inline)
            self._keys[inline_constants] = keys
        return keys


#: One _Facts per plan, for as long as the plan lives.
_FACTS: WeakKeyDictionary[Plan, _Facts] = WeakKeyDictionary()


def _facts(plan: Plan) -> _Facts:
    facts = _FACTS.get(plan)
    if facts is None:
        facts = _FACTS[plan] = _Facts(plan)
    return facts


def _group(text: str) -> str:
    """Parenthesise a partial's text when it is more than one factor."""
    if _is_bracket(text) or _is_number(text):
        return text
    return f"({text})" if any(ch in text for ch in " +-/·") else text


def _is_number(text: str) -> bool:
    """``3``, ``1e-07`` or ``(-2)``, as an inline constant's number reads: already a
    single factor (a partial of ``-1`` is grouped as before)."""
    return _NUMBER.fullmatch(text) is not None


_NUMBER = re.compile(r"\d[\d.]*(e[+-]?\d+)?|\(-\d[\d.]*(e[+-]?\d+)?\)")


def _is_bracket(text: str) -> bool:
    """``[x > 0]``: one Iverson bracket, already a single factor."""
    return text.startswith("[") and text.endswith("]") and text.count("[") == 1


def _factor(x: float | None) -> str:
    text = format_number(x)
    return f"({text})" if text.startswith("-") else text


def _dedupe(steps: list[str]) -> list[str]:
    kept: list[str] = []
    for step in steps:
        if not kept or kept[-1] != step:
            kept.append(step)
    return kept
