"""``csu-console config check|export|import|history|restore``: the command-line side of
the installer's setup (the parser is in :mod:`csu_console.cli`).

Every change (import, restore) goes through :class:`ConfigHistory`, so it can be
undone, and is written to the main courante of ``--data-dir`` as a
``config_changed`` event. Credentials found in imported URLs are moved to the
secret store, never written to the GeoJSON.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from csu_console.config.events import config_change_events
from csu_console.config.fields import load_json
from csu_console.config.geo_checks import check_geo, import_geo
from csu_console.config.geo_write import write_geo
from csu_console.config.history import ConfigHistory
from csu_console.config.loader import check_site
from csu_console.config.schema import CAMERAS_FILE, ZONES_FILE, Camera, ConfigProblem, Zone
from csu_console.config.secrets import default_secret_store, extract_credentials
from csu_console.config.test_points import load_points, point_problems


def config_check(config_dir: Path, out: TextIO) -> int:
    """Print every problem of a site configuration and of its test points; 1 if any."""
    site, problems = check_site(config_dir)
    for p in problems:
        out.write(f"{p}\n")
    if problems:
        out.write(f"{len(problems)} problème(s) dans {config_dir}\n")
        return 1
    assert site is not None
    found = point_problems(config_dir, site.cameras, site.zones)
    for line in found:
        out.write(f"{line}\n")
    if found:
        out.write(f"{len(found)} problème(s) de points test dans {config_dir}\n")
        return 1
    points, _ = load_points(config_dir)
    checked = f", {len(points)} points test vérifiés" if points else ""
    out.write(
        f"{config_dir} : configuration valide ({len(site.cameras)} caméras, "
        f"{len(site.zones)} zones{checked})\n"
    )
    return 0


def _current(config_dir: Path) -> tuple[list[Camera], list[Zone]]:
    """The config's valid cameras and zones, even when some features have problems."""
    ignored: list[ConfigProblem] = []
    cameras_doc = load_json(config_dir / CAMERAS_FILE, ignored)
    zones_doc = load_json(config_dir / ZONES_FILE, ignored)
    cameras, zones, _ = check_geo(cameras_doc, zones_doc)
    return cameras, zones


def config_export(config_dir: Path, target: Path, out: TextIO, err: TextIO) -> int:
    """Write the config's cameras and zones (no credentials) into ``target``; 2 if invalid."""
    site, problems = check_site(config_dir)
    if site is None:
        for p in problems:
            err.write(f"{p}\n")
        err.write(f"{len(problems)} problème(s) dans {config_dir} : rien n'a été exporté\n")
        return 2
    target.mkdir(parents=True, exist_ok=True)
    write_geo(target, site.cameras, site.zones)
    out.write(
        f"exporté dans {target} : {CAMERAS_FILE} ({len(site.cameras)} caméras), "
        f"{ZONES_FILE} ({len(site.zones)} zones), sans identifiants de flux\n"
    )
    return 0


def _log_change(
    data_dir: Path | None,
    old: tuple[Sequence[Camera], Sequence[Zone]],
    new: tuple[Sequence[Camera], Sequence[Zone]],
    version_id: str,
    action: str,
    operator: str,
) -> Path:
    """Write the config_changed event to the main courante; the database's path."""
    from csu_console.paths import default_data_dir
    from csu_console.storage.store import DB_NAME, Store

    # The command line's station, as for ``users``: the review shows « ligne de
    # commande (…) », not an operator.
    events = config_change_events(
        *old, *new, version_id, action=action, station="cli", operator=operator
    )
    directory = Path(data_dir or default_data_dir())
    directory.mkdir(parents=True, exist_ok=True)
    store = Store(directory / DB_NAME)
    try:
        store.add_events(events)
    finally:
        store.close()
    return directory / DB_NAME


def config_import(args: argparse.Namespace, author: str, out: TextIO, err: TextIO) -> int:
    """Check an imported cameras or zones file; on success save it through the history."""
    config_dir = Path(args.config)
    old = _current(config_dir)
    result = import_geo(Path(args.file), cameras=old[0], zones=old[1])
    if not result.ok:
        for p in result.problems:
            err.write(f"{p}\n")
        err.write(f"{len(result.problems)} problème(s) : rien n'a été importé\n")
        return 2
    cameras, secrets = extract_credentials(result.cameras)
    if secrets:
        store = default_secret_store(args.data_dir)
        for camera_id, creds in secrets.items():
            store.set(camera_id, creds)
        out.write(f"identifiants de flux de {len(secrets)} caméra(s) rangés à part\n")
    reason = args.reason or f"import de {Path(args.file).name}"
    history = ConfigHistory(config_dir)
    version = history.save(cameras, result.zones, author=author, reason=reason, action="import")
    db = _log_change(args.data_dir, old, (cameras, result.zones), version.id, "import", author)
    what = f"{len(cameras)} caméras" if result.kind == "cameras" else f"{len(result.zones)} zones"
    out.write(
        f"importé : {what} depuis {args.file} ; configuration précédente gardée "
        f"(version {version.id}) ; journalisé dans {db}\n"
    )
    return 0


def config_history(config_dir: Path, out: TextIO) -> int:
    """List the kept versions, newest first."""
    versions = ConfigHistory(config_dir).versions()
    if not versions:
        out.write(f"aucune version gardée dans {config_dir}\n")
        return 0
    for v in versions:
        when = v.saved_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        out.write(f"{v.id}  {when}  {v.author}  {v.action}  {v.reason}\n")
    return 0


def config_restore(args: argparse.Namespace, author: str, out: TextIO) -> int:
    """Restore a kept version (the current files are kept first)."""
    config_dir = Path(args.config)
    old = _current(config_dir)
    kept = ConfigHistory(config_dir).restore(args.version, author=author)
    new = _current(config_dir)
    db = _log_change(args.data_dir, old, new, kept.id, "restore", author)
    out.write(
        f"version {args.version} restaurée ; pour annuler : "
        f"csu-console config restore {kept.id} --config {config_dir} ; journalisé dans {db}\n"
    )
    _, problems = check_site(config_dir)
    for p in problems:
        out.write(f"attention : {p}\n")
    return 0
