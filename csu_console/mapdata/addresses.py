"""The map file's address index: house numbers and street names, for the address search.

Kept by the OSM import beside the drawn features (table ``addresses`` of the
``.csumap``, see :mod:`.mapfile`):

- every node, way or multipolygon with ``addr:street`` and ``addr:housenumber`` gives a
  house number (a way or relation at the mean of its nodes: a building's centre);
- every named street (a ``highway`` way with ``name``) gives one street row, without a
  number, at the middle node of its longest piece — where the map centres when the
  caller knows only the street. ``name:fr`` is kept too when it differs (bilingual
  communes), so either name finds the street.

Coordinates are WGS84 degrees. Searching is :mod:`csu_console.core.address_search`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from csu_console.mapdata.pbf import OsmData

__all__ = ["ADDRESS_SCHEMA", "Address", "collect_addresses", "read_addresses", "write_addresses"]

ADDRESS_SCHEMA = """
CREATE TABLE IF NOT EXISTS addresses (
    id INTEGER PRIMARY KEY,
    street TEXT NOT NULL,
    housenumber TEXT,
    lon REAL NOT NULL,
    lat REAL NOT NULL
);
"""
#: Meta key of a map file written with the address index: how many rows it holds.
META_KEY = "addresses"


@dataclass(frozen=True)
class Address:
    """A house number of a street (``number`` None: the street itself), in degrees."""

    street: str
    number: str | None
    lon: float
    lat: float


def collect_addresses(osm: OsmData) -> list[Address]:
    """The house numbers and named streets of an extract, deduplicated, sorted."""
    found: dict[tuple[str, str | None], Address] = {}
    for address in _numbers(osm):
        found.setdefault((address.street, address.number), address)
    for address in _streets(osm):
        found.setdefault((address.street, None), address)
    return sorted(found.values(), key=lambda a: (a.street, a.number or ""))


def _clean(value: str | None) -> str | None:
    text = " ".join((value or "").split())
    return text or None


def _mean(points: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    if not points:
        return None
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


def _numbers(osm: OsmData) -> Iterator[Address]:
    def make(tags: dict[str, str], where: tuple[float, float] | None) -> Address | None:
        street, number = _clean(tags.get("addr:street")), _clean(tags.get("addr:housenumber"))
        if street is None or number is None or where is None:
            return None
        return Address(street, number, where[0], where[1])

    for nid, tags in osm.node_tags.items():
        if (a := make(tags, osm.nodes.get(nid))) is not None:
            yield a
    way_nodes: dict[int, list[int]] = {}
    for way in osm.ways:
        way_nodes[way.id] = way.refs
        if "addr:housenumber" in way.tags:
            refs = way.refs[:-1] if len(way.refs) > 1 and way.refs[0] == way.refs[-1] else way.refs
            points = [osm.nodes[r] for r in refs if r in osm.nodes]
            if (a := make(way.tags, _mean(points))) is not None:
                yield a
    for rel in osm.relations:
        if "addr:housenumber" not in rel.tags:
            continue
        points = [
            osm.nodes[n]
            for kind, ref, role in rel.members
            if kind == "way" and role != "inner"
            for n in way_nodes.get(ref, ())
            if n in osm.nodes
        ]
        if (a := make(rel.tags, _mean(points))) is not None:
            yield a


def _streets(osm: OsmData) -> Iterator[Address]:
    longest: dict[str, list[tuple[float, float]]] = {}
    for way in osm.ways:
        if "highway" not in way.tags:
            continue
        points = [osm.nodes[r] for r in way.refs if r in osm.nodes]
        if not points:
            continue
        names = {_clean(way.tags.get("name")), _clean(way.tags.get("name:fr"))}
        for name in names - {None}:
            assert name is not None
            if len(points) > len(longest.get(name, ())):
                longest[name] = points
    for name, points in longest.items():
        lon, lat = points[len(points) // 2]
        yield Address(name, None, lon, lat)


def write_addresses(conn: sqlite3.Connection, addresses: Iterable[Address]) -> int:
    """Write the index into an open map file being built; how many rows."""
    conn.executescript(ADDRESS_SCHEMA)
    rows = [(a.street, a.number, a.lon, a.lat) for a in addresses]
    conn.executemany(
        "INSERT INTO addresses (street, housenumber, lon, lat) VALUES (?, ?, ?, ?)", rows
    )
    return len(rows)


def read_addresses(conn: sqlite3.Connection) -> list[Address]:
    """Every row of a map file's index ([] when the file was written without one)."""
    has = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'addresses'"
    ).fetchone()
    if has is None:
        return []
    rows = conn.execute("SELECT street, housenumber, lon, lat FROM addresses ORDER BY id")
    return [Address(s, n, float(x), float(y)) for s, n, x, y in rows]
