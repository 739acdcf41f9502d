"""core.layout.unit_layout: the layered layout of boxes of any size (the canvas lays out
what it shows with it, a collapsed group as one box)."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from dvar.core.layout import GRID, unit_layout


def _random_units(seed: int, n: int):
    rng = random.Random(seed)
    preds = [sorted(rng.sample(range(v), min(v, rng.randint(0, 3)))) for v in range(n)]
    sizes = [
        (rng.choice([184.0, 280.0, 460.0]), rng.choice([78.0, 152.0, 300.0])) for _ in range(n)
    ]
    return preds, sizes


@given(st.integers(0, 10_000), st.integers(1, 40))
def test_boxes_never_overlap_and_operands_sit_left(seed, n):
    preds, sizes = _random_units(seed, n)
    places = unit_layout(preds, sizes, output=n - 1)
    assert len(places) == n
    rects = [(x, y, x + w, y + h) for (x, y), (w, h) in zip(places, sizes, strict=True)]
    for i, (l1, t1, r1, b1) in enumerate(rects):
        assert l1 % GRID == 0 and t1 % GRID == 0
        for l2, t2, r2, b2 in rects[i + 1 :]:
            assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, "two boxes overlap"
    for v, operands in enumerate(preds):
        for p in operands:
            assert places[p][0] + sizes[p][0] < places[v][0], "an operand is not left of its use"


def test_a_chain_reads_left_to_right_on_one_row():
    places = unit_layout([[], [0], [1]], [(280.0, 300.0), (184.0, 78.0), (184.0, 78.0)], 2)
    xs = [x for x, _ in places]
    assert xs == sorted(xs) and len(set(xs)) == 3
    assert places[0][1] == places[1][1] == places[2][1] == 0.0


def test_no_units_no_places():
    assert unit_layout([], []) == []
