"""Lessons: a sequence of steps a learner walks through on the graph of a ``.dvar`` file.

Each step has a short text (a small Markdown subset, rendered by :mod:`core.markup`),
the nodes it puts in the spotlight, the cells it hides, the cells it asks the
learner to fill in (as in practice mode), and at most one action the learner must
take: set an input to a value, nudge a node, or switch the view.

The graph owns its lesson (``Graph.lesson``) and holds it by node key, so renames
need nothing and a removed node leaves the lesson in the same change.  The file
names nodes by id: :func:`read_lesson` and :func:`lesson_record` translate.
Every fault raises :class:`LessonError` with one line, ``step K: ...`` (K from 1)
when it is about a step.  docs/lessons.md describes lessons for their authors.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from dvar.core.cells import Cell
from dvar.core.node import GraphError

if TYPE_CHECKING:
    from dvar.core.evaluation import Evaluation
    from dvar.core.graph import Graph


#: A lesson has at most this many steps; a longer one is refused (a runaway or hostile file).
MAX_STEPS = 500
#: A step's text is at most this many characters.
MAX_TEXT = 10_000
#: A lesson's title is at most this many characters.
MAX_TITLE = 200
#: The kinds of action a step may ask for.
ACTIONS = ("set", "nudge", "view")
#: The views a ``view`` action may ask for.
VIEWS = ("backward", "forward", "normal")
#: Text that looks like an HTML tag (``<b>``, ``<a href=...>``, ``</p>``), a comment or a
#: processing instruction.  ``a < b`` and ``2<3`` are math, not HTML.
_HTML = re.compile(r"<(?:[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|/[A-Za-z]|[!?])")
_CELL_NAMES = {"grad": "grad", "value": "value", "local": "partial"}
_HIDE_NAMES = {"grads": "grad", "values": "value", "locals": "partial"}


class LessonError(GraphError):
    """A lesson that cannot be used; one line, starting ``step K:`` when about a step."""


@dataclass(frozen=True)
class Action:
    """What a step asks the learner to do: ``set`` node ``key`` to ``value``,
    ``nudge`` node ``key``, or switch to ``view`` (one of :data:`VIEWS`)."""

    kind: str
    key: int | None = None
    value: float | None = None
    view: str | None = None


@dataclass(frozen=True)
class Step:
    """One step of a lesson.  ``hide`` are cells shown as empty boxes; ``ask`` are the
    cells the learner must answer (hidden too, whether or not ``hide`` lists them)."""

    text: str
    spotlight: tuple[int, ...] = ()
    hide: tuple[Cell, ...] = ()
    ask: tuple[Cell, ...] = ()
    action: Action | None = None

    @property
    def hidden(self) -> tuple[Cell, ...]:
        """Every cell this step blanks: the asked ones, then the others it hides."""
        return tuple(dict.fromkeys(self.ask + self.hide))

    def node_keys(self) -> set[int]:
        """Every node key this step names."""
        found = set(self.spotlight)
        found.update(cell[1] for cell in self.hide + self.ask)
        if self.action is not None and self.action.key is not None:
            found.add(self.action.key)
        return found


@dataclass(frozen=True)
class Lesson:
    """A title and its steps, nodes named by key."""

    title: str
    steps: tuple[Step, ...] = ()
    _keys: frozenset[int] = field(default=frozenset(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "steps", tuple(self.steps))
        object.__setattr__(self, "_keys", frozenset().union(*(s.node_keys() for s in self.steps)))

    @property
    def keys(self) -> frozenset[int]:
        """Every node key any step names (spotlight, cells, actions)."""
        return self._keys

    def mentions(self, key: int, slots: Iterable[tuple[int, int]] = ()) -> bool:
        """True when removing node ``key`` (which fed ``slots``) would change the lesson."""
        keys = self._keys
        return key in keys or any(consumer in keys for consumer, _ in slots)

    def asked_cells(self) -> list[Cell]:
        """Every cell any step asks, in order of first asking, each once."""
        return list(dict.fromkeys(cell for step in self.steps for cell in step.ask))

    def without_node(self, key: int, slots: Iterable[tuple[int, int]] = ()) -> Lesson:
        """The lesson with node ``key`` gone: out of every spotlight, every cell on it
        (and the local derivatives on the edges it fed, ``slots`` as (consumer, slot))
        dropped, and an action on it removed."""
        fed = {("partial", consumer, slot) for consumer, slot in slots}

        def keep(cell: Cell) -> bool:
            return cell[1] != key and cell not in fed

        steps = []
        for step in self.steps:
            action = step.action
            if action is not None and action.key == key:
                action = None
            steps.append(
                replace(
                    step,
                    spotlight=tuple(k for k in step.spotlight if k != key),
                    hide=tuple(filter(keep, step.hide)),
                    ask=tuple(filter(keep, step.ask)),
                    action=action,
                )
            )
        return Lesson(self.title, tuple(steps))


# ------------------------------------------------------------------ reading
def read_lesson(record: Any, key_of: Callable[[str], int]) -> Lesson:
    """The lesson in a file's ``lesson`` object; ``key_of`` gives a node's key from its
    id and raises (GraphError, KeyError or ValueError) for a missing one."""
    if not isinstance(record, dict):
        raise LessonError(f"expected an object with a title and steps, found {_kind(record)}")
    title = record.get("title")
    if not isinstance(title, str) or not title.strip():
        raise LessonError("the lesson needs a title (text)")
    if len(title) > MAX_TITLE or not title.isprintable():
        raise LessonError(f"the title must be one line of at most {MAX_TITLE} characters")
    steps = record.get("steps", [])
    if not isinstance(steps, list):
        raise LessonError(f"'steps': expected a list, found {_kind(steps)}")
    if len(steps) > MAX_STEPS:
        raise LessonError(f"{len(steps):,} steps; a lesson has at most {MAX_STEPS}")
    return Lesson(
        title.strip(), tuple(_read_step(s, number, key_of) for number, s in enumerate(steps, 1))
    )


def _read_step(record: Any, number: int, key_of: Callable[[str], int]) -> Step:
    at = f"step {number}"
    if not isinstance(record, dict):
        raise LessonError(f"{at}: expected an object, found {_kind(record)}")
    unknown = set(record) - {"text", "spotlight", "hide", "ask", "action"}
    if unknown:
        raise LessonError(f"{at}: unknown field {sorted(unknown)[0]!r}")
    text = record.get("text", "")
    if not isinstance(text, str):
        raise LessonError(f"{at}: 'text': expected text, found {_kind(text)}")
    check_text(text, at)

    def key(node_id: Any, where: str) -> int:
        if not isinstance(node_id, str):
            raise LessonError(f"{at}: {where}: expected a node id, found {_kind(node_id)}")
        try:
            return key_of(node_id)
        except (GraphError, KeyError, ValueError):
            raise LessonError(f"{at}: {where}: there is no node {node_id!r}") from None

    spotlight = _list(record.get("spotlight", []), at, "spotlight")
    keys = tuple(dict.fromkeys(key(i, "'spotlight'") for i in spotlight))
    hide = _read_hide(record.get("hide", {}), at, key)
    ask = []
    for item in _list(record.get("ask", []), at, "ask"):
        if not isinstance(item, dict) or len(item) != 1 or next(iter(item)) not in _CELL_NAMES:
            raise LessonError(
                f'{at}: \'ask\': each cell is {{"grad": id}}, {{"value": id}} or '
                f'{{"local": [consumer, slot]}}, not {_kind(item)}'
            )
        ((name, target),) = item.items()
        ask.append(_cell(_CELL_NAMES[name], target, at, "'ask'", key))
    action = _read_action(record.get("action"), at, key)
    return Step(text, keys, tuple(dict.fromkeys(hide)), tuple(dict.fromkeys(ask)), action)


def _read_hide(record: Any, at: str, key: Callable[[Any, str], int]) -> list[Cell]:
    if not isinstance(record, dict):
        raise LessonError(
            f'{at}: \'hide\': expected {{"grads": [...], "values": [...], "locals": [...]}}'
        )
    unknown = set(record) - set(_HIDE_NAMES)
    if unknown:
        raise LessonError(f"{at}: 'hide': unknown field {sorted(unknown)[0]!r}")
    cells = []
    for name, kind in _HIDE_NAMES.items():
        for target in _list(record.get(name, []), at, f"hide.{name}"):
            cells.append(_cell(kind, target, at, f"'hide.{name}'", key))
    return cells


def _cell(kind: str, target: Any, at: str, where: str, key: Callable[[Any, str], int]) -> Cell:
    if kind != "partial":
        return (kind, key(target, where), 0)
    if (
        not isinstance(target, list)
        or len(target) != 2
        or isinstance(target[1], bool)
        or not isinstance(target[1], int)
        or target[1] < 0
    ):
        raise LessonError(
            f"{at}: {where}: a local derivative is [consumer id, slot], slot from 0, "
            f"not {_kind(target)}"
        )
    return ("partial", key(target[0], where), target[1])


def _read_action(record: Any, at: str, key: Callable[[Any, str], int]) -> Action | None:
    if record is None:
        return None
    kinds = [k for k in ACTIONS if isinstance(record, dict) and k in record]
    if len(kinds) != 1:
        raise LessonError(
            f'{at}: \'action\': expected {{"set": id, "value": number}}, {{"nudge": id}} '
            f'or {{"view": "backward" | "forward" | "normal"}}'
        )
    kind = kinds[0]
    allowed = {"set", "value"} if kind == "set" else {kind}
    if set(record) - allowed:
        raise LessonError(f"{at}: 'action': unknown field {sorted(set(record) - allowed)[0]!r}")
    if kind == "view":
        view = record["view"]
        if view not in VIEWS:
            raise LessonError(
                f"{at}: 'action': the view is backward, forward or normal, not {_kind(view)}"
            )
        return Action("view", view=view)
    target = key(record[kind], "'action'")
    if kind == "nudge":
        return Action("nudge", target)
    value = record.get("value")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LessonError(f"{at}: 'action': set needs a number as its 'value'")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise LessonError(f"{at}: 'action': the value to set must be a finite number")
    return Action("set", target, number)


def check_text(text: str, at: str) -> None:
    """Refuse a step's text that is too long or holds HTML (dvar would show it as
    text, but a file that tries is refused so its author finds out)."""
    if len(text) > MAX_TEXT:
        raise LessonError(f"{at}: the text is longer than {MAX_TEXT:,} characters")
    found = _HTML.search(text)
    if found:
        tag = text[found.start() : found.start() + 12].split(">")[0].strip()
        raise LessonError(
            f"{at}: the text holds HTML ({_kind(tag + '>')}); write lessons in dvar's "
            "Markdown (*em*, **strong**, `code`, lists), and < with spaces around it"
        )


def _list(value: Any, at: str, where: str) -> list:
    if not isinstance(value, list):
        raise LessonError(f"{at}: '{where}': expected a list, found {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    """A short, one-line picture of a value for a message."""
    if value is None or isinstance(value, bool | int | float | str):
        text = repr(value) if not isinstance(value, str) else '"' + value + '"'
    else:
        text = type(value).__name__
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    return text if len(text) <= 40 else text[:37] + "..."


# ------------------------------------------------------------------ writing
def lesson_record(lesson: Lesson, id_of: Callable[[int], str]) -> dict[str, Any]:
    """The lesson as a file's ``lesson`` object, nodes named by id; empty fields left out."""
    steps = []
    for step in lesson.steps:
        record: dict[str, Any] = {"text": step.text}
        if step.spotlight:
            record["spotlight"] = [id_of(k) for k in step.spotlight]
        hide: dict[str, list] = {}
        for name, kind in _HIDE_NAMES.items():
            cells = [_cell_target(c, id_of) for c in step.hide if c[0] == kind]
            if cells:
                hide[name] = cells
        if hide:
            record["hide"] = hide
        if step.ask:
            names = {kind: name for name, kind in _CELL_NAMES.items()}
            record["ask"] = [{names[c[0]]: _cell_target(c, id_of)} for c in step.ask]
        if step.action is not None:
            record["action"] = _action_record(step.action, id_of)
        steps.append(record)
    return {"title": lesson.title, "steps": steps}


def _cell_target(cell: Cell, id_of: Callable[[int], str]) -> Any:
    return [id_of(cell[1]), cell[2]] if cell[0] == "partial" else id_of(cell[1])


def _action_record(action: Action, id_of: Callable[[int], str]) -> dict[str, Any]:
    if action.kind == "view":
        return {"view": action.view}
    if action.kind == "nudge":
        return {"nudge": id_of(action.key)}
    value = action.value
    number = int(value) if value.is_integer() and abs(value) < 2**53 else value
    return {"set": id_of(action.key), "value": number}


# ----------------------------------------------------------------- checking
def check_structure(graph: Graph, lesson: Lesson) -> None:
    """What can be checked without values: every node exists, every local derivative
    is on a slot its consumer has, every ``set`` is on an input or a constant.
    LessonError naming the first step at fault."""
    for number, step in enumerate(lesson.steps, 1):
        at = f"step {number}"
        for key in step.node_keys():
            if key not in graph:
                raise LessonError(f"{at}: there is no node with key {key}")
        for kind, key, slot in step.hidden:
            if kind == "partial":
                node = graph.node(key)
                if slot >= node.op.arity:
                    raise LessonError(
                        f"{at}: {node.id} ({node.op.name}) has no slot {slot} "
                        f"(its slots are 0 to {node.op.arity - 1})"
                        if node.op.arity
                        else f"{at}: {node.id} is an {node.op.name} and has no local derivatives"
                    )
        action = step.action
        if action is not None and action.kind == "set":
            node = graph.node(action.key)
            if not node.op.is_leaf:
                raise LessonError(
                    f"{at}: cannot set {node.id}: it is computed by {node.op.name}; "
                    "only inputs and constants hold a value"
                )


def check_lesson(graph: Graph, lesson: Lesson, evaluation: Evaluation) -> None:
    """Everything :func:`check_structure` checks, and that every asked cell has an
    answer (a value or derivative that is not null) and every nudged node a value.
    LessonError naming the first step at fault."""
    if not lesson.steps:
        raise LessonError("the lesson has no steps")
    check_structure(graph, lesson)
    for number, step in enumerate(lesson.steps, 1):
        at = f"step {number}"
        for cell in step.ask:
            reason = _no_answer(graph, evaluation, cell)
            if reason:
                raise LessonError(f"{at}: {cell_name(graph, cell)} {reason}")
        action = step.action
        if action is not None and action.kind == "nudge":
            node_id = graph.id_of(action.key)
            if evaluation.values[node_id] is None:
                raise LessonError(f"{at}: cannot nudge {node_id}: it has no value")


def answer(graph: Graph, evaluation: Evaluation, cell: Cell) -> float | None:
    """The number a cell holds, or None when it has none."""
    kind, key, slot = cell
    if kind == "value":
        return evaluation.values[graph.id_of(key)]
    if kind == "grad":
        return evaluation.grads[graph.id_of(key)]
    if graph.node(key).inputs[slot] is None:
        return None
    return evaluation.partial(key, slot)


def _no_answer(graph: Graph, evaluation: Evaluation, cell: Cell) -> str:
    kind, key, slot = cell
    if kind == "grad" and graph.output is None:
        return "has no answer: the graph has no output (J)"
    if kind == "partial" and graph.node(key).inputs[slot] is None:
        return "has no answer: the slot is empty"
    if answer(graph, evaluation, cell) is None:
        return "has no answer (its number is undefined here)"
    return ""


def cell_name(graph: Graph, cell: Cell) -> str:
    """A cell in words: ``dv``, ``the value of u``, ``∂J/∂v``."""
    kind, key, slot = cell
    node_id = graph.id_of(key)
    if kind == "grad":
        return f"d{node_id}"
    if kind == "value":
        return f"the value of {node_id}"
    source = graph.node(key).inputs[slot]
    operand = graph.id_of(source) if source is not None else f"slot {slot}"
    return f"∂{node_id}/∂{operand}"
