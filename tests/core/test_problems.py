"""core.make_problem (core/problems.py): the stored problems come out the same, a level
and a seed always give the same graph, each level has its shape, and no two of the
diagnosis table's candidates coincide on any problem."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from dvar import core
from dvar.core import problems
from dvar.core.practice import clashes
from dvar.core.practice_candidates import candidates

STORED = sorted((Path(__file__).parent / "data" / "practice").glob("*.dvar"))


def test_there_are_stored_problems_for_every_level() -> None:
    levels = {int(re.match(r"level(\d)-", p.name).group(1)) for p in STORED}  # type: ignore[union-attr]
    assert levels == set(problems.LEVELS) and len(STORED) >= 8


@pytest.mark.parametrize("path", STORED, ids=lambda p: p.stem)
def test_a_stored_problem_is_made_again_exactly(path: Path) -> None:
    """The generator's promise: a later release makes the same graph.  Regenerating a
    stored file must give the same document, ids, values, wiring and positions."""
    level, seed = map(int, re.fullmatch(r"level(\d+)-seed(\d+)", path.stem).groups())  # type: ignore[union-attr]
    stored = json.loads(path.read_text(encoding="utf-8"))
    assert stored["practice"] == {"level": level, "seed": seed, "generator": 1}
    assert core.to_dict(core.make_problem(level, seed)) == stored


def test_the_same_level_and_seed_give_the_same_file_whatever_else_ran() -> None:
    first = core.dumps(core.make_problem(3, 77))
    random.seed(12345)  # the global generator has no say
    core.make_problem(2, 77)
    random.random()
    assert core.dumps(core.make_problem(3, 77)) == first


def test_seeds_give_different_problems() -> None:
    for level in problems.LEVELS:
        files = {
            core.dumps(core.make_problem(level, seed)).split('"nodes"')[1] for seed in range(20)
        }
        assert len(files) > 5, level


def test_the_practice_field_survives_a_save_and_a_load(tmp_path: Path) -> None:
    path = tmp_path / "p.dvar"
    core.save(core.make_problem(2, 4217), path)
    again = core.load(path)
    assert again.extra["practice"] == {"level": 2, "seed": 4217, "generator": 1}
    assert again.extra["title"] == "Practice: level 2, seed 4217"
    assert problems.GENERATOR_VERSION == 1


@pytest.mark.parametrize(
    ("level", "ops"),
    [
        (1, {"input", "const", "mul", "add"}),
        (2, {"input", "const", "mul", "add"}),
        (3, {"input", "mul", "exp", "sigmoid", "add", "log"}),
        (4, {"input", "const", "mul", "sigmoid", "log", "add"}),
    ],
)
def test_each_level_has_its_shape(level: int, ops: set[str]) -> None:
    for seed in range(10):
        g = core.make_problem(level, seed)
        ev = core.evaluate(g)
        assert {n.op.name for n in g.nodes()} == ops
        assert all(n.x is not None and n.y is not None for n in g.nodes())
        assert ev.output in ("J", "L") and not ev.errors
        used = {n.id: len(ev.terms(n.id)) for n in g.nodes()}
        if level == 1:
            assert sorted(g.node(i).id for i in g.topological_keys()) == sorted("abcuvkJ")
            assert all(n.value == int(n.value) for n in g.nodes() if n.op.is_leaf)
            assert max(used.values()) == 1
        if level == 2:
            assert used["x"] == 2
            assert all(n.value == int(n.value) for n in g.nodes() if n.op.is_leaf)
            assert all(float(v).is_integer() for v in ev.grads.values())  # whole numbers
        if level == 4:
            assert used["w"] == 2 and g.node("w").param


def test_small_values_stay_small_and_short() -> None:
    for level in problems.LEVELS:
        for seed in range(30):
            for node in core.make_problem(level, seed).nodes():
                if node.op.is_leaf:
                    assert abs(node.value) <= 7 and (2 * node.value).is_integer()


@pytest.mark.parametrize("level", sorted(problems.LEVELS))
def test_no_two_candidates_coincide_for_any_cell(level: int) -> None:
    for seed in range(150):
        ev = core.evaluate(core.make_problem(level, seed))
        for node in ev.order:
            pool = candidates(ev, node)
            assert clashes(pool) == [], (level, seed, node)
            for term in ev.terms(node):
                slot = term.slot if term.repeated else None
                local = candidates(ev, node, consumer=term.consumer, slot=slot)
                assert clashes(local) == [], (level, seed, node, term.consumer)


def test_every_mistake_on_a_problem_is_diagnosed_as_itself() -> None:
    """What no coinciding candidates is for: each candidate's number, given as the
    answer, gets exactly its own verdict."""
    for level in problems.LEVELS:
        ev = core.evaluate(core.make_problem(level, 4217))
        for node in ev.order:
            right = ev.grads[node]
            for c in candidates(ev, node):
                if c.verdict != "right" and c.value == right:
                    continue  # the same number as the right one: no mistake at all
                d = core.diagnose(ev, node, c.value)
                assert d.verdicts == (c.verdict,), (level, node, c)
                assert d.message.endswith(".") and ".." not in d.message and "\n" not in d.message
            wrong = core.diagnose(ev, node, 1e6).message
            assert wrong.startswith(
                f"{core.format_number(1e6)} is not d{node}."
            ) and not wrong.endswith("..")


def test_the_clash_check_finds_a_coincidence() -> None:
    """The lecture has one: dc = 3 is both ∂u/∂c and du."""
    ev = core.evaluate(core.load(core.examples()["lecture"]))
    (pair,) = clashes(candidates(ev, "c"))
    assert {pair[0].verdict, pair[1].verdict} == {"local-only", "upstream-only"}
    assert not problems.diagnosable(core.load(core.examples()["lecture"]))


@pytest.mark.parametrize(
    ("level", "seed", "words"),
    [
        (0, 1, "level must be one of 1, 2, 3, 4"),
        (5, 1, "level must be one of"),
        (True, 1, "level"),
        ("2", 1, "level"),
        (1, -1, "seed must be a whole number from 0"),
        (1, 2**31, "seed"),
        (1, 1.5, "seed"),
    ],
)
def test_bad_levels_and_seeds_are_refused(level: object, seed: object, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        core.make_problem(level, seed)  # type: ignore[arg-type]
