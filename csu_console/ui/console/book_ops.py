"""The main courante at the console: writing entries (F9) and corrections, reading
the CSU's book live, printing it.

Everything stored goes through the station's storage tasks (``ctx.tasks``) and the
named operations of :mod:`csu_console.storage.book`; nothing here writes SQL. The
book is re-read when it changes: every :data:`POLL_MS` the last pk of ``events``
and the last rowid of ``peer_events`` are looked at (two index lookups on the
storage thread), and the rows are read again only when one moved or a filter
changed — a peer's event shows within about a second, one's own at once.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, tzinfo
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QFileDialog, QWidget

from csu_console.core.alerts import CATEGORY_LABELS, AlertState, StoredAlert
from csu_console.core.book import BookCursor, BookPage, BookQuery, BookRow, EntryDraft
from csu_console.core.logbook import EventKind
from csu_console.core.review.export import check_reason
from csu_console.core.roles import Permission
from csu_console.errors import UserFacingError
from csu_console.report.book_pdf import BookLine, BookPrint, write_book_pdf
from csu_console.storage.book import (
    book_cursor,
    book_people,
    chain_head,
    read_book,
    write_correction,
    write_entry,
)
from csu_console.storage.logbook_audit import ChainReport
from csu_console.storage.store import Store
from csu_console.ui.console.book_model import HTML_ROLE, BookTableModel
from csu_console.ui.console.book_view import BookView
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.dialogs import ask_reason
from csu_console.ui.console.entry_dialog import EntryDialog
from csu_console.ui.labels import tr_label
from csu_console.ui.map.map_view import MapView
from csu_console.ui.map.projection import scene_to_lonlat

log = logging.getLogger("csu.ui")

#: How often the book looks for new events (ms).
POLL_MS = 1000

AlertSource = Callable[[], Sequence[StoredAlert]]


def alert_label(alert: StoredAlert) -> str:
    """« n° 12 · Cambriolage · Vitre brisée » (the queue's words)."""
    category = tr_label(CATEGORY_LABELS[alert.alert.category])
    return f"n° {alert.pk} · {category} · {alert.alert.title or alert.alert.id}"


class MapPicker(QObject):
    """The next left click on the map gives a point (« Choisir sur la carte »);
    Échap or a right click gives up. Watches the map's viewport, changes nothing else."""

    picked = Signal(float, float)  # lat, lon
    cancelled = Signal()

    def __init__(self, view: MapView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view = view
        self.active = False

    def start(self) -> None:
        self.active = True
        self._view.viewport().installEventFilter(self)
        self._view.viewport().setCursor(Qt.CursorShape.CrossCursor)
        self._view.setFocus()

    def stop(self) -> None:
        if not self.active:
            return
        self.active = False
        self._view.viewport().removeEventFilter(self)
        self._view.viewport().unsetCursor()

    def click(self, viewport_pos: QPointF) -> None:
        """A click at a viewport point (what the mouse does; tests call it too)."""
        lon, lat = scene_to_lonlat(self._view.map_viewport_to_scene(viewport_pos))
        self.stop()
        self.picked.emit(lat, lon)

    def cancel(self) -> None:
        self.stop()
        self.cancelled.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.active:
            return False
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            if event.button() == Qt.MouseButton.LeftButton:
                self.click(event.position())
            else:
                self.cancel()
            return True
        if event.type() == QEvent.Type.KeyPress:
            self.cancel()
            return True
        return False


class BookController(QObject):
    """F9, « Corriger… », « Imprimer (PDF)… » and the live book."""

    message = Signal(str)  # French, for the status bar
    entry_written = Signal(int)  # pk of the entry or correction
    written_counted = Signal(int)  # lines written by operators in the book shown

    def __init__(
        self,
        ctx: StationContext,
        tz: tzinfo,
        view: BookView,
        window: QWidget,
        *,
        alerts: AlertSource,
        cameras: Sequence[tuple[str, str]] = (),
        map_view: MapView | None = None,
        centre: str = "",
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx, self._tz, self.view, self._window = ctx, tz, view, window
        self.model: BookTableModel = view.model
        self._alerts = alerts
        self._cameras = list(cameras)
        self._centre = centre or ctx.name
        self.dialog: EntryDialog | None = None
        self.picker = MapPicker(map_view, self) if map_view is not None else None
        if self.picker is not None:
            self.picker.picked.connect(self._on_picked)
            self.picker.cancelled.connect(self._show_dialog_again)
        self.selected_alert: StoredAlert | None = None
        self.page = BookPage()
        self._cursor: BookCursor | None = None
        self._stale = True
        self._reading = False
        self._polling = False
        self._stopped = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)
        view.query_changed.connect(self.refresh)
        view.correct_requested.connect(self.open_correction)
        view.print_requested.connect(self.print_book)

    # -- reading -----------------------------------------------------------------

    def start(self) -> None:
        """Read the book now and keep it live."""
        self._timer.start()
        self.refresh()

    def stop(self) -> None:
        self._stopped = True  # a poll answered after this must not read again
        self._timer.stop()
        if self.picker is not None:
            self.picker.stop()

    def refresh(self) -> None:
        """Read the book again (filters changed, an entry was written)."""
        if self._stopped:
            return  # the console stopped: its storage is closed
        self._stale = True
        if self._reading:
            return  # read again when the current reading is back
        self._reading, self._stale = True, False
        query, tz, station = self.view.query(), self._tz, self._ctx.station

        def read(store: Store) -> tuple[BookPage, tuple[list[str], list[str]]]:
            return read_book(store.conn, query, tz, station), book_people(
                store.conn, query, tz, station
            )

        self._ctx.tasks.run(read, self._on_read, self._on_read_failed, owner=self.view)

    def _on_read(self, result: tuple[BookPage, tuple[list[str], list[str]]]) -> None:
        self._reading = False
        page, (stations, operators) = result
        self.page = page
        self._cursor = page.cursor
        self.model.set_rows(page.rows, multi_day=self.view.multi_day())
        self.view.set_people(stations, operators)
        written = sum(1 for r in page.rows if r.is_entry or r.is_correction)
        self.written_counted.emit(written)
        now = datetime.now(self._tz).strftime("%H:%M:%S")
        text = self.tr("{n} événements dont {w} écrits par les opérateurs · à jour à {t}").format(
            n=len(page.rows), w=written, t=now
        )
        if page.truncated:
            text += " · " + self.tr("liste limitée aux {n} plus récents").format(n=len(page.rows))
        self.view.show_status(text)
        if self._stale:
            self.refresh()

    def _on_read_failed(self, exc: BaseException) -> None:
        self._reading = False
        log.error("lecture de la main courante impossible : %s", exc)
        self.view.show_status(self.tr("Main courante illisible : {e}").format(e=exc))

    def poll(self) -> None:
        """Has anything been written here or copied from a peer since the last read?"""
        if self._polling or self._reading:
            return
        self._polling = True

        def done(cursor: BookCursor) -> None:
            self._polling = False
            if cursor != self._cursor:
                self.refresh()

        def failed(exc: BaseException) -> None:
            self._polling = False
            log.warning("main courante : relevé impossible : %s", exc)

        self._ctx.tasks.run(lambda s: book_cursor(s.conn), done, failed, owner=self.view)

    def on_alert_selected(self, alert: StoredAlert | None) -> None:
        """The queue's selection: the dialog's default alert, the « Alerte sélectionnée » filter."""
        self.selected_alert = alert
        if alert is None:
            self.view.set_selected_alert(None)
        else:
            self.view.set_selected_alert(alert.alert.key, alert_label(alert))

    # -- writing -----------------------------------------------------------------

    def _allowed(self) -> bool:
        if self._ctx.session.allowed(Permission.WRITE_LOGBOOK):
            return True
        self.message.emit(self._ctx.session.refusal(Permission.WRITE_LOGBOOK))
        return False

    def _signer(self) -> str:
        account = self._ctx.session.account
        if account is None:
            return ""
        return f"{account.display_name} ({account.login})"

    def _alert_choices(self) -> list[tuple[int, str]]:
        alerts = [a for a in self._alerts() if a.state is not AlertState.CLOSED]
        if self.selected_alert is not None and all(a.pk != self.selected_alert.pk for a in alerts):
            alerts.insert(0, self.selected_alert)
        return [(a.pk, alert_label(a)) for a in alerts[:200]]

    def open_entry(self) -> None:
        """F9: a new entry, on the selected alert by default."""
        if not self._allowed():
            return
        if self.dialog is not None:
            self._show_dialog_again()
            return
        pk = self.selected_alert.pk if self.selected_alert is not None else None
        self._open(EntryDialog(self._tz, self._ctx.station, self._signer(), self._alert_choices(),
                               self._cameras, self._window, alert_pk=pk))  # fmt: skip

    def open_correction(self, row: BookRow) -> None:
        """« Corriger… » on an entry (or on a correction: its entry again)."""
        if not self._allowed():
            return
        if not row.own:
            self.message.emit(
                self.tr("Seul le poste {s} peut corriger ses entrées.").format(s=row.station)
            )
            return
        if self.dialog is not None:
            self._show_dialog_again()
            return
        choices = [(row.alert_pk, row.alert_title or "")] if row.alert_pk is not None else []
        self._open(EntryDialog(self._tz, self._ctx.station, self._signer(), choices,
                               self._cameras, self._window, alert_pk=row.alert_pk,
                               correcting=row))  # fmt: skip

    def _open(self, dialog: EntryDialog) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submitted.connect(self._on_submitted)
        dialog.pick_requested.connect(self._on_pick_requested)
        dialog.finished.connect(lambda _r: self._on_dialog_closed(dialog))
        dialog.open()

    def _on_dialog_closed(self, dialog: EntryDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        if self.picker is not None:
            self.picker.stop()

    def _on_submitted(self, draft: EntryDraft, alert_pk: int | None, reason: str) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        station, operator = self._ctx.station, self._ctx.operator
        at = datetime.now(UTC)
        row = dialog.correcting
        if row is None:

            def write(store: Store) -> int:
                return write_entry(store, draft, station=station, operator=operator,
                                   alert_pk=alert_pk, at=at)  # fmt: skip
        else:
            target = row.seq
            if row.is_correction and isinstance(row.details.get("corrects"), int):
                target = int(row.details["corrects"])

            def write(store: Store) -> int:
                return write_correction(store, target, reason, draft, station=station,
                                        operator=operator, at=at)  # fmt: skip

        def done(pk: int) -> None:
            dialog.written()
            what = self.tr("Correction") if row is not None else self.tr("Entrée")
            self.message.emit(
                self.tr("{what} n° {pk} écrite dans la main courante.").format(what=what, pk=pk)
            )
            self.entry_written.emit(pk)
            self.refresh()

        def failed(exc: BaseException) -> None:
            if isinstance(exc, UserFacingError):
                dialog.show_error(str(exc))
            else:
                log.error("entrée de main courante non écrite", exc_info=exc)
                dialog.show_error(
                    self.tr("Écriture impossible : {e}. Le texte est gardé, réessayez.").format(
                        e=exc
                    )
                )

        self._ctx.tasks.run(write, done, failed, owner=dialog)

    # -- the place on the map ------------------------------------------------------

    def _on_pick_requested(self) -> None:
        if self.picker is None or self.dialog is None:
            return
        self.dialog.hide()
        self.message.emit(
            self.tr("Cliquez sur la carte à l'endroit de l'entrée (Échap ou clic droit : annuler).")
        )
        self.picker.start()

    def _on_picked(self, lat: float, lon: float) -> None:
        if self.dialog is not None:
            self.dialog.set_place(lat, lon)
            self.message.emit(self.tr("Point placé sur la carte."))
        self._show_dialog_again()

    def _show_dialog_again(self) -> None:
        if self.dialog is not None:
            self.dialog.show()
            self.dialog.raise_()
            self.dialog.activateWindow()

    # -- printing ------------------------------------------------------------------

    def print_book(self) -> None:
        """« Imprimer (PDF)… »: why (logged with the export), where, then the file."""
        if not self._ctx.session.allowed(Permission.EXPORT):
            self.message.emit(self._ctx.session.refusal(Permission.EXPORT))
            return
        self.reason_dialog = ask_reason(
            self._window,
            self.tr("Imprimer la main courante"),
            self.tr("Motif de l'impression (il est écrit dans la main courante) :"),
            self._choose_file,
            lambda: self.message.emit(self.tr("Impression annulée : un motif est obligatoire.")),
        )

    def _choose_file(self, reason: str) -> None:
        day = datetime.now(self._tz).strftime("%Y-%m-%d")
        box = QFileDialog(self._window, self.tr("Enregistrer la main courante"))
        box.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        box.setDefaultSuffix("pdf")
        box.setNameFilter(self.tr("PDF (*.pdf)"))
        box.selectFile(str(Path.home() / f"main-courante-{self._ctx.station}-{day}.pdf"))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.fileSelected.connect(lambda name: self.print_to(Path(name), reason))
        self.file_dialog = box
        box.open()

    def print_to(
        self, path: Path, reason: str, on_done: Callable[[Path], None] | None = None
    ) -> None:
        """Print the rows shown to ``path``: the chain head and its check are read on
        the storage thread, the PDF painted here, the ``export`` event logged, and
        only then the file moved into place."""
        try:
            why = check_reason(reason)
        except UserFacingError as exc:
            self.message.emit(str(exc))
            return
        count = self.model.rowCount()
        query = self.view.query()

        def head(store: Store) -> tuple[tuple[int, str], ChainReport]:
            return chain_head(store.conn), store.verify_chain()

        def painted(result: tuple[tuple[int, str], ChainReport]) -> None:
            (seq, digest), chain = result
            tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
            info = self._print_info(query, seq, digest, chain)
            try:
                write_book_pdf(tmp, info, [self._line(i) for i in range(count)])
                sha = hashlib.sha256(tmp.read_bytes()).hexdigest()
            except OSError as exc:
                tmp.unlink(missing_ok=True)
                self.message.emit(self.tr("Impression impossible : {e}").format(e=exc))
                return
            details: dict[str, Any] = {
                "format": "pdf", "what": "main courante", "rows": count, "reason": why,
                "sha256": sha, "file": path.name, "head_seq": seq, "head_hash": digest,
                "chain_ok": chain.ok, "filter": info.filters, "period": info.period,
            }  # fmt: skip
            station, operator = self._ctx.station, self._ctx.operator

            def logged(_pk: int) -> None:
                try:
                    os.replace(tmp, path)
                except OSError as exc:
                    tmp.unlink(missing_ok=True)
                    self.message.emit(self.tr("Impression impossible : {e}").format(e=exc))
                    return
                self.message.emit(self.tr("Main courante imprimée : {p}").format(p=path))
                if on_done is not None:
                    on_done(path)
                self.refresh()

            def not_logged(exc: BaseException) -> None:
                tmp.unlink(missing_ok=True)  # an export that escaped the book is not kept
                self.message.emit(self.tr("Impression annulée : {e}").format(e=exc))

            self._ctx.tasks.run(
                lambda s: s.add_event(EventKind.EXPORT, None, station, operator, details),
                logged,
                not_logged,
            )

        self._ctx.tasks.run(head, painted)

    def _print_info(self, query: BookQuery, seq: int, digest: str, chain: ChainReport) -> BookPrint:
        start, end = query.period(self._tz)
        fmt = "%d/%m/%Y %H:%M"
        period = self.tr("Du {a} au {b}").format(
            a=start.astimezone(self._tz).strftime(fmt), b=end.astimezone(self._tz).strftime(fmt)
        )
        v = self.view
        filters = " · ".join(
            box.currentText()
            for box in (v.type_box, v.station_box, v.operator_box, v.alert_box)
            if box.currentIndex() > 0
        )
        if query.text.strip():
            filters += (" · " if filters else "") + self.tr("recherche « {t} »").format(
                t=query.text
            )
        printed = self.tr("Édité le {d} par {who}").format(
            d=datetime.now(self._tz).strftime("%d/%m/%Y %H:%M:%S"), who=self._signer() or "?"
        )
        return BookPrint(
            centre=self._centre,
            station=self._ctx.station,
            period=period,
            filters=filters or self.tr("sans filtre"),
            printed=printed,
            head_seq=seq,
            head_hash=digest,
            chain_ok=chain.ok,
            chain_problem=str(chain.broken or ""),
        )

    def _line(self, i: int) -> BookLine:
        m = self.model
        cells = [str(m.data(m.index(i, c)) or "") for c in range(5)]
        html = m.data(m.index(i, 5), HTML_ROLE) or escape(str(m.data(m.index(i, 5)) or ""))
        return BookLine((cells[0], cells[1], cells[2], cells[3], cells[4]), html)
