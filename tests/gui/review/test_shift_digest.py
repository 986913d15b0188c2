"""The end-of-shift digest at handover: closing a shift first shows what the next
shift inherits (open alerts, units still engaged, muted alarms), computed on the
review's worker; the shift is closed only once that is confirmed."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QWidget
from review_shift import NOW, SITE, STATION, Data, t

from csu_console.core.accounts import Account, LockoutPolicy
from csu_console.core.review.digest import ShiftDigest
from csu_console.core.review.rows import AlertRow
from csu_console.core.roles import Role
from csu_console.storage.writer import StorageWriter
from csu_console.ui.bridge import DbTasks
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.handover import HandoverController
from csu_console.ui.console.session import Session
from csu_console.ui.console.session_controller import SessionController
from csu_console.ui.console.shift import ShiftController
from csu_console.ui.review.digest_view import DIGEST_ROWS, DigestView
from csu_console.ui.review.indicators import table_rows
from csu_console.ui.review.launcher import ReviewLauncher


def closings(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM events WHERE kind = 'shift_closed'")
                   .fetchone()[0])  # fmt: skip
    finally:
        conn.close()


class NoLink:
    """No link: these tests send nothing upstream."""

    def nudge_outbox(self) -> None:
        raise AssertionError("nothing is sent here")


def context(session: Session, tasks: DbTasks) -> StationContext:
    return StationContext(STATION, tasks, session, NoLink())


@pytest.fixture
def station(
    qtbot: Any, writer: StorageWriter, data: Data
) -> Iterator[tuple[ShiftController, ReviewLauncher]]:
    """Durand's station: a shift opened at 04:00 UTC, closed at 13:00 (NOW)."""
    del data
    writer.submit(lambda s: s.open_shift(STATION, "durand", t(4))).result()
    main = QWidget()
    qtbot.addWidget(main)
    session = Session(main)
    session.log_in(Account("durand", "Paul Durand", Role.OPERATEUR))
    tasks = DbTasks(writer, main)
    launcher = ReviewLauncher(SITE, session, writer, STATION, writer.path, main, now=lambda: NOW)
    shifts = ShiftController(context(session, tasks), launcher.tz, main, main)
    shifts.before_close = launcher.confirm_shift_close
    yield shifts, launcher
    launcher.stop()


def test_the_digest_is_shown_before_the_shift_is_closed(
    qtbot: Any, station: tuple[ShiftController, ReviewLauncher], writer: StorageWriter, data: Data
) -> None:
    shifts, launcher = station
    shifts.close_shift()
    qtbot.waitUntil(lambda: launcher.digest_dialog is not None, timeout=10_000)
    dialog = launcher.digest_dialog
    assert dialog is not None and dialog.isVisible()
    assert closings(writer.path) == 0  # nothing closed before it is confirmed
    view = dialog.view
    # Open at 13:00: B0 (before the shift, never closed), B3, B5, B9 (12:30); the
    # most urgent first (P1s on top), then the oldest.
    opened = [row[0] for row in table_rows(view.open_alerts)]
    assert sorted(opened, key=int) == sorted(str(data.pks[n]) for n in ("B0", "B3", "B5", "B9"))
    priorities = [row[2] for row in table_rows(view.open_alerts)]
    order = ["Urgente", "Haute", "Normale", "Information"]
    assert priorities == sorted(priorities, key=order.index) and priorities[0] == "Urgente"
    assert view.titles["open"].text() == "Alertes ouvertes (4)"
    assert table_rows(view.dispatches) == [("Bravo", str(data.pks["B5"]), "Engagée", "02/06 09:20")]
    assert view.titles["cameras"].text() == "Caméras hors service (0)"
    assert table_rows(view.mutes) == [("poste-1", "07:00:00", "07:02:00", "2 min 00 s", "durand")]
    assert "4 alerte(s) ouverte(s), 1 intervention(s) en cours" in view.headline.text()

    with qtbot.waitSignal(shifts.shift_closed, timeout=10_000) as closed:
        dialog.confirm_button.click()
    assert closed.args[0]["opened_by"] == "durand"
    assert closings(writer.path) == 1


def test_cancelling_the_digest_keeps_the_shift_open(
    qtbot: Any, station: tuple[ShiftController, ReviewLauncher], writer: StorageWriter
) -> None:
    shifts, launcher = station
    shifts.close_shift()
    qtbot.waitUntil(lambda: launcher.digest_dialog is not None, timeout=10_000)
    dialog = launcher.digest_dialog
    assert dialog is not None
    dialog.reject()
    # A close would have been queued on the storage thread before this read (FIFO).
    assert writer.submit(lambda s: s.current_shift(STATION)).result() is not None
    assert closings(writer.path) == 0


def test_nothing_to_hand_over_closes_at_once(qtbot: Any, writer: StorageWriter) -> None:
    writer.submit(lambda s: s.open_shift(STATION, "durand", t(4))).result()
    main = QWidget()
    qtbot.addWidget(main)
    session = Session(main)
    session.log_in(Account("durand", "Paul Durand", Role.OPERATEUR))
    launcher = ReviewLauncher(SITE, session, writer, STATION, writer.path, main, now=lambda: NOW)
    ctx = context(session, DbTasks(writer, main))
    shifts = ShiftController(ctx, launcher.tz, main, main)
    shifts.before_close = launcher.confirm_shift_close
    with qtbot.waitSignal(shifts.shift_closed, timeout=10_000):
        shifts.close_shift()
    assert launcher.digest_dialog is None and closings(writer.path) == 1
    launcher.stop()


def test_a_handover_shows_the_digest_before_the_operator_leaves(
    qtbot: Any, station: tuple[ShiftController, ReviewLauncher], writer: StorageWriter
) -> None:
    _shifts, launcher = station
    session = launcher.session
    main = launcher.main_window
    tasks = DbTasks(writer, main)
    ctx = context(session, tasks)
    sessions = SessionController(ctx, LockoutPolicy(), main)
    zones = [(z.id, z.area) for z in SITE.zones]
    handover = HandoverController(ctx, launcher.worker, launcher.tz, zones, main, now=lambda: NOW)
    sessions.before_handover = handover.confirm
    sessions.handover()
    qtbot.waitUntil(lambda: handover.dialog is not None, timeout=10_000)
    dialog = handover.dialog
    assert dialog is not None and dialog.isVisible()
    assert session.account is not None and session.account.login == "durand"  # not yet
    assert "4 alerte(s) ouverte(s)" in dialog.view.headline.text()
    assert dialog.close_shift_button.isVisible()  # a shift is open: it may be closed too
    dialog.hand_over_button.click()
    qtbot.waitUntil(lambda: session.account is None, timeout=5000)
    assert sessions.dialog.isVisible()  # the next operator logs in
    # « Passer la main » alone: the shift stays open (closing it is the other button,
    # tests/gui/console/test_handover.py).
    assert writer.submit(lambda s: s.current_shift(STATION)).result() is not None


def test_a_digest_with_thousands_of_open_alerts_lists_the_first_ones_and_says_so(
    qtbot: Any,
) -> None:
    def row(pk: int) -> AlertRow:
        at = t(4).isoformat()
        return AlertRow(
            pk, at, "cambriolage", 2, f"Alerte {pk}", None, "Ville", None, None, "plateforme",
            f"A-{pk}", None, None, "new", None, None, None, None, None, False, (), (),
        )  # fmt: skip

    view = DigestView(ZoneInfo(SITE.site.timezone))
    qtbot.addWidget(view)
    view.show_digest(ShiftDigest(NOW, tuple(row(pk) for pk in range(1, 1201)), (), (), ()))
    assert view.open_alerts.rowCount() == DIGEST_ROWS
    assert view.open_alerts.item(0, 0).text() == "1"
    title = view.titles["open"].text()
    assert f"1200 ; les {DIGEST_ROWS} premières ici" in title
    assert "1200 alerte(s) ouverte(s)" in view.headline.text()  # the count is whole
    view.show_digest(ShiftDigest(NOW, tuple(row(pk) for pk in range(1, 4)), (), (), ()))
    assert view.open_alerts.rowCount() == 3 and view.titles["open"].text().endswith("(3)")
