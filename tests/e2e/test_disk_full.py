"""A data folder on a small filesystem fills up during alerts and displays.

A real tmpfs (mounted here, so only as root; skipped with a message otherwise),
the real simulator gateway, the link in its real process, and the console's own
storage thread writing « alerte affichée », a camera view and a mute as the GUI
does (``DisplayLogger``, ``WallController`` and ``AlarmController`` go through
``DbTasks.record`` → :meth:`StorageWriter.record`). A ballast file takes the last
byte; then:

- nothing the disk could not take is acknowledged to the gateway, which keeps it
  and resends it;
- the console's events are kept in memory and an operator's action is refused
  with the French message;
- the link's and the console's failures are each logged once with a count;

and once the ballast is deleted everything is written — every alert once, every
display once, in the order they happened — and the hash chain verifies.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support import RecordingListener, fill_disk, small_disk, stored_keys, wait_until

from csu_console.errors import DiskFullError
from csu_console.net.link import LinkSettings
from csu_console.net.receiver import ReceiverProcess
from csu_console.net.state import LinkPhase
from csu_console.sim.control import SimProcess
from csu_console.storage.logbook import NewEvent
from csu_console.storage.store import DB_NAME
from csu_console.storage.writer import HELD_MESSAGE, StorageWriter
from csu_console.ui.console.display_log import first_display_events

STATION = "poste-d"


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    """The data folder, on a 4 MB tmpfs."""
    with small_disk(tmp_path / "data") as folder:
        yield folder


def _displayed(writer: StorageWriter) -> list[tuple[int, str]]:
    return writer.submit(
        lambda s: [
            (r[0], r[1])
            for r in s.conn.execute(
                "SELECT alert_pk, at FROM events WHERE kind = 'displayed' ORDER BY pk"
            )
        ]
    ).result()


@pytest.mark.expected_logs("csu.storage", "csu.net")
def test_a_full_disk_loses_nothing_acknowledged_or_displayed(
    data: Path, sim: SimProcess, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = data / DB_NAME
    writer = StorageWriter(db)
    writer.start()
    listener = RecordingListener()
    logs = tmp_path / "receiver-logs"  # not on the small disk: we read them after
    receiver = ReceiverProcess(LinkSettings(sim.url, STATION), db, listener, logs)
    receiver.start()
    try:
        wait_until(lambda: listener.phase is LinkPhase.CONNECTED, 20, "connexion")
        sim.command("emit", count=20)
        sim.command("wait", station=STATION, field="unanswered", at_most=0, timeout=30)
        wait_until(lambda: len(listener.outcomes) >= 20, 20, "20 alertes rapportées")
        first = [o.stored.pk for o in listener.outcomes if o.stored is not None]
        assert len(first) == 20

        # The disk fills up; the operator's screen shows the 20 alerts meanwhile.
        ballast = fill_disk(data)
        shown_at = datetime.now(UTC)
        kept = writer.record(
            lambda s: first_display_events(s, first, shown_at, STATION, "martin")
        ).result()
        assert (kept.pks, kept.kept, kept.dropped) == ((), 20, 0)
        # A camera looked at and the sound muted (WallController, AlarmController).
        for kind, details in (("camera_viewed", {"camera": "CAM-01"}), ("muted", {"seconds": 60})):
            event = NewEvent(kind, datetime.now(UTC), first[0], STATION, "martin", details)
            assert writer.record([event]).result().kept == 1
        state = writer.disk_state
        assert state.full and state.pending == 22 and state.free_bytes == 0
        # An operator's action needs its write: refused, not pretended.
        with pytest.raises(DiskFullError) as refused:
            writer.submit(
                lambda s: s.add_event("acknowledged", first[1], STATION, "martin")
            ).result()
        assert str(refused.value) == HELD_MESSAGE

        # New alerts: not stored, so not acknowledged; the gateway keeps resending.
        sim.command("emit", count=15)
        wait_until(lambda: len(listener.storage_errors) >= 3, 30, "trois lots refusés (renvois)")
        assert listener.phase is LinkPhase.STORAGE_DOWN
        assert "disk is full" in listener.statuses[-1].error
        stats = sim.command("stats")["stations"][STATION]
        assert stats["unanswered"] == 15 and stats["acked"] == 20
        assert len(stored_keys(db)) == 20

        # Space returns.
        ballast.unlink()
        sim.command("wait", station=STATION, field="unanswered", at_most=0, timeout=30)
        wait_until(lambda: writer.disk_state.pending == 0, 20, "événements gardés écrits")
        wait_until(lambda: listener.phase is LinkPhase.CONNECTED, 20, "liaison rétablie")
        assert not writer.disk_state.full
        # Reports reach the console after the acknowledgements (their own thread).
        wait_until(
            lambda: sum(o.stored is not None for o in listener.outcomes) == 35, 20, "35 rapportées"
        )
        later = [o.stored.pk for o in listener.outcomes if o.stored is not None][20:]
        assert len(later) == 15
        writer.record(
            lambda s: first_display_events(s, later, datetime.now(UTC), STATION, "martin")
        ).result()

        # Nothing acknowledged is lost, every alert is stored once…
        acked = {tuple(k) for k in sim.command("acked_keys", station=STATION)}
        stored = stored_keys(db)
        assert len(acked) == 35 and len(stored) == 35 and set(stored) == acked
        # …every display written once, the kept ones first and with their own time…
        displayed = _displayed(writer)
        assert [pk for pk, _at in displayed] == first + later
        assert {at for _pk, at in displayed[:20]} == {shown_at.isoformat(timespec="milliseconds")}
        kinds = writer.submit(
            lambda s: [r[0] for r in s.conn.execute("SELECT kind FROM events ORDER BY pk")]
        ).result()
        assert kinds.count("camera_viewed") == 1 and kinds.count("muted") == 1
        assert kinds.count("acknowledged") == 0  # refused, so not there
        # …and the chain verifies.
        report = writer.submit(lambda s: s.verify_chain()).result()
        assert report.broken is None and report.count == len(kinds)
    finally:
        receiver.stop()
        writer.close()

    # A repeated failure is one line (with its count), not one per batch or retry.
    ours = [r.getMessage() for r in caplog.records if "écriture refusée" in r.getMessage()]
    assert len(ours) == 2 and "répété" in ours[1], ours  # the retries, counted
    assert any("écrits dans l'ordre" in r.getMessage() for r in caplog.records)
    assert not [
        r for r in caplog.records if r.levelno >= logging.ERROR and "perdus" in r.getMessage()
    ]
    link_log = (logs / "logs" / "receiver.log").read_text(encoding="utf-8")
    failed_lines = [line for line in link_log.splitlines() if "lot non enregistré" in line]
    assert 1 <= len(failed_lines) <= 2 < len(listener.storage_errors), failed_lines
    assert "répété" in failed_lines[-1]
    assert "enregistrement des alertes rétabli" in link_log
