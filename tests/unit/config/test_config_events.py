"""The config_changed event of a cameras/zones change: what changed, by id; no secret."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from csu_console.config import default_config_dir, load_site
from csu_console.config.events import config_change_events
from csu_console.config.schema import Camera, Zone
from csu_console.core.geo import Area
from csu_console.core.logbook import EventKind
from csu_console.storage.store import DB_NAME, Store

SITE = load_site(default_config_dir())
AT = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def _changed() -> tuple[list[Camera], list[Zone]]:
    cams = list(SITE.cameras)
    cams[0] = replace(cams[0], lon=cams[0].lon + 0.0001)  # moved ~5.6 m east
    cams[1] = replace(
        cams[1],
        heading_deg=90.0,
        stream_main="rtsp://admin:Tr0ub4dor@127.0.0.1:8554/cam02-hd",
        zones=("secteur-gare",),
    )
    del cams[8]  # cam-09 removed
    cams.append(replace(SITE.cameras[8], id="cam-10", name="CAM-10"))
    zones = list(SITE.zones)
    zones[1] = replace(zones[1], name="Secteur du Port")
    zones[2] = replace(zones[2], area=Area(zones[2].area.polygons[:1]))  # same: not edited
    square = ((24.95, 60.17), (24.951, 60.17), (24.951, 60.171), (24.95, 60.17))
    zones.append(replace(zones[0], id="secteur-nouveau", area=Area(((square,),))))
    return cams, zones


def test_one_event_describing_every_change() -> None:
    cams, zones = _changed()
    events = config_change_events(
        SITE.cameras, SITE.zones, cams, zones, "20250301T093000Z-4", at=AT, operator="inst"
    )
    assert len(events) == 1
    event = events[0]
    assert (event.kind, event.at, event.operator) == (EventKind.CONFIG_CHANGED.value, AT, "inst")
    d = dict(event.details or {})
    assert d["file"] == "cameras.geojson, zones.geojson"
    assert (d["section"], d["key"], d["version"]) == ("geo", "save", "20250301T093000Z-4")
    assert d["before"] == {"cameras": 9, "zones": 10}  # 7 + the 3 demo communes
    assert d["after"] == {"cameras": 9, "zones": 11}
    assert d["cameras_added"] == ["cam-10"]
    assert d["cameras_removed"] == ["cam-09"]
    [moved] = d["cameras_moved"]
    assert moved["id"] == "cam-01" and 5.0 < moved["distance_m"] < 6.0
    [edited] = d["cameras_edited"]
    assert edited["id"] == "cam-02"
    assert edited["fields"] == ["heading_deg", "zones", "stream_main"]
    assert edited["values"] == {
        "heading_deg": [75.0, 90.0],
        "zones": [["secteur-gare", "quartier-kluuvi"], ["secteur-gare"]],
    }
    assert d["zones_added"] == ["secteur-nouveau"]
    assert d["zones_removed"] == []
    assert d["zones_edited"] == [{"id": "secteur-port", "fields": ["name"]}]
    assert d["mapping_added"] == ["cam-10→quartier-kamppi", "cam-10→secteur-gare"]
    assert d["mapping_removed"] == [
        "cam-02→quartier-kluuvi",
        "cam-09→quartier-kamppi",
        "cam-09→secteur-gare",
    ]


def test_no_credentials_in_the_event_even_when_only_they_change() -> None:
    cams = [
        replace(c, stream_main=c.stream_main.replace("://", "://admin:Tr0ub4dor@"))
        for c in SITE.cameras
    ]
    [event] = config_change_events(SITE.cameras, SITE.zones, cams, SITE.zones, "v1")
    text = json.dumps(event.details)
    assert "Tr0ub4dor" not in text and "admin" not in text
    assert event.details is not None and event.details["cameras_edited"] == []


def test_event_goes_into_the_logbook_chain(tmp_path: Path) -> None:
    cams, zones = _changed()
    store = Store(tmp_path / DB_NAME)
    try:
        store.add_events(config_change_events(SITE.cameras, SITE.zones, cams, zones, "v2", at=AT))
        assert store.verify_chain().ok
        rows = [r for r in store.iter_rows("events", None, None) if r["kind"] == "config_changed"]
        assert len(rows) == 1
        assert json.loads(rows[0]["details"])["cameras_removed"] == ["cam-09"]
    finally:
        store.close()
