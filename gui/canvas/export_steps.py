"""Exporting a pass step by step: one PDF page per step, or an animated GIF.

Each frame is the diagram as the step-through shows it (an overlay per step, from
``gui.teach.teaching.step_frames``) with the step's caption under it.  The drawing
itself is ``gui.canvas.export``'s; this module lays the frames out and writes them.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QRectF,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QFontMetricsF,
    QImage,
    QPainter,
)

from dvar.gui.canvas.export import (
    FRAME_MS,
    MARGIN,
    STEP_FORMATS,
    ExportResult,
    Frame,
    _check_scale,
    _light_look,
    _write_atomic,
    clean_diagram,
)
from dvar.gui.canvas.export_formats import (
    ExportError,
    _capped_scale,
    _dpi,
    _hints,
    _pixels,
    _png_bytes,
    start_pdf,
)
from dvar.gui.canvas.look import Fonts
from dvar.gui.canvas.scene import GraphScene

#: The most frames a step export draws (the start and 500 steps).
MAX_STEP_FRAMES = 501
#: A GIF's frames together never hold more pixels than this (memory while assembling).
MAX_GIF_PIXELS = 256 * 1024 * 1024


def step_format_of(path: Path) -> str:
    """ "pdf" or "gif" from the file's extension; ExportError for any other."""
    fmt = STEP_FORMATS.get(path.suffix.lower())
    if fmt is None:
        given = f"'{path.suffix}'" if path.suffix else "no extension"
        raise ExportError(
            f"{path}: steps cannot be exported to {given}; name the file .pdf (a page per "
            "step) or .gif (an animation)"
        )
    return fmt


def export_steps(
    scene: GraphScene,
    frames: Sequence[Frame],
    out: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    scale: float = 2.0,
    frame_ms: int = FRAME_MS,
    values: bool = True,
    selection_only: bool = False,
) -> ExportResult:
    """Write each step as the step-through shows it, its caption under the picture:
    one PDF page per step, or one GIF frame per step (``frame_ms`` each, the last
    three times as long).  Every frame has the same size.  With ``selection_only``,
    only the steps at the selected nodes are drawn, after the start.  The document's overlay is
    put back afterwards.  Raises ExportError."""
    path = Path(out)
    fmt = fmt.lower() if fmt else step_format_of(path)
    if fmt not in STEP_FORMATS.values():
        raise ExportError(f"{path}: steps are exported as pdf or gif, not {fmt!r}")
    if selection_only:  # only the steps at the chosen nodes (and the start)
        chosen = set(scene.selected_with_chips())
        frames = [f for f in frames if f[0].current is None or f[0].current in chosen]
    if not frames:
        raise ExportError(f"{path}: nothing to draw: there are no steps")
    if len(frames) > MAX_STEP_FRAMES:
        raise ExportError(
            f"{path}: the pass has {len(frames) - 1:,} steps, more than the "
            f"{MAX_STEP_FRAMES - 1:,} a step export draws; choose a part of the graph "
            "(--only, or Selection only)"
        )
    if not (isinstance(frame_ms, int) and 10 <= frame_ms <= 600_000):
        raise ExportError(f"{path}: the frame time must be 10 to 600000 ms, not {frame_ms}")
    _check_scale(path, scale)
    document = scene.document
    saved = document.overlay
    try:
        with _light_look():
            source = QRectF()
            for overlay, _ in frames:  # one size for all: the union of every step's drawing
                document.set_overlay(overlay)
                with clean_diagram(scene, values, selection_only, path, marks=True) as rect:
                    source = source.united(rect)
            captions = [caption for _, caption in frames]
            caption_height = _caption_height(captions, source.width())
            if fmt == "pdf":
                data, size = _steps_pdf(
                    scene, frames, source, caption_height, values, selection_only, path
                )
                used, warning = 1.0, None
            else:
                data, size, used, warning = _steps_gif(
                    scene,
                    frames,
                    source,
                    caption_height,
                    values,
                    selection_only,
                    path,
                    scale,
                    frame_ms,
                )
    finally:
        document.set_overlay(saved)
    _write_atomic(path, data)
    return ExportResult(path, fmt, size, used, warning)


#: Room round a step's caption, in canvas units.
CAPTION_PAD = 12.0
_CAPTION_FLAGS = Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap


def _caption_height(captions: Sequence[str], width: float) -> float:
    """The height of the tallest caption wrapped to ``width``, with its padding."""
    metrics = QFontMetricsF(Fonts.get().body)
    room = QRectF(0, 0, max(40.0, width - 2 * MARGIN), 1e6)
    tallest = max(metrics.boundingRect(room, _CAPTION_FLAGS, text).height() for text in captions)
    return tallest + 2 * CAPTION_PAD


def _paint_step(
    painter: QPainter,
    scene: GraphScene,
    source: QRectF,
    caption: str,
    caption_height: float,
    values: bool,
    selection_only: bool,
    where: Path,
) -> None:
    """One step in canvas units: the diagram, and its caption under it."""
    painter.fillRect(
        QRectF(0, 0, source.width(), source.height() + caption_height), QColor("white")
    )
    with clean_diagram(scene, values, selection_only, where, marks=True):
        _hints(painter)
        target = QRectF(0, 0, source.width(), source.height())
        scene.render(painter, target, source, Qt.AspectRatioMode.IgnoreAspectRatio)
    painter.setPen(QColor("#202020"))
    painter.setFont(Fonts.get().body)
    box = QRectF(MARGIN, source.height() + CAPTION_PAD, source.width() - 2 * MARGIN, caption_height)
    painter.drawText(box, _CAPTION_FLAGS, caption)


def _steps_pdf(scene, frames, source, caption_height, values, selection_only, path):
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    dpi = _dpi()
    points = (source.width() * 72 / dpi, (source.height() + caption_height) * 72 / dpi)
    writer, painter = start_pdf(buffer, dpi, points, "dvar steps", scene, path)
    try:
        for index, (overlay, caption) in enumerate(frames):
            if index:
                writer.newPage()
            scene.document.set_overlay(overlay)
            _paint_step(
                painter, scene, source, caption, caption_height, values, selection_only, path
            )
    finally:
        painter.end()
    buffer.close()
    size = writer.pageLayout().pageSize().sizePoints()
    return bytes(data.data()), (size.width(), size.height())


def _steps_gif(
    scene, frames, source, caption_height, values, selection_only, path, scale, frame_ms
):
    """PNG frames drawn by Qt, put together by Pillow (Qt writes no GIF)."""
    try:
        from PIL import Image
    except ImportError:
        raise ExportError(f"{path}: writing a GIF needs Pillow: pip install Pillow") from None
    import io

    whole = QRectF(0, 0, source.width(), source.height() + caption_height)
    used, warning = _capped_scale(whole, scale)
    width, height = _pixels(whole, used)
    if width * height * len(frames) > MAX_GIF_PIXELS:
        used *= math.sqrt(MAX_GIF_PIXELS / (width * height * len(frames)))
        width, height = _pixels(whole, used)
        warning = (
            f"{len(frames)} frames at scale {scale:g} would be too big for memory; written "
            f"at scale {used:.3g} ({width:,} × {height:,} px); the PDF keeps every detail"
        )
    pictures = []
    for overlay, caption in frames:
        scene.document.set_overlay(overlay)
        image = QImage(width, height, QImage.Format.Format_RGB32)
        if image.isNull():
            raise ExportError(f"{path}: not enough memory for a {width} × {height} px image")
        image.fill(QColor("white"))  # whole pixels may reach past the drawing's last row
        painter = QPainter(image)
        try:
            painter.scale(used, used)
            _paint_step(
                painter, scene, source, caption, caption_height, values, selection_only, path
            )
        finally:
            painter.end()
        png = _png_bytes(image, used, path)
        pictures.append(
            Image.open(io.BytesIO(png))
            .convert("RGB")
            .convert("P", palette=Image.Palette.ADAPTIVE, colors=256)
        )
    durations = [frame_ms] * (len(pictures) - 1) + [3 * frame_ms]
    buffer = io.BytesIO()
    pictures[0].save(
        buffer,
        format="GIF",
        save_all=True,
        append_images=pictures[1:],
        duration=durations,
        loop=0,
        disposal=1,
    )
    return buffer.getvalue(), (width, height), used, warning
