"""Geocode-only CAP areas placed through the site's table (no Qt).

A partner may describe an ``<area>`` only by geocodes: an INSEE commune code, a
département number, a NUTS3 region, its own codes. :class:`GeocodeTable` (a
:class:`~csu_console.core.cap_facts.GeocodeResolver`) turns them into shapes, from
what the site config says (``[cap]`` in site.toml, see
:mod:`csu_console.config.cap_section`):

1. an entry of the table for the geocode (``"INSEE:30189" = ["centre", "gare"]``,
   or the features of ``geocodes_file``): the union of its shapes;
2. else a geocode whose value is one of the site's zone ids: that zone's outline.

``valueName`` spellings are normalised (:func:`geocode_key`): « INSEE », « code_insee »,
« INSEE_COM », « CODGEO »… are one kind, ``INSEE``; « DEPT », « département »,
« code_departement »… are ``DEPT`` (« 030 », « FR-30 » → ``30``); « NUTS3 »,
« NUTS_ID » are ``NUTS3``. Any other name is kept as written, upper-cased
(``EMMA_ID``, ``WARNCELLID``, ``SAME``…), so any partner code can be listed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from csu_console.core.geo import Area, PolygonCoords

GeocodeKey = tuple[str, str]
"""A normalised geocode: (kind, value), e.g. ``("INSEE", "30189")``."""

#: INSEE commune codes (Code officiel géographique).
INSEE = "INSEE"
#: Département numbers (``30``, ``2A``, ``971``).
DEPT = "DEPT"
#: Eurostat NUTS 3 regions (``FRJ12``).
NUTS3 = "NUTS3"
#: The site's own zone ids.
ZONE = "ZONE"

#: valueName spellings (normalised: upper case, no accents, ``_`` for separators).
KIND_SYNONYMS: dict[str, str] = {
    **dict.fromkeys(
        (
            "INSEE",
            "CODE_INSEE",
            "INSEE_CODE",
            "INSEE_COMMUNE",
            "INSEE_COM",
            "COMMUNE_INSEE",
            "CODE_COMMUNE",
            "CODECOMMUNE",
            "COM_CODE",
            "CODE_COM",
            "COMMUNE",
            "CODGEO",
            "COG",
            "FR_INSEE",
        ),
        INSEE,
    ),
    **dict.fromkeys(
        (
            "DEPT",
            "DEP",
            "DPT",
            "DEPARTEMENT",
            "CODE_DEPARTEMENT",
            "CODEDEPARTEMENT",
            "CODE_DEPT",
            "CODE_DEP",
            "DEP_CODE",
            "DEPT_CODE",
            "INSEE_DEP",
            "NUM_DEP",
            "NUMERO_DEPARTEMENT",
        ),
        DEPT,
    ),
    **dict.fromkeys(("NUTS3", "NUTS_3", "NUTS", "NUTS_ID", "NUTS_CODE"), NUTS3),
    **dict.fromkeys(("ZONE", "ZONE_ID", "CSU_ZONE"), ZONE),
}

_SEPARATORS = re.compile(r"[\s\-./]+")
_ISO_DEPT = re.compile(r"^FR-?(\d{2,3}|2[AB])$")


def kind_of(value_name: str) -> str:
    """The normalised kind of a ``valueName`` (« code_insee » → ``INSEE``)."""
    plain = unicodedata.normalize("NFKD", value_name.strip())
    plain = "".join(c for c in plain if not unicodedata.combining(c)).upper()
    plain = _SEPARATORS.sub("_", plain).strip("_")
    if plain in ("ISO3166_2", "ISO_3166_2"):
        return DEPT  # FR-30: a département (other countries' codes do not match)
    return KIND_SYNONYMS.get(plain, plain)


def normalise_value(kind: str, value: str) -> str:
    """A geocode value as the table keeps it: trimmed, upper case; INSEE codes on five
    characters (« 1004 » → ``01004``, a spreadsheet's lost zero); département numbers
    without extra zeros nor ``FR-`` (« 030 », « FR-30 » → ``30``; « 1 » → ``01``)."""
    text = "".join(value.split()).upper()
    if kind == INSEE and text.isdigit() and len(text) == 4:
        return text.zfill(5)
    if kind == DEPT:
        iso = _ISO_DEPT.match(text)
        if iso:
            text = iso[1]
        if text.isdigit():
            return (text.lstrip("0") or "0").zfill(2)
    return text


def geocode_key(value_name: str, value: str) -> GeocodeKey:
    """The table key of ``<geocode><valueName>…</valueName><value>…</value>``."""
    kind = kind_of(value_name)
    return (kind, normalise_value(kind, value))


def parse_key(text: str) -> GeocodeKey:
    """``"INSEE:30189"`` → ``("INSEE", "30189")``; ``ValueError`` without ``NOM:valeur``."""
    name, sep, value = text.partition(":")
    if not sep or not name.strip() or not value.strip():
        raise ValueError(text)
    return geocode_key(name, value)


def key_text(key: GeocodeKey) -> str:
    """``("INSEE", "30189")`` → ``"INSEE:30189"`` (as written in site.toml)."""
    return f"{key[0]}:{key[1]}"


def union(areas: Iterable[Area]) -> Area | None:
    """Every polygon of ``areas`` as one MultiPolygon-like :class:`Area` (a polygon
    given twice is kept once); None when there is none. Overlaps are not merged:
    :meth:`Area.contains` and the ranking treat the polygons as a union."""
    polygons: dict[PolygonCoords, None] = {}
    for area in areas:
        polygons.update(dict.fromkeys(area.polygons))
    return Area(tuple(polygons)) if polygons else None


class ZoneShape(Protocol):
    """A site zone (``csu_console.config.schema.Zone``)."""

    @property
    def id(self) -> str: ...
    @property
    def area(self) -> Area: ...


class GeocodeTable:
    """The site's geocode table: a :class:`~csu_console.core.cap_facts.GeocodeResolver`.

    ``zones`` are the site's zones (their ids resolve by themselves); ``entries``
    maps a normalised key to zone ids (``[cap.geocodes]``); ``shapes`` maps a key
    to shapes of its own (``geocodes_file``). An entry names zones of ``zones``
    (unknown ids are the config check's business and are skipped here).
    """

    def __init__(
        self,
        zones: Sequence[ZoneShape] = (),
        entries: Mapping[GeocodeKey, Sequence[str]] | None = None,
        shapes: Mapping[GeocodeKey, Sequence[Area]] | None = None,
    ) -> None:
        by_id = {z.id: z.area for z in zones}
        self._zones = by_id
        self._zones_folded = {zid.casefold(): area for zid, area in by_id.items()}
        resolved: dict[GeocodeKey, Area] = {}
        for key, found in (shapes or {}).items():
            area = union(found)
            if area is not None:
                resolved[key] = area
        # The installer's entries win over the file: they correct it.
        for key, zone_ids in (entries or {}).items():
            area = union(by_id[z] for z in zone_ids if z in by_id)
            if area is not None:
                resolved[key] = area
        for zid, area in by_id.items():
            resolved.setdefault((ZONE, normalise_value(ZONE, zid)), area)
        self._table = resolved

    def __len__(self) -> int:
        """Keys that resolve (the zones' own ids included)."""
        return len(self._table)

    def codes(self) -> list[GeocodeKey]:
        """Every key that resolves, sorted."""
        return sorted(self._table)

    def resolve(self, value_name: str, value: str) -> Area | None:
        """The shape of one geocode, or None (the area stays « sans localisation »)."""
        key = geocode_key(value_name, value)
        found = self._table.get(key)
        if found is not None:
            return found
        plain = value.strip()
        return self._zones.get(plain) or self._zones_folded.get(plain.casefold())

    def resolve_all(self, geocodes: Iterable[tuple[str, str]]) -> Area | None:
        """The union of every geocode of an ``<area>`` that resolves; None if none does."""
        return union(a for name, value in geocodes if (a := self.resolve(name, value)))
