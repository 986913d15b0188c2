"""Recurrences: a zone × category well above that zone's own baseline.

Each cell's weekly counts over the baseline are modelled as negative binomial
(Poisson–gamma): a Poisson count whose weekly rate varies (overdispersion
``φ``, estimated by moments on all cells of the category and shrunk towards the
site-wide value), and whose mean is known only through eight weeks (the
posterior of a gamma prior centred on the category's site-wide average, worth
``prior_weeks`` weeks, so that a cell with an empty baseline is not « infinitely
surprising »). The window's count is tested against the predictive negative
binomial of mean ``μ`` and size ``1 / (φ + 1 / shape)``; the upper-tail p-values
of all cells tested are adjusted with Holm's method.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from csu_console.core.weak_signals.model import Signal, SignalKind, signal_id
from csu_console.core.weak_signals.scan import Floats, ScanData
from csu_console.core.weak_signals.stats import fr_p, holm, nb_sf
from csu_console.core.weak_signals.wording import category_plural, days_text, expected_text

#: Weight of the site-wide dispersion when shrinking a category's, in Σμ² units.
_DISPERSION_PRIOR = 20.0
_MAX_DISPERSION = 3.0


def _dispersion(weekly: Floats, categories: np.ndarray) -> Floats:
    """One overdispersion ``φ`` per cell (Var = μ + φ μ²), by moments: pooled over
    the cells of each category, shrunk towards the pooled site-wide value."""
    weeks = weekly.shape[1]
    mean = weekly.mean(axis=1)
    excess = weekly.var(axis=1, ddof=1) - mean if weeks > 1 else np.zeros_like(mean)
    sq = mean**2
    total_sq = float(sq.sum())
    site = float(np.clip(excess.sum() / total_sq, 0.0, _MAX_DISPERSION)) if total_sq > 0 else 0.0
    out = np.full(mean.shape, site)
    for c in np.unique(categories).tolist():
        cells = categories == c
        s = float(sq[cells].sum())
        own = float(excess[cells].sum()) / s if s > 0 else site
        out[cells] = np.clip((s * own + _DISPERSION_PRIOR * site) / (s + _DISPERSION_PRIOR), 0, 3)
    return out


def recurrences(scan: ScanData) -> list[Signal]:
    """The zone × category cells whose window count is unlikely under their baseline."""
    p = scan.params
    n_cat = len(scan.history.categories)
    n_zones = len(scan.zones)
    if n_zones == 0 or n_cat == 0 or scan.rows.size == 0:
        return []
    weeks = p.baseline_weeks
    # counts[z, c, w]: baseline weeks 0…weeks−1, then the window at index `weeks`.
    slot = np.where(scan.in_window, weeks, scan.week)
    flat = scan.category * (weeks + 1) + slot
    counts = np.zeros((n_zones, n_cat, weeks + 1), dtype=np.float64)
    for z in range(n_zones):
        sel = flat[scan.masks[z]]
        if sel.size:
            counts[z] = np.bincount(sel, minlength=n_cat * (weeks + 1)).reshape(n_cat, weeks + 1)
    weekly = counts[:, :, :weeks]
    observed = counts[:, :, weeks]
    cells = (weekly.sum(axis=2) + observed) > 0
    zi, ci = np.nonzero(cells)
    m = int(zi.size)
    if m == 0:
        return []
    w = weekly[zi, ci]  # (m, weeks)
    y = observed[zi, ci]
    base_total = w.sum(axis=1)
    # The prior of a cell: its zone's weekly volume × the category's site-wide share
    # (a multiplicative zone × category model), never quite zero.
    zone_weekly = weekly.sum(axis=(1, 2)) / max(weeks, 1)  # (n_zones,)
    cat_total = weekly.sum(axis=(0, 2))
    share = cat_total / cat_total.sum() if cat_total.sum() > 0 else np.full(n_cat, 1 / n_cat)
    floor = max(float(zone_weekly.mean()) / max(n_cat, 1) * 0.05, 0.01)
    prior_mean = np.maximum(zone_weekly[zi] * share[ci], floor)
    shape = p.prior_weeks * prior_mean + base_total
    rate = p.prior_weeks + weeks
    days = p.window_days
    mu = shape / rate * (days / 7.0)
    phi = _dispersion(w, ci)
    size = 1.0 / (phi + 1.0 / shape)
    testable = y >= p.min_count
    pv = np.ones(m)
    if testable.any():
        pv[testable] = nb_sf(y[testable], mu[testable], size[testable])
    adjusted = holm(pv)
    found = np.flatnonzero(testable & (adjusted <= p.alpha) & (y > mu))
    signals: list[Signal] = []
    start = scan.now - timedelta(days=days)
    for k in found.tolist():
        z, c = int(zi[k]), int(ci[k])
        zone = scan.zones[z]
        category = scan.history.categories[c]
        idx = np.flatnonzero(scan.in_window & scan.masks[z] & (scan.category == c))
        title = (
            f"{int(y[k])} {category_plural(category)} en {days_text(days)} à {zone.name},"
            f" {expected_text(float(mu[k]))}"
        )
        test = (
            f"loi binomiale négative, p = {fr_p(float(pv[k]))},"
            f" corrigé pour {m} cellules : {fr_p(float(adjusted[k]))}"
        )
        signals.append(
            Signal(
                id=signal_id(SignalKind.RECURRENCE, f"{zone.id}|{category}", start),
                kind=SignalKind.RECURRENCE,
                title=title,
                test=test,
                strength=_strength(float(adjusted[k]), float(pv[k])),
                start=start,
                end=scan.now,
                observed=int(y[k]),
                expected=float(mu[k]),
                p_value=float(adjusted[k]),
                category=category,
                zone_ids=(zone.id,),
                communes=(zone.commune.key,),
                alerts=scan.keys(idx),
                places=scan.places(idx),
            )
        )
    return signals


def _strength(adjusted: float, raw: float) -> float:
    """−log10 of the corrected p-value (ties broken by the raw one)."""
    return float(-np.log10(max(adjusted, 1e-300)) + 1e-6 * -np.log10(max(raw, 1e-300)))
