"""Validation of protocol v1 alert objects.

Each function raises :class:`ValidationError` with a precise reason naming the
field (``alert.location.lat``), what was expected and what was received.
Texts are kept verbatim (HTML included: the UI always shows plain text); only
control characters are refused, since they have no business in a report.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from csu_console.core.alerts import (
    DEFAULT_PRIORITY_RULES,
    PRIORITY_MAX,
    PRIORITY_MIN,
    Alert,
    Category,
    Location,
    Reporter,
)
from csu_console.errors import ValidationError

MAX_ID = 200
MAX_SOURCE = 100
MAX_TITLE = 200
MAX_DESCRIPTION = 4000
MAX_ADDRESS = 300
MAX_COMMUNE = 100
MAX_PSEUDONYM = 100
MAX_ATTACHMENTS = 20
MAX_URL = 2000

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$"
)
# Unicode categories Cc (C0, DEL, C1) and Cs (lone surrogates), except \t \n \r.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)


def describe(value: object) -> str:
    """Short, safe description of a received value for a reason text."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "booléen"
    if isinstance(value, int | float):
        return f"nombre {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"chaîne {shown!r}"
    if isinstance(value, list):
        return "liste"
    if isinstance(value, dict):
        return "objet"
    return type(value).__name__


def parse_rfc3339(value: object, path: str) -> datetime:
    """Parse an RFC 3339 timestamp that must carry a UTC offset."""
    if not isinstance(value, str):
        raise ValidationError(f"{path} : date RFC 3339 attendue, reçu {describe(value)}")
    m = _RFC3339.match(value)
    if not m:
        if re.match(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", value):
            raise ValidationError(f"{path} : date sans décalage UTC ({value!r})")
        raise ValidationError(f"{path} : date RFC 3339 illisible ({describe(value)})")
    text = value.replace("z", "Z").replace("t", "T").replace(" ", "T")
    frac = m.group(7)
    if frac and len(frac) > 7:  # Python keeps microseconds only
        text = text.replace(frac, frac[:7])
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(f"{path} : date invalide ({value!r}) : {exc}") from None
    try:
        # Dates are stored in UTC: 0001-01-01T00:00+01:00 has no UTC equivalent.
        parsed.astimezone(UTC)
    except OverflowError:
        raise ValidationError(f"{path} : date hors plage ({value!r})") from None
    return parsed


def check_text(value: object, path: str, max_len: int, *, required: bool = False) -> str | None:
    """Validate a free text: a string, bounded, with no control characters."""
    if value is None:
        if required:
            raise ValidationError(f"{path} : champ obligatoire manquant")
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{path} : texte attendu, reçu {describe(value)}")
    if required and not value.strip():
        raise ValidationError(f"{path} : texte vide")
    if len(value) > max_len:
        raise ValidationError(f"{path} : trop long ({len(value)} caractères, maximum {max_len})")
    bad = _CONTROL.search(value)
    if bad is not None:
        raise ValidationError(
            f"{path} : caractère de contrôle U+{ord(bad.group()):04X} à la position {bad.start()}"
        )
    return value


def check_number(value: object, path: str, low: float, high: float) -> float:
    """A finite JSON number within [low, high] (booleans are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"{path} : nombre attendu, reçu {describe(value)}")
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits: JSON allows it
        raise ValidationError(
            f"{path} : hors plage [{low:g}, {high:g}] (entier démesuré)"
        ) from None
    if not math.isfinite(number):
        raise ValidationError(f"{path} : nombre non fini ({value!r})")
    if not low <= number <= high:
        raise ValidationError(f"{path} : hors plage [{low:g}, {high:g}] (reçu {number!r})")
    return number


def check_position(lat: object, lon: object, path: str) -> tuple[float, float]:
    """Validate a WGS84 latitude/longitude pair."""
    return (
        check_number(lat, f"{path}.lat", -90.0, 90.0),
        check_number(lon, f"{path}.lon", -180.0, 180.0),
    )


def map_category(raw: str) -> tuple[Category, str | None]:
    """Known category, or AUTRE keeping the original text."""
    try:
        return Category(raw), None
    except ValueError:
        return Category.AUTRE, raw


def _object(value: object, path: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError(f"{path} : objet JSON attendu, reçu {describe(value)}")
    return value


def parse_alert_object(obj: object, priority_rules: Mapping[Category, int] | None = None) -> Alert:
    """Validate a protocol v1 ``alert`` object into an :class:`Alert`."""
    rules = priority_rules or DEFAULT_PRIORITY_RULES
    data = _object(obj, "alert")
    alert_id = check_text(data.get("id"), "alert.id", MAX_ID, required=True)
    source = check_text(data.get("source"), "alert.source", MAX_SOURCE, required=True)
    assert alert_id is not None and source is not None
    if "sent" not in data:
        raise ValidationError("alert.sent : champ obligatoire manquant")
    sent = parse_rfc3339(data["sent"], "alert.sent")

    raw_category = data.get("category")
    if raw_category is None:
        raise ValidationError("alert.category : champ obligatoire manquant")
    cat_text = check_text(raw_category, "alert.category", 100, required=True)
    assert cat_text is not None
    category, category_raw = map_category(cat_text.strip())

    priority_from_rules = False
    raw_priority = data.get("priority")
    if raw_priority is None:
        priority = rules.get(category, DEFAULT_PRIORITY_RULES[category])
        priority_from_rules = True
    else:
        if isinstance(raw_priority, bool) or not isinstance(raw_priority, int):
            raise ValidationError(
                f"alert.priority : entier 1 à 4 attendu, reçu {describe(raw_priority)}"
            )
        if not PRIORITY_MIN <= raw_priority <= PRIORITY_MAX:
            raise ValidationError(f"alert.priority : hors plage 1 à 4 (reçu {raw_priority})")
        priority = raw_priority

    title = check_text(data.get("title"), "alert.title", MAX_TITLE) or ""
    description = check_text(data.get("description"), "alert.description", MAX_DESCRIPTION) or ""

    if "location" not in data or data["location"] is None:
        raise ValidationError("alert.location : champ obligatoire manquant")
    loc = _object(data["location"], "alert.location")
    if "lat" not in loc or "lon" not in loc:
        missing = "lat" if "lat" not in loc else "lon"
        raise ValidationError(f"alert.location.{missing} : champ obligatoire manquant")
    lat, lon = check_position(loc["lat"], loc["lon"], "alert.location")
    address = check_text(loc.get("address"), "alert.location.address", MAX_ADDRESS)
    accuracy = loc.get("accuracy_m")
    accuracy_m = (
        None if accuracy is None else check_number(accuracy, "alert.location.accuracy_m", 0, 1e6)
    )
    location = Location(lat=lat, lon=lon, address=address, accuracy_m=accuracy_m)

    commune = check_text(data.get("commune"), "alert.commune", MAX_COMMUNE)
    reporter = None
    if data.get("reporter") is not None:
        rep = _object(data["reporter"], "alert.reporter")
        pseudonym = check_text(rep.get("pseudonym"), "alert.reporter.pseudonym", MAX_PSEUDONYM)
        verified = rep.get("verified", False)
        if not isinstance(verified, bool):
            raise ValidationError(
                f"alert.reporter.verified : booléen attendu, reçu {describe(verified)}"
            )
        reporter = Reporter(pseudonym=pseudonym, verified=verified)

    attachments: list[str] = []
    raw_att = data.get("attachments")
    if raw_att is not None:
        if not isinstance(raw_att, list):
            raise ValidationError(
                f"alert.attachments : liste d'URL attendue, reçu {describe(raw_att)}"
            )
        if len(raw_att) > MAX_ATTACHMENTS:
            raise ValidationError(
                f"alert.attachments : trop de pièces jointes ({len(raw_att)}, "
                f"maximum {MAX_ATTACHMENTS})"
            )
        for i, url in enumerate(raw_att):
            text = check_text(url, f"alert.attachments[{i}]", MAX_URL, required=True)
            assert text is not None
            if not _URL.match(text):
                raise ValidationError(
                    f"alert.attachments[{i}] : URL http(s) attendue, reçu {describe(url)}"
                )
            attachments.append(text)

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
        commune=commune,
        reporter=reporter,
        attachments=tuple(attachments),
        fmt="json",
    )


def utc_now() -> datetime:
    """Aware current time in UTC (one place, so tests can reason about it)."""
    return datetime.now(UTC)
