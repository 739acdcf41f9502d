"""Drawing worksheets: the diagram with numbered blanks and a table to fill in, on A4
or US letter pages, as a PDF file or on a printer.

Which cells are blank, their numbers and answers come from ``core.worksheet``.  The
diagram is the export's vector drawing (``export.paint_diagram``) of a scene made for
the worksheet, in ink for black-and-white paper (``Look(ink=True)``: derivatives,
marks and the output in dark grey instead of colour).  Each blank shows its number
(``[3]``) where its number was (boxed on a node), through the teaching overlay's
practice marks; a sheet that hides local derivatives is drawn in the backward view, where
edges carry them.  A sheet that hides values and no derivative shows no derivative
at all (the forward pass alone).

Page 1 holds the title, a line for the learner's name, the diagram and the table
(number, what is asked, a space for the answer); the table goes on over more pages
when it is long.  With answers, the answer key (answer and working) starts a page of
its own.  Every page has a footer with its number.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)
from PySide6.QtWidgets import QApplication

from dvar import core
from dvar.core.worksheet import (
    Blank,
    Cell,
    WorksheetError,
    blanks,
    check_blanks,
    check_hide,
    groups_showing,
    instructions,
)
from dvar.gui.canvas.export import (
    _application,
    _light_look,
    _write_atomic,
    clean_diagram,
    paint_diagram,
)
from dvar.gui.canvas.export_formats import ExportError, _dpi, _hints
from dvar.gui.canvas.look import INK, Fonts, Look
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.document.document import Document
from dvar.gui.document.overlay import Mark, Overlay

#: The paper sizes a worksheet comes on, by the name ``--paper`` takes.
PAPERS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
PAPER_LABELS = {"a4": "A4 (210 × 297 mm)", "letter": "US letter (8.5 × 11 in)"}
#: The page's margin, in millimetres, and the PDF's resolution (dots per inch).
PAGE_MARGIN_MM = 15.0
PDF_DPI = 600
#: Heights in millimetres: a row to write an answer in, a row of the answer key.
ROW_MM = 9.0
KEY_ROW_MM = 7.0
#: Page 1 keeps room for at least this many rows under the diagram (or all, if fewer).
FIRST_PAGE_ROWS = 5
#: A diagram drawn at less than this share of its size on screen on a portrait page
#: (a wide graph) gets landscape pages.
LANDSCAPE_BELOW = 0.5
#: Text sizes in points.
TITLE_PT, TEXT_PT, SMALL_PT = 15.0, 10.5, 8.5
#: The lighter grey of the table's inner lines and the footer (text is ``look.INK``).
RULE = QColor("#8a8a8a")


@dataclass(frozen=True)
class WorksheetResult:
    """What a worksheet came to."""

    #: The PDF written, or None when it went to a printer.
    path: Path | None
    pages: int
    blanks: int


# --------------------------------------------------------------------- entry points
def write_worksheet(
    graph: core.Graph,
    out: str | os.PathLike[str],
    *,
    hide: Iterable[str] | None = None,
    answers: bool = False,
    paper: str = "a4",
    notation: str = "d",
    name: str | None = None,
) -> WorksheetResult:
    """Write the worksheet of ``graph`` to ``out`` (a .pdf), without a window.

    ``hide`` names what to leave blank (``core.worksheet.HIDE``; by default the lesson's
    asked cells, or every derivative); ``answers`` adds the answer key; ``paper`` is a
    key of :data:`PAPERS`; ``name`` (the file's name) heads the page when the graph has
    no title.  The graph is not changed.  Raises ExportError with one line.
    """
    path = Path(out)
    if path.suffix.lower() != ".pdf":
        given = f"'{path.suffix}'" if path.suffix else "no extension"
        raise ExportError(f"{path}: a worksheet is a PDF; name the file .pdf, not {given}")
    _page_size(paper, path)
    _application()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    writer.setCreator(f"dvar {core.__version__}")
    with open_worksheet(graph, hide, notation, name or path.name, path) as sheet:
        writer.setPageLayout(sheet.page_layout(paper))
        writer.setTitle(f"{sheet.title} — worksheet")
        pages = sheet.draw(writer, answers, f"{path}: the PDF writer could not start")
    buffer.close()
    _write_atomic(path, bytes(data.data()))
    return WorksheetResult(path, pages, len(sheet.blanks))


class Worksheet:
    """A graph's worksheet, ready to draw: a scene of the graph made for it, with each
    blank's number in its place, and the blanks (see :func:`open_worksheet`)."""

    def __init__(
        self, scene: GraphScene, sheet: list[Blank], name: str, hide: tuple[str, ...]
    ) -> None:
        self.scene, self.blanks = scene, sheet
        self.title = _heading(scene, name, hide)
        #: The diagram as the export draws it, in canvas units.
        with _ink(), clean_diagram(scene, True, False, name) as source:
            self.diagram = QRectF(source)

    def page_layout(self, paper: str) -> QPageLayout:
        """The page for ``paper`` (a key of :data:`PAPERS`): portrait, or landscape when
        the diagram is so wide that a portrait page would draw it at less than
        :data:`LANDSCAPE_BELOW` of its size on screen."""
        size = _page_size(paper, Path(self.title))
        width_mm = size.size(QPageSize.Unit.Millimeter).width() - 2 * PAGE_MARGIN_MM
        on_screen_mm = self.diagram.width() * 25.4 / _dpi()
        wide = self.diagram.width() > self.diagram.height()
        portrait = width_mm / on_screen_mm if on_screen_mm > 0 else 1.0
        orientation = (
            QPageLayout.Orientation.Landscape
            if wide and portrait < LANDSCAPE_BELOW
            else QPageLayout.Orientation.Portrait
        )
        margins = QMarginsF(*[PAGE_MARGIN_MM] * 4)
        return QPageLayout(size, orientation, margins, QPageLayout.Unit.Millimeter)

    def draw(self, device: QPagedPaintDevice, answers: bool, failed: str) -> int:
        """Draw every page on ``device`` (a PDF writer, or a printer set up by the print
        dialog, on its own paper); returns the number of pages.  ExportError(``failed``)
        when the device cannot be painted on."""
        painter = QPainter()
        if not painter.begin(device):
            raise ExportError(failed)
        try:
            return paint_worksheet(painter, device, self, answers)
        finally:
            painter.end()


@contextlib.contextmanager
def open_worksheet(
    graph: core.Graph,
    hide: Iterable[str] | None = None,
    notation: str = "d",
    name: str = "worksheet",
    where: str | Path | None = None,
) -> Iterator[Worksheet]:
    """The worksheet of ``graph``, for as long as the ``with`` lasts: a scene of the
    graph made for it (of a copy, when a collapsed group must open to show a blank).
    ExportError, starting with ``where``, when nothing would be left blank or the
    choice of what to hide is wrong."""
    try:
        cells = check_blanks(graph, core.evaluate(graph), hide)
    except WorksheetError as error:
        raise ExportError(f"{where or name}: {error}") from None
    groups = groups_showing(graph, cells)
    if groups != graph.groups:  # a blank inside a collapsed group: drawn from a copy, opened
        graph = graph.copy()
        graph.set_groups(groups)
    document = Document(graph, untitled_name=name)
    try:
        scene = GraphScene(document)
        scene.set_notation(notation)
        # a blank on a constant drawn as a chip (a lesson may ask dthree) needs its box
        scene.set_constants_as_nodes(bool(_on_chips(graph, cells, set(scene.chips))))
        positions = {key: (item.x(), item.y()) for key, item in scene.nodes.items()}
        sheet = blanks(graph, document.evaluation, hide, positions, notation)
        document.set_overlay(sheet_overlay(sheet))
        scene.set_backward_view(any(blank.cell[0] == "partial" for blank in sheet))
        yield Worksheet(scene, sheet, name, check_hide(graph, hide))
    finally:
        # The document listens to the caller's graph; let it go with this worksheet.
        with contextlib.suppress(ValueError):
            document.detach()


def _on_chips(graph: core.Graph, cells: Iterable[Cell], chips: set[int]) -> list[Cell]:
    """The cells with no place on a chip: its derivative, or the edge it would be."""
    return [
        cell
        for cell in cells
        if (graph.node(cell[1]).inputs[cell[2]] if cell[0] == "partial" else cell[1]) in chips
    ]


def sheet_overlay(sheet: Sequence[Blank]) -> Overlay:
    """The overlay that draws each blank's number in a box where its number was.  With
    values blank and no derivative, no derivative shows (the forward pass alone)."""
    cells = {
        blank.cell: Mark(blank.mark, "open", f"Blank {blank.number}: {blank.asked}")
        for blank in sheet
    }
    kinds = {blank.cell[0] for blank in sheet}
    if kinds == {"value"}:
        return Overlay(cells=cells, backward_shown=False, derivatives={})
    return Overlay(cells=cells)


# --------------------------------------------------------------------- the pages
@dataclass(frozen=True)
class _Page:
    """One page to draw: the first (with the diagram), more of the table, or the key."""

    kind: str  # "first", "table" or "key"
    rows: range  # positions in the sheet
    diagram_height: float = 0.0


def paint_worksheet(
    painter: QPainter, device: QPagedPaintDevice, worksheet: Worksheet, answers: bool
) -> int:
    """Draw every page of the worksheet on ``device`` (a PDF writer or a printer) with an
    active ``painter``; returns the number of pages."""
    scene, sheet, title = worksheet.scene, worksheet.blanks, worksheet.title
    dpi = device.resolution()
    area = device.pageLayout().paintRectPixels(dpi)
    page = QRectF(0, 0, area.width(), area.height())
    sheet_look = _Sheet(dpi, page.width())
    intro = instructions(scene.graph, list(sheet), scene.notation)
    # never drawn larger than on screen: a small graph keeps its text at its usual size
    shown = worksheet.diagram.size() * (dpi / _dpi())
    diagram = min(page.width(), shown.width()) * shown.height() / max(1.0, shown.width())
    tops = {
        kind: sheet_look.heading(None, page, kind, title, intro)
        for kind in ("first", "table", "key")
    }
    pages = _paginate(sheet_look, page, len(sheet), diagram, answers, tops)
    for index, plan in enumerate(pages):
        if index:
            device.newPage()
        painter.save()
        try:
            _hints(painter)
            top = sheet_look.heading(painter, page, plan.kind, title, intro)
            if plan.kind == "first":
                box = QRectF(page.left(), top, page.width(), plan.diagram_height)
                with _ink():
                    paint_diagram(scene, painter, box)
                top = box.bottom() + sheet_look.gap
            rows = [sheet[i] for i in plan.rows]
            if plan.kind == "key":
                sheet_look.key_table(painter, page, top, rows)
            else:
                sheet_look.blank_table(painter, page, top, rows)
            sheet_look.footer(painter, page, f"{title} — dvar worksheet", index + 1, len(pages))
        finally:
            painter.restore()
    return len(pages)


def _paginate(
    look: _Sheet, page: QRectF, count: int, wanted: float, answers: bool, tops: dict
) -> list[_Page]:
    """Which rows go on which page, and how tall page 1's diagram is drawn (``wanted``
    at most; ``tops``: where each kind of page's content starts, under its heading)."""
    body = page.height() - look.footer_height
    room = body - tops["first"] - look.gap
    header, row = look.table_header, look.row
    keep = header + min(count, FIRST_PAGE_ROWS) * row
    diagram = max(0.0, min(wanted, room - keep - look.gap))
    if count * row + header <= room - diagram - look.gap:
        fits = count
    else:
        fits = max(0, int((room - diagram - look.gap - header) // row))
    pages = [_Page("first", range(0, min(fits, count)), diagram)]
    more = max(1, int((body - tops["table"] - header) // row))
    start = pages[0].rows.stop
    while start < count:
        pages.append(_Page("table", range(start, min(count, start + more))))
        start = pages[-1].rows.stop
    if answers:
        per_key = max(1, int((body - tops["key"] - header) // look.key_row))
        for first in range(0, count, per_key):
            pages.append(_Page("key", range(first, min(count, first + per_key))))
    return pages


class _Sheet:
    """Fonts, sizes and the drawing of everything on a page but the diagram, in the
    device's pixels (``dpi`` of them per inch)."""

    def __init__(self, dpi: int, width: float) -> None:
        self.dpi = dpi
        self.title_font = self._font(TITLE_PT, bold=True)
        self.text_font = self._font(TEXT_PT)
        self.bold_font = self._font(TEXT_PT, bold=True)
        self.small_font = self._font(SMALL_PT)
        self.text_metrics = QFontMetricsF(self.text_font)
        self.small_metrics = QFontMetricsF(self.small_font)
        self.row = self.mm(ROW_MM)
        self.key_row = self.mm(KEY_ROW_MM)
        self.gap = self.mm(5)
        self.table_header = self.mm(7)
        self.footer_height = self.mm(8)
        self.pen = QPen(INK, self.mm(0.3))
        self.thin = QPen(RULE, self.mm(0.15))
        # columns: number, what is asked, then the answer (and, in the key, the working)
        self.number_width = self.mm(14)
        self.asked_width = min(self.mm(55), width * 0.35)
        self.answer_width = min(self.mm(35), width * 0.25)

    def mm(self, millimetres: float) -> float:
        return millimetres * self.dpi / 25.4

    def _font(self, points: float, bold: bool = False) -> QFont:
        font = QFont(Fonts.get().body)
        font.setPixelSize(max(1, round(points * self.dpi / 72)))
        font.setBold(bold)
        font.setItalic(False)
        return font

    # ------------------------------------------------------------ headings
    def heading(
        self, painter: QPainter | None, page: QRectF, kind: str, title: str, intro: str
    ) -> float:
        """Draw the page's heading (or only measure it, without a painter); returns
        where the content below it starts.  Page 1: the title, a line for the
        learner's name, and what to do; other pages: their title."""
        wrap = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        text = {"first": title, "table": f"{title} (continued)", "key": "Answer key"}[kind]
        top = self._paragraph(painter, page, page.top(), text, self.title_font, wrap)
        if kind == "key":
            top = self._paragraph(painter, page, top, title, self.text_font, wrap)
        if kind != "first":
            return top + self.gap
        top += self.mm(2)
        line = self.text_metrics.height()
        if painter is not None:
            label = "Name:"
            painter.setFont(self.text_font)
            painter.setPen(INK)
            painter.drawText(QRectF(page.left(), top, page.width(), line), wrap, label)
            start = page.left() + self.text_metrics.horizontalAdvance(label + " ")
            painter.setPen(self.thin)
            base = top + self.text_metrics.ascent() + self.mm(0.8)
            painter.drawLine(QPointF(start, base), QPointF(start + self.mm(80), base))
        top += line + self.mm(3)
        return self._paragraph(painter, page, top, intro, self.text_font, wrap) + self.gap

    def _paragraph(
        self, painter: QPainter | None, page: QRectF, top: float, text: str, font: QFont, flags
    ) -> float:
        """Text wrapped to the page's width at ``top``; returns its bottom."""
        room = QRectF(page.left(), top, page.width(), page.height())
        box = QFontMetricsF(font).boundingRect(room, flags, text)
        if painter is not None:
            painter.setFont(font)
            painter.setPen(INK)
            painter.drawText(room, flags, text)
        return top + box.height()

    # ------------------------------------------------------------- tables
    def blank_table(
        self, painter: QPainter, page: QRectF, top: float, rows: Sequence[Blank]
    ) -> None:
        """No. · Asked · Answer, with room to write each answer."""
        if not rows:
            return
        columns = (
            self.number_width,
            self.asked_width,
            page.width() - self.number_width - self.asked_width,
        )
        self._table(
            painter,
            page,
            top,
            ("No.", "Asked", "Answer"),
            columns,
            [(str(b.number), b.asked, "") for b in rows],
            self.row,
        )

    def key_table(self, painter: QPainter, page: QRectF, top: float, rows: Sequence[Blank]) -> None:
        """No. · Asked · Answer · Working."""
        working = page.width() - self.number_width - self.asked_width - self.answer_width
        columns = (self.number_width, self.asked_width, self.answer_width, working)
        self._table(
            painter,
            page,
            top,
            ("No.", "Asked", "Answer", "Working"),
            columns,
            [(str(b.number), b.asked, b.answer, b.working) for b in rows],
            self.key_row,
        )

    def _table(
        self,
        painter: QPainter,
        page: QRectF,
        top: float,
        titles: Sequence[str],
        columns: Sequence[float],
        rows: Sequence[Sequence[str]],
        row_height: float,
    ) -> None:
        pad = self.mm(2)
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        edges = [page.left()]
        for width in columns:
            edges.append(edges[-1] + width)
        painter.setFont(self.bold_font)
        painter.setPen(INK)
        for x, width, title in zip(edges, columns, titles, strict=False):
            painter.drawText(QRectF(x + pad, top, width - 2 * pad, self.table_header), left, title)
        bottom = top + self.table_header + row_height * len(rows)
        painter.setPen(self.pen)
        painter.drawLine(
            QPointF(edges[0], top + self.table_header), QPointF(edges[-1], top + self.table_header)
        )
        y = top + self.table_header
        for cells in rows:
            for index, (x, width, text) in enumerate(zip(edges, columns, cells, strict=False)):
                working = index == 3
                font, metrics = (
                    (self.small_font, self.small_metrics)
                    if working
                    else (self.text_font, self.text_metrics)
                )
                painter.setFont(font)
                painter.setPen(INK)
                room = width - 2 * pad
                if working:
                    text = _shortened(text, metrics, room)
                shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
                painter.drawText(QRectF(x + pad, y, width - 2 * pad, row_height), left, shown)
            y += row_height
            painter.setPen(self.thin)
            painter.drawLine(QPointF(edges[0], y), QPointF(edges[-1], y))
        painter.setPen(self.thin)
        for x in edges[1:-1]:
            painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        painter.setPen(self.pen)
        painter.drawLine(QPointF(edges[0], bottom), QPointF(edges[-1], bottom))

    def footer(self, painter: QPainter, page: QRectF, text: str, number: int, pages: int) -> None:
        painter.setFont(self.small_font)
        painter.setPen(RULE)
        box = QRectF(
            page.left(),
            page.bottom() - self.small_metrics.height(),
            page.width(),
            self.small_metrics.height(),
        )
        folio = f"page {number} of {pages}"
        room = page.width() - self.small_metrics.horizontalAdvance(folio) - self.gap
        painter.drawText(
            box,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.small_metrics.elidedText(text, Qt.TextElideMode.ElideRight, room),
        )
        painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, folio)


# ------------------------------------------------------------------------ helpers
@contextlib.contextmanager
def _ink() -> Iterator[None]:
    """Draw the diagram for black-and-white paper: the light palette (even in a dark
    theme), with derivatives, marks and the output in ink instead of colour."""
    with _light_look():
        Look._made = Look(QApplication.palette(), ink=True)
        try:
            yield
        finally:
            Look._made = None  # the next Look.get() makes the screen's look again


def _shortened(working: str, metrics: QFontMetricsF, room: float) -> str:
    """A working (``dv = dJ · ∂J/∂v = dJ · 3 = 1 · 3 = 3``) that fits ``room``: whole,
    or its first and last two steps, or its first and last."""
    steps = working.split(" = ")
    for text in (working, " = ".join([steps[0], *steps[-2:]]), " = ".join([steps[0], steps[-1]])):
        if metrics.horizontalAdvance(text) <= room:
            return text
    return working


def _heading(scene: GraphScene, name: str, hide: tuple[str, ...]) -> str:
    """The lesson's title on a sheet of its questions, else the graph's, else the file's name."""
    lesson = scene.graph.lesson
    if lesson is not None and "lesson" in hide:
        return lesson.title
    title = scene.graph.extra.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    return Path(name).stem or "Worksheet"


def _page_size(paper: str, where: Path) -> QPageSize:
    size = PAPERS.get(str(paper).lower())
    if size is None:
        raise ExportError(f"{where}: unknown paper {paper!r}; choose {' or '.join(PAPERS)}")
    return QPageSize(size)
