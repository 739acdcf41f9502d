"""The graph model: edits, queries, ids and keys, rename, copy."""

from __future__ import annotations

import pytest

from dvar import core
from tests.core.helpers import build, lecture


def test_add_connect_disconnect_and_remove() -> None:
    g = core.Graph()
    assert len(g) == 0 and g.output is None
    assert g.add_node("input", "x", value=2) == "x"
    assert g.add_node("const", "k", value=3) == "k"
    g.add_node("mul", "m")
    assert g.inputs_of("m") == [None, None]
    g.connect("x", "m", 1)
    assert g.inputs_of("m") == [None, "x"]
    g.connect("k", "m", 0)
    assert g.inputs_of("m") == ["k", "x"]
    g.set_output("m")
    assert core.evaluate(g).values["m"] == 6.0
    g.disconnect("m", 1)
    assert g.inputs_of("m") == ["k", None]
    g.remove_node("k")
    assert "k" not in g and len(g) == 2
    assert g.inputs_of("m") == [None, None]


def test_ids_are_made_from_the_op_when_none_is_given() -> None:
    g = core.Graph()
    first, second = g.add_node("input"), g.add_node("input")
    mul = g.add_node("mul")
    assert first != second and first in g and second in g and mul in g
    for node_id in (first, second, mul):
        assert node_id.isidentifier()
    assert g.node(first).value == 0.0


def test_the_same_node_may_fill_both_slots() -> None:
    g = build([("x", "input", 3), ("m", "mul", ["x", "x"])], "m")
    assert g.inputs_of("m") == ["x", "x"]
    assert g.consumers("x") == [("m", 0), ("m", 1)]
    assert sorted(g.nx.edges(keys=True)) == [
        (g.key_of("x"), g.key_of("m"), 0),
        (g.key_of("x"), g.key_of("m"), 1),
    ]
    assert core.evaluate(g).values["m"] == 9.0


def test_consumers_list_one_entry_per_use() -> None:
    g = build([("x", "input", 3), ("m", "mul", ["x", "x"]), ("J", "add", ["m", "x"])], "J")
    assert g.consumers("x") == [("m", 0), ("m", 1), ("J", 1)]
    assert g.consumers("J") == []


def test_nx_mirror_follows_edits() -> None:
    g = lecture()
    k = g.key_of
    edges = set(g.nx.edges(keys=True))
    assert (k("b"), k("u"), 0) in edges and (k("c"), k("u"), 1) in edges
    assert len(edges) == 6
    g.disconnect("u", 0)
    assert (k("b"), k("u"), 0) not in set(g.nx.edges(keys=True))
    g.connect("a", "u", 0)
    assert (k("a"), k("u"), 0) in set(g.nx.edges(keys=True))
    g.remove_node("c")
    assert not any(k("u") == dst and slot == 1 for _, dst, slot in g.nx.edges(keys=True))
    assert set(g.nx.nodes) == {n.key for n in g.nodes()}


def test_keys_are_stable_and_refs_may_be_keys() -> None:
    g = lecture()
    key = g.key_of("b")
    assert g.node(key).id == "b"
    g.set_value(key, 4)
    assert g.node("b").value == 4.0
    g.rename(key, "beta")
    assert g.key_of("beta") == key
    assert "b" not in g and key in g


def test_rename_keeps_every_reference() -> None:
    g = lecture()
    keys = {n.id: n.key for n in g.nodes()}
    g.rename("u", "product")
    g.rename("J", "loss")
    assert g.inputs_of("v") == ["a", "product"]
    assert g.output == "loss"
    assert g.consumers("b") == [("product", 0)]
    assert g.key_of("product") == keys["u"] and g.key_of("loss") == keys["J"]
    ev = core.evaluate(g)
    assert ev.values["loss"] == 33.0
    assert ev.grads["product"] == 3.0
    assert ev.breakdown("b") == "db = dproduct · ∂product/∂b = dproduct · c = 3 · 2 = 6"
    assert '"inputs": ["a", "product"]' in core.dumps(g)
    assert core.loads(core.dumps(g)).output == "loss"
    g.rename("product", "u")
    assert g.inputs_of("v") == ["a", "u"]


def test_rename_after_evaluation_then_evaluate_again() -> None:
    g = lecture()
    for _ in range(3):  # compile the plan first
        core.evaluate(g)
    g.rename("a", "alpha")
    ev = core.evaluate(g)
    assert ev.grads["alpha"] == 3.0
    assert "a" not in ev.values
    assert ev.order == ["J", "v", "alpha", "u", "b", "c", "three"]


def test_rename_to_its_own_name_is_no_change() -> None:
    g = lecture()
    heard = []
    g.subscribe(heard.append)
    version = g.version
    g.rename("a", "a")
    assert heard == [] and g.version == version


def test_remove_the_output_leaves_no_output() -> None:
    g = lecture()
    g.remove_node("J")
    assert g.output is None
    assert g.inputs_of("v") == ["a", "u"]
    assert g.consumers("v") == [] and g.consumers("three") == []


def test_remove_a_node_used_twice_empties_both_slots() -> None:
    g = build([("x", "input", 3), ("m", "mul", ["x", "x"])], "m")
    g.remove_node("x")
    assert g.inputs_of("m") == [None, None]
    ev = core.evaluate(g)
    assert ev.values["m"] is None
    assert ev.errors["m"] == "slot 1 of m is empty"


def test_re_adding_a_node_under_its_old_key() -> None:
    g = lecture()
    key = g.key_of("a")
    g.remove_node("a")
    assert g.add_node("input", "a", value=5, key=key) == "a"
    g.connect("a", "v", 0)
    assert g.key_of("a") == key
    assert core.evaluate(g).values["J"] == 33.0
    fresh = g.add_node("input", "z")
    assert g.key_of(fresh) not in {n.key for n in g.nodes() if n.id != fresh}


def test_set_label_param_and_position() -> None:
    g = lecture()
    g.set_label("a", "α")
    g.set_param("a", True)
    g.set_position("a", 10, -20.5)
    node = g.node("a")
    assert (node.label, node.param, node.x, node.y) == ("α", True, 10.0, -20.5)
    assert node.name == "α"
    g.set_label("a", "")
    assert g.node("a").label is None and g.node("a").name == "a"
    g.set_param("a", False)
    assert g.node("a").param is False


def test_set_value_accepts_ints_and_floats() -> None:
    g = lecture()
    g.set_value("a", 7)
    assert g.node("a").value == 7.0 and isinstance(g.node("a").value, float)
    g.set_value("three", -0.5)
    ev = core.evaluate(g)
    assert ev.values["J"] == pytest.approx(-0.5 * (7 + 6))


def test_copy_is_independent() -> None:
    g = lecture()
    c = g.copy()
    assert core.dumps(c) == core.dumps(g)
    assert [n.key for n in c.nodes()] == [n.key for n in g.nodes()]
    c.set_value("a", 100)
    c.disconnect("u", 0)
    c.rename("v", "vv")
    assert g.node("a").value == 5.0 and g.inputs_of("u") == ["b", "c"] and "v" in g
    assert core.evaluate(g).values["J"] == 33.0
    assert core.evaluate(c).values["J"] is None
    added = c.add_node("input", "fresh")
    assert c.key_of(added) not in {n.key for n in g.nodes()}


def test_large_graph_built_by_edits_has_right_topological_order() -> None:
    """Connections made against insertion order force re-ranking; evaluation still works."""
    g = core.Graph()
    n = 200
    ops = [g.add_node("add", f"s{i}") for i in range(n)]  # added before their operands
    g.add_node("input", "x", value=1)
    g.connect("x", ops[-1], 0)
    g.connect("x", ops[-1], 1)
    for i in range(n - 1, 0, -1):
        g.connect(ops[i], ops[i - 1], 0)
        g.connect("x", ops[i - 1], 1)
    g.set_output(ops[0])
    ev = core.evaluate(g)
    assert ev.values[ops[0]] == n + 1
    assert ev.grads["x"] == n + 1
    keys = g.topological_keys()
    position = {key: i for i, key in enumerate(keys)}
    for node in g.nodes():
        for src in node.inputs:
            assert src is None or position[src] < position[node.key]
