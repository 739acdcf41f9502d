"""Diagram export: PNG, SVG and PDF files, and a picture of the diagram on the clipboard.

An export shows the diagram only: no grid (the view draws it, not the scene), no
selection, hover or highlight marks, and a margin of :data:`MARGIN` canvas units.
Those states are cleared for the moment of drawing and put back afterwards, even
when drawing fails, without the scene announcing a selection change.

Files are written atomically (:mod:`core.atomicwrite`: a temporary file in the same
folder, then ``os.replace``), so a failed export never leaves half an image behind.  Every
failure is an ``ExportError`` (``gui.canvas.export_formats``) whose text is one line
naming the file.

``export_graph`` is the headless entry (``dvar export``); ``export_scene`` draws an
open editor's scene.  This module holds the entry points and the clean diagram; the
drawing in each format, with its size caps, is ``gui.canvas.export_formats``, and a pass
step by step is ``gui.canvas.export_steps``.  The window's "Export Image…" dialog is
``gui.dialogs.export``.

May import: Qt, core, document, and the canvas's look, items and scene.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QMimeData, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QPainter, QPicture
from PySide6.QtWidgets import QApplication

from dvar import core
from dvar.core.atomicwrite import write_atomic
from dvar.core.oserrors import reason
from dvar.gui.canvas.export_formats import (
    ExportError,
    _dots_per_meter,
    _hints,
    _pdf_bytes,
    _png_bytes,
    _render_image,
    _side,
    _svg_bytes,
    _vector_fit,
)
from dvar.gui.canvas.look import is_dark
from dvar.gui.canvas.nodes import NodeItem
from dvar.gui.canvas.scene import GraphScene
from dvar.gui.document.document import Document
from dvar.gui.document.overlay import Overlay

#: Space around the diagram, in canvas units.
MARGIN = 24.0
#: The PNG scales the dialog offers.
SCALES = (1.0, 2.0, 4.0)
#: File extension → format name.
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
FORMAT_LABELS = {"png": "PNG image", "svg": "SVG drawing", "pdf": "PDF document"}
#: Figures as text, written by core (``core/tikz.py``, ``core/dot.py``): extension → format.
TEXT_FORMATS = {".tex": "tex", ".dot": "dot"}
TEXT_FORMAT_LABELS = {"tex": "TikZ picture for LaTeX", "dot": "Graphviz graph"}
#: Step-by-step exports: one PDF page per step, or a GIF animation.
STEP_FORMATS = {".pdf": "pdf", ".gif": "gif"}
#: How long each step shows in a GIF, by default; the last one shows three times as long.
FRAME_MS = 1000
#: One step to draw: the overlay the step-through shows, and its caption.
Frame = tuple[Overlay, str]

_app: QApplication | None = None  # the QApplication export_graph made, kept alive


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    #: The file written, or None for the clipboard.
    path: Path | None
    #: "png", "svg" or "pdf".
    format: str
    #: Pixels for PNG, canvas units for SVG, points for PDF.
    size: tuple[int, int]
    #: The scale actually used: pixels per canvas unit for PNG (lower than asked when the
    #: image had to be capped); 1.0 for SVG and PDF unless a huge diagram was shrunk.
    scale: float
    #: One line for the user when the result is not what was asked (the size was capped).
    warning: str | None = None


# --------------------------------------------------------------------- entry points
def export_graph(
    graph: core.Graph,
    out: str | os.PathLike[str],
    *,
    scale: float = 2.0,
    values: bool = True,
    transparent: bool = False,
    backward: bool = False,
    only: Iterable[int] | None = None,
    steps: Callable[[Document], Sequence[Frame]] | None = None,
    frame_ms: int = FRAME_MS,
) -> ExportResult:
    """Draw a graph's diagram to ``out`` (.png, .svg or .pdf) without a window.

    ``backward`` draws the backward view; ``only`` (node keys) draws those nodes, the
    chips on their ports and the edges among them.  With ``steps`` (the step-through's
    frames for a document, see ``gui.teach.teaching.step_frames``), ``out`` is a .pdf
    with one page per step or an animated .gif (``frame_ms`` per step).

    Creates the QApplication if there is none (choosing the offscreen platform when
    there is no display).  The graph is not changed.  Raises ExportError.
    """
    path = Path(out)
    if steps is not None:
        from dvar.gui.canvas.export_steps import export_steps, step_format_of

    fmt = step_format_of(path) if steps is not None else format_of(path)
    _check_scale(path, scale)
    _application()
    document = Document(graph, untitled_name=path.name)
    try:
        scene = GraphScene(document)
        scene.set_backward_view(backward)
        chosen = only is not None
        if chosen:
            scene.select_keys(list(only))
        if steps is not None:
            return export_steps(
                scene,
                steps(document),
                path,
                fmt=fmt,
                scale=scale,
                frame_ms=frame_ms,
                values=values,
                selection_only=chosen,
            )
        return export_scene(
            scene,
            path,
            fmt=fmt,
            scale=scale,
            values=values,
            transparent=transparent,
            selection_only=chosen,
        )
    finally:
        # The document listens to the caller's graph; let it go with this export.
        with contextlib.suppress(ValueError):
            document.detach()


def export_scene(
    scene: GraphScene,
    out: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    scale: float = 2.0,
    values: bool = True,
    transparent: bool = False,
    selection_only: bool = False,
) -> ExportResult:
    """Write the scene's diagram to ``out``: PNG at ``scale`` pixels per canvas unit, or
    vector SVG or PDF.  ``fmt`` defaults to the extension.  Raises ExportError."""
    path = Path(out)
    fmt = fmt.lower() if fmt else format_of(path)
    if fmt not in FORMAT_LABELS:
        raise ExportError(f"{path}: unknown image format {fmt!r}; use png, svg or pdf")
    if fmt == "png":
        _check_scale(path, scale)
    with _light_look(), clean_diagram(scene, values, selection_only, path) as source:
        if fmt == "png":
            image, used, warning = _render_image(scene, source, scale, transparent, path)
            data = _png_bytes(image, used, path)
            size = (image.width(), image.height())
        elif fmt == "svg":
            used, warning = _vector_fit(source)
            data = _svg_bytes(scene, source, used, transparent, path)
            size = (_side(source.width() * used), _side(source.height() * used))
        else:
            used, shrunk = _vector_fit(source)
            data, size, warning = _pdf_bytes(scene, source, used, transparent, path)
            warning = "; ".join(w for w in (shrunk, warning) if w) or None
    _write_atomic(path, data)
    return ExportResult(path, fmt, size, used, warning)


def copy_image(
    scene: GraphScene,
    *,
    scale: float = 2.0,
    values: bool = True,
    transparent: bool = False,
    selection_only: bool = False,
) -> ExportResult:
    """Put a PNG picture of the diagram on the clipboard.  Raises ExportError."""
    where = "Copy as Image"
    _check_scale(where, scale)
    with _light_look(), clean_diagram(scene, values, selection_only, where) as source:
        image, used, warning = _render_image(scene, source, scale, transparent, where)
    image.setDotsPerMeterX(_dots_per_meter(used))
    image.setDotsPerMeterY(_dots_per_meter(used))
    QGuiApplication.clipboard().setImage(image)
    return ExportResult(None, "png", (image.width(), image.height()), used, warning)


def export_text_figure(
    scene: GraphScene,
    out: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    values: bool = True,
    selection_only: bool = False,
) -> ExportResult:
    """Write the scene's graph as a TikZ document (.tex) or a Graphviz graph (.dot), as
    the scene shows it: the backward view when it is on, the selection (with the chips on
    its ports) when asked.  Raises ExportError."""
    from dvar.core.dot import to_dot
    from dvar.core.tikz import to_tikz

    path = Path(out)
    fmt = fmt.lower() if fmt else TEXT_FORMATS.get(path.suffix.lower())
    if fmt not in TEXT_FORMAT_LABELS:
        raise ExportError(f"{path}: a figure is written as .tex or .dot")
    graph = scene.graph
    if not len(graph):
        raise ExportError(f"{path}: nothing to draw: the graph has no nodes")
    only = None
    if selection_only:
        only = scene.selected_with_chips()
        if not only:
            raise ExportError(f"{path}: nothing to draw: no node is selected")
    write = to_tikz if fmt == "tex" else to_dot
    text = write(
        graph, scene.document.evaluation, backward=scene.backward_view, values=values, only=only
    )
    _write_atomic(path, text.encode("utf-8"))
    return ExportResult(path, fmt, (0, 0), 1.0)


def copy_svg(
    scene: GraphScene, *, values: bool = True, selection_only: bool = False
) -> ExportResult:
    """Put the diagram on the clipboard as an SVG drawing (``image/svg+xml``), so it
    pastes as vectors into slide software; a PNG goes along for programs that take
    no SVG.  Raises ExportError."""
    where = Path("Copy as SVG")
    with _light_look(), clean_diagram(scene, values, selection_only, where) as source:
        used, warning = _vector_fit(source)
        data = _svg_bytes(scene, source, used, False, where)
        image, _, _ = _render_image(scene, source, 1.0, False, where)
    mime = QMimeData()
    mime.setData("image/svg+xml", QByteArray(data))
    mime.setImageData(image)
    QGuiApplication.clipboard().setMimeData(mime)
    size = (_side(source.width() * used), _side(source.height() * used))
    return ExportResult(None, "svg", size, used, warning)


def paint_diagram(
    scene: GraphScene,
    painter: QPainter,
    target: QRectF,
    *,
    values: bool = True,
    selection_only: bool = False,
) -> None:
    """Draw the clean diagram (with its margin) centred in ``target`` on any painter,
    keeping its proportions: for printing.  Raises ExportError when there is nothing to draw.

    Item fonts are sized in points, which a 1200 dpi printer would make twelve times too
    big for the boxes; recording a QPicture at the screen's DPI and playing it back keeps
    text and boxes in proportion, and stays vector.
    """
    with _light_look(), clean_diagram(scene, values, selection_only, "Print") as source:
        picture = QPicture()
        recorder = QPainter(picture)
        shrink, _ = _vector_fit(source)
        box = QRectF(0, 0, source.width() * shrink, source.height() * shrink)
        try:
            _hints(recorder)
            scene.render(recorder, box, source, Qt.AspectRatioMode.IgnoreAspectRatio)
        finally:
            recorder.end()
    fit = min(target.width() / box.width(), target.height() / box.height())
    device = painter.device()
    # QPainter.drawPicture scales by the devices' DPI ratio itself; undo that.
    dpi_ratio = picture.logicalDpiY() / device.logicalDpiY() if device is not None else 1.0
    painter.save()
    try:
        painter.translate(
            target.left() + (target.width() - box.width() * fit) / 2,
            target.top() + (target.height() - box.height() * fit) / 2,
        )
        painter.scale(fit * dpi_ratio, fit * dpi_ratio)
        painter.drawPicture(0, 0, picture)
    finally:
        painter.restore()


def format_of(path: Path) -> str:
    """ "png", "svg" or "pdf" from the file's extension (any case); ExportError otherwise."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        given = f"'{path.suffix}'" if path.suffix else "no extension"
        raise ExportError(f"{path}: cannot export to {given}; name the file .png, .svg or .pdf")
    return fmt


# ---------------------------------------------------------------- the clean diagram
@contextlib.contextmanager
def clean_diagram(
    scene: GraphScene,
    values: bool,
    selection_only: bool,
    where: str | Path,
    marks: bool = False,
) -> Iterator[QRectF]:
    """Make the scene draw the bare diagram, and yield the scene rectangle to draw
    (the diagram plus its margin).  With ``marks``, the teaching overlay's marks stay
    (the step's current node and its chain-rule edges).  Everything is put back on exit."""
    nodes = [*scene.nodes.values(), *scene.group_items.values()]  # a group's box too
    edges = [*scene.edges.values(), *scene.group_edges.values()]
    chosen = {item for item in nodes if item.isSelected()}
    # a constant drawn on a chosen node's port goes with it: its formula shows the number
    chosen |= {chip for chip in scene.chips.values() if chip.host in chosen}
    if selection_only and not chosen:
        raise ExportError(f"{where}: nothing to draw: no node is selected")
    if not nodes:
        raise ExportError(f"{where}: nothing to draw: the graph has no nodes")

    selected = scene.selectedItems()
    node_state = [(item, item.hover_port, item.valid_ports, item.highlighted) for item in nodes]
    edge_state = [(item, item.highlighted, item.label) for item in edges]
    show_numbers = scene.show_numbers
    cached = scene.node_looks_cached
    hidden: list = []
    was_blocked = scene.blockSignals(True)  # the panels must not hear a selection change
    was_bulk = scene.bulk
    try:
        scene.settle_edges()  # every edge in the background layer, under the nodes
        # Hiding, widening and showing items asks no edge to redraw itself for the views
        # (thousands of small requests on a big graph); the views redraw once, at the end.
        scene.bulk = True
        scene.cache_node_looks(False)  # nodes drawn as vectors, not as pictures
        for item in selected:
            item.setSelected(False)
        for item in nodes:
            item.hover_port, item.valid_ports = None, set()
            item.highlighted = item.highlighted and marks
        for item in edges:
            item.highlighted = item.highlighted and marks
            if not values:  # an edge's local derivative is a number too
                item.label = ""
        scene.show_numbers = values
        extras = list(scene.transient)  # an edge being dragged right now
        if selection_only:  # notes and frames too: they belong to no node
            extras += list(scene.note_items.values())
            extras += [item for item in nodes if item not in chosen]
            extras += [
                item for item in edges if not (item.source in chosen and item.consumer in chosen)
            ]
        for item in extras:
            if item.isVisible():
                item.setVisible(False)
                hidden.append(item)
        scene.widen_for_texts()  # a box too narrow for a long number grows before it is drawn
        yield _drawable(_drawn_rect(nodes, [*edges, *scene.note_items.values()]), nodes, where)
    finally:
        for item in hidden:
            item.setVisible(True)
        scene.show_numbers = show_numbers
        scene.cache_node_looks(cached)
        for item, label_highlight, label in edge_state:
            item.highlighted, item.label = label_highlight, label
        for item, hover, valid, highlighted in node_state:
            item.hover_port, item.valid_ports, item.highlighted = hover, valid, highlighted
        for item in selected:
            item.setSelected(True)
        scene.blockSignals(was_blocked)
        scene.bulk = was_bulk
        if not was_bulk:
            scene.redraw_background()


def _drawn_rect(nodes: list[NodeItem], edges: list) -> QRectF:
    """What the visible nodes, and the edges, notes and frames in ``edges``, cover."""
    rect = QRectF()
    for item in (*nodes, *edges):
        if item.isVisible():
            rect = rect.united(item.sceneBoundingRect())
    return rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)


def _drawable(rect: QRectF, nodes: list[NodeItem], where: str | Path) -> QRectF:
    """The rectangle to draw, or ExportError when it is too big for a float to measure.

    A file may place nodes anywhere a float reaches (±1.7e308); two nodes that far apart
    make a diagram whose size overflows to infinity, which no drawing can shrink to fit.
    Anything finite is drawn, scaled down as far as needed (see the size caps).
    """
    if all(math.isfinite(v) for v in (rect.left(), rect.top(), rect.width(), rect.height())):
        return rect
    far = max(
        (item for item in nodes if item.isVisible()),
        key=lambda item: max(abs(item.scenePos().x()), abs(item.scenePos().y())),
    )
    pos = far.scenePos()
    axis, value = ("x", pos.x()) if abs(pos.x()) >= abs(pos.y()) else ("y", pos.y())
    node_id = far.scene().graph.id_of(far.key)
    raise ExportError(
        f"{where}: cannot draw the diagram: it is too large to measure (node {node_id!r} is "
        f"at {axis} = {value:.3g}); move the far nodes closer, for example with Arrange"
    )


@contextlib.contextmanager
def _light_look() -> Iterator[None]:
    """Exports are for paper and slides: draw with the light palette even in dark mode."""
    app = QApplication.instance()
    if not isinstance(app, QApplication) or not is_dark():
        yield
        return
    saved = QApplication.palette()
    QApplication.setPalette(QApplication.style().standardPalette())
    try:
        yield
    finally:
        QApplication.setPalette(saved)


# ---------------------------------------------------------------------- files
def _write_atomic(path: Path, data: bytes) -> None:
    """Write the file with :func:`core.atomicwrite.write_atomic`; ExportError on failure."""
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: the folder {folder} does not exist")
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder")
    try:
        write_atomic(path, data)
    except OSError as error:
        raise ExportError(f"cannot write {path}: {reason(error)}") from None


def _check_scale(path: str | Path, scale: float) -> None:
    if not (isinstance(scale, int | float) and math.isfinite(scale) and scale > 0):
        raise ExportError(f"{path}: the scale must be a positive number, not {scale}")


def _application() -> QApplication:
    global _app
    app = QApplication.instance()
    if app is None:
        unix = sys.platform not in ("darwin", "win32")
        if unix and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _app = app = QApplication(["dvar"])
    if not isinstance(app, QApplication):
        raise ExportError("drawing needs a QApplication, and another kind is running")
    return app
