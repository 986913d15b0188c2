"""The queue's group commands (right click on an alert): « Regrouper avec l'alerte
sélectionnée… » and « Détacher du groupe », each confirmed in a dialog that names
the alerts (the default button cancels: Enter alone changes nothing). What they do
is :class:`~csu_console.ui.console.groups.StationGroups`' (shared by every station)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.alerts import StoredAlert
from csu_console.core.roles import Permission
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.groups import StationGroups
from csu_console.ui.console.session import Session

#: At most this many reports listed in « Détacher du groupe » (the rest: the detail).
MAX_LISTED = 20


def alert_name(item: StoredAlert) -> str:
    """« n° 12 – Cambriolage en cours » (the title cut, never the number)."""
    title = item.alert.title if len(item.alert.title) <= 60 else item.alert.title[:59] + "…"
    return f"n° {item.pk} – {title}"


class GroupConfirmDialog(QDialog):
    """Names the alerts, asks an optional reason; « Annuler » is the default."""

    def __init__(self, title: str, text: str, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.message = text  # what the operator is asked (names the alerts)
        layout = QVBoxLayout(self)
        label = QLabel(text, self)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(label)
        layout.addWidget(QLabel(self.tr("Motif (facultatif) :"), self))
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(500)
        layout.addWidget(self.reason)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton(action, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok.setAutoDefault(False)
        self.ok.setDefault(False)
        self.cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)
        self.setMaximumWidth(720)


class GroupCommands(QObject):
    """Adds the group entries to the queue's context menu and confirms them."""

    def __init__(
        self,
        groups: StationGroups,
        model: AlertTableModel,
        session: Session,
        parent_widget: QWidget,
    ) -> None:
        super().__init__(parent_widget)
        self._groups = groups
        self._model = model
        self._session = session
        self._parent = parent_widget
        self.dialog: GroupConfirmDialog | None = None  # the one open (tests look)

    def add_entries(self, menu: QMenu, item: StoredAlert, before: StoredAlert | None) -> None:
        """The menu of ``item`` (right-clicked); ``before``: the alert selected then."""
        may = self._session.allowed(Permission.HANDLE_ALERTS)
        menu.addSeparator()
        target = None
        if before is not None:
            target = self._model.alert_by_pk(self._model.leader_pk(before.pk))
        merge = menu.addAction(self.tr("Regrouper avec l'alerte sélectionnée…"))
        if target is None or target.pk == self._model.leader_pk(item.pk):
            merge.setEnabled(False)
            merge.setToolTip(self.tr("Sélectionnez d'abord l'alerte qui mènera le groupe."))
        else:
            merge.setEnabled(may)
            chosen = target
            merge.triggered.connect(lambda: self.confirm_merge(chosen, item))
        leader_pk = self._model.leader_pk(item.pk)
        reports = self._model.members(leader_pk)
        split = menu.addMenu(self.tr("Détacher du groupe"))
        split.setEnabled(may and len(reports) > 1)
        for report in reports[:MAX_LISTED]:
            entry = split.addAction(alert_name(report))
            entry.triggered.connect(lambda _c=False, r=report: self.confirm_split(r))

    def confirm_merge(self, leader: StoredAlert, row: StoredAlert) -> GroupConfirmDialog:
        """Ask before putting ``row`` (and its group) under ``leader``."""
        moved = self._model.members(self._model.leader_pk(row.pk)) or [row]
        names = "\n".join(f"  • {alert_name(m)}" for m in moved[:MAX_LISTED])
        if len(moved) > MAX_LISTED:
            names += "\n" + self.tr("  … et {n} autre(s)").format(n=len(moved) - MAX_LISTED)
        text = self.tr(
            "Regrouper sous l'alerte {leader} :\n{names}\n\n"
            "Le groupe sera le même à tous les postes ; chaque signalement garde sa fiche."
        ).format(leader=alert_name(leader), names=names)
        dialog = self._open(self.tr("Regrouper des alertes"), text, self.tr("Regrouper"))
        keys = [m.alert.key for m in moved]
        dialog.accepted.connect(
            lambda: self._groups.merge(leader.alert.key, keys, dialog.reason.text())
        )
        return dialog

    def confirm_split(self, report: StoredAlert) -> GroupConfirmDialog:
        """Ask before taking ``report`` out of its group."""
        leader = self._model.alert_by_pk(self._model.leader_pk(report.pk)) or report
        text = self.tr(
            "Détacher l'alerte {report} du groupe de l'alerte {leader} ?\n\n"
            "Elle aura de nouveau sa propre ligne, à tous les postes."
        ).format(report=alert_name(report), leader=alert_name(leader))
        dialog = self._open(self.tr("Détacher du groupe"), text, self.tr("Détacher"))
        key = report.alert.key
        dialog.accepted.connect(lambda: self._groups.split([key], dialog.reason.text()))
        return dialog

    def _open(self, title: str, text: str, action: str) -> GroupConfirmDialog:
        if self.dialog is not None:
            self.dialog.close()
        dialog = GroupConfirmDialog(title, text, action, self._parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._forget)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _forget(self) -> None:
        self.dialog = None
