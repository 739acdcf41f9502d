"""Forward and backward passes over a plan, and the nudge.

There are two ways through a plan.  The fast way (compiled or interpreted) assumes
every value and derivative is finite, and gives up at the first sign that one is
not.  The careful way handles everything a partial graph or a domain error brings:
empty slots, nulls that propagate, non-finite partials, and says why for each node.
Both use the same op expressions, so they agree wherever the fast way succeeds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dvar.core import rules
from dvar.core.evaluation import Evaluation
from dvar.core.graph import Graph, GraphError, NodeRef
from dvar.core.plan import COMPILE_AFTER, COMPILE_LIMIT, Plan, plan_for

_FAILURES = rules.FAILURES
isfinite = math.isfinite


def evaluate(graph: Graph, compile: bool = True) -> Evaluation:
    """Every node's value and its derivative dJ/dnode, where J is the graph's output.

    Never raises for anything a graph can hold: a missing value is None, with a
    message in ``errors`` saying why.

    The second evaluation of an unchanged structure compiles the plan, which makes
    every later value edit several times faster but takes a moment on big graphs.
    An interactive caller passes ``compile=False`` and calls :func:`prepare` when idle.
    """
    plan = plan_for(graph)
    leaf_values = [node.value for node in plan.leaf_nodes]
    if compile:
        plan.runs += 1
        if plan.runs >= COMPILE_AFTER:
            _compile(plan)
    result = _run_fast(plan, leaf_values) if plan.complete else None
    if result is not None:
        values, grads = result
        return Evaluation(plan, values, grads, {})
    values, grads, errors = _run_careful(plan, leaf_values)
    return Evaluation(plan, values, grads, errors)


def prepare(graph: Graph) -> None:
    """Compile the graph's evaluation plan now (for a quiet moment), if it is worth it."""
    _compile(plan_for(graph))


def _compile(plan: Plan) -> None:
    if plan.compiled is None and plan.complete and len(plan.keys) <= COMPILE_LIMIT:
        plan.compiled = plan.compile()


def _run_fast(plan: Plan, leaf_values: list[float]) -> tuple[list, list] | None:
    try:
        if plan.compiled is not None:
            return plan.compiled(leaf_values)
        return _interpret(plan, leaf_values)
    except _FAILURES:
        return None


def _interpret(plan: Plan, leaf_values: list[float]) -> tuple[list, list] | None:
    """The fast path straight from the plan's arrays: run once after a structural edit,
    so it builds nothing on the side (a compiled plan takes over from the next run)."""
    ops, args, reach = plan.ops, plan.args, plan.reach
    n = len(ops)
    values = [0.0] * n
    for p, v in zip(plan.leaf_pos, leaf_values, strict=True):
        values[p] = v
    for i, op, a in zip(range(n), ops, args, strict=True):
        if op.arity:
            values[i] = op.fn(values[a[0]], values[a[-1]])
    if not isfinite(sum(values)):
        return None
    grads = plan.grad_start()
    grads[plan.out] = 1.0
    if plan.has_backward_order():
        for i in plan.backward_order():  # each sum in the canonical order (Plan.uses)
            op = ops[i]
            if not reach[i] or not op.arity:
                continue
            a = args[i]
            g, x0, x1, y = grads[i], values[a[0]], values[a[-1]], values[i]
            d = op.dfns
            grads[a[0]] += g * d[0](x0, x1, y)
            if len(a) == 2:
                grads[a[1]] += g * d[1](x0, x1, y)
    else:
        _walk_backward(plan, values, grads)
    if not isfinite(sum(grads)):
        return None
    return values, grads


def _walk_backward(plan: Plan, values: list[float], grads: list[float]) -> None:
    """The backward pass of a new plan, walking the canonical order as it finds it:
    breadth-first from the output, each node once all of its consumers are done
    (``Plan._walk``), so each sum has its terms in the order of ``Plan.uses``.  One
    pass instead of two; the plan keeps the walk for ``backward_order``."""
    ops, args = plan.ops, plan.args
    waiting = plan.waiting_counts()
    walked = [plan.out]
    append = walked.append
    for i in walked:  # the list grows while we walk it: a FIFO queue
        op = ops[i]
        if not op.arity:
            continue
        a = args[i]
        a0 = a[0]
        g, x0, x1, y = grads[i], values[a0], values[a[-1]], values[i]
        d = op.dfns
        grads[a0] += g * d[0](x0, x1, y)
        left = waiting[a0] - 1
        waiting[a0] = left
        if not left:
            append(a0)
        if len(a) == 2:
            a1 = a[1]
            grads[a1] += g * d[1](x0, x1, y)
            left = waiting[a1] - 1
            waiting[a1] = left
            if not left:
                append(a1)
    plan.take_walk(walked)


def forward_careful(
    plan: Plan, leaf_values: list[float], override: dict[int, float] | None = None
) -> tuple[list[float | None], dict[int, str], dict[int, int]]:
    """Values with nulls where there are none, the reasons, and each null's root cause.

    ``override`` sets some nodes' values (a nudge): they are not computed.
    """
    values: list[float | None] = [None] * len(plan.keys)
    for p, v in zip(plan.leaf_pos, leaf_values, strict=True):
        values[p] = v
    if override:
        for p, v in override.items():
            values[p] = v
    errors, cause = rules.careful_values(plan.ops, plan.names, plan.args, values, override or ())
    return values, errors, cause


def _run_careful(
    plan: Plan, leaf_values: list[float]
) -> tuple[list[float | None], list[float | None], dict[int, str]]:
    values, errors, _ = forward_careful(plan, leaf_values)
    names, ops, args = plan.names, plan.ops, plan.args

    def texts(i: int, slot: int) -> str:
        return ops[i].partial_text(slot, [names[a] for a in args[i]], names[i])

    grads = rules.careful_grads(
        ops, names, args, values, plan.out, plan.reach, plan.backward_order(), texts, errors
    )
    return values, grads, errors


def partial_failure(plan: Plan, i: int, slot: int, operands: list[float]) -> str:
    """Why the local partial of node ``i`` for ``slot`` is not finite at these operands."""
    names, op = plan.names, plan.ops[i]
    operand_names = [names[a] for a in plan.args[i]]
    text = op.partial_text(slot, operand_names, names[i])
    return rules.partial_failure(names[i], operand_names, slot, text, operands)


@dataclass(frozen=True)
class Nudge:
    """What bumping one node by ``h`` does: the lecture's finite-difference check."""

    node: str
    h: float
    before: Evaluation
    #: Every node's value after the bump (None where there is none).
    after: dict[str, float | None]
    #: Ids of the nodes whose value changed, in topological order.
    changed: list[str]
    #: dJ/dnode from the backward pass, to compare with ``ratio``.
    grad: float | None
    #: ΔJ, the change of the output, and ΔJ/h.
    delta: float | None
    ratio: float | None


def nudge(graph: Graph, ref: NodeRef, h: float = 0.001) -> Nudge:
    """Bump one node (an input, a constant or any computed node) by ``h`` and return
    every node's new value, plus ΔJ/Δnode to set beside dJ/dnode.

    Only the node's downstream moves; the graph itself is not changed.
    """
    if isinstance(h, bool) or not isinstance(h, int | float) or not isfinite(h) or h == 0:
        raise GraphError(f"the nudge must be a finite, non-zero number, not {h!r}")
    before = evaluate(graph)
    plan = plan_for(graph)
    key = graph.key_of(ref)
    p = plan.pos[key]
    x = before.values[plan.names[p]]
    if x is None:
        raise GraphError(f"{plan.names[p]} has no value to nudge: {before.errors[plan.names[p]]}")
    leaf_values = [node.value for node in plan.leaf_nodes]
    after, _, _ = forward_careful(plan, leaf_values, {p: x + h})
    old = before.values
    changed = [name for name, v in zip(plan.names, after, strict=True) if v != old[name]]
    delta = ratio = None
    if (
        plan.out is not None
        and after[plan.out] is not None
        and old[plan.names[plan.out]] is not None
    ):
        delta = after[plan.out] - old[plan.names[plan.out]]
        ratio = delta / h
    return Nudge(
        node=plan.names[p],
        h=float(h),
        before=before,
        after=dict(zip(plan.names, after, strict=True)),
        changed=changed,
        grad=before.grads[plan.names[p]],
        delta=delta,
        ratio=ratio,
    )
