"""Builders for the weak-signal storage, runner and screen tests: stored alerts at the
demo site's zones, and a stand-in scan engine.

The stand-in detector (:func:`count_detect`) is NOT the real one (helper B's
``core.weak_signals``): it flags a category with at least ``MIN_COUNT`` alerts in
the window, so that the storage, the schedule and the screen can be tested on
known findings. The end-to-end tests use the real detector and generator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from csu_console.config import load_site
from csu_console.config.schema import SiteConfig
from csu_console.core.alerts import Alert, Category, Location
from csu_console.core.protocol import AlertMessage
from csu_console.core.territory import Territory
from csu_console.core.weak_signals.model import AlertHistory, Signal, SignalKind, signal_id
from csu_console.storage.signal_scan import ScanEngine
from csu_console.storage.store import Store

CONFIG = Path(__file__).resolve().parents[1] / "config"
MIN_COUNT = 3


def demo_site() -> SiteConfig:
    return load_site(CONFIG)


def point_in(site: SiteConfig, zone_id: str) -> tuple[float, float]:
    """A point inside the zone (its bbox's centre, nudged until inside)."""
    zone = next(z for z in site.zones if z.id == zone_id)
    w, s, e, n = zone.area.bbox
    for fx in np.linspace(0.5, 0.1, 9):
        for fy in (0.5, 0.4, 0.6, 0.3, 0.7):
            lon, lat = w + (e - w) * fx, s + (n - s) * fy
            if zone.area.contains(lon, lat):
                return float(lon), float(lat)
    raise AssertionError(f"no point found in {zone_id}")


def alert_msg(
    seq: int,
    sent: datetime,
    category: Category = Category.DEMARCHAGE_ABUSIF,
    where: tuple[float, float] | None = None,
    text: str = "Démarcheur insistant",
    address: str = "Rue de la Gare",
) -> AlertMessage:
    loc = None if where is None else Location(where[1], where[0], address, 10.0)
    alert = Alert(
        source="voisins-vigilants", id=f"S-{seq:05d}", sent=sent, category=category,
        priority=3, title=text, description=text, location=loc, commune="Helsinki",
    )  # fmt: skip
    return AlertMessage(seq, alert)


def store_alerts(store: Store, messages: list[AlertMessage], at: datetime) -> None:
    store.commit_batch(messages, "poste-1", at)


def simple_load(store: Store, start: datetime, end: datetime) -> AlertHistory:
    """Stand-in history loader: the alerts reported in [start, end)."""
    rows = store.conn.execute(
        "SELECT sent, lon, lat, category, source, alert_id, title FROM alerts"
        " WHERE sent >= ? AND sent < ?",
        (start.isoformat(timespec="milliseconds"), end.isoformat(timespec="milliseconds")),
    ).fetchall()
    categories = tuple(c.value for c in Category)
    return AlertHistory(
        t=np.array([datetime.fromisoformat(r[0]).timestamp() for r in rows], dtype=np.float64),
        lon=np.array([np.nan if r[1] is None else r[1] for r in rows], dtype=np.float64),
        lat=np.array([np.nan if r[2] is None else r[2] for r in rows], dtype=np.float64),
        category=np.array([categories.index(r[3]) for r in rows], dtype=np.int32),
        categories=categories,
        keys=[(r[4], r[5]) for r in rows],
        text=[r[6] or "" for r in rows],
    )


@dataclass
class StandIn:
    """The stand-in detector; ``fail`` makes it raise, ``calls`` counts scans."""

    fail: bool = False
    calls: int = 0
    seen: list[Any] = field(default_factory=list)
    fixed: list[Signal] | None = None  # found whatever the history

    def detect(
        self, history: AlertHistory, territory: Territory, now: datetime, params: Any
    ) -> list[Signal]:
        self.calls += 1
        self.seen.append(params)
        if self.fail:
            raise RuntimeError("détecteur en panne (test)")
        if self.fixed is not None:
            return list(self.fixed)
        window_days = int(getattr(params, "window_days", 7))
        start = now - timedelta(days=window_days)
        recent = history.t >= start.timestamp()
        out: list[Signal] = []
        placements = territory.place_many(history.lon, history.lat)
        for code, cat in enumerate(history.categories):
            rows = np.flatnonzero(recent & (history.category == code))
            if len(rows) < MIN_COUNT:
                continue
            zones = sorted({z for i in rows for z in placements[i].zone_ids})
            communes = sorted({c.key for i in rows if (c := placements[i].commune) is not None})
            out.append(
                Signal(
                    id=signal_id(SignalKind.RECURRENCE, cat, start),
                    kind=SignalKind.RECURRENCE,
                    title=f"{len(rows)} alertes « {cat} » en {window_days} jours, 0,5 attendues",
                    test="Poisson, p corrigé = 0,001",
                    strength=float(len(rows)),
                    start=start,
                    end=now,
                    observed=len(rows),
                    expected=0.5,
                    p_value=0.001,
                    category=cat,
                    zone_ids=tuple(zones),
                    communes=tuple(communes),
                    alerts=tuple(history.keys[i] for i in rows),
                    places=tuple(
                        (float(history.lon[i]), float(history.lat[i]))
                        for i in rows
                        if not np.isnan(history.lon[i])
                    ),
                )
            )
        return out

    def engine(self) -> ScanEngine:
        return ScanEngine(simple_load, self.detect, lambda settings: settings)


def fixed_signal(cell: str, now: datetime, where: tuple[float, float]) -> Signal:
    """A finding made by hand (for the stand-in's ``fixed``)."""
    start = now - timedelta(days=7)
    return Signal(
        id=signal_id(SignalKind.CLUSTER, cell, start), kind=SignalKind.CLUSTER,
        title=f"4 signalements en 2 jours autour de {cell}, 0,4 attendus",
        test="Balayage spatio-temporel, p corrigé = 0,01", strength=2.0, start=start,
        end=now, observed=4, expected=0.4, p_value=0.01, places=(where,),
    )  # fmt: skip
