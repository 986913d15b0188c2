"""The map follows the queue: it centres on the selected alert, else on new ones,
and marks the open alerts (a partner's CAP area drawn as a shape, the view fitted
to it) — without ever costing the GUI more than a few times a
second, however many alerts a storm brings."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Slot

from csu_console.config import Camera, Zone
from csu_console.core.alerts import AlertState, StoredAlert, urgency
from csu_console.core.cap_alarm import is_new_row
from csu_console.core.cap_facts import is_exercise
from csu_console.core.intake import Outcome
from csu_console.core.ranking import cameras_for_alert
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.map.area_layer import MapArea
from csu_console.ui.map.map_pane import MapPane
from csu_console.ui.map.overlays import MapAlert
from csu_console.ui.pacing import start_after

MARKS_EVERY_MS = 500  # markers are rebuilt whole: at most twice a second
FOCUS_EVERY_S = 1.0  # a storm must not make the map jump on every batch
#: A new alert moves the map this long after it arrives, on a turn of its own: the
#: banner and the wall (which follow the same alert at once) paint first, and the
#: three repaints do not add up into one long one (``bench/alert_storm.py``).
FOCUS_AFTER_MS = 60


class MapFollower(QObject):
    """Keeps the map pane in step with the alert queue."""

    def __init__(
        self,
        pane: MapPane,
        model: AlertTableModel,
        cameras: Sequence[Camera],
        zones: Sequence[Zone],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._pane, self._model = pane, model
        self._cameras, self._zones = cameras, zones
        self.selected: StoredAlert | None = None
        #: ``[cap] ring_exercises``: a silent exercise does not pull the map (the wall
        #: and the banner follow what rings; the map must show the same alert).
        self.ring_exercises = False
        #: True while something else holds the map (a phone call's address, issue 20):
        #: new alerts then mark the map without moving it.
        self.hold: Callable[[], bool] = lambda: False
        self._candidate: StoredAlert | None = None  # most urgent new alert not shown yet
        self._last_focus = 0.0
        self._marks_timer = QTimer(self)
        self._marks_timer.setSingleShot(True)
        self._marks_timer.setInterval(MARKS_EVERY_MS)
        self._marks_timer.timeout.connect(self._update_marks)
        self._focus_timer = QTimer(self)
        self._focus_timer.setSingleShot(True)
        self._focus_timer.timeout.connect(self._focus_candidate)

    def stop(self) -> None:
        """No more map updates (the console is closing)."""
        self._marks_timer.stop()
        self._focus_timer.stop()

    @Slot(object)
    def on_alert_selected(self, item: StoredAlert | None) -> None:
        """The operator's choice always wins, at once."""
        self.selected = item
        self.focus(item)

    @Slot(object)
    def on_frames_committed(self, outcomes: list[Outcome]) -> None:
        """New alerts: show the most urgent one, unless the operator chose one."""
        for o in outcomes:
            item = o.stored
            # Only new rows: an issuer's Update or Cancel does not pull the map away.
            if item is None or not placed(item) or not is_new_row(o):
                continue
            if is_exercise(item.alert.cap) and not self.ring_exercises:
                continue
            best = self._candidate
            if best is None or urgency(item) < urgency(best):
                self._candidate = item
        if self._candidate is None or self.selected is not None:
            self._candidate = None
            return
        start_after(self._focus_timer, FOCUS_EVERY_S, self._last_focus, FOCUS_AFTER_MS)

    @Slot()
    def on_counts_changed(self) -> None:
        """Something in the queue changed: refresh the markers soon (coalesced)."""
        if not self._marks_timer.isActive():
            self._marks_timer.start()

    def focus(self, item: StoredAlert | None) -> None:
        """Centre on ``item`` and its ranked cameras, or fit its area (nothing without
        a position)."""
        if item is None or not placed(item):
            return
        self._last_focus = time.monotonic()
        alert = item.alert
        ranked = cameras_for_alert(alert, self._cameras, self._zones, limit=9)
        if alert.area is not None:
            self._pane.overlays.focus_area(
                str(item.pk),
                alert.area,
                alert.priority,
                ranked,
                ended=item.issuer_state is not None,
                token=item.version,
                bounds=self._pane.site_rect(),
                exercise=is_exercise(alert.cap),
            )
        elif alert.location is not None:
            loc = alert.location
            self._pane.overlays.focus_alert(loc.lon, loc.lat, ranked)

    @Slot()
    def _focus_candidate(self) -> None:
        item, self._candidate = self._candidate, None
        if self.selected is None and not self.hold():
            self.focus(item)

    @Slot()
    def _update_marks(self) -> None:
        model = self._model
        marks = []
        areas: list[MapArea] = []
        for row in range(model.rowCount()):
            item = model.alert_at(row)
            if item is None or item.state is AlertState.CLOSED:
                continue
            a, ended = item.alert, item.issuer_state is not None
            if a.area is not None:
                areas.append(
                    MapArea(
                        str(item.pk),
                        a.area,
                        a.priority,
                        ended,
                        item.version,
                        a.title,
                        exercise=is_exercise(a.cap),
                    )
                )
            if a.location is None:
                continue
            loc = a.location
            marks.append(
                MapAlert(
                    str(item.pk),
                    loc.lon,
                    loc.lat,
                    a.priority,
                    model.group_size(item.pk),
                    a.title,
                    pulsing=item.state is AlertState.NEW,
                    # Cancelled by its issuer, or expired: a grey disc that never pulses.
                    ended=ended,
                )
            )
        self._pane.overlays.set_alerts(marks, areas)


def placed(item: StoredAlert) -> bool:
    """True if the map can show ``item``: a position, or an area."""
    return item.alert.location is not None or item.alert.area is not None
