"""The selected camera's form: identity, streams, credentials, angles, and
« Tester le flux » with its figures and the live picture.

Each value is checked by the config schema's own field spec (same French message
as ``csu-console config check``) before it reaches the model. A URL typed with
``user:password@`` is split: the URL without them, the credentials in their fields
(saved apart, see :mod:`csu_console.config.secrets`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csu_console.config.checks import Invalid
from csu_console.config.schema import CAMERA_PROPERTIES
from csu_console.config.secrets import Credentials, split_credentials, with_credentials
from csu_console.media.video.probe import BACKEND_LABELS, ProbeError, ProbeResult
from csu_console.ui.setup.model import SetupModel
from csu_console.ui.setup.stream_test import StreamTester
from csu_console.ui.theme import current


def error_style() -> str:
    """A field's error, in the theme's alarm colour."""
    return f"color: {current().danger_text}; font-weight: bold;"


class CameraForm(QWidget):
    """Edits ``model``'s selected camera; greyed when none is selected."""

    def __init__(
        self, model: SetupModel, tester: StreamTester, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._tester = tester
        self._loading = False
        self.id_edit = QLineEdit(self)
        self.name_edit = QLineEdit(self)
        self.kind_box = QComboBox(self)
        self.kind_box.addItem(self.tr("fixe"), "fixe")
        self.kind_box.addItem(self.tr("dôme"), "dome")
        self.heading_spin = self._spin(0, 359.9, "°")
        self.fov_spin = self._spin(1, 360, "°")
        self.range_spin = self._spin(1, 2000, " m")
        self.main_edit = QLineEdit(self)
        self.main_edit.setPlaceholderText("rtsp://10.0.0.5:554/live")
        self.sub_edit = QLineEdit(self)
        self.sub_edit.setPlaceholderText(self.tr("facultatif"))
        self.user_edit = QLineEdit(self)
        self.password_edit = QLineEdit(self)
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.zones_label = QLabel(self)
        self.zones_label.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(error_style())

        form = QFormLayout()
        form.addRow(self.tr("Identifiant"), self.id_edit)
        form.addRow(self.tr("Nom"), self.name_edit)
        form.addRow(self.tr("Type"), self.kind_box)
        angles = QHBoxLayout()
        for label, spin in (
            (self.tr("Cap"), self.heading_spin),
            (self.tr("Angle"), self.fov_spin),
            (self.tr("Portée"), self.range_spin),
        ):
            angles.addWidget(QLabel(label, self))
            angles.addWidget(spin, 1)
        form.addRow(angles)
        form.addRow(self.tr("Flux principal"), self.main_edit)
        form.addRow(self.tr("Flux secondaire"), self.sub_edit)
        form.addRow(self.tr("Utilisateur"), self.user_edit)
        form.addRow(self.tr("Mot de passe"), self.password_edit)
        form.addRow(self.tr("Zones"), self.zones_label)

        self.test_button = QPushButton(self.tr("Tester le flux"), self)
        self.test_button.clicked.connect(self.test_stream)
        self.test_label = QLabel(self)
        self.test_label.setWordWrap(True)
        self.test_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.remove_button = QPushButton(self.tr("Supprimer la caméra"), self)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        tests = QHBoxLayout()
        tests.addWidget(self.test_button)
        tests.addStretch(1)
        tests.addWidget(self.remove_button)
        tile = tester.tile_widget()
        tile.setMinimumHeight(180)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(tests)
        layout.addWidget(self.test_label)
        layout.addWidget(tile, 3)
        layout.addStretch(1)

        for edit in (self.id_edit, self.name_edit, self.main_edit, self.sub_edit):
            edit.editingFinished.connect(self._apply)
        for edit in (self.user_edit, self.password_edit):
            edit.editingFinished.connect(self._apply_credentials)
        for spin in (self.heading_spin, self.fov_spin, self.range_spin):
            spin.editingFinished.connect(self._apply)
        self.kind_box.activated.connect(self._apply)
        tester.finished.connect(self._on_tester_finished)
        model.selection_changed.connect(self._on_model_selection_changed)
        model.cameras_changed.connect(self._refresh)
        model.camera_changed.connect(self._on_model_camera_changed)
        self._shown: str | None = None
        self._refresh()

    def _spin(self, lo: float, hi: float, suffix: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox(self)
        spin.setRange(lo, hi)
        spin.setDecimals(1)
        spin.setSuffix(suffix)
        spin.setKeyboardTracking(False)
        return spin

    # -- model → form ------------------------------------------------------------

    @Slot()
    def _on_model_selection_changed(self) -> None:
        if self._model.selected_camera != self._shown:
            self._tester.cancel()
            self._tester.stop_preview()
            self.test_label.clear()
            self.error_label.clear()
        self._refresh()

    @Slot(str)
    def _on_model_camera_changed(self, camera_id: str) -> None:
        if camera_id == self._model.selected_camera:
            self._refresh()

    @Slot()
    def _refresh(self) -> None:
        cam = self._model.camera(self._model.selected_camera or "")
        self._shown = cam.id if cam else None
        self.setEnabled(cam is not None)
        if cam is None:
            return
        self._loading = True
        try:
            for edit, text in (
                (self.id_edit, cam.id),
                (self.name_edit, cam.name),
                (self.main_edit, cam.stream_main),
                (self.sub_edit, cam.stream_sub or ""),
            ):
                if not edit.hasFocus() or edit.text() != text:
                    edit.setText(text)
            self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(cam.kind)))
            self.heading_spin.setValue(cam.heading_deg)
            self.fov_spin.setValue(cam.fov_deg)
            self.range_spin.setValue(cam.range_m)
            creds = self._model.credentials.get(cam.id)
            self.user_edit.setText(creds.user if creds else "")
            self.password_edit.setText(creds.password if creds else "")
            names = [z.name for zid in cam.zones if (z := self._model.zone(zid)) is not None]
            self.zones_label.setText(", ".join(names) or self.tr("aucune"))
        finally:
            self._loading = False

    # -- form → model ------------------------------------------------------------

    def _values(self) -> tuple[dict[str, Any], list[str]]:
        """The form's values checked by the schema, and the French problems."""
        raw: dict[str, Any] = {
            "id": self.id_edit.text().strip(),
            "name": self.name_edit.text().strip(),
            "kind": self.kind_box.currentData(),
            "heading_deg": self.heading_spin.value() % 360.0,
            "fov_deg": self.fov_spin.value(),
            "range_m": self.range_spin.value(),
            "stream_main": self.main_edit.text().strip(),
        }
        sub = self.sub_edit.text().strip()
        if sub:
            raw["stream_sub"] = sub
        values: dict[str, Any] = {} if sub else {"stream_sub": None}
        problems: list[str] = []
        for key, value in raw.items():
            try:
                values[key] = CAMERA_PROPERTIES[key].check(value)
            except Invalid as exc:
                problems.append(f"{key} : {exc.expected}")
        if not values.get("name") and values.get("id"):
            values["name"] = values["id"]
        return values, problems

    @Slot()
    def _apply(self) -> None:
        camera_id = self._shown
        if self._loading or camera_id is None:
            return
        self._split_typed_credentials()
        values, problems = self._values()
        new_id = values.get("id")
        if new_id and new_id != camera_id and self._model.camera(new_id) is not None:
            problems.append(self.tr("id : « {id} » est déjà utilisé").format(id=new_id))
            values.pop("id")
        self.error_label.setText("\n".join(problems))
        self._model.update_camera(camera_id, **values)

    def _split_typed_credentials(self) -> None:
        """``rtsp://user:pass@host`` typed in a URL field: keep the URL, move the rest."""
        for edit in (self.main_edit, self.sub_edit):
            url, creds = split_credentials(edit.text().strip())
            if creds is None:
                continue
            edit.setText(url)
            self.user_edit.setText(creds.user)
            self.password_edit.setText(creds.password)
            self._apply_credentials()

    @Slot()
    def _apply_credentials(self) -> None:
        if self._loading or self._shown is None:
            return
        user, password = self.user_edit.text().strip(), self.password_edit.text()
        creds = Credentials(user, password) if user or password else None
        self._model.set_credentials(self._shown, creds)

    @Slot()
    def _on_remove_clicked(self) -> None:
        if self._shown is not None:
            self._model.remove_camera(self._shown)

    # -- « Tester le flux » --------------------------------------------------------

    @Slot()
    def test_stream(self) -> None:
        """Probe the main stream (with its credentials) off the GUI thread."""
        self._apply()
        cam = self._model.camera(self._shown or "")
        if cam is None:
            return
        url = with_credentials(cam.stream_main, self._model.credentials.get(cam.id))
        self.test_label.setStyleSheet("")
        self.test_label.setText(self.tr("Test en cours…"))
        self.test_button.setEnabled(False)
        self._tester.start(cam, url)

    @Slot(object, float)
    def _on_tester_finished(self, outcome: object, elapsed: float) -> None:
        self.test_button.setEnabled(True)
        if isinstance(outcome, ProbeResult):
            size = f"{outcome.width}×{outcome.height}" if outcome.width else self.tr("inconnue")
            self.test_label.setStyleSheet(f"color: {current().ok_text}; font-weight: bold;")
            self.test_label.setText(
                self.tr(
                    "Flux OK — résolution {size}, codec {codec}, première image en {t:.2f} s "
                    "({backend})"
                ).format(
                    size=size,
                    codec=outcome.codec or self.tr("inconnu"),
                    t=outcome.time_to_first_frame_s,
                    backend=BACKEND_LABELS.get(outcome.backend, outcome.backend),
                )
            )
        elif isinstance(outcome, ProbeError):
            self.test_label.setStyleSheet(error_style())
            self.test_label.setText(
                self.tr("Échec ({t:.1f} s) : {error} — {detail}").format(
                    t=elapsed, error=outcome.error.value.upper(), detail=outcome.detail
                )
            )
