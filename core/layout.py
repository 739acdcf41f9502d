"""Automatic layout: layered, left to right, as on the lecture's slide.

Inputs sit in the leftmost layer and the output on the right; every other node
sits one layer left of its nearest consumer, so a constant appears just before
the node that uses it (the lecture's ``3`` next to ``J``).  Within each layer the
nodes are ordered to reduce edge crossings (barycenter sweeps, keeping the best
order seen), then each node is moved vertically towards its neighbours without
ever overlapping another box.  Positions are snapped to the canvas grid.

Everything is iterative and linear per sweep, so a 100,000-node chain is fine.
The functions only compute positions; the caller applies them (the GUI as one
undoable move, the formula builder inside its batch).
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Iterable

from dvar.core.graph import Graph, NodeRef

#: A node box on the canvas, in scene units (gui/canvas/nodes.py draws it this size).
NODE_WIDTH = 184.0
NODE_HEIGHT = 78.0
#: Distance between the left edges of neighbouring layers.
LAYER_SPACING = 240.0
#: Smallest distance between the top edges of two nodes in one layer.
ROW_SPACING = 120.0
#: The canvas grid that positions snap to.
GRID = 20.0

#: Crossing-reduction rounds (one sweep down and one up each).
_ORDER_ROUNDS = 4
#: Vertical-placement rounds (one pass each way), followed by a final pass.
_PLACE_ROUNDS = 3

Position = tuple[float, float]


def layered_layout(graph: Graph, keys: Iterable[NodeRef] | None = None) -> dict[int, Position]:
    """Positions (top-left corners) for a left-to-right layered drawing of ``graph``.

    With ``keys`` (node keys or ids) only those nodes are laid out, using only the
    edges among them.  The drawing's top-left corner is at (0, 0); every
    coordinate is a multiple of :data:`GRID`, and no two boxes overlap.  Returns
    ``{node key: (x, y)}``; the graph is not changed.
    """
    members = _members(graph, keys)
    if not members:
        return {}
    preds, succs, is_input = _adjacency(graph, members)
    layer = _layers(preds, succs, is_input)
    output = graph.output_key
    first = next((v for v, key in enumerate(members) if key == output), None)
    order = _order_layers(first, preds, succs, layer)
    ys = _place_rows(order, preds, succs)
    return {members[v]: (layer[v] * LAYER_SPACING, ys[v]) for row in order for v in row}


def unit_layout(
    preds: list[list[int]], sizes: list[tuple[float, float]], output: int | None = None
) -> list[Position]:
    """Layered positions (top-left corners, from (0, 0)) for boxes of any ``sizes``
    (width, height), given each one's operands as ``preds`` (indices of earlier
    boxes): the canvas lays out what it shows this way, a collapsed group as one box.
    ``output`` (an index) is placed first among the boxes nothing consumes.  Layers are
    as wide as their widest box; rows as far apart as the tallest box needs."""
    n = len(preds)
    if not n:
        return []
    succs: list[list[int]] = [[] for _ in range(n)]
    for v, operands in enumerate(preds):
        for p in operands:
            succs[p].append(v)
    # A box without operands is an input: it stays in the first layer.
    layer = _layers(preds, succs, [not operands for operands in preds])
    order = _order_layers(output, preds, succs, layer)
    tallest = max(height for _, height in sizes)
    gap = max(ROW_SPACING, _snap(tallest + ROW_SPACING - NODE_HEIGHT))
    ys = _place_rows(order, preds, succs, gap)
    lefts, x = [], 0.0
    for row in order:
        lefts.append(x)
        widest = max((sizes[v][0] for v in row), default=NODE_WIDTH)
        x += _snap(widest + LAYER_SPACING - NODE_WIDTH)
    return [(lefts[layer[v]], ys[v]) for v in range(n)]


def arrange(graph: Graph, keys: Iterable[NodeRef] | None = None) -> dict[int, Position]:
    """New positions for the nodes in ``keys`` (default: every node), others staying put.

    The nodes are laid out with :func:`layered_layout` and the block is placed
    where they were: its top-left corner goes to the top-left of their current
    positions.  Nodes that have no position yet (just created) are placed below
    everything else on the canvas, so nothing that exists is covered.  Returns
    ``{node key: (x, y)}`` for the arranged nodes; the caller applies them (the
    GUI as one undoable move).
    """
    members = _members(graph, keys)
    layout = layered_layout(graph, members)
    if not layout:
        return {}
    chosen = set(members)
    placed = [graph.node(k) for k in members]
    placed = [n for n in placed if n.x is not None and n.y is not None]
    if placed:
        left = min(n.x for n in placed)  # type: ignore[type-var]
        top = min(n.y for n in placed)  # type: ignore[type-var]
    else:
        others = [n for n in graph if n.key not in chosen and n.x is not None and n.y is not None]
        if others:
            left = min(n.x for n in others)  # type: ignore[type-var]
            top = max(n.y for n in others) + NODE_HEIGHT + ROW_SPACING  # type: ignore[operator]
        else:
            left = top = 0.0
    dx, dy = _snap(left), _snap(top)
    return {k: (x + dx, y + dy) for k, (x, y) in layout.items()}


# --------------------------------------------------------------------- pieces
def _snap(value: float) -> float:
    return float(round(value / GRID) * GRID)


def _members(graph: Graph, keys: Iterable[NodeRef] | None) -> list[int]:
    """The chosen node keys, operands before consumers."""
    order = graph.topological_keys()
    if keys is None:
        return list(order)
    chosen = {graph.key_of(k) for k in keys}
    return [k for k in order if k in chosen]


def _adjacency(
    graph: Graph, members: list[int]
) -> tuple[list[list[int]], list[list[int]], list[bool]]:
    """Operands and consumers of each member, as indices into ``members``, edges inside only.

    An operand used in several slots (``x*x``) counts once.
    """
    index = {k: i for i, k in enumerate(members)}
    preds: list[list[int]] = []
    succs: list[list[int]] = [[] for _ in members]
    is_input: list[bool] = []
    for i, key in enumerate(members):
        node = graph.node(key)
        is_input.append(node.op.name == "input")
        mine = []
        for src in dict.fromkeys(node.inputs):
            j = index.get(src) if src is not None else None
            if j is not None:
                mine.append(j)
                succs[j].append(i)
        preds.append(mine)
    return preds, succs, is_input


def _layers(preds: list[list[int]], succs: list[list[int]], is_input: list[bool]) -> list[int]:
    """Layer of each node: inputs at 0, others one left of their nearest consumer.

    First the longest path from the sources (operands always lie to the left), then,
    walking back from the consumers, each node that is not an input moves right to
    just before its nearest consumer: constants land next to their use, and no edge
    is longer than it has to be.
    """
    n = len(preds)
    layer = [0] * n
    for v in range(n):  # members are in topological order
        if preds[v]:
            layer[v] = 1 + max(layer[p] for p in preds[v])
    for v in range(n - 1, -1, -1):
        if succs[v] and not is_input[v]:
            layer[v] = min(layer[s] for s in succs[v]) - 1
    low = min(layer)
    if low:
        layer = [x - low for x in layer]
    return layer


def _order_layers(
    first: int | None,
    preds: list[list[int]],
    succs: list[list[int]],
    layer: list[int],
) -> list[list[int]]:
    """The real nodes of each layer, top to bottom, with few crossings.

    Edges that skip layers get a chain of dummy vertices, one per skipped layer,
    so the sweeps see them; to keep the work linear, the longest edges go without
    dummies once their total would exceed a few times the graph's size.  Those
    still pull on the order through their far end's relative position.
    """
    n = len(preds)
    spans = sorted(layer[v] - layer[p] for v in range(n) for p in preds[v])
    budget = 2 * (n + len(spans)) + 100
    longest, used = 1, 0
    for span in spans:
        if used + span - 1 > budget:
            break
        used += span - 1
        longest = span

    # Vertices 0..n-1 are the nodes; dummies follow.  up/down link neighbouring vertices.
    vlayer = list(layer)
    up: list[list[int]] = list(preds)  # rows are copied before a dummy changes them
    down: list[list[int]] = list(succs)
    owner: list[int] = list(range(n))  # the node whose edge a dummy belongs to
    for v in range(n):
        for k, p in enumerate(up[v]):
            span = layer[v] - layer[p]
            if span < 2 or span > longest:
                continue
            if up[v] is preds[v]:
                up[v] = list(preds[v])
            if down[p] is succs[p]:
                down[p] = list(succs[p])
            previous = p
            for step in range(layer[p] + 1, layer[v]):
                d = len(vlayer)
                vlayer.append(step)
                up.append([previous])
                down.append([])
                owner.append(p)
                if previous == p:
                    down[p][down[p].index(v)] = d
                else:
                    down[previous].append(d)
                previous = d
            down[previous].append(v)
            up[v][k] = previous

    # Initial order: depth first from the sinks (``first``, the output, first), operands
    # in slot order.
    sinks = [v for v in range(n) if not succs[v]]
    sinks.sort(key=lambda v: v != first)
    seen = [False] * n
    seq = [0.0] * len(vlayer)
    count = 0
    stack = sinks[::-1]
    while stack:
        v = stack.pop()
        if seen[v]:
            continue
        seen[v] = True
        seq[v] = count
        count += 1
        stack.extend(reversed(preds[v]))
    for d in range(n, len(vlayer)):
        seq[d] = seq[owner[d]] + 0.5
    layers: list[list[int]] = [[] for _ in range(max(vlayer) + 1)]
    for v in sorted(range(len(vlayer)), key=seq.__getitem__):
        layers[vlayer[v]].append(v)

    pos = [0.0] * len(vlayer)
    for row in layers:
        _number(row, pos)

    best = _crossings(layers, down, vlayer)
    best_layers = [list(row) for row in layers]
    busy = [row for row in layers if len(row) > 1]  # one-vertex layers never change
    for _ in range(_ORDER_ROUNDS if best else 0):
        before = best
        for neighbours, rows in ((up, busy), (down, busy[::-1])):
            for row in rows:
                _sort_by_barycenter(row, neighbours, pos)
            found = _crossings(layers, down, vlayer)
            if found < best:
                best, best_layers = found, [list(row) for row in layers]
        if not best or best == before:
            break
    return [[v for v in row if v < n] for row in best_layers]


def _number(row: list[int], pos: list[float]) -> None:
    """Give a layer's vertices their relative positions in (0, 1), top to bottom."""
    size = len(row)
    for i, v in enumerate(row):
        pos[v] = (i + 0.5) / size


def _sort_by_barycenter(row: list[int], neighbours: list[list[int]], pos: list[float]) -> None:
    """Reorder a layer by the mean position of each vertex's neighbours (stable on ties)."""
    centre = {}
    for v in row:
        near = neighbours[v]
        if len(near) == 1:
            centre[v] = pos[near[0]]
        elif near:
            centre[v] = sum([pos[u] for u in near]) / len(near)
        else:
            centre[v] = pos[v]
    row.sort(key=centre.__getitem__)
    _number(row, pos)


def _crossings(layers: list[list[int]], down: list[list[int]], vlayer: list[int]) -> int:
    """Edge crossings between neighbouring layers (edges that skip layers without dummies
    are not counted)."""
    total = 0
    index = [0] * len(vlayer)
    for row in layers:
        for i, v in enumerate(row):
            index[v] = i
    for depth in range(len(layers) - 1):
        upper = layers[depth]
        if len(upper) < 2 or len(layers[depth + 1]) < 2:
            continue
        # Walk the upper layer top to bottom; an edge crosses every edge from a node above
        # it that ends lower down.  ``ends`` holds those lower ends, sorted.
        below = depth + 1
        ends: list[int] = []
        for u in upper:
            near = down[u]
            # one node's edges in increasing order never count as crossing each other
            for j in sorted([index[w] for w in near if vlayer[w] == below]) if near else ():
                total += len(ends) - bisect_right(ends, j)
                insort(ends, j)
    return total


def _place_rows(
    order: list[list[int]],
    preds: list[list[int]],
    succs: list[list[int]],
    gap: float = ROW_SPACING,
) -> list[float]:
    """Vertical positions: each node as close as it can get to the mean of its neighbours,
    layers keeping their order and at least :data:`ROW_SPACING` apart, snapped to the grid.

    Passes alternate between operands and consumers and end with operands, so a
    node sits between the nodes it computes from, as on the lecture's slide.
    """
    n = len(preds)
    y = [0.0] * n
    for row in order:
        for i, v in enumerate(row):
            y[v] = i * gap

    def settle(rows: Iterable[list[int]], first: list[list[int]], then: list[list[int]]) -> None:
        for row in rows:
            wanted = []
            for v in row:
                near = first[v] or then[v]
                if len(near) == 1:
                    wanted.append(y[near[0]])
                elif near:
                    wanted.append(sum([y[u] for u in near]) / len(near))
                else:
                    wanted.append(y[v])
            if len(row) == 1:
                y[row[0]] = wanted[0]
            else:
                for v, value in zip(row, _spaced(wanted, gap), strict=True):
                    y[v] = value

    for _ in range(_PLACE_ROUNDS):
        settle(order, preds, succs)
        settle(reversed(order), succs, preds)
    settle(order, preds, succs)

    top = min(y)
    for row in order:
        previous = None
        for v in row:
            value = _snap(y[v] - top)
            if previous is not None and value < previous + gap:
                value = previous + gap
            y[v] = previous = value
    return y


def _spaced(wanted: list[float], gap: float) -> list[float]:
    """The closest positions to ``wanted`` (least squares) that keep the order and are
    at least ``gap`` apart: isotonic regression by pooling adjacent violators."""
    blocks: list[list[float]] = []  # [sum, count] of shifted targets
    for i, target in enumerate(wanted):
        total, count = target - i * gap, 1.0
        while blocks and blocks[-1][0] * count > total * blocks[-1][1]:
            previous_total, previous_count = blocks.pop()
            total += previous_total
            count += previous_count
        blocks.append([total, count])
    result: list[float] = []
    for total, count in blocks:
        mean = total / count
        for _ in range(int(count)):
            result.append(mean + len(result) * gap)
    return result
