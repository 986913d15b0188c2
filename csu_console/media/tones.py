"""The alarm tones, synthesized with the standard library into 16-bit mono WAV files.

Each tone says something different by ear, before the operator reads the screen:
urgency goes with pitch, tempo and number of notes. The committed files in
``assets/sounds/`` come from this module (``python -m csu_console.media.tones
assets/sounds``); the output is byte-identical from one run to the next, so a test
can check that the committed files match the table below.
"""

from __future__ import annotations

import argparse
import io
import math
import struct
import wave
from dataclasses import dataclass
from pathlib import Path

from csu_console.paths import assets_dir

SAMPLE_RATE = 44_100
SAMPLE_WIDTH = 2  # bytes: 16-bit signed PCM
CHANNELS = 1
PEAK = 0.6  # of full scale: loud enough, with headroom for the sound card's mixer
FADE_IN_S = 0.005  # raised-cosine ramps: no click at a note's start or end
FADE_OUT_S = 0.010
_FULL_SCALE = 32_767


@dataclass(frozen=True)
class Note:
    """One note: a sine at ``freq_hz``, gliding to ``end_freq_hz`` if given.

    ``decay_per_s`` > 0 gives a struck, bell-like envelope (amplitude
    ``exp(-decay * t)``); ``gap_s`` is the silence that follows the note.
    """

    freq_hz: float
    duration_s: float
    end_freq_hz: float | None = None
    decay_per_s: float = 0.0
    gap_s: float = 0.0


@dataclass(frozen=True)
class ToneSpec:
    """A named alarm tone: what it means (French, for the UI) and its notes."""

    label: str
    notes: tuple[Note, ...]

    @property
    def duration_s(self) -> float:
        """Nominal length, notes and gaps included."""
        return sum(n.duration_s + n.gap_s for n in self.notes)


def _pulses(freqs: tuple[float, ...], on_s: float, off_s: float) -> tuple[Note, ...]:
    return tuple(Note(f, on_s, gap_s=off_s) for f in freqs)


#: name -> spec. Priority 1 is the most insistent, priority 4 the most discreet.
TONES: dict[str, ToneSpec] = {
    # Two-tone alternation, the pattern of an emergency vehicle: fast and impossible
    # to mistake for anything else. 8 pulses of 0.12 s + 0.03 s = 1.2 s.
    "priority1": ToneSpec(
        "Alerte urgente",
        _pulses((880.0, 1175.0) * 4, 0.12, 0.03),
    ),
    # Two medium beeps (G5).
    "priority2": ToneSpec(
        "Alerte de priorité haute",
        (Note(784.0, 0.20, gap_s=0.12), Note(784.0, 0.20, gap_s=0.05)),
    ),
    # One soft chime (E5), struck and decaying.
    "priority3": ToneSpec(
        "Alerte de priorité normale",
        (Note(660.0, 0.70, decay_per_s=4.0, gap_s=0.05),),
    ),
    # A short, low ping (C5).
    "priority4": ToneSpec(
        "Information",
        (Note(523.0, 0.25, decay_per_s=8.0, gap_s=0.05),),
    ),
    # "Chef de salle": three rising beeps, each one gliding upwards: the only tone
    # that climbs, and it ends above every priority tone.
    "escalation": ToneSpec(
        "Escalade au chef de salle",
        (
            Note(1000.0, 0.16, end_freq_hz=1100.0, gap_s=0.06),
            Note(1250.0, 0.16, end_freq_hz=1350.0, gap_s=0.06),
            Note(1500.0, 0.16, end_freq_hz=1600.0, gap_s=0.10),
        ),
    ),
    # Link lost: a falling pair, the "something went away" contour.
    "link_lost": ToneSpec(
        "Liaison perdue",
        (Note(700.0, 0.30, gap_s=0.08), Note(440.0, 0.40, gap_s=0.05)),
    ),
}


def _ramp(i: int, n: int) -> float:
    """Raised cosine from 0 (i = 0) to 1 (i = n)."""
    return 0.5 - 0.5 * math.cos(math.pi * i / n)


def _render_note(note: Note) -> list[int]:
    n = round(note.duration_s * SAMPLE_RATE)
    n_in = round(FADE_IN_S * SAMPLE_RATE)
    n_out = round(FADE_OUT_S * SAMPLE_RATE)
    end = note.end_freq_hz if note.end_freq_hz is not None else note.freq_hz
    samples: list[int] = []
    phase = 0.0  # accumulated, so a glide stays continuous
    for i in range(n):
        t = i / SAMPLE_RATE
        envelope = math.exp(-note.decay_per_s * t)
        if i < n_in:
            envelope *= _ramp(i, n_in)
        if i >= n - n_out:
            envelope *= _ramp(n - 1 - i, n_out)
        samples.append(round(PEAK * _FULL_SCALE * envelope * math.sin(phase)))
        freq = note.freq_hz + (end - note.freq_hz) * i / n
        phase += 2.0 * math.pi * freq / SAMPLE_RATE
    samples.extend([0] * round(note.gap_s * SAMPLE_RATE))
    return samples


def render_pcm(name: str) -> bytes:
    """The tone's PCM frames (16-bit little-endian mono), without a WAV header."""
    samples: list[int] = []
    for note in _spec(name).notes:
        samples.extend(_render_note(note))
    return struct.pack(f"<{len(samples)}h", *samples)


def render_wav(name: str) -> bytes:
    """The complete WAV file of a tone."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(CHANNELS)
        w.setsampwidth(SAMPLE_WIDTH)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(render_pcm(name))
    return buf.getvalue()


def generate(dest_dir: Path) -> list[Path]:
    """Write ``<name>.wav`` for every tone into ``dest_dir`` (created if needed)."""
    dest_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name in TONES:
        path = dest_dir / f"{name}.wav"
        path.write_bytes(render_wav(name))
        written.append(path)
    return written


def sounds_dir() -> Path:
    """Where the committed tones live: ``assets/sounds/``."""
    return assets_dir() / "sounds"


def tone_path(name: str) -> Path:
    """The committed WAV file of a tone (``ValueError`` for an unknown name)."""
    _spec(name)
    return sounds_dir() / f"{name}.wav"


def _spec(name: str) -> ToneSpec:
    try:
        return TONES[name]
    except KeyError:
        raise ValueError(f"tonalité inconnue : {name!r} (connues : {', '.join(TONES)})") from None


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m csu_console.media.tones [DIR]``; prints the files."""
    parser = argparse.ArgumentParser(
        prog="python -m csu_console.media.tones",
        description="Génère les tonalités d'alarme (WAV 16 bits mono 44,1 kHz).",
    )
    parser.add_argument(
        "dir", nargs="?", type=Path, default=sounds_dir(), help="défaut : assets/sounds/"
    )
    args = parser.parse_args(argv)
    for path in generate(args.dir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
