"""Build a graph from a formula: ``J = 3*(a + b*c)``, or one line per step.

A formula is a few lines of Python-looking assignments::

    a = 5            # a value line: a is an input with value 5
    u = b*c
    v = a + u
    J = 3*v          # the output

The text is parsed with :mod:`ast` and every syntax node is checked against a
whitelist; nothing is ever evaluated, compiled or executed.  What is allowed:

- ``name = expression`` assignments, one name each, separated by new lines or ``;``;
  blank lines and ``#`` comments;
- ``name = number`` (``a = 5``, ``a = -2.5``): a value line, giving an input its value;
- numbers (int or float), names, ``+ - * / **``, unary ``-`` and ``+``, and calls of
  the functions in :data:`FUNCTIONS` (``exp log sqrt sin cos tanh sigmoid relu abs neg``
  with one argument, ``max min pow`` with two);
- a bare expression as the very last line, which is the output and is named ``J``
  (or ``J1``, ... when ``J`` is taken).

Names that no line assigns become inputs.  Lines may come in any order, as long as
no name is defined in terms of itself.  The output is the last line that no other
line uses (normally simply the last line).  ``v = u`` is refused: it would only
rename ``u``.  Every refusal is a :class:`FormulaError` pointing at the line and
column (1-based, in characters) at fault.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from dvar.core import names as naming
from dvar.core.formula_parse import (
    FUNCTIONS,
    MAX_LENGTH,
    Apply,
    Definition,
    Expr,
    Formula,
    FormulaError,
    Num,
    Ref,
    ValueLine,
    dependency_order,
    free_name,
    parse_formula,
)
from dvar.core.graph import Graph
from dvar.core.ops import OPS

__all__ = [
    "FUNCTIONS",
    "MAX_LENGTH",
    "Apply",
    "BuildResult",
    "Definition",
    "Expr",
    "Formula",
    "FormulaError",
    "Num",
    "Ref",
    "ValueLine",
    "build_graph",
    "graph_from_formula",
    "parse_formula",
]


@dataclass(frozen=True)
class BuildResult:
    """What :func:`build_graph` did."""

    #: The graph built or inserted into.
    graph: Graph
    #: The id of the formula's output node.
    output: str
    #: Ids of the nodes created, in creation order (keys in ``created_keys``).
    created: tuple[str, ...]
    created_keys: tuple[int, ...]
    #: Formula names that bound to nodes already in the graph (insert mode).
    bound: tuple[str, ...]
    #: Inputs created without a value, which therefore hold 1.
    defaulted: tuple[str, ...]
    #: Existing nodes whose value the formula set: id -> (old value, new value).
    changed_values: dict[str, tuple[float, float]]
    #: The graph's output before the build (None if there was none).
    previous_output: str | None
    #: Messages for the user: inputs that got 1, lines nobody uses.
    warnings: tuple[str, ...]


# ------------------------------------------------------------------ building
def build_graph(
    formula: Formula | str,
    values: Mapping[str, float] | None = None,
    into: Graph | None = None,
    *,
    set_output: bool = True,
) -> BuildResult:
    """Build the nodes of ``formula`` into a new graph, or insert them into ``into``.

    - Names that no line assigns become ``input`` nodes named after them; numbers
      become ``const`` nodes ``k``, ``k_2``, ... (never a word such as ``one``, whose
      derivative would read ``done``); each line's target names the node computing it,
      and an unnamed step is named after its expression when that is short (``bc`` for
      ``b*c``, ``log_a`` for ``log(a)``), else ``t1``, ``t2``, ... in the order they are
      computed.  :mod:`dvar.core.names` has the rule.
    - An input's value comes from ``values`` (e.g. the command line's ``--set``),
      else from the formula's ``name = number`` line, else it is 1, with a warning.
    - With ``into``, names that already exist in that graph bind to the existing
      nodes; a value for such a node sets it (it must be an input or a constant).
      A line whose target already names a node is refused.  Existing nodes never
      move: the new nodes are laid out below the diagram.
    - ``set_output`` makes the formula's output the graph's output.

    Everything happens in one ``graph.batch()``: listeners hear one change, and on
    any error the graph is left exactly as it was.  Raises :class:`FormulaError`
    (a :class:`~core.graph.GraphError`) for a bad formula or a bad value.
    """
    from dvar.core.layout import arrange

    if isinstance(formula, str):
        formula = parse_formula(formula)
    graph = Graph() if into is None else into
    chosen = _check_values(formula, values)
    warnings = list(formula.warnings)

    by_name = {d.name: d for d in formula.definitions}
    names: dict[str, str] = {}  # formula name -> node id
    for d in formula.definitions:
        if d.name in graph:
            if d.implicit:
                taken = set(formula.names) | set(names.values())
                names[d.name] = free_name("J", taken, graph)
                continue
            raise FormulaError(
                f"{d.name} already names a node in the diagram: choose another name",
                d.line,
                d.column,
            )
        names[d.name] = d.name
    bound = tuple(name for name in formula.inputs if name in graph)
    value_lines = {v.name: v for v in formula.value_lines}
    for name in bound:
        node = graph.node(name)
        if name in chosen and not node.op.is_leaf:
            line = column = None
            if name not in (values or {}):  # the value comes from a line of the formula
                line, column = value_lines[name].line, value_lines[name].column
            raise FormulaError(
                f"{name} is computed by {node.op.name} in the diagram; it cannot take a value",
                line,
                column,
            )

    reserved = set(formula.names) | set(names.values())
    steps = 0  # the number of the last step named t1, t2, ...

    def taken(candidate: str) -> bool:
        return candidate in reserved or candidate in graph

    def claim(node_id: str) -> str:
        reserved.add(node_id)
        return node_id

    def step(piece: naming.Piece) -> tuple[str, naming.Piece]:
        """The id of an unnamed step, and how it reads inside the names of later steps."""
        nonlocal steps
        readable = naming.expression_name(piece)
        if readable is not None:
            node_id = claim(naming.unique(readable, taken))
            return node_id, piece if node_id == readable else naming.Piece(node_id)
        node_id, steps = naming.numbered(naming.STEP_STEM, taken, steps + 1)
        return claim(node_id), naming.Piece(None)  # t1 inside a name would say nothing

    created: list[str] = []
    changed: dict[str, tuple[float, float]] = {}
    defaulted: list[str] = []
    previous_output = graph.output
    with graph.batch():
        for name in formula.inputs:
            if name in bound:
                names[name] = name
                if name in chosen:
                    node = graph.node(name)
                    old = node.value
                    graph.set_value(name, chosen[name])
                    if old != chosen[name]:
                        changed[name] = (old, chosen[name])  # type: ignore[assignment]
                continue
            if name not in chosen:
                defaulted.append(name)
            created.append(graph.add_node("input", name, value=chosen.get(name, 1.0)))
            names[name] = name

        for d in formula.order or dependency_order(list(formula.definitions), by_name):
            stack: list[tuple[Expr, bool]] = [(d.expr, False)]
            ids: list[str] = []
            pieces: list[naming.Piece] = []  # how each of ids reads inside a step's name
            while stack:
                e, done = stack.pop()
                if isinstance(e, Ref):
                    ids.append(names[e.name])
                    pieces.append(naming.node_piece(names[e.name]))
                elif isinstance(e, Num):
                    node_id = claim(naming.unique(naming.CONSTANT_STEM, taken))
                    created.append(graph.add_node("const", node_id, value=e.value))
                    ids.append(node_id)
                    pieces.append(naming.number_piece(e.value))
                elif not done:
                    stack.append((e, True))
                    stack.extend((arg, False) for arg in reversed(e.args))
                else:
                    count = len(e.args)
                    operands, used = ids[-count:], pieces[-count:]
                    del ids[-count:], pieces[-count:]
                    if e is d.expr:
                        node_id = names[d.name]
                        piece = naming.node_piece(node_id)
                    else:
                        node_id, piece = step(naming.combine(OPS[e.op], used))
                    created.append(graph.add_node(e.op, node_id, inputs=operands))
                    ids.append(node_id)
                    pieces.append(piece)
        output = names[formula.output]
        if set_output:
            graph.set_output(output)
        for key, (x, y) in arrange(graph, created).items():
            graph.set_position(key, x, y)

    if defaulted:
        listed = _listing(defaulted)
        verb = "it starts" if len(defaulted) == 1 else "they start"
        warnings.insert(0, f"no value given for {listed}: {verb} at 1")
    return BuildResult(
        graph=graph,
        output=output,
        created=tuple(created),
        created_keys=tuple(graph.key_of(i) for i in created),
        bound=bound,
        defaulted=tuple(defaulted),
        changed_values=changed,
        previous_output=previous_output,
        warnings=tuple(warnings),
    )


def graph_from_formula(text: str, values: Mapping[str, float] | None = None) -> Graph:
    """A new graph built from ``text`` (see :func:`build_graph`), laid out, its output set.

    For ``dvar new --formula "J = 3*(a + b*c)" --set a=5 b=3 c=2``.
    """
    return build_graph(text, values).graph


def _check_values(formula: Formula, values: Mapping[str, float] | None) -> dict[str, float]:
    """The formula's value lines, overridden by ``values``, each checked."""
    chosen = formula.values
    definitions = {d.name: d for d in formula.definitions}
    for name, value in (values or {}).items():
        if name in definitions:
            raise FormulaError(
                f"{name} is computed by the formula (line {definitions[name].line}); "
                "only inputs take a value"
            )
        if name not in formula.inputs:
            known = _listing(list(formula.inputs)) if formula.inputs else "none"
            raise FormulaError(f"the formula has no input named {name} (its inputs: {known})")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise FormulaError(f"the value of {name} must be a number, not {value!r}")
        if not math.isfinite(value):
            raise FormulaError(f"the value of {name} must be a finite number, not {value!r}")
        chosen[name] = float(value)
    return chosen


def _listing(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]
