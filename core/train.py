"""Gradient descent on the inputs marked as parameters.

One step moves every parameter p against its derivative, ``p ← p − rate·dp``
(or along it, ``p ← p + rate·dp``, to maximize J).  :func:`plan_descent` runs the
steps on a private copy of the graph and leaves the graph alone: it returns each
parameter's value before and after, keyed by node key, and J after every step.
That is what an undoable edit needs (the GUI applies ``new_values`` in one command
and restores ``old_values`` on undo).  :func:`descend` does the same and applies
the result to the graph in one batch, so listeners hear of the run once.

A run never raises for what the values bring.  If J or a parameter's derivative
has no value (a domain error), or a step would make J undefined, the run stops
before that step and the result says which step and why; the parameters keep the
values of the last good step.  Bad arguments raise :class:`core.GraphError`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from dvar.core.engine import evaluate
from dvar.core.graph import Graph, GraphError, NodeRef
from dvar.core.numbers import format_number

#: The most steps one run may take.
MAX_STEPS = 1_000_000


@dataclass(frozen=True)
class TrainResult:
    """What a run of gradient descent did, or would do."""

    #: The id of J, the node minimized (or maximized).
    output: str
    #: The ids of the parameters trained, in the graph's order.
    params: tuple[str, ...]
    rate: float
    maximize: bool
    #: The number of steps asked for, and the number taken.
    steps: int
    steps_done: int
    #: J before the first step, then after each step taken: ``steps_done + 1`` numbers
    #: (none when J had no value to start with).
    history: list[float]
    #: Every parameter's value before and after the run, by node key.
    old_values: dict[int, float]
    new_values: dict[int, float]
    #: Why the run stopped before taking every step, and the step (from 1) it could not take.
    reason: str | None = None
    failed_step: int | None = None

    @property
    def stopped_early(self) -> bool:
        """True when the run could not take every step it was asked for."""
        return self.reason is not None

    @property
    def changed(self) -> bool:
        """True when some parameter has a new value."""
        return self.new_values != self.old_values

    def summary(self) -> str:
        """One line for a status bar: ``50 steps: L 0.58 → 0.12``, or why the run stopped."""
        steps = f"{self.steps_done} step{'s' * (self.steps_done != 1)}"
        trend = ""
        if self.history:
            first, last = format_number(self.history[0]), format_number(self.history[-1])
            trend = f": {self.output} {first} → {last}"
        if self.reason is None:
            return steps + trend
        return f"stopped after {steps}{trend}. Step {self.failed_step}: {self.reason}"


def plan_descent(
    graph: Graph,
    *,
    rate: float,
    steps: int = 1,
    maximize: bool = False,
    params: list[NodeRef] | None = None,
) -> TrainResult:
    """Run gradient descent on a copy of the graph and return what it did.

    ``params`` are the inputs to train (ids or keys); by default, every input
    marked as a parameter.  The graph itself is not changed: apply
    ``result.new_values`` to it (see :func:`descend`).
    """
    keys = _check(graph, rate, steps, params)
    out = graph.output_key
    assert out is not None  # _check refuses a graph without an output
    work = graph.copy()
    nodes = [work.node(k) for k in keys]
    old = {k: float(node.value) for k, node in zip(keys, nodes, strict=True)}  # type: ignore[arg-type]
    current = dict(old)
    sign = 1.0 if maximize else -1.0
    output = graph.id_of(out)
    history: list[float] = []
    reason: str | None = None
    failed: int | None = None
    done = 0

    ev = evaluate(work)
    j = ev.values[out]
    if j is None:
        reason, failed = f"{output} has no value: {ev.error(out)}", 1
    else:
        history.append(j)
    while reason is None and done < steps:
        step = done + 1
        moved: dict[int, float] = {}
        for k, node in zip(keys, nodes, strict=True):
            g = ev.grads[k]
            if g is None:
                reason = f"d{node.id} is undefined: {ev.error(k)}"
                break
            value = current[k] + sign * rate * g
            if not math.isfinite(value):
                reason = f"{node.id} would become infinite (d{node.id} = {format_number(g)})"
                break
            moved[k] = value
        if reason is not None:
            failed = step
            break
        for k, value in moved.items():
            work.set_value(k, value)
        ev = evaluate(work)
        j = ev.values[out]
        if j is None:
            reason, failed = f"it would leave {output} with no value: {ev.error(out)}", step
            break
        current.update(moved)
        history.append(j)
        done = step
    return TrainResult(
        output=output,
        params=tuple(node.id for node in nodes),
        rate=float(rate),
        maximize=bool(maximize),
        steps=steps,
        steps_done=done,
        history=history,
        old_values=old,
        new_values=current,
        reason=reason,
        failed_step=failed,
    )


def descend(
    graph: Graph,
    *,
    rate: float,
    steps: int = 1,
    maximize: bool = False,
    params: list[NodeRef] | None = None,
) -> TrainResult:
    """Run gradient descent and set the parameters' new values, all in one batch.

    Same arguments and result as :func:`plan_descent`; listeners hear one change
    (none when no value moved).
    """
    result = plan_descent(graph, rate=rate, steps=steps, maximize=maximize, params=params)
    with graph.batch():
        for key, value in result.new_values.items():
            graph.set_value(key, value)
    return result


def _check(graph: Graph, rate: object, steps: object, params: list[NodeRef] | None) -> list[int]:
    """The keys of the parameters to train; GraphError for anything a run cannot use."""
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not math.isfinite(rate):
        raise GraphError(f"the learning rate must be a positive number, not {rate!r}")
    if rate <= 0:
        raise GraphError(f"the learning rate must be a positive number, not {rate!r}")
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
        raise GraphError(f"the number of steps must be a whole number from 1 to {MAX_STEPS:,}")
    if graph.output_key is None:
        raise GraphError("choose an output (J) first: gradient descent needs a J to minimize")
    if params is None:
        keys = [node.key for node in graph if node.param]
        if not keys:
            raise GraphError("no parameters to train: mark one or more inputs as parameters")
        return keys
    keys = []
    for ref in params:
        key = graph.key_of(ref)
        node = graph.node(key)
        if node.op.name != "input":
            raise GraphError(f"only inputs can be trained, and {node.id} is a {node.op.name}")
        if key not in keys:
            keys.append(key)
    if not keys:
        raise GraphError("no parameters to train: name one or more inputs")
    return keys
