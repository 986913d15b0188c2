"""The detector's parameters (``docs/weak_signals.md`` explains each)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DetectorParams:
    """What a scan looks at and how sure it must be.

    ``alpha`` is the family-wise error rate of each family of tests (Holm): with
    the defaults, pure background gives a false signal in about one scan in
    twenty per family.
    """

    window_days: int = 7  # the recent window scanned
    baseline_weeks: int = 8  # the baseline it is compared with, just before it
    alpha: float = 0.05  # per family (recurrences, clusters, terms), after Holm
    # -- recurrences per zone × category
    min_count: int = 3  # fewest alerts in the window (2 never make a signal)
    prior_weeks: float = 2.0  # weight of the site-wide prior, in weeks of baseline
    # -- space–time clusters
    cluster_cell_m: float = 100.0  # grid cell side (widened on large territories)
    cluster_sizes: tuple[int, ...] = (1, 2, 3)  # squares of k × k cells
    cluster_days: tuple[float, ...] = (1.0, 3.0, 7.0)  # durations (sliding by day)
    cluster_min_count: int = 4  # fewest distinct incidents in a cluster
    cluster_dedup_s: int = 1800  # reports in one cell and half-hour: one incident
    cluster_prior_days: float = 14.0  # weight of the neighbourhood prior, in days
    cluster_max: int = 10  # most clusters reported (strongest first)
    cluster_margin_m: float = 500.0  # around the zones, still scanned
    # -- recurring terms
    term_min_reports: int = 3  # a term must be in at least this many reports
    term_prior: float = 0.5  # pseudo-reports of the prior (Jeffreys-like)
    term_max_baseline: int = 50_000  # baseline reports read (evenly sampled beyond)
    term_max_len: int = 3  # longest phrase, in words
    term_max: int = 10  # most terms reported (strongest first)
