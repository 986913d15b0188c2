"""The weak-signal detector: one scan of the stored history (Qt-free, numpy).

:func:`detect` runs the three families of tests (``docs/weak_signals.md``):

1. :func:`~.recurrence.recurrences`: a zone × category above its own baseline;
2. :func:`~.clusters.clusters`: space–time bursts, across zone and commune borders;
3. :func:`~.terms.recurring_terms`: the same words coming back in report texts;

and returns their signals, strongest first. Each family's p-values are adjusted
for the number of tests it made (Holm). Pure: the same history, territory and
``now`` give the same signals with the same ids.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from csu_console.core.territory import Territory
from csu_console.core.weak_signals.clusters import clusters
from csu_console.core.weak_signals.model import AlertHistory, Signal
from csu_console.core.weak_signals.params import DetectorParams
from csu_console.core.weak_signals.recurrence import recurrences
from csu_console.core.weak_signals.scan import build_scan
from csu_console.core.weak_signals.terms import recurring_terms

log = logging.getLogger("csu.signals")

__all__ = ["DetectorParams", "detect"]


def detect(
    history: AlertHistory,
    territory: Territory,
    now: datetime,
    params: DetectorParams = DetectorParams(),  # noqa: B008 - frozen, shared safely
) -> list[Signal]:
    """The weak signals of the window ``[now − window_days, now)`` against the
    ``baseline_weeks`` before it, sorted by strength (strongest first).

    ``now`` must be timezone-aware. Rows outside the scanned range are ignored;
    a row without position counts for the terms only (zones and clusters need a
    position); a purged (empty or sealed) text gives no term.
    """
    if now.tzinfo is None:
        raise ValueError("detect() needs an aware 'now'")
    started = time.perf_counter()
    scan = build_scan(history, territory, now, params)
    placed = time.perf_counter()
    found = [*recurrences(scan), *clusters(scan), *recurring_terms(scan)]
    found.sort(key=lambda s: (-s.strength, s.kind.value, s.id))
    log.info(
        "signaux faibles : %d signal(aux) sur %d alerte(s) en %.2f s (placement %.2f s)",
        len(found),
        int(scan.rows.size),
        time.perf_counter() - started,
        placed - started,
    )
    return found
