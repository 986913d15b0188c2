"""The console's camera watch wired in: prober, wall reports, map, « Caméras » window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from csu_console.ui.console.camera_list import CameraListDialog
from csu_console.ui.console.camera_watch import CameraWatch

if TYPE_CHECKING:
    from csu_console.app import Console


def assemble_camera_watch(console: Console) -> CameraWatch:
    """Build the watch (started with the console) and hook it up: the wall's
    decoders report to it (it raises the outages instead of the wall), the map
    takes its colours, Supervision > État des caméras… opens the list."""
    site = console.site
    watch = CameraWatch(
        site.cameras,
        site.prober,
        site.video.offline_after_s,
        console.settings.station,
        console.raise_local_alert,
        console.tasks.record,
        console.map_pane.overlays,
        console.window,
    )
    console.wall_controller.outages_elsewhere = True
    console.video_bridge.source_status_changed.connect(watch.on_source_status)
    dialogs: list[CameraListDialog] = []

    def open_list() -> None:
        if not dialogs:
            dialog = CameraListDialog(watch, site.zones, console.tz, console.window)
            dialog.camera_requested.connect(console.wall_controller.on_camera_clicked)
            dialogs.append(dialog)
        dialogs[0].show()
        dialogs[0].raise_()

    console.window.cameras_action.triggered.connect(open_list)
    watch.open_list = open_list
    return watch
