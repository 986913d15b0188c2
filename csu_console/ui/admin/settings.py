"""« Réglages »: the site's alarm, priority rules, grouping, retention (within the
CNIL's caps), account lockout, shifts and theme, edited in forms.

« Enregistrer… » asks a reason, then on the storage thread: the edited site.toml
is checked by the same code as ``csu-console config check`` (its problems listed
here, nothing written while one remains), written atomically, and logged as
``settings_changed`` with each key's value before and after
(:mod:`csu_console.config.site_edit`). Retention and lockout need the privacy
permission, the rest the settings permission; the file itself refuses a role that
may not. The alarm and the retention are applied at once (``applied``); the others
at the console's next start, as each group says.
"""

from __future__ import annotations

import logging
import tomllib
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from csu_console.config import site_edit
from csu_console.config.loader import check_site
from csu_console.config.schema import SITE_SCHEMA, UI_THEMES, SiteConfig
from csu_console.core.logbook import EventKind
from csu_console.core.roles import Permission
from csu_console.storage.store import Store
from csu_console.ui.admin.common import AdminContext, StatusLine, error_text
from csu_console.ui.console.dialogs import ask_reason

log = logging.getLogger("csu.ui")

# (section, permission, applied at once) of the simple forms, in order.
FORMS: tuple[tuple[str, Permission, bool], ...] = (
    ("alarm", Permission.EDIT_SETTINGS, True),
    ("grouping", Permission.EDIT_SETTINGS, False),
    ("ui", Permission.EDIT_SETTINGS, False),
    ("retention", Permission.EDIT_PRIVACY, True),
    ("accounts", Permission.EDIT_PRIVACY, False),
)
SHIFT_COLUMNS = 4


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _parse(text: str) -> object:
    """What was typed, as TOML would read it (a number if it is one); the check
    says what is wrong with anything else."""
    raw = text.strip()
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


class SettingsTab(QWidget):
    """See the module docstring."""

    loaded = Signal()
    # (the new site, its changes) once written: the console applies the live ones.
    applied = Signal(object, object)  # SiteConfig, tuple[Change, ...]

    def __init__(self, ctx: AdminContext, config_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.config_dir = ctx, config_dir
        self.text = ""  # site.toml as read, the base of the edit
        self.site: SiteConfig | None = None
        self.fields: dict[tuple[str, str], QLineEdit | QComboBox] = {}
        self.original: dict[tuple[str, str], str] = {}
        self.priorities: dict[str, QSpinBox] = {}
        self.groups: dict[str, QGroupBox] = {}
        self.reason_dialog: QWidget | None = None
        outer = QVBoxLayout(self)
        grid = QGridLayout()
        outer.addLayout(grid, 1)
        titles = {
            "alarm": self.tr("Alarme sonore"),
            "grouping": self.tr("Regroupement des signalements"),
            "ui": self.tr("Affichage"),
            "retention": self.tr("Conservation (jours, plafonds CNIL)"),
            "accounts": self.tr("Verrouillage des comptes"),
        }
        for i, (section, _perm, live) in enumerate(FORMS):
            when = self.tr("appliqué aussitôt") if live else self.tr("au prochain démarrage")
            if section == "alarm":
                when = self.tr("appliqué aussitôt, sauf mute_max_s")
            box = QGroupBox(f"{titles[section]} — {when}", self)
            form = QFormLayout(box)
            for key, spec in SITE_SCHEMA[section].fields.items():
                widget: QLineEdit | QComboBox
                if section == "ui" and key == "theme":
                    widget = QComboBox(box)
                    widget.addItems(list(UI_THEMES))
                else:
                    widget = QLineEdit(box)
                    widget.setMaximumWidth(120)
                widget.setToolTip(spec.doc)
                form.addRow(key, widget)
                self.fields[(section, key)] = widget
            self.groups[section] = box
            grid.addWidget(box, i % 3, i // 3)
        self.priority_box = QGroupBox(
            f"{self.tr('Priorités par catégorie')} — {self.tr('au prochain démarrage')}", self
        )
        pform = QFormLayout(self.priority_box)
        for category in SITE_SCHEMA["priorities"].fields:
            spin = QSpinBox(self.priority_box)
            spin.setRange(1, 4)
            pform.addRow(category, spin)
            self.priorities[category] = spin
        grid.addWidget(self.priority_box, 0, 2, 3, 1)
        self.shift_box = QGroupBox(
            f"{self.tr('Vacations')} — {self.tr('au prochain démarrage')}", self
        )
        sl = QVBoxLayout(self.shift_box)
        self.shifts = QTableWidget(0, SHIFT_COLUMNS, self.shift_box)
        self.shifts.setHorizontalHeaderLabels(
            [self.tr("Identifiant"), self.tr("Nom"), self.tr("Début"), self.tr("Fin")]
        )
        self.shifts.verticalHeader().setVisible(False)
        self.shifts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.shifts.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        sl.addWidget(self.shifts)
        srow = QHBoxLayout()
        self.add_shift = QPushButton(self.tr("Ajouter une vacation"), self.shift_box)
        self.remove_shift = QPushButton(self.tr("Retirer la vacation"), self.shift_box)
        srow.addWidget(self.add_shift)
        srow.addWidget(self.remove_shift)
        sl.addLayout(srow)
        grid.addWidget(self.shift_box, 2, 1)
        self.add_shift.clicked.connect(lambda: self.shifts.insertRow(self.shifts.rowCount()))
        self.remove_shift.clicked.connect(self._remove_shift)

        outer.addWidget(QLabel(self.tr("Problèmes (mêmes vérifications que « csu-console "
                                       "config check ») :"), self))  # fmt: skip
        self.problems = QListWidget(self)
        self.problems.setMaximumHeight(110)
        outer.addWidget(self.problems)
        row = QHBoxLayout()
        self.reload_button = QPushButton(self.tr("Recharger"), self)
        self.save_button = QPushButton(self.tr("Enregistrer…"), self)
        row.addWidget(self.reload_button)
        row.addStretch(1)
        row.addWidget(self.save_button)
        outer.addLayout(row)
        self.status = StatusLine(self)
        outer.addWidget(self.status)
        self.reload_button.clicked.connect(self.refresh)
        self.save_button.clicked.connect(self.ask_save)
        self.on_session_changed()

    # -- reading ------------------------------------------------------------------------
    def refresh(self) -> None:
        config_dir = self.config_dir

        def read(_store: Store) -> tuple[str, SiteConfig | None, list[str]]:
            text = site_edit.read_site_text(config_dir)
            site, problems = check_site(config_dir, text)
            return text, site, [str(p) for p in problems]

        self.ctx.tasks.run(read, self._show, self._failed, owner=self)

    def _show(self, result: tuple[str, SiteConfig | None, list[str]]) -> None:
        self.text, self.site, problems = result
        self.problems.clear()
        self.problems.addItems(problems)
        if self.site is None:
            self.status.error(self.tr("site.toml a des problèmes : corrigez-les d'abord."))
            return
        for (section, key), widget in self.fields.items():
            value = _text(getattr(getattr(self.site, section), key))
            self.original[(section, key)] = value
            if isinstance(widget, QComboBox):
                widget.setCurrentText(value)
            else:
                widget.setText(value)
        for category, spin in self.priorities.items():
            spin.setValue(next((p for c, p in self.site.priorities.items() if c.value == category),
                               3))  # fmt: skip
        periods = self.site.shifts.periods
        self.shifts.setRowCount(len(periods))
        for i, p in enumerate(periods):
            for col, text in enumerate((p.id, p.name, f"{p.start:%H:%M}", f"{p.end:%H:%M}")):
                self.shifts.setItem(i, col, QTableWidgetItem(text))
        self.loaded.emit()

    def _remove_shift(self) -> None:
        rows = self.shifts.selectionModel().selectedRows()
        if rows:
            self.shifts.removeRow(rows[0].row())

    # -- the edit -----------------------------------------------------------------------
    def _shift_rows(self) -> list[dict[str, str]]:
        rows = []
        for i in range(self.shifts.rowCount()):
            cells = [self.shifts.item(i, c) for c in range(SHIFT_COLUMNS)]
            values = [c.text().strip() if c is not None else "" for c in cells]
            if any(values):
                rows.append(dict(zip(("id", "name", "start", "end"), values, strict=True)))
        return rows

    def edited_text(self) -> str:
        """site.toml with what the forms say (only the keys that changed are rewritten)."""
        text = self.text
        for (section, key), widget in self.fields.items():
            value = widget.currentText() if isinstance(widget, QComboBox) else widget.text()
            if value.strip() != self.original.get((section, key)):
                text = site_edit.set_key(text, section, key, _parse(value))
        if self.site is not None:
            current = {c.value: p for c, p in self.site.priorities.items()}
            for category, spin in self.priorities.items():
                if current.get(category) != spin.value():
                    text = site_edit.set_key(text, "priorities", category, spin.value())
            old = [{"id": p.id, "name": p.name, "start": f"{p.start:%H:%M}",
                    "end": f"{p.end:%H:%M}"} for p in self.site.shifts.periods]  # fmt: skip
            if self._shift_rows() != old:
                text = site_edit.set_key(text, "shifts", "periods", self._shift_rows())
        return text

    def ask_save(self) -> None:
        if not self._may_edit():
            return
        if not site_edit.diff(self.text, self.edited_text()):
            self.status.ok(self.tr("Aucune modification."))
            return
        self.reason_dialog = ask_reason(
            self, self.tr("Réglages du site"),
            self.tr("Motif de la modification (journalisé) :"),
            self.save,
            lambda: self.status.error(self.tr("Indiquez le motif : il est journalisé.")),
        )  # fmt: skip

    def _may_edit(self) -> bool:
        session = self.ctx.session
        if session.allowed(Permission.EDIT_SETTINGS) or session.allowed(Permission.EDIT_PRIVACY):
            return True
        self.status.error(session.refusal(Permission.EDIT_SETTINGS))
        return False

    def save(self, reason: str) -> None:
        """Check, write and log the edit (on the storage thread)."""
        if not self._may_edit():
            return
        account = self.ctx.session.account
        assert account is not None
        role, operator, station = account.role, account.login, self.ctx.station
        before, after, config_dir = self.text, self.edited_text(), self.config_dir
        why = " ".join(reason.split())

        def write(store: Store) -> site_edit.EditOutcome:
            outcome = site_edit.apply_edit(config_dir, before, after, role)
            if outcome.written:
                details = {
                    "changes": [c.as_event() for c in outcome.changes],
                    "reason": why,
                    "restart": [c.key for c in outcome.changes if not c.live],
                }
                store.add_event(EventKind.SETTINGS_CHANGED.value, None, station, operator, details)
            return outcome

        self.ctx.tasks.run(write, self._saved, self._failed, owner=self)

    def _saved(self, outcome: site_edit.EditOutcome) -> None:
        self.problems.clear()
        if outcome.problems:
            self.problems.addItems([str(p) for p in outcome.problems])
            self.status.error(
                self.tr("Rien n'a été enregistré : {0} problème(s).").format(len(outcome.problems))
            )
            return
        live = [c.key for c in outcome.changes if c.live]
        later = [c.key for c in outcome.changes if not c.live]
        text = self.tr("Réglages enregistrés ({0} modification(s)).").format(len(outcome.changes))
        if live:
            text += " " + self.tr("Appliqués aussitôt : {0}.").format(", ".join(live))
        if later:
            text += " " + self.tr("Au prochain démarrage : {0}.").format(", ".join(later))
        log.info("administration : réglages %s", ", ".join(c.key for c in outcome.changes))
        self.status.ok(text)
        if outcome.site is not None:
            self.applied.emit(outcome.site, outcome.changes)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        log.info("réglages refusés : %s", exc)
        self.status.error(error_text(exc))

    def on_session_changed(self) -> None:
        session = self.ctx.session
        for section, permission, _live in FORMS:
            self.groups[section].setEnabled(session.allowed(permission))
        settings = session.allowed(Permission.EDIT_SETTINGS)
        self.priority_box.setEnabled(settings)
        self.shift_box.setEnabled(settings)
        self.save_button.setEnabled(settings or session.allowed(Permission.EDIT_PRIVACY))
