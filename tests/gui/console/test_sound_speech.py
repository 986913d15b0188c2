"""« Tester le son » and spoken urgent alerts, on the real console (a real csu-sim,
SQLite, the alarm's player) with ALSA's default device captured to WAV files
(``tests/conftest.py``): what the operator would hear is checked in those files."""

from __future__ import annotations

import json
import time
import wave
from pathlib import Path
from typing import Any

import pytest
from support import captured_files
from test_interrupt_cycle import Harness, alert, events, inject

from csu_console.media import tones
from csu_console.media.alarm_sound import AlarmSound
from csu_console.media.speech import espeak_path
from csu_console.sim.control import SimProcess

needs_espeak = pytest.mark.skipif(espeak_path() is None, reason="espeak-ng absent")


def _frames(path: Path) -> tuple[int, bytes] | None:
    """(frame rate, PCM) of a finished capture, None while ALSA still writes it."""
    try:
        with wave.open(str(path), "rb") as w:
            return w.getframerate(), w.readframes(w.getnframes())
    except (wave.Error, EOFError, OSError):
        return None


def test_sound_test_plays_every_tone_once_and_is_logged(
    harness: Harness, qtbot: Any, alsa_capture: Path
) -> None:
    console = harness.start()
    before = set(captured_files(alsa_capture))
    sources = {}
    for name in tones.TONES:
        with wave.open(str(tones.tone_path(name)), "rb") as w:
            sources[name] = w.readframes(w.getnframes())
    station_menu = console.window.menuBar().actions()[2].menu()
    assert "Tester le son" in [a.text() for a in station_menu.actions()]
    with qtbot.waitSignal(console.sound_parts.test.finished, timeout=20_000) as done:
        console.window.sound_test_action.trigger()
    ok, text = done.args
    assert ok is True
    assert text.startswith("Test du son : 6 tonalités jouées.")
    assert console.window.statusBar().currentMessage() == text
    assert console.window.sound_label.text() == "Alarme sonore active"

    def heard() -> set[str]:
        new = [_frames(p) for p in captured_files(alsa_capture) if p not in before]
        pcm = {f[1] for f in new if f is not None}
        return {name for name, frames in sources.items() if frames in pcm}

    qtbot.waitUntil(lambda: heard() == set(tones.TONES), timeout=5000)
    qtbot.waitUntil(lambda: bool(events(console, "sound_tested")), timeout=5000)
    [event] = events(console, "sound_tested")
    details = json.loads(event["details"])
    assert details == {
        "available": True,
        "played": list(tones.TONES),
        "failed": [],
        "speech": False,
    }
    assert event["operator"] == "testeur"


@pytest.mark.expected_logs("csu.media", "csu.app")
def test_sound_test_without_a_device_says_so_in_french(
    harness: Harness, qtbot: Any, tmp_path: Path
) -> None:
    console = harness.start(sound=AlarmSound(sounds_dir=tmp_path / "aucun-son"))
    with qtbot.waitSignal(console.sound_parts.test.finished, timeout=10_000) as done:
        console.window.sound_test_action.trigger()
    ok, text = done.args
    assert ok is False
    assert text.startswith("Test du son : ALARME SONORE INDISPONIBLE (alarme sonore indisponible")
    assert text.endswith("L'alarme reste visuelle.")
    qtbot.waitUntil(lambda: bool(events(console, "sound_tested")), timeout=5000)
    details = json.loads(events(console, "sound_tested")[0]["details"])
    assert details["available"] is False and details["played"] == []
    assert "aucune tonalité lisible" in details["reason"]


def test_sound_test_is_refused_while_an_alert_rings(
    harness: Harness, qtbot: Any, sim: SimProcess
) -> None:
    console = harness.start()
    with qtbot.waitSignal(console.alarm.rang, timeout=10_000):
        inject(sim, alert(priority=2))
    with qtbot.waitSignal(console.sound_parts.test.finished, timeout=5000) as done:
        console.window.sound_test_action.trigger()
    refused = "Test du son refusé : une alerte sonne, prenez-la d'abord en compte."
    assert done.args == [False, refused]
    assert events(console, "sound_tested") == []


@needs_espeak
@pytest.mark.expected_logs("csu.ui", "csu.media")  # the escalation; cameras slow to open
def test_an_urgent_alert_is_spoken_after_its_tone_once_and_again_at_escalation(
    harness: Harness, qtbot: Any, sim: SimProcess, alsa_capture: Path
) -> None:
    console = harness.start(
        alarm={"speak": "true", "repeat_p1_s": 1, "repeat_p2_s": 60, "escalation_after_s": 9}
    )
    speech = console.sound_parts.speech
    assert speech is not None and speech.available
    spoken: list[tuple[str, float]] = []
    speech.spoken.connect(lambda text: spoken.append((text, time.monotonic())))
    before = set(captured_files(alsa_capture))

    inject(sim, alert(category="cambriolage", priority=2))  # not an urgent one: not spoken
    inject(sim, alert(category="rixe", priority=1, address="place de la Gare"))
    qtbot.waitUntil(lambda: bool(spoken), timeout=15_000)
    text, at = spoken[0]
    assert text.startswith("Urgente : rixe, place de la Gare, ")
    assert "Port" in text  # the secteur of the place
    first_ring = next(t for tone, t in harness.rings if tone == "priority1")
    assert at - first_ring >= tones.TONES["priority1"].duration_s  # after the tone, not over it

    def speech_heard() -> bool:
        for path in captured_files(alsa_capture):
            got = _frames(path) if path not in before else None
            if got is not None and got[0] != tones.SAMPLE_RATE and len(got[1]) / 2 / got[0] > 1.5:
                loud = max(abs(int.from_bytes(got[1][i : i + 2], "little", signed=True))
                           for i in range(0, len(got[1]), 2))  # fmt: skip
                return loud > 8000
        return False

    qtbot.waitUntil(speech_heard, timeout=10_000)
    # The repeats ring (after the sentence, not over it) but do not speak again.
    rings_after = len(harness.rings)
    qtbot.waitUntil(lambda: harness.tones()[rings_after:].count("priority1") >= 2, timeout=10_000)
    assert len(spoken) == 1
    # The escalation speaks once more.
    qtbot.waitUntil(lambda: len(spoken) == 2, timeout=15_000)
    assert spoken[1][0].startswith("Alerte toujours pas prise en compte. Urgente : rixe")
    # The mute cuts the voice at once.
    qtbot.waitUntil(speech.speaking, timeout=5000)
    console.alarm.mute(30)
    assert not speech.speaking()
    inject(sim, alert(category="incendie", priority=1, address="2 rue du Port"))
    qtbot.waitUntil(lambda: len(harness.rings) > 0 and harness.rings[-1][0] == "priority1",
                    timeout=10_000)  # fmt: skip
    qtbot.wait(int((tones.TONES["priority1"].duration_s + 1.0) * 1000))
    assert len(spoken) == 2, "spoken during the mute"
