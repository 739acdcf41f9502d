"""What a screen reader hears about a graph: nodes, ports and derivative rows, in words."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from dvar import core
from dvar.core import spoken
from dvar.core.numbers import format_number
from tests.core.helpers import build, lecture

SYMBOLS = "·∂→×÷√²Δ✓✗□"


def names_of(g: core.Graph, shown: dict[str, spoken.Shown] | None = None) -> dict[str, str]:
    ev = core.evaluate(g)
    shown = shown or {}
    return {
        n.id: spoken.node_name(g, ev, n.key, shown.get(n.id, spoken.EVERYTHING)) for n in g.nodes()
    }


def test_the_lecture_nodes_read_as_sentences() -> None:
    said = names_of(lecture())
    assert said["u"] == "node u, multiply b by c, value 6, derivative du 3"
    assert said["v"] == "node v, add a and u, value 11, derivative dv 3"
    assert said["a"] == "node a, input, value 5, derivative da 3"
    assert said["J"] == "node J, output, multiply 3 by v, value 33, derivative dJ 1"
    for sentence in said.values():
        assert not set(sentence) & set(SYMBOLS)


def test_names_follow_an_edit() -> None:
    g = lecture()
    g.set_value("b", 4.0)
    ev = core.evaluate(g)
    u = g.key_of("u")
    said = spoken.node_name(g, ev, u)
    assert f"value {format_number(ev.values[u])}" in said
    assert ev.values[u] == 8.0 and "value 8," in said
    g.rename("u", "prod")
    assert spoken.node_name(g, core.evaluate(g), u).startswith("node prod, multiply b by c")
    assert "add a and prod" in names_of(g)["v"]


def test_ports_say_where_they_come_from_and_go() -> None:
    g = lecture()
    u, j, v = g.key_of("u"), g.key_of("J"), g.key_of("v")
    assert spoken.port_name(g, u, "in", 0) == "input 1 of u, from b"
    assert spoken.port_name(g, u, "in", 1) == "input 2 of u, from c"
    assert spoken.port_name(g, u, "out") == "output of u, to v"
    assert spoken.port_name(g, j, "in", 0) == "input 1 of J, from constant 3"
    assert spoken.port_name(g, j, "out") == "output of J, not connected"
    g.disconnect(v, 1)
    assert spoken.port_name(g, v, "in", 1) == "input 2 of v, empty"


def test_an_output_used_many_times_lists_a_few_consumers() -> None:
    spec = [("x", "input", 2.0)] + [(f"y{i}", "neg", ["x"]) for i in range(8)]
    g = build(spec, output="y0")
    said = spoken.port_name(g, g.key_of("x"), "out", most=3)
    assert said == "output of x, to y0, y1, y2 and 5 more"


def test_an_error_node_says_why_it_has_no_value() -> None:
    g = build([("x", "input", -4.0), ("r", "sqrt", ["x"]), ("J", "neg", ["r"])], output="J")
    ev = core.evaluate(g)
    r = g.key_of("r")
    reason = ev.error(r)
    assert reason
    said = spoken.node_name(g, ev, r)
    assert said.startswith("node r, square root of x, no value: ")
    assert reason in said
    assert "derivative dr" not in said or "no derivative" in said


def test_a_graph_without_output_has_no_derivatives() -> None:
    g = build([("x", "input", 2.0), ("y", "exp", ["x"])])
    said = names_of(g)["y"]
    assert said.startswith("node y, e to the power x, value 7.389")
    assert "no derivative: no output is chosen" in said


def test_stepping_hides_what_is_not_computed_yet() -> None:
    g = lecture()
    hidden = spoken.Shown(value=False, grad=False, current=True)
    said = names_of(g, {"u": hidden})["u"]
    assert said == (
        "node u, multiply b by c, value not computed yet, derivative du not computed yet, "
        "being computed now"
    )
    forward_pass = spoken.Shown(backward=False)
    assert "derivative" not in names_of(g, {"u": forward_pass})["u"]


def test_practice_marks_never_read_the_hidden_number() -> None:
    g = lecture()
    ev = core.evaluate(g)
    v = g.key_of("v")
    true = format_number(ev.grads[v])
    cases = {
        "waiting": spoken.Hidden("", "waiting"),
        "open": spoken.Hidden("?", "open"),
        "wrong": spoken.Hidden("15 ✗", "wrong"),
    }
    for state, mark in cases.items():
        shown = spoken.Shown(grad=False, grad_mark=mark, breakdown=False)
        said = spoken.node_name(g, ev, v, shown)
        assert said.startswith("node v, add a and u, value 11, derivative dv hidden"), state
        assert f"dv {true}" not in said
        row = spoken.derivative_row(ev, v, shown)
        assert true not in row.split("dv")[1] and "times" not in row
    wrong = spoken.Shown(grad=False, grad_mark=cases["wrong"])
    assert spoken.node_name(g, ev, v, wrong).endswith(
        "derivative dv hidden, your answer 15 is wrong"
    )
    right = spoken.Shown(grad_mark=spoken.Hidden(f"{true} ✓", "right"))
    assert spoken.node_name(g, ev, v, right).endswith(f"derivative dv {true}, right")


def test_forward_mode_and_the_nudge_are_read_in_words() -> None:
    g = lecture()
    ev = core.evaluate(g)
    u = g.key_of("u")
    forward = spoken.Shown(derivative="du/da = 0")
    assert spoken.node_name(g, ev, u, forward).endswith("forward derivative du by da equals 0")
    assert "derivative du" not in spoken.node_name(g, ev, u, spoken.Shown(derivative=""))
    nudged = spoken.Shown(nudge="J = 33 → 33.003", note="(ΔJ/Δa = 3.000)")
    said = spoken.node_name(g, ev, g.key_of("J"), nudged)
    assert "nudged: J equals 33 goes to 33.003" in said
    assert said.endswith("change in J over change in a equals 3.000")


def test_derivative_rows_read_the_chain_rule_in_words() -> None:
    g = lecture()
    ev = core.evaluate(g)
    rows = {n.id: spoken.derivative_row(ev, n.key) for n in g.nodes()}
    assert rows["b"] == "db equals 6; db equals du times c, 3 times 2"
    assert rows["v"] == "dv equals 3; dv equals dJ times 3, 1 times 3"
    assert rows["J"] == "dJ equals 1; J is the output"
    assert spoken.derivative_row(ev, g.key_of("b"), notation="partial").startswith(
        "partial J by partial b equals 6"
    )
    g.set_value("c", -2.0)
    ev = core.evaluate(g)
    assert spoken.derivative_row(ev, g.key_of("b")) == (
        "db equals minus 6; db equals du times c, 3 times minus 2"
    )


def test_a_derivative_without_a_value_says_why() -> None:
    g = build([("x", "input", -1.0), ("r", "log", ["x"]), ("J", "neg", ["r"])], output="J")
    ev = core.evaluate(g)
    row = spoken.derivative_row(ev, g.key_of("x"))
    assert row.startswith("dx has no value: ")
    assert ev.error(g.key_of("x")) in row


def test_every_op_reads_with_its_operands() -> None:
    for name, op in core.OPS.items():
        if op.is_leaf:
            continue
        ids = ["p", "q"][: op.arity]
        spec = [(i, "input", 1.0) for i in ids] + [("y", name, ids)]
        g = build(spec, output="y")
        phrase = spoken.operation(g, g.node("y"))
        assert all(i in phrase.split() for i in ids), (name, phrase)
        assert not set(phrase) & set(SYMBOLS), (name, phrase)


def test_descriptions_name_the_formula_and_the_uses() -> None:
    g = lecture()
    assert spoken.node_description(g, g.key_of("u")) == "u equals b times c; used by v"
    assert spoken.node_description(g, g.key_of("J")) == "J equals 3 times v; the output"
    assert spoken.node_description(g, g.key_of("a")).endswith("used by v")


def test_symbols_become_words() -> None:
    assert spoken.words("db = du · ∂u/∂b") == "db equals du times partial u by partial b"
    assert (
        spoken.words("dx = dy · ∂y/∂x[2]") == "dx equals dy times partial y by partial x in slot 2"
    )
    assert spoken.words("(-2)²") == "(minus 2) squared"
    assert spoken.words("= dv · 1 = 3 · 1") == "equals dv times 1 equals 3 times 1"
    assert spoken.words("-4.04938e-21") == "minus 4.04938 times ten to the minus 21"
    assert spoken.words("1.5e+300") == "1.5 times ten to the 300"


@given(st.floats(allow_nan=False, allow_infinity=False, width=32))
def test_numbers_read_with_their_sign_in_words(x: float) -> None:
    said = spoken.words(format_number(x))
    negative = format_number(x).startswith("-")
    assert said.startswith("minus ") == negative
    assert "-" not in said and "e+" not in said
    if negative:
        assert math.copysign(1.0, x) < 0


def test_a_collapsed_group_reads_its_inputs_and_outputs() -> None:
    g = lecture()
    ev = core.evaluate(g)
    k = g.key_of
    said = spoken.group_name(g, ev, "Neuron 1", 1, [k("b"), k("c")], [k("u")])
    assert (
        said
        == "group Neuron 1, collapsed, 1 node; inputs b and c; output u, value 6, derivative du 3"
    )
    hidden = spoken.Shown(grad=False, grad_mark=spoken.Hidden("?", "open"))
    said = spoken.group_name(g, ev, "big", 1200, [], [k("u"), k("v")], lambda key: hidden)
    assert said == (
        "group big, collapsed, 1,200 nodes; outputs u, value 6, derivative du hidden, to be "
        "worked out; v, value 11, derivative dv hidden, to be worked out"
    )
    many = [k(i) for i in ("a", "b", "c", "u", "v")]
    said = spoken.group_name(g, ev, "all", 7, [], many, most=2)
    assert said.endswith("; b, value 3, derivative db 6; 3 more")
