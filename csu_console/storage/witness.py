"""``logbook verify`` against the witnessed heads: what the chain alone cannot see.

The hash chain catches an edited or removed event in the middle, but not a
truncated tail (the last events deleted: the chain still holds) nor a chain
recomputed from an edit onwards. Heads signed by this station and kept by
witnesses (``witness_heads`` here, another station's database, the hub's
``CSU_HEADS``) catch both:

- a head at a seq beyond the book's last event: « les N derniers événements
  manquent depuis le témoin de 14:02 »;
- a head whose hash is not the book's at that seq: the chain was rewritten
  (between the last head that still matches and that one).

Only heads whose signature holds are used (with this station's own key when
the key file is there); a head that does not verify is reported, never trusted.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from pathlib import Path

from csu_console.core.book_wire import ChainHead
from csu_console.core.witness import head_problem
from csu_console.storage.book_sync import peer_breaks, peer_gaps, witness_heads


@dataclass(frozen=True)
class WitnessFinding:
    """One discrepancy between the book and a witness (French ``text``)."""

    kind: str  # "truncated" | "rewritten" | "forged"
    text: str


@dataclass
class WitnessReport:
    """What the witnessed heads say of this station's book."""

    station: str
    heads: int = 0  # heads checked (valid signature)
    last_witness: ChainHead | None = None
    findings: list[WitnessFinding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.kind in ("truncated", "rewritten") for f in self.findings)


def _clock(at: str, tz: tzinfo | None) -> str:
    try:
        when = datetime.fromisoformat(at).astimezone(tz)
    except (TypeError, ValueError):
        return at
    today = datetime.now(tz).date()
    return when.strftime("%H:%M" if when.date() == today else "%d/%m/%Y %H:%M")


def check_witnesses(
    conn: sqlite3.Connection,
    station: str,
    heads: Iterable[ChainHead],
    public_key: str | None = None,
    tz: tzinfo | None = None,
) -> WitnessReport:
    """Compare ``station``'s book (this database's ``events``) with ``heads``."""
    report = WitnessReport(station)
    valid: dict[int, ChainHead] = {}
    for head in heads:
        if head.station != station:
            continue
        problem = head_problem(head, public_key)
        if problem is not None:
            report.findings.append(
                WitnessFinding("forged", f"témoin n° {head.seq} du {_clock(head.at, tz)} "
                                         f"écarté : {problem}")
            )  # fmt: skip
            continue
        valid.setdefault(head.seq, head)
    report.heads = len(valid)
    if not valid:
        return report
    ordered = [valid[s] for s in sorted(valid)]
    report.last_witness = ordered[-1]
    row = conn.execute("SELECT coalesce(max(pk), 0) FROM events").fetchone()
    last = int(row[0])
    beyond = [h for h in ordered if h.seq > last]
    if beyond:
        first = beyond[0]  # the earliest witness that saw events now gone
        top = beyond[-1]
        seen = f"n° {top.seq} vu par le témoin de {_clock(top.at, tz)}"
        report.findings.append(
            WitnessFinding(
                "truncated",
                f"les {top.seq - last} derniers événements manquent depuis le témoin de "
                f"{_clock(first.at, tz)} ({seen}, la main courante s'arrête au n° {last})",
            )
        )
    inside = [h for h in ordered if h.seq <= last]
    hashes = _hashes(conn, [h.seq for h in inside])
    good: ChainHead | None = None
    for head in inside:
        local = hashes.get(head.seq)
        if local == head.hash:
            good = head
            continue
        since = (
            f"après le n° {good.seq} (témoin de {_clock(good.at, tz)})" if good else "dès le début"
        )
        what = "absent" if local is None else f"d'empreinte {local[:12]}…"
        report.findings.append(
            WitnessFinding(
                "rewritten",
                f"chaîne recalculée : l'événement n° {head.seq} est {what}, le témoin de "
                f"{_clock(head.at, tz)} a vu {head.hash[:12]}… — la main courante a été "
                f"réécrite {since}",
            )
        )
        break  # the first rewrite found; later heads only repeat it
    return report


def _hashes(conn: sqlite3.Connection, seqs: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for i in range(0, len(seqs), 500):
        chunk = list(seqs[i : i + 500])
        marks = ",".join("?" * len(chunk))
        for pk, h in conn.execute(f"SELECT pk, hash FROM events WHERE pk IN ({marks})", chunk):
            out[int(pk)] = str(h)
    return out


def heads_of(path: Path, station: str | None = None) -> list[ChainHead]:
    """The witnessed heads kept in another database (another station's copy)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return witness_heads(conn, station)
    except sqlite3.Error:
        return []
    finally:
        conn.close()


def own_station(conn: sqlite3.Connection, public_key: str | None) -> str | None:
    """This station's id: the station of the witnessed heads signed with its key,
    else the station of most of its events (the command line's ``cli`` aside)."""
    if public_key:
        row = conn.execute(
            "SELECT station FROM witness_heads WHERE public_key = ? ORDER BY seq DESC LIMIT 1",
            (public_key,),
        ).fetchone()
        if row is not None:
            return str(row[0])
    row = conn.execute(
        "SELECT station FROM events WHERE station IS NOT NULL AND station != 'cli'"
        " GROUP BY station ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    return None if row is None else str(row[0])


def peer_disagreements(conn: sqlite3.Connection, own: str, tz: tzinfo | None = None) -> list[str]:
    """Other stations' copies here against their own signed heads kept here: a head
    whose hash differs from the copy at its seq means that station's chain changed
    after it was published (rewritten there, or the copy here altered)."""
    lines = []
    heads = [h for h in witness_heads(conn) if h.station != own and head_problem(h) is None]
    by_station: dict[str, list[ChainHead]] = {}
    for h in heads:
        by_station.setdefault(h.station, []).append(h)
    for station, station_heads in sorted(by_station.items()):
        seqs = [h.seq for h in station_heads]
        copied = dict(
            conn.execute(
                "SELECT seq, hash FROM peer_events WHERE station = ? AND seq IN (SELECT value"
                " FROM json_each(?))",
                (station, json.dumps(seqs)),
            ).fetchall()
        )
        for h in sorted(station_heads, key=lambda x: x.seq):
            if h.seq in copied and copied[h.seq] != h.hash:
                lines.append(
                    f"la copie de {station} diffère de son témoin n° {h.seq} de "
                    f"{_clock(h.at, tz)} : sa chaîne a changé après publication"
                )
                break
    return lines


def describe_peers(conn: sqlite3.Connection) -> list[str]:
    """Lines on the other stations' copied books: count, and the breaks found."""
    lines = []
    for station, n, top in conn.execute(
        "SELECT station, count(*), max(seq) FROM peer_events GROUP BY station ORDER BY station"
    ):
        lines.append(f"copie de {station} : {n} événements (jusqu'au n° {top})")
    for b in peer_breaks(conn):
        lines.append(f"chaîne de {b.station} rompue au n° {b.seq} : {b.problem}")
    for station, first, last in peer_gaps(conn):
        lines.append(f"copie de {station} : n° {first} à {last} pas (encore) reçus")
    return lines
