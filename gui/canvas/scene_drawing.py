"""How the canvas scene is drawn: its edges, and its nodes at each zoom.

Edges are drawn by the scene, not as items: settled edges in the background layer,
which views cache, so an edit that changes numbers never redraws the long curves.
Edges whose nodes are moving are "live": drawn over the cached background, so each
step of a drag repaints those few edges along their length and nothing else.  They
settle back a moment after the last move.  Nodes keep their looks as pixmaps while
the views are zoomed in far enough for text, and overviews draw them as plain blocks.
:class:`SceneDrawing` is the part of :class:`~dvar.gui.canvas.scene.GraphScene` that
does this.

It imports Qt's painting classes and the canvas's edge items and look.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem

from dvar.gui.canvas.edges import EdgeItem
from dvar.gui.canvas.look import TEXT_LOD, Look

#: Milliseconds after the last move before moving edges settle into the background.
SETTLE_MS = 300


class SceneDrawing:
    """The drawing side of the scene (mixed into GraphScene)."""

    def redraw_background(self) -> None:
        """Draw every view's cached background (the edges) again, as far as it shows.

        Invalidating the whole scene rectangle instead would make each view draw the
        grid and every edge of the graph once, far outside what it shows.
        """
        for view in self.views():
            view.resetCachedContent()
            view.viewport().update()

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        """The settled edges crossing ``rect``."""
        edges = [
            item
            for item in self.items(rect, Qt.ItemSelectionMode.IntersectsItemBoundingRect)
            if isinstance(item, EdgeItem) and not item.live
        ]
        self.draw_edges(painter, rect, edges)

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:
        """The live edges crossing ``rect``."""
        if self.live_edges:
            self.draw_edges(painter, rect, self.live_edges)

    def draw_edges(
        self, painter: QPainter, rect: QRectF, edges: Iterable[EdgeItem] | None = None
    ) -> None:
        """Draw those of ``edges`` (default: all) that cross ``rect``, highlighted ones last."""
        if edges is None:
            edges = [*self.edges.values(), *self.group_edges.values()]
        shown = [edge for edge in edges if edge.isVisible() and edge.crosses(rect)]
        if not shown:
            return
        lod = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        look = Look.get()
        painter.save()
        if lod >= TEXT_LOD:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        dimmed = self.document.overlay.spotlight is not None  # a lesson dims some edges
        for edge in sorted(shown, key=lambda e: e.isSelected() or e.highlighted):
            if dimmed:
                painter.setOpacity(edge.opacity())
            edge.draw(painter, lod, look)
        painter.restore()

    def lift_edges(self, edges: list[EdgeItem]) -> None:
        """These edges are about to move: take them out of the cached background."""
        if self.bulk:
            return
        for edge in edges:
            if not edge.live:
                edge.redraw()  # clears it from the background
                edge.live = True
                self.live_edges.add(edge)
        self._settle_timer.start()
        self.overview_changed.emit()

    def settle_edges(self) -> None:
        """Put every live edge back into the cached background layer."""
        self._settle_timer.stop()
        edges, self.live_edges = self.live_edges, set()
        for edge in edges:
            edge.live = False
            if edge.scene() is self:
                edge.redraw()  # draws it into the background, and clears it from above

    def draw_node_blocks(self, painter: QPainter) -> None:
        """Every node as a plain block in its colour (for overviews): one call per colour."""
        look = Look.get()
        blocks: dict[int, tuple[QColor, list[QRectF]]] = {}
        for item in [*self.nodes.values(), *self.group_items.values()]:
            if item.isVisible():
                color = item.block_color(look)
                rects = blocks.setdefault(color.rgba(), (color, []))[1]
                rects.append(QRectF(item.x(), item.y(), item.width, item.height))
        painter.setPen(look.no_pen)
        for color, rects in blocks.values():
            painter.setBrush(color)
            painter.drawRects(rects)

    def restyle(self) -> None:
        """The colours changed (theme or system scheme): nodes drop their cached looks.
        (Each view throws away its cached background itself.)"""
        for item in [*self.nodes.values(), *self.group_items.values()]:
            item.update()

    def set_text_readable(
        self, readable: bool, cached: bool | None = None, names: bool | None = None
    ) -> None:
        """The canvas is zoomed in far enough for nodes' numbers to show (``readable``:
        in their full look or as a block's value line), or not; ``names``: far enough
        for blocks' names at least; ``cached``: keep node looks as pixmaps (see
        cache_node_looks).  Both default to ``readable``.

        Where numbers do not show, a new number changes nothing on screen, so the node
        is not repainted until the view shows them again (which repaints everything);
        where names show, a renamed node is.
        """
        self.text_readable = readable
        self.names_readable = readable if names is None else names
        self.cache_node_looks(readable if cached is None else cached)

    def cache_node_looks(self, on: bool) -> None:
        """Keep each node's look as a pixmap (on) or paint it every time (off).

        Worth it when nodes show text: a node repainted because something moved over
        it is then copied, not drawn.  Views turn it on when zoomed in far enough for
        text (a block's name at least), and off when zoomed out further (thousands of
        tiny pixmaps would cost more than plain blocks); vector exports turn it off,
        or nodes would become pictures.
        """
        modes = QGraphicsItem.CacheMode
        mode = modes.DeviceCoordinateCache if on else modes.NoCache
        if mode != self._node_cache:
            self._node_cache = mode
            for item in [*self.nodes.values(), *self.group_items.values()]:
                item.setCacheMode(mode)

    @property
    def node_looks_cached(self) -> bool:
        return self._node_cache != QGraphicsItem.CacheMode.NoCache

    def shown_rect(self) -> QRectF | None:
        """The part of the canvas some view shows (None: draw as if all of it)."""
        rect = QRectF()
        for view in self.views():
            if view.isVisible() and not getattr(view, "is_overview", False):
                rect = rect.united(view.mapToScene(view.viewport().rect()).boundingRect())
        return None if rect.isEmpty() else rect

    def shown_scale(self) -> float:
        """How many screen pixels a scene unit takes in the views (the largest; 1 with none)."""
        scales = [
            view.transform().m11()
            for view in self.views()
            if view.isVisible() and not getattr(view, "is_overview", False)
        ]
        return max(scales, default=1.0) or 1.0
