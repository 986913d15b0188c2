"""The few pieces of the protobuf wire format that OpenStreetMap PBF files need.

Hand-written so that the console takes no new dependency: varints, zigzag, length-delimited
fields and packed repeated varints. Every read is bounds-checked; a short buffer raises
:class:`~csu_console.errors.MapDataError` (French message), never ``IndexError``.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import accumulate

from csu_console.errors import MapDataError

VARINT, FIXED64, LENGTH, FIXED32 = 0, 1, 2, 5
_FIXED_SIZE = {FIXED64: 8, FIXED32: 4}


def truncated(what: str = "message") -> MapDataError:
    """The error for a buffer that ends in the middle of ``what``."""
    return MapDataError(f"fichier OSM PBF tronqué ou corrompu ({what} incomplet)")


def varint(buf: bytes, pos: int) -> tuple[int, int]:
    """Decode one unsigned varint at ``pos``: (value, position after it)."""
    result = 0
    shift = 0
    end = len(buf)
    while True:
        if pos >= end:
            raise truncated("entier")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7
        if shift > 70:
            raise MapDataError("fichier OSM PBF corrompu (entier trop long)")


def fields(buf: bytes) -> Iterator[tuple[int, int, bytes]]:
    """Iterate over the fields of one message: (field number, integer value, bytes value).

    A varint or fixed-size field gives its integer and ``b""``; a length-delimited field
    gives ``0`` and its bytes. Callers read the one their schema expects.
    """
    pos = 0
    end = len(buf)
    while pos < end:
        key, pos = varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == VARINT:
            value, pos = varint(buf, pos)
            yield number, value, b""
        elif wire == LENGTH:
            size, pos = varint(buf, pos)
            if pos + size > end:
                raise truncated()
            yield number, 0, buf[pos : pos + size]
            pos += size
        elif wire in _FIXED_SIZE:
            size = _FIXED_SIZE[wire]
            if pos + size > end:
                raise truncated()
            yield number, int.from_bytes(buf[pos : pos + size], "little"), b""
            pos += size
        else:
            raise MapDataError(f"fichier OSM PBF corrompu (type de champ protobuf {wire})")


def packed(buf: bytes) -> list[int]:
    """Decode a packed repeated field of unsigned varints."""
    out: list[int] = []
    append = out.append
    pos = 0
    end = len(buf)
    while pos < end:
        b = buf[pos]
        pos += 1
        if b < 0x80:  # the common case: one byte
            append(b)
            continue
        result = b & 0x7F
        shift = 7
        while True:
            if pos >= end:
                raise truncated("champ compacté")
            b = buf[pos]
            pos += 1
            result |= (b & 0x7F) << shift
            if b < 0x80:
                break
            shift += 7
        append(result)
    return out


def zigzag(value: int) -> int:
    """Decode a protobuf ``sint`` (zigzag) value."""
    return (value >> 1) ^ -(value & 1)


def signed64(value: int) -> int:
    """Read an ``int64`` varint as two's complement (negative numbers take 10 bytes)."""
    return value - (1 << 64) if value >= 1 << 63 else value


def packed_sint_delta(buf: bytes) -> list[int]:
    """Decode a packed, zigzag, delta-coded field (node ids, lats, lons, way refs)."""
    return list(accumulate((v >> 1) ^ -(v & 1) for v in packed(buf)))
