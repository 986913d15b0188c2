"""Space–time clusters: a tight burst of reports anywhere, across zone and
commune borders (the grid is not tied to zones).

The territory is cut into square cells (100 m; wider on a large territory) on a
grid anchored at a fixed origin, so that the same place keeps the same cell from
one scan to the next. Reports in one cell within one half-hour count as one
incident (several citizens reporting the same fire are not a cluster). Every
square of k × k cells (``cluster_sizes``) over the last d days (``cluster_days``)
is a test: its count of incidents against a Poisson–gamma predictive built from
the same square's baseline (eight weeks), with a gamma prior taken from the
neighbourhood's density (a square three times wider) worth ``cluster_prior_days``
days, scaled by the site's own weekly rhythm for those d days. Holm's correction
counts every square and duration of the grid, tested or not (conservative).
Overlapping findings keep the strongest.
"""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np

from csu_console.core.weak_signals.model import Signal, SignalKind, signal_id
from csu_console.core.weak_signals.scan import DAY_S, WEEK_S, Floats, Ints, ScanData
from csu_console.core.weak_signals.stats import fr_p, nb_sf
from csu_console.core.weak_signals.wording import (
    category_plural,
    days_text,
    expected_text,
    join_names,
)

_MAX_SIDE_CELLS = 400  # the grid never exceeds this many cells on a side
_M_PER_DEG_LAT = 110_540.0
_M_PER_DEG_LON_EQ = 111_320.0


def _box(h: Floats, k: int) -> Floats:
    """Sum of ``h`` over the k × k square whose lowest corner is each cell (zeros
    beyond the grid)."""
    if k <= 1:
        return h
    ny, nx = h.shape
    c = np.zeros((ny + k, nx + k))
    c[1 : ny + 1, 1 : nx + 1] = h.cumsum(axis=0).cumsum(axis=1)
    c[ny + 1 :, 1 : nx + 1] = c[ny, 1 : nx + 1]
    c[:, nx + 1 :] = c[:, nx : nx + 1]
    return c[k:, k:] - c[:-k, k:] - c[k:, :-k] + c[:-k, :-k]


def _holm_partial(p: Floats, total: int) -> Floats:
    """Holm's adjustment of ``p`` when ``total`` tests were made in all (the
    others, not computed, had p = 1)."""
    if p.size == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    scaled = p[order] * (total - np.arange(p.size))
    adjusted = np.minimum(np.maximum.accumulate(scaled), 1.0)
    out = np.empty_like(p)
    out[order] = adjusted
    return out


def _frame(scan: ScanData, has_pos: np.ndarray) -> tuple[float, float, float, float] | None:
    """(min_lon, min_lat, max_lon, max_lat) scanned: the zones' box, or without
    zones the reports' (robust to a few wild positions)."""
    boxes = [area.bbox for _ref, area in scan.territory.zone_areas]
    if boxes:
        return (
            min(b[0] for b in boxes),
            min(b[1] for b in boxes),
            max(b[2] for b in boxes),
            max(b[3] for b in boxes),
        )
    if not has_pos.any():
        return None
    lon, lat = scan.lon[has_pos], scan.lat[has_pos]
    lo = np.percentile(lon, 0.5), np.percentile(lat, 0.5)
    hi = np.percentile(lon, 99.5), np.percentile(lat, 99.5)
    return (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))


def _windows(scan: ScanData) -> list[tuple[float, float]]:
    """The (days, end) windows tested: for each duration d, the d days ending now
    and those ending at each UTC midnight of the window (their start is fixed, so
    a burst keeps its id from one scan to the next while it stays in the window)."""
    p = scan.params
    out: list[tuple[float, float]] = []
    last_midnight = math.floor(scan.now_s / DAY_S) * DAY_S
    for d in p.cluster_days:
        out.append((d, scan.now_s))
        end = last_midnight
        while end - d * DAY_S >= scan.win_start_s - 1e-6 and end < scan.now_s:
            out.append((d, end))
            end -= DAY_S
    return out


def clusters(scan: ScanData) -> list[Signal]:
    """The space–time squares holding far more incidents than their baseline."""
    p = scan.params
    has_pos = ~(np.isnan(scan.lon) | np.isnan(scan.lat))
    frame = _frame(scan, has_pos)
    if frame is None:
        return []
    lon0 = math.floor(frame[0] * 100) / 100  # a fixed origin: stable cells
    lat0 = math.floor(frame[1] * 100) / 100
    kx = math.cos(math.radians(lat0)) * _M_PER_DEG_LON_EQ
    ky = _M_PER_DEG_LAT
    margin = p.cluster_margin_m
    x_lo, y_lo = (frame[0] - lon0) * kx - margin, (frame[1] - lat0) * ky - margin
    x_hi, y_hi = (frame[2] - lon0) * kx + margin, (frame[3] - lat0) * ky + margin
    g = max(p.cluster_cell_m, max(x_hi - x_lo, y_hi - y_lo) / _MAX_SIDE_CELLS)
    ix0, iy0 = math.floor(x_lo / g), math.floor(y_lo / g)
    nx, ny = math.floor(x_hi / g) - ix0 + 1, math.floor(y_hi / g) - iy0 + 1
    sel = np.flatnonzero(has_pos)
    ix = np.floor((scan.lon[sel] - lon0) * kx / g).astype(np.int64) - ix0
    iy = np.floor((scan.lat[sel] - lat0) * ky / g).astype(np.int64) - iy0
    inside = (ix >= 0) & (ix < nx) & (iy >= 0) & (iy < ny)
    sel, ix, iy = sel[inside], ix[inside], iy[inside]
    if sel.size == 0:
        return []
    cell = iy * nx + ix
    # One incident per cell and half-hour.
    slot = np.floor(scan.t[sel] / p.cluster_dedup_s).astype(np.int64)
    _, first = np.unique(cell * (slot.max() + 1) + (slot - slot.min()), return_index=True)
    inc_cell, inc_t = cell[first], scan.t[sel][first]
    inc_base = inc_t < scan.win_start_s
    base_days = p.baseline_weeks * 7.0
    n_cells = nx * ny
    hb = np.bincount(inc_cell[inc_base], minlength=n_cells).reshape(ny, nx).astype(np.float64)
    base_total = float(hb.sum())
    # Prior density per cell and day: the neighbourhood's, never quite zero.
    k_big = 3 * max(p.cluster_sizes)
    floor = max(base_total / (n_cells * base_days) * 0.05, 1e-5)
    # The neighbourhood's square is centred on the cell (shifted by half its side).
    shift = k_big // 2
    near = np.roll(_box(hb, k_big), (shift, shift), axis=(0, 1))
    rho = np.maximum(near / (k_big * k_big * base_days), floor)
    tests = n_cells * len(p.cluster_sizes) * len(_windows(scan))
    found: list[tuple[float, float, int, int, float, float, float, float]] = []
    for d, end_s in _windows(scan):
        since = end_s - d * DAY_S
        recent = (inc_t >= since) & (inc_t < end_s)
        hd = np.bincount(inc_cell[recent], minlength=n_cells).reshape(ny, nx).astype(np.float64)
        # The site's rhythm: its incidents in the same d days of the past weeks.
        past = [
            np.count_nonzero((inc_t >= since - j * WEEK_S) & (inc_t < end_s - j * WEEK_S))
            for j in range(1, p.baseline_weeks + 1)
        ]
        per_d = base_total * d / base_days
        rhythm = float(np.mean(past)) / per_d if per_d > 0 and sum(past) > 0 else 1.0
        for k in p.cluster_sizes:
            sd = _box(hd, k)
            cand = np.flatnonzero((sd >= p.cluster_min_count).ravel())
            if cand.size == 0:
                continue
            sb = _box(hb, k).ravel()[cand]
            prior = p.cluster_prior_days * _box(rho, k).ravel()[cand]
            shape = prior + sb
            mu = d * rhythm * shape / (p.cluster_prior_days + base_days)
            obs = sd.ravel()[cand]
            keep = obs > mu
            cand, shape, mu, obs = cand[keep], shape[keep], mu[keep], obs[keep]
            pv = nb_sf(obs, mu, shape)
            for c, pr, m_, o in zip(
                cand.tolist(), pv.tolist(), mu.tolist(), obs.tolist(), strict=True
            ):
                found.append((pr, -o, k, c, d, m_, o, end_s))
    if not found:
        return []
    raw = np.array([f[0] for f in found])
    adjusted = _holm_partial(raw, tests)
    order = sorted(range(len(found)), key=lambda i: (adjusted[i], found[i][0], found[i][1]))
    taken: list[tuple[int, int, int, int]] = []
    signals: list[Signal] = []
    for i in order:
        if adjusted[i] > p.alpha or len(signals) >= p.cluster_max:
            break
        pr, _neg, k, c, d, mu_i, obs_i, end_s = found[i]
        cy, cx = divmod(c, nx)
        box = (cx, cy, cx + k - 1, cy + k - 1)
        if any(
            not (box[2] < b[0] or b[2] < box[0] or box[3] < b[1] or b[3] < box[1]) for b in taken
        ):
            continue
        taken.append(box)
        rows = sel[
            (ix >= box[0])
            & (ix <= box[2])
            & (iy >= box[1])
            & (iy <= box[3])
            & (scan.t[sel] >= end_s - d * DAY_S)
            & (scan.t[sel] < end_s)
        ]
        rows = rows[np.argsort(scan.t[rows], kind="stable")]
        cell_id = f"{cx + ix0}:{cy + iy0}:{k}:{g:g}"
        window = (end_s - d * DAY_S, end_s)
        signals.append(
            _signal(scan, rows, cell_id, k * g, window, obs_i, mu_i, pr, float(adjusted[i]), tests)
        )
    return signals


def _signal(
    scan: ScanData,
    rows: Ints,
    cell_id: str,
    side_m: float,
    window: tuple[float, float],
    incidents: float,
    expected: float,
    raw: float,
    adjusted: float,
    tests: int,
) -> Signal:
    start = scan.now - timedelta(seconds=scan.now_s - window[0])
    end = scan.now - timedelta(seconds=scan.now_s - window[1])
    days = (window[1] - window[0]) / DAY_S
    communes = scan.communes(rows)
    zone_ids = scan.zone_ids(rows)
    cats = scan.category[rows]
    counts = np.bincount(cats, minlength=len(scan.history.categories))
    top = int(counts.argmax()) if counts.size else 0
    category = (
        scan.history.categories[top] if counts.size and counts[top] * 4 >= rows.size * 3 else None
    )
    what = category_plural(category) if category is not None else "signalements"
    n = int(rows.size)
    head = f"{n} {what}" if n == int(incidents) else f"{int(incidents)} faits ({n} {what})"
    title = (
        f"{head} en {days_text(days)} dans un carré de {side_m:.0f} m,"
        f" {_where(scan, communes, zone_ids)}, {expected_text(expected)}"
    )
    test = (
        f"loi binomiale négative (Poisson–gamma), p = {fr_p(raw)},"
        f" corrigé pour {tests} fenêtres spatio-temporelles : {fr_p(adjusted)}"
    )
    return Signal(
        id=signal_id(SignalKind.CLUSTER, cell_id, start),
        kind=SignalKind.CLUSTER,
        title=title,
        test=test,
        strength=float(-np.log10(max(adjusted, 1e-300))),
        start=start,
        end=end,
        observed=int(incidents),
        expected=float(expected),
        p_value=adjusted,
        category=category,
        zone_ids=zone_ids,
        communes=communes,
        alerts=scan.keys(rows),
        places=scan.places(rows),
    )


def _where(scan: ScanData, communes: tuple[str, ...], zone_ids: tuple[str, ...]) -> str:
    """« à cheval sur Audincourt et Montbéliard », « à cheval sur Secteur Gare et
    Secteur Centre », « à Secteur Gare », « hors des zones »."""
    territory = scan.territory
    if len(communes) >= 2:
        names = [c.name if (c := territory.commune(k)) else k for k in communes]
        return f"à cheval sur {join_names(names)}"
    by_id = {z.id: z for z in scan.zones}
    zones = [by_id[z] for z in zone_ids if z in by_id]
    for zoning in territory.zonings:
        own = [z.name for z in zones if z.zoning == zoning.id]
        if len(own) >= 2:
            return f"à cheval sur {join_names(own)}"
    if zones:
        return f"à {zones[0].name}"
    return "hors des zones"
