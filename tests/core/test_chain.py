"""A 100,000-node chain: no recursion anywhere, and the right numbers.

The tests run under a recursion limit only a little above the current stack depth,
so any recursion over the graph fails loudly instead of passing by luck.
"""

from __future__ import annotations

import inspect
import json
import math
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from dvar import core

N = 100_000


@contextmanager
def shallow_stack(headroom: int = 120) -> Iterator[None]:
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack(0)) + headroom)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def add_chain_file(n: int, x: float) -> str:
    """x, then s_k = add(s_{k-1}, x): J = s_{n-1} = (n + 1)·x and dJ/dx = n + 1."""
    nodes = [{"id": "x", "op": "input", "value": x}]
    nodes += [
        {"id": f"s{i}", "op": "add", "inputs": ["x" if i == 0 else f"s{i - 1}", "x"]}
        for i in range(n)
    ]
    return json.dumps({"format": "dvar", "version": 1, "output": f"s{n - 1}", "nodes": nodes})


def test_chain_built_by_edits() -> None:
    g = core.Graph()
    with shallow_stack():
        g.add_node("input", "x", value=0.5)
        previous = "x"
        for i in range(N):
            previous = g.add_node("add", f"s{i}", inputs=[previous, "x"])
        g.set_output(previous)
        for _ in range(2):
            ev = core.evaluate(g)
            assert ev.values[previous] == (N + 1) * 0.5
            assert ev.grads["x"] == N + 1
            assert ev.grads["s0"] == 1.0 and ev.grads[f"s{N // 2}"] == 1.0
        order = ev.order
        assert len(order) == N + 1
        assert order[:3] == [previous, f"s{N - 2}", f"s{N - 3}"] and order[-1] == "x"
        assert ev.breakdown("s7") == "ds7 = ds8 · ∂s8/∂s7 = ds8 · 1 = 1 · 1 = 1"
        g.set_value("x", 2)
        assert core.evaluate(g).values[previous] == (N + 1) * 2
        nudge = core.nudge(g, f"s{N // 2}", h=0.5)
        assert nudge.ratio == 1.0 and len(nudge.changed) == N - N // 2
        g.remove_node(f"s{N // 2}")
        ev = core.evaluate(g)
        assert ev.values[previous] is None
        assert ev.errors[previous] == f"waits on s{N // 2 + 1}"
        assert ev.values[f"s{N // 2 - 1}"] == (N // 2 + 1) * 2


def test_tanh_chain_from_a_file_in_reverse_order() -> None:
    """y_0 = tanh(x), y_k = tanh(y_{k-1}), nodes listed consumers first."""
    nodes = [{"id": "x", "op": "input", "value": 1.3}]
    nodes += [
        {"id": f"y{i}", "op": "tanh", "inputs": ["x" if i == 0 else f"y{i - 1}"]} for i in range(N)
    ]
    nodes.reverse()
    text = json.dumps({"format": "dvar", "version": 1, "output": f"y{N - 1}", "nodes": nodes})
    value, slope = 1.3, 1.0
    for _ in range(N):
        value = math.tanh(value)
        slope *= 1.0 - value * value
    with shallow_stack():
        g = core.loads(text, "chain.dvar")
        ev = core.evaluate(g)
    assert ev.values[f"y{N - 1}"] == pytest.approx(value, rel=1e-12)
    assert ev.grads["x"] == pytest.approx(slope, rel=1e-9)
    assert ev.values[f"y{N - 1}"] == pytest.approx(math.sqrt(3 / (2 * N)), rel=0.01)


@pytest.mark.slow
def test_dvar_eval_json_on_a_100000_node_file(tmp_path: Path) -> None:
    path = tmp_path / "chain.dvar"
    path.write_text(add_chain_file(N, 0.25), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "dvar", "eval", str(path), "--json"],
        capture_output=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["values"][f"s{N - 1}"] == (N + 1) * 0.25
    assert document["grads"]["x"] == N + 1
    assert document["errors"] == {}
    assert len(document["values"]) == N + 1
