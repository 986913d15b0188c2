"""``csu-hub collect --postgres``, a real subprocess, between a real nats-server
(JetStream) and a real PostgreSQL: killed (SIGKILL) in the middle of the streams
while stations keep publishing, then started again — every alert and every
event is in PostgreSQL once, none lost, none doubled (exact sets); the chains
are continuous (``--check``), and a gap is named."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import nats
import psycopg
import pytest
from nats.js import api
from support import wait_until

from csu_console.central.collector import EVENTS_STREAM, EVENTS_SUBJECT
from csu_console.core.book_wire import EventRecord
from csu_console.hub.jetstream import ALERTS_SUBJECT, Retention, ensure_streams, frame_body, msg_id
from csu_console.hub.nats_server import NatsServer
from csu_console.storage.logbook import GENESIS, details_digest, link_hash

REPO = Path(__file__).resolve().parents[2]
SOURCE = "plateforme-citoyenne"
T0 = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path / "nats")
    server.start()
    yield server
    server.stop()


def alert_body(alert_id: str) -> bytes:
    frame = {"type": "alert", "seq": 1, "alert": {
        "id": alert_id, "source": SOURCE, "sent": "2026-12-04T21:03:12+01:00",
        "category": "cambriolage", "priority": 2, "title": f"Porte fracturée {alert_id}",
        "description": "Bruit de verre brisé.", "commune": "Helsinki (démo)",
        "location": {"lat": 60.17, "lon": 24.95, "address": "1 rue de la Paix"},
    }}  # fmt: skip
    return frame_body(json.dumps(frame).encode())


def chain(station: str, count: int, alerts: list[str]) -> list[EventRecord]:
    """``count`` chained events of ``station``; every third acknowledges an alert,
    every seventh is the command line's (its own station ``cli``)."""
    out, prev = [], GENESIS
    for seq in range(1, count + 1):
        at = T0 + timedelta(seconds=seq)
        alert = alerts[seq % len(alerts)] if seq % 3 == 0 else None
        kind, operator = ("acknowledged", "durand") if alert else ("note", "martin")
        details: dict[str, Any] = {"from_state": "new"} if alert else {"text": f"note {seq}"}
        digest = details_digest(details, None)
        at_text = at.isoformat(timespec="milliseconds")
        local = at_text
        alert_pk = seq % 50 + 1 if alert else None
        own = "cli" if seq % 7 == 0 else station  # the command line's, in the same book
        h = link_hash(prev, [seq, alert_pk, at_text, local, kind, own, operator, digest])
        source = SOURCE if alert else None
        out.append(EventRecord(station, seq, at_text, local, kind, operator, details, None,
                               digest, prev, h, alert_pk, source, alert,
                               "" if own == station else own))  # fmt: skip
        prev = h
    return out


async def _publish(
    url: str, alerts: list[str], records: list[EventRecord], junk: bytes = b""
) -> None:
    nc = await nats.connect(url)
    js = nc.jetstream()
    await ensure_streams(js, Retention(max_gb=0.2), 1)
    events = api.StreamConfig(
        name=EVENTS_STREAM, subjects=[f"{EVENTS_SUBJECT}.>"], duplicate_window=600.0
    )
    with contextlib.suppress(nats.js.errors.BadRequestError):  # already there
        await js.add_stream(events)
    for alert_id in alerts:
        await js.publish(f"{ALERTS_SUBJECT}.amont", alert_body(alert_id),
                         headers={"Nats-Msg-Id": msg_id(SOURCE, alert_id)})  # fmt: skip
    if junk:
        await js.publish(f"{EVENTS_SUBJECT}.poste-9", junk)
    for r in records:
        await js.publish(f"{EVENTS_SUBJECT}.{r.station}", r.to_json(),
                         headers={"Nats-Msg-Id": r.msg_id()})  # fmt: skip
    await nc.close()


def publish(url: str, alerts: list[str], records: list[EventRecord], junk: bytes = b"") -> None:
    asyncio.run(_publish(url, alerts, records, junk))


def collector(url: str, dsn: str, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, "-m", "csu_console.hub", "collect", "--postgres", dsn, "--nats", url,
           "--batch", "20", "--ack-wait", "2", "--site", str(REPO / "config"), *extra]  # fmt: skip
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def counts(dsn: str) -> tuple[int, int]:
    try:
        with psycopg.connect(dsn) as conn:
            a = conn.execute("SELECT count(*) FROM alerts").fetchone()
            e = conn.execute("SELECT count(*) FROM events").fetchone()
    except psycopg.errors.UndefinedTable:
        return 0, 0
    assert a is not None and e is not None
    return int(a[0]), int(e[0])


def wait_collected(proc: subprocess.Popen[bytes], dsn: str, want: Any, what: str) -> None:
    """Wait until ``want(counts)``; the collector's output if it died meanwhile."""

    def done() -> bool:
        if proc.poll() is not None:
            out = proc.stdout.read().decode() if proc.stdout else ""
            raise AssertionError(f"le collecteur s'est arrêté ({proc.returncode}) :\n{out}")
        return bool(want(counts(dsn)))

    wait_until(done, 90, what)


def check(dsn: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "csu_console.hub", "collect", "--postgres", dsn, "--check"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_killed_collector_loses_and_doubles_nothing(nats_server: NatsServer, pg_dsn: str) -> None:
    alerts = [f"A{i:03d}" for i in range(150)]
    records = [r for st in ("poste-1", "poste-2", "poste-3") for r in chain(st, 300, alerts)]
    first = [r for r in records if r.seq <= 150]  # each station's first half
    rest = [r for r in records if r.seq > 150]
    publish(nats_server.url, alerts[:100], first)
    proc = collector(nats_server.url, pg_dsn)
    try:
        wait_collected(proc, pg_dsn, lambda c: c[1] >= 150, "150 événements collectés")
        proc.send_signal(signal.SIGKILL)  # mid-stream: nothing said, nothing flushed
        proc.communicate(timeout=10)
        partial = counts(pg_dsn)
        assert partial[1] < len(first)  # killed before the end
        publish(nats_server.url, alerts[100:], rest)
        publish(nats_server.url, alerts[:10], first[:40])  # republished: deduplicated
        proc = collector(nats_server.url, pg_dsn)
        want = (len(alerts), len(records))
        wait_collected(proc, pg_dsn, lambda c: c == want, f"tout collecté après reprise {want}")
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, out.decode()
    with psycopg.connect(pg_dsn) as conn:
        got_alerts = [r[0] for r in conn.execute("SELECT alert_id FROM alerts")]
        got_events = [(r[0], r[1]) for r in conn.execute("SELECT book, seq FROM events")]
        linked = conn.execute(
            "SELECT count(*) FROM events WHERE alert_source IS NOT NULL AND alert_pk IS NULL"
        ).fetchone()
        acked = conn.execute("SELECT count(*) FROM alerts WHERE ack_at IS NOT NULL").fetchone()
        bad = conn.execute("SELECT count(*) FROM events WHERE NOT link_ok").fetchone()
    assert sorted(got_alerts) == alerts  # exact set, no double
    assert sorted(got_events) == sorted((r.station, r.seq) for r in records)
    assert linked == (0,) and bad == (0,)
    assert acked is not None and acked[0] == len({r.alert_id for r in records if r.alert_id})
    done = check(pg_dsn)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "poste poste-2 : 300 événements, dernier n° 300" in done.stdout
    assert "chaînes continues" in done.stdout


def test_a_gap_is_named(nats_server: NatsServer, pg_dsn: str) -> None:
    records = chain("poste-9", 12, ["A1"])
    kept = [r for r in records if r.seq not in (5, 6, 7)]
    forged = records[10]
    forged = EventRecord(**{**forged.__dict__, "operator": "intrus"})  # hash no longer holds
    kept = [forged if r.seq == 11 else r for r in kept]
    publish(nats_server.url, ["A1"], kept, junk=b'{"v": 1, "station": "poste-9"}')
    proc = collector(nats_server.url, pg_dsn)
    try:
        wait_collected(proc, pg_dsn, lambda c: c == (1, len(kept)), "tout collecté")
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=20)
    text = out.decode()
    assert "trou dans la chaîne avant l'événement 8" in text
    # The site's retention applied to the central copy every hour (--site config).
    assert "purge RGPD de la base centrale toutes les heures : signalements citoyens" in text
    assert "événement 11 : maillon faux" in text or "maillon faux" in text
    done = check(pg_dsn)
    assert done.returncode == 1
    assert "poste poste-9 : trou : événements 5 à 7 manquants" in done.stdout
    assert "poste poste-9 : événement 11 : maillon faux (recalculé)" in done.stdout
    assert "flux CSU_EVENTS : 1 message(s) refusé(s)" in done.stdout
    assert "événement 1 du flux refusé : champ details : objet attendu" in text


async def _publish_cap(url: str, documents: list[str]) -> None:
    nc = await nats.connect(url)
    js = nc.jetstream()
    await ensure_streams(js, Retention(max_gb=0.2), 1)
    for n, xml in enumerate(documents):
        frame = {"type": "cap", "seq": n + 1, "xml": xml}
        await js.publish(f"{ALERTS_SUBJECT}.amont", frame_body(json.dumps(frame).encode()))
    await nc.close()


def test_partners_updates_replace_their_alert_in_the_central_copy(
    nats_server: NatsServer, pg_dsn: str
) -> None:
    """A CAP Update replaces its alert's content centrally (one row, as at the
    stations); a Cancel, a Test and an Ack are not alerts of the review."""
    from csu_console.sim.cap_docs import Area, Document, Info, cap_document

    t = T0.replace(microsecond=0)
    area = (Area("Nîmes – Cadereau", polygon=[(4.35, 43.83), (4.37, 43.83), (4.36, 43.85)]),)

    def flood(severity: str, headline: str) -> tuple[Info, ...]:
        return (Info("fr-FR", "Met", "Inondation", "Immediate", severity, "Observed",
                     headline, areas=area),)  # fmt: skip

    sender = "crues@nimes.example"
    original = Document("CRUE-1", sender, t, infos=flood("Severe", "Crue du Cadereau"))
    update = Document("CRUE-2", sender, t + timedelta(minutes=5), msg_type="Update",
                      references=((sender, "CRUE-1", t),),
                      infos=flood("Extreme", "Crue du Cadereau : débordement"))  # fmt: skip
    cancel = Document("CRUE-3", sender, t + timedelta(minutes=50), msg_type="Cancel",
                      references=((sender, "CRUE-1", t), (sender, "CRUE-2", update.sent)),
                      note="Fin de crue")  # fmt: skip
    test = Document("TEST-1", sender, t, status="Test", infos=flood("Minor", "Essai"))
    ack = Document("ACK-1", sender, t, msg_type="Ack", references=((sender, "CRUE-1", t),))
    docs = [cap_document(d) for d in (original, update, cancel, test, ack)]
    asyncio.run(_publish_cap(nats_server.url, docs))
    proc = collector(nats_server.url, pg_dsn)
    try:

        def updated() -> bool:
            with contextlib.suppress(psycopg.errors.UndefinedTable), psycopg.connect(pg_dsn) as c:
                row = c.execute("SELECT title FROM alerts WHERE alert_id = 'CRUE-1'").fetchone()
                return row is not None and row[0].endswith("débordement")
            return False

        wait_until(updated, 90, "la mise à jour appliquée à l'alerte centrale")
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, out.decode()
    with psycopg.connect(pg_dsn) as conn:
        rows = conn.execute("SELECT alert_id, priority, category FROM alerts").fetchall()
    assert rows == [("CRUE-1", 1, "inondation")]  # no row for the Update, Cancel, Test, Ack
