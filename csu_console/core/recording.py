"""Recorded video, as the console reasons about it (Qt-free, FFmpeg-free).

What a recorder holds for a camera over a period is a :class:`Coverage`: the
recorded :class:`Span` s and, between them, the :class:`Gap` s with their reason
(« pas d'enregistrement », « caméra hors service », « segment illisible »,
« disque plein »). The recorder (:mod:`csu_console.recorder`) writes its index in
these terms, the replay (:mod:`csu_console.media.replay`) and the timeline under a
tile read them.

An extraction on requisition is a :class:`ExtractionRequest`: cameras, a period
and the :class:`Requisition` (number, requesting service, OPJ, date — all
required: :func:`clean_requisition` refuses, in French, what is missing).

Times are aware UTC datetimes everywhere; the UI shows them in the site's zone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path

from csu_console.errors import UserFacingError

#: The longest period one extraction may cover (a requisition names hours, not months).
EXTRACTION_MAX = timedelta(hours=24)
#: How long a requisition's fields may be.
FIELD_MAX = 120


class GapReason(StrEnum):
    """Why nothing is recorded over a period (the values are the French words)."""

    NONE = "pas d'enregistrement"  # the recorder has nothing (not started, purged…)
    CAMERA_DOWN = "caméra hors service"  # the recorder tried and the camera did not answer
    CORRUPT = "segment illisible"  # a segment is there but cannot be read
    DISK_FULL = "disque plein"  # recording interrupted: no room


@dataclass(frozen=True, slots=True)
class Span:
    """A recorded period ``[start, end)`` of one camera."""

    start: datetime
    end: datetime

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True, slots=True)
class Gap:
    """A period ``[start, end)`` with no picture, and why."""

    start: datetime
    end: datetime
    reason: GapReason = GapReason.NONE


@dataclass(frozen=True, slots=True)
class Coverage:
    """What is recorded of ``camera_id`` over ``[start, end)``: spans and gaps in
    time order, together covering the whole period (merged where they touch)."""

    camera_id: str
    start: datetime
    end: datetime
    spans: tuple[Span, ...] = ()
    gaps: tuple[Gap, ...] = ()

    def recorded_at(self, at: datetime) -> bool:
        return any(s.start <= at < s.end for s in self.spans)

    def gap_at(self, at: datetime) -> Gap | None:
        return next((g for g in self.gaps if g.start <= at < g.end), None)

    @property
    def recorded_seconds(self) -> float:
        return sum(s.seconds for s in self.spans)


def coverage_of(
    camera_id: str,
    start: datetime,
    end: datetime,
    recorded: Iterable[Span],
    known_gaps: Iterable[Gap] = (),
    *,
    tolerance: timedelta = timedelta(seconds=1.5),
) -> Coverage:
    """The :class:`Coverage` of ``[start, end)`` from recorded spans (any order, may
    overlap) and the gaps the recorder logged with a reason. Spans closer than
    ``tolerance`` are one span (a segment boundary is not a gap); what is neither
    recorded nor a known gap is a gap « pas d'enregistrement »."""
    spans: list[Span] = []
    for s in sorted(recorded, key=lambda s: s.start):
        a, b = max(s.start, start), min(s.end, end)
        if b <= a:
            continue
        if spans and a - spans[-1].end <= tolerance:
            last = spans[-1]
            spans[-1] = Span(last.start, max(last.end, b))
        else:
            spans.append(Span(a, b))
    holes: list[Gap] = []
    cursor = start
    for s in [*spans, Span(end, end)]:
        if s.start > cursor:
            holes.extend(_explain(cursor, s.start, known_gaps))
        cursor = max(cursor, s.end)
    return Coverage(camera_id, start, end, tuple(spans), tuple(holes))


def _explain(start: datetime, end: datetime, known: Iterable[Gap]) -> list[Gap]:
    """``[start, end)`` cut into gaps, with the recorder's reason where it logged one."""
    out: list[Gap] = []
    cursor = start
    for g in sorted(known, key=lambda g: g.start):
        a, b = max(g.start, cursor), min(g.end, end)
        if b <= a:
            continue
        if a > cursor:
            out.append(Gap(cursor, a))
        out.append(Gap(a, b, g.reason))
        cursor = b
    if cursor < end:
        out.append(Gap(cursor, end))
    return out


@dataclass(frozen=True, slots=True)
class Segment:
    """One file of the recorder: ``camera_id`` from ``start`` to ``end``; ``path``
    is absolute once read from an index."""

    pk: int
    camera_id: str
    start: datetime
    end: datetime
    path: Path
    size: int
    held: bool = False  # under a legal hold: never rotated nor purged

    def span(self) -> Span:
        return Span(self.start, self.end)


# -- the replay -----------------------------------------------------------------


class MarkKind(StrEnum):
    """The moments of an alert marked on the timeline under a tile."""

    REPORTED = "reported"  # the citizen's time of the facts / of the report
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    DISPATCHED = "dispatched"
    ON_SITE = "on_site"


MARK_LABELS = {
    MarkKind.REPORTED: "Signalement",
    MarkKind.RECEIVED: "Réception",
    MarkKind.ACKNOWLEDGED: "Prise en compte",
    MarkKind.DISPATCHED: "Engagement",
    MarkKind.ON_SITE: "Sur place",
}


@dataclass(frozen=True, slots=True)
class ReplayMark:
    kind: MarkKind
    at: datetime


def replay_start(reported_at: datetime, before_s: float) -> datetime:
    """Where « Relecture » starts: ``before_s`` before the reported time."""
    return reported_at - timedelta(seconds=before_s)


# -- extraction on requisition ----------------------------------------------------


class RequisitionError(UserFacingError):
    """A requisition or an extraction request refused; the message is French."""


@dataclass(frozen=True, slots=True)
class Requisition:
    """The judicial requisition an extraction answers: every field is required."""

    number: str  # « n° de réquisition » / n° de procédure
    service: str  # requesting service: « Commissariat de Nîmes », « BR Gendarmerie… »
    opj: str  # the officer of judicial police who signs it
    issued_on: date

    def label(self) -> str:
        return f"{self.number} – {self.service} – {self.opj} – {self.issued_on:%d/%m/%Y}"


_DATE_FORMS = ("%d/%m/%Y", "%Y-%m-%d")


def _field(value: str, label: str) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise RequisitionError(f"{label} : obligatoire.")
    if len(text) > FIELD_MAX:
        raise RequisitionError(f"{label} : {FIELD_MAX} caractères au plus.")
    if re.search(r"[\x00-\x1f]", text):
        raise RequisitionError(f"{label} : caractères de contrôle refusés.")
    return text


def clean_requisition(
    number: str, service: str, opj: str, issued_on: str | date, *, today: date | None = None
) -> Requisition:
    """A :class:`Requisition` from what the operator typed; :class:`RequisitionError`
    (French, naming the field) for a field left empty or a date unreadable or in the
    future."""
    num = _field(number, "N° de réquisition")
    svc = _field(service, "Service requérant")
    officer = _field(opj, "OPJ")
    if isinstance(issued_on, date):
        day = issued_on
    else:
        text = _field(issued_on, "Date de la réquisition")
        for form in _DATE_FORMS:
            try:
                day = datetime.strptime(text, form).date()
                break
            except ValueError:
                continue
        else:
            raise RequisitionError(
                f"Date de la réquisition : « {text} » illisible (jj/mm/aaaa attendu)."
            )
    if day > (today or datetime.now(UTC).date()) + timedelta(days=1):
        raise RequisitionError("Date de la réquisition : dans le futur.")
    return Requisition(num, svc, officer, day)


@dataclass(frozen=True, slots=True)
class ExtractionRequest:
    """What to extract: cameras, a period ``[start, end)``, for a requisition."""

    camera_ids: tuple[str, ...]
    start: datetime
    end: datetime
    requisition: Requisition


def clean_request(
    camera_ids: Sequence[str],
    start: datetime,
    end: datetime,
    requisition: Requisition,
    *,
    known_cameras: Iterable[str] | None = None,
    now: datetime | None = None,
) -> ExtractionRequest:
    """An :class:`ExtractionRequest`, or :class:`RequisitionError` in French: no
    camera, an unknown camera, an empty or reversed period, a period in the
    future or longer than :data:`EXTRACTION_MAX`."""
    ids = tuple(dict.fromkeys(c for c in camera_ids if c))
    if not ids:
        raise RequisitionError("Choisissez au moins une caméra.")
    if known_cameras is not None:
        unknown = sorted(set(ids) - set(known_cameras))
        if unknown:
            raise RequisitionError(f"Caméra inconnue : {', '.join(unknown)}.")
    if start.tzinfo is None or end.tzinfo is None:
        raise RequisitionError("Période : heures sans fuseau.")
    if end <= start:
        raise RequisitionError("Période : la fin doit suivre le début.")
    if end - start > EXTRACTION_MAX:
        raise RequisitionError("Période : 24 heures au plus par extraction.")
    if start >= (now or datetime.now(UTC)):
        raise RequisitionError("Période : le début est dans le futur.")
    return ExtractionRequest(ids, start.astimezone(UTC), end.astimezone(UTC), requisition)


@dataclass(frozen=True, slots=True)
class ExtractedFile:
    """One MP4 written for an extraction: what it covers and its SHA-256."""

    camera_id: str
    path: Path
    sha256: str
    size: int
    start: datetime  # the first frame's recorded time (a keyframe at or before the request)
    end: datetime
    gaps: tuple[Gap, ...] = ()  # what of the period had no recording

    @property
    def written(self) -> bool:
        """False for a camera with nothing recorded in the period: no file was
        written (``path`` empty), it is listed for the procès-verbal all the same."""
        return bool(self.sha256)


@dataclass(frozen=True, slots=True)
class ExtractionRecord:
    """An extraction as the register lists it (``pk`` from the main courante)."""

    pk: int
    at: datetime
    station: str | None
    operator: str | None
    request: ExtractionRequest
    folder: str
    files: tuple[ExtractedFile, ...] = field(default_factory=tuple)
    report_sha256: str = ""  # the procès-verbal's PDF
    chain_head: str = ""  # the main courante's chain head when it was made
    released_at: datetime | None = None  # the legal hold on the source segments
    report_name: str = ""  # the procès-verbal's file name (in ``folder``)
