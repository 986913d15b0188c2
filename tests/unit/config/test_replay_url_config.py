"""A camera's NVR replay URL (``replay_url`` in cameras.geojson): a template with
``{start…}``, checked when the site is loaded, its credentials kept like the
streams' (never in the file, put in only to open it)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from csu_console.config import check_site, default_config_dir
from csu_console.config.secrets import (
    Credentials,
    camera_with_credentials,
    extract_credentials,
    split_credentials,
)
from csu_console.media.replay.nvr import NvrFeed, replay_url

HIKVISION = "rtsp://10.0.0.9:554/Streaming/tracks/101?starttime={start:%Y%m%dT%H%M%SZ}"


def _site_with(tmp_path: Path, value: object) -> Path:
    target = tmp_path / "config"
    shutil.copytree(default_config_dir(), target)
    path = target / "cameras.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"][0]["properties"]["replay_url"] = value
    path.write_text(json.dumps(data), encoding="utf-8")
    return target


def test_replay_url_with_its_start_time_is_accepted(tmp_path: Path) -> None:
    site, problems = check_site(_site_with(tmp_path, HIKVISION))
    assert problems == [] and site is not None
    assert site.cameras[0].replay_url == HIKVISION


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("rtsp://10.0.0.9/Streaming/tracks/101", "{start:…} attendue"),
        ("rtsp://10.0.0.9/x?starttime={debut}", "paramètre inconnu {debut}"),
        ("rtsp://10.0.0.9/x?starttime={start", "accolades mal formées"),
        ("rtsp://10.0.0.9/x?starttime={start:YYYYMMDD}", "format d'heure strftime"),
        ("http://10.0.0.9/x?starttime={start}", "URL rtsp://"),
        ("rtsp:///x?starttime={start}", "URL rtsp://"),
        (12, "{start:…} attendue"),
    ],
)
def test_replay_url_without_a_usable_start_time_is_refused_in_french(
    tmp_path: Path, value: object, fragment: str
) -> None:
    _site, problems = check_site(_site_with(tmp_path, value))
    assert len(problems) == 1, problems
    assert problems[0].field == "replay_url"
    assert fragment in str(problems[0])


def test_template_forms() -> None:
    at = datetime(2026, 12, 4, 10, 15, 0, 600_000, tzinfo=UTC)
    assert replay_url(HIKVISION, at).endswith("starttime=20261204T101500Z")
    dahua = "rtsp://nvr/cam/playback?channel=1&starttime={start:%Y_%m_%d_%H_%M_%S}"
    assert replay_url(dahua, at).endswith("channel=1&starttime=2026_12_04_10_15_00")
    assert replay_url("rtsp://nvr/x?t={start}", at) == "rtsp://nvr/x?t=20261204T101500Z"
    paris = datetime(2026, 12, 4, 11, 15, tzinfo=UTC).astimezone()
    assert replay_url("rtsp://nvr/x?t={start}", paris) == "rtsp://nvr/x?t=20261204T111500Z"
    with pytest.raises(ValueError, match="start"):
        NvrFeed("cam-01", "rtsp://nvr/x")
    with pytest.raises(ValueError, match="fuseau"):
        replay_url(HIKVISION, datetime(2026, 12, 4, 10, 15))


def test_replay_url_credentials_are_kept_like_the_streams() -> None:
    site, _problems = check_site(default_config_dir())
    assert site is not None
    cam = site.cameras[0]
    cam = cam.__class__(**{**cam.__dict__, "replay_url": HIKVISION})
    creds = Credentials("admin", "p@ss{x}")
    opened = camera_with_credentials(cam, creds)
    assert opened.replay_url is not None
    assert split_credentials(opened.replay_url) == (HIKVISION, creds)
    # the braces of the password are percent-encoded: the template still formats
    url = replay_url(opened.replay_url, datetime(2026, 12, 4, 10, 15, tzinfo=UTC))
    assert url.startswith("rtsp://admin:p%40ss%7Bx%7D@10.0.0.9:554/") and "T101500Z" in url
    clean, found = extract_credentials([opened])
    assert clean == [cam] and found == {cam.id: creds}
    # typed in the replay URL only: kept for the camera, taken out of the file
    typed = cam.__class__(**{**cam.__dict__, "replay_url": HIKVISION.replace("//", "//nvr:pw@")})
    clean, found = extract_credentials([typed])
    assert clean[0].replay_url == HIKVISION and found[cam.id] == Credentials("nvr", "pw")
    assert "pw" not in repr(NvrFeed(cam.id, typed.replay_url or ""))


def test_coverage_is_unknown_so_assumed_recorded() -> None:
    feed = NvrFeed("cam-01", HIKVISION)
    a, b = datetime(2026, 12, 4, 10, tzinfo=UTC), datetime(2026, 12, 4, 11, tzinfo=UTC)
    coverage = feed.coverage(a, b)
    assert coverage.camera_id == "cam-01" and coverage.gaps == ()
    assert [(s.start, s.end) for s in coverage.spans] == [(a, b)]
    assert feed.coverage(b, a).spans == ()
