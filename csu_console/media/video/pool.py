"""Which streams are decoding, and for whom (Qt-free).

Streams are shared by URL: the wall's tiles, the pre-warm of a new alert and the
installer's stream test may all want the same camera, and it is decoded once.
Each user is a *holder* (a string such as ``"tile:3"`` or ``"prewarm:812"``),
optionally until a deadline. A stream nobody holds keeps decoding for a grace
period — the operator often comes back to the camera they just left — then
:meth:`StreamPool.reap` stops it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from csu_console.media.video.redact import redact_url
from csu_console.media.video.source import CameraSource, HealthSettings, SourceListener

log = logging.getLogger("csu.media")

SourceFactory = Callable[[str, SourceListener, HealthSettings], CameraSource]


@dataclass
class _Entry:
    source: CameraSource
    holders: dict[str, float | None] = field(default_factory=dict)  # holder -> until
    idle_since: float | None = None


class StreamPool:
    """Starts a source on first use, shares it, stops it after ``grace_s`` unheld."""

    def __init__(
        self,
        factory: SourceFactory,
        listener: SourceListener,
        health: HealthSettings | None = None,
        *,
        grace_s: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._factory = factory
        self._listener = listener
        self.health = health or HealthSettings()
        self.grace_s = grace_s
        self._clock = clock
        self._entries: dict[str, _Entry] = {}

    def acquire(self, url: str, holder: str, *, until: float | None = None) -> CameraSource:
        """Hold ``url`` for ``holder`` (until a monotonic deadline, or until released);
        starts decoding at once when it is not already."""
        entry = self._entries.get(url)
        if entry is None:
            source = self._factory(url, self._listener, self.health)
            entry = self._entries[url] = _Entry(source)
            log.info("flux démarré : %s (%s)", redact_url(url), source.backend)
            source.start()
        if holder in entry.holders:
            # a longer hold wins: pre-warming again must not shorten a hold
            old = entry.holders[holder]
            until = None if until is None or old is None else max(until, old)
        entry.holders[holder] = until
        entry.idle_since = None
        return entry.source

    def release(self, url: str, holder: str) -> None:
        """``holder`` no longer needs ``url``; the grace period starts if nobody does."""
        entry = self._entries.get(url)
        if entry is None or holder not in entry.holders:
            return
        del entry.holders[holder]
        self._mark_idle(entry, self._clock())

    def release_holder(self, holder: str) -> None:
        """Drop every hold of ``holder``."""
        for url in [u for u, e in self._entries.items() if holder in e.holders]:
            self.release(url, holder)

    def source(self, url: str) -> CameraSource | None:
        entry = self._entries.get(url)
        return entry.source if entry else None

    def active_urls(self) -> list[str]:
        return list(self._entries)

    def holders(self, url: str) -> list[str]:
        entry = self._entries.get(url)
        return sorted(entry.holders) if entry else []

    def reap(self) -> list[str]:
        """Expire timed holds, stop streams unheld for longer than the grace period;
        returns the URLs stopped. Call it every second or so."""
        now = self._clock()
        stopped = []
        for url, entry in list(self._entries.items()):
            for holder, until in list(entry.holders.items()):
                if until is not None and until <= now:
                    del entry.holders[holder]
            self._mark_idle(entry, now)
            if entry.idle_since is not None and now - entry.idle_since >= self.grace_s:
                del self._entries[url]
                entry.source.stop()
                log.info("flux arrêté (plus regardé) : %s", redact_url(url))
                stopped.append(url)
        return stopped

    def stop_all(self, join_s: float = 3.0) -> None:
        """Stop every stream and wait (``join_s`` in all) for the decoding threads:
        a decoder still running when Python exits can abort the process."""
        sources = [e.source for e in self._entries.values()]
        self._entries.clear()
        for source in sources:
            source.stop()
        deadline = time.monotonic() + join_s
        for source in sources:
            if not source.join(max(0.0, deadline - time.monotonic())):
                log.info("flux %s : fil de décodage encore actif", redact_url(source.url))

    @staticmethod
    def _mark_idle(entry: _Entry, now: float) -> None:
        if not entry.holders and entry.idle_since is None:
            entry.idle_since = now
