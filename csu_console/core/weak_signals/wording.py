"""How signals are worded in French (titles and tests)."""

from __future__ import annotations

from collections.abc import Sequence

from csu_console.core.weak_signals.stats import fr_number

#: Category codes as plural French nouns, for « 5 démarchages abusifs en 7 jours ».
CATEGORY_PLURALS: dict[str, str] = {
    "cambriolage": "cambriolages",
    "comportement_suspect": "comportements suspects",
    "demarchage_abusif": "démarchages abusifs",
    "animal_perdu": "animaux perdus",
    "degradation": "dégradations",
    "incendie": "incendies",
    "accident": "accidents",
    "rixe": "rixes",
    "inondation": "inondations",
    "feu_de_foret": "feux de forêt",
    "meteo": "alertes météo",
    "pollution": "pollutions",
    "risque_technologique": "risques technologiques",
    "seisme": "séismes",
    "alerte_population": "alertes à la population",
    "autre": "signalements « autre »",
}


def category_plural(category: str) -> str:
    return CATEGORY_PLURALS.get(category, f"signalements « {category} »")


def days_text(days: float) -> str:
    """« 1 jour », « 7 jours », « 12 heures »."""
    if days < 1:
        return f"{fr_number(round(days * 24))} heures"
    n = fr_number(days)
    return f"{n} jour" if days == 1 else f"{n} jours"


def expected_text(expected: float) -> str:
    """« 0,6 attendus » (the issue's wording), « moins de 0,1 attendu »."""
    if expected < 0.05:
        return "moins de 0,1 attendu"
    return f"{fr_number(round(expected, 1))} attendus"


def join_names(names: Sequence[str]) -> str:
    """« A », « A et B », « A, B et C »."""
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " et " + names[-1]
