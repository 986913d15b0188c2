"""The assisted triage's engine: duplicates across sources, urgency cues, low relevance."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from csu_console.core.alerts import Alert, AlertState, Category, Location, StoredAlert
from csu_console.core.triage import SuggestionKind
from csu_console.core.triage_engine import (
    Bounds,
    CallReport,
    TriageEngine,
    call_key,
    is_call,
    source_kind,
    suggestion_id,
)
from csu_console.core.triage_text import TextSketch, cue_priority, fold, similarity, urgency_cues

T0 = datetime(2026, 12, 5, 21, 0, tzinfo=UTC)
LON, LAT = 24.9384, 60.1699  # the demo site (Helsinki)
M_PER_DEG_LAT = 111_320.0


def report(
    pk: int,
    *,
    source: str = "voisins-vigilants",
    fmt: str = "json",
    category: Category = Category.AUTRE,
    priority: int = 3,
    title: str = "",
    text: str = "",
    north_m: float = 0.0,
    minutes: float = 0.0,
    accuracy: float | None = 10.0,
    state: AlertState = AlertState.NEW,
    seq: int | None = 1,
) -> StoredAlert:
    at = T0 + timedelta(minutes=minutes)
    alert = Alert(
        source=source,
        id=f"{source}-{pk}",
        sent=at,
        category=category,
        priority=priority,
        title=title,
        description=text,
        location=Location(LAT + north_m / M_PER_DEG_LAT, LON, accuracy_m=accuracy),
        fmt=fmt,
    )
    return StoredAlert(pk=pk, alert=alert, received_at=at, seq=seq, state=state)


def alone(item: StoredAlert) -> tuple[str, str]:
    return item.alert.key


def kinds(suggestions: list) -> list[SuggestionKind]:  # type: ignore[type-arg]
    return [s.kind for s in suggestions]


# -- duplicates ---------------------------------------------------------------------


def test_a_citizen_and_a_cap_partner_on_the_same_fire_are_proposed_as_duplicates() -> None:
    citizen = report(
        1,
        category=Category.INCENDIE,
        priority=1,
        title="Feu de poubelles",
        text="Des poubelles brûlent rue de la Gare, grosse fumée noire",
    )
    partner = report(
        2,
        source="sdis25@partenaire",
        fmt="cap",
        seq=None,
        category=Category.RISQUE_TECHNOLOGIQUE,
        priority=2,
        title="Fumée noire rue de la Gare",
        text="Poubelles en feu, fumée noire signalée",
        north_m=35,
        minutes=4,
    )
    found = TriageEngine().suggest([citizen, partner], alone)
    dup = [s for s in found if s.kind is SuggestionKind.DUPLICATE]
    assert len(dup) == 1
    s = dup[0]
    assert s.alert == partner.alert.key and s.other == citizen.alert.key
    assert "même lieu (35 m)" in s.reason
    assert "4 min d'écart" in s.reason
    assert "textes proches (0," in s.reason
    assert "sources citoyen / CAP" in s.reason
    assert s.id == suggestion_id(SuggestionKind.DUPLICATE, citizen.alert.key, partner.alert.key)


def test_a_phone_call_alert_and_a_citizen_report_a_bit_farther_are_duplicates() -> None:
    citizen = report(
        1, category=Category.RIXE, priority=1, text="Bagarre devant le bar, plusieurs jeunes"
    )
    call = report(
        2,
        source="appel-17",
        category=Category.COMPORTEMENT_SUSPECT,
        text="Appel : bagarre de jeunes devant le bar",
        north_m=220,  # beyond the grouping's 150 m
        minutes=18,  # beyond its 15 min
        accuracy=50,
    )
    [s] = [x for x in TriageEngine().suggest([citizen, call], alone) if x.other]
    assert source_kind(call) == "appel"
    assert "lieux proches (220 m)" in s.reason or "même lieu (220 m)" in s.reason
    assert "18 min d'écart" in s.reason


@pytest.mark.parametrize(
    ("north_m", "minutes", "second_text", "category"),
    [
        (3000, 2, "Poubelles en feu, fumée noire", Category.INCENDIE),  # far
        (20, 95, "Poubelles en feu, fumée noire", Category.INCENDIE),  # old
        (20, 3, "Chien perdu, collier rouge, répond à Max", Category.ANIMAL_PERDU),  # unrelated
    ],
)
def test_far_old_or_unrelated_reports_are_not_duplicates(
    north_m: float, minutes: float, second_text: str, category: Category
) -> None:
    first = report(1, category=Category.INCENDIE, priority=1, text="Poubelles en feu, fumée")
    second = report(
        2, source="sdis@p", fmt="cap", category=category, text=second_text,
        north_m=north_m, minutes=minutes,
    )  # fmt: skip
    found = TriageEngine().suggest([first, second], alone)
    assert SuggestionKind.DUPLICATE not in kinds(found)


def test_reports_already_grouped_are_not_proposed_again() -> None:
    a = report(1, category=Category.RIXE, priority=1, text="bagarre devant le bar")
    b = report(2, category=Category.RIXE, priority=1, text="bagarre devant le bar", minutes=1)
    found = TriageEngine().suggest([a, b], lambda item: a.alert.key)
    assert SuggestionKind.DUPLICATE not in kinds(found)


def test_a_closed_alert_is_never_a_duplicate_candidate() -> None:
    a = report(1, category=Category.RIXE, priority=1, text="bagarre devant le bar",
               state=AlertState.CLOSED)  # fmt: skip
    b = report(2, category=Category.RIXE, priority=1, text="bagarre devant le bar", minutes=1)
    assert SuggestionKind.DUPLICATE not in kinds(TriageEngine().suggest([a, b], alone))


# -- urgency ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words", "priority"),
    [
        ("Un homme armé d'un couteau menace les passants", ("armé", "couteau"), 1),
        ("Deux BLESSÉS au sol, il y a du sang", ("BLESSÉS", "sang"), 1),
        ("Une femme agressée près du parking", ("agressée",), 1),
        ("Fumée qui sort d'une cave", ("Fumée",), 2),
        ("Un enfant seul pleure sur le trottoir", ("enfant",), 2),
        ("Enfants dans un appartement enfumé", ("Enfants", "enfumé"), 1),
    ],
)
def test_urgency_words_ask_a_higher_priority(
    text: str, words: tuple[str, ...], priority: int
) -> None:
    item = report(1, category=Category.COMPORTEMENT_SUSPECT, priority=3, text=text)
    [s] = [
        x for x in TriageEngine().suggest([item], alone) if x.kind is SuggestionKind.RAISE_PRIORITY
    ]
    assert s.words == words
    assert s.priority == priority
    assert f"priorité {priority}" in s.reason


@pytest.mark.parametrize(
    "text",
    [
        "Accident léger, pas de blessé",
        "Accrochage, aucun blessé, personne n'est blessé",
        "Dispute verbale sans arme",
        "Le feu rouge est en panne au carrefour",
        "Feu d'artifice tiré depuis un balcon",
        "Voiture garée sur le trottoir",
    ],
)
def test_negated_or_harmless_words_ask_nothing(text: str) -> None:
    item = report(1, category=Category.COMPORTEMENT_SUSPECT, priority=3, text=text)
    assert SuggestionKind.RAISE_PRIORITY not in kinds(TriageEngine().suggest([item], alone))


def test_a_negation_does_not_cancel_what_follows_mais() -> None:
    found, negated = urgency_cues("Pas de feu mais beaucoup de fumée, et pas de blessé")
    assert [h.word for h in found] == ["fumée"]
    assert sorted(h.word for h in negated) == ["blessé", "feu"]
    assert cue_priority(found) == 2


def test_an_alert_already_urgent_gets_no_raise() -> None:
    item = report(1, category=Category.RIXE, priority=1, text="bagarre, un blessé")
    assert SuggestionKind.RAISE_PRIORITY not in kinds(TriageEngine().suggest([item], alone))


# -- low relevance ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "text", "category", "needle"),
    [
        ("Test", "ceci est un essai de l'application", Category.AUTRE, "texte d'essai"),
        ("", "", Category.AUTRE, "aucun texte"),
        ("qsdfqsdf", "aaaaaaa zzkq", Category.AUTRE, "sans mots lisibles"),
    ],
)
def test_low_relevance_texts_suggest_priority_4(
    title: str, text: str, category: Category, needle: str
) -> None:
    item = report(1, category=category, priority=3, title=title, text=text)
    [s] = TriageEngine().suggest([item], alone)
    assert s.kind is SuggestionKind.LOWER_PRIORITY
    assert needle in s.reason and s.priority == 4


def test_a_report_far_outside_the_territory_is_low_relevance() -> None:
    bounds = Bounds(LON - 0.05, LAT - 0.05, LON + 0.05, LAT + 0.02)
    near = report(1, category=Category.DEGRADATION, text="Tag sur un mur")
    far = report(2, category=Category.DEGRADATION, text="Tag sur un abri", north_m=30_000)
    found = TriageEngine(bounds=bounds).suggest([near, far], alone)
    assert [(s.kind, s.alert) for s in found] == [(SuggestionKind.LOWER_PRIORITY, far.alert.key)]
    assert "hors du territoire (" in found[0].reason and "km)" in found[0].reason


def test_a_repeat_of_a_closed_report_is_low_relevance() -> None:
    old = report(1, category=Category.DEGRADATION, text="Tag sur le mur de l'école Jules Ferry",
                 state=AlertState.CLOSED)  # fmt: skip
    again = report(2, category=Category.DEGRADATION, text="Tag sur le mur de l'école Jules Ferry",
                   north_m=10, minutes=120)  # fmt: skip
    [s] = TriageEngine().suggest([old, again], alone)
    assert s.kind is SuggestionKind.LOWER_PRIORITY and s.alert == again.alert.key
    assert "répète le signalement n° 1 déjà clôturé" in s.reason


def test_a_plain_report_gets_no_suggestion() -> None:
    item = report(1, category=Category.DEGRADATION, text="Tag sur le mur de la mairie")
    assert TriageEngine().suggest([item], alone) == []


# -- ids ------------------------------------------------------------------------


def test_done_ids_are_never_proposed_again_and_ids_are_stable() -> None:
    item = report(1, category=Category.COMPORTEMENT_SUSPECT, text="homme avec un couteau")
    engine = TriageEngine()
    [s] = engine.suggest([item], alone)
    assert s.id == "priorite_haussee:voisins-vigilants/voisins-vigilants-1"
    [again] = TriageEngine().suggest([replace(item, pk=99)], alone)
    assert again.id == s.id  # the key, not the station's pk
    assert engine.suggest([item], alone, done={s.id}) == []


def test_text_helpers() -> None:
    assert fold("Blessé À l'École") == "blesse a l'ecole"
    a = TextSketch.of("Poubelles en feu rue de la Gare")
    b = TextSketch.of("poubelle en feu, rue de la gare")
    assert similarity(a, b) > 0.7
    assert similarity(a, TextSketch.of("chien perdu")) < 0.2


# -- phone calls of the main courante -----------------------------------------------


def call(pk: int, text: str, *, north_m: float = 0.0, minutes: float = 0.0) -> CallReport:
    return CallReport(
        key=call_key("poste-1", pk),
        pk=pk,
        at=T0 + timedelta(minutes=minutes),
        lon=LON,
        lat=LAT + north_m / M_PER_DEG_LAT,
        text=text,
        place="Quai du port",
    )


def test_a_phone_call_of_the_main_courante_is_tied_to_the_alert_of_its_incident() -> None:
    fire = report(1, category=Category.INCENDIE, priority=1,
                  text="Des poubelles brûlent sur le quai du port, fumée noire")  # fmt: skip
    other = report(2, category=Category.INCENDIE, priority=1, text="Feu de voiture rue Haute",
                   north_m=120)  # fmt: skip
    phone = call(40, "Appel d'un commerçant : poubelles en feu sur le quai", north_m=60, minutes=5)
    found = TriageEngine().suggest([fire, other], alone, calls=[phone])
    [s] = [x for x in found if is_call(x.other)]
    assert s.alert == fire.alert.key and s.other == phone.key
    assert "avec l'appel reçu (main courante n° 40)" in s.reason
    assert "5 min d'écart" in s.reason and "sources citoyen / appel" in s.reason


def test_an_unrelated_or_far_call_is_tied_to_nothing() -> None:
    fire = report(1, category=Category.INCENDIE, priority=1, text="Poubelles en feu sur le quai")
    unrelated = call(41, "Chien perdu, collier rouge", minutes=2)
    far = call(42, "Poubelles en feu sur le quai", north_m=3000, minutes=2)
    late = call(43, "Poubelles en feu sur le quai", minutes=90)
    found = TriageEngine().suggest([fire], alone, calls=[unrelated, far, late])
    assert [x for x in found if is_call(x.other)] == []


def test_a_storm_in_one_street_proposes_one_twin_per_report_and_a_refused_one_gives_way() -> None:
    # 300 like reports in 100 m over 10 minutes (the soak's worst case): every pair
    # would be a duplicate; each report gets one proposal, its likeliest twin.
    storm = [
        report(i, category=Category.RIXE, title="Bagarre", text="bagarre devant le bar",
               north_m=(i % 10) * 10.0, minutes=i / 30)
        for i in range(1, 301)
    ]  # fmt: skip
    engine = TriageEngine()
    dups = [s for s in engine.suggest(storm, alone) if s.kind is SuggestionKind.DUPLICATE]
    by_report: dict[tuple[str, str], list[str]] = {}
    for s in dups:
        by_report.setdefault(s.alert, []).append(s.id)
    assert len(by_report) == 299  # every report but the first has an earlier twin
    assert all(len(ids) == 1 for ids in by_report.values())
    # Refusing a report's proposal brings the next likeliest, never the same again.
    last = storm[-1].alert.key
    refused = by_report[last][0]
    again = [s for s in engine.suggest(storm, alone, done={refused}) if s.alert == last]
    assert again and again[0].id != refused


def test_the_caches_follow_the_queue_not_everything_seen_since_the_start() -> None:
    engine = TriageEngine()
    text = "deux individus forcent la porte d'un garage"
    first = [report(pk, text=text, north_m=pk * 5.0, minutes=pk) for pk in range(1, 301)]
    assert engine.suggest(first, alone)
    assert len(engine._sketches) >= 300
    # Those reports left the queue (closed and let go); new ones came.
    later = [report(pk, text=text, north_m=pk * 5.0, minutes=pk) for pk in range(1000, 1020)]
    found = engine.suggest(later, alone)
    assert found  # the new reports are still compared
    assert {k[0] for k in engine._sketches} <= {a.pk for a in later}
    assert all(k[0] >= 1000 and k[2] >= 1000 for k in engine._pairs)
