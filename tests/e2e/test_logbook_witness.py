"""Tamper tests caught by ``csu-console logbook verify`` (a real process) through the
heads this station signed and its witnesses kept: the chain alone holds in both
cases — a truncated tail and a chain recomputed after an edit."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from csu_console.core.book_wire import ChainHead
from csu_console.core.logbook import EventKind
from csu_console.core.witness import make_head
from csu_console.paths import REPO_DIR
from csu_console.storage.book_sync import store_witness
from csu_console.storage.logbook import GENESIS, NewEvent, details_digest, link_hash
from csu_console.storage.station_key import ensure_key
from csu_console.storage.store import DB_NAME, Store

STATION = "poste-1"
T0 = datetime(2026, 12, 5, 13, 0, tzinfo=UTC)


def verify(data_dir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "csu_console", "logbook", "verify", "--data-dir", str(data_dir),
         *extra],
        capture_output=True, text=True, timeout=60, check=False, cwd=REPO_DIR,
    )  # fmt: skip


@pytest.fixture
def book(tmp_path: Path) -> tuple[Path, list[ChainHead]]:
    """A station's book of 40 entries, a signed head every 10 (the last at n° 40),
    kept in its own ``witness_heads`` as the hub relayed them."""
    data = tmp_path / "poste-1"
    key, _ = ensure_key(data)
    store = Store(data / DB_NAME)
    heads: list[ChainHead] = []
    try:
        for n in range(1, 41):
            at = T0 + timedelta(minutes=n)
            [pk] = store.add_events(
                [NewEvent(EventKind.ENTRY, at, None, STATION, "dupont",
                          {"type": "radio", "text": f"message {n}"})]
            )  # fmt: skip
            if n % 10 == 0:
                h = store.conn.execute("SELECT hash FROM events WHERE pk = ?", (pk,)).fetchone()[0]
                head = make_head(key, STATION, pk, h, "minute", at)
                store_witness(store.conn, head)
                heads.append(head)
    finally:
        store.close()
    return data, heads


def _sql(data: Path, script: str) -> None:
    conn = sqlite3.connect(data / DB_NAME)
    try:
        conn.executescript(script)
    finally:
        conn.close()


def recompute_chain(data: Path) -> None:
    """What a forger with the database would do after an edit: recompute every
    link, so that the chain alone verifies again."""
    conn = sqlite3.connect(data / DB_NAME)
    try:
        conn.executescript("DROP TRIGGER IF EXISTS events_no_update;")
        prev = GENESIS
        rows = conn.execute(
            "SELECT pk, alert_pk, at, at_local, kind, station, operator, details, details_salt"
            " FROM events ORDER BY pk"
        ).fetchall()
        for pk, alert_pk, at, local, kind, station, operator, text, salt in rows:
            digest = details_digest(json.loads(text), salt)
            h = link_hash(prev, [pk, alert_pk, at, local, kind, station, operator, digest])
            conn.execute(
                "UPDATE events SET details_sha256 = ?, prev_hash = ?, hash = ? WHERE pk = ?",
                (digest, prev, h, pk),
            )
            prev = h
        conn.commit()
    finally:
        conn.close()


def test_an_intact_book_agrees_with_its_witnesses(book: tuple[Path, list[ChainHead]]) -> None:
    data, _heads = book
    proc = verify(data)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "chaîne intacte : 40 événements" in proc.stdout
    assert "témoins : 4 témoin(s) signé(s) de poste-1 concordent" in proc.stdout


def test_the_last_ten_events_deleted_are_named(book: tuple[Path, list[ChainHead]]) -> None:
    data, _heads = book
    _sql(data, "DROP TRIGGER events_no_delete; DELETE FROM events WHERE pk > 30;")
    proc = verify(data)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "chaîne intacte : 30 événements" in proc.stdout  # the chain alone sees nothing
    # The witness of n° 40 was signed at 13:40 UTC on T0's day, shown in the site's
    # zone: its time alone on that day, with its date on any later day.
    assert re.search(
        r"les 10 derniers événements manquent depuis le témoin de (\d\d/\d\d/\d{4} )?\d\d:40"
        r" \(n° 40 vu",
        proc.stdout,
    ), proc.stdout


def test_a_chain_recomputed_after_an_edit_is_caught_by_the_signed_heads(
    book: tuple[Path, list[ChainHead]],
) -> None:
    data, _heads = book
    _sql(data, "DROP TRIGGER events_no_update;"
         """UPDATE events SET details = '{"text":"rien à signaler","type":"radio"}'"""
         " WHERE pk = 15;")  # fmt: skip
    recompute_chain(data)
    proc = verify(data)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "chaîne intacte : 40 événements" in proc.stdout
    assert "chaîne recalculée : l'événement n° 20" in proc.stdout
    assert "réécrite après le n° 10" in proc.stdout


def test_heads_kept_by_another_station_catch_a_forger_who_also_wiped_the_local_ones(
    tmp_path: Path, book: tuple[Path, list[ChainHead]]
) -> None:
    data, heads = book
    other = Store(tmp_path / "poste-2" / DB_NAME)
    try:
        for head in heads:
            store_witness(other.conn, head)
    finally:
        other.close()
    _sql(data, "DROP TRIGGER events_no_delete; DELETE FROM events WHERE pk > 30;"
               " DELETE FROM witness_heads;")  # fmt: skip
    assert verify(data).returncode == 0  # nothing left here to compare with
    proc = verify(data, "--witness", str(tmp_path / "poste-2" / DB_NAME))
    assert proc.returncode == 1
    assert "les 10 derniers événements manquent" in proc.stdout


def test_a_head_signed_with_another_key_is_not_trusted(
    book: tuple[Path, list[ChainHead]],
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    data, _heads = book
    forged = make_head(Ed25519PrivateKey.generate(), STATION, 50, "e" * 64, "minute")
    conn = sqlite3.connect(data / DB_NAME)
    try:
        store_witness(conn, forged)
    finally:
        conn.close()
    proc = verify(data, "--station", STATION)
    assert proc.returncode == 0, proc.stdout  # a forged head accuses nobody
    assert "TÉMOIN : témoin n° 50" in proc.stdout
    assert "signé par une autre clé" in proc.stdout
