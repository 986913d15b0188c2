"""The shared groups, built and wired (``docs/protocol.md`` § 9.9): the station's
:class:`~csu_console.ui.console.groups.StationGroups` (the console's
``GroupActions``, also at ``ctx.groups``), fed by the link bridge's hub messages,
and the queue's context-menu commands."""

from __future__ import annotations

from csu_console.ui.bridge import LinkBridge
from csu_console.ui.console.alarm import AlarmController
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.extraction_assembly import ExtractionLauncher
from csu_console.ui.console.group_commands import GroupCommands
from csu_console.ui.console.groups import StationGroups
from csu_console.ui.console.main_window import MainWindow


def assemble_groups(
    ctx: StationContext,
    model: AlertTableModel,
    window: MainWindow,
    bridge: LinkBridge,
    launcher: ExtractionLauncher,
    alarm: AlarmController | None = None,
) -> StationGroups:
    """Build the groups, load the stored changes (before the alerts' load: call it
    before ``start``), set ``ctx.groups``, add the queue's commands."""
    groups = StationGroups(ctx, model, window)
    if alarm is not None:  # a ringing report rings as its new group
        model.regrouped.connect(alarm.regrouped)
    bridge.hub_message_received.connect(groups.on_hub_message)
    groups.message.connect(window.show_message)
    commands = GroupCommands(groups, model, ctx.session, window)
    launcher.menu_hooks.append(commands.add_entries)
    groups.commands = commands
    ctx.groups = groups
    groups.load()
    return groups
