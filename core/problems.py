"""Practice problems: a small graph for a level and a seed, the same in every release.

``make_problem(level, seed)`` builds one of four kinds of graph:

1. the lecture's shape, ``J = k·(a + b·c)``, with small whole numbers;
2. a variable used twice, so its derivative sums two paths: ``J = k·x·(x·y + z)``;
3. exp, log and σ: ``J = log(σ(x·y) + exp(y))``;
4. a loss like logistic regression: the mean of −log σ(w·x) over two examples, so
   the weight w is used twice.

The generator is versioned (:data:`GENERATOR_VERSION`): a level and a seed give the
same graph, ids, values and positions included, in every later release.  A change
that would give a different graph is a new version, and the old one stays.  Each
graph carries ``{"practice": {"level", "seed", "generator"}}`` in its file's extra
fields, so a saved problem says where it came from.

Values are drawn from the problem's own ``random.Random(seed)`` and redrawn, in the
same deterministic sequence, until no two of the diagnosis table's candidates
coincide for any derivative or local derivative (``practice.clashes``): then every
mistake a learner can make on the problem is told apart from every other.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from dvar.core.engine import evaluate
from dvar.core.graph import Graph
from dvar.core.practice import clashes
from dvar.core.practice_candidates import candidates

#: Bumped whenever a level and seed would give a different graph; see the module docstring.
GENERATOR_VERSION = 1
#: What each level practises, for menus and the command line.
LEVELS = {
    1: "the lecture's shape, with small whole numbers",
    2: "a variable used twice",
    3: "exp, log and σ",
    4: "a loss like logistic regression",
}
#: Seeds are whole numbers from 0 to this (the range a spin box can hold).
MAX_SEED = 2**31 - 1
#: How many draws of values a problem may take before the generator gives up (a bug).
MAX_DRAWS = 1000

#: One node of a problem: id, op, value (leaves) or operand ids, column, row, param.
Spec = tuple[str, str, "float | list[str]", float, float, bool]

_COLUMN, _ROW = 240, 140


def make_problem(level: int, seed: int) -> Graph:
    """The practice graph for ``level`` (1 to 4) and ``seed`` (0 to MAX_SEED).

    Raises ValueError for a level or a seed out of range.
    """
    if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
        raise ValueError(f"the level must be one of {', '.join(map(str, LEVELS))}, not {level!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"the seed must be a whole number from 0 to {MAX_SEED}, not {seed!r}")
    rng = random.Random(seed)
    draw = _DRAWS[level]
    for _ in range(MAX_DRAWS):
        graph = _build(draw(rng))
        if diagnosable(graph):
            graph.extra["title"] = f"Practice: level {level}, seed {seed}"
            graph.extra["practice"] = {
                "level": level,
                "seed": seed,
                "generator": GENERATOR_VERSION,
            }
            return graph
    raise RuntimeError(f"no diagnosable problem for level {level}, seed {seed}")  # pragma: no cover


def diagnosable(graph: Graph) -> bool:
    """True when every derivative and local derivative has a value and no two of its
    diagnosis candidates coincide (``practice.clashes``)."""
    ev = evaluate(graph, compile=False)
    if ev.output is None:
        return False
    for node in ev.order:
        if ev.grads[node] is None:
            return False
        if clashes(candidates(ev, node)):
            return False
        for term in ev.terms(node):
            if term.partial is None:
                return False
            slot = term.slot if term.repeated else None
            if clashes(candidates(ev, node, consumer=term.consumer, slot=slot)):
                return False
    return True


def _build(specs: list[Spec]) -> Graph:
    graph = Graph()
    for node_id, op, arg, column, row, param in specs:
        place = {"x": column * _COLUMN, "y": row * _ROW}
        if isinstance(arg, list):
            graph.add_node(op, node_id, inputs=list(arg), **place)
        else:
            graph.add_node(op, node_id, value=float(arg), param=param, **place)
    graph.set_output(specs[-1][0])
    return graph


# ------------------------------------------------------------------ the levels
# Each draw takes values from the rng in a fixed sequence and returns the nodes.
# Changing a sequence, a choice list, an id or a position changes the problems of
# that level: that needs a new GENERATOR_VERSION (see the module docstring).

_SMALL = [-3, -2, 2, 3, 4, 5, 6]
_HALVES = [-2.0, -1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 2.0]


def _lecture_shape(rng: random.Random) -> list[Spec]:
    """J = k·(a + b·c), laid out as the lecture draws it."""
    a = rng.choice([-4, -2, -1, 1, 2, 3, 4, 5, 6, 7])
    b = rng.choice(_SMALL)
    c = rng.choice(_SMALL)
    k = rng.choice([2, 3, 4, 5])
    return [
        ("a", "input", a, 0, 0, False),
        ("b", "input", b, 0, 1, False),
        ("c", "input", c, 0, 2, False),
        ("u", "mul", ["b", "c"], 1, 1.5, False),
        ("v", "add", ["a", "u"], 2, 0.75, False),
        ("k", "const", k, 2, -0.25, False),
        ("J", "mul", ["k", "v"], 3, 0.25, False),
    ]


def _used_twice(rng: random.Random) -> list[Spec]:
    """J = k·w with w = v·x and v = x·y + z: x is used twice, and its two paths carry
    different amounts.  (Both uses multiply: a use through an add would make a missed
    path the same number as an upstream derivative alone.)"""
    x = rng.choice(_SMALL)
    y = rng.choice(_SMALL)
    z = rng.choice(_SMALL)
    k = rng.choice([2, 3, 4])
    return [
        ("x", "input", x, 0, 0, False),
        ("y", "input", y, 0, 1, False),
        ("z", "input", z, 0, 2, False),
        ("u", "mul", ["x", "y"], 1, 1, False),
        ("v", "add", ["u", "z"], 2, 1.5, False),
        ("w", "mul", ["v", "x"], 3, 0.75, False),
        ("k", "const", k, 3, -0.25, False),
        ("J", "mul", ["k", "w"], 4, 0.25, False),
    ]


def _exp_log_sigmoid(rng: random.Random) -> list[Spec]:
    """J = log(σ(x·y) + exp(y)): y is used twice, once through σ and once through exp."""
    x = rng.choice(_HALVES)
    y = rng.choice(_HALVES)
    return [
        ("x", "input", x, 0, 0, False),
        ("y", "input", y, 0, 1.5, False),
        ("u", "mul", ["x", "y"], 1, 0, False),
        ("e", "exp", ["y"], 1, 2, False),
        ("s", "sigmoid", ["u"], 2, 0, False),
        ("v", "add", ["s", "e"], 3, 1, False),
        ("J", "log", ["v"], 4, 1, False),
    ]


def _logistic_loss(rng: random.Random) -> list[Spec]:
    """L = −½ (log σ(w·x1) + log σ(w·x2)): the mean negative log-likelihood of two
    examples of the positive class, with the weight w shared.  (No bias: a bias added
    into both examples would make a missed path the same number as an upstream
    derivative alone.)"""
    x1 = rng.choice(_HALVES)
    x2 = rng.choice(_HALVES)
    w = rng.choice([-1.0, -0.5, 0.5, 1.0, 1.5])
    return [
        ("x1", "input", x1, 0, 0, False),
        ("w", "input", w, 0, 1, True),
        ("x2", "input", x2, 0, 2, False),
        ("z1", "mul", ["w", "x1"], 1, 0.5, False),
        ("z2", "mul", ["w", "x2"], 1, 1.5, False),
        ("p1", "sigmoid", ["z1"], 2, 0.5, False),
        ("p2", "sigmoid", ["z2"], 2, 1.5, False),
        ("log_p1", "log", ["p1"], 3, 0.5, False),
        ("log_p2", "log", ["p2"], 3, 1.5, False),
        ("s", "add", ["log_p1", "log_p2"], 4, 1, False),
        ("k", "const", -0.5, 4, 0, False),
        ("L", "mul", ["k", "s"], 5, 0.5, False),
    ]


_DRAWS: dict[int, Callable[[random.Random], list[Spec]]] = {
    1: _lecture_shape,
    2: _used_twice,
    3: _exp_log_sigmoid,
    4: _logistic_loss,
}
