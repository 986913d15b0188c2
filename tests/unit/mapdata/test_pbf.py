"""The pure-Python OSM PBF reader, against the real Helsinki extract and broken files."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from csu_console.errors import MapDataError
from csu_console.mapdata.pbf import OsmData, read_pbf
from csu_console.mapdata.protobuf import packed, packed_sint_delta, signed64, varint, zigzag
from csu_console.paths import assets_dir

DEMO_PBF = assets_dir() / "osm" / "helsinki-centre.osm.pbf"


@pytest.fixture(scope="module")
def osm() -> OsmData:
    return read_pbf(DEMO_PBF)


def test_varint_and_zigzag() -> None:
    assert varint(bytes([0xAC, 0x02]), 0) == (300, 2)
    assert [zigzag(v) for v in (0, 1, 2, 3, 4294967294)] == [0, -1, 1, -2, 2147483647]
    assert signed64(2**64 - 1) == -1
    assert packed(bytes([3, 0x8E, 0x02, 1])) == [3, 270, 1]
    assert packed_sint_delta(bytes([20, 1, 4])) == [10, 9, 11]


def test_counts_and_header_bbox(osm: OsmData) -> None:
    assert 23_000 < len(osm.nodes) < 25_000
    assert len(osm.ways) > 4000
    assert osm.bbox is not None
    assert osm.bbox == pytest.approx((24.9352, 60.1642, 24.9534, 60.1791), abs=1e-4)


def test_node_coordinates_inside_the_extract(osm: OsmData) -> None:
    lons = [p[0] for p in osm.nodes.values()]
    lats = [p[1] for p in osm.nodes.values()]
    assert min(lons) > 24.9351 and max(lons) < 24.9535
    assert min(lats) > 60.1641 and max(lats) < 60.1792


def test_known_way_and_tags(osm: OsmData) -> None:
    mannerheimintie = [
        w for w in osm.ways if w.tags.get("name") == "Mannerheimintie" and w.tags.get("highway")
    ]
    assert any(w.tags["highway"] == "primary" for w in mannerheimintie)
    assert all(len(w.refs) >= 2 for w in mannerheimintie)
    # Ways cut at the extract's border keep refs to absent nodes; most are complete.
    assert sum(all(r in osm.nodes for r in w.refs) for w in mannerheimintie) >= 5
    assert osm.node_tags, "dense node tags are decoded"
    assert any(r.tags.get("type") == "multipolygon" for r in osm.relations)


def test_progress_reaches_the_end() -> None:
    seen: list[tuple[int, int]] = []
    read_pbf(DEMO_PBF, lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] == DEMO_PBF.stat().st_size
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def _blob(kind: bytes, payload: bytes) -> bytes:
    """A (length, BlobHeader, Blob) triple with zlib data."""
    data = zlib.compress(payload)
    blob = b"\x10" + _v(len(payload)) + b"\x1a" + _v(len(data)) + data
    header = b"\x0a" + _v(len(kind)) + kind + b"\x18" + _v(len(blob))
    return len(header).to_bytes(4, "big") + header + blob


def _v(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


BAD_FILES = {
    "empty": b"",
    "text": b"<?xml version='1.0'?><osm></osm>\n",
    "zeros": bytes(64),
    "truncated": DEMO_PBF.read_bytes()[:3000],
    "cut-in-header": DEMO_PBF.read_bytes()[:10],
    "data-first": _blob(b"OSMData", b""),
    "bad-zlib": _blob(b"OSMHeader", b"")[:-3] + b"xyz",
    "unknown-feature": _blob(b"OSMHeader", b"\x22\x0bFancyFormat"),
}


@pytest.mark.parametrize("content", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_bad_file_gives_a_french_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bad.osm.pbf"
    path.write_bytes(content)
    with pytest.raises(MapDataError, match=r"bad\.osm\.pbf"):
        read_pbf(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MapDataError, match="impossible de lire"):
        read_pbf(tmp_path / "absent.osm.pbf")


def test_minimal_synthetic_file(tmp_path: Path) -> None:
    """A header block and one data block with a plain node and a way, hand-encoded."""
    strings = b"\x0a\x00" + b"\x0a\x07highway" + b"\x0a\x07primary"
    node = b"\x08" + _v(2 * 7) + b"\x40" + _v(2 * 600_000_000) + b"\x48" + _v(2 * 240_000_000)
    way = b"\x08\x05\x12\x01\x01\x1a\x01\x02\x42\x02" + _v(14) + b"\x00"
    group = b"\x0a" + _v(len(node)) + node + b"\x1a" + _v(len(way)) + way
    block = b"\x0a" + _v(len(strings)) + strings + b"\x12" + _v(len(group)) + group
    path = tmp_path / "tiny.osm.pbf"
    path.write_bytes(_blob(b"OSMHeader", b"") + _blob(b"OSMData", block))
    data = read_pbf(path)
    assert data.nodes == {7: pytest.approx((24.0, 60.0))}
    assert [(w.id, w.refs, w.tags) for w in data.ways] == [(5, [7, 7], {"highway": "primary"})]
