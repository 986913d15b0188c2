"""Reading, validating, saving, importing, exporting and restoring the cameras and
zones of the setup screen.

Saving and restoring run on the storage thread (:class:`~csu_console.ui.bridge.DbTasks`):
the kept version (:class:`~csu_console.config.history.ConfigHistory`), the GeoJSON
files, the credentials (:class:`~csu_console.config.secrets.SecretStore`) and the
``config_changed`` event of the main courante are written there one after the
other, and the outcome comes back to the GUI thread as a signal. Reading a few
kilobytes of GeoJSON (open, import) stays on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from csu_console.config.events import config_change_events
from csu_console.config.fields import load_json
from csu_console.config.geo_checks import GeoImport, check_geo, import_geo
from csu_console.config.geo_write import cameras_document, write_geo, zones_document
from csu_console.config.history import ConfigHistory, Version
from csu_console.config.loader import CAMERAS_FILE, ZONES_FILE
from csu_console.config.schema import Camera, ConfigProblem, Zone
from csu_console.config.secrets import Credentials, SecretStore, extract_credentials
from csu_console.config.territory_checks import territory_problems
from csu_console.storage.store import Store
from csu_console.ui.bridge import DbTasks

log = logging.getLogger("csu.ui")


@dataclass(frozen=True)
class GeoState:
    """Cameras, zones and stream credentials, as read from disk."""

    cameras: tuple[Camera, ...]
    zones: tuple[Zone, ...]
    credentials: dict[str, Credentials]
    problems: tuple[ConfigProblem, ...] = ()


def read_geo(config_dir: Path, secrets: SecretStore) -> GeoState:
    """The valid cameras and zones of ``config_dir`` with every problem found."""
    problems: list[ConfigProblem] = []
    cameras_doc = load_json(config_dir / CAMERAS_FILE, problems)
    zones_doc = load_json(config_dir / ZONES_FILE, problems)
    cameras, zones, found = check_geo(cameras_doc, zones_doc)
    cameras, typed = extract_credentials(cameras)  # files written by hand may hold some
    credentials = {}
    for cam in cameras:
        creds = typed.get(cam.id) or secrets.get(cam.id)
        if creds is not None:
            credentials[cam.id] = creds
    return GeoState(tuple(cameras), tuple(zones), credentials, tuple(problems + found))


def validate(
    cameras: Sequence[Camera], zones: Sequence[Zone], declared: Sequence[str] | None = None
) -> list[ConfigProblem]:
    """Every problem of a configuration, as ``csu-console config check`` lists them;
    ``declared``: the zonings site.toml declares (None: it declares none)."""
    document = zones_document(zones)
    _, checked, problems = check_geo(cameras_document(cameras), document)
    return problems + territory_problems(declared, checked, (), document)


class SetupStorage(QObject):
    """Writes the setup screen's configuration; see the module docstring.

    ``saved(GeoState, Version)`` and ``restored(GeoState, Version)`` bring the
    configuration now on disk; ``failed(str, list[ConfigProblem])`` a French
    message and the problems when the configuration was refused.
    """

    saved = Signal(object, object)
    restored = Signal(object, object)
    failed = Signal(str, object)

    def __init__(
        self,
        config_dir: Path,
        tasks: DbTasks,
        secrets: SecretStore,
        station: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.config_dir = Path(config_dir)
        self.history = ConfigHistory(self.config_dir)
        self.secrets = secrets
        self._tasks = tasks
        self._station = station
        self.on_disk = read_geo(self.config_dir, secrets)
        self.busy = False

    def save(
        self,
        cameras: Sequence[Camera],
        zones: Sequence[Zone],
        credentials: dict[str, Credentials],
        *,
        author: str,
        reason: str,
        action: str = "save",
    ) -> None:
        """Keep the previous version, write the new one, its secrets and its event."""
        old = self.on_disk
        new = GeoState(tuple(cameras), tuple(zones), dict(credentials))
        history, secrets, station = self.history, self.secrets, self._station

        def work(store: Store) -> Version:
            version = history.save(new.cameras, new.zones, author=author, reason=reason)
            for cam_id in secrets.ids():
                if cam_id not in new.credentials:
                    secrets.remove(cam_id)
            for cam_id, creds in new.credentials.items():
                if secrets.get(cam_id) != creds:
                    secrets.set(cam_id, creds)
            store.add_events(
                config_change_events(
                    old.cameras,
                    old.zones,
                    new.cameras,
                    new.zones,
                    version.id,
                    action=action,
                    station=station,
                    operator=author,
                )
            )
            return version

        def done(version: Version) -> None:
            self.busy = False
            self.on_disk = new
            log.info("configuration des caméras et zones enregistrée (%s)", version.id)
            self.saved.emit(new, version)

        self.busy = True
        self._tasks.run(work, done, self._on_error, owner=self)

    def restore(self, version_id: str, *, author: str) -> None:
        """Bring a kept version back (after keeping the current one), and log it."""
        old = self.on_disk
        history, secrets, station = self.history, self.secrets, self._station
        config_dir = self.config_dir

        def work(store: Store) -> tuple[GeoState, Version]:
            kept = history.restore(version_id, author=author)
            state = read_geo(config_dir, secrets)
            store.add_events(
                config_change_events(
                    old.cameras,
                    old.zones,
                    state.cameras,
                    state.zones,
                    kept.id,
                    action="restore",
                    station=station,
                    operator=author,
                )
            )
            return state, kept

        def done(result: tuple[GeoState, Version]) -> None:
            self.busy = False
            state, kept = result
            self.on_disk = state
            self.restored.emit(state, kept)

        self.busy = True
        self._tasks.run(work, done, self._on_error, owner=self)

    def versions(self) -> list[Version]:
        """The kept versions, newest first."""
        return self.history.versions()

    def import_file(
        self, path: Path, cameras: Sequence[Camera], zones: Sequence[Zone]
    ) -> GeoImport:
        """Check a GeoJSON file of cameras or zones against the other part."""
        return import_geo(path, cameras=cameras, zones=zones)

    def export(self, folder: Path, cameras: Sequence[Camera], zones: Sequence[Zone]) -> None:
        """Write both GeoJSON files into ``folder``, without any credential."""
        folder.mkdir(parents=True, exist_ok=True)
        write_geo(folder, cameras, zones)

    def _on_error(self, exc: BaseException) -> None:
        self.busy = False
        problems = list(getattr(exc, "problems", []) or [])
        log.error("configuration non enregistrée : %s", exc)
        self.failed.emit(str(exc), problems)
