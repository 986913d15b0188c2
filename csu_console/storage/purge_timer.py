"""The retention purge on a timer while the console runs (Qt-free).

A console may run for weeks: the purge that runs at start is not enough. A
:class:`PurgeTimer` submits the purge to the storage thread
(:class:`~csu_console.storage.writer.StorageWriter`, FIFO with every other job,
so it never races a batch of alerts) at start and then every ``interval_s``
(an hour by default); a purge that had nothing to do writes nothing. A failed
purge is logged and tried again at the next tick; the timer never stops the
console.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future

from csu_console.core.retention import RetentionPolicy
from csu_console.errors import StorageError
from csu_console.storage.retention import PurgeReport, PurgeZones
from csu_console.storage.store import Store

log = logging.getLogger("csu.storage")

#: How often the running console applies the retention policy.
PURGE_INTERVAL_S = 3600.0

Submit = Callable[[Callable[[Store], PurgeReport | None]], "Future[PurgeReport | None]"]


def purge_due(
    store: Store,
    policy: RetentionPolicy,
    *,
    station: str | None,
    zones: PurgeZones = (),
    timezone: str | None = None,
) -> PurgeReport | None:
    """Purge when something is due (None otherwise: no ``purged`` event for nothing)."""
    if timezone:
        store.set_timezone(timezone)  # at_local of the purged event
    if store.purge(policy, dry_run=True).total == 0:
        return None
    return store.purge(policy, station=station, operator="console", zones=zones)


class PurgeTimer:
    """Runs the purge through ``submit`` now and every ``interval_s`` seconds."""

    def __init__(
        self,
        submit: Submit,
        policy: RetentionPolicy,
        *,
        station: str | None,
        zones: PurgeZones = (),
        timezone: str | None = None,
        interval_s: float | None = None,
        on_report: Callable[[PurgeReport], None] | None = None,
    ) -> None:
        self._submit = submit
        self._policy = policy
        self._station = station
        self._zones = list(zones)
        self._timezone = timezone
        #: Seconds between purges (None: :data:`PURGE_INTERVAL_S`, read now).
        self.interval_s = PURGE_INTERVAL_S if interval_s is None else interval_s
        self._on_report = on_report
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="csu-purge-timer", daemon=True)
        #: Purges run so far (done or found nothing to do).
        self.runs = 0

    def set_policy(self, policy: RetentionPolicy) -> None:
        """The retention periods for the next purges (changed in the administration)."""
        self._policy = policy

    def start(self) -> None:
        """First purge now, then one per interval."""
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop ticking (a purge already queued still runs on the storage thread)."""
        self._stop.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    def run_once(self) -> PurgeReport | None:
        """Submit one purge and wait for it (None: nothing was due, or it failed)."""

        def job(store: Store) -> PurgeReport | None:
            return purge_due(
                store,
                self._policy,
                station=self._station,
                zones=self._zones,
                timezone=self._timezone,
            )

        try:
            report = self._submit(job).result()
        except StorageError as exc:
            log.warning("purge RGPD périodique impossible (nouvel essai dans %.0f s) : %s",
                        self.interval_s, exc)  # fmt: skip
            return None
        except Exception:  # a bug in the purge must not stop the timer nor the console
            log.exception("purge RGPD périodique : erreur inattendue")
            return None
        finally:
            self.runs += 1
        if report is not None:
            log.info("purge RGPD périodique : %s", report.summary())
            if self._on_report is not None:
                self._on_report(report)
        return report

    def _run(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            if self._stop.wait(self.interval_s):
                return
