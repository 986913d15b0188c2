"""« Tester le son »: every alarm tone once, through the alarm's own player, then
(if ``[alarm] speak``) a spoken sentence; the result said in French and logged
(``sound_tested``).

The test never competes with a real alarm: refused while an alert rings, and an
alert arriving during the test simply plays over it (``AlarmSound.play`` stops the
test's tone). Without a sound card it says « ALARME SONORE INDISPONIBLE » and why.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from csu_console.core.logbook import EventKind
from csu_console.media import tones
from csu_console.storage.logbook import NewEvent
from csu_console.ui.console.alarm import AlarmController
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.speech import AlertSpeech

log = logging.getLogger("csu.ui")

# Silence between two tones of the test (seconds).
GAP_S = 0.4
SPOKEN_TEST = "Essai de l'annonce vocale. Urgente : rixe, place de la Gare."


class SoundTest(QObject):
    """Plays the tones one after the other on a timer (the GUI never waits)."""

    finished = Signal(bool, str)  # could it play, the French result

    def __init__(
        self,
        alarm: AlarmController,
        ctx: StationContext,
        speech: AlertSpeech | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._alarm = alarm
        self._ctx = ctx
        self._speech = speech
        self._queue: list[str] = []
        self._played: list[str] = []
        self._failed: list[str] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._next)

    @property
    def running(self) -> bool:
        """True while the tones are being played."""
        return bool(self._queue) or self._timer.isActive()

    @Slot()
    def run(self) -> None:
        """Start the test (ignored while one runs)."""
        if self.running:
            return
        if self._alarm.scheduler.ringing_keys():
            refused = self.tr("Test du son refusé : une alerte sonne, prenez-la d'abord en compte.")
            self.finished.emit(False, refused)
            return
        sound = self._alarm.sound
        sound.probe()  # tries the device again: a card plugged in since the start
        self._played, self._failed = [], []
        if not sound.available:
            self._finish()
            return
        self._queue = list(tones.TONES)
        self._next()

    @Slot()
    def _next(self) -> None:
        if not self._queue:
            self._finish()
            return
        name = self._queue.pop(0)
        sound = self._alarm.sound
        (self._played if sound.play(name) else self._failed).append(name)
        if not sound.available:  # the device went away during the test
            self._failed.extend(self._queue)
            self._queue.clear()
        self._timer.start(int((tones.TONES[name].duration_s + GAP_S) * 1000))

    def _finish(self) -> None:
        sound = self._alarm.sound
        spoken = (
            self._speech is not None
            and self._speech.available
            and sound.available
            and self._speech.say(SPOKEN_TEST)
        )
        ok = bool(self._played) and not self._failed
        details = {
            "available": sound.available,
            "played": list(self._played),
            "failed": list(self._failed),
            "speech": bool(spoken),
        }
        if not sound.available:
            details["reason"] = sound.unavailable_reason
        ctx = self._ctx
        event = NewEvent(
            EventKind.SOUND_TESTED.value,
            datetime.now(UTC),
            None,
            ctx.station,
            ctx.operator or None,
            details,
        )
        ctx.tasks.record([event])
        if not sound.available:
            text = self.tr(
                "Test du son : ALARME SONORE INDISPONIBLE ({reason}). L'alarme reste visuelle."
            ).format(reason=sound.unavailable_reason)
        elif ok:
            text = self.tr(
                "Test du son : {n} tonalités jouées. Si vous ne les avez pas entendues,"
                " vérifiez le volume et les haut-parleurs."
            ).format(n=len(self._played))
        else:
            text = self.tr("Test du son : {n} tonalités jouées, {m} en échec ({names}).").format(
                n=len(self._played), m=len(self._failed), names=", ".join(self._failed)
            )
        log.info("test du son par %s : %s", ctx.operator or "?", details)
        self.finished.emit(sound.available and ok, text)

    def stop(self) -> None:
        """The console stops: no timer left."""
        self._timer.stop()
        self._queue.clear()
