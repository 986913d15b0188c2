"""When a camera down becomes an alert of its own (Qt-free).

A stream that drops retries by itself; the operator only needs to hear about a
camera that stays down. :class:`OutageWatch` is told when each camera goes down
or comes back, and says which outages have lasted long enough to raise a
low-priority "caméra hors service" alert — once per outage — and which raised
outages have ended.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from csu_console.core.alerts import PRIORITY_MAX, Alert, Category, Location


@dataclass
class Outage:
    camera_id: str
    down_since: float  # monotonic
    down_since_utc: datetime
    detail: str = ""
    raised: bool = False


@dataclass
class OutageWatch:
    """Tracks camera outages; ``offline_after_s`` comes from the settings."""

    offline_after_s: float = 300.0
    outages: dict[str, Outage] = field(default_factory=dict)

    def down(self, camera_id: str, now: float, now_utc: datetime, detail: str = "") -> None:
        """``camera_id`` has no picture (the first call of an outage starts its clock)."""
        outage = self.outages.get(camera_id)
        if outage is None:
            self.outages[camera_id] = Outage(camera_id, now, now_utc, detail)
        elif detail:
            outage.detail = detail

    def up(self, camera_id: str) -> Outage | None:
        """``camera_id`` is back; returns its outage when an alert had been raised for it."""
        outage = self.outages.pop(camera_id, None)
        return outage if outage is not None and outage.raised else None

    def forget(self, camera_id: str) -> None:
        """Nobody watches ``camera_id`` any more: its state is unknown, not down."""
        self.outages.pop(camera_id, None)

    def due(self, now: float) -> list[Outage]:
        """Outages that just crossed ``offline_after_s``; each is returned once."""
        ready = [
            o
            for o in self.outages.values()
            if not o.raised and now - o.down_since >= self.offline_after_s
        ]
        for o in ready:
            o.raised = True
        return ready


def technical_alert(
    ident: str,
    title: str,
    description: str,
    place: Location,
    kind: str,
    extra: dict[str, str],
    now_utc: datetime,
) -> Alert:
    """A low-priority technical alert the console raises itself (a camera down,
    recording interrupted): source ``csu-console``, category « autre » with ``kind``
    as its raw text, priority 4; ``ident`` makes one per incident."""
    return Alert(
        source="csu-console",
        id=ident,
        sent=now_utc,
        category=Category.AUTRE,
        priority=PRIORITY_MAX,
        title=title,
        description=description,
        location=place,
        category_raw=kind,
        extra=extra,
    )


def outage_alert(
    outage: Outage, camera_name: str, lon: float, lat: float, station: str, now_utc: datetime
) -> Alert:
    """The low-priority alert the console raises for a camera down too long."""
    minutes = max(1, round((now_utc - outage.down_since_utc).total_seconds() / 60))
    return technical_alert(
        f"camera-offline:{outage.camera_id}:{outage.down_since_utc:%Y%m%dT%H%M%SZ}",
        f"Caméra hors service : {camera_name}",
        f"Pas d'image de la caméra {camera_name} ({outage.camera_id}) depuis "
        f"{minutes} min. {outage.detail}".strip(),
        Location(lat=lat, lon=lon, address=camera_name),
        "camera_hors_service",
        {"camera_id": outage.camera_id, "station": station},
        now_utc,
    )
