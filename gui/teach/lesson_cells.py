"""What a lesson step does with each cell, and which cell a click on the canvas picks.

A step shows a cell (a value, a derivative dnode, or the local derivative on an edge),
hides it, or asks it; the lesson editor moves a cell shown → hidden → asked → shown
with each click.  The functions here build the changed step or lesson (lessons are
immutable values: each change is a new one, handed to ``SetLesson``), and
:func:`pick_at` finds what lies under a click: a node's name, its value or
derivative line, or an edge's label (where practice mode puts its answer box).
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QPointF, QRectF

from dvar.core.cells import Cell
from dvar.core.lesson import Lesson, Step
from dvar.gui.canvas.chips import ChipItem
from dvar.gui.canvas.edges import EdgeItem
from dvar.gui.canvas.view import GraphView
from dvar.gui.teach.practice_box import cell_rect

#: What a cell of a step can be, in the order a click cycles through them.
SHOWN, HIDDEN, ASKED = "shown", "hidden", "asked"


def cell_state(step: Step, cell: Cell) -> str:
    """Whether a step shows a cell, hides it, or asks it."""
    if cell in step.ask:
        return ASKED
    return HIDDEN if cell in step.hide else SHOWN


def with_cell_state(step: Step, cell: Cell, state: str) -> Step:
    """The step with one cell shown, hidden or asked (added at the end of its list)."""
    hide = tuple(c for c in step.hide if c != cell)
    ask = tuple(c for c in step.ask if c != cell)
    if state == HIDDEN:
        hide += (cell,)
    elif state == ASKED:
        ask += (cell,)
    return dataclasses.replace(step, hide=hide, ask=ask)


def next_state(state: str, can_ask: bool) -> str:
    """shown → hidden → asked → shown; a cell with no answer skips "asked"."""
    if state == SHOWN:
        return HIDDEN
    if state == HIDDEN and can_ask:
        return ASKED
    return SHOWN


def with_spotlight_toggled(step: Step, key: int) -> Step:
    spotlight = step.spotlight
    if key in spotlight:
        spotlight = tuple(k for k in spotlight if k != key)
    else:
        spotlight += (key,)
    return dataclasses.replace(step, spotlight=spotlight)


def with_step(lesson: Lesson, index: int, step: Step) -> Lesson:
    steps = list(lesson.steps)
    steps[index] = step
    return Lesson(lesson.title, tuple(steps))


def with_step_inserted(lesson: Lesson, index: int, step: Step) -> Lesson:
    steps = list(lesson.steps)
    steps.insert(index, step)
    return Lesson(lesson.title, tuple(steps))


def with_step_removed(lesson: Lesson, index: int) -> Lesson:
    steps = list(lesson.steps)
    del steps[index]
    return Lesson(lesson.title, tuple(steps))


def with_step_moved(lesson: Lesson, index: int, to: int) -> Lesson:
    steps = list(lesson.steps)
    steps.insert(to, steps.pop(index))
    return Lesson(lesson.title, tuple(steps))


# ------------------------------------------------------------ picking on the canvas
def pick_at(view: GraphView, scene_pos: QPointF) -> tuple[str, object] | None:
    """What a click at ``scene_pos`` picks: ``("spotlight", key)`` on a node's name,
    ``("cell", cell)`` on its value or derivative line or, in the backward view, on an
    edge's label; None elsewhere (a constant's chip has no cells of its own)."""
    scene = view.graph_scene()
    if scene is None:
        return None
    if scene.backward_view:
        near = QRectF(scene_pos.x() - 48, scene_pos.y() - 32, 96, 64)
        for item in scene.items(near):
            if isinstance(item, EdgeItem):
                cell = ("partial", item.consumer.key, item.slot)
                rect = cell_rect(view, cell)
                if rect is not None and rect.contains(scene_pos):
                    return ("cell", cell)
    item = scene.node_at(scene_pos)
    if item is None or isinstance(item, ChipItem):
        return None
    y = item.mapFromScene(scene_pos).y()
    if y < item.header:  # the box's own sizes: they grow with the node text size
        return ("spotlight", item.key)
    kind = "value" if y < item.header + item.line + 2 else "grad"
    return ("cell", (kind, item.key, 0))
