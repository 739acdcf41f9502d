"""A graph's parts: nodes, the rules every node field follows, and change events.

:mod:`dvar.core.graph` builds on these; every name here is also importable from it.
"""

from __future__ import annotations

import keyword
import math
import unicodedata
from dataclasses import dataclass
from typing import Any

from dvar.core.ops import Op

NodeRef = str | int  # a node's id (str) or its stable key (int)


class GraphError(ValueError):
    """An edit or a file that would break the graph.

    The message names the node and the field at fault, in words a person understands.
    """


@dataclass(frozen=True)
class Event:
    """One completed change.  ``kind`` is past tense: ``node_added``, ``value_changed``, ..."""

    kind: str
    key: int | None = None
    slot: int | None = None


#: Events that change which values flow where, or which constants are inline (a
#: breakdown writes those as numbers); evaluation plans are rebuilt after them.
STRUCTURAL = frozenset(
    {
        "node_added",
        "node_removed",
        "connected",
        "disconnected",
        "output_changed",
        "reset",
        "box_changed",
    }
)


class Node:
    """One node.  Read its fields freely; change them only through :class:`Graph`."""

    __slots__ = (
        "key",
        "id",
        "op",
        "value",
        "inputs",
        "label",
        "param",
        "x",
        "y",
        "extra",
        "box",
    )

    def __init__(
        self,
        key: int,
        id: str,
        op: Op,
        value: float | None = None,
        inputs: list[int | None] | None = None,
        label: str | None = None,
        param: bool = False,
        x: float | None = None,
        y: float | None = None,
        extra: dict[str, Any] | None = None,
        box: bool = False,
    ) -> None:
        self.key = key
        self.id = id
        self.op = op
        self.value = value
        self.inputs: list[int | None] = inputs if inputs is not None else [None] * op.arity
        self.label = label
        self.param = param
        self.x = x
        self.y = y
        self.extra: dict[str, Any] = extra if extra is not None else {}
        #: A constant the person dragged off its port: drawn as a box even with one use.
        self.box = box

    @property
    def name(self) -> str:
        """What a person sees: the label when there is one, else the id."""
        return self.label or self.id

    def __repr__(self) -> str:
        return f"<Node {self.id} {self.op.name} key={self.key}>"


def check_id(text: object) -> str:
    """Return ``text`` if it is a valid node id, else raise GraphError saying why.

    Every id (added, renamed, or read from a file) passes here.  An id is a Python
    identifier that is not a keyword, in Unicode normal form NFKC: Python reads the
    name ``ﬁ`` in a formula as ``fi``, so a node called ``ﬁ`` could never be named
    in a formula, and a formula would silently make a new input ``fi`` instead.
    """
    if not isinstance(text, str):
        raise GraphError(f"a node id must be text, not {type(text).__name__}")
    if not text.isidentifier():
        raise GraphError(
            f"{text!r} is not a valid name: use letters, digits and _, not starting with a digit"
        )
    normal = unicodedata.normalize("NFKC", text)
    if normal != text:
        if keyword.iskeyword(normal) or not normal.isidentifier():
            raise GraphError(
                f"id {text!r} is not in normal form, and its normal form {normal!r} "
                "cannot name a node"
            )
        raise GraphError(f"id {text!r} is not in normal form; use {normal!r}")
    if keyword.iskeyword(text):
        raise GraphError(f"{text!r} is a Python keyword and cannot name a node")
    return text


def check_value(value: object, what: str) -> float:
    """Return ``value`` as a float if it is a finite number, else raise GraphError."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise GraphError(f"{what} must be a number, not {type(value).__name__} {value!r}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise GraphError(f"{what} must be a finite number, not {value!r}")
    return number


def _check_position(value: object, what: str) -> float | None:
    return None if value is None else check_value(value, what)
