"""Issue 14, item 15 (Qt-free part): who the review credits, the shift it opens on,
event details in words."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from csu_console.core.review.activity import actor_label, operator_load, split_identities
from csu_console.core.review.export import details_text
from csu_console.core.review.shifts import ShiftSettings, default_candidates, default_shift

PARIS = ZoneInfo("Europe/Paris")


def test_command_line_and_console_identities_are_not_operators() -> None:
    load = operator_load([
        ("durand", "acknowledged", 4), ("chef", "displayed", 62), ("root", "user_added", 2),
        ("console", "purged", 1), ("durand", "user_added", 1), (None, "received", 9),
    ])  # fmt: skip
    assert "chef" not in load  # « Alerte affichée »: the console's, not chef's work
    operators, others = split_identities(load, [("root", "user_added", 2),
                                                ("durand", "user_added", 1)])  # fmt: skip
    assert operators == {"durand": {"acknowledged": 4}}
    assert others == {
        "système": 1,
        "ligne de commande (root)": 2,
        "ligne de commande (durand)": 1,  # a Unix user named like an operator
    }


def test_actor_labels() -> None:
    assert actor_label("poste-1", "durand") == "durand"
    assert actor_label("cli", "root") == "ligne de commande (root)"
    assert actor_label("poste-1", None) == "système"
    assert actor_label("poste-1", "console") == "système"


def test_details_are_words_not_python() -> None:
    text = details_text(
        {"cameras": ["cam-02", "cam-01"], "auto": True, "via": "cli", "what": "events",
         "policy": {"alerts_days": 90}, "was_unavailable": False, "ratio": 0.5},
        None,
    )  # fmt: skip
    assert text == (
        "caméras : cam-02, cam-01 ; affichage automatique : oui ; par : ligne de commande ; "
        "contenu : événements ; politique : alerts days : 90 ; unité indisponible : non ; "
        "ratio : 0,5"
    )
    assert "[" not in text and "{" not in text and "'" not in text


def test_the_review_opens_on_the_last_shift_with_alerts() -> None:
    settings = ShiftSettings()  # matin 06–14, après-midi 14–22, nuit 22–06
    now = datetime(2025, 6, 3, 10, 0, tzinfo=UTC)  # 12:00 Paris: the morning shift
    night, morning = default_candidates(settings, PARIS, now)
    assert (night.shift.id, morning.shift.id) == ("nuit", "matin")
    assert default_shift(settings, PARIS, now, [True, True], None) == night
    assert default_shift(settings, PARIS, now, [False, True], None) == morning  # the demo
    latest = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
    found = default_shift(settings, PARIS, now, [False, False], latest)
    assert found is not None and (found.shift.id, found.day.day) == ("matin", 1)
    assert default_shift(settings, PARIS, now, [False, False], None) == night


def test_the_received_events_digests_are_not_read_out() -> None:
    """The digests ``logbook verify`` checks are audit data: the timeline, the day's
    view and the PDF never print them (issue 16)."""
    details = {"seq": 4, "fmt": "json", "raw_sha256": "ab" * 32, "alert_sha256": "cd" * 32,
               "alert_parts": "identite:48fcf10ad1fc,classement:84f3ab42dc54"}  # fmt: skip
    assert details_text(details, None) == ""
