"""The picture formats of an export: part of a prepared scene drawn as PNG, SVG or PDF bytes.

Each format keeps within its caps: a PNG is drawn at a smaller scale when it would pass
:data:`MAX_SIDE` or :data:`MAX_PIXELS`, an SVG or PDF when a side would pass
:data:`MAX_VECTOR_SIDE`, and the result carries a one-line warning saying so.  Text is
drawn at the screen's DPI (:func:`_dpi`), the one the items were laid out with.  The
title and description that SVG and PDF files carry are made here too.

:class:`ExportError` lives here, at the bottom of the export modules: ``export``,
``export_steps`` and ``worksheet`` (and their dialogs) raise and catch it.  The scene is
made ready for drawing by ``gui.canvas.export.clean_diagram``; this module only draws.

May import: Qt, core, and the canvas's look and scene.
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QRectF,
    QSize,
    QSizeF,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)
from PySide6.QtSvg import QSvgGenerator

from dvar import core
from dvar.gui.canvas.look import TEXT_LOD, Fonts
from dvar.gui.canvas.scene import GraphScene

#: A PNG never gets wider or taller than this (Qt's painter and most viewers are safe here)…
MAX_SIDE = 16_384
#: …nor bigger than this many pixels (256 MB of memory while drawing).
MAX_PIXELS = 64 * 1024 * 1024
#: Acrobat shows pages up to 200 × 200 inches; bigger PDF pages get a warning.
PDF_MAX_POINTS = 14_400.0
#: An SVG or PDF never gets wider or taller than this many canvas units: a bigger
#: diagram (nodes placed very far apart) is drawn smaller, with a warning.
MAX_VECTOR_SIDE = 1_000_000.0


class ExportError(Exception):
    """An export that could not be done.  ``str(error)`` is one line naming the file."""


def _vector_fit(source: QRectF) -> tuple[float, str | None]:
    """The scale for an SVG or PDF: 1, or less when a side exceeds MAX_VECTOR_SIDE."""
    side = max(source.width(), source.height())
    if side <= MAX_VECTOR_SIDE:
        return 1.0, None
    fit = MAX_VECTOR_SIDE / side
    return fit, (
        f"the diagram is {_amount(source.width())} × {_amount(source.height())} canvas units, "
        f"more than the {MAX_VECTOR_SIDE:,.0f} per side a drawing may have; drawn at scale "
        f"{fit:.3g}"
    )


def _side(x: float) -> int:
    return max(1, math.ceil(x))


def _amount(x: float) -> str:
    """A size for a message: digits with separators, or powers of ten when it is huge."""
    if not math.isfinite(x):
        return "more than 1e308"
    return f"{x:,.0f}" if abs(x) < 1e15 else f"{x:.3g}"


def _render_image(
    scene: GraphScene, source: QRectF, scale: float, transparent: bool, where: str | Path
) -> tuple[QImage, float, str | None]:
    used, warning = _capped_scale(source, scale)
    width, height = _pixels(source, used)
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull():
        raise ExportError(f"{where}: not enough memory for a {width} × {height} px image")
    image.fill(QColor(0, 0, 0, 0) if transparent else QColor("white"))
    painter = QPainter(image)
    try:
        _hints(painter)
        target = QRectF(0, 0, source.width() * used, source.height() * used)
        scene.render(painter, target, source, Qt.AspectRatioMode.IgnoreAspectRatio)
    finally:
        painter.end()
    return image, used, warning


def _pixels(source: QRectF, scale: float) -> tuple[int, int]:
    """Whole pixels for the source at ``scale``; only for scales that fit (see below)."""
    return (
        max(1, math.ceil(source.width() * scale - 1e-6)),
        max(1, math.ceil(source.height() * scale - 1e-6)),
    )


def _fits(source: QRectF, scale: float) -> bool:
    """Whether the image at ``scale`` stays within MAX_SIDE and MAX_PIXELS (never
    overflows, however large the diagram or the scale)."""
    exact_w, exact_h = source.width() * scale, source.height() * scale
    if not (exact_w <= MAX_SIDE + 1 and exact_h <= MAX_SIDE + 1):  # also catches infinity
        return False
    w, h = _pixels(source, scale)
    return w <= MAX_SIDE and h <= MAX_SIDE and w * h <= MAX_PIXELS


def _capped_scale(source: QRectF, scale: float) -> tuple[float, str | None]:
    if _fits(source, scale):
        return scale, None
    width, height = source.width(), source.height()
    # The largest scale that fits, computed without multiplying big numbers together.
    largest = min(
        MAX_SIDE / width,
        MAX_SIDE / height,
        math.sqrt(MAX_PIXELS / width) * math.sqrt(1 / height),
    )
    used = min(scale, largest)
    while not _fits(source, used):  # rounding up to whole pixels may overshoot by a row
        used *= 0.999
    w, h = _pixels(source, used)
    message = (
        f"at scale {scale:g} the image would be {_amount(width * scale)} × "
        f"{_amount(height * scale)} px, more than the {MAX_SIDE:,} px per side and "
        f"{MAX_PIXELS // 2**20} MP allowed; written at scale {used:.3g} ({w:,} × {h:,} px)"
    )
    if used < TEXT_LOD:
        message += ", too small for text, so nodes are plain boxes"
    return used, message + "; SVG and PDF keep every detail"


def _png_bytes(image: QImage, scale: float, path: Path) -> bytes:
    # Tell viewers that honour it (office suites) to show the image at canvas size.
    image.setDotsPerMeterX(_dots_per_meter(scale))
    image.setDotsPerMeterY(_dots_per_meter(scale))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ExportError(f"{path}: the PNG encoder failed")
    buffer.close()
    return bytes(data.data())


def _svg_bytes(
    scene: GraphScene, source: QRectF, fit: float, transparent: bool, path: Path
) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    # At least one unit a side: a diagram shrunk a millionfold may be a hairline.
    box = QRectF(0, 0, max(1.0, source.width() * fit), max(1.0, source.height() * fit))
    generator.setSize(QSize(math.ceil(box.width()), math.ceil(box.height())))
    generator.setViewBox(box)
    # Fonts are sized in points: the same DPI as the screen keeps text the size the boxes
    # were laid out for.
    generator.setResolution(_dpi())
    generator.setTitle(_title(scene, path))
    generator.setDescription(_description(scene, scene.show_numbers))
    painter = QPainter()
    if not painter.begin(generator):
        raise ExportError(f"{path}: the SVG writer could not start")
    try:
        _hints(painter)
        if not transparent:
            painter.fillRect(box, QColor("white"))
        scene.render(painter, box, source, Qt.AspectRatioMode.IgnoreAspectRatio)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


def start_pdf(
    buffer: QBuffer,
    dpi: int,
    points: tuple[float, float],
    page_name: str,
    scene: GraphScene,
    path: Path,
) -> tuple[QPdfWriter, QPainter]:
    """A PDF writer into ``buffer`` whose pages are ``points`` (width, height) and whose
    canvas unit is one screen pixel at ``dpi``, titled after the scene, with a painter
    begun on it; ExportError if the writer cannot start."""
    writer = QPdfWriter(buffer)
    writer.setResolution(dpi)  # one canvas unit = one screen pixel = 72/dpi points
    page = QPageSize(
        QSizeF(*points), QPageSize.Unit.Point, page_name, QPageSize.SizeMatchPolicy.ExactMatch
    )
    writer.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    writer.setTitle(_title(scene, path))
    writer.setCreator(f"dvar {core.__version__}")
    painter = QPainter()
    if not painter.begin(writer):
        raise ExportError(f"{path}: the PDF writer could not start")
    return writer, painter


def _pdf_bytes(
    scene: GraphScene, source: QRectF, fit: float, transparent: bool, path: Path
) -> tuple[bytes, tuple[int, int], str | None]:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    dpi = _dpi()
    points = (  # at least one point a side, or the page is not a page
        max(1.0, source.width() * fit * 72 / dpi),
        max(1.0, source.height() * fit * 72 / dpi),
    )
    writer, painter = start_pdf(buffer, dpi, points, "dvar diagram", scene, path)
    try:
        _hints(painter)
        target = writer.pageLayout().paintRectPixels(dpi).toRectF()
        if not transparent:
            painter.fillRect(target, QColor("white"))
        scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
    finally:
        painter.end()
    buffer.close()
    size = writer.pageLayout().pageSize().sizePoints()
    warning = None
    if max(points) > PDF_MAX_POINTS:
        warning = (
            f"the PDF page is {points[0] / 72:,.0f} × {points[1] / 72:,.0f} in; some viewers "
            f"(Acrobat) show at most 200 × 200 in; SVG has no such limit"
        )
    return bytes(data.data()), (size.width(), size.height()), warning


def _hints(painter: QPainter) -> None:
    # Items set their own fonts; this one is what SVG groups without text name, so it
    # must be a family other viewers know too (not Qt's "Sans Serif" alias).
    painter.setFont(Fonts.get().body)
    painter.setRenderHints(
        QPainter.RenderHint.Antialiasing
        | QPainter.RenderHint.TextAntialiasing
        | QPainter.RenderHint.SmoothPixmapTransform
    )


def _dpi() -> int:
    """The screen's logical DPI: item fonts are measured with it."""
    screen = QGuiApplication.primaryScreen()
    return round(screen.logicalDotsPerInchY()) if screen is not None else 96


def _dots_per_meter(scale: float) -> int:
    return max(1, round(_dpi() * scale / 0.0254))


def _title(scene: GraphScene, path: Path) -> str:
    title = scene.graph.extra.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    return f"{Path(scene.document.name).stem or path.stem} — dvar diagram"


def _description(scene: GraphScene, values: bool) -> str:
    count = sum(1 for item in scene.nodes.values() if item.isVisible())
    text = f"Computation graph with {count} node{'s' * (count != 1)}, drawn by dvar"
    evaluation = scene.document.evaluation
    output = evaluation.output
    if values and output is not None:
        text += f"; output {output} = {core.format_number(evaluation.values[output])}"
    return text + "."
