"""The link status label: text, colour and alarm for each link phase."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from csu_console.net.state import LinkPhase, LinkStatus
from csu_console.ui.console.link_status import LinkStatusLabel
from csu_console.ui.theme import LINK_LOST, LINK_OK, LINK_WARN

URL = "wss://passerelle.example:8443/v1"
# Winter: Paris is UTC+1.
SINCE = datetime(2025, 1, 15, 8, 0, 0, tzinfo=UTC)
LOST_AT = datetime(2025, 1, 15, 7, 58, 30, tzinfo=UTC)


@pytest.fixture
def label(qtbot: Any, tz: ZoneInfo) -> LinkStatusLabel:
    w = LinkStatusLabel(tz)
    qtbot.addWidget(w)
    w.resize(900, 50)
    return w


def status(phase: LinkPhase, **kw: Any) -> LinkStatus:
    return LinkStatus(phase=phase, url=URL, since=kw.pop("since", SINCE), **kw)


def seconds_shown(text: str) -> int:
    found = re.search(r"\((\d+) s\)", text)
    assert found, text
    return int(found.group(1))


def background(label: LinkStatusLabel) -> QColor:
    """The colour actually painted near the left edge, away from the text."""
    image = label.grab().toImage()
    return image.pixelColor(6, image.height() // 2)


def test_placeholder_before_any_status(label: LinkStatusLabel) -> None:
    assert label.text() == "Liaison : démarrage…"
    assert label.status is None
    assert background(label) == QColor(LINK_WARN)


def test_connected_is_green(qtbot: Any, label: LinkStatusLabel) -> None:
    with qtbot.assertNotEmitted(label.alarm_changed):
        label.on_link_status_changed(status(LinkPhase.CONNECTED))
    assert label.text() == "Liaison connectée depuis 09:00:00"
    assert LINK_OK in label.styleSheet()
    assert background(label) == QColor(LINK_OK)
    assert label.toolTip()  # the gateway address


def test_lost_then_connected_raises_and_clears_the_alarm(
    qtbot: Any, label: LinkStatusLabel
) -> None:
    lost = status(LinkPhase.LOST, lost_since=LOST_AT, attempt=4, error="connexion refusée")
    with qtbot.waitSignal(label.alarm_changed, timeout=1000) as raised:
        label.on_link_status_changed(lost)
    assert raised.args == [True]
    assert "LIAISON PERDUE depuis 08:58:30" in label.text()
    assert "tentative 4" in label.text()
    assert background(label) == QColor(LINK_LOST)
    assert label.status is lost

    # A second LOST (next attempt) does not raise the alarm again.
    with qtbot.assertNotEmitted(label.alarm_changed):
        label.on_link_status_changed(
            status(LinkPhase.LOST, lost_since=LOST_AT, attempt=5, error="délai dépassé")
        )
    assert "tentative 5" in label.text()

    with qtbot.waitSignal(label.alarm_changed, timeout=1000) as cleared:
        label.on_link_status_changed(status(LinkPhase.CONNECTED))
    assert cleared.args == [False]
    assert label.text().startswith("Liaison connectée")
    assert background(label) == QColor(LINK_OK)


def test_lost_duration_keeps_counting(qtbot: Any, label: LinkStatusLabel) -> None:
    lost_since = datetime.now(UTC) - timedelta(seconds=5)
    label.on_link_status_changed(status(LinkPhase.LOST, lost_since=lost_since, attempt=1))
    first = label.text()
    assert seconds_shown(first) >= 5
    qtbot.waitUntil(lambda: label.text() != first, timeout=3000)
    assert seconds_shown(label.text()) > seconds_shown(first)


def test_refused_mentions_the_token(qtbot: Any, label: LinkStatusLabel) -> None:
    refused = status(LinkPhase.REFUSED, lost_since=LOST_AT, error="HTTP 401")
    with qtbot.waitSignal(label.alarm_changed, timeout=1000) as raised:
        label.on_link_status_changed(refused)
    assert raised.args == [True]
    text = label.text()
    assert "LIAISON REFUSÉE" in text
    assert "jeton" in text
    assert "HTTP 401" in text
    assert "08:58:30" in text
    assert background(label) == QColor(LINK_LOST)


def test_storage_down_is_an_alarm(qtbot: Any, label: LinkStatusLabel) -> None:
    with qtbot.waitSignal(label.alarm_changed, timeout=1000) as raised:
        label.on_link_status_changed(status(LinkPhase.STORAGE_DOWN, error="disque plein"))
    assert raised.args == [True]
    assert "ENREGISTREMENT IMPOSSIBLE" in label.text()
    assert "disque plein" in label.text()


def test_a_full_disk_is_named_and_the_resend_said(qtbot: Any, label: LinkStatusLabel) -> None:
    full = "Base de données indisponible : database or disk is full"
    with qtbot.waitSignal(label.alarm_changed, timeout=1000) as raised:
        label.on_link_status_changed(status(LinkPhase.STORAGE_DOWN, error=full))
    assert raised.args == [True]
    assert label.text() == "DISQUE PLEIN – alertes non acquittées : la passerelle les renverra"
    assert background(label) == QColor(LINK_LOST)
    assert "database or disk is full" in label.toolTip().replace("\xa0", " ")


@pytest.mark.parametrize(
    ("phase", "text"),
    [(LinkPhase.CONNECTING, "connexion en cours"), (LinkPhase.STOPPED, "Liaison arrêtée")],
)
def test_transient_phases_are_orange(
    qtbot: Any, label: LinkStatusLabel, phase: LinkPhase, text: str
) -> None:
    with qtbot.assertNotEmitted(label.alarm_changed):
        label.on_link_status_changed(status(phase))
    assert text in label.text()
    assert background(label) == QColor(LINK_WARN)


def test_error_from_the_gateway_stays_plain_text(qtbot: Any, label: LinkStatusLabel) -> None:
    error = "<h1>jeton</h1><img src='x'>"
    label.on_link_status_changed(status(LinkPhase.REFUSED, lost_since=LOST_AT, error=error))
    assert label.textFormat() == Qt.TextFormat.PlainText
    assert error in label.text()
    assert "<h1>" not in label.toolTip()
    assert "&lt;h1&gt;" in label.toolTip()
