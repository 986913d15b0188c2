"""The main courante's record of a cameras/zones change: one ``config_changed`` event
saying what changed, by id and field, and which kept version holds the configuration
before it (see :func:`~csu_console.core.logbook.geo_change_details` for the keys).

Stream URLs are compared without their credentials and never copied into the event.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from csu_console.config.schema import Camera, Zone
from csu_console.config.secrets import split_credentials
from csu_console.core.geo import haversine_m
from csu_console.core.logbook import EventKind, geo_change_details
from csu_console.core.mapping import camera_mapping, mapping_changes
from csu_console.storage.logbook import NewEvent

#: Camera fields compared (position apart); the values of these are logged.
CAMERA_FIELDS = ("name", "kind", "heading_deg", "fov_deg", "range_m", "zones")
#: Stream fields: a change is named, the URL never logged.
STREAM_FIELDS = ("stream_main", "stream_sub")
ZONE_FIELDS = ("name", "commune", "zoning")


def _stream(url: str | None) -> str | None:
    return None if url is None else split_credentials(url)[0]


def _loggable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def camera_changes(old: Sequence[Camera], new: Sequence[Camera]) -> dict[str, Any]:
    """``cameras_added``, ``cameras_removed``, ``cameras_moved``, ``cameras_edited``."""
    before = {c.id: c for c in old}
    after = {c.id: c for c in new}
    moved: list[dict[str, Any]] = []
    edited: list[dict[str, Any]] = []
    for cid, cam in after.items():
        prev = before.get(cid)
        if prev is None:
            continue
        if (prev.lon, prev.lat) != (cam.lon, cam.lat):
            distance = haversine_m(prev.lon, prev.lat, cam.lon, cam.lat)
            moved.append(
                {
                    "id": cid,
                    "from": [prev.lon, prev.lat],
                    "to": [cam.lon, cam.lat],
                    "distance_m": round(distance, 1),
                }
            )
        fields = [f for f in CAMERA_FIELDS if getattr(prev, f) != getattr(cam, f)]
        values = {f: [_loggable(getattr(prev, f)), _loggable(getattr(cam, f))] for f in fields}
        fields += [
            f for f in STREAM_FIELDS if _stream(getattr(prev, f)) != _stream(getattr(cam, f))
        ]
        if fields:
            edited.append({"id": cid, "fields": fields, "values": values})
    return {
        "cameras_added": [cid for cid in after if cid not in before],
        "cameras_removed": [cid for cid in before if cid not in after],
        "cameras_moved": moved,
        "cameras_edited": edited,
    }


def zone_changes(old: Sequence[Zone], new: Sequence[Zone]) -> dict[str, Any]:
    """``zones_added``, ``zones_removed``, ``zones_edited`` (fields, ``geometry`` included)."""
    before = {z.id: z for z in old}
    after = {z.id: z for z in new}
    edited: list[dict[str, Any]] = []
    for zid, zone in after.items():
        prev = before.get(zid)
        if prev is None:
            continue
        fields = [f for f in ZONE_FIELDS if getattr(prev, f) != getattr(zone, f)]
        if prev.area != zone.area:
            fields.append("geometry")
        if fields:
            edited.append({"id": zid, "fields": fields})
    return {
        "zones_added": [zid for zid in after if zid not in before],
        "zones_removed": [zid for zid in before if zid not in after],
        "zones_edited": edited,
    }


def config_change_events(
    old_cameras: Sequence[Camera],
    old_zones: Sequence[Zone],
    new_cameras: Sequence[Camera],
    new_zones: Sequence[Zone],
    version_id: str,
    *,
    action: str = "save",
    at: datetime | None = None,
    station: str | None = None,
    operator: str | None = None,
) -> list[NewEvent]:
    """The ``config_changed`` event of a cameras/zones change, for ``Store.add_events``.

    ``version_id`` is the kept previous configuration (what
    :meth:`~csu_console.config.history.ConfigHistory.save` or ``restore`` returned);
    ``action`` is ``save``, ``import`` or ``restore``. Always one event, even when
    nothing changed (a save is worth recording).
    """
    mapping = mapping_changes(camera_mapping(old_cameras), camera_mapping(new_cameras))
    pairs = mapping.as_details()
    details = geo_change_details(
        version_id,
        {"cameras": len(old_cameras), "zones": len(old_zones)},
        {"cameras": len(new_cameras), "zones": len(new_zones)},
        action=action,
        **camera_changes(old_cameras, new_cameras),
        **zone_changes(old_zones, new_zones),
        mapping_added=pairs["added"],
        mapping_removed=pairs["removed"],
    )
    when = at or datetime.now(UTC)
    return [NewEvent(EventKind.CONFIG_CHANGED.value, when, None, station, operator, details)]
