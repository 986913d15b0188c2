"""The background prober: every camera of the site, checked in turn (Qt-free).

One scheduler thread keeps a heap of due checks and hands them to a small pool
of worker threads:

* a light check every ``probe_every_s`` per camera: connect and one RTSP
  ``DESCRIBE`` (with the camera's credentials, answering its challenge) within
  ``timeout_s`` (:func:`~csu_console.media.video.classify.diagnose`) —
  refused, silent, 401 or 404 is « hors service »;
* a short decode every ``decode_every_s`` per camera, sub-stream preferred, at
  most ``decoders`` at once: key frames only, judged black or frozen
  (:mod:`.picture`).

Checks of one camera never overlap; first checks are spread evenly over one
interval so 200 cameras do not all ring at start-up. Results go to a
:class:`~csu_console.core.camera_state.CameraHealthBook`. URLs carry the
credentials; nothing logged here shows them.
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from csu_console.config.schema import Camera, ProberConfig
from csu_console.core.camera_state import CameraHealthBook, CameraState, Report, Witness
from csu_console.media.probe.picture import PictureCheck, Verdict, decode_check
from csu_console.media.video.classify import diagnose

log = logging.getLogger("csu.prober")

LIGHT, DECODE = "light", "decode"
#: A decode asked for out of turn (a camera answering again): not rescheduled.
DECODE_ONCE = "decode_once"
#: Light checks in a row that fail before the camera is « hors service ».
LIGHT_MISSES = 2
#: Decodes in a row without any picture before the camera is « hors service »
#: (the light check passed: the camera answers but sends nothing decodable).
DECODE_MISSES = 2
#: The first checks wait this long after the start (at most one probe interval).
START_DELAY_S = 10.0
#: Stream time a decode looks at: two key frames or more at the usual one a second.
DECODE_WINDOW_S = 2.0

Light = Callable[[str, float], "str | None"]  # url, timeout -> failure detail or None
Decode = Callable[[str, float, float], PictureCheck]  # url, window, timeout


def light_check(url: str, timeout_s: float) -> str | None:
    """The light exchange: None when the camera answers and describes a video track."""
    found = diagnose(url, timeout_s)
    return None if found is None else f"{found.error.value} : {found.detail}"


_VERDICT_STATE = {
    Verdict.LIVE: CameraState.OK,
    Verdict.BLACK: CameraState.BLACK,
    Verdict.FROZEN: CameraState.FROZEN,
    Verdict.NO_PICTURE: CameraState.OFFLINE,
}


@dataclass(frozen=True, slots=True)
class ProberStats:
    """Counts since the start (the bench and the list's title read them)."""

    light: int
    decodes: int


class CameraProber:
    """Checks every camera of ``cameras`` and reports to ``book``; see the module."""

    def __init__(
        self,
        cameras: Sequence[Camera],
        book: CameraHealthBook,
        settings: ProberConfig,
        *,
        decoders: int = 1,
        light: Light = light_check,
        decode: Decode = decode_check,
        window_s: float = DECODE_WINDOW_S,
    ) -> None:
        self._cameras = {c.id: c for c in cameras}
        self._book, self.settings = book, settings
        self._light, self._decode, self._window_s = light, decode, window_s
        self._heap: list[tuple[float, int, str, str]] = []
        self._seq = 0
        self._busy: set[tuple[str, bool]] = set()  # (camera, decode?) running
        self._once: set[str] = set()  # cameras with an out-of-turn decode pending
        self._last_decode: dict[str, float] = {}
        self._misses: dict[str, int] = {}  # decodes in a row without a picture
        self._light_misses: dict[str, int] = {}  # light checks in a row unanswered
        self._down_by_light: set[str] = set()  # OFFLINE for not answering, not for its picture
        self._decoders = max(1, decoders)
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._pool: ThreadPoolExecutor | None = None  # light checks
        self._decode_pool: ThreadPoolExecutor | None = None  # decodes: apart, never starve them
        self._thread: threading.Thread | None = None
        self._light_count = 0
        self._decode_count = 0
        self.threads: list[threading.Thread] = []  # the bench measures their CPU

    @property
    def stats(self) -> ProberStats:
        return ProberStats(self._light_count, self._decode_count)

    def start(self) -> None:
        """Spread the first checks over one interval and start the threads."""
        if self._thread is not None or not self._cameras:
            return
        now, s = time.monotonic(), self.settings
        n = len(self._cameras)
        # Gently at start: the console is opening its own streams. The first light
        # checks after START_DELAY_S, spread over one interval (a camera that answers
        # is green at once); the first decodes spread over one decode interval.
        begin = now + min(START_DELAY_S, s.probe_every_s)
        for i, cid in enumerate(self._cameras):
            self._push(begin + s.probe_every_s * i / n, LIGHT, cid)
            self._push(begin + s.decode_every_s * (i + 0.5) / n, DECODE, cid)
        self._pool = ThreadPoolExecutor(s.workers, thread_name_prefix="csu-prober")
        self._decode_pool = ThreadPoolExecutor(self._decoders, thread_name_prefix="csu-prober-dec")
        self._thread = threading.Thread(target=self._run, name="csu-prober-sched", daemon=True)
        self._thread.start()
        self.threads.append(self._thread)
        log.info("surveillance de %d caméra(s) en fond", n)

    def stop(self) -> None:
        """Stop scheduling; running checks end within their timeout (not waited for)."""
        self._stop.set()
        with self._cond:
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(2.0)
        for pool in (self._pool, self._decode_pool):
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)

    def check_now(self, camera_id: str) -> None:
        """Check ``camera_id`` at once (the list's « Vérifier »)."""
        self._push(time.monotonic(), LIGHT + "_once", camera_id)
        self._decode_soon(camera_id, force=True)

    def _decode_soon(self, camera_id: str, force: bool = False) -> None:
        """An out-of-turn decode: one pending at most per camera, and for a camera
        that stays black or frozen not more often than :meth:`_redecode_gap`."""
        with self._cond:
            if camera_id in self._once:
                return
            last = self._last_decode.get(camera_id, -1e9)
            if not force and time.monotonic() - last < self._redecode_gap():
                return
            self._once.add(camera_id)
        self._push(time.monotonic(), DECODE_ONCE, camera_id)

    def _redecode_gap(self) -> float:
        s = self.settings
        return min(s.decode_every_s, max(4 * s.probe_every_s, 2.0))

    # -- scheduling ------------------------------------------------------------------

    def _push(self, due: float, kind: str, camera_id: str) -> None:
        with self._cond:
            self._seq += 1
            heapq.heappush(self._heap, (due, self._seq, kind, camera_id))
            self._cond.notify()

    def _run(self) -> None:
        while not self._stop.is_set():
            with self._cond:
                if not self._heap:
                    self._cond.wait(1.0)
                    continue
                due, _, kind, cid = self._heap[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self._cond.wait(min(wait, 1.0))
                    continue
                heapq.heappop(self._heap)
                key = (cid, kind.startswith(DECODE))
                if key in self._busy:  # one check of each sort per camera: a bit later
                    heapq.heappush(self._heap, (due + 0.5, self._seq, kind, cid))
                    self._seq += 1
                    continue
                self._busy.add(key)
            pool = self._decode_pool if key[1] else self._pool
            assert pool is not None
            try:
                pool.submit(self._check, kind, cid)
            except RuntimeError:  # shut down meanwhile
                return

    def _check(self, kind: str, camera_id: str) -> None:
        camera = self._cameras[camera_id]
        if threading.current_thread() not in self.threads:
            self.threads.append(threading.current_thread())
        s = self.settings
        try:
            if kind.startswith(LIGHT):
                self._light_count += 1
                failure = self._light(camera.stream_main, s.timeout_s)
                misses = self._light_misses.get(camera_id, 0) + 1 if failure else 0
                self._light_misses[camera_id] = misses
                if failure is not None and misses < LIGHT_MISSES:
                    # one unanswered exchange (a busy camera, a lost packet) is not an
                    # outage: ask again at once
                    self._push(time.monotonic() + 0.2, LIGHT + "_once", camera_id)
                elif failure is not None:
                    self._down_by_light.add(camera_id)
                    self._report(camera_id, CameraState.OFFLINE, failure)
                elif camera_id in self._down_by_light:
                    # down only because it did not answer: answering again is as good
                    # as a first answer (a black or frozen picture is the decode's word)
                    self._down_by_light.discard(camera_id)
                    self._report(camera_id, CameraState.OK, "répond de nouveau")
                elif self._book.status(camera_id).state is CameraState.OK:
                    self._report(camera_id, CameraState.OK, "")
                elif self._book.status(camera_id).state is CameraState.UNKNOWN:
                    # answers with a video track: green at once, its decode comes in turn
                    self._report(camera_id, CameraState.OK, "répond (image pas encore vue)")
                else:
                    # answers, but is it a picture? (not known yet, or was down)
                    self._decode_soon(camera_id)
            else:
                with self._cond:
                    self._last_decode[camera_id] = time.monotonic()
                    self._once.discard(camera_id)
                self._decode_count += 1
                url = camera.stream_sub or camera.stream_main
                result = self._decode(url, self._window_s, s.timeout_s)
                failed = result.verdict == Verdict.NO_PICTURE
                misses = self._misses[camera_id] = (
                    self._misses.get(camera_id, 0) + 1 if failed else 0
                )
                if failed and misses < DECODE_MISSES:
                    # one decode that gets nothing (a slow start, a dropped session) is
                    # not an outage: try again at once before saying so
                    log.info("décodage de %s sans image, nouvel essai", camera_id)
                    self._decode_soon(camera_id, force=True)
                else:
                    self._down_by_light.discard(camera_id)
                    self._report(camera_id, _VERDICT_STATE[result.verdict], result.detail, True)
        except Exception:
            log.exception("vérification %s de %s en échec", kind, camera_id)
        finally:
            with self._cond:
                self._busy.discard((camera_id, kind.startswith(DECODE)))
            every = s.probe_every_s if kind == LIGHT else s.decode_every_s
            if kind in (LIGHT, DECODE) and not self._stop.is_set():
                self._push(time.monotonic() + every, kind, camera_id)

    def _report(
        self, camera_id: str, state: CameraState, detail: str, picture: bool = False
    ) -> None:
        before = self._book.status(camera_id).state
        self._book.report(
            Report(
                camera_id,
                state,
                Witness.PROBER,
                datetime.now(UTC),
                time.monotonic(),
                detail,
                picture,
            )
        )
        if state is not before:
            # INFO: a drop is not yet an outage; the outage itself (past offline_after_s)
            # is the WARNING, with its alert (ui/console/camera_watch.py)
            log.info("caméra %s : %s (%s)", camera_id, state.value, detail or "-")
