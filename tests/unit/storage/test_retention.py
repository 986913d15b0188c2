"""The retention policy applied to a real database (csu_console.storage.retention):
personal data sealed or emptied, rejected frames and snapshots deleted, events
never deleted — and the logbook's chain still verifies after the purge."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from csu_console.core.alerts import Alert, Category, Reporter
from csu_console.core.protocol import AlertMessage, Rejection, decode_frame
from csu_console.core.retention import RetentionPolicy
from csu_console.storage.logbook import canonical
from csu_console.storage.store import Store

NOW = datetime(2024, 9, 1, 12, 0, tzinfo=UTC)
OLD = NOW - timedelta(days=100)  # beyond every default period
RECENT = NOW - timedelta(days=10)  # within every default period
POLICY = RetentionPolicy()


def alert(alert_id: str) -> AlertMessage:
    a = Alert(
        "plateforme", alert_id, OLD, Category.RIXE, 1, title="Rixe", description="Mme X, 3e étage",
        reporter=Reporter("voisin75", True), attachments=("https://cdn.example/p.jpg",),
    )  # fmt: skip
    return AlertMessage(int(alert_id[-1]), a)


def snapshot(store: Store, tmp_path: Path, at: datetime, name: str) -> Path:
    path = tmp_path / "snapshots" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(b"\xff\xd8 image")
    with store._transaction() as cur:
        cur.execute(
            "INSERT INTO snapshots (at, camera_id, alert_pk, path, sha256) VALUES (?, ?, 1, ?, ?)",
            (at.isoformat(timespec="milliseconds"), "cam-1", str(path), "00" * 32),
        )
    store.add_event("snapshot", 1, "poste-1", "durand", {"camera_id": "cam-1", "file": name}, at=at)
    return path


@pytest.fixture
def filled(store: Store, tmp_path: Path) -> dict[str, Any]:
    store.commit_batch([alert("A1")], "poste-1", OLD)
    store.commit_batch([alert("A2")], "poste-1", RECENT)
    end = {"unit": "pm-a1", "outcome": "interpellation", "comment": "Individu remis, tél 06…"}
    store.add_event("dispatch_ended", 1, "poste-1", "durand", end, at=OLD)
    store.add_event("note", 2, "poste-1", "durand", {"text": "récent"}, at=RECENT)
    for at, seq in ((OLD, 50), (RECENT, 51)):
        bad = decode_frame(json.dumps({"type": "alerte", "seq": seq}).encode(), True)
        assert isinstance(bad, Rejection)
        store.commit_batch([bad], "poste-1", at)
    return {
        "old_file": snapshot(store, tmp_path, NOW - timedelta(days=31), "old.jpg"),
        "new_file": snapshot(store, tmp_path, NOW - timedelta(days=29), "new.jpg"),
        "end": end,
    }


def details(store: Store, pk: int) -> dict[str, Any]:
    row = store.conn.execute("SELECT details FROM events WHERE pk = ?", (pk,)).fetchone()
    return dict(json.loads(row[0]))


def test_purge_seals_empties_deletes_and_keeps_the_chain(
    store: Store, filled: dict[str, Any]
) -> None:
    before = store.verify_chain()
    assert before.ok
    salt = store.conn.execute("SELECT details_salt FROM events WHERE pk = 3").fetchone()[0]

    report = store.purge(POLICY, NOW, station="cli", operator="root")

    assert (report.alerts, report.events, report.rejected, report.snapshots, report.files) == (
        1, 1, 1, 1, 1,
    )  # fmt: skip
    after = store.verify_chain()
    assert after.ok, after.broken
    assert after.count == before.count + 1  # nothing deleted, one "purged" event more
    # The old alert's personal data (and, a citizen report, its title) are sealed,
    # the recent one kept them.
    old, new = sorted(store.recent_alerts(), key=lambda s: s.pk)
    assert old.alert.description.startswith("sha256:") and old.alert.attachments == ()
    assert old.alert.reporter is not None and old.alert.reporter.verified
    assert old.alert.reporter.pseudonym == old.alert.description  # one seal per unit
    assert old.alert.title.startswith("sha256:") and old.alert.category is Category.RIXE
    assert report.citizen == 1
    assert new.alert.description == "Mme X, 3e étage"
    assert new.alert.reporter == Reporter("voisin75", True)
    # The old event's comment is now its salted hash; the outcome stays readable.
    sealed = details(store, 3)
    assert sealed["_purged"] == ["comment"]
    assert sealed["outcome"] == "interpellation" and sealed["unit"] == "pm-a1"
    assert sealed["comment"].startswith("sha256:")
    salted = hashlib.sha256(bytes.fromhex(salt) + canonical(filled["end"]["comment"]))
    assert sealed["comment"] == "sha256:" + salted.hexdigest()
    unsalted = hashlib.sha256(canonical(filled["end"]["comment"])).hexdigest()
    assert unsalted not in sealed["comment"]  # not guessable from the value alone
    assert store.conn.execute("SELECT details_salt FROM events WHERE pk = 3").fetchone()[0] is None
    assert details(store, 4) == {"text": "récent"}
    # Rejected frames and snapshots: the old ones are gone, files included.
    assert [r["seq"] for r in store.recent_rejected()] == [51]
    assert not filled["old_file"].exists() and filled["new_file"].exists()
    assert [r[0] for r in store.conn.execute("SELECT path FROM snapshots")] == [
        str(filled["new_file"])
    ]
    assert (
        store.conn.execute("SELECT count(*) FROM events WHERE kind = 'snapshot'").fetchone()[0] == 2
    )  # the logbook keeps both
    [event] = store.conn.execute(
        "SELECT station, operator, details FROM events WHERE kind = 'purged'"
    ).fetchall()
    assert event[:2] == ("cli", "root")
    assert json.loads(event[2])["policy"] == {
        "video_days": 30, "personal_data_days": 90, "rejected_days": 30, "citizen_days": 90,
    }  # fmt: skip


def test_purge_twice_does_nothing_more(store: Store, filled: dict[str, Any]) -> None:
    store.purge(POLICY, NOW)
    count = store.count("events")
    report = store.purge(POLICY, NOW)
    assert report.total == 0
    assert store.count("events") == count  # no "purged" event for nothing
    assert store.verify_chain().ok


def test_dry_run_counts_and_changes_nothing(store: Store, filled: dict[str, Any]) -> None:
    rows = store.conn.execute("SELECT * FROM events").fetchall()
    dry = store.purge(POLICY, NOW, dry_run=True)
    assert (dry.alerts, dry.events, dry.rejected, dry.snapshots, dry.dry_run) == (1, 1, 1, 1, True)
    assert dry.summary().startswith("à purger : 1 alertes")
    assert store.conn.execute("SELECT * FROM events").fetchall() == rows
    assert filled["old_file"].exists()
    real = store.purge(POLICY, NOW)
    assert (real.alerts, real.events, real.rejected, real.snapshots) == (1, 1, 1, 1)


def test_shorter_periods_reach_more(store: Store, filled: dict[str, Any]) -> None:
    report = store.purge(RetentionPolicy(video_days=1, personal_data_days=1, rejected_days=1), NOW)
    assert (report.alerts, report.events, report.rejected, report.snapshots) == (2, 2, 2, 2)
    assert details(store, 4)["_purged"] == ["text"]
    assert store.verify_chain().ok


def test_a_missing_snapshot_file_does_not_block_the_purge(
    store: Store, filled: dict[str, Any]
) -> None:
    filled["old_file"].unlink()
    report = store.purge(POLICY, NOW)
    assert (report.snapshots, report.files) == (1, 0)


@pytest.mark.parametrize("days", [0, 31, 365])
def test_video_retention_is_capped_by_the_cnil(days: int) -> None:
    with pytest.raises(ValueError, match="CNIL"):
        RetentionPolicy(video_days=days)
