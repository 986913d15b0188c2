"""The recorder's index: which segment holds which camera over which period, the
gaps and why, and the segments under a legal hold (Qt-free, SQLite).

One file, ``index.sqlite``, at the root of the recording folder, beside the
segments (``<root>/<camera_id>/<YYYYMMDD>/<HHMMSS>.mkv``); paths are stored
relative to the root, so the folder can be moved or mounted elsewhere (a console
reads the recorder's folder over a share). The recorder writes it; consoles read
it, and write only the holds of an extraction (WAL mode: readers never wait on
the recorder).

Times are stored as Unix seconds (REAL); the API speaks aware UTC datetimes.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from csu_console.core.recording import Coverage, Gap, GapReason, Segment, Span, coverage_of

INDEX_FILE = "index.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS segments (
    pk INTEGER PRIMARY KEY,
    camera_id TEXT NOT NULL,
    start REAL NOT NULL,
    end REAL NOT NULL,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    corrupt INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS segments_camera_start ON segments (camera_id, start);
CREATE INDEX IF NOT EXISTS segments_start ON segments (start);
CREATE TABLE IF NOT EXISTS gaps (
    pk INTEGER PRIMARY KEY,
    camera_id TEXT NOT NULL,
    start REAL NOT NULL,
    end REAL,
    reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS gaps_camera_start ON gaps (camera_id, start);
CREATE TABLE IF NOT EXISTS holds (
    segment_pk INTEGER NOT NULL REFERENCES segments (pk),
    reference TEXT NOT NULL,
    held_at REAL NOT NULL,
    PRIMARY KEY (segment_pk, reference)
);
"""


def _ts(at: datetime) -> float:
    if at.tzinfo is None:
        raise ValueError("heure sans fuseau")
    return at.timestamp()


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


class RecordingIndex:
    """The index of one recording folder; thread-safe (one connection, one lock)."""

    def __init__(self, root: Path, *, create: bool = True) -> None:
        self.root = Path(root)
        path = self.root / INDEX_FILE
        if create:
            self.root.mkdir(parents=True, exist_ok=True)
        elif not path.is_file():
            raise FileNotFoundError(f"pas d'index d'enregistrement dans {self.root}")
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, timeout=10.0, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA foreign_keys=ON")
        if create:
            self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sqlite3.Cursor]:
        with self._lock, self._db:
            yield self._db.cursor()

    def _segment(self, row: Sequence[object]) -> Segment:
        pk, camera, start, end, path, size, held = row
        return Segment(
            int(pk),  # type: ignore[call-overload]
            str(camera),
            _dt(float(start)),  # type: ignore[arg-type]
            _dt(float(end)),  # type: ignore[arg-type]
            self.root / str(path),
            int(size),  # type: ignore[call-overload]
            bool(held),
        )

    _SELECT = (
        "SELECT s.pk, s.camera_id, s.start, s.end, s.path, s.size,"
        " EXISTS (SELECT 1 FROM holds h WHERE h.segment_pk = s.pk) FROM segments s"
    )

    # -- the recorder writes ----------------------------------------------------------

    def add_segment(
        self, camera_id: str, start: datetime, end: datetime, path: Path, size: int
    ) -> int:
        """A closed segment; ``path`` absolute or relative to the root. Its pk."""
        rel = Path(path)
        if rel.is_absolute():
            rel = rel.relative_to(self.root)
        with self._tx() as cur:
            cur.execute(
                "INSERT INTO segments (camera_id, start, end, path, size) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (path) DO UPDATE SET start = excluded.start, end = excluded.end,"
                " size = excluded.size",
                (camera_id, _ts(start), _ts(end), str(rel), int(size)),
            )
            row = cur.execute("SELECT pk FROM segments WHERE path = ?", (str(rel),)).fetchone()
            return int(row[0])

    def mark_corrupt(self, pk: int) -> None:
        """A segment that cannot be read: kept on disk (evidence), shown as a gap."""
        with self._tx() as cur:
            cur.execute("UPDATE segments SET corrupt = 1 WHERE pk = ?", (pk,))

    def open_gap(self, camera_id: str, start: datetime, reason: GapReason) -> int:
        """Recording of ``camera_id`` stopped at ``start``; closed by :meth:`close_gap`."""
        with self._tx() as cur:
            cur.execute(
                "INSERT INTO gaps (camera_id, start, end, reason) VALUES (?, ?, NULL, ?)",
                (camera_id, _ts(start), reason.value),
            )
            return int(cur.lastrowid or 0)

    def close_gap(self, pk: int, end: datetime) -> None:
        with self._tx() as cur:
            cur.execute("UPDATE gaps SET end = ? WHERE pk = ? AND end IS NULL", (_ts(end), pk))

    def close_open_gaps(self, end: datetime) -> int:
        """At start: gaps left open by a recorder that stopped end there."""
        with self._tx() as cur:
            return cur.execute("UPDATE gaps SET end = ? WHERE end IS NULL", (_ts(end),)).rowcount

    def remove(self, pks: Iterable[int]) -> int:
        """Forget segments (their files are deleted by the caller); held ones stay."""
        keys = [(int(pk),) for pk in pks]
        with self._tx() as cur:
            cur.executemany(
                "DELETE FROM segments WHERE pk = ?"
                " AND NOT EXISTS (SELECT 1 FROM holds WHERE segment_pk = ?1)",
                keys,
            )
            return cur.rowcount

    def forget_gaps_before(self, before: datetime) -> int:
        with self._tx() as cur:
            return cur.execute(
                "DELETE FROM gaps WHERE end IS NOT NULL AND end < ?", (_ts(before),)
            ).rowcount

    # -- everyone reads -----------------------------------------------------------

    def cameras(self) -> list[str]:
        with self._lock:
            rows = self._db.execute(
                "SELECT camera_id FROM segments UNION SELECT camera_id FROM gaps ORDER BY 1"
            ).fetchall()
        return [str(r[0]) for r in rows]

    def segments(
        self, camera_id: str, start: datetime, end: datetime, *, with_corrupt: bool = False
    ) -> list[Segment]:
        """The segments of ``camera_id`` overlapping ``[start, end)``, in time order."""
        corrupt = "" if with_corrupt else " AND s.corrupt = 0"
        with self._lock:
            rows = self._db.execute(
                f"{self._SELECT} WHERE s.camera_id = ? AND s.start < ? AND s.end > ?{corrupt}"
                " ORDER BY s.start",
                (camera_id, _ts(end), _ts(start)),
            ).fetchall()
        return [self._segment(r) for r in rows]

    def segment_at(self, camera_id: str, at: datetime) -> Segment | None:
        """The readable segment holding ``at``, else the next one after it."""
        with self._lock:
            row = self._db.execute(
                f"{self._SELECT} WHERE s.camera_id = ? AND s.end > ? AND s.corrupt = 0"
                " ORDER BY s.start LIMIT 1",
                (camera_id, _ts(at)),
            ).fetchone()
        return None if row is None else self._segment(row)

    def coverage(
        self, camera_id: str, start: datetime, end: datetime, *, now: datetime | None = None
    ) -> Coverage:
        """Spans and gaps of ``camera_id`` over ``[start, end)``; a corrupt segment is
        a gap « segment illisible », an open gap runs until ``now``."""
        now_ts = _ts(now or datetime.now(UTC))
        with self._lock:
            rows = self._db.execute(
                "SELECT start, end, corrupt FROM segments"
                " WHERE camera_id = ? AND start < ? AND end > ?",
                (camera_id, _ts(end), _ts(start)),
            ).fetchall()
            gap_rows = self._db.execute(
                "SELECT start, COALESCE(end, ?), reason FROM gaps"
                " WHERE camera_id = ? AND start < ? AND COALESCE(end, ?) > ?",
                (now_ts, camera_id, _ts(end), now_ts, _ts(start)),
            ).fetchall()
        spans = [Span(_dt(a), _dt(b)) for a, b, bad in rows if not bad]
        gaps = [Gap(_dt(a), _dt(b), GapReason.CORRUPT) for a, b, bad in rows if bad]
        gaps += [Gap(_dt(a), _dt(b), GapReason(reason)) for a, b, reason in gap_rows]
        return coverage_of(camera_id, start, end, spans, gaps)

    def total_size(self) -> int:
        with self._lock:
            (total,) = self._db.execute("SELECT COALESCE(SUM(size), 0) FROM segments").fetchone()
        return int(total)

    def oldest_unheld(self, limit: int = 32) -> list[Segment]:
        """Segments the disk budget may rotate, oldest first (never a held one)."""
        with self._lock:
            rows = self._db.execute(
                f"{self._SELECT} WHERE NOT EXISTS"
                " (SELECT 1 FROM holds h WHERE h.segment_pk = s.pk) ORDER BY s.start LIMIT ?",
                (limit,),
            ).fetchall()
        return [self._segment(r) for r in rows]

    def expired(self, before: datetime, limit: int = 1000) -> list[Segment]:
        """Unheld segments that ended before ``before`` (the CNIL retention)."""
        with self._lock:
            rows = self._db.execute(
                f"{self._SELECT} WHERE s.end < ? AND NOT EXISTS"
                " (SELECT 1 FROM holds h WHERE h.segment_pk = s.pk) ORDER BY s.start LIMIT ?",
                (_ts(before), limit),
            ).fetchall()
        return [self._segment(r) for r in rows]

    # -- legal holds (written by the console's extraction) ----------------------------

    def hold(
        self, camera_ids: Iterable[str], start: datetime, end: datetime, reference: str
    ) -> list[Segment]:
        """Put every segment of ``camera_ids`` overlapping ``[start, end)`` under
        ``reference`` (a requisition); the segments held."""
        held: list[Segment] = []
        now = datetime.now(UTC).timestamp()
        with self._tx() as cur:
            for camera in camera_ids:
                rows = cur.execute(
                    f"{self._SELECT} WHERE s.camera_id = ? AND s.start < ? AND s.end > ?"
                    " ORDER BY s.start",
                    (camera, _ts(end), _ts(start)),
                ).fetchall()
                for row in rows:
                    cur.execute(
                        "INSERT OR IGNORE INTO holds (segment_pk, reference, held_at)"
                        " VALUES (?, ?, ?)",
                        (row[0], reference, now),
                    )
                    held.append(self._segment(row))
        return held

    def release(self, reference: str) -> int:
        """Lift the holds of ``reference``; how many segments it held."""
        with self._tx() as cur:
            return cur.execute("DELETE FROM holds WHERE reference = ?", (reference,)).rowcount

    def held_references(self) -> list[str]:
        with self._lock:
            rows = self._db.execute("SELECT DISTINCT reference FROM holds ORDER BY 1").fetchall()
        return [str(r[0]) for r in rows]
