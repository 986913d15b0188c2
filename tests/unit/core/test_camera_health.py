"""Outages become one low-priority alert each, only once they last long enough."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from csu_console.core.alerts import PRIORITY_MAX, Category
from csu_console.core.camera_health import OutageWatch, outage_alert

T0 = datetime(2026, 11, 22, 3, 0, tzinfo=UTC)


def test_an_outage_is_raised_once_after_the_delay() -> None:
    watch = OutageWatch(offline_after_s=300)
    watch.down("cam01", 100.0, T0, "délai dépassé")
    watch.down("cam01", 250.0, T0 + timedelta(seconds=150))  # still the same outage
    assert watch.due(399.9) == []
    (outage,) = watch.due(400.0)
    assert outage.camera_id == "cam01" and outage.detail == "délai dépassé"
    assert watch.due(1000.0) == []  # once per outage


def test_a_short_drop_raises_nothing_and_recovery_is_reported_only_when_raised() -> None:
    watch = OutageWatch(offline_after_s=300)
    watch.down("cam01", 0.0, T0)
    assert watch.up("cam01") is None  # back before the delay: nothing to say
    assert watch.due(10_000.0) == []
    watch.down("cam02", 0.0, T0)
    watch.due(300.0)
    back = watch.up("cam02")
    assert back is not None and back.camera_id == "cam02"
    watch.down("cam02", 500.0, T0)  # a new outage starts a new clock
    assert watch.due(700.0) == [] and len(watch.due(800.0)) == 1


def test_forgotten_cameras_are_not_down() -> None:
    watch = OutageWatch(offline_after_s=10)
    watch.down("cam03", 0.0, T0)
    watch.forget("cam03")
    assert watch.due(100.0) == []


def test_outage_alert_is_low_priority_at_the_camera() -> None:
    watch = OutageWatch(offline_after_s=60)
    watch.down("cam04", 0.0, T0, "refusé")
    (outage,) = watch.due(60.0)
    alert = outage_alert(
        outage, "Esplanadi Est", 24.95, 60.17, "poste-1", T0 + timedelta(minutes=6)
    )
    assert alert.priority == PRIORITY_MAX and alert.category is Category.AUTRE
    assert alert.title == "Caméra hors service : Esplanadi Est"
    assert "depuis 6 min" in alert.description and "refusé" in alert.description
    assert alert.location is not None and (alert.location.lon, alert.location.lat) == (24.95, 60.17)
    assert alert.id == "camera-offline:cam04:20261122T030000Z" and alert.source == "csu-console"
