"""A history generator: months of realistic reports on a site's zones, with
planted signals and their ground truth (for the tests, the benches and the demo).

Background: each *unit* (a zone of the site's finest zoning) has its own rate per
category (site weights × a lognormal factor per unit and per unit × category),
varying from week to week (gamma noise: real counts are overdispersed), with a
weekly rhythm (busier Fridays and Saturdays) and an hourly one (quiet nights,
busy evenings, in local time). Positions fall uniformly inside the unit; a few
reports fall outside every zone. Texts are assembled per category from
interchangeable parts (:mod:`.generator_texts`).

Plants (in the last ``window_days`` before ``now``):
- a **recurrence**: extra reports of one category in one unit, spread over the week;
- a **cluster**: a tight burst (8 reports, ≈ 60 m, within a day) on a border between two
  communes (between two zones when the site has one commune);
- a **term**: a phrase the background never uses, in a few reports anywhere.

Seeded and deterministic: the same arguments give the same history.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from csu_console.core.geo import Area
from csu_console.core.review.zoning import in_area
from csu_console.core.territory import Territory, ZoneRef
from csu_console.core.weak_signals.generator_texts import (
    PLANTED_TERMS,
    planted_text,
    text_pool,
)
from csu_console.core.weak_signals.model import AlertHistory, AlertKey, SignalKind
from csu_console.core.weak_signals.scan import DAY_S

SOURCE = "historique-simule"

#: Share of each category among citizen reports (the simulator's, roughly).
CATEGORY_WEIGHTS: dict[str, float] = {
    "comportement_suspect": 30,
    "degradation": 14,
    "demarchage_abusif": 10,
    "cambriolage": 12,
    "animal_perdu": 10,
    "autre": 9,
    "accident": 6,
    "rixe": 5,
    "incendie": 4,
}
#: Relative reports per local hour: quiet nights, busy evenings.
HOURLY = (3, 2, 2, 1, 1, 1, 2, 4, 5, 6, 6, 6, 7, 6, 6, 6, 7, 8, 9, 9, 8, 7, 5, 4)
#: Monday … Sunday.
WEEKDAY = (0.95, 0.95, 1.0, 1.0, 1.15, 1.25, 0.85)
OUTSIDE_SHARE = 0.04  # reports outside every zone
WEEKLY_NOISE_SHAPE = 12.0  # gamma shape of the week-to-week noise (cv ≈ 0.29)


@dataclass(frozen=True)
class Planted:
    """One planted signal and the alerts that make it."""

    kind: SignalKind
    keys: tuple[AlertKey, ...]
    category: str | None = None
    zone_id: str | None = None
    communes: tuple[str, ...] = ()
    term: str | None = None
    centre: tuple[float, float] | None = None


@dataclass(frozen=True)
class PlantSpec:
    """Which signals to plant (counts per kind)."""

    recurrences: int = 1
    clusters: int = 1
    terms: int = 1


NO_PLANTS = PlantSpec(0, 0, 0)


@dataclass
class Generated:
    """A generated history and what was planted in it."""

    history: AlertHistory
    planted: list[Planted] = field(default_factory=list)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    units: tuple[str, ...] = ()


def sampling_units(territory: Territory) -> list[tuple[ZoneRef, Area]]:
    """The zones reports are drawn in: those of the zoning with the most zones."""
    areas = territory.zone_areas
    if not areas:
        return []
    counts: dict[str, int] = {}
    for ref, _area in areas:
        counts[ref.zoning] = counts.get(ref.zoning, 0) + 1
    best = max(counts, key=lambda z: (counts[z], -list(counts).index(z)))
    return [(ref, area) for ref, area in areas if ref.zoning == best]


def _sample_in(area: Area, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """``n`` uniform points inside ``area`` (rejection in its bbox, vectorised)."""
    x0, y0, x1, y1 = area.bbox
    lon = np.empty(0)
    lat = np.empty(0)
    for _ in range(50):
        if lon.size >= n:
            break
        k = max(64, 2 * (n - lon.size))
        cx, cy = rng.uniform(x0, x1, k), rng.uniform(y0, y1, k)
        ok = in_area(cx, cy, area)
        lon, lat = np.concatenate([lon, cx[ok]]), np.concatenate([lat, cy[ok]])
    if lon.size < n:
        raise ValueError("zone sans surface : impossible d'y placer des signalements")
    return lon[:n], lat[:n]


class _Builder:
    """Columns accumulated by the generator."""

    def __init__(self, categories: tuple[str, ...], seed: int) -> None:
        self.categories = categories
        self.seed = seed
        self.t: list[np.ndarray] = []
        self.lon: list[np.ndarray] = []
        self.lat: list[np.ndarray] = []
        self.cat: list[np.ndarray] = []
        self.text: list[str] = []
        self.n = 0

    def add(
        self, t: np.ndarray, lon: np.ndarray, lat: np.ndarray, cat: np.ndarray, texts: list[str]
    ) -> tuple[AlertKey, ...]:
        first = self.n
        self.t.append(t.astype(np.float64))
        self.lon.append(lon.astype(np.float64))
        self.lat.append(lat.astype(np.float64))
        self.cat.append(cat.astype(np.int32))
        self.text.extend(texts)
        self.n += int(t.size)
        return tuple(self.key(i) for i in range(first, self.n))

    def key(self, i: int) -> AlertKey:
        return (SOURCE, f"s{self.seed}-{i:07d}")

    def history(self) -> AlertHistory:
        def cat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
            return np.concatenate(parts).astype(dtype) if parts else np.empty(0, dtype)

        return AlertHistory(
            t=cat(self.t, np.float64),
            lon=cat(self.lon, np.float64),
            lat=cat(self.lat, np.float64),
            category=cat(self.cat, np.int32),
            categories=self.categories,
            keys=[self.key(i) for i in range(self.n)],
            text=self.text,
        )


def generate(
    territory: Territory,
    now: datetime,
    *,
    weeks: int = 26,
    per_day: float = 12.0,
    seed: int = 0,
    plants: PlantSpec = NO_PLANTS,
    window_days: int = 7,
    timezone: str = "Europe/Paris",
    texts: bool = True,
) -> Generated:
    """``weeks`` of reports up to ``now`` (about ``per_day`` a day on the site),
    with ``plants`` planted in the last ``window_days``; see the module docstring."""
    if now.tzinfo is None:
        raise ValueError("generate() needs an aware 'now'")
    rng = np.random.default_rng(seed)
    pyrng = random.Random(seed)
    categories = tuple(CATEGORY_WEIGHTS)
    builder = _Builder(categories, seed)
    units = sampling_units(territory)
    if not units:
        return Generated(builder.history(), [], now, ())
    tz = ZoneInfo(timezone)
    n_days = weeks * 7
    first_day = (now.astimezone(tz) - timedelta(days=n_days)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    weights = np.array(list(CATEGORY_WEIGHTS.values()))
    weights = weights / weights.sum()
    unit_factor = rng.lognormal(0.0, 0.5, len(units))
    unit_factor /= unit_factor.sum()
    cell_factor = rng.lognormal(0.0, 0.35, (len(units), len(categories)))
    base = per_day * (1 - OUTSIDE_SHARE) * unit_factor[:, None] * weights[None, :] * cell_factor
    hourly = np.array(HOURLY, dtype=np.float64)
    hourly /= hourly.sum()
    pools = {c: text_pool(c, pyrng) for c in categories} if texts else {}
    now_s = now.timestamp()
    n_weeks = n_days // 7 + 2
    noise = rng.gamma(WEEKLY_NOISE_SHAPE, 1.0 / WEEKLY_NOISE_SHAPE, (n_weeks, *base.shape))
    # Day by day: counts per unit × category, then hours, then positions.
    day_starts = np.array(
        [(first_day + timedelta(days=d)).timestamp() for d in range(n_days + 2)], dtype=np.float64
    )
    weekday = np.array(
        [WEEKDAY[(first_day + timedelta(days=d)).weekday()] for d in range(n_days + 2)]
    )
    lam = base[None, :, :] * weekday[:, None, None] * noise[np.arange(n_days + 2) // 7]
    counts = rng.poisson(lam)  # (days, units, categories)
    for u, (_ref, area) in enumerate(units):
        per_day_cat = counts[:, u, :]
        total = int(per_day_cat.sum())
        if total == 0:
            continue
        day_idx = np.repeat(np.repeat(np.arange(n_days + 2), len(categories)), per_day_cat.ravel())
        cat_idx = np.repeat(np.tile(np.arange(len(categories)), n_days + 2), per_day_cat.ravel())
        hours = rng.choice(24, size=total, p=hourly)
        t = day_starts[day_idx] + hours * 3600.0 + rng.uniform(0, 3600.0, total)
        # Local hours: the day's start is local midnight (DST-exact at day level).
        keep = t < now_s
        t, cat_idx = t[keep], cat_idx[keep]
        lon, lat = _sample_in(area, int(t.size), rng)
        builder.add(
            t,
            lon,
            lat,
            cat_idx,
            _texts(pools, categories, cat_idx, rng) if texts else [""] * int(t.size),
        )
    _outside(
        builder,
        territory,
        per_day * OUTSIDE_SHARE,
        day_starts[0],
        now_s,
        rng,
        pools,
        categories,
        texts,
    )
    planted: list[Planted] = []
    start_s = now_s - window_days * DAY_S
    for _ in range(plants.recurrences):
        planted.append(
            _plant_recurrence(builder, units, base, start_s, now_s, window_days, rng, pyrng, texts)
        )
    for _ in range(plants.clusters):
        planted.append(_plant_cluster(builder, territory, units, start_s, now_s, rng, pyrng, texts))
    used: set[str] = set()
    for _ in range(plants.terms):
        planted.append(_plant_term(builder, units, start_s, now_s, rng, pyrng, used))
    return Generated(builder.history(), planted, now, tuple(r.id for r, _a in units))


def _texts(
    pools: dict[str, list[str]],
    categories: tuple[str, ...],
    cat_idx: np.ndarray,
    rng: np.random.Generator,
) -> list[str]:
    picks = rng.integers(0, 1 << 30, cat_idx.size)
    out: list[str] = []
    for c, k in zip(cat_idx.tolist(), picks.tolist(), strict=True):
        pool = pools[categories[c]]
        out.append(pool[k % len(pool)])
    return out


def _outside(
    builder: _Builder,
    territory: Territory,
    rate: float,
    start_s: float,
    now_s: float,
    rng: np.random.Generator,
    pools: dict[str, list[str]],
    categories: tuple[str, ...],
    texts: bool,
) -> None:
    """A few reports just outside every zone (a ring of about 500 m around them)."""
    boxes = [a.bbox for _r, a in territory.zone_areas]
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    dx, dy = 0.005 / max(math.cos(math.radians(y0)), 0.1), 0.005
    n = int(rng.poisson(rate * (now_s - start_s) / DAY_S))
    if n == 0:
        return
    lon = rng.uniform(x0 - dx, x1 + dx, 3 * n)
    lat = rng.uniform(y0 - dy, y1 + dy, 3 * n)
    inside = np.zeros(lon.shape, dtype=bool)
    for _r, area in territory.zone_areas:
        inside |= in_area(lon, lat, area)
    lon, lat = lon[~inside][:n], lat[~inside][:n]
    t = rng.uniform(start_s, now_s, lon.size)
    w = np.array(list(CATEGORY_WEIGHTS.values()))
    cat_idx = rng.choice(len(categories), size=lon.size, p=w / w.sum())
    builder.add(
        t,
        lon,
        lat,
        cat_idx,
        _texts(pools, categories, cat_idx, rng) if texts else [""] * int(lon.size),
    )


def _plant_recurrence(
    builder: _Builder,
    units: list[tuple[ZoneRef, Area]],
    base: np.ndarray,
    start_s: float,
    now_s: float,
    window_days: int,
    rng: np.random.Generator,
    pyrng: random.Random,
    texts: bool,
) -> Planted:
    """Extra reports of one category in one unit, spread over the window: about
    twice the usual weekly count, plus four standard deviations, plus four."""
    u = int(rng.integers(len(units)))
    c = int(rng.choice([0, 1, 2, 3, 4]))  # the citizen categories
    weekly = float(base[u, c]) * window_days
    extra = max(8, math.ceil(2 * weekly + 4 * math.sqrt(weekly) + 4))
    ref, area = units[u]
    lon, lat = _sample_in(area, extra, rng)
    t = rng.uniform(start_s, now_s - 600, extra)
    category = builder.categories[c]
    body = (
        [planted_text("", category, pyrng).rsplit(". Vu", 1)[0] for _ in range(extra)]
        if texts
        else [""] * extra
    )
    keys = builder.add(t, lon, lat, np.full(extra, c), body)
    return Planted(
        SignalKind.RECURRENCE, keys, category=category, zone_id=ref.id, communes=(ref.commune.key,)
    )


def _border_point(
    territory: Territory, units: list[tuple[ZoneRef, Area]], rng: np.random.Generator
) -> tuple[float, float, tuple[str, ...]]:
    """A point with two communes (else two zones) within 30 m of it."""
    boxes = [a.bbox for _r, a in units]
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    k = 4000
    lon, lat = rng.uniform(x0, x1, k), rng.uniform(y0, y1, k)
    dlon = 30.0 / (111_320.0 * math.cos(math.radians(y0)))
    dlat = 30.0 / 110_540.0
    offsets = ((dlon, 0), (-dlon, 0), (0, dlat), (0, -dlat))
    unit_at = np.full((len(offsets) + 1, k), -1)
    for j, (ox, oy) in enumerate(((0.0, 0.0), *offsets)):
        for u, (_r, area) in enumerate(units):
            unit_at[j, in_area(lon + ox, lat + oy, area)] = u
    communes = np.array([r.commune.key for r, _a in units] + [""])
    com = communes[unit_at]  # −1 → ""
    for level in ("commune", "zone"):
        if level == "commune":
            ok = (unit_at >= 0).all(axis=0) & (com != com[0]).any(axis=0)
        else:
            ok = (unit_at >= 0).all(axis=0) & (unit_at != unit_at[0]).any(axis=0)
        hits = np.flatnonzero(ok)
        if hits.size:
            i = int(hits[rng.integers(hits.size)])
            names = tuple(dict.fromkeys(str(c) for c in com[:, i]))
            return float(lon[i]), float(lat[i]), names
    i = int(rng.integers(k))
    return float(lon[i]), float(lat[i]), ()


def _plant_cluster(
    builder: _Builder,
    territory: Territory,
    units: list[tuple[ZoneRef, Area]],
    start_s: float,
    now_s: float,
    rng: np.random.Generator,
    pyrng: random.Random,
    texts: bool,
) -> Planted:
    """A tight burst: 8 reports within ~60 m of a commune border, within 8–24
    hours ending in the window, each in its own half-hour (distinct incidents)."""
    lon0, lat0, communes = _border_point(territory, units, rng)
    n = 8
    span = float(rng.uniform(8.0, 24.0)) * 3600.0
    end = float(rng.uniform(start_s + span, now_s - 600))
    slots = rng.choice(int(span // 1800), size=n, replace=False)
    t = end - span + slots * 1800.0 + rng.uniform(0, 1500, n)
    r = 60.0 * np.sqrt(rng.uniform(0, 1, n))
    a = rng.uniform(0, 2 * math.pi, n)
    lon = lon0 + r * np.cos(a) / (111_320.0 * math.cos(math.radians(lat0)))
    lat = lat0 + r * np.sin(a) / 110_540.0
    cats = rng.choice([0, 1, 3], size=n)  # suspect, dégradation, cambriolage
    body = [
        planted_text("", builder.categories[c], pyrng).rsplit(". Vu", 1)[0] if texts else ""
        for c in cats.tolist()
    ]
    keys = builder.add(t, lon, lat, cats, body)
    return Planted(SignalKind.CLUSTER, keys, communes=communes, centre=(lon0, lat0))


def _plant_term(
    builder: _Builder,
    units: list[tuple[ZoneRef, Area]],
    start_s: float,
    now_s: float,
    rng: np.random.Generator,
    pyrng: random.Random,
    used: set[str],
) -> Planted:
    """A phrase the background never uses, in 5–6 reports of the week, anywhere."""
    term = pyrng.choice([t for t in PLANTED_TERMS if t not in used] or list(PLANTED_TERMS))
    used.add(term)
    n = int(rng.integers(5, 7))
    cats = rng.choice([0, 2, 3], size=n)  # suspect, démarchage, cambriolage
    us = rng.integers(len(units), size=n)
    lon = np.empty(n)
    lat = np.empty(n)
    for j, u in enumerate(us.tolist()):
        x, y = _sample_in(units[u][1], 1, rng)
        lon[j], lat[j] = x[0], y[0]
    t = rng.uniform(start_s, now_s - 600, n)
    body = [planted_text(term, builder.categories[c], pyrng) for c in cats.tolist()]
    keys = builder.add(t, lon, lat, cats, body)
    return Planted(SignalKind.TERM, keys, term=term)
