"""A review's result for the screen and the report: indicators of the period, the
end-of-shift digest, and their French wording (Qt-free, pure)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from csu_console.core.alerts import PRIORITY_LABELS
from csu_console.core.review.activity import CameraOutage, MutePeriod, OpenDispatch
from csu_console.core.review.filter import ReviewFilter, category_label, outcome_label
from csu_console.core.review.period import Period
from csu_console.core.review.rows import AlertRow
from csu_console.core.review.stats import AlertIndicators, DelayStats


@dataclass(frozen=True)
class Indicators:
    """Everything the indicator panel shows for a period and filter."""

    period: Period
    alerts: AlertIndicators
    open_at_end: int
    mutes: tuple[MutePeriod, ...]
    outages: tuple[CameraOutage, ...]
    load: dict[str, dict[str, int]]  # operator (an account) → event kind → count
    #: Events by identities that are not operators: « système », « ligne de commande (root) ».
    others: dict[str, int] = field(default_factory=dict)

    @property
    def muted_s(self) -> float:
        """Silent seconds, summed over stations."""
        return sum(m.seconds for m in self.mutes)

    def muted_by_station(self) -> dict[str, float]:
        """Silent seconds per station (« ? » when the event had none)."""
        out: dict[str, float] = defaultdict(float)
        for m in self.mutes:
            out[m.station or "?"] += m.seconds
        return dict(out)


@dataclass(frozen=True)
class ShiftDigest:
    """What the next shift inherits at ``end``: alerts still open, units still
    engaged, cameras still down, and the period's muted spans."""

    end: datetime
    open_alerts: tuple[AlertRow, ...]
    open_dispatches: tuple[OpenDispatch, ...]
    cameras_down: tuple[CameraOutage, ...]
    mutes: tuple[MutePeriod, ...]


@dataclass(frozen=True)
class Summary:
    """The indicators and the digest of one :class:`ReviewFilter` (no alert list)."""

    filter: ReviewFilter
    indicators: Indicators
    digest: ShiftDigest


@dataclass(frozen=True)
class Review(Summary):
    """A summary and the alerts it counts (oldest first; the first ones only when
    ``truncated``: the indicators always cover them all)."""

    rows: tuple[AlertRow, ...] = ()
    truncated: bool = False


def duration(seconds: float | None) -> str:
    """« 45 s », « 2 min 05 s », « 1 h 02 min »; « – » for None."""
    if seconds is None:
        return "–"
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


def _delays(stats: DelayStats) -> str:
    if stats.count == 0:
        return "aucune"
    return (
        f"médiane {duration(stats.median_s)}, p90 {duration(stats.p90_s)}, "
        f"max {duration(stats.max_s)} ({stats.count} alertes)"
    )


def _counts(counts: dict[str, int], label: dict[str, str] | None = None) -> str:
    names = label or {}
    return ", ".join(f"{names.get(k, k)} {n}" for k, n in counts.items()) or "aucune"


def indicator_table(
    ind: Indicators, zone_names: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """The indicators as (French label, value) rows, for the report and the screen."""
    a = ind.alerts
    categories = {c: category_label(c) for c in a.by_category}
    outcomes = {o: outcome_label(o) for o in a.by_outcome}
    priorities = {str(p): PRIORITY_LABELS.get(p, str(p)) for p in a.by_priority}
    cameras = "; ".join(
        f"{o.camera_name} {duration(o.seconds_in(ind.period))}"
        + (" (toujours hors service)" if o.back_at is None or o.back_at >= ind.period.end else "")
        for o in ind.outages
    )
    load = "; ".join(f"{op} {sum(kinds.values())}" for op, kinds in ind.load.items())
    return [
        ("Alertes reçues", str(a.count)),
        ("Par catégorie", _counts(a.by_category, categories)),
        ("Par priorité", _counts({str(k): v for k, v in a.by_priority.items()}, priorities)),
        ("Par zone", _counts(a.by_zone, zone_names)),
        ("Par issue", _counts(a.by_outcome, outcomes)),
        ("Délai de prise en compte", _delays(a.ack)),
        ("Jamais prises en compte", str(a.never_acknowledged)),
        ("Délai d'engagement", _delays(a.dispatch)),
        ("Escalades", str(a.escalated)),
        ("Alarme en sourdine", duration(ind.muted_s) if ind.mutes else "aucune"),
        ("Caméras hors service", cameras or "aucune"),
        ("Charge par opérateur (événements)", load or "aucune"),
        *(
            [("Hors opérateurs (événements)", "; ".join(f"{w} {n}" for w, n in ind.others.items()))]
            if ind.others
            else []
        ),
        ("Alertes ouvertes en fin de période", str(ind.open_at_end)),
    ]
