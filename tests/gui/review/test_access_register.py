"""The access register screen and the logging of the review's openings: the
supervisor and the administrator open it (from the review's launcher), an operator
is refused; it lists camera views, snapshots, exports and review openings, filters
by camera, operator and action, and exports a CSV that is itself logged."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget
from review_shift import NOW, SITE, STATION, Data, t

from csu_console.config.schema import Camera
from csu_console.core.accounts import Account
from csu_console.core.roles import Role
from csu_console.storage.store import Store
from csu_console.storage.writer import StorageWriter
from csu_console.ui.console.session import Session
from csu_console.ui.review.access_register import AccessRegisterWindow
from csu_console.ui.review.launcher import ReviewLauncher

CAMERAS = (
    Camera("cam-01", "Place de la Gare", "fixe", 2.2, 48.7, 0, 60, 80, "rtsp://x/1"),
    Camera("cam-02", "Rue du Marché", "dome", 2.2, 48.2, 0, 60, 80, "rtsp://x/2"),
)
CAM_SITE = dataclasses.replace(SITE, cameras=CAMERAS)


def views(store: Store) -> None:
    """Three camera views and a snapshot during the morning shift."""
    store.add_event(
        "camera_viewed",
        None,
        STATION,
        "durand",
        {"cameras": ["cam-01"], "reason": "bagarre signalée par radio"},
        at=t(6, 5),
    )
    store.add_event(
        "camera_viewed",
        None,
        STATION,
        None,
        {"cameras": ["cam-02"], "context": "Alerte n° 2", "auto": True},
        at=t(6, 10),
    )
    store.add_event(
        "camera_viewed",
        None,
        "poste-2",
        "martin",
        {"cameras": ["cam-02", "cam-01"], "context": "Alerte n° 3"},
        at=t(7, 0),
    )
    store.add_event(
        "snapshot",
        None,
        STATION,
        "durand",
        {"camera_id": "cam-02", "file": "cam-02.png", "sha256": "ab"},
        at=t(7, 1),
    )


def events(path: Path, kind: str) -> list[tuple[str | None, str | None, dict[str, Any]]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT station, operator, details FROM events WHERE kind = ? ORDER BY pk", (kind,)
        ).fetchall()
    finally:
        conn.close()
    return [(s, o, json.loads(d)) for s, o, d in rows]


@pytest.fixture
def launcher(
    qtbot: Any, writer: StorageWriter, data: Data, tmp_path: Path
) -> Iterator[ReviewLauncher]:
    del data
    writer.submit(views).result(timeout=10)
    main = QWidget()
    qtbot.addWidget(main)
    session = Session(main)
    launcher = ReviewLauncher(
        CAM_SITE, session, writer, STATION, writer.path, main,
        now=lambda: NOW, choose_path=lambda _kind, name: tmp_path / name,
    )  # fmt: skip
    yield launcher
    launcher.stop()


def log_in(launcher: ReviewLauncher, role: Role, login: str = "chef") -> None:
    launcher.session.log_in(Account(login, login.title(), role))


def open_register(qtbot: Any, launcher: ReviewLauncher) -> AccessRegisterWindow:
    with qtbot.waitSignal(launcher.register_opened, timeout=5000):
        launcher.open_access_register()
    register = launcher.register
    assert register is not None
    qtbot.waitUntil(lambda: register.page is not None, timeout=10_000)
    return register


def test_opening_the_review_is_logged(
    qtbot: Any, launcher: ReviewLauncher, writer: StorageWriter
) -> None:
    log_in(launcher, Role.SUPERVISEUR)
    launcher.open_review()
    assert launcher.window is not None
    with qtbot.waitSignal(launcher.window.loaded, timeout=10_000):
        pass
    launcher.open_review()  # raised again, not opened again
    writer.submit(lambda s: None).result(timeout=5)  # the queued event is written
    assert events(writer.path, "review_opened") == [(STATION, "chef", {"screen": "review"})]


@pytest.mark.parametrize("role", list(Role))
def test_only_supervisors_and_administrators_open_the_register(
    qtbot: Any, launcher: ReviewLauncher, writer: StorageWriter, role: Role
) -> None:
    log_in(launcher, role)
    messages: list[str] = []
    launcher.message.connect(messages.append)
    if role in (Role.SUPERVISEUR, Role.ADMIN):
        register = open_register(qtbot, launcher)
        assert register.isVisible() and messages == []
        writer.submit(lambda s: None).result(timeout=5)
        assert events(writer.path, "review_opened") == [
            (STATION, "chef", {"screen": "access_register"})
        ]
    else:
        launcher.open_access_register()
        assert launcher.register is None
        [refusal] = messages
        assert refusal.startswith("Action réservée : le rôle « ")
        assert refusal.endswith(" ne permet pas de consulter le registre des accès.")
        assert events(writer.path, "review_opened") == []


def rows(register: AccessRegisterWindow) -> list[list[str]]:
    table = register.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


def test_the_register_shows_who_saw_what_when_and_why(qtbot: Any, launcher: ReviewLauncher) -> None:
    log_in(launcher, Role.SUPERVISEUR)
    register = open_register(qtbot, launcher)
    shown = rows(register)
    # Newest first; the register's own opening is there (written meanwhile or not).
    body = [r for r in shown if r[3] != "Consultation de la revue"]
    assert body == [
        ["02/06/2025 09:01:00", "poste-1", "durand", "Capture d'image", "Rue du Marché", "",
         "fichier cam-02.png"],
        ["02/06/2025 09:00:00", "poste-2", "martin", "Caméra consultée",
         "Rue du Marché · Place de la Gare", "", "Alerte n° 3"],
        ["02/06/2025 08:10:00", "poste-1", "(affichage automatique)", "Caméra consultée",
         "Rue du Marché", "", "Affichage automatique – Alerte n° 2"],
        ["02/06/2025 08:05:00", "poste-1", "durand", "Caméra consultée", "Place de la Gare",
         "", "Hors alerte – motif : bagarre signalée par radio"],
    ]  # fmt: skip
    assert register.operator.findData("martin") > 0 and register.operator.findData("durand") > 0


def test_filters(qtbot: Any, launcher: ReviewLauncher) -> None:
    log_in(launcher, Role.ADMIN, "admin")
    register = open_register(qtbot, launcher)

    def choose(box: Any, value: str | None) -> list[list[str]]:
        with qtbot.waitSignal(register.loaded, timeout=10_000):
            box.setCurrentIndex(box.findData(value))
            box.activated.emit(box.currentIndex())
        return rows(register)

    assert [r[2] for r in choose(register.camera, "cam-01")] == ["martin", "durand"]
    assert [r[3] for r in choose(register.operator, "durand")] == ["Caméra consultée"]
    choose(register.camera, None)
    assert [r[3] for r in choose(register.action, "snapshot")] == ["Capture d'image"]
    # A period without any access.
    with qtbot.waitSignal(register.loaded, timeout=10_000):
        register.last_days(1)  # "today" is 2 June 2025 (NOW): the accesses are that day
    assert len(rows(register)) == 1
    with qtbot.waitSignal(register.loaded, timeout=10_000):
        register.since.setDate(register.since.date().addDays(-3))
    with qtbot.waitSignal(register.loaded, timeout=10_000):
        register.until.setDate(register.until.date().addDays(-1))
    assert rows(register) == []
    assert register.status.text() == "0 accès sur la période"


def test_the_csv_export_is_logged_and_shows_in_the_register(
    qtbot: Any, launcher: ReviewLauncher, writer: StorageWriter, tmp_path: Path
) -> None:
    log_in(launcher, Role.SUPERVISEUR)
    register = open_register(qtbot, launcher)
    with qtbot.waitSignal(register.exported, timeout=10_000) as done:
        register.csv_button.click()
        dialog = register.reason_dialog
        assert dialog is not None and dialog.isVisible()
        dialog.setTextValue("contrôle de la CNIL")
        dialog.accept()
    result = done.args[0]
    lines = result.path.read_bytes().decode("utf-8-sig").split("\r\n")
    assert lines[0] == "date et heure;poste;opérateur;action;caméras;alerte;motif ou contexte"
    assert result.rows == len([x for x in lines[1:] if x])
    assert (
        "2025-06-02 09:01:00;poste-1;durand;Capture d'image;Rue du Marché;;"
        + ("fichier cam-02.png")
        in lines
    )
    [(station, operator, details)] = events(writer.path, "export")
    assert (station, operator) == (STATION, "chef")
    assert details["what"] == "access_register" and details["reason"] == "contrôle de la CNIL"
    assert details["sha256"] == result.sha256 and details["rows"] == result.rows
    # 27 May 00:00 Paris, 7 days back from 2 June, to 3 June 00:00 Paris (UTC+2).
    assert details["filter"] == {
        "start": "2025-05-26T22:00:00+00:00", "end": "2025-06-02T22:00:00+00:00",
    }  # fmt: skip
    assert result.path.parent == tmp_path


def test_the_register_closes_when_an_operator_takes_the_station(
    qtbot: Any, launcher: ReviewLauncher
) -> None:
    log_in(launcher, Role.SUPERVISEUR)
    register = open_register(qtbot, launcher)
    log_in(launcher, Role.OPERATEUR, "durand")
    qtbot.waitUntil(lambda: not register.isVisible(), timeout=5000)


def test_the_review_window_offers_the_register(qtbot: Any, launcher: ReviewLauncher) -> None:
    log_in(launcher, Role.SUPERVISEUR)
    launcher.open_review()
    window = launcher.window
    assert window is not None and window.register_button.isVisible()
    with qtbot.waitSignal(launcher.register_opened, timeout=5000):
        window.register_button.click()


def test_with_a_central_review_the_register_reads_this_stations_database(
    qtbot: Any, writer: StorageWriter, tmp_path: Path
) -> None:
    """``[review] source`` sends the review to PostgreSQL; the register (every
    station's copied events are here) and the handover digest stay on the station's
    own database, whose SQL they speak. No server is contacted to open the register."""
    main = QWidget()
    qtbot.addWidget(main)
    session = Session(main)
    site = dataclasses.replace(
        CAM_SITE, review=dataclasses.replace(CAM_SITE.review, source="postgresql:///nowhere")
    )
    launcher = ReviewLauncher(
        site, session, writer, STATION, writer.path, main,
        now=lambda: NOW, choose_path=lambda _kind, name: tmp_path / name,
    )  # fmt: skip
    try:
        assert launcher.worker.source and not launcher.local_worker.source
        session.log_in(Account("chef", "Chef de salle", Role.SUPERVISEUR))
        launcher.open_access_register()
        register = launcher.register
        assert register is not None and register.worker is launcher.local_worker
    finally:
        launcher.stop()
