"""Build from a formula: parsing with a whitelist, errors with positions, graphs that agree
with Python's own arithmetic, insert mode as one change, layout of the result."""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from dvar import core
from dvar.core.formula import FUNCTIONS, BuildResult, FormulaError, build_graph, parse_formula
from dvar.core.layout import GRID, NODE_HEIGHT, NODE_WIDTH
from tests.core.helpers import lecture, snapshot
from tests.oracle import OPERATORS as ORACLE_OPERATORS
from tests.oracle import REFERENCE
from tests.profiles import scaled

LECTURE_VALUES = {"a": 5, "b": 3, "c": 2}


def shape(g: core.Graph) -> dict[str, tuple]:
    """Each node as (op, operand ids or value)."""
    return {n.id: (n.op.name, n.value if n.op.is_leaf else tuple(g.inputs_of(n.key))) for n in g}


def assert_laid_out(g: core.Graph, new: tuple[str, ...] | None = None) -> None:
    """Every node placed, the ``new`` ones (default: all) on the grid, no boxes overlapping."""
    boxes = [(n.x, n.y) for n in g]
    assert all(x is not None and y is not None for x, y in boxes)
    for n in g if new is None else map(g.node, new):
        assert n.x % GRID == 0 and n.y % GRID == 0
    for i, (x1, y1) in enumerate(boxes):
        for x2, y2 in boxes[i + 1 :]:
            assert abs(x1 - x2) >= NODE_WIDTH or abs(y1 - y2) >= NODE_HEIGHT


# ------------------------------------------------------------------- lecture
def test_lecture_in_one_line() -> None:
    result = build_graph("J = 3*(a + b*c)", LECTURE_VALUES)
    g = result.graph
    assert isinstance(result, BuildResult)
    assert result.output == g.output == "J"
    assert shape(g) == {
        "a": ("input", 5),
        "b": ("input", 3),
        "c": ("input", 2),
        "k": ("const", 3),
        "bc": ("mul", ("b", "c")),
        "a_bc": ("add", ("a", "bc")),
        "J": ("mul", ("k", "a_bc")),
    }
    ev = core.evaluate(g)
    assert ev.values["J"] == 33
    assert (ev.grads["a"], ev.grads["b"], ev.grads["c"]) == (3, 6, 9)
    assert result.warnings == ()
    assert result.created == ("a", "b", "c", "k", "bc", "a_bc", "J")
    assert result.created_keys == tuple(g.key_of(i) for i in result.created)
    assert result.bound == () and result.defaulted == () and result.previous_output is None
    assert_laid_out(g)


@pytest.mark.parametrize(
    "text",
    [
        "u = b*c\nv = a + u\nJ = 3*v\na = 5\nb = 3\nc = 2",
        "a = 5; b = 3; c = 2\nu = b*c; v = a + u; J = 3*v",
        "# the lecture\n\n  a = 5   # indented lines are fine\n  b = 3\n  c = 2\n"
        "  u = b*c\r\n  v = a + u\r\n  J = 3*v\n",
        "J = 3*v\nv = a + u\nu = b*c\na = 5\nb = 3\nc = 2",  # top down: J is still the output
    ],
)
def test_lecture_in_several_lines(text: str) -> None:
    result = build_graph(text)
    g = result.graph
    assert g.output == "J"
    assert shape(g) == {
        "a": ("input", 5),
        "b": ("input", 3),
        "c": ("input", 2),
        "u": ("mul", ("b", "c")),
        "v": ("add", ("a", "u")),
        "k": ("const", 3),
        "J": ("mul", ("k", "v")),
    }
    ev = core.evaluate(g)
    assert dict(ev.values) == {"a": 5, "b": 3, "c": 2, "u": 6, "v": 11, "k": 3, "J": 33}
    assert dict(ev.grads) == {"a": 3, "b": 6, "c": 9, "u": 3, "v": 3, "k": 11, "J": 1}
    assert ev.order == ["J", "v", "a", "u", "b", "c", "k"]
    assert result.warnings == ()
    assert_laid_out(g)
    xs = {n.id: n.x for n in g}
    assert xs["a"] == xs["b"] == xs["c"] == 0 and xs["u"] < xs["v"] < xs["J"]


def test_values_from_the_command_line_override_value_lines() -> None:
    g = core.graph_from_formula("a = 1\nJ = 3*(a + b*c)", {"a": 5, "b": 3, "c": 2.0})
    assert core.evaluate(g).values["J"] == 33
    assert g.node("a").value == 5.0 and isinstance(g.node("a").value, float)


def test_inputs_without_a_value_get_one_with_a_warning() -> None:
    result = build_graph("J = 3*(a + b*c)\nb = 3")
    assert result.defaulted == ("a", "c")
    assert result.warnings == ("no value given for a and c: they start at 1",)
    assert result.graph.node("a").value == 1.0 and result.graph.node("c").value == 1.0
    assert result.graph.node("b").value == 3.0
    single = build_graph("J = exp(x)")
    assert single.warnings == ("no value given for x: it starts at 1",)


def test_negative_values_and_signs() -> None:
    result = build_graph("a = -2.5\nb = +4\nJ = a*b - -3 + -a")
    g = result.graph
    assert g.node("a").value == -2.5 and g.node("b").value == 4.0
    consts = [n for n in g if n.op.name == "const"]
    assert [n.value for n in consts] == [-3.0]  # -3 is one constant, not neg(3)
    assert [n.op.name for n in g if not n.op.is_leaf] == ["mul", "sub", "neg", "add"]
    assert core.evaluate(g).values["J"] == -2.5 * 4 + 3 + 2.5


def test_logistic_loss() -> None:
    text = "a = sigmoid(w*x + b)\nL = -(y*log(a) + (1-y)*log(1-a))"
    values = {"w": 0.5, "x": 2.0, "b": -0.3, "y": 0.8}
    g = core.graph_from_formula(text, values)
    assert g.output == "L"
    ev = core.evaluate(g)
    z = 0.5 * 2.0 - 0.3
    a = 1 / (1 + math.exp(-z))
    loss = -(0.8 * math.log(a) + 0.2 * math.log(1 - a))
    assert ev.values["a"] == pytest.approx(a, rel=1e-12)
    assert ev.values["L"] == pytest.approx(loss, rel=1e-12)
    assert ev.grads["w"] == pytest.approx((a - 0.8) * 2.0, rel=1e-9)  # dL/dw = (a - y) x
    assert ev.grads["b"] == pytest.approx(a - 0.8, rel=1e-9)
    assert ev.errors == {}
    assert_laid_out(g)
    # the other order of the lines gives the same graph and output
    swapped = core.graph_from_formula(
        "L = -(y*log(a) + (1-y)*log(1-a))\na = sigmoid(w*x + b)", values
    )
    assert swapped.output == "L"
    assert core.evaluate(swapped).values["L"] == ev.values["L"]


def test_ops_map_as_documented() -> None:
    g = core.graph_from_formula(
        "J = a - b + a/b + a**b + pow(a, b) + max(a, b) + min(a, b) + neg(a) + abs(a) "
        "+ exp(a) + log(a) + sqrt(a) + sin(a) + cos(a) + tanh(a) + sigmoid(a) + relu(a)",
        {"a": 2, "b": 3},
    )
    ops = [n.op.name for n in g if not n.op.is_leaf]
    for op in ("sub", "div", "pow", "max", "min", "neg", "abs", "exp", "log", "sqrt"):
        assert op in ops
    for op in ("sin", "cos", "tanh", "sigmoid", "relu"):
        assert op in ops
    assert ops.count("pow") == 2
    power = [n for n in g if n.op.name == "pow"]
    assert all(g.inputs_of(n.key) == ["a", "b"] for n in power)
    assert set(FUNCTIONS) == {
        "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "neg",
        "max", "min", "pow",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("J = -a**2", -9.0),
        ("J = (-a)**2", 9.0),
        ("J = -3**2 + 0*a", -9.0),
        ("J = (-3)**2 + 0*a", 9.0),
        ("J = 2**a**2", 2.0**9),
        ("J = a - 2 - 1", 0.0),
        ("J = a / 3 / 2", 0.5),
        ("J = a * -2", -6.0),
        ("J = a ** -1", 1 / 3),
        ("J = +a * 2", 6.0),
    ],
)
def test_precedence_follows_python(text: str, expected: float) -> None:
    g = core.graph_from_formula(text, {"a": 3})
    assert core.evaluate(g).values[g.output] == pytest.approx(expected, rel=1e-15)


def test_generated_ids_are_readable_and_never_clash() -> None:
    result = build_graph("J = t1*(1 - y) + 2.5*one + 1 - 0.5 + 7*k1 + 12")
    g = result.graph
    assert {"t1", "y", "one", "k1", "J"} <= set(n.id for n in g)
    assert g.node("t1").op.name == "input" and g.node("one").op.name == "input"
    consts = {n.id: n.value for n in g if n.op.name == "const"}
    assert consts == {"k": 1, "k_2": 2.5, "k_3": 1, "k_4": 0.5, "k_5": 7, "k_6": 12}
    steps = {n.id for n in g if not n.op.is_leaf and n.id != "J"}
    assert "one_minus_y" in steps and "t1" not in steps  # t1 is the person's input
    assert len(set(n.id for n in g)) == len(g)
    core.loads(core.dumps(g))  # every id is a valid file id


def test_a_bare_last_expression_is_the_output_j() -> None:
    g = core.graph_from_formula("3*(a + b*c)", LECTURE_VALUES)
    assert g.output == "J"
    assert core.evaluate(g).values["J"] == 33
    assert core.graph_from_formula("u = J*2\nu + 1").output == "J1"  # J is an input here


def test_unused_lines_are_kept_with_a_warning() -> None:
    result = build_graph("u = b*c\nJ = 3*a\nz = 4\na = 1; b = 1; c = 1")
    assert result.output == "J"
    assert result.warnings == (
        "u (line 1) is not used by the output J",
        "z = 4 (line 3) is not used by any other line",
    )
    assert "u" in result.graph and "z" in result.graph


def test_parsed_formula() -> None:
    f = parse_formula("a = 5\nu = b*c\nJ = 3*(a + u)")
    assert f.output == "J"
    assert f.inputs == ("a", "b", "c")
    assert f.values == {"a": 5.0}
    assert [d.name for d in f.definitions] == ["u", "J"]
    assert f.names == ("a", "b", "c", "u", "J")
    assert f.definitions[1].line == 3 and f.definitions[1].column == 1
    assert f.definitions[1].expr.op == "mul"


# -------------------------------------------------------------------- errors
ERRORS = [
    # (text, line, column, words in the message)
    ("J = (a +\n b", 1, 5, "never closed"),
    ("J = 3 *", 1, 8, "invalid syntax"),
    ("u = b*c\nJ = 3 * (u", 2, 9, "never closed"),
    ("J = foo(a)", 1, 5, "unknown function foo"),
    ("x = 1\nJ = a.b", 2, 5, "attribute access is not allowed"),
    ("J = __import__('os')", 1, 5, "unknown function __import__"),
    ("J = __import__('os').system('ls')", 1, 5, "attribute access is not allowed"),
    ("J = a[0]", 1, 5, "subscripts"),
    ("J = exp(x=1)", 1, 9, "keyword arguments are not allowed"),
    ("J = max(a, b=2)", 1, 12, "keyword arguments are not allowed"),
    ("J = 'a' * b", 1, 5, "text (strings) is not allowed"),
    ("J = b'a'", 1, 5, "text (strings) is not allowed"),
    ("J = f'{a}'", 1, 5, "text (strings) is not allowed"),
    ("u = b*c\nu = a + 1", 2, 1, "u is already defined on line 1"),
    ("a = 5\na = b*c", 2, 1, "a is already defined on line 1"),
    ("a = b + 1\nb = a * 2", 2, 5, "circular definition: a → b → a"),
    ("a = b + 1\nb = c * 2\nc = exp(a)", 3, 9, "circular definition: a → b → c → a"),
    ("J = 2*J", 1, 7, "J is defined in terms of itself"),
    ("", 1, 1, "the formula is empty"),
    ("  \n # only a comment\n", 1, 1, "the formula is empty"),
    ("J = exp(a, b)", 1, 5, "exp takes 1 argument, not 2"),
    ("J = max(a)", 1, 5, "max takes 2 arguments, not 1"),
    ("J = a // b", 1, 7, "the operator // is not supported"),
    ("J = a % b", 1, 7, "the operator % is not supported"),
    ("J = (a)  ^ b", 1, 10, "write a ** b"),
    ("J = a < b", 1, 5, "comparisons are not allowed"),
    ("J = a and b", 1, 5, "'and' and 'or' are not allowed"),
    ("J = a if b else c", 1, 5, "conditional expressions"),
    ("J = lambda: 1", 1, 5, "lambda is not allowed"),
    ("J = [a]", 1, 5, "lists are not allowed"),
    ("J = a, b", 1, 5, "tuples are not allowed"),
    ("J = exp(*a)", 1, 9, "starred arguments"),
    ("J = True * a", 1, 5, "True is not a number"),
    ("J = None", 1, 5, "None is not a number"),
    ("J = 2j * a", 1, 5, "complex numbers are not allowed"),
    ("J = 1e999 * a", 1, 5, "too large"),
    ("J = not a", 1, 5, "'not' is not allowed"),
    ("J = (x := 3)", 1, 6, "':=' is not allowed"),
    ("v = u", 1, 5, "v = u only renames u"),
    ("J = 5", 1, 1, "only sets a value"),
    ("import os", 1, 1, "import is not allowed"),
    ("J += a", 1, 1, "'+=' and the like are not allowed"),
    ("J: float = a", 1, 1, "annotations"),
    ("a = b = c*d", 1, 5, "one name per line"),
    ("a, b = c*d", 1, 1, "one name per line"),
    ("a.b = c*d", 1, 1, "attribute access is not allowed"),
    ("u = a*b\na*b\nJ = u", 2, 1, "gives it no name"),
    ("def f(): pass", 1, 1, "only assignments"),
    ("for i in x: pass", 1, 1, "only assignments"),
    ("J = a\0", 1, 6, "NUL"),
    ("J = (a).b(c)", 1, 5, "attribute access is not allowed"),
    ("J = (a)(b)", 1, 6, "unknown function a"),
    ("  u = b*c\n    J = 3 * (u + .", 2, 18, "invalid syntax"),
    ("ŷ = σ(z)", 1, 5, "unknown function σ"),  # columns count characters, not bytes
    ("é = 1; J = é * exp(x.y)", 1, 20, "attribute access"),
    ("J = " + "+".join(["a"] * 20_000), 1, 1, "nested too deeply"),
    ("J = (a +\n  b) // 2", 2, 6, "the operator // is not supported"),
]


@pytest.mark.parametrize(("text", "line", "column", "words"), ERRORS)
def test_errors_point_at_line_and_column(text: str, line: int, column: int, words: str) -> None:
    with pytest.raises(FormulaError) as caught:
        parse_formula(text)
    error = caught.value
    assert (error.line, error.column) == (line, column), str(error)
    assert words in error.message
    assert str(error) == f"line {line}, column {column}: {error.message}"
    assert isinstance(error, core.GraphError)  # the GUI and CLI already report these


def test_formula_is_never_evaluated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the formula was evaluated")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    marker = tmp_path / "pwned"
    for text in (
        f"J = __import__('os').system('touch {marker}')",
        f'J = exec(\'open("{marker}", "w")\')',
        "J = ().__class__.__base__.__subclasses__()",
        "J = a.__class__",
    ):
        with pytest.raises(FormulaError):
            build_graph(text)
    assert not marker.exists()
    build_graph("J = 3*(a + b*c)")  # the good path needs no eval either


def test_a_long_formula_still_builds() -> None:
    text = "J = " + " + ".join(f"x{i}*{i % 7}" for i in range(400))
    g = core.graph_from_formula(text)
    assert core.evaluate(g).values["J"] == sum(i % 7 for i in range(400))
    assert_laid_out(g)


def test_bad_values_are_refused() -> None:
    with pytest.raises(FormulaError, match="no input named z") as caught:
        build_graph("J = 3*(a + b*c)", {"z": 1})
    assert caught.value.line is None and str(caught.value).startswith("the formula has no input")
    with pytest.raises(FormulaError, match="u is computed by the formula .line 1."):
        build_graph("u = b*c\nJ = 3*u", {"u": 1})
    with pytest.raises(FormulaError, match="finite"):
        build_graph("J = 3*a", {"a": math.inf})
    with pytest.raises(FormulaError, match="number"):
        build_graph("J = 3*a", {"a": "5"})  # type: ignore[dict-item]
    with pytest.raises(FormulaError, match="number"):
        build_graph("J = 3*a", {"a": True})


# ---------------------------------------------------------------- insert mode
def test_insert_binds_existing_name_leavesin_one_change() -> None:
    g = lecture()
    before = {n.id: (n.x, n.y, n.value) for n in g}
    heard: list[list[core.Event]] = []
    g.subscribe(heard.append)
    result = build_graph("K = exp(a) * v + 2", into=g)
    assert len(heard) == 1  # one batch, one notification
    assert result.graph is g
    assert result.bound == ("a", "v")
    assert set(result.created) == {"exp_a", "t1", "k", "K"}  # exp_a_times_v is too long
    assert result.output == g.output == "K"
    assert result.previous_output == "J"
    assert result.warnings == ()
    assert g.inputs_of("exp_a") == ["a"] and g.inputs_of("t1") == ["exp_a", "v"]
    for name, place in before.items():  # existing nodes do not move
        assert (g.node(name).x, g.node(name).y, g.node(name).value) == place
    assert_laid_out(g, result.created)
    bottom = max(y for _, y, _ in before.values())
    assert all(g.node(i).y > bottom for i in result.created)  # below the diagram
    ev = core.evaluate(g)
    assert ev.values["K"] == pytest.approx(math.exp(5) * 11 + 2)


def test_insert_sets_values_of_bound_inputs_and_avoids_taken_ids() -> None:
    g = lecture()
    g.add_node("input", "t1", value=7)
    result = build_graph("a = 6\nK = a*t1 + b*2", {"b": 4}, into=g, set_output=False)
    assert result.bound == ("a", "t1", "b")
    assert result.changed_values == {"a": (5.0, 6.0), "b": (3.0, 4.0)}
    assert g.output == "J"  # set_output=False keeps it
    assert "t1" not in result.created
    assert core.evaluate(g).values["K"] == 6 * 7 + 4 * 2


def test_insert_a_bare_expression_gets_a_free_name() -> None:
    g = lecture()
    result = build_graph("J * 2", into=g)
    assert result.output == "J1"
    assert g.inputs_of("J1") == ["J", "k"]


@pytest.mark.parametrize(
    ("text", "values", "where", "words"),
    [
        ("u = a*2", None, (1, 1), "u already names a node"),
        ("W = u*2\nu = 3", None, (2, 1), "u is computed by mul in the diagram"),
        ("W = u*2", {"u": 3}, (None, None), "u is computed by mul in the diagram"),
        ("W = a.b", None, (1, 5), "attribute access"),
    ],
)
def test_insert_refused_leaves_the_graph_as_it_was(
    text: str, values: dict | None, where: tuple, words: str
) -> None:
    g = lecture()
    before = snapshot(g)
    heard: list = []
    g.subscribe(heard.append)
    with pytest.raises(FormulaError, match=words) as caught:
        build_graph(text, values, into=g)
    assert (caught.value.line, caught.value.column) == where
    assert snapshot(g) == before
    assert heard == []


def test_insert_rolls_back_when_something_fails_midway(monkeypatch: pytest.MonkeyPatch) -> None:

    def broken(*args: object, **kwargs: object) -> dict:
        raise core.GraphError("layout failed")

    g = lecture()
    before = core.dumps(g)
    ids = {n.id: n.key for n in g}
    heard: list = []
    g.subscribe(heard.append)
    monkeypatch.setattr(core.layout, "arrange", broken)
    with pytest.raises(core.GraphError, match="layout failed"):
        build_graph("a = 7\nK = exp(a) * v + 2", into=g)
    assert core.dumps(g) == before  # new nodes gone, a's value and the output restored
    assert {n.id: n.key for n in g} == ids
    assert heard == []
    monkeypatch.undo()
    build_graph("K = exp(a) * v + 2", into=g)  # and the graph still works
    assert len(heard) == 1


# ------------------------------------------------------------- round trips
NAMES = ("a", "b", "t1", "three")  # t1 and three also look like generated ids
CONSTANTS = (0, 1, 2, 3, 0.5, 1.5, 2.5, 10)
UNARY = ("exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "neg")
BINARY_FUNCTIONS = ("max", "min", "pow")
OPERATORS = {"+": 1, "-": 1, "*": 2, "/": 2, "**": 4}

Tree = tuple


UNARY_MATH: dict[str, Callable[[float], float]] = {name: REFERENCE[name] for name in UNARY}
BINARY_MATH: dict[str, Callable[[float, float], float]] = {
    **{symbol: REFERENCE[op] for symbol, op in ORACLE_OPERATORS.items()},
    **{name: REFERENCE[name] for name in BINARY_FUNCTIONS},
}

name_leaves = st.tuples(st.just("name"), st.sampled_from(NAMES))
leaves = st.one_of(
    name_leaves,
    name_leaves,
    st.tuples(st.just("num"), st.sampled_from(CONSTANTS)),
    st.tuples(st.just("num"), st.sampled_from(CONSTANTS).map(lambda c: -c)),
)


def _extend(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    return st.one_of(
        st.tuples(st.just("bin"), st.sampled_from(list(OPERATORS)), children, children),
        st.tuples(st.just("call"), st.sampled_from(UNARY), children),
        st.tuples(st.just("call"), st.sampled_from(BINARY_FUNCTIONS), children, children),
        st.tuples(st.just("neg"), children),
        st.tuples(st.just("pos"), children),
    )


trees = st.recursive(leaves, _extend, max_leaves=10)
roots = st.one_of(
    st.tuples(st.just("bin"), st.sampled_from(list(OPERATORS)), trees, trees),
    st.tuples(st.just("call"), st.sampled_from(UNARY), trees),
    st.tuples(st.just("call"), st.sampled_from(BINARY_FUNCTIONS), trees, trees),
)


def compute(tree: Tree, env: dict[str, float], ties: list[Tree] | None = None) -> float:
    """The tree's value with Python's float arithmetic; raises where Python raises, and
    ArithmeticError for a non-finite intermediate (which the engine reports as no value).

    ``ties`` collects max/min steps whose operands are equal: there the engine splits the
    derivative evenly, as PyTorch does, which no finite difference reproduces.
    """
    kind = tree[0]
    if kind == "name":
        value = env[tree[1]]
    elif kind == "num":
        value = float(tree[1])
    elif kind == "neg":
        value = -compute(tree[1], env, ties)
    elif kind == "pos":
        value = compute(tree[1], env, ties)
    elif kind == "call" and len(tree) == 3:
        value = UNARY_MATH[tree[1]](compute(tree[2], env, ties))
    else:
        x, y = compute(tree[2], env, ties), compute(tree[3], env, ties)
        if ties is not None and tree[1] in ("max", "min") and x == y:
            ties.append(tree)
        value = BINARY_MATH[tree[1]](x, y)
    if not math.isfinite(value):
        raise ArithmeticError("not finite")
    return value


PRECEDENCE = {"atom": 5, "**": 4, "unary": 3, "*": 2, "/": 2, "+": 1, "-": 1}


def precedence(tree: Tree) -> int:
    kind = tree[0]
    if kind == "num":
        return PRECEDENCE["unary"] if tree[1] < 0 or str(tree[1]).startswith("-") else 5
    if kind in ("neg", "pos"):
        return PRECEDENCE["unary"]
    if kind == "bin":
        return PRECEDENCE[tree[1]]
    return PRECEDENCE["atom"]


def text_of(tree: Tree, hoist: Callable[[Tree, str], str]) -> str:
    """Python text for the tree with as few parentheses as Python's grammar allows.

    ``hoist(subtree, text)`` may move a step to a line of its own and return its name.
    """
    kind = tree[0]
    if kind == "name":
        return tree[1]
    if kind == "num":
        return repr(tree[1])
    if kind in ("neg", "pos"):
        inner = text_of(tree[1], hoist)
        if precedence(tree[1]) < PRECEDENCE["unary"]:
            inner = f"({inner})"
        sign = "-" if kind == "neg" else "+"
        return f"{sign} {inner}" if inner.startswith(sign) else sign + inner
    if kind == "call":
        args = ", ".join(text_of(arg, hoist) for arg in tree[2:])
        return hoist(tree, f"{tree[1]}({args})")
    op, left, right = tree[1], tree[2], tree[3]
    mine = PRECEDENCE[op]
    left_text, right_text = text_of(left, hoist), text_of(right, hoist)
    if op == "**":
        left_needs = precedence(left) <= mine
        right_needs = precedence(right) < PRECEDENCE["unary"]
    else:
        left_needs = precedence(left) < mine
        right_needs = precedence(right) <= mine
    if left_needs:
        left_text = f"({left_text})"
    if right_needs:
        right_text = f"({right_text})"
    return hoist(tree, f"{left_text} {op} {right_text}")


def central(f: Callable[[float], float], x: float) -> tuple[float, bool]:
    """Central difference of f at x, and whether f looks smooth there (the one-sided
    differences agree), so that a finite difference means something."""
    h = 1e-6 * max(1.0, abs(x))
    f0, up, down = f(x), f(x + h), f(x - h)
    forward, backward = (up - f0) / h, (f0 - down) / h
    smooth = math.isclose(forward, backward, rel_tol=1e-3, abs_tol=1e-3)
    return (up - down) / (2 * h), smooth


@settings(
    max_examples=scaled(150),
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(
    tree=roots,
    env=st.fixed_dictionaries(
        # hundredths: tiny values would only measure float cancellation (a/a at 1e-54)
        {n: st.integers(-300, 300).map(lambda i: i / 100) for n in NAMES}
    ),
    data=st.data(),
)
def test_round_trip_agrees_with_python(
    tree: Tree, env: dict[str, float], data: st.DataObject
) -> None:
    ties: list[Tree] = []
    try:
        expected = compute(tree, env, ties)
    except (ArithmeticError, ValueError):
        assume(False)  # Python has no real value here; the engine's nulls are tested elsewhere
    assume(abs(expected) < 1e6)

    # Print it, moving some steps to lines of their own, in any order.
    lines: list[str] = []

    def hoist(subtree: Tree, text: str) -> str:
        if subtree is tree or not data.draw(st.booleans(), label="own line"):
            return text
        name = f"t{len(lines) + 1}" if "t1" not in used else f"s{len(lines) + 1}"
        lines.append(f"{name} = {text}")
        return name

    used = {n for n in NAMES if n in repr(tree)}
    root = text_of(tree, hoist)
    lines = data.draw(st.permutations(lines), label="order")
    as_value_lines = data.draw(st.booleans(), label="values in the text")
    names = sorted({t[1] for t in _walk(tree) if t[0] == "name"})
    values = {n: env[n] for n in names}
    if as_value_lines:
        lines = [f"{n} = {env[n]!r}" for n in names] + lines
        values = {}
    lines.append(data.draw(st.sampled_from([f"J = {root}", root]), label="last line"))
    text = data.draw(st.sampled_from(["\n", "; "]), label="separator").join(lines)
    event(f"lines: {min(len(lines), 4)}")

    result = build_graph(text, values)
    g = result.graph
    assert g.output == result.output == "J"
    assert set(result.defaulted) == set()
    ev = core.evaluate(g)
    assert ev.values["J"] is not None, (text, ev.errors)
    assert math.isclose(ev.values["J"], expected, rel_tol=1e-12, abs_tol=1e-300), text

    for name in names if not ties else ():
        grad = ev.grads[name]
        if grad is None:  # a partial with no finite value (log of a negative base, ...)
            continue

        def f(x: float, name: str = name) -> float:
            return compute(tree, {**env, name: x})

        try:
            estimate, smooth = central(f, env[name])
        except (ArithmeticError, ValueError):
            continue  # the domain ends within h of this point
        event(f"derivative compared: {smooth}")
        if smooth:
            tolerance = 1e-5 + 1e-8 * abs(expected)  # rounding in f(x ± h) - f(x)
            assert math.isclose(grad, estimate, rel_tol=1e-4, abs_tol=tolerance), (text, name)


def _walk(tree: Tree) -> list[Tree]:
    found, stack = [], [tree]
    while stack:
        t = stack.pop()
        found.append(t)
        if t[0] in ("neg", "pos"):
            stack.append(t[1])
        elif t[0] in ("bin", "call"):
            stack.extend(t[2:])
    return found
