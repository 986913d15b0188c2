"""The selected signal, explained: its title in plain French, the test and its
figure, its status and who decided it, the alerts behind it (n°, time, category,
place) and their places on the site's map; « Suivi » and « Sans suite » with an
optional comment.

The panel only shows and asks: the decision goes out as ``decision_requested``
(the window writes it through the storage thread and shows the outcome).
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from csu_console.config.schema import SiteConfig
from csu_console.core.logbook import MAX_TEXT
from csu_console.core.review.filter import category_label
from csu_console.core.territory import Territory
from csu_console.core.weak_signals.model import (
    SIGNAL_KIND_LABELS,
    SIGNAL_STATUS_LABELS,
    SignalStatus,
)
from csu_console.storage.weak_signals import SignalAlert, StoredSignal
from csu_console.ui.labels import tr_label
from csu_console.ui.map.basemap import BasemapSource
from csu_console.ui.map.map_pane import MapPane
from csu_console.ui.map.overlays import MapAlert, alert_marker
from csu_console.ui.review.tables import fill, local_time, make_table

#: A signal's places never zoom the map closer than this (a street, not a door).
MAX_ZOOM = 16.5


def commune_names(territory: Territory, keys: Sequence[str]) -> str:
    """« Montbéliard, Audincourt » from the communes' keys."""
    names = []
    for key in keys:
        commune = territory.commune(key)
        names.append(commune.name if commune is not None else key)
    return ", ".join(names)


class SignalExplanation(QWidget):
    """The explanation of one signal and the supervisor's decision on it."""

    decision_requested = Signal(str, object, str)  # signal id, SignalStatus, comment

    def __init__(
        self,
        site: SiteConfig,
        territory: Territory,
        basemap: BasemapSource | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tz = ZoneInfo(site.site.timezone)
        self.territory = territory
        self.zone_names = {z.id: z.name for z in site.zones}
        self.current: StoredSignal | None = None

        self.title = QLabel(self.tr("Sélectionnez un signal dans la liste."), self)
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # a term can quote a citizen
        self.title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.test = QLabel(self)
        self.test.setWordWrap(True)
        self.test.setTextFormat(Qt.TextFormat.PlainText)
        self.facts = QLabel(self)
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setStyleSheet("font-weight: bold;")

        self.comment = QLineEdit(self)
        self.comment.setMaxLength(MAX_TEXT)
        self.comment.setPlaceholderText(self.tr("Commentaire (facultatif)"))
        self.follow_button = QPushButton(self.tr("Suivi"), self)
        self.follow_button.setToolTip(self.tr("Marquer le signal « suivi » (journalisé)"))
        self.dismiss_button = QPushButton(self.tr("Sans suite"), self)
        self.dismiss_button.setToolTip(self.tr("Classer le signal sans suite (journalisé)"))
        self.follow_button.clicked.connect(lambda: self._decide(SignalStatus.FOLLOWED))
        self.dismiss_button.clicked.connect(lambda: self._decide(SignalStatus.DISMISSED))
        decision = QHBoxLayout()
        decision.addWidget(self.comment, 1)
        decision.addWidget(self.follow_button)
        decision.addWidget(self.dismiss_button)

        self.alerts_title = QLabel(self.tr("Alertes à l'origine du signal"), self)
        self.alerts_title.setStyleSheet("font-weight: bold;")
        self.alerts = make_table(
            [self.tr("N°"), self.tr("Signalée le"), self.tr("Catégorie"), self.tr("Lieu")], self
        )
        alerts_box = QWidget(self)
        alerts_layout = QVBoxLayout(alerts_box)
        alerts_layout.setContentsMargins(0, 0, 0, 0)
        alerts_layout.addWidget(self.alerts_title)
        alerts_layout.addWidget(self.alerts, 1)
        self.map = MapPane(site, basemap, self)
        self.map.setMinimumHeight(160)
        self.map.view.installEventFilter(self)
        self.places: list[tuple[float, float]] = []

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setChildrenCollapsible(False)
        split.addWidget(alerts_box)
        split.addWidget(self.map)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        self.split = split

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.test)
        layout.addWidget(self.facts)
        layout.addWidget(self.status)
        layout.addLayout(decision)
        layout.addWidget(split, 1)
        self.show_signal(None)

    # -- showing ------------------------------------------------------------------

    def show_signal(self, stored: StoredSignal | None) -> None:
        """Explain ``stored`` (None: nothing selected); its alerts come later
        (:meth:`show_alerts`)."""
        self.current = stored
        enabled = stored is not None
        for w in (self.follow_button, self.dismiss_button, self.comment):
            w.setEnabled(enabled)
        if stored is None:
            self.title.setText(self.tr("Sélectionnez un signal dans la liste."))
            for label in (self.test, self.facts, self.status):
                label.setText("")
            self.alerts.setRowCount(0)
            self.map.overlays.set_alert_markers([])
            self.places = []
            return
        s = stored.signal
        self.title.setText(s.title)
        self.test.setText(self.tr("Test : {t}").format(t=s.test))
        parts = [
            tr_label(SIGNAL_KIND_LABELS[s.kind]),
            self.tr("du {a} au {b}").format(
                a=local_time(s.start, self.tz, "%d/%m/%Y"),
                b=local_time(s.end, self.tz, "%d/%m/%Y %H:%M"),
            ),
        ]
        if s.category:
            parts.append(tr_label(category_label(s.category)))
        if s.zone_ids:
            parts.append(", ".join(self.zone_names.get(z, z) for z in s.zone_ids))
        if s.communes:
            parts.append(commune_names(self.territory, s.communes))
        self.facts.setText(" · ".join(parts))
        self.show_status(stored)
        self.comment.setText(stored.comment)
        self.show_places(s.places)

    def show_status(self, stored: StoredSignal) -> None:
        """« Statut : Suivi — par chef1 (poste-2) le 05/12 10:42 — « commentaire » »."""
        label = tr_label(SIGNAL_STATUS_LABELS[stored.status])
        seen = self.tr("vu pour la première fois le {f}, dernière analyse le {l}").format(
            f=local_time(stored.first_seen, self.tz, "%d/%m %H:%M"),
            l=local_time(stored.last_seen, self.tz, "%d/%m %H:%M"),
        )
        if stored.status is SignalStatus.NEW:
            self.status.setText(self.tr("Statut : {s} — {seen}").format(s=label, seen=seen))
            return
        text = self.tr("Statut : {s} — par {who} ({station}) le {at}").format(
            s=label,
            who=stored.status_by or "?",
            station=stored.status_station or "?",
            at=local_time(stored.status_at, self.tz, "%d/%m %H:%M"),
        )
        if stored.comment:
            text += f" — « {stored.comment} »"
        self.status.setText(text)

    def show_places(self, places: Sequence[tuple[float, float]]) -> None:
        """A marker per place of the signal, the map zoomed to them."""
        self.places = list(places)
        points = [
            MapAlert(f"signal-{i}", lon, lat, 2, pulsing=False)
            for i, (lon, lat) in enumerate(places)
        ]
        self.map.overlays.set_alert_markers([alert_marker(p) for p in points])
        self.fit()

    def fit(self) -> None:
        """Show every place of the signal (the whole site when it has none)."""
        if self.places:
            vp = self.map.view.viewport().rect()
            margin = min(64.0, 0.12 * min(vp.width(), vp.height()))  # a small map zooms in too
            self.map.view.show_points(self.places, margin=margin, max_zoom=MAX_ZOOM)
        else:
            self.map.fit_site()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The map's size settles after the signal is shown (splitters, maximising):
        # its places stay in view.
        if watched is self.map.view and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self, self.fit)
        return super().eventFilter(watched, event)

    def show_alerts(self, signal_id: str, alerts: Sequence[SignalAlert]) -> None:
        """The alerts behind the signal (those still stored), oldest first."""
        if self.current is None or self.current.id != signal_id:
            return  # another signal was selected meanwhile
        fill(
            self.alerts,
            [
                (
                    str(a.pk),
                    local_time(a.sent, self.tz, "%d/%m %H:%M"),
                    tr_label(category_label(a.category)),
                    self._place(a),
                )
                for a in alerts
            ],
            [a.pk for a in alerts],
        )
        missing = len(self.current.signal.alerts) - len(alerts)
        title = self.tr("Alertes à l'origine du signal : {n}").format(n=len(alerts))
        if missing > 0:
            title += self.tr(" ({m} purgée(s) ou absente(s) de ce poste)").format(m=missing)
        self.alerts_title.setText(title)

    def _place(self, a: SignalAlert) -> str:
        """The address, else the zones its position falls in, else the reported
        commune (the geometry's answer before the citizen's text)."""
        if a.address:
            return a.address
        if a.lon is not None and a.lat is not None:
            placement = self.territory.place(a.lon, a.lat)
            if placement.zones:
                return " · ".join(z.name for z in placement.zones)
        return a.commune or "–"

    def _decide(self, status: SignalStatus) -> None:
        if self.current is not None:
            self.decision_requested.emit(self.current.id, status, self.comment.text())
