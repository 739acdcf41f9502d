"""Forward mode: every node's derivative with respect to one input, in one forward sweep.

Reverse mode (:func:`core.evaluate`) gives dJ/dnode for one output J and every
node.  Forward mode turns that around: pick one input or constant x, and a single
sweep in topological order carries each node's value together with d(node)/dx
(a dual number), using the same local partials as the engine, slot by slot.
``d(output)/dx`` from here equals ``grads[x]`` from reverse mode.

What is missing follows the engine's rules:

- a node that does not depend on x has derivative 0, even one with no value (as
  reverse mode gives 0 to a node that does not reach J);
- a node that depends on x but has no value (an empty slot, a domain error, or
  waiting on either) has no derivative either, with the same reason as in
  :func:`core.evaluate`;
- a local partial that is not finite, on the way from x, makes the derivative of
  its node null ("∂u/∂b = ... is not finite at ..."), and every node whose
  derivative would be built from that one says it waits on it.

No output is needed: forward mode differentiates every node.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping

from dvar.core.engine import forward_careful, partial_failure
from dvar.core.evaluation import Column, PlanResult
from dvar.core.graph import Graph, GraphError, NodeRef
from dvar.core.plan import Plan, plan_for
from dvar.core.rules import FAILURES


class ForwardResult(PlanResult, Mapping):
    """d(node)/d(wrt) for every node, looked up by id (or key) like ``Evaluation.values``.

    ``result["J"]`` is dJ/dx; ``values`` holds every node's value, ``errors`` the
    reason for each missing value or derivative.
    """

    def __init__(
        self,
        plan: Plan,
        wrt: int,
        values: list[float | None],
        derivatives: list[float | None],
        errors: dict[int, str],
    ) -> None:
        super().__init__(plan, values, errors)
        self._wrt = wrt
        self._derivatives = derivatives
        self.derivatives: Mapping[str | int, float | None] = Column(
            self._naming, plan.pos, derivatives
        )

    def __getitem__(self, ref: str | int) -> float | None:
        return self.derivatives[ref]

    def __iter__(self) -> Iterator[str]:
        return iter(self._naming.ids)

    def __len__(self) -> int:
        return len(self._derivatives)

    def __contains__(self, ref: object) -> bool:
        return ref in self.derivatives

    @property
    def wrt(self) -> str:
        """The id of the input or constant x that every derivative is taken with respect to."""
        return self._naming.ids[self._wrt]

    def symbol(self, ref: str | int) -> str:
        """How the derivative is written: ``du/da`` for node u with respect to a."""
        return f"d{self._naming.ids[self._position(ref)]}/d{self.wrt}"

    def to_json(self) -> dict:
        """``{"wrt", "output", "values", "derivatives", "errors"}``, keyed by node id."""
        names = self._naming.ids
        return {
            "wrt": self.wrt,
            "output": self.output,
            "values": dict(zip(names, self._values, strict=True)),
            "derivatives": dict(zip(names, self._derivatives, strict=True)),
            "errors": self.errors,
        }


def forward_derivatives(graph: Graph, wrt: NodeRef) -> ForwardResult:
    """d(node)/d(wrt) for every node of the graph, in one forward sweep.

    ``wrt`` is the id or key of an input or a constant; anything else raises
    GraphError.  Never raises for what the graph's values bring (domain errors,
    empty slots): a missing number is None, with its reason in ``errors``.
    """
    key = graph.key_of(wrt)
    node = graph.node(key)
    if not node.op.is_leaf:
        raise GraphError(
            f"forward mode differentiates with respect to an input or a constant, "
            f"and {node.id} is computed by {node.op.name}"
        )
    plan = plan_for(graph)
    x = plan.pos[key]
    names, ops, args = plan.names, plan.ops, plan.args
    # Values (and the reasons for missing ones) exactly as the engine computes them.
    values, errors, _ = forward_careful(plan, [leaf.value for leaf in plan.leaf_nodes])
    n = len(plan.keys)
    tangents: list[float | None] = [0.0] * n
    depends = [False] * n  # on x: the others have derivative 0 whatever their partials
    tangent_cause: dict[int, int] = {}
    tangents[x] = 1.0
    depends[x] = True
    wrt_name = names[x]

    for i, op in enumerate(ops):
        if not op.arity:
            continue
        depends[i] = any(a is not None and depends[a] for a in args[i])
        if not depends[i]:
            continue  # derivative 0, whether or not the node has a value
        y = values[i]
        if y is None:
            tangents[i] = None
            continue
        operands = [values[a] for a in args[i]]  # all present, since y is
        x0, x1 = operands[0], operands[-1]
        total: float | None = -0.0  # so the first term starts the sum (see core.rules)
        for slot, a in enumerate(args[i]):
            if not depends[a]:  # type: ignore[index]
                continue
            ta = tangents[a]  # type: ignore[index]
            if ta is None:
                total = None
                tangent_cause[i] = tangent_cause[a]
                errors[i] = f"waits on d{names[tangent_cause[a]]}/d{wrt_name}"
                break
            try:
                term = op.dfns[slot](x0, x1, y) * ta
            except FAILURES:
                term = math.nan
            if not math.isfinite(term):
                total = None
                tangent_cause[i] = i
                errors[i] = partial_failure(plan, i, slot, operands)
                break
            total += term
        if total is not None and not math.isfinite(total):
            total = None
            tangent_cause[i] = i
            errors[i] = f"d{names[i]}/d{wrt_name} overflows: the sum is too large"
        tangents[i] = total
    return ForwardResult(plan, x, values, tangents, errors)
