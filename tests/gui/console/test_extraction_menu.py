"""The extraction in the real console window (the demo site's configuration): the
« Vidéo » menu with « Extraction sur réquisition… » (Ctrl+E, gated on
EXTRACT_VIDEO) and « Registre des extractions… », the dialog prefilled from the
selected alert (its ranked cameras, −10 min / +20 min around its reported time),
and « Extraire les images de l'alerte… » in the queue's context menu."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QMenu

from csu_console.config import load_site
from csu_console.core.accounts import Account
from csu_console.core.alerts import Location
from csu_console.core.ranking import cameras_for_alert
from csu_console.core.roles import Role
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.extraction_assembly import VIDEO_MENU, assemble_extraction
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.console.session import Session

CONFIG = Path(__file__).resolve().parents[3] / "config"
TZ = ZoneInfo("Europe/Paris")


@pytest.fixture
def console(qtbot: Any, writer: StorageWriter, tmp_path: Path) -> dict[str, Any]:
    site = load_site(CONFIG)
    session = Session()
    tasks = DbTasks(writer)
    model = AlertTableModel(TZ)
    window = MainWindow(model, tasks, TZ, site.site.name, "poste-1", session=session)
    qtbot.addWidget(window)
    session.setParent(window)
    tasks.setParent(window)
    launcher = assemble_extraction(site, tmp_path, tasks, window, "poste-1")
    return {"site": site, "window": window, "launcher": launcher, "session": session,
            "model": model}  # fmt: skip


def test_video_menu_is_gated_on_extract_video(console: dict[str, Any]) -> None:
    window, launcher, session = console["window"], console["launcher"], console["session"]
    menu = window.menuBar().findChild(QMenu, VIDEO_MENU)
    assert menu is not None and menu.title() == "&Vidéo"
    titles = [a.text() for a in menu.actions()]
    assert titles == ["Extraction sur réquisition…", "Registre des extractions…"]
    assert launcher.extract_action.shortcut().toString() == "Ctrl+E"
    # The menu sits before « Installation ».
    bar = [a.text() for a in window.menuBar().actions()]
    assert bar.index("&Vidéo") == bar.index("&Installation") - 1
    assert launcher.recordings_folder() == launcher.facts.recordings
    assert not launcher.extract_action.isEnabled()  # nobody logged in
    messages: list[str] = []
    launcher.message.connect(messages.append)
    session.log_in(Account("inst", "Ingrid", Role.INSTALLATEUR))
    assert not launcher.extract_action.isEnabled()
    assert not launcher.register_action.isEnabled()
    assert launcher.open_extraction() is None
    assert messages[-1].startswith("Action réservée : le rôle « Installateur »")
    assert launcher.open_register() is None
    session.log_out()
    session.log_in(Account("op", "Olivier", Role.OPERATEUR))
    assert launcher.extract_action.isEnabled() and launcher.register_action.isEnabled()


def test_ctrl_e_prefills_from_the_selected_alert(
    qtbot: Any, console: dict[str, Any], make: Any
) -> None:
    site, window, launcher = console["site"], console["window"], console["launcher"]
    console["session"].log_in(Account("op", "Olivier", Role.OPERATEUR))
    cam = site.cameras[0]
    reported = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    item = make.stored(sent=reported, location=Location(cam.lat, cam.lon, "Place test", 10.0))
    console["model"].load([item])
    window.select_row(0)
    assert window.selected_alert() is not None
    launcher.extract_action.trigger()
    dialog = launcher.dialog
    assert dialog is not None and dialog.isVisible()
    ranked = [r.camera.id for r in cameras_for_alert(item.alert, site.cameras, site.zones,
                                                      limit=9)]  # fmt: skip
    assert ranked and dialog.form.checked_cameras() == ranked
    start, end = dialog.form.period()
    assert start == reported - timedelta(minutes=10)
    assert end == reported + timedelta(minutes=20)
    assert f"Alerte n° {item.pk}" in dialog.form.context.text()
    # A second Ctrl+E brings the same dialog forward.
    assert launcher.open_extraction() is dialog
    dialog.reject()
    qtbot.waitUntil(lambda: launcher.dialog is None, timeout=5000)
    # The queue's context menu offers the same, for the alert under the pointer.
    menu = launcher.alert_menu(item)
    (action,) = menu.actions()
    assert action.text().startswith("Extraire les images de l'alerte") and action.isEnabled()
    action.trigger()
    assert launcher.dialog is not None and launcher.dialog.form.checked_cameras() == ranked
    launcher.dialog.reject()
    menu.deleteLater()
