"""OASIS CAP 1.2 alerts (protocol v1 ``cap`` messages) mapped onto :class:`Alert`.

The XML is parsed by the C parser when it carries no DTD, else by defusedxml,
which refuses it (no DTD, entity declaration or external reference). Any refusal
is a :class:`ValidationError` whose French reason names the CAP field
(``cap.info.area.circle.lat : ...``).

Mapping, from the first ``info`` whose ``language`` starts with "fr", else the first:

- sender, identifier, sent (RFC 3339 with offset) -> source, id, sent (required);
- msgType (Alert, Update or Cancel, stored capitalised; Ack and Error refused),
  status, references, urgency, severity, certainty -> ``extra`` (recorded,
  a non-Actual status is accepted);
- headline, else event -> title; description, a blank line, instruction ->
  description; both cut (ending with "…") instead of refused when too long;
- first area with a circle or polygon -> location: circle centre with the
  radius as accuracy; polygon: mean of its distinct vertices, accuracy = distance
  to the farthest vertex; areaDesc -> address. Without geometry, location is None
  ("sans localisation") and areaDesc goes to ``extra["areaDesc"]``;
- parameter valueName "commune" -> commune; web (http/https) -> attachments.

Priority (first matching row wins):

=====================================  =====================================
severity Extreme or urgency Immediate  1
severity Severe                        2
severity Moderate                      3
severity Minor                         4
otherwise (Unknown, missing)           rules of the category (from_rules)
=====================================  =====================================

Category: ``event`` keywords (accent/case-insensitive, at word starts, first row
of ``_KEYWORDS`` wins) beat the CAP category; CAP "Fire" gives INCENDIE (a
"Transport" event mentioning an accident is caught by the keyword); else AUTRE
with ``category_raw`` = event (or the CAP category when there is no event).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from xml.etree.ElementTree import Element, ParseError
from xml.etree.ElementTree import fromstring as _fast_fromstring

import defusedxml
from defusedxml.ElementTree import fromstring

from csu_console.core import validate as v
from csu_console.core.alerts import DEFAULT_PRIORITY_RULES, Alert, Category, Location
from csu_console.errors import ValidationError

CAP_NAMESPACE = "urn:oasis:names:tc:emergency:cap:1.2"
MAX_CAP_BYTES = 1024 * 1024
MAX_CIRCLE_RADIUS_KM = 20_000.0
MIN_POLYGON_PAIRS = 4

_MSG_TYPES = {"alert": "Alert", "update": "Update", "cancel": "Cancel"}
_INFO_CODES = ("urgency", "severity", "certainty")
_MAX_CODE = 100  # enumerated CAP values (status, urgency...)
_EARTH_RADIUS_M = 6_371_008.8
_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f-\x9f]+", re.IGNORECASE)
# XML whitespace only: str.strip()/split() would also eat U+0085 and the like.
_XML_SPACE = " \t\r\n"
_SPACES = re.compile(r"[ \t\r\n]+")
_CIRCLE = re.compile(r"([^ \t\r\n,]+) *, *([^ \t\r\n]+)[ \t\r\n]+([^ \t\r\n]+)")
_NUMBER = re.compile(
    r"[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|[+-]?(?:nan|inf|infinity)", re.IGNORECASE | re.ASCII
)

#: Event keywords (on accent-stripped, casefolded text), in precedence order.
_KEYWORDS: tuple[tuple[re.Pattern[str], Category], ...] = (
    (re.compile(r"\b(?:cambriol|burglar)"), Category.CAMBRIOLAGE),
    (re.compile(r"\bsuspect"), Category.COMPORTEMENT_SUSPECT),
    (re.compile(r"\bdemarch"), Category.DEMARCHAGE_ABUSIF),
    (re.compile(r"\banim(?:al|aux)"), Category.ANIMAL_PERDU),
    (re.compile(r"\b(?:degradation|vandal)"), Category.DEGRADATION),
    (
        # "feu" but not "couvre-feu" nor traffic lights ("feux tricolores").
        re.compile(
            r"\bincendi|\bfires?\b|(?<!couvre[- ])\bfeux?\b"
            r"(?!\s+(?:rouges?|tricolores?|de\s+signalisation))"
        ),
        Category.INCENDIE,
    ),
    (re.compile(r"\baccident"), Category.ACCIDENT),
    (re.compile(r"\b(?:rixe|bagarre|fight)"), Category.RIXE),
)
_SEVERITY_PRIORITY = {"extreme": 1, "severe": 2, "moderate": 3, "minor": 4}


def _q(name: str) -> str:
    return f"{{{CAP_NAMESPACE}}}{name}"


def _children(parent: Element, name: str) -> list[Element]:
    tag = _q(name)
    return [child for child in parent if child.tag == tag]


def _text(element: Element) -> str:
    return (element.text or "").strip(_XML_SPACE)


def _child_text(parent: Element, name: str) -> str | None:
    """Stripped text of the first child ``name`` ("" if empty), None if absent."""
    found = _children(parent, name)
    return None if not found else _text(found[0])


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _free_text(value: str | None, path: str, limit: int) -> str | None:
    """A free CAP text: cut to ``limit`` rather than refused; empty -> None."""
    if not value:
        return None
    return v.check_text(_cut(value, limit), path, limit)


# A DTD starts with "<!DOCTYPE" (and entities are declared inside one); this is
# a deliberately wider net: any case, whitespace after "<!".
_DTD_MARK = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _parse_xml(xml: object) -> Element:
    if not isinstance(xml, str):
        raise ValidationError(f"cap : document XML attendu, reçu {v.describe(xml)}")
    try:
        size = len(xml.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise ValidationError(
            f"cap : caractère invalide U+{ord(xml[exc.start]):04X} à la position {exc.start}"
        ) from None
    if size > MAX_CAP_BYTES:
        raise ValidationError(f"cap : document trop volumineux ({size} octets, maximum 1 Mio)")
    if _DTD_MARK.search(xml) is None:
        # No DTD, hence no entity can be declared and nothing external can be
        # referenced: the C parser is safe here, and ~4x faster than defusedxml's
        # pure-Python one (CAP is the costliest message in an alert storm).
        try:
            return _check_root(_fast_fromstring(xml))
        except ParseError as exc:
            raise ValidationError(f"cap : XML mal formé : {exc}") from None
    try:
        root: Element = fromstring(xml, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden:
        raise ValidationError("cap : XML refusé (DTD interdite)") from None
    except defusedxml.EntitiesForbidden:
        raise ValidationError("cap : XML refusé (déclaration d'entité interdite)") from None
    except defusedxml.ExternalReferenceForbidden:
        raise ValidationError("cap : XML refusé (référence externe interdite)") from None
    except defusedxml.DefusedXmlException as exc:
        raise ValidationError(f"cap : XML refusé ({exc})") from None
    except ParseError as exc:
        raise ValidationError(f"cap : XML mal formé : {exc}") from None
    return _check_root(root)


def _check_root(root: Element) -> Element:
    if root.tag != _q("alert"):
        namespace, _, local = root.tag.rpartition("}")
        namespace = namespace.lstrip("{") or "aucun"
        raise ValidationError(
            f"cap : racine <{local}> (espace de noms {namespace}) inattendue, "
            f"attendu <alert> de {CAP_NAMESPACE}"
        )
    return root


def _required(root: Element, name: str, limit: int) -> str:
    value = v.check_text(_child_text(root, name), f"cap.{name}", limit, required=True)
    assert value is not None
    return value


def _choose_info(root: Element) -> Element:
    infos = _children(root, "info")
    if not infos:
        raise ValidationError("cap.info : aucun bloc info (alerte sans contenu)")
    for info in infos:
        if (_child_text(info, "language") or "").casefold().startswith("fr"):
            return info
    return infos[0]


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _category(event: str | None, cap_categories: list[str]) -> tuple[Category, str | None]:
    if event:
        folded = _fold(event)
        for pattern, category in _KEYWORDS:
            if pattern.search(folded):
                return category, None
    if any(c.casefold() == "fire" for c in cap_categories):
        return Category.INCENDIE, None
    raw = event or next((c for c in cap_categories if c), None)
    return Category.AUTRE, _free_text(raw, "cap.info.category", 100)


def _number(token: str, path: str) -> float:
    if not _NUMBER.fullmatch(token):
        raise ValidationError(f"{path} : nombre illisible ({v.describe(token)})")
    return float(token)


def _haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + (
        math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))


def _circle(text: str, path: str) -> tuple[float, float, float]:
    m = _CIRCLE.fullmatch(text)
    if not m:
        raise ValidationError(
            f"{path} : cercle illisible ({v.describe(text)}), attendu « lat,lon rayon_km »"
        )
    lat, lon = v.check_position(_number(m[1], path), _number(m[2], path), path)
    radius = v.check_number(_number(m[3], path), f"{path}.rayon_km", 0.0, MAX_CIRCLE_RADIUS_KM)
    return lat, lon, radius * 1000.0


def _polygon(text: str, path: str) -> tuple[float, float, float]:
    tokens = _SPACES.split(text) if text else []
    if len(tokens) < MIN_POLYGON_PAIRS:
        raise ValidationError(
            f"{path} : {len(tokens)} sommet(s), au moins {MIN_POLYGON_PAIRS} attendus "
            "(anneau fermé « lat,lon lat,lon ... »)"
        )
    points: list[tuple[float, float]] = []
    for i, token in enumerate(tokens):
        parts = token.split(",")
        if len(parts) != 2:
            raise ValidationError(
                f"{path}[{i}] : paire « lat,lon » attendue, reçu {v.describe(token)}"
            )
        pair_path = f"{path}[{i}]"
        points.append(
            v.check_position(_number(parts[0], pair_path), _number(parts[1], pair_path), pair_path)
        )
    if points[0] != points[-1]:
        raise ValidationError(f"{path} : anneau non fermé (le dernier sommet doit être le premier)")
    vertices = list(dict.fromkeys(points[:-1]))
    lat = sum(p[0] for p in vertices) / len(vertices)
    lon = sum(p[1] for p in vertices) / len(vertices)
    accuracy = max(_haversine_m((lat, lon), p) for p in vertices)
    return lat, lon, accuracy


def _location(info: Element) -> tuple[Location | None, str | None]:
    """Position from the first area having geometry, else (None, first areaDesc)."""
    first_desc: str | None = None
    for area in _children(info, "area"):
        desc = _free_text(_child_text(area, "areaDesc"), "cap.info.area.areaDesc", v.MAX_ADDRESS)
        first_desc = first_desc or desc
        for geometry in area:
            if geometry.tag == _q("circle"):
                lat, lon, acc = _circle(_text(geometry), "cap.info.area.circle")
            elif geometry.tag == _q("polygon"):
                lat, lon, acc = _polygon(_text(geometry), "cap.info.area.polygon")
            else:
                continue
            return Location(lat=lat, lon=lon, address=desc, accuracy_m=acc), None
    return None, first_desc


def _priority(info: Element) -> int | None:
    severity = (_child_text(info, "severity") or "").casefold()
    if severity == "extreme" or (_child_text(info, "urgency") or "").casefold() == "immediate":
        return 1
    return _SEVERITY_PRIORITY.get(severity)


def _commune(info: Element) -> str | None:
    for parameter in _children(info, "parameter"):
        if (_child_text(parameter, "valueName") or "").casefold() == "commune":
            value = _child_text(parameter, "value")
            return v.check_text(value, "cap.info.parameter.commune", v.MAX_COMMUNE) or None
    return None


def _codes(parent: Element, prefix: str, fields: tuple[tuple[str, int], ...]) -> dict[str, str]:
    """Short CAP values recorded in ``extra`` as received (empty ones skipped)."""
    codes: dict[str, str] = {}
    for name, limit in fields:
        value = v.check_text(_child_text(parent, name), f"{prefix}.{name}", limit)
        if value:
            codes[name] = value
    return codes


def _header_extra(root: Element) -> dict[str, str]:
    extra = _codes(root, "cap", (("msgType", _MAX_CODE), ("status", _MAX_CODE)))
    extra |= _codes(root, "cap", (("references", v.MAX_DESCRIPTION),))
    if "msgType" in extra:
        canonical = _MSG_TYPES.get(extra["msgType"].casefold())
        if canonical is None:
            raise ValidationError(
                f"cap.msgType : type de message non pris en charge "
                f"({v.describe(extra['msgType'])}), attendu Alert, Update ou Cancel"
            )
        extra["msgType"] = canonical
    return extra


def parse_cap(xml: str, priority_rules: Mapping[Category, int] | None = None) -> Alert:
    """Validate an OASIS CAP 1.2 document into an :class:`Alert` (``fmt="cap"``).

    ``priority_rules`` gives the priority per category when the CAP severity
    and urgency say nothing (defaults to ``DEFAULT_PRIORITY_RULES``). Raises
    :class:`ValidationError`, and nothing else, for any refused input.
    """
    root = _parse_xml(xml)
    alert_id = _required(root, "identifier", v.MAX_ID)
    source = _required(root, "sender", v.MAX_SOURCE)
    sent_text = _child_text(root, "sent")
    if sent_text is None:
        raise ValidationError("cap.sent : champ obligatoire manquant")
    sent = v.parse_rfc3339(sent_text, "cap.sent")

    extra = _header_extra(root)
    info = _choose_info(root)
    extra |= _codes(info, "cap.info", tuple((n, _MAX_CODE) for n in _INFO_CODES))
    event = _free_text(_child_text(info, "event"), "cap.info.event", v.MAX_DESCRIPTION)
    cap_categories = [_text(c) for c in _children(info, "category")]
    category, category_raw = _category(event, cap_categories)

    priority = _priority(info)
    priority_from_rules = priority is None
    if priority is None:
        rules = priority_rules or DEFAULT_PRIORITY_RULES
        priority = rules.get(category, DEFAULT_PRIORITY_RULES[category])

    headline = _child_text(info, "headline")
    title_path = "cap.info.headline" if headline else "cap.info.event"
    title = _free_text(headline or event, title_path, v.MAX_TITLE) or ""
    parts = [_child_text(info, "description"), _child_text(info, "instruction")]
    joined = "\n\n".join(p for p in parts if p)
    description = _free_text(joined, "cap.info.description", v.MAX_DESCRIPTION) or ""

    location, area_desc = _location(info)
    if area_desc is not None:
        extra["areaDesc"] = area_desc
    web = _child_text(info, "web") or ""
    attachments = (web,) if len(web) <= v.MAX_URL and _URL.fullmatch(web) else ()

    return Alert(
        source=source,
        id=alert_id,
        sent=sent,
        category=category,
        category_raw=category_raw,
        priority=priority,
        priority_from_rules=priority_from_rules,
        title=title,
        description=description,
        location=location,
        commune=_commune(info),
        attachments=attachments,
        fmt="cap",
        extra=extra,
    )
