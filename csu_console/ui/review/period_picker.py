"""Which period to review: a shift of the settings on a day (by default the last
completed one), or any range of days. ``period_changed`` gives the UTC period
and its French label."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QWidget,
)

from csu_console.core.review.period import Period, day_period, long_date
from csu_console.core.review.shifts import (
    ShiftOccurrence,
    ShiftSettings,
    default_candidates,
    default_shift,
    shift_period,
)

#: Pause after a change of day before the shift is loaded (ms).
DAY_TYPING_MS = 400


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class PeriodPicker(QWidget):
    """« Vacation » (day + shift) or « Du … au … » (days), and « Afficher »."""

    period_changed = Signal(object, str)  # Period, label

    def __init__(
        self,
        shifts: ShiftSettings,
        tz: ZoneInfo,
        now: Callable[[], datetime] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._shifts, self._tz = shifts, tz
        self._now = now or (lambda: datetime.now(UTC))
        self.by_shift = QRadioButton(self.tr("Vacation"), self)
        self.by_days = QRadioButton(self.tr("Du"), self)
        group = QButtonGroup(self)
        group.addButton(self.by_shift)
        group.addButton(self.by_days)
        self.day = QDateEdit(self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.shift = QComboBox(self)
        for s in shifts.periods:
            self.shift.addItem(f"{s.name} ({s.hours})", s.id)
        self.first = QDateEdit(self)
        self.last = QDateEdit(self)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        self.show_button = QPushButton(self.tr("Afficher"), self)
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self.apply)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.by_shift, 0, 0)
        grid.addWidget(self.day, 0, 1)
        grid.addWidget(self.shift, 0, 2, 1, 2)
        grid.addWidget(self.by_days, 1, 0)
        grid.addWidget(self.first, 1, 1)
        grid.addWidget(QLabel(self.tr("au"), self), 1, 2)
        grid.addWidget(self.last, 1, 3)
        grid.addWidget(self.show_button, 0, 4, 2, 1)
        self.day.dateChanged.connect(lambda _d: self.by_shift.setChecked(True))
        self.shift.activated.connect(lambda _i: self.by_shift.setChecked(True))
        # A shift or a day chosen shows at once (« Afficher » stays for the range):
        # the day after a pause, so that typing a date is not one load per digit.
        self._day_timer = QTimer(self)
        self._day_timer.setSingleShot(True)
        self._day_timer.setInterval(DAY_TYPING_MS)
        self._day_timer.timeout.connect(self.apply)
        self.shift.activated.connect(lambda _i: self.apply())
        self.day.dateChanged.connect(lambda _d: self._day_timer.start())
        self.first.dateChanged.connect(lambda _d: self.by_days.setChecked(True))
        self.last.dateChanged.connect(lambda _d: self.by_days.setChecked(True))
        self.reset()

    def now(self) -> datetime:
        """The clock the picker uses (tests give a fixed one)."""
        return self._now()

    def candidates(self) -> list[ShiftOccurrence]:
        """The shifts :meth:`reset` may choose from (see ``default_shift``)."""
        return default_candidates(self._shifts, self._tz, self._now())

    def reset(self, has_data: Sequence[bool] = (), latest: datetime | None = None) -> None:
        """Back to the default shift (today's days for the range): the last completed
        one, or with ``has_data`` (for :meth:`candidates`) and ``latest`` (the latest
        alert), the last shift with data."""
        now = self._now()
        today = now.astimezone(self._tz).date()
        for edit in (self.first, self.last):
            edit.blockSignals(True)
            edit.setDate(_qdate(today))
            edit.blockSignals(False)
        occurrence = default_shift(self._shifts, self._tz, now, has_data, latest)
        self.day.blockSignals(True)
        if occurrence is not None:
            self.day.setDate(_qdate(occurrence.day))
            self.shift.setCurrentIndex(max(0, self.shift.findData(occurrence.shift.id)))
        else:
            self.day.setDate(_qdate(today))
        self.day.blockSignals(False)
        self.by_shift.setChecked(self.shift.count() > 0)
        self.by_days.setChecked(self.shift.count() == 0)

    def set_shift(self, day: date, shift_id: str) -> None:
        """Choose a shift occurrence (no signal until :meth:`apply`)."""
        self.day.blockSignals(True)
        self.day.setDate(_qdate(day))
        self.day.blockSignals(False)
        self.shift.setCurrentIndex(self.shift.findData(shift_id))
        self.by_shift.setChecked(True)

    def set_days(self, first: date, last: date) -> None:
        """Choose a range of days (no signal until :meth:`apply`)."""
        self.first.setDate(_qdate(first))
        self.last.setDate(_qdate(last))
        self.by_days.setChecked(True)

    def current(self) -> tuple[Period, str]:
        """The period chosen and its label (« Matin du lundi 2 juin 2025 (06:00–14:00) »)."""
        if self.by_shift.isChecked():
            shift = self._shifts.shift(str(self.shift.currentData()))
            if shift is not None:
                day = _pydate(self.day.date())
                label = self.tr("{shift} du {day} ({hours})").format(
                    shift=shift.name, day=long_date(day), hours=shift.hours
                )
                return shift_period(shift, day, self._tz), label
        first, last = _pydate(self.first.date()), _pydate(self.last.date())
        first, last = min(first, last), max(first, last)
        if first == last:
            return day_period(first, None, self._tz), self.tr("Journée du {d}").format(
                d=long_date(first)
            )
        label = self.tr("Du {a} au {b}").format(a=long_date(first), b=long_date(last))
        return day_period(first, last, self._tz), label

    def apply(self) -> None:
        """Emit the period chosen."""
        self._day_timer.stop()
        period, label = self.current()
        self.period_changed.emit(period, label)
