"""One weak-signal scan, Qt-free: load the history, run the detector, save.

:func:`find_signals` reads (any connection, read-only included: the console runs
it on a thread of its own so that the storage thread keeps writing alerts) and
:func:`~csu_console.storage.weak_signals.save_scan` writes (the storage thread).
:func:`run_scan` does both on one store (the command line, the tests).

The history covers the detector's window and its baseline (``[signals]``
``window_days`` and ``baseline_weeks``), up to ``now``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from csu_console.core.territory import Territory
from csu_console.core.weak_signals.detector import detect
from csu_console.core.weak_signals.model import AlertHistory, Signal
from csu_console.core.weak_signals.params import DetectorParams
from csu_console.storage.signal_history import load_history
from csu_console.storage.store import Store
from csu_console.storage.weak_signals import save_scan

log = logging.getLogger("csu.signals")


class ScanSettings(Protocol):
    """What a scan reads of ``[signals]`` (``config.schema.ScanSettings``)."""

    @property
    def window_days(self) -> int: ...
    @property
    def baseline_weeks(self) -> int: ...


#: ``load(store, start, end)``: the stored alerts reported in [start, end).
Loader = Callable[[Store, datetime, datetime], AlertHistory]
#: ``detect(history, territory, now, params)``: the signals found.
Detector = Callable[[AlertHistory, Territory, datetime, Any], list[Signal]]


@dataclass(frozen=True)
class ScanEngine:
    """What a scan runs: the history loader, the detector and its parameters."""

    load: Loader
    detect: Detector
    params: Callable[[ScanSettings], Any]


@dataclass(frozen=True)
class Findings:
    """What one scan found, before it is saved."""

    at: datetime
    signals: list[Signal]
    alerts: int  # rows of history scanned
    load_s: float
    detect_s: float


@dataclass(frozen=True)
class ScanResult:
    """One saved scan: what was found and which of it was new."""

    findings: Findings
    new_ids: list[str] = field(default_factory=list)

    @property
    def found(self) -> int:
        return len(self.findings.signals)


def history_start(settings: ScanSettings, now: datetime) -> datetime:
    """The first instant the detector looks at: its baseline, then its window."""
    return now - timedelta(days=settings.window_days + 7 * settings.baseline_weeks)


def find_signals(
    store: Store,
    territory: Territory,
    settings: ScanSettings,
    now: datetime,
    engine: ScanEngine,
) -> Findings:
    """Load the history the detector needs and run it (reads only)."""
    t0 = time.perf_counter()
    history = engine.load(store, history_start(settings, now), now)
    t1 = time.perf_counter()
    signals = engine.detect(history, territory, now, engine.params(settings))
    t2 = time.perf_counter()
    log.info(
        "analyse : %d alerte(s) lues en %.2f s, %d signal(aux) en %.2f s",
        len(history), t1 - t0, len(signals), t2 - t1,
    )  # fmt: skip
    return Findings(now, signals, len(history), t1 - t0, t2 - t1)


def run_scan(
    store: Store,
    territory: Territory,
    settings: ScanSettings,
    now: datetime,
    station: str | None,
    engine: ScanEngine,
) -> ScanResult:
    """Find and save on one store; the saved result."""
    findings = find_signals(store, territory, settings, now, engine)
    return ScanResult(findings, save_scan(store, findings.signals, now, station))


def detector_params(settings: ScanSettings) -> DetectorParams:
    """The detector's parameters from ``[signals]`` (the rest keep their defaults)."""
    return DetectorParams(window_days=settings.window_days, baseline_weeks=settings.baseline_weeks)


def default_engine() -> ScanEngine:
    """The stored history (:func:`~csu_console.storage.signal_history.load_history`)
    and the real detector (:func:`~csu_console.core.weak_signals.detector.detect`)."""
    return ScanEngine(load_history, detect, detector_params)
