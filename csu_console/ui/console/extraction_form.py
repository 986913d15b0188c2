"""The form of « Extraction sur réquisition »: cameras, period, requisition, folder.

Every field is checked as it is typed, with the core's rules
(:func:`~csu_console.core.recording.clean_requisition`,
:func:`~csu_console.core.recording.clean_request`): each field left empty or
wrong is named next to it, in French, and :attr:`ExtractionForm.validity` says
whether « Extraire » may be pressed. Times are typed in the site's local time.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.recording import (
    ExtractionRequest,
    Requisition,
    RequisitionError,
    clean_request,
    clean_requisition,
)
from csu_console.ui.theme import current

#: The period proposed around an alert's reported time.
BEFORE_ALERT = timedelta(minutes=10)
AFTER_ALERT = timedelta(minutes=20)
_ID = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Prefill:
    """What the dialog starts with when opened from an alert."""

    camera_ids: tuple[str, ...]
    start: datetime
    end: datetime
    context: str = ""  # « Alerte n° 12 – Cambriolage – 3 rue … »


def prefill_for(camera_ids: Sequence[str], reported_at: datetime, context: str = "") -> Prefill:
    """The alert's ranked cameras, from 10 min before its reported time to 20 min after."""
    return Prefill(tuple(camera_ids), reported_at - BEFORE_ALERT, reported_at + AFTER_ALERT,
                   context)  # fmt: skip


def removable_media(roots: Sequence[Path] = (Path("/media"), Path("/run/media"))) -> list[Path]:
    """Mounted removable media (a USB key): mount points under ``/media/<user>/`` or
    ``/run/media/<user>/`` (or directly under the root), in name order."""
    found: list[Path] = []
    for root in roots:
        try:
            level1 = sorted(p for p in root.iterdir() if p.is_dir())
        except OSError:
            continue
        for p in level1:
            if os.path.ismount(p):
                found.append(p)
                continue
            try:
                found.extend(sorted(q for q in p.iterdir() if q.is_dir() and os.path.ismount(q)))
            except OSError:
                continue
    return found


def default_folder() -> Path:
    """A mounted removable medium if there is one, else the user's home."""
    media = removable_media()
    return media[0] if media else Path.home()


def free_bytes(folder: Path) -> int | None:
    """Free space where ``folder`` is (None when it cannot be read)."""
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def _qdatetime(at: datetime, tz: ZoneInfo) -> QDateTime:
    local = at.astimezone(tz)
    return QDateTime(QDate(local.year, local.month, local.day),
                     QTime(local.hour, local.minute, local.second))  # fmt: skip


class ExtractionForm(QWidget):
    """See the module docstring. ``validity_changed(ok)`` after every change."""

    validity_changed = Signal(bool)

    def __init__(
        self,
        cameras: Sequence[tuple[str, str]],
        tz: ZoneInfo,
        *,
        now: Callable[[], datetime] | None = None,
        folder: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tz = tz
        self._now = now or (lambda: datetime.now(UTC))
        self._known = [cid for cid, _ in cameras]
        self.errors: dict[str, str] = {}

        self.context = QLabel(self)
        self.context.setWordWrap(True)
        self.context.setStyleSheet("font-weight: bold;")
        self.context.hide()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Rechercher une caméra (nom ou identifiant)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter_cameras)
        self.camera_list = QListWidget(self)
        self.camera_list.setMinimumHeight(220)
        self.camera_list.setStyleSheet(
            "QListWidget::item { padding: 4px; }"
            " QListWidget::indicator { width: 20px; height: 20px; border: 2px solid #90a4ae;"
            " border-radius: 3px; }"
            " QListWidget::indicator:checked { background: #1e88e5; border-color: #bbdefb; }"
        )
        for cid, name in cameras:
            item = QListWidgetItem(f"{name} ({cid})" if name and name != cid else cid)
            item.setData(_ID, cid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.camera_list.addItem(item)
        self.camera_list.itemChanged.connect(lambda _i: self.validate())
        self.camera_count = QLabel(self)

        end = self._now().replace(microsecond=0)
        self.start_edit = self._time_edit(end - timedelta(minutes=30))
        self.end_edit = self._time_edit(end)

        self.number = QLineEdit(self)
        self.number.setPlaceholderText(self.tr("ex. 2026/001234"))
        self.service = QLineEdit(self)
        self.service.setPlaceholderText(self.tr("ex. Commissariat de police de Nîmes"))
        self.opj = QLineEdit(self)
        self.opj.setPlaceholderText(self.tr("grade, nom et prénom"))
        self.issued = QLineEdit(self)
        self.issued.setPlaceholderText(self.tr("jj/mm/aaaa"))
        for edit in (self.number, self.service, self.opj, self.issued):
            edit.textChanged.connect(lambda _t: self.validate())

        self.folder_edit = QLineEdit(str(folder or default_folder()), self)
        self.folder_edit.textChanged.connect(lambda _t: self.validate())
        self.folder_button = QPushButton(self.tr("Choisir…"), self)
        self.folder_button.clicked.connect(self.choose_folder)
        self.free_label = QLabel(self)

        self.messages: dict[str, QLabel] = {}
        for key in ("cameras", "period", "number", "service", "opj", "issued", "folder"):
            label = QLabel(self)
            label.setWordWrap(True)
            label.setStyleSheet(f"color: {current().danger_text}; font-weight: bold;")
            # One line kept even when empty (clicks landed in the next field when
            # a message went and the fields below moved up).
            label.setMinimumHeight(label.fontMetrics().height())
            self.messages[key] = label
        self._layout()
        self.validate()

    def _time_edit(self, at: datetime) -> QDateTimeEdit:
        edit = QDateTimeEdit(_qdatetime(at, self.tz), self)
        edit.setDisplayFormat("dd/MM/yyyy HH:mm:ss")
        edit.setCalendarPopup(True)
        edit.dateTimeChanged.connect(lambda _d: self.validate())
        return edit

    def _layout(self) -> None:
        # Two columns: the cameras at the left, the period, the requisition and the
        # folder at the right — everything in view at once on a 1920×1080 screen.
        column = QVBoxLayout(self)
        column.addWidget(self.context)
        cams = QVBoxLayout()
        cams.addWidget(QLabel(self.tr("<b>Caméras</b>"), self))
        cams.addWidget(self.search)
        cams.addWidget(self.camera_list, 1)
        row = QHBoxLayout()
        row.addWidget(self.camera_count, 1)
        row.addWidget(self.messages["cameras"], 2)
        cams.addLayout(row)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(
            QLabel(self.tr("<b>Période</b>"), self),
            QLabel(self.tr("(heure locale, {tz})").format(tz=str(self.tz)), self),
        )
        form.addRow(self.tr("du"), self.start_edit)
        form.addRow(self.tr("au"), self.end_edit)
        form.addRow("", self.messages["period"])
        form.addRow(QLabel(self.tr("<b>Réquisition</b>"), self))
        for key, label, edit in (
            ("number", self.tr("N° de réquisition"), self.number),
            ("service", self.tr("Service requérant"), self.service),
            ("opj", self.tr("OPJ"), self.opj),
            ("issued", self.tr("Date de la réquisition"), self.issued),
        ):
            form.addRow(label, edit)
            form.addRow("", self.messages[key])
        folder = QHBoxLayout()
        folder.addWidget(self.folder_edit, 1)
        folder.addWidget(self.folder_button)
        form.addRow(QLabel(self.tr("<b>Dossier de destination</b>"), self), folder)
        form.addRow("", self.free_label)
        form.addRow("", self.messages["folder"])
        columns = QHBoxLayout()
        columns.addLayout(cams, 2)
        columns.addSpacing(24)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addStretch(1)
        columns.addLayout(right, 3)
        column.addLayout(columns, 1)

    # -- filling ------------------------------------------------------------------

    def apply(self, prefill: Prefill) -> None:
        """Check the alert's cameras (listed first) and set the period around it."""
        wanted = list(dict.fromkeys(prefill.camera_ids))
        items = [self.camera_list.item(i) for i in range(self.camera_list.count())]
        by_id = {it.data(_ID): it for it in items}
        for rank, cid in enumerate(c for c in wanted if c in by_id):
            item = by_id[cid]
            self.camera_list.takeItem(self.camera_list.row(item))
            self.camera_list.insertItem(rank, item)
            item.setCheckState(Qt.CheckState.Checked)
        self.start_edit.setDateTime(_qdatetime(prefill.start, self.tz))
        # Not past « now »: the future is not recorded yet.
        self.end_edit.setDateTime(_qdatetime(min(prefill.end, self._now()), self.tz))
        if prefill.context:
            self.context.setText(prefill.context)
            self.context.show()
        self.validate()

    def choose_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, self.tr("Dossier de destination"), self.folder_edit.text()
        )
        if chosen:
            self.folder_edit.setText(chosen)

    def _filter_cameras(self, text: str) -> None:
        needle = text.casefold().strip()
        for i in range(self.camera_list.count()):
            item = self.camera_list.item(i)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    # -- reading --------------------------------------------------------------------

    def checked_cameras(self) -> list[str]:
        out: list[str] = []
        for i in range(self.camera_list.count()):
            item = self.camera_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(_ID)))
        return out

    def period(self) -> tuple[datetime, datetime]:
        """The two times typed, as aware datetimes of the site's zone."""

        def read(edit: QDateTimeEdit) -> datetime:
            value = edit.dateTime().toPython()
            assert isinstance(value, datetime)
            return value.replace(tzinfo=self.tz, microsecond=0)

        return read(self.start_edit), read(self.end_edit)

    def folder(self) -> Path:
        return Path(self.folder_edit.text().strip()).expanduser()

    def requisition(self) -> Requisition:
        """The requisition typed; :class:`RequisitionError` when a field is refused."""
        return clean_requisition(self.number.text(), self.service.text(), self.opj.text(),
                                 self.issued.text(), today=self._now().date())  # fmt: skip

    def request(self) -> ExtractionRequest:
        """The request typed; :class:`RequisitionError` (the first refusal)."""
        start, end = self.period()
        return clean_request(self.checked_cameras(), start, end, self.requisition(),
                             known_cameras=self._known, now=self._now())  # fmt: skip

    # -- checking -------------------------------------------------------------------

    def validate(self) -> bool:
        """Check every field on its own (each refusal named next to its field)."""
        errors: dict[str, str] = {}
        today = self._now().date()
        ok_date: str | date = today
        fields = {"number": self.number, "service": self.service, "opj": self.opj}
        for key, edit in fields.items():
            values = {"number": "x", "service": "x", "opj": "x"}
            values[key] = edit.text()
            try:
                clean_requisition(values["number"], values["service"], values["opj"], ok_date,
                                  today=today)  # fmt: skip
            except RequisitionError as exc:
                errors[key] = str(exc)
        try:
            clean_requisition("x", "x", "x", self.issued.text(), today=today)
        except RequisitionError as exc:
            errors["issued"] = str(exc)
        dummy = Requisition("x", "x", "x", today)
        now = self._now()
        cams = self.checked_cameras()
        try:
            clean_request(cams, now - timedelta(hours=1), now, dummy, known_cameras=self._known,
                          now=now)  # fmt: skip
        except RequisitionError as exc:
            errors["cameras"] = str(exc)
        start, end = self.period()
        try:
            clean_request(self._known[:1] or ["x"], start, end, dummy, now=now)
        except RequisitionError as exc:
            errors["period"] = str(exc)
        errors.update(self._check_folder())
        for key, label in self.messages.items():
            # Always there, empty when all is well: a message that goes leaves its
            # room (as many lines as it took), so the fields never move under the
            # operator's mouse while they type.
            if label.text() and label.isVisible():
                label.setMinimumHeight(max(label.minimumHeight(), label.height()))
            label.setText(errors.get(key, ""))
        n = len(cams)
        self.camera_count.setText(
            self.tr("{n} caméra(s) cochée(s) sur {total}").format(n=n, total=len(self._known))
        )
        changed = errors != self.errors
        self.errors = errors
        if changed or not hasattr(self, "_last_ok"):
            self._last_ok = not errors
            self.validity_changed.emit(not errors)
        return not errors

    def _check_folder(self) -> dict[str, str]:
        folder = self.folder()
        if not self.folder_edit.text().strip():
            self.free_label.setText("")
            return {"folder": self.tr("Dossier de destination : obligatoire.")}
        free = free_bytes(folder) if folder.is_dir() else None
        if free is None:
            self.free_label.setText("")
            return {"folder": self.tr("Dossier de destination : introuvable.")}
        if not os.access(folder, os.W_OK):
            self.free_label.setText("")
            return {"folder": self.tr("Dossier de destination : écriture interdite.")}
        self.free_label.setText(
            self.tr("Espace libre : {gb} Go").format(gb=f"{free / 1e9:.1f}".replace(".", ","))
        )
        return {}

    @property
    def valid(self) -> bool:
        return not self.errors

    def set_editable(self, editable: bool) -> None:
        """Frozen while an extraction runs."""
        widgets: tuple[QWidget, ...] = (
            self.search, self.camera_list, self.start_edit, self.end_edit, self.number,
            self.service, self.opj, self.issued, self.folder_edit, self.folder_button,
        )  # fmt: skip
        for w in widgets:
            w.setEnabled(editable)
