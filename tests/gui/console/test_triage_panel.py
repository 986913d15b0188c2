"""The triage panel's texts: a citizen's words highlighted but never taken as HTML,
and the timeline's summary of a priority change and of a triage decision."""

from __future__ import annotations

from typing import Any

from csu_console.ui.console.alert_detail import event_summary
from csu_console.ui.console.triage_panel import HIGHLIGHT, highlighted


def test_words_are_highlighted_and_the_text_stays_plain(qapp: Any) -> None:
    text = "<b>Un homme</b> avec un COUTEAU & un <script>x</script>"
    out = highlighted(text, ("couteau",))
    assert f"<span style='{HIGHLIGHT}'>COUTEAU</span>" in out
    assert "&lt;b&gt;Un homme&lt;/b&gt;" in out and "&amp;" in out and "<script>" not in out


def test_a_long_text_is_cut_around_the_first_word(qapp: Any) -> None:
    text = "bla " * 200 + "un blessé au sol " + "bla " * 200
    out = highlighted(text, ("blessé",), limit=120)
    assert out.startswith("…") and out.endswith("…") and "blessé</span>" in out
    assert len(out) < 120 + 200  # the text cut, plus the highlight's markup


def test_the_timeline_says_what_changed(qapp: Any) -> None:
    changed = event_summary("priority_changed", {"from": 3, "to": 1, "reason": "Tri assisté"})
    assert changed == "3 → 1 · « Tri assisté »"
    refused = event_summary(
        "triage_refused", {"suggestion_kind": "priorite_haussee", "reason": "mots d'urgence"}
    )
    assert refused == "Priorité à relever · « mots d'urgence »"
