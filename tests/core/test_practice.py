"""core.diagnose and core.hints (core/practice.py): each mistake in the table is named,
on the lecture and on a variable used twice; the matching rules; local derivatives;
the errors; and, on random graphs, the true derivative is always right."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dvar import core
from dvar.core.practice import significant_digits
from dvar.core.practice_candidates import LOCAL_VERDICTS, VERDICTS, candidates
from tests.core.helpers import build, central_difference, lecture, output_as_function_of
from tests.core.test_pyexport import random_graph


def used_twice() -> core.Graph:
    """x = 2, y = 3, a = x·y, b = x + y, J = a·b: dx = db·1 + da·y = 6 + 15 = 21."""
    return build(
        [
            ("x", "input", 2),
            ("y", "input", 3),
            ("a", "mul", ["x", "y"]),
            ("b", "add", ["x", "y"]),
            ("J", "mul", ["a", "b"]),
        ],
        "J",
    )


# ------------------------------------------------------------------ a variable used twice
def test_the_numbers_of_the_two_use_example_by_hand_and_by_experiment() -> None:
    g = used_twice()
    ev = core.evaluate(g)
    # By hand: a = 6, b = 5, J = 30; da = b = 5, db = a = 6; dx = 5·3 + 6·1 = 21.
    assert (ev.values["a"], ev.values["b"], ev.values["J"]) == (6, 5, 30)
    assert (ev.grads["a"], ev.grads["b"], ev.grads["x"]) == (5, 6, 21)
    assert central_difference(output_as_function_of(g, "x"), 2.0) == pytest.approx(21, rel=1e-6)
    pool = {c.verdict: c.value for c in reversed(candidates(ev, "x"))}  # the first of each
    assert pool == {
        "right": 21,
        "missed-path": 15,  # through a only
        "product-of-paths": 90,  # 15 · 6
        "local-only": 3,  # ∂a/∂x = y
        "upstream-only": 5,  # da
        "wrong-sign": -21,
        "value-not-derivative": 2,
    }


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [(21, "right"), (15, "missed-path"), (90, "product-of-paths"), (3, "local-only"),
     (5, "upstream-only"), (-21, "wrong-sign"), (2, "value-not-derivative"), (100, "wrong")],
)  # fmt: skip
def test_each_verdict_in_table_order_on_a_variable_used_twice(answer: float, verdict: str) -> None:
    d = core.diagnose(core.evaluate(used_twice()), "x", answer)
    assert (d.verdict, d.verdicts) == (verdict, (verdict,))
    assert d.right == (verdict == "right")
    assert d.expected == 21 and d.answer == answer and d.symbol == "dx"


def test_the_answers_give_the_verdicts_in_table_order() -> None:
    ev = core.evaluate(used_twice())
    got = [core.diagnose(ev, "x", a).verdict for a in (21, 15, 90, 3, 5, -21, 2, 100)]
    assert got == list(VERDICTS)


def test_a_missed_path_names_the_path_it_has_and_the_one_to_add() -> None:
    d = core.diagnose(core.evaluate(used_twice()), "x", 15.0)
    assert d.message == (
        "x is used by a and b; you have only the path through a (15). Add db · ∂b/∂x = 6."
    )


def test_the_other_missed_path_is_also_an_upstream_derivative_and_says_both() -> None:
    d = core.diagnose(core.evaluate(used_twice()), "x", 6)  # db·1 = db = 6
    assert d.verdicts == ("missed-path", "upstream-only")
    assert "only the path through b" in d.message and "db alone" in d.message
    assert "Add da · ∂a/∂x = 15" in d.message


def test_messages_use_this_graphs_names_and_numbers() -> None:
    ev = core.evaluate(used_twice())
    messages = {a: core.diagnose(ev, "x", a).message for a in (21, 90, 3, 5, -21, 2, 100)}
    assert messages[21] == "Right: dx = 5 · 3 + 6 · 1 = 21."
    assert "15 · 6 = 90" in messages[90] and "add" in messages[90]
    assert "∂a/∂x" in messages[3] and "da" in messages[3]
    assert "da alone" in messages[5] and "∂a/∂x" in messages[5]
    assert "-dx" in messages[-21] and "sign" in messages[-21]
    assert "value of x" in messages[2]
    assert messages[100].startswith("100 is not dx.") and "da · ∂a/∂x + db · ∂b/∂x" in messages[100]


# ------------------------------------------------------------------ the lecture
@pytest.mark.parametrize(
    ("node", "answer", "verdicts"),
    [
        ("b", 6, ("right",)),
        ("b", 2, ("local-only",)),  # ∂u/∂b = c
        ("v", 1, ("upstream-only",)),  # dJ
        ("b", -6, ("wrong-sign",)),
        ("c", 2, ("value-not-derivative",)),
        ("b", 7, ("wrong",)),
        ("b", 3, ("upstream-only", "value-not-derivative")),  # du = 3 = b
        ("J", 1, ("right",)),
        ("J", 33, ("value-not-derivative",)),
    ],
)
def test_verdicts_on_the_lecture(node: str, answer: float, verdicts: tuple[str, ...]) -> None:
    d = core.diagnose(core.evaluate(lecture()), node, answer)
    assert d.verdicts == verdicts and d.verdict == verdicts[0]


def test_the_lecture_tie_names_both_mistakes() -> None:
    d = core.diagnose(core.evaluate(lecture()), "c", 3)  # ∂u/∂c = b = 3 and du = 3
    assert d.verdicts == ("local-only", "upstream-only")
    assert d.verdict == "local-only"
    assert "∂u/∂c" in d.message and "du alone" in d.message
    assert "dc = du · ∂u/∂c" in d.message


def test_da_3_is_right_though_dv_is_3_too() -> None:
    ev = core.evaluate(lecture())
    assert ev.grads["v"] == 3 == ev.grads["a"]
    d = core.diagnose(ev, "a", 3)
    assert d.verdicts == ("right",) and d.message == "Right: da = 3 · 1 = 3."


# ------------------------------------------------------------------ matching rules
def thousand_and_one() -> core.Evaluation:
    """dx has the terms 1000 (through a = 1000·x) and 1 (through b = x + y)."""
    g = build(
        [
            ("x", "input", 2),
            ("y", "input", 5),
            ("k", "const", 1000),
            ("a", "mul", ["k", "x"]),
            ("b", "add", ["x", "y"]),
            ("J", "add", ["a", "b"]),
        ],
        "J",
    )
    ev = core.evaluate(g)
    assert [t.product for t in ev.terms("x")] == [1000, 1] and ev.grads["x"] == 1001
    return ev


def test_an_answer_nearer_a_mistake_than_the_right_value_is_that_mistake() -> None:
    ev = thousand_and_one()
    d = core.diagnose(ev, "x", 1000)  # within 0.5 % of 1001, but exactly the path through a
    assert d.verdict == "missed-path" and not d.right
    assert "right" not in d.verdicts


def test_an_answer_nearer_the_right_value_is_right_and_lists_the_near_mistake() -> None:
    d = core.diagnose(thousand_and_one(), "x", 1000.6)
    assert d.verdict == "right" and d.verdicts[:2] == ("right", "missed-path")


def test_near_means_within_half_a_percent_or_1e_9_of_zero() -> None:
    ev = core.evaluate(lecture())
    assert core.diagnose(ev, "b", 6 * 1.0049).right
    assert not core.diagnose(ev, "b", 6 * 1.0051).right
    g = build([("x", "input", 2), ("y", "input", 1), ("J", "mul", ["y", "y"])], "J")
    zero = core.evaluate(g)  # J does not depend on x: dx = 0
    assert zero.grads["x"] == 0
    assert core.diagnose(zero, "x", 5e-10).right
    assert not core.diagnose(zero, "x", 2e-9).right


def log_sigmoid() -> core.Evaluation:
    """J = log σ(z), z = 2: dz = 1 − σ(2) = 0.119203."""
    g = build([("z", "input", 2), ("p", "sigmoid", ["z"]), ("J", "log", ["p"])], "J")
    ev = core.evaluate(g)
    assert ev.grads["z"] == pytest.approx(1 - 1 / (1 + math.exp(-2)), rel=1e-12)
    return ev


@pytest.mark.parametrize(
    ("answer", "right"),
    [
        ("0.119", True),  # dz rounded to the 3 digits typed
        ("0.1192", True),
        ("0.12", True),  # 2 digits: 0.119203 rounds to 0.12, though 0.67 % away
        (0.12, False),  # a float has no digits typed: the 0.5 % rule alone
        ("0.120", False),  # 3 digits typed: 0.119203 rounds to 0.119
        ("0.1", False),  # 1 digit: judged by the 0.5 % rule
        ("1.19e-1", True),
        ("−0.119", False),  # the editor's minus sign is read, and the sign is wrong
    ],
)
def test_typed_precision(answer: float | str, right: bool) -> None:
    d = core.diagnose(log_sigmoid(), "z", answer)
    assert d.right == right
    if answer == "−0.119":
        assert d.verdict == "wrong-sign"


def test_significant_digits_as_typed() -> None:
    assert [significant_digits(t) for t in ("0.119", "100", "1.5e3", "-0.0020", "7", "1_000")] == [
        3,
        3,
        2,
        2,
        1,
        None,
    ]


# ------------------------------------------------------------------ local derivatives
@pytest.mark.parametrize(
    ("answer", "verdict"),
    [(2, "right"), (3, "other-operand"), (-2, "wrong-sign"), (6, "value-not-derivative"),
     (7, "wrong")],
)  # fmt: skip
def test_local_answers_on_the_lecture(answer: float, verdict: str) -> None:
    d = core.diagnose(core.evaluate(lecture()), "b", answer, consumer="u")  # ∂u/∂b = c = 2
    assert (d.verdict, d.verdicts) == (verdict, (verdict,))
    assert d.symbol == "∂u/∂b" and d.expected == 2 and d.consumer == "u" and d.slot == 0


def test_local_answers_come_in_table_order() -> None:
    ev = core.evaluate(lecture())
    got = [core.diagnose(ev, "b", a, consumer="u").verdict for a in (2, 3, -2, 6, 7)]
    assert got == list(LOCAL_VERDICTS)


def test_local_messages_name_the_operands() -> None:
    ev = core.evaluate(lecture())
    assert core.diagnose(ev, "b", 2, consumer="u").message == "Right: ∂u/∂b = c = 2."
    other = core.diagnose(ev, "b", 3, consumer="u").message
    assert "∂u/∂c" in other and "hold c still" in other
    wrong = core.diagnose(ev, "b", 7, consumer="u").message
    assert wrong == "7 is not ∂u/∂b. Rule for Multiply: if u = p·q, then ∂u/∂p = q."


def squared() -> core.Evaluation:
    """m = x·x·... : m = x·x, J = m·y, with x = 3, y = 2: ∂m/∂x is 3 through each slot."""
    g = build(
        [("x", "input", 3), ("y", "input", 2), ("m", "mul", ["x", "x"]), ("J", "mul", ["m", "y"])],
        "J",
    )
    return core.evaluate(g)


def test_a_slot_is_needed_only_when_the_consumer_uses_the_node_twice() -> None:
    ev = squared()
    with pytest.raises(ValueError, match="slot"):
        core.diagnose(ev, "x", 3, consumer="m")
    for slot in (0, 1):
        d = core.diagnose(ev, "x", 3, consumer="m", slot=slot)
        assert d.right and d.symbol == f"∂m/∂x[{slot + 1}]"
    assert core.diagnose(ev, "m", 2, consumer="J").right  # one use: no slot needed
    with pytest.raises(ValueError, match="slot 1 of J is not m"):
        core.diagnose(ev, "m", 2, consumer="J", slot=1)


def test_the_two_slots_of_x_times_x_are_two_paths() -> None:
    ev = squared()  # dx = dm·x + dm·x = 2·3 + 2·3 = 12
    d = core.diagnose(ev, "x", 6)
    assert d.verdict == "missed-path" and "slot 1" in d.message


# ------------------------------------------------------------------ errors
def test_errors_are_value_errors_with_a_clear_message() -> None:
    ev = core.evaluate(lecture())
    with pytest.raises(ValueError, match="no node called 'q'"):
        core.diagnose(ev, "q", 1)
    with pytest.raises(ValueError, match="no node called 'q'"):
        core.diagnose(ev, "b", 1, consumer="q")
    with pytest.raises(ValueError, match="v does not use b"):
        core.diagnose(ev, "b", 1, consumer="v")
    with pytest.raises(ValueError, match="'six' is not a number"):
        core.diagnose(ev, "b", "six")
    with pytest.raises(ValueError, match="finite"):
        core.diagnose(ev, "b", math.inf)
    with pytest.raises(ValueError, match="must be a number"):
        core.diagnose(ev, "b", True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="consumer"):
        core.diagnose(ev, "b", 6, slot=0)
    with pytest.raises(ValueError, match="no node called"):
        core.hints(ev, "q")


def test_a_node_without_a_derivative_is_refused() -> None:
    g = lecture()
    g.set_output(None)
    with pytest.raises(ValueError, match="no output is chosen"):
        core.diagnose(core.evaluate(g), "b", 6)
    with pytest.raises(ValueError, match="no output is chosen"):
        core.hints(core.evaluate(g), "b")
    bad = build([("x", "input", -2), ("l", "log", ["x"]), ("J", "neg", ["l"])], "J")
    with pytest.raises(ValueError, match="dx has no value: J has no value"):
        core.diagnose(core.evaluate(bad), "x", 1)


# ------------------------------------------------------------------ hints
def test_hints_climb_from_who_uses_the_node_to_the_numbers() -> None:
    first, second, third = core.hints(core.evaluate(used_twice()), "x")
    assert first.startswith("x is used by a and b")
    assert second == "dx = da · ∂a/∂x + db · ∂b/∂x = da · y + db · 1"
    assert third == "dx = 5 · 3 + 6 · 1 = ?"
    first, second, third = core.hints(core.evaluate(lecture()), "b")
    assert "u" in first and second == "db = du · ∂u/∂b = du · c" and third == "db = 3 · 2 = ?"


def test_hints_never_give_the_result() -> None:
    ev = core.evaluate(lecture())
    for node in ev.order:
        for hint in core.hints(ev, node):
            assert not hint.rstrip(".").endswith(f"= {core.format_number(ev.grads[node])}")


def test_local_hints_give_the_rule_then_the_names_then_the_values() -> None:
    first, second, third = core.hints(core.evaluate(lecture()), "b", consumer="u")
    assert first == "Rule for Multiply: if u = p·q, then ∂u/∂p = q."
    assert second == "Here u = b·c, so ∂u/∂b = c."
    assert third == "With b = 3, c = 2, u = 6: ∂u/∂b = ?"
    first, second, _ = core.hints(log_sigmoid(), "z", consumer="p")
    assert first == "Rule for Sigmoid: if p = σ(q), then ∂p/∂q = p·(1 - p)."
    assert second == "Here p = σ(z), so ∂p/∂z = p·(1 - p)."


# ------------------------------------------------------------------ many uses
def test_past_twelve_uses_only_single_paths_and_all_but_one_are_tried() -> None:
    def fan(uses: int) -> core.Evaluation:
        spec: list[tuple] = [("x", "input", 1.5)]
        previous = "x"
        for k in range(uses):
            spec.append((f"m{k}", "mul", ["x", previous]))
            previous = f"m{k}"
        return core.evaluate(build(spec, previous))

    def missed(ev: core.Evaluation) -> int:
        return sum(c.verdict == "missed-path" for c in candidates(ev, "x"))

    # x is used once by each m_k and once more by m0 (x·x): uses + 1 terms.
    assert missed(fan(11)) == 2**12 - 2  # 12 terms: every non-empty proper subset
    assert missed(fan(12)) == 2 * 13  # 13 terms: singles and all-but-one


# ------------------------------------------------------------------ random graphs
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(1, 12))
def test_the_true_derivative_is_always_right(seed: int, size: int) -> None:
    ev = core.evaluate(random_graph(random.Random(seed), size))
    if ev.output is None:
        return
    for node in ev.order:
        dn = ev.grads[node]
        if dn is None:
            continue
        for answer in (dn, repr(dn)):
            d = core.diagnose(ev, node, answer)
            assert d.right, (node, answer, d.verdicts, d.message)
        for term in ev.terms(node):
            if term.partial is None:
                continue
            slot = term.slot if term.repeated else None
            d = core.diagnose(ev, node, repr(term.partial), consumer=term.consumer, slot=slot)
            assert d.right, (node, term, d.message)
