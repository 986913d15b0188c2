"""The main courante as it is read (Qt-free): what to show, and one line of it.

The book of the CSU is every chained event of this station (``events``) and the
read-only copy of the other stations' (``peer_events``). :class:`BookQuery` says
which part to show (a period, today by default in the site's zone; kinds, entry
types, stations, operators, an alert, a text), :class:`BookRow` is one event with
what the view prints beside it: the alert's title, and for an operator's entry
its corrections (the original is never edited: the view strikes it through next
to the corrected text).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from csu_console.core.entries import ENTRY_TYPE_LABELS, EntryType
from csu_console.core.logbook import (
    EVENT_LABELS,
    EventKind,
    LogbookError,
    clean_text,
)

#: At most this many rows in one reading of the book (the view says when cut).
BOOK_LIMIT = 5000
#: The kinds an operator writes: entries and their corrections.
WRITTEN_KINDS = frozenset({EventKind.ENTRY.value, EventKind.CORRECTION.value})


def day_period(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of a local day in ``tz`` (23 or 25 hours on a clock change)."""
    start = datetime.combine(day, time(0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start, end


def today_period(tz: tzinfo, now: datetime | None = None) -> tuple[datetime, datetime]:
    """[start, end) of today in the site's zone."""
    moment = now.astimezone(tz) if now is not None else datetime.now(tz)
    return day_period(moment.date(), tz)


@dataclass(frozen=True)
class BookQuery:
    """Which part of the book to read. Empty sets mean « all »; ``since``/``until``
    None means today in the zone given to :meth:`period`."""

    since: datetime | None = None
    until: datetime | None = None
    kinds: frozenset[str] = frozenset()
    entry_types: frozenset[str] = frozenset()  # entries (and their corrections) of these types
    stations: frozenset[str] = frozenset()
    operators: frozenset[str] = frozenset()
    alert: tuple[str, str] | None = None  # the alert's key (source, id): pks differ per station
    text: str = ""
    entries_only: bool = False
    newest_first: bool = True
    limit: int = BOOK_LIMIT

    def period(self, tz: tzinfo, now: datetime | None = None) -> tuple[datetime, datetime]:
        """[since, until) of the query: today in ``tz`` for what is not set."""
        start, end = today_period(tz, now)
        return self.since or start, self.until or end


@dataclass(frozen=True)
class BookRow:
    """One event of the book. ``seq`` is its pk at ``station``; ``own``: this
    station's (``events``), else a peer's copy. ``corrections`` (oldest first) are
    the corrections of an entry; ``corrected`` is, on a correction, the entry it
    corrects when it is known."""

    station: str
    seq: int
    own: bool
    at: datetime
    kind: str
    operator: str | None
    details: Mapping[str, Any]
    alert_pk: int | None = None
    alert_key: tuple[str, str] | None = None
    alert_title: str | None = None
    corrections: tuple[BookRow, ...] = ()
    corrected: BookRow | None = None

    @property
    def key(self) -> tuple[str, int]:
        """Unique in the whole CSU: the station and its sequence."""
        return self.station, self.seq

    @property
    def is_entry(self) -> bool:
        return self.kind == EventKind.ENTRY.value

    @property
    def is_correction(self) -> bool:
        return self.kind == EventKind.CORRECTION.value

    @property
    def latest(self) -> Mapping[str, Any]:
        """What the entry says now: its last correction's values, else its own."""
        if self.corrections:
            return self.corrections[-1].details
        return self.details


def entry_type_label(value: Any) -> str:
    """« Appel reçu » for ``appel``; an unknown type as it is."""
    try:
        return ENTRY_TYPE_LABELS[EntryType(value)]
    except ValueError:
        return str(value or "")


def kind_label(kind: str) -> str:
    """The French label of an event kind (unknown: as stored)."""
    try:
        return EVENT_LABELS[EventKind(kind)]
    except ValueError:
        return kind


def _optional_float(value: Any, what: str, low: float, high: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise LogbookError(f"{what} invalide : {value!r}.")
    return float(value)


@dataclass(frozen=True)
class EntryDraft:
    """What an operator typed for an entry (validated by :meth:`details`)."""

    type: str
    text: str
    lat: float | None = None
    lon: float | None = None
    place: str = ""
    camera: str = ""

    def details(self) -> dict[str, Any]:
        """The entry's details (:mod:`csu_console.core.entries`); LogbookError says why not."""
        try:
            kind = EntryType(self.type)
        except ValueError:
            raise LogbookError(f"Type d'entrée inconnu : {self.type!r}.") from None
        text = clean_text(self.text, required=True, what="texte de l'entrée")
        out: dict[str, Any] = {"type": kind.value, "text": text}
        lat = _optional_float(self.lat, "Latitude", -90.0, 90.0)
        lon = _optional_float(self.lon, "Longitude", -180.0, 180.0)
        if (lat is None) != (lon is None):
            raise LogbookError("Un lieu a une latitude et une longitude.")
        if lat is not None and lon is not None:
            out["lat"], out["lon"] = round(lat, 6), round(lon, 6)
        place = clean_text(self.place)
        if place:
            out["place"] = place
        camera = self.camera.strip()
        if camera:
            out["camera"] = camera
        return out


@dataclass(frozen=True)
class BookCursor:
    """Where the book stood when read: the last pk of ``events`` and the last
    rowid of ``peer_events`` (both only grow: a change means something new)."""

    events: int = 0
    peers: int = 0


@dataclass(frozen=True)
class BookPage:
    """One reading of the book: its rows, whether ``limit`` cut it, where it stood."""

    rows: list[BookRow] = field(default_factory=list)
    truncated: bool = False
    cursor: BookCursor = BookCursor()
