"""The alarm sound through real ALSA: a tone played by ``AlarmSound`` is captured by
ALSA's ``file`` plugin into a WAV and compared with the source; without a device the
player says so in French, logs it once and never raises.

ALSA reads its configuration once per process, so every test that plays runs the
player in a child interpreter with ``ALSA_CONFIG_PATH`` pointing at its own
``pcm.!default``. Only tests whose player can never reach ALSA run in-process.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import wave
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from csu_console.media import tones
from csu_console.media.alarm_sound import AlarmSound, device_missing_reason

ALSA_BASE_CONFIG = Path("/usr/share/alsa/alsa.conf")

pytestmark = pytest.mark.skipif(
    not ALSA_BASE_CONFIG.exists(), reason="alsa-lib absente (libasound2 non installée)"
)

_PLAY_AND_WAIT = """
import json, logging, sys, time
logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                    format="LOG %(levelname)s %(name)s %(message)s")
from csu_console.media.alarm_sound import AlarmSound

sound = AlarmSound()
result = {"available_before": sound.available}
result["started"] = sound.play("priority1")
# The file is complete once simpleaudio's thread has drained and closed the PCM.
deadline = time.monotonic() + 10
while sound.is_playing() and time.monotonic() < deadline:
    time.sleep(0.01)
result["still_playing"] = sound.is_playing()
result["second"] = sound.play("priority2") if not result["started"] else None
result["available"] = sound.available
result["reason"] = sound.unavailable_reason
sound.close()
result["after_close"] = sound.play("priority1")
print(json.dumps(result))
"""

_PROBE = """
import json, logging, sys
logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                    format="LOG %(levelname)s %(name)s %(message)s")
from csu_console.media.alarm_sound import AlarmSound

sound = AlarmSound()
probed = sound.probe()
print(json.dumps({"probed": probed, "available": sound.available,
                  "reason": sound.unavailable_reason, "play": sound.play("priority4")}))
"""


def run_with_alsa(tmp_path: Path, default_pcm: str, script: str) -> tuple[dict[str, Any], str]:
    """Run ``script`` in a child interpreter whose ALSA default PCM is ``default_pcm``.

    Returns the JSON the script printed and its stderr (log lines start with LOG).
    """
    conf = tmp_path / "asound.conf"
    conf.write_text(f"pcm.!default {{ {default_pcm} }}\n", encoding="utf-8")
    env = dict(os.environ, ALSA_CONFIG_PATH=f"{ALSA_BASE_CONFIG}:{conf}")
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    return json.loads(proc.stdout), proc.stderr


def warnings_of(stderr: str) -> list[str]:
    """The child's ``csu.media`` WARNING log lines."""
    return [line for line in stderr.splitlines() if line.startswith("LOG WARNING csu.media")]


def read_wav(path: Path) -> tuple[wave._wave_params, bytes]:
    with wave.open(str(path), "rb") as w:
        return w.getparams(), w.readframes(w.getnframes())


def zero_crossing_hz(x: Sequence[int], rate: int = 44_100) -> float:
    """Frequency from the rising zero crossings (interpolated): exact for a sine."""
    times = [
        i - 1 + -x[i - 1] / (x[i] - x[i - 1]) for i in range(1, len(x)) if x[i - 1] < 0 <= x[i]
    ]
    return (len(times) - 1) / (times[-1] - times[0]) * rate


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], str]:
    """``priority1`` played by AlarmSound, as ALSA's default PCM wrote it to a WAV."""
    tmp = tmp_path_factory.mktemp("alsa-capture")
    wav = tmp / "captured.wav"
    pcm = f'type file slave.pcm "null" file "{wav}" format "wav"'
    result, stderr = run_with_alsa(tmp, pcm, _PLAY_AND_WAIT)
    return wav, result, stderr


def test_tone_reaches_alsa_unchanged(captured: tuple[Path, dict[str, Any], str]) -> None:
    wav, result, stderr = captured
    assert result["available_before"] is True
    assert result["started"] is True
    assert result["still_playing"] is False
    assert result["available"] is True
    assert result["reason"] == ""
    assert result["after_close"] is False
    assert warnings_of(stderr) == []

    got_params, got = read_wav(wav)
    src_params, src = read_wav(tones.tone_path("priority1"))
    assert (got_params.nchannels, got_params.sampwidth, got_params.framerate) == (1, 2, 44_100)
    assert got_params == src_params
    # The file plugin writes exactly what the application wrote: no padding, no
    # conversion, so the PCM frames are the source's, byte for byte.
    assert got == src
    assert got_params.nframes / 44_100 == pytest.approx(
        tones.TONES["priority1"].duration_s, rel=0.1
    )


def test_captured_tone_has_the_source_pitch_and_level(
    captured: tuple[Path, dict[str, Any], str],
) -> None:
    """Redundant with the byte comparison, but says what went wrong if that fails."""
    _, frames = read_wav(captured[0])
    x = struct.unpack(f"<{len(frames) // 2}h", frames)
    assert max(abs(v) for v in x) / 32_767 == pytest.approx(0.6, abs=0.01)
    pulse = 0.15 * 44_100  # the urgent tone alternates 880 / 1175 Hz every 0.15 s
    first = x[int(0.25 * pulse) : int(0.75 * pulse)]
    second = x[int(1.25 * pulse) : int(1.75 * pulse)]
    assert zero_crossing_hz(first) == pytest.approx(880, rel=0.01)
    assert zero_crossing_hz(second) == pytest.approx(1175, rel=0.01)


def _sox_stat(path: Path) -> dict[str, float]:
    proc = subprocess.run(
        ["sox", str(path), "-n", "stat"], capture_output=True, text=True, timeout=30, check=True
    )
    stats = {}
    for line in proc.stderr.splitlines():
        key, sep, value = line.partition(":")
        if sep and re.fullmatch(r"\s*-?[\d.]+\s*", value):
            stats[" ".join(key.split())] = float(value)
    return stats


@pytest.mark.skipif(shutil.which("sox") is None, reason="sox absent (apt-get install sox)")
def test_sox_hears_the_same_tone(captured: tuple[Path, dict[str, Any], str]) -> None:
    got = _sox_stat(captured[0])
    src = _sox_stat(tones.tone_path("priority1"))
    assert got["Length (seconds)"] == pytest.approx(1.2, rel=0.1)
    assert got["Maximum amplitude"] == pytest.approx(0.6, abs=0.01)
    assert 880 <= got["Rough frequency"] <= 1175
    for key in ("Length (seconds)", "Maximum amplitude", "Rough frequency", "RMS amplitude"):
        assert got[key] == src[key], key


# Each one is a different way of having no usable device; ALSA answers with a
# different errno each time (EINVAL, ENOENT, ENODEV, ENOENT).
NO_DEVICE = {
    "card-99": "type hw card 99",
    "card-9": "type hw card 9",
    "named-card": 'type hw card "AucuneCarte"',
    "unknown-slave": 'type plug slave.pcm "pcm_qui_n_existe_pas"',
}


@pytest.mark.parametrize("pcm", NO_DEVICE.values(), ids=NO_DEVICE.keys())
def test_no_device_turns_the_player_unavailable_without_raising(tmp_path: Path, pcm: str) -> None:
    result, stderr = run_with_alsa(tmp_path, pcm, _PLAY_AND_WAIT)
    # simpleaudio only learns at play time that there is no device.
    assert result["available_before"] is True
    assert result["started"] is False
    assert result["available"] is False
    assert result["second"] is False
    assert result["reason"].startswith("alarme sonore indisponible : aucune carte son utilisable")
    assert "Error opening PCM device" in result["reason"]
    assert result["still_playing"] is False
    warnings = warnings_of(stderr)
    assert len(warnings) == 1, "logged once, not on every ring"
    assert "alarme sonore indisponible" in warnings[0]


def test_probe_tells_at_start_up_that_there_is_no_device(tmp_path: Path) -> None:
    result, stderr = run_with_alsa(tmp_path, NO_DEVICE["card-99"], _PROBE)
    assert result == {
        "probed": False,
        "available": False,
        "reason": result["reason"],
        "play": False,
    }
    assert "indisponible" in result["reason"]
    assert len(warnings_of(stderr)) == 1


def test_probe_on_a_working_device(tmp_path: Path) -> None:
    result, stderr = run_with_alsa(tmp_path, "type null", _PROBE)
    assert result == {"probed": True, "available": True, "reason": "", "play": True}
    assert warnings_of(stderr) == []


def test_refused_parameters_fail_the_ring_but_not_the_player(tmp_path: Path) -> None:
    """A device that takes stereo only (no ``plug``) refuses the mono tones: that
    ring fails and is logged, but the player stays available for the next one."""
    stereo_only = (
        'type multi slaves.a.pcm "null" slaves.a.channels 2 '
        "bindings.0.slave a bindings.0.channel 0 bindings.1.slave a bindings.1.channel 1"
    )
    result, stderr = run_with_alsa(tmp_path, stereo_only, _PLAY_AND_WAIT)
    assert result["started"] is False
    assert result["second"] is False
    assert result["available"] is True
    assert result["reason"] == ""
    warnings = warnings_of(stderr)
    assert len(warnings) == 1, "the same error is logged once"
    assert "Error setting parameters" in warnings[0]


@pytest.mark.parametrize(
    ("message", "missing"),
    [
        ("Error opening PCM device. -- CODE: -2 -- MSG: No such file or directory", True),
        ("Error opening PCM device. -- CODE: -19 -- MSG: No such device", True),
        ("Error opening PCM device. -- CODE: -22 -- MSG: Invalid argument", True),
        ("Error opening PCM device. -- CODE: -13 -- MSG: Permission denied", True),
        ("Error opening PCM device. -- CODE: -16 -- MSG: Device or resource busy", False),
        ("Error opening PCM device. -- CODE: -11 -- MSG: Resource temporarily unavailable", False),
        ("Error opening PCM device. -- CODE: -12 -- MSG: Cannot allocate memory", False),
        ("Error setting parameters. -- CODE: -22 -- MSG: Invalid argument", False),
        ("Could not create playback thread. -- CODE: 11 -- MSG: ", False),
    ],
)
def test_which_errors_mean_no_device(message: str, missing: bool) -> None:
    reason = device_missing_reason(message)
    assert (reason is not None) == missing
    if reason is not None:
        assert message in reason


# In-process from here: these players fail before they could open any device.


@pytest.mark.expected_logs("csu.media")
def test_without_simpleaudio_the_player_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "simpleaudio", None)  # import now raises ImportError
    sound = AlarmSound()
    assert sound.available is False
    assert sound.unavailable_reason.startswith("alarme sonore indisponible : module simpleaudio")
    assert sound.play("priority1") is False
    assert sound.probe() is False
    assert sound.is_playing() is False
    sound.stop()
    sound.close()


@pytest.mark.expected_logs("csu.media")
def test_without_tone_files_the_player_is_unavailable(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    sound = AlarmSound(tmp_path / "absent")
    assert sound.available is False
    assert "aucune tonalité lisible" in sound.unavailable_reason
    assert sound.play("priority1") is False
    assert [r.levelname for r in caplog.records if r.name == "csu.media"] == ["WARNING"]


@pytest.mark.expected_logs("csu.media")
def test_bad_tone_files_are_skipped_and_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    shutil.copy(tones.tone_path("priority1"), tmp_path / "priority1.wav")
    (tmp_path / "priority2.wav").write_bytes(b"pas un fichier WAV")
    with wave.open(str(tmp_path / "priority3.wav"), "wb") as w:
        # simpleaudio would take 32-bit integers for floats: noise at full blast.
        w.setnchannels(1)
        w.setsampwidth(4)
        w.setframerate(44_100)
        w.writeframes(bytes(4 * 100))
    sound = AlarmSound(tmp_path)
    assert sound.available is True
    # Neither plays nor raises (and never reaches ALSA: the tone is not loaded).
    assert sound.play("priority2") is False
    assert sound.play("priority3") is False
    assert sound.play("sirene") is False
    assert sound.play("sirene") is False
    messages = [r.getMessage() for r in caplog.records if r.name == "csu.media"]
    assert any("priority2.wav" in m for m in messages)
    assert any("priority3.wav" in m and "32 bits" in m for m in messages)
    assert sum("priority4.wav" in m for m in messages) == 1
    assert sum("'sirene'" in m for m in messages) == 1, "an unknown name is logged once"
    assert len(messages) == 6  # priority2..4, escalation, link_lost, sirene


def test_no_sound_card_is_one_clear_line_not_alsas_noise(tmp_path: Path) -> None:
    """Issue 14: without a sound card, libasound printed nine « ALSA lib … » lines
    on the terminal before the console's first log line. Now: one warning that
    says the alarm sound is unavailable and why, with what ALSA said."""
    # ALSA's default device on a card that is not there: what a machine without a
    # sound card does (the demo on a VM), whatever this machine has.
    env = dict(os.environ, ALSA_CONFIG_PATH=str(ALSA_BASE_CONFIG), ALSA_CARD="csu_absente")
    proc = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                          env=env, timeout=30, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    result, stderr = json.loads(proc.stdout), proc.stderr
    assert result["probed"] is False and result["available"] is False
    assert "ALSA lib" not in stderr, stderr
    [warning] = warnings_of(stderr)
    assert "alarme sonore indisponible : aucune carte son utilisable" in warning
    assert "ALSA : parse_card : cannot find card '…'" in warning
    assert [line for line in stderr.splitlines() if not line.startswith("LOG ")] == []
