"""The alarm tones: WAV format, length, loudness, no clicks, pitch as designed,
deterministic output, and committed files equal to what the generator writes."""

from __future__ import annotations

import itertools
import struct
import subprocess
import sys
import wave
from collections.abc import Sequence
from pathlib import Path

import pytest

from csu_console.media import tones
from csu_console.media.tones import TONES, generate, tone_path

FULL_SCALE = 32_767
NAMES = list(TONES)

#: Pitch of each note, in order, as the design says (escalation glides: see below).
EXPECTED_NOTES_HZ: dict[str, list[float]] = {
    "priority1": [880.0, 1175.0] * 4,
    "priority2": [784.0, 784.0],
    "priority3": [660.0],
    "priority4": [523.0],
    "link_lost": [700.0, 440.0],
}


def read_samples(path: Path) -> tuple[wave._wave_params, list[int]]:
    """The WAV's parameters and its 16-bit samples."""
    with wave.open(str(path), "rb") as w:
        params = w.getparams()
        frames = w.readframes(w.getnframes())
    return params, list(struct.unpack(f"<{len(frames) // 2}h", frames))


def note_runs(x: Sequence[int], min_gap: int = 220) -> list[tuple[int, int]]:
    """(start, end) of the sounding parts, split by >= 5 ms of digital silence."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    end = zeros = 0
    for i, v in enumerate(x):
        if v != 0:
            if start is None:
                start = i
            end, zeros = i + 1, 0
        else:
            zeros += 1
            if start is not None and zeros >= min_gap:
                runs.append((start, end))
                start = None
    if start is not None:
        runs.append((start, end))
    return runs


def zero_crossing_hz(x: Sequence[int], rate: int = 44_100) -> float:
    """Frequency from the rising zero crossings (interpolated): exact for a sine."""
    times = [
        i - 1 + -x[i - 1] / (x[i] - x[i - 1]) for i in range(1, len(x)) if x[i - 1] < 0 <= x[i]
    ]
    return (len(times) - 1) / (times[-1] - times[0]) * rate


def middle(x: Sequence[int], start: int, end: int) -> Sequence[int]:
    """The middle half of a note: away from its fades."""
    q = (end - start) // 4
    return x[start + q : end - q]


@pytest.fixture(scope="module")
def fresh_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tones as the generator writes them now."""
    out = tmp_path_factory.mktemp("sounds")
    generate(out)
    return out


@pytest.mark.parametrize("name", NAMES)
def test_wav_format_and_length(name: str) -> None:
    params, samples = read_samples(tone_path(name))
    assert (params.nchannels, params.sampwidth, params.framerate) == (1, 2, 44_100)
    assert params.comptype == "NONE"
    assert len(samples) == params.nframes
    assert params.nframes / 44_100 == pytest.approx(TONES[name].duration_s, abs=2 / 44_100)
    assert 0.25 <= TONES[name].duration_s <= 1.25, "a ring, not a song"


@pytest.mark.parametrize("name", NAMES)
def test_loud_enough_with_headroom_and_no_clicks(name: str) -> None:
    _, x = read_samples(tone_path(name))
    peak = max(abs(v) for v in x) / FULL_SCALE
    assert 0.55 <= peak <= 0.6
    # Fades: every note starts and ends near zero, the file with an exact zero...
    assert x[0] == 0
    assert x[-1] == 0
    for start, end in note_runs(x):
        assert abs(x[start]) < 0.01 * FULL_SCALE
        assert abs(x[end - 1]) < 0.01 * FULL_SCALE
    # ...and no jump larger than a 1.6 kHz sine at 0.6 can make (2*pi*f/rate*0.6 = 0.137).
    max_step = max(abs(b - a) for a, b in itertools.pairwise(x))
    assert max_step < 0.14 * FULL_SCALE


@pytest.mark.parametrize("name", sorted(EXPECTED_NOTES_HZ))
def test_each_note_has_the_designed_pitch(name: str) -> None:
    _, x = read_samples(tone_path(name))
    runs = note_runs(x)
    measured = [zero_crossing_hz(middle(x, s, e)) for s, e in runs]
    expected = EXPECTED_NOTES_HZ[name]
    assert len(measured) == len(expected), measured
    for got, want in zip(measured, expected, strict=True):
        assert got == pytest.approx(want, rel=0.01), measured


def test_escalation_is_three_rising_glides_ending_above_every_priority_tone() -> None:
    _, x = read_samples(tone_path("escalation"))
    runs = note_runs(x)
    assert len(runs) == 3
    pitches = []
    for start, end in runs:
        n = end - start
        first = zero_crossing_hz(x[start + n // 10 : start + n // 2])
        last = zero_crossing_hz(x[start + n // 2 : end - n // 10])
        assert last > first * 1.02, "each beep glides upwards"
        pitches.append((first, last))
    assert pitches[0][0] == pytest.approx(1000, rel=0.05)
    assert pitches[-1][1] == pytest.approx(1600, rel=0.05)
    assert pitches[0][0] < pitches[1][0] < pitches[2][0], "and the beeps climb"
    assert pitches[-1][0] > max(max(v) for v in EXPECTED_NOTES_HZ.values())


def test_tones_are_told_apart_by_their_note_pattern() -> None:
    patterns = set()
    for name in NAMES:
        _, x = read_samples(tone_path(name))
        runs = note_runs(x)
        patterns.add(
            (len(runs), tuple(round(zero_crossing_hz(middle(x, s, e)), -1) for s, e in runs))
        )
    assert len(patterns) == len(NAMES)


def test_generation_is_byte_identical_from_run_to_run(fresh_dir: Path, tmp_path: Path) -> None:
    again = generate(tmp_path)
    assert [p.name for p in again] == [f"{n}.wav" for n in NAMES]
    for path in again:
        assert path.read_bytes() == (fresh_dir / path.name).read_bytes()


@pytest.mark.parametrize("name", NAMES)
def test_committed_file_is_what_the_generator_writes(name: str, fresh_dir: Path) -> None:
    committed = tone_path(name)
    assert committed.parent == tones.sounds_dir()
    assert committed.read_bytes() == (fresh_dir / f"{name}.wav").read_bytes(), (
        "assets/sounds/ est périmé : python -m csu_console.media.tones assets/sounds"
    )


def test_unknown_tone_name_is_refused() -> None:
    with pytest.raises(ValueError, match="tonalité inconnue"):
        tone_path("priority5")


def test_command_line_writes_and_lists_the_files(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "csu_console.media.tones", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    listed = [Path(line) for line in proc.stdout.splitlines()]
    assert listed == [tmp_path / "out" / f"{n}.wav" for n in NAMES]
    assert all(p.stat().st_size > 20_000 for p in listed)
