"""Quitting the console on purpose: never by one key, always in the main courante.

Ctrl+Q, « Fichier › Quitter », the window manager's close button on the console
and Ctrl+Q on the login screen all ask first (:class:`QuitDialog`); with alerts
still open the dialog counts them and wants a reason. The ``console_stopped``
event says who, when and why (then ``logout`` for whoever was logged in), and the
whole application stops — the review and setup windows with it: nothing keeps
receiving alerts with no queue on screen.

Closing the review or the setup window never quits (the application does not
quit when its last window closes: only :meth:`QuitController.request` and the
signals do). SIGTERM and SIGINT from outside stop at once, without a dialog, and
are logged too.
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.alerts import AlertState
from csu_console.core.logbook import EventKind
from csu_console.storage.store import Store
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.context import StationContext

log = logging.getLogger("csu.ui")

REASON_MAX = 200  # characters kept of the reason


class QuitDialog(QDialog):
    """« Quitter la console ? », with the open alerts counted and, when there are
    any, a reason required before « Quitter la console » is enabled."""

    def __init__(
        self, station: str, open_alerts: int, new_alerts: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Quitter la console"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(640)  # the reason's placeholder is read whole
        self.needs_reason = open_alerts > 0
        question = QLabel(
            self.tr(
                "Quitter la console du poste {s} ? Les alertes ne seront plus reçues, "
                "ni sonnées, à ce poste."
            ).format(s=station),
            self,
        )
        question.setWordWrap(True)
        question.setStyleSheet("font-size: 13pt;")
        self.counts = QLabel(self)
        self.counts.setWordWrap(True)
        if self.needs_reason:
            self.counts.setText(
                self.tr("{n} alerte(s) encore ouverte(s), dont {k} non prise(s) en compte.").format(
                    n=open_alerts, k=new_alerts
                )
            )
            self.counts.setStyleSheet("font-size: 13pt; font-weight: bold; color: #c62828;")
        else:
            self.counts.setText(self.tr("Aucune alerte ouverte."))
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(REASON_MAX)
        self.reason.setPlaceholderText(
            self.tr("Motif (obligatoire, écrit dans la main courante)")
            if self.needs_reason
            else self.tr("Motif (facultatif, écrit dans la main courante)")
        )
        buttons = QDialogButtonBox(self)
        self.quit_button = QPushButton(self.tr("Quitter la console"), self)
        self.cancel_button = QPushButton(self.tr("Annuler"), self)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        # A second Ctrl+Q or Enter must not quit by accident: with alerts open, Enter
        # quits only once a reason is typed; without, the default is « Annuler ».
        self.quit_button.setDefault(self.needs_reason)
        self.cancel_button.setDefault(not self.needs_reason)
        self.reason.textChanged.connect(self._on_reason_changed)
        self._on_reason_changed("")
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        layout.addWidget(self.counts)
        layout.addWidget(self.reason)
        layout.addWidget(buttons)
        self.reason.setFocus()

    def reason_text(self) -> str:
        """The reason typed, on one line."""
        return " ".join(self.reason.text().split())

    @Slot(str)
    def _on_reason_changed(self, _text: str) -> None:
        self.quit_button.setEnabled(not self.needs_reason or bool(self.reason_text()))

    def _on_accepted(self) -> None:
        if self.needs_reason and not self.reason_text():
            return  # the button is greyed; Enter in the field lands here
        self.accept()


class QuitController(QObject):
    """Asks before quitting, logs the quit, stops the application."""

    def __init__(
        self,
        ctx: StationContext,
        model: AlertTableModel,
        window: QWidget,
        exit_app: Callable[[int], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session, self._tasks, self._station = ctx.session, ctx.tasks, ctx.station
        self._model = model
        self._window = window
        self._exit = exit_app
        self.dialog: QuitDialog | None = None
        self._stopping = False
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        # Only a confirmed quit or a signal stops the console: closing the review or
        # the setup window (even when it is the last one shown) never does.
        self._quit_on_last_closed = app.quitOnLastWindowClosed()
        app.setQuitOnLastWindowClosed(False)

    def allow_close(self) -> bool:
        """The console window's close guard: True once quitting was confirmed (or the
        console is stopping); otherwise ask, and keep the window for now."""
        if self._stopping:
            return True
        self.request()
        return False

    def open_alerts(self) -> tuple[int, int]:
        """(alerts not closed, of which nobody has taken yet): the queue's, and those
        received but not shown yet (the queue merges them on its next tick)."""
        counts = {s: self._model.count_in_state(s) for s in AlertState}
        incoming = self._model.pending_merge()
        still_open = sum(n for s, n in counts.items() if s is not AlertState.CLOSED)
        return still_open + incoming, counts[AlertState.NEW] + incoming

    @Slot()
    def request(self) -> None:
        """Ask « Quitter la console ? » (over the login screen or any open dialog)."""
        if self._stopping:
            return
        if self.dialog is not None and shiboken6.isValid(self.dialog):
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        still_open, new = self.open_alerts()
        modal = QApplication.activeModalWidget()
        parent = modal if modal is not None and modal is not self.dialog else self._window
        dialog = QuitDialog(self._station, still_open, new, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._quit(dialog.reason_text(), still_open, new))
        self.dialog = dialog
        log.info("arrêt de la console demandé (%d alertes ouvertes)", still_open)
        dialog.open()

    def on_signal(self, signum: int) -> None:
        """SIGTERM / SIGINT from outside (a service manager, Ctrl+C in the terminal):
        stop now, without a dialog; logged all the same."""
        try:
            name = signal.Signals(signum).name
        except ValueError:
            name = str(signum)
        log.info("signal %s reçu : arrêt de la console", name)
        still_open, new = self.open_alerts()
        self._quit(f"signal {name}", still_open, new, via="signal")

    def _quit(self, reason: str, still_open: int, new: int, via: str = "console") -> None:
        if self._stopping:
            self._exit(0)  # already logged (or the console is stopping anyway)
            return
        self._stopping = True
        account = self._session.account
        login, station = (account.login if account else None), self._station
        details = {"reason": reason, "open_alerts": still_open, "new_alerts": new, "via": via}

        def write(store: Store) -> None:
            store.add_event(EventKind.CONSOLE_STOPPED.value, None, station, login, details)
            if login is not None:
                store.logout(login, station)

        # Queued before the exit: the storage thread finishes its queue when the
        # console stops, so the event is written even though we do not wait for it.
        self._tasks.run(write, lambda _none: None, self._on_write_failed)
        log.info(
            "arrêt de la console par %s (%s) : %s", login or "personne", via, reason or "sans motif"
        )
        self._exit(0)

    def _on_write_failed(self, exc: BaseException) -> None:
        log.error("arrêt de la console : écriture dans la main courante impossible", exc_info=exc)

    def stop(self) -> None:
        """The console is stopping (by any path): its window may close now."""
        self._stopping = True
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(self._quit_on_last_closed)
