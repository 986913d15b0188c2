"""The report of one commune for its maire, over any period (Qt-free, plain data).

What the PDF prints (:mod:`csu_console.report.commune_pdf`), worked out here so
that it can be tested without Qt: the commune's alerts of the period (placed from
the geometry, see :class:`~csu_console.core.review.places.ReviewZones`), their
figures compared with the previous period of the same length, the alerts per
secteur of every zoning, their places over the commune's outline, and a list with
personal data minimised: no reporter, no phone, no free text (title, description,
address), only what the statistics keep.

:class:`CommuneCollector` takes the period's rows one by one and keeps, per
commune, a running tally, the first :data:`MAX_LISTED` alerts and at most
:data:`MAX_POINTS` points: a month of a busy territory is read once for every
commune, never held whole.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from csu_console.core.alerts import PRIORITY_LABELS, STATE_LABELS
from csu_console.core.retention import RetentionPolicy
from csu_console.core.review.digest import duration
from csu_console.core.review.filter import ReviewFilter, category_label, outcome_label
from csu_console.core.review.period import Period, day_period, long_date
from csu_console.core.review.places import ReviewZones
from csu_console.core.review.rows import AlertFacts, AlertRow
from csu_console.core.review.stats import AlertIndicators, AlertTally, DelayStats
from csu_console.core.territory import COMMUNE_ZONING, Commune

#: Alerts listed in a report (the figures always count every alert).
MAX_LISTED = 400
#: Points drawn on the report's map.
MAX_POINTS = 100_000

Ring = tuple[tuple[float, float], ...]


def whole_days(period: Period, tz: tzinfo) -> tuple[date, date] | None:
    """The first and last local days of a period from midnight to midnight (None
    for any other period: a shift, an hour)."""
    start, end = period.start.astimezone(tz), period.end.astimezone(tz)
    if start.time() != time(0) or end.time() != time(0):
        return None
    return start.date(), end.date() - timedelta(days=1)


def previous_period(period: Period, tz: tzinfo | None = None) -> Period:
    """The period of the same length just before ``period`` (the comparison): as
    many local days for whole days (a month of 31 days crossing the change to
    winter time is compared with the 31 days before it, midnight to midnight),
    else as many hours."""
    days = None if tz is None else whole_days(period, tz)
    if tz is not None and days is not None:
        first, last = days
        count = (last - first).days + 1
        return day_period(first - timedelta(days=count), first - timedelta(days=1), tz)
    length = period.end - period.start
    return Period(period.start - length, period.start)


def period_text(period: Period, tz: tzinfo) -> str:
    """« journée du lundi 2 juin 2025 », « du mercredi 1 octobre 2025 au vendredi 31
    octobre 2025 (31 jours) » for whole days; the times otherwise."""
    days = whole_days(period, tz)
    if days is None:
        return period.label(tz)
    first, last = days
    if first == last:
        return f"journée du {long_date(first)}"
    return f"du {long_date(first)} au {long_date(last)} ({(last - first).days + 1} jours)"


@dataclass(frozen=True)
class ListedAlert:
    """One alert as the maire's report lists it: nothing that identifies a person."""

    pk: int
    received_at: str  # ISO UTC, as stored
    category: str
    priority: int
    zones: tuple[str, ...]
    sector: str  # its zone of the first zoning declared (the secteur), « » if none
    state: str  # French, at the end of the period
    ack_s: float | None
    dispatch_s: float | None
    outcomes: tuple[str, ...]

    @classmethod
    def of(cls, row: AlertRow, end: str, sector: str = "") -> ListedAlert:
        return cls(row.pk, row.received_at, row.category, row.priority, row.zones, sector,
                   STATE_LABELS[row.state_at(end)], row.ack_s, row.dispatch_s,
                   row.outcomes)  # fmt: skip


@dataclass(frozen=True)
class Outline:
    """The commune's shapes for the map: its own outline (zones of the communes'
    zoning) when drawn, and its other zones (secteurs…), as rings of (lon, lat)."""

    commune: tuple[Ring, ...]
    zones: tuple[tuple[str, tuple[Ring, ...]], ...]  # (zone name, rings)

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        points = [p for ring in self.rings() for p in ring]
        if not points:
            return None
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return min(xs), min(ys), max(xs), max(ys)

    def rings(self) -> list[Ring]:
        return [*self.commune, *(r for _name, rings in self.zones for r in rings)]


@dataclass(frozen=True)
class CommuneReport:
    """Everything the PDF of one commune prints."""

    centre: str
    commune: Commune
    period: Period
    previous: Period
    tz: tzinfo
    author: str
    printed_at: datetime
    current: AlertIndicators
    before: AlertIndicators
    alerts: tuple[ListedAlert, ...]
    points: tuple[tuple[float, float, str], ...]  # lon, lat, category
    outline: Outline
    #: Alerts per zone of each zoning but the communes': (zoning label, ((zone name, n), …)).
    sectors: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    zone_names: dict[str, str] = field(default_factory=dict)
    retention: RetentionPolicy = field(default_factory=RetentionPolicy)

    @property
    def review_filter(self) -> ReviewFilter:
        """What the export event records: the period and this commune."""
        return ReviewFilter.for_period(self.period, communes={self.commune.key})

    @property
    def interventions(self) -> int:
        """Alerts on which a police municipale unit was engaged."""
        return self.current.count - self.current.never_dispatched

    @property
    def file_stem(self) -> str:
        """« rapport-25388-montbeliard-20250602 » (no accents, no spaces)."""
        return report_stem(self.commune, self.period, self.tz)


def report_stem(commune: Commune, period: Period, tz: tzinfo) -> str:
    """The file name (without « .pdf ») of a commune's report: INSEE code, name
    without accents nor spaces, first day of the period."""
    plain = unicodedata.normalize("NFKD", commune.name).encode("ascii", "ignore").decode()
    name = "-".join("".join(c if c.isalnum() else " " for c in plain.lower()).split())
    code = f"{commune.insee}-" if commune.insee else ""
    return f"rapport-{code}{name or 'commune'}-{period.start.astimezone(tz):%Y%m%d}"


class CommuneCollector:
    """Rows of a period to per-commune tallies, listed alerts and points."""

    def __init__(self, zones: ReviewZones, keys: Collection[str], end: datetime) -> None:
        self.zones = zones
        self.keys = frozenset(keys)
        self.end = end.isoformat(timespec="milliseconds")
        self.tallies: dict[str, AlertTally] = {k: AlertTally() for k in self.keys}
        self.listed: dict[str, list[ListedAlert]] = {k: [] for k in self.keys}
        self.points: dict[str, list[tuple[float, float, str]]] = {k: [] for k in self.keys}

    def add_rows(self, rows: Iterable[AlertRow]) -> None:
        key_of = self.zones.commune_key
        for row in rows:
            key = key_of(row.zones)
            if key is None or key not in self.keys:
                continue
            self.tallies[key].add(row)
            listed = self.listed[key]
            if len(listed) < MAX_LISTED:
                listed.append(ListedAlert.of(row, self.end, self.zones.sector_name(row.zones)))
            points = self.points[key]
            if row.lon is not None and row.lat is not None and len(points) < MAX_POINTS:
                points.append((row.lon, row.lat, row.category))


def tally_by_commune(
    zones: ReviewZones, keys: Collection[str], facts: Iterable[AlertFacts]
) -> dict[str, AlertIndicators]:
    """The indicators of each commune of ``keys`` (the previous period)."""
    tallies = {k: AlertTally() for k in keys}
    key_of = zones.commune_key
    for row in facts:
        key = key_of(row.zones)
        if key is not None and key in tallies:
            tallies[key].add(row)
    return {k: t.result() for k, t in tallies.items()}


def outline_of(zones: ReviewZones, commune: Commune) -> Outline:
    """The commune's outline and zones, for its map."""
    own: list[Ring] = []
    others: list[tuple[str, tuple[Ring, ...]]] = []
    for zid, area in zones:
        ref = zones.ref(zid)
        if ref is None or ref.commune.key != commune.key:
            continue
        rings = tuple(
            tuple((float(x), float(y)) for x, y in polygon[0]) for polygon in area.polygons
        )
        if ref.zoning == COMMUNE_ZONING:
            own.extend(rings)
        else:
            others.append((ref.name, rings))
    return Outline(tuple(own), tuple(others))


def sectors_of(
    zones: ReviewZones, commune: Commune, indicators: AlertIndicators
) -> tuple[tuple[str, tuple[tuple[str, int], ...]], ...]:
    """Alerts per zone of the commune, zoning by zoning (the communes' own zoning
    left out: it is the commune itself); zones without alerts count 0."""
    out = []
    for zoning, refs in zones.zoning_groups():
        if zoning.id == COMMUNE_ZONING:
            continue
        mine = [r for r in refs if r.commune.key == commune.key]
        if mine:
            counts = sorted(((r.name, indicators.by_zone.get(r.id, 0)) for r in mine),
                            key=lambda item: (-item[1], item[0]))  # fmt: skip
            out.append((zoning.label, tuple(counts)))
    return tuple(out)


# -- the figures as the report prints them ------------------------------------------


def change_text(now: float | None, before: float | None, *, delay: bool = False) -> str:
    """« +3 (+25 %) », « −2 (−40 %) », « +1 min 36 s (+48 %) » for a ``delay`` in
    seconds, « = », « +1 (nouveau) », or « – » without a value."""
    if now is None or before is None:
        return "–"
    diff = now - before
    if diff == 0:
        return "="
    sign = "+" if diff > 0 else "−"
    amount = duration(abs(diff)) if delay else f"{abs(diff):g}"
    if before == 0:
        return f"{sign}{amount} (nouveau)"
    return f"{sign}{amount} ({sign}{abs(diff) / before:.0%})".replace("%", " %")


def _delay(stats: DelayStats, which: str) -> float | None:
    value = stats.median_s if which == "median" else stats.p90_s
    return None if value is None else round(value)


def _delay_text(value: float | None) -> str:
    return "–" if value is None else duration(value)


def key_figures(report: CommuneReport) -> list[tuple[str, str, str, str]]:
    """(figure, this period, previous period, change) rows of the report's table."""
    a, b = report.current, report.before
    rows: list[tuple[str, str, str, str]] = [
        ("Alertes reçues", str(a.count), str(b.count), change_text(a.count, b.count)),
    ]
    for priority, label in PRIORITY_LABELS.items():
        n, m = a.by_priority.get(priority, 0), b.by_priority.get(priority, 0)
        if n or m:
            rows.append((f"   dont priorité {priority} ({label})", str(n), str(m),
                         change_text(n, m)))  # fmt: skip
    for which, label in (("median", "délai médian"), ("p90", "9 sur 10 en moins de")):
        now, then = _delay(a.ack, which), _delay(b.ack, which)
        rows.append((f"Prise en compte : {label}", _delay_text(now), _delay_text(then),
                     change_text(now, then, delay=True)))  # fmt: skip
    engaged_now, engaged_before = a.count - a.never_dispatched, b.count - b.never_dispatched
    rows.append(("Interventions de la police municipale", str(engaged_now),
                 str(engaged_before), change_text(engaged_now, engaged_before)))  # fmt: skip
    now, then = _delay(a.dispatch, "median"), _delay(b.dispatch, "median")
    rows.append(("Patrouille engagée : délai médian", _delay_text(now), _delay_text(then),
                 change_text(now, then, delay=True)))  # fmt: skip
    rows.append(("Alertes escaladées au chef de salle", str(a.escalated), str(b.escalated),
                 change_text(a.escalated, b.escalated)))  # fmt: skip
    return rows


def category_pairs(report: CommuneReport) -> list[tuple[str, int, int]]:
    """(category label, this period, previous period), most frequent first."""
    cats = dict.fromkeys([*report.current.by_category, *report.before.by_category])
    out = [(category_label(c), report.current.by_category.get(c, 0),
            report.before.by_category.get(c, 0)) for c in cats]  # fmt: skip
    return sorted(out, key=lambda item: (-item[1], -item[2], item[0]))


def outcome_items(report: CommuneReport) -> list[tuple[str, int]]:
    """(outcome label, alerts) of the period, « sans intervention terminée » included."""
    return [(outcome_label(o), n) for o, n in report.current.by_outcome.items()]


def retention_text(policy: RetentionPolicy) -> str:
    """The CNIL reminder of every page's footer."""
    return (
        "Document à diffusion restreinte, données personnelles minimisées (RGPD). "
        f"Conservation au CSU : signalements citoyens {policy.citizen_days} j, données "
        f"personnelles {policy.personal_data_days} j, images {policy.video_days} j au plus "
        "(CNIL). Ne pas conserver au-delà de l'usage."
    )
