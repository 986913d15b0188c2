"""What happened to each frame of a committed batch: shared by the console's store,
the alert link and the hub's intake (no Qt, no storage)."""

from __future__ import annotations

from dataclasses import dataclass

from csu_console.core.alerts import StoredAlert
from csu_console.core.protocol import Rejection


@dataclass(frozen=True)
class Outcome:
    """What happened to one frame of a committed batch.

    ``kind`` is one of :data:`OUTCOME_KINDS`; ``stored`` is the alert as the console
    stored it (None at the hub, which keeps frames, not rows):

    - ``stored``: a new alert — as it is once the Updates and Cancels kept for it
      (``pending``) are applied in the same transaction (``version`` > 0,
      ``issuer_state`` CANCELLED); ``duplicate``: already had it (any CAP message
      seen before by its (sender, identifier)); ``rejected``;
    - ``updated``: a CAP Update replaced the content of the alert ``stored`` (same
      ``pk``, ``version`` + 1); ``rings`` says whether it rings again (its
      priority rose);
    - ``cancelled``: a CAP Cancel marked ``stored`` (``issuer_state`` CANCELLED);
    - ``pending``: an Update or Cancel of an alert not received yet, kept and
      applied when it comes (it then yields ``updated``/``cancelled``);
    - ``logged``: an Ack, Error, Test or System message, in the partner-feed log
      only, never in the queue.
    """

    seq: int | None
    kind: str  # see OUTCOME_KINDS
    alert_id: str | None = None
    stored: StoredAlert | None = None
    rejection: Rejection | None = None
    received_mono: float = 0.0  # time.monotonic() when the frame arrived (latency)
    rings: bool = True  # for "updated": rings again only when its priority rose
    #: An Update or Cancel referencing several known alerts: the others it changed
    #: (``stored`` is the first), as they are now.
    others: tuple[StoredAlert, ...] = ()


OUTCOME_KINDS = frozenset(
    {"stored", "duplicate", "rejected", "updated", "cancelled", "pending", "logged"}
)
