"""Urgent alerts spoken after their tone (``[alarm] speak``), never blocking the GUI.

espeak-ng renders the sentence into a WAV file in its own process (``QProcess``:
the GUI thread only hears when it ends); the file then plays through the alarm's
player, after the tone. Each alert is said once when it arrives and once more at
its escalation, never on the repeats; the mute silences it (a sentence due during
a mute is dropped, one playing is cut by the mute's ``stop``). A burst says the
most urgent alert and how many others came with it.
"""

from __future__ import annotations

import itertools
import logging
import shutil
import tempfile
import time
import wave
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QTimer, Signal, Slot

from csu_console.core.alerts import StoredAlert
from csu_console.core.speech import SpeechSettings, spoken_text
from csu_console.media import tones
from csu_console.media.alarm_sound import AlarmSound
from csu_console.media.speech import espeak_path, render_args

log = logging.getLogger("csu.media")

#: Pause between the end of the tone and the voice (seconds).
AFTER_TONE_S = 0.25
#: While another sound plays, try again this often, at most this many times.
BUSY_RETRY_MS = 200
BUSY_RETRIES = 25
#: Alerts remembered as said (older ones are forgotten: they stopped ringing long ago).
SAID_MAX = 5000


class AlertSpeech(QObject):
    """Says ``spoken_text`` of new and escalated alerts of the chosen priorities."""

    spoken = Signal(str)  # the sentence, when it started playing
    failed = Signal(str)  # why a sentence could not be said (French)

    def __init__(
        self,
        settings: SpeechSettings,
        sound: AlarmSound,
        muted_s: Callable[[], float],
        place: Callable[[StoredAlert], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self._sound = sound
        self._muted_s = muted_s
        self._place = place
        self._exe = espeak_path() if settings.enabled else None
        #: False when speech is off, or espeak-ng is missing (``unavailable_reason``).
        self.available = self._exe is not None
        self.unavailable_reason = ""
        if settings.enabled and self._exe is None:
            self.unavailable_reason = "annonce vocale indisponible : espeak-ng absent"
            log.warning("%s (apt-get install espeak-ng)", self.unavailable_reason)
        self._dir = Path(tempfile.mkdtemp(prefix="csu-speech-")) if self.available else None
        self._names = itertools.count(1)
        self._said: dict[tuple[int, bool], None] = {}
        self._proc: QProcess | None = None
        self._text = ""
        self._wav: Path | None = None
        self._not_before = 0.0
        self._retries = 0
        self._playing: Path | None = None  # the sentence being played, until ``_until``
        self._until = 0.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._play)
        self._stopped = False

    @Slot(list, str)
    def on_announced(self, items: list[tuple[StoredAlert, bool]], tone: str) -> None:
        """The alarm rang ``tone`` for these alerts: say the most urgent, once."""
        if not self.available or self._stopped:
            return
        fresh = [
            (item, escalated)
            for item, escalated in items
            if item.alert.priority in self.settings.priorities
            and (item.pk, escalated) not in self._said
        ]
        if not fresh:
            return
        for item, escalated in fresh:
            self._said[(item.pk, escalated)] = None
        while len(self._said) > SAID_MAX:
            del self._said[next(iter(self._said))]
        item, escalated = min(
            fresh, key=lambda f: (f[0].alert.priority, -f[0].received_at.timestamp())
        )
        text = spoken_text(
            item.alert.priority, item.alert.category, self._place(item), escalated=escalated
        )
        if len(fresh) > 1:
            text += f". Et {len(fresh) - 1} autres alertes."
        spec = tones.TONES.get(tone)
        self.say(text, after_s=(spec.duration_s if spec is not None else 0.0) + AFTER_TONE_S)

    def speaking(self) -> bool:
        """True while a sentence of this speech is being played out: until its
        length has passed, unless a tone or the mute (``stop``) took the device."""
        wav = self._sound.playing_file
        return wav is not None and wav == self._playing and time.monotonic() < self._until

    def say(self, text: str, after_s: float = 0.0) -> bool:
        """Render ``text`` now and play it ``after_s`` from now (or when rendered).

        A sentence not yet played is replaced by the newer one. False when speech
        is unavailable.
        """
        if not self.available or self._stopped or self._dir is None or self._exe is None:
            return False
        self._cancel()
        self._text = text
        self._wav = self._dir / f"annonce-{next(self._names)}.wav"
        self._not_before = time.monotonic() + after_s
        self._retries = 0
        proc = QProcess(self)
        proc.finished.connect(self._on_rendered)
        proc.errorOccurred.connect(self._on_process_error)
        self._proc = proc
        proc.start(self._exe, render_args(text, self._wav, self.settings))
        return True

    @Slot(int, QProcess.ExitStatus)
    def _on_rendered(self, code: int, status: QProcess.ExitStatus) -> None:
        proc = self.sender()
        if proc is not self._proc or self._stopped:
            return
        self._proc = None
        if isinstance(proc, QProcess):
            proc.deleteLater()
        if status is not QProcess.ExitStatus.NormalExit or code != 0:
            self._fail(f"espeak-ng a échoué (code {code})")
            return
        delay = max(0.0, self._not_before - time.monotonic())
        self._timer.start(int(delay * 1000))

    @Slot(QProcess.ProcessError)
    def _on_process_error(self, error: QProcess.ProcessError) -> None:
        if error is QProcess.ProcessError.FailedToStart and self.sender() is self._proc:
            self._proc = None
            self._fail("espeak-ng ne démarre pas")

    def _fail(self, reason: str) -> None:
        log.warning("annonce vocale non dite : %s (« %s »)", reason, self._text)
        self.failed.emit(reason)

    @Slot()
    def _play(self) -> None:
        wav = self._wav
        if wav is None or self._stopped:
            return
        if self._muted_s() > 0:
            log.info("annonce vocale non dite (son coupé) : « %s »", self._text)
            self._forget()
            return
        if self._sound.is_playing() and self._retries < BUSY_RETRIES:
            self._retries += 1  # a tone still sounding: the voice comes after it
            self._timer.start(BUSY_RETRY_MS)
            return
        try:
            with wave.open(str(wav), "rb") as w:
                length = w.getnframes() / max(1, w.getframerate())
        except (OSError, EOFError, wave.Error) as exc:
            self._fail(f"fichier rendu illisible ({exc})")
            self._forget()
            return
        if self._sound.play_file(wav):
            self._playing, self._until = wav, time.monotonic() + length
            log.info("annonce vocale : « %s »", self._text)
            self.spoken.emit(self._text)
        else:
            self._fail(self._sound.unavailable_reason or "lecture impossible")
        self._forget()

    def _forget(self) -> None:
        # The player has the samples in memory: the file can go.
        if self._wav is not None:
            self._wav.unlink(missing_ok=True)
        self._wav = None

    def _cancel(self) -> None:
        self._timer.stop()
        if self._proc is not None:
            proc, self._proc = self._proc, None
            proc.kill()
            proc.waitForFinished(1000)
            proc.deleteLater()
        self._forget()

    def stop(self) -> None:
        """The console stops: no process, no timer, no temporary file left."""
        self._stopped = True
        self._cancel()
        if self._dir is not None:
            shutil.rmtree(self._dir, ignore_errors=True)
