"""Evaluation plans: a graph's structure flattened into arrays, and optionally compiled.

A plan depends only on the graph's structure (nodes, edges, output), so it is
reused across value edits and rebuilt after structural ones.  Positions are
indices into the topological order; every array below is indexed by position.

Right after a structural change the plan runs interpreted.  Evaluated again with
the same structure, it compiles itself into straight-line Python (``compile()``)
whose variable names come from positions only; input values are passed in as
data, so nothing from a file ever becomes code.

The compiled code is one plain function with two local variables per node (its
value and its derivative), called once per run, that opens with a short warm-up
loop for CPython 3.11 (``WARM_UP``).  A generator frame kept for the plan's life
was measured against it and dropped: it was faster only for a caller that lets go
of each evaluation before the next run, and the editor and training never do.
Compiling costs about 35 µs and, at its peak, 8 KB of memory per node, and the
editor compiles on the window's thread, so plans bigger than ``COMPILE_LIMIT`` stay
interpreted.  The numbers are
in docs/architecture.md, "The compiled plan".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from dvar.core.ops import NAMESPACE, OPS, Op

if TYPE_CHECKING:
    from dvar.core.graph import Graph, Node

#: What a compiled plan returns: values and derivatives by position, or None.
Result = tuple[list[float], list[float]] | None

#: Evaluations of one structure before its plan is compiled.
COMPILE_AFTER = 2
#: Bigger plans stay interpreted.  Compiling pays for itself after about 50 value
#: edits at any size; this bounds its one-time cost: a pause of about 2 s and a
#: peak of about 0.5 GB at 60,000 nodes (docs/architecture.md).
COMPILE_LIMIT = 60_000
#: An empty loop of eight steps that opens every compiled run.  CPython 3.11
#: specialises a code object's instructions only after it has looped this often, so
#: without it a new plan runs unspecialised for its first eight value edits (0.1 to
#: 0.3 ms each at 10,000 nodes); it costs well under a microsecond per run.
WARM_UP = " for _ in (0, 0, 0, 0, 0, 0, 0, 0): pass"
#: Terms per generated statement, which keeps expressions shallow for the compiler.
_TERMS_PER_LINE = 32


class Names:
    """The ids of a plan's nodes by position, and positions by id (built on first use)."""

    __slots__ = ("ids", "_index")

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        self._index: dict[str, int] | None = None

    @property
    def index(self) -> dict[str, int]:
        if self._index is None:
            self._index = dict(zip(self.ids, range(len(self.ids)), strict=True))
        return self._index


class Plan:
    """A graph's structure as flat arrays, in topological order."""

    def __init__(self, graph: Graph) -> None:
        keys = list(graph.topological_keys())
        pos = dict(zip(keys, range(len(keys)), strict=True))
        in_order = graph.nodes_in_order()
        self.structure_version = graph.structure_version
        self.keys: list[int] = keys
        self.pos: dict[int, int] = pos
        self.ops: list[Op] = [node.op for node in in_order]
        where = pos.get  # an empty slot (None) stays None
        self.args: list[tuple[int | None, ...]] = [tuple(map(where, n.inputs)) for n in in_order]
        leaves = [(i, node) for i, node in enumerate(in_order) if not node.op.arity]
        self.leaf_pos: list[int] = [i for i, _ in leaves]
        self.leaf_nodes: list[Node] = [node for _, node in leaves]
        self.out: int | None = where(graph.output_key)
        self.complete = self.out is not None and all(None not in a for a in self.args)
        self.reach = self._reaching()
        self.naming = Names([node.id for node in in_order])
        self._nodes = in_order  # the graph's own nodes: a rename changes their id in place
        self.names_version = graph.names_version
        self.runs = 0
        self.compiled: Callable[[list[float]], Result] | None = None
        self._uses: list[list[tuple[int, int]]] | None = None
        self._order: list[int] | None = None
        self._walked: list[int] | None = None

    @property
    def names(self) -> list[str]:
        """The current id of the node at each position."""
        return self.naming.ids

    @property
    def index(self) -> dict[str, int]:
        """Position by current id."""
        return self.naming.index

    def rename_from(self, graph: Graph) -> None:
        """Take the graph's ids after a rename.  A new Names object: evaluations made
        before the rename keep the ids they were made with."""
        if self.names_version != graph.names_version:
            self.naming = Names([node.id for node in self._nodes])
            self.names_version = graph.names_version

    def _reaching(self) -> list[bool]:
        """Which positions reach the output.  On the way it counts, for each position,
        the uses by consumers that reach the output (the backward order waits on them),
        and lists the positions that do not reach it, latest first."""
        n = len(self.keys)
        reach = [False] * n
        waiting = [0] * n
        out = self.out
        if out is None:
            self._waiting, self._unreached = waiting, list(range(n - 1, -1, -1))
            return reach
        unreached = list(range(n - 1, out, -1))
        reach[out] = True
        args = self.args
        for i in range(out, -1, -1):
            if reach[i]:
                for a in args[i]:
                    if a is not None:
                        reach[a] = True
                        waiting[a] += 1
            else:
                unreached.append(i)
        self._waiting, self._unreached = waiting, unreached
        return reach

    # ------------------------------------------------------------------ shapes
    def uses(self) -> list[list[tuple[int, int]]]:
        """For each position, every (consumer position, slot) that reads it, in the
        canonical order: consumers in the backward order, then by slot.

        Every derivative is summed in this order, by every path (interpreted,
        compiled, careful, exported), and its chain-rule terms are listed in it.
        It depends only on the graph's structure, never on the order of its edits.
        """
        if self._uses is None:
            uses: list[list[tuple[int, int]]] = [[] for _ in self.keys]
            args = self.args
            for c in self.backward_order():
                for slot, a in enumerate(args[c]):
                    if a is not None:
                        uses[a].append((c, slot))
            self._uses = uses
        return self._uses

    def inline_constants(self) -> set[int]:
        """Positions of the constants with exactly one use and no box mark, the rule of
        Graph.is_inline_constant: breakdowns write them as their number."""
        const, nodes = OPS["const"], self._nodes
        uses = self.uses()
        return {
            i
            for i, op in enumerate(self.ops)
            if op is const and len(uses[i]) == 1 and not nodes[i].box
        }

    def grad_start(self) -> list[float]:
        """A new list of what each derivative's sum starts from: -0.0 (so that the
        first term starts it, sign of zero included) where the node reaches the
        output, and +0.0 (its derivative: J does not depend on it) where it does not."""
        grads = [-0.0] * len(self.keys)
        for i in self._unreached:
            grads[i] = 0.0
        return grads

    def backward_order(self) -> list[int]:
        """The one order every view walks the backward pass in.

        Breadth-first from the output through operands in slot order, never reaching
        a node before all of its consumers; constants come after the other nodes
        that reach the output, and nodes that do not reach it come last (latest first).
        """
        if self._order is None:
            walked = self._walked if self._walked is not None else self._walk()
            const = OPS["const"]
            ops = self.ops
            order = [i for i in walked if ops[i] is not const]
            order += [i for i in walked if ops[i] is const]
            order += self._unreached
            self._order = order
        return self._order

    def has_backward_order(self) -> bool:
        """Whether ``backward_order`` is known already (walked once)."""
        return self._order is not None or self._walked is not None

    def waiting_counts(self) -> list[int]:
        """A new list of how many uses by consumers that reach the output each position
        waits on: what a walk in the backward order counts down (see ``_walk``)."""
        return self._waiting[:]

    def take_walk(self, walked: list[int]) -> None:
        """Keep the breadth-first walk an interpreter made while it summed derivatives
        (the order of ``_walk``), so that ``backward_order`` need not walk again."""
        if self._order is None:
            self._walked = walked

    def _walk(self) -> list[int]:
        """Every position that reaches the output, breadth-first from it through
        operands in slot order, each once all of its consumers have come."""
        if self.out is None:
            return []
        args = self.args
        waiting = self.waiting_counts()
        walked = [self.out]
        for i in walked:  # the list grows while we walk it: a FIFO queue
            for a in args[i]:
                if a is not None:
                    waiting[a] -= 1
                    if waiting[a] == 0:
                        walked.append(a)
        return walked

    # ------------------------------------------------------------- fast path
    def statements(self) -> list[str]:
        """One run of a complete plan as straight-line Python, one statement a line.

        It reads the leaf values (in ``leaf_pos`` order) from ``L`` and leaves in ``R``
        the values and derivatives by position, or None when some value or derivative
        is not finite.  Lines are indented by one space per level, from level 0.
        """
        ops, args, reach, n = self.ops, self.args, self.reach, len(self.keys)
        lines = ["R = None"]
        if self.leaf_pos:
            lines.append("".join(f"v{p}, " for p in self.leaf_pos) + "= L")
        for i, op in enumerate(ops):
            if op.arity:
                lines.append(f"v{i} = {op.forward_code([f'v{a}' for a in args[i]])}")
        lines.append("V = [" + ", ".join(f"v{i}" for i in range(n)) + "]")
        lines.append("if isfinite(sum(V)):")
        lines.append(f" g{self.out} = 1.0")
        uses = self.uses()
        for i in range(self.out - 1, -1, -1):
            if not reach[i]:
                continue
            terms = []
            for c, slot in uses[i]:
                if reach[c]:
                    operands = [f"v{a}" for a in args[c]]
                    partial = ops[c].partial_code(slot, operands, f"v{c}")
                    terms.append(_times(f"g{c}", partial))
            for k in range(0, len(terms), _TERMS_PER_LINE):
                chunk = " + ".join(terms[k : k + _TERMS_PER_LINE])
                lines.append(f" g{i} {'=' if k == 0 else '+='} {chunk}")
        lines.append(" G = [" + ", ".join(f"g{i}" if reach[i] else "0.0" for i in range(n)) + "]")
        lines.append(" if isfinite(sum(G)):")
        lines.append("  R = V, G")
        return lines

    def compile(self) -> Callable[[list[float]], Result]:
        """Straight-line code for a complete plan: forward, then backward.

        The result is a plain function, called with the leaf values (in ``leaf_pos``
        order); it returns the values and derivatives by position, or None when some
        value or derivative is not finite.  It may raise ArithmeticError or
        ValueError, and the engine then takes the careful path.
        """
        return define(
            ["def run(L):", WARM_UP, *(" " + s for s in self.statements()), " return R"], "run"
        )


def _times(grad: str, partial: str) -> str:
    if partial == "1.0":
        return grad
    if partial == "-1.0":
        return f"-{grad}"
    return f"{grad} * ({partial})"


def define(lines: list[str], name: str) -> Callable:
    """Compile generated source and return the function it defines under ``name``.

    The source may call the op helpers, ``isfinite`` and ``sum``, and nothing else.
    """
    namespace = dict(NAMESPACE, isfinite=math.isfinite, sum=sum)
    exec(compile("\n".join(lines), "<dvar plan>", "exec"), namespace)  # noqa: S102 - see module doc
    return namespace[name]


def plan_for(graph: Graph) -> Plan:
    """The graph's current plan, rebuilt only when its structure has changed."""
    plan = graph.cached_plan
    if plan is None or plan.structure_version != graph.structure_version:
        plan = Plan(graph)
        graph.cached_plan = plan
    else:
        plan.rename_from(graph)
    return plan
