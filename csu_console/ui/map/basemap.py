"""The vector basemap layer: features of the visible rect, fetched off the GUI thread.

The view tells :class:`BasemapLayer` which rectangle it shows and at what zoom; the
layer asks its :class:`BasemapSource` (a ``MapFile``) for that rectangle only, in one
worker thread, which also turns the features into one ``QPainterPath`` per style.
The result comes back as a Qt signal and replaces what :class:`BasemapItem` paints,
so the GUI thread never does work that grows with the size of the commune.
"""

from __future__ import annotations

import functools
import itertools
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QObject, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath

from csu_console.ui.map.basemap_style import LABEL_MIN_ZOOM, STYLES, FeatureStyle, style_for
from csu_console.ui.map.projection import MercatorBBox, scale_for_zoom
from csu_console.ui.offthread import LatestResult
from csu_console.ui.pacing import GUI_LOAD, NO_PAUSE, GuiLoad

log = logging.getLogger("csu.ui.map")

#: Fraction of the view's size fetched around it, so a small pan needs no new query.
PREFETCH = 0.25


class BasemapFeature(Protocol):
    """What the layer needs from a ``csu_console.mapdata.mapfile.Feature``."""

    @property
    def layer(self) -> str: ...
    @property
    def cls(self) -> str: ...
    @property
    def name(self) -> str | None: ...
    @property
    def kind(self) -> str: ...
    @property
    def coords(self) -> Sequence[tuple[float, float]]: ...
    @property
    def rings(self) -> Sequence[int] | None: ...


class VectorSource(Protocol):
    """What the layer needs from a ``csu_console.mapdata.mapfile.MapFile``."""

    @property
    def bbox_mercator(self) -> MercatorBBox: ...

    def query(
        self, minx: float, miny: float, maxx: float, maxy: float, zoom: int
    ) -> Sequence[BasemapFeature]: ...


@runtime_checkable
class RasterSource(Protocol):
    """What the layer needs from a ``csu_console.mapdata.mbtiles.MBTiles``.

    ``tiles_for`` returns (zoom, x, y XYZ, encoded PNG/JPEG) of the tiles covering the
    mercator box; the worker decodes and draws them instead of vector features.
    """

    @property
    def bbox_mercator(self) -> MercatorBBox: ...

    def tiles_for(
        self, minx: float, miny: float, maxx: float, maxy: float, zoom: int
    ) -> Sequence[tuple[int, int, int, bytes]]: ...


BasemapSource = VectorSource | RasterSource
"""A vector map file or a raster tile file."""


@dataclass(frozen=True)
class RoadLabel:
    """A street name at a point of its road, with the road's direction there."""

    text: str
    at: QPointF
    angle_deg: float


@dataclass(frozen=True)
class StaticShape:
    """A shape painted into the basemap image (zones, fields of view): static, cheap.

    Translucent fills and long outlines over the whole view cost a frame budget on
    the GUI thread; in the image they cost nothing per frame.
    """

    path: QPainterPath
    fill: QColor
    outline: QColor
    min_zoom: float = 0.0
    width_px: float = 1.0


@dataclass(frozen=True)
class StaticIcons:
    """The same icon at many scene points, painted into the basemap image (cameras).

    ``paint`` draws the icon around (0, 0) in pixels; it runs in the worker thread, on
    a ``QImage``, so it must only use the painter it is given.
    """

    paint: Callable[[QPainter], None]
    points: tuple[QPointF, ...]


@dataclass
class BasemapGeometry:
    """What one query produced, ready to paint (scene coordinates)."""

    #: Short paths, in drawing order: a style comes in several (see CHUNK_ELEMENTS).
    paths: list[tuple[FeatureStyle, QPainterPath]] = field(default_factory=list)
    labels: list[RoadLabel] = field(default_factory=list)
    bbox: MercatorBBox = (0.0, 0.0, 0.0, 0.0)
    zoom: int = 0
    feature_count: int = 0
    #: The geometry painted over ``bbox`` at ``scale`` pixels per metre (worker-made).
    image: QImage | None = None
    scale: float = 0.0
    extras: tuple[StaticShape, ...] = ()
    icons: tuple[StaticIcons, ...] = ()
    #: Decoded raster tiles with their mercator bbox, painted under everything else.
    tiles: list[tuple[MercatorBBox, QImage]] = field(default_factory=list)


#: Raster tile formats by their first bytes (MBTiles holds PNG, JPEG or WebP).
_MAGIC = ((b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"RIFF", "WEBP"))


def tile_format(data: bytes) -> str | None:
    """The image format of a raster tile from its signature, None for anything else."""
    for magic, name in _MAGIC:
        if data.startswith(magic) and (name != "WEBP" or data[8:12] == b"WEBP"):
            return name
    return None


def decode_tiles(tiles: Sequence[tuple[int, int, int, bytes]]) -> list[tuple[MercatorBBox, QImage]]:
    """Decode raster tiles (worker thread: ``QImage`` needs no GUI thread).

    Tiles that do not decode are skipped (logged).
    """
    from csu_console.mapdata.mbtiles import tile_bounds

    decoded: list[tuple[MercatorBBox, QImage]] = []
    for z, x, y, data in tiles:
        kind = tile_format(data)
        # Always with its format: left to guess, QImageReader asks every plugin, and
        # the SVG one connects a signal (Qt's connection lock) while this thread holds
        # the GIL — the GUI thread, disconnecting, waited for the GIL: the console froze
        # (seen once in a whole test run).
        image = QImage()
        if kind is not None:
            image.loadFromData(data, kind)
        if image.isNull():
            log.debug("raster tile %d/%d/%d: undecodable", z, x, y)
            continue
        decoded.append((tile_bounds(z, x, y), image))
    return decoded


def _parts(feature: BasemapFeature) -> list[Sequence[tuple[float, float]]]:
    coords = feature.coords
    if not feature.rings:
        return [coords]
    parts: list[Sequence[tuple[float, float]]] = []
    start = 0
    for count in feature.rings:
        parts.append(coords[start : start + count])
        start += count
    return parts


def _label_for(feature: BasemapFeature) -> RoadLabel | None:
    coords = feature.coords
    if not feature.name or len(coords) < 2:
        return None
    mid = (len(coords) - 1) // 2
    (x1, y1), (x2, y2) = coords[mid], coords[mid + 1]
    angle = math.degrees(math.atan2(-(y2 - y1), x2 - x1))
    if angle > 90:
        angle -= 180
    elif angle < -90:
        angle += 180
    at = QPointF((x1 + x2) / 2, -(y1 + y2) / 2)
    return RoadLabel(feature.name, at, angle)


#: A style's features are drawn in pieces of at most this many path elements, each
#: covering about one cell of :data:`CHUNK_PX` pixels: PySide keeps the GIL during a
#: ``drawPath``, and one path per style held it up to 90 ms in the worker, which the
#: GUI thread, waiting to run any Python, felt as a frozen screen. In pieces, every
#: call is short and the GIL changes hands between them (all styles are opaque, so
#: the picture is the same).
CHUNK_ELEMENTS = 200
CHUNK_PX = 384
#: Features turned into paths between two pause points.
PAUSE_EVERY = 200


def _new_path() -> QPainterPath:
    # Non-zero winding with outer rings and holes turning opposite ways: areas that
    # overlap (two parks) add up, holes stay holes. The even-odd default cut every
    # overlap out of a path that holds many areas.
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.WindingFill)
    return path


def _signed_area(ring: Sequence[tuple[float, float]]) -> float:
    total = 0.0
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        total += x1 * y2 - x2 * y1
    x1, y1 = ring[-1]
    x2, y2 = ring[0]
    return total + x1 * y2 - x2 * y1


def build_geometry(
    features: Sequence[BasemapFeature],
    bbox: MercatorBBox,
    zoom: int,
    pause: Callable[[], None] = NO_PAUSE,
) -> BasemapGeometry:
    """Group features into short paths per style and place (runs in the worker thread;
    ``pause`` every :data:`PAUSE_EVERY` features)."""
    pieces: dict[tuple[FeatureStyle, int, int], list[QPainterPath]] = {}
    labels: list[RoadLabel] = []
    seen_names: set[str] = set()
    cell_m = CHUNK_PX / scale_for_zoom(zoom + 0.5)
    for n, feature in enumerate(features, 1):
        if n % PAUSE_EVERY == 0:
            pause()
        style = style_for(feature.layer, feature.cls, feature.kind)
        if style is None or zoom < style.min_zoom or not feature.coords:
            continue
        x0, y0 = feature.coords[0]
        key = (style, math.floor(x0 / cell_m), math.floor(y0 / cell_m))
        chunk = pieces.get(key)
        if chunk is None:
            chunk = pieces[key] = [_new_path()]
        path = chunk[-1]
        if path.elementCount() >= CHUNK_ELEMENTS:
            path = _new_path()
            chunk.append(path)
        polygon = feature.kind == "polygon"
        for ring, points in enumerate(_parts(feature)):
            if len(points) < 2:
                continue
            part = points
            if polygon and (_signed_area(points) > 0) != (ring == 0):
                part = points[::-1]  # outer ring one way, holes the other
            path.moveTo(part[0][0], -part[0][1])
            for x, y in part[1:]:
                path.lineTo(x, -y)
            if polygon:
                path.closeSubpath()
        if feature.layer == "road" and zoom >= LABEL_MIN_ZOOM and feature.name:
            # One label per street and query: the longest streets come in many ways.
            label = _label_for(feature) if feature.name not in seen_names else None
            if label is not None:
                seen_names.add(feature.name)
                labels.append(label)
    by_style: dict[FeatureStyle, list[QPainterPath]] = {}
    for (style, _cx, _cy), chunk in pieces.items():
        by_style.setdefault(style, []).extend(p for p in chunk if not p.isEmpty())
    ordered = [(s, p) for s in STYLES for p in by_style.get(s, ())]
    return BasemapGeometry(ordered, labels, bbox, zoom, len(features))


class BasemapLayer(QObject):
    """Fetches the basemap of the view's rect in a worker thread (newest request wins).

    ``geometry_ready`` carries a :class:`BasemapGeometry`; ``query_failed`` a French
    message when the map file cannot be read (logged, the previous map stays).
    """

    geometry_ready = Signal(object)
    query_failed = Signal(str)

    def __init__(
        self,
        source: BasemapSource | None,
        parent: QObject | None = None,
        load: GuiLoad = GUI_LOAD,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._load = load
        self._work = LatestResult("basemap", self)
        self._generation = 0
        self._shown = 0
        self._last: tuple[MercatorBBox, int, float] | None = None
        self._extras: tuple[StaticShape, ...] = ()
        self._icons: tuple[StaticIcons, ...] = ()

    @property
    def source(self) -> BasemapSource | None:
        """The map file drawn (None: no basemap)."""
        return self._source

    @property
    def pending(self) -> bool:
        """True while the newest request's result has not been drawn yet."""
        return self._shown < self._generation and self._last is not None

    def set_extras(
        self, extras: tuple[StaticShape, ...], icons: tuple[StaticIcons, ...] = ()
    ) -> None:
        """Shapes and icons painted over the basemap in the image (from the next request)."""
        self._extras, self._icons = extras, icons
        self._last = None

    def set_source(self, source: BasemapSource | None) -> None:
        """Draw another map file (the next :meth:`request` fetches from it)."""
        self._source = source
        self._last = None

    def request(self, visible: MercatorBBox, zoom: int, scale: float) -> bool:
        """Fetch and render what ``visible`` needs at ``zoom``, ``scale`` pixels per metre.

        Returns False when the last request covers it (same zoom and scale).
        """
        if (self._source is None and not self._extras and not self._icons) or not scale > 0:
            return False
        if self._last is not None:
            (lx0, ly0, lx1, ly1), lzoom, lscale = self._last
            x0, y0, x1, y1 = visible
            same = lzoom == zoom and abs(lscale - scale) <= 1e-9 * scale
            if same and lx0 <= x0 and ly0 <= y0 and x1 <= lx1 and y1 <= ly1:
                return False
        x0, y0, x1, y1 = visible
        dx, dy = (x1 - x0) * PREFETCH, (y1 - y0) * PREFETCH
        bbox = (x0 - dx, y0 - dy, x1 + dx, y1 + dy)
        self._last = (bbox, zoom, scale)
        self._generation += 1
        # Not started yet: the newest request replaces it (a running one finishes).
        self._work.submit(
            functools.partial(
                self._fetch, self._source, bbox, zoom, scale, self._extras, self._icons, self._load
            ),
            functools.partial(self._on_geometry, self._generation),
            self._on_failed,
        )
        return True

    def shutdown(self) -> None:
        """Wait for the worker and stop it (a later request starts a new one)."""
        self._work.reset()
        self._last = None

    @staticmethod
    def _fetch(
        source: BasemapSource | None,
        bbox: MercatorBBox,
        zoom: int,
        scale: float,
        extras: tuple[StaticShape, ...],
        icons: tuple[StaticIcons, ...],
        load: GuiLoad,
    ) -> BasemapGeometry:
        from csu_console.ui.map.basemap_render import render_image

        pause = load.pacer()  # gives way to the GUI thread in a storm
        if isinstance(source, RasterSource):
            geometry = build_geometry([], bbox, zoom)
            geometry.tiles = decode_tiles(source.tiles_for(*bbox, zoom))
        else:
            features = source.query(*bbox, zoom) if source is not None else []
            pause()
            geometry = build_geometry(features, bbox, zoom, pause)
        geometry.extras, geometry.icons = extras, icons
        geometry.image = render_image(geometry, scale, pause)
        geometry.scale = scale
        return geometry

    def _on_failed(self, exc: BaseException) -> None:
        log.warning("basemap query failed: %r", exc)
        self._last = None
        self.query_failed.emit(f"Lecture du fond de carte impossible : {exc}")

    def _on_geometry(self, generation: int, geometry: BasemapGeometry) -> None:
        if generation <= self._shown:
            return  # older than what is drawn: a newer result overtook it
        self._shown = generation
        self.geometry_ready.emit(geometry)
