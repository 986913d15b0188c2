"""The camera-to-zone mapping: suggestions from the fields of view, and what changed.

A camera is suggested for a zone when its field of view covers the zone
meaningfully: the view sector (heading ± fov/2, up to the range) is sampled on a
polar grid whose points are weighted by the area they stand for, and a zone gets
the camera when at least ``min_share`` (10 %) of the sector lies in it — or when
the camera itself stands in the zone. The installer accepts or changes the
suggestion; the ranking (:mod:`csu_console.core.ranking`) then uses the mapping.

Works on anything shaped like the config's ``Camera`` and ``Zone``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from csu_console.core.geo import Area, destination_point
from csu_console.core.ranking import Placed

#: Share of the view sector that must lie in a zone for it to be suggested.
DEFAULT_MIN_SHARE = 0.10
#: Rings of the polar sampling grid, from the camera out to its range.
RADIAL_STEPS = 16
#: Angle between two rays of the grid, in degrees (at most; at least 5 rays).
ANGLE_STEP_DEG = 3.0


class ViewLike(Placed, Protocol):
    """What the suggestion needs from a camera (``csu_console.config.schema.Camera``)."""

    @property
    def heading_deg(self) -> float: ...
    @property
    def fov_deg(self) -> float: ...
    @property
    def range_m(self) -> float: ...


class AreaZoneLike(Protocol):
    """What the suggestion needs from a zone (``csu_console.config.schema.Zone``)."""

    @property
    def id(self) -> str: ...
    @property
    def area(self) -> Area: ...


def sector_samples(camera: ViewLike) -> list[tuple[float, float, float]]:
    """(lon, lat, weight) points covering the camera's view sector; weights sum to 1.

    Ring ``i`` sits at the middle of its band, ``(i + 0.5) / n`` of the range, and
    each point weighs its radius: the area a point stands for grows with it.
    """
    fov = min(max(camera.fov_deg, 0.0), 360.0)
    rays = max(5, math.ceil(fov / ANGLE_STEP_DEG))
    if fov >= 360.0:
        angles = [camera.heading_deg + 360.0 * k / rays for k in range(rays)]
    else:  # ray centres: each ray stands for an equal slice of the sector
        angles = [camera.heading_deg - fov / 2 + fov * (k + 0.5) / rays for k in range(rays)]
    samples: list[tuple[float, float, float]] = []
    total = 0.0
    for i in range(RADIAL_STEPS):
        radius = camera.range_m * (i + 0.5) / RADIAL_STEPS
        for angle in angles:
            lon, lat = destination_point(camera.lon, camera.lat, angle % 360.0, radius)
            samples.append((lon, lat, radius))
            total += radius
    return [(lon, lat, w / total) for lon, lat, w in samples]


def zone_shares(camera: ViewLike, zones: Sequence[AreaZoneLike]) -> dict[str, float]:
    """Share (0–1) of the camera's view sector inside each zone, by zone id, in zone order.

    Zones of different zonings overlap, so the shares may add up to more than 1.
    """
    samples = sector_samples(camera)
    shares: dict[str, float] = {}
    for zone in zones:
        min_lon, min_lat, max_lon, max_lat = zone.area.bbox
        shares[zone.id] = sum(
            w
            for lon, lat, w in samples
            if min_lon <= lon <= max_lon
            and min_lat <= lat <= max_lat
            and zone.area.contains(lon, lat)
        )
    return shares


def suggest_zones(
    camera: ViewLike,
    zones: Sequence[AreaZoneLike],
    *,
    min_share: float = DEFAULT_MIN_SHARE,
) -> tuple[str, ...]:
    """Zone ids the camera should be mapped to, the most covered first.

    A zone is kept when at least ``min_share`` of the view sector lies in it, or
    when it contains the camera itself; ties keep the zones' order.
    """
    shares = zone_shares(camera, zones)
    here = {z.id for z in zones if z.area.contains(camera.lon, camera.lat)}
    order = {z.id: i for i, z in enumerate(zones)}
    kept = [zid for zid, share in shares.items() if share >= min_share or zid in here]
    return tuple(sorted(kept, key=lambda zid: (-shares[zid], order[zid])))


def suggest_mapping(
    cameras: Sequence[ViewLike],
    zones: Sequence[AreaZoneLike],
    *,
    min_share: float = DEFAULT_MIN_SHARE,
) -> dict[str, tuple[str, ...]]:
    """:func:`suggest_zones` for every camera, by camera id, in camera order."""
    return {c.id: suggest_zones(c, zones, min_share=min_share) for c in cameras}


Pair = tuple[str, str]
"""A (camera id, zone id) pair of the mapping."""


@dataclass(frozen=True)
class MappingDiff:
    """Camera→zone pairs added and removed between two mappings, sorted."""

    added: tuple[Pair, ...] = ()
    removed: tuple[Pair, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)

    def as_details(self) -> dict[str, list[str]]:
        """``{"added": ["cam-01→secteur-gare", …], "removed": […]}`` for a logbook event."""
        return {
            "added": [f"{c}→{z}" for c, z in self.added],
            "removed": [f"{c}→{z}" for c, z in self.removed],
        }


def mapping_pairs(mapping: Mapping[str, Sequence[str]]) -> set[Pair]:
    """Every (camera id, zone id) pair of a mapping."""
    return {(camera, zone) for camera, zone_ids in mapping.items() for zone in zone_ids}


def mapping_changes(
    old: Mapping[str, Sequence[str]], new: Mapping[str, Sequence[str]]
) -> MappingDiff:
    """Pairs in ``new`` but not ``old`` (added) and in ``old`` but not ``new`` (removed).

    A camera that disappears takes its pairs with it: they count as removed.
    """
    before, after = mapping_pairs(old), mapping_pairs(new)
    return MappingDiff(tuple(sorted(after - before)), tuple(sorted(before - after)))


class MappedLike(Protocol):
    """A camera with its mapping (``csu_console.config.schema.Camera``)."""

    @property
    def id(self) -> str: ...
    @property
    def zones(self) -> tuple[str, ...]: ...


def camera_mapping(cameras: Sequence[MappedLike]) -> dict[str, tuple[str, ...]]:
    """The mapping the cameras hold (their ``zones``), by camera id."""
    return {c.id: tuple(c.zones) for c in cameras}
