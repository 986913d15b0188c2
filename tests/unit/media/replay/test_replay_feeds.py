"""Which feed replays a camera, and what a local feed reads of a recorder folder:
the index's coverage, pictures from the keyframe before an instant, gaps, and
segments it could not read (French messages for what is missing)."""

from __future__ import annotations

import itertools
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from support import RecordedSite

from csu_console.config import Camera
from csu_console.core.recording import Gap, GapReason
from csu_console.media.replay.local import LocalFeed
from csu_console.media.replay.source import RecordedFrame, ReplayError, ReplayFeeds
from csu_console.media.stream_server.timecode import read_timecode
from csu_console.recorder.index import RecordingIndex


def _camera(camera_id: str = "cam-01", replay_url: str | None = None) -> Camera:
    return Camera(
        camera_id,
        "Caméra",
        "fixe",
        4.36,
        43.84,
        90.0,
        60.0,
        50.0,
        "rtsp://h/x",
        replay_url=replay_url,
    )


def _at(site: RecordedSite, seconds: float) -> datetime:
    return site.origin + timedelta(seconds=seconds)


def test_a_missing_folder_is_said_in_french(tmp_path: Path) -> None:
    feeds = ReplayFeeds(tmp_path / "absent")
    with pytest.raises(ReplayError, match=r"aucun enregistrement : dossier .*absent introuvable"):
        feeds.feed(_camera())
    with pytest.raises(ReplayError, match="pas de dossier d'enregistrement configuré"):
        ReplayFeeds(None).feed(_camera())
    with pytest.raises(ReplayError, match="pas d'index"):
        ReplayFeeds(tmp_path).feed(_camera())


def test_local_feeds_share_one_index_and_are_kept(recorded_site: RecordedSite) -> None:
    feeds = ReplayFeeds(recorded_site.root)
    try:
        a, b = feeds.feed(_camera("cam-01")), feeds.feed(_camera("cam-02"))
        assert isinstance(a, LocalFeed) and isinstance(b, LocalFeed)
        assert a.index is b.index and feeds.feed(_camera("cam-01")) is a
        cov = feeds.coverage(_camera("cam-02"), _at(recorded_site, -5), _at(recorded_site, 70))
        assert len(cov.spans) == 1 and [g.reason for g in cov.gaps] == [GapReason.NONE] * 2
        assert abs(cov.spans[0].start.timestamp() - recorded_site.origin.timestamp()) < 0.05
    finally:
        feeds.close()


def test_an_nvr_camera_replays_from_its_nvr_and_the_others_from_the_recorder(
    recorded_site: RecordedSite,
) -> None:
    from csu_console.media.replay.local import LocalFeed
    from csu_console.media.replay.nvr import NvrFeed

    feeds = ReplayFeeds(recorded_site.root)
    try:
        nvr = feeds.feed(_camera(replay_url="rtsp://nvr/replay?starttime={start}"))
        assert isinstance(nvr, NvrFeed)
        assert isinstance(feeds.feed(_camera()), LocalFeed)
        with pytest.raises(ReplayError, match="Relecture de"):
            feeds.feed(_camera("cam-09", replay_url="rtsp://nvr/replay?starttime={debut}"))
    finally:
        feeds.close()


def test_local_frames_start_at_the_keyframe_and_say_when_they_were_filmed(
    recorded_site: RecordedSite,
) -> None:
    index = RecordingIndex(recorded_site.root, create=False)
    try:
        feed = LocalFeed("cam-03", index)
        frames = feed.open(_at(recorded_site, 33.5))
        items = []
        for item in frames:
            items.append(item)
            if len(items) == 40:
                break
        frames.close()
    finally:
        index.close()
    pictures = [i for i in items if isinstance(i, RecordedFrame)]
    assert len(pictures) == 40
    first = pictures[0].at - recorded_site.origin.timestamp()
    assert 32.0 <= first <= 33.5  # the keyframe at or before (one a second here)
    steps = [b.at - a.at for a, b in itertools.pairwise(pictures)]
    assert all(abs(s - 0.04) < 0.002 for s in steps)
    assert pictures[0].key and not any(p.key for p in pictures[1:25]) and pictures[25].key
    image = pictures[0].image
    assert image.shape == (360, 640, 3) and image.flags.c_contiguous
    code = read_timecode(image)
    assert code is not None
    assert abs(code.unix(recorded_site.origin.timestamp()) - pictures[0].at) < 0.05


@pytest.mark.expected_logs("csu.replay")
def test_an_unreadable_segment_is_a_gap_and_shows_on_the_timeline(
    recorded_site: RecordedSite, tmp_path: Path
) -> None:
    root = tmp_path / "site"
    shutil.copytree(recorded_site.root, root)
    index = RecordingIndex(root, create=False)
    try:
        feed = LocalFeed("cam-01", index)
        bad = index.segments("cam-01", _at(recorded_site, 11), _at(recorded_site, 12))[0]
        bad.path.write_bytes(b"not a matroska file" * 100)
        gaps: list[Gap] = []
        after: list[RecordedFrame] = []
        frames = feed.open(_at(recorded_site, 5))
        for item in frames:
            if isinstance(item, Gap):
                gaps.append(item)
            elif item.at >= bad.end.timestamp():
                after.append(item)
                break
        frames.close()
        assert gaps == [Gap(bad.start, bad.end, GapReason.CORRUPT)]
        assert after and after[0].at - bad.end.timestamp() < 0.05
        cov = feed.coverage(_at(recorded_site, 0), _at(recorded_site, 60))
        assert [(g.start, g.end, g.reason) for g in cov.gaps] == [
            (bad.start, bad.end, GapReason.CORRUPT)
        ]
        # Opened again: skipped at once, nothing logged twice.
        again = feed.open(_at(recorded_site, 12))
        assert isinstance(next(iter(again)), Gap)
        again.close()
    finally:
        index.close()
