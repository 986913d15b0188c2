"""Every camera watched, against the real RTSP test server: a camera killed while
nobody watches it raises the outage alert and turns red on the map; a frozen and a
black picture are caught; the camera's return is logged."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from types import SimpleNamespace

import pytest
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from csu_console.config.schema import Camera, ProberConfig, SiteConfig
from csu_console.core.alerts import Alert
from csu_console.core.camera_state import CameraState
from csu_console.media.probe.prober import CameraProber
from csu_console.media.stream_server.control import RtspServerProcess, StreamMount
from csu_console.media.video.source import SourceStatus, StreamState
from csu_console.storage.logbook import NewEvent
from csu_console.ui.console.camera_list import CameraListDialog
from csu_console.ui.console.camera_watch import CameraWatch
from csu_console.ui.map import CameraHealth, MapPane

pytestmark = pytest.mark.expected_logs("csu.prober")  # cameras down: warnings

#: Short intervals: the real ones are 30 s and 300 s.
FAST = ProberConfig(probe_every_s=0.5, decode_every_s=4.0, timeout_s=3.0, workers=4)


def _marker_is_red(pane: MapPane, camera_id: str) -> bool:
    image = pane.view.grab().toImage()
    at = pane.view.map_scene_to_viewport(pane.overlays.camera_item(camera_id).pos)
    colour = QColor(image.pixel(int(at.x()), int(at.y()) + 4))
    return colour.red() > 150 and colour.green() < 80 and colour.blue() < 80


@pytest.fixture
def site_cameras(
    demo_site: SiteConfig, make_rtsp_server: Callable[..., RtspServerProcess]
) -> tuple[list[Camera], RtspServerProcess]:
    """Four demo cameras on test streams: live, frozen, black on one server, and one
    alone on a second server (killed to cut that camera)."""
    main = make_rtsp_server(
        [
            StreamMount("live", "LIVE"),
            StreamMount("frozen", "FROZEN", pattern="frozen"),
            StreamMount("black", "BLACK", pattern="black"),
        ]
    )
    lone = make_rtsp_server([StreamMount("lone", "LONE")])
    urls = [main.url("live"), main.url("frozen"), main.url("black"), lone.url("lone")]
    cams = [
        dataclasses.replace(c, stream_main=u, stream_sub=None)
        for c, u in zip(demo_site.cameras[:4], urls, strict=True)
    ]
    return cams, lone


@pytest.fixture
def watch_parts(
    qtbot: QtBot, pane: MapPane, site_cameras: tuple[list[Camera], RtspServerProcess]
) -> Iterator[tuple[CameraWatch, list[Alert], list[NewEvent]]]:
    cams, _ = site_cameras
    alerts: list[Alert] = []
    events: list[NewEvent] = []
    watch = CameraWatch(
        cams, FAST, 2.0, "poste-1", alerts.append, events.extend, pane.overlays, pane
    )
    watch.prober = CameraProber(cams, watch.book, FAST, decoders=2, window_s=2.0)
    watch.start()
    yield watch, alerts, events
    watch.stop()


def test_a_camera_killed_unwatched_raises_the_alert_and_turns_red(
    qtbot: QtBot,
    pane: MapPane,
    site_cameras: tuple[list[Camera], RtspServerProcess],
    watch_parts: tuple[CameraWatch, list[Alert], list[NewEvent]],
) -> None:
    cams, lone_server = site_cameras
    watch, alerts, events = watch_parts
    live, frozen, black, lone = cams
    state = lambda c: watch.book.status(c.id).state  # noqa: E731

    qtbot.waitUntil(lambda: state(lone) is CameraState.OK, timeout=40000)
    qtbot.waitUntil(lambda: state(live) is CameraState.OK, timeout=40000)
    qtbot.waitUntil(
        lambda: pane.overlays.camera_item(lone.id).health is CameraHealth.OK, timeout=3000
    )

    # the frozen picture and the covered lens are caught by the decode
    qtbot.waitUntil(lambda: state(frozen) is CameraState.FROZEN, timeout=40000)
    qtbot.waitUntil(lambda: state(black) is CameraState.BLACK, timeout=40000)
    qtbot.waitUntil(
        lambda: pane.overlays.camera_item(frozen.id).health is CameraHealth.DEGRADED, timeout=3000
    )
    qtbot.waitUntil(
        lambda: pane.overlays.camera_item(black.id).health is CameraHealth.DEGRADED, timeout=3000
    )
    qtbot.waitUntil(  # both past offline_after_s
        lambda: {frozen.id, black.id} <= {a.extra["camera_id"] for a in alerts}, timeout=10000
    )
    raised = {a.extra["camera_id"]: a for a in alerts}
    assert "image figée" in raised[frozen.id].description

    # nobody watches the lone camera: it is cut, the prober sees it
    lone_server.kill()
    qtbot.waitUntil(lambda: state(lone) is CameraState.OFFLINE, timeout=10000)
    qtbot.waitUntil(
        lambda: pane.overlays.camera_item(lone.id).health is CameraHealth.OFFLINE, timeout=3000
    )
    # red in the map's pixels too (the plain icons are painted into the basemap image)
    qtbot.waitUntil(lambda: _marker_is_red(pane, lone.id), timeout=5000)
    qtbot.waitUntil(lambda: lone.id in {a.extra["camera_id"] for a in alerts}, timeout=10000)
    alert = next(a for a in alerts if a.extra["camera_id"] == lone.id)
    assert alert.priority == 4 and alert.category_raw == "camera_hors_service"
    assert alert.title == f"Caméra hors service : {lone.name}"
    assert watch.book.status(lone.id).since is not None

    # it comes back: green again, and the end of the outage is logged
    lone_server.restart()
    qtbot.waitUntil(lambda: state(lone) is CameraState.OK, timeout=40000)
    qtbot.waitUntil(
        lambda: (
            ("camera_online", lone.id)
            in [(e.kind, (e.details or {}).get("camera_id")) for e in events]
        ),
        timeout=3000,
    )


def test_the_camera_list_shows_states_sorted_down_first(
    qtbot: QtBot,
    pane: MapPane,
    site_cameras: tuple[list[Camera], RtspServerProcess],
    watch_parts: tuple[CameraWatch, list[Alert], list[NewEvent]],
    demo_site: SiteConfig,
) -> None:
    from zoneinfo import ZoneInfo

    cams, lone_server = site_cameras
    watch, _, _ = watch_parts
    lone_server.kill()
    dialog = CameraListDialog(watch, demo_site.zones, ZoneInfo("Europe/Paris"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.proxy.index(0, 1).data() == "hors service", timeout=15000)
    assert dialog.proxy.index(0, 0).data() == cams[3].name
    assert dialog.proxy.index(0, 2).data() != "—"  # depuis
    assert "1 hors service" in dialog.summary.text()
    assert dialog.width() <= 1920
    # Every column in sight (the zone and commune were off to the right at 1366×768).
    qtbot.waitUntil(lambda: dialog.table.horizontalScrollBar().maximum() == 0, timeout=3000)
    # Every camera checked says how it is known (the prober's verdict, or the wall's).
    rows = range(dialog.proxy.rowCount())
    qtbot.waitUntil(lambda: all(dialog.proxy.index(r, 4).data() for r in rows), timeout=15000)
    playing = SourceStatus(StreamState.PLAYING, time.monotonic())
    watch.on_source_status(SimpleNamespace(url=cams[0].stream_main), playing)  # type: ignore[arg-type]
    row = next(r for r in rows if dialog.proxy.index(r, 0).data() == cams[0].name)
    qtbot.waitUntil(
        lambda: dialog.proxy.index(row, 4).data() == "image reçue sur le mur", timeout=5000
    )
    requested: list[str] = []
    dialog.camera_requested.connect(requested.append)
    dialog.table.doubleClicked.emit(dialog.proxy.index(0, 1))
    assert requested == [cams[3].id]
