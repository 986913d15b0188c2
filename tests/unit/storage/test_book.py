"""The main courante in the database: entries and corrections chained, the CSU's
book read back (own events and the peers' copy), filters, and its speed."""

from __future__ import annotations

import json
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from csu_console.core.alerts import Alert, Category, Location
from csu_console.core.book import BookQuery, EntryDraft, day_period, today_period
from csu_console.core.logbook import EventKind, LogbookError
from csu_console.core.protocol import AlertMessage
from csu_console.storage.book import (
    book_cursor,
    book_people,
    chain_head,
    read_book,
    write_correction,
    write_entry,
)
from csu_console.storage.logbook import NewEvent, append_events
from csu_console.storage.store import Store

PARIS = ZoneInfo("Europe/Paris")
ME = "poste-1"
#: 10:00 in Paris (winter, UTC+1) on 15 January 2025.
NOON = datetime(2025, 1, 15, 9, 0, tzinfo=UTC)


def alert(store: Store, alert_id: str = "A-1", title: str = "Vitre brisée") -> int:
    a = Alert(
        source="voisins-vigilants",
        id=alert_id,
        sent=NOON,
        category=Category.CAMBRIOLAGE,
        priority=2,
        title=title,
        location=Location(45.76, 4.88, "12 rue de la Paix", 15.0),
    )
    [outcome] = store.commit_batch([AlertMessage(None, a)], ME, received_at=NOON)
    assert outcome.stored is not None
    return outcome.stored.pk


def peer(
    store: Store,
    seq: int,
    kind: str,
    at: datetime,
    details: dict[str, Any],
    *,
    station: str = "poste-2",
    operator: str = "martin",
    alert_key: tuple[str, str] | None = None,
) -> None:
    """A row of the other stations' copy, as helper C's subscriber writes it."""
    store.conn.execute(
        "INSERT INTO peer_events (station, seq, alert_source, alert_id, at, at_local, kind,"
        " operator, details, details_sha256, prev_hash, hash, received_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            station, seq, *(alert_key or (None, None)), at.isoformat(timespec="milliseconds"),
            at.astimezone(PARIS).isoformat(), kind, operator, json.dumps(details), "d" * 64,
            "0" * 64, f"{seq:064x}", at.isoformat(),
        ),
    )  # fmt: skip


def read(store: Store, **kw: Any) -> list[Any]:
    q = BookQuery(**{"since": NOON - timedelta(hours=9), "until": NOON + timedelta(hours=14), **kw})
    return read_book(store.conn, q, PARIS, ME).rows


def test_an_entry_is_chained_signed_and_read_back_with_its_alert(store: Store) -> None:
    pk_alert = alert(store)
    draft = EntryDraft("appel", "  Appel du   boulanger :\nvitrine  fissurée ", 45.7601, 4.8802,
                       "Place du marché", "cam-01")  # fmt: skip
    pk = write_entry(store, draft, station=ME, operator="dupont", alert_pk=pk_alert, at=NOON)
    assert store.verify_chain().ok
    row = store.conn.execute("SELECT * FROM events WHERE pk = ?", (pk,)).fetchone()
    assert row is not None
    [book] = read(store, entries_only=True)
    assert book.kind == EventKind.ENTRY and book.own and book.seq == pk
    assert (book.station, book.operator) == (ME, "dupont")
    assert book.details == {"type": "appel", "text": "Appel du boulanger : vitrine fissurée",
                            "lat": 45.7601, "lon": 4.8802, "place": "Place du marché",
                            "camera": "cam-01"}  # fmt: skip
    assert book.alert_key == ("voisins-vigilants", "A-1")
    assert book.alert_title == "Vitre brisée"
    # The site's local time is written with it.
    local = store.conn.execute("SELECT at_local FROM events WHERE pk = ?", (pk,)).fetchone()[0]
    assert local is not None


@pytest.mark.parametrize(
    ("draft", "reason"),
    [
        (EntryDraft("appel", "   "), "obligatoire"),
        (EntryDraft("pigeon", "texte"), "Type d'entrée inconnu"),
        (EntryDraft("appel", "texte", lat=45.0), "latitude et une longitude"),
        (EntryDraft("appel", "texte", lat=95.0, lon=4.0), "Latitude invalide"),
    ],
)
def test_a_bad_entry_is_refused_with_a_reason_and_nothing_is_written(
    store: Store, draft: EntryDraft, reason: str
) -> None:
    before = store.count("events")
    with pytest.raises(LogbookError, match=reason):
        write_entry(store, draft, station=ME, operator="dupont")
    assert store.count("events") == before


def test_an_entry_needs_a_signature_and_a_known_alert(store: Store) -> None:
    with pytest.raises(LogbookError, match="signée"):
        write_entry(store, EntryDraft("radio", "x"), station=ME, operator="")
    with pytest.raises(LogbookError, match="Alerte n° 99 inconnue"):
        write_entry(store, EntryDraft("radio", "x"), station=ME, operator="a", alert_pk=99)
    assert store.count("events") == 0


def test_a_correction_keeps_the_original_and_the_chain_verifies(store: Store) -> None:
    pk = write_entry(store, EntryDraft("radio", "Patrouille 2 rue Hoche"), station=ME,
                     operator="dupont", at=NOON)  # fmt: skip
    fixed = EntryDraft("radio", "Patrouille 2 rue Foch")
    later = NOON + timedelta(minutes=5)
    fix = write_correction(
        store, pk, "mauvaise rue", fixed, station=ME, operator="durand", at=later
    )
    assert store.verify_chain().ok
    original = json.loads(
        store.conn.execute("SELECT details FROM events WHERE pk = ?", (pk,)).fetchone()[0]
    )
    assert original["text"] == "Patrouille 2 rue Hoche"  # never edited
    newest = read(store, entries_only=True)
    assert [r.seq for r in newest] == [fix, pk]
    correction, entry = newest
    assert entry.corrections and entry.corrections[0].seq == fix
    assert entry.details["text"] == "Patrouille 2 rue Hoche"
    assert entry.latest["text"] == "Patrouille 2 rue Foch"
    assert correction.details["comment"] == "mauvaise rue"
    assert correction.operator == "durand"
    assert correction.corrected is not None
    assert correction.corrected.details["text"] == "Patrouille 2 rue Hoche"
    # Oldest first on demand.
    assert [r.seq for r in read(store, entries_only=True, newest_first=False)] == [pk, fix]


def test_only_an_entry_of_this_station_can_be_corrected(store: Store) -> None:
    pk_alert = alert(store)
    received = store.conn.execute(
        "SELECT pk FROM events WHERE alert_pk = ? AND kind = 'received'", (pk_alert,)
    ).fetchone()[0]
    draft = EntryDraft("autre", "x")
    with pytest.raises(LogbookError, match="n'est pas une entrée"):
        write_correction(store, received, "parce que", draft, station=ME, operator="dupont")
    with pytest.raises(LogbookError, match="inconnue"):
        write_correction(store, 4242, "parce que", draft, station=ME, operator="dupont")
    pk = write_entry(store, draft, station=ME, operator="dupont")
    with pytest.raises(LogbookError, match="obligatoire"):
        write_correction(store, pk, "  ", draft, station=ME, operator="dupont")
    assert store.verify_chain().ok


def test_the_book_is_the_whole_csu_machine_events_and_peers_included(store: Store) -> None:
    pk_alert = alert(store, title="Rixe devant le bar")
    write_entry(store, EntryDraft("appel", "Appel du gérant"), station=ME, operator="dupont",
                alert_pk=pk_alert, at=NOON + timedelta(minutes=1))  # fmt: skip
    key = ("voisins-vigilants", "A-1")
    peer(store, 7, "entry", NOON + timedelta(minutes=2),
         {"type": "radio", "text": "Équipage sur place"}, alert_key=key)  # fmt: skip
    peer(store, 8, "correction", NOON + timedelta(minutes=3),
         {"corrects": 7, "comment": "faute", "type": "radio", "text": "Équipage 2 sur place"},
         alert_key=key)  # fmt: skip
    peer(store, 9, "acknowledged", NOON + timedelta(minutes=4), {}, alert_key=key)
    peer(store, 3, "entry", NOON - timedelta(days=1), {"type": "autre", "text": "hier"})

    rows = read(store)
    kinds = [(r.station, r.kind) for r in rows]
    assert kinds == [
        ("poste-2", "acknowledged"),
        ("poste-2", "correction"),
        ("poste-2", "entry"),
        (ME, "entry"),
        (ME, "received"),
    ]  # fmt: skip  (yesterday's peer entry is out of the period)
    peer_entry = rows[2]
    assert not peer_entry.own and peer_entry.alert_title == "Rixe devant le bar"
    assert peer_entry.latest["text"] == "Équipage 2 sur place"
    assert rows[1].corrected is not None and rows[1].corrected.seq == 7

    # Filters: entries only, type, station, operator, alert, text.
    assert [r.kind for r in read(store, entries_only=True)] == ["correction", "entry", "entry"]
    assert [r.station for r in read(store, entry_types=frozenset({"appel"}))] == [ME]
    assert {r.station for r in read(store, stations=frozenset({"poste-2"}))} == {"poste-2"}
    assert [r.operator for r in read(store, operators=frozenset({"dupont"}))] == ["dupont"]
    assert len(read(store, alert=key)) == 5
    assert read(store, alert=("voisins-vigilants", "autre")) == []
    assert [r.seq for r in read(store, text="gérant")] == [
        r.seq for r in rows if r.kind == "entry" and r.own
    ]
    assert [r.kind for r in read(store, text="Rixe")] == [
        "acknowledged",
        "correction",
        "entry",
        "entry",
        "received",
    ]  # fmt: skip  (the alert's title matches)
    assert read(store, text="100%") == []  # LIKE's wildcards are text here
    assert [r.kind for r in read(store, kinds=frozenset({"received"}))] == ["received"]

    stations, operators = book_people(store.conn, BookQuery(since=NOON - timedelta(hours=1),
                                      until=NOON + timedelta(hours=1)), PARIS, ME)  # fmt: skip
    assert stations == [ME, "poste-2"] and operators == ["dupont", "martin"]


def test_today_is_the_default_period_in_the_site_zone(store: Store) -> None:
    now = datetime.now(UTC)
    write_entry(store, EntryDraft("information", "aujourd'hui"), station=ME, operator="a", at=now)
    write_entry(store, EntryDraft("information", "avant-hier"), station=ME, operator="a",
                at=now - timedelta(days=2))  # fmt: skip
    rows = read_book(store.conn, BookQuery(entries_only=True), PARIS, ME).rows
    assert [r.details["text"] for r in rows] == ["aujourd'hui"]
    start, end = day_period(datetime(2025, 3, 30).date(), PARIS)  # clocks go forward
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)
    start, end = today_period(PARIS)
    assert start <= now < end


def test_the_cursor_moves_with_own_and_peer_events(store: Store) -> None:
    first = book_cursor(store.conn)
    write_entry(store, EntryDraft("radio", "x"), station=ME, operator="a")
    second = book_cursor(store.conn)
    assert second.events == first.events + 1 and second.peers == first.peers
    peer(store, 1, "entry", NOON, {"type": "radio", "text": "y"})
    assert book_cursor(store.conn).peers == second.peers + 1
    assert chain_head(store.conn)[0] == second.events
    assert read_book(store.conn, BookQuery(), PARIS, ME).cursor == book_cursor(store.conn)


def test_the_limit_says_the_book_was_cut(store: Store) -> None:
    for i in range(5):
        write_entry(store, EntryDraft("radio", f"n{i}"), station=ME, operator="a",
                    at=NOON + timedelta(seconds=i))  # fmt: skip
    page = read_book(store.conn, BookQuery(since=NOON, until=NOON + timedelta(hours=1),
                                            limit=3), PARIS, ME)  # fmt: skip
    assert page.truncated and [r.details["text"] for r in page.rows] == ["n4", "n3", "n2"]


def test_a_day_of_a_big_book_reads_fast(store: Store) -> None:
    """100,000 events over 30 days (own and peers'), a day read, entries corrected:
    the view re-reads the book on every change, so it must stay well under a second."""
    days, per_day = 30, 3000
    start = NOON - timedelta(days=days - 1)
    with store._transaction() as cur:
        events = []
        for i in range(days * per_day):
            at = start + timedelta(seconds=i * 86400 // per_day)
            kind = "entry" if i % 10 == 0 else "displayed"
            details = {"type": "radio", "text": f"message {i}"} if kind == "entry" else {}
            events.append(NewEvent(kind, at, None, ME, "dupont", details))
        append_events(cur, events, PARIS)
        cur.executemany(
            "INSERT INTO peer_events (station, seq, at, kind, operator, details, details_sha256,"
            " prev_hash, hash, received_at) VALUES ('poste-2', ?, ?, ?, 'martin', ?, '', '', '',"
            " '')",
            [
                (i, (start + timedelta(seconds=i * 86400 // 334)).isoformat(), "entry",
                 json.dumps({"type": "appel", "text": f"pair {i}"}))
                for i in range(1, 10_001)
            ],
        )  # fmt: skip
    for pk in range(1, 2001, 10):  # a correction of every tenth entry of the first days
        write_correction(store, pk, "faute", EntryDraft("radio", "corrigé"), station=ME,
                         operator="durand", at=start + timedelta(days=days))  # fmt: skip
    assert store.count("events") >= 90_000
    day = BookQuery(since=NOON - timedelta(hours=10), until=NOON + timedelta(hours=14))
    timings = []
    for query in (day, BookQuery(since=day.since, until=day.until, entries_only=True),
                  BookQuery(since=day.since, until=day.until, text="message 8")):  # fmt: skip
        t0 = time.perf_counter()
        page = read_book(store.conn, query, PARIS, ME)
        timings.append(time.perf_counter() - t0)
        assert page.rows
    # The first days' entries, each with its correction.
    early = BookQuery(since=start - timedelta(hours=1), until=start + timedelta(hours=6),
                      entries_only=True)  # fmt: skip
    t0 = time.perf_counter()
    rows = read_book(store.conn, early, PARIS, ME).rows
    timings.append(time.perf_counter() - t0)
    assert any(r.corrections for r in rows)
    print(f"book reads on 100k events: {', '.join(f'{t * 1000:.0f} ms' for t in timings)}")
    assert max(timings) < 1.0


def test_a_read_only_connection_reads_the_book(store: Store) -> None:
    write_entry(store, EntryDraft("consigne", "Ronde à 22 h"), station=ME, operator="a")
    ro = Store(store.path, readonly=True)
    try:
        assert read_book(ro.conn, BookQuery(entries_only=True), PARIS, ME).rows
    finally:
        ro.close()
    assert isinstance(store.conn, sqlite3.Connection)
