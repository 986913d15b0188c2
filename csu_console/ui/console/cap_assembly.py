"""Wires what partners' CAP messages do after the first alert (updates, cancels,
expiry, the partner-feed log) into the console: the queue, the alarm, the notices
and the « Journal des partenaires » window."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex

from csu_console.core.alerts import StoredAlert
from csu_console.ui.bridge import DbTasks, LinkBridge
from csu_console.ui.console.alarm import AlarmController
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.cap_lifecycle import CapNotices, ExpirySweep, ring_exercises_of
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.console.partner_log import PartnerLog


@dataclass
class CapParts:
    """What :func:`assemble_cap` built (the console keeps them)."""

    sweep: ExpirySweep
    notices: CapNotices
    partner_log: PartnerLog


def assemble_cap(
    site: Any,
    tasks: DbTasks,
    model: AlertTableModel,
    alarm: AlarmController,
    window: MainWindow,
    bridge: LinkBridge,
    tz: ZoneInfo,
) -> CapParts:
    """Build and connect the parts; call ``parts.sweep.start()`` once the console runs."""
    alarm.ring_exercises = ring_exercises_of(site)
    sweep = ExpirySweep(tasks, window)
    notices = CapNotices(tasks, window)
    partner_log = PartnerLog(tasks, tz, window)
    bridge.frames_committed.connect(notices.on_frames_committed)
    notices.message.connect(window.show_message)
    notices.feed_changed.connect(partner_log.on_feed_changed)
    # Expired: the row is marked, the ringing stops, a short notice.
    sweep.expired.connect(model.revise)
    sweep.expired.connect(alarm.withdraw)
    sweep.expired.connect(notices.on_expired)
    window.partner_log_requested.connect(partner_log.open)

    # « MISE À JOUR » is emphasised until the operator looks at the row.
    def seen(item: StoredAlert | None) -> None:
        if item is not None:
            model.mark_seen(item.pk)

    def clicked(index: QModelIndex) -> None:
        seen(model.alert_at(window.proxy.mapToSource(index).row()))

    window.alert_selected.connect(seen)
    window.table.clicked.connect(clicked)
    return CapParts(sweep, notices, partner_log)
