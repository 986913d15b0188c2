"""The team's shared state (core/team.py): units merged newest-wins over the
station's own fold, presence with online/offline since, escalations once, health."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from csu_console.core.dispatch import Stage, UnitState, UnitStatus
from csu_console.core.hub_protocol import PresenceRecord, UnitRecord
from csu_console.core.roles import Role
from csu_console.core.team import HUB_ROLES, ROLES_FROM_HUB, TeamBook, hub_role, merged_unit_states

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
KEY = ("vv", "A-1")


def t(s: int) -> datetime:
    return T0 + timedelta(seconds=s)


def engaged(at: datetime, station: str = "poste-2") -> UnitRecord:
    return UnitRecord(
        "pm-a1", UnitStatus.EN_INTERVENTION, station, "martin", at, KEY, Stage.ON_SITE
    )


def test_roles_map_both_ways() -> None:
    assert set(HUB_ROLES) == set(Role)
    assert all(ROLES_FROM_HUB[HUB_ROLES[r]] is r for r in Role)
    assert hub_role(None) == "" and hub_role(Role.SUPERVISEUR) == "supervisor"


def test_the_newest_word_on_a_unit_wins() -> None:
    local = {"pm-a1": UnitState(since=t(10)), "pm-b": UnitState()}
    pk_of = {KEY: 7}.get
    # Older than this station's own change: stale.
    merged = merged_unit_states(local, {"pm-a1": engaged(t(5))}, "poste-1", pk_of)
    assert merged["pm-a1"].status is UnitStatus.DISPONIBLE
    # Newer: shown, with the other station and the local number of its alert.
    merged = merged_unit_states(local, {"pm-a1": engaged(t(20))}, "poste-1", pk_of)
    shown = merged["pm-a1"]
    assert (shown.status, shown.alert_pk, shown.stage) == (
        UnitStatus.EN_INTERVENTION,
        7,
        Stage.ON_SITE,
    )
    assert shown.station == "poste-2" and shown.holder() == "poste-2 – martin"
    # This station's own record (its echo): no « other station ».
    merged = merged_unit_states(local, {"pm-a1": engaged(t(20), "poste-1")}, "poste-1", pk_of)
    assert merged["pm-a1"].station == "" and merged["pm-a1"].holder() == ""
    # A unit never changed here takes the hub's word; one not in the settings is left out.
    ghost = UnitRecord("pm-zz", UnitStatus.INDISPONIBLE, "poste-2", "", t(1))
    merged = merged_unit_states(
        local, {"pm-b": engaged(t(1)), "pm-zz": ghost}, "poste-1", lambda _k: None
    )
    assert merged["pm-b"].status is UnitStatus.EN_INTERVENTION and merged["pm-b"].alert_pk is None
    assert merged["pm-b"].alert_key == KEY and "pm-zz" not in merged


def test_unit_records_keep_the_newest_unless_forced() -> None:
    book = TeamBook("poste-1")
    assert book.apply_unit(engaged(t(10)))
    assert not book.apply_unit(engaged(t(5), "poste-3"))
    assert book.units["pm-a1"].station == "poste-2"
    assert book.apply_unit(engaged(t(5), "poste-3"), force=True)
    book.replace_units(())
    assert book.units == {}


def test_presence_since_moves_only_when_online_changes() -> None:
    book = TeamBook("poste-1")
    book.apply_presence(PresenceRecord("poste-2", "martin", "operator", t(0)))
    view = book.apply_presence(PresenceRecord("poste-2", "martin", "operator", t(30), KEY))
    assert view.since == t(0) and view.presence.viewing == KEY
    view = book.apply_presence(PresenceRecord("poste-2", "martin", "operator", t(60), online=False))
    assert view.since == t(60)
    stale = book.apply_presence(PresenceRecord("poste-2", "martin", "operator", t(40)))
    assert stale.presence.at == t(60)  # an older word changes nothing
    book.apply_presence(PresenceRecord("poste-0", "durand", "supervisor", t(1)))
    assert [v.station for v in book.stations()] == ["poste-0", "poste-2"]  # online first
    assert book.replace_presence((PresenceRecord("poste-0", "durand", "supervisor", t(70)),)) == {
        "poste-2"
    }


def test_what_others_look_at() -> None:
    book = TeamBook("poste-1")
    assert book.others_viewing(PresenceRecord("poste-2", "m", "operator", t(0), KEY)) == KEY
    assert book.others_viewing(PresenceRecord("poste-1", "me", "operator", t(0), KEY)) is None
    offline = PresenceRecord("poste-2", "m", "operator", t(0), KEY, online=False)
    assert book.others_viewing(offline) is None
    assert book.others_viewing(PresenceRecord("poste-2", "", "", t(0), KEY)) is None


def test_escalations_once_and_health() -> None:
    book = TeamBook("poste-1")
    assert book.first_escalation("poste-2:e1") and not book.first_escalation("poste-2:e1")
    assert book.set_health("degraded", "NATS injoignable", t(0)) and book.health.degraded
    assert not book.set_health("degraded", "NATS injoignable", t(0))
    book.hub = "hub-a"
    book.connection_ended()
    assert not book.health.degraded and book.hub == ""
