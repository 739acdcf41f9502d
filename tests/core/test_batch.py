"""Listeners and batches: told once per completed change, past tense; all or nothing."""

from __future__ import annotations

import pytest

from dvar import core
from tests.core.helpers import build, lecture, snapshot


class Boom(Exception):
    pass


def listen(g: core.Graph) -> list[list[core.Event]]:
    heard: list[list[core.Event]] = []
    g.subscribe(heard.append)
    return heard


@pytest.mark.parametrize(
    ("edit", "kinds"),
    [
        (lambda g: g.set_value("a", 1), ["value_changed"]),
        (lambda g: g.rename("a", "alpha"), ["renamed"]),
        (lambda g: g.set_output("v"), ["output_changed"]),
        (lambda g: g.set_output(None), ["output_changed"]),
        (lambda g: g.set_position("a", 1, 2), ["moved"]),
        (lambda g: g.set_label("a", "α"), ["label_changed"]),
        (lambda g: g.set_param("a", True), ["param_changed"]),
        (lambda g: g.disconnect("u", 1), ["disconnected"]),
        (lambda g: g.add_node("input", "z"), ["node_added"]),
        (
            lambda g: g.add_node("add", "z", inputs=["a", "b"]),
            ["node_added", "connected", "connected"],
        ),
        (
            lambda g: g.remove_node("u"),
            ["disconnected", "disconnected", "disconnected", "node_removed"],
        ),
    ],
)
def test_each_edit_is_told_once_in_the_past_tense(edit, kinds: list[str]) -> None:
    g = lecture()
    heard = listen(g)
    edit(g)
    assert len(heard) == 1
    assert sorted(e.kind for e in heard[0]) == sorted(kinds)
    for event in heard[0]:
        assert event.kind.endswith("ed")
        assert isinstance(event.key, int) or event == core.Event("output_changed", None)


def test_events_carry_stable_keys_and_slots() -> None:
    g = lecture()
    heard = listen(g)
    g.disconnect("v", 1)
    assert heard == [[core.Event("disconnected", g.key_of("v"), 1)]]
    g.connect("u", "v", 1)
    assert heard[-1] == [core.Event("connected", g.key_of("v"), 1)]


def test_setting_the_same_value_is_not_a_change() -> None:
    g = lecture()
    heard = listen(g)
    g.set_value("a", 5)
    g.set_output("J")
    assert heard == []


def test_batch_tells_listeners_once() -> None:
    g = lecture()
    heard = listen(g)
    with g.batch():
        g.set_value("a", 1)
        g.add_node("input", "d", value=4)
        g.rename("d", "dd")
        g.set_position("dd", 3, 4)
        assert heard == []
    assert len(heard) == 1
    assert [e.kind for e in heard[0]] == ["value_changed", "node_added", "renamed", "moved"]


def test_nested_batches_tell_once_at_the_end() -> None:
    g = lecture()
    heard = listen(g)
    with g.batch():
        g.set_value("a", 1)
        with g.batch():
            g.set_value("b", 1)
        assert heard == []
        g.set_value("c", 1)
    assert len(heard) == 1 and len(heard[0]) == 3


def test_empty_batch_tells_nobody() -> None:
    g = lecture()
    heard = listen(g)
    with g.batch():
        pass
    assert heard == []


def test_exception_in_a_batch_rolls_everything_back() -> None:
    g = lecture()
    for _ in range(3):
        core.evaluate(g)  # a compiled plan exists and must not survive the rollback
    _ = g.nx  # so does the networkx mirror
    heard = listen(g)
    before = snapshot(g)
    keys = {n.id: n.key for n in g.nodes()}
    with pytest.raises(Boom), g.batch():
        g.set_value("a", 100)
        g.add_node("input", "d", value=4)
        g.disconnect("v", 0)
        g.connect("d", "v", 0)
        g.rename("u", "product")
        g.set_label("b", "β")
        g.set_param("b", True)
        g.set_position("c", 1, 1)
        g.remove_node("three")
        g.set_output("v")
        raise Boom
    assert heard == []
    assert snapshot(g)[0] == before[0]
    assert {n.id: n.key for n in g.nodes()} == keys
    assert g.inputs_of("v") == ["a", "u"]
    ev = core.evaluate(g)
    assert ev.values["J"] == 33.0 and ev.grads["b"] == 6.0 and ev.grads["three"] == 11.0
    assert set(g.nx.edges(keys=True)) == {
        (src, n.key, slot)
        for n in g.nodes()
        for slot, src in enumerate(n.inputs)
        if src is not None
    }
    assert g.consumers("a") == [("v", 0)]


def test_rollback_restores_the_order_so_cycles_are_still_caught() -> None:
    """A batch that re-ranked nodes, then failed, must not leave ranks that allow a cycle."""
    g = build([("x", "input", 1), ("p", "neg", [None]), ("q", "neg", [None])], "q")
    with pytest.raises(Boom), g.batch():
        g.connect("q", "p", 0)  # q now ranks below p
        raise Boom
    g.connect("p", "q", 0)  # p -> q is legal again
    with pytest.raises(core.GraphError, match="cycle"):
        g.connect("q", "p", 0)
    g.connect("x", "p", 0)
    ev = core.evaluate(g)
    assert ev.values["q"] == 1.0 and ev.grads["x"] == 1.0


def test_graph_edits_work_after_a_rollback() -> None:
    g = lecture()
    with pytest.raises(Boom), g.batch():
        g.remove_node("u")
        raise Boom
    heard = listen(g)
    g.remove_node("u")
    assert len(heard) == 1
    assert g.inputs_of("v") == ["a", None]
    assert core.evaluate(g).errors["v"] == "slot 2 of v is empty"


def test_unsubscribe() -> None:
    g = lecture()
    heard = listen(g)
    g.unsubscribe(heard.append)
    g.set_value("a", 1)
    assert heard == []
