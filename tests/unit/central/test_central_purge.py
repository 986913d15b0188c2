"""The central PostgreSQL's retention (csu_console.central.purge) against a real
server: a station's book built through the real store (alerts, personal details,
a legal hold kept, another released) copied through the collector's inserts,
then purged — sealed as the station seals (the events' seals byte for byte), the
held alert left whole, the chains still whole for ``csu-hub collect --check``,
idempotent; the append-only trigger lets the sealing through and nothing else."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from csu_console.central.load import copy_station
from csu_console.central.purge import CentralPurgeReport, purge, purge_loop
from csu_console.core.alerts import Alert, Category, Location, Reporter
from csu_console.core.geo import Area
from csu_console.core.holds import HoldTarget
from csu_console.core.protocol import AlertMessage
from csu_console.core.retention import RetentionPolicy
from csu_console.storage.holds import place_hold, release_hold
from csu_console.storage.store import DB_NAME, Store

REPO = Path(__file__).resolve().parents[3]
NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=100)  # beyond every default period (90 days)
RECENT = NOW - timedelta(days=10)
POLICY = RetentionPolicy()
ZONE = Area.from_geojson(
    {"type": "Polygon", "coordinates": [[[2.0, 48.0], [3.0, 48.0], [3.0, 49.0], [2.0, 49.0],
                                         [2.0, 48.0]]]}
)  # fmt: skip
ZONES = [("centre", ZONE)]
PERSONAL = "Mme X, 3e étage, tél 06 12 34 56 78"


def alert(alert_id: str, seq: int | None, at: datetime, fmt: str = "json") -> AlertMessage:
    a = Alert(
        "plateforme", alert_id, at, Category.RIXE, 1, title=f"Rixe {alert_id}",
        description=PERSONAL, location=Location(48.5, 2.5, "1 rue de la Paix", 12.0),
        commune="Bourg", reporter=Reporter("voisin75", True),
        attachments=("https://cdn.example/p.jpg",), fmt=fmt,
    )  # fmt: skip
    return AlertMessage(seq, a)


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Store]:
    """poste-1's book: citizen reports A1 (old), A2 (recent), A3 (old, held), A4
    (old, held then released), a partner's CAP alert C5 (old); a note with
    personal text on each, a dispatch with a comment."""
    store = Store(tmp_path / "data" / DB_NAME)
    store.commit_batch([alert("A1", 1, OLD), alert("A3", 3, OLD), alert("A4", 4, OLD)],
                       "poste-1", OLD)  # fmt: skip
    store.commit_batch([alert("C5", 5, OLD, fmt="cap")], "poste-1", OLD)
    store.commit_batch([alert("A2", 2, RECENT)], "poste-1", RECENT)
    pks = {a.alert.id: a.pk for a in store.recent_alerts()}
    for name, at in (("A1", OLD), ("A2", RECENT), ("A3", OLD), ("A4", OLD), ("C5", OLD)):
        store.add_event("note", pks[name], "poste-1", "durand", {"text": f"{PERSONAL} {name}"},
                        at=at)  # fmt: skip
    end = {"unit": "pm-a1", "outcome": "interpellation", "comment": "Individu remis"}
    store.add_event("dispatch_ended", pks["A1"], "poste-1", "durand", end, at=OLD)
    place_hold(store, HoldTarget.ALERT, pks["A3"], "PV 2026/123", station="poste-1",
               operator="chef", at=OLD + timedelta(days=1))  # fmt: skip
    released = place_hold(store, HoldTarget.ALERT, pks["A4"], "PV 2026/124", station="poste-1",
                          operator="chef", at=OLD + timedelta(days=1))  # fmt: skip
    release_hold(store, released.pk, "classement sans suite", station="poste-1",
                 operator="chef", at=OLD + timedelta(days=2))  # fmt: skip
    yield store
    store.close()


@pytest.fixture
def pg(station: Store, pg_dsn: str) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        assert copy_station(station.conn, conn, "poste-1") == (
            station.count("alerts"), station.count("events"))  # fmt: skip
        yield conn


def central_alert(conn: psycopg.Connection[Any], alert_id: str) -> dict[str, Any]:
    cur = conn.execute("SELECT * FROM alerts WHERE alert_id = %s", (alert_id,))
    names = [d.name for d in cur.description or ()]
    row = cur.fetchone()
    assert row is not None
    return dict(zip(names, row, strict=True))


def central_events(conn: psycopg.Connection[Any]) -> dict[int, tuple[Any, Any]]:
    rows = conn.execute("SELECT seq, details, details_salt FROM events WHERE book = 'poste-1'")
    return {int(seq): (details, salt) for seq, details, salt in rows}


def check(dsn: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "csu_console.hub", "collect", "--postgres", dsn, "--check"],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_purge_seals_as_the_station_does_and_respects_holds(
    station: Store, pg: psycopg.Connection[Any], pg_dsn: str
) -> None:
    before = central_events(pg)
    dry = purge(pg, POLICY, NOW, dry_run=True, zones=ZONES)
    # A1 and A4 (citizen, old, A3 held); C5's personal fields; the old notes of
    # A1, A4, C5 and the dispatch's comment (A3's held, A2's recent).
    assert dry == CentralPurgeReport(alerts=1, citizen=2, events=4, rejected=0, dry_run=True)
    assert central_events(pg) == before  # a dry run changes nothing

    report = purge(pg, POLICY, NOW, zones=ZONES, batch=2)  # several batches each
    assert report == CentralPurgeReport(alerts=1, citizen=2, events=4)
    assert purge(pg, POLICY, NOW, zones=ZONES) == CentralPurgeReport()  # idempotent

    # Citizen reports past citizen_days: the station's sealed form, the zone kept.
    a1 = central_alert(pg, "A1")
    for name in ("title", "description", "address", "reporter_pseudonym", "commune"):
        assert str(a1[name]).startswith("sha256:") and len(a1[name]) == 71, name
    assert a1["lat"] is None and a1["lon"] is None and a1["accuracy_m"] is None
    assert a1["attachments"] == "[]" and a1["zone"] == '["centre"]'
    assert a1["title"] == a1["extra"]["_sealed"]["lieu"]
    assert a1["description"] == a1["extra"]["_sealed"]["personnel"]
    assert (a1["category"], a1["priority"], a1["received_at"]) == (
        "rixe",
        1,
        central_alert(pg, "A4")["received_at"],
    )  # what the statistics need stays
    assert central_alert(pg, "A4")["extra"]["_sealed"].keys() == {"personnel", "lieu"}
    # The partner's CAP alert: personal fields only, its place stays.
    c5 = central_alert(pg, "C5")
    assert c5["description"].startswith("sha256:") and c5["title"] == "Rixe C5"
    assert c5["lat"] == 48.5 and c5["extra"]["_sealed"].keys() == {"personnel"}
    # The held alert and the recent one are untouched.
    for name in ("A3", "A2"):
        kept = central_alert(pg, name)
        assert kept["description"] == PERSONAL and kept["lat"] == 48.5
        assert kept["title"] == f"Rixe {name}" and "_sealed" not in kept["extra"]

    # Events: sealed byte for byte as the station's own purge seals them.
    station.purge(POLICY, NOW, station="poste-1", operator="root", zones=ZONES)
    after = central_events(pg)
    local = {
        int(pk): (json.loads(details), salt)
        for pk, details, salt in station.conn.execute(
            "SELECT pk, details, details_salt FROM events WHERE kind != 'purged'"
        )
    }
    assert after == local
    sealed = [seq for seq, (details, _salt) in after.items() if "_purged" in details]
    assert len(sealed) == 4
    held_note = next(d for d, _s in after.values() if d.get("text") == f"{PERSONAL} A3")
    assert held_note  # the held alert's note kept in clear
    assert sum(1 for d, s in after.values() if d.get("text", "").startswith(PERSONAL)) == 2

    # The chains still verify centrally: every digest and link recomputed.
    done = check(pg_dsn)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "chaînes continues" in done.stdout


def test_a_released_hold_is_purged_at_the_next_run(
    station: Store, pg: psycopg.Connection[Any]
) -> None:
    assert purge(pg, POLICY, NOW, zones=ZONES).citizen == 2
    assert "_sealed" not in central_alert(pg, "A3")["extra"]
    [hold] = [h for h in station.conn.execute(
        "SELECT pk FROM legal_holds WHERE released_at IS NULL")]  # fmt: skip
    release_hold(station, int(hold[0]), "jugement rendu", station="poste-1", operator="chef",
                 at=NOW - timedelta(days=1))  # fmt: skip
    copy_station(station.conn, pg, "poste-1")  # the release event collected
    report = purge(pg, POLICY, NOW, zones=ZONES)
    assert (report.citizen, report.events) == (1, 1)
    assert central_alert(pg, "A3")["extra"]["_sealed"].keys() == {"personnel", "lieu"}


def test_the_append_only_trigger_lets_only_the_sealing_through(
    pg: psycopg.Connection[Any], pg_dsn: str
) -> None:
    row = pg.execute(
        "SELECT seq, details, details_salt FROM events WHERE details ? 'text'"
        " AND details_salt IS NOT NULL ORDER BY seq LIMIT 1"
    ).fetchone()
    assert row is not None
    seq, details, _salt = row
    forged = {**details, "text": "sha256:" + "0" * 64, "_purged": ["text"]}
    tries = [
        ("UPDATE events SET operator = 'intrus' WHERE seq = %s", (seq,)),
        ("UPDATE events SET details = details || '{\"kind\": 1}' WHERE seq = %s", (seq,)),
        ("DELETE FROM events WHERE seq = %s", (seq,)),
        # Not the purge's shape: the salt kept, a key not personal "sealed", a
        # value dropped, or not a seal.
        ("UPDATE events SET details = %s::jsonb WHERE seq = %s", (json.dumps(forged), seq)),
        ("UPDATE events SET details = %s::jsonb, details_salt = NULL WHERE seq = %s",
         (json.dumps({**forged, "_purged": ["text", "alert"]}), seq)),
        ("UPDATE events SET details = %s::jsonb, details_salt = NULL WHERE seq = %s",
         (json.dumps({"_purged": []}), seq)),
        ("UPDATE events SET details = %s::jsonb, details_salt = NULL WHERE seq = %s",
         (json.dumps({**forged, "text": "effacé"}), seq)),
        ("UPDATE events SET details = %s::jsonb, details_salt = NULL, operator = 'x'"
         " WHERE seq = %s", (json.dumps(forged), seq)),
    ]  # fmt: skip
    for sql, params in tries:
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            pg.execute(sql, params)
    # The purge's own shape goes through (a wrong seal is what --check then names).
    pg.execute(
        "UPDATE events SET details = %s::jsonb, details_salt = NULL WHERE seq = %s",
        (json.dumps(forged), seq),
    )
    done = check(pg_dsn)
    assert done.returncode == 1
    assert f"événement {seq} : détails modifiés" in done.stdout


@pytest.mark.expected_logs("csu.hub.collect")
def test_the_hourly_loop_purges_and_survives_a_failure(
    pg: psycopg.Connection[Any], pg_dsn: str, caplog: pytest.LogCaptureFixture
) -> None:
    policy = RetentionPolicy(personal_data_days=1, citizen_days=1)
    calls: list[int] = []

    def connect() -> Any:
        calls.append(1)
        if len(calls) == 1:
            raise psycopg.OperationalError("base arrêtée")  # the first tick fails
        return psycopg.connect(pg_dsn, autocommit=True)

    async def scenario() -> None:
        stopping = asyncio.Event()
        task = asyncio.create_task(purge_loop(connect, policy, ZONES, stopping, 0.05))
        try:
            for _ in range(400):
                row = pg.execute("SELECT count(*) FROM alerts WHERE extra ? '_sealed'").fetchone()
                if row is not None and row[0] == 4 and len(calls) >= 3:
                    break
                await asyncio.sleep(0.02)
        finally:
            stopping.set()
            await asyncio.wait_for(task, 10)

    asyncio.run(scenario())
    sealed = pg.execute("SELECT alert_id FROM alerts WHERE extra ? '_sealed' ORDER BY 1")
    assert [r[0] for r in sealed] == ["A1", "A2", "A4", "C5"]  # A3 held
    messages = [r.getMessage() for r in caplog.records]
    assert any("purge RGPD de la base centrale impossible" in m for m in messages)
    assert any("purge RGPD de la base centrale : purgés" in m for m in messages)


def test_purge_command_once_for_cron(pg: psycopg.Connection[Any], pg_dsn: str) -> None:
    # Messages the collector refused (raw frames): deleted after rejected_days (30).
    pg.execute(
        "INSERT INTO rejected (stream, stream_seq, subject, reason, raw, collected_at) VALUES"
        " ('CSU_ALERTS', 1, 'csu.alerts.up', 'illisible', 'Mme X', now() - interval '31 days'),"
        " ('CSU_ALERTS', 2, 'csu.alerts.up', 'illisible', 'Mme Y', now() - interval '29 days')"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    base = [sys.executable, "-m", "csu_console.hub", "collect", "--postgres", pg_dsn, "--purge",
            "--citizen-days", "1", "--personal-days", "1"]  # fmt: skip
    dry = subprocess.run([*base, "--dry-run"], env=env, capture_output=True, text=True,
                         timeout=60, check=False)  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    assert "à purger : 3 signalements citoyens" in dry.stdout  # A1, A2, A4 (A3 held)
    assert "signalements citoyens 1 j, données personnelles 1 j" in dry.stdout
    assert "1 messages refusés" in dry.stdout
    row = pg.execute("SELECT count(*) FROM alerts WHERE extra ? '_sealed'").fetchone()
    assert row == (0,)
    done = subprocess.run(base, env=env, capture_output=True, text=True, timeout=60,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "purgés : 3 signalements citoyens (titre et lieu scellés), 1 alertes" in done.stdout
    assert "1 messages refusés" in done.stdout
    assert pg.execute("SELECT stream_seq FROM rejected").fetchall() == [(2,)]
    row = pg.execute("SELECT count(*) FROM alerts WHERE extra ? '_sealed'").fetchone()
    assert row == (4,)
    bad = subprocess.run([*base[:-4], "--citizen-days", "0"], env=env, capture_output=True,
                         text=True, timeout=60, check=False)  # fmt: skip
    assert bad.returncode == 2 and "1 jour au moins" in bad.stderr
