"""The simulated gateway's outbox: what was sent, to whom, and what was answered.

A real gateway keeps its outbox across restarts; so does this one when given a
state file (SQLite). Messages are persisted before they are sent, so a gateway
killed with SIGKILL and restarted still knows every alert it ever offered.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class OutMessage:
    """One frame offered to the consoles; ``key`` is (source, id) for valid alerts."""

    seq: int
    payload: bytes
    is_text: bool
    key: tuple[str, str] | None
    expect: str  # "ack" | "reject" | "none" (sent once, never tracked)


@dataclass
class Outbox:
    """Messages by seq, and per station the seqs it answered (ack or reject)."""

    path: Path | None = None
    messages: dict[int, OutMessage] = field(default_factory=dict)
    answers: dict[str, dict[int, str]] = field(default_factory=dict)
    next_seq: int = 1
    _db: sqlite3.Connection | None = None
    _dirty: int = 0

    def __post_init__(self) -> None:
        if self.path is None:
            return
        self._db = sqlite3.connect(self.path, isolation_level=None)
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
            self.messages[seq] = OutMessage(seq, payload, bool(is_text), key, expect)
            self.next_seq = seq + 1
        for station, seq, kind in self._db.execute("SELECT * FROM answers"):
            self.answers.setdefault(station, {})[seq] = kind

    def add(self, payloads: list[tuple[bytes, bool, tuple[str, str] | None, str]]) -> list[int]:
        """Assign seqs and persist (committed before anything is sent)."""
        added: list[OutMessage] = []
        for payload, is_text, key, expect in payloads:
            msg = OutMessage(self.next_seq, payload, is_text, key, expect)
            self.next_seq += 1
            self.messages[msg.seq] = msg
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
        """Record an ack/reject; True when it is the first answer for that seq."""
        done = self.answers.setdefault(station, {})
        first = seq not in done
        done[seq] = kind
        if first and self._db is not None:
            self._db.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", (station, seq, kind)
            )
        return first

    def skip_up_to(self, station: str, last_seq: int) -> None:
        """A station unknown to us says it committed up to ``last_seq``."""
        done = self.answers.setdefault(station, {})
        for seq in self.messages:
            if seq <= last_seq and seq not in done:
                done[seq] = "skipped"

    def unanswered(self, station: str) -> list[int]:
        """Seqs still owed to a station, in order."""
        done = self.answers.get(station, {})
        return [
            seq for seq, m in self.messages.items() if seq not in done and m.expect != "none"
        ]

    def close(self) -> None:
        """Close the state file."""
        if self._db is not None:
            self._db.close()
            self._db = None
