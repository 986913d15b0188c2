"""The site as the console runs it (Qt-free): what the command line decided
(:class:`RunOptions`), the validated configuration, the installer's test points
re-checked, stream credentials put into the URLs, every problem met on the way for
the start-up screen, and the link's settings."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from csu_console.config import SiteConfig, check_site
from csu_console.config.schema import split_urls
from csu_console.config.secrets import cameras_with_credentials, default_secret_store
from csu_console.config.test_points import point_problems
from csu_console.core.cap.configured import SiteCapParser
from csu_console.core.hub_protocol import FEATURES
from csu_console.media.stream_server.control import camera_on_port
from csu_console.net.link import LinkSettings


def console_site(
    config_dir: Path, data_dir: Path, stream_port: int | None = None
) -> tuple[SiteConfig, list[str]]:
    """The site to run and the problems to show (the defaults when it is unusable).

    ``stream_port``: the demo's and the tests' RTSP server, in place of the cameras'.
    """
    site, found = check_site(config_dir)
    problems = [str(p) for p in found]
    if site is not None:  # the installer's test points still hold?
        problems += point_problems(site.config_dir, site.cameras, site.zones)
        # Stream credentials live apart from the GeoJSON (config/secrets.py).
        cameras, bad = cameras_with_credentials(site.cameras, default_secret_store(data_dir))
        site = replace(site, cameras=cameras)
        problems += bad
    site = site or SiteConfig(config_dir=config_dir)
    if stream_port is not None:
        cameras = tuple(camera_on_port(c, stream_port) for c in site.cameras)
        site = replace(site, cameras=cameras)
    return site, problems


@dataclass
class RunOptions:
    """What the command line decided for this run."""

    config_dir: Path
    data_dir: Path
    gateway: str | None = None
    gateway_ca: Path | None = None
    station: str | None = None
    language: str | None = None
    # Demo and tests only: log this account in without a password (created as an
    # operator if missing). A real station always shows the login screen.
    autologin: str | None = None
    # Demo only: the password an autologin account gets (printed by the demo), so
    # that a trainee can log back in after a handover.
    autologin_password: str | None = None
    stream_port: int | None = None  # demo: the test streams' server took another port
    # Demo: the station's token on the demo's hub (else CSU_GATEWAY_TOKEN, [gateway] token).
    gateway_token: str | None = None


def zone_namer(site: SiteConfig) -> Callable[[float, float], str | None] | None:
    """Name of the zone at a point (police sectors first), None outside every zone."""
    if not site.zones:
        return None

    def name(lon: float, lat: float) -> str | None:
        zones = site.zone_at(lon, lat)
        sectors = [z for z in zones if z.zoning == "secteur_pm"]
        return (sectors or zones)[0].name if zones else None

    return name


def link_settings(site: SiteConfig, opts: RunOptions) -> LinkSettings:
    """Settings file, overridden by the command line and ``CSU_GATEWAY_TOKEN``."""
    gw = site.gateway
    urls = split_urls(opts.gateway) if opts.gateway else gw.urls
    return LinkSettings(
        url=urls[0] if urls else gw.url,
        urls=urls,
        features=FEATURES,
        station=opts.station or site.station.id,
        token=opts.gateway_token or os.environ.get("CSU_GATEWAY_TOKEN") or gw.token,
        ca_file=opts.gateway_ca or gw.ca_file,
        ping_interval_s=gw.ping_interval_s,
        ping_timeout_s=gw.ping_timeout_s,
        reconnect_min_s=gw.reconnect_min_s,
        reconnect_max_s=gw.reconnect_max_s,
        priority_rules=site.priorities,
        cap_parser=SiteCapParser.from_files(
            site.cap.resolver(site.zones), site.cap.trusted_by_sender()
        ),
    )
