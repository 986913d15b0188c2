"""What an alert is: categories, priorities, states and the immutable Alert record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from csu_console.core.cap_facts import CapFacts
from csu_console.core.geo import Area


class Category(StrEnum):
    """Alert categories of protocol v1; anything else is stored as AUTRE."""

    CAMBRIOLAGE = "cambriolage"
    COMPORTEMENT_SUSPECT = "comportement_suspect"
    DEMARCHAGE_ABUSIF = "demarchage_abusif"
    ANIMAL_PERDU = "animal_perdu"
    DEGRADATION = "degradation"
    INCENDIE = "incendie"
    ACCIDENT = "accident"
    RIXE = "rixe"
    # Natural and technological risks (partners' CAP alerts, issue 17).
    INONDATION = "inondation"
    FEU_DE_FORET = "feu_de_foret"
    METEO = "meteo"
    POLLUTION = "pollution"
    RISQUE_TECHNOLOGIQUE = "risque_technologique"
    SEISME = "seisme"
    ALERTE_POPULATION = "alerte_population"
    AUTRE = "autre"


#: French labels, used in exports and as UI source strings.
CATEGORY_LABELS: dict[Category, str] = {
    Category.CAMBRIOLAGE: "Cambriolage",
    Category.COMPORTEMENT_SUSPECT: "Comportement suspect",
    Category.DEMARCHAGE_ABUSIF: "Démarchage abusif",
    Category.ANIMAL_PERDU: "Animal perdu",
    Category.DEGRADATION: "Dégradation",
    Category.INCENDIE: "Incendie",
    Category.ACCIDENT: "Accident",
    Category.RIXE: "Rixe",
    Category.INONDATION: "Inondation",
    Category.FEU_DE_FORET: "Feu de forêt",
    Category.METEO: "Météo",
    Category.POLLUTION: "Pollution",
    Category.RISQUE_TECHNOLOGIQUE: "Risque technologique",
    Category.SEISME: "Séisme",
    Category.ALERTE_POPULATION: "Alerte à la population",
    Category.AUTRE: "Autre",
}

#: The natural and technological risk categories (partners' alerts).
RISK_CATEGORIES = frozenset(
    {
        Category.INONDATION,
        Category.FEU_DE_FORET,
        Category.METEO,
        Category.POLLUTION,
        Category.RISQUE_TECHNOLOGIQUE,
        Category.SEISME,
        Category.ALERTE_POPULATION,
    }
)

PRIORITY_MIN = 1  # urgent
PRIORITY_MAX = 4  # information

PRIORITY_LABELS: dict[int, str] = {
    1: "Urgente",
    2: "Haute",
    3: "Normale",
    4: "Information",
}

#: Used when the settings give no rule for a category.
DEFAULT_PRIORITY_RULES: dict[Category, int] = {
    Category.CAMBRIOLAGE: 2,
    Category.COMPORTEMENT_SUSPECT: 3,
    Category.DEMARCHAGE_ABUSIF: 3,
    Category.ANIMAL_PERDU: 4,
    Category.DEGRADATION: 3,
    Category.INCENDIE: 1,
    Category.ACCIDENT: 1,
    Category.RIXE: 1,
    Category.INONDATION: 2,
    Category.FEU_DE_FORET: 1,
    Category.METEO: 3,
    Category.POLLUTION: 3,
    Category.RISQUE_TECHNOLOGIQUE: 2,
    Category.SEISME: 2,
    Category.ALERTE_POPULATION: 1,
    Category.AUTRE: 3,
}


class AlertState(StrEnum):
    """Life cycle of an alert in the CSU."""

    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    DISPATCHED = "dispatched"
    CLOSED = "closed"


STATE_LABELS: dict[AlertState, str] = {
    AlertState.NEW: "Nouvelle",
    AlertState.ACKNOWLEDGED: "Prise en compte",
    AlertState.DISPATCHED: "Patrouille engagée",
    AlertState.CLOSED: "Clôturée",
}


class IssuerState(StrEnum):
    """What the alert's issuer (a CAP partner) or its validity made of it, beside the
    CSU's own handling (:class:`AlertState`): it no longer rings."""

    CANCELLED = "cancelled"  # a CAP Cancel referenced it: « annulée par l'émetteur »
    EXPIRED = "expired"  # past its CAP ``expires``: « expirée »


ISSUER_STATE_LABELS: dict[IssuerState, str] = {
    IssuerState.CANCELLED: "Annulée par l'émetteur",
    IssuerState.EXPIRED: "Expirée",
}


@dataclass(frozen=True)
class Location:
    """A WGS84 position with optional address and accuracy."""

    lat: float
    lon: float
    address: str | None = None
    accuracy_m: float | None = None


@dataclass(frozen=True)
class Reporter:
    """The citizen who reported (pseudonymous on the platform)."""

    pseudonym: str | None
    verified: bool = False


@dataclass(frozen=True)
class Alert:
    """A validated alert, whatever its wire format (JSON or CAP 1.2).

    ``location`` is None only for CAP alerts without area geometry ("sans
    localisation"). ``sent`` is timezone-aware.
    """

    source: str
    id: str
    sent: datetime
    category: Category
    priority: int
    title: str = ""
    description: str = ""
    location: Location | None = None
    commune: str | None = None
    reporter: Reporter | None = None
    attachments: tuple[str, ...] = ()
    category_raw: str | None = None  # original text when mapped to AUTRE
    priority_from_rules: bool = False
    fmt: str = "json"  # "json" | "cap"
    extra: dict[str, str] = field(default_factory=dict)
    #: The areas of a CAP alert (polygons, circles as polygons, resolved geocodes).
    area: Area | None = None
    #: When the issuer says the alert stops applying (CAP ``expires``), aware.
    expires: datetime | None = None
    #: Everything else a CAP message said (see :mod:`csu_console.core.cap_facts`).
    cap: CapFacts | None = None

    @property
    def key(self) -> tuple[str, str]:
        """The deduplication key: one stored alert per (source, id)."""
        return (self.source, self.id)


@dataclass(frozen=True)
class StoredAlert:
    """An alert as kept in the console: its row id, arrival time and current state."""

    pk: int
    alert: Alert
    received_at: datetime
    seq: int | None = None
    state: AlertState = AlertState.NEW
    state_station: str | None = None
    state_operator: str | None = None
    #: Cancelled by its issuer or expired: shown so, never rings again.
    issuer_state: IssuerState | None = None
    #: How many CAP Updates replaced its content (0: as first received).
    version: int = 0


def urgency(item: StoredAlert) -> tuple[int, int]:
    """Sort key of what to show first: most urgent, then newest (the map and the wall
    follow the same alert)."""
    return (item.alert.priority, -item.pk)
