"""The review map with « Carte de chaleur » on, over a generated history, into
docs/screenshots/issue19-heatmap-review.png.

    .venv/bin/python -m csu_console.cli signals generate --weeks 26 --per-day 40 \\
        --plant --data-dir /tmp/hm/data
    DISPLAY=:84 .venv/bin/python docs/heatmap_screenshot.py --data /tmp/hm/data

(on an Xvfb 1920×1080 with openbox). The review window opens maximised, dark theme,
on the last 90 days (the retention of positions: older alerts have none), on its
map tab, fitted to the alerts, with the heatmap on. The live map's screenshot
(docs/screenshots/issue19-heatmap.png) is of the real demo on the same data:
``csu-console demo --data-dir /tmp/hm/data``, « Carte de chaleur » clicked, then
« Ajuster au site ».
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from csu_console.config import load_site
from csu_console.core.accounts import Account
from csu_console.core.roles import Role
from csu_console.storage.store import DB_NAME
from csu_console.storage.writer import StorageWriter
from csu_console.ui.console.session import Session
from csu_console.ui.map.basemap_file import ThreadedMapFile
from csu_console.ui.review.window import ReviewWindow
from csu_console.ui.review.worker import ReviewWorker
from csu_console.ui.theme import apply_theme

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "docs" / "screenshots" / "issue19-heatmap-review.png"


def wait_for(app: QApplication, condition: Callable[[], object], timeout_ms: int = 30_000) -> None:
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("heatmap_screenshot : délai dépassé")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="dossier des données")
    parser.add_argument("--config", type=Path, default=REPO / "config")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    apply_theme(app, "sombre")
    site = load_site(args.config)
    db = args.data / DB_NAME
    basemap = ThreadedMapFile(site.map.file) if site.map.file else None
    writer = StorageWriter(db)
    writer.start()
    worker = ReviewWorker(db)
    session = Session()
    session.log_in(Account("c.martin", "Claire Martin", Role.SUPERVISEUR))
    window = ReviewWindow(site, session, worker, writer, "poste-1", basemap=basemap)
    window.showMaximized()
    loaded: list[object] = []
    window.loaded.connect(loaded.append)
    today = date.today()
    window.picker.set_days(today - timedelta(days=89), today)
    window.picker.apply()
    wait_for(app, lambda: loaded)
    window.tabs.setCurrentWidget(window.map)
    window.map.heatmap.toggle.button.click()
    window.map.fit()
    heat = window.map.pane.heatmap
    wait_for(app, lambda: heat.item.shown is not None and not heat.pending)
    wait_for(app, lambda: not window.map.pane.view.basemap.pending)
    app.processEvents()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    app.primaryScreen().grabWindow(0).save(str(args.out))
    print(f"écrit {args.out} ({heat.count} points, {heat.label})")
    window.close()
    worker.close()
    writer.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
