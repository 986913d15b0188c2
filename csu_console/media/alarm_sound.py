"""The alarm sound: plays the tones of :mod:`csu_console.media.tones` through ALSA.

``simpleaudio`` opens ALSA's default PCM on every ``play`` and feeds it from a C
thread, so ``play`` returns at once. Nothing here raises into the caller: without a
sound card the console keeps its visual alarm, shows :attr:`AlarmSound.unavailable_reason`
("alarme sonore indisponible : …") and the reason is logged once on ``csu.media``.

When is the player "unavailable"? simpleaudio only finds out at play time. A failure
to *open* the device (no card, no such PCM, bad ALSA configuration, access refused)
will not fix itself while the console runs: the player turns unavailable and stops
trying until ``probe()`` succeeds. Any other failure (device busy, out of memory,
parameters refused) only fails that one ring: the next alert rings again, and the
error is logged once, not on every ring.
"""

from __future__ import annotations

import errno
import logging
import re
import wave
from pathlib import Path
from typing import Any

from csu_console.media import tones
from csu_console.media.alsa_errors import AlsaErrors, quiet_alsa

log = logging.getLogger("csu.media")

_OPEN_FAILED = "Error opening PCM device."
_CODE = re.compile(r"-- CODE: (-?\d+) --")
#: errno values of a failed open that may go away by themselves.
_TRANSIENT_OPEN_ERRNOS = frozenset({errno.EBUSY, errno.EAGAIN, errno.EINTR, errno.ENOMEM})
#: What simpleaudio's ``play_buffer`` accepts; anything else raises ValueError.
_RATES = frozenset({8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000, 88200, 96000, 192000})
_SILENCE_PROBE = bytes(2 * 441)  # 10 ms of 16-bit mono silence at 44.1 kHz


def device_missing_reason(message: str) -> str | None:
    """The French reason if a ``SimpleaudioError`` message means "no usable device".

    simpleaudio formats its ALSA errors as ``"<step> -- CODE: <-errno> -- MSG: …"``;
    only a failed open (other than busy / again / interrupted / out of memory) counts.
    Returns None for an error that should only fail the current ring.
    """
    if not message.startswith(_OPEN_FAILED):
        return None
    match = _CODE.search(message)
    code = -int(match.group(1)) if match else None
    if code in _TRANSIENT_OPEN_ERRNOS:
        return None
    if code in (errno.EACCES, errno.EPERM):
        return f"accès à la carte son refusé ({message})"
    return f"aucune carte son utilisable ({message})"


class AlarmSound:
    """Plays one alarm tone at a time on ALSA's default device, never raising.

    Call ``play``, ``stop``, ``probe`` and ``close`` from the GUI thread only (no
    locking here). ``play`` does not block: simpleaudio opens the device and hands
    the samples to its own playback thread. One caveat: on an exclusive device (a
    bare ``hw:`` PCM, no dmix) ALSA's blocking open waits while the previous tone
    drains, at most simpleaudio's 100 ms buffer.
    """

    def __init__(self, sounds_dir: Path | None = None) -> None:
        self.sounds_dir = sounds_dir if sounds_dir is not None else tones.sounds_dir()
        #: False when no tone can sound; ``unavailable_reason`` then says why (French).
        self.available = False
        self.unavailable_reason = ""
        self._sa: Any = None
        self._error: type[Exception] = Exception  # replaced by SimpleaudioError
        self._waves: dict[str, Any] = {}  # name -> simpleaudio.WaveObject
        self._current: Any = None  # the last simpleaudio.PlayObject
        #: The file ``play_file`` started last (None once a tone was started since).
        self.playing_file: Path | None = None
        self._alsa: AlsaErrors | None = None
        self._logged: set[str] = set()
        self._closed = False
        try:
            import simpleaudio
            from simpleaudio._simpleaudio import SimpleaudioError
        except ImportError as exc:
            self._set_unavailable(f"module simpleaudio absent ({exc})")
            return
        self._sa = simpleaudio
        self._error = SimpleaudioError
        # Before any device is opened: ALSA's own lines would go to the terminal.
        self._alsa = quiet_alsa()
        self._load_tones()

    def _load_tones(self) -> None:
        failures: list[str] = []
        for name in tones.TONES:
            path = self.sounds_dir / f"{name}.wav"
            try:
                wave_obj = self._sa.WaveObject.from_wave_file(str(path))
            except (OSError, EOFError, wave.Error) as exc:
                failures.append(f"{path} : {exc}")
                continue
            problem = _unplayable(wave_obj)
            if problem:
                failures.append(f"{path} : {problem}")
                continue
            self._waves[name] = wave_obj
        if not self._waves:
            self._set_unavailable(f"aucune tonalité lisible ({failures[0]})")
            return
        for failure in failures:
            self._warn_once(failure, "tonalité illisible, elle ne sonnera pas : %s", failure)
        self.available = True

    def play(self, name: str) -> bool:
        """Start tone ``name`` (stopping this player's current one); True if it started.

        False when the player is unavailable or closed, when the tone is unknown or
        was not loaded, or when ALSA refused this ring (logged once per reason).
        """
        if self._closed or not self.available:
            return False
        wave_obj = self._waves.get(name)
        if wave_obj is None:
            if name not in tones.TONES:  # a known tone that failed to load was logged then
                self._warn_once(f"tone:{name}", "tonalité inconnue : %r", name)
            return False
        return self._start(wave_obj)

    def play_file(self, path: Path) -> bool:
        """Play a WAV file (a spoken alert) like a tone; True if it started.

        Stops this player's current sound first. False (logged once per reason)
        when the player is unavailable, the file unreadable or unplayable.
        """
        if self._closed or not self.available:
            return False
        try:
            wave_obj = self._sa.WaveObject.from_wave_file(str(path))
        except (OSError, EOFError, wave.Error) as exc:
            self._warn_once(f"file:{exc}", "fichier son illisible : %s (%s)", path, exc)
            return False
        problem = _unplayable(wave_obj)
        if problem:
            self._warn_once(f"file:{problem}", "fichier son injouable : %s (%s)", path, problem)
            return False
        if not self._start(wave_obj):
            return False
        self.playing_file = path
        return True

    def _start(self, wave_obj: Any) -> bool:
        """Stop what plays, then play ``wave_obj``; False (told) if it failed."""
        self.stop()
        self.playing_file = None
        try:
            self._current = wave_obj.play()
        except self._error as exc:
            self._current = None
            self._on_play_failed(str(exc))
            return False
        return True

    def _on_play_failed(self, message: str) -> None:
        reason = device_missing_reason(message)
        if reason is not None:
            self._set_unavailable(reason)
        else:
            self._warn_once(
                message, "échec de l'alarme sonore (réessayée à la prochaine) : %s", message
            )

    def stop(self) -> None:
        """Stop the tone this player started, if any.

        Not instant: ALSA plays out what simpleaudio already queued (<= ~100 ms).
        """
        self.playing_file = None
        if self._current is not None:
            self._current.stop()

    def is_playing(self) -> bool:
        """True while the last tone started here is still being played out."""
        return self._current is not None and bool(self._current.is_playing())

    def probe(self) -> bool:
        """Open the device now, with 10 ms of silence; returns and updates ``available``.

        Call it at start-up so that the operator learns before the first alert that
        the sound alarm is missing, or later to try again after a failure. A probe
        while a tone plays is pointless: the device works, nothing is opened.
        """
        if self._closed or self._sa is None or not self._waves:
            return False
        if self.is_playing():
            return True
        try:
            self._current = self._sa.play_buffer(_SILENCE_PROBE, 1, 2, 44_100)
        except self._error as exc:
            self._current = None
            self._on_play_failed(str(exc))
            return self.available
        if not self.available:
            log.info("alarme sonore de nouveau disponible")
            self._logged.discard("unavailable")
        self.available = True
        self.unavailable_reason = ""
        return True

    def close(self) -> None:
        """Stop and release the tones; ``play`` returns False from now on."""
        self.stop()
        self._closed = True
        self._waves.clear()

    def _set_unavailable(self, detail: str) -> None:
        self.available = False
        self.unavailable_reason = f"alarme sonore indisponible : {detail}"
        alsa = self._alsa.summary() if self._alsa is not None else ""
        # One line, with what ALSA said (its own lines are kept off the terminal).
        self._warn_once(
            "unavailable", "%s%s", self.unavailable_reason, f" ; {alsa}" if alsa else ""
        )

    def _warn_once(self, key: str, msg: str, *args: object) -> None:
        if key not in self._logged:
            self._logged.add(key)
            log.warning(msg, *args)


def _unplayable(wave_obj: Any) -> str | None:
    """Why simpleaudio cannot play this WAV correctly, or None."""
    if wave_obj.num_channels not in (1, 2):
        return f"{wave_obj.num_channels} canaux (1 ou 2 attendus)"
    # simpleaudio takes 4-byte samples for float: a 32-bit integer WAV would be noise.
    if wave_obj.bytes_per_sample not in (1, 2, 3):
        return f"échantillons de {8 * wave_obj.bytes_per_sample} bits (8, 16 ou 24 attendus)"
    if wave_obj.sample_rate not in _RATES:
        return f"fréquence d'échantillonnage {wave_obj.sample_rate} Hz non prise en charge"
    return None
