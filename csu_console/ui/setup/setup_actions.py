"""The setup window's commands that open dialogs or build new zones: import,
export, history, problems, and the zones and holes drawn on the map."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from csu_console.config.schema import ConfigProblem, Zone
from csu_console.config.secrets import extract_credentials
from csu_console.core.geo import Area, Position, ring_self_intersects
from csu_console.core.territory import COMMUNE_ZONING
from csu_console.ui.setup.dialogs import HistoryDialog, ProblemsDialog
from csu_console.ui.setup.zone_items import closed_ring

if TYPE_CHECKING:
    from csu_console.ui.setup.window import SetupWindow

DEFAULT_ZONING = "secteur_pm"


class SetupActions(QObject):
    """Commands of :class:`~csu_console.ui.setup.window.SetupWindow` (its parent)."""

    def __init__(self, window: SetupWindow) -> None:
        super().__init__(window)
        self._w = window
        self.problems_dialog: ProblemsDialog | None = None
        self.history: HistoryDialog | None = None
        self.file_dialog: QFileDialog | None = None

    def show_problems(self, title: str, intro: str, problems: list[ConfigProblem]) -> None:
        """Every problem in one window-modal dialog."""
        dialog = ProblemsDialog(title, intro, problems, self._w)
        self.problems_dialog = dialog
        dialog.open()

    # -- zones drawn on the map --------------------------------------------------------

    def add_zone(self, points: list[Position]) -> None:
        """A new zone of the shown zoning from the clicked points."""
        model = self._w.model
        ring = closed_ring(points)
        if ring_self_intersects(ring):
            self._w.show_message(self.tr("Zone refusée : son contour se recoupe lui-même."))
            return
        zone_id = model.new_id("zone")
        # Its commune: the commune drawn where it starts, else the site's.
        lon, lat = ring[0]
        around = next(
            (z for z in model.zones if z.zoning == COMMUNE_ZONING and z.contains(lon, lat)), None
        )
        zone = Zone(
            id=zone_id,
            name=zone_id,
            commune=around.commune if around is not None else self._w.ctx.commune,
            zoning=model.shown_zoning or DEFAULT_ZONING,
            area=Area(((ring,),)),
            insee=around.insee if around is not None else "",
        )
        model.add_zone(zone)
        self._w.tabs.setCurrentWidget(self._w.zone_panel)
        self._w.show_message(self.tr("Zone {id} créée : lui donner un nom.").format(id=zone_id))

    def add_hole(self, points: list[Position]) -> None:
        """A hole in the selected zone's polygon that contains the clicked points."""
        model = self._w.model
        zone = model.zone(model.selected_zone or "")
        if zone is None:
            self._w.show_message(self.tr("Sélectionner d'abord la zone à trouer."))
            return
        ring = closed_ring(points)
        polygons = list(zone.area.polygons)
        for i, polygon in enumerate(polygons):
            outer = Area((polygon[:1],))
            if all(outer.contains(lon, lat) for lon, lat in points):
                polygons[i] = (*polygon, ring)
                model.update_zone(zone.id, area=Area(tuple(polygons)))
                self._w.show_message(self.tr("Trou ajouté à {name}.").format(name=zone.name))
                return
        self._w.show_message(self.tr("Trou refusé : il doit être entièrement dans la zone."))

    # -- files ---------------------------------------------------------------------------

    def import_dialog(self) -> None:
        dialog = QFileDialog(self._w, self.tr("Importer un fichier GeoJSON de caméras ou de zones"))
        dialog.setNameFilter(self.tr("GeoJSON (*.geojson *.json)"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self.import_file(Path(path)))
        self.file_dialog = dialog
        dialog.open()

    def import_file(self, path: Path) -> bool:
        """Import cameras or zones; every error listed, nothing changed if any."""
        model = self._w.model
        result = self._w.storage.import_file(path, model.cameras, model.zones)
        if not result.ok:
            self.show_problems(
                self.tr("Import refusé : {file}").format(file=path.name),
                self.tr("{n} erreur(s) dans le fichier ; rien n'a été importé :"),
                result.problems,
            )
            return False
        cameras, credentials = extract_credentials(result.cameras)
        model.replace_all(cameras, result.zones)
        for cam_id, creds in credentials.items():
            model.set_credentials(cam_id, creds)
        self._w.fit_site()
        what = self.tr("caméras") if result.kind == "cameras" else self.tr("zones")
        self._w.show_message(
            self.tr("{what} importées de {file} : vérifier puis enregistrer.").format(
                what=what.capitalize(), file=path.name
            )
        )
        return True

    def export_dialog(self) -> None:
        dialog = QFileDialog(self._w, self.tr("Exporter les caméras et les zones dans un dossier"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        self.file_dialog = dialog
        dialog.open()

    def export_to(self, folder: Path) -> None:
        """Write cameras.geojson and zones.geojson into ``folder`` (no credentials)."""
        model = self._w.model
        try:
            self._w.storage.export(folder, model.cameras, model.zones)
        except OSError as exc:
            self._w.show_message(
                self.tr("Export impossible : {e}").format(e=exc.strerror or str(exc))
            )
            return
        self._w.show_message(
            self.tr("Exporté dans {folder} (sans identifiants).").format(folder=folder)
        )

    # -- history -----------------------------------------------------------------------

    def history_dialog(self) -> None:
        """The kept versions; restoring one asks for a confirmation."""
        dialog = HistoryDialog(self._w.storage.versions(), self._w.ctx.tz, self._w)
        dialog.restore_requested.connect(self.restore)
        self.history = dialog
        dialog.open()

    def restore(self, version_id: str) -> None:
        """Restore a kept version in the installer's name; the screen reloads."""
        if not self._w.gates.check(self._w.gates_permission):
            return
        self._w.storage.restore(version_id, author=self._w.ctx.session.operator)
