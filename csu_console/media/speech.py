"""Spoken alerts: espeak-ng's command line (the sentence: :mod:`csu_console.core.speech`).

espeak-ng renders the sentence into a WAV file (``-w``) in its own process; the
console then plays that file through the alarm's own path
(:meth:`~csu_console.media.alarm_sound.AlarmSound.play_file`): one sound device,
one mute, one « alarme sonore indisponible ». Nothing here blocks: the caller
starts the process and is told when it ends (see ``ui/console/speech.py``).
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

from csu_console.core.speech import SpeechSettings

log = logging.getLogger("csu.media")

ESPEAK = "espeak-ng"


def espeak_path() -> str | None:
    """espeak-ng's executable, or None when it is not installed."""
    return shutil.which(ESPEAK)


def render_args(text: str, wav: Path, settings: SpeechSettings) -> list[str]:
    """espeak-ng's arguments (after the executable) to render ``text`` into ``wav``.

    The text is the last argument after ``--``: never parsed as an option, and
    ``-m`` is not given, so no SSML markup from an alert's address is obeyed.
    """
    return ["-v", settings.voice, "-s", str(settings.rate_wpm), "-w", str(wav), "--", text]


def render(text: str, wav: Path, settings: SpeechSettings, timeout_s: float = 20.0) -> None:
    """Render ``text`` into ``wav`` and wait (tests, command line; never the GUI thread).

    Raises ``FileNotFoundError`` without espeak-ng, ``subprocess`` errors otherwise.
    """
    exe = espeak_path()
    if exe is None:
        raise FileNotFoundError(ESPEAK)
    subprocess.run(
        [exe, *render_args(text, wav, settings)],
        check=True,
        capture_output=True,
        timeout=timeout_s,
    )
