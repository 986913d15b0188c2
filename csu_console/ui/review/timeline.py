"""The selected alert's timeline (every event of it, from the main courante) and
the period's alerts on the map (reusing the console's map pane)."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from csu_console.config.schema import SiteConfig
from csu_console.core.review.activity import actor_label
from csu_console.core.review.export import details_text
from csu_console.core.review.rows import AlertRow, LogLine
from csu_console.ui.map.basemap import BasemapSource
from csu_console.ui.map.map_pane import MapPane
from csu_console.ui.map.overlays import MapAlert
from csu_console.ui.review.jobs import MapPoints, map_points
from csu_console.ui.review.review_heatmap import ReviewHeatmap
from csu_console.ui.review.tables import event_label, fill, local_time, make_table


class TimelineView(QWidget):
    """« Chronologie de l'alerte n° … »: time, event, station, operator, details."""

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tz = tz
        self.title = QLabel(self.tr("Chronologie : sélectionnez une alerte"), self)
        self.title.setStyleSheet("font-weight: bold; font-size: 13pt;")
        self.table = make_table(
            [
                self.tr("Heure"),
                self.tr("Événement"),
                self.tr("Poste"),
                self.tr("Opérateur"),
                self.tr("Détails"),
            ],
            self,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)

    def clear(self) -> None:
        """No alert selected."""
        self.title.setText(self.tr("Chronologie : sélectionnez une alerte"))
        self.table.setRowCount(0)

    def show_timeline(self, row: AlertRow, lines: Sequence[LogLine], key: bytes | None) -> None:
        """Events of ``row``; reporters in the details pseudonymised with ``key``."""
        self.title.setText(
            self.tr("Chronologie de l'alerte n° {pk} – {title}").format(pk=row.pk, title=row.title)
        )
        fill(self.table, [
            (local_time(e.at, self._tz, "%d/%m %H:%M:%S"), event_label(e.kind), e.station or "",
             actor_label(e.station, e.operator), details_text(e.details, key))
            for e in lines
        ])  # fmt: skip


class ReviewMap(QWidget):
    """The site's map with the period's alerts as still points (priority colour)."""

    def __init__(
        self, site: SiteConfig, basemap: BasemapSource | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.pane = MapPane(site, basemap, self)
        self.heatmap = ReviewHeatmap(self.pane, ZoneInfo(site.site.timezone))
        self.note = QLabel(self)
        self.note.setStyleSheet("font-size: 12pt; padding: 2px 6px;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.pane, 1)
        self.points: list[MapAlert] = []

    def show_rows(self, rows: Sequence[AlertRow], points: MapPoints | None = None) -> None:
        """One point per alert with a position; the note says how many have none.
        ``points``: :func:`map_points` of ``rows``, made on the worker thread."""
        points = points or map_points(rows)
        self.points = points.alerts
        self.pane.overlays.set_alert_markers(points.markers)
        self.heatmap.show_rows(rows)
        missing = len(rows) - len(self.points)
        self.note.setText(
            self.tr("{n} alerte(s) sur la carte, {m} sans localisation.").format(
                n=len(self.points), m=missing
            )
        )

    def fit(self) -> None:
        """Show every point, else the whole site."""
        if self.points:
            self.pane.view.show_points([(p.lon, p.lat) for p in self.points], max_zoom=17)
        else:
            self.pane.fit_site()

    def shutdown(self) -> None:
        """Stop the basemap's worker (the window is closing)."""
        self.pane.view.shutdown()
