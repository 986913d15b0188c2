"""Recurring terms: the same words coming back in report texts (« camionnette
blanche » in 4 reports this week), compared with how often they usually come.

A term (:mod:`.text`) is counted once per report. Its count in the window's
reports is tested against a Poisson–gamma predictive: the term's rate per
report, known through the baseline's reports (gamma posterior of a Jeffreys-like
prior, ``term_prior`` pseudo-reports, so that a term never seen before is
possible but rare), times the window's number of reports, with the week-to-week
overdispersion of terms estimated by moments on the baseline. Only terms in at
least ``term_min_reports`` reports are tested, but Holm's correction counts every
distinct term of the window. A shorter or longer form of a term already found
with mostly the same reports is not repeated.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import numpy as np

from csu_console.core.weak_signals.model import Signal, SignalKind, signal_id
from csu_console.core.weak_signals.scan import Ints, ScanData
from csu_console.core.weak_signals.stats import fr_p, holm, nb_sf
from csu_console.core.weak_signals.text import contains_term, display_term, report_terms
from csu_console.core.weak_signals.wording import days_text, expected_text

_MAX_DISPERSION = 3.0


def recurring_terms(scan: ScanData) -> list[Signal]:
    """The terms of the window's reports far more frequent than in the baseline."""
    p = scan.params
    history = scan.history
    if not history.text or scan.rows.size == 0:
        return []
    texts, rows, categories = history.text, scan.rows, history.categories
    win = np.flatnonzero(scan.in_window)
    base = np.flatnonzero(~scan.in_window)
    if base.size > p.term_max_baseline:
        base = base[np.linspace(0, base.size - 1, p.term_max_baseline).astype(np.int64)]
    skip: dict[str, frozenset[str]] = {}
    cache: dict[tuple[str, int], frozenset[str]] = {}
    cat = scan.category

    def terms_of(i: int) -> frozenset[str]:
        key = (texts[int(rows[i])], int(cat[i]))
        found = cache.get(key)
        if found is None:
            found = cache[key] = frozenset(report_terms(key[0], categories[key[1]], skip))
        return found

    reports: dict[str, list[int]] = defaultdict(list)
    for i in win.tolist():
        for term in terms_of(i):
            reports[term].append(i)
    tested = len(reports)
    candidates = {t: r for t, r in reports.items() if len(r) >= p.term_min_reports}
    if not candidates:
        return []
    names = sorted(candidates)
    index = {t: j for j, t in enumerate(names)}
    weeks = p.baseline_weeks
    weekly = np.zeros((len(names), weeks), dtype=np.float64)
    week = scan.week
    for i in base.tolist():
        hits = terms_of(i) & candidates.keys()
        if hits:
            w = int(week[i])
            for term in hits:
                weekly[index[term], w] += 1
    n_w, n_b = float(win.size), float(base.size)
    b = weekly.sum(axis=1)
    y = np.array([len(candidates[t]) for t in names], dtype=np.float64)
    shape = b + p.term_prior
    mu = n_w * shape / (n_b + 1.0)
    phi = _dispersion(weekly)
    size = 1.0 / (phi + 1.0 / shape)
    pv = nb_sf(y, mu, size)
    # Holm over every distinct term of the window (the others have p = 1).
    full = np.ones(tested)
    full[: len(names)] = pv
    adjusted = holm(full)[: len(names)]
    order = sorted(
        (j for j in range(len(names)) if adjusted[j] <= p.alpha and y[j] > mu[j]),
        key=lambda j: (adjusted[j], pv[j], -len(names[j])),
    )
    accepted: list[tuple[str, set[int]]] = []
    signals: list[Signal] = []
    start = scan.now - timedelta(days=p.window_days)
    for j in order:
        if len(signals) >= p.term_max:
            break
        term, own = names[j], set(candidates[names[j]])
        if any(
            len(own & r) * 5 >= 4 * min(len(own), len(r))
            or (
                (contains_term(t, term) or contains_term(term, t))
                and len(own & r) * 2 >= min(len(own), len(r))
            )
            for t, r in accepted
        ):
            continue
        accepted.append((term, own))
        idx: Ints = np.array(sorted(own, key=lambda i: scan.t[i]), dtype=np.int64)
        signals.append(_signal(scan, idx, term, y[j], mu[j], pv[j], adjusted[j], tested, start))
    return signals


def _dispersion(weekly: np.ndarray) -> float:
    """The terms' week-to-week overdispersion φ (Var = μ + φ μ²), by moments."""
    if weekly.shape[1] < 2:
        return 0.0
    mean = weekly.mean(axis=1)
    excess = float((weekly.var(axis=1, ddof=1) - mean).sum())
    sq = float((mean**2).sum())
    return float(np.clip(excess / sq, 0.0, _MAX_DISPERSION)) if sq > 0 else 0.0


def _signal(
    scan: ScanData,
    idx: Ints,
    term: str,
    observed: float,
    expected: float,
    raw: float,
    adjusted: float,
    tested: int,
    start: object,
) -> Signal:
    cats = scan.category[idx]
    counts = np.bincount(cats, minlength=len(scan.history.categories))
    top = int(counts.argmax())
    category = scan.history.categories[top] if counts[top] * 4 >= idx.size * 3 else None
    n = int(observed)
    shown = display_term(term, scan.texts(idx))
    title = (
        f"« {shown} » dans {n} signalements en {days_text(scan.params.window_days)},"
        f" {expected_text(expected)}"
    )
    test = (
        f"loi de Poisson avec a priori gamma (binomiale négative), p = {fr_p(raw)},"
        f" corrigé pour {tested} termes : {fr_p(adjusted)}"
    )
    begin = scan.now - timedelta(days=scan.params.window_days)
    return Signal(
        id=signal_id(SignalKind.TERM, term, begin),
        kind=SignalKind.TERM,
        title=title,
        test=test,
        strength=float(-np.log10(max(adjusted, 1e-300))),
        start=begin,
        end=scan.now,
        observed=n,
        expected=float(expected),
        p_value=float(adjusted),
        category=category,
        zone_ids=scan.zone_ids(idx),
        communes=scan.communes(idx),
        term=shown,
        alerts=scan.keys(idx),
        places=scan.places(idx),
    )
