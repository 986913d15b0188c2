"""Partners' CAP 1.2 documents for the simulator: floods, storms, forest fires.

:class:`RiskFeed` plays what real partner feeds send, not only new alerts: a flood
sensor's alert with its polygon, later an Update that raises it, later a Cancel; a
weather vigilance in French and English whose area is only a geocode (the site's
zone id); a prefecture's forest-fire *exercise*. Every document is built by
:func:`cap_document` from plain values, so tests can make their own.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from xml.sax.saxutils import escape

SENDER_FLOOD = "capteurs-crue@ville.example"
SENDER_WEATHER = "vigilance@meteo.example"
SENDER_PREFECTURE = "sidpc@prefecture.example"

Sampler = Callable[[random.Random], tuple[float, float]]  # -> (lon, lat)


@dataclass(frozen=True)
class Area:
    """One ``<area>``: a description and any of a polygon, circle or geocodes."""

    desc: str
    polygon: Sequence[tuple[float, float]] = ()  # (lon, lat), closed or not
    circle: tuple[float, float, float] | None = None  # lon, lat, radius km
    geocodes: Sequence[tuple[str, str]] = ()


@dataclass(frozen=True)
class Info:
    """One ``<info>`` block."""

    language: str
    category: str
    event: str
    urgency: str
    severity: str
    certainty: str
    headline: str
    description: str = ""
    instruction: str = ""
    sender_name: str = ""
    expires: datetime | None = None
    areas: Sequence[Area] = ()


@dataclass(frozen=True)
class Document:
    """The header of a CAP message and its blocks."""

    identifier: str
    sender: str
    sent: datetime
    msg_type: str = "Alert"
    status: str = "Actual"
    scope: str = "Public"
    references: Sequence[tuple[str, str, datetime]] = ()
    note: str = ""
    infos: Sequence[Info] = ()


def cap_time(value: datetime) -> str:
    """CAP's dateTime: seconds, explicit offset (``-00:00`` forbidden by the spec for UTC)."""
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


def _area_xml(area: Area) -> str:
    parts = [f"      <areaDesc>{escape(area.desc)}</areaDesc>"]
    if area.polygon:
        ring = list(area.polygon)
        if ring[0] != ring[-1]:
            ring.append(ring[0])
        pairs = " ".join(f"{lat:.5f},{lon:.5f}" for lon, lat in ring)
        parts.append(f"      <polygon>{pairs}</polygon>")
    if area.circle is not None:
        lon, lat, radius = area.circle
        parts.append(f"      <circle>{lat:.5f},{lon:.5f} {radius:g}</circle>")
    for name, value in area.geocodes:
        parts.append(
            f"      <geocode><valueName>{escape(name)}</valueName>"
            f"<value>{escape(value)}</value></geocode>"
        )
    return "    <area>\n" + "\n".join(parts) + "\n    </area>"


def _info_xml(info: Info) -> str:
    lines = [
        f"    <language>{info.language}</language>",
        f"    <category>{info.category}</category>",
        f"    <event>{escape(info.event)}</event>",
        f"    <urgency>{info.urgency}</urgency>",
        f"    <severity>{info.severity}</severity>",
        f"    <certainty>{info.certainty}</certainty>",
    ]
    if info.expires is not None:
        lines.append(f"    <expires>{cap_time(info.expires)}</expires>")
    if info.sender_name:
        lines.append(f"    <senderName>{escape(info.sender_name)}</senderName>")
    lines.append(f"    <headline>{escape(info.headline)}</headline>")
    if info.description:
        lines.append(f"    <description>{escape(info.description)}</description>")
    if info.instruction:
        lines.append(f"    <instruction>{escape(info.instruction)}</instruction>")
    lines += [_area_xml(a) for a in info.areas]
    return "  <info>\n" + "\n".join(lines) + "\n  </info>"


def cap_document(doc: Document) -> str:
    """The CAP 1.2 XML of ``doc`` (UTF-8 declared)."""
    head = [
        f"  <identifier>{escape(doc.identifier)}</identifier>",
        f"  <sender>{escape(doc.sender)}</sender>",
        f"  <sent>{cap_time(doc.sent)}</sent>",
        f"  <status>{doc.status}</status>",
        f"  <msgType>{doc.msg_type}</msgType>",
        f"  <scope>{doc.scope}</scope>",
    ]
    if doc.note:
        head.append(f"  <note>{escape(doc.note)}</note>")
    if doc.references:
        refs = " ".join(f"{s},{i},{cap_time(t)}" for s, i, t in doc.references)
        head.append(f"  <references>{escape(refs)}</references>")
    body = "\n".join([*head, *(_info_xml(i) for i in doc.infos)])
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">\n' + body + "\n</alert>"
    )


def blob(
    lon: float, lat: float, radius_m: float, rng: random.Random, vertices: int = 16
) -> list[tuple[float, float]]:
    """An irregular ring of ``vertices`` points around (lon, lat): a flooded area."""
    ring = []
    for k in range(vertices):
        angle = 2 * math.pi * k / vertices
        r = radius_m * rng.uniform(0.6, 1.0)
        dlat = r * math.cos(angle) / 111_320.0
        dlon = r * math.sin(angle) / (111_320.0 * math.cos(math.radians(lat)))
        ring.append((lon + dlon, lat + dlat))
    return ring


@dataclass
class _Live:
    """An alert a partner sent and may update or cancel."""

    sender: str
    identifier: str
    sent: datetime
    document: Document
    refs: list[tuple[str, str, datetime]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.refs.append((self.sender, self.identifier, self.sent))


@dataclass
class RiskFeed:
    """Partners' risk alerts over the site's zones, with their life cycle.

    ``next()`` returns (xml, sender, identifier). With ``lifecycle`` (the demo's
    ``csu-sim --cap-lifecycle``), about one message in four updates or cancels an
    earlier one, as a flood sensor's feed does; without it every message is a new
    alert (tests that count the alerts a gateway sent).
    """

    zones: Sequence[tuple[str, str, str, Sampler]]  # (id, name, commune, sampler)
    rng: random.Random
    next_id: Callable[[str], str]
    lifecycle: bool = False
    live: list[_Live] = field(default_factory=list)

    def next(self, now: datetime | None = None) -> tuple[str, str, str]:
        now = (now or datetime.now(UTC)).replace(microsecond=0)
        roll = self.rng.random()
        if not self.lifecycle:
            roll = 0.25 + roll * 0.75
        if self.live and roll < 0.15:
            doc = self._update(self.rng.choice(self.live), now)
        elif self.live and roll < 0.25:
            doc = self._cancel(self.live.pop(self.rng.randrange(len(self.live))), now)
        elif roll < 0.70:
            doc = self._flood(now)
        elif roll < 0.88:
            doc = self._weather(now)
        else:
            doc = self._forest_fire_exercise(now)
        if doc.msg_type == "Alert" and doc.status == "Actual":
            self.live.append(_Live(doc.sender, doc.identifier, doc.sent, doc))
            del self.live[:-20]
        return cap_document(doc), doc.sender, doc.identifier

    def _zone(self) -> tuple[str, str, str, Sampler]:
        return self.rng.choice(list(self.zones))

    def _flood(
        self, now: datetime, severity: str = "Severe", level: float | None = None
    ) -> Document:
        _zone_id, name, commune, sample = self._zone()
        lon, lat = sample(self.rng)
        level = level if level is not None else self.rng.choice([0.6, 0.9, 1.2])
        ring = blob(lon, lat, self.rng.uniform(120, 320), self.rng)
        expires = now + timedelta(hours=2)
        fr = Info(
            "fr-FR", "Met", "Inondation", "Immediate" if level > 1 else "Expected", severity,
            "Observed", f"Crue : {level:.1f} m au capteur de {name}",
            f"Le capteur de crue de {name} ({commune}) mesure {level:.1f} m. "
            "Chaussées submergées dans la zone.",
            "Interdire l'accès aux berges et aux passages souterrains.",
            "Service des eaux", expires, (Area(f"{name} – zone inondable", polygon=ring),),
        )  # fmt: skip
        en = Info(
            "en-GB", "Met", "Flood", fr.urgency, severity, "Observed",
            f"Flood: {level:.1f} m at the {name} gauge", expires=expires,
            areas=(Area(f"{name} – flood area", polygon=ring),),
        )  # fmt: skip
        return Document(self.next_id("crue"), SENDER_FLOOD, now, infos=(fr, en))

    def _weather(self, now: datetime) -> Document:
        zone_id, name, commune, _sample = self._zone()
        phenomenon, event_en = self.rng.choice(
            [
                ("orages", "Thunderstorms"),
                ("vent violent", "Severe wind"),
                ("neige-verglas", "Snow and ice"),
            ]
        )  # fmt: skip
        colour, severity = self.rng.choice([("jaune", "Moderate"), ("orange", "Severe")])
        expires = now + timedelta(hours=6)
        area = Area(f"{commune} – {name}", geocodes=(("zone", zone_id),))
        fr = Info(
            "fr-FR", "Met", f"Vigilance {colour} {phenomenon}", "Future", severity, "Likely",
            f"Vigilance {colour} {phenomenon} sur {commune}",
            f"Épisode de {phenomenon} attendu en fin de journée.",
            "Limitez vos déplacements. Ne vous abritez pas sous les arbres.",
            "Météo", expires, (area,),
        )  # fmt: skip
        en = Info(
            "en-GB", "Met", f"{event_en} warning", "Future", severity, "Likely",
            f"{colour.capitalize()} warning: {event_en.lower()}", expires=expires, areas=(area,),
        )  # fmt: skip
        return Document(self.next_id("vigilance"), SENDER_WEATHER, now, infos=(fr, en))

    def _forest_fire_exercise(self, now: datetime) -> Document:
        _zone_id, name, commune, sample = self._zone()
        lon, lat = sample(self.rng)
        fr = Info(
            "fr-FR", "Fire", "Feu de forêt", "Immediate", "Severe", "Observed",
            f"EXERCICE – Feu de forêt près de {name}",
            "Exercice départemental : départ de feu simulé en lisière. Aucune action réelle.",
            sender_name="Préfecture – SIDPC", expires=now + timedelta(hours=1),
            areas=(Area(f"{commune} – massif (exercice)", circle=(lon, lat, 0.4)),),
        )  # fmt: skip
        return Document(
            self.next_id("exercice"), SENDER_PREFECTURE, now, status="Exercise", infos=(fr,)
        )

    def _update(self, live: _Live, now: datetime) -> Document:
        previous = live.document
        infos = tuple(
            Info(
                i.language,
                i.category,
                i.event,
                "Immediate",
                "Extreme",
                "Observed",
                ("Aggravation : " if i.language.startswith("fr") else "Worsening: ") + i.headline,
                i.description,
                i.instruction,
                i.sender_name,
                now + timedelta(hours=3),
                i.areas,
            )
            for i in previous.infos
        )
        doc = Document(
            self.next_id("maj"), live.sender, now, msg_type="Update",
            references=tuple(live.refs), infos=infos,
        )  # fmt: skip
        live.document = doc
        live.refs.append((doc.sender, doc.identifier, doc.sent))
        return doc

    def _cancel(self, live: _Live, now: datetime) -> Document:
        return Document(
            self.next_id("annul"), live.sender, now, msg_type="Cancel",
            references=tuple(live.refs),
            note="Fin de l'événement : niveau revenu à la normale.",
        )  # fmt: skip
