"""« Tendances »: a chosen period against the same-length periods before it, by
category and by commune, with the totals period by period.

The tab asks (``comparison_requested``); the window computes off the GUI thread
and hands back a :class:`~csu_console.core.signal_trends.PeriodComparison`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from csu_console.core.review.filter import category_label
from csu_console.core.signal_trends import OUTSIDE, PeriodComparison, TrendRow
from csu_console.core.territory import Territory
from csu_console.ui.labels import tr_label
from csu_console.ui.review.tables import fill, make_table
from csu_console.ui.signals.charts import PAST, WINDOW, BarChart

PERIOD_DAYS = (7, 14, 28)


def change_text(row: TrendRow) -> str:
    """« +150 % », « −20 % », « nouveau » (nothing before), « = »."""
    change = row.change
    if change is None:
        return QCoreApplication.translate("TrendsTab", "nouveau") if row.current else "="
    pct = round(change * 100)
    if pct == 0:
        return "="
    return f"+{pct} %" if pct > 0 else f"−{-pct} %"


class TrendsTab(QWidget):
    """The period picker, the two tables and the totals chart."""

    comparison_requested = Signal(object, object, int)  # start, end (aware), previous

    def __init__(
        self,
        tz: ZoneInfo,
        territory: Territory,
        now: Callable[[], datetime],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tz, self.territory, self._now = tz, territory, now
        self.length = QComboBox(self)
        for days in PERIOD_DAYS:
            self.length.addItem(self.tr("{n} jours").format(n=days), days)
        self.end_date = QDateEdit(self)
        self.end_date.setCalendarPopup(True)
        self.end_date.setDisplayFormat("dd/MM/yyyy")
        today = now().astimezone(tz).date()
        self.end_date.setDate(QDate(today.year, today.month, today.day))
        self.previous = QSpinBox(self)
        self.previous.setRange(1, 12)
        self.previous.setValue(8)
        self.show_button = QPushButton(self.tr("Afficher"), self)
        self.show_button.clicked.connect(self.request)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Période de"), self))
        bar.addWidget(self.length)
        bar.addWidget(QLabel(self.tr("se terminant le"), self))
        bar.addWidget(self.end_date)
        bar.addWidget(QLabel(self.tr("comparée aux"), self))
        bar.addWidget(self.previous)
        bar.addWidget(QLabel(self.tr("périodes précédentes"), self))
        bar.addWidget(self.show_button)
        bar.addStretch(1)

        self.note = QLabel(self)
        self.note.setWordWrap(True)
        headers = [
            self.tr("Période"), self.tr("Moyenne avant"), self.tr("Min – max avant"),
            self.tr("Évolution"),
        ]  # fmt: skip
        self.categories = make_table([self.tr("Catégorie"), *headers], self, stretch=0)
        self.communes = make_table([self.tr("Commune"), *headers], self, stretch=0)
        self.chart = BarChart(self.tr("Alertes par période"), self)
        tables = QSplitter(Qt.Orientation.Horizontal, self)
        tables.setChildrenCollapsible(False)
        for title, table in ((self.tr("Par catégorie"), self.categories),
                             (self.tr("Par commune"), self.communes)):  # fmt: skip
            box = QWidget(tables)
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            head = QLabel(title, box)
            head.setStyleSheet("font-weight: bold;")
            lay.addWidget(head)
            lay.addWidget(table, 1)
            tables.addWidget(box)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setChildrenCollapsible(False)
        split.addWidget(tables)
        split.addWidget(self.chart)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.note)
        layout.addWidget(split, 1)

    def period(self) -> tuple[datetime, datetime, int]:
        """The chosen period (local days, end day included) and how many before it."""
        d = self.end_date.date()
        end = datetime.combine(
            datetime(d.year(), d.month(), d.day()).date() + timedelta(days=1), time(), self.tz
        )
        days = int(self.length.currentData())
        return end - timedelta(days=days), end, self.previous.value()

    def request(self) -> None:
        start, end, previous = self.period()
        self.note.setText(self.tr("Calcul en cours…"))
        self.comparison_requested.emit(start, end, previous)

    def show_comparison(self, c: PeriodComparison) -> None:
        self.note.setText(
            self.tr(
                "Du {a} au {b} : {n} alerte(s), contre {m} en moyenne sur les {p} périodes "
                "précédentes. Triés par hausse la plus forte."
            ).format(
                a=c.start.astimezone(self.tz).strftime("%d/%m/%Y"),
                b=(c.end - timedelta(seconds=1)).astimezone(self.tz).strftime("%d/%m/%Y"),
                n=c.totals[-1] if c.totals else 0,
                m=f"{sum(c.totals[:-1]) / max(1, c.previous):.1f}".replace(".", ","),
                p=c.previous,
            )
        )
        fill(self.categories, self._rows(c.by_category, lambda k: tr_label(category_label(k))))
        fill(self.communes, self._rows(c.by_commune, self._commune))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for table in (self.categories, self.communes):
            for r in range(table.rowCount()):
                for col in range(1, table.columnCount()):  # figures under figures
                    item = table.item(r, col)
                    if item is not None:
                        item.setTextAlignment(right)
        length = c.end - c.start
        labels = [
            (c.start - length * (c.previous - i)).astimezone(self.tz).strftime("%d/%m")
            for i in range(c.previous + 1)
        ]
        colours = [PAST] * c.previous + [WINDOW]
        mean = sum(c.totals[:-1]) / max(1, c.previous)
        self.chart.draw(labels, c.totals, colours, mean)
        self.chart.legend.setText(
            self.tr("Périodes commençant le… ; en orange la période choisie, en tirets la moyenne.")
        )

    def show_failure(self, message: str) -> None:
        self.note.setText(message)

    def _commune(self, key: str) -> str:
        if key == OUTSIDE:
            return self.tr("hors territoire")
        commune = self.territory.commune(key)
        return commune.label if commune is not None else key

    @staticmethod
    def _rows(rows: Sequence[TrendRow], name: Callable[[str], str]) -> list[list[str]]:
        return [
            [name(r.key), str(r.current), f"{r.mean:.1f}".replace(".", ","),
             f"{r.low} – {r.high}", change_text(r)]
            for r in rows
        ]  # fmt: skip
