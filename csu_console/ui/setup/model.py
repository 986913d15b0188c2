"""The setup screen's model: the cameras and zones being edited, in memory.

Widgets and map items subscribe to its signals; nothing is written to disk until
the installer saves. Cameras and zones are the config's frozen dataclasses, so a
snapshot for undo is two tuples.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Signal

from csu_console.config.schema import Camera, Zone
from csu_console.config.secrets import Credentials

_UNDO_DEPTH = 50

Snapshot = tuple[tuple[Camera, ...], tuple[Zone, ...]]


class SetupModel(QObject):
    """Cameras and zones under edit, the selection, a dirty flag and undo.

    ``cameras_changed`` / ``zones_changed`` say the lists changed (added, removed,
    reloaded: rebuild); ``camera_changed(id)`` / ``zone_changed(id)`` say one item
    moved or was edited (update it in place: a drag is under way).
    """

    cameras_changed = Signal()
    zones_changed = Signal()
    camera_changed = Signal(str)
    zone_changed = Signal(str)
    selection_changed = Signal()
    dirty_changed = Signal(bool)
    shown_zoning_changed = Signal(str)
    #: Whether there is something to undo or redo may have changed.
    history_changed = Signal()

    def __init__(
        self,
        cameras: Sequence[Camera] = (),
        zones: Sequence[Zone] = (),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._cameras: list[Camera] = list(cameras)
        self._zones: list[Zone] = list(zones)
        self._undo: list[Snapshot] = []
        self._redo: list[Snapshot] = []  # states an undo took back
        self._dirty = False
        self.selected_camera: str | None = None
        self.selected_zone: str | None = None
        #: The zoning drawn on the map and in the mapping table (one at a time).
        self.shown_zoning: str | None = None
        self._follow_zonings()
        #: Stream credentials by camera id, saved apart from the GeoJSON (SecretStore).
        self.credentials: dict[str, Credentials] = {}

    # -- reading ---------------------------------------------------------------

    @property
    def cameras(self) -> tuple[Camera, ...]:
        return tuple(self._cameras)

    @property
    def zones(self) -> tuple[Zone, ...]:
        return tuple(self._zones)

    @property
    def dirty(self) -> bool:
        """True when something changed since the last load or save."""
        return self._dirty

    def camera(self, camera_id: str) -> Camera | None:
        return next((c for c in self._cameras if c.id == camera_id), None)

    def zone(self, zone_id: str) -> Zone | None:
        return next((z for z in self._zones if z.id == zone_id), None)

    def zonings(self) -> list[str]:
        """Zonings in file order, each once."""
        return list(dict.fromkeys(z.zoning for z in self._zones))

    def show_zoning(self, zoning: str) -> None:
        """Show the zones of ``zoning`` (on the map and in the mapping table)."""
        if zoning == self.shown_zoning:
            return
        self.shown_zoning = zoning
        self.shown_zoning_changed.emit(zoning)

    def _follow_zonings_keep(self, zoning: str) -> None:
        if self.shown_zoning not in self.zonings():
            self.show_zoning(zoning)

    def _follow_zonings(self) -> None:
        """After the zones changed: keep the shown zoning while it has zones."""
        zonings = self.zonings()
        if zonings and self.shown_zoning not in zonings:
            self.show_zoning(zonings[0])

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def new_id(self, prefix: str) -> str:
        """``cam-07``, ``zone-3``: the first free id with this prefix."""
        taken = {c.id for c in self._cameras} | {z.id for z in self._zones}
        n = 1
        while f"{prefix}-{n:02d}" in taken:
            n += 1
        return f"{prefix}-{n:02d}"

    # -- whole lists -----------------------------------------------------------

    def load(
        self,
        cameras: Sequence[Camera],
        zones: Sequence[Zone],
        credentials: dict[str, Credentials] | None = None,
    ) -> None:
        """Replace everything (after a load, a save, a restore); clears undo."""
        self._cameras, self._zones = list(cameras), list(zones)
        if credentials is not None:
            self.credentials = dict(credentials)
        self._undo.clear()
        self._redo.clear()
        if self.camera(self.selected_camera or "") is None:
            self.selected_camera = None
        if self.zone(self.selected_zone or "") is None:
            self.selected_zone = None
        self._follow_zonings()
        self.cameras_changed.emit()
        self.zones_changed.emit()
        self.selection_changed.emit()
        self._set_dirty(False)
        self.history_changed.emit()

    def replace_all(self, cameras: Sequence[Camera], zones: Sequence[Zone]) -> None:
        """Replace everything as an edit (an import): undoable, dirty."""
        self.checkpoint()
        self._cameras, self._zones = list(cameras), list(zones)
        self.selected_camera = self.selected_zone = None
        self._follow_zonings()
        self.cameras_changed.emit()
        self.zones_changed.emit()
        self.selection_changed.emit()
        self._set_dirty(True)

    def mark_saved(self) -> None:
        """Saved: a new version in the history. Undo starts again from here (an
        older version comes back through « Historique… », with a reason)."""
        self._undo.clear()
        self._redo.clear()
        self._set_dirty(False)
        self.history_changed.emit()

    # -- undo ------------------------------------------------------------------

    def checkpoint(self) -> None:
        """Remember the state before a change (a drag calls it once, at the press)."""
        self._undo.append((tuple(self._cameras), tuple(self._zones)))
        del self._undo[:-_UNDO_DEPTH]
        self._redo.clear()
        self.history_changed.emit()

    def undo(self) -> bool:
        """Go back to the state before the last change; False when there is none."""
        if not self._undo:
            return False
        self._redo.append((tuple(self._cameras), tuple(self._zones)))
        self._restore(self._undo.pop())
        return True

    def redo(self) -> bool:
        """Make again the change the last undo took back; False when there is none."""
        if not self._redo:
            return False
        self._undo.append((tuple(self._cameras), tuple(self._zones)))
        self._restore(self._redo.pop())
        return True

    def _restore(self, snapshot: Snapshot) -> None:
        cameras, zones = snapshot
        self._cameras, self._zones = list(cameras), list(zones)
        if self.camera(self.selected_camera or "") is None:
            self.selected_camera = None
        if self.zone(self.selected_zone or "") is None:
            self.selected_zone = None
        self._follow_zonings()
        self.cameras_changed.emit()
        self.zones_changed.emit()
        self.selection_changed.emit()
        self._set_dirty(True)
        self.history_changed.emit()

    # -- cameras ---------------------------------------------------------------

    def add_camera(self, camera: Camera) -> None:
        self.checkpoint()
        self._cameras.append(camera)
        self.selected_camera = camera.id
        self.cameras_changed.emit()
        self.selection_changed.emit()
        self._set_dirty(True)

    def update_camera(self, camera_id: str, *, undoable: bool = True, **changes: Any) -> None:
        """Change fields of one camera (``undoable=False`` during a drag); a new
        ``id`` renames it (the selection follows)."""
        index = self._camera_index(camera_id)
        old = self._cameras[index]
        new = dataclasses.replace(old, **changes)
        if new == old:
            return
        if undoable:
            self.checkpoint()
        self._cameras[index] = new
        if new.id != old.id:
            if old.id in self.credentials:
                self.credentials[new.id] = self.credentials.pop(old.id)
            if self.selected_camera == old.id:
                self.selected_camera = new.id
            self.cameras_changed.emit()
            self.selection_changed.emit()
        else:
            self.camera_changed.emit(camera_id)
        self._set_dirty(True)

    def remove_camera(self, camera_id: str) -> None:
        index = self._camera_index(camera_id)
        self.checkpoint()
        del self._cameras[index]
        if self.selected_camera == camera_id:
            self.selected_camera = None
            self.selection_changed.emit()
        self.cameras_changed.emit()
        self._set_dirty(True)

    def set_credentials(self, camera_id: str, creds: Credentials | None) -> None:
        """The camera's stream user and password (None: none); saved with the rest."""
        if self.credentials.get(camera_id) == creds:
            return
        if creds is None:
            self.credentials.pop(camera_id, None)
        else:
            self.credentials[camera_id] = creds
        self._set_dirty(True)

    def set_mapped(self, camera_id: str, zone_id: str, mapped: bool) -> None:
        """Map (or unmap) a camera to a zone."""
        cam = self._cameras[self._camera_index(camera_id)]
        zones = tuple(z for z in cam.zones if z != zone_id)
        if mapped:
            zones = (*zones, zone_id)
        self.update_camera(camera_id, zones=zones)

    def set_mappings(self, mapping: dict[str, tuple[str, ...]]) -> None:
        """Set several cameras' zones at once (one undo step)."""
        self.checkpoint()
        for camera_id, zones in mapping.items():
            self.update_camera(camera_id, undoable=False, zones=zones)

    def select_camera(self, camera_id: str | None) -> None:
        if camera_id == self.selected_camera:
            return
        self.selected_camera = camera_id
        self.selection_changed.emit()

    # -- zones -----------------------------------------------------------------

    def add_zone(self, zone: Zone) -> None:
        self.checkpoint()
        self._zones.append(zone)
        self.selected_zone = zone.id
        self.show_zoning(zone.zoning)
        self.zones_changed.emit()
        self.selection_changed.emit()
        self._set_dirty(True)

    def update_zone(self, zone_id: str, *, undoable: bool = True, **changes: Any) -> None:
        """Change fields of one zone; a new ``id`` is carried into the cameras' mapping."""
        index = self._zone_index(zone_id)
        old = self._zones[index]
        new = dataclasses.replace(old, **changes)
        if new == old:
            return
        if undoable:
            self.checkpoint()
        self._zones[index] = new
        if new.id != old.id or new.zoning != old.zoning:
            if new.id != old.id:
                self._rename_zone_in_cameras(old.id, new.id)
                if self.selected_zone == old.id:
                    self.selected_zone = new.id
            self._follow_zonings_keep(new.zoning)
            self.zones_changed.emit()
            self.selection_changed.emit()
        else:
            self.zone_changed.emit(zone_id)
        self._set_dirty(True)

    def remove_zone(self, zone_id: str) -> None:
        index = self._zone_index(zone_id)
        self.checkpoint()
        del self._zones[index]
        self._rename_zone_in_cameras(zone_id, None)
        self._follow_zonings()
        if self.selected_zone == zone_id:
            self.selected_zone = None
            self.selection_changed.emit()
        self.zones_changed.emit()
        self._set_dirty(True)

    def select_zone(self, zone_id: str | None) -> None:
        if zone_id == self.selected_zone:
            return
        self.selected_zone = zone_id
        self.selection_changed.emit()

    # -- helpers ---------------------------------------------------------------

    def _rename_zone_in_cameras(self, old: str, new: str | None) -> None:
        changed = False
        for i, cam in enumerate(self._cameras):
            if old in cam.zones:
                zones = [z for z in cam.zones if z != old]
                if new is not None:
                    zones.insert(cam.zones.index(old), new)
                self._cameras[i] = dataclasses.replace(cam, zones=tuple(zones))
                changed = True
        if changed:
            self.cameras_changed.emit()

    def _camera_index(self, camera_id: str) -> int:
        for i, cam in enumerate(self._cameras):
            if cam.id == camera_id:
                return i
        raise KeyError(camera_id)

    def _zone_index(self, zone_id: str) -> int:
        for i, zone in enumerate(self._zones):
            if zone.id == zone_id:
                return i
        raise KeyError(zone_id)

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self.dirty_changed.emit(dirty)
