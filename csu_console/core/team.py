"""The team of stations as the hub tells it (protocol § 9), Qt-free.

What the hub shares besides claims: the units' status (§ 9.4), who is logged in
where and what they look at (§ 9.5), the escalations (§ 9.6) and its own health
(§ 9.7). :class:`TeamBook` keeps the newest word on each; :func:`merged_unit_states`
lays the hub's unit records over the station's own fold of its logbook (the newest
wins), so a unit engaged at another station shows engaged here too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from csu_console.core.dispatch import Stage, UnitState, UnitStatus
from csu_console.core.hub_protocol import AlertKey, PresenceRecord, UnitRecord
from csu_console.core.roles import Role

log = logging.getLogger("csu.core.team")

#: The console's roles as protocol § 9.1 names them.
HUB_ROLES: dict[Role, str] = {
    Role.OPERATEUR: "operator",
    Role.SUPERVISEUR: "supervisor",
    Role.ADMIN: "admin",
    Role.INSTALLATEUR: "installer",
}
ROLES_FROM_HUB: dict[str, Role] = {v: k for k, v in HUB_ROLES.items()}


def hub_role(role: Role | None) -> str:
    """The protocol's name of ``role`` ("" when nobody is logged in)."""
    return "" if role is None else HUB_ROLES[role]


@dataclass(frozen=True)
class StationView:
    """One line of the station list: the newest presence and since when it holds."""

    presence: PresenceRecord
    since: datetime  # online (or offline) since

    @property
    def station(self) -> str:
        return self.presence.station


@dataclass(frozen=True)
class Health:
    """The hub's health (§ 9.7): ``ok`` or ``degraded``, with why and since when."""

    state: str = "ok"
    detail: str = ""
    since: datetime | None = None

    @property
    def degraded(self) -> bool:
        return self.state != "ok"


class TeamBook:
    """The units, stations, escalations and health the hub reported."""

    def __init__(self, station: str) -> None:
        self.station = station
        self.hub = ""  # the hub this station is connected to (its ``welcome``)
        self.units: dict[str, UnitRecord] = {}
        self._stations: dict[str, StationView] = {}
        self._eids: set[str] = set()
        self.health = Health()

    # -- units ------------------------------------------------------------------

    def apply_unit(self, record: UnitRecord, *, force: bool = False) -> bool:
        """The hub's record of a unit; False when an older one arrives late.
        ``force``: the hub's answer to this station's own request (final)."""
        known = self.units.get(record.unit)
        if known is not None and not force and known.at > record.at:
            return False
        self.units[record.unit] = record
        return True

    def replace_units(self, records: tuple[UnitRecord, ...]) -> None:
        """A ``sync``: the hub's whole view of the units."""
        self.units = {}
        for r in records:
            self.apply_unit(r)

    # -- stations -----------------------------------------------------------------

    def apply_presence(self, record: PresenceRecord) -> StationView:
        """A station's presence; the ``since`` moves when it goes on- or offline."""
        known = self._stations.get(record.station)
        if known is not None and known.presence.at > record.at:
            return known
        since = record.at
        if known is not None and known.presence.online == record.online:
            since = known.since
        view = StationView(record, since)
        self._stations[record.station] = view
        return view

    def replace_presence(self, records: tuple[PresenceRecord, ...]) -> set[str]:
        """A ``sync``: every station's presence. Returns the stations it forgot."""
        gone = set(self._stations) - {r.station for r in records}
        for station in gone:
            del self._stations[station]
        for r in records:
            self.apply_presence(r)
        return gone

    def stations(self) -> list[StationView]:
        """Every station known, this one included, online ones first, by name."""
        return sorted(
            self._stations.values(), key=lambda v: (not v.presence.online, v.presence.station)
        )

    def station_view(self, station: str) -> StationView | None:
        return self._stations.get(station)

    def others_viewing(self, record: PresenceRecord) -> AlertKey | None:
        """What another station's operator is looking at (None: nothing, offline,
        or this station itself)."""
        if record.station == self.station or not record.online or not record.operator:
            return None
        return record.viewing

    # -- escalations and health -----------------------------------------------------

    def first_escalation(self, eid: str) -> bool:
        """True the first time ``eid`` is seen (a resend rings nothing)."""
        if eid in self._eids:
            return False
        self._eids.add(eid)
        return True

    def set_health(self, state: str, detail: str, since: datetime | None) -> bool:
        """The hub's health; True when it changed (ok ↔ degraded, or the detail)."""
        new = Health(state, detail, since)
        changed = new != self.health
        self.health = new
        return changed

    def connection_ended(self) -> None:
        """The link to the hub ended: its health and name say nothing any more."""
        self.health = Health()
        self.hub = ""


def unit_state_of(record: UnitRecord, station: str, alert_pk: int | None) -> UnitState:
    """The unit status a hub record stands for, as this station shows it."""
    engaged = record.status is UnitStatus.EN_INTERVENTION
    return UnitState(
        record.status,
        alert_pk if engaged else None,
        (record.stage or Stage.DISPATCHED) if engaged else None,
        record.at,
        station="" if record.station == station else record.station,
        operator=record.operator,
        alert_key=record.alert if engaged else None,
        comment=record.comment,
    )


def merged_unit_states(
    local: Mapping[str, UnitState],
    hub: Mapping[str, UnitRecord],
    station: str,
    pk_of: Callable[[AlertKey], int | None],
) -> dict[str, UnitState]:
    """Each unit's status: this station's own fold, or the hub's record when newer.

    The hub's records cover every station (this one's own changes come back from
    it); a record older than the station's own last change of that unit is stale.
    Units the settings do not list are left out.
    """
    out = dict(local)
    for uid, record in hub.items():
        mine = out.get(uid)
        if mine is None:
            continue
        if mine.since is not None and mine.since >= record.at:
            continue
        pk = pk_of(record.alert) if record.alert is not None else None
        out[uid] = unit_state_of(record, station, pk)
    return out
