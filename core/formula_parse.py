"""Reading a formula: the checked walk over Python's ast, and the parsed form it gives.

:func:`parse_formula` turns text into a :class:`Formula` (lines of :class:`Definition`
and :class:`ValueLine`, expressions of :class:`Num`, :class:`Ref` and :class:`Apply`)
or raises a :class:`FormulaError` at the first problem.  The language itself, what a
formula may contain, is described in :mod:`dvar.core.formula`, the public face, which
also builds graphs from parsed formulas.  Nothing is ever evaluated, compiled or
executed: every syntax node is checked against a whitelist.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from dvar.core.graph import Graph, GraphError
from dvar.core.ops import OPS, by_operator


class _Functions(Mapping):
    """Functions a formula may call, with the op each becomes and its operand count,
    read from the op table (``Op.function``) whenever it is asked."""

    def _table(self) -> dict[str, tuple[str, int]]:
        return {op.function: (op.name, op.arity) for op in OPS.values() if op.function}

    def __getitem__(self, name: str) -> tuple[str, int]:
        return self._table()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return len(self._table())


FUNCTIONS: Mapping[str, tuple[str, int]] = _Functions()

#: The longest formula text accepted, in characters.
MAX_LENGTH = 1_000_000

#: How Python writes each binary operator; the op table says which ones are ops.
_OPERATOR_TEXT: dict[type[ast.operator], str] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.BitAnd: "&",
}
_REFUSED: dict[type[ast.AST], str] = {
    ast.Attribute: "attribute access is not allowed",
    ast.Subscript: "subscripts (indexing with [ ]) are not allowed",
    ast.Compare: "comparisons are not allowed",
    ast.BoolOp: "'and' and 'or' are not allowed",
    ast.IfExp: "conditional expressions (if ... else) are not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.NamedExpr: "':=' is not allowed",
    ast.Starred: "starred arguments (*x) are not allowed",
    ast.Tuple: "tuples are not allowed: one expression per line",
    ast.List: "lists are not allowed",
    ast.Set: "sets are not allowed",
    ast.Dict: "dictionaries are not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "generator expressions are not allowed",
    ast.JoinedStr: "text (strings) is not allowed, only numbers",
    ast.Await: "'await' is not allowed",
    ast.Yield: "'yield' is not allowed",
    ast.YieldFrom: "'yield' is not allowed",
    ast.Slice: "slices are not allowed",
}


class FormulaError(GraphError):
    """A formula dvar cannot build, with the 1-based ``line`` and ``column`` at fault.

    ``str(error)`` reads ``line 2, column 5: attribute access is not allowed``.
    ``line`` and ``column`` are None for a problem with no place in the text
    (an empty formula, or a value given for a name the formula does not have).
    ``message`` is the description alone.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        self.message = message
        self.line = line
        self.column = column
        where = "" if line is None else f"line {line}, column {column or 1}: "
        super().__init__(where + message)


# ------------------------------------------------------------ parsed formula
@dataclass(frozen=True, slots=True)
class Num:
    """A number in an expression."""

    value: float
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Ref:
    """A name in an expression: an input, or the target of another line."""

    name: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Apply:
    """An operation (an op name from :data:`core.OPS`) applied to its operands, in slot order."""

    op: str
    args: tuple[Expr, ...]
    line: int
    column: int


Expr = Num | Ref | Apply


@dataclass(frozen=True, slots=True)
class Definition:
    """One line ``name = expression``.  ``implicit`` is True for a bare last expression,
    whose name dvar chose."""

    name: str
    expr: Apply
    line: int
    column: int
    implicit: bool = False


@dataclass(frozen=True, slots=True)
class ValueLine:
    """One line ``name = number``: the value of the input ``name``."""

    name: str
    value: float
    line: int
    column: int


@dataclass(frozen=True)
class Formula:
    """A checked formula, ready to build.  Produced by :func:`parse_formula`."""

    text: str
    #: The ``name = expression`` lines, in text order.
    definitions: tuple[Definition, ...]
    #: The ``name = number`` lines, in text order.
    value_lines: tuple[ValueLine, ...]
    #: Names that no expression line assigns (value-line names included), by first appearance.
    inputs: tuple[str, ...]
    #: The name of the output (J).
    output: str
    #: Things worth saying that do not stop the build (a line nobody uses, ...).
    warnings: tuple[str, ...] = ()
    #: The definitions with every line after the lines it uses.
    order: tuple[Definition, ...] = field(default=(), repr=False)

    @property
    def values(self) -> dict[str, float]:
        """The values the formula gives its inputs, from its value lines."""
        return {v.name: v.value for v in self.value_lines}

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the formula uses: its inputs, then the targets of its lines."""
        return self.inputs + tuple(d.name for d in self.definitions)


# ------------------------------------------------------------------- parsing
def parse_formula(text: str) -> Formula:
    """Parse and check a formula; raise :class:`FormulaError` at the first problem.

    Nothing in ``text`` is evaluated.  See the module docstring for what a formula
    may contain.
    """
    if not isinstance(text, str):
        raise FormulaError(f"a formula must be text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula is longer than {MAX_LENGTH:,} characters")
    source = _Source(text)
    module = source.parse()
    statements = module.body
    if not statements:
        raise FormulaError("the formula is empty: write for example J = 3*(a + b*c)", 1, 1)

    definitions: list[Definition] = []
    value_lines: list[ValueLine] = []
    defined_at: dict[str, tuple[int, int]] = {}
    refs: list[Ref] = []
    implicit: ast.expr | None = None
    for index, statement in enumerate(statements):
        if isinstance(statement, ast.Expr) and index == len(statements) - 1:
            implicit = statement.value
            continue
        target, value = _assignment(statement, source)
        line, column = source.position(target)
        name = target.id
        if name in defined_at:
            first = defined_at[name][0]
            raise FormulaError(f"{name} is already defined on line {first}", line, column)
        defined_at[name] = (line, column)
        expr, used = _convert(value, source)
        if isinstance(expr, Num):
            value_lines.append(ValueLine(name, expr.value, line, column))
        elif isinstance(expr, Ref):
            raise FormulaError(
                f"{name} = {expr.name} only renames {expr.name}: use {expr.name} "
                f"directly, or give {name} an expression",
                *source.position(value),
            )
        else:
            definitions.append(Definition(name, expr, line, column))
            refs += used

    if implicit is not None:
        expr, used = _convert(implicit, source)
        line, column = source.position(implicit)
        if not isinstance(expr, Apply):
            raise FormulaError(
                "the last line is only "
                + (f"the name {expr.name}" if isinstance(expr, Ref) else "a number")
                + ": write an expression, e.g. J = 3*(a + b*c)",
                line,
                column,
            )
        taken = set(defined_at) | {r.name for r in refs} | {r.name for r in used}
        name = free_name("J", taken)
        definitions.append(Definition(name, expr, line, column, implicit=True))
        refs += used

    if not definitions:
        first = value_lines[0]
        raise FormulaError(
            f"{first.name} = {_show(first.value)} only sets a value: the formula needs a line "
            "that computes something, e.g. J = 3*(a + b*c)",
            first.line,
            first.column,
        )

    by_name = {d.name: d for d in definitions}
    order = dependency_order(definitions, by_name)

    inputs: dict[str, tuple[int, int]] = {}
    for ref in refs:
        if ref.name not in by_name:
            where = (ref.line, ref.column)
            inputs[ref.name] = min(inputs.get(ref.name, where), where)
    for value_line in value_lines:
        where = (value_line.line, value_line.column)
        inputs[value_line.name] = min(inputs.get(value_line.name, where), where)
    input_names = tuple(sorted(inputs, key=inputs.__getitem__))

    used_names = {r.name for r in refs}
    sinks = [d for d in definitions if d.name not in used_names]
    output = sinks[-1].name
    warnings = [f"{d.name} (line {d.line}) is not used by the output {output}" for d in sinks[:-1]]
    warnings += [
        f"{v.name} = {_show(v.value)} (line {v.line}) is not used by any other line"
        for v in value_lines
        if v.name not in used_names
    ]
    return Formula(
        text,
        tuple(definitions),
        tuple(value_lines),
        input_names,
        output,
        tuple(warnings),
        order,
    )


class _Source:
    """The formula text, and the conversion of ast positions into 1-based characters.

    Leading whitespace on each line is removed before parsing (indentation means
    nothing in a formula), and added back to the columns reported.
    """

    def __init__(self, text: str) -> None:
        lines = re.split(r"\r\n|\r|\n", text)
        self.indent: list[int] = []
        self.lines: list[str] = []
        for raw in lines:
            stripped = raw.lstrip(" \t\f")
            self.indent.append(len(raw) - len(stripped))
            self.lines.append(stripped)
        self.text = "\n".join(self.lines)

    def parse(self) -> ast.Module:
        if "\0" in self.text:
            line = self.text.count("\n", 0, self.text.index("\0"))
            column = self.lines[line].index("\0")
            raise FormulaError(
                "a formula cannot contain a NUL character", line + 1, column + 1 + self.indent[line]
            )
        try:
            return ast.parse(self.text, "<formula>", "exec")
        except SyntaxError as error:
            line = min(max(error.lineno or 1, 1), len(self.lines))
            column = max(error.offset or 1, 1) + self.indent[line - 1]
            message = error.msg or "invalid syntax"
            if isinstance(error, IndentationError) or "indent" in message:
                message = f"{message}: each line is one assignment, name = expression"
            raise FormulaError(message, line, column) from None
        except (RecursionError, MemoryError):
            raise FormulaError(
                "the formula is nested too deeply: split it into several lines", 1, 1
            ) from None
        except ValueError as error:  # e.g. a source the parser cannot decode
            raise FormulaError(f"cannot read the formula: {error}", 1, 1) from None

    def position(self, node: ast.AST) -> tuple[int, int]:
        """1-based line and character column of a node's start."""
        return self.point(node.lineno, node.col_offset)  # type: ignore[attr-defined]

    def point(self, line: int, byte_offset: int) -> tuple[int, int]:
        """1-based line and character column for ast's line and UTF-8 byte offset."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        characters = len(text.encode("utf-8")[:byte_offset].decode("utf-8", "replace"))
        indent = self.indent[line - 1] if 0 < line <= len(self.indent) else 0
        return line, characters + 1 + indent

    def operator_position(self, node: ast.BinOp, symbol: str) -> tuple[int, int]:
        """Where ``symbol`` (the operator of ``node``) sits, between its operands."""
        start_line = node.left.end_lineno or node.lineno
        end_line = node.right.lineno
        start = node.left.end_col_offset or 0
        for number in range(start_line, end_line + 1):
            raw = self.lines[number - 1].encode("utf-8")
            chunk = raw[start if number == start_line else 0 :]
            if number == end_line:
                chunk = chunk[: node.right.col_offset - (start if number == start_line else 0)]
            code = chunk.split(b"#", 1)[0]
            found = code.find(symbol.encode())
            if found >= 0:
                return self.point(number, found + (start if number == start_line else 0))
        return self.position(node)


def _assignment(statement: ast.stmt, source: _Source) -> tuple[ast.Name, ast.expr]:
    """The target and value of a ``name = expression`` line; FormulaError for anything else."""
    where = source.position(statement)
    if isinstance(statement, ast.Assign):
        if len(statement.targets) > 1:
            raise FormulaError(
                "assign one name per line (a = b = ... is not allowed)",
                *source.position(statement.targets[1]),
            )
        target = statement.targets[0]
        if isinstance(target, ast.Name):
            return target, statement.value
        if isinstance(target, ast.Tuple | ast.List):
            raise FormulaError("assign one name per line (a, b = ... is not allowed)", *where)
        message = _REFUSED.get(type(target), "the left side must be a name")
        raise FormulaError(message, *source.position(target))
    if isinstance(statement, ast.AugAssign):
        raise FormulaError(
            "'+=' and the like are not allowed: each name is defined once, name = expression",
            *where,
        )
    if isinstance(statement, ast.AnnAssign):
        raise FormulaError("annotations (name: ...) are not allowed", *where)
    if isinstance(statement, ast.Expr):  # not the last line: the caller takes that one
        raise FormulaError(
            "this line computes a value but gives it no name: write name = expression "
            "(only the last line may be a bare expression)",
            *where,
        )
    if isinstance(statement, ast.Import | ast.ImportFrom):
        raise FormulaError("import is not allowed", *where)
    raise FormulaError("only assignments (name = expression) are allowed in a formula", *where)


def _convert(root: ast.expr, source: _Source) -> tuple[Expr, list[Ref]]:
    """Check an expression against the whitelist and turn it into Num/Ref/Apply.

    Iterative (a formula may be long).  Returns the expression and every name it uses.
    """
    refs: list[Ref] = []
    results: list[Expr] = []
    stack: list[tuple[ast.expr, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            results.append(_combine(node, results, source))
            continue
        children = _children(node, source)
        if children is None:  # a leaf
            leaf = _leaf(node, source)
            if isinstance(leaf, Ref):
                refs.append(leaf)
            results.append(leaf)
            continue
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(children))
    return results[0], refs


def _children(node: ast.expr, source: _Source) -> list[ast.expr] | None:
    """The operands of an allowed operation (None for a leaf); FormulaError if not allowed."""
    if isinstance(node, ast.BinOp):
        kind = type(node.op)
        if by_operator(_OPERATOR_TEXT.get(kind, "")) is None:
            symbol = _OPERATOR_TEXT.get(kind, "this operator")
            where = source.operator_position(node, symbol)
            if kind is ast.BitXor:
                raise FormulaError("^ is not a power in Python: write a ** b", *where)
            raise FormulaError(f"the operator {symbol} is not supported: use + - * / **", *where)
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        if isinstance(node.op, ast.USub | ast.UAdd):
            return [node.operand]
        word = "not" if isinstance(node.op, ast.Not) else "~"
        raise FormulaError(f"'{word}' is not allowed", *source.position(node))
    if isinstance(node, ast.Call):
        func = node.func
        if not isinstance(func, ast.Name):
            message = _REFUSED.get(
                type(func), "only named functions can be called, such as exp(x) or max(a, b)"
            )
            raise FormulaError(message, *source.position(func))
        spec = FUNCTIONS.get(func.id)
        if spec is None:
            raise FormulaError(
                f"unknown function {func.id}: the functions are {', '.join(FUNCTIONS)}",
                *source.position(func),
            )
        if node.keywords:
            raise FormulaError(
                "keyword arguments are not allowed", *source.position(node.keywords[0])
            )
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise FormulaError(_REFUSED[ast.Starred], *source.position(arg))
        _, arity = spec
        if len(node.args) != arity:
            wanted = "1 argument" if arity == 1 else f"{arity} arguments"
            raise FormulaError(
                f"{func.id} takes {wanted}, not {len(node.args)}", *source.position(node)
            )
        return list(node.args)
    if isinstance(node, ast.Name | ast.Constant):
        return None
    message = _REFUSED.get(type(node), f"{type(node).__name__} is not allowed in a formula")
    raise FormulaError(message, *source.position(node))


def _leaf(node: ast.expr, source: _Source) -> Expr:
    line, column = source.position(node)
    if isinstance(node, ast.Name):
        return Ref(node.id, line, column)
    assert isinstance(node, ast.Constant)
    value = node.value
    if isinstance(value, bool) or value is None or value is Ellipsis:
        raise FormulaError(f"{value!r} is not a number", line, column)
    if isinstance(value, complex):
        raise FormulaError("complex numbers are not allowed", line, column)
    if isinstance(value, str | bytes):
        raise FormulaError("text (strings) is not allowed, only numbers", line, column)
    if not isinstance(value, int | float):  # pragma: no cover - no other literal exists
        raise FormulaError(f"{type(value).__name__} is not allowed", line, column)
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise FormulaError("this number is too large", line, column)
    return Num(number, line, column)


def _combine(node: ast.expr, results: list[Expr], source: _Source) -> Expr:
    """Build the expression for ``node`` from its operands, popped off ``results``."""
    line, column = source.position(node)
    if isinstance(node, ast.UnaryOp):
        operand = results.pop()
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(operand, Num):  # -3 is the constant -3, not neg(3)
            return Num(-operand.value, line, column)
        return Apply("neg", (operand,), line, column)
    if isinstance(node, ast.BinOp):
        right, left = results.pop(), results.pop()
        op = by_operator(_OPERATOR_TEXT[type(node.op)])
        assert op is not None  # _children let only the table's operators through
        return Apply(op.name, (left, right), line, column)
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    op, arity = FUNCTIONS[node.func.id]
    args = tuple(results[-arity:])
    del results[-arity:]
    return Apply(op, args, line, column)


def dependency_order(
    definitions: list[Definition], by_name: dict[str, Definition]
) -> tuple[Definition, ...]:
    """The definitions with each one after those it uses; FormulaError on a cycle."""
    uses: dict[str, list[Ref]] = {}
    for d in definitions:
        found: list[Ref] = []
        stack: list[Expr] = [d.expr]
        while stack:
            e = stack.pop()
            if isinstance(e, Apply):
                stack.extend(reversed(e.args))
            elif isinstance(e, Ref) and e.name in by_name:
                found.append(e)
        uses[d.name] = sorted(found, key=lambda r: (r.line, r.column))

    state: dict[str, int] = {}  # 1 = in progress, 2 = done
    order: list[Definition] = []
    for start in definitions:
        if state.get(start.name):
            continue
        path = [start.name]
        state[start.name] = 1
        stack = [(start.name, iter(uses[start.name]))]
        while stack:
            name, pending = stack[-1]
            ref = next(pending, None)
            if ref is None:
                stack.pop()
                path.pop()
                state[name] = 2
                order.append(by_name[name])
                continue
            seen = state.get(ref.name)
            if seen == 1:
                loop = path[path.index(ref.name) :] + [ref.name]
                if len(loop) == 2:
                    message = f"{name} is defined in terms of itself"
                else:
                    message = "circular definition: " + " → ".join(loop) + " (each uses the next)"
                raise FormulaError(message, ref.line, ref.column)
            if seen is None:
                state[ref.name] = 1
                path.append(ref.name)
                stack.append((ref.name, iter(uses[ref.name])))
    return tuple(order)


def free_name(stem: str, taken: set[str], graph: Graph | None = None) -> str:
    """``stem``, or ``stem1``, ``stem2``, ... : the first not in ``taken`` nor in ``graph``."""
    candidate, n = stem, 0
    while candidate in taken or (graph is not None and candidate in graph):
        n += 1
        candidate = f"{stem}{n}"
    return candidate


def _show(value: float) -> str:
    from dvar.core.numbers import format_number

    return format_number(value)
