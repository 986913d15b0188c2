"""The simulated gateway's outbox: what was sent, to whom, and what was answered.

A real gateway keeps its outbox across restarts; so does this one when given a
state file (SQLite). Messages are persisted before they are sent, so a gateway
killed with SIGKILL and restarted still knows every alert it ever offered.
Counters are kept incrementally so that statistics stay cheap under a storm.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

Payload = tuple[bytes, bool, tuple[str, str] | None, str]


@dataclass
class OutMessage:
    """One frame offered to the consoles; ``key`` is (source, id) for valid alerts."""

    seq: int
    payload: bytes
    is_text: bool
    key: tuple[str, str] | None
    expect: str  # "ack" | "reject" | "any" | "none" (sent once, never tracked)


class Outbox:
    """Messages by seq, and per station the seqs it answered (ack or reject)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.messages: dict[int, OutMessage] = {}
        self.answers: dict[str, dict[int, str]] = {}
        self.counts: dict[str, Counter[str]] = {}
        self.valid_keys: set[tuple[str, str]] = set()
        self.tracked = 0
        self.next_seq = 1
        self._db: sqlite3.Connection | None = None
        self._unsaved: list[tuple[str, int, str]] = []
        if path is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.executescript(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            "CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY, payload BLOB,"
            " is_text INTEGER, source TEXT, alert_id TEXT, expect TEXT);"
            "CREATE TABLE IF NOT EXISTS answers (station TEXT, seq INTEGER, kind TEXT,"
            " PRIMARY KEY (station, seq));"
        )
        for seq, payload, is_text, source, alert_id, expect in self._db.execute(
            "SELECT * FROM messages ORDER BY seq"
        ):
            key = (source, alert_id) if source is not None else None
            self._remember(OutMessage(seq, payload, bool(is_text), key, expect))
        for station, seq, kind in self._db.execute("SELECT * FROM answers"):
            self._record(station, seq, kind)

    def _remember(self, msg: OutMessage) -> None:
        self.messages[msg.seq] = msg
        self.next_seq = max(self.next_seq, msg.seq + 1)
        if msg.key is not None:
            self.valid_keys.add(msg.key)
        if msg.expect != "none":
            self.tracked += 1

    def _record(self, station: str, seq: int, kind: str) -> bool:
        done = self.answers.setdefault(station, {})
        counts = self.counts.setdefault(station, Counter())
        if seq in done:
            return False
        done[seq] = kind
        counts[kind] += 1
        msg = self.messages.get(seq)
        if msg is not None and msg.expect != "none":
            counts["tracked_answered"] += 1
        return True

    def add(self, payloads: list[Payload]) -> list[int]:
        """Assign seqs and persist (committed before anything is sent)."""
        added: list[OutMessage] = []
        for payload, is_text, key, expect in payloads:
            msg = OutMessage(self.next_seq, payload, is_text, key, expect)
            self._remember(msg)
            added.append(msg)
        if self._db is not None:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany(
                    "INSERT INTO messages VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (
                            m.seq,
                            m.payload,
                            int(m.is_text),
                            m.key[0] if m.key else None,
                            m.key[1] if m.key else None,
                            m.expect,
                        )
                        for m in added
                    ],
                )
        return [m.seq for m in added]

    def answer(self, station: str, seq: int, kind: str) -> bool:
        """Record an ack/reject; True when it is the first answer for that seq.

        Answers reach the state file in batches (:meth:`flush`): one lost in a
        crash only means that message is offered again, which the console dedupes.
        """
        first = self._record(station, seq, kind)
        if first and self._db is not None:
            self._unsaved.append((station, seq, kind))
            if len(self._unsaved) >= 1000:
                self.flush()
        return first

    def flush(self) -> None:
        """Write the buffered answers to the state file."""
        if self._db is not None and self._unsaved:
            rows, self._unsaved = self._unsaved, []
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", rows)

    def skip_up_to(self, station: str, last_seq: int) -> None:
        """A station unknown to us says it committed up to ``last_seq``."""
        for seq in list(self.messages):
            if seq <= last_seq:
                self._record(station, seq, "skipped")

    def unanswered(self, station: str) -> list[int]:
        """Seqs still owed to a station, in order."""
        done = self.answers.get(station, {})
        return [seq for seq, m in self.messages.items() if seq not in done and m.expect != "none"]

    def unanswered_count(self, station: str) -> int:
        """How many tracked messages the station has not answered (O(1))."""
        return self.tracked - self.counts.get(station, Counter())["tracked_answered"]

    def close(self) -> None:
        """Close the state file."""
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None
