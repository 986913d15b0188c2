"""Opens the setup screen from the console (« Installation › Configuration du site… »).

One setup window at a time, for the roles that may edit the site. A saved or
restored configuration is not applied to the running console (the map, the wall
and the ranking keep the configuration they started with, so that an operator
never sees the map and the wall disagree): the operator is told to restart.
"""

from __future__ import annotations

import logging
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Signal, Slot

from csu_console.config.secrets import SecretsError, default_secret_store
from csu_console.core.roles import Permission
from csu_console.media.video.backend import Preference
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.session import Session
from csu_console.ui.map.basemap import BasemapSource
from csu_console.ui.setup.persistence import GeoState
from csu_console.ui.setup.window import SetupContext, SetupWindow

log = logging.getLogger("csu.ui")


class SetupLauncher(QObject):
    """Builds and shows :class:`SetupWindow`; ``message`` is for the status bar."""

    message = Signal(str)
    opened = Signal(object)  # SetupWindow, once shown

    def __init__(
        self,
        config_dir: Path,
        data_dir: Path,
        tasks: DbTasks,
        session: Session,
        station: str,
        tz: ZoneInfo,
        *,
        commune: str = "",
        backend: Preference = "auto",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._config_dir, self._data_dir = config_dir, data_dir
        self._tasks, self._session = tasks, session
        self._station, self._tz = station, tz
        self._commune, self._backend = commune, backend
        self.basemap: BasemapSource | None = None
        self.window: SetupWindow | None = None

    @Slot()
    def open_setup(self) -> None:
        """Show the setup screen (raise it when already open)."""
        if not self._session.allowed(Permission.EDIT_SITE):
            self.message.emit(self._session.refusal(Permission.EDIT_SITE))
            return
        if self.window is not None:
            self.window.show()
            self.window.raise_()
            self.window.activateWindow()
            return
        try:
            secrets = default_secret_store(self._data_dir)
        except SecretsError as exc:
            self.message.emit(str(exc))
            return
        ctx = SetupContext(
            self._config_dir,
            self._tasks,
            self._session,
            secrets,
            self._station,
            self._tz,
            self._commune,
            self.basemap,
            self._backend,
        )
        window = SetupWindow(ctx)
        window.config_saved.connect(self._on_window_config_saved)
        window.closed.connect(self._on_window_closed)
        self.window = window
        log.info("écran de configuration ouvert par %s", self._session.operator)
        window.show()
        window.fit_site()
        self.opened.emit(window)

    @Slot(object)
    def _on_window_config_saved(self, state: GeoState) -> None:
        self.message.emit(
            self.tr(
                "Caméras et zones enregistrées ({c} caméras, {z} zones) : redémarrer la "
                "console pour les appliquer à la carte, au mur et au classement."
            ).format(c=len(state.cameras), z=len(state.zones))
        )

    @Slot()
    def _on_window_closed(self) -> None:
        window, self.window = self.window, None
        if window is not None:
            window.deleteLater()

    def stop(self) -> None:
        """The console stops: close the setup screen without asking."""
        if self.window is not None:
            self.window.model.mark_saved()
            self.window.close()
