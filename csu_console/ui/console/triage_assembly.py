"""The assisted triage in the console: its controller and its panel, wired (one call
from app.py)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut

from csu_console.config.schema import SiteConfig
from csu_console.core.groups import GroupActions
from csu_console.core.triage_engine import Bounds, TriageEngine
from csu_console.ui.console.alarm import AlarmController
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.console.triage_ops import TriageController
from csu_console.ui.console.triage_panel import TriagePanel


@dataclass
class Triage:
    """The parts of the assisted triage."""

    controller: TriageController
    panel: TriagePanel
    shortcut: QShortcut  # Ctrl+T


def territory_bounds(site: SiteConfig) -> Bounds | None:
    """The box around every zone of the site (« hors territoire » beyond it)."""
    return Bounds.around(
        (lon, lat)
        for zone in site.zones
        for polygon in zone.area.polygons
        for lon, lat in polygon[0]
    )


def assemble_triage(
    model: AlertTableModel,
    ctx: StationContext,
    alarm: AlarmController | None,
    window: MainWindow,
    site: SiteConfig,
    tz: ZoneInfo,
    groups: GroupActions | None = None,
) -> Triage:
    """Build the controller and put its panel at the top of the alert's detail."""
    engine = TriageEngine(bounds=territory_bounds(site))
    controller = TriageController(model, ctx, alarm, engine, groups, window)
    panel = TriagePanel(controller, model, ctx.session, tz, window.detail)
    layout = window.detail.layout()
    assert layout is not None
    layout.insertWidget(0, panel)  # type: ignore[attr-defined]
    window.alert_selected.connect(panel.show_alert)
    controller.message.connect(window.show_message)
    shared = groups if groups is not None else ctx.groups
    changed = getattr(shared, "changed", None)  # StationGroups: a merge applied
    if changed is not None:
        changed.connect(lambda _change: controller.schedule())
    # Ctrl+T: to the first suggestion, by keyboard (a key never applies one: the
    # confirmation's default answer is « Annuler »).
    shortcut = QShortcut(QKeySequence("Ctrl+T"), window)
    shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
    shortcut.setAutoRepeat(False)

    def to_panel() -> None:
        if not panel.focus_first():
            window.show_message(
                QCoreApplication.translate(
                    "TriagePanel", "Aucune suggestion de tri pour cette alerte."
                )
            )

    shortcut.activated.connect(to_panel)
    controller.start()
    return Triage(controller, panel, shortcut)
