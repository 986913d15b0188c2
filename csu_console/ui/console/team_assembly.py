"""The station's team parts, built and wired: the hub's claims (queue, alarm, refusals)
and the team controller (units, presence, escalation, hub health), both fed by the
link bridge's hub messages. What the console keeps of them is :class:`TeamParts`."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from csu_console.ui.bridge import LinkBridge
from csu_console.ui.console.alarm import AlarmController
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.dispatch_ops import DispatchOperations
from csu_console.ui.console.hub_claims import HubClaims
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.console.team import TeamController


@dataclass
class TeamParts:
    """The hub's claims on screen, and the team controller."""

    claims: HubClaims
    team: TeamController


def assemble_team(
    ctx: StationContext,
    model: AlertTableModel,
    dispatch: DispatchOperations,
    alarm: AlarmController,
    tz: ZoneInfo,
    window: MainWindow,
    bridge: LinkBridge,
) -> TeamParts:
    """Build both and connect them to the bridge and the window (protocol § 9)."""
    # The hub's claims, stored by the receiving process: queue, alarm, refusals.
    claims = HubClaims(model, alarm, window)
    bridge.hub_message_received.connect(claims.on_hub_message)
    claims.message.connect(window.show_message)
    # The team (with a hub): units, presence, escalation, health.
    team = TeamController(ctx, model, dispatch, alarm, tz, window)
    bridge.hub_message_received.connect(team.on_hub_message)
    bridge.link_status_changed.connect(team.on_link_status_changed)
    window.alert_selected.connect(team.on_alert_selected)
    window.stations_requested.connect(team.open_stations)
    team.message.connect(window.show_message)
    team.alert_requested.connect(window.select_pk)
    team.hub_changed.connect(window.link_status.set_hub)
    team.health_changed.connect(window.hub_health.show_health)
    return TeamParts(claims, team)
