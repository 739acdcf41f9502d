"""Canvas notes and frames: text placed anywhere on the canvas, beside the graph.

A *note* is a box of plain text; a *frame* is a coloured rectangle with a title
(it groups nothing: moving it moves no node).  Neither takes part in evaluation.
A graph keeps its notes in ``Graph.notes`` (key → :class:`Note`, in drawing order,
later ones on top) and changes them only through ``Graph.add_note``,
``Graph.set_note`` and ``Graph.remove_note``, so that undo and autosave see every
edit.  In a ``.dvar`` file they are the optional top-level list ``notes``, each
``{"kind", "text", "x", "y", "w", "h", "color"}`` (docs/file-format.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from dvar.core.node import GraphError, check_value

KINDS = ("note", "frame")
#: The colour each kind gets when none is given (a pale yellow note, a blue frame).
DEFAULT_COLOR = {"note": "#fff2a8", "frame": "#4a86c8"}
#: Default size of a new note or frame, in canvas units.
DEFAULT_SIZE = {"note": (200.0, 80.0), "frame": (400.0, 260.0)}
MIN_SIZE = 20.0
#: No note is wider or taller than the canvas.
MAX_SIZE = 100_000.0
#: Positions stay on the canvas (the scene is 400,000 units across).
MAX_POSITION = 1_000_000.0
MAX_TEXT = 10_000
MAX_NOTES = 10_000
FIELDS = ("kind", "text", "x", "y", "w", "h", "color")
_COLOR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True)
class Note:
    """One note or frame.  ``text`` is plain text (a frame's title); ``x, y`` is the
    top-left corner and ``w, h`` the size, in canvas units; ``color`` is ``#rrggbb``."""

    kind: str
    text: str
    x: float
    y: float
    w: float
    h: float
    color: str

    @classmethod
    def make(cls, kind: str, x: float, y: float, text: str = "", color: str | None = None) -> Note:
        """A new note or frame of the default size and colour, checked."""
        w, h = DEFAULT_SIZE.get(kind, (200.0, 80.0))
        return check_note(
            {
                "kind": kind,
                "text": text,
                "x": x,
                "y": y,
                "w": w,
                "h": h,
                "color": color or DEFAULT_COLOR.get(kind, "#fff2a8"),
            }
        )

    def record(self) -> dict[str, Any]:
        """The note as it is written in a file."""
        return {
            "kind": self.kind,
            "text": self.text,
            "x": _compact(self.x),
            "y": _compact(self.y),
            "w": _compact(self.w),
            "h": _compact(self.h),
            "color": self.color,
        }

    def moved(self, x: float, y: float) -> Note:
        return check_note({**self.record(), "x": x, "y": y})

    def resized(self, w: float, h: float) -> Note:
        return check_note({**self.record(), "w": w, "h": h})

    def with_text(self, text: str) -> Note:
        return check_note({**self.record(), "text": text})

    def with_color(self, color: str) -> Note:
        return check_note({**self.record(), "color": color})


def check_note(record: Any, where: str = "note") -> Note:
    """A Note from a mapping of its fields, or GraphError naming the field at fault.

    ``where`` starts each message (``notes[2]``).  ``color`` may be left out (the
    kind's default); every other field is required; unknown fields are refused.
    """
    if isinstance(record, Note):
        record = record.record()
    if not isinstance(record, dict):
        raise GraphError(f"{where}: expected an object, found {type(record).__name__}")
    unknown = sorted(str(k) for k in record if k not in FIELDS)
    if unknown:
        raise GraphError(f"{where}: unknown field {unknown[0]!r} (a note has {', '.join(FIELDS)})")
    kind = record.get("kind")
    if kind not in KINDS:
        raise GraphError(f'{where}: field \'kind\': expected "note" or "frame", found {kind!r}')
    text = record.get("text")
    if not isinstance(text, str):
        raise GraphError(f"{where}: field 'text': expected text, found {_kind_of(text)}")
    if len(text) > MAX_TEXT:
        raise GraphError(f"{where}: field 'text': longer than {MAX_TEXT:,} characters")
    numbers = {}
    for name in ("x", "y", "w", "h"):
        if name not in record:
            raise GraphError(f"{where}: field {name!r} is missing")
        numbers[name] = _number(record[name], where, name)
    for name in ("x", "y"):
        if abs(numbers[name]) > MAX_POSITION:
            raise GraphError(
                f"{where}: field {name!r}: {numbers[name]:g} is off the canvas "
                f"(at most {MAX_POSITION:,.0f} from the origin)"
            )
    for name in ("w", "h"):
        if not MIN_SIZE <= numbers[name] <= MAX_SIZE:
            raise GraphError(
                f"{where}: field {name!r}: expected a size from {MIN_SIZE:g} to "
                f"{MAX_SIZE:,.0f}, found {numbers[name]:g}"
            )
    color = record.get("color", DEFAULT_COLOR[kind])
    if not isinstance(color, str) or not _COLOR.fullmatch(color):
        raise GraphError(
            f"{where}: field 'color': expected a colour as \"#rrggbb\", found {_short(color)}"
        )
    return Note(kind, text, numbers["x"], numbers["y"], numbers["w"], numbers["h"], color.lower())


def read_notes(records: Any, where: str = "notes") -> list[Note]:
    """The notes of a file's ``notes`` list, or GraphError naming the one at fault."""
    if not isinstance(records, list):
        raise GraphError(f"field 'notes': expected a list of notes, found {_kind_of(records)}")
    if len(records) > MAX_NOTES:
        raise GraphError(f"field 'notes': more than {MAX_NOTES:,} notes; refusing")
    return [check_note(record, f"{where}[{index}]") for index, record in enumerate(records)]


def _number(value: Any, where: str, name: str) -> float:
    """A note's coordinate or size: the rule of node values (``check_value``), in the
    file reader's words."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise GraphError(f"{where}: field {name!r}: expected a number, found {_short(value)}")
    try:
        return check_value(value, name)
    except GraphError:
        raise GraphError(
            f"{where}: field {name!r}: expected a finite number, found {value!r}"
        ) from None


def _kind_of(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, str | int | float | bool) or value is None else None
    if text is None:
        return type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _compact(x: float) -> float | int:
    return int(x) if x.is_integer() and abs(x) < 2**53 else x
