"""The operations table: every op dvar knows, declared once.

Each entry names the op, its operand count, the symbol shown on the canvas, the
forward expression, one partial derivative per operand slot, and the text of each
partial in terms of the operands' names.  Expressions are written over ``{0}``,
``{1}`` (the operands) and ``{y}`` (the op's own value).  The engine turns them
into small Python functions once, at import, and into straight-line code when it
compiles an evaluation plan, so the interpreter and the compiled plan can never
disagree.  The expressions are dvar's own text; nothing from a file or a user is
ever compiled here.

Each entry also says how a node reads on the canvas (``template``), and how a
formula writes the op (``function``, ``operator``), and where the palette lists it
(``group``, ``description``).  Adding an op means adding one
``Op(...)`` entry to ``_TABLE``: the palette, formulas, files, ``dvar eval``, the
engine and Export as Python all read it from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from dvar.core import rules

#: Names the op expressions may use, for the small functions, compiled plans and
#: exported scripts alike.
NAMESPACE: dict[str, object] = {**rules.HELPERS, "__builtins__": {}}


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
    #: Why the result is not a finite number: (test, message) pairs, the test an
    #: expression over ``{0}``, ``{1}``, the message over ``{n0}``, ``{n1}`` (the
    #: operands' names) and ``{x0}``, ``{x1}`` (their values).  The first test
    #: that holds explains; with none, the result overflowed.
    domain_rules: tuple[tuple[str, str], ...] = ()
    #: How a node reads in its operands' names, as on the lecture's slide: ``{0}·{1}``.
    template: str = ""
    #: The name a formula calls it by (``exp(x)``, ``max(a, b)``), if any.
    function: str | None = None
    #: The Python operator a formula writes it with (``+``, ``**``), if any.
    operator: str | None = None
    #: The palette's heading it sits under; an op that does not say is a function.
    group: str = "Functions"
    #: One line for the palette saying what it does; the title stands in when empty.
    description: str = ""
    #: Python callables built from the expressions above (see ``_build``).
    fn: Callable[..., float] = field(default=None, repr=False, compare=False)  # type: ignore[assignment]
    dfns: tuple[Callable[..., float], ...] = field(default=(), repr=False, compare=False)
    domain: tuple[tuple[Callable[..., bool], str], ...] = field(
        default=(), repr=False, compare=False
    )

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
        return rules.why(self, operands, names)


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
    domain = tuple(
        (eval(f"lambda x0, x1=0.0: {test.format(*names)}", NAMESPACE), message)  # noqa: S307
        for test, message in op.domain_rules
    )
    object.__setattr__(op, "fn", fn)
    object.__setattr__(op, "dfns", dfns)
    object.__setattr__(op, "domain", domain)
    return op


def _binary(name, symbol, title, forward, partials, texts, domain=(), **names) -> Op:
    return Op(name, 2, symbol, title, forward, partials, texts, domain, **names)


def _unary(name, symbol, title, forward, partial, text, domain=(), **names) -> Op:
    return Op(name, 1, symbol, title, forward, (partial,), (text,), domain, **names)


_LOG_DOMAIN = (
    ("{0} == 0.0", "log of zero: {n0} = 0"),
    ("{0} < 0.0", "log of a negative number: {n0} = {x0}"),
)
_SQRT_DOMAIN = (("{0} < 0.0", "square root of a negative number: {n0} = {x0}"),)

_TABLE: tuple[Op, ...] = (
    Op("input", 0, "", "Input: a value you set", group="Values", description="A value you set"),
    Op("const", 0, "", "Constant: a fixed number", group="Values", description="A fixed number"),
    _binary(
        "add",
        "+",
        "Add",
        "{0} + {1}",
        ("1.0", "1.0"),
        ("1", "1"),
        template="{0} + {1}",
        operator="+",
        group="Arithmetic",
        description="Sum of two values",
    ),
    _binary(
        "sub",
        "−",
        "Subtract",
        "{0} - {1}",
        ("1.0", "-1.0"),
        ("1", "-1"),
        template="{0} − {1}",
        operator="-",
        group="Arithmetic",
        description="First value minus the second",
    ),
    _binary(
        "mul",
        "×",
        "Multiply",
        "{0} * {1}",
        ("{1}", "{0}"),
        ("{1}", "{0}"),
        template="{0}·{1}",
        operator="*",
        group="Arithmetic",
        description="Product of two values",
    ),
    _binary(
        "div",
        "÷",
        "Divide",
        "{0} / {1}",
        # -(x0/x1)/x1 keeps the range that x1*x1 would lose (1e-200 squared is 0).
        ("1.0 / {1}", "-({0} / {1}) / {1}"),
        ("1/{1}", "-{0}/{1}²"),
        (("{1} == 0.0", "division by zero: {n1} = 0"),),
        template="{0} / {1}",
        operator="/",
        group="Arithmetic",
        description="First value over the second",
    ),
    _binary(
        "pow",
        "^",
        "Power",
        "fpow({0}, {1})",
        # At the edges, the conventions PyTorch follows too: x^0 is flat in x for
        # every x, and at x = 0 with y >= 0, x^y is flat in y (0^y = 0 for y > 0).
        (
            "(0.0 if {1} == 0.0 else {1} * fpow({0}, {1} - 1.0))",
            "(0.0 if {0} == 0.0 and {1} >= 0.0 else {y} * log({0}))",
        ),
        ("{1}·{0}^({1}-1)", "{0}^{1}·ln {0}"),
        (
            (
                "{0} < 0.0 and {1} % 1.0 != 0.0",
                "a negative base to a fractional power is not a real number: ({x0})^{x1}",
            ),
            ("{0} == 0.0 and {1} < 0.0", "zero to a negative power: 0^{x1}"),
        ),
        template="{0}^{1}",
        function="pow",
        operator="**",
        group="Arithmetic",
        description="Base raised to a power",
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
        template="max({0}, {1})",
        function="max",
        group="Functions",
        description="The larger of two values",
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
        template="min({0}, {1})",
        function="min",
        group="Functions",
        description="The smaller of two values",
    ),
    _unary(
        "neg",
        "−",
        "Negate",
        "-{0}",
        "-1.0",
        "-1",
        template="−{0}",
        function="neg",
        group="Arithmetic",
        description="Flips the sign",
    ),
    _unary(
        "exp",
        "exp",
        "Exponential",
        "exp({0})",
        "{y}",
        "exp({0})",
        template="exp({0})",
        function="exp",
        group="Functions",
        description="e raised to the value",
    ),
    _unary(
        "log",
        "ln",
        "Natural log",
        "log({0})",
        "1.0 / {0}",
        "1/{0}",
        _LOG_DOMAIN,
        template="ln({0})",
        function="log",
        group="Functions",
        description="Natural logarithm, base e",
    ),
    _unary(
        "sqrt",
        "√",
        "Square root",
        "sqrt({0})",
        "0.5 / {y}",
        "1/(2√{0})",
        _SQRT_DOMAIN,
        template="√{0}",
        function="sqrt",
        group="Functions",
        description="Square root",
    ),
    _unary(
        "sin",
        "sin",
        "Sine",
        "sin({0})",
        "cos({0})",
        "cos({0})",
        template="sin({0})",
        function="sin",
        group="Functions",
        description="Sine, in radians",
    ),
    _unary(
        "cos",
        "cos",
        "Cosine",
        "cos({0})",
        "-sin({0})",
        "-sin({0})",
        template="cos({0})",
        function="cos",
        group="Functions",
        description="Cosine, in radians",
    ),
    _unary(
        "tanh",
        "tanh",
        "Hyperbolic tangent",
        "tanh({0})",
        "1.0 - {y} * {y}",
        "1 - {y}²",
        template="tanh({0})",
        function="tanh",
        group="Activations",
        description="Squashes into (−1, 1)",
    ),
    _unary(
        "sigmoid",
        "σ",
        "Sigmoid",
        "sigmoid({0})",
        "{y} * (1.0 - {y})",
        "{y}·(1 - {y})",
        template="σ({0})",
        function="sigmoid",
        group="Activations",
        description="Squashes into (0, 1)",
    ),
    _unary(
        "relu",
        "relu",
        "ReLU",
        "({0} if {0} > 0.0 else 0.0)",
        "(1.0 if {0} > 0.0 else 0.0)",
        "[{0} > 0]",
        template="relu({0})",
        function="relu",
        group="Activations",
        description="Zero below zero, else the value",
    ),
    _unary(
        "abs",
        "|x|",
        "Absolute value",
        "fabs({0})",
        "(1.0 if {0} > 0.0 else -1.0 if {0} < 0.0 else 0.0)",
        "sign({0})",
        template="|{0}|",
        function="abs",
        group="Functions",
        description="Distance from zero",
    ),
)

#: Every op by name, in palette order.
OPS: dict[str, Op] = {op.name: _build(op) for op in _TABLE}


def get_op(name: str) -> Op:
    """The op called ``name``; raises KeyError for an unknown name."""
    return OPS[name]


def register(op: Op) -> Op:
    """Add an op to the table (a plug-in, or a test's throwaway op) and return it built.

    Everything else reads the table when it needs it: the palette, formulas, files,
    the engine and the exported script all know the op from here on.
    """
    if op.name in OPS:
        raise ValueError(f"there is already an op called {op.name!r}")
    OPS[op.name] = _build(op)
    return OPS[op.name]


def unregister(name: str) -> None:
    """Remove an op that :func:`register` added."""
    if name in {op.name for op in _TABLE}:
        raise ValueError(f"{name!r} is one of dvar's own ops")
    del OPS[name]


def by_function(name: str) -> Op | None:
    """The op a formula calls ``name`` (``exp``, ``max``), or None."""
    return next((op for op in OPS.values() if op.function == name), None)


def by_operator(text: str) -> Op | None:
    """The op a formula writes with the Python operator ``text`` (``+``, ``**``), or None."""
    return next((op for op in OPS.values() if op.operator == text), None)
