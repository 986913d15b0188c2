"""The site's zones as the review reads them, with their communes and zonings (Qt-free).

The review places alerts **at query time** from their positions (see
:mod:`~csu_console.core.review.zoning`): the zones, their zonings and their
communes are those the supervisor sees on the map today. A :class:`ReviewZones`
is a sequence of ``(zone id, area)`` pairs (what the queries always took) that also
knows, through the site's :class:`~csu_console.core.territory.Territory`, which
commune and which zoning each zone belongs to: an alert's commune is the one the
territory gives for the zones containing it (:meth:`ReviewZones.commune_of`, the
same rule as :meth:`Territory.place`), never what the citizen typed (kept as
« commune déclarée »).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import overload

from csu_console.core.geo import Area
from csu_console.core.territory import (
    COMMUNE_ZONING,
    DEFAULT_ZONINGS,
    Commune,
    Territory,
    ZoneLike,
    ZoneRef,
    Zoning,
)

Shape = tuple[str, Area]

#: What the review says of an alert outside every zone.
OUTSIDE_LABEL = "Hors territoire"


class ReviewZones(Sequence[Shape]):
    """The site's zones in file order as ``(id, area)`` pairs, and their territory."""

    def __init__(self, zones: Sequence[ZoneLike] = (), zonings: Sequence[Zoning] = DEFAULT_ZONINGS):
        self.territory = Territory(zones, zonings)
        self._shapes: tuple[Shape, ...] = tuple((z.id, z.area) for z in zones)
        self._refs: dict[str, ZoneRef] = {r.id: r for r in self.territory.zones}
        self._communes: dict[tuple[str, ...], Commune | None] = {(): None}
        self._sectors: dict[tuple[str, ...], str] = {}

    @overload
    def __getitem__(self, index: int) -> Shape: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Shape]: ...
    def __getitem__(self, index: int | slice) -> Shape | Sequence[Shape]:
        return self._shapes[index]

    def __len__(self) -> int:
        return len(self._shapes)

    def __iter__(self) -> Iterator[Shape]:
        return iter(self._shapes)

    def __repr__(self) -> str:
        return f"ReviewZones({len(self._shapes)} zones, {len(self.communes)} communes)"

    @property
    def communes(self) -> tuple[Commune, ...]:
        return self.territory.communes

    @property
    def names(self) -> dict[str, str]:
        """Zone id → its name."""
        return {r.id: r.name for r in self._refs.values()}

    def ref(self, zone_id: str) -> ZoneRef | None:
        return self._refs.get(zone_id)

    def commune_of(self, zone_ids: tuple[str, ...]) -> Commune | None:
        """The commune of an alert lying in ``zone_ids`` (None: outside every zone):
        the commune of its first zone, preferring one of the communes' own zoning."""
        found = self._communes.get(zone_ids, ...)
        if found is ...:
            refs = [r for r in (self._refs.get(z) for z in zone_ids) if r is not None]
            own = [r for r in refs if r.zoning == COMMUNE_ZONING]
            found = (own or refs)[0].commune if refs else None
            self._communes[zone_ids] = found
        return found

    def commune_key(self, zone_ids: tuple[str, ...]) -> str | None:
        commune = self.commune_of(zone_ids)
        return None if commune is None else commune.key

    def commune_label(self, zone_ids: tuple[str, ...]) -> str:
        """« Montbéliard (25388) », or « » outside every zone."""
        commune = self.commune_of(zone_ids)
        return "" if commune is None else commune.label

    def sector_name(self, zone_ids: tuple[str, ...]) -> str:
        """The name of the alert's zone in the first declared zoning other than the
        communes' (its secteur, usually); « » when it lies in none."""
        found = self._sectors.get(zone_ids)
        if found is None:
            order = {z.id: n for n, z in enumerate(self.territory.zonings)}
            refs = [r for r in (self._refs.get(z) for z in zone_ids)
                    if r is not None and r.zoning != COMMUNE_ZONING]  # fmt: skip
            refs.sort(key=lambda r: order.get(r.zoning, len(order)))
            found = self._sectors[zone_ids] = refs[0].name if refs else ""
        return found

    def of_communes(self, keys: Collection[str]) -> list[Shape]:
        """The zones belonging to the communes of ``keys`` (to narrow SQL by their box)."""
        return [
            (zid, area)
            for zid, area in self._shapes
            if (ref := self._refs.get(zid)) is not None and ref.commune.key in keys
        ]

    def zoning_groups(self) -> list[tuple[Zoning, list[ZoneRef]]]:
        """Each zoning with zones, declared order first (a zone of an undeclared
        zoning gets a zoning of its own, labelled by its id), zones by name."""
        out: list[tuple[Zoning, list[ZoneRef]]] = []
        declared = {z.id for z in self.territory.zonings}
        extra = [Zoning(i, i) for i in dict.fromkeys(r.zoning for r in self._refs.values())
                 if i not in declared]  # fmt: skip
        for zoning in (*self.territory.zonings, *extra):
            zones = sorted(self.territory.zones_of(zoning.id), key=lambda r: r.name)
            if zones:
                out.append((zoning, zones))
        return out


def commune_label_of(zones: Sequence[Shape], zone_ids: tuple[str, ...]) -> str:
    """:meth:`ReviewZones.commune_label` for any zones (plain pairs know no commune)."""
    return zones.commune_label(zone_ids) if isinstance(zones, ReviewZones) else ""
