"""Groups on the canvas: what is shown of a grouped graph, and a collapsed group's box.

A collapsed group (``core.groups``) is drawn as one box: its title, its boundary
inputs and outputs with their values and derivatives, and how many nodes are
inside.  Its members get no items at all: a graph of 66,000 nodes grouped into a
hundred samples has a few hundred items on the canvas.  ``shown_units`` works out
what is shown (the visible nodes, the boxes, and the edges that end at a box) in two
passes over the graph; the scene keeps its items in step with it.

An edge from outside into a member ends at the box, on the row of the input it
carries; an edge from a member to outside starts at the box, on the row of that
output.  A box lists at most ``ROWS`` of each; the rest share one "… more" row and
its port, so a hundred edges from one group into another are drawn as a few.

Positions: a box sits at the top-left corner of its members' positions.  A group
whose members have none (a graph imported from micrograd) is placed by the scene's
layout of what is shown, one level at a time (``place_units``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from dvar.core import derivative_symbol
from dvar.core.groups import (
    Group,
    GroupPath,
    group_at,
    outer_collapsed,
)
from dvar.core.layout import unit_layout
from dvar.gui.canvas.blocks import draw_block
from dvar.gui.canvas.look import TEXT_LOD, Fonts, Look
from dvar.gui.canvas.nodes import GRID, HEADER, HEIGHT, PORT_RADIUS, TEXT_LEFT, metrics_of
from dvar.gui.numbers import format_number

if TYPE_CHECKING:
    from dvar.core import Evaluation, Graph
    from dvar.gui.canvas.edges import EdgeItem

#: Boundary rows a box lists on each side before the rest share a "… more" row.
ROWS = 5
#: A box's least and greatest width, and the height of one of its rows and of its footer.
BOX_WIDTH = 280.0
MAX_BOX_WIDTH = 480.0
ROW = 20.0
FOOTER = 22.0
#: The least room between a row's value and its derivative.
ROW_GAP = 16.0

#: A unit of what the canvas shows: a node's key, or a collapsed group's path.
Unit = int | GroupPath


@dataclass
class Box:
    """A collapsed group as the canvas shows it."""

    group: Group
    inputs: list[int]
    outputs: list[int]

    def input_row(self, key: int) -> int:
        return min(self.inputs.index(key), ROWS)

    def output_row(self, key: int) -> int:
        return min(self.outputs.index(key), ROWS)


@dataclass
class Units:
    """What the canvas shows of a grouped graph."""

    #: Each node inside a collapsed group, with the outermost collapsed group's path.
    hidden: dict[int, GroupPath] = field(default_factory=dict)
    #: The outermost collapsed groups, by path.
    boxes: dict[GroupPath, Box] = field(default_factory=dict)
    #: The edges with an end at a box, one per (source, out row, consumer, in slot or row).
    links: list[tuple[Unit, int, Unit, int]] = field(default_factory=list)


@dataclass
class Border:
    """The edges that cross a group's border, and its inputs and outputs."""

    inputs: list[int]
    outputs: list[int]
    #: (source outside, member, slot) and (member, consumer outside, slot).
    incoming: list[tuple[int, int, int]]
    outgoing: list[tuple[int, int, int]]


class Borders:
    """Each group's border, worked out once while the graph's structure (and output)
    stays the same: expanding one group of a big graph looks again only at the
    groups that were not shown as boxes before."""

    def __init__(self) -> None:
        self._for: tuple | None = None
        self._consumers: dict[int, list[tuple[int, int]]] = {}
        self._rank: dict[int, int] = {}
        self._made: dict[frozenset[int], Border] = {}

    def of(self, graph: Graph, keys: frozenset[int]) -> Border:
        """The border of the group holding ``keys`` (the rule of core.groups.boundary)."""
        state = (id(graph), graph.structure_version, graph.output_key)
        if state != self._for:
            self._for, self._made = state, {}
            self._consumers, self._rank = {}, {}
        made = self._made.get(keys)
        if made is None:
            made = self._made[keys] = self._border(graph, keys)
        return made

    def _border(self, graph: Graph, keys: frozenset[int]) -> Border:
        if not self._rank:  # the graph's consumers and order, once per structure
            consumers: dict[int, list[tuple[int, int]]] = {}
            for node in graph:
                for slot, source in enumerate(node.inputs):
                    if source is not None:
                        consumers.setdefault(source, []).append((node.key, slot))
            self._consumers = consumers
            self._rank = {key: index for index, key in enumerate(graph.topological_keys())}
        node = graph.node
        incoming, outgoing = [], []
        inputs, outputs = set(), set()
        for key in keys:
            for slot, source in enumerate(node(key).inputs):
                if source is not None and source not in keys:
                    incoming.append((source, key, slot))
                    inputs.add(source)
            for consumer, slot in self._consumers.get(key, ()):
                if consumer not in keys:
                    outgoing.append((key, consumer, slot))
                    outputs.add(key)
        if graph.output_key in keys:
            outputs.add(graph.output_key)
        rank = self._rank.__getitem__
        return Border(sorted(inputs, key=rank), sorted(outputs, key=rank), incoming, outgoing)


def shown_units(graph: Graph, borders: Borders | None = None) -> Units:
    """The boxes, the nodes they hide, and the edges that end at a box (with
    ``borders``, what was worked out before for the same groups is used again)."""
    groups = graph.groups
    paths = outer_collapsed(groups) if groups else []
    if not paths:
        return Units()
    borders = borders or Borders()
    chosen = [group_at(groups, path) for path in paths]
    hidden: dict[int, GroupPath] = {}
    boxes: dict[GroupPath, Box] = {}
    found = []
    for path, group in zip(paths, chosen, strict=True):
        keys = group.all_keys()
        hidden.update(dict.fromkeys(keys, path))
        border = borders.of(graph, keys)
        boxes[path] = Box(group, border.inputs, border.outputs)
        found.append((path, border))
    in_rows = {path: _rows(box.inputs) for path, box in boxes.items()}
    out_rows = {path: _rows(box.outputs) for path, box in boxes.items()}
    links: dict[tuple, None] = {}
    get = hidden.get
    for path, border in found:
        rows = in_rows[path]
        for source, _, _ in border.incoming:
            home = get(source)
            start = (source, 0) if home is None else (home, out_rows[home][source])
            links[(*start, path, rows[source])] = None
        rows = out_rows[path]
        for member, consumer, slot in border.outgoing:
            there = get(consumer)
            end = (consumer, slot) if there is None else (there, in_rows[there][member])
            links[(path, rows[member], *end)] = None
    return Units(hidden, boxes, list(links))  # type: ignore[arg-type]


def _rows(keys: list[int]) -> dict[int, int]:
    return {key: min(index, ROWS) for index, key in enumerate(keys)}


def box_spot(graph: Graph, group: Group) -> QPointF | None:
    """Where a box goes: the top-left corner of its members' positions (None if none
    has one)."""
    xs, ys = [], []
    node = graph.node
    for key in group.all_keys():
        member = node(key)
        if member.x is not None and member.y is not None:
            xs.append(member.x)
            ys.append(member.y)
    if not xs:
        return None
    return QPointF(min(xs), min(ys))


# ------------------------------------------------------------------- the box
class GroupItem(QGraphicsRectItem):
    """A collapsed group: title, inputs and outputs with their numbers, and a count.

    Plays a node's part for edges (ports), overviews (a block) and exports (the
    hover and highlight fields), but is not a NodeItem: it has no key of its own.
    """

    def __init__(self, path: GroupPath, box: Box) -> None:
        super().__init__()
        self.setPen(Qt.PenStyle.NoPen)
        self.path = path
        #: A box stands for no one node (code that asks an edge's end for its key gets None).
        self.key = None
        self.group = box.group
        self.inputs, self.outputs = box.inputs, box.outputs
        self.count = box.group.count()
        self.edges: list[EdgeItem] = []
        self.width = 0.0
        self._size_rows()
        self.set_width(BOX_WIDTH)
        #: What the rows say: (name, value text, derivative text) per shown row.
        self.in_texts: list[tuple[str, str, str]] = []
        self.out_texts: list[tuple[str, str, str]] = []
        # The fields a node item has, for the overview and exports.
        self.hover_port = None
        self.valid_ports: set[int] = set()
        self.highlighted = False
        self.has_error = self.is_output = False
        self.nudge_text = self.grad_text = self.formula_text = ""
        self.value_text = f"{self.count:,} nodes"
        self.snap = True
        #: Whether its nodes have positions in the file (else the box's place is the
        #: scene's own, from the layout of what is shown).
        self.placed_in_file = False
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setToolTip(
            f"{self.group.title}: a group of {self.count:,} nodes.\n"
            "Double-click its title (or Ctrl+Shift+G) to open it; F2 renames it."
        )

    @property
    def title(self) -> str:
        return self.group.title

    # ---------------------------------------------------------------- geometry
    def _shown(self, keys: list[int]) -> int:
        """Rows for these keys: at most ROWS, and a "… more" row for the rest."""
        return min(len(keys), ROWS + 1)

    def _size_rows(self) -> None:
        """The title's, a row's and the footer's heights for the node text's size now
        (larger text, taller rows), and the box's height from them."""
        scale = Fonts.get().box_scale
        self.header, self.row, self.footer = HEADER * scale, ROW * scale, FOOTER * scale
        rows = self._shown(self.inputs) + self._shown(self.outputs)
        self.height = max(HEIGHT * scale, self.header + rows * self.row + self.footer + 4)

    def fit_text_size(self) -> None:
        """The node text's size changed: rows as tall as the text, as wide as it needs."""
        self.prepareGeometryChange()
        self._size_rows()
        width, self.width = self._needed_width(), 0.0
        self.set_width(width)

    def box(self) -> QRectF:
        return QRectF(0, 0, self.width, self.height)

    def set_width(self, width: float) -> None:
        """Make the box this wide (its rows need it); edges follow its ports."""
        if width == self.width:
            return
        self.prepareGeometryChange()
        self.width = width
        # Room for the ports, and for the second outline drawn 4 units right and down.
        self.setRect(QRectF(-PORT_RADIUS - 2, -2, width + 2 * PORT_RADIUS + 8, self.height + 8))
        for edge in self.edges:
            edge.adjust()

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(
            QRectF(-PORT_RADIUS, 0, self.width + 2 * PORT_RADIUS, self.height), 8, 8
        )
        return path

    def _row_y(self, row: int) -> float:
        return self.header + 2 + row * self.row

    def input_port(self, row: int) -> QPointF:
        """Where the edge carrying input ``row`` ends (the last row: every other input)."""
        return QPointF(0.0, self._row_y(row) + self.row / 2)

    def output_port(self, row: int = 0) -> QPointF:
        first = self._shown(self.inputs)
        return QPointF(self.width, self._row_y(first + row) + self.row / 2)

    def title_rect(self) -> QRectF:
        return QRectF(0, 0, self.width, self.header)

    def on_title(self, scene_pos: QPointF) -> bool:
        """Whether a point of the scene is on the box's title."""
        return self.title_rect().contains(self.mapFromScene(scene_pos))

    def block_color(self, look: Look) -> QColor:
        return look.highlight if self.isSelected() else look.mid

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionChange and self.snap:
            return QPointF(round(value.x() / GRID) * GRID, round(value.y() / GRID) * GRID)
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.setZValue(1.0 if value else 0.0)
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            scene = self.scene()
            if scene is not None and self.edges:
                scene.lift_edges(self.edges)
            for edge in self.edges:
                edge.adjust()
        return super().itemChange(change, value)

    # ------------------------------------------------------------------- texts
    def show_numbers(self, graph: Graph, evaluation: Evaluation, notation: str) -> bool:
        """Make the rows' texts from the evaluation; says whether they changed."""
        output = evaluation.output
        values, grads = evaluation.values, evaluation.grads

        def rows(keys: list[int], what: str) -> list[tuple[str, str, str]]:
            made = []
            for key in keys[:ROWS]:
                node = graph.node(key)
                name = node.label or node.id
                symbol = derivative_symbol(node.id, output, notation)
                made.append(
                    (
                        name,
                        f"{name} = {format_number(values.get(key))}",
                        f"{symbol} = {format_number(grads.get(key))}",
                    )
                )
            if len(keys) > ROWS:
                made.append(("", f"… {len(keys) - ROWS:,} more {what}", ""))
            return made

        texts = (rows(self.inputs, "inputs"), rows(self.outputs, "outputs"))
        if texts == (self.in_texts, self.out_texts):
            return False
        self.in_texts, self.out_texts = texts
        self.set_width(self._needed_width())
        return True

    def _needed_width(self) -> float:
        """BOX_WIDTH, or wider (up to MAX_BOX_WIDTH, in grid steps) for the longest row
        or the title."""
        fonts = Fonts.get()
        body, grad = metrics_of(fonts.body), metrics_of(fonts.grad)
        need = metrics_of(fonts.title).horizontalAdvance("▸ " + self.title) + 24
        for name, value, derivative in (*self.in_texts, *self.out_texts):
            if name:
                text = body.horizontalAdvance(value) + grad.horizontalAdvance(derivative)
                need = max(need, text + 2 * TEXT_LEFT + ROW_GAP)
        width = BOX_WIDTH + GRID * max(0, -(-(need - BOX_WIDTH) // GRID))
        return min(MAX_BOX_WIDTH, width)

    # ------------------------------------------------------------------- paint
    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        look = Look.get()
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        rect = self.box()
        if lod < TEXT_LOD:
            draw_block(painter, self, rect, lod, look)
            return
        border = self.block_color(look)
        selected = self.isSelected()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        # Two outlines, a card on a card: a box that holds nodes, not a node.
        painter.setPen(QPen(border, 1.0))
        painter.setBrush(look.base)
        painter.drawRoundedRect(rect.translated(4, 4), 8, 8)
        painter.setPen(QPen(border, 2.6 if selected else 1.6))
        painter.drawRoundedRect(rect, 8, 8)
        fill = QColor(border)
        fill.setAlpha(70)
        header = self.title_rect()
        path = QPainterPath()
        path.addRoundedRect(header.adjusted(1, 1, -1, 0), 7, 7)
        path.addRect(QRectF(1, self.header / 2, self.width - 2, self.header / 2))
        path.setFillRule(Qt.FillRule.WindingFill)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawPath(path.simplified())

        fonts = Fonts.get()
        painter.setFont(fonts.title)
        painter.setPen(look.text)
        painter.drawText(
            header.adjusted(10, 0, -10, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            fonts.metrics.elidedText(
                "▸ " + self.title, Qt.TextElideMode.ElideRight, self.width - 24
            ),
        )
        numbers = getattr(self.scene(), "show_numbers", True)
        row = 0
        for texts, side in ((self.in_texts, "in"), (self.out_texts, "out")):
            for name, value, grad in texts:
                self._paint_row(painter, look, row, name, value, grad, numbers, side)
                row += 1
        if self.in_texts and self.out_texts:  # a hairline between inputs and outputs
            y = self._row_y(len(self.in_texts))
            painter.setPen(QPen(look.mid, 0.8))
            painter.drawLine(QPointF(10, y), QPointF(self.width - 10, y))
        painter.setFont(fonts.small)
        painter.setPen(look.muted)
        painter.drawText(
            QRectF(
                TEXT_LEFT, self.height - self.footer - 2, self.width - 2 * TEXT_LEFT, self.footer
            ),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            f"{self.count:,} node{'s' * (self.count != 1)} inside",
        )
        self._paint_ports(painter, look)

    def _paint_row(
        self,
        painter: QPainter,
        look: Look,
        row: int,
        name: str,
        value: str,
        grad: str,
        numbers: bool,
        side: str,
    ) -> None:
        fonts = Fonts.get()
        y = self._row_y(row)
        room = self.width - 2 * TEXT_LEFT
        if not name:  # "… 12 more inputs"
            painter.setFont(fonts.small)
            painter.setPen(look.muted)
            painter.drawText(
                QRectF(TEXT_LEFT, y, room, self.row), Qt.AlignmentFlag.AlignVCenter, value
            )
            return
        left = value if numbers else name
        right = grad if numbers else ""
        # The derivative keeps what it needs (up to half the row); the value gets the rest.
        wanted = metrics_of(fonts.grad).horizontalAdvance(right) if right else 0.0
        half = room - min(wanted, room / 2) - (ROW_GAP if right else 0.0)
        painter.setFont(fonts.body)
        painter.setPen(look.text)
        painter.drawText(
            QRectF(TEXT_LEFT, y, half, self.row),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            metrics_of(fonts.body).elidedText(left, Qt.TextElideMode.ElideRight, half - 4),
        )
        if right:
            painter.setFont(fonts.grad)
            painter.setPen(look.red)
            rest = room - half - ROW_GAP
            painter.drawText(
                QRectF(TEXT_LEFT + half + ROW_GAP, y, rest, self.row),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                metrics_of(fonts.grad).elidedText(right, Qt.TextElideMode.ElideRight, rest),
            )

    def _paint_ports(self, painter: QPainter, look: Look) -> None:
        painter.setPen(QPen(look.text, 1.2))
        painter.setBrush(look.base)
        for row in range(len(self.in_texts)):
            painter.drawEllipse(self.input_port(row), PORT_RADIUS, PORT_RADIUS)
        painter.setBrush(look.text)
        for row in range(len(self.out_texts)):
            painter.drawEllipse(self.output_port(row), PORT_RADIUS, PORT_RADIUS)


# ---------------------------------------------------------------- placement
def place_units(
    units: list[Unit],
    sizes: dict[Unit, tuple[float, float]],
    links: Iterable[tuple[Unit, Unit]],
    output: Unit | None,
    at: tuple[float, float],
) -> dict[Unit, tuple[float, float]]:
    """Positions for ``units`` (in an order with operands first, as far as there is
    one), laid out in layers from their ``links`` with the top-left corner at ``at``:
    the layout of one level of groups, each box one unit."""
    index = {unit: i for i, unit in enumerate(units)}
    preds: list[list[int]] = [[] for _ in units]
    for source, consumer in links:
        i, j = index.get(source), index.get(consumer)
        if i is not None and j is not None and i < j and i not in preds[j]:
            preds[j].append(i)  # an edge against the order (a group made a loop) is left out
    places = unit_layout(
        preds, [sizes[unit] for unit in units], None if output is None else index.get(output)
    )
    x0, y0 = at
    return {unit: (x0 + x, y0 + y) for unit, (x, y) in zip(units, places, strict=True)}


# ------------------------------------------------------------------ actions
# ------------------------------------------------------------- open groups
#: Room between an open group's frame and what it holds, and its title's height.
FRAME_MARGIN = 14.0
FRAME_TITLE = 22.0


class GroupFrame(QGraphicsRectItem):
    """An expanded group: a faint dashed outline round what it holds, its title on a
    tab above it.  A double-click on the title collapses it again.  Not selectable:
    a press on it is a press on the canvas."""

    def __init__(self, path: GroupPath, group: Group, around: QRectF) -> None:
        super().__init__()
        self.setPen(Qt.PenStyle.NoPen)
        self.path, self.group = path, group
        self.setZValue(-2)  # under the edges' items, and under every node
        self.fit(around)

    def fit(self, around: QRectF) -> None:
        """Frame this rectangle (scene coordinates)."""
        frame = around.adjusted(-FRAME_MARGIN, -FRAME_MARGIN, FRAME_MARGIN, FRAME_MARGIN)
        self.frame = frame
        bounds = frame.adjusted(-2, -FRAME_TITLE - 2, 2, 2)
        if bounds != self.rect():
            self.setRect(bounds)

    def title_rect(self) -> QRectF:
        width = Fonts.get().metrics.horizontalAdvance(self.group.title) + 28
        return QRectF(self.frame.left(), self.frame.top() - FRAME_TITLE, width, FRAME_TITLE)

    def on_title(self, scene_pos: QPointF) -> bool:
        return self.title_rect().contains(scene_pos)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        look = Look.get()
        pen = QPen(look.mid, 1.2, Qt.PenStyle.DashLine)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(self.frame, 10, 10)
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        if lod < TEXT_LOD / 2:
            return
        tab = self.title_rect()
        painter.setPen(Qt.PenStyle.NoPen)
        fill = QColor(look.mid)
        fill.setAlpha(60)
        painter.setBrush(fill)
        painter.drawRoundedRect(tab.adjusted(0, 2, 0, 6), 6, 6)
        painter.setPen(look.text)
        painter.setFont(Fonts.get().body)
        painter.drawText(
            tab.adjusted(8, 2, 0, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            "▾ " + self.group.title,
        )


def open_groups(groups: tuple[Group, ...]) -> list[tuple[GroupPath, Group]]:
    """The expanded groups no collapsed group hides, innermost first."""
    found: list[tuple[GroupPath, Group]] = []
    stack: list[tuple[GroupPath, Group]] = [((i,), g) for i, g in enumerate(groups)]
    while stack:
        path, group = stack.pop()
        if not group.collapsed:
            found.append((path, group))
            stack.extend(((*path, i), g) for i, g in enumerate(group.groups))
    found.sort(key=lambda item: -len(item[0]))  # deepest first: a frame holds its nested ones
    return found
