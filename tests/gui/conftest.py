"""Builders for the GUI tests: alerts, stored alerts and commit outcomes made by hand."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from csu_console.core.alerts import Alert, AlertState, Category, Location, StoredAlert
from csu_console.core.intake import Outcome
from csu_console.core.protocol import Rejection
from csu_console.ui import theme

PARIS = ZoneInfo("Europe/Paris")
#: A winter instant: Paris is UTC+1, so 08:00 UTC shows as 09:00.
T0 = datetime(2025, 1, 15, 8, 0, 0, tzinfo=UTC)


@dataclass
class AlertFactory:
    """Makes valid alerts with unique ids and primary keys unless told otherwise."""

    source: str = "voisins-vigilants"
    t0: datetime = T0
    _n: int = field(default=0, init=False)
    _pk: int = field(default=0, init=False)

    def alert(self, alert_id: str | None = None, **kw: Any) -> Alert:
        """An :class:`Alert`; keyword arguments override the defaults."""
        self._n += 1
        values: dict[str, Any] = {
            "source": self.source,
            "id": alert_id or f"A-{self._n:05d}",
            "sent": self.t0,
            "category": Category.CAMBRIOLAGE,
            "priority": 3,
            "title": f"Alerte {self._n}",
            "description": "Porte fracturée",
            "location": Location(45.76, 4.88, "12 rue de la Paix", 15.0),
            "commune": "Villeurbanne",
        }
        values.update(kw)
        return Alert(**values)

    def stored(
        self,
        alert: Alert | None = None,
        *,
        pk: int | None = None,
        received_at: datetime | None = None,
        state: AlertState = AlertState.NEW,
        **kw: Any,
    ) -> StoredAlert:
        """A :class:`StoredAlert` as the store would return it."""
        a = alert or self.alert(**kw)
        self._pk += 1
        pk = pk if pk is not None else self._pk
        return StoredAlert(
            pk=pk,
            alert=a,
            received_at=received_at or self.t0 + timedelta(seconds=pk),
            seq=pk,
            state=state,
        )

    @staticmethod
    def outcome(stored: StoredAlert) -> Outcome:
        """The outcome of a frame that was stored."""
        return Outcome(stored.seq, "stored", stored.alert.id, stored)

    @staticmethod
    def rejected(seq: int | None = None, reason: str = "JSON invalide") -> Outcome:
        """The outcome of a frame that was rejected."""
        raw = b"{not json"
        return Outcome(seq, "rejected", rejection=Rejection(seq, reason, raw, len(raw), True))


@pytest.fixture
def make() -> AlertFactory:
    """A fresh alert factory."""
    return AlertFactory()


@pytest.fixture
def tz() -> ZoneInfo:
    """The site's time zone."""
    return PARIS


@pytest.fixture(autouse=True)
def _restore_the_look(qapp: Any) -> Iterator[None]:
    """A console applies its ``[ui]`` theme to the whole application: give the next
    test the look it started with."""
    style = qapp.style().name()
    palette, font, sheet = qapp.palette(), qapp.font(), qapp.styleSheet()
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)
    qapp.setStyleSheet(sheet)
    theme.reset_active()
