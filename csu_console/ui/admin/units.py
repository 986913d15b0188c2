"""« Unités »: each unit's status and reason (the same as every station sees: this
station's logbook with the hub's records laid over it), made available or
unavailable with a reason (:meth:`DispatchOperations.set_availability`, shared
through the hub like the unit strip's), and units added or removed in site.toml
(``[[dispatch.units]]``, :mod:`csu_console.config.site_edit`; ``unit_added`` /
``unit_removed`` with the reason). A unit added or removed appears on the stations
at their next start: the unit strip and the dispatch dialog are built at start.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidgetItem,
    QWidget,
)

from csu_console.config import site_edit
from csu_console.core.dispatch import UNIT_STATUS_LABELS, Unit, UnitKind, UnitState, UnitStatus
from csu_console.core.logbook import EventKind
from csu_console.core.roles import Permission, Role
from csu_console.storage.store import Store
from csu_console.ui.admin.common import AdminContext, build_tab, error_text, refused
from csu_console.ui.console.dispatch_ops import DispatchOperations
from csu_console.ui.labels import tr_label

log = logging.getLogger("csu.ui")

_UNIT_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,31}")


class UnitDialog(QDialog):
    """A new unit (id, callsign, kind) or just the reason of a change."""

    def __init__(self, title: str, parent: QWidget | None, *, new: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        form = QFormLayout(self)
        self.unit_id = QLineEdit(self)
        self.name = QLineEdit(self)
        self.kind = QComboBox(self)
        for kind in UnitKind:
            self.kind.addItem(kind.value, kind.value)
        if new:
            form.addRow(self.tr("Identifiant"), self.unit_id)
            form.addRow(self.tr("Indicatif radio"), self.name)
            form.addRow(self.tr("Type"), self.kind)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("obligatoire, journalisé"))
        form.addRow(self.tr("Motif"), self.reason)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #e05a4f;")
        form.addRow(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._new = new

    def _check(self) -> None:
        if self._new and not _UNIT_ID.fullmatch(self.unit_id.text().strip()):
            self.error.setText(self.tr("Identifiant : minuscules, chiffres, « . », « _ », « - »."))
            return
        if self._new and not self.name.text().strip():
            self.error.setText(self.tr("Indiquez l'indicatif radio."))
            return
        if not self.reason.text().strip():
            self.error.setText(self.tr("Indiquez le motif : il est journalisé."))
            return
        self.accept()


class UnitsTab(QWidget):
    """See the module docstring. ``changed(kind)`` after each change written."""

    changed = Signal(str)

    def __init__(
        self,
        ctx: AdminContext,
        dispatch: DispatchOperations | None,
        config_dir: Path,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.dispatch, self.config_dir = ctx, dispatch, config_dir
        self.units: list[Unit] = list(dispatch.units) if dispatch is not None else []
        self.states: dict[str, UnitState] = {}
        self.dialog: UnitDialog | None = None
        columns = [self.tr("Identifiant"), self.tr("Indicatif"), self.tr("Type"), self.tr("État"),
                   self.tr("Motif"), self.tr("Par")]  # fmt: skip
        parts = build_tab(
            self,
            columns,
            [
                self.tr("Disponible…"),
                self.tr("Indisponible…"),
                self.tr("Ajouter une unité…"),
                self.tr("Retirer l'unité…"),
            ],
            self.tr(
                "La disponibilité et son motif sont partagés aussitôt avec "
                "tous les postes. Une unité ajoutée ou retirée apparaît sur "
                "les postes à leur prochain démarrage."
            ),
        )
        self.table, self.status = parts.table, parts.status
        (
            self.available_button,
            self.unavailable_button,
            self.add_button,
            self.remove_button,
        ) = parts.buttons
        self.available_button.clicked.connect(lambda: self._ask_availability(True))
        self.unavailable_button.clicked.connect(lambda: self._ask_availability(False))
        self.add_button.clicked.connect(self.ask_add)
        self.remove_button.clicked.connect(self.ask_remove)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        if dispatch is not None:
            dispatch.units_changed.connect(self.show_states)
            dispatch.message.connect(self.status.error)
            self.show_states(dispatch.states)
        else:
            self.show_states({})

    def show_states(self, states: Mapping[str, UnitState]) -> None:
        selected = self.selected()
        self.states = dict(states)
        self.table.setRowCount(len(self.units))
        for i, unit in enumerate(self.units):
            state = self.states.get(unit.id, UnitState())
            cells = (
                unit.id,
                unit.name,
                unit.kind.value,
                tr_label(UNIT_STATUS_LABELS[state.status]),
                state.comment,
                state.holder(),
            )
            for col, text in enumerate(cells):
                self.table.setItem(i, col, QTableWidgetItem(text))
            if selected is not None and unit.id == selected.id:
                self.table.selectRow(i)
        self._update_buttons()

    def selected(self) -> Unit | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.units):
            return None
        return self.units[rows[0].row()]

    def select(self, unit_id: str) -> None:
        for i, unit in enumerate(self.units):
            if unit.id == unit_id:
                self.table.selectRow(i)

    def _update_buttons(self) -> None:
        unit = self.selected()
        status = self.states.get(unit.id, UnitState()).status if unit is not None else None
        may_set = self.ctx.session.allowed(Permission.SET_UNIT_STATUS) and self.dispatch is not None
        may_manage = self.ctx.session.allowed(Permission.MANAGE_UNITS)
        self.available_button.setEnabled(may_set and status is UnitStatus.INDISPONIBLE)
        self.unavailable_button.setEnabled(may_set and status is UnitStatus.DISPONIBLE)
        self.add_button.setEnabled(may_manage)
        self.remove_button.setEnabled(may_manage and unit is not None)

    def _open(self, dialog: UnitDialog, on_ok: Callable[[], None]) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(on_ok)
        self.dialog = dialog
        dialog.open()

    # -- availability (through the hub like the unit strip) ------------------------------
    def _ask_availability(self, available: bool) -> None:
        unit = self.selected()
        if unit is None or refused(self.ctx, Permission.SET_UNIT_STATUS, self.status):
            return
        title = self.tr("{0} disponible") if available else self.tr("{0} indisponible")
        d = UnitDialog(title.format(unit.name), self)
        self._open(d, lambda: self.set_availability(unit.id, available, d.reason.text()))

    def set_availability(self, unit_id: str, available: bool, reason: str) -> None:
        if refused(self.ctx, Permission.SET_UNIT_STATUS, self.status):
            return
        if self.dispatch is None:
            return
        self.status.ok("")
        self.dispatch.set_availability(unit_id, available, reason)

    # -- add and remove (site.toml) -----------------------------------------------------
    def ask_add(self) -> None:
        if refused(self.ctx, Permission.MANAGE_UNITS, self.status):
            return
        d = UnitDialog(self.tr("Ajouter une unité"), self, new=True)
        self._open(
            d,
            lambda: self.add_unit(
                Unit(
                    d.unit_id.text().strip(), d.name.text().strip(), UnitKind(d.kind.currentData())
                ),
                d.reason.text(),
            ),
        )

    def ask_remove(self) -> None:
        unit = self.selected()
        if unit is None or refused(self.ctx, Permission.MANAGE_UNITS, self.status):
            return
        d = UnitDialog(self.tr("Retirer {0}").format(unit.name), self)
        self._open(d, lambda: self.remove_unit(unit.id, d.reason.text()))

    def add_unit(self, unit: Unit, reason: str) -> None:
        if refused(self.ctx, Permission.MANAGE_UNITS, self.status):
            return
        self._edit_units(EventKind.UNIT_ADDED, unit, reason)

    def remove_unit(self, unit_id: str, reason: str) -> None:
        if refused(self.ctx, Permission.MANAGE_UNITS, self.status):
            return
        unit = next((u for u in self.units if u.id == unit_id), None)
        if unit is not None:
            self._edit_units(EventKind.UNIT_REMOVED, unit, reason)

    def _edit_units(self, kind: EventKind, unit: Unit, reason: str) -> None:
        account = self.ctx.session.account
        assert account is not None
        role: Role = account.role
        station, operator, config_dir = self.ctx.station, account.login, self.config_dir
        why = " ".join(reason.split())

        def write(store: Store) -> site_edit.EditOutcome:
            before = site_edit.read_site_text(config_dir)
            if kind is EventKind.UNIT_ADDED:
                after = site_edit.add_unit(before, unit.id, unit.name, unit.kind.value)
            else:
                after = site_edit.remove_unit(before, unit.id)
            outcome = site_edit.apply_edit(config_dir, before, after, role)
            if outcome.written:
                details = {
                    "unit": unit.id,
                    "unit_name": unit.name,
                    "unit_kind": unit.kind.value,
                    "reason": why,
                    "restart": True,
                }
                store.add_event(kind.value, None, station, operator, details)
            return outcome

        def done(outcome: site_edit.EditOutcome) -> None:
            if outcome.problems:
                self.status.error("\n".join(str(p) for p in outcome.problems))
                return
            if kind is EventKind.UNIT_ADDED:
                self.units.append(unit)
                text = self.tr("{0} ajoutée (au prochain démarrage des postes).")
            else:
                self.units = [u for u in self.units if u.id != unit.id]
                text = self.tr("{0} retirée (au prochain démarrage des postes).")
            log.info("administration : %s %s", kind.value, unit.id)
            self.status.ok(text.format(unit.name))
            self.show_states(self.states)
            self.changed.emit(kind.value)

        self.ctx.tasks.run(write, done, self._failed, owner=self)

    def _failed(self, exc: BaseException) -> None:
        log.info("administration des unités refusée : %s", exc)
        self.status.error(error_text(exc))

    def on_session_changed(self) -> None:
        self._update_buttons()
