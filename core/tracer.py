"""``dvar.Value``: write Python, get a dvar graph.

A :class:`Value` is a number that remembers how it was made, as in micrograd::

    from dvar import Value
    a, b, c = Value(5, "a"), Value(3, "b"), Value(2, "c")
    J = 3 * (a + b * c)
    J.data          # 33.0
    J.backward()    # evaluates J's graph with dvar's engine
    a.grad, b.grad  # 3.0, 6.0
    J.graph()       # a core.Graph whose output is J

Every op of the table in :mod:`dvar.core.ops` is reachable: ``+ - * / **``,
unary minus, ``abs()``, the functions of this module (``exp`` ... ``min``),
micrograd-style methods (``x.tanh()``), and :func:`apply` for any op by name.
A plain number on either side of an operator becomes a constant node.

Values are computed as they are made, with the op table's own functions, so
``.data`` is exactly what ``core.evaluate`` gives for that node.  Nothing raises
for a domain error: ``log`` of a negative number is a Value whose ``.data`` is
**None**, as the engine's evaluation has None there; ``.error`` says why, and so
do ``evaluate(y.graph()).errors``.  Consumers of a missing value are missing too.

Names: a Value made with a name keeps it as its node's id (or as its label when
it is not a valid id).  :func:`dvar.trace` names the others after the local
variables they were assigned to; whatever is left gets a name by the rule of
:mod:`dvar.core.names` (inputs ``x``, constants ``k``, steps after their
expression, ``bc``, or ``t1``), and an unnamed output is ``J``.
"""

from __future__ import annotations

import itertools
import math
from operator import attrgetter
from typing import TYPE_CHECKING

from dvar.core import names
from dvar.core.bulk import Namer, assemble, is_valid_id, lay_out
from dvar.core.engine import evaluate
from dvar.core.graph import Graph
from dvar.core.node import check_value
from dvar.core.ops import OPS, Op
from dvar.core.rules import FAILURES

if TYPE_CHECKING:
    from dvar.core.evaluation import Evaluation

__all__ = [
    "Value",
    "abs",
    "apply",
    "cos",
    "exp",
    "log",
    "max",
    "min",
    "relu",
    "sigmoid",
    "sin",
    "sqrt",
    "tanh",
]

_INPUT = OPS["input"]
_CONST = OPS["const"]
_isfinite = math.isfinite
_sequence = itertools.count()
_by_sequence = attrgetter("_seq")

#: While :func:`dvar.trace` runs: the stack of the calls it watches, innermost last,
#: each ``[frame, call id, first sequence number]`` (see ``core/tracing.py``).
_calls: list[list] | None = None


class Value:
    """A number and how it was made: an input, a constant, or an op of other Values."""

    __slots__ = ("data", "grad", "name", "_op", "_args", "_seq", "_call", "__weakref__")

    def __init__(self, data: float, name: str | None = None) -> None:
        """An input node with value ``data``, called ``name`` (or a generated name)."""
        if name is not None and not isinstance(name, str):
            raise TypeError(f"a Value's name must be text, not {type(name).__name__}")
        self.data: float | None = check_value(data, f"the value of {name or 'a Value'}")
        #: dJ/dthis after ``J.backward()`` (None where the derivative is undefined).
        self.grad: float | None = 0.0
        self.name = name
        self._op: Op = _INPUT
        self._args: tuple[Value, ...] = ()
        self._seq = next(_sequence)
        self._call = _current_call()

    # -------------------------------------------------------------- reading
    @property
    def op(self) -> str:
        """The name of the op that made this Value: ``input``, ``const``, ``mul``, ..."""
        return self._op.name

    @property
    def operands(self) -> tuple[Value, ...]:
        """The Values this one was computed from, slot by slot."""
        return self._args

    @property
    def error(self) -> str | None:
        """Why ``.data`` is None (``log of a negative number: x = -1``), else None."""
        if self.data is not None:
            return None
        graph, values = build(self, layout=False)
        return evaluate(graph, compile=False).error(len(values) - 1)

    def __repr__(self) -> str:
        shown = f", name={self.name!r}" if self.name else ""
        return f"Value(data={self.data}, grad={self.grad}{shown})"

    # ----------------------------------------------------------- the graph
    def graph(self) -> Graph:
        """A new ``core.Graph`` of this Value and everything it depends on, its output
        this Value, laid out when it has at most ``core.bulk.LAYOUT_LIMIT`` nodes."""
        return build(self)[0]

    def backward(self) -> Evaluation:
        """Evaluate this Value's graph with dvar's engine, and set ``.grad`` (dthis/dv)
        on every Value v it depends on, this one included (1).  Returns the evaluation,
        whose ``errors`` say why a value or a derivative is missing."""
        graph, values = build(self, layout=False)
        ev = evaluate(graph, compile=False)
        grads = ev.grads
        for key, v in enumerate(values):
            v.grad = grads[key]
        return ev

    def _repr_svg_(self) -> str | None:
        from dvar.core.display import svg

        return svg(self.graph())

    # ------------------------------------------------------------ operators
    def __add__(self, other):
        return _binary("add", self, other)

    def __radd__(self, other):
        return _binary("add", other, self)

    def __sub__(self, other):
        return _binary("sub", self, other)

    def __rsub__(self, other):
        return _binary("sub", other, self)

    def __mul__(self, other):
        return _binary("mul", self, other)

    def __rmul__(self, other):
        return _binary("mul", other, self)

    def __truediv__(self, other):
        return _binary("div", self, other)

    def __rtruediv__(self, other):
        return _binary("div", other, self)

    def __pow__(self, other):
        return _binary("pow", self, other)

    def __rpow__(self, other):
        return _binary("pow", other, self)

    def __neg__(self) -> Value:
        return _make(OPS["neg"], (self,))

    def __pos__(self) -> Value:
        return self

    def __abs__(self) -> Value:
        return _make(OPS["abs"], (self,))

    # ------------------------------------------------ micrograd-style methods
    def exp(self) -> Value:
        return _make(OPS["exp"], (self,))

    def log(self) -> Value:
        return _make(OPS["log"], (self,))

    def sqrt(self) -> Value:
        return _make(OPS["sqrt"], (self,))

    def sin(self) -> Value:
        return _make(OPS["sin"], (self,))

    def cos(self) -> Value:
        return _make(OPS["cos"], (self,))

    def tanh(self) -> Value:
        return _make(OPS["tanh"], (self,))

    def sigmoid(self) -> Value:
        return _make(OPS["sigmoid"], (self,))

    def relu(self) -> Value:
        return _make(OPS["relu"], (self,))


# -------------------------------------------------------------- functions
def apply(op: str, *operands: Value | float) -> Value:
    """The Value of op ``op`` (a name from ``core.OPS``) on ``operands``; numbers become
    constants.  Every op of the table, including ones a plug-in registers."""
    spec = OPS.get(op) if isinstance(op, str) else None
    if spec is None or spec.is_leaf:
        known = ", ".join(name for name, o in OPS.items() if not o.is_leaf)
        raise ValueError(f"{op!r} is not an op a Value can apply; known: {known}")
    if len(operands) != spec.arity:
        raise TypeError(f"{op} takes {spec.arity} operand{'s' * (spec.arity != 1)}")
    return _make(spec, tuple(_as_value(x) for x in operands))


def exp(x: Value | float) -> Value:
    """e to the x."""
    return apply("exp", x)


def log(x: Value | float) -> Value:
    """The natural logarithm; no value (None) at x <= 0, with the reason."""
    return apply("log", x)


def sqrt(x: Value | float) -> Value:
    """The square root; no value (None) below zero."""
    return apply("sqrt", x)


def sin(x: Value | float) -> Value:
    """Sine, in radians."""
    return apply("sin", x)


def cos(x: Value | float) -> Value:
    """Cosine, in radians."""
    return apply("cos", x)


def tanh(x: Value | float) -> Value:
    """Hyperbolic tangent."""
    return apply("tanh", x)


def sigmoid(x: Value | float) -> Value:
    """1 / (1 + e^-x)."""
    return apply("sigmoid", x)


def relu(x: Value | float) -> Value:
    """x above zero, else 0."""
    return apply("relu", x)


def abs(x: Value | float) -> Value:  # noqa: A001 - dvar.abs, as abs() on a Value
    """|x|."""
    return apply("abs", x)


def max(a: Value | float, b: Value | float) -> Value:  # noqa: A001 - dvar.max
    """The larger of a and b (each gets half the derivative at a tie)."""
    return apply("max", a, b)


def min(a: Value | float, b: Value | float) -> Value:  # noqa: A001 - dvar.min
    """The smaller of a and b."""
    return apply("min", a, b)


# --------------------------------------------------------------- making
def _as_value(x: object) -> Value:
    if isinstance(x, Value):
        return x
    if isinstance(x, bool) or not isinstance(x, int | float):
        raise TypeError(f"a Value works with Values and numbers, not {type(x).__name__}")
    v = Value.__new__(Value)
    v.data = check_value(x, "a constant")
    v.grad = 0.0
    v.name = None
    v._op = _CONST
    v._args = ()
    v._seq = next(_sequence)
    v._call = _current_call()
    return v


def _binary(op: str, a: object, b: object):
    if not isinstance(a, Value | int | float) or not isinstance(b, Value | int | float):
        return NotImplemented
    return _make(OPS[op], (_as_value(a), _as_value(b)))


def _make(op: Op, args: tuple[Value, ...]) -> Value:
    v = Value.__new__(Value)
    xs = [a.data for a in args]
    if None in xs:
        v.data = None
    else:
        try:
            y = op.fn(*xs)
        except FAILURES:
            y = math.nan
        v.data = y if _isfinite(y) else None
    v.grad = 0.0
    v.name = None
    v._op = op
    v._args = args
    v._seq = next(_sequence)
    v._call = _current_call()
    return v


def _current_call() -> int:
    calls = _calls
    return calls[-1][1] if calls else -1


# -------------------------------------------------------------- building
def ancestors(y: Value) -> list[Value]:
    """``y`` and every Value it depends on, in the order they were made (operands first)."""
    seen = {y}
    stack = [y]
    while stack:
        for a in stack.pop()._args:
            if a not in seen:
                seen.add(a)
                stack.append(a)
    return sorted(seen, key=_by_sequence)


def build(
    y: Value, names_of: dict[Value, str] | None = None, layout: bool = True
) -> tuple[Graph, list[Value]]:
    """The graph of ``y``, and the Values by node key (key i is ``values[i]``; ``y`` last).

    ``names_of`` proposes ids for Values made without a name (the tracer's local
    variable names).  ``layout`` places the nodes (up to ``core.bulk.LAYOUT_LIMIT``).
    """
    if not isinstance(y, Value):
        raise TypeError(f"expected a dvar.Value, not {type(y).__name__}")
    values = ancestors(y)
    pos = {v: i for i, v in enumerate(values)}
    ids, labels = _ids(values, pos, names_of or {})
    graph = assemble(
        [v._op for v in values],
        ids,
        [v.data if not v._args else None for v in values],
        [[pos[a] for a in v._args] for v in values],
        labels,
        len(values) - 1,
    )
    if layout:
        lay_out(graph)
    return graph, values


def _ids(
    values: list[Value], pos: dict[Value, int], names_of: dict[Value, str]
) -> tuple[list[str], list[str | None]]:
    """An id for every Value (and a label where its name cannot be an id).

    Names given to Values come first, in the order the Values were made
    (``x``, ``x_2`` if two share one); an unnamed output is ``J``; then every other
    Value is named by the rule of :mod:`dvar.core.names`."""
    n = len(values)
    namer = Namer()
    ids: list[str | None] = [None] * n
    labels: list[str | None] = [None] * n
    for i, v in enumerate(values):
        wanted = v.name if v.name is not None else names_of.get(v)
        if wanted is None:
            continue
        if is_valid_id(wanted):
            ids[i] = namer.unique(wanted)
        else:
            labels[i] = wanted
    if ids[-1] is None and labels[-1] is None:
        ids[-1] = namer.unique("J")
    pieces: list[names.Piece] = [names.Piece(None)] * n
    for i, v in enumerate(values):
        op = v._op
        node_id = ids[i]
        if node_id is not None:
            pieces[i] = names.node_piece(node_id)
            continue
        if op is _INPUT:
            ids[i] = namer.unique(names.INPUT_STEM)
            pieces[i] = names.node_piece(ids[i])
        elif op is _CONST:
            ids[i] = namer.unique(names.CONSTANT_STEM)
            pieces[i] = names.number_piece(v.data)
        else:
            piece = names.combine(op, [pieces[pos[a]] for a in v._args])
            readable = names.expression_name(piece)
            if readable is None:
                ids[i] = namer.step(names.STEP_STEM)
            else:
                ids[i] = namer.unique(readable)
                pieces[i] = piece if ids[i] == readable else names.Piece(ids[i])
    return ids, labels  # type: ignore[return-value]
