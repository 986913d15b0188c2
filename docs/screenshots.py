"""Screenshots of the console for the docs, taken on a real X server (Xvfb).

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/screenshots.py

Starts ``csu-sim`` with a burst of alerts, the console connected to it, selects
the most urgent alert, and grabs the whole screen; then stops the gateway and
grabs the screen again once the link is announced lost.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from csu_console.app import Console, RunOptions
from csu_console.net.state import LinkPhase, LinkStatus
from csu_console.sim.control import SimProcess

REPO = Path(__file__).resolve().parents[1]
DOCS = REPO / "docs"


def wait_for(app: QApplication, predicate: object, timeout_ms: int = 30_000) -> None:
    """Run the event loop until ``predicate()`` holds (checked every 50 ms)."""
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: predicate() and loop.quit())  # type: ignore[operator]
    timer.start(50)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    timer.stop()
    if not predicate():  # type: ignore[operator]
        raise SystemExit("condition jamais atteinte")


def grab(app: QApplication, name: str) -> None:
    app.processEvents()
    screen = app.primaryScreen()
    path = DOCS / name
    screen.grabWindow(0).save(str(path))
    print(f"écrit {path}")


def main() -> int:
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory(prefix="csu-shots-") as tmp:
        sim = SimProcess(
            REPO / "config",
            state=Path(tmp) / "sim.sqlite3",
            extra_args=["--seed", "3", "--cap-ratio", "0.15"],
        ).start()
        console = Console(
            app, RunOptions(REPO / "config", Path(tmp) / "data", gateway=sim.url, station="poste-1")
        )
        statuses: list[LinkStatus] = []
        console.bridge.link_status_changed.connect(statuses.append)
        console.start()
        console.window.setGeometry(0, 0, 1920, 1080)
        wait_for(app, lambda: statuses and statuses[-1].phase is LinkPhase.CONNECTED)
        sim.command("emit", count=24, cap_ratio=0.15)
        sim.command("inject", frames=[{"raw": "{pas du json"}])
        wait_for(app, lambda: console.model.rowCount() >= 24)
        console.window.select_row(0)
        wait_for(app, lambda: "Reçue" in console.window.detail.browser.toPlainText())
        grab(app, "screenshot-console.png")

        sim.kill()
        wait_for(app, lambda: statuses[-1].phase is LinkPhase.LOST and statuses[-1].attempt >= 2)
        grab(app, "screenshot-console-link-lost.png")
        console.stop()
        console.window.close()
        sim.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
