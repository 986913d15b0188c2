"""Where the station's alerts fall: each alert placed once, from its geometry (Qt-free).

The alert book (:mod:`csu_console.core.alert_book`) asks :meth:`AlertPlaces.place`
when an alert enters it, and again only when its issuer revises it (a CAP area may
change); the queue's cells, its filters and its order read :meth:`AlertPlaces.get`.
The commune and secteurs come from the zones containing the alert's position (or
meeting its area): what the citizen typed as commune (``Alert.commune``) is kept as
reported, shown beside when it differs, never used to place the alert.

It also holds what makes an alert "mine" at this station: ``[station] communes``
(:attr:`preferred`). An alert outside the territory counts as mine: nobody else's
queue would show it first, and it must never be pushed down or hidden for lack of
a commune.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from csu_console.core.alerts import StoredAlert
from csu_console.core.territory import COMMUNE_ZONING, NOWHERE, Placement, Territory, ZoneRef

log = logging.getLogger("csu.core.alerts")


def secteur_zoning(territory: Territory) -> str | None:
    """The zoning the queue calls « Secteur »: the first declared one that is not the
    communes' own (None when the site declares no other)."""
    return next((z.id for z in territory.zonings if z.id != COMMUNE_ZONING), None)


class AlertPlaces:
    """Each alert's :class:`Placement` by row id, computed once."""

    def __init__(self, territory: Territory, preferred: Iterable[str] = ()) -> None:
        self.territory = territory
        self.secteur_zoning = secteur_zoning(territory)
        self._by_pk: dict[int, Placement] = {}
        #: The station's communes (``Commune.key``); empty: no commune is preferred.
        self.preferred: frozenset[str] = frozenset(preferred)

    def place(self, item: StoredAlert) -> Placement:
        """Place ``item`` from its position, else its area, and remember it."""
        a = item.alert
        loc = a.location
        try:
            found = self.territory.place(loc.lon if loc else None, loc.lat if loc else None, a.area)
        except (ValueError, TypeError, IndexError) as exc:  # a malformed area: no place
            log.warning("alerte %s : placement impossible (%s)", a.key, exc)
            found = NOWHERE
        self._by_pk[item.pk] = found
        return found

    def of(self, item: StoredAlert) -> Placement:
        """``item``'s placement, placed now if it was not yet (the alarm rings and the
        banner names the place before the queue's next merge)."""
        found = self._by_pk.get(item.pk)
        return found if found is not None else self.place(item)

    def get(self, pk: int) -> Placement:
        """The placement of an alert of the book (:data:`NOWHERE` when unknown)."""
        return self._by_pk.get(pk, NOWHERE)

    def secteurs(self, pk: int) -> tuple[ZoneRef, ...]:
        """The alert's zones of the « Secteur » zoning."""
        zoning = self.secteur_zoning
        return self.get(pk).in_zoning(zoning) if zoning is not None else ()

    def commune_key(self, pk: int) -> str | None:
        """The alert's commune (``Commune.key``), None outside the territory."""
        commune = self.get(pk).commune
        return commune.key if commune is not None else None

    def is_mine(self, pk: int) -> bool:
        """In one of the station's communes, or outside every commune (see the module)."""
        key = self.commune_key(pk)
        return key is None or key in self.preferred

    def forget(self, pks: Iterable[int]) -> None:
        """Alerts that left the book."""
        for pk in pks:
            self._by_pk.pop(pk, None)
