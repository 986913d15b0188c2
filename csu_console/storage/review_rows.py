"""Rows of the review's statements to the records of :mod:`csu_console.core.review.rows`
(see :class:`~csu_console.storage.review.ReviewReader`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import numpy as np

from csu_console.core.geo import Area
from csu_console.core.review.filter import NO_OUTCOME, ReviewFilter
from csu_console.core.review.places import ReviewZones
from csu_console.core.review.rows import AlertFacts, AlertRow, LogLine, UnitStep
from csu_console.core.review.zoning import zones_at
from csu_console.storage import review_sql as q
from csu_console.storage.review_schema import QUALIFIED_MARK, REOPENED_MARK

ZoneShapes = Sequence[tuple[str, Area]]


def bounds(f: ReviewFilter) -> dict[str, Any]:
    """The ``:start`` and ``:end`` parameters of a filter."""
    return {
        "start": f.start.isoformat(timespec="milliseconds"),
        "end": f.end.isoformat(timespec="milliseconds"),
    }


def log_line(r: Sequence[Any]) -> LogLine:
    """A ``LOGBOOK`` row."""
    pk, at, local, kind, alert_pk, station, operator, details = r
    parsed = json.loads(details) if details else {}
    parsed = parsed if isinstance(parsed, dict) else {"valeur": parsed}
    return LogLine(pk, at, local, kind, alert_pk, station, operator, parsed)


def unit_steps(rows: Sequence[Sequence[Any]]) -> list[UnitStep]:
    """``UNIT_STEPS`` / ``LATER_DISPATCH`` rows (those without a unit dropped)."""
    return [
        UnitStep(pk, datetime.fromisoformat(at), kind, alert_pk, unit, name or unit)
        for pk, at, kind, alert_pk, unit, name in rows
        if isinstance(unit, str)
    ]


def down_since(alert_id: str) -> datetime | None:
    """The outage start written in the alert's id (``camera-offline:<cam>:<UTC>``)."""
    stamp = alert_id.rsplit(":", 1)[-1]
    try:
        return datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def keep(
    f: ReviewFilter, open_at: str | None, zones: ZoneShapes = ()
) -> Callable[[Any], bool] | None:
    """The checks SQL could not make: zones, communes (from the zones containing
    the alert: see :class:`~csu_console.core.review.places.ReviewZones`; plain
    zones know no commune), outcomes, still open at ``open_at``."""
    tests: list[Callable[[Any], bool]] = []
    if f.zones:
        tests.append(lambda row: not f.zones.isdisjoint(row.zones))
    if f.communes:
        if isinstance(zones, ReviewZones):
            commune_key = zones.commune_key
            tests.append(lambda row: commune_key(row.zones) in f.communes)
        else:
            tests.append(lambda _row: False)
    if f.outcomes:
        tests.append(lambda row: not f.outcomes.isdisjoint(row.outcomes or (NO_OUTCOME,)))
    if open_at is not None:
        tests.append(lambda row: row.open_at(open_at))
    if not tests:
        return None
    return lambda row: all(test(row) for test in tests)


class RowMaker:
    """Rows of ``ALERTS`` (or ``FACTS``) to records, a batch at a time: zones in one
    numpy pass, the operators' texts (which repeat) split once."""

    def __init__(self, zones: ZoneShapes, corrections: dict[int, str]) -> None:
        self.zones = zones
        self.corrections = corrections
        self.split: dict[str | None, tuple[str, ...]] = {None: ()}

    def operators(self, text: str | None) -> tuple[str, ...]:
        found = self.split.get(text)
        if found is None:
            assert text is not None
            found = self.split[text] = tuple(dict.fromkeys(v for v in text.split(q.SEP) if v))
        return found

    def zones_of(self, batch: list[Any], lon: int, lat: int, zone: int) -> list[tuple[str, ...]]:
        lons = np.array([r[lon] for r in batch], dtype=np.float64)  # None → NaN
        lats = np.array([r[lat] for r in batch], dtype=np.float64)
        found = zones_at(lons, lats, self.zones)
        for i, r in enumerate(batch):
            if r[lat] is None and r[zone] is not None:
                found[i] = kept_zones(r[zone])  # position sealed by the purge
        return found

    def rows(self, batch: list[Any]) -> list[AlertRow]:
        in_zones = self.zones_of(batch, 8, 7, 22)
        make, ops, corr, outcomes = AlertRow._make, self.operators, self.corrections, _outcomes
        return [
            make((*r[:19], r[19] == 1, outcomes(r[20], corr) if r[20] else (), ops(r[21]), z))
            for r, z in zip(batch, in_zones, strict=True)
        ]

    def facts(self, batch: list[Any]) -> list[AlertFacts]:
        in_zones = self.zones_of(batch, 5, 4, 10)
        make, corr, outcomes = AlertFacts._make, self.corrections, _outcomes
        return [
            make((*r[:8], r[8] == 1, outcomes(r[9], corr) if r[9] else (), z))
            for r, z in zip(batch, in_zones, strict=True)
        ]


def kept_zones(text: str) -> tuple[str, ...]:
    """The zones ``alerts.zone`` keeps (a JSON array of zone ids; () if unreadable)."""
    try:
        value = json.loads(text)
    except ValueError:
        return ()
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _outcomes(text: str, corrections: dict[int, str]) -> tuple[str, ...]:
    """``"<pk>:<outcome>"`` items (char(31) between) → distinct outcomes, corrected.

    ``"<pk>:=<qualification>"`` is the qualification of a closing without any unit;
    ``"<pk>:~"`` a reopening, after which the earlier qualifications no longer count.
    """
    if q.SEP not in text and not corrections:
        outcome = text.partition(":")[2]  # the usual case: one intervention
        return (outcome.removeprefix(QUALIFIED_MARK),) if outcome != REOPENED_MARK else ()
    items: list[tuple[str, bool]] = []  # outcome, is a qualification
    for item in text.split(q.SEP):
        pk, _, outcome = item.partition(":")
        if outcome == REOPENED_MARK:
            items = [i for i in items if not i[1]]
        elif outcome.startswith(QUALIFIED_MARK):
            items.append((outcome.removeprefix(QUALIFIED_MARK), True))
        else:
            items.append((corrections.get(int(pk), outcome), False))
    return tuple(dict.fromkeys(o for o, _q in items))
