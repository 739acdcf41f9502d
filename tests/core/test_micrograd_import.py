"""dvar.from_micrograd: micrograd's graphs in dvar, with micrograd's own derivatives,
the same file on every run, and labels kept."""

from __future__ import annotations

import ast
import math
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from micrograd.engine import Value
from micrograd.nn import MLP

import dvar
from benchmarks.moons import moons, moons_loss
from dvar import core
from dvar.core import micrograd as importer

REPO = Path(__file__).resolve().parents[2]


def assert_same_grads(root, values) -> core.Evaluation:
    """Import root, evaluate, and compare each Value's derivative with micrograd's."""
    graph, node_of = dvar.from_micrograd(root)
    ev = core.evaluate(graph)
    assert ev.values[node_of[root]] == pytest.approx(root.data, rel=1e-12)
    for v in values:
        assert math.isclose(ev.grads[node_of[v]], v.grad, rel_tol=1e-9), (node_of[v], v.grad)
    return ev


# ------------------------------------------- micrograd's own test examples
def test_sanity_check() -> None:
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    ev = assert_same_grads(y, [x, z, q, h])
    assert ev.grads[ev.output] == 1.0
    assert ev.output == "J"  # an output without a label


def test_more_ops() -> None:
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert_same_grads(g, [a, b, c, d, e, f])


def test_x_times_x_has_one_child_and_two_slots() -> None:
    x = Value(3.0)
    y = x * x + x
    y.backward()
    graph, node_of = dvar.from_micrograd(y)
    square = graph.node(node_of[y])
    muls = [n for n in graph if n.op.name == "mul"]
    assert len(muls) == 1 and muls[0].inputs == [graph.key_of(node_of[x])] * 2
    assert square.op.name == "add"
    assert core.evaluate(graph).grads[node_of[x]] == x.grad == 7.0


def test_powers_read_k_from_the_op_text() -> None:
    x = Value(2.0)
    y = x**2 + x**-1 + x**0.5
    y.backward()
    graph, node_of = dvar.from_micrograd(y)
    exponents = sorted(graph.node(n.inputs[1]).value for n in graph if n.op.name == "pow")
    assert exponents == [-1.0, 0.5, 2.0]
    assert all(graph.node(n.inputs[1]).op.name == "const" for n in graph if n.op.name == "pow")
    assert math.isclose(core.evaluate(graph).grads[node_of[x]], x.grad, rel_tol=1e-9)


def test_operands_that_look_alike_are_ordered_by_what_uses_them() -> None:
    def build(a_first: bool) -> str:
        a, b = (Value(1.0), Value(1.0)) if a_first else reversed((Value(1.0), Value(1.0)))
        y = (b * 2) + (a * 2)  # the same from below: only a's second use tells them apart
        z = y * a if a_first else a * y
        graph, node_of = dvar.from_micrograd(z)
        assert graph.node(node_of[a]).op.name == "input"
        return core.dumps(graph)

    texts = {build(True), build(False)}
    for _ in range(20):  # other objects, other addresses, other set orders
        texts.add(build(len(texts) % 2 == 0))
    assert len(texts) == 1


# ----------------------------------------- a fork, as in the lecture series
class LectureValue:
    """micrograd as the lecture series writes it: label, tanh and exp; no micrograd import."""

    def __init__(self, data, _children=(), _op="", label=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op
        self.label = label

    def __add__(self, other):
        other = other if isinstance(other, LectureValue) else LectureValue(other)
        out = LectureValue(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, LectureValue) else LectureValue(other)
        out = LectureValue(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def tanh(self):
        t = (math.exp(2 * self.data) - 1) / (math.exp(2 * self.data) + 1)
        out = LectureValue(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t**2) * out.grad

        out._backward = _backward
        return out

    def exp(self):
        out = LectureValue(math.exp(self.data), (self,), "exp")

        def _backward():
            self.grad += out.data * out.grad

        out._backward = _backward
        return out

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:
            v, done = stack.pop()
            if done:
                order.append(v)
            elif v not in seen:
                seen.add(v)
                stack.append((v, True))
                stack.extend((c, False) for c in v._prev)
        self.grad = 1.0
        for v in reversed(order):
            v._backward()


def test_a_fork_with_labels_tanh_and_exp() -> None:
    x1 = LectureValue(2.0, label="x1")
    x2 = LectureValue(0.0, label="x2")
    w1 = LectureValue(-3.0, label="w1")
    w2 = LectureValue(1.0, label="w2")
    b = LectureValue(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"  # not an id: stays the node's label
    n = x1w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    e = o.exp()
    e.backward()
    graph, node_of = dvar.from_micrograd(e)
    assert {node_of[v] for v in (x1, x2, w1, w2, b, n, o)} == {
        "x1",
        "x2",
        "w1",
        "w2",
        "b",
        "n",
        "o",
    }
    assert graph.node(node_of[x1w1]).label == "x1*w1"
    assert graph.node("o").op.name == "tanh"
    assert graph.node(node_of[e]).op.name == "exp" and graph.output == node_of[e] == "J"
    ev = core.evaluate(graph)
    for v in (x1, x2, w1, w2, b, n, o):
        assert math.isclose(ev.grads[node_of[v]], v.grad, rel_tol=1e-9)
    assert all(n.x is None for n in graph)  # no positions: the editor lays out


def test_it_never_imports_micrograd() -> None:
    tree = ast.parse(Path(importer.__file__).read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    assert not [m for m in names if "micrograd" in m]


def test_what_is_not_a_micrograd_graph_is_refused_clearly() -> None:
    with pytest.raises(core.GraphError, match="not a micrograd Value"):
        dvar.from_micrograd(3.0)
    odd = Value(1.0)
    odd._op = "sin"
    bad = odd + 1
    with pytest.raises(core.GraphError, match="'sin' has no dvar op"):
        dvar.from_micrograd(bad)
    with pytest.raises(core.GraphError, match="without parameters"):
        dvar.from_micrograd(Value(1.0) + 1, model=object())
    leaf = Value(math.inf)
    with pytest.raises(core.GraphError, match="finite"):
        dvar.from_micrograd(leaf * 2)
    model = MLP(2, [2, 1])
    graph, _ = dvar.from_micrograd(model([1.0, 2.0]), model=model)
    assert graph.output is not None


def test_a_deep_chain_imports_without_recursion() -> None:
    x = Value(1.0)
    y = x
    for _ in range(70_000):
        y = y + 1
    graph, node_of = dvar.from_micrograd(y)
    assert len(graph) == 140_001
    ev = core.evaluate(graph)
    assert ev.values[node_of[y]] == 70_001.0 and ev.grads[node_of[x]] == 1.0


# ------------------------------------------------------------- the moons step
@pytest.mark.slow
def test_the_moons_loss_matches_micrograd() -> None:
    random.seed(1337)
    model = MLP(2, [16, 16, 1])
    points, labels = moons(100, seed=1)
    loss = moons_loss(model, points, labels)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    loss.backward()
    graph, node_of = dvar.from_micrograd(loss, model=model)
    assert 60_000 < len(graph) < 70_000
    ev = core.evaluate(graph)
    assert math.isclose(ev.values[graph.output], loss.data, rel_tol=1e-12)
    compared = 0
    for p in model.parameters():
        assert math.isclose(ev.grads[node_of[p]], p.grad, rel_tol=1e-9, abs_tol=1e-300)
        compared += 1
    assert compared == 337


SCRIPT = """
import random, sys
from micrograd.engine import Value
from micrograd.nn import MLP
import dvar
from benchmarks.moons import moons, moons_loss
junk = [object() for _ in range(int(sys.argv[2]))]  # other addresses, other set orders
random.seed(7)
model = MLP(2, [4, 4, 1])
points, labels = moons(12, seed=3)
graph, _ = dvar.from_micrograd(moons_loss(model, points, labels))
dvar.save(graph, sys.argv[1])
"""


@pytest.mark.slow
def test_the_same_code_gives_the_same_file_in_every_process(tmp_path: Path) -> None:
    files = []
    for seed, junk in (("0", "0"), ("12345", "777"), ("random", "31")):
        out = tmp_path / f"moons-{seed}.dvar"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(out), junk],
            cwd=REPO,
            env=env,
            capture_output=True,
            encoding="utf-8",
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        files.append(out.read_bytes())
    assert files[0] == files[1] == files[2]
    assert b'"op": "relu"' in files[0]


def test_the_collector_is_left_as_it_was() -> None:
    import gc

    y = Value(2.0) * Value(3.0) + 1
    assert gc.isenabled()
    frozen_at_start = gc.get_freeze_count()  # 3.12.1 starts with a few hundred frozen
    dvar.from_micrograd(y)
    assert gc.isenabled() and gc.get_freeze_count() == frozen_at_start
    gc.disable()
    try:
        dvar.from_micrograd(y)
        assert not gc.isenabled()
    finally:
        gc.enable()
    kept = [object() for _ in range(3)]  # noqa: F841 - a program's own frozen objects
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        dvar.from_micrograd(y)
        assert gc.get_freeze_count() == frozen  # never unfrozen by the import
    finally:
        gc.unfreeze()
    with pytest.raises(core.GraphError):
        dvar.from_micrograd(Value(math.nan) + 1)
    assert gc.isenabled()


def test_a_labelled_output_keeps_its_label_as_its_id() -> None:
    a = LectureValue(2.0, label="a")
    loss = a * a + 1
    loss.label = "L"
    graph, node_of = dvar.from_micrograd(loss)
    assert graph.output == node_of[loss] == "L"
    loss.label = "the loss"
    graph, node_of = dvar.from_micrograd(loss)
    assert graph.output == "J" and graph.node("J").label == "the loss"


class SlotValue:
    """A fork that keeps micrograd's fields in slots, and one with a label."""

    __slots__ = ("data", "grad", "_prev", "_op", "label")

    def __init__(self, data, children=(), op="", label=None):
        self.data, self.grad, self._prev, self._op = data, 0.0, set(children), op
        if label is not None:
            self.label = label

    def __add__(self, other):
        return SlotValue(self.data + other.data, (self, other), "+")

    def __mul__(self, other):
        return SlotValue(self.data * other.data, (self, other), "*")


def test_a_fork_with_slots_and_a_label() -> None:
    a, b = SlotValue(2.0, label="a"), SlotValue(3.0)
    y = a * b + a
    graph, node_of = dvar.from_micrograd(y)
    assert node_of[a] == "a" and graph.node(node_of[b]).op.name == "input"
    ev = core.evaluate(graph)
    assert (ev.values[graph.output], ev.grads["a"], ev.grads[node_of[b]]) == (8.0, 4.0, 2.0)


def test_a_label_set_by_hand_on_plain_micrograd_is_kept() -> None:
    w = Value(0.5)
    w.label = "w"
    y = (w * 3).relu()
    graph, node_of = dvar.from_micrograd(y)
    assert node_of[w] == "w"
