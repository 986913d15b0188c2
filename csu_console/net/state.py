"""Link state as seen by the operator, and the listener interface of the link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from csu_console.core.hub_protocol import HubMessage
from csu_console.core.intake import Outcome
from csu_console.core.protocol import Rejection, UpdateMessage


class LinkPhase(StrEnum):
    """Where the link is; ``LOST`` means not connected and trying again."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    LOST = "lost"
    REFUSED = "refused"  # the gateway refused our credentials
    STORAGE_DOWN = "storage_down"  # connected but nothing can be committed
    STOPPED = "stopped"


@dataclass(frozen=True)
class LinkStatus:
    """A snapshot of the link for the status display."""

    phase: LinkPhase
    url: str
    since: datetime
    lost_since: datetime | None = None
    attempt: int = 0
    next_retry_s: float | None = None
    error: str = ""
    #: The hub this connection is on (its ``welcome``); empty on a plain v1 gateway.
    hub: str = ""
    #: The hub said « degraded » (``hub_health``): its detail, else empty.
    hub_degraded: str = ""


class LinkListener(Protocol):
    """Receives the link's news. Called from the network or storage thread:
    implementations must hand over to their own thread (the Qt bridge does)."""

    def link_status_changed(self, status: LinkStatus) -> None:
        """The link changed phase."""

    def frames_committed(self, outcomes: list[Outcome]) -> None:
        """A batch was committed: new alerts, duplicates and rejections."""

    def update_received(self, update: UpdateMessage) -> None:
        """Another station acted on an alert."""

    def hub_message(self, message: HubMessage) -> None:
        """A message of the hub extension (claims, units, presence, escalation,
        status results, hub health); in link order with the commits. Never called
        on a plain protocol-v1 gateway."""

    def storage_failed(self, message: str) -> None:
        """A batch could not be committed; it will be received again."""


class NullListener:
    """A listener that ignores everything (command-line and tests)."""

    def link_status_changed(self, status: LinkStatus) -> None:
        """Ignore."""

    def frames_committed(self, outcomes: list[Outcome]) -> None:
        """Ignore."""

    def update_received(self, update: UpdateMessage) -> None:
        """Ignore."""

    def hub_message(self, message: HubMessage) -> None:
        """Ignore."""

    def storage_failed(self, message: str) -> None:
        """Ignore."""


__all__ = ["LinkListener", "LinkPhase", "LinkStatus", "NullListener", "Rejection"]
