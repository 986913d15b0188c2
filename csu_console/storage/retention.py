"""The retention policy applied to the database (mixed into
:class:`~csu_console.storage.store.Store`): at start, every hour while the console
runs (:mod:`csu_console.storage.purge_timer`) and by ``csu-console purge``.

- alerts older than ``personal_data_days``: description, reporter pseudonym and
  attachments replaced by their salted seal (:mod:`csu_console.storage.alert_seal`:
  the alert's digest in its ``received`` event still verifies), ``purged_at`` set
  (the alert itself stays, for statistics); rows stored before the digest existed
  are emptied as before;
- citizen reports older than ``citizen_days``: their zone kept in ``alerts.zone``
  (from the site's zones, so the review's zone figures do not change), then title,
  place, commune and CAP area text sealed too; once every sealable field of a row
  is sealed its salt is forgotten;
- events older than ``personal_data_days`` with personal details: those values
  replaced by their salted hash and the salt forgotten — the event stays and the
  chain still verifies (see :mod:`csu_console.storage.logbook`);
- rejected frames older than ``rejected_days``: deleted;
- snapshots older than ``video_days``: file and row deleted (their ``snapshot``
  event stays: which camera, when, the image's digest);
- partners' CAP messages (:mod:`csu_console.storage.cap_lifecycle`): an Update or
  Cancel still waiting for its original after ``rejected_days`` dropped (the
  message stays known, ``dropped``); the previous versions of an alert replaced
  more than ``personal_data_days`` ago have their personal fields emptied; a raw
  document goes when every message that brought it is older than
  ``personal_data_days`` (its SHA-256 stays in the events).

Anything under an active legal hold (``legal_holds``, released_at NULL) is left
as it is: an alert (and its events and snapshots), a snapshot.

Everything in one transaction; snapshot files are deleted before the commit, so
an image never outlives the policy even if the commit fails (its row then goes at
the next purge).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from csu_console.core.geo import Area
from csu_console.core.logbook import PERSONAL_KEYS, PURGED_KEY, EventKind
from csu_console.core.retention import RetentionPolicy
from csu_console.core.review.zoning import zones_of
from csu_console.core.roles import Permission, Role, require
from csu_console.errors import StorageError
from csu_console.storage import alert_seal
from csu_console.storage.codec import iso
from csu_console.storage.logbook import NewEvent, append_events, sealed

#: Site zones for the purge: (zone id, shape), as the review reads them.
PurgeZones = Sequence[tuple[str, Area]]

#: Alerts (by pk) under an active legal hold.
HELD_ALERTS = (
    "SELECT CAST(target_ref AS INTEGER) FROM legal_holds"
    " WHERE target = 'alert' AND released_at IS NULL"
)
_HELD_SNAPSHOTS = (
    "SELECT CAST(target_ref AS INTEGER) FROM legal_holds"
    " WHERE target = 'snapshot' AND released_at IS NULL"
)
#: Citizen reports (:func:`~csu_console.storage.alert_seal.is_citizen`): the citizen
#: app's JSON alerts (the partners' are CAP; the console's own have no seq).
CITIZEN = "fmt = 'json' AND seq IS NOT NULL"
# Each statement names its partial index's condition (migration 7), so the hourly
# purge reads only what it still has to do, never months of purged rows.
_PERSONAL_WHERE = f"purged_at IS NULL AND received_at < :cut AND pk NOT IN ({HELD_ALERTS})"
_CITIZEN_WHERE = (
    f"fields_salt IS NOT NULL AND received_at < :cut AND {CITIZEN}"
    f" AND pk NOT IN ({HELD_ALERTS}) AND json_type(extra, '$._sealed.lieu') IS NULL"
)
#: Citizen reports stored before the digest existed (pk <= :legacy), not yet emptied.
_LEGACY_CITIZEN_WHERE = (
    f"pk <= :legacy AND fields_salt IS NULL AND received_at < :cut AND {CITIZEN}"
    f" AND pk NOT IN ({HELD_ALERTS}) AND json_type(extra, '$._sealed') IS NULL"
    " AND (title != '' OR description != '' OR lat IS NOT NULL OR lon IS NOT NULL"
    " OR address IS NOT NULL OR commune IS NOT NULL OR reporter_pseudonym IS NOT NULL"
    " OR attachments != '[]')"
)
_LEGACY_KEY = "alerts_legacy_max_pk"
_ROW_COLUMNS = ("pk", *alert_seal.COLUMNS, "zone", "purged_at")

log = logging.getLogger("csu.storage")


@dataclass(frozen=True)
class PurgeReport:
    """What a purge did (or would do, with ``dry_run``)."""

    alerts: int = 0
    events: int = 0
    rejected: int = 0
    snapshots: int = 0
    files: int = 0
    dry_run: bool = False
    citizen: int = 0
    #: Partners' CAP messages: Updates/Cancels never applied (their original never
    #: came) dropped, previous versions of alerts sealed, raw documents deleted.
    cap_pending: int = 0
    cap_versions: int = 0
    cap_documents: int = 0

    @property
    def total(self) -> int:
        """Records touched."""
        cap = self.cap_pending + self.cap_versions + self.cap_documents
        return self.alerts + self.events + self.rejected + self.snapshots + self.citizen + cap

    def summary(self) -> str:
        """One French line for the operator or the terminal."""
        verb = "à purger" if self.dry_run else "purgés"
        return (
            f"{verb} : {self.alerts} alertes (données personnelles), {self.citizen} "
            f"signalements citoyens (titre et lieu scellés), {self.events} événements "
            f"(détails personnels), {self.rejected} trames rejetées, {self.snapshots} captures "
            f"({self.files} fichiers)"
            + (
                f", CAP : {self.cap_pending} messages en attente abandonnés, {self.cap_versions}"
                f" versions antérieures scellées, {self.cap_documents} documents supprimés"
                if self.cap_pending + self.cap_versions + self.cap_documents
                else ""
            )
        )


class RetentionMixin:
    """The purge; needs ``conn``, ``tz``, ``path`` and ``_transaction`` from the store."""

    conn: sqlite3.Connection
    tz: tzinfo | None
    path: Path

    def _transaction(self) -> AbstractContextManager[sqlite3.Cursor]:
        raise NotImplementedError

    def purge(
        self,
        policy: RetentionPolicy,
        now: datetime | None = None,
        *,
        dry_run: bool = False,
        station: str | None = None,
        operator: str | None = None,
        zones: PurgeZones = (),
        by_role: Role | None = None,
    ) -> PurgeReport:
        """Apply ``policy`` as of ``now``; a ``purged`` event records what went.

        ``by_role``: the role of the person who asks (None: the console's own timer
        and the command line); refused unless it may purge (``PermissionDenied``).

        ``zones``: the site's zones, written in ``alerts.zone`` of the citizen
        reports whose place is sealed."""
        if by_role is not None and not dry_run:
            require(by_role, Permission.PURGE)
        now = now or datetime.now(UTC)
        cut = policy.cutoffs(now)
        personal, video, rejected_cut = iso(cut.personal), iso(cut.video), iso(cut.rejected)
        citizen_cut = iso(cut.citizen)
        with self._transaction() as cur:
            if dry_run:
                legacy = _legacy_max_pk(cur)
                return PurgeReport(
                    alerts=_count(cur, f"alerts WHERE {_PERSONAL_WHERE}", personal)
                    + _count(  # the citizen reports' go with their place
                        cur,
                        f"alerts WHERE purged_at IS NULL AND received_at >= :cut2 AND {CITIZEN}"
                        f" AND received_at < :cut AND pk NOT IN ({HELD_ALERTS})",
                        citizen_cut,
                        cut2=personal,
                    ),
                    events=_count(cur, f"events WHERE {_EVENTS_WHERE}", personal)
                    + _count(cur, f"peer_events p WHERE {_PEER_EVENTS_WHERE}", personal),
                    rejected=_count(cur, "rejected WHERE received_at < :cut", rejected_cut),
                    snapshots=_count(cur, f"snapshots WHERE {_SNAPSHOTS_WHERE}", video),
                    citizen=_count(cur, f"alerts WHERE {_CITIZEN_WHERE}", citizen_cut)
                    + _count(
                        cur, f"alerts WHERE {_LEGACY_CITIZEN_WHERE}", citizen_cut, legacy=legacy
                    ),
                    dry_run=True,
                    cap_pending=_count(cur, f"cap_pending WHERE {_PENDING_WHERE}", rejected_cut),
                    cap_versions=_count(cur, f"alert_versions WHERE {_VERSIONS_WHERE}", personal),
                    cap_documents=_count(
                        cur, f"cap_documents d WHERE {_DOCS}", personal, pending_cut=rejected_cut
                    ),
                )
            stamp = iso(now)
            citizen, alerts = _seal_citizen_reports(cur, citizen_cut, stamp, zones)
            alerts += _seal_personal(cur, personal, stamp)
            events = _seal_events(cur, personal) + _seal_peer_events(cur, personal)
            rejected = cur.execute(
                "DELETE FROM rejected WHERE received_at < ?", (rejected_cut,)
            ).rowcount
            snapshots, files = self._drop_snapshots(cur, video)
            # Group changes (§ 9.9) of alerts past the personal-data limit: their
            # reasons are free text; the logbook keeps the record (sealed by its rule).
            groups = cur.execute("DELETE FROM group_changes WHERE at < ?", (personal,)).rowcount
            if groups:
                log.info("purge : %d changement(s) de groupe anciens supprimé(s)", groups)
            report = PurgeReport(
                alerts,
                events,
                rejected,
                snapshots,
                files,
                citizen=citizen,
                cap_pending=_drop_pending(cur, rejected_cut),
                cap_versions=_seal_versions(cur, personal, stamp),
                cap_documents=cur.execute(
                    f"DELETE FROM cap_documents AS d WHERE {_DOCS}",
                    {"cut": personal, "pending_cut": rejected_cut},
                ).rowcount,
            )
            if report.total:
                details = {**asdict(report), "policy": asdict(policy)}
                del details["dry_run"]
                event = NewEvent(EventKind.PURGED, now, None, station, operator, details)
                append_events(cur, [event], self.tz)
        if report.total:
            log.info("purge RGPD : %s", report.summary())
        return report

    def _drop_snapshots(self, cur: sqlite3.Cursor, before: str) -> tuple[int, int]:
        rows = cur.execute(
            f"SELECT pk, path FROM snapshots WHERE {_SNAPSHOTS_WHERE}", {"cut": before}
        ).fetchall()
        files = 0
        for _pk, text in rows:
            path = Path(text)
            if not path.is_absolute():
                path = self.path.parent / path
            try:
                path.unlink()
                files += 1
            except FileNotFoundError:
                pass  # already gone: the row still goes
            except OSError as exc:
                raise StorageError(f"Capture {path} impossible à supprimer : {exc}") from exc
        cur.executemany("DELETE FROM snapshots WHERE pk = ?", [(pk,) for pk, _p in rows])
        return len(rows), files


def _count(cur: sqlite3.Cursor, where: str, bound: str, **more: Any) -> int:
    params = {"cut": bound, **more}
    return int(cur.execute(f"SELECT count(*) FROM {where}", params).fetchone()[0])


def _legacy_max_pk(cur: sqlite3.Cursor) -> int:
    row = cur.execute("SELECT value FROM meta WHERE key = ?", (_LEGACY_KEY,)).fetchone()
    return 0 if row is None or row[0] is None else int(row[0])


_EVENTS_WHERE = (
    "details_salt IS NOT NULL AND at < :cut"
    f" AND (alert_pk IS NULL OR alert_pk NOT IN ({HELD_ALERTS}))"
)
_SNAPSHOTS_WHERE = (
    f"at < :cut AND pk NOT IN ({_HELD_SNAPSHOTS})"
    f" AND (alert_pk IS NULL OR alert_pk NOT IN ({HELD_ALERTS}))"
)


def _rows(cur: sqlite3.Cursor, where: str, bound: str, **more: Any) -> list[dict[str, Any]]:
    names = ", ".join(_ROW_COLUMNS)
    params = {"cut": bound, **more}
    rows = cur.execute(f"SELECT {names} FROM alerts WHERE {where} ORDER BY pk", params)
    return [dict(zip(_ROW_COLUMNS, r, strict=True)) for r in rows.fetchall()]


def _update(cur: sqlite3.Cursor, pk: int, changes: dict[str, Any]) -> None:
    sets = ", ".join(f"{c} = ?" for c in changes)
    cur.execute(f"UPDATE alerts SET {sets} WHERE pk = ?", (*changes.values(), pk))


def _seal_units(row: dict[str, Any], units: Sequence[str], stamp: str) -> dict[str, Any]:
    """The changes sealing ``units`` of a row (a new ``extra`` each time), the salt
    forgotten when nothing sealable is left in clear."""
    changes: dict[str, Any] = {}
    for unit in units:
        sealed_now = alert_seal.sealed_update({**row, **changes}, unit)
        if sealed_now is not None:
            changes.update(sealed_now)
    state = {**row, **changes}
    extra = json.loads(state["extra"])
    done = extra.get(alert_seal.SEALED_KEY) or {} if isinstance(extra, dict) else {}
    if all(u in done for u in alert_seal.sealable_units(row["fmt"], row["seq"])):
        changes["fields_salt"] = None
    if row["purged_at"] is None and "personnel" in done:
        changes["purged_at"] = stamp
    return changes


_LEGACY_PERSONAL = {"description": "", "reporter_pseudonym": None, "attachments": "[]"}
_LEGACY_PLACE = {
    **_LEGACY_PERSONAL,
    **dict.fromkeys(("lat", "lon", "address", "accuracy_m", "commune"), None),
    "title": "",
}


def _seal_personal(cur: sqlite3.Cursor, before: str, stamp: str) -> int:
    """Seal (or, for rows stored before the digest, empty) the personal fields of
    the alerts received before ``before``; how many."""
    count = 0
    for row in _rows(cur, _PERSONAL_WHERE, before):
        if row["fields_salt"] is None:
            changes: dict[str, Any] = {**_LEGACY_PERSONAL, "purged_at": stamp}
        else:
            changes = _seal_units(row, ("personnel",), stamp)
            changes["purged_at"] = stamp
        _update(cur, row["pk"], changes)
        count += 1
    return count


def _seal_citizen_reports(
    cur: sqlite3.Cursor, before: str, stamp: str, zones: PurgeZones
) -> tuple[int, int]:
    """Keep the zone, then seal title, place and personal fields of the citizen
    reports received before ``before``; how many, and how many of them had
    their personal fields still in clear."""
    legacy = _legacy_max_pk(cur)
    rows = _rows(cur, _CITIZEN_WHERE, before)
    if legacy:
        rows += _rows(cur, _LEGACY_CITIZEN_WHERE, before, legacy=legacy)
        # Every row stored before the digest is past the period: none left to look at.
        if not cur.execute(
            "SELECT 1 FROM alerts WHERE pk <= ? AND received_at >= ? LIMIT 1", (legacy, before)
        ).fetchone():
            cur.execute("UPDATE meta SET value = '0' WHERE key = ?", (_LEGACY_KEY,))
    if not rows:
        return 0, 0
    found = zones_of([(r["lon"], r["lat"]) for r in rows], zones)
    for row, inside in zip(rows, found, strict=True):
        changes: dict[str, Any] = {}
        if row["zone"] is None and row["lat"] is not None:
            changes["zone"] = json.dumps(list(inside), ensure_ascii=False)
        if row["fields_salt"] is None:
            changes.update(_LEGACY_PLACE)
            changes["purged_at"] = row["purged_at"] or stamp
        else:
            changes.update(_seal_units(row, ("personnel", "lieu"), stamp))
        _update(cur, row["pk"], changes)
    return len(rows), sum(1 for r in rows if r["purged_at"] is None)


#: An Update or Cancel kept for an original that never came: dropped after
#: ``rejected_days``, like a frame that could not be used (its message stays known).
_PENDING_WHERE = "received_at < :cut"
#: The contents Updates replaced: their personal fields emptied at ``personal_data_days``.
_VERSIONS_WHERE = f"purged_at IS NULL AND replaced_at < :cut AND alert_pk NOT IN ({HELD_ALERTS})"
#: A raw CAP document goes when every message that brought it is past
#: ``personal_data_days``, none waits (and stays: ``rejected_days``), none is of a
#: held alert.
_DOCUMENTS_WHERE = (
    "d.stored_at < :cut AND NOT EXISTS (SELECT 1 FROM cap_messages m"
    " WHERE m.document_sha256 = d.sha256 AND (m.received_at >= :cut"
    " OR (m.disposition = 'pending' AND m.received_at >= :pending_cut)"
    f" OR m.alert_pk IN ({HELD_ALERTS})))"
)
_DOCS = _DOCUMENTS_WHERE
_VERSION_EMPTIED = {"description": "", "reporter_pseudonym": None, "attachments": "[]"}


def _drop_pending(cur: sqlite3.Cursor, before: str) -> int:
    """Drop the Updates and Cancels kept since before ``before``; how many."""
    pks = [
        int(r[0])
        for r in cur.execute(
            f"SELECT message_pk FROM cap_pending WHERE {_PENDING_WHERE}", {"cut": before}
        ).fetchall()
    ]
    if not pks:
        return 0
    params = [(pk,) for pk in pks]
    cur.executemany("DELETE FROM cap_pending_refs WHERE message_pk = ?", params)
    cur.executemany("DELETE FROM cap_pending WHERE message_pk = ?", params)
    cur.executemany(
        "UPDATE cap_messages SET disposition = 'dropped' WHERE pk = ? AND disposition = 'pending'",
        params,
    )
    return len(pks)


def _seal_versions(cur: sqlite3.Cursor, before: str, stamp: str) -> int:
    """Empty the personal fields of the previous versions replaced before ``before``."""
    rows = cur.execute(
        f"SELECT alert_pk, version, row FROM alert_versions WHERE {_VERSIONS_WHERE}",
        {"cut": before},
    ).fetchall()
    for alert_pk, version, text in rows:
        row = json.loads(text)
        # Sealed with the salt it was digested with (its event still verifies); a
        # version stored before the digest existed is emptied.
        sealed_now = alert_seal.sealed_update(row, "personnel") if row.get("fields_salt") else None
        if sealed_now is not None:
            row.update(sealed_now, fields_salt=None)  # nothing left to seal: salt forgotten
        elif not row.get("fields_salt"):
            extra = json.loads(row.get("extra") or "{}")
            if not (isinstance(extra, dict) and "personnel" in (extra.get("_sealed") or {})):
                row.update(_VERSION_EMPTIED)
        row["purged_at"] = stamp
        cur.execute(
            "UPDATE alert_versions SET row = ?, purged_at = ? WHERE alert_pk = ? AND version = ?",
            (json.dumps(row, ensure_ascii=False), stamp, alert_pk, version),
        )
    return len(rows)


def _seal_events(cur: sqlite3.Cursor, before: str) -> int:
    """Seal the personal details of the events older than ``before``; how many."""
    rows = cur.execute(
        f"SELECT pk, details, details_salt FROM events WHERE {_EVENTS_WHERE} ORDER BY pk",
        {"cut": before},
    ).fetchall()
    for pk, text, salt in rows:
        details = json.loads(text)
        purged = {**sealed(details, salt), PURGED_KEY: sorted(PERSONAL_KEYS & set(details))}
        cur.execute(
            "UPDATE events SET details = ?, details_salt = NULL WHERE pk = ?",
            (json.dumps(purged, ensure_ascii=False), pk),
        )
    return len(rows)


#: The other stations' events kept here: sealed like ours (their chain verifies the
#: sealed form too), except those of an alert held here (matched by its key).
_PEER_EVENTS_WHERE = (
    "p.details_salt IS NOT NULL AND p.at < :cut AND NOT EXISTS (SELECT 1 FROM alerts a"
    " JOIN legal_holds h ON h.target = 'alert' AND h.released_at IS NULL"
    " AND CAST(h.target_ref AS INTEGER) = a.pk"
    " WHERE a.source = p.alert_source AND a.alert_id = p.alert_id)"
)


def _seal_peer_events(cur: sqlite3.Cursor, before: str) -> int:
    """Seal the personal details of the other stations' events older than ``before``."""
    rows = cur.execute(
        "SELECT p.station, p.seq, p.details, p.details_salt FROM peer_events p"
        f" WHERE {_PEER_EVENTS_WHERE} ORDER BY p.station, p.seq",
        {"cut": before},
    ).fetchall()
    for station, seq, text, salt in rows:
        details = json.loads(text)
        purged = {**sealed(details, salt), PURGED_KEY: sorted(PERSONAL_KEYS & set(details))}
        cur.execute(
            "UPDATE peer_events SET details = ?, details_salt = NULL WHERE station = ? AND seq = ?",
            (json.dumps(purged, ensure_ascii=False), station, seq),
        )
    return len(rows)
