"""Export as Python: a graph's forward and backward passes as a standalone script.

The script needs only the standard library.  Its middle is the lecture written out
(``u = b * c`` ... ``dJ = 1.0``, ``dv = three * dJ``, ``db = du * c``), in the
backward order every view of dvar shares, with ``+=`` where a node's derivative
sums several uses.  Like the engine, it takes that straight road when every value
and derivative is a finite number, and otherwise falls back to a careful
evaluation, kept at the end of the file, that gives the same nulls and the same
reasons as :func:`core.evaluate`.  Run with ``--json`` it prints exactly what
``dvar eval --json`` prints.

Node ids are Python identifiers, but one may still be ``math``, ``print``, the name
of a helper of the script, or ``da`` next to a node ``a`` (whose derivative the
lecture would call ``da`` too).  Every variable name is therefore chosen so that it
shadows nothing the script uses and differs from every other one, comparing names
as Python does (after NFKC normalisation); the printed output always uses the ids.
Text taken from the file (a title, labels) only ever reaches comments, stripped of
anything that could end a line.
"""

from __future__ import annotations

import ast
import functools
import keyword
import os
import symtable
import unicodedata
from collections.abc import Iterable
from pathlib import PurePath

from dvar.core.graph import Graph
from dvar.core.ops import OPS
from dvar.core.plan import Plan, plan_for


@functools.cache
def _rules_source() -> str:
    """core/rules.py as the script carries it: its code, without the module docstring."""
    from importlib.resources import files

    from dvar.core import rules

    # Read as a resource, so it is found in a wheel and in the one-folder bundle too.
    source = files(rules.__package__).joinpath("rules.py").read_text(encoding="utf-8")
    body = ast.parse(source).body
    start = body[1].lineno if ast.get_docstring(ast.Module(body=body, type_ignores=[])) else 1
    code = "\n".join(source.splitlines()[start - 1 :])
    return "# dvar's rules of evaluation, as dvar itself runs them (core/rules.py).\n" + code


_IMPORTS = "import json\nimport sys\n"

# The part of the script that is the same for every graph: choosing the road, the
# report, and the careful evaluation.  Its messages are core/engine.py's, word for word.
_MAIN = '''
def main():
    """Print every value and derivative; with --json, print them as `dvar eval --json` does."""
    values = grads = None
    errors = {}
    if _COMPLETE:
        try:
            values, grads = forward_and_backward()
        except FAILURES:
            values = None
        if values is not None and not _all_finite(values, grads):
            values = None
    if values is None:
        values, grads, errors = _careful(_inputs())
    output = None if _OUTPUT is None else _GRAPH[_OUTPUT][0]
    result = {"output": output, "values": values, "grads": grads, "errors": errors}
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")
    if "--json" in sys.argv[1:]:
        json.dump(result, sys.stdout, ensure_ascii=False, allow_nan=False)
        sys.stdout.write("\\n")
    else:
        _report(result)
'''

_CAREFUL_INTRO = """
# ---------------------------------------------------------------------------
# What follows is dvar's careful evaluation.  It runs only when the passes above
# cannot give every number: a slot left empty, no output chosen, or a value
# outside an op's domain (log of 0, 1/0, exp(1000), (-8) ** (1/3)).  Then a node
# whose value is undefined is None, nodes downstream of it say which node they
# wait on, and a derivative that would flow through an undefined local partial is
# None, each with its reason in the same words as dvar.
"""

_CAREFUL = '''
class _Op:
    """An op as the careful evaluation reads it: its forward function, one partial
    per slot, and the (test, message) pairs that say why it has no value."""

    def __init__(self, name, fn=None, dfns=(), domain=()):
        self.name, self.fn, self.dfns, self.domain = name, fn, dfns, domain


def _all_finite(values, grads):
    """True when every value and every derivative is a finite number."""
    if grads is None:
        return False
    numbers = list(values.values()) + list(grads.values())
    return all(x is not None and math.isfinite(x) for x in numbers)


def _careful(inputs):
    """Every value and derivative, None where there is none, and why: by node id."""
    names = [node[0] for node in _GRAPH]
    ops = [_OPS.get(node[1]) or _Op(node[1]) for node in _GRAPH]
    args = [node[2] for node in _GRAPH]
    values = [float(inputs[name]) if name in inputs else None for name in names]
    errors, _ = careful_values(ops, names, args, values)
    reach = [False] * len(_GRAPH)
    if _OUTPUT is not None:
        reach[_OUTPUT] = True
        for i in range(_OUTPUT, -1, -1):
            if reach[i]:
                for a in args[i]:
                    if a is not None:
                        reach[a] = True

    def texts(i, slot):
        return _GRAPH[i][3][slot]

    grads = careful_grads(ops, names, args, values, _OUTPUT, reach, _BACKWARD, texts, errors)
    return (
        dict(zip(names, values)),
        dict(zip(names, grads)),
        {names[i]: errors[i] for i in sorted(errors)},
    )


def _report(result):
    """The values and derivatives as a table in backward order, then what is missing."""
    out, values, grads = result["output"], result["values"], result["grads"]
    if out is None:
        print("No output is chosen, so no derivative is defined.")
    else:
        print(f"{out} = {fmt(values[out])}")
    rows = [("node", "value", "derivative")]
    for i in _BACKWARD:
        name = _GRAPH[i][0]
        rows.append((name, fmt(values[name]), f"d{name} = {fmt(grads[name])}"))
    width = [max(len(row[k]) for row in rows) for k in (0, 1)]
    print()
    for name, value, grad in rows:
        print(f"{name.ljust(width[0])}  {value.ljust(width[1])}  {grad}")
    if result["errors"]:
        print()
        print("Missing values and derivatives:")
        for name, message in result["errors"].items():
            print(f"  {name}: {message}")
'''

_TAIL = """

if __name__ == "__main__":
    main()
"""

#: Module-level names the generated part of the script defines itself.
_GENERATED_GLOBALS = (
    "forward_and_backward",
    "_inputs",
    "_GRAPH",
    "_OUTPUT",
    "_COMPLETE",
    "_BACKWARD",
    "_OPS",
)


def _global_names(source: str) -> set[str]:
    """Every name the source binds at module level or reads as a global or builtin."""
    found: set[str] = set()
    tables = [symtable.symtable(source, "<dvar script>", "exec")]
    while tables:
        table = tables.pop()
        module = str(table.get_type()).lower().endswith("module")
        for symbol in table.get_symbols():
            if module or symbol.is_global():
                found.add(symbol.get_name())
        tables.extend(table.get_children())
    return found


@functools.cache
def reserved() -> frozenset[str]:
    """Names no node variable may take (compared after NFKC normalisation).

    Worked out on first use, so importing dvar.core (and ``dvar eval``) never pays for it.
    """
    fixed = _IMPORTS + _rules_source() + _MAIN + _CAREFUL_INTRO + _CAREFUL + _TAIL
    names = _global_names(fixed)
    # What the generated passes call, whichever ops a graph has.
    expressions = [
        e
        for op in OPS.values()
        for e in (op.forward, *op.partials, *(t for t, _ in op.domain_rules))
    ]
    code = "\n".join("_ = " + e.format("x0", "x1", y="y") for e in expressions if e)
    names.update(_global_names(code) - {"_", "x0", "x1", "y"})
    names.update(_GENERATED_GLOBALS)
    names.update(keyword.kwlist)
    return frozenset(names)


def _key(name: str) -> str:
    """A name as Python sees it: identifiers are NFKC-normalised when parsed."""
    return unicodedata.normalize("NFKC", name)


def _is_reserved(name: str) -> bool:
    key = _key(name)
    return key in reserved() or (key.startswith("__") and key.endswith("__"))


def variable_names(ids: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Python variable names for each node's value and for its derivative, by id.

    A value keeps its id and a derivative is ``d<id>``, the lecture's names, unless
    that would clash: with a keyword, a module or helper the script uses, a builtin
    it calls, or another variable.  Then a value gets a trailing ``_`` (``math_``,
    then ``math_2``, ...) and a derivative becomes ``d_<id>`` (then ``d_<id>_``, ...).
    """
    ids = list(ids)
    taken = set(reserved())
    values: dict[str, str] = {}
    # Ids that are already in Python's normal form get first claim on their name.
    for node_id in sorted(ids, key=lambda i: _key(i) != i):
        if not _is_reserved(node_id) and _key(node_id) not in taken:
            values[node_id] = node_id
            taken.add(_key(node_id))
    for node_id in ids:
        if node_id not in values:
            name, n = node_id + "_", 1
            while _is_reserved(name) or _key(name) in taken:
                n += 1
                name = f"{node_id}_{n}"
            values[node_id] = name
            taken.add(_key(name))
    grads: dict[str, str] = {}
    for node_id in ids:
        name = "d" + node_id
        if _is_reserved(name) or _key(name) in taken:
            name = "d_" + node_id
        while _is_reserved(name) or _key(name) in taken:
            name += "_"
        grads[node_id] = name
        taken.add(_key(name))
    return {i: values[i] for i in ids}, grads


def _comment(text: object, limit: int = 160) -> str:
    """File text made safe for a comment: printable characters only, on one line."""
    if not isinstance(text, str):
        return ""
    cleaned = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def _term(op: str, slot: int, operands: list[str], out: str, grad: str) -> tuple[str, bool]:
    """``d<consumer> · ∂consumer/∂operand`` as Python, as the lecture writes it.

    Returns the expression and whether it is to be subtracted rather than added
    (a partial of -1, which leaves just the derivative).
    """
    if op == "mul":  # the forward product with the operand replaced by the derivative
        return (f"{grad} * {operands[1]}" if slot == 0 else f"{operands[0]} * {grad}"), False
    partial = OPS[op].partial_code(slot, operands, out)
    if partial in ("1.0", "-1.0"):
        return grad, partial == "-1.0"
    # Grouped as the engine groups it, so the product is the same to the bit.
    return f"{grad} * {partial if partial.isidentifier() else f'({partial})'}", False


def _dict_literal(pairs: list[tuple[str, str]], indent: str) -> list[str]:
    """``{"a": a, ...}`` spread over lines of moderate length."""
    lines = [indent + "{"]
    line = indent + "    "
    for node_id, expression in pairs:
        item = f"{_literal(node_id)}: {expression},"
        if len(line) + len(item) > 88 and line.strip():
            lines.append(line.rstrip())
            line = indent + "    "
        line += item + " "
    if line.strip():
        lines.append(line.rstrip())
    lines.append(indent + "}")
    return lines


def _blocked(plan: Plan) -> list[str | None]:
    """For each position, why its value can never be computed (an empty slot upstream)."""
    names, args = plan.names, plan.args
    why: list[str | None] = [None] * len(plan.keys)
    cause: dict[int, int] = {}
    for i, operands in enumerate(args):
        for slot, a in enumerate(operands):
            if a is None:
                why[i] = f"slot {slot + 1} of {names[i]} is empty"
                cause[i] = i
                break
            if why[a] is not None:
                cause[i] = cause[a]
                why[i] = f"waits on {names[cause[a]]}"
                break
    return why


def to_python(graph: Graph, *, source: str | os.PathLike[str] | None = None) -> str:
    """A runnable Python script (standard library only) for the graph's two passes.

    ``source`` is the file the graph came from; its name (not its folder) goes into
    the header.  Run, the script prints every value and derivative dJ/dnode; run
    with ``--json``, it prints ``{"output", "values", "grads", "errors"}`` as
    ``dvar eval --json`` does, with the same numbers (to the last bit, against a
    single :func:`core.evaluate`) and the same reasons for what is missing.
    """
    plan = plan_for(graph)
    names = plan.names
    value_var, grad_var = variable_names(names)
    var = [value_var[name] for name in names]
    dvar = [grad_var[name] for name in names]
    blocked = _blocked(plan)
    nodes = {node.key: node for node in graph}
    blocks = [
        "\n".join(_leaves(plan, nodes, var)),
        "\n".join(_passes(plan, var, dvar, blocked)),
        "\n".join(_inputs(plan, var)),
        _MAIN,
        _CAREFUL_INTRO.strip() + "\n\n" + _rules_source(),
        _CAREFUL,
        _tables(plan),
        _TAIL,
    ]
    head = _header(graph, plan, source).strip() + "\n\n" + _IMPORTS.strip()
    return "\n\n\n".join([head, *(block.strip() for block in blocks)]) + "\n"


def _header(graph: Graph, plan: Plan, source: str | os.PathLike[str] | None) -> str:
    title = _comment(graph.extra.get("title"))
    name = _comment(PurePath(source).name) if source else ""
    origin = f" from {name}" if name else ""
    out = None if plan.out is None else plan.names[plan.out]
    # The first two lines are fixed: Python reads a "coding:" declaration there,
    # and a title must not be able to choose how the rest of the file is decoded.
    lines = [
        "#!/usr/bin/env python3",
        "# A computation graph's forward and backward passes, written out by dvar.",
    ]
    if origin:
        lines.append(f"# The graph comes{origin}.")
    lines += ["# The script needs nothing but Python's standard library.", "#"]
    if title:
        lines += [f"# {title}", "#"]
    if out is None:
        lines += [
            "# No output is chosen yet, so the script computes the values only: every",
            "# derivative is undefined until an output is set in dvar.",
        ]
    else:
        shown = _comment(out)
        lines += [
            f"# The output is {shown}.  The backward pass computes d{shown}/dnode for every node",
            "# and, as the lecture does, writes it dnode.  Where a node is used more than",
            "# once, its derivative is the sum over those uses, built up with +=.",
        ]
    lines += [
        "#",
        "#   python3 this_file.py          prints every value and derivative",
        "#   python3 this_file.py --json   prints them as JSON, as `dvar eval --json` does",
        "",
    ]
    return "\n".join(lines) + "\n"


def _leaves(plan: Plan, nodes: dict, var: list[str]) -> list[str]:
    inputs, constants = [], []
    for i, key in enumerate(plan.keys):
        node = nodes[key]
        if not node.op.is_leaf:
            continue
        notes = []
        if node.label and _comment(node.label):
            notes.append(_comment(node.label, 40))
        if node.param:
            notes.append("a trainable parameter")
        if var[i] != node.id:
            notes.append(f"node {node.id}")
        line = f"{var[i]} = {float(node.value)!r}"
        if notes:
            line += "  # " + ", ".join(notes)
        (inputs if node.op.name == "input" else constants).append(line)
    lines = ["# Inputs: change them and run the script again."] + (inputs or ["# (none)"])
    if constants:
        lines += ["", "# Constants."] + constants
    return lines


def _passes(plan: Plan, var: list[str], dvar: list[str], blocked: list[str | None]) -> list[str]:
    names, ops, args, out = plan.names, plan.ops, plan.args, plan.out
    body = ["# Forward pass, in topological order: every operand before its consumers."]
    count = len(body)
    for i, op in enumerate(ops):
        if op.is_leaf:
            continue
        operands = ["?" if a is None else var[a] for a in args[i]]
        line = f"{var[i]} = {op.forward_code(operands)}"
        if blocked[i] is None:
            body.append(line)
        else:
            body.append(f"{var[i]} = None  # {line}: {blocked[i]}")
    if len(body) == count:
        body.append("# (nothing to compute: every node is an input or a constant)")
    body.append("")
    grads_known = out is not None and blocked[out] is None
    if out is None:
        body.append("# No output is chosen, so there is no backward pass.")
    elif not grads_known:
        body.append(f"# {names[out]} has no value ({blocked[out]}), so there is no backward pass.")
    else:
        body += [
            "# Backward pass, in dvar's backward order: the output first, constants last.",
            f"# Each dnode is d{names[out]}/dnode: the sum, over every use of the node, of",
            "# d(consumer) times the local partial derivative of that use.",
        ]
        uses = plan.uses()
        for i in plan.backward_order():
            if i == out:
                body.append(f"{dvar[i]} = 1.0")
                continue
            if not plan.reach[i]:
                body.append(f"{dvar[i]} = 0.0  # {names[out]} does not depend on {names[i]}")
                continue
            # Terms in dvar's canonical order (consumers in backward order, then slot).
            terms = [(c, s) for c, s in uses[i] if plan.reach[c]]
            for k, (c, slot) in enumerate(terms):
                operands = [var[a] for a in args[c]]  # type: ignore[index]
                term, minus = _term(ops[c].name, slot, operands, var[c], dvar[c])
                if k == 0:
                    body.append(f"{dvar[i]} = {'-' if minus else ''}{term}")
                else:
                    body.append(f"{dvar[i]} {'-=' if minus else '+='} {term}")
    # No other local variable: every name in this function is a node's.
    body += ["", "return ("]
    body += _dict_literal(
        [(name, "None" if blocked[i] else var[i]) for i, name in enumerate(names)], "    "
    )
    body[-1] += ","
    if grads_known:
        body += _dict_literal(list(zip(names, dvar, strict=True)), "    ")
        body[-1] += ","
    else:
        body.append("    None,")
    body.append(")")
    doc = [
        "def forward_and_backward():",
        '    """The lecture\'s two passes, straight through, for the values above.',
        "",
        "    Returns every value and every derivative, by node id (derivatives None when",
        "    there is no backward pass).",
        '    """',
    ]
    return doc + [("    " + line) if line else "" for line in body]


def _inputs(plan: Plan, var: list[str]) -> list[str]:
    pairs = [(plan.names[p], var[p]) for p in plan.leaf_pos]
    literal = _dict_literal(pairs, "    ")
    return [
        "def _inputs():",
        '    """The inputs\' and constants\' values as set above, by node id."""',
        "    return " + literal[0].lstrip(),
        *literal[1:],
    ]


def _tables(plan: Plan) -> str:
    names, ops, args = plan.names, plan.ops, plan.args
    lines = [
        "# The graph as data, in topological order: (id, op, operand positions (None for",
        "# an empty slot), the local partial of each slot as dvar writes it).",
        "_GRAPH = (",
    ]
    for i, op in enumerate(ops):
        operand_names = ["?" if a is None else names[a] for a in args[i]]
        texts = tuple(op.partial_text(s, operand_names, names[i]) for s in range(op.arity))
        entry = f"{_literal(names[i])}, {_literal(op.name)}, {_tuple(args[i])}, {_tuple(texts)}"
        lines.append(f"    ({entry}),")
    lines.append(")")
    lines.append(f"_OUTPUT = {plan.out!r}  # the output's position in _GRAPH")
    lines.append(f"_COMPLETE = {plan.complete!r}  # no empty slot, and an output is chosen")
    lines.append("# Node positions in dvar's backward order, for the report.")
    lines.append(f"_BACKWARD = {_tuple(plan.backward_order())}")
    lines.append("_OPS = {")
    for op in OPS.values():
        if op.is_leaf or op.name not in {o.name for o in ops}:
            continue
        fn = op.forward_code(["x0", "x1"])
        dfns = ", ".join(
            f"lambda x0, x1, y: {op.partial_code(s, ['x0', 'x1'], 'y')}" for s in range(op.arity)
        )
        domain = "".join(
            f"(lambda x0, x1=0.0: {test.format('x0', 'x1')}, {_literal(message)}), "
            for test, message in op.domain_rules
        )
        lines.append(f"    {_literal(op.name)}: _Op(")
        lines.append(f"        {_literal(op.name)},")
        lines.append(f"        lambda x0, x1=0.0: {fn},")
        lines.append(f"        ({dfns},),")
        lines.append(f"        ({domain.rstrip()}),")
        lines.append("    ),")
    lines.append("}")
    return "\n".join(lines)


def _literal(x: object) -> str:
    """A Python literal for ``x``: strings in double quotes when that is plain."""
    if isinstance(x, str) and x.isprintable() and '"' not in x and "\\" not in x:
        return f'"{x}"'
    return repr(x)


def _tuple(items: Iterable[object]) -> str:
    shown = [_literal(x) for x in items]
    return f"({shown[0]},)" if len(shown) == 1 else "(" + ", ".join(shown) + ")"
