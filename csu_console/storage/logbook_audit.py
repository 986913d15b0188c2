"""Checking the logbook's hash chain (:func:`verify_chain`, for ``csu-console logbook
verify`` and the console), and chaining the events of a database written before
the chain existed (:func:`chain_existing`, migration 3)."""

from __future__ import annotations

import json
import logging
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from csu_console.core.logbook import PERSONAL_KEYS, EventKind
from csu_console.storage.logbook import (
    COLUMNS,
    GENESIS,
    NewEvent,
    append_events,
    canonical_text,
    details_digest,
    link_hash,
)

log = logging.getLogger("csu.logbook")


@dataclass(frozen=True)
class ChainBreak:
    """The first event where the chain does not hold, and why (French)."""

    pk: int
    at: str
    kind: str
    problem: str

    def __str__(self) -> str:
        return f"événement n° {self.pk} ({self.at}, {self.kind}) : {self.problem}"


@dataclass(frozen=True)
class ChainReport:
    """How many events were checked, the last link's hash, the first break if any."""

    count: int
    head: str
    broken: ChainBreak | None = None
    #: The pk of the event whose hash is ``head`` (0: none) — the chain head's seq.
    seq: int = 0

    @property
    def ok(self) -> bool:
        """True when every link holds."""
        return self.broken is None


_SELECT = f"SELECT {', '.join(COLUMNS)} FROM events"


def _problem(prev: str, prev_pk: int | None, r: tuple[Any, ...]) -> str | None:
    pk, alert_pk, at, at_local, kind, station, operator = r[:7]
    details_text, salt, digest, prev_hash, h = r[7:]
    if h is None or digest is None or prev_hash is None:
        return "événement hors chaîne (empreinte absente)"
    try:
        details = json.loads(details_text)
    except (TypeError, ValueError):
        return "détails illisibles (JSON invalide)"
    if not isinstance(details, dict):
        return "détails illisibles (objet JSON attendu)"
    try:
        recomputed = details_digest(details, salt)
    except (TypeError, ValueError):
        return "détails ou sel illisibles"
    if recomputed != digest:
        return "détails modifiés (leur empreinte ne correspond plus)"
    if prev_hash != prev:
        before = f"n° {prev_pk}" if prev_pk is not None else "aucun : début de la chaîne"
        return (
            f"maillon rompu : prev_hash ne correspond pas à l'empreinte de l'événement "
            f"précédent ({before}) — événement supprimé, inséré ou modifié"
        )
    if link_hash(prev, [pk, alert_pk, at, at_local, kind, station, operator, digest]) != h:
        return "événement modifié (heure, type, poste, opérateur ou alerte) : empreinte fausse"
    return None


def verify_chain(conn: sqlite3.Connection) -> ChainReport:
    """Walk every event in pk order; stop at the first broken link."""
    prev, prev_pk, count = GENESIS, None, 0
    for r in conn.execute(_SELECT + " ORDER BY pk"):
        problem = _problem(prev, prev_pk, r)
        if problem is not None:
            log.error("main courante : chaîne rompue à l'événement %s : %s", r[0], problem)
            broken = ChainBreak(int(r[0]), r[2], r[4], problem)
            return ChainReport(count, prev, broken, prev_pk or 0)
        prev, prev_pk, count = r[11], int(r[0]), count + 1
    return ChainReport(count, prev, seq=prev_pk or 0)


def _local(at: str) -> str | None:
    try:
        return datetime.fromisoformat(at).astimezone().isoformat(timespec="milliseconds")
    except (TypeError, ValueError):
        return None


def chain_existing(conn: sqlite3.Connection) -> None:
    """Migration 3: chain the events written before the chain existed, in pk order,
    then log a ``chain_started`` event saying how many (none on a new database).

    Runs inside the migration's transaction, with the update trigger dropped. The
    chain vouches for these events from the migration on, not from their writing;
    their ``at_local`` uses the machine's time zone.
    """
    cur = conn.cursor()
    prev, last_pk, count = GENESIS, 0, 0
    while rows := cur.execute(
        _SELECT + " WHERE hash IS NULL AND pk > ? ORDER BY pk LIMIT 1000", (last_pk,)
    ).fetchall():
        for r in rows:
            pk, alert_pk, at, kind, station, operator = r[0], r[1], r[2], r[4], r[5], r[6]
            try:
                details = json.loads(r[7])
            except (TypeError, ValueError):
                details = {"raw": r[7]}
            details = details if isinstance(details, dict) else {"value": details}
            salt = secrets.token_hex(16) if PERSONAL_KEYS.intersection(details) else None
            digest = details_digest(details, salt)
            local = _local(at)
            h = link_hash(prev, [pk, alert_pk, at, local, kind, station, operator, digest])
            cur.execute(
                "UPDATE events SET at_local = ?, details = ?, details_salt = ?,"
                " details_sha256 = ?, prev_hash = ?, hash = ? WHERE pk = ?",
                (local, canonical_text(details), salt, digest, prev, h, pk),
            )
            prev, last_pk, count = h, pk, count + 1
    if count:
        log.info("main courante : %d événements existants chaînés", count)
        now = datetime.now().astimezone()
        append_events(cur, [NewEvent(EventKind.CHAIN_STARTED, now, details={"legacy": count})])
