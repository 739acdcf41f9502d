"""Backpropagation as a sum over paths, and that sum factored.

dJ/dx is the sum, over every path from x to the output J, of the product of the
local derivatives on the path's edges.  A node that one op uses in two slots
(``x·x``) starts two paths, one per slot.  Reverse mode computes the same sum
factored by shared suffix: ``dx = da·∂a/∂x + db·∂b/∂x``, where ``da`` already sums
every path from a to J.

Paths are listed in the canonical order of uses (``Plan.uses``: consumers in the
backward order, then by slot), depth first, so the list never depends on the order
of edits.  Counting never lists: one pass over the plan in the backward order adds
up, for every node, the number of paths from it to the output, as exact integers
(a chain of n diamonds has 2**n paths).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

if TYPE_CHECKING:
    from dvar.core.evaluation import Evaluation, Term
    from dvar.core.plan import Plan

#: More paths than this are counted, not listed.
LIMIT = 1000

#: An edge by the slot it feeds: (consumer key, slot), as the editor's overlay names it.
Edge = tuple[int, int]


@dataclass(frozen=True)
class Path:
    """One path from a node to the output, and the product of its local derivatives."""

    #: Node ids from the node to the output.
    nodes: list[str]
    #: ``slots[i]``: the slot of ``nodes[i+1]`` that ``nodes[i]`` feeds.
    slots: list[int]
    #: ``factors[i]``: ∂nodes[i+1]/∂nodes[i] through that slot; None where undefined.
    factors: list[float | None]
    #: The product of the factors (1 for the output's own empty path); None when a
    #: factor is undefined or the product is not finite.
    product: float | None
    #: The nodes' keys, in the same order (what the editor highlights by).
    keys: list[int] = field(repr=False, compare=False)
    #: Each edge's partial as a symbol: ``∂u/∂b``, ``∂y/∂x[2]`` through the second
    #: slot of an op that uses x twice.
    symbols: list[str] = field(repr=False, compare=False)

    @property
    def edges(self) -> list[Edge]:
        """The path's edges as (consumer key, slot)."""
        return list(zip(self.keys[1:], self.slots, strict=True))

    def to_json(self) -> dict:
        """``{"nodes", "slots", "factors", "product"}``, as ``dvar paths --json`` prints it."""
        return {
            "nodes": list(self.nodes),
            "slots": list(self.slots),
            "factors": list(self.factors),
            "product": self.product,
        }


@dataclass(frozen=True)
class Share:
    """One term of the factored sum: the paths through one use of the node.

    ``term`` is the chain-rule term ``dc · ∂c/∂x`` (see ``Evaluation.terms``); ``dc``
    already sums the ``count`` paths from the consumer c to the output.
    """

    term: Term
    consumer_key: int
    #: How many paths from the node to the output go through this use.
    count: int


# Each function takes the evaluation, its plan, and the node's position in the plan
# (``Evaluation.paths`` and friends hand them over).


def count_paths(plan: Plan, start: int) -> int:
    """The number of paths from the node to the output, without listing them."""
    return _counts(plan)[start]


def list_paths(
    evaluation: Evaluation, plan: Plan, start: int, limit: int = LIMIT
) -> list[Path] | None:
    """Every path from the node to the output, or None when there are more than ``limit``."""
    counts = _counts(plan)
    if counts[start] > limit:
        return None
    if counts[start] == 0:
        return []
    keys = plan.keys

    def name(i: int) -> str:
        return evaluation.id_of(keys[i])

    uses, reach, args, out = plan.uses(), plan.reach, plan.args, plan.out
    partials: dict[Edge, float | None] = {}

    def partial(c: int, slot: int) -> float | None:
        edge = (c, slot)
        if edge not in partials:
            partials[edge] = evaluation.partial(keys[c], slot)
        return partials[edge]

    found: list[Path] = []
    # Depth first, the canonical order kept: each entry is a path so far, as the
    # positions it visits and the (consumer, slot) edges it took.
    stack: list[tuple[list[int], list[Edge]]] = [([start], [])]
    while stack:
        visited, taken = stack.pop()
        here = visited[-1]
        if here == out:
            found.append(_path(visited, taken, partial, name, keys, args))
            continue
        onward = [(c, slot) for c, slot in uses[here] if reach[c]]
        for c, slot in reversed(onward):  # popped in canonical order
            stack.append(([*visited, c], [*taken, (c, slot)]))
    return found


def factored(evaluation: Evaluation, plan: Plan, start: int) -> list[Share]:
    """The factored sum: one share per use of the node on the way to the output, in
    the canonical order, each with the number of paths it stands for."""
    counts, keys = _counts(plan), plan.keys
    # Evaluation.terms walks the same uses in the same order, skipping the same ones.
    onward = [c for c, _ in plan.uses()[start] if plan.reach[c]] if start != plan.out else []
    terms = evaluation.terms(keys[start])
    return [
        Share(term=t, consumer_key=keys[c], count=counts[c])
        for c, t in zip(onward, terms, strict=True)
    ]


def edges_to_output(plan: Plan, start: int) -> frozenset[Edge]:
    """Every edge on some path from the node to the output: what a share stands for."""
    uses, reach, keys = plan.uses(), plan.reach, plan.keys
    if not reach[start]:
        return frozenset()
    edges: set[Edge] = set()
    seen, todo = {start}, [start]
    while todo:
        here = todo.pop()
        for c, slot in uses[here]:
            if reach[c]:
                edges.add((keys[c], slot))
                if c not in seen:
                    seen.add(c)
                    todo.append(c)
    return frozenset(edges)


def path_sum(found: list[Path]) -> float | None:
    """``math.fsum`` of the products; None when one is undefined or the sum overflows."""
    products = [p.product for p in found]
    if None in products:
        return None
    try:
        total = math.fsum(products)  # type: ignore[arg-type]
    except OverflowError:
        return None
    return total if math.isfinite(total) else None


def _path(visited, taken, partial, name, keys, args) -> Path:
    factors = [partial(c, slot) for c, slot in taken]
    product: float | None = 1.0
    for factor in factors:
        product = None if factor is None or product is None else product * factor
    if product is not None and not math.isfinite(product):
        product = None
    symbols = []
    for operand, (c, slot) in zip(visited, taken, strict=False):
        mark = f"[{slot + 1}]" if args[c].count(operand) > 1 else ""
        symbols.append(f"∂{name(c)}/∂{name(operand)}{mark}")
    return Path(
        nodes=[name(i) for i in visited],
        slots=[slot for _, slot in taken],
        factors=factors,
        product=product,
        keys=[keys[i] for i in visited],
        symbols=symbols,
    )


#: The number of paths from each position to the output, per plan (structure only).
_COUNTS: WeakKeyDictionary[Plan, list[int]] = WeakKeyDictionary()


def _counts(plan: Plan) -> list[int]:
    counts = _COUNTS.get(plan)
    if counts is None:
        counts = [0] * len(plan.keys)
        if plan.out is not None:
            counts[plan.out] = 1
            uses, reach = plan.uses(), plan.reach
            # Backward order: every consumer that reaches the output comes before its operands.
            for i in plan.backward_order():
                if reach[i] and i != plan.out:
                    counts[i] = sum(counts[c] for c, _ in uses[i] if reach[c])
        _COUNTS[plan] = counts
    return counts


# ---------------------------------------------------------------- dvar paths
def to_json(evaluation: Evaluation, ref: str | int, limit: int = LIMIT) -> dict:
    """``{"node", "output", "derivative", "count", "paths", "sum"}``, as ``dvar paths
    --json`` prints it: ``paths`` and ``sum`` are None above ``limit`` paths, and every
    number that is not finite is None."""
    found = evaluation.paths(ref, limit)
    return {
        "node": _id(evaluation, ref),
        "output": evaluation.output,
        "derivative": _finite(evaluation.grads[ref]),
        "count": evaluation.count_paths(ref),
        "paths": None if found is None else [p.to_json() for p in found],
        "sum": None if found is None else path_sum(found),
    }


def report(evaluation: Evaluation, ref: str | int, limit: int = LIMIT) -> str:
    """The readable form of ``dvar paths``: every path with its local derivatives and
    their product, the sum, then the factored form (only that above ``limit`` paths)."""
    from dvar.core.numbers import format_number as fmt

    node, out = _id(evaluation, ref), evaluation.output
    count = evaluation.count_paths(ref)
    grad = evaluation.grads[ref]
    found = evaluation.paths(ref, limit)
    head = f"{count:,} path{'s' * (count != 1)} from {node} to {out}; d{node} = {fmt(grad)}"
    lines = [head]
    if found is None:
        lines.append(f"More than {limit:,} paths: only their factored form is shown.")
    elif found:
        rows = [("#", "path", "local derivatives", "product")]
        for n, p in enumerate(found, 1):
            symbols = " · ".join(p.symbols) or "(none)"
            numbers = " · ".join(factor_text(fmt(f)) for f in p.factors)
            rows.append(
                (str(n), " → ".join(p.nodes), f"{symbols} = {numbers or '1'}", fmt(p.product))
            )
        widths = [max(len(row[c]) for row in rows) for c in range(3)]
        lines.append("")
        for row in rows:
            cells = [cell.ljust(w) for cell, w in zip(row[:3], widths, strict=True)]
            lines.append("  " + "  ".join([*cells, row[3]]))
        lines += ["", f"Sum of the products: {fmt(path_sum(found))}   (d{node} = {fmt(grad)})"]
    shares = evaluation.factored_paths(ref)
    if shares:
        lines += ["", f"Factored by shared suffix: {evaluation.breakdown(ref)}"]
        for share in shares:
            lines.append(f"  {share_text(share, node)}")
    return "\n".join(lines) + "\n"


def share_text(share: Share, node: str) -> str:
    """``du · ∂u/∂b = 3 · 2 = 6   (1 path)``: one term of the factored sum."""
    from dvar.core.numbers import format_number as fmt

    t = share.term
    paths_word = f"{share.count:,} path{'s' * (share.count != 1)}"
    return (
        f"d{t.consumer} · {t.partial_symbol(node)} = "
        f"{factor_text(fmt(t.consumer_grad))} · {factor_text(fmt(t.partial))}"
        f" = {fmt(t.product)}   ({paths_word})"
    )


def factor_text(text: str) -> str:
    """A number as a factor of a product: ``(-1)`` in brackets, ``2`` as it is."""
    return f"({text})" if text.startswith("-") else text


def _id(evaluation: Evaluation, ref: str | int) -> str:
    return ref if isinstance(ref, str) else evaluation.id_of(ref)


def _finite(x: float | None) -> float | None:
    return x if x is not None and math.isfinite(x) else None
