"""Assemble multipolygon relations into polygons (outer ring + holes).

OSM multipolygons list ways with role ``outer`` or ``inner``; a ring may be split across
several ways, joined end to end in any direction. Rings that cannot be closed are dropped
(an extract cut at its border leaves such pieces).
"""

from __future__ import annotations

from collections.abc import Sequence

Point = tuple[float, float]


def join_rings(pieces: Sequence[Sequence[int]]) -> list[list[int]]:
    """Join node-id sequences into closed rings (first id == last id); drop open leftovers."""
    rings: list[list[int]] = []
    todo = [list(p) for p in pieces if len(p) >= 2]
    while todo:
        ring = todo.pop()
        while ring[0] != ring[-1]:
            for i, piece in enumerate(todo):
                if piece[0] == ring[-1]:
                    ring += piece[1:]
                elif piece[-1] == ring[-1]:
                    ring += piece[-2::-1]
                elif piece[-1] == ring[0]:
                    ring = piece[:-1] + ring
                elif piece[0] == ring[0]:
                    ring = piece[:0:-1] + ring
                else:
                    continue
                del todo[i]
                break
            else:
                break  # cannot be closed
        if ring[0] == ring[-1] and len(ring) >= 4:
            rings.append(ring)
    return rings


def point_in_ring(x: float, y: float, ring: Sequence[Point]) -> bool:
    """Even-odd ray casting test of (x, y) against a closed ring."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def group_polygons(outers: list[list[Point]], inners: list[list[Point]]) -> list[list[list[Point]]]:
    """Give each inner ring to the first outer ring that contains its first point."""
    polygons = [[outer] for outer in outers]
    for inner in inners:
        x, y = inner[0]
        for polygon in polygons:
            if point_in_ring(x, y, polygon[0]):
                polygon.append(inner)
                break
    return polygons
