"""Plausible French report texts per category, for the history generator.

Each text is assembled from interchangeable parts (who, what, where, when,
details), so that words recur with realistic, varied frequencies: the term
detector then has a background to compare with. :data:`PLANTED_TERMS` are
phrases the background never uses.
"""

from __future__ import annotations

import random

VEHICLES = ("voiture", "scooter", "moto", "fourgon", "berline", "utilitaire", "vélo")
COLOURS = ("grise", "noire", "bleue", "rouge", "verte", "beige")
PLACES = (
    "près de l'école", "devant la pharmacie", "sur le parking du supermarché",
    "derrière la salle des fêtes", "au rond-point", "dans la cour de l'immeuble",
    "près de l'arrêt de bus", "le long du canal", "devant la boulangerie",
    "à l'entrée du parc", "dans le parking souterrain", "près de la gare routière",
    "sur la place du marché", "devant la mairie annexe", "près du stade",
)  # fmt: skip
WHEN = (
    "ce matin", "cet après-midi", "ce soir", "cette nuit", "vers midi",
    "depuis une heure", "il y a dix minutes", "en fin de journée", "vers 22 h",
)  # fmt: skip
PEOPLE = (
    "un homme", "deux hommes", "une femme", "un groupe de jeunes", "un individu",
    "deux personnes", "un adolescent", "un couple",
)  # fmt: skip
CLOTHES = (
    "en survêtement", "avec une casquette", "en veste sombre", "avec un sac à dos",
    "en gilet orange", "avec une capuche", "en tenue de travail",
)  # fmt: skip

_TEMPLATES: dict[str, tuple[str, ...]] = {
    "comportement_suspect": (
        "{people} {clothes} regarde les boîtes aux lettres {place}",
        "{vehicle} {colour} qui tourne lentement {place} {when}",
        "{people} {clothes} photographie les façades {place}",
        "{people} essaie d'ouvrir les portières des voitures {place}",
        "{people} fait le guet {place} {when}, attitude étrange",
        "{vehicle} {colour} stationné moteur allumé {place} depuis longtemps",
    ),
    "cambriolage": (
        "Porte forcée {place}, la serrure est arrachée",
        "Vitre cassée chez le voisin absent, bruit {when}",
        "{people} sort par la fenêtre d'une maison {place}",
        "Cave fracturée dans la résidence {place}, vélos volés",
        "Volets forcés {when}, traces de pied de biche",
        "Garage ouvert {place}, outillage volé {when}",
    ),
    "demarchage_abusif": (
        "{people} se présente comme agent des eaux {place}, sans badge",
        "Démarcheurs insistants pour des calendriers {place}",
        "Faux technicien de la chaudière chez une dame âgée {when}",
        "{people} propose l'élagage des arbres et demande un acompte",
        "Vente de matelas au porte-à-porte {place}, très insistants",
        "Faux policiers qui sonnent chez les personnes âgées {when}",
    ),
    "animal_perdu": (
        "Chien perdu {place}, collier rouge, très gentil",
        "Chat tigré égaré {when}, répond au nom de Minou",
        "Chien errant sans collier {place}",
        "Perroquet échappé {when}, il parle",
        "Chienne beige retrouvée {place}, attend son maître",
    ),
    "degradation": (
        "Tags sur le mur {place}",
        "Abribus vandalisé {when}, vitres brisées",
        "Poubelles renversées et brûlées {place}",
        "Rétroviseurs cassés sur plusieurs voitures {place}",
        "Banc arraché {place} {when}",
        "Éclairage cassé {place}, câbles pendants",
    ),
    "incendie": (
        "Fumée noire {place}, odeur de plastique brûlé",
        "Feu de poubelle {place} {when}",
        "Début d'incendie dans un local {place}",
        "{vehicle} {colour} en feu {place}",
    ),
    "accident": (
        "{vehicle} {colour} contre une voiture {place}",
        "Piéton renversé {place}, secours appelés",
        "Accrochage {place} {when}, ça bloque la circulation",
        "Chute d'un cycliste {place}",
    ),
    "rixe": (
        "Bagarre {place} {when}, plusieurs personnes",
        "{people} se battent {place}, cris et insultes",
        "Altercation violente {place}, bouteilles lancées",
    ),
    "autre": (
        "Éclairage public en panne {place}",
        "Nids de poule dangereux {place}",
        "Dépôt sauvage d'encombrants {place}",
        "Bruit de musique très fort {when} {place}",
        "Fuite d'eau sur la chaussée {place}",
    ),
}

#: Phrases the background never uses, planted as recurring terms.
PLANTED_TERMS = (
    "camionnette blanche",
    "trottinette électrique orange",
    "homme cagoulé",
    "caravane immatriculée à l’étranger",
    "drone au-dessus des jardins",
    "berline dorée",
    "faux agents du gaz",
    "pitbull sans muselière",
)


def report_text(category: str, rng: random.Random) -> str:
    """One report's text for ``category`` (« autre » for an unknown one)."""
    templates = _TEMPLATES.get(category, _TEMPLATES["autre"])
    text = rng.choice(templates).format(
        people=rng.choice(PEOPLE),
        clothes=rng.choice(CLOTHES),
        place=rng.choice(PLACES),
        when=rng.choice(WHEN),
        vehicle=rng.choice(VEHICLES),
        colour=rng.choice(COLOURS),
    )
    return text[0].upper() + text[1:]


def text_pool(category: str, rng: random.Random, size: int = 300) -> list[str]:
    """``size`` texts of a category, for drawing many reports quickly."""
    return [report_text(category, rng) for _ in range(size)]


def planted_text(term: str, category: str, rng: random.Random) -> str:
    """A report of ``category`` that mentions ``term``."""
    return f"{report_text(category, rng)}. Vu : {term} {rng.choice(WHEN)}"
