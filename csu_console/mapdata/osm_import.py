"""Build map features from an OSM extract and write the ``.csumap`` file.

Ways become lines or polygons according to :mod:`.classify`; multipolygon relations
(buildings, water, parks with holes) are assembled by :mod:`.rings`. Nodes missing from the
extract (ways cut at its border) split a line into pieces and drop a polygon ring.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

from csu_console.errors import MapDataError
from csu_console.mapdata.addresses import collect_addresses
from csu_console.mapdata.classify import Style, classify
from csu_console.mapdata.mapfile import (
    BBox,
    ImportReport,
    NewFeature,
    Point,
    Progress,
    created_now,
    write_map,
)
from csu_console.mapdata.mercator import lonlat_to_mercator
from csu_console.mapdata.pbf import OsmData, read_pbf
from csu_console.mapdata.rings import group_polygons, join_rings

log = logging.getLogger("csu.mapdata")

# Progress scale: reading the PBF is most of the work.
_TOTAL, _READ = 1000, 900


def run_import(
    pbf_path: Path, out_path: Path, bbox: BBox | None, progress: Progress | None
) -> ImportReport:
    """See :func:`csu_console.mapdata.mapfile.import_osm`."""
    start = time.perf_counter()
    if bbox is not None and not (bbox[0] < bbox[2] and bbox[1] < bbox[3]):
        raise MapDataError("emprise invalide : minlon,minlat,maxlon,maxlat attendu (min < max)")

    def on_read(done: int, total: int) -> None:
        if progress is not None:
            progress(done * _READ // max(total, 1), _TOTAL)

    osm = read_pbf(pbf_path, on_read)
    extent = bbox or osm.bbox or _node_extent(osm)
    features = list(_features(osm))
    if bbox is not None:
        features = [f for f in features if _meets(f, bbox)]
    features.sort(key=_order)
    if not features:
        raise MapDataError(f"aucune rue ni bâtiment trouvé dans {pbf_path.name} (emprise vide ?)")
    meta = {
        "source": pbf_path.name,
        "bbox": ",".join(f"{v:.7f}" for v in extent),
        "created_at": created_now(),
    }
    addresses = collect_addresses(osm)
    if bbox is not None:
        addresses = [
            a for a in addresses if bbox[0] <= a.lon <= bbox[2] and bbox[1] <= a.lat <= bbox[3]
        ]
    write_map(out_path, features, meta, addresses)
    counts: dict[str, int] = {}
    for f in features:
        counts[f.layer] = counts.get(f.layer, 0) + 1
    if progress is not None:
        progress(_TOTAL, _TOTAL)
    elapsed = time.perf_counter() - start
    log.info(
        "carte %s écrite en %.2f s : %s, %d adresses et rues",
        out_path, elapsed, counts, len(addresses),
    )  # fmt: skip
    size = out_path.stat().st_size
    return ImportReport(out_path, counts, elapsed, size, extent, len(addresses))


def _order(feature: NewFeature) -> tuple[int, int]:
    return Style(feature.layer, feature.cls, feature.kind, feature.minzoom).order


def _node_extent(osm: OsmData) -> BBox:
    if not osm.nodes:
        raise MapDataError("l'extrait OSM ne contient aucun nœud")
    lons = [p[0] for p in osm.nodes.values()]
    lats = [p[1] for p in osm.nodes.values()]
    return min(lons), min(lats), max(lons), max(lats)


def _meets(feature: NewFeature, bbox: BBox) -> bool:
    """True if the feature's bounding box meets ``bbox`` (coarse, like the viewport query)."""
    minx, miny = lonlat_to_mercator(bbox[0], bbox[1])
    maxx, maxy = lonlat_to_mercator(bbox[2], bbox[3])
    xs = [p[0] for ring in feature.rings for p in ring]
    ys = [p[1] for ring in feature.rings for p in ring]
    return min(xs) <= maxx and max(xs) >= minx and min(ys) <= maxy and max(ys) >= miny


def _runs(refs: list[int], positions: dict[int, Point]) -> list[list[Point]]:
    """Split a way into runs of consecutive known nodes, projected to metres."""
    runs: list[list[Point]] = [[]]
    for ref in refs:
        pos = positions.get(ref)
        if pos is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(pos)
    return [r for r in runs if len(r) >= 2]


def _features(osm: OsmData) -> Iterator[NewFeature]:
    projected = {nid: lonlat_to_mercator(lon, lat) for nid, (lon, lat) in osm.nodes.items()}
    ways_by_id: dict[int, list[int]] = {}
    for way in osm.ways:
        ways_by_id[way.id] = way.refs
        if len(way.refs) < 2 or not way.tags:
            continue
        style = classify(way.tags, closed=way.refs[0] == way.refs[-1] and len(way.refs) >= 4)
        if style is None:
            continue
        name = way.tags.get("name")
        runs = _runs(way.refs, projected)
        if style.kind == "line":
            for run in runs:
                yield NewFeature(style.layer, style.cls, name, "line", style.minzoom, [run])
        elif len(runs) == 1 and len(runs[0]) == len(way.refs):
            yield NewFeature(style.layer, style.cls, name, "polygon", style.minzoom, runs)
    for rel in osm.relations:
        if rel.tags.get("type") != "multipolygon":
            continue
        style = classify(rel.tags, closed=True)
        if style is None or style.kind != "polygon":
            continue
        outers: list[list[int]] = []
        inners: list[list[int]] = []
        for member_type, ref, role in rel.members:
            if member_type == "way" and ref in ways_by_id:
                (inners if role == "inner" else outers).append(ways_by_id[ref])
        rings = {
            role: [
                [projected[n] for n in ring]
                for ring in join_rings(pieces)
                if all(n in projected for n in ring)
            ]
            for role, pieces in (("outer", outers), ("inner", inners))
        }
        for polygon in group_polygons(rings["outer"], rings["inner"]):
            name = rel.tags.get("name")
            yield NewFeature(style.layer, style.cls, name, "polygon", style.minzoom, polygon)
