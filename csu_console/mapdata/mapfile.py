"""The console's compact offline map file (``.csumap``): write it from OSM, query it by view.

FORMAT v1 is an SQLite file (``PRAGMA user_version = 1``):

``meta(key, value)``
    ``format`` = ``csumap``, ``version`` = ``1``, ``source`` (file name of the extract),
    ``bbox`` = ``minlon,minlat,maxlon,maxlat``, ``attribution``, ``created_at`` (UTC ISO).
``features(id, layer, class, name, kind, minzoom, coords, rings)``
    ``layer``: road | building | water | park | rail; ``class``: the OSM value (see
    :mod:`.classify`, which also gives ``minzoom``); ``kind``: line | polygon; ``coords``:
    little-endian float64 (x, y) pairs in Web Mercator metres, all rings concatenated;
    ``rings``: little-endian uint32 point counts (outer ring first, then holes), NULL for
    lines. Ids follow drawing order (water, park, building, rail, roads small to large),
    so ``ORDER BY id`` is the painter's order.
``features_rtree(id, minx, maxx, miny, maxy)``
    SQLite R*Tree of the feature bounding boxes in Web Mercator metres, same ids.
``addresses(id, street, housenumber, lon, lat)``
    The address index (:mod:`.addresses`): house numbers and named streets
    (``housenumber`` NULL) in WGS84 degrees; meta ``addresses`` = its row count. A file
    written before the index has neither: it still draws, and the console re-imports
    it from its extract when it has one (:func:`~.site_map.ensure_map`).
"""

from __future__ import annotations

import os
import sqlite3
import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from csu_console.errors import MapDataError
from csu_console.mapdata.addresses import META_KEY as ADDRESSES_META
from csu_console.mapdata.addresses import Address, read_addresses, write_addresses
from csu_console.mapdata.mercator import lonlat_to_mercator

__all__ = ["FORMAT_VERSION", "Feature", "ImportReport", "MapFile", "import_osm", "write_map"]

FORMAT_VERSION = 1
ATTRIBUTION = "© OpenStreetMap contributors"
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE features (
    id INTEGER PRIMARY KEY,
    layer TEXT NOT NULL,
    class TEXT NOT NULL,
    name TEXT,
    kind TEXT NOT NULL,
    minzoom INTEGER NOT NULL,
    coords BLOB NOT NULL,
    rings BLOB
);
CREATE INDEX features_layer ON features (layer, minzoom);
CREATE VIRTUAL TABLE features_rtree USING rtree (id, minx, maxx, miny, maxy);
"""
_XY = struct.Struct("<dd")

Point = tuple[float, float]
BBox = tuple[float, float, float, float]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportReport:
    """What :func:`import_osm` did: features written per layer, time taken, file size."""

    path: Path
    counts: dict[str, int]
    elapsed_s: float
    size_bytes: int
    bbox: BBox
    #: Rows of the address index: house numbers and named streets.
    addresses: int = 0

    def summary(self) -> str:
        """French one-line summary, e.g. ``1234 routes, 433 bâtiments, …``."""
        names = [
            ("road", "route", "routes"),
            ("building", "bâtiment", "bâtiments"),
            ("water", "surface en eau", "surfaces en eau"),
            ("park", "espace vert", "espaces verts"),
            ("rail", "voie ferrée", "voies ferrées"),
        ]
        parts = []
        for layer, one, many in names:
            n = self.counts.get(layer, 0)
            parts.append(f"{n} {many if n > 1 else one}")
        parts.append(f"{self.addresses} adresses et rues (recherche d'adresse)")
        return ", ".join(parts)


def import_osm(
    pbf_path: str | Path,
    out_path: str | Path,
    bbox: BBox | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Turn an ``.osm.pbf`` extract into a ``.csumap`` file (see :mod:`.osm_import`).

    ``bbox`` (min lon, min lat, max lon, max lat) keeps only features that meet it;
    ``progress`` is called with (done, total). Raises :class:`MapDataError`.
    """
    from csu_console.mapdata.osm_import import run_import

    return run_import(Path(pbf_path), Path(out_path), bbox, progress)


class Feature:
    """One map feature as read back; coordinates are Web Mercator metres.

    ``coords`` (a list of (x, y)) is decoded on first access, so a caller that keeps its
    own per-``id`` cache of drawn shapes pays only for new features; ``coords_blob`` is the
    raw little-endian float64 data. ``rings`` holds the point count of each ring of a
    polygon (outer first, then holes); it is empty for a line.
    """

    __slots__ = ("_coords", "cls", "coords_blob", "id", "kind", "layer", "minzoom", "name", "rings")

    def __init__(
        self,
        id: int,
        layer: str,
        cls: str,
        name: str | None,
        kind: str,
        minzoom: int,
        coords_blob: bytes,
        rings: tuple[int, ...],
    ) -> None:
        self.id = id
        self.layer = layer
        self.cls = cls
        self.name = name
        self.kind = kind
        self.minzoom = minzoom
        self.coords_blob = coords_blob
        self.rings = rings
        self._coords: list[Point] | None = None

    def __repr__(self) -> str:
        return f"Feature({self.id}, {self.layer}/{self.cls}, {self.name!r}, {self.kind})"

    @property
    def coords(self) -> list[Point]:
        """All points, (x, y) in metres, rings concatenated."""
        if self._coords is None:
            self._coords = list(_XY.iter_unpack(self.coords_blob))
        return self._coords

    def parts(self) -> list[list[Point]]:
        """The polygon's rings as separate point lists (a line gives one part)."""
        if not self.rings:
            return [self.coords]
        out: list[list[Point]] = []
        start = 0
        for count in self.rings:
            out.append(self.coords[start : start + count])
            start += count
        return out


@dataclass(frozen=True)
class NewFeature:
    """A feature about to be written: style fields and rings of (x, y) in metres."""

    layer: str
    cls: str
    name: str | None
    kind: str
    minzoom: int
    rings: list[list[Point]]


def _pack(feature: NewFeature) -> tuple[bytes, bytes | None, tuple[float, float, float, float]]:
    flat = [c for ring in feature.rings for point in ring for c in point]
    coords = struct.pack(f"<{len(flat)}d", *flat)
    rings = None
    if feature.kind == "polygon":
        rings = struct.pack(f"<{len(feature.rings)}I", *(len(r) for r in feature.rings))
    xs, ys = flat[0::2], flat[1::2]
    return coords, rings, (min(xs), max(xs), min(ys), max(ys))


def write_map(
    out_path: Path,
    features: Sequence[NewFeature],
    meta: dict[str, str],
    addresses: Sequence[Address] = (),
) -> None:
    """Write a complete map file atomically (a temporary file, then a rename).

    ``features`` must already be in drawing order; ids are given from 1 in that order.
    ``addresses``: the address index (always written, empty when none).
    """
    tmp = out_path.with_name(out_path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    meta = {"format": "csumap", "version": str(FORMAT_VERSION), "attribution": ATTRIBUTION} | meta
    meta[ADDRESSES_META] = str(len(addresses))
    try:
        conn = sqlite3.connect(tmp)
        try:
            conn.executescript("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;" + SCHEMA)
            conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            rows, boxes = [], []
            for fid, feature in enumerate(features, 1):
                coords, rings, box = _pack(feature)
                f = feature
                rows.append((fid, f.layer, f.cls, f.name, f.kind, f.minzoom, coords, rings))
                boxes.append((fid, *box))
            conn.executemany("INSERT INTO features VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            conn.executemany("INSERT INTO features_rtree VALUES (?, ?, ?, ?, ?)", boxes)
            write_addresses(conn, addresses)
            conn.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
            conn.commit()
        finally:
            conn.close()
        os.replace(tmp, out_path)
    except (sqlite3.Error, OSError) as exc:
        tmp.unlink(missing_ok=True)
        raise MapDataError(f"impossible d'écrire la carte {out_path} : {exc}") from exc


def _uints(blob: bytes | None) -> tuple[int, ...]:
    if blob is None:
        return ()
    return struct.unpack(f"<{len(blob) // 4}I", blob)


class MapFile:
    """A ``.csumap`` file opened read-only. Use it from one thread; ``close()`` when done.

    Raises :class:`MapDataError` (French message) if the file is missing, is not a map
    file, or has a newer format version.
    """

    _QUERY = (
        "SELECT f.id, f.layer, f.class, f.name, f.kind, f.minzoom, f.coords, f.rings"
        " FROM features AS f WHERE f.id IN (SELECT id FROM features_rtree"
        " WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?)"
        " AND f.minzoom <= ? ORDER BY f.id"
    )

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise MapDataError(f"carte introuvable : {self.path}")
        uri = self.path.resolve().as_uri() + "?mode=ro"
        try:
            self._conn = sqlite3.connect(uri, uri=True)
        except sqlite3.Error as exc:
            raise MapDataError(f"impossible d'ouvrir la carte {self.path} : {exc}") from exc
        try:
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            self.meta: dict[str, str] = dict(self._conn.execute("SELECT key, value FROM meta"))
        except sqlite3.Error as exc:
            self._conn.close()
            raise MapDataError(f"{self.path.name} n'est pas une carte CSU (.csumap)") from exc
        if self.meta.get("format") != "csumap":
            self._conn.close()
            raise MapDataError(f"{self.path.name} n'est pas une carte CSU (.csumap)")
        if version > FORMAT_VERSION:
            self._conn.close()
            raise MapDataError(
                f"{self.path.name} : format de carte {version} plus récent que cette console "
                f"({FORMAT_VERSION}) ; mettez la console à jour"
            )
        self.bbox = _parse_bbox(self.meta.get("bbox", ""))

    @property
    def bbox_mercator(self) -> tuple[float, float, float, float]:
        """(min x, min y, max x, max y) of the map's extent in Web Mercator metres."""
        minx, miny = lonlat_to_mercator(self.bbox[0], self.bbox[1])
        maxx, maxy = lonlat_to_mercator(self.bbox[2], self.bbox[3])
        return minx, miny, maxx, maxy

    def query(
        self, minx: float, miny: float, maxx: float, maxy: float, zoom: float
    ) -> list[Feature]:
        """Features whose bbox meets the view and whose minzoom ≤ ``zoom``, in drawing order."""
        try:
            rows: Iterable[Any] = self._conn.execute(self._QUERY, (minx, maxx, miny, maxy, zoom))
            out = [
                Feature(fid, layer, cls, name, kind, minzoom, coords, _uints(rings))
                for fid, layer, cls, name, kind, minzoom, coords, rings in rows
            ]
        except sqlite3.Error as exc:
            raise MapDataError(f"carte illisible {self.path.name} : {exc}") from exc
        return out

    @property
    def has_addresses(self) -> bool:
        """True when the file was written with the address index (even an empty one)."""
        return ADDRESSES_META in self.meta

    def addresses(self) -> list[Address]:
        """The address index ([] for a file written before it)."""
        try:
            return read_addresses(self._conn)
        except sqlite3.Error as exc:
            raise MapDataError(f"carte illisible {self.path.name} : {exc}") from exc

    def count(self) -> dict[str, int]:
        """Number of features per layer."""
        return dict(self._conn.execute("SELECT layer, count(*) FROM features GROUP BY layer"))

    def close(self) -> None:
        """Close the SQLite connection."""
        self._conn.close()

    def __enter__(self) -> MapFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _parse_bbox(text: str) -> tuple[float, float, float, float]:
    try:
        a, b, c, d = (float(v) for v in text.split(","))
    except ValueError:
        raise MapDataError(f"carte CSU : emprise illisible {text!r}") from None
    return a, b, c, d


def created_now() -> str:
    """The ``created_at`` meta value: now, UTC, ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")
