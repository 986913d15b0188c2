"""Wiring of the phone calls (issue 20): the address search in the map's toolbar,
« Nouvelle alerte ici » from it and from a right click, the alert handed to the
console's receivers and selected in the queue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from csu_console.config.schema import SiteConfig
from csu_console.core.intake import Outcome
from csu_console.core.roles import Permission
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.console.phone_calls import PhoneCalls
from csu_console.ui.map.address_search import AddressIndexLoader, AddressSearchTool
from csu_console.ui.map.map_pane import MapPane


@dataclass
class PhoneParts:
    """The search button, the calls' controller and the index loader."""

    search: AddressSearchTool
    calls: PhoneCalls
    loader: AddressIndexLoader

    def holds_map(self) -> bool:
        """True while a phone call holds the map: the search open, an address just
        shown, or the « Nouvelle alerte ici » form open (``MapFollower.hold``)."""
        dialog = self.calls.dialog
        return self.search.holds_map() or (dialog is not None and dialog.isVisible())

    def load_index(self, path: Path) -> None:
        """Read the map file's addresses (once the basemap is ready)."""
        self.loader.load(path)


def assemble_phone(
    site: SiteConfig,
    ctx: StationContext,
    model: AlertTableModel,
    map_pane: MapPane,
    window: MainWindow,
    deliver: Callable[[list[Outcome]], None],
) -> PhoneParts:
    """Build and wire the phone calls; ``deliver`` hands stored alerts to the
    console's receivers (the link's path: ``LinkBridge.frames_committed.emit``)."""
    search = AddressSearchTool(map_pane.view)
    map_pane.add_tool(search)
    calls = PhoneCalls(
        ctx, site.priorities, site.retention.personal_data_days, deliver, window, window
    )
    search.alert_requested.connect(calls.open_form)
    # Greyed out for the roles without it (the right click says why in the status bar).
    window.gates.guard_widget(search.popup.alert_button, Permission.CREATE_ALERT)
    calls.message.connect(window.show_message)

    def select(pk: int) -> None:
        model.ensure_merged(pk)  # the queue may repaint later: select it now
        window.select_pk(pk)

    calls.created.connect(select)
    loader = AddressIndexLoader(search)
    loader.ready.connect(search.set_index)
    return PhoneParts(search, calls, loader)
