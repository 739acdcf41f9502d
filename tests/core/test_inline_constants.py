"""Which constants are inline (drawn on their consumer's port, written as their number)."""

from dvar.core import engine
from dvar.core.graph import Graph
from dvar.core.plan import plan_for


def _lecture() -> Graph:
    g = Graph()
    for name, v in (("a", 5.0), ("b", 3.0), ("c", 2.0)):
        g.add_node("input", id=name, value=v)
    g.add_node("const", id="three", value=3.0)
    g.add_node("mul", id="u", inputs=["b", "c"])
    g.add_node("add", id="v", inputs=["a", "u"])
    g.add_node("mul", id="J", inputs=["three", "v"])
    g.set_output("J")
    return g


def test_a_constant_with_one_use_is_inline_and_inputs_never_are():
    g = _lecture()
    assert g.is_inline_constant("three")
    assert not g.is_inline_constant("a")
    assert not g.is_inline_constant("u")


def test_a_second_use_or_no_use_makes_a_constant_a_box():
    g = _lecture()
    g.add_node("add", id="w", inputs=["three", "a"])
    assert not g.is_inline_constant("three")
    g.add_node("const", id="lonely", value=1.0)
    assert not g.is_inline_constant("lonely")
    g.add_node("mul", id="sq", inputs=["lonely", "lonely"])
    assert not g.is_inline_constant("lonely")  # two slots of one consumer: two uses


def test_the_plan_applies_the_same_rule_as_the_graph():
    g = _lecture()
    g.add_node("const", id="k", value=2.0)
    g.add_node("mul", id="w", inputs=["k", "k"])
    g.add_node("const", id="k_2", value=4.0)
    plan = plan_for(g)
    engine.evaluate(g)
    by_plan = {plan.keys[i] for i in plan.inline_constants()}
    by_graph = {node.key for node in g if g.is_inline_constant(node.key)}
    assert by_plan == by_graph == {g.key_of("three")}


def test_a_constant_marked_as_a_box_is_not_inline_and_its_breakdown_names_it():
    g = _lecture()
    assert "dJ · 3 =" in engine.evaluate(g).breakdown("v")
    g.set_box("three", True)
    assert not g.is_inline_constant("three")
    assert g.key_of("three") not in {plan_for(g).keys[i] for i in plan_for(g).inline_constants()}
    assert "dJ · three =" in engine.evaluate(g).breakdown("v")
    g.set_box("three", False)
    assert "dJ · 3 =" in engine.evaluate(g).breakdown("v")
