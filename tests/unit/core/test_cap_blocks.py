"""CAP <info> blocks: the one shown, translations or different events, the priority
over several events, expiry, and the risk categories (csu_console.core.cap)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cap_support import area, cap, circle, info, polygon

from csu_console.core.alerts import CATEGORY_LABELS, Category
from csu_console.core.cap import parse_cap
from csu_console.core.cap.categories import categorize, fold, phenomenon

# --- the block shown -------------------------------------------------------------


def test_french_block_is_shown_and_english_one_is_its_translation() -> None:
    xml = cap(
        info(language="en-GB", event="Thunderstorms", headline="Orange thunderstorm warning"),
        info(language="fr-FR", event="Orages", headline="Vigilance orange orages"),
    )
    alert = parse_cap(xml)

    assert alert.title == "Vigilance orange orages"
    assert alert.cap is not None
    assert alert.cap.chosen_info == 1
    assert alert.cap.translations
    assert [i.language for i in alert.cap.infos] == ["en-GB", "fr-FR"]


def test_english_is_shown_when_there_is_no_french() -> None:
    xml = cap(
        info(language="de-DE", event="GEWITTER", headline="Amtliche WARNUNG vor GEWITTER"),
        info(language="en-GB", event="thunderstorm", headline="Official WARNING of THUNDERSTORMS"),
    )
    alert = parse_cap(xml)

    assert alert.title == "Official WARNING of THUNDERSTORMS"
    assert alert.category is Category.METEO
    assert alert.cap is not None and alert.cap.translations


def test_no_language_means_en_us() -> None:
    xml = cap(info(language=None, headline="Flood"), info(language="es-ES", headline="Inundación"))
    alert = parse_cap(xml)

    assert alert.title == "Flood"
    assert alert.cap is not None and alert.cap.infos[0].language == "en-US"


def test_the_first_block_is_shown_without_french_or_english() -> None:
    xml = cap(info(language="he", headline="א"), info(language="ar", headline="ب"))

    assert parse_cap(xml).title == "א"


def test_a_second_french_event_more_severe_is_shown_and_rules_the_priority() -> None:
    xml = cap(
        info(
            event="Inondation",
            severity="Severe",
            headline="Crue du Vidourle",
            areas=area(circle("43.7,4.1 2"), desc="Sommières"),
        ),
        info(
            event="Inondation",
            severity="Extreme",
            headline="Crue majeure du Gardon",
            areas=area(circle("43.9,4.4 3"), desc="Remoulins"),
        ),
    )
    alert = parse_cap(xml)

    assert alert.priority == 1
    assert alert.title == "Crue majeure du Gardon"
    assert alert.cap is not None
    assert not alert.cap.translations
    assert alert.cap.chosen_info == 1
    assert "Autres événements dans ce message :" in alert.description
    assert "– Crue du Vidourle (sévère, fr-FR) : Sommières" in alert.description
    assert alert.area is not None and len(alert.area.polygons) == 2  # both events drawn


def test_different_events_in_two_languages_are_not_translations() -> None:
    xml = cap(
        info(language="fr-FR", category="Met", event="Vent violent", severity="Moderate"),
        info(language="en-GB", category="Fire", event="Wildfire", severity="Extreme"),
    )
    alert = parse_cap(xml)

    assert alert.category is Category.METEO  # French first
    assert alert.priority == 1  # the wildfire's
    assert alert.cap is not None and not alert.cap.translations
    assert "– Wildfire (extrême, en-GB)" in alert.description


def test_several_events_with_their_translations() -> None:
    xml = cap(
        info(language="fr-FR", event="Orages", severity="Severe"),
        info(language="fr-FR", event="Vent violent", severity="Moderate"),
        info(language="en-GB", event="Thunderstorms", severity="Severe"),
        info(language="en-GB", event="Wind", severity="Moderate"),
    )
    alert = parse_cap(xml)

    assert alert.title == "Orages"
    assert alert.priority == 2
    assert alert.description.count("– ") == 1  # only « Vent violent »; English ones translate
    assert alert.cap is not None and len(alert.cap.infos) == 4


def test_long_description_leaves_room_for_the_other_events() -> None:
    xml = cap(
        info(event="Orages", severity="Severe", description="d" * 5000),
        info(event="Canicule", severity="Minor"),
    )
    alert = parse_cap(xml)

    assert len(alert.description) <= 4000
    assert alert.description.endswith("– Canicule (mineure, fr-FR)")


def test_rules_give_the_priority_when_no_block_says_it() -> None:
    alert = parse_cap(cap(info(event="Feu de forêt"), info(event="Orages")))

    assert alert.priority == 1  # FEU_DE_FORET's default rule
    assert alert.priority_from_rules


# --- dates -----------------------------------------------------------------------


def test_expires_is_the_latest_among_blocks_and_dates_are_kept_as_written() -> None:
    xml = cap(
        info(effective="2024-11-14T06:00:00+01:00", expires="2024-11-15T06:00:00+01:00"),
        info(event="Vent", expires="2024-11-15T12:00:00+01:00"),
    )
    alert = parse_cap(xml)

    assert alert.expires == datetime(2024, 11, 15, 11, 0, tzinfo=UTC)
    assert alert.expires.tzinfo is not None
    assert alert.cap is not None
    assert alert.cap.infos[0].effective == "2024-11-14T06:00:00+01:00"
    assert alert.cap.infos[0].expires == "2024-11-15T06:00:00+01:00"


def test_no_expires_means_none() -> None:
    assert parse_cap(cap()).expires is None


def test_unreadable_expires_is_ignored_with_a_warning() -> None:
    alert = parse_cap(cap(info(expires="demain matin")))

    assert alert.expires is None
    assert alert.cap is not None
    assert alert.cap.warnings[0].startswith("cap.info.expires : date RFC 3339 illisible")


# --- categories ------------------------------------------------------------------

CATEGORIES = [
    # Floods
    ("Met", "Inondation", Category.INONDATION),
    ("Met", "Crue", Category.INONDATION),
    ("Geo", "Vigilance crues : Vidourle en orange", Category.INONDATION),
    ("Met", "Pluie-inondation", Category.INONDATION),
    ("Met", "Vagues-submersion", Category.INONDATION),
    ("Met", "Submersion marine", Category.INONDATION),
    ("Met", "Flood Warning", Category.INONDATION),
    ("Met", "Flash Flood Warning", Category.INONDATION),
    ("Met", "High water", Category.INONDATION),
    ("Met", "Storm surge", Category.INONDATION),
    # Forest fires
    ("Fire", "Feu de forêt", Category.FEU_DE_FORET),
    ("Fire", "FEUX DE FORÊTS", Category.FEU_DE_FORET),
    ("Fire", "Incendie de forêt", Category.FEU_DE_FORET),
    ("Fire", "Incendie de végétation", Category.FEU_DE_FORET),
    ("Fire", "Risque d'incendie de forêt très sévère", Category.FEU_DE_FORET),
    ("Fire", "Wildfire", Category.FEU_DE_FORET),
    ("Fire", "Forest fire", Category.FEU_DE_FORET),
    ("Fire", "Bushfire", Category.FEU_DE_FORET),
    ("Fire", "Fire Weather Warning", Category.FEU_DE_FORET),
    # Météo
    ("Met", "Vigilance orange orages", Category.METEO),
    ("Met", "Orages", Category.METEO),
    ("Met", "Vent violent", Category.METEO),
    ("Met", "Tempête", Category.METEO),
    ("Met", "Neige-verglas", Category.METEO),
    ("Met", "Canicule", Category.METEO),
    ("Met", "Grand froid", Category.METEO),
    ("Met", "Vague de froid", Category.METEO),
    ("Met", "Avalanches", Category.METEO),
    ("Met", "Severe Thunderstorm Warning", Category.METEO),
    ("Met", "High Wind Warning", Category.METEO),
    ("Met", "Winter Storm Warning", Category.METEO),
    ("Met", "Snow", Category.METEO),
    ("Met", "Extreme heat", Category.METEO),
    ("Met", "Extreme cold", Category.METEO),
    ("Met", "Ice storm", Category.METEO),
    ("Met", "STURMBÖEN", Category.METEO),
    ("Met", "GLÄTTE", Category.METEO),
    ("Other", "Vigilance jaune", Category.METEO),
    # Pollution
    ("Env", "Pic de pollution à l'ozone", Category.POLLUTION),
    ("Env", "Épisode de pollution aux particules", Category.POLLUTION),
    ("Health", "Air Quality Alert", Category.POLLUTION),
    ("Env", None, Category.POLLUTION),
    # Technological risks
    ("Safety", "Risque industriel", Category.RISQUE_TECHNOLOGIQUE),
    ("Safety", "Accident industriel sur un site Seveso", Category.RISQUE_TECHNOLOGIQUE),
    ("CBRNE", "Fuite de gaz", Category.RISQUE_TECHNOLOGIQUE),
    ("Safety", "Transport de matières dangereuses (TMD)", Category.RISQUE_TECHNOLOGIQUE),
    ("Safety", "Risque nucléaire", Category.RISQUE_TECHNOLOGIQUE),
    ("Safety", "Rupture de barrage", Category.RISQUE_TECHNOLOGIQUE),
    ("Safety", "Hazardous Materials Warning", Category.RISQUE_TECHNOLOGIQUE),
    ("Safety", "Nuclear Power Plant Warning", Category.RISQUE_TECHNOLOGIQUE),
    ("CBRNE", None, Category.RISQUE_TECHNOLOGIQUE),
    # Earthquakes
    ("Geo", "Séisme", Category.SEISME),
    ("Geo", "Tremblement de terre", Category.SEISME),
    ("Geo", "Earthquake", Category.SEISME),
    ("Geo", "Tsunami Warning", Category.SEISME),
    ("Geo", None, Category.SEISME),
    # Population alerts
    ("Safety", "FR-Alert : alerte à la population", Category.ALERTE_POPULATION),
    ("Safety", "Alerte aux populations", Category.ALERTE_POPULATION),
    ("Safety", "Civil Emergency Message", Category.ALERTE_POPULATION),
    ("Safety", "Presidential Alert", Category.ALERTE_POPULATION),
    ("Safety", "Child Abduction Emergency", Category.ALERTE_POPULATION),
    # Citizen categories still work
    ("Fire", "Incendie de poubelle", Category.INCENDIE),
    ("Fire", "Feu de voiture", Category.INCENDIE),
    ("Security", "Cambriolage", Category.CAMBRIOLAGE),
    ("Safety", "Rixe", Category.RIXE),
    ("Transport", "Accident de la route", Category.ACCIDENT),
    ("Security", "Cambriolage zone industrielle", Category.CAMBRIOLAGE),
    ("Other", "Vente de gâteaux", Category.AUTRE),
    ("Other", "Événement sportif", Category.AUTRE),
    ("Infra", "Coupure téléphonique", Category.AUTRE),
]


@pytest.mark.parametrize(("cap_category", "event", "expected"), CATEGORIES)
def test_category_from_event_keywords_and_cap_codes(
    cap_category: str, event: str | None, expected: Category
) -> None:
    alert = parse_cap(cap(info(category=cap_category, event=event)))

    assert alert.category is expected
    assert alert.cap is not None and alert.cap.infos[0].category == expected.value
    if event is None or fold(event) == fold(CATEGORY_LABELS[expected]):
        assert alert.category_raw is None  # « Séisme (Séisme) » would say nothing more
    else:
        assert alert.category_raw == event  # the original text is kept


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ("Vigilance orange orages", "orages"),
        ("Vent violent", "vent"),
        ("Tempête", "vent"),
        ("Neige-verglas", "neige"),
        ("Verglas", "verglas"),
        ("Canicule", "canicule"),
        ("Grand froid", "grand froid"),
        ("Avalanches", "avalanches"),
        ("Pluie", "pluie"),
        ("Severe Thunderstorm Warning", "orages"),
        ("High Wind Warning", "vent"),
        ("Excessive Heat Warning", "canicule"),
        ("Wind Chill Warning", "vent"),
        ("Blizzard Warning", "neige"),
        ("Dense Fog Advisory", "brouillard"),
    ],
)
def test_meteo_phenomenon_is_recorded(event: str, expected: str) -> None:
    alert = parse_cap(cap(info(event=event)))

    assert alert.category is Category.METEO
    assert alert.extra["phenomene"] == expected
    assert phenomenon(event) == expected


def test_meteoalarm_awareness_type_helps_the_category() -> None:
    alert = parse_cap(
        cap(
            info(
                category="Met",
                event="Vigilance jaune",
                parameters=(("awareness_type", "3; thunderstorm"),),
            )
        )
    )

    assert alert.category is Category.METEO
    assert alert.extra["phenomene"] == "orages"


def test_non_meteo_alert_has_no_phenomenon() -> None:
    assert "phenomene" not in parse_cap(cap(info(event="Crue"))).extra


def test_categorize_is_accent_and_case_insensitive() -> None:
    assert categorize("SÉISME", []) is categorize("seisme", []) is Category.SEISME
    assert categorize("", ["met"]) is Category.METEO


def test_polygon_and_category_of_a_vigilance() -> None:
    """Météo-France's « vigilance orange orages » is météo, drawn over its département."""
    xml = cap(
        info(
            event="Vigilance orange orages",
            severity="Severe",
            areas=area(polygon("43.5,4.0 43.5,4.5 44.0,4.5 44.0,4.0 43.5,4.0"), desc="Gard"),
        )
    )
    alert = parse_cap(xml)

    assert (alert.category, alert.priority) == (Category.METEO, 2)
    assert alert.category_raw == "Vigilance orange orages"
    assert alert.area is not None and alert.location is not None
    assert alert.location.address == "Gard"
