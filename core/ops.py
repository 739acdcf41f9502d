"""The operations table: every op dvar knows, declared once.

Each entry names the op, its operand count, the symbol shown on the canvas, the
forward expression, one partial derivative per operand slot, and the text of each
partial in terms of the operands' names.  Expressions are written over ``{0}``,
``{1}`` (the operands) and ``{y}`` (the op's own value).  The engine turns them
into small Python functions once, at import, and into straight-line code when it
compiles an evaluation plan, so the interpreter and the compiled plan can never
disagree.  The expressions are dvar's own text; nothing from a file or a user is
ever compiled here.

Adding an op means adding one ``Op(...)`` entry to ``_TABLE``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field


def _sigmoid(x: float) -> float:
    # Written so that neither branch can overflow.
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


#: Names the op expressions may use, for both the small functions and compiled plans.
NAMESPACE: dict[str, object] = {
    "exp": math.exp,
    "log": math.log,
    "sqrt": math.sqrt,
    "sin": math.sin,
    "cos": math.cos,
    "tanh": math.tanh,
    "fpow": math.pow,  # math.pow raises instead of returning a complex number
    "fabs": math.fabs,
    "sigmoid": _sigmoid,
    "__builtins__": {},
}


def _number(x: float) -> str:
    from core.numbers import format_number

    return format_number(x)


def _explain_div(x0: float, x1: float, names: list[str]) -> str | None:
    if x1 == 0.0:
        return f"division by zero: {names[1]} = 0"
    return None


def _explain_log(x0: float, names: list[str]) -> str | None:
    if x0 == 0.0:
        return f"log of zero: {names[0]} = 0"
    if x0 < 0.0:
        return f"log of a negative number: {names[0]} = {_number(x0)}"
    return None


def _explain_sqrt(x0: float, names: list[str]) -> str | None:
    if x0 < 0.0:
        return f"square root of a negative number: {names[0]} = {_number(x0)}"
    return None


def _explain_pow(x0: float, x1: float, names: list[str]) -> str | None:
    if x0 < 0.0 and not float(x1).is_integer():
        return (
            f"a negative base to a fractional power is not a real number: "
            f"({_number(x0)})^{_number(x1)}"
        )
    if x0 == 0.0 and x1 < 0.0:
        return f"zero to a negative power: 0^{_number(x1)}"
    return None


@dataclass(frozen=True)
class Op:
    """One operation: how to compute it and how to differentiate it, slot by slot."""

    name: str
    arity: int
    symbol: str
    title: str
    forward: str = ""
    partials: tuple[str, ...] = ()
    partial_texts: tuple[str, ...] = ()
    #: Explains, from the operand values, why the result is not a finite number.
    explain: Callable[..., str | None] | None = None
    #: Python callables built from ``forward`` and ``partials`` (see ``_build``).
    fn: Callable[..., float] = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    dfns: tuple[Callable[..., float], ...] = field(default=(), repr=False, compare=False)

    @property
    def is_leaf(self) -> bool:
        """True for ``input`` and ``const``: nodes that hold a value instead of computing one."""
        return self.arity == 0

    def forward_code(self, operands: list[str]) -> str:
        """The forward expression with the given variable names filled in."""
        return self.forward.format(*operands)

    def partial_code(self, slot: int, operands: list[str], out: str) -> str:
        """The partial for ``slot`` as an expression over the given variable names."""
        return self.partials[slot].format(*operands, y=out)

    def partial_text(self, slot: int, operand_names: list[str], out_name: str) -> str:
        """The partial for ``slot`` as a person reads it, e.g. ``c`` for ∂(b·c)/∂b."""
        return self.partial_texts[slot].format(*operand_names, y=out_name)

    def why_undefined(self, operands: list[float], names: list[str]) -> str:
        """A sentence saying why this op has no finite value for these operands."""
        if self.explain is not None:
            reason = self.explain(*operands, names)
            if reason:
                return reason
        shown = ", ".join(f"{n} = {_number(v)}" for n, v in zip(names, operands, strict=True))
        return f"{self.name} has no finite value here ({shown}): the result overflows"


def _build(op: Op) -> Op:
    """Turn an entry's expressions into functions taking (x0, x1) and (x0, x1, y).

    Every function takes two operands so the interpreter can call all ops alike.
    """
    if op.is_leaf:
        return op
    names = ["x0", "x1"]
    fn = eval(  # noqa: S307 - dvar's own op table, never user text
        f"lambda x0, x1=0.0: {op.forward_code(names)}", NAMESPACE
    )
    dfns = tuple(
        eval(  # noqa: S307 - as above
            f"lambda x0, x1, y: {op.partial_code(slot, names, 'y')}", NAMESPACE
        )
        for slot in range(op.arity)
    )
    object.__setattr__(op, "fn", fn)
    object.__setattr__(op, "dfns", dfns)
    return op


def _binary(name, symbol, title, forward, partials, texts, explain=None) -> Op:
    return Op(name, 2, symbol, title, forward, partials, texts, explain)


def _unary(name, symbol, title, forward, partial, text, explain=None) -> Op:
    return Op(name, 1, symbol, title, forward, (partial,), (text,), explain)


_TABLE: tuple[Op, ...] = (
    Op("input", 0, "", "Input: a value you set"),
    Op("const", 0, "", "Constant: a fixed number"),
    _binary("add", "+", "Add", "{0} + {1}", ("1.0", "1.0"), ("1", "1")),
    _binary("sub", "−", "Subtract", "{0} - {1}", ("1.0", "-1.0"), ("1", "-1")),
    _binary("mul", "×", "Multiply", "{0} * {1}", ("{1}", "{0}"), ("{1}", "{0}")),
    _binary(
        "div",
        "÷",
        "Divide",
        "{0} / {1}",
        ("1.0 / {1}", "-{0} / ({1} * {1})"),
        ("1/{1}", "-{0}/{1}²"),
        _explain_div,
    ),
    _binary(
        "pow",
        "^",
        "Power",
        "fpow({0}, {1})",
        ("{1} * fpow({0}, {1} - 1.0)", "{y} * log({0})"),
        ("{1}·{0}^({1}-1)", "{0}^{1}·ln {0}"),
        _explain_pow,
    ),
    _binary(
        "max",
        "max",
        "Maximum",
        "({0} if {0} >= {1} else {1})",
        (
            "(1.0 if {0} > {1} else 0.5 if {0} == {1} else 0.0)",
            "(1.0 if {1} > {0} else 0.5 if {0} == {1} else 0.0)",
        ),
        ("[{0} > {1}] + ½[{0} = {1}]", "[{1} > {0}] + ½[{0} = {1}]"),
    ),
    _binary(
        "min",
        "min",
        "Minimum",
        "({0} if {0} <= {1} else {1})",
        (
            "(1.0 if {0} < {1} else 0.5 if {0} == {1} else 0.0)",
            "(1.0 if {1} < {0} else 0.5 if {0} == {1} else 0.0)",
        ),
        ("[{0} < {1}] + ½[{0} = {1}]", "[{1} < {0}] + ½[{0} = {1}]"),
    ),
    _unary("neg", "−", "Negate", "-{0}", "-1.0", "-1"),
    _unary("exp", "exp", "Exponential", "exp({0})", "{y}", "exp({0})"),
    _unary("log", "ln", "Natural log", "log({0})", "1.0 / {0}", "1/{0}", _explain_log),
    _unary("sqrt", "√", "Square root", "sqrt({0})", "0.5 / {y}", "1/(2√{0})", _explain_sqrt),
    _unary("sin", "sin", "Sine", "sin({0})", "cos({0})", "cos({0})"),
    _unary("cos", "cos", "Cosine", "cos({0})", "-sin({0})", "-sin({0})"),
    _unary("tanh", "tanh", "Hyperbolic tangent", "tanh({0})", "1.0 - {y} * {y}", "1 - {y}²"),
    _unary("sigmoid", "σ", "Sigmoid", "sigmoid({0})", "{y} * (1.0 - {y})", "{y}·(1 - {y})"),
    _unary(
        "relu",
        "relu",
        "ReLU",
        "({0} if {0} > 0.0 else 0.0)",
        "(1.0 if {0} > 0.0 else 0.0)",
        "[{0} > 0]",
    ),
    _unary(
        "abs",
        "|x|",
        "Absolute value",
        "fabs({0})",
        "(1.0 if {0} > 0.0 else -1.0 if {0} < 0.0 else 0.0)",
        "sign({0})",
    ),
)

#: Every op by name, in palette order.
OPS: dict[str, Op] = {op.name: _build(op) for op in _TABLE}


def get_op(name: str) -> Op:
    """The op called ``name``; raises KeyError for an unknown name."""
    return OPS[name]
