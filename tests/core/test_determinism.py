"""One graph, one answer: every path gives the same numbers, to the last bit.

Values, derivatives and chain-rule breakdowns may depend only on the graph as
saved.  Not on the order of the edits that built it, not on whether its plan ran
interpreted or compiled, and not on how many times it was evaluated.  The same goes
for ``dvar eval --json`` and the exported Python script.  The sign of zero is part
of the answer: the first term of a sum starts it, and a node with no terms gets +0.0.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import runpy
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dvar import core
from dvar.core.pyexport import to_python
from tests.core.helpers import build
from tests.core.test_random_edits import ALL_OPS, bits, random_edit
from tests.profiles import scaled

#: Numbers that tell summation orders apart: cancellation, signed zeros, extremes.
SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, 3.0, 1e16, -1e16, 1e-200, 1e200, 1e-8, 7.25]
VALUES = st.one_of(
    st.sampled_from(SPECIAL), st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
)


def answer(ev: core.Evaluation) -> dict:
    """Everything a person can read off an evaluation, exactly, by node id."""
    facts = {"output": ev.output, "errors": ev.errors}
    for node in sorted(ev.values):
        terms = [
            (t.consumer, t.slot, t.partial_text, bits(t.partial), bits(t.product))
            for t in ev.terms(node)
        ]
        facts[node] = (
            bits(ev.values[node]),
            bits(ev.grads[node]),
            ev.error(node),
            tuple(ev.breakdown(node, notation) for notation in core.NOTATIONS),
            tuple(terms),
        )
    return facts


def json_bits(data: dict) -> dict:
    """``{"output", "values", "grads", "errors"}`` with numbers as bit patterns."""
    return {
        "output": data["output"],
        "values": {k: bits(v) for k, v in data["values"].items()},
        "grads": {k: bits(v) for k, v in data["grads"].items()},
        "errors": data["errors"],
    }


def run_in_process(main, argv: list[str]) -> str:
    buffer = io.StringIO()
    saved = sys.argv
    sys.argv = argv
    try:
        with contextlib.redirect_stdout(buffer):
            main()
    finally:
        sys.argv = saved
    return buffer.getvalue()


def eval_json(path: Path) -> dict:
    """What ``dvar eval FILE --json`` prints, run in this process."""
    from dvar.gui.app.cli import main

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert main(["eval", str(path), "--json"]) == 0
    return json.loads(buffer.getvalue())


def script_json(graph: core.Graph, path: Path) -> dict:
    """What the exported script prints with --json, run in this process."""
    path.write_text(to_python(graph), encoding="utf-8")
    printed = run_in_process(
        lambda: runpy.run_path(str(path), run_name="__main__"), [str(path), "--json"]
    )
    return json.loads(printed)


def every_path(graph: core.Graph) -> list[tuple[str, dict]]:
    """The graph evaluated every way dvar can: interpreted, compiled, and again."""
    work = graph.copy()  # the same keys and order of positions as the graph itself
    results = [("interpreted", answer(core.evaluate(work, compile=False)))]
    results.append(("interpreted again", answer(core.evaluate(work, compile=False))))
    core.prepare(work)
    results.append(("compiled", answer(core.evaluate(work))))
    results.append(("compiled again", answer(core.evaluate(work))))
    counted = graph.copy()
    results += [(f"evaluation {k + 1}", answer(core.evaluate(counted))) for k in range(3)]
    return results


def assert_one_answer(graph: core.Graph, tmp: Path) -> None:
    """The graph, its fresh load, `dvar eval --json` and its script: all bit-identical."""
    text = core.dumps(graph)
    fresh = core.loads(text)
    reference = answer(core.evaluate(fresh.copy(), compile=False))
    for name, facts in every_path(graph) + every_path(fresh):
        assert facts == reference, (name, text)
    path = tmp / "graph.dvar"
    path.write_text(text, encoding="utf-8")
    want = json_bits(core.evaluate(fresh).to_json())
    assert json_bits(eval_json(path)) == want, text
    assert json_bits(script_json(fresh, tmp / "graph.py")) == want, text
    assert json_bits(script_json(graph, tmp / "history.py")) == want, text


@settings(
    max_examples=scaled(60),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_a_graph_built_by_any_history_gives_one_answer(tmp_path: Path, data) -> None:
    g = core.Graph()
    counter = [0]
    for _ in range(data.draw(st.integers(1, 3), label="leaves")):
        random_edit(g, data, ALL_OPS, counter)
    for _ in range(data.draw(st.integers(1, 60), label="edits")):
        random_edit(g, data, ALL_OPS, counter)
    if data.draw(st.booleans(), label="complete"):
        complete(g, data)
    for node in g.nodes():  # numbers that tell summation orders apart
        if node.op.is_leaf and data.draw(st.booleans(), label="special"):
            g.set_value(node.id, data.draw(VALUES, label="value"))
    assert_one_answer(g, tmp_path)


def complete(g: core.Graph, data) -> None:
    """Fill every empty slot with a leaf and choose a computed output, so the fast paths run."""
    leaves = [n.id for n in g.nodes() if n.op.is_leaf]
    if not leaves:
        g.add_node("input", "x0", value=1.0)
        leaves = ["x0"]
    # One or two leaves fill every empty slot (leaves never close a cycle), so they
    # have many uses: a sum of three or more terms rounds differently in another order.
    hubs = data.draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=2), label="hubs")
    for node in g.nodes():
        for slot, src in enumerate(node.inputs):
            if src is None:
                g.connect(data.draw(st.sampled_from(hubs), label="leaf"), node.id, slot)
    computed = [n.id for n in g.nodes() if not n.op.is_leaf]
    if computed:
        g.set_output(data.draw(st.sampled_from(computed), label="output"))


def wired_graph(data) -> core.Graph:
    """Ops made first and wired afterwards, in random orders: every connection may reorder
    the positions the engine keeps, so they end up far from the saved file's order."""
    g = core.Graph()
    leaves = [f"x{k}" for k in range(data.draw(st.integers(1, 3), label="leaves"))]
    for leaf in leaves:
        g.add_node("input", leaf, value=data.draw(VALUES, label="value"))
    ops = data.draw(st.lists(st.sampled_from(ALL_OPS), min_size=2, max_size=30), label="ops")
    names = [f"n{k}" for k in range(len(ops))]
    for name, op in zip(names, ops, strict=True):
        g.add_node(op, name)
    rank = data.draw(st.permutations(names), label="topological order")
    wires = []
    for k, name in enumerate(rank):
        for slot in range(core.OPS[ops[names.index(name)]].arity):
            sources = leaves + rank[:k]
            wires.append((data.draw(st.sampled_from(sources), label="source"), name, slot))
    for source, consumer, slot in data.draw(st.permutations(wires), label="wiring order"):
        g.connect(source, consumer, slot)
    g.set_output(rank[-1])
    return g


@settings(
    max_examples=scaled(100),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_a_graph_wired_in_any_order_gives_one_answer(tmp_path: Path, data) -> None:
    g = wired_graph(data)
    counter = [1000]
    for _ in range(data.draw(st.integers(0, 5), label="edits")):
        random_edit(g, data, ALL_OPS, counter)
    assert_one_answer(g, tmp_path)


# ------------------------------------------------------------ named cases
def cancellation() -> core.Graph:
    return core.graph_from_formula("J = x*1 + x*1e16 + x*(-1e16)")


def test_cancellation_gives_one_answer_on_every_evaluation(tmp_path: Path) -> None:
    """J = x·1 + x·1e16 + x·(−1e16): dx depends on the order of its three terms."""
    g = cancellation()
    ev = core.evaluate(g)
    # The canonical order, as the breakdown reads: t3 (x·k_3), then x_times_one (x·k),
    # then t1 (x·k_2).
    assert [t.consumer for t in ev.terms("x")] == ["t3", "x_times_one", "t1"]
    expected = (-1e16 + 1.0) + 1e16  # summed in that order, in floating point
    assert expected == 0.0
    for k in range(5):
        assert bits(core.evaluate(g).grads["x"]) == bits(expected), k
    g.set_value("x", 2.0)  # a value edit, as in the editor once it has been idle
    core.prepare(g)
    assert bits(core.evaluate(g, compile=False).grads["x"]) == bits(expected)
    assert_one_answer(g, tmp_path)


def test_a_single_negative_zero_term_gives_negative_zero(tmp_path: Path) -> None:
    g = build([("x", "input", 2.0), ("z", "const", -0.0), ("J", "mul", ["x", "z"])], "J")
    for k in range(3):
        grads = core.evaluate(g).grads
        assert bits(grads["x"]) == bits(-0.0), k  # dJ · z = 1 · (−0) = −0
    assert_one_answer(g, tmp_path)


def test_zero_terms_of_both_signs_and_no_terms_at_all(tmp_path: Path) -> None:
    spec = [
        ("x", "input", 2.0),
        ("nz", "const", -0.0),
        ("pz", "const", 0.0),
        ("a", "mul", ["x", "nz"]),  # ∂a/∂x = −0
        ("b", "mul", ["x", "nz"]),  # ∂b/∂x = −0
        ("c", "mul", ["x", "pz"]),  # ∂c/∂x = +0
        ("ab", "add", ["a", "b"]),
        ("J", "add", ["ab", "c"]),
        ("side", "neg", ["x"]),  # does not reach J: no terms
    ]
    g = build(spec, "J")
    ev = core.evaluate(g)
    for k in range(3):
        ev = core.evaluate(g)
        assert bits(ev.grads["x"]) == bits(0.0), k  # −0 + −0 + +0 = +0
        assert bits(ev.grads["side"]) == bits(0.0)
    g.disconnect("J", 1)
    g.remove_node("c")
    g.add_node("input", "c", value=1.0)
    g.connect("c", "J", 1)
    for k in range(3):
        assert bits(core.evaluate(g).grads["x"]) == bits(-0.0), k  # −0 + −0 = −0
    assert_one_answer(g, tmp_path)


def test_breakdowns_read_the_same_after_save_and_reopen() -> None:
    """Nodes made in one order, saved in another: the terms keep the canonical order."""
    g = core.Graph()
    g.add_node("input", "e", value=2.0)
    g.add_node("exp", "q", inputs=["e"])
    g.add_node("sin", "p", inputs=["e"])
    g.add_node("add", "J", inputs=["p", "q"])
    g.set_output("J")
    live = core.evaluate(g).breakdown("e")
    reopened = core.evaluate(core.loads(core.dumps(g))).breakdown("e")
    assert live == reopened
    assert live.startswith("de = dp · ∂p/∂e + dq · ∂q/∂e = ")  # J's slot order: p, then q


def test_a_rename_keeps_the_order_of_terms() -> None:
    g = core.graph_from_formula("J = sin(e) + exp(e)")
    before = [t.slot for t in core.evaluate(g).terms("e")]
    consumers = [t.consumer for t in core.evaluate(g).terms("e")]
    g.rename(consumers[0], "zz")
    after = core.evaluate(g).terms("e")
    assert [t.slot for t in after] == before
    assert after[0].consumer == "zz"


@pytest.mark.parametrize("notation", core.NOTATIONS)
def test_forward_mode_agrees_with_the_backward_pass_on_the_sign_of_zero(notation) -> None:
    g = build([("x", "input", 2.0), ("z", "const", -0.0), ("J", "mul", ["x", "z"])], "J")
    assert bits(core.forward_derivatives(g, "x")["J"]) == bits(-0.0)
    assert bits(core.evaluate(g).grads["x"]) == bits(-0.0)
    assert core.evaluate(g).breakdown("x", notation).endswith(" = 0")


def test_the_exported_script_starts_each_sum_with_its_first_term() -> None:
    text = to_python(cancellation())
    lines = [line.strip() for line in text.splitlines()]
    first = next(k for k, line in enumerate(lines) if line.startswith("dx = "))
    assert lines[first : first + 3] == [
        "dx = dt3 * k_3",
        "dx += dx_times_one * k",
        "dx += dt1 * k_2",
    ]
    assert "+ 0.0" not in text


def test_sums_follow_the_canonical_order_in_the_compiled_plan_too() -> None:
    g = cancellation()
    core.prepare(g)
    plan = g.cached_plan
    assert plan is not None and plan.compiled is not None
    x = plan.index["x"]
    assert [plan.names[c] for c, _ in plan.uses()[x]] == ["t3", "x_times_one", "t1"]
    assert math.copysign(1.0, core.evaluate(g).grads["x"]) == 1.0
