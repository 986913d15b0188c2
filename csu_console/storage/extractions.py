"""The register of video extractions on requisition (``extractions``, migration 9):
named operations, never SQL in the UI.

:func:`record_extraction` writes, in ONE transaction, the register's row, the
``extraction`` event of the main courante (requisition, cameras, period, files
with their SHA-256 — no citizen data) and the legal hold (``HoldTarget.EXTRACTION``,
ref = the row's pk, reference = the requisition's number): the book never lists
an extraction that is not held, nor the reverse. :func:`hold_segments` then holds
the source segments in the recorder's index under ``extraction:<pk>``;
:func:`release_segments` lifts them when the console's hold is released (the
command line's ``hold release``, the holds screen).

An extraction, in order (the dialog's worker; the GUI never waits on it):

1. ``files = extract_files(index, request, folder, …)`` (:mod:`csu_console.media.replay.extract`);
   on :class:`~csu_console.media.replay.extract.ExtractionError`,
   :func:`record_extraction_failed`;
2. ``head = chain_head(store)``, then the procès-verbal PDF (its name and SHA-256);
3. ``record = record_extraction(store, request, folder, files, pv_name, pv_sha256, head, …)``;
4. ``write_sidecar(folder / "<pv>.json", record, camera_names, tz)`` (carries the
   PV's SHA-256, which the PV cannot carry);
5. ``hold_segments(recordings_dir, record)``.

The console's purge never touches this table (the register is kept, as the CNIL
asks); the recorder's retention and disk budget skip held segments.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, tzinfo
from io import StringIO
from pathlib import Path
from typing import Any

from csu_console.core.holds import HoldError, HoldTarget, LegalHold
from csu_console.core.logbook import EventKind
from csu_console.core.recording import (
    ExtractedFile,
    ExtractionRecord,
    ExtractionRequest,
    Gap,
    GapReason,
    Requisition,
    RequisitionError,
    clean_requisition,
)
from csu_console.core.review.export import text_field
from csu_console.errors import StorageError
from csu_console.storage.codec import classify, iso
from csu_console.storage.holds import insert_holds, list_holds, release_hold
from csu_console.storage.logbook import GENESIS, NewEvent, append_events
from csu_console.storage.review_export import ExportResult, export_file
from csu_console.storage.store import Store

log = logging.getLogger("csu.extract")

#: The recorder index's hold reference of an extraction.
SEGMENT_HOLD_PREFIX = "extraction:"

_COLUMNS = (
    "e.pk, e.at, e.station, e.operator, e.requisition_number, e.requisition_service,"
    " e.requisition_opj, e.requisition_issued_on, e.cameras, e.period_start, e.period_end,"
    " e.folder, e.files, e.report_name, e.report_sha256, e.chain_head,"
    " (SELECT min(h.released_at) FROM legal_holds h WHERE h.target = 'extraction'"
    "  AND h.target_ref = CAST(e.pk AS TEXT)"
    "  AND NOT EXISTS (SELECT 1 FROM legal_holds a WHERE a.target = 'extraction'"
    "   AND a.target_ref = CAST(e.pk AS TEXT) AND a.released_at IS NULL))"
)


def segment_reference(pk: int) -> str:
    """``extraction:<pk>``: the reference of an extraction's holds in the recorder index."""
    return f"{SEGMENT_HOLD_PREFIX}{pk}"


def chain_head(store: Store | sqlite3.Connection) -> str:
    """The main courante's current head (the last event's hash; the genesis when empty)."""
    conn = store.conn if isinstance(store, Store) else store
    try:
        row = conn.execute("SELECT hash FROM events ORDER BY pk DESC LIMIT 1").fetchone()
    except sqlite3.Error as exc:
        raise classify(exc) from exc
    return str(row[0]) if row is not None and row[0] else GENESIS


# -- JSON of the files and gaps --------------------------------------------------------


def _utc(at: datetime) -> str:
    return iso(at.astimezone(UTC))


def _gap_json(gap: Gap) -> dict[str, Any]:
    return {"start": _utc(gap.start), "end": _utc(gap.end), "reason": gap.reason.value}


def _file_json(f: ExtractedFile) -> dict[str, Any]:
    return {
        "camera": f.camera_id,
        "name": f.path.name if f.written else "",
        "sha256": f.sha256,
        "size": f.size,
        "start": _utc(f.start),
        "end": _utc(f.end),
        "gaps": [_gap_json(g) for g in f.gaps],
    }


def _reason(text: str) -> GapReason:
    try:
        return GapReason(text)
    except ValueError:
        return GapReason.NONE


def _file_of(raw: dict[str, Any], folder: str) -> ExtractedFile:
    name = str(raw.get("name") or "")
    gaps = tuple(
        Gap(
            datetime.fromisoformat(g["start"]),
            datetime.fromisoformat(g["end"]),
            _reason(g["reason"]),
        )
        for g in raw.get("gaps") or ()
    )
    return ExtractedFile(
        str(raw["camera"]),
        Path(folder) / name if name else Path(),
        str(raw.get("sha256") or ""),
        int(raw.get("size") or 0),
        datetime.fromisoformat(raw["start"]),
        datetime.fromisoformat(raw["end"]),
        gaps,
    )


def _record(row: Sequence[Any]) -> ExtractionRecord:
    (pk, at, station, operator, number, service, opj, issued_on, cameras, start, end,
     folder, files, report_name, report_sha, head, released) = row  # fmt: skip
    requisition = Requisition(number, service, opj, date.fromisoformat(issued_on))
    request = ExtractionRequest(
        tuple(json.loads(cameras)),
        datetime.fromisoformat(start),
        datetime.fromisoformat(end),
        requisition,
    )
    return ExtractionRecord(
        int(pk), datetime.fromisoformat(at), station, operator, request, folder,
        tuple(_file_of(f, folder) for f in json.loads(files)), report_sha, head,
        None if released is None else datetime.fromisoformat(released), report_name,
    )  # fmt: skip


# -- writes -----------------------------------------------------------------------


def _checked(request: ExtractionRequest) -> ExtractionRequest:
    """The request as stored: every requisition field present (the dialog checks them
    first with :func:`clean_requisition`; nothing partial reaches the register)."""
    r = request.requisition
    clean = clean_requisition(r.number, r.service, r.opj, r.issued_on)
    if not request.camera_ids:
        raise RequisitionError("Choisissez au moins une caméra.")
    if request.end <= request.start:
        raise RequisitionError("Période : la fin doit suivre le début.")
    return ExtractionRequest(request.camera_ids, request.start, request.end, clean)


def _details(
    request: ExtractionRequest, files: Iterable[ExtractedFile], pk: int | None
) -> dict[str, Any]:
    """The ``extraction`` / ``extraction_failed`` event's details: no personal data
    (the OPJ's name is in the register and the procès-verbal, not in the book)."""
    r = request.requisition
    details: dict[str, Any] = {
        "requisition": r.number,
        "service": r.service,
        "issued_on": r.issued_on.isoformat(),
        "cameras": list(request.camera_ids),
        "start": _utc(request.start),
        "end": _utc(request.end),
    }
    if pk is not None:
        details["extraction"] = pk
    written = [f for f in files if f.written]
    if written or pk is not None:
        details["files"] = [
            {"camera": f.camera_id, "name": f.path.name, "sha256": f.sha256, "size": f.size}
            for f in written
        ]
    return details


def record_extraction(
    store: Store,
    request: ExtractionRequest,
    folder: Path | str,
    files: Sequence[ExtractedFile],
    report_name: str,
    report_sha256: str,
    chain_head: str,
    *,
    station: str | None,
    operator: str | None,
    at: datetime | None = None,
) -> ExtractionRecord:
    """The register's row, its ``extraction`` event and its legal hold, in one
    transaction; the record (``pk`` from the register). :class:`RequisitionError`
    (French) when a requisition field is missing."""
    request = _checked(request)
    now = at or datetime.now(UTC)
    r = request.requisition
    with store._transaction() as cur:
        cur.execute(
            "INSERT INTO extractions (at, station, operator, requisition_number,"
            " requisition_service, requisition_opj, requisition_issued_on, cameras,"
            " period_start, period_end, folder, files, report_name, report_sha256, chain_head)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                iso(now), station, operator, r.number, r.service, r.opj,
                r.issued_on.isoformat(), json.dumps(list(request.camera_ids)),
                _utc(request.start), _utc(request.end), str(folder),
                json.dumps([_file_json(f) for f in files], ensure_ascii=False),
                report_name, report_sha256, chain_head,
            ),
        )  # fmt: skip
        pk = int(cur.lastrowid or 0)
        event = NewEvent(
            EventKind.EXTRACTION.value, now, None, station, operator,
            {**_details(request, files, pk), "report": report_name,
             "report_sha256": report_sha256, "chain_head": chain_head},
        )  # fmt: skip
        _holds, hold_events = insert_holds(
            cur, [(HoldTarget.EXTRACTION, pk)], r.number, now, station=station, operator=operator
        )
        append_events(cur, [event, *hold_events], store.tz)
    log.info(
        "extraction n° %d : réquisition %s, %d caméra(s), %d fichier(s)",
        pk, r.number, len(request.camera_ids), sum(f.written for f in files),
    )  # fmt: skip
    return ExtractionRecord(
        pk, now, station, operator, request, str(folder), tuple(files), report_sha256,
        chain_head, None, report_name,
    )  # fmt: skip


def record_extraction_failed(
    store: Store,
    request: ExtractionRequest,
    error: str | BaseException,
    *,
    station: str | None,
    operator: str | None,
    at: datetime | None = None,
) -> int:
    """An ``extraction_failed`` event (what was asked and why it failed); its pk.
    Logged even for a request whose requisition is incomplete (the fields as typed)."""
    details = _details(request, (), None)
    details["error"] = " ".join(str(error).split())[:500]
    return store.add_event(EventKind.EXTRACTION_FAILED.value, None, station, operator, details)


def hold_segments(recordings_dir: Path, record: ExtractionRecord) -> int:
    """Put the recorder's segments of ``record`` (its cameras over its period) under
    ``extraction:<pk>`` in the recording folder's index; how many are held."""
    from csu_console.recorder.index import RecordingIndex

    try:
        index = RecordingIndex(Path(recordings_dir), create=False)
        try:
            req = record.request
            held = index.hold(req.camera_ids, req.start, req.end, segment_reference(record.pk))
        finally:
            index.close()
    except (sqlite3.Error, OSError) as exc:
        log.error("conservation des segments de l'extraction n° %d : %s", record.pk, exc)
        raise StorageError(
            f"Segments de l'extraction n° {record.pk} non conservés par l'enregistreur "
            f"({recordings_dir}) : {exc}"
        ) from exc
    log.info("extraction n° %d : %d segment(s) sous conservation", record.pk, len(held))
    return len(held)


def release_segments(recordings_dir: Path | None, hold: LegalHold) -> int:
    """Lift ``extraction:<pk>`` in the recorder index of ``recordings_dir`` for the
    extraction ``hold`` kept (see :func:`segments_after_release`, which checks no
    other hold keeps it); 0 when there is no recording folder or index."""
    if hold.target is not HoldTarget.EXTRACTION or recordings_dir is None:
        return 0
    from csu_console.recorder.index import INDEX_FILE, RecordingIndex

    if not (Path(recordings_dir) / INDEX_FILE).is_file():
        log.warning("pas d'index d'enregistrement dans %s : rien à lever", recordings_dir)
        return 0
    index = RecordingIndex(Path(recordings_dir), create=False)
    try:
        count = index.release(segment_reference(int(hold.target_ref)))
    finally:
        index.close()
    log.info("extraction n° %s : %d segment(s) libéré(s)", hold.target_ref, count)
    return count


def segments_after_release(
    conn: sqlite3.Connection, hold: LegalHold, recordings_dir: Path | None
) -> int:
    """After the console's hold ``hold`` is released (``hold release``, a screen): when
    it kept an extraction that no other active hold keeps, its segments are released
    in the recorder index; how many. A recorder index that cannot be reached is
    logged and raises :class:`~csu_console.errors.StorageError` (French) — the
    segments stay held until it is done again (releasing is idempotent)."""
    if hold.target is not HoldTarget.EXTRACTION or still_held(conn, hold.target_ref):
        return 0
    try:
        return release_segments(recordings_dir, hold)
    except (sqlite3.Error, OSError) as exc:
        log.error("levée des segments de l'extraction n° %s : %s", hold.target_ref, exc)
        raise StorageError(
            f"Segments de l'extraction n° {hold.target_ref} toujours conservés par "
            f"l'enregistreur ({recordings_dir}) : {exc}"
        ) from exc


def release_extraction(
    store: Store,
    extraction_pk: int,
    reason: str,
    recordings_dir: Path | None,
    *,
    station: str | None,
    operator: str | None,
    at: datetime | None = None,
) -> tuple[list[LegalHold], int]:
    """Release every active hold of an extraction (mainlevée: one event each), then
    its segments in the recorder index; the holds released and the segment count.
    :class:`~csu_console.core.holds.HoldError` when it holds nothing."""
    active = [
        h
        for h in list_holds(store.conn, active_only=True, target=HoldTarget.EXTRACTION)
        if h.target_ref == str(extraction_pk)
    ]
    if not active:
        raise HoldError(f"Extraction vidéo n° {extraction_pk} : aucune conservation active.")
    released = [
        release_hold(store, h.pk, reason, station=station, operator=operator, at=at) for h in active
    ]
    return released, segments_after_release(store.conn, released[-1], recordings_dir)


def still_held(conn: sqlite3.Connection, extraction_pk: int | str) -> bool:
    """Whether an extraction still has an active hold (another requisition on it)."""
    row = conn.execute(
        "SELECT 1 FROM legal_holds WHERE target = 'extraction' AND target_ref = ?"
        " AND released_at IS NULL",
        (str(extraction_pk),),
    ).fetchone()
    return row is not None


# -- reads ----------------------------------------------------------------------------


def list_extractions(
    source: Store | sqlite3.Connection,
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[ExtractionRecord]:
    """The register, newest first; ``start``/``end`` bound when it was made."""
    conn = source.conn if isinstance(source, Store) else source
    where, params = [], []
    if start is not None:
        where.append("e.at >= ?")
        params.append(iso(start.astimezone(UTC)))
    if end is not None:
        where.append("e.at < ?")
        params.append(iso(end.astimezone(UTC)))
    sql = f"SELECT {_COLUMNS} FROM extractions e"
    if where:
        sql += " WHERE " + " AND ".join(where)
    try:
        rows = conn.execute(sql + " ORDER BY e.at DESC, e.pk DESC", params).fetchall()
    except sqlite3.Error as exc:
        raise classify(exc) from exc
    return [_record(r) for r in rows]


def get_extraction(source: Store | sqlite3.Connection, pk: int) -> ExtractionRecord | None:
    conn = source.conn if isinstance(source, Store) else source
    try:
        row = conn.execute(f"SELECT {_COLUMNS} FROM extractions e WHERE e.pk = ?", (pk,))
        found = row.fetchone()
    except sqlite3.Error as exc:
        raise classify(exc) from exc
    return None if found is None else _record(found)


# -- the register as CSV -------------------------------------------------------------

CSV_HEADER = (
    "N°",
    "Date",
    "Heure",
    "Poste",
    "Opérateur",
    "N° de réquisition",
    "Service requérant",
    "OPJ",
    "Date de la réquisition",
    "Caméras",
    "Début de la période",
    "Fin de la période",
    "Fichiers",
    "Sans enregistrement",
    "Procès-verbal",
    "SHA-256 du procès-verbal",
    "Tête de chaîne de la main courante",
    "Conservation levée le",
)


def _local(at: datetime, tz: tzinfo) -> str:
    return at.astimezone(tz).strftime("%d/%m/%Y %H:%M:%S")


def register_cells(record: ExtractionRecord, tz: tzinfo) -> list[str]:
    """One extraction as the register's cells (French, local time)."""
    req = record.request
    r = req.requisition
    at = record.at.astimezone(tz)
    files = " | ".join(f"{f.path.name} ({f.size} octets, sha256 {f.sha256})"
                       for f in record.files if f.written)  # fmt: skip
    missing = ", ".join(f.camera_id for f in record.files if not f.written)
    released = "" if record.released_at is None else _local(record.released_at, tz)
    cells = [
        str(record.pk), f"{at:%d/%m/%Y}", f"{at:%H:%M:%S}", record.station or "",
        record.operator or "", r.number, r.service, r.opj, f"{r.issued_on:%d/%m/%Y}",
        ", ".join(req.camera_ids), _local(req.start, tz), _local(req.end, tz), files,
        missing, record.report_name, record.report_sha256, record.chain_head, released,
    ]  # fmt: skip
    return [text_field(c) for c in cells]


def register_csv(records: Iterable[ExtractionRecord], tz: tzinfo) -> str:
    """The register as CSV text (``;``, CRLF, French headers); written to a file
    with ``encoding="utf-8-sig"`` (BOM, for spreadsheets) like the other exports."""
    out = StringIO()
    out.write(";".join(CSV_HEADER) + "\r\n")
    for record in records:
        out.write(";".join(register_cells(record, tz)) + "\r\n")
    return out.getvalue()


def export_register(
    store: Store,
    path: Path,
    tz: tzinfo,
    *,
    station: str | None,
    operator: str | None,
    reason: str = "registre des extractions",
    start: datetime | None = None,
    end: datetime | None = None,
    via: str | None = None,
) -> ExportResult:
    """The register to a CSV file (UTF-8 with BOM, ``;``): written under a temporary
    name, hashed, logged as an ``export`` event (what, how many, why, its SHA-256),
    then moved into place — an export whose event could not be written is deleted."""
    records = list_extractions(store, start, end)

    def produce(tmp: Path) -> int:
        with tmp.open("w", encoding="utf-8-sig", newline="") as out:
            out.write(register_csv(records, tz))
        return len(records)

    def record(rows: int, sha256: str) -> int:
        details: dict[str, Any] = {
            "what": "extractions",
            "format": "csv",
            "rows": rows,
            "reason": " ".join(reason.split())[:200] or "registre des extractions",
            "sha256": sha256,
            "file": path.name,
            "since": None if start is None else _utc(start),
            "until": None if end is None else _utc(end),
        }
        if via:
            details["via"] = via
        return store.add_event(EventKind.EXPORT.value, None, station, operator, details)

    return export_file(Path(path), produce, record)
