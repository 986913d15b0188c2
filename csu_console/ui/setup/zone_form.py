"""Zones: the zoning shown, the list of its zones, the selected zone's fields (name,
commune and its INSEE code, zoning among the declared ones), and the drawing tools
(new zone, hole)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
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

from csu_console.config.checks import Invalid
from csu_console.config.territory_section import insee_code
from csu_console.core.territory import DEFAULT_ZONINGS, Zoning
from csu_console.ui.map.map_pane import ZONING_LABELS
from csu_console.ui.setup.model import SetupModel
from csu_console.ui.theme import current

ZONE_ID_ROLE = 0x0100  # Qt.UserRole


def zoning_label(zoning: str) -> str:
    """« Secteurs PM » for ``secteur_pm``; an installer's own zoning as typed."""
    return ZONING_LABELS.get(zoning, zoning)


class ZonePanel(QWidget):
    """Shows one zoning, its zones, and edits the selected zone.

    ``zonings`` are those ``site.toml`` declares (``declared`` True): the zone's
    zoning is then chosen among them only; a site that declares none may type its own.
    """

    draw_zone_requested = Signal()
    draw_hole_requested = Signal()

    def __init__(
        self,
        model: SetupModel,
        parent: QWidget | None = None,
        *,
        zonings: tuple[Zoning, ...] = DEFAULT_ZONINGS,
        declared: bool = False,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._loading = False
        self._zonings = zonings
        self._declared = declared
        self.zoning_box = QComboBox(self)
        self.zoning_box.setToolTip(self.tr("Zonage affiché sur la carte et dans l'affectation"))
        self.zoning_box.activated.connect(self._on_zoning_box_activated)
        self.zone_list = QListWidget(self)
        self.zone_list.currentItemChanged.connect(self._on_zone_list_current_changed)
        self.draw_button = QPushButton(self.tr("Dessiner une zone"), self)
        self.draw_button.setToolTip(
            self.tr("Cliquer les sommets ; double-clic ou Entrée ferme, Échap annule")
        )
        self.draw_button.clicked.connect(self.draw_zone_requested)
        self.hole_button = QPushButton(self.tr("Ajouter un trou"), self)
        self.hole_button.clicked.connect(self.draw_hole_requested)
        self.remove_button = QPushButton(self.tr("Supprimer la zone"), self)
        self.remove_button.clicked.connect(self._on_remove_clicked)

        self.id_edit = QLineEdit(self)
        self.name_edit = QLineEdit(self)
        self.commune_edit = QLineEdit(self)
        self.commune_edit.setToolTip(self.tr("Nom de la commune de la zone"))
        self.commune_names = QStringListModel(self)  # the communes already named
        self.commune_completer = QCompleter(self.commune_names, self)
        self.commune_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.commune_edit.setCompleter(self.commune_completer)
        self.insee_edit = QLineEdit(self)
        self.insee_edit.setMaxLength(5)
        self.insee_edit.setPlaceholderText(self.tr("ex. 25388"))
        self.insee_edit.setToolTip(
            self.tr("Code INSEE de la commune : 5 caractères, chiffres ou 2A/2B (Corse)")
        )
        self.zoning_edit = QComboBox(self)
        self.zoning_edit.setEditable(not declared)
        if declared:
            self.zoning_edit.setToolTip(self.tr("Un des zonages déclarés dans site.toml"))
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {current().danger_text}; font-weight: bold;")
        for edit in (self.id_edit, self.name_edit, self.commune_edit, self.insee_edit):
            edit.editingFinished.connect(self._apply)
        zoning_line = self.zoning_edit.lineEdit()
        if zoning_line is not None:  # editable: a site without declared zonings
            zoning_line.editingFinished.connect(self._apply)
        self.zoning_edit.activated.connect(self._apply)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Zonage affiché"), self))
        top.addWidget(self.zoning_box, 1)
        buttons = QHBoxLayout()
        for button in (self.draw_button, self.hole_button, self.remove_button):
            buttons.addWidget(button)
        self.fields = QWidget(self)
        form = QFormLayout(self.fields)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Identifiant"), self.id_edit)
        form.addRow(self.tr("Nom"), self.name_edit)
        form.addRow(self.tr("Commune"), self.commune_edit)
        form.addRow(self.tr("Code INSEE"), self.insee_edit)
        form.addRow(self.tr("Zonage"), self.zoning_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.zone_list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.fields)
        layout.addWidget(self.error_label)

        model.zones_changed.connect(self._refresh)
        model.zone_changed.connect(self._on_model_zone_changed)
        model.selection_changed.connect(self._refresh)
        model.shown_zoning_changed.connect(self._refresh)
        self._refresh()

    @Slot()
    def _refresh(self) -> None:
        self._loading = True
        try:
            zonings = self._model.zonings()
            shown = self._model.shown_zoning
            self.zoning_box.clear()
            for zoning in zonings:
                self.zoning_box.addItem(self._label(zoning), zoning)
            self.zoning_box.setCurrentIndex(max(0, self.zoning_box.findData(shown)))
            self.zone_list.clear()
            for z in self._model.zones:
                if z.zoning != shown:
                    continue
                item = QListWidgetItem(f"{z.name}  ({z.id})", self.zone_list)
                item.setData(ZONE_ID_ROLE, z.id)
                if z.id == self._model.selected_zone:
                    self.zone_list.setCurrentItem(item)
            zone = self._model.zone(self._model.selected_zone or "")
            self.fields.setEnabled(zone is not None)
            self.hole_button.setEnabled(zone is not None)
            self.remove_button.setEnabled(zone is not None)
            self.zoning_edit.clear()
            if self._declared:
                for declared in self._zonings:
                    self.zoning_edit.addItem(f"{declared.label} ({declared.id})", declared.id)
            else:
                for zoning in zonings or [z.id for z in DEFAULT_ZONINGS]:
                    self.zoning_edit.addItem(zoning, zoning)
            names = sorted({z.commune for z in self._model.zones if z.commune})
            self.commune_names.setStringList(names)
            if zone is not None:
                self.id_edit.setText(zone.id)
                self.name_edit.setText(zone.name)
                self.commune_edit.setText(zone.commune)
                self.insee_edit.setText(zone.insee)
                index = self.zoning_edit.findData(zone.zoning)
                if index < 0:  # not declared: shown as it is, said so below
                    self.zoning_edit.addItem(
                        self.tr("{zoning} (non déclaré)").format(zoning=zone.zoning), zone.zoning
                    )
                    index = self.zoning_edit.count() - 1
                self.zoning_edit.setCurrentIndex(index)
                self.error_label.setText(self._zoning_problem(zone.zoning))
        finally:
            self._loading = False

    @Slot(str)
    def _on_model_zone_changed(self, zone_id: str) -> None:
        if zone_id == self._model.selected_zone:
            self._refresh()

    @Slot(int)
    def _on_zoning_box_activated(self, index: int) -> None:
        zoning = self.zoning_box.itemData(index)
        if isinstance(zoning, str):
            self._model.show_zoning(zoning)

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_zone_list_current_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        if self._loading or current is None:
            return
        self._model.select_zone(current.data(ZONE_ID_ROLE))

    @Slot()
    def _apply(self) -> None:
        zone_id = self._model.selected_zone
        if self._loading or zone_id is None:
            return
        new_id = self.id_edit.text().strip()
        if self._declared:
            zoning = str(self.zoning_edit.currentData() or "")
        else:
            zoning = self.zoning_edit.currentText().strip()
        problems: list[str] = []
        commune = self.commune_edit.text().strip()
        changes: dict[str, Any] = {
            "name": self.name_edit.text().strip() or new_id or zone_id,
            "commune": commune,
        }
        typed = self.insee_edit.text().strip()
        if not typed and commune:
            # A commune already given a code elsewhere: the same code, typed once.
            typed = next(
                (z.insee for z in self._model.zones if z.commune == commune and z.insee), ""
            )
            self.insee_edit.setText(typed)
        if typed:
            try:
                changes["insee"] = insee_code(typed)
            except Invalid as exc:
                problems.append(self.tr("code INSEE : {problem}").format(problem=exc.expected))
        else:
            changes["insee"] = ""
        if not new_id:
            problems.append(self.tr("id : texte non vide attendu"))
        elif new_id != zone_id and (
            self._model.zone(new_id) is not None or self._model.camera(new_id) is not None
        ):
            problems.append(self.tr("id : « {id} » est déjà utilisé").format(id=new_id))
        else:
            changes["id"] = new_id
        if zoning:
            changes["zoning"] = zoning
            if self._zoning_problem(zoning):
                problems.append(self._zoning_problem(zoning))
        else:
            problems.append(self.tr("zonage : texte non vide attendu"))
        self.error_label.setText("\n".join(problems))
        self._model.update_zone(zone_id, **changes)

    @property
    def declared_ids(self) -> list[str] | None:
        """The zonings site.toml declares (None: it declares none, any zoning goes)."""
        return [z.id for z in self._zonings] if self._declared else None

    def _label(self, zoning: str) -> str:
        """A declared zoning's label; otherwise the historical label, or the id."""
        declared = next((z for z in self._zonings if z.id == zoning), None)
        if declared is not None and self._declared:
            return declared.label
        return zoning_label(zoning)

    def _zoning_problem(self, zoning: str) -> str:
        """« zonage non déclaré » when the site declares zonings and not this one."""
        if not self._declared or any(z.id == zoning for z in self._zonings):
            return ""
        return self.tr(
            "zonage « {zoning} » non déclaré dans site.toml : choisir un zonage déclaré"
        ).format(zoning=zoning)

    @Slot()
    def _on_remove_clicked(self) -> None:
        if self._model.selected_zone is not None:
            self._model.remove_zone(self._model.selected_zone)
