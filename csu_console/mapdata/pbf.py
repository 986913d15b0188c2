"""A pure-Python reader of OpenStreetMap ``.osm.pbf`` extracts.

The file is a sequence of (4-byte big-endian length, ``BlobHeader``, ``Blob``) triples; the
first blob is an ``OSMHeader`` (bounding box, required features), the others ``OSMData``
primitive blocks holding nodes (plain or dense), ways and relations. See
https://wiki.openstreetmap.org/wiki/PBF_Format. Blob data may be raw or zlib; LZMA, LZ4 and
ZSTD blobs are refused with a clear message.

Everything is held in memory: this is meant for a commune-sized extract (a few million
nodes at most). Cut a region down first (``osmium extract --bbox``) for larger areas.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from csu_console.errors import MapDataError
from csu_console.mapdata.protobuf import (
    fields,
    packed,
    packed_sint_delta,
    signed64,
    truncated,
    zigzag,
)

log = logging.getLogger("csu.mapdata")

Progress = Callable[[int, int], None]
"""Called with (bytes read, total bytes) after each blob."""

BBox = tuple[float, float, float, float]
"""(min lon, min lat, max lon, max lat) in degrees."""

SUPPORTED_FEATURES = {"OsmSchema-V0.6", "DenseNodes", "HistoricalInformation"}
MAX_HEADER_SIZE = 64 * 1024
MAX_BLOB_SIZE = 32 * 1024 * 1024
MEMBER_TYPES = ("node", "way", "relation")


@dataclass(frozen=True)
class Way:
    """An OSM way: its node references, in order, and its tags."""

    id: int
    refs: list[int]
    tags: dict[str, str]


@dataclass(frozen=True)
class Relation:
    """An OSM relation: members as (type "node"|"way"|"relation", id, role), and tags."""

    id: int
    members: list[tuple[str, int, str]]
    tags: dict[str, str]


@dataclass
class OsmData:
    """What :func:`read_pbf` returns: node positions as (lon, lat), ways, relations."""

    nodes: dict[int, tuple[float, float]] = field(default_factory=dict)
    node_tags: dict[int, dict[str, str]] = field(default_factory=dict)
    ways: list[Way] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    bbox: BBox | None = None


def read_pbf(path: str | Path, progress: Progress | None = None) -> OsmData:
    """Read a whole ``.osm.pbf`` file.

    Raises :class:`MapDataError` (French message) if the file cannot be opened, is not an
    OSM PBF file, is truncated, or needs a feature this reader does not have.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MapDataError(f"impossible de lire {path} : {exc.strerror or exc}") from exc
    try:
        return _read(data, path.name, progress)
    except MapDataError as exc:
        if path.name in str(exc):
            raise
        raise MapDataError(f"{path.name} : {exc}") from exc


def _read(data: bytes, name: str, progress: Progress | None) -> OsmData:
    out = OsmData()
    total = len(data)
    pos = 0
    first = True
    while pos < total:
        kind, blob, pos = _next_blob(data, pos, first)
        if first:
            if kind != "OSMHeader":
                raise MapDataError(f"{name} n'est pas un fichier OpenStreetMap PBF")
            out.bbox = _header(_blob_data(blob))
            first = False
        elif kind == "OSMData":
            _primitive_block(_blob_data(blob), out)
        else:
            log.info("bloc PBF inconnu ignoré : %r", kind)
        if progress is not None:
            progress(pos, total)
    if first:
        raise MapDataError(f"{name} est vide : ce n'est pas un fichier OpenStreetMap PBF")
    return out


def _next_blob(data: bytes, pos: int, first: bool) -> tuple[str, bytes, int]:
    """Read one (BlobHeader, Blob) at ``pos``: (type, blob bytes, next position)."""
    not_pbf = MapDataError("ce fichier n'est pas un fichier OpenStreetMap PBF")
    if pos + 4 > len(data):
        raise not_pbf if first else truncated("en-tête de bloc")
    size = int.from_bytes(data[pos : pos + 4], "big")
    if size == 0 or size > MAX_HEADER_SIZE:
        raise not_pbf if first else MapDataError("fichier OSM PBF corrompu (en-tête de bloc)")
    pos += 4
    if pos + size > len(data):
        raise not_pbf if first else truncated("en-tête de bloc")
    kind = ""
    datasize = -1
    try:
        for number, ival, bval in fields(data[pos : pos + size]):
            if number == 1:
                kind = bval.decode("utf-8")
            elif number == 3:
                datasize = ival
    except (MapDataError, UnicodeDecodeError):
        if first:
            raise not_pbf from None
        raise
    if datasize < 0 or datasize > MAX_BLOB_SIZE:
        raise not_pbf if first else MapDataError("fichier OSM PBF corrompu (taille de bloc)")
    pos += size
    if pos + datasize > len(data):
        raise truncated("bloc de données")
    return kind, data[pos : pos + datasize], pos + datasize


def _blob_data(blob: bytes) -> bytes:
    """The uncompressed content of a ``Blob`` (raw or zlib)."""
    raw_size = -1
    for number, ival, bval in fields(blob):
        if number == 1:
            return bval
        if number == 2:
            raw_size = ival
        elif number == 3:
            try:
                out = zlib.decompress(bval)
            except zlib.error as exc:
                raise MapDataError(f"fichier OSM PBF corrompu (zlib : {exc})") from exc
            if raw_size >= 0 and len(out) != raw_size:
                raise MapDataError("fichier OSM PBF corrompu (taille décompressée)")
            return out
        elif number in (4, 5, 6, 7):
            method = {4: "LZMA", 5: "bzip2", 6: "LZ4", 7: "ZSTD"}[number]
            raise MapDataError(f"compression {method} non prise en charge (zlib attendu)")
    raise MapDataError("fichier OSM PBF corrompu (bloc sans données)")


def _header(buf: bytes) -> BBox | None:
    """Check the required features of an ``OSMHeader``; return its bbox if any."""
    bbox: BBox | None = None
    for number, _, bval in fields(buf):
        if number == 1:
            sides = {n: zigzag(v) * 1e-9 for n, v, _b in fields(bval)}
            # HeaderBBox: 1 left, 2 right, 3 top, 4 bottom (nanodegrees).
            bbox = (sides.get(1, 0.0), sides.get(4, 0.0), sides.get(2, 0.0), sides.get(3, 0.0))
        elif number == 4:
            feature = bval.decode("utf-8", "replace")
            if feature not in SUPPORTED_FEATURES:
                raise MapDataError(f"fonctionnalité PBF non prise en charge : {feature}")
    return bbox


@dataclass
class _Block:
    """The context of one primitive block: strings and coordinate scaling."""

    strings: list[str]
    granularity: int = 100
    lat_offset: int = 0
    lon_offset: int = 0

    def lon(self, raw: int) -> float:
        return (self.lon_offset + self.granularity * raw) * 1e-9

    def lat(self, raw: int) -> float:
        return (self.lat_offset + self.granularity * raw) * 1e-9

    def tags(self, keys: list[int], vals: list[int]) -> dict[str, str]:
        s = self.strings
        try:
            return {s[k]: s[v] for k, v in zip(keys, vals, strict=True)}
        except (IndexError, ValueError) as exc:
            raise MapDataError("fichier OSM PBF corrompu (étiquettes)") from exc


def _primitive_block(buf: bytes, out: OsmData) -> None:
    groups: list[bytes] = []
    block = _Block([])
    for number, ival, bval in fields(buf):
        if number == 1:
            block.strings = [s.decode("utf-8", "replace") for n, _, s in fields(bval) if n == 1]
        elif number == 2:
            groups.append(bval)
        elif number == 17:
            block.granularity = ival
        elif number == 19:
            block.lat_offset = signed64(ival)
        elif number == 20:
            block.lon_offset = signed64(ival)
    for group in groups:
        for number, _, bval in fields(group):
            if number == 1:
                _node(bval, block, out)
            elif number == 2:
                _dense(bval, block, out)
            elif number == 3:
                out.ways.append(_way(bval, block))
            elif number == 4:
                out.relations.append(_relation(bval, block))


def _node(buf: bytes, block: _Block, out: OsmData) -> None:
    node_id = lat = lon = 0
    keys: list[int] = []
    vals: list[int] = []
    for number, ival, bval in fields(buf):
        if number == 1:
            node_id = zigzag(ival)
        elif number == 2:
            keys = packed(bval)
        elif number == 3:
            vals = packed(bval)
        elif number == 8:
            lat = zigzag(ival)
        elif number == 9:
            lon = zigzag(ival)
    out.nodes[node_id] = (block.lon(lon), block.lat(lat))
    if keys:
        out.node_tags[node_id] = block.tags(keys, vals)


def _dense(buf: bytes, block: _Block, out: OsmData) -> None:
    ids: list[int] = []
    lats: list[int] = []
    lons: list[int] = []
    keys_vals: list[int] = []
    for number, _, bval in fields(buf):
        if number == 1:
            ids = packed_sint_delta(bval)
        elif number == 8:
            lats = packed_sint_delta(bval)
        elif number == 9:
            lons = packed_sint_delta(bval)
        elif number == 10:
            keys_vals = packed(bval)
    if not len(ids) == len(lats) == len(lons):
        raise MapDataError("fichier OSM PBF corrompu (nœuds denses incohérents)")
    g, lat0, lon0 = block.granularity * 1e-9, block.lat_offset * 1e-9, block.lon_offset * 1e-9
    nodes = out.nodes
    for node_id, lat, lon in zip(ids, lats, lons, strict=True):
        nodes[node_id] = (lon0 + g * lon, lat0 + g * lat)
    if any(keys_vals):
        _dense_tags(ids, keys_vals, block, out)


def _dense_tags(ids: list[int], keys_vals: list[int], block: _Block, out: OsmData) -> None:
    """keys_vals: for each node, key/value string ids, then a 0 separator."""
    s = block.strings
    i = 0
    end = len(keys_vals)
    try:
        for node_id in ids:
            tags: dict[str, str] = {}
            while i < end and keys_vals[i] != 0:
                tags[s[keys_vals[i]]] = s[keys_vals[i + 1]]
                i += 2
            i += 1
            if tags:
                out.node_tags[node_id] = tags
    except IndexError as exc:
        raise MapDataError("fichier OSM PBF corrompu (étiquettes des nœuds)") from exc


def _way(buf: bytes, block: _Block) -> Way:
    way_id = 0
    keys: list[int] = []
    vals: list[int] = []
    refs: list[int] = []
    for number, ival, bval in fields(buf):
        if number == 1:
            way_id = signed64(ival)
        elif number == 2:
            keys = packed(bval)
        elif number == 3:
            vals = packed(bval)
        elif number == 8:
            refs = packed_sint_delta(bval)
    return Way(way_id, refs, block.tags(keys, vals))


def _relation(buf: bytes, block: _Block) -> Relation:
    rel_id = 0
    keys: list[int] = []
    vals: list[int] = []
    roles: list[int] = []
    memids: list[int] = []
    types: list[int] = []
    for number, ival, bval in fields(buf):
        if number == 1:
            rel_id = signed64(ival)
        elif number == 2:
            keys = packed(bval)
        elif number == 3:
            vals = packed(bval)
        elif number == 8:
            roles = packed(bval)
        elif number == 9:
            memids = packed_sint_delta(bval)
        elif number == 10:
            types = packed(bval)
    try:
        members = [
            (MEMBER_TYPES[t], m, block.strings[r])
            for t, m, r in zip(types, memids, roles, strict=True)
        ]
    except (IndexError, ValueError) as exc:
        raise MapDataError("fichier OSM PBF corrompu (membres de relation)") from exc
    return Relation(rel_id, members, block.tags(keys, vals))
