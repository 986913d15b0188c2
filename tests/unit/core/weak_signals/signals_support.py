"""A small intercommunal territory for the weak-signal tests: two communes of
three secteurs each (600 m squares side by side), and two quartiers drawn across
them; plus helpers to score a scan against what was planted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from csu_console.core.geo import Area
from csu_console.core.territory import Territory
from csu_console.core.weak_signals.generator import Planted
from csu_console.core.weak_signals.model import Signal

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
LON0, LAT0 = 6.80, 47.50  # Montbéliard, roughly
DLON = 600 / (111_320 * 0.6756)  # 600 m at 47.5° N
DLAT = 600 / 110_540


@dataclass(frozen=True)
class _Zone:
    id: str
    name: str
    commune: str
    insee: str
    zoning: str
    area: Area


def _square(x0: float, y0: float, x1: float, y1: float) -> Area:
    return Area((((((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))),),))


def make_territory() -> Territory:
    zones = []
    communes = (("Montbéliard", "25388"), ("Audincourt", "25031"))
    for i in range(6):
        commune, insee = communes[i // 3]
        col, row = i % 3, i // 3
        x0, y0 = LON0 + col * DLON, LAT0 + row * DLAT
        zones.append(
            _Zone(f"secteur-{i + 1}", f"Secteur {i + 1}", commune, insee, "secteur_pm",
                  _square(x0, y0, x0 + DLON, y0 + DLAT))
        )  # fmt: skip
    zones.append(_Zone("quartier-ouest", "Quartier Ouest", "Montbéliard", "25388", "quartier",
                       _square(LON0, LAT0, LON0 + 1.5 * DLON, LAT0 + 2 * DLAT)))  # fmt: skip
    east = _square(LON0 + 1.5 * DLON, LAT0, LON0 + 3 * DLON, LAT0 + 2 * DLAT)
    zones.append(_Zone("quartier-est", "Quartier Est", "Audincourt", "25031", "quartier", east))
    return Territory(zones)


def found(planted: Planted, signals: list[Signal]) -> bool:
    """A planted signal is found when a signal of its kind holds at least half of
    its alerts."""
    keys = set(planted.keys)
    return any(
        s.kind == planted.kind and len(keys & set(s.alerts)) * 2 >= len(keys) for s in signals
    )


def false_signals(planted: list[Planted], signals: list[Signal]) -> list[Signal]:
    """The signals that hold none of the planted alerts."""
    keys = {k for p in planted for k in p.keys}
    return [s for s in signals if not keys & set(s.alerts)]
