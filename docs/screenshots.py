"""Screenshots of the console for the docs, taken on a real X server (Xvfb).

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python docs/screenshots.py

Starts ``csu-sim``, the console connected to it, sends a burst of alerts with
three reports from the same spot (grouped), lets another station take one alert
(its ``status`` comes back as an ``update``), and grabs the screen with the urgent
banner flashing; then stops the gateway and grabs the lost-link alarm.
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from websockets.sync.client import connect

from csu_console.app import Console
from csu_console.config import check_site
from csu_console.core.alerts import StoredAlert
from csu_console.core.dispatch import Outcome, Stage
from csu_console.media.stream_server.control import RtspServerProcess, serve_cameras
from csu_console.net.state import LinkPhase, LinkStatus
from csu_console.sim.control import SimProcess
from csu_console.startup import RunOptions
from csu_console.ui.console.dispatch_dialog import DispatchDialog

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
        caller = sys._getframe(1)
        raise SystemExit(
            f"condition jamais atteinte (ligne {caller.f_lineno} de {caller.f_code.co_name})"
        )


def grab(app: QApplication, name: str) -> None:
    app.processEvents()
    screen = app.primaryScreen()
    path = DOCS / name
    screen.grabWindow(0).save(str(path))
    print(f"écrit {path}")


def grouped_reports() -> list[dict[str, object]]:
    """Three neighbours report the same van within a few minutes, 40 m apart."""
    now = datetime.now(UTC).replace(microsecond=0)
    reports = []
    for i, (dlat, dlon, who) in enumerate(
        [(0.0, 0.0, "Voisin_12"), (0.0002, 0.0003, "Lucie.B"), (-0.0002, 0.0004, "PapyJo")]
    ):
        reports.append(
            {
                "type": "alert",
                "seq": "auto",
                "alert": {
                    "id": f"vv-groupe-{now:%H%M%S}-{i}",
                    "source": "voisins-vigilants",
                    "sent": (now - timedelta(minutes=3 - i)).isoformat(),
                    "category": "comportement_suspect",
                    "priority": 2,
                    "title": "Camionnette blanche qui repère les maisons",
                    "description": "Deux hommes photographient les entrées ; la camionnette "
                    "repasse.",
                    "location": {
                        "lat": 60.1686 + dlat,
                        "lon": 24.9437 + dlon,
                        "address": f"{20 + i} Aleksanterinkatu",
                        "accuracy_m": 15,
                    },
                    "commune": "Helsinki (démo)",
                    "reporter": {"pseudonym": who, "verified": True},
                },
            }
        )
    return reports


def other_station_takes(sim: SimProcess, item: StoredAlert | None) -> None:
    """Poste 2 acknowledges an alert: the gateway relays it to us as an update."""
    assert item is not None
    with connect(sim.url) as ws:
        ws.send(
            json.dumps({"type": "hello", "protocol": 1, "station": "poste-2", "last_seq": None})
        )
        ws.send(
            json.dumps(
                {
                    "type": "status",
                    "source": item.alert.source,
                    "id": item.alert.id,
                    "state": "acknowledged",
                    "station": "poste-2",
                    "operator": "Mme Roux",
                    "at": datetime.now(UTC).isoformat(),
                }
            )
        )
        sim.command("wait", station="poste-1", field="unanswered", at_most=0, timeout=10)


@contextlib.contextmanager
def demo_console(
    app: QApplication,
    tmp: Path,
    *,
    autologin: str | None = "demo",
    sim_args: list[str] | None = None,
    data: Path | None = None,
) -> Iterator[tuple[SimProcess, RtspServerProcess, Console, list[LinkStatus]]]:
    """csu-sim, the demo site's camera streams and a started console on 1920x1080;
    yields them with the link statuses seen so far; stops everything after."""
    sim = SimProcess(REPO / "config", state=tmp / "sim.sqlite3", extra_args=sim_args).start()
    site, _problems = check_site(REPO / "config")
    assert site is not None
    streams, cams = serve_cameras(site.cameras, tmp / "rtsp.log")
    moved = cams[0].stream_main != site.cameras[0].stream_main
    console = Console(
        app,
        RunOptions(
            REPO / "config",
            data or tmp / "data",
            gateway=sim.url,
            station="poste-1",
            autologin=autologin,
            stream_port=streams.port if moved else None,
        ),
    )
    statuses: list[LinkStatus] = []
    console.bridge.link_status_changed.connect(statuses.append)
    try:
        yield sim, streams, console, statuses
    finally:
        console.stop()
        console.window.close()
        streams.close()
        sim.close()


def wall_live(console: Console) -> bool:
    """Every camera tile on the wall shows a picture."""
    tiles = [t for t in console.wall.visible_tiles() if t.camera is not None]
    return bool(tiles) and all(t.current_frame() is not None for t in tiles)


def main() -> int:
    app = QApplication(sys.argv[:1])
    with (
        tempfile.TemporaryDirectory(prefix="csu-shots-") as tmp,
        demo_console(app, Path(tmp), sim_args=["--seed", "3", "--cap-ratio", "0.15"]) as (
            sim,
            streams,
            console,
            statuses,
        ),
    ):
        basemap_drawn: list[bool] = []
        console.map_pane.view.basemap_updated.connect(lambda: basemap_drawn.append(True))
        console.start()
        console.window.setGeometry(0, 0, 1920, 1080)
        wait_for(app, lambda: statuses and statuses[-1].phase is LinkPhase.CONNECTED)
        sim.command("emit", count=20, cap_ratio=0.15)
        sim.command("inject", frames=[{"raw": "{pas du json"}])
        sim.command("inject", frames=[{"json": m, "expect": "ack"} for m in grouped_reports()])
        wait_for(app, lambda: console.model.report_count() >= 23)
        other_station_takes(sim, console.model.alert_at(5))
        wait_for(
            app,
            lambda: any(
                "poste-2" in (console.model.alert_at(r).state_station or "")  # type: ignore[union-attr]
                for r in range(console.model.rowCount())
            ),
        )
        group_row = next(
            r
            for r in range(console.model.rowCount())
            if console.model.group_size(console.model.alert_at(r).pk) > 1
        )  # type: ignore[union-attr]
        console.window.select_row(group_row)
        wait_for(app, lambda: "Alerte reçue" in console.window.detail.browser.toPlainText())
        wait_for(app, lambda: wall_live(console))  # the live pictures of its cameras
        basemap_drawn.clear()
        console.map_follower.focus(console.window.selected_alert())  # again, map loaded
        wait_for(app, lambda: bool(basemap_drawn))  # the streets under the focused alert
        grab(app, "screenshot-console.png")
        dispatch_shots(app, console)

        streams.close()
        sim.kill()
        wait_for(app, lambda: statuses[-1].phase is LinkPhase.LOST and statuses[-1].attempt >= 2)
        grab(app, "screenshot-console-link-lost.png")
    return 0


def dispatch_shots(app: QApplication, console: Console) -> None:
    """The dispatch dialog on the urgent alert, then its timeline once handled."""
    item = console.model.alert_at(0)  # the most urgent
    assert item is not None
    console.window.select_pk(item.pk)
    wait_for(app, lambda: bool(console.dispatch.states))
    wait_for(app, lambda: not console.map_pane.view.basemap.pending)  # streets at the new zoom
    console.dispatch.open_dispatch(item.pk)
    dialog = console.dispatch.dialog
    assert isinstance(dialog, DispatchDialog)
    wait_for(app, dialog.isVisible)
    dialog.instructions.setPlainText("Deux individus, l'un blessé à la main. Rester à distance.")
    grab(app, "screenshot-dispatch.png")
    dialog.accept()
    wait_for(app, lambda: console.dispatch.states["pm-alpha-1"].stage is not None)
    console.dispatch.on_site(item.pk)
    wait_for(app, lambda: console.dispatch.states["pm-alpha-1"].stage is Stage.ON_SITE)
    unit = console.site.dispatch.units[0]
    console.dispatch.finish(item.pk, unit, Outcome.INTERPELLATION, "Un individu interpellé.")
    detail = console.window.detail
    wait_for(app, lambda: "Intervention terminée" in detail.browser.toPlainText())
    question = console.dispatch.question
    if question is not None:
        question.close()
    wait_for(app, lambda: "Patrouille engagée" in detail.browser.toPlainText())  # new state
    bar = detail.browser.verticalScrollBar()
    bar.setValue(bar.maximum())  # the timeline is at the end of the detail
    app.processEvents()
    detail.grab().save(str(DOCS / "screenshot-timeline.png"))
    print(f"écrit {DOCS / 'screenshot-timeline.png'}")


if __name__ == "__main__":
    sys.exit(main())
