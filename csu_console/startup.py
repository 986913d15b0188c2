"""The site as the console runs it (Qt-free): the validated configuration, the
installer's test points re-checked, stream credentials put into the URLs, and every
problem met on the way, for the start-up screen."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from csu_console.config import SiteConfig, check_site
from csu_console.config.secrets import cameras_with_credentials, default_secret_store
from csu_console.config.test_points import point_problems
from csu_console.media.stream_server.control import camera_on_port


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
