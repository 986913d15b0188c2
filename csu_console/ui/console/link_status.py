"""The link state, always on screen: connecté / reconnexion / perdu depuis HH:MM:SS."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from PySide6 import QtGui
from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QWidget

from csu_console.net.state import LinkPhase, LinkStatus
from csu_console.storage.codec import is_disk_full
from csu_console.ui.theme import LINK_LOST, LINK_OK, LINK_WARN, pt


def _duration(seconds: float) -> str:
    s = int(seconds)
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


class LinkStatusLabel(QLabel):
    """A wide coloured label; red whenever no alert can reach the console."""

    alarm_changed = Signal(bool)  # True while the link is down (an alarm condition)

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self._status: LinkStatus | None = None
        self._hub = ""  # the hub's name once it said ``welcome`` (protocol § 9)
        self._alarm = False
        self.setObjectName("linkStatus")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumHeight(44)
        self.setWordWrap(True)  # never wider than its half of the top row
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._refresh)
        self._apply(self.tr("Liaison : démarrage…"), LINK_WARN)
        # Two lines' room whatever it says: a long state (« LIAISON PERDUE … tentative
        # 3 ») wraps, and the rows below must not move when it comes or goes.
        font = QFont(self.font())
        font.setPointSizeF(pt(16))
        font.setBold(True)
        # (Thin vertical padding: the console still fits a 1366×768 screen.)
        self.setFixedHeight(max(44, 2 * QFontMetrics(font).lineSpacing() + 2 * 2 + 2))

    @property
    def status(self) -> LinkStatus | None:
        """The last status shown."""
        return self._status

    @property
    def hub(self) -> str:
        """The hub connected to ("" : a plain gateway, or not connected)."""
        return self._hub

    @Slot(str)
    def set_hub(self, name: str) -> None:
        """The hub said who it is (``welcome``): the connected state names it."""
        self._hub = name
        self._refresh()

    @Slot(object)
    def on_link_status_changed(self, status: LinkStatus) -> None:
        """Show a new link status."""
        if status.phase is not LinkPhase.CONNECTED:
            self._hub = ""  # the next connection says which hub (failover)
        self._status = status
        self._refresh()
        alarm = status.phase in (LinkPhase.LOST, LinkPhase.REFUSED, LinkPhase.STORAGE_DOWN)
        if alarm:
            self._tick.start()
        else:
            self._tick.stop()
        if alarm != self._alarm:
            self._alarm = alarm
            self.alarm_changed.emit(alarm)

    def _apply(self, text: str, color: str) -> None:
        self.setText(text)
        self.setStyleSheet(
            f"QLabel#linkStatus {{ background: {color}; color: white; font-size: {pt(16)}pt;"
            " font-weight: bold; padding: 2px 16px; border-radius: 4px; }"
        )

    def _local(self, dt: datetime) -> str:
        return dt.astimezone(self._tz).strftime("%H:%M:%S")

    @Slot()
    def _refresh(self) -> None:
        st = self._status
        if st is None:
            return
        if st.phase is LinkPhase.CONNECTED and self._hub:
            self._apply(
                self.tr("Connecté au serveur {hub} depuis {t}").format(
                    hub=self._hub, t=self._local(st.since)
                ),
                LINK_OK,
            )
        elif st.phase is LinkPhase.CONNECTED:
            self._apply(
                self.tr("Liaison connectée depuis {t}").format(t=self._local(st.since)), LINK_OK
            )
        elif st.phase is LinkPhase.CONNECTING:
            self._apply(self.tr("Liaison : connexion en cours…"), LINK_WARN)
        elif st.phase is LinkPhase.STOPPED:
            self._apply(self.tr("Liaison arrêtée"), LINK_WARN)
        elif st.phase is LinkPhase.STORAGE_DOWN and is_disk_full(st.error):
            self._apply(
                self.tr("DISQUE PLEIN – alertes non acquittées : la passerelle les renverra"),
                LINK_LOST,
            )
        elif st.phase is LinkPhase.STORAGE_DOWN:
            self._apply(
                self.tr("ENREGISTREMENT IMPOSSIBLE – alertes non acquittées : {e}").format(
                    e=st.error
                ),
                LINK_LOST,
            )
        else:
            lost = st.lost_since or st.since
            ago = _duration((datetime.now(UTC) - lost).total_seconds())
            if st.phase is LinkPhase.REFUSED:
                text = self.tr(
                    "LIAISON REFUSÉE par la passerelle ({e}) depuis {t} – vérifiez le jeton"
                ).format(e=st.error, t=self._local(lost))
            else:
                text = self.tr(
                    "LIAISON PERDUE depuis {t} ({ago}) – reconnexion, tentative {n}"
                ).format(t=self._local(lost), ago=ago, n=st.attempt)
            self._apply(text, LINK_LOST)
        # Tooltips guess rich text; the error text comes from outside.
        tip = f"{st.url}\n{st.error}" if st.error else st.url
        self.setToolTip(QtGui.Qt.convertFromPlainText(tip))


class HubHealthLabel(QLabel):
    """« Serveur d'alertes dégradé », next to the link state, while the hub says so.

    Not an alarm: the alerts already received are stored and shown; the hub
    acknowledges nothing upstream meanwhile (the gateways keep and resend).
    """

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self.setObjectName("hubHealth")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumHeight(44)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet(
            f"QLabel#hubHealth {{ background: {LINK_WARN}; color: white; font-size: {pt(12)}pt;"
            " font-weight: bold; padding: 6px 16px; border-radius: 4px; }"
        )
        self.hide()

    @property
    def degraded(self) -> bool:
        return not self.isHidden()

    @Slot(str, str, object)
    def show_health(self, state: str, detail: str, since: datetime | None) -> None:
        """``degraded``: shown until ``ok`` (or the end of the connection) clears it."""
        if state == "ok":
            self.hide()
            self.setToolTip("")
            return
        at = since.astimezone(self._tz).strftime("%H:%M:%S") if since is not None else ""
        # Two short lines: the top row keeps room for the station and the link state.
        text = self.tr("Serveur d'alertes dégradé")
        if at:
            text += "\n" + self.tr("depuis {t}").format(t=at)
        self.setText(text)
        tip = self.tr(
            "Le serveur d'alertes ne peut plus enregistrer : les alertes déjà reçues restent "
            "affichées, les nouvelles attendent chez les passerelles. Cause : {d}"
        ).format(d=detail or "?")
        self.setToolTip(QtGui.Qt.convertFromPlainText(tip))
        self.show()
