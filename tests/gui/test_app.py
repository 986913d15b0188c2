"""The composition root: configuration problems shown at start, settings precedence,
a clean stop."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path
from typing import Any

import pytest
from support import CONFIG_DIR

from csu_console.app import Console, RunOptions, link_settings
from csu_console.config import SiteConfig, check_site


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
    console = Console(
        qapp,
        RunOptions(config, tmp_path / "data", gateway=f"ws://127.0.0.1:{free_port()}/"),
    )
    qtbot.addWidget(console.window)
    try:
        console.start()
        qtbot.waitUntil(console.problems_dialog.isVisible, timeout=5000)
        shown = console.problems_dialog.text.toPlainText().splitlines()
        _, problems = check_site(config)
        assert shown == [str(p) for p in problems] and len(shown) >= 2
        assert any("sitee" in line for line in shown)
        assert console.window.isVisible()
    finally:
        console.stop()


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
