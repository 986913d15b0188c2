"""The console's watch on the recorder raises « enregistrement interrompu » once
per interruption, from a status file read off the GUI thread, and one alert when
the recorder died without stopping."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from csu_console.config import check_site
from csu_console.core.alerts import Alert
from csu_console.ui.wall.recorder_watch import RecorderWatch


def _write(
    folder: Path, *, state: str, gap_start: float, written: float, running: bool = True
) -> None:
    full = state == "disk_full"
    data = {
        "written_at": written, "running": running, "segment_s": 60,
        "cameras": {"cam-01": {
            "name": "Mairie", "state": state, "since": gap_start, "detail": "",
            "last_segment_end": gap_start, "recorded_24h_s": 60.0,
            "open_gap": {"start": gap_start, "reason": "disque plein"} if full else None,
        }},
        "disk": {"used": 1, "free": 1, "budget": 1, "min_free": 0, "full": full},
    }  # fmt: skip
    tmp = folder / "status.json.tmp"
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, folder / "status.json")  # as the recorder does: never half a file


@pytest.mark.expected_logs("csu.ui")  # each alert raised is logged as a warning
def test_one_alert_per_interruption(qtbot: QtBot, tmp_path: Path, config_dir: Path) -> None:
    site, _ = check_site(config_dir)
    assert site is not None
    raised: list[Alert] = []
    threads: list[str] = []
    gui = threading.current_thread().name

    def raise_alert(alert: Alert) -> None:
        threads.append(threading.current_thread().name)
        raised.append(alert)

    watch = RecorderWatch(tmp_path, site.cameras, "poste-1", raise_alert, every_s=0.05)
    reads: list[object] = []
    watch.status_read.connect(reads.append)
    watch.start()
    try:
        qtbot.waitUntil(lambda: len(reads) >= 2, timeout=5000)
        assert raised == []  # no recorder here: nothing to say
        now = time.time()
        _write(tmp_path, state="disk_full", gap_start=now - 90, written=now)
        qtbot.waitUntil(lambda: len(raised) == 1, timeout=5000)
        n = len(reads)
        qtbot.waitUntil(lambda: len(reads) >= n + 5, timeout=5000)
        assert len(raised) == 1  # the same interruption: once
        (alert,) = raised
        assert alert.title == "Enregistrement interrompu : Mairie" and alert.priority == 4
        cam01 = next(c for c in site.cameras if c.id == "cam-01")
        assert alert.location is not None and alert.location.lat == cam01.lat
        assert threads == [gui]
        # Room came back, then the disk filled again: a new interruption, a new alert.
        _write(tmp_path, state="recording", gap_start=now, written=time.time())
        n = len(reads)
        qtbot.waitUntil(lambda: len(reads) >= n + 2, timeout=5000)
        _write(tmp_path, state="disk_full", gap_start=now + 30, written=time.time())
        qtbot.waitUntil(lambda: len(raised) == 2, timeout=5000)
        assert raised[1].id != raised[0].id
        # The recorder died (status no longer rewritten, not stopped cleanly).
        _write(tmp_path, state="recording", gap_start=now, written=now - 300)
        qtbot.waitUntil(lambda: len(raised) == 3, timeout=5000)
        assert raised[2].title == "Enregistrement interrompu : enregistreur arrêté"
        # A clean stop is not a fault.
        _write(tmp_path, state="stopped", gap_start=now, written=now - 600, running=False)
        n = len(reads)
        qtbot.waitUntil(lambda: len(reads) >= n + 3, timeout=5000)
        assert len(raised) == 3
    finally:
        watch.stop()
