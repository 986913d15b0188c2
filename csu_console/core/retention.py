"""How long the console keeps what (RGPD, CNIL rules for video protection).

- video-related records (snapshots and their files): ``video_days``, 30 at most —
  the CNIL's ceiling for video-protection images, not a default one may raise;
- citizens' personal data (reporter pseudonym, free-text description,
  attachments, free comments in the logbook): ``personal_data_days``, then
  replaced by a salted hash (alerts and events stay, counted and chained);
- rejected frames (raw payloads, which may hold all of the above): ``rejected_days``;
- citizen reports (alerts from the citizen app, ``fmt = "json"`` with a ``seq``; not
  the partners' CAP alerts nor the console's own camera alerts): after
  ``citizen_days`` they keep only what the statistics need (category, zone,
  times, priority, state, review columns); title, description,
  address, coordinates, commune and CAP area text are replaced by their salted
  digest (the alert's digest in its ``received`` event still verifies).

Anything under an active legal hold (``legal_holds``) is left as it is.

The logbook's events are never deleted: the purge only seals their personal
details (see :mod:`csu_console.storage.retention`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

#: The CNIL's maximum for video-protection records, in days.
VIDEO_MAX_DAYS = 30


@dataclass(frozen=True)
class Cutoffs:
    """Records strictly older than these instants are purged."""

    video: datetime
    personal: datetime
    rejected: datetime
    citizen: datetime


@dataclass(frozen=True)
class RetentionPolicy:
    """``[retention]``: retention periods, in days."""

    video_days: int = VIDEO_MAX_DAYS
    personal_data_days: int = 90
    rejected_days: int = 30
    citizen_days: int = 90

    def __post_init__(self) -> None:
        if not 1 <= self.video_days <= VIDEO_MAX_DAYS:
            raise ValueError(f"video_days : 1–{VIDEO_MAX_DAYS} jours (CNIL)")
        if min(self.personal_data_days, self.rejected_days, self.citizen_days) < 1:
            raise ValueError("durées de conservation : 1 jour au moins")

    def cutoffs(self, now: datetime) -> Cutoffs:
        """The instants before which each kind of record goes."""
        return Cutoffs(
            video=now - timedelta(days=self.video_days),
            personal=now - timedelta(days=self.personal_data_days),
            rejected=now - timedelta(days=self.rejected_days),
            citizen=now - timedelta(days=self.citizen_days),
        )
