"""Wiring of the sound test and the spoken alerts (called by ``app.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from csu_console.core.speech import SpeechSettings
from csu_console.ui.console.alarm import AlarmController
from csu_console.ui.console.alert_model import AlertTableModel
from csu_console.ui.console.context import StationContext
from csu_console.ui.console.main_window import MainWindow
from csu_console.ui.console.sound_test import SoundTest
from csu_console.ui.console.speech import AlertSpeech


@dataclass
class SoundParts:
    """The speech (None when ``[alarm] speak`` is off) and the sound test."""

    speech: AlertSpeech | None
    test: SoundTest

    def stop(self) -> None:
        """No process, timer or temporary file left."""
        self.test.stop()
        if self.speech is not None:
            self.speech.stop()


def assemble_sound(
    alarm: AlarmController,
    ctx: StationContext,
    model: AlertTableModel,
    window: MainWindow,
    settings: SpeechSettings,
) -> SoundParts:
    """Speech after the alarm's tones, and « Tester le son » in the Poste menu."""
    speech: AlertSpeech | None = None
    if settings.enabled:
        speech = AlertSpeech(settings, alarm.sound, alarm.muted_remaining, model.place_text, alarm)
        alarm.announced.connect(speech.on_announced)
        alarm.speaking = speech.speaking
        speech.failed.connect(window.show_message)
    test = SoundTest(alarm, ctx, speech, alarm)
    window.sound_test_requested.connect(test.run)

    def show(_ok: bool, text: str) -> None:
        window.show_message(text)
        window.show_sound_state(alarm.sound.available, alarm.sound.unavailable_reason)

    test.finished.connect(show)
    return SoundParts(speech, test)
