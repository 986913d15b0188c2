"""Legal holds in the ``legal_holds`` table (migration 7): place, release, read.

A hold and its ``legal_hold`` event (a release and its ``legal_hold_released``
event) go in one transaction: the book never says "kept" for a record that is not,
nor the reverse. The purge reads the table directly (active rows: ``released_at IS
NULL``; see :mod:`csu_console.storage.retention`); the rules and the French
messages are in :mod:`csu_console.core.holds`.

Called on the console's storage thread (``writer.submit``) or by the command line
with its own :class:`~csu_console.storage.store.Store`; the reads take any
connection, read-only included.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from csu_console.core.holds import (
    TARGET_LABELS,
    HoldError,
    HoldTarget,
    LegalHold,
    clean_reference,
    clean_release_reason,
    clean_target_ref,
    hold_details,
    release_details,
)
from csu_console.core.logbook import EventKind
from csu_console.storage.codec import classify, iso
from csu_console.storage.logbook import NewEvent, append_events
from csu_console.storage.store import Store

_COLUMNS = (
    "pk, target, target_ref, reference, held_at, held_by, station,"
    " released_at, released_by, release_reason"
)


def _dt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def _hold(row: tuple[Any, ...]) -> LegalHold:
    pk, target, ref, reference, held_at, held_by, station, rel_at, rel_by, why = row
    return LegalHold(
        int(pk), HoldTarget(target), str(ref), reference, datetime.fromisoformat(held_at),
        held_by, station, _dt(rel_at), rel_by, why,
    )  # fmt: skip


def _alert_of(cur: sqlite3.Cursor, target: HoldTarget, ref: str) -> int | None:
    """The alert the held record belongs to (its events go on that alert's
    timeline); :class:`HoldError` when an alert or snapshot does not exist."""
    if target is HoldTarget.EXTRACTION:
        # A video extraction (migration 9): the register's row must exist; it
        # belongs to no alert.
        ok = (
            ref.isdigit()
            and cur.execute("SELECT 1 FROM extractions WHERE pk = ?", (int(ref),)).fetchone()
        )
        if not ok:
            raise HoldError(f"{TARGET_LABELS[target].capitalize()} n° {ref} introuvable.")
        return None
    table = "alerts" if target is HoldTarget.ALERT else "snapshots"
    column = "pk" if target is HoldTarget.ALERT else "alert_pk"
    row = cur.execute(f"SELECT {column} FROM {table} WHERE pk = ?", (int(ref),)).fetchone()
    if row is None:
        raise HoldError(f"{TARGET_LABELS[target].capitalize()} n° {ref} introuvable.")
    return None if row[0] is None else int(row[0])


def place_hold(
    store: Store,
    target: HoldTarget,
    target_ref: str | int,
    reference: str,
    *,
    station: str | None,
    operator: str | None,
    at: datetime | None = None,
) -> LegalHold:
    """Put a record under a judicial requisition; the new hold.

    Refused (:class:`HoldError`, French): a blank reference, an unknown alert or
    snapshot, the same record already held under the same reference (another
    requisition on the same record is a second hold, kept apart).
    """
    [hold] = place_holds(
        store, [(target, target_ref)], reference, station=station, operator=operator, at=at
    )
    return hold


def place_holds(
    store: Store,
    targets: Sequence[tuple[HoldTarget, str | int]],
    reference: str,
    *,
    station: str | None,
    operator: str | None,
    at: datetime | None = None,
    skip_held: bool = False,
) -> list[LegalHold]:
    """Several records under one requisition, in one transaction: all held and
    logged, or none. ``skip_held``: a record already held under this reference is
    left as it is instead of refusing the whole."""
    reference = clean_reference(reference)
    now = at or datetime.now(UTC)
    with store._transaction() as cur:
        holds, events = _insert(cur, targets, reference, now, station, operator, skip_held)
        append_events(cur, events, store.tz)
    return holds


def hold_alert(
    store: Store,
    alert_pk: int,
    reference: str,
    *,
    with_snapshots: bool,
    station: str | None,
    operator: str | None,
    at: datetime | None = None,
) -> list[LegalHold]:
    """An alert under a requisition and, ``with_snapshots``, its snapshots (which
    the purge deletes before the alert): one transaction. The alert already held
    under this reference is refused; its snapshots already held are left as they are."""
    reference = clean_reference(reference)
    now = at or datetime.now(UTC)
    with store._transaction() as cur:
        holds, events = _insert(
            cur, [(HoldTarget.ALERT, alert_pk)], reference, now, station, operator, False
        )
        if with_snapshots:
            shots = [(HoldTarget.SNAPSHOT, pk) for pk in _snapshots_of(cur, alert_pk)]
            more, more_events = _insert(cur, shots, reference, now, station, operator, True)
            holds += more
            events += more_events
        append_events(cur, events, store.tz)
    return holds


def _insert(
    cur: sqlite3.Cursor,
    targets: Sequence[tuple[HoldTarget, str | int]],
    reference: str,
    now: datetime,
    station: str | None,
    operator: str | None,
    skip_held: bool,
) -> tuple[list[LegalHold], list[NewEvent]]:
    """The rows and their events (to append in the caller's transaction)."""
    holds: list[LegalHold] = []
    events: list[NewEvent] = []
    for target, raw in targets:
        ref = clean_target_ref(target, raw)
        alert_pk = _alert_of(cur, target, ref)
        same = cur.execute(
            "SELECT pk FROM legal_holds WHERE target = ? AND target_ref = ?"
            " AND reference = ? AND released_at IS NULL",
            (target.value, ref, reference),
        ).fetchone()
        if same is not None and skip_held:
            continue
        if same is not None:
            raise HoldError(
                f"{TARGET_LABELS[target].capitalize()} n° {ref} déjà sous réquisition "
                f"« {reference} » (conservation n° {same[0]})."
            )
        cur.execute(
            "INSERT INTO legal_holds (target, target_ref, reference, held_at, held_by,"
            " station) VALUES (?, ?, ?, ?, ?, ?)",
            (target.value, ref, reference, iso(now), operator, station),
        )
        hold = LegalHold(int(cur.lastrowid or 0), target, ref, reference, now, operator, station)
        holds.append(hold)
        events.append(
            NewEvent(EventKind.LEGAL_HOLD, now, alert_pk, station, operator, hold_details(hold))
        )
    return holds, events


def insert_holds(
    cur: sqlite3.Cursor,
    targets: Sequence[tuple[HoldTarget, str | int]],
    reference: str,
    now: datetime,
    *,
    station: str | None,
    operator: str | None,
) -> tuple[list[LegalHold], list[NewEvent]]:
    """Hold rows inserted inside the caller's write transaction, and their
    ``legal_hold`` events for the caller to append with its own (an extraction
    records its row, its event and its hold at once): see :func:`place_holds`."""
    return _insert(cur, targets, clean_reference(reference), now, station, operator, False)


def _snapshots_of(cur: sqlite3.Cursor, alert_pk: int) -> list[int]:
    rows = cur.execute("SELECT pk FROM snapshots WHERE alert_pk = ? ORDER BY pk", (alert_pk,))
    return [int(r[0]) for r in rows.fetchall()]


def alert_snapshots(conn: sqlite3.Connection, alert_pk: int) -> list[int]:
    """The pks of the snapshots taken for an alert (what a requisition also keeps)."""
    try:
        return _snapshots_of(conn.cursor(), alert_pk)
    except sqlite3.Error as exc:
        raise classify(exc) from exc


def release_hold(
    store: Store,
    hold_pk: int,
    reason: str,
    *,
    station: str | None,
    operator: str | None,
    at: datetime | None = None,
) -> LegalHold:
    """Release a hold (mainlevée); the released hold. Refused when the hold is
    unknown or already released, or the reason blank."""
    reason = clean_release_reason(reason)
    now = at or datetime.now(UTC)
    with store._transaction() as cur:
        row = cur.execute(f"SELECT {_COLUMNS} FROM legal_holds WHERE pk = ?", (hold_pk,))
        found = row.fetchone()
        if found is None:
            raise HoldError(f"Conservation n° {hold_pk} inconnue.")
        hold = _hold(found)
        if not hold.active:
            assert hold.released_at is not None
            raise HoldError(
                f"Conservation n° {hold_pk} déjà levée le "
                f"{hold.released_at.astimezone(store.tz):%d/%m/%Y à %H:%M} "
                f"par {hold.released_by or 'inconnu'}."
            )
        cur.execute(
            "UPDATE legal_holds SET released_at = ?, released_by = ?, release_reason = ?"
            " WHERE pk = ? AND released_at IS NULL",
            (iso(now), operator, reason, hold_pk),
        )
        released = LegalHold(
            hold.pk, hold.target, hold.target_ref, hold.reference, hold.held_at, hold.held_by,
            hold.station, now, operator, reason,
        )  # fmt: skip
        alert_pk = _alert_of(cur, hold.target, hold.target_ref)
        event = NewEvent(
            EventKind.LEGAL_HOLD_RELEASED, now, alert_pk, station, operator,
            release_details(released),
        )  # fmt: skip
        append_events(cur, [event], store.tz)
    return released


def list_holds(
    conn: sqlite3.Connection,
    *,
    active_only: bool = False,
    target: HoldTarget | None = None,
    target_refs: Iterable[str] | None = None,
) -> list[LegalHold]:
    """Holds, newest first; only active ones, one kind of target, or some records."""
    where, params = [], []
    if active_only:
        where.append("released_at IS NULL")
    if target is not None:
        where.append("target = ?")
        params.append(target.value)
    if target_refs is not None:
        refs = list(target_refs)
        where.append(f"target_ref IN ({', '.join('?' * len(refs)) or 'NULL'})")
        params.extend(refs)
    sql = f"SELECT {_COLUMNS} FROM legal_holds"
    if where:
        sql += " WHERE " + " AND ".join(where)
    try:
        rows = conn.execute(sql + " ORDER BY pk DESC", params).fetchall()
    except sqlite3.Error as exc:
        raise classify(exc) from exc
    return [_hold(r) for r in rows]


def held_alerts(conn: sqlite3.Connection) -> dict[int, list[str]]:
    """Alert pk → the references of its active holds (the review's mark)."""
    out: dict[int, list[str]] = {}
    for hold in reversed(list_holds(conn, active_only=True, target=HoldTarget.ALERT)):
        out.setdefault(int(hold.target_ref), []).append(hold.reference)
    return out
