"""Which cameras to show for a point: the ranking behind the camera wall and the map.

For a point (an alert, or the installer's "test alert here"), every relevant camera
is ranked by, in order:

1. the point is inside the camera's field of view and within its range;
2. the installer mapped the camera to a zone that contains the point;
3. the distance from the camera to the point (ascending, to the centimetre);

and then by camera id, so that equal cameras always come in the same order. A
camera that neither sees the point nor is mapped to its zone is kept only when it
is within ``nearby_m`` metres, so the wall can still offer close cameras; by rule 1
and 2 it comes after the others.

The module works on anything shaped like the config's ``Camera`` and ``Zone`` (see
:class:`CameraLike`, :class:`ZoneLike`), so the core does not depend on the config
package; pass ``site.cameras`` and ``site.zones``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from csu_console.core.alerts import Alert
from csu_console.core.geo import bearing_deg, haversine_m

#: Cameras closer than this that neither see the point nor cover its zone are offered.
DEFAULT_NEARBY_M = 300.0

#: A 3×3 camera wall.
DEFAULT_WALL_SIZE = 9


class Placed(Protocol):
    """A camera's identity and position (``csu_console.config.schema.Camera``)."""

    @property
    def id(self) -> str: ...
    @property
    def lon(self) -> float: ...
    @property
    def lat(self) -> float: ...


class CameraLike(Placed, Protocol):
    """What the ranking needs from a camera (``csu_console.config.schema.Camera``)."""

    @property
    def zones(self) -> tuple[str, ...]: ...

    def sees(self, lon: float, lat: float) -> bool:
        """True if (lon, lat) is in the camera's field of view and range."""
        ...


class ZoneLike(Protocol):
    """What the ranking needs from a zone (``csu_console.config.schema.Zone``)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...

    def contains(self, lon: float, lat: float) -> bool:
        """True if (lon, lat) is inside the zone (holes excluded)."""
        ...


CameraT = TypeVar("CameraT", bound=CameraLike)


@dataclass(frozen=True)
class RankedCamera(Generic[CameraT]):
    """One camera in the ranking for a point.

    ``rank`` counts from 1; ``sees`` means the point is in the field of view and
    range; ``mapped`` that the camera is mapped to a zone containing the point
    (``mapped_zones`` lists those zone ids, in zone order); ``bearing_deg`` goes from
    the camera to the point (0 = north); ``reason`` is a short French text for the
    operator and the installer (« voit le point (à 45 m) »).
    """

    camera: CameraT
    rank: int
    sees: bool
    mapped: bool
    distance_m: float
    bearing_deg: float
    reason: str
    mapped_zones: tuple[str, ...] = ()


def format_distance(metres: float) -> str:
    """A distance for the operator: « 45 m » under a kilometre, « 1,2 km » above."""
    if metres < 999.5:
        return f"{round(metres)} m"
    return f"{metres / 1000:.1f} km".replace(".", ",")


def _reason(sees: bool, zone_name: str | None, distance_m: float) -> str:
    where = f"(à {format_distance(distance_m)})"
    if sees:
        return f"voit le point {where}"
    if zone_name is not None:
        return f"{zone_name} {where}"
    return f"proche {where}"


def rank_cameras(
    cameras: Sequence[CameraT],
    zones: Sequence[ZoneLike],
    lon: float,
    lat: float,
    *,
    nearby_m: float = DEFAULT_NEARBY_M,
    limit: int | None = None,
) -> list[RankedCamera[CameraT]]:
    """Rank the cameras relevant to (lon, lat), best first (see the module docstring).

    ``zones`` are all the site's zones (every zoning): a camera is "mapped" when one
    of its ``zones`` ids names a zone that contains the point. A point outside every
    zone still gets the cameras that see it and the nearby ones. ``limit`` keeps the
    first ``limit`` cameras (None: all). Raises ``ValueError`` for a non-finite
    position, a negative ``nearby_m`` or a negative ``limit``.
    """
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValueError(f"non-finite position: ({lon}, {lat})")
    if not nearby_m >= 0:  # also rejects NaN
        raise ValueError(f"nearby_m must be >= 0, got {nearby_m}")
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")

    # Zone order is file order: the first mapped zone names the reason.
    here = {z.id: z.name for z in zones if z.contains(lon, lat)}
    candidates: list[tuple[bool, tuple[str, ...], float, CameraT]] = []
    for cam in cameras:
        sees = cam.sees(lon, lat)
        mapped_zones = tuple(zid for zid in here if zid in cam.zones)
        distance = haversine_m(cam.lon, cam.lat, lon, lat)
        if sees or mapped_zones or distance <= nearby_m:
            candidates.append((sees, mapped_zones, distance, cam))

    # Distances equal to the centimetre are a tie: float noise must not beat the id.
    candidates.sort(key=lambda c: (not c[0], not c[1], round(c[2], 2), c[3].id))
    if limit is not None:
        candidates = candidates[:limit]

    ranked: list[RankedCamera[CameraT]] = []
    for rank, (sees, mapped_zones, distance, cam) in enumerate(candidates, 1):
        zone_name = here[mapped_zones[0]] if mapped_zones else None
        ranked.append(
            RankedCamera(
                camera=cam,
                rank=rank,
                sees=sees,
                mapped=bool(mapped_zones),
                distance_m=distance,
                bearing_deg=bearing_deg(cam.lon, cam.lat, lon, lat) if distance > 0 else 0.0,
                reason=_reason(sees, zone_name, distance),
                mapped_zones=mapped_zones,
            )
        )
    return ranked


def cameras_for_alert(
    alert: Alert,
    cameras: Sequence[CameraT],
    zones: Sequence[ZoneLike],
    *,
    limit: int | None = DEFAULT_WALL_SIZE,
    nearby_m: float = DEFAULT_NEARBY_M,
) -> list[RankedCamera[CameraT]]:
    """The best cameras for an alert (a 3×3 wall by default); none without a location."""
    if alert.location is None:
        return []
    loc = alert.location
    return rank_cameras(cameras, zones, loc.lon, loc.lat, nearby_m=nearby_m, limit=limit)
