"""Every refused edit raises GraphError, says why, and leaves the graph exactly as it was."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from dvar import core
from tests.core.helpers import build, snapshot


def base() -> core.Graph:
    """a, b inputs; u = add(a, _) with slot 2 empty; v = neg(u); w = mul(v, b); output w."""
    return build(
        [
            ("a", "input", 1),
            ("b", "input", 2),
            ("u", "add", ["a", None]),
            ("v", "neg", ["u"]),
            ("w", "mul", ["v", "b"]),
        ],
        "w",
    )


Edit = Callable[[core.Graph], object]

REFUSED: dict[str, tuple[Edit, str]] = {
    # cycles
    "cycle through one node": (lambda g: g.connect("v", "u", 1), "cycle"),
    "cycle through two nodes": (lambda g: g.connect("w", "u", 1), "cycle"),
    "feeding itself": (lambda g: g.connect("u", "u", 1), "itself"),
    # unknown ids and keys
    "connect unknown source": (lambda g: g.connect("zz", "u", 1), "zz"),
    "connect unknown consumer": (lambda g: g.connect("a", "zz", 0), "zz"),
    "disconnect unknown": (lambda g: g.disconnect("zz", 0), "zz"),
    "set_value unknown": (lambda g: g.set_value("zz", 1), "zz"),
    "remove unknown": (lambda g: g.remove_node("zz"), "zz"),
    "remove unknown key": (lambda g: g.remove_node(999), "999"),
    "rename unknown": (lambda g: g.rename("zz", "q"), "zz"),
    "set_output unknown": (lambda g: g.set_output("zz"), "zz"),
    "set_position unknown": (lambda g: g.set_position("zz", 0, 0), "zz"),
    "set_label unknown": (lambda g: g.set_label("zz", "z"), "zz"),
    "set_param unknown": (lambda g: g.set_param("zz", True), "zz"),
    "add with unknown input": (lambda g: g.add_node("neg", "n", inputs=["zz"]), "zz"),
    "node unknown": (lambda g: g.node("zz"), "zz"),
    "key as bool": (lambda g: g.node(True), "True"),
    # duplicate ids
    "add duplicate id": (lambda g: g.add_node("input", "a"), "already exists"),
    "rename onto existing id": (lambda g: g.rename("b", "a"), "already exists"),
    "add under a used key": (lambda g: g.add_node("input", "n", key=g.key_of("a")), "key"),
    # slots
    "occupied slot": (lambda g: g.connect("b", "u", 0), "already fed by a"),
    "slot past the end": (lambda g: g.connect("b", "u", 2), "slots 1 to 2"),
    "negative slot": (lambda g: g.connect("b", "u", -1), "slots 1 to 2"),
    "slot as float": (lambda g: g.connect("b", "u", 1.0), "slots 1 to 2"),
    "slot as bool": (lambda g: g.connect("b", "u", True), "slots 1 to 2"),
    "slot on an input": (lambda g: g.connect("b", "a", 0), "no operand slots"),
    "disconnect an empty slot": (lambda g: g.disconnect("u", 1), "already empty"),
    "disconnect slot past the end": (lambda g: g.disconnect("v", 1), "slots 1 to 1"),
    # values
    "value NaN": (lambda g: g.set_value("a", math.nan), "finite"),
    "value inf": (lambda g: g.set_value("a", math.inf), "finite"),
    "value -inf": (lambda g: g.set_value("a", -math.inf), "finite"),
    "value too big an int": (lambda g: g.set_value("a", 10**400), "finite"),
    "value text": (lambda g: g.set_value("a", "5"), "number"),
    "value bool": (lambda g: g.set_value("a", True), "number"),
    "value None": (lambda g: g.set_value("a", None), "number"),
    "value list": (lambda g: g.set_value("a", [1]), "number"),
    "value on a computed node": (lambda g: g.set_value("u", 3), "computed"),
    "add input with NaN": (lambda g: g.add_node("input", "n", value=math.nan), "finite"),
    "add input with bool": (lambda g: g.add_node("input", "n", value=False), "number"),
    "add op with a value": (lambda g: g.add_node("mul", "n", value=3), "only inputs"),
    "add input with inputs": (lambda g: g.add_node("input", "n", inputs=["a"]), "no inputs"),
    "add with too few inputs": (lambda g: g.add_node("add", "n", inputs=["a"]), "2 operands"),
    "add with too many inputs": (lambda g: g.add_node("neg", "n", inputs=["a", "b"]), "1 operand"),
    "position NaN": (lambda g: g.set_position("a", math.nan, 0), "finite"),
    "position text": (lambda g: g.set_position("a", 0, "1"), "number"),
    "add at position inf": (lambda g: g.add_node("input", "n", x=math.inf, y=0), "finite"),
    # ids
    "id starting with a digit": (lambda g: g.add_node("input", "1x"), "not a valid name"),
    "id with a space": (lambda g: g.add_node("input", "a b"), "not a valid name"),
    "empty id": (lambda g: g.add_node("input", ""), "not a valid name"),
    "id with a dash": (lambda g: g.rename("a", "a-b"), "not a valid name"),
    "keyword id": (lambda g: g.add_node("input", "lambda"), "keyword"),
    "rename to a keyword": (lambda g: g.rename("a", "for"), "keyword"),
    "rename to None keyword": (lambda g: g.rename("a", "None"), "keyword"),
    "rename to a number": (lambda g: g.rename("a", 5), "text"),
    # other fields
    "unknown op": (lambda g: g.add_node("frobnicate", "n"), "unknown op"),
    "param on a const": (lambda g: g.add_node("const", "n", param=True), "parameters"),
    "param on a computed node": (lambda g: g.set_param("u", True), "parameters"),
    "label not text": (lambda g: g.set_label("a", 5), "text"),
    "add with label not text": (lambda g: g.add_node("input", "n", label=3), "text"),
    # nudges read the graph and never change it
    "nudge by zero": (lambda g: core.nudge(g, "a", 0), "non-zero"),
    "nudge by NaN": (lambda g: core.nudge(g, "a", math.nan), "finite"),
    "nudge a node without a value": (lambda g: core.nudge(g, "v", 0.1), "no value"),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_edit_changes_nothing(case: str) -> None:
    edit, words = REFUSED[case]
    g = base()
    core.evaluate(g)
    heard: list[list[core.Event]] = []
    g.subscribe(heard.append)
    before = snapshot(g)
    with pytest.raises(core.GraphError) as caught:
        edit(g)
    message = str(caught.value)
    assert words in message
    assert "\n" not in message
    assert snapshot(g) == before
    assert heard == []
    # The graph still works: evaluation agrees with a fresh copy, and edits go through.
    ev, ref = core.evaluate(g), core.evaluate(core.loads(core.dumps(g)))
    assert dict(ev.values) == dict(ref.values) and dict(ev.grads) == dict(ref.grads)
    g.connect("b", "u", 1)
    assert core.evaluate(g).values["w"] == -(1 + 2) * 2


def test_cycle_refusal_names_the_loop() -> None:
    g = base()
    with pytest.raises(core.GraphError, match=r"w → u .*→ w"):
        g.connect("w", "u", 1)


def test_refused_edit_inside_a_batch_rolls_back_the_whole_batch() -> None:
    g = base()
    heard: list[list[core.Event]] = []
    g.subscribe(heard.append)
    before = snapshot(g)
    with pytest.raises(core.GraphError, match="cycle"), g.batch():
        g.set_value("a", 10)
        g.add_node("input", "c", value=4)
        g.connect("c", "u", 1)
        g.disconnect("u", 1)
        g.connect("w", "u", 1)
    assert snapshot(g)[0] == before[0]
    assert "c" not in g
    assert heard == []
