"""The weak-signal contract: the history scanned, the signals found, their status.

- :class:`AlertHistory` is the stored history as columns (numpy arrays, one row per
  alert), so that a scan over a million alerts stays within seconds. The detector
  places the rows in the zones itself (:meth:`~csu_console.core.territory.Territory.place_many`).
- A :class:`Signal` is one finding, **explained in plain French**: its ``title``
  (« 5 démarchages abusifs en 7 jours à Secteur Gare, 0,6 attendus »), the ``test``
  that flagged it and its figure, the alerts behind it and their places. Its ``id``
  is stable: the same finding in the next scan (same kind, cell and window start
  day) has the same id, so a supervisor's « suivi » / « sans suite » sticks to it.
- :class:`SignalStatus`: new until a supervisor decides; every decision is logged
  (``EventKind.SIGNAL_FOLLOWED`` / ``SIGNAL_DISMISSED``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import numpy as np
import numpy.typing as npt

AlertKey = tuple[str, str]


class SignalKind(StrEnum):
    RECURRENCE = "recurrence"  # a zone × category well above its own baseline
    CLUSTER = "cluster"  # a space–time cluster (crosses zones and communes)
    TERM = "term"  # a term coming back in report texts (« camionnette blanche »)


SIGNAL_KIND_LABELS: dict[SignalKind, str] = {
    SignalKind.RECURRENCE: "Récurrence",
    SignalKind.CLUSTER: "Regroupement spatio-temporel",
    SignalKind.TERM: "Terme récurrent",
}


class SignalStatus(StrEnum):
    NEW = "nouveau"
    FOLLOWED = "suivi"
    DISMISSED = "sans_suite"


SIGNAL_STATUS_LABELS: dict[SignalStatus, str] = {
    SignalStatus.NEW: "Nouveau",
    SignalStatus.FOLLOWED: "Suivi",
    SignalStatus.DISMISSED: "Sans suite",
}


@dataclass(frozen=True)
class Signal:
    """One weak signal, explained (see the module docstring)."""

    id: str  # stable: :func:`signal_id`
    kind: SignalKind
    title: str  # plain French, one line
    test: str  # the test and its figure, in French (« Poisson… p corrigé = 0,002 »)
    strength: float  # sort key, larger is stronger (e.g. −log10 of the corrected p)
    start: datetime  # the window the signal covers, aware
    end: datetime
    observed: int  # alerts in the window
    expected: float  # what the baseline expected there (0 when not meaningful)
    p_value: float  # corrected for the number of cells tested (1.0: not applicable)
    category: str | None = None  # Category value, when the signal is about one
    zone_ids: tuple[str, ...] = ()  # the zones concerned
    communes: tuple[str, ...] = ()  # the communes concerned (Commune.key)
    term: str | None = None  # the recurring term (TERM signals)
    alerts: tuple[AlertKey, ...] = ()  # the alerts behind it
    places: tuple[tuple[float, float], ...] = ()  # (lon, lat) of those alerts


def signal_id(kind: SignalKind, cell: str, start: datetime) -> str:
    """A stable id: the kind, the cell (zone×category, cluster centre cell, term) and
    the window's start day (UTC), hashed short."""
    text = f"{kind.value}|{cell}|{start.date().isoformat()}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int32]


@dataclass
class AlertHistory:
    """The stored alerts as columns; row ``i`` is one alert.

    ``t``: when it was reported, UTC epoch seconds (``Alert.sent``); ``lon``/``lat``:
    NaN without position; ``category``: index into ``categories`` (Category values);
    ``text``: title and description joined (may be empty once purged); ``keys``:
    (source, id) for the signal's alert list. Rows need not be sorted.
    """

    t: Floats
    lon: Floats
    lat: Floats
    category: Ints
    categories: tuple[str, ...]
    keys: list[AlertKey] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return int(self.t.shape[0])
