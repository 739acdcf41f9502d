"""Where a new node goes: the free spot nearest to where it was asked for.

Pure geometry over rectangles ``(left, top, width, height)`` in scene units, with
no Qt: the caller hands in a function that returns the rectangles (the nodes)
inside a window, which the scene answers from its spatial index.

The search looks in a window around the wanted spot, marks the cells of a coarse
grid that the obstacles (grown by the gap) touch, and takes the free cell nearest
to the wanted spot where the new rectangle fits; if the window has none, it tries
a window twice as wide.  Each window costs the same (a fixed number of cells),
so a crowded 5,000-node canvas is searched in a few milliseconds, and the same
canvas always gives the same answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable

#: (left, top, width, height)
Rect = tuple[float, float, float, float]

#: Cells across a search window (each way): the cost of one window.
CELLS = 64
#: Windows tried, each twice as wide as the one before, before giving up.
WINDOWS = 24


def free_spot(
    size: tuple[float, float],
    wanted: tuple[float, float],
    obstacles: Callable[[Rect], Iterable[Rect]],
    *,
    gap: float,
    step: float = 20.0,
    right_limit: float | None = None,
) -> tuple[float, float]:
    """The top-left corner nearest to ``wanted`` for a rectangle of ``size`` that keeps
    at least ``gap`` away from every obstacle.

    ``obstacles(window)`` returns (at least) the rectangles that meet ``window``.  The
    corner is on the ``step`` grid, with ``wanted`` rounded to it.  With
    ``right_limit``, the rectangle's right edge stays at or left of it (a constant
    goes to the left of the node it feeds).
    """
    width, height = size
    x0, y0 = _snap(wanted[0], step), _snap(wanted[1], step)
    if right_limit is not None:
        x0 = min(x0, math.floor((right_limit - width) / step) * step)
    cell = step
    while cell * CELLS < 4 * (max(width, height) + gap):
        cell *= 2
    for _ in range(WINDOWS):
        spot = _search(width, height, x0, y0, cell, obstacles, gap, right_limit)
        if spot is not None:
            return spot
        cell *= 2
    return x0, y0  # an unbounded wall of obstacles: nothing better to offer


def _snap(value: float, step: float) -> float:
    return round(value / step) * step


def _search(
    width: float,
    height: float,
    x0: float,
    y0: float,
    cell: float,
    obstacles: Callable[[Rect], Iterable[Rect]],
    gap: float,
    right_limit: float | None,
) -> tuple[float, float] | None:
    """The free corner nearest to (x0, y0) within one window of CELLS × CELLS cells,
    centred on it, or None."""
    half = CELLS // 2
    left, top = x0 - half * cell, y0 - half * cell
    side = CELLS * cell
    busy = [[False] * CELLS for _ in range(CELLS)]
    for ox, oy, ow, oh in obstacles((left, top, side, side)):
        # Cells the obstacle, grown by the gap, overlaps (touching an edge is not overlapping).
        first_col = max(0, math.floor((ox - gap - left) / cell))
        last_col = min(CELLS - 1, math.ceil((ox + ow + gap - left) / cell) - 1)
        first_row = max(0, math.floor((oy - gap - top) / cell))
        last_row = min(CELLS - 1, math.ceil((oy + oh + gap - top) / cell) - 1)
        for row in range(first_row, last_row + 1):
            line = busy[row]
            for col in range(first_col, last_col + 1):
                line[col] = True
    # Busy cells in each rectangle of cells from (0, 0): a block is free when its sum is 0.
    sums = [[0] * (CELLS + 1) for _ in range(CELLS + 1)]
    for row in range(CELLS):
        above, here, line = sums[row], sums[row + 1], busy[row]
        running = 0
        for col in range(CELLS):
            running += line[col]
            here[col + 1] = above[col + 1] + running
    across = math.ceil(width / cell - 1e-9)
    down = math.ceil(height / cell - 1e-9)
    last_col = CELLS - across
    if right_limit is not None:
        last_col = min(last_col, math.floor((right_limit - width - left) / cell + 1e-9))
    if last_col < 0:
        return None
    # Rows nearest the middle first; in each, the free column nearest the middle.  Ties
    # go to the row above and the column to the left: the same answer every time.
    rows = sorted(range(CELLS - down + 1), key=lambda row: (abs(row - half), row))
    cols = sorted(range(last_col + 1), key=lambda col: (abs(col - half), col))
    best: tuple[int, int, int] | None = None
    for row in rows:
        if best is not None and (row - half) ** 2 > best[0]:
            break  # every later row is further away than the best spot already
        top_sums, bottom_sums = sums[row], sums[row + down]
        for col in cols:
            right = col + across
            if bottom_sums[right] - top_sums[right] - bottom_sums[col] + top_sums[col]:
                continue
            distance = (col - half) ** 2 + (row - half) ** 2
            if best is None or distance < best[0]:
                best = (distance, row, col)
            break  # further columns in this row are further away
    if best is None:
        return None
    _, row, col = best
    return left + col * cell, top + row * cell
