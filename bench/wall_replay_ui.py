"""Time from « Relecture » on a tile to the first recorded picture PAINTED on it, and
from « Relecture du mur » to a picture painted on every tile: the GUI path (the
wall's controller, the replay engine, the video bridge, the tile's paint), offscreen.

    .venv/bin/python bench/wall_replay_ui.py [--runs 30] [--minutes 3] [--dir DIR]

Makes ``--minutes`` of three cameras faster than real time (``make_recording``,
one-minute segments, 640×360 and one 1280×720; ``--dir`` keeps them), then
``--runs`` times: an alert reported at a random instant T, selected (its cameras
fill a 2×2 wall; their live streams are stand-ins that decode nothing), « Relecture »
on one tile (the controller's slot, as the button calls it), the Qt event loop run
until that tile has painted a picture filmed within 1 s of T − 60 s, then « Direct ».
The same for « Relecture du mur » until every tile has. Prints p50/p99/max; last
line ``name=value`` pairs (goal of the issue, engine and GUI together: p50 ≤ 0.3 s,
p99 ≤ 0.6 s for a tile).
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from csu_console.config import Camera
from csu_console.core.alerts import Alert, Category, Location
from csu_console.core.geo import destination_point
from csu_console.core.protocol import AlertMessage
from csu_console.media.replay.source import ReplayFeeds
from csu_console.media.stream_server.recordings import make_recording
from csu_console.media.video.pool import StreamPool
from csu_console.media.video.source import (
    CameraSource,
    HealthSettings,
    SourceListener,
    SourceStatus,
    StreamState,
)
from csu_console.recorder.index import INDEX_FILE, RecordingIndex
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.wall.controller import WallController, WallSettings
from csu_console.ui.wall.tile import CameraTile
from csu_console.ui.wall.video_bridge import VideoBridge
from csu_console.ui.wall.wall import CameraWall

ORIGIN = (4.3601, 43.8367)
CAMERAS = {"cam-01": (1280, 720), "cam-02": (640, 360), "cam-03": (640, 360)}
BEFORE_S = 60.0


class StandIn(CameraSource):
    """A live stream that decodes nothing (the bench times the replay only)."""

    backend = "stand-in"

    def __init__(self, url: str, listener: SourceListener, health: HealthSettings) -> None:
        super().__init__(url, listener, health)
        self._status = SourceStatus(StreamState.CONNECTING, time.monotonic())

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    @property
    def status(self) -> SourceStatus:
        return self._status


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def record(root: Path, minutes: int) -> datetime:
    stamp = root / "origin.txt"
    if (root / INDEX_FILE).is_file() and stamp.is_file():
        return datetime.fromtimestamp(float(stamp.read_text()), UTC)
    origin = (datetime.now(UTC) - timedelta(minutes=minutes + 5)).replace(microsecond=0)
    index = RecordingIndex(root)
    try:
        for camera, (width, height) in CAMERAS.items():
            t0 = time.monotonic()
            make_recording(
                root, camera, origin, minutes * 60, width=width, height=height, index=index
            )
            print(f"{camera} : {minutes} min en {width}×{height} faites en "
                  f"{time.monotonic() - t0:.1f} s")  # fmt: skip
    finally:
        index.close()
    stamp.write_text(f"{origin.timestamp():.3f}")
    return origin


def camera(n: int, camera_id: str) -> Camera:
    lon, lat = destination_point(ORIGIN[0], ORIGIN[1], 180.0, 40.0 + 10 * n)
    return Camera(camera_id, f"Caméra {n}", "fixe", lon, lat, 0.0, 60.0, 150.0, f"rtsp://x/{n}")


def pump_until(app: QApplication, done: object, timeout_s: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        if callable(done) and done():
            return True
    return False


def painted_near(tile: CameraTile, target: float, painted_before: int) -> bool:
    at = tile.filmed_at()
    return (
        tile.replaying
        and at is not None
        and abs(at - target) <= 1.0
        and tile.frames_painted > painted_before
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--minutes", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None, help="garder les enregistrements ici")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    root = args.dir or Path(tempfile.mkdtemp(prefix="csu-wall-replay-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    origin = record(root, args.minutes)

    app = QApplication(sys.argv[:1])
    cameras = [camera(i + 1, cid) for i, cid in enumerate(CAMERAS)]
    bridge = VideoBridge()
    pool = StreamPool(StandIn, bridge, HealthSettings(), grace_s=5.0)
    wall = CameraWall(pool, bridge, ZoneInfo("Europe/Paris"), columns=2)
    wall.resize(1100, 820)
    wall.show()
    writer = StorageWriter(Path(tempfile.mkdtemp(prefix="csu-wall-replay-db-")) / "csu.sqlite3")
    writer.start()
    settings = WallSettings(evidence_dir=root / "evidence", replay_before_s=BEFORE_S)
    ctl = WallController(
        wall, pool, bridge, cameras, [], DbTasks(writer), "bench", settings, lambda _a: None,
        wall, feeds=ReplayFeeds(root),
    )  # fmt: skip
    ctl.operator = "bench"
    rng = random.Random(args.seed)
    tile_s: list[float] = []
    wall_s: list[float] = []
    try:
        for run in range(args.runs * 3 // 2):
            whole = run >= args.runs
            reported = origin + timedelta(seconds=rng.uniform(BEFORE_S + 1, args.minutes * 60 - 5))
            alert = Alert("bench", f"b{run}", reported, Category.CAMBRIOLAGE, 2,
                          location=Location(ORIGIN[1], ORIGIN[0], "banc d'essai"))  # fmt: skip
            # stored for real: the replay's record names it (main courante)
            [outcome] = writer.submit(
                lambda s, a=alert: s.commit_batch([AlertMessage(None, a)], "bench")
            ).result(timeout=10)
            assert outcome.stored is not None
            ctl.on_alert_selected(outcome.stored)
            pump_until(app, lambda: False, 0.05)
            target = (reported - timedelta(seconds=BEFORE_S)).timestamp()
            if whole:
                before = {id(t): t.frames_painted for t in wall.visible_tiles()}
                t0 = time.monotonic()
                ctl.on_wall_replay_requested()
                ok = pump_until(
                    app,
                    lambda target=target, before=before: all(
                        painted_near(t, target, before[id(t)])
                        for t in wall.visible_tiles()
                        if t.camera is not None
                    ),
                )
                wall_s.append(time.monotonic() - t0 if ok else 10.0)
            else:
                cam = cameras[run % len(cameras)]
                alone = wall.tiles[0]  # where the camera is shown alone
                painted = alone.frames_painted
                t0 = time.monotonic()
                ctl.on_replay_requested(cam.id)
                ok = pump_until(app, lambda a=alone, t=target, n=painted: painted_near(a, t, n))
                tile_s.append(time.monotonic() - t0 if ok else 10.0)
            if not ok:
                print(f"essai {run} : pas d'image peinte en 10 s")
            ctl.back_to_live()
    finally:
        ctl.stop()
        writer.close()
    for name, values in (("tuile", tile_s), ("mur", wall_s)):
        print(
            f"{name} : {len(values)} essais, p50 {percentile(values, 50):.3f} s,"
            f" p99 {percentile(values, 99):.3f} s, max {max(values):.3f} s"
        )
    print(
        f"wall_replay_tile_p50_s={percentile(tile_s, 50):.3f}"
        f" wall_replay_tile_p99_s={percentile(tile_s, 99):.3f}"
        f" wall_replay_wall_p50_s={percentile(wall_s, 50):.3f}"
        f" wall_replay_wall_p99_s={percentile(wall_s, 99):.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
