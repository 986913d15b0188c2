"""CAP ``<info>`` blocks: each one read whole, then the one shown chosen.

The block shown: among the blocks of the preferred language — French (``language``
starting with "fr"), else English ("en"), else the first block's language (no
``<language>`` means "en-US") — the most urgent one, the first on a tie.

Translations: a block in another language (primary subtag) whose category is one of
the categories of the preferred language's blocks translates one of them. Every other
block is a different event: the alert then has ``translations=False``, the most urgent
priority among the events, and their list in its description.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from xml.etree.ElementTree import Element

from csu_console.core import validate as v
from csu_console.core.alerts import DEFAULT_PRIORITY_RULES, Category
from csu_console.core.cap._xml import MAX_CODE, child_text, children
from csu_console.core.cap._xml import field as text_field
from csu_console.core.cap._xml import text as element_text
from csu_console.core.cap.areas import Placement, ShapeCache, read_areas
from csu_console.core.cap.categories import categorize, is_test_event, phenomenon
from csu_console.core.cap.resources import read_resources
from csu_console.core.cap_facts import CapInfo, CapResource, GeocodeResolver
from csu_console.errors import ValidationError

DEFAULT_LANGUAGE = "en-US"
_SEVERITY_PRIORITY = {"extreme": 1, "severe": 2, "moderate": 3, "minor": 4}
_SEVERITY_FR = {
    "extreme": "extrême",
    "severe": "sévère",
    "moderate": "modérée",
    "minor": "mineure",
    "unknown": "",
}
_HINTS = ("awareness_type", "eventtype", "event_type")  # MeteoAlarm & co: category hints
_MAX_EVENT = 500
_MAX_META = 300
_MAX_DATE = 64


@dataclass
class Block:
    """One ``<info>`` as read, with what the alert needs from it."""

    info: CapInfo
    category: Category
    priority: int | None  # from severity/urgency; None: the category's rule
    rank: int  # priority, else the rule
    placement: Placement
    resources: list[CapResource]
    expires: datetime | None
    phenomenon: str | None
    commune: str | None
    codes: dict[str, str] = field(default_factory=dict)
    is_test: bool = False  # a test by its SAME code or event (IPAWS RMT), whatever its status

    @property
    def primary_language(self) -> str:
        """ "fr" of "fr-FR"."""
        return self.info.language.casefold().split("-")[0]


def block_priority(severity: str, urgency: str) -> int | None:
    """Extreme or Immediate → 1, Severe 2, Moderate 3, Minor 4, else None (rules)."""
    severity = severity.casefold()
    if severity == "extreme" or urgency.casefold() == "immediate":
        return 1
    return _SEVERITY_PRIORITY.get(severity)


def read_block(
    info: Element,
    index: int,
    rules: Mapping[Category, int],
    geocodes: GeocodeResolver | None,
    warnings: list[str],
    seen: ShapeCache,
) -> Block:
    """Read one ``<info>`` element (``index``: its rank, for the field paths)."""
    path = f"cap.info[{index}]" if index else "cap.info"

    def get(name: str, limit: int) -> str:
        return text_field(info, name, path, limit)

    language = get("language", MAX_CODE) or DEFAULT_LANGUAGE
    event = get("event", _MAX_EVENT)
    codes_raw = [element_text(c) for c in children(info, "category")]
    categories = tuple(v.check_text(c, f"{path}.category", MAX_CODE) or "" for c in codes_raw)
    urgency, severity, certainty = (get(n, MAX_CODE) for n in ("urgency", "severity", "certainty"))
    commune: str | None = None
    hints: list[str] = []
    for parameter in children(info, "parameter"):
        name = (child_text(parameter, "valueName") or "").casefold()
        if name == "commune" and commune is None:
            value = child_text(parameter, "value")
            commune = v.check_text(value, f"{path}.parameter.commune", v.MAX_COMMUNE) or None
        elif name in _HINTS:
            hints.append((child_text(parameter, "value") or "")[:200])
    same = [
        child_text(code, "value") or ""
        for code in children(info, "eventCode")
        if (child_text(code, "valueName") or "").casefold() in ("same", "eas")
    ]
    topic = " ".join([event, *hints])
    headline = get("headline", _MAX_EVENT)
    category = categorize(topic, categories, same, headline)
    priority = block_priority(severity, urgency)
    rule = rules.get(category, DEFAULT_PRIORITY_RULES[category])
    rank = priority if priority is not None else rule

    placement = Placement()
    areas = read_areas(info, path, geocodes, placement, seen)
    warnings.extend(placement.warnings)
    placement.warnings.clear()
    dates = {n: get(n, _MAX_DATE) for n in ("effective", "onset", "expires")}
    expires: datetime | None = None
    if dates["expires"]:
        try:
            expires = v.parse_rfc3339(dates["expires"], f"{path}.expires")
        except ValidationError as exc:
            warnings.append(f"{exc.reason} : date ignorée")
    capinfo = CapInfo(
        language=language,
        event=event,
        categories=categories,
        headline=headline,
        description=get("description", v.MAX_DESCRIPTION),
        instruction=get("instruction", v.MAX_DESCRIPTION),
        urgency=urgency,
        severity=severity,
        certainty=certainty,
        sender_name=get("senderName", _MAX_META),
        web=get("web", v.MAX_URL),
        contact=get("contact", _MAX_META),
        effective=dates["effective"],
        onset=dates["onset"],
        expires=dates["expires"],
        areas=tuple(areas),
        priority=priority,
        category=category.value,
    )
    codes = {"urgency": urgency, "severity": severity, "certainty": certainty}
    return Block(
        info=capinfo,
        category=category,
        priority=priority,
        rank=rank,
        placement=placement,
        resources=read_resources(info, path, warnings),
        expires=expires,
        phenomenon=phenomenon(topic) if category is Category.METEO else None,
        commune=commune,
        codes={k: c for k, c in codes.items() if c},
        is_test=is_test_event(event, same),
    )


def choose(blocks: list[Block]) -> tuple[int, list[int]]:
    """The index of the block shown and those of the other events (see the module)."""
    languages = [b.info.language.casefold() for b in blocks]
    for prefix in ("fr", "en"):
        group = [i for i, lang in enumerate(languages) if lang.startswith(prefix)]
        if group:
            break
    else:
        first = blocks[0].primary_language
        group = [i for i, b in enumerate(blocks) if b.primary_language == first]
    chosen = min(group, key=lambda i: (blocks[i].rank, i))
    group_categories = {blocks[i].category for i in group}
    group_language = blocks[chosen].primary_language
    others = [
        i
        for i, b in enumerate(blocks)
        if i != chosen
        and (
            i in group or b.primary_language == group_language or b.category not in group_categories
        )
    ]
    return chosen, others


def others_section(blocks: list[Block], others: list[int]) -> str:
    """The other events of the message, one line each, for the description."""
    lines = ["Autres événements dans ce message :"]
    for i in others:
        info = blocks[i].info
        what = info.headline or info.event or "événement sans titre"
        severity = _SEVERITY_FR.get(info.severity.casefold(), info.severity)
        details = [d for d in (severity, info.language) if d]
        places = ", ".join(a.desc for a in info.areas if a.desc)
        line = f"– {what}" + (f" ({', '.join(details)})" if details else "")
        lines.append(line + (f" : {places}" if places else ""))
    return "\n".join(lines)
