"""The heatmap: where reports pile up, as a coloured density over the basemap.

:class:`HeatmapLayer` takes points (lon, lat, optional weight) and shows their
kernel density (:mod:`.heatmap_grid`) under every overlay and above the basemap,
with a small legend (« Densité des signalements », the period, the count).

Twenty thousand points must not cost a frame:

- the density is computed in a worker thread, for the visible rectangle and a
  margin around it (:data:`PREFETCH`), once the view has stopped moving
  (:data:`SETTLE_MS`) after a zoom or a pan out of the margin; the newest
  request wins (a queued one is replaced, a result older than the one shown is
  dropped);
- the worker (the console's one "newest result" executor, :mod:`csu_console.ui.offthread`)
  touches no ``QObject``: it fills a numpy array, handed to the GUI thread by a
  queued signal. Nothing the GUI thread ever waits for (the shutdown) needs the
  worker to reach the GUI thread;
- a frame blits the ready image at whole pixels (scaled, without smoothing, only
  for the moment a zoom's new image is on its way); the legend is a cached pixmap.
"""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QLinearGradient, QPainter, QPixmap
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from csu_console.ui.map.basemap_item import BASEMAP_Z
from csu_console.ui.map.heatmap_grid import (
    STOPS,
    DensityImage,
    overall_peak,
    render_density,
    sigma_px,
)
from csu_console.ui.map.map_view import MapView
from csu_console.ui.map.projection import ground_metres_per_mercator_metre
from csu_console.ui.offthread import LatestResult
from csu_console.ui.pixmaps import painted_pixmap

log = logging.getLogger("csu.ui.map")

#: Above the basemap image (zone tints included), under the zones' labels, the
#: partners' areas, the fields of view, the cameras and the alert markers.
HEATMAP_Z = BASEMAP_Z + 10.0
#: Fraction of the view's size computed around it, so that a pan needs no new image.
PREFETCH = 0.35
#: Largest side of a density image, in pixels.
MAX_IMAGE_SIDE = 5000
#: The view must stay still this long before a new density is computed.
SETTLE_MS = 120
_EARTH_R = 6_378_137.0
_MAX_LAT = 85.05112878


def lonlat_to_scene_arrays(
    lon: npt.ArrayLike, lat: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Scene coordinates (Web Mercator metres, Y south) of many points at once, and
    the mask of the valid ones (finite, latitude within the projection)."""
    lo = np.asarray(lon, dtype=np.float64).ravel()
    la = np.asarray(lat, dtype=np.float64).ravel()
    valid = np.isfinite(lo) & np.isfinite(la) & (np.abs(la) <= _MAX_LAT) & (np.abs(lo) <= 180.0)
    lo, la = np.where(valid, lo, 0.0), np.where(valid, la, 0.0)
    x = np.radians(lo) * _EARTH_R
    y = np.log(np.tan(np.pi / 4.0 + np.radians(la) / 2.0)) * _EARTH_R
    return x, -y, valid


@dataclass(frozen=True)
class _Points:
    """The points in scene metres (valid ones only), ready for the worker."""

    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    weights: npt.NDArray[np.float64] | None
    ground: float  # ground metres per Mercator metre at their median latitude
    version: int


@dataclass(frozen=True)
class _Shown:
    """A density image on screen: the array must outlive the QImage wrapping it."""

    density: DensityImage
    image: QImage
    rect: QRectF
    version: int


class HeatmapItem(QGraphicsItem):
    """Blits the latest density image (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(HEATMAP_Z)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._shown: _Shown | None = None
        self._rect = QRectF()

    @property
    def shown(self) -> DensityImage | None:
        """The density drawn now (None: nothing)."""
        return None if self._shown is None else self._shown.density

    def set_shown(self, shown: _Shown | None) -> None:
        """Draw ``shown`` instead of what was drawn."""
        self.prepareGeometryChange()
        self._shown = shown
        self._rect = QRectF() if shown is None else shown.rect
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self._shown is None:
            return
        image = self._shown.image
        t = painter.worldTransform()
        native = abs(t.m11() * self._rect.width() - image.width()) < 0.5
        if native and t.m12() == 0 and t.m21() == 0:
            top_left = t.map(self._rect.topLeft())
            painter.save()
            painter.resetTransform()
            painter.drawImage(QPointF(round(top_left.x()), round(top_left.y())), image)
            painter.restore()
        else:
            # Between a zoom and its new image: the part on screen, scaled without
            # smoothing nor antialiasing (Qt's fast path for scaled images), in
            # device pixels.
            inverse, _ok = t.inverted()
            device = painter.device()
            screen = QRectF(0, 0, device.width(), device.height())
            part = self._rect.intersected(inverse.mapRect(screen))
            if part.isEmpty():
                return
            sx = image.width() / self._rect.width()
            sy = image.height() / self._rect.height()
            source = QRectF(
                (part.left() - self._rect.left()) * sx,
                (part.top() - self._rect.top()) * sy,
                part.width() * sx,
                part.height() * sy,
            )
            target = t.mapRect(part)
            painter.save()
            painter.resetTransform()
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.drawImage(target, image, source)
            painter.restore()


def _compute(
    points: _Points, rect: tuple[float, float, float, float], scale: float, peak: float | None
) -> DensityImage:
    """The worker's job: numpy only (no Qt object, no signal). ``peak``: the colour
    scale's top at this scale, None when not known yet (computed here)."""
    sigma = sigma_px(scale, points.ground)
    if peak is None:
        peak = overall_peak(points.x, points.y, points.weights, scale, sigma)
    return render_density(points.x, points.y, points.weights, rect, scale, sigma, peak)


class HeatmapLayer(QObject):
    """A heatmap of points over ``view`` (off by default: :meth:`set_visible`).

    ``image_shown`` follows each new density drawn (tests, benchmarks).
    """

    image_shown = Signal()

    def __init__(self, view: MapView, parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else view)
        self._view = view
        self.item = HeatmapItem()
        self.item.setVisible(False)
        view.scene().addItem(self.item)
        view.add_foreground(self._paint_legend)
        view.add_stopper(self.shutdown)
        view.view_changed.connect(self._on_view_changed)
        self._visible = False
        self._points: _Points | None = None
        self._version = 0
        self._label = ""
        self._count = 0
        self._legend: QPixmap | None = None
        self._work = LatestResult("heatmap", self)
        self._generation = 0
        self._shown_generation = 0
        self._last: tuple[tuple[float, float, float, float], float, int] | None = None
        #: The colour scale's top per (points version, scale): computed once for all
        #: the pans at that zoom.
        self._peaks: dict[tuple[int, float], float] = {}
        # One request once the view has stopped moving: a zoom moves it several
        # times in one call, a drag or a wheel spin dozens of times a second, and
        # each computation would take the CPU (two cores) and the GIL from the
        # frames of the very movement; meanwhile the ready image is blitted.
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(SETTLE_MS)
        self._soon.timeout.connect(self.refresh)
        #: Computations started and results dropped as stale (tests, the log).
        self.requests = 0
        self.dropped = 0

    # -- API -------------------------------------------------------------------

    def set_points(
        self,
        lon: npt.ArrayLike,
        lat: npt.ArrayLike,
        weights: npt.ArrayLike | None = None,
        label: str = "",
    ) -> None:
        """Show the density of these points (arrays of the same length); ``label``
        names what they are (the period) in the legend. Invalid points (not finite,
        out of the projection, negative weight) are left out, and logged."""
        x, y, valid = lonlat_to_scene_arrays(lon, lat)
        w: npt.NDArray[np.float64] | None = None
        if weights is not None:
            w = np.asarray(weights, dtype=np.float64).ravel()
            if w.shape != x.shape:
                raise ValueError(f"weights: {w.shape[0]} values for {x.shape[0]} points")
            valid &= np.isfinite(w) & (w >= 0)
        if x.shape[0] != np.asarray(lat).size:
            raise ValueError("lon and lat differ in length")
        dropped = int((~valid).sum())
        if dropped:
            log.info("carte de chaleur : %d point(s) invalide(s) ignoré(s)", dropped)
        x, y = x[valid], y[valid]
        w = None if w is None else w[valid]
        lat_valid = np.asarray(lat, dtype=np.float64).ravel()[valid]
        median_lat = float(np.median(lat_valid)) if lat_valid.size else 0.0
        self._version += 1
        self._points = _Points(x, y, w, ground_metres_per_mercator_metre(median_lat), self._version)
        self._label, self._count = label, int(x.shape[0])
        self._legend = None
        self._last = None
        self.refresh()
        self._view.viewport().update()

    def clear(self) -> None:
        """No points: nothing drawn (the legend goes too)."""
        self._version += 1
        self._points = None
        self._label, self._count = "", 0
        self._legend = None
        self._last = None
        self._generation += 1  # whatever is under way is stale
        self.item.set_shown(None)
        self._view.viewport().update()

    def set_visible(self, on: bool) -> None:
        """Show or hide the layer (hidden, it computes nothing)."""
        self._visible = on
        self.item.setVisible(on)
        if on:
            self.refresh()
        self._view.viewport().update()

    def is_visible(self) -> bool:
        """Whether the layer is shown."""
        return self._visible

    @property
    def count(self) -> int:
        """Points shown (the valid ones)."""
        return self._count

    @property
    def label(self) -> str:
        """What the points are (the legend's second line)."""
        return self._label

    @property
    def pending(self) -> bool:
        """True while a computation is due (the view just moved) or the newest one
        has not been drawn yet."""
        if self._soon.isActive():
            return True
        return self._shown_generation < self._generation and self._work.busy

    def shutdown(self) -> None:
        """Wait for the worker and stop it (a later request starts a new one)."""
        self._soon.stop()
        self._work.reset()
        self._last = None

    # -- computing -------------------------------------------------------------

    def _on_view_changed(self) -> None:
        if self._visible and self._points is not None:
            self._soon.start()

    def refresh(self) -> bool:
        """Compute the density of the view (and its margin) now, unless what is drawn
        or under way covers it at this scale; True when a computation was asked for."""
        points = self._points
        view = self._view
        if not self._visible or points is None or view.viewport().width() <= 0:
            return False
        scale = view.transform().m11()
        visible = view.visible_scene_rect()
        if self._last is not None:
            (lx, ly, lw, lh), lscale, version = self._last
            same = abs(lscale - scale) <= 1e-9 * scale and version == points.version
            if same and QRectF(lx, ly, lw, lh).contains(visible):
                return False
        dx, dy = visible.width() * PREFETCH, visible.height() * PREFETCH
        rect = visible.adjusted(-dx, -dy, dx, dy)
        max_side = MAX_IMAGE_SIDE / scale
        if rect.width() > max_side or rect.height() > max_side:
            centre = rect.center()
            w, h = min(rect.width(), max_side), min(rect.height(), max_side)
            rect = QRectF(centre.x() - w / 2, centre.y() - h / 2, w, h)
        # Whole pixels: the blit is then exact.
        left = math.floor(rect.left() * scale) / scale
        top = math.floor(rect.top() * scale) / scale
        width = math.ceil(rect.width() * scale) / scale
        height = math.ceil(rect.height() * scale) / scale
        bounds = (left, top, width, height)
        self._last = (bounds, scale, points.version)
        self._generation += 1
        peak = self._peaks.get((points.version, scale))
        # Not started yet: the newest request replaces it (a running one finishes).
        self._work.submit(
            functools.partial(_compute, points, bounds, scale, peak),
            functools.partial(self._on_density, self._generation, points.version),
            self._on_failed,
        )
        self.requests += 1
        return True

    def _on_density(self, generation: int, version: int, density: DensityImage) -> None:
        """GUI thread: draw a finished density unless newer points or a newer
        request's result made it stale."""
        if generation <= self._shown_generation or version != self._version:
            self.dropped += 1
            return
        self._show(generation, density)

    def _on_failed(self, exc: BaseException) -> None:
        log.warning("carte de chaleur : calcul impossible : %r", exc)
        self._last = None

    def _show(self, generation: int, density: DensityImage) -> None:
        self._shown_generation = generation
        if len(self._peaks) > 64:
            self._peaks.clear()
        self._peaks[(self._version, density.scale)] = density.peak
        h, w = density.pixels.shape
        image = QImage(density.pixels.data, w, h, w * 4, QImage.Format.Format_ARGB32_Premultiplied)
        left, top, width, height = density.rect
        self.item.set_shown(_Shown(density, image, QRectF(left, top, width, height), self._version))
        self.image_shown.emit()

    # -- legend ----------------------------------------------------------------

    def _paint_legend(self, painter: QPainter, viewport: QRectF) -> None:
        if not self._visible or self._points is None:
            return
        if self._legend is None:
            self._legend = self._draw_legend()
        painter.drawPixmap(QPointF(viewport.left() + 10, viewport.top() + 10), self._legend)

    def legend_lines(self) -> Sequence[str]:
        """The legend's text: title, period (if any), count."""
        lines = [self.tr("Densité des signalements")]
        if self._label:
            lines.append(self._label)
        lines.append(self.tr("{n} signalement(s)").format(n=_thousands(self._count)))
        return lines

    def _draw_legend(self) -> QPixmap:
        lines = self.legend_lines()
        title_font, font = QFont(), QFont()
        title_font.setPointSizeF(10.5)
        title_font.setBold(True)
        font.setPointSizeF(9.5)
        tm, fm = QFontMetricsF(title_font), QFontMetricsF(font)
        low, high = self.tr("faible"), self.tr("forte")
        width = max(
            [tm.horizontalAdvance(lines[0])]
            + [fm.horizontalAdvance(s) for s in lines[1:]]
            + [fm.horizontalAdvance(low) + fm.horizontalAdvance(high) + 40, 150.0]
        )
        pad = 8.0
        height = pad + tm.height() + fm.height() * (len(lines) - 1) + 6 + 12 + fm.height() + pad
        w, h = math.ceil(width + 2 * pad), math.ceil(height)

        def draw(p: QPainter) -> None:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(255, 255, 255, 225))
            p.drawRoundedRect(QRectF(0, 0, w, h), 4, 4)
            p.setPen(QColor("#212121"))
            y = pad
            p.setFont(title_font)
            p.drawText(QPointF(pad, y + tm.ascent()), lines[0])
            y += tm.height()
            p.setFont(font)
            for line in lines[1:]:
                p.drawText(QPointF(pad, y + fm.ascent()), line)
                y += fm.height()
            y += 6
            bar = QRectF(pad, y, w - 2 * pad, 12)
            gradient = QLinearGradient(bar.topLeft(), bar.topRight())
            for at, r, g, b, a in STOPS:
                gradient.setColorAt(at, QColor(r, g, b, max(a, 40)))
            p.setBrush(gradient)
            p.setPen(QColor("#9e9e9e"))
            p.drawRect(bar)
            y += 12
            p.setPen(QColor("#212121"))
            p.drawText(QPointF(pad, y + fm.ascent()), low)
            p.drawText(QPointF(w - pad - fm.horizontalAdvance(high), y + fm.ascent()), high)

        return painted_pixmap(w, h, draw, self._view.devicePixelRatioF())


def _thousands(n: int) -> str:
    """``20 000``: French thousands with a narrow no-break space."""
    return f"{n:,}".replace(",", "\u202f")
