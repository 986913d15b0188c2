"""The setup's zone form (issue 19): the zone's commune and INSEE code, its zoning
chosen among those site.toml declares."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from csu_console.config import load_site
from csu_console.ui.setup.window import SetupWindow


def test_zoning_is_chosen_among_the_declared_ones(window: SetupWindow) -> None:
    panel = window.zone_panel
    window.model.select_zone("secteur-port")
    assert not panel.zoning_edit.isEditable()
    items = [panel.zoning_edit.itemText(i) for i in range(panel.zoning_edit.count())]
    assert items == [
        "Secteurs de police municipale (secteur_pm)",
        "Quartiers (quartier)",
        "Communes (commune)",
    ]
    assert panel.zoning_edit.currentData() == "secteur_pm"
    assert panel.commune_edit.text() == "Port-Kaisan (démo)"
    assert panel.insee_edit.text() == "30902"
    labels = [panel.zoning_box.itemText(i) for i in range(panel.zoning_box.count())]
    assert labels == ["Secteurs de police municipale", "Quartiers", "Communes"]
    panel.zoning_edit.setCurrentIndex(panel.zoning_edit.findData("quartier"))
    panel.zoning_edit.activated.emit(panel.zoning_edit.currentIndex())
    assert window.model.zone("secteur-port").zoning == "quartier"  # type: ignore[union-attr]


def test_insee_code_checked_and_filled_from_the_commune(window: SetupWindow) -> None:
    panel = window.zone_panel
    window.model.select_zone("quartier-kamppi")
    panel.insee_edit.setText("3090")
    panel.insee_edit.editingFinished.emit()
    assert "code INSEE : code INSEE de commune à 5 caractères attendu" in panel.error_label.text()
    assert window.model.zone("quartier-kamppi").insee == "30903"  # type: ignore[union-attr]
    panel.insee_edit.setText("2b033")
    panel.insee_edit.editingFinished.emit()
    assert panel.error_label.text() == ""
    assert window.model.zone("quartier-kamppi").insee == "2B033"  # type: ignore[union-attr]
    # Another commune of the site, its code left empty: the code it already has.
    panel.commune_edit.setText("Bourg-Centre (démo)")
    panel.insee_edit.setText("")
    panel.commune_edit.editingFinished.emit()
    zone = window.model.zone("quartier-kamppi")
    assert zone is not None and (zone.commune, zone.insee) == ("Bourg-Centre (démo)", "30901")
    assert panel.insee_edit.text() == "30901"


def test_a_zone_drawn_in_a_commune_takes_its_commune_and_is_saved(
    qtbot: QtBot, window: SetupWindow, site_dir: Path
) -> None:
    square = [(24.9500, 60.1660), (24.9520, 60.1660), (24.9520, 60.1670), (24.9500, 60.1670)]
    window.actions_.add_zone(square)
    zone = window.model.zones[-1]
    assert (zone.commune, zone.insee) == ("Port-Kaisan (démo)", "30902")
    window.save_with_reason("zone de test")
    qtbot.waitUntil(lambda: not window.model.dirty, timeout=5000)
    saved = next(z for z in load_site(site_dir).zones if z.id == zone.id)
    assert (saved.commune, saved.insee) == ("Port-Kaisan (démo)", "30902")


def test_an_undeclared_zoning_cannot_be_saved(window: SetupWindow) -> None:
    window.model.update_zone("secteur-port", zoning="ilot")
    window.model.select_zone("secteur-port")
    panel = window.zone_panel
    assert panel.zoning_edit.currentText() == "ilot (non déclaré)"
    assert "non déclaré dans site.toml" in panel.error_label.text()
    window.save()
    dialog = window.actions_.problems_dialog
    assert dialog is not None and dialog.isVisible()
    assert "zonage « ilot » non déclaré" in "\n".join(map(str, dialog.problems))
