"""Shared fixtures: offscreen Qt, ALSA's default sound device captured to WAV files,
a real simulator process, a real database, real camera streams (RTSP and UDP), and
a guard that fails a test on any unexpected WARNING from the console's loggers."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pg_support import PgCluster, start_cluster
from support import CONFIG_DIR, NvrSite, RecordedSite, route_alsa_to_files

from csu_console.media.stream_server.control import RtspServerProcess, StreamMount
from csu_console.media.stream_server.recordings import make_recording
from csu_console.media.stream_server.udp import UdpTestStream
from csu_console.sim.control import SimProcess
from csu_console.storage.writer import StorageWriter

# Before anything opens a sound device (none of the imports above does): ALSA reads
# its configuration only once per process. Every console of the session then
# really plays its tones, into files.
ALSA_CAPTURE = route_alsa_to_files()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "expected_logs(*prefixes): logger-name prefixes allowed to log WARNING or worse",
    )


@pytest.fixture(autouse=True)
def _fail_on_unexpected_logs(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    caplog.set_level(logging.INFO, logger="csu")
    yield
    allowed: list[str] = []
    for marker in request.node.iter_markers("expected_logs"):
        allowed.extend(marker.args)
    bad = [
        r
        for r in caplog.get_records("call")
        if r.levelno >= logging.WARNING
        and r.name.startswith("csu")
        and not any(r.name.startswith(p) for p in allowed)
    ]
    if bad:
        lines = "\n".join(f"{r.levelname} {r.name}: {r.getMessage()}" for r in bad[:10])
        pytest.fail(f"journal inattendu (WARNING ou plus) :\n{lines}")


@pytest.fixture(scope="session")
def alsa_capture() -> Path:
    """The first WAV file ALSA's default device writes to (see ``route_alsa_to_files``)."""
    if ALSA_CAPTURE is None:
        pytest.skip("ALSA absente, ou ALSA_CONFIG_PATH choisi par l'environnement")
    return ALSA_CAPTURE


@pytest.fixture
def config_dir() -> Path:
    """The demo site."""
    return CONFIG_DIR


@pytest.fixture
def sim(tmp_path: Path) -> Iterator[SimProcess]:
    """A real ``csu-sim`` process on 127.0.0.1 (random port), stopped after the test."""
    proc = SimProcess(
        CONFIG_DIR,
        state=tmp_path / "sim-state.sqlite3",
        extra_args=["--seed", "7", "--resend-after", "2"],
    )
    proc.start()
    yield proc
    proc.close()


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[StorageWriter]:
    """The storage thread on a fresh database file."""
    w = StorageWriter(tmp_path / "data" / "csu.sqlite3")
    w.start()
    yield w
    w.close()


# Mounts of the session's RTSP server: a 640x360 stream per camera, one 720p stream.
RTSP_TEST_MOUNTS = [
    *(StreamMount(f"cam0{i}", f"CAM-0{i} Test") for i in range(1, 5)),
    StreamMount("cam01_hd", "CAM-01 Test HD", 1280, 720),
]


@pytest.fixture(scope="session")
def rtsp_server() -> Iterator[RtspServerProcess]:
    """One real RTSP server for the whole session, on a free port of 127.0.0.1.

    Mounts ``cam01``..``cam04`` (640x360) and ``cam01_hd`` (1280x720), 25 fps, a
    keyframe a second; ``rtsp_server.url("cam02")`` gives the address. Shared by
    every test: never kill, stop or restart it (use ``make_rtsp_server``). Each
    client gets its own pipeline, so tests do not see each other's clients.
    """
    server = RtspServerProcess(RTSP_TEST_MOUNTS)
    server.start()
    yield server
    server.close()


@pytest.fixture
def make_rtsp_server() -> Iterator[Callable[..., RtspServerProcess]]:
    """``make_rtsp_server(mounts, port=0, auth=None, timecode=False)``: a private,
    started RTSP server that the test may kill and restart (camera drop), closed
    after the test; ``timecode``: QR timecodes (``stream_server.timecode``)."""
    servers: list[RtspServerProcess] = []

    def make(
        mounts: list[StreamMount],
        port: int = 0,
        auth: tuple[str, str] | None = None,
        timecode: bool = False,
    ) -> RtspServerProcess:
        server = RtspServerProcess(mounts, port=port, auth=auth, timecode=timecode)
        servers.append(server)
        return server.start()

    yield make
    for server in servers:
        server.close()


@pytest.fixture(scope="session")
def recorded_site(tmp_path_factory: pytest.TempPathFactory) -> RecordedSite:
    """60 s of ``cam-01``..``cam-03`` in 10-s Matroska segments, indexed in a
    recorder folder as ``csu-recorder`` files them, starting 15 minutes ago (whole
    second); each frame carries a QR timecode of the time it stands for (frame
    time = ``origin`` + its timestamp). Made faster than real time
    (``stream_server.recordings``), shared by the session: never write into it."""
    root = tmp_path_factory.mktemp("recorded-site")
    origin = (datetime.now(UTC) - timedelta(minutes=15)).replace(microsecond=0)
    cameras = ("cam-01", "cam-02", "cam-03")
    for camera in cameras:
        make_recording(root, camera, origin, 60, segment_s=10)
    return RecordedSite(root, origin, 60, 10, cameras)


@pytest.fixture
def udp_stream() -> Iterator[UdpTestStream]:
    """ffmpeg sending a 640x360 H.264 MPEG-TS stream to a free UDP port of 127.0.0.1
    (``url``: ``udp://@127.0.0.1:PORT`` for libVLC; ``ffmpeg_url`` for OpenCV)."""
    stream = UdpTestStream("UDP Test")
    stream.start()
    yield stream
    stream.close()


@pytest.fixture(scope="session")
def demo_streams() -> Iterator[RtspServerProcess]:
    """The demo site's camera streams on a free port (pass ``stream_port=port`` in
    ``RunOptions``): consoles under test decode real pictures for their wall.
    Pipelines start on demand, so an idle server costs nothing."""
    from csu_console.config import check_site
    from csu_console.media.stream_server.control import mounts_for_cameras

    site, _problems = check_site(CONFIG_DIR)
    assert site is not None
    server = RtspServerProcess(mounts_for_cameras(site.cameras))
    server.start()
    yield server
    server.close()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """A throwaway PostgreSQL cluster for the session (see ``tests/pg_support.py``)."""
    cluster = start_cluster(Path(tempfile.mkdtemp(prefix="csu-pg-")))
    if isinstance(cluster, str):
        pytest.skip(cluster)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_dsn(pg_cluster: PgCluster, request: pytest.FixtureRequest) -> str:
    """A new empty database of the session's cluster, for one test."""
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:40]
    _PG_DBS.append(name)
    return pg_cluster.createdb(f"{name}_{len(_PG_DBS)}")


_PG_DBS: list[str] = []


@pytest.fixture(scope="session")
def nvr_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NvrSite]:
    """A real GStreamer RTSP server playing a 60-s recording as an NVR replays it
    (``--recording``: ``Range: npt=`` and ``?starttime=`` seeks), recorded 20 min
    ago in 20-s segments joined into one Matroska file. Shared: never stop it."""
    from csu_console.media.stream_server.control import RecordingMount, join_segments

    root = tmp_path_factory.mktemp("nvr")
    origin = (datetime.now(UTC) - timedelta(minutes=20)).replace(microsecond=0)
    segments = make_recording(root, "nvr-cam", origin, 60, segment_s=20)
    file = join_segments([s.path for s in segments], root / "track-101.mkv")
    t0 = origin.timestamp()
    recordings = [
        RecordingMount(NvrSite.mount, file, t0),
        RecordingMount(NvrSite.dahua, file, t0),
        RecordingMount(NvrSite.half, file, t0 + 0.5),
    ]
    server = RtspServerProcess([], recordings=recordings)
    server.start()
    yield NvrSite(server, file, origin, 60)
    server.close()
