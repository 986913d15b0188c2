"""Replay from the project's recorder: its index and its segment files, decoded
with PyAV (Qt-free).

:class:`LocalFeed` opens the segment holding the instant asked for (or the next
one), seeks to the keyframe at or before it and decodes forward, then goes on
into the following segments. A frame's filmed time is ``segment.start + (pts −
the segment's first pts)``: it holds whether FFmpeg reset the timestamps of each
segment to 0 or kept the stream's. Where the index has a hole, the pictures stop
with a :class:`~csu_console.core.recording.Gap` (its reason from the index); a
segment PyAV cannot read is skipped with a warning naming the file, and shown
as a gap « segment illisible ».
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from functools import partial
from pathlib import Path
from typing import Any

from csu_console.core.recording import Coverage, Gap, GapReason, Segment, coverage_of
from csu_console.media.replay.source import LazyRecordedFrame, RecordedFrame, ReplayError
from csu_console.recorder.index import RecordingIndex

log = logging.getLogger("csu.replay")

#: A segment whose pictures stop this long before its indexed end is cut short
#: (a truncated file): the rest is a gap « segment illisible ».
TRUNCATED_S = 1.0
#: Two segments closer than this follow each other without a gap (FFmpeg's
#: segment boundaries are a frame apart, not exact).
TOUCHING_S = 0.5


def _ts(at: datetime) -> float:
    return at.timestamp()


def _dt(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


class LocalFeed:
    """One camera's recordings in a recorder folder (see the module)."""

    def __init__(self, camera_id: str, index: RecordingIndex) -> None:
        self.camera_id = camera_id
        self.index = index
        self._lock = threading.Lock()
        # Segments found unreadable by this console (the index is the recorder's:
        # the console does not mark them there), keyed by path, with the file's
        # size then: a file rewritten since is tried again.
        self._unreadable: dict[Path, int] = {}
        self._partial: set[Path] = set()

    def __repr__(self) -> str:
        return f"LocalFeed({self.camera_id!r}, {self.index.root})"

    # -- what is recorded -------------------------------------------------------------

    def coverage(self, start: datetime, end: datetime) -> Coverage:
        try:
            return self._coverage(start, end)
        except sqlite3.Error as exc:
            raise ReplayError(f"index d'enregistrement illisible : {exc}") from exc

    def _coverage(self, start: datetime, end: datetime) -> Coverage:
        cov = self.index.coverage(self.camera_id, start, end)
        bad = [s for s in self.index.segments(self.camera_id, start, end) if self.is_unreadable(s)]
        if not bad:
            return cov
        good = [
            s.span()
            for s in self.index.segments(self.camera_id, start, end)
            if not self.is_unreadable(s)
        ]
        gaps = [*cov.gaps, *(Gap(s.start, s.end, GapReason.CORRUPT) for s in bad)]
        return coverage_of(self.camera_id, start, end, good, gaps)

    def is_unreadable(self, segment: Segment) -> bool:
        with self._lock:
            size = self._unreadable.get(segment.path)
        return size is not None and size == segment.size

    def mark_unreadable(self, segment: Segment, why: str) -> None:
        with self._lock:
            known = self._unreadable.get(segment.path) == segment.size
            self._unreadable[segment.path] = segment.size
        if not known:
            log.warning(
                "caméra %s : segment illisible, ignoré : %s (%s)",
                self.camera_id,
                segment.path,
                why,
            )

    def warn_partial(self, segment: Segment, until: datetime, why: str) -> None:
        """A segment readable only up to ``until`` (truncated, damaged inside)."""
        with self._lock:
            known = segment.path in self._partial
            self._partial.add(segment.path)
        if not known:
            log.warning(
                "caméra %s : segment illisible après %s, fin ignorée : %s (%s)",
                self.camera_id,
                until.strftime("%H:%M:%S"),
                segment.path,
                why,
            )

    def next_segment(self, at: datetime) -> Segment | None:
        """The readable segment holding ``at``, else the next one (skipping those
        this console found unreadable)."""
        cursor = at
        while True:
            try:
                segment = self.index.segment_at(self.camera_id, cursor)
            except sqlite3.Error as exc:
                raise ReplayError(f"index d'enregistrement illisible : {exc}") from exc
            if segment is None or not self.is_unreadable(segment):
                return segment
            cursor = max(segment.end, cursor + timedelta(microseconds=1))

    # -- pictures ---------------------------------------------------------------------

    def open(self, at: datetime) -> LocalFrames:
        if not self.index.root.is_dir():
            raise ReplayError(f"aucun enregistrement : dossier {self.index.root} introuvable")
        return LocalFrames(self, at.astimezone(UTC))


class LocalFrames:
    """The pictures of a :class:`LocalFeed` from an instant on (see the module).
    Iterate it on one thread; :meth:`close` may come from another."""

    def __init__(self, feed: LocalFeed, at: datetime) -> None:
        self.feed = feed
        self.at = at
        self._closed = threading.Event()
        self._container: Any = None

    def close(self) -> None:
        self._closed.set()

    def __iter__(self) -> Iterator[RecordedFrame | Gap]:
        cursor = self.at
        seek = True  # the first segment is entered at ``at``; the next ones from their start
        last_at: float | None = None  # the last picture's time: never go back
        try:
            while not self._closed.is_set():
                segment = self.feed.next_segment(cursor)
                if segment is None:
                    # Nothing recorded after the cursor (yet: the recorder indexes a
                    # segment when it closes it): the gap up to now, then the end.
                    now = datetime.now(UTC)
                    yield from self._gaps(cursor, max(now, cursor + timedelta(seconds=1)))
                    return
                if (segment.start - cursor).total_seconds() > TOUCHING_S:
                    yield from self._gaps(cursor, segment.start)
                start_in = cursor if seek and cursor > segment.start else None
                seek = False
                end_ts: float | None = None
                for item in self._decode(segment, start_in):
                    if self._closed.is_set():
                        return
                    if isinstance(item, Gap):
                        yield item
                        break
                    if last_at is not None and item.at <= last_at:
                        continue  # segments overlapping by a frame
                    last_at = end_ts = item.at
                    yield item
                else:
                    if end_ts is not None and _ts(segment.end) - end_ts > TRUNCATED_S + 0.04:
                        # The file ends before what the index says: cut short.
                        self.feed.warn_partial(segment, _dt(end_ts), "fichier tronqué")
                        yield Gap(_dt(end_ts), segment.end, GapReason.CORRUPT)
                cursor = max(segment.end, cursor + timedelta(microseconds=1))
        finally:
            self._close_container()

    def _gaps(self, start: datetime, end: datetime) -> Iterator[Gap]:
        cov = self.feed.coverage(start, end)
        yield from cov.gaps or (Gap(start, end, GapReason.NONE),)

    def _close_container(self) -> None:
        container, self._container = self._container, None
        if container is not None:
            container.close()

    def _decode(self, segment: Segment, at: datetime | None) -> Iterator[RecordedFrame | Gap]:
        """The pictures of ``segment`` from the keyframe at or before ``at`` (None:
        from its start); a :class:`Gap` « segment illisible » for what cannot be read."""
        import av

        last: float | None = None
        try:
            container = av.open(str(segment.path), mode="r")
            self._container = container
            if not container.streams.video:
                raise ReplayError("pas de piste vidéo")
            stream = container.streams.video[0]
            base = Fraction(stream.time_base or Fraction(1, 1000))
            first = stream.start_time
            if first is None:
                first = next(p.pts for p in container.demux(stream) if p.pts is not None)
                container.seek(first, stream=stream, backward=True)
            step = 1 / float(stream.average_rate or 25)
            origin = _ts(segment.start)
            if at is not None:
                target = first + int((_ts(at) - origin) / base)
                container.seek(target, stream=stream, backward=True, any_frame=False)
            previous: float | None = None
            for frame in container.decode(stream):
                if self._closed.is_set():
                    return
                if frame.pts is not None:
                    filmed = origin + float((frame.pts - first) * base)
                elif previous is not None:
                    filmed = previous + step
                else:
                    continue
                previous = filmed
                last = filmed
                yield LazyRecordedFrame(
                    filmed, partial(frame.to_ndarray, format="bgr24"), bool(frame.key_frame)
                )
        except (av.FFmpegError, OSError, ValueError, StopIteration, ReplayError) as exc:
            why = str(exc) or type(exc).__name__
            if last is None:
                self.feed.mark_unreadable(segment, why)
            else:
                self.feed.warn_partial(segment, _dt(last), why)
            start = segment.start if last is None else _dt(last + 0.04)
            yield Gap(start, segment.end, GapReason.CORRUPT)
        finally:
            self._close_container()
