"""The book against witnessed heads (storage/witness.py), in process: what the chain
alone cannot see, and other stations' copies against their own heads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from csu_console.core.logbook import EventKind
from csu_console.core.witness import make_head, public_key_b64
from csu_console.storage import book_sync
from csu_console.storage.book_sync import head_now, store_witness
from csu_console.storage.store import DB_NAME, Store
from csu_console.storage.witness import check_witnesses, own_station, peer_disagreements

KEY = Ed25519PrivateKey.generate()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / DB_NAME)
    for n in range(5):
        s.add_event(EventKind.ENTRY, None, "poste-1", "dupont", {"type": "autre", "text": str(n)})
    yield s
    s.close()


def test_no_head_no_finding_and_a_matching_head_agrees(store: Store) -> None:
    assert check_witnesses(store.conn, "poste-1", []).ok
    seq, h = head_now(store.conn) or (0, "")
    report = check_witnesses(store.conn, "poste-1", [make_head(KEY, "poste-1", seq, h, "minute")],
                             public_key_b64(KEY))  # fmt: skip
    assert (report.ok, report.heads, report.findings) == (True, 1, [])


def test_a_head_beyond_the_book_names_the_missing_tail(store: Store) -> None:
    head = make_head(KEY, "poste-1", 9, "c" * 64, "shift_close")
    [finding] = check_witnesses(store.conn, "poste-1", [head]).findings
    assert finding.kind == "truncated"
    assert finding.text.startswith("les 4 derniers événements manquent depuis le témoin de ")


def test_a_head_of_another_hash_names_a_rewrite(store: Store) -> None:
    good = make_head(KEY, "poste-1", 2, *store.conn.execute(
        "SELECT hash FROM events WHERE pk = 2").fetchone(), reason="minute")  # fmt: skip
    bad = make_head(KEY, "poste-1", 4, "d" * 64, "minute")
    [finding] = check_witnesses(store.conn, "poste-1", [good, bad]).findings
    assert finding.kind == "rewritten"
    assert "l'événement n° 4" in finding.text and "réécrite après le n° 2" in finding.text


def test_a_badly_signed_head_accuses_nobody(store: Store) -> None:
    head = make_head(Ed25519PrivateKey.generate(), "poste-1", 9, "c" * 64, "minute")
    report = check_witnesses(store.conn, "poste-1", [head], public_key_b64(KEY))
    assert report.ok and [f.kind for f in report.findings] == ["forged"]


def test_the_station_is_found_by_its_key_or_its_events(store: Store) -> None:
    assert own_station(store.conn, None) == "poste-1"
    store_witness(store.conn, make_head(KEY, "poste-9", 1, "e" * 64, "minute"))
    assert own_station(store.conn, public_key_b64(KEY)) == "poste-9"


def test_a_peer_copy_that_disagrees_with_its_signed_head_is_named(
    tmp_path: Path, store: Store
) -> None:
    copy = Store(tmp_path / "copy" / DB_NAME)
    try:
        book_sync.store_peer_events(copy.conn, book_sync.outgoing_events(store.conn, "poste-1", 9),
                                    "poste-2")  # fmt: skip
        seq, h = head_now(store.conn) or (0, "")
        store_witness(copy.conn, make_head(KEY, "poste-1", seq, h, "minute"))
        assert peer_disagreements(copy.conn, "poste-2") == []
        store_witness(copy.conn, make_head(KEY, "poste-1", 3, "f" * 64, "minute"))
        [line] = peer_disagreements(copy.conn, "poste-2")
        assert line.startswith("la copie de poste-1 diffère de son témoin n° 3 de ")
    finally:
        copy.close()
