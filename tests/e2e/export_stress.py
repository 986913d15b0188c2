"""Review exports under load, for the crash test (run as a child process).

    python tests/e2e/export_stress.py WORKDIR ROUNDS

Opens the review window on the known shift of ``tests/gui/review/review_shift.py``
and exports « Rapport PDF » and « Exporter CSV » ``ROUNDS`` times each, while the
storage thread writes an alert storm into the same database, the demo's basemap is
rendered again and again on its thread (the map zooms in and out), and the GUI
thread is busy when each export ends (it is during a storm): the export's last
progress and its result then wait together in the event queue, which is how the
console died after « Rapport PDF » (issue 14). faulthandler writes to
``WORKDIR/crash.log``; ``DONE n`` is printed at the end.
"""

from __future__ import annotations

import faulthandler
import itertools
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "gui" / "review")]

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402
from review_shift import NOW, SITE, STATION, build  # noqa: E402
from support import CONFIG_DIR, REPO_DIR  # noqa: E402

from csu_console.config.loader import load_site  # noqa: E402
from csu_console.core.accounts import Account  # noqa: E402
from csu_console.core.alerts import Alert, Category, Location  # noqa: E402
from csu_console.core.protocol import AlertMessage  # noqa: E402
from csu_console.core.roles import Role  # noqa: E402
from csu_console.mapdata.mapfile import import_osm  # noqa: E402
from csu_console.storage.store import DB_NAME, Store  # noqa: E402
from csu_console.storage.writer import StorageWriter  # noqa: E402
from csu_console.ui.console.session import Session  # noqa: E402
from csu_console.ui.map import MapPane  # noqa: E402
from csu_console.ui.map.basemap_file import ThreadedMapFile  # noqa: E402
from csu_console.ui.review.window import ReviewWindow  # noqa: E402

#: How long the GUI thread is kept busy when an export is about to end.
BUSY_S = 0.25
#: Alerts per storm batch, written every 20 ms.
STORM_BATCH = 25


def storm(writer: StorageWriter, counter: itertools.count[int]) -> None:
    """One batch of new alerts, stored on the storage thread."""

    def write(store: Store) -> None:
        now = datetime.now(UTC)
        batch = [
            AlertMessage(n, Alert("tempete", f"T{n}", now, Category.RIXE, 2, title=f"T{n}",
                                  location=Location(60.17, 24.94), commune="Ville"))
            for n in itertools.islice(counter, STORM_BATCH)
        ]  # fmt: skip
        store.commit_batch(batch, STATION, now)

    writer.submit(write)


def wait(app: QApplication, condition: object, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise TimeoutError("export trop long")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def main() -> int:
    work, rounds = Path(sys.argv[1]), int(sys.argv[2])
    crash = open(work / "crash.log", "w", encoding="utf-8")  # noqa: SIM115
    faulthandler.enable(file=crash, all_threads=True)
    app = QApplication(sys.argv[:1])
    writer = StorageWriter(work / "data" / DB_NAME)
    writer.start()
    writer.submit(build).result(timeout=30)
    session = Session()
    session.log_in(Account("chef", "Claire Chef", Role.SUPERVISEUR))
    from csu_console.ui.review.worker import ReviewWorker

    worker = ReviewWorker(writer.path)
    window = ReviewWindow(SITE, session, worker, writer, STATION, now=lambda: NOW,
                          choose_path=lambda _kind, name: work / name)  # fmt: skip
    window.show()
    done = {"loaded": False}
    window.loaded.connect(lambda *_a: done.__setitem__("loaded", True))
    window.load_default()
    wait(app, lambda: done["loaded"], 30)

    mapfile = work / "helsinki.csumap"
    import_osm(REPO_DIR / "assets" / "osm" / "helsinki-centre.osm.pbf", mapfile)
    pane = MapPane(load_site(CONFIG_DIR), ThreadedMapFile(mapfile))
    pane.resize(900, 600)
    pane.show()
    pane.fit_site()
    zooms = itertools.cycle((15.0, 16.0, 17.0, 16.5))
    zoom_timer = QTimer()
    zoom_timer.timeout.connect(lambda: pane.view.set_zoom(next(zooms)))
    zoom_timer.start(40)
    counter = itertools.count(1)
    storm_timer = QTimer()
    storm_timer.timeout.connect(lambda: storm(writer, counter))
    storm_timer.start(20)

    # The GUI thread is busy 250 ms out of 300, as in a storm: an export's last
    # progress and its result wait together in the event queue.
    busy_timer = QTimer()
    busy_timer.timeout.connect(lambda: time.sleep(BUSY_S))
    busy_timer.start(int(BUSY_S * 1000) + 50)
    buttons = [b for _ in range(rounds) for b in (window.pdf_button, window.csv_button)]
    results: list[object] = []

    def next_export() -> None:
        box = window.exports.result_box
        if box is not None and box.isVisible():
            box.close()
        if not buttons:
            app.exit(0)
            return
        buttons.pop(0).click()
        dialog = window.exports.reason_dialog
        assert dialog is not None
        dialog.setTextValue(f"essai de charge {len(results)}")
        dialog.accept()

    def on_result(result: object) -> None:
        results.append(result)
        QTimer.singleShot(0, next_export)

    window.exports.finished.connect(on_result)
    window.exports.failed.connect(on_result)
    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(lambda: app.exit(3))
    watchdog.start(120_000)
    QTimer.singleShot(0, next_export)
    code = app.exec()
    busy_timer.stop()
    exported = len(results)
    storm_timer.stop()
    zoom_timer.stop()
    pane.view.shutdown()
    worker.close()
    writer.close()
    for failure in (r for r in results if isinstance(r, str)):
        print(f"FAILED {failure}", flush=True)
    print(f"DONE {exported} {sum(1 for r in results if not isinstance(r, str))}", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
