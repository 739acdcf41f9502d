"""How dvar names the nodes it makes: readable steps from formulas, neutral constants,
free ids with ``_2``, and the same numbers whatever the names."""

from __future__ import annotations

import math

import pytest

from dvar import core
from dvar.core import names
from dvar.core.formula import build_graph
from tests.core.helpers import lecture


def steps(text: str) -> dict[str, str]:
    """Each unnamed step of the formula (not its output), as id -> op."""
    result = build_graph(text)
    g = result.graph
    return {i: g.node(i).op.name for i in result.created if not g.node(i).op.is_leaf}


def ids(text: str) -> list[str]:
    return list(build_graph(text).created)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("J = 2*(b*c)", "bc"),
        ("J = 2*(w*x)", "wx"),
        ("J = 2*(w*x + b)", "wx_b"),
        ("J = 2*log(a)", "log_a"),
        ("J = 2*(1 - a)", "one_minus_a"),
        ("J = 2*(a/b)", "a_over_b"),
        ("J = 2*(w1*x1)", "w1_times_x1"),
        ("J = 2*(a + w1)", "a_plus_w1"),
        ("J = 2*x**2", "x_pow_two"),
        ("J = 2*-a", "neg_a"),
        ("J = 2*max(a, b)", "max_a_b"),
        ("J = 2*(x*y*z)", "xyz"),
        ("J = 2*(a + b + c)", "a_b_c"),
        ("J = 2*(0.5*a)", "half_times_a"),
    ],
)
def test_a_short_step_is_named_after_its_expression(text: str, name: str) -> None:
    assert name in steps(text)


def test_the_lecture_formula_names_bc_and_keeps_typed_names() -> None:
    assert ids("J = 3*(a + b*c)") == ["a", "b", "c", "k", "bc", "a_bc", "J"]
    typed = ids("u = b*c\nJ = 3*(a + u)")
    assert typed == ["b", "c", "a", "u", "k", "a_u", "J"]  # u is the person's, never bc
    assert ids("u = b*c\nv = a + u\nJ = 3*v") == ["b", "c", "a", "u", "v", "k", "J"]


def test_constants_are_k_never_words() -> None:
    made = build_graph("J = 1*a + 1*b + 2*c + 3 + 0.5*d + 10")
    g = made.graph
    consts = [n.id for n in g if n.op.name == "const"]
    assert consts == ["k", "k_2", "k_3", "k_4", "k_5", "k_6"]
    assert [g.node(i).value for i in consts] == [1, 1, 2, 3, 0.5, 10]
    words = set(names.NUMBER_WORDS.values())
    assert not any(n.id in words for n in g)
    assert "done" not in {f"d{n.id}" for n in g}


def test_long_expressions_fall_back_to_t1_t2() -> None:
    text = "J = 2*(sigmoid(alpha*beta) + log(gamma - delta))"
    made = steps(text)
    assert "alpha_times_beta" not in made and len("alpha_times_beta") > names.MAX_READABLE
    assert {"t1", "t2"} <= set(made)  # alpha*beta and sigmoid(...): too long to read
    assert all(len(i) <= names.MAX_READABLE for i in made)
    # a step over a t-step is not called "log_t1": it is numbered too
    assert not any("t1" in i and i != "t1" for i in made)


def test_names_never_read_as_a_derivative_or_a_keyword() -> None:
    made = steps("J = 2*(d*x) + 5*(a*b) + 6*(e*f) + 7*(e*l)")
    assert "dx" not in made and "d_times_x" in made  # dx would read as the derivative of x
    assert "ab" in made  # a plain product of letters reads as itself
    assert "ef" not in made and "e_times_f" in made  # def, Python's keyword
    assert "el" not in made and "e_times_l" in made  # del


def test_repeated_expressions_get_unique_ids() -> None:
    result = build_graph("J = b*c + c*b + b*c")
    created = result.created
    assert len(set(created)) == len(created)
    assert {"bc", "cb", "bc_2"} <= set(created)
    g = lecture()  # bc is taken in the diagram, and u too
    g.add_node("mul", "bc", inputs=["b", "c"])
    inserted = build_graph("K = 2*(b*c)", into=g)
    assert "bc_2" in inserted.created and g.inputs_of("bc_2") == ["b", "c"]


def test_ids_are_valid_in_normal_form() -> None:
    result = build_graph("J = 2*(α*β) + 3*(ﬁ*x)")  # ﬁ is read as fi by Python's parser
    made = set(result.created)
    assert "αβ" in made and "fi_times_x" in made
    core.loads(core.dumps(result.graph))  # every id is one a file may hold


def test_names_do_not_change_values_or_derivatives() -> None:
    """The readable names change nothing: the same formula with every step named by hand
    gives the same numbers, and they agree with central differences."""
    text = "J = -(y*log(sigmoid(w*x + b)) + (1 - y)*log(1 - sigmoid(w*x + b)))"
    values = {"w": 0.5, "x": 2.0, "b": -0.3, "y": 0.8}
    named_by_hand = (
        "z = w*x + b\np = sigmoid(z)\nq = sigmoid(z)\nl1 = log(p)\nm = 1 - y\nn = 1 - q\n"
        "l2 = log(n)\ns = y*l1 + m*l2\nJ = -s"
    )
    auto = build_graph(text, values).graph
    hand = build_graph(named_by_hand, values).graph
    ev, ev_hand = core.evaluate(auto), core.evaluate(hand)
    assert ev.values["J"] == ev_hand.values["J"]
    for name in values:
        assert ev.grads[name] == pytest.approx(ev_hand.grads[name], rel=1e-15)

    def loss(**changed: float) -> float:
        g = build_graph(text, values | changed).graph
        return core.evaluate(g).values["J"]

    for name, value in values.items():
        h = 1e-6
        slope = (loss(**{name: value + h}) - loss(**{name: value - h})) / (2 * h)
        assert ev.grads[name] == pytest.approx(slope, rel=1e-6, abs=1e-9)
    a = 1 / (1 + math.exp(-(0.5 * 2.0 - 0.3)))
    assert ev.grads["w"] == pytest.approx((a - 0.8) * 2.0, rel=1e-9)  # (a - y) x


def test_the_lecture_keeps_its_worked_numbers() -> None:
    ev = core.evaluate(core.graph_from_formula("J = 3*(a + b*c)", {"a": 5, "b": 3, "c": 2}))
    assert (ev.values["bc"], ev.values["a_bc"], ev.values["J"]) == (6, 11, 33)
    assert (ev.grads["a"], ev.grads["b"], ev.grads["c"], ev.grads["bc"]) == (3, 6, 9, 3)


# ------------------------------------------------------------------ free ids
def test_unique_id_is_the_stem_then_stem_2() -> None:
    g = core.Graph()
    assert g.unique_id("x") == "x"
    g.add_node("input", "x")
    assert g.unique_id("x") == "x_2"
    g.add_node("input", "x_2")
    assert g.unique_id("x") == "x_3"
    assert g.unique_id("t1") == "t1"  # a stem ending in a digit is used as it is
    g.add_node("input", "t1")
    assert g.unique_id("t1") == "t1_2"
    assert g.unique_id("class") == "n_class"
    assert g.unique_id("1x") == "n_1x"
    assert g.unique_id("ﬁ") == "fi"  # normal form NFKC, as every id


def test_nodes_added_without_an_id_follow_the_same_rule() -> None:
    g = core.Graph()
    made = [g.add_node("input"), g.add_node("input"), g.add_node("const"), g.add_node("const")]
    made.append(g.add_node("mul", inputs=["x", "k"]))
    assert made == ["x", "x_2", "k", "k_2", "mul"]
    assert names.default_stem("const") == names.CONSTANT_STEM == "k"
