"""What the supervisor looks at: a period and optional filters (Qt-free).

An empty set means « tous ». The period selects the alerts *received* in it
(their delays count for the shift that received them, even when acknowledged
after its end) and the events *logged* in it (operators' load, mutes, the main
courante). The other filters select alerts:

- ``operators``: one of them handled the alert (acknowledged, took over, dispatched,
  closed, noted… at any time; having it displayed does not count);
- ``stations``: an event of the alert was logged at one of them (received included);
- ``categories``, ``priorities``: the alert's own values;
- ``zones``: the alert's position lies in one of these zones, of any zoning
  (computed from the site's zones at query time, see :mod:`~csu_console.core.review.zoning`);
- ``communes``: keys (INSEE code, or name) of the communes the alert lies in, from
  the same zones (:class:`~csu_console.core.review.places.ReviewZones`), not the
  commune the citizen typed (kept as « commune déclarée »);
- ``outcomes``: one of its interventions ended so (:class:`~csu_console.core.dispatch.Outcome`
  values, corrections applied), or it was closed without any unit with that
  qualification (:class:`~csu_console.core.closing.Qualification`; « fausse alerte »
  and « autre » are the same values in both), or :data:`NO_OUTCOME` for neither.

Operators and stations also narrow the events counted for load and mutes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime, tzinfo
from typing import Any

from csu_console.core.alerts import CATEGORY_LABELS, PRIORITY_LABELS, Category
from csu_console.core.closing import QUALIFICATION_LABELS, Qualification
from csu_console.core.dispatch import OUTCOME_LABELS, Outcome
from csu_console.core.review.period import Period
from csu_console.core.review.shifts import ShiftOccurrence

#: The ``outcomes`` value of alerts with no intervention ended.
NO_OUTCOME = ""
NO_OUTCOME_LABEL = "Sans intervention terminée"

#: Filters on the alerts' own values or the events about them (not on the period).
ALERT_FILTERS = (
    "operators", "stations", "categories", "priorities", "zones", "communes", "outcomes",
)  # fmt: skip
#: Those on the alerts' values: the main courante then keeps only their events.
VALUE_FILTERS = ("categories", "priorities", "zones", "communes", "outcomes")


def outcome_label(outcome: str) -> str:
    """French label of an outcome value: an intervention's, or the qualification of
    a closing without any unit (the value itself when unknown)."""
    if outcome == NO_OUTCOME:
        return NO_OUTCOME_LABEL
    try:
        return OUTCOME_LABELS[Outcome(outcome)]
    except ValueError:
        pass
    try:
        return QUALIFICATION_LABELS[Qualification(outcome)]
    except ValueError:
        return outcome


def category_label(category: str) -> str:
    """French label of a category value (the value itself when unknown)."""
    try:
        return CATEGORY_LABELS[Category(category)]
    except ValueError:
        return category


@dataclass(frozen=True)
class ReviewFilter:
    """A period in UTC (``[start, end)``) and optional filters; build one with
    :meth:`for_period` or :meth:`for_shift`, narrow it with :meth:`narrowed`."""

    start: datetime
    end: datetime
    operators: frozenset[str] = frozenset()
    stations: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    priorities: frozenset[int] = frozenset()
    zones: frozenset[str] = frozenset()
    communes: frozenset[str] = frozenset()
    outcomes: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        period = Period(self.start, self.end)  # checks and converts to UTC
        object.__setattr__(self, "start", period.start)
        object.__setattr__(self, "end", period.end)
        for name in ALERT_FILTERS:
            object.__setattr__(self, name, frozenset(getattr(self, name)))

    @classmethod
    def for_period(cls, period: Period, **filters: Any) -> ReviewFilter:
        """A filter on ``period`` (``filters`` as the fields, any iterables)."""
        return cls(period.start, period.end, **filters)

    @classmethod
    def for_shift(cls, occurrence: ShiftOccurrence, **filters: Any) -> ReviewFilter:
        """A filter on one shift occurrence."""
        return cls.for_period(occurrence.period, **filters)

    @property
    def period(self) -> Period:
        """The period as a :class:`Period`."""
        return Period(self.start, self.end)

    @property
    def narrows_alerts(self) -> bool:
        """True when any filter other than the period is set."""
        return any(getattr(self, name) for name in ALERT_FILTERS)

    @property
    def selects_alerts(self) -> bool:
        """True when a filter on the alerts' values is set (not only operators/stations)."""
        return any(getattr(self, name) for name in VALUE_FILTERS)

    def narrowed(self, **filters: Any) -> ReviewFilter:
        """A copy with some fields replaced (a click on a chart's bar)."""
        return replace(self, **filters)

    def to_details(self) -> dict[str, Any]:
        """JSON-ready form, for the ``export`` event: times in ISO, sets sorted."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, datetime):
                out[f.name] = value.isoformat(timespec="milliseconds")
            elif value:
                out[f.name] = sorted(value)
        return out

    def describe(
        self,
        tz: tzinfo,
        zone_names: dict[str, str] | None = None,
        *,
        with_period: bool = True,
        commune_names: dict[str, str] | None = None,
    ) -> str:
        """The period and every filter set, in French, for the report's header
        (``commune_names``: commune key → label)."""
        names = zone_names or {}
        communes = commune_names or {}
        parts = [f"Période {self.period.label(tz)}"] if with_period else []
        labelled: list[tuple[str, list[str]]] = [
            ("opérateurs", sorted(self.operators)),
            ("postes", sorted(self.stations)),
            ("catégories", sorted(category_label(c) for c in self.categories)),
            ("priorités", [PRIORITY_LABELS.get(p, str(p)) for p in sorted(self.priorities)]),
            ("zones", sorted(names.get(z, z) for z in self.zones)),
            ("communes", sorted(communes.get(c, c) for c in self.communes)),
            ("issues", sorted(outcome_label(o) for o in self.outcomes)),
        ]
        parts += [f"{name} : {', '.join(values)}" for name, values in labelled if values]
        return " ; ".join(parts)
