"""« DISQUE PLEIN » on the real console (csu-sim, link process, SQLite on a real
tmpfs filled by a ballast file; skipped unless root): the status bar says it in
red, the console's own events (a mute) wait in memory, F2 is refused and the
alert keeps ringing, and once space returns everything is written, in order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from support import fill_disk, small_disk
from test_interrupt_cycle import OPERATOR, Harness, events, press

from csu_console.net.state import LinkPhase
from csu_console.sim.control import SimProcess
from csu_console.ui.theme import LINK_LOST


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    """The console's data folder (``Harness`` uses ``tmp_path / "data"``) on a tmpfs;
    set up before the harness, so unmounted after the console stopped."""
    with small_disk(tmp_path / "data", "16m") as folder:
        yield folder


# csu.media: the wall's demo cameras may time out opening on a loaded machine (not
# what this test is about; the wall's own tests check them).
@pytest.mark.expected_logs("csu.storage", "csu.ui", "csu.net", "csu.media")
def test_disk_full_is_shown_refused_and_caught_up(
    data: Path, harness: Harness, qtbot: Any, sim: SimProcess
) -> None:
    console = harness.start()
    label = console.disk_status
    # 16 MB free, under the threshold (500 MB): said, in orange, not as an alarm.
    qtbot.waitUntil(label.isVisible, timeout=5000)
    assert label.text().startswith("Espace disque faible : ") and not label.alarm
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        sim.command("emit", count=1, cap_ratio=0)
    qtbot.waitUntil(lambda: len(events(console, "displayed")) == 1, timeout=5000)
    [pk] = [e["alert_pk"] for e in events(console, "displayed")]

    ballast = fill_disk(data)
    press(qtbot, console, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)  # sourdine
    qtbot.waitUntil(lambda: console.writer.disk_state.pending == 1, timeout=5000)
    qtbot.waitUntil(lambda: label.alarm, timeout=5000)
    assert label.text() == "DISQUE PLEIN – 1 en attente d'écriture"
    assert LINK_LOST in label.styleSheet() and label.alarm
    assert "gardés en mémoire" in label.toolTip().replace("\xa0", " ")

    # F2 needs its write: refused, said, and the alert rings on.
    press(qtbot, console, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)  # son rétabli
    press(qtbot, console, Qt.Key.Key_F2)
    qtbot.waitUntil(
        lambda: "Disque plein" in console.window.statusBar().currentMessage(), timeout=5000
    )
    assert console.alarm.scheduler.ringing_keys()  # still new: still ringing
    assert console.model.alert_by_pk(pk).state.value == "new"  # type: ignore[union-attr]
    assert console.writer.disk_state.pending == 2  # the mute and the unmute

    # New alerts meanwhile: not stored, so not acknowledged to the gateway.
    sim.command("emit", count=2, cap_ratio=0)
    qtbot.waitUntil(
        lambda: bool(harness.statuses) and harness.statuses[-1].phase is LinkPhase.STORAGE_DOWN,
        timeout=10_000,
    )
    assert sim.command("stats")["stations"]["poste-1"]["unanswered"] == 2

    ballast.unlink()
    qtbot.waitUntil(lambda: not label.alarm, timeout=15_000)
    assert label.text().startswith("Espace disque faible")  # back to the warning
    sim.command("wait", station="poste-1", field="unanswered", at_most=0, timeout=20)
    qtbot.waitUntil(lambda: len(events(console, "displayed")) == 3, timeout=10_000)
    kinds = [e["kind"] for e in events(console, "muted") + events(console, "unmuted")]
    assert kinds == ["muted", "unmuted"]
    assert events(console, "muted")[0]["operator"] == OPERATOR
    assert not events(console, "acknowledged")  # refused, so not in the book
    report = console.writer.submit(lambda s: s.verify_chain()).result()
    assert report.broken is None
