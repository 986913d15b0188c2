"""Shared fixtures: offscreen Qt, ALSA's default sound device captured to WAV files,
a real simulator process, a real database, and a guard that fails a test on any
unexpected WARNING from the console's loggers."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from support import CONFIG_DIR, route_alsa_to_files

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
