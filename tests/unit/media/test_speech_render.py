"""Spoken alerts: the French sentence, the ``[alarm]`` speech keys, and espeak-ng
really rendering it to a WAV file (non-silent, of a plausible length)."""

from __future__ import annotations

import array
import re
import shutil
import wave
from pathlib import Path

import pytest

from csu_console.config import check_site, default_config_dir, load_site
from csu_console.core.alerts import Category
from csu_console.core.speech import MAX_CHARS, SpeechSettings, spoken_text
from csu_console.media.speech import espeak_path, render, render_args

needs_espeak = pytest.mark.skipif(espeak_path() is None, reason="espeak-ng absent")


def test_the_sentence_says_priority_category_and_place() -> None:
    text = spoken_text(1, Category.RIXE, "place de la Gare – secteur Gare")
    assert text == "Urgente : rixe, place de la Gare, secteur Gare"
    assert spoken_text(2, "cambriolage", "") == "Priorité haute : cambriolage"
    assert spoken_text(1, Category.INCENDIE, "12 rue Haute", escalated=True) == (
        "Alerte toujours pas prise en compte. Urgente : incendie, 12 rue Haute"
    )
    assert spoken_text(3, "inconnue_du_protocole", "") == "Priorité normale : inconnue du protocole"
    assert len(spoken_text(1, Category.RIXE, "x " * 500)) == MAX_CHARS


def test_the_text_cannot_become_an_option_of_espeak(tmp_path: Path) -> None:
    args = render_args("--help -w /etc/passwd", tmp_path / "a.wav", SpeechSettings())
    assert args[-2:] == ["--", "--help -w /etc/passwd"]
    assert "-m" not in args  # no SSML markup obeyed


def _site(tmp_path: Path, alarm: str) -> Path:
    target = tmp_path / "config"
    shutil.copytree(default_config_dir(), target)
    site = target / "site.toml"
    text = site.read_text(encoding="utf-8")
    # The demo documents every speech key: drop them, then write the test's.
    text = re.sub(r"(?m)^(speak|speak_priorities|voice|speak_rate) = .*\n", "", text)
    text = text.replace("[alarm]\n", f"[alarm]\n{alarm}\n", 1)
    site.write_text(text, encoding="utf-8")
    return target


def test_speech_is_off_by_default_and_read_from_the_file(tmp_path: Path) -> None:
    assert load_site(default_config_dir()).alarm.speech() == SpeechSettings()
    config, problems = check_site(_site(tmp_path, "speak = true\nspeak_priorities = [2, 1]"))
    assert problems == [] and config is not None
    assert config.alarm.speech() == SpeechSettings(True, (1, 2), "fr", 160)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("speak = 1", "true ou false attendu"),
        ("speak_priorities = [0, 5]", "liste de priorités 1–4 attendue"),
        ("speak_priorities = 1", "liste de priorités 1–4 attendue"),
        ('voice = "fr; rm -rf"', "nom de voix espeak-ng attendu"),
        ("speak_rate = 1000", "entier 80–400 attendu"),
    ],
)
def test_bad_speech_keys_are_reported(tmp_path: Path, line: str, fragment: str) -> None:
    config, problems = check_site(_site(tmp_path, line))
    assert config is None
    assert any(fragment in str(p) for p in problems), problems


@needs_espeak
def test_espeak_renders_the_sentence_in_french_to_a_wav(tmp_path: Path) -> None:
    short, long = tmp_path / "court.wav", tmp_path / "long.wav"
    settings = SpeechSettings(enabled=True)
    render("Urgente : rixe", short, settings)
    render(spoken_text(1, Category.RIXE, "place de la Gare – secteur Gare"), long, settings)
    lengths = []
    for path in (short, long):
        with wave.open(str(path), "rb") as w:
            assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
            rate = w.getframerate()
            samples = array.array("h", w.readframes(w.getnframes()))
        lengths.append(len(samples) / rate)
        peak = max(abs(s) for s in samples)
        loud = sum(1 for s in samples if abs(s) > 1000) / len(samples)
        assert peak > 8000, "silent speech"
        assert loud > 0.1, "mostly silence"
    # About 160 words a minute: « Urgente : rixe » ~1 s, the whole sentence ~3–4 s.
    assert 0.5 < lengths[0] < 2.5
    assert 2.0 < lengths[1] < 8.0
    assert lengths[1] > 1.8 * lengths[0]
    faster = tmp_path / "rapide.wav"
    render(spoken_text(1, Category.RIXE, "place de la Gare"), faster, SpeechSettings(rate_wpm=320))
    with wave.open(str(faster), "rb") as w:
        assert w.getnframes() / w.getframerate() < 0.75 * lengths[1]
