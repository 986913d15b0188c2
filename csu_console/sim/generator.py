"""Realistic Voisins Vigilants–style alerts and partner CAP 1.2 documents.

Positions are drawn inside the demo site's zones so that every alert lands on a
sector the console knows. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from csu_console.core.alerts import Category
from csu_console.sim.cap_docs import SENDER_FLOOD, RiskFeed

SOURCE_VV = "voisins-vigilants"
SOURCE_CAP = SENDER_FLOOD

STREETS = (
    "Mannerheimintie",
    "Aleksanterinkatu",
    "Pohjoisesplanadi",
    "Eteläesplanadi",
    "Bulevardi",
    "Annankatu",
    "Fredrikinkatu",
    "Kaivokatu",
    "Simonkatu",
    "Yrjönkatu",
    "Lönnrotinkatu",
    "Erottajankatu",
    "Kalevankatu",
    "Eerikinkatu",
    "Uudenmaankatu",
    "Mikonkatu",
)

TEXTS: dict[Category, list[tuple[str, str]]] = {
    Category.CAMBRIOLAGE: [
        (
            "Cambriolage en cours chez le voisin",
            "J'entends du bruit de vitre brisée chez mon voisin absent cette semaine. "
            "Deux silhouettes avec des lampes frontales dans le jardin.",
        ),
        (
            "Porte fracturée au rez-de-chaussée",
            "La porte de l'appartement du rez-de-chaussée est ouverte, la serrure a été forcée.",
        ),
    ],
    Category.COMPORTEMENT_SUSPECT: [
        (
            "Véhicule qui tourne dans le quartier",
            "Une camionnette blanche sans logo passe pour la quatrième fois depuis une heure, "
            "les occupants photographient les façades.",
        ),
        (
            "Individu qui essaie les poignées de portière",
            "Un homme en sweat à capuche gris essaie d'ouvrir les voitures stationnées.",
        ),
    ],
    Category.DEMARCHAGE_ABUSIF: [
        (
            "Faux agents des eaux",
            "Deux personnes se présentent comme agents de la compagnie des eaux et demandent "
            "à entrer pour « vérifier les canalisations ». Aucun badge.",
        ),
        (
            "Démarchage insistant pour des calendriers",
            "Un démarcheur insiste auprès des personnes âgées de la résidence.",
        ),
    ],
    Category.ANIMAL_PERDU: [
        (
            "Chien perdu : Filou, croisé labrador",
            "Filou s'est échappé ce matin, collier rouge, très gentil. Merci de me prévenir.",
        ),
        ("Chat trouvé blessé", "Chat tigré blessé à la patte sous une voiture, il a peur."),
    ],
    Category.DEGRADATION: [
        ("Tags sur l'abribus", "L'abribus vient d'être tagué, les auteurs sont partis à pied."),
        ("Poubelles incendiées", "Deux conteneurs renversés et en partie brûlés sur le trottoir."),
    ],
    Category.INCENDIE: [
        (
            "Fumée épaisse sortant d'un local",
            "Fumée noire sortant du local poubelles, j'ai appelé le 18.",
        ),
    ],
    Category.ACCIDENT: [
        (
            "Accident scooter contre voiture",
            "Un scooter a percuté une voiture au carrefour, le conducteur est au sol.",
        ),
    ],
    Category.RIXE: [
        (
            "Bagarre devant le bar",
            "Une dizaine de personnes se battent devant le bar, des bouteilles sont lancées.",
        ),
    ],
    Category.AUTRE: [
        ("Éclairage public en panne", "Toute la rue est dans le noir depuis 21 h."),
    ],
}

CATEGORY_WEIGHTS: dict[Category, float] = {
    Category.COMPORTEMENT_SUSPECT: 30,
    Category.DEMARCHAGE_ABUSIF: 15,
    Category.CAMBRIOLAGE: 12,
    Category.ANIMAL_PERDU: 12,
    Category.DEGRADATION: 12,
    Category.AUTRE: 8,
    Category.ACCIDENT: 5,
    Category.RIXE: 4,
    Category.INCENDIE: 2,
}

PSEUDONYMS = ("Voisin_12", "Marianne75", "Jardinier", "Lucie.B", "PapyJo", "Vigie_Nord", "K.Aho")


@dataclass(frozen=True)
class ZoneSpec:
    """What the generator needs of a zone."""

    id: str
    name: str
    commune: str
    sample: Callable[[random.Random], tuple[float, float]]  # -> (lon, lat)


class AlertGenerator:
    """Makes alert objects (protocol v1) and CAP XML documents."""

    def __init__(
        self, zones: Sequence[ZoneSpec], seed: int | None = None, cap_lifecycle: bool = False
    ) -> None:
        if not zones:
            raise ValueError("au moins une zone est nécessaire")
        self.zones = list(zones)
        self.rng = random.Random(seed)
        self._n = 0
        # Unique per process even with a fixed seed: a restarted gateway must not
        # reuse the identifiers of the alerts it sent before.
        self._run = secrets.token_hex(4)
        self.risks = RiskFeed(
            [(z.id, z.name, z.commune, z.sample) for z in self.zones],
            self.rng,
            self._next_id,
            lifecycle=cap_lifecycle,
        )

    def _next_id(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}-{self._run}-{self._n:06d}"

    def alert(self, now: datetime | None = None) -> dict[str, Any]:
        """A Voisins Vigilants–style alert object."""
        rng = self.rng
        now = now or datetime.now(UTC)
        cats = list(CATEGORY_WEIGHTS)
        category = rng.choices(cats, weights=[CATEGORY_WEIGHTS[c] for c in cats])[0]
        title, description = rng.choice(TEXTS[category])
        zone = rng.choice(self.zones)
        lon, lat = zone.sample(rng)
        alert: dict[str, Any] = {
            "id": self._next_id("vv"),
            "source": SOURCE_VV,
            "sent": (now - timedelta(seconds=rng.randint(5, 180))).isoformat(timespec="seconds"),
            "category": category.value,
            "title": title,
            "description": description,
            "location": {
                "lat": round(lat, 6),
                "lon": round(lon, 6),
                "address": f"{rng.randint(1, 60)} {rng.choice(STREETS)}",
                "accuracy_m": rng.choice([5, 10, 15, 30, 50]),
            },
            "commune": zone.commune,
            "reporter": {"pseudonym": rng.choice(PSEUDONYMS), "verified": rng.random() < 0.7},
        }
        if category in (Category.ACCIDENT, Category.RIXE, Category.INCENDIE):
            alert["priority"] = 1
        if rng.random() < 0.2:
            alert["attachments"] = [f"https://vvs.example/photos/{alert['id']}.jpg"]
        return alert

    def cap(self, now: datetime | None = None) -> tuple[str, str, str]:
        """A partner's CAP 1.2 document (xml, sender, identifier): a flood with its
        polygon, a weather vigilance, a forest-fire exercise, or an Update or Cancel
        of an earlier one (see :class:`~csu_console.sim.cap_docs.RiskFeed`)."""
        return self.risks.next(now)
