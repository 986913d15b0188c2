"""The retention policy applied to the database (mixed into
:class:`~csu_console.storage.store.Store`): at start and by ``csu-console purge``.

- alerts older than ``personal_data_days``: description, reporter pseudonym and
  attachments emptied, ``purged_at`` set (the alert itself stays, for statistics);
- events older than ``personal_data_days`` with personal details: those values
  replaced by their salted hash and the salt forgotten — the event stays and the
  chain still verifies (see :mod:`csu_console.storage.logbook`);
- rejected frames older than ``rejected_days``: deleted;
- snapshots older than ``video_days``: file and row deleted (their ``snapshot``
  event stays: which camera, when, the image's digest).

Everything in one transaction; snapshot files are deleted before the commit, so
an image never outlives the policy even if the commit fails (its row then goes at
the next purge).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from csu_console.core.logbook import PERSONAL_KEYS, PURGED_KEY, EventKind
from csu_console.core.retention import RetentionPolicy
from csu_console.errors import StorageError
from csu_console.storage.codec import iso
from csu_console.storage.logbook import NewEvent, append_events, sealed

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

    @property
    def total(self) -> int:
        """Records touched."""
        return self.alerts + self.events + self.rejected + self.snapshots

    def summary(self) -> str:
        """One French line for the operator or the terminal."""
        verb = "à purger" if self.dry_run else "purgés"
        return (
            f"{verb} : {self.alerts} alertes (données personnelles), {self.events} événements "
            f"(détails personnels), {self.rejected} trames rejetées, {self.snapshots} captures "
            f"({self.files} fichiers)"
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
    ) -> PurgeReport:
        """Apply ``policy`` as of ``now``; a ``purged`` event records what went."""
        now = now or datetime.now(UTC)
        cut = policy.cutoffs(now)
        personal, video, rejected_cut = iso(cut.personal), iso(cut.video), iso(cut.rejected)
        with self._transaction() as cur:
            if dry_run:
                return PurgeReport(
                    alerts=_count(cur, "alerts WHERE purged_at IS NULL AND received_at < ?",
                                  personal),
                    events=_count(cur, "events WHERE details_salt IS NOT NULL AND at < ?",
                                  personal),
                    rejected=_count(cur, "rejected WHERE received_at < ?", rejected_cut),
                    snapshots=_count(cur, "snapshots WHERE at < ?", video),
                    dry_run=True,
                )  # fmt: skip
            alerts = cur.execute(
                "UPDATE alerts SET description = '', reporter_pseudonym = NULL,"
                " attachments = '[]', purged_at = ? WHERE purged_at IS NULL AND received_at < ?",
                (iso(now), personal),
            ).rowcount
            events = _seal_events(cur, personal)
            rejected = cur.execute(
                "DELETE FROM rejected WHERE received_at < ?", (rejected_cut,)
            ).rowcount
            snapshots, files = self._drop_snapshots(cur, video)
            report = PurgeReport(alerts, events, rejected, snapshots, files)
            if report.total:
                details = {**asdict(report), "policy": asdict(policy)}
                del details["dry_run"]
                event = NewEvent(EventKind.PURGED, now, None, station, operator, details)
                append_events(cur, [event], self.tz)
        if report.total:
            log.info("purge RGPD : %s", report.summary())
        return report

    def _drop_snapshots(self, cur: sqlite3.Cursor, before: str) -> tuple[int, int]:
        rows = cur.execute("SELECT pk, path FROM snapshots WHERE at < ?", (before,)).fetchall()
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
        cur.execute("DELETE FROM snapshots WHERE at < ?", (before,))
        return len(rows), files


def _count(cur: sqlite3.Cursor, where: str, bound: str) -> int:
    return int(cur.execute(f"SELECT count(*) FROM {where}", (bound,)).fetchone()[0])


def _seal_events(cur: sqlite3.Cursor, before: str) -> int:
    """Seal the personal details of the events older than ``before``; how many."""
    rows = cur.execute(
        "SELECT pk, details, details_salt FROM events"
        " WHERE details_salt IS NOT NULL AND at < ? ORDER BY pk",
        (before,),
    ).fetchall()
    for pk, text, salt in rows:
        details = json.loads(text)
        purged = {**sealed(details, salt), PURGED_KEY: sorted(PERSONAL_KEYS & set(details))}
        cur.execute(
            "UPDATE events SET details = ?, details_salt = NULL WHERE pk = ?",
            (json.dumps(purged, ensure_ascii=False), pk),
        )
    return len(rows)
