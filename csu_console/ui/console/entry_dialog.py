"""A new line of the main courante (F9), or the correction of one.

Type, text, the alert it belongs to (the selected one by default, can be cleared),
a place (typed, or « Choisir sur la carte »: the next click on the map) and a
camera. Signed with who is logged in and the station, the local time shown.
Entrée records, Échap cancels — but typed text is never lost to one wrong key:
the dialog asks before discarding it. It stays open until the entry is written
(a refusal is shown in it, the text kept).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.book import BookRow, EntryDraft
from csu_console.core.entries import ENTRY_TYPE_LABELS, EntryType
from csu_console.ui.labels import tr_label
from csu_console.ui.theme import current, pt


class EntryText(QPlainTextEdit):
    """The entry's text: wraps as it is typed; Entrée records (the text is one
    paragraph: line breaks are not kept in the book)."""

    submitted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submitted.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class EntryDialog(QDialog):
    """The entry form. ``submitted(draft, alert_pk, reason)`` asks to write it
    (``reason`` is the correction's motive, "" for a new entry); ``pick_requested``
    asks for the next click on the map (:meth:`set_place` answers)."""

    submitted = Signal(object, object, str)  # EntryDraft, int | None, str
    pick_requested = Signal()

    def __init__(
        self,
        tz: tzinfo,
        station: str,
        signer: str,
        alerts: Sequence[tuple[int, str]],
        cameras: Sequence[tuple[str, str]],
        parent: QWidget | None = None,
        *,
        alert_pk: int | None = None,
        correcting: BookRow | None = None,
    ) -> None:
        super().__init__(parent)
        self._tz, self._station, self._signer = tz, station, signer
        self.correcting = correcting
        self._lat: float | None = None
        self._lon: float | None = None
        self._discard_box: QMessageBox | None = None
        if correcting is None:
            self.setWindowTitle(self.tr("Main courante – nouvelle entrée"))
        else:
            self.setWindowTitle(
                self.tr("Main courante – correction de l'entrée n° {n}").format(n=correcting.seq)
            )
        big = f"font-size: {pt(14)}pt;"
        # One size for the whole form, labels included: read from the chair, at night.
        self.setStyleSheet(f"QWidget {{ {big} }}")

        self.type_box = QComboBox(self)
        for kind, label in ENTRY_TYPE_LABELS.items():
            self.type_box.addItem(tr_label(label), kind.value)
        self.text_edit = EntryText(self)
        self.text_edit.setPlaceholderText(
            self.tr("Ce qui s'est passé, qui a appelé, ce qui a été fait…")
        )
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setMinimumHeight(4 * self.text_edit.fontMetrics().height())
        self.text_edit.submitted.connect(self._submit)

        self.alert_box = QComboBox(self)
        self.alert_box.addItem(self.tr("Aucune alerte"), None)
        for pk, label in alerts:
            self.alert_box.addItem(label, pk)
        if alert_pk is not None and self.alert_box.findData(alert_pk) < 0:
            self.alert_box.addItem(self.tr("Alerte n° {pk}").format(pk=alert_pk), alert_pk)
        self.alert_box.setCurrentIndex(max(0, self.alert_box.findData(alert_pk)))
        self.alert_box.setMinimumContentsLength(30)
        self.alert_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )

        self.place_edit = QLineEdit(self)
        self.place_edit.setPlaceholderText(self.tr("Adresse ou lieu (facultatif)"))
        self.pick_button = QPushButton(self.tr("Choisir sur la carte"), self)
        self.pick_button.setAutoDefault(False)
        self.pick_button.clicked.connect(self.pick_requested)
        self.point_label = QLabel(self)
        self.clear_point_button = QPushButton(self.tr("Retirer le point"), self)
        self.clear_point_button.setAutoDefault(False)
        self.clear_point_button.clicked.connect(self.clear_point)
        place_row = QHBoxLayout()
        place_row.addWidget(self.place_edit, 1)
        place_row.addWidget(self.pick_button)
        point_row = QHBoxLayout()
        point_row.addWidget(self.point_label, 1)
        point_row.addWidget(self.clear_point_button)

        self.camera_box = QComboBox(self)
        self.camera_box.addItem(self.tr("Aucune caméra"), "")
        for cam_id, name in cameras:
            self.camera_box.addItem(f"{name} ({cam_id})", cam_id)

        self.reason_edit = QLineEdit(self)
        self.reason_edit.setPlaceholderText(self.tr("Pourquoi corriger (obligatoire)"))

        form = QFormLayout()
        form.addRow(self.tr("Type"), self.type_box)
        form.addRow(self.tr("Texte"), self.text_edit)
        form.addRow(self.tr("Alerte"), self.alert_box)
        form.addRow(self.tr("Lieu"), place_row)
        form.addRow("", point_row)
        form.addRow(self.tr("Caméra"), self.camera_box)
        if correcting is not None:
            form.addRow(self.tr("Motif"), self.reason_edit)
        else:
            self.reason_edit.hide()

        self.signature = QLabel(self)
        self.signature.setStyleSheet(f"color: {current().muted_text}; {big}")
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {current().danger_text}; font-weight: bold;")
        self.error_label.hide()
        self.save_button = QPushButton(self.tr("Enregistrer (Entrée)"), self)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._submit)
        self.cancel_button = QPushButton(self.tr("Annuler (Échap)"), self)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.signature, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

        if correcting is not None:
            self._prefill(correcting)
        self._show_point()
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._sign)
        self._clock.start()
        self._sign()
        # A correction starts with its motive; a new entry with its text.
        (self.reason_edit if correcting is not None else self.text_edit).setFocus()
        self.resize(900, self.sizeHint().height())

    def _prefill(self, row: BookRow) -> None:
        latest = row.latest
        self.type_box.setCurrentIndex(max(0, self.type_box.findData(latest.get("type"))))
        self.text_edit.setPlainText(str(latest.get("text", "")))
        self.place_edit.setText(str(latest.get("place", "")))
        lat, lon = latest.get("lat"), latest.get("lon")
        if isinstance(lat, int | float) and isinstance(lon, int | float):
            self._lat, self._lon = float(lat), float(lon)
        self.camera_box.setCurrentIndex(max(0, self.camera_box.findData(latest.get("camera", ""))))
        self.alert_box.setEnabled(False)  # a correction stays on its entry's alert
        self._baseline = self._state()
        self.reason_edit.setFocus()

    def _state(self) -> tuple[object, ...]:
        return (
            self.type_box.currentData(),
            self.text_edit.toPlainText().strip(),
            self.place_edit.text().strip(),
            self._lat,
            self._lon,
            self.camera_box.currentData(),
            self.reason_edit.text().strip(),
        )

    def _sign(self) -> None:
        now = datetime.now(self._tz).strftime("%d/%m/%Y %H:%M:%S")
        self.signature.setText(
            self.tr("Signé : {who} · poste {station} · {now}").format(
                who=self._signer, station=self._station, now=now
            )
        )

    # -- the place ---------------------------------------------------------------

    def set_place(self, lat: float, lon: float) -> None:
        """The point clicked on the map."""
        self._lat, self._lon = lat, lon
        self._show_point()

    def clear_point(self) -> None:
        self._lat = self._lon = None
        self._show_point()

    def point(self) -> tuple[float, float] | None:
        if self._lat is None or self._lon is None:
            return None
        return self._lat, self._lon

    def _show_point(self) -> None:
        point = self.point()
        self.clear_point_button.setVisible(point is not None)
        if point is None:
            self.point_label.setText(self.tr("Pas de point sur la carte"))
        else:
            self.point_label.setText(
                self.tr("Point : {lat:.5f}, {lon:.5f}").format(lat=point[0], lon=point[1])
            )

    # -- recording -----------------------------------------------------------------

    def draft(self) -> EntryDraft:
        point = self.point()
        return EntryDraft(
            type=str(self.type_box.currentData() or EntryType.OTHER.value),
            text=self.text_edit.toPlainText(),
            lat=point[0] if point else None,
            lon=point[1] if point else None,
            place=self.place_edit.text(),
            camera=str(self.camera_box.currentData() or ""),
        )

    def alert_pk(self) -> int | None:
        data = self.alert_box.currentData()
        return int(data) if isinstance(data, int) else None

    def _submit(self) -> None:
        if not self.save_button.isEnabled():
            return  # already sent to the storage: one entry per Entrée
        if not self.text_edit.toPlainText().strip():
            self.show_error(self.tr("Le texte de l'entrée est obligatoire."))
            self.text_edit.setFocus()
            return
        if self.correcting is not None and not self.reason_edit.text().strip():
            self.show_error(self.tr("Dites pourquoi vous corrigez cette entrée (motif)."))
            self.reason_edit.setFocus()
            return
        self.save_button.setEnabled(False)  # once: a second Entrée must not write twice
        self.submitted.emit(self.draft(), self.alert_pk(), self.reason_edit.text())

    def show_error(self, message: str) -> None:
        """The entry was refused: say why, keep everything typed."""
        self.save_button.setEnabled(True)
        self.error_label.setText(message)
        self.error_label.show()

    def written(self) -> None:
        """The entry is in the book: close."""
        self._clock.stop()
        super().accept()

    # -- never lose typed text -----------------------------------------------------

    def dirty(self) -> bool:
        """Something typed that is not in the book yet."""
        if self.correcting is not None:
            return self._state() != self._baseline
        return bool(self.text_edit.toPlainText().strip() or self.place_edit.text().strip())

    def accept(self) -> None:
        # The default button's Entrée (from a field other than the text): record.
        self._submit()

    def reject(self) -> None:
        if not self.dirty():
            self._clock.stop()
            super().reject()
            return
        if self._discard_box is not None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Abandonner l'entrée ?"),
            self.tr("Le texte saisi n'est pas enregistré dans la main courante. L'abandonner ?"),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        self.discard_button = box.addButton(
            self.tr("Abandonner"), QMessageBox.ButtonRole.DestructiveRole
        )
        self.keep_button = box.addButton(
            self.tr("Continuer la saisie"), QMessageBox.ButtonRole.RejectRole
        )
        box.setDefaultButton(self.keep_button)
        box.setEscapeButton(self.keep_button)  # a second Échap keeps the text
        box.finished.connect(lambda _r: self._on_discard_answer(box))
        self._discard_box = box
        box.open()

    def discard_question(self) -> QMessageBox | None:
        """The « abandonner ? » question while it is open (tests)."""
        return self._discard_box

    def _on_discard_answer(self, box: QMessageBox) -> None:
        self._discard_box = None
        if box.clickedButton() is self.discard_button:
            self._clock.stop()
            super().reject()
        else:
            self.text_edit.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dirty():
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)
