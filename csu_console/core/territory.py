"""The CSU's territory: communes, zonings and zones, and where an alert falls (Qt-free).

An intercommunal CSU watches several communes (Montbéliard: 73). The installer draws
zones (``zones.geojson``); each zone belongs to one **commune** (INSEE code and
name) and one **zoning** (a way of cutting the territory: the police municipale's
secteurs, the quartiers, the communes themselves…). The zonings are declared in
``site.toml`` (id, label, colour), any number of them.

An alert's commune and secteurs come **from the geometry**: the zones containing
its position (or meeting its area, for a CAP alert without a point). What the
citizen typed as commune is kept as reported (``Alert.commune``) and never
replaces the geometry's answer. An alert outside every zone has no commune
(:data:`Placement.commune` None): the console says « hors territoire ».

:class:`Territory` answers one alert at a time (:meth:`Territory.place`, the live
queue) or a million at once (:meth:`Territory.place_many`, arrays, for the review
and the weak-signal detector). Works on anything shaped like the config's ``Zone``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from csu_console.core.geo import Area
from csu_console.core.review.zoning import zones_at

#: The zoning whose zones are the communes' own outlines, when a site draws them.
COMMUNE_ZONING = "commune"


@dataclass(frozen=True, order=True)
class Commune:
    """A commune: its INSEE code (``"25388"``; may be empty on a one-commune site
    drawn before communes were first class) and its name."""

    insee: str
    name: str

    @property
    def key(self) -> str:
        """What filters, station settings and reports name it by: the INSEE code,
        or the name when there is no code."""
        return self.insee or self.name

    @property
    def label(self) -> str:
        """« Montbéliard (25388) », or the name alone without a code."""
        return f"{self.name} ({self.insee})" if self.insee else self.name


@dataclass(frozen=True)
class Zoning:
    """A way of cutting the territory into zones, declared in ``site.toml``."""

    id: str  # « secteur_pm »
    label: str  # « Secteurs de police municipale »
    colour: str = "#4a90d9"  # #rrggbb, how its zones are drawn


#: The zonings of a site that declares none (the two the console always had).
DEFAULT_ZONINGS: tuple[Zoning, ...] = (
    Zoning("secteur_pm", "Secteurs de police municipale", "#4a90d9"),
    Zoning("quartier", "Quartiers", "#9b6ad6"),
)


class ZoneLike(Protocol):
    """What the territory needs from a zone (``csu_console.config.schema.Zone``)."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def commune(self) -> str: ...  # the commune's name
    @property
    def insee(self) -> str: ...  # the commune's INSEE code ("" when not given)
    @property
    def zoning(self) -> str: ...
    @property
    def area(self) -> Area: ...


@dataclass(frozen=True)
class ZoneRef:
    """A zone as an alert's placement names it."""

    id: str
    name: str
    zoning: str
    commune: Commune


@dataclass(frozen=True)
class Placement:
    """Where an alert falls: its commune and the zones containing it (file order)."""

    commune: Commune | None = None
    zones: tuple[ZoneRef, ...] = ()

    def in_zoning(self, zoning: str) -> tuple[ZoneRef, ...]:
        """The zones of one zoning (a point usually lies in one secteur)."""
        return tuple(z for z in self.zones if z.zoning == zoning)

    @property
    def zone_ids(self) -> tuple[str, ...]:
        return tuple(z.id for z in self.zones)


#: An alert outside every zone.
NOWHERE = Placement()


class Territory:
    """The site's communes, zonings and zones, and the placement of alerts in them.

    ``zonings`` are the declared ones (``DEFAULT_ZONINGS`` when the site declares
    none); a zone's zoning should be one of them (the config check says so). The
    communes are those the zones name, in order of first appearance.

    An alert's commune is the commune of the first zone containing it, preferring a
    zone of the :data:`COMMUNE_ZONING` zoning when the site draws communes.
    """

    def __init__(
        self, zones: Sequence[ZoneLike], zonings: Sequence[Zoning] = DEFAULT_ZONINGS
    ) -> None:
        self.zonings: tuple[Zoning, ...] = tuple(zonings)
        self._zones = tuple(zones)
        communes: dict[str, Commune] = {}
        self._refs: list[ZoneRef] = []
        for zone in self._zones:
            commune = Commune(zone.insee, zone.commune)
            commune = communes.setdefault(commune.key, commune)
            self._refs.append(ZoneRef(zone.id, zone.name, zone.zoning, commune))
        self.communes: tuple[Commune, ...] = tuple(communes.values())
        self._areas = [(z.id, z.area) for z in self._zones]
        self._combos: dict[tuple[str, ...], Placement] = {}

    @property
    def zones(self) -> tuple[ZoneRef, ...]:
        return tuple(self._refs)

    def zoning(self, zoning_id: str) -> Zoning | None:
        return next((z for z in self.zonings if z.id == zoning_id), None)

    def commune(self, key: str) -> Commune | None:
        """The commune of an INSEE code (or a name, for a commune without code)."""
        return next((c for c in self.communes if key in (c.key, c.insee, c.name)), None)

    def zones_of(self, zoning_id: str) -> tuple[ZoneRef, ...]:
        return tuple(z for z in self._refs if z.zoning == zoning_id)

    @property
    def zone_areas(self) -> tuple[tuple[ZoneRef, Area], ...]:
        """Each zone with its shape, in file order (the weak-signal detector tests
        every alert of a scan against them once, in numpy)."""
        return tuple(zip(self._refs, (z.area for z in self._zones), strict=True))

    def place(self, lon: float | None, lat: float | None, area: Area | None = None) -> Placement:
        """Where a point falls; an alert without a point is placed by its ``area``
        (the zones meeting it), and nowhere without either."""
        if lon is not None and lat is not None:
            return self._placement(
                tuple(
                    r
                    for r, z in zip(self._refs, self._zones, strict=True)
                    if z.area.contains(lon, lat)
                )
            )
        if area is not None:
            return self._placement(
                tuple(
                    r for r, z in zip(self._refs, self._zones, strict=True) if _meets(z.area, area)
                )
            )
        return NOWHERE

    def place_many(
        self, lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]
    ) -> list[Placement]:
        """:meth:`place` for arrays (NaN: no position → :data:`NOWHERE`); vectorised."""
        by_id = {r.id: r for r in self._refs}
        return [
            self._placement(tuple(by_id[i] for i in ids)) for ids in zones_at(lon, lat, self._areas)
        ]

    def _placement(self, refs: tuple[ZoneRef, ...]) -> Placement:
        key = tuple(r.id for r in refs)
        found = self._combos.get(key)
        if found is None:
            if not refs:
                found = NOWHERE
            else:
                own = [r for r in refs if r.zoning == COMMUNE_ZONING]
                found = Placement((own or list(refs))[0].commune, refs)
            self._combos[key] = found
        return found


def _meets(zone: Area, area: Area) -> bool:
    """True when two areas overlap, tested on their vertices (one inside the other)
    after their bounding boxes: enough for zones and CAP areas, no full clipping."""
    a, b = zone.bbox, area.bbox
    if a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1]:
        return False
    return any(area.contains(x, y) for x, y in _vertices(zone)) or any(
        zone.contains(x, y) for x, y in _vertices(area)
    )


def _vertices(area: Area) -> Iterable[tuple[float, float]]:
    for polygon in area.polygons:
        yield from polygon[0]
