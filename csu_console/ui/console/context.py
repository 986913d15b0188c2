"""One context per station: who it is, who is logged in, how it writes and sends.

The console builds one :class:`StationContext` (app.py) and hands it to every
controller that writes an event, sends a message or asks who acts: they read the
station, the operator and the role from it at the moment they act, never from a
copy of their own, so a login, logout or handover changes them all in one place
(:class:`~csu_console.ui.console.session.Session`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from csu_console.core.alert_share import AlertShare
from csu_console.core.groups import GroupActions
from csu_console.core.hub_protocol import Escalation, PresenceReport, UnitRequest
from csu_console.core.roles import Role
from csu_console.core.states import Actor
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.session import Session


class StatusSender(Protocol):
    """The link (in its process) as far as alert states are concerned.

    Every state change's ``status`` is written to the outbox in the same
    transaction (``apply_transition``/``record_dispatch`` with a ``sid``); the
    link then sends it until answered (``csu_console.storage.outbox``).
    """

    def nudge_outbox(self) -> None:
        """A status was written to the outbox: send it now."""


@runtime_checkable
class HubSender(Protocol):
    """The link's messages to a hub (protocol § 9): units, presence, escalation.

    Sent only when the hub negotiated the feature; the link drops them otherwise.
    """

    def send_unit(self, request: UnitRequest) -> None:
        """Ask the hub to change a unit's status (§ 9.4)."""

    def send_presence(self, report: PresenceReport) -> None:
        """Say who is logged in here and what they look at (§ 9.5)."""

    def send_escalation(self, escalation: Escalation) -> None:
        """Tell every station an urgent alert was escalated (§ 9.6)."""

    def send_alert_share(self, share: AlertShare) -> None:
        """Offer one of this station's own alerts to every station (§ 9.10)."""


@dataclass
class StationContext:
    """This station, the session at it, its storage tasks and its link."""

    station: str  # the station's id (« poste-1 »), written into every event
    tasks: DbTasks
    session: Session
    link: StatusSender
    hub: HubSender | None = None  # None: no hub messages (a plain gateway, tests)
    name: str = ""  # the site's name, for titles
    #: Merges and splits shared across stations (ui/console/groups.py, set by
    #: app.py once built; None in tests that do not build it).
    groups: GroupActions | None = None

    @property
    def operator(self) -> str:
        """The login written into events ("" while nobody is logged in)."""
        return self.session.operator

    @property
    def role(self) -> Role | None:
        """The role of who is logged in (None: nobody)."""
        account = self.session.account
        return account.role if account is not None else None

    @property
    def since(self) -> datetime | None:
        """When the person logged in here logged in (None: nobody)."""
        return self.session.since

    @property
    def actor(self) -> Actor:
        """Who acts from this station now."""
        return Actor(self.station, self.operator)
