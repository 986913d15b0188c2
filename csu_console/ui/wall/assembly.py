"""The camera wall's parts built from the site's ``[video]`` settings: the frame
bridge, the stream pool over the chosen decoders, the wall widget, and where the
recordings are replayed from (``[recorder]``'s folder, cameras' NVR replay URLs)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import cast
from zoneinfo import ZoneInfo

from csu_console.config import SiteConfig
from csu_console.media.replay.source import ReplayFeeds
from csu_console.media.video.backend import Preference, create_source, preload
from csu_console.media.video.pool import StreamPool
from csu_console.media.video.source import HealthSettings
from csu_console.ui.wall.controller import WallSettings
from csu_console.ui.wall.video_bridge import VideoBridge
from csu_console.ui.wall.wall import CameraWall


@dataclass
class VideoParts:
    """What the console keeps of the wall (the controller is wired by the console)."""

    settings: WallSettings
    bridge: VideoBridge
    pool: StreamPool
    wall: CameraWall
    backend: Preference  # the site's decoder choice (the setup screen's probe uses it)
    feeds: ReplayFeeds | None = None  # the recordings « Relecture » reads (None: none)


log = logging.getLogger("csu.replay")


def build_feeds(site: SiteConfig, data_dir: Path) -> ReplayFeeds | None:
    """Where each camera's recordings are: the recorder's folder (it may not exist
    yet: the recorder makes it; an empty folder is all gaps), or its NVR."""
    folder = site.recorder.folder(data_dir)
    try:
        return ReplayFeeds(folder)
    except Exception as exc:  # noqa: BLE001 - never keep the console from starting: live still works
        log.error("relecture indisponible (%s) : %s", folder, exc)
        return None


def build_video(site: SiteConfig, data_dir: Path, tz: ZoneInfo) -> VideoParts:
    """The wall, its pool and bridge; the decoders the cameras need imported now
    (imported on the first alert, they cost the GUI thread tens of milliseconds)."""
    video = site.video
    settings = WallSettings(
        columns=video.columns,
        prewarm_count=video.prewarm_count,
        prewarm_hold_s=video.prewarm_hold_s,
        grace_s=video.grace_s,
        offline_after_s=video.offline_after_s,
        evidence_dir=video.evidence_dir or data_dir / "evidence",
        state_file=data_dir / "wall-state.json",
        replay_before_s=video.replay_before_s,
    )
    bridge = VideoBridge()
    health = HealthSettings(
        open_timeout_s=video.open_timeout_s,
        read_timeout_s=video.open_timeout_s,
        freeze_after_s=video.freeze_after_s,
    )
    backend = cast(Preference, video.backend)
    preload((u for c in site.cameras for u in (c.stream_main, c.stream_sub) if u), backend)
    pool = StreamPool(
        lambda url, listener, h: create_source(url, listener, h, backend),
        bridge,
        health,
        grace_s=settings.grace_s,
    )
    wall = CameraWall(pool, bridge, tz, columns=settings.columns)
    return VideoParts(settings, bridge, pool, wall, backend, build_feeds(site, data_dir))
