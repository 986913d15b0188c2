"""« DISQUE PLEIN » on the running console, into docs/screenshot-disk-full.png
(the whole screen) and docs/screenshot-disk-full-statusbar.png (the status bar).

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/disk_full_screenshot.py

Needs root: the console's data folder is a 64 MB tmpfs mounted here. Starts
``csu-sim`` and the console, lets alerts arrive, fills the disk with a ballast
file, mutes the alarm (kept in memory), lets new alerts arrive (not stored, not
acknowledged), grabs the screen; then deletes the ballast and waits for every
kept event to be written before stopping.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication
from screenshots import demo_console, grab, wait_for

from csu_console.net.state import LinkPhase

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"


def fill(folder: Path) -> Path:
    """A ballast file that takes every free byte of the filesystem."""
    ballast = folder / "ballast"
    fd = os.open(ballast, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (1 << 20, 1 << 16, 4096):
            block = b"\0" * size
            try:
                while os.write(fd, block):
                    pass
            except OSError:
                pass
    finally:
        os.close(fd)
    return ballast


def main() -> int:
    if os.geteuid() != 0:
        print("il faut être root pour monter le petit disque (tmpfs)", file=sys.stderr)
        return 2
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="csu-disk-") as tmp_name:
        tmp = Path(tmp_name)
        data = tmp / "data"
        data.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(data)], check=True)
        try:
            shoot(app, tmp, data)
        finally:
            if subprocess.run(["umount", str(data)], check=False).returncode != 0:
                subprocess.run(["umount", "-l", str(data)], check=True)
    return 0


def shoot(app: QApplication, tmp: Path, data: Path) -> None:
    with demo_console(app, tmp, data=data, sim_args=["--seed", "5", "--resend-after", "2"]) as (
        sim,
        _streams,
        console,
        statuses,
    ):
        console.start()
        console.window.setGeometry(0, 0, 1920, 1080)
        wait_for(app, lambda: statuses and statuses[-1].phase is LinkPhase.CONNECTED)
        sim.command("emit", count=12, cap_ratio=0.1)
        wait_for(app, lambda: console.model.report_count() >= 12)
        console.window.select_row(0)
        ballast = fill(data)
        console.alarm.mute(120)  # the console's own event: kept in memory
        sim.command("emit", count=3, cap_ratio=0)
        wait_for(app, lambda: statuses[-1].phase is LinkPhase.STORAGE_DOWN)
        wait_for(app, lambda: console.disk_status.alarm)
        wait_for(app, lambda: not console.map_pane.view.basemap.pending)  # streets drawn
        grab(app, "screenshot-disk-full.png")
        bar = console.window.statusBar()
        path = DOCS / "screenshot-disk-full-statusbar.png"
        bar.grab().save(str(path))
        print(f"écrit {path}")
        ballast.unlink()
        wait_for(app, lambda: not console.disk_status.alarm)
        wait_for(app, lambda: console.writer.disk_state.pending == 0)
        wait_for(app, lambda: console.model.report_count() >= 15)


if __name__ == "__main__":
    raise SystemExit(main())
