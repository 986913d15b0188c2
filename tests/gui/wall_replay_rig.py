"""The rig of the wall's replay tests: a copy of the session's recorded site
(QR-timecoded Matroska segments indexed as csu-recorder files them), the real
replay engine (PyAV), the real wall offscreen with live streams from the session's
GStreamer RTSP server, and the real storage thread for the main courante."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from csu_console.config import Camera
from csu_console.core.alerts import Alert, Category, Location, StoredAlert
from csu_console.core.geo import destination_point
from csu_console.core.protocol import AlertMessage
from csu_console.media.replay.source import ReplayFeeds
from csu_console.media.stream_server.control import RtspServerProcess
from csu_console.media.video.backend import create_source
from csu_console.media.video.pool import StreamPool
from csu_console.media.video.source import HealthSettings
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.wall.controller import WallController, WallSettings
from csu_console.ui.wall.tile import CameraTile
from csu_console.ui.wall.video_bridge import VideoBridge
from csu_console.ui.wall.wall import CameraWall

TZ = ZoneInfo("Europe/Paris")
ORIGIN = (24.9450, 60.1680)
BEFORE_S = 20.0


def replay_camera(n: int, url: str) -> Camera:
    lon, lat = destination_point(ORIGIN[0], ORIGIN[1], 180.0, 40.0 + 10 * n)
    return Camera(
        id=f"cam-0{n}",
        name=f"Caméra {n}",
        kind="fixe",
        lon=lon,
        lat=lat,
        heading_deg=0.0,
        fov_deg=60.0,
        range_m=150.0,
        stream_main=url,
    )


class Rig:
    """The wall, its controller and what they read and write."""

    def __init__(
        self,
        wall: CameraWall,
        ctl: WallController,
        cameras: list[Camera],
        site: Any,
        writer: StorageWriter,
        root: Path,
    ) -> None:
        self.wall, self.ctl, self.cameras, self.site = wall, ctl, cameras, site
        self.writer, self.root = writer, root

    def alert(self, reported: datetime, pk_hint: int = 1) -> StoredAlert:
        alert = Alert(
            source="vvs",
            id=f"rep{pk_hint}",
            sent=reported,
            category=Category.CAMBRIOLAGE,
            priority=2,
            title="Cambriolage signalé après coup",
            location=Location(lat=ORIGIN[1], lon=ORIGIN[0], address="1 rue de l'Essai"),
        )
        [outcome] = self.writer.submit(
            lambda s: s.commit_batch([AlertMessage(pk_hint, alert)], "p1")
        ).result(timeout=10)
        assert outcome.stored is not None
        return outcome.stored

    def viewed(self) -> list[tuple[int | None, str | None, dict[str, Any]]]:
        db = sqlite3.connect(self.writer.path)
        try:
            rows = db.execute(
                "SELECT alert_pk, operator, details FROM events"
                " WHERE kind = 'recording_viewed' ORDER BY pk"
            ).fetchall()
        finally:
            db.close()
        return [(pk, op, json.loads(d)) for pk, op, d in rows]

    def tile_of(self, camera_id: str) -> CameraTile:
        return next(t for t in self.wall.visible_tiles() if t.camera and t.camera.id == camera_id)


@pytest.fixture
def rig(
    qtbot: Any,
    tmp_path: Path,
    recorded_site: Any,
    rtsp_server: RtspServerProcess,
    writer: StorageWriter,
) -> Iterator[Rig]:
    root = tmp_path / "recordings"
    shutil.copytree(recorded_site.root, root)
    cameras = [replay_camera(n, rtsp_server.url(f"cam0{n}")) for n in (1, 2, 3)]
    bridge = VideoBridge()
    pool = StreamPool(create_source, bridge, HealthSettings(), grace_s=5.0)
    wall = CameraWall(pool, bridge, TZ, columns=2)
    qtbot.addWidget(wall)
    wall.resize(1100, 820)
    wall.show()
    feeds = ReplayFeeds(root)
    ctl = WallController(
        wall,
        pool,
        bridge,
        cameras,
        [],
        DbTasks(writer),
        "poste-1",
        WallSettings(evidence_dir=tmp_path / "evidence", replay_before_s=BEFORE_S),
        lambda _a: None,
        wall,
        feeds=feeds,
    )
    ctl.operator = "op1"
    yield Rig(wall, ctl, cameras, recorded_site, writer, root)
    ctl.stop()


def wait_filmed(qtbot: Any, tile: CameraTile, near: datetime, within: float = 1.0) -> float:
    """Wait for a picture filmed within ``within`` s of ``near``; its time."""

    def close() -> bool:
        at = tile.filmed_at()
        return at is not None and abs(at - near.timestamp()) <= within

    qtbot.waitUntil(close, timeout=10000)
    at = tile.filmed_at()
    assert at is not None
    return at
