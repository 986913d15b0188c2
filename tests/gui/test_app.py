"""The composition root: configuration problems shown at start, settings precedence,
a clean stop."""

from __future__ import annotations

import shutil
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from support import CONFIG_DIR

from csu_console.app import GUI_SWITCH_INTERVAL_S, Console
from csu_console.config import SiteConfig, check_site
from csu_console.config.test_points import TestPoint, ranked_ids, save_points
from csu_console.core.geo import destination_point
from csu_console.startup import RunOptions, link_settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def started_console(qtbot: Any, qapp: Any, config: Path, tmp_path: Path) -> Iterator[Console]:
    """A console on ``config`` (no gateway listening), started, its start-up
    problems dialog shown; stopped afterwards."""
    console = Console(
        qapp,
        RunOptions(config, tmp_path / "data", gateway=f"ws://127.0.0.1:{free_port()}/"),
    )
    qtbot.addWidget(console.window)
    try:
        console.start()
        qtbot.waitUntil(console.problems_dialog.isVisible, timeout=5000)
        yield console
    finally:
        console.stop()


@pytest.mark.expected_logs("csu.app", "csu.net")
def test_config_problems_are_listed_at_start_instead_of_dying(
    qtbot: Any, qapp: Any, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config)
    text = (config / "site.toml").read_text(encoding="utf-8")
    (config / "site.toml").write_text(text + "\n[sitee]\nname = 'x'\n", encoding="utf-8")
    cams = (config / "cameras.geojson").read_text(encoding="utf-8")
    (config / "cameras.geojson").write_text(cams.replace('"fov_deg": ', '"fov_deg": "x", "f": '))
    with started_console(qtbot, qapp, config, tmp_path) as console:
        shown = console.problems_dialog.text.toPlainText().splitlines()
        _, problems = check_site(config)
        assert shown == [str(p) for p in problems] and len(shown) >= 2
        assert any("sitee" in line for line in shown)
        assert console.window.isVisible()


@pytest.mark.expected_logs("csu.app", "csu.net")
def test_a_saved_test_point_that_no_longer_holds_is_reported_at_start(
    qtbot: Any, qapp: Any, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, config)
    site, _ = check_site(config)
    assert site is not None
    cam = site.cameras[0]
    lon, lat = destination_point(cam.lon, cam.lat, cam.heading_deg, cam.range_m / 2)
    now = ranked_ids(site.cameras, site.zones, lon, lat, 4)
    wrong = tuple(reversed(now)) if len(now) > 1 else ("cam-inconnue",)
    save_points(
        config,
        [TestPoint("Tient", lon, lat, now), TestPoint("Parvis de la gare", lon, lat, wrong)],
    )
    with started_console(qtbot, qapp, config, tmp_path) as console:
        shown = console.problems_dialog.text.toPlainText().splitlines()
        assert len(shown) == 1 and "Parvis de la gare" in shown[0]
        assert ", ".join(wrong) in shown[0] and ", ".join(now) in shown[0]


def test_gateway_settings_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    site, _ = check_site(CONFIG_DIR)
    assert site is not None
    opts = RunOptions(CONFIG_DIR, Path("/nonexistent"))
    monkeypatch.delenv("CSU_GATEWAY_TOKEN", raising=False)
    assert link_settings(site, opts).url == site.gateway.url
    assert link_settings(site, opts).station == site.station.id
    opts.gateway, opts.station = "wss://passerelle.example/", "poste-9"
    monkeypatch.setenv("CSU_GATEWAY_TOKEN", "depuis-env")
    settings = link_settings(site, opts)
    assert (settings.url, settings.station, settings.token) == (
        "wss://passerelle.example/",
        "poste-9",
        "depuis-env",
    )
    assert settings.priority_rules == site.priorities
    assert isinstance(site, SiteConfig)
    # Several hubs, in order (failover); the extension is asked of every one.
    opts.gateway = "ws://hub-a:8765/,ws://hub-b:8765/"
    settings = link_settings(site, opts)
    assert settings.candidates == ("ws://hub-a:8765/", "ws://hub-b:8765/")
    assert settings.url == "ws://hub-a:8765/" and "durable_status" in settings.features


@pytest.mark.expected_logs("csu.net")
def test_the_retention_policy_is_applied_at_start_and_while_running(
    qtbot: Any, qapp: Any, tmp_path: Path, demo_streams: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An alert older than ``personal_data_days`` loses the citizen's data at start;
    a citizen report stored old while the console runs is sealed by the timer's
    next purge, one under legal hold is not; the chain and the alerts verify."""
    from csu_console.storage import purge_timer
    from csu_console.storage.alert_audit import verify_alerts

    monkeypatch.setattr(purge_timer, "PURGE_INTERVAL_S", 0.2)
    import sqlite3
    from dataclasses import replace
    from datetime import UTC, datetime, timedelta

    from csu_console.core.alerts import Alert, Category, Location, Reporter
    from csu_console.core.protocol import AlertMessage
    from csu_console.storage.store import DB_NAME, Store

    data = tmp_path / "data"
    store = Store(data / DB_NAME)
    old = datetime.now(UTC) - timedelta(days=400)
    alert = Alert(
        source="vvs",
        id="ancienne",
        sent=old,
        category=Category.CAMBRIOLAGE,
        priority=2,
        title="Cambriolage",
        description="M. Martin, 06 12 34 56 78, a vu la voiture",
        location=Location(lat=60.168, lon=24.945),
        reporter=Reporter("Voisin_7", True),
    )
    store.commit_batch([AlertMessage(1, alert)], "poste-1", received_at=old)
    store.close()
    console = Console(
        qapp,
        RunOptions(
            CONFIG_DIR,
            data,
            gateway=f"ws://127.0.0.1:{free_port()}/",
            autologin="testeur",
            stream_port=demo_streams.port,
        ),
    )
    qtbot.addWidget(console.window, before_close_func=lambda _w: console.stop())
    console.start()

    def purged() -> bool:
        db = sqlite3.connect(f"file:{data / DB_NAME}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT description, title, lat FROM alerts").fetchone()
            n = db.execute("SELECT count(*) FROM events WHERE kind = 'purged'").fetchone()[0]
        finally:
            db.close()
        sealed = str(row[0]).startswith("sha256:") and str(row[1]).startswith("sha256:")
        return bool(sealed and row[2] is None and n == 1)

    qtbot.waitUntil(purged, timeout=10_000)
    report = console.writer.submit(lambda s: s.verify_chain()).result(timeout=10)
    assert report.ok, report

    # While it runs: two more old citizen reports, the second under a legal hold.
    def store_two(s: Store) -> None:
        late = [replace(alert, id=f"pendant-{n}") for n in (1, 2)]
        s.commit_batch([AlertMessage(n + 2, a) for n, a in enumerate(late)], "poste-1", old)
        s.conn.execute(
            "INSERT INTO legal_holds (target, target_ref, reference, held_at)"
            " SELECT 'alert', CAST(pk AS TEXT), 'PV 2026/123', '2026-01-01' FROM alerts"
            " WHERE alert_id = 'pendant-2'"
        )

    console.writer.submit(store_two).result(timeout=10)

    def titles() -> dict[str, str]:
        return dict(
            console.writer.submit(
                lambda s: s.conn.execute("SELECT alert_id, title FROM alerts").fetchall()
            ).result(timeout=10)
        )

    qtbot.waitUntil(lambda: titles()["pendant-1"].startswith("sha256:"), timeout=10_000)
    runs = console.purge_timer.runs if console.purge_timer else 0
    qtbot.waitUntil(  # one more purge after it: the held one is still there
        lambda: console.purge_timer is not None and console.purge_timer.runs > runs,
        timeout=10_000,
    )
    assert titles()["pendant-2"] == "Cambriolage"
    audit = console.writer.submit(lambda s: verify_alerts(s.conn)).result(timeout=10)
    assert (audit.ok, audit.checked) == (True, 3), audit.problems
    assert console.writer.submit(lambda s: s.verify_chain()).result(timeout=10).ok


@pytest.mark.expected_logs("csu.net")
def test_the_console_shortens_the_gil_switch_interval_while_it_runs(
    qtbot: Any, qapp: Any, tmp_path: Path, demo_streams: Any
) -> None:
    """Paints re-enter Python and wait for the GIL: the console asks for shorter turns
    (see Console.start) and gives the process its own setting back when it stops."""
    before = sys.getswitchinterval()
    assert before != GUI_SWITCH_INTERVAL_S
    console = Console(
        qapp,
        RunOptions(
            CONFIG_DIR,
            tmp_path / "data",
            gateway=f"ws://127.0.0.1:{free_port()}/",
            stream_port=demo_streams.port,
        ),
    )
    qtbot.addWidget(console.window, before_close_func=lambda _w: console.stop())
    console.start()
    try:
        assert sys.getswitchinterval() == pytest.approx(GUI_SWITCH_INTERVAL_S)
    finally:
        console.stop()
    assert sys.getswitchinterval() == pytest.approx(before)
