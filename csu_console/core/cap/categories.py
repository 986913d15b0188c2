"""A CAP block's risk category: ``event`` keywords (French, English, a little German
for DWD), else the CAP ``category`` codes.

Keywords are searched in the accent-stripped, casefolded event (and MeteoAlarm's
``awareness_type`` parameter), at word starts; the first row of :data:`KEYWORDS`
that matches wins, so specific phrases come before general ones:

- « feu de forêt » / « incendie de végétation » / wildfire come before the citizen
  « incendie » (a bin fire stays INCENDIE);
- « rupture de barrage » (a technological risk in French risk plans) before floods;
- floods (« pluie-inondation », « vagues-submersion », storm surge) before météo:
  Météo-France's rain-flood vigilance is a flood;
- tsunami goes with earthquakes (SEISME): the warnings come from seismic centres
  (CENALT) and call for the same coastal evacuation plans.

Without a keyword in the event, in order: the US EAS/SAME ``eventCode`` (IPAWS: LAE,
CEM… → ALERTE_POPULATION, FFW → INONDATION…), the keywords of the headline, then the
CAP codes: Geo → SEISME, Met → METEO, Env → POLLUTION, CBRNE → RISQUE_TECHNOLOGIQUE,
Fire → INCENDIE; anything else is AUTRE.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from csu_console.core.alerts import Category

_C = Category


def fold(text: str) -> str:
    """Accent-stripped, casefolded text."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _rx(*alternatives: str) -> re.Pattern[str]:
    return re.compile("|".join(rf"\b(?:{a})" for a in alternatives))


_VEGETATION = r"(?:foret|forets|vegetation|broussailles|garrigue|maquis|espaces? naturels?)"

#: Event keywords, in precedence order (on :func:`fold`-ed text).
KEYWORDS: tuple[tuple[re.Pattern[str], Category], ...] = (
    (
        _rx(
            r"fr-?alert",
            r"alerte (?:a|aux) (?:la )?populations?",
            r"alerte enlevement",
            r"civil (?:emergency|danger)",
            r"presidential",
            r"national (?:emergency|alert)",
            r"child abduction",
            r"amber alert",
            r"shelter in place",
            r"confinement",
            r"evacuation immediate",
            r"attentat",
            r"terror",
            r"local area emergency",
            r"law enforcement warning",
            r"viktigt meddelande till allmanheten",
            r"vma\b",
        ),
        _C.ALERTE_POPULATION,
    ),
    (
        _rx(
            rf"(?:feux?|incendies?|departs? de feu) (?:de |d')?{_VEGETATION}",
            r"risques? (?:d'|de |d )?(?:feux?|incendies?) de foret",
            r"wildfire",
            r"wildland fire",
            r"forest[- ]fire",
            r"bush ?fire",
            r"grass ?fire",
            r"veld ?fire",
            r"fire (?:weather|danger)",
            r"red flag",
            r"waldbrand",
        ),
        _C.FEU_DE_FORET,
    ),
    (
        _rx(
            r"seismes?\b",
            r"sismi",
            r"tremblements? de terre",
            r"earthquake",
            r"tsunami",
            r"raz[- ]de[- ]maree",
            r"erdbeben",
        ),
        _C.SEISME,
    ),
    (
        _rx(
            r"rupture de (?:barrage|digue d'un barrage)",
            r"dam (?:failure|break|breach)",
            r"(?:risques?|accidents?|incidents?|explosions?|incendies?|sites?) industriel",
            r"risques? technologique",
            r"chimique",
            r"nucleaire",
            r"radiolog",
            r"tmd\b",
            r"matieres dangereuses",
            r"seveso",
            r"fuite de gaz",
            r"nuage toxique",
            r"hazmat",
            r"hazardous material",
            r"chemical",
            r"nuclear",
            r"radiation",
            r"radioactiv",
            r"gas leak",
            r"toxic",
            r"cbrne?\b",
        ),
        _C.RISQUE_TECHNOLOGIQUE,
    ),
    (
        _rx(
            r"crues?\b",
            r"inond",
            r"submersion",
            r"debordement",
            r"montee des eaux",
            r"hautes eaux",
            r"ruissellement",
            r"flood",
            r"high water",
            r"storm surge",
            r"coastal ?event",
            r"rain[- ]flood",
            r"hochwasser",
            r"uberflutung",
            r"sturmflut",
        ),
        _C.INONDATION,
    ),
    (
        _rx(
            r"pollution",
            r"qualite de l'air",
            r"pic de pollution",
            r"ozone",
            r"particules",
            r"smog",
            r"air quality",
            r"maree noire",
            r"oil spill",
            r"pollen",
        ),
        _C.POLLUTION,
    ),
    (
        _rx(
            r"orages?\b",
            r"vents?\b",
            r"rafales?",
            r"tempetes?",
            r"neiges?\b",
            r"verglas",
            r"grand froid",
            r"vagues? de froid",
            r"froid extreme",
            r"canicule",
            r"vagues? de chaleur",
            r"fortes? chaleurs?",
            r"fortes? pluies?",
            r"pluies?\b",
            r"grele",
            r"brouillard",
            r"avalanches?",
            r"cyclone",
            r"ouragan",
            r"tornade",
            r"gel\b",
            r"gelees?",
            r"vigilance (?:jaune|orange|rouge|meteo)",
            r"thunderstorm",
            r"winds?\b",
            r"gales?\b",
            r"gust",
            r"storm",
            r"snow",
            r"blizzard",
            r"ice\b",
            r"icy",
            r"freez",
            r"frost",
            r"heat",
            r"cold",
            r"rain",
            r"hail",
            r"fog\b",
            r"hurricane",
            r"typhoon",
            r"tornado",
            r"winter weather",
            r"extreme temperature",
            r"(?:low|high)[- ]temperature",
            r"gewitter",
            r"sturm",
            r"orkan",
            r"boen",
            r"schnee",
            r"glatte",
            r"hitze",
            r"regen",
            r"nebel",
            r"tauwetter",
        ),
        _C.METEO,
    ),
    # Citizen categories (protocol v1), as before issue 17.
    (_rx(r"cambriol", r"burglar"), _C.CAMBRIOLAGE),
    (_rx(r"suspect"), _C.COMPORTEMENT_SUSPECT),
    (_rx(r"demarch"), _C.DEMARCHAGE_ABUSIF),
    (_rx(r"anim(?:al|aux)"), _C.ANIMAL_PERDU),
    (_rx(r"degradation", r"vandal"), _C.DEGRADATION),
    (
        # "feu" but not "couvre-feu" nor traffic lights ("feux tricolores").
        re.compile(
            r"\bincendi|\bfires?\b|(?<!couvre[- ])\bfeux?\b"
            r"(?!\s+(?:rouges?|tricolores?|de\s+signalisation))"
        ),
        _C.INCENDIE,
    ),
    (_rx(r"accident"), _C.ACCIDENT),
    (_rx(r"rixe", r"bagarre", r"fight"), _C.RIXE),
)

_SAME_CODES: dict[Category, tuple[str, ...]] = {
    _C.ALERTE_POPULATION: ("CAE", "CDW", "CEM", "EVI", "LAE", "LEW", "SPW", "BLU", "EAN"),
    _C.INONDATION: (
        "FFA", "FFW", "FFS", "FLA", "FLW", "FLS", "CFA", "CFW", "SSA", "SSW", "DBA", "DBW",
    ),
    _C.FEU_DE_FORET: ("FRW", "FWW"),
    _C.SEISME: ("EQW", "TSA", "TSW", "VOW"),
    _C.RISQUE_TECHNOLOGIQUE: ("HMW", "NUW", "RHW", "TOE"),
    _C.METEO: (
        "BZW", "DSW", "EWW", "HLS", "HUA", "HUW", "HWA", "HWW", "SMW", "SPS", "SQW",
        "SVA", "SVR", "SVS", "TOA", "TOR", "TRA", "TRW", "WSA", "WSW", "ISW", "ECW", "EHW",
        "AVA", "AVW",
    ),
}  # fmt: skip
#: US EAS / SAME event codes (``<eventCode><valueName>SAME</valueName>``), IPAWS feeds.
SAME_CODES: dict[str, Category] = {
    code: category for category, codes in _SAME_CODES.items() for code in codes
}
#: SAME codes of tests and demonstrations (a status Actual RMT is still a test).
SAME_TESTS = frozenset({"RMT", "RWT", "NPT", "DMO", "ADR"})
_TEST_EVENT = re.compile(r"\brequired (?:monthly|weekly) test|\bnational periodic test")

#: CAP ``category`` codes, when no keyword matched (first code that maps wins).
CAP_CODES: dict[str, Category] = {
    "geo": _C.SEISME,
    "met": _C.METEO,
    "env": _C.POLLUTION,
    "cbrne": _C.RISQUE_TECHNOLOGIQUE,
    "fire": _C.INCENDIE,
}

#: Météo phenomena (French labels, ``extra["phenomene"]``), first match wins.
PHENOMENA: tuple[tuple[re.Pattern[str], str], ...] = (
    (_rx(r"orages?\b", r"thunderstorm", r"gewitter", r"lightning"), "orages"),
    (
        _rx(
            r"canicule",
            r"vagues? de chaleur",
            r"fortes? chaleurs?",
            r"heat",
            r"hitze",
            r"high[- ]temperature",
        ),
        "canicule",
    ),
    (
        _rx(
            r"grand froid",
            r"vagues? de froid",
            r"froid",
            r"cold",
            r"frost",
            r"gel\b",
            r"gelees?",
            r"low[- ]temp",
        ),
        "grand froid",
    ),
    (_rx(r"neiges?\b", r"snow", r"blizzard", r"schnee"), "neige"),
    (_rx(r"verglas", r"ice\b", r"icy", r"freezing", r"glatte", r"glatteis"), "verglas"),
    (_rx(r"avalanches?"), "avalanches"),
    (
        _rx(
            r"vents?\b",
            r"rafales?",
            r"tempetes?",
            r"winds?\b",
            r"gales?\b",
            r"gust",
            r"storm",
            r"sturm",
            r"orkan",
            r"boen",
        ),
        "vent",
    ),
    (_rx(r"cyclone", r"ouragan", r"hurricane", r"typhoon"), "cyclone"),
    (_rx(r"tornade", r"tornado"), "tornade"),
    (_rx(r"grele", r"hail"), "grêle"),
    (_rx(r"pluies?\b", r"rain", r"regen"), "pluie"),
    (_rx(r"brouillard", r"fog\b", r"nebel"), "brouillard"),
)


def _keywords(text: str) -> Category | None:
    folded = fold(text)
    if folded:
        for pattern, category in KEYWORDS:
            if pattern.search(folded):
                return category
    return None


def categorize(
    text: str, cap_codes: Sequence[str], same_codes: Sequence[str] = (), headline: str = ""
) -> Category:
    """The category of an event ``text`` (event and hints), its SAME event codes, its
    headline and its CAP ``category`` codes (see the module)."""
    found = _keywords(text)
    if found is not None:
        return found
    for code in same_codes:
        found = SAME_CODES.get(code.upper())
        if found is not None:
            return found
    found = _keywords(headline)
    if found is not None:
        return found
    for code in cap_codes:
        found = CAP_CODES.get(code.casefold())
        if found is not None:
            return found
    return _C.AUTRE


def is_test_event(event: str, same_codes: Sequence[str]) -> bool:
    """A test by its SAME code (RMT, RWT…) or its event (« Required Monthly Test »)."""
    return any(c.upper() in SAME_TESTS for c in same_codes) or bool(_TEST_EVENT.search(fold(event)))


def phenomenon(text: str) -> str | None:
    """The météo phenomenon named in ``text`` (« orages », « vent »…), None if none."""
    folded = fold(text)
    for pattern, label in PHENOMENA:
        if pattern.search(folded):
            return label
    return None
