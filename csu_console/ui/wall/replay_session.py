"""One replay on the wall: its clock, its sources, its timeline and its record.

« Relecture » on a tile replays that camera; « Relecture du mur » replays every
camera on the wall on ONE shared :class:`ReplayClock` (the sources show the latest
frame recorded at or before the clock's position, so the tiles stay in step by
construction). The coverage under the timeline is read on a worker thread (it
reads the recorder's SQLite index), every :data:`COVERAGE_EVERY_S`.

What was actually seen — the filmed times of the pictures shown — is kept, and the
main courante gets a ``recording_viewed`` event when the replay starts and when it
ends (who, which cameras, from/to, the alert or the reason): the CNIL record of
recordings viewed, as for live viewing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from csu_console.config import Camera
from csu_console.core.recording import Coverage, ReplayMark
from csu_console.media.replay.clock import SPEEDS, ReplayClock
from csu_console.media.replay.source import ReplayError, ReplayFeeds, ReplaySource
from csu_console.media.video.source import CameraSource, SourceListener, StreamState
from csu_console.ui.wall.wall import CameraWall

log = logging.getLogger("csu.replay")

TICK_MS = 200  # the cursor, the bar's time, « PAUSE » on the tiles
COVERAGE_EVERY_S = 5.0  # the recorder keeps writing: the timeline follows
BEFORE_RANGE = timedelta(seconds=30)  # the timeline starts this long before the replay
MIN_RANGE = timedelta(minutes=3)
AFTER_RANGE = timedelta(minutes=5)  # the timeline's end after the replay's start
JOIN_S = 3.0  # quit: how long the decoding threads are waited for, in all


@dataclass
class ReplayRun:
    """One replay session, from « Relecture » to « Direct »."""

    number: int
    clock: ReplayClock
    cameras: list[Camera]
    sources: dict[str, ReplaySource]
    alert_pk: int | None
    reason: str  # outside an alert: why (CNIL); "" inside one
    context: str  # the wall's title (the alert) when inside one
    whole_wall: bool
    start: datetime
    seen_from: datetime | None = None  # filmed times of the pictures shown
    seen_to: datetime | None = None
    marks: list[ReplayMark] = field(default_factory=list)
    opened_single: bool = False  # the replay showed its camera alone: the grid after

    @property
    def camera_ids(self) -> list[str]:
        return [c.id for c in self.cameras]

    def saw(self, at: datetime) -> None:
        self.seen_from = at if self.seen_from is None else min(self.seen_from, at)
        self.seen_to = at if self.seen_to is None else max(self.seen_to, at)


class WallReplay(QObject):
    """Starts, drives and ends the wall's replay; logs it through ``record``."""

    started = Signal(object)  # ReplayRun
    ended = Signal(object, str)  # ReplayRun, why
    _coverage_read = Signal(int, object)  # run number, list[Coverage] (worker → GUI)

    def __init__(
        self,
        wall: CameraWall,
        listener: SourceListener,
        feeds: ReplayFeeds | None,
        tz: ZoneInfo,
        record: Callable[[int | None, dict[str, object]], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._wall, self._listener, self.feeds, self._tz = wall, listener, feeds, tz
        self._record = record
        self.run: ReplayRun | None = None
        self.last_error = ""  # why the last « Relecture » could not start (French)
        self._count = 0
        self._stopped: list[CameraSource] = []  # joined on quit
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="csu-replay-coverage")
        self._reading = False
        self._last_read = 0.0
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick)
        self._coverage_read.connect(self._on_coverage)
        bar = wall.replay_bar
        bar.play_toggled.connect(self.toggle)
        bar.skip_requested.connect(self.skip)
        bar.step_requested.connect(self.step)
        bar.speed_requested.connect(self.set_speed)
        bar.speed_shifted.connect(self.shift_speed)
        bar.timeline.seek_requested.connect(self.seek)

    # start / end ------------------------------------------------------------------
    def start(
        self,
        cameras: Sequence[Camera],
        at: datetime,
        *,
        alert_pk: int | None,
        reason: str,
        context: str,
        whole_wall: bool,
    ) -> ReplayRun | None:
        """Replay ``cameras`` from ``at``; a replay already running ends first."""
        feeds = self.feeds
        if feeds is None or not cameras:
            return None
        if self.run is not None:
            self.end("autre relecture")
        clock = ReplayClock(at)
        sources: dict[str, ReplaySource] = {}
        self.last_error = ""
        for camera in cameras:
            try:
                # A feed is a handle (the recorder's index, opened once and kept —
                # see warm() —, or an NVR's URL): the source's own thread reads.
                source = ReplaySource(camera.id, feeds.feed(camera), clock, self._listener)
                source.start()
            except ReplayError as exc:  # said in French: shown as is
                log.warning("relecture de %s impossible : %s", camera.id, exc)
                self.last_error = self.last_error or str(exc)
                continue
            except Exception as exc:  # noqa: BLE001 - a camera's feed cannot be built: the others play
                log.warning("relecture de %s impossible : %s", camera.id, exc)
                continue
            sources[camera.id] = source
        if not sources:
            return None
        self._count += 1
        run = ReplayRun(
            self._count,
            clock,
            [c for c in cameras if c.id in sources],
            sources,
            alert_pk,
            reason,
            context,
            whole_wall,
            at.astimezone(UTC),
        )
        self.run = run
        self._wall.set_replay(dict[str, CameraSource](sources), clock, whole_wall=whole_wall)
        timeline = self._wall.replay_bar.timeline
        ranks = {t.camera.id: t.rank for t in self._wall.visible_tiles() if t.camera is not None}
        timeline.set_cameras(
            run.camera_ids,
            {
                c.id: c.name if ranks.get(c.id) is None else f"{ranks[c.id]} {c.name}"
                for c in run.cameras
            },
        )
        timeline.coverages.clear()
        timeline.set_marks([])
        self._fit_range(run, at)
        self._last_read = 0.0
        self._tick.start()
        self._on_tick()
        log.info(
            "relecture de %s à partir de %s (%s)",
            ", ".join(run.camera_ids),
            run.start.isoformat(),
            f"alerte n° {alert_pk}" if alert_pk else "motif : " + reason,
        )
        self._log(run, "start", run.start, run.start)
        self.started.emit(run)
        return run

    def end(self, why: str) -> ReplayRun | None:
        """Back to live (``why``: « direct », « autre alerte », « déconnexion »,
        « fermeture »…): the sources stop, the tiles show live, the record written."""
        run = self.run
        if run is None:
            return None
        self._collect(run)
        self.run = None
        self._tick.stop()
        self._wall.clear_replay()
        for source in run.sources.values():
            source.stop()
            self._stopped.append(source)
        self._stopped = [s for s in self._stopped if not s.join(0)]
        seen_from = run.seen_from or run.start
        seen_to = run.seen_to or seen_from
        self._log(run, "end", seen_from, seen_to, why=why)
        log.info("relecture terminée (%s) : vu de %s à %s", why, seen_from, seen_to)
        self.ended.emit(run, why)
        return run

    def stop(self) -> None:
        """The console is closing: end the replay, wait for the decoding threads."""
        self.end("fermeture")
        self._pool.shutdown(wait=False, cancel_futures=True)
        if self.feeds is not None:
            try:
                self.feeds.close()
            except Exception as exc:  # noqa: BLE001 - closing must not keep the console from quitting
                log.warning("fermeture des enregistrements : %s", exc)
        deadline = time.monotonic() + JOIN_S
        for source in self._stopped:
            if not source.join(max(0.0, deadline - time.monotonic())):
                log.info("relecture %s : fil de décodage encore actif", source.url)
        self._stopped.clear()

    def warm(self, camera: Camera) -> None:
        """Open the recordings' index now, on the worker: the first « Relecture »
        does not wait on a disk (or a network share) on the GUI thread."""
        feeds = self.feeds
        if feeds is None:
            return

        def open_feed() -> None:
            try:
                feeds.feed(camera)
            except Exception as exc:  # noqa: BLE001 - said again, in French, at « Relecture »
                log.info("enregistrements non ouverts : %s", exc)

        self._pool.submit(open_feed)

    def set_marks(self, run_number: int, marks: list[ReplayMark]) -> None:
        run = self.run
        if run is None or run.number != run_number:
            return
        run.marks = marks
        self._fit_range(run, run.clock.position())
        self._wall.replay_bar.timeline.set_marks(marks)

    # controls: they only change the clock -------------------------------------------
    @Slot()
    def toggle(self) -> None:
        if self.run is not None:
            self.run.clock.toggle()
            self._on_tick()

    @Slot(float)
    def skip(self, seconds: float) -> None:
        if self.run is not None:
            self.run.clock.skip(seconds)
            self._on_tick()

    @Slot(int)
    def step(self, frames: int) -> None:
        if self.run is not None:
            self.run.clock.step(frames)
            self._on_tick()

    @Slot(float)
    def set_speed(self, speed: float) -> None:
        if self.run is not None:
            self.run.clock.set_speed(speed)
            self._on_tick()

    @Slot(int)
    def shift_speed(self, direction: int) -> None:
        if self.run is None:
            return
        speed = self.run.clock.speed
        index = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - speed))
        self.set_speed(SPEEDS[max(0, min(len(SPEEDS) - 1, index + direction))])

    @Slot(object)
    def seek(self, at: datetime) -> None:
        if self.run is not None:
            self.run.clock.seek(at)
            self._on_tick()

    # internals ----------------------------------------------------------------------
    def _log(
        self, run: ReplayRun, phase: str, seen_from: datetime, seen_to: datetime, why: str = ""
    ) -> None:
        details: dict[str, object] = {
            "phase": phase,
            "cameras": run.camera_ids,
            "from": seen_from.astimezone(UTC).isoformat(timespec="seconds"),
            "to": seen_to.astimezone(UTC).isoformat(timespec="seconds"),
            "wall": run.whole_wall,
        }
        if run.reason:
            details["reason"] = run.reason
        else:
            details["context"] = run.context
        if why:
            details["why"] = why
        self._record(run.alert_pk, details)

    def _collect(self, run: ReplayRun) -> None:
        """What the replaying tiles show now: their pictures' filmed times."""
        for tile in self._wall.visible_tiles():
            if tile.camera is None or tile.camera.id not in run.sources:
                continue
            at = tile.filmed_at()
            status = tile.status
            if at is None or (status is not None and status.state is StreamState.GAP):
                continue
            run.saw(datetime.fromtimestamp(at, UTC))

    def shown_time(self) -> str:
        """The filmed time of the first replaying tile's picture (hh:mm:ss), or ""."""
        run = self.run
        for tile in self._wall.visible_tiles():
            if run is None or tile.camera is None or tile.camera.id not in run.sources:
                continue
            at = tile.filmed_at()
            if at is not None and not (tile.status and tile.status.state is StreamState.GAP):
                return datetime.fromtimestamp(at, self._tz).strftime("%H:%M:%S")
        return ""

    def _title(self, run: ReplayRun) -> str:
        names = ", ".join(c.name for c in run.cameras)
        if run.whole_wall:
            names = self.tr("tout le mur ({n} caméras)").format(n=len(run.cameras))
        if run.reason:
            return self.tr("{names} – hors alerte, motif : {reason}").format(
                names=names, reason=run.reason
            )
        return f"{names} – {run.context}"

    @Slot()
    def _on_tick(self) -> None:
        run = self.run
        if run is None:
            return
        self._collect(run)
        state = run.clock.state()
        bar = self._wall.replay_bar
        bar.show_state(self._title(run), state, self.shown_time())
        timeline = bar.timeline
        if not timeline.start <= state.position <= timeline.end:
            self._fit_range(run, state.position)
        timeline.set_cursor(state.position)
        for tile in self._wall.visible_tiles():
            if tile.replaying:
                tile.update()  # « PAUSE », the speed: no new frame comes to say it
        if not self._reading and time.monotonic() - self._last_read >= COVERAGE_EVERY_S:
            self._read_coverage(run)

    def _fit_range(self, run: ReplayRun, around: datetime) -> None:
        """The timeline's period: from a little before the replay (or the first
        mark) to a few minutes after, with the clock's position inside."""
        times = [run.start, around, *(m.at for m in run.marks)]
        lo = min(times) - BEFORE_RANGE
        hi = max(max(times) + timedelta(seconds=60), run.start + AFTER_RANGE)
        now = datetime.now(UTC)
        hi = min(hi, max(now, around + timedelta(seconds=30)))
        if hi - lo < MIN_RANGE:
            lo = hi - MIN_RANGE
        timeline = self._wall.replay_bar.timeline
        if (lo, hi) != (timeline.start, timeline.end):
            timeline.set_range(lo, hi)
            self._last_read = 0.0  # a new period: its coverage now

    def _read_coverage(self, run: ReplayRun) -> None:
        feeds = self.feeds
        if feeds is None:
            return
        timeline = self._wall.replay_bar.timeline
        start, end = timeline.start, timeline.end
        cameras = list(run.cameras)
        number = run.number
        self._reading = True
        self._last_read = time.monotonic()

        def read() -> list[Coverage]:  # on the worker: SQLite, maybe the network
            out = []
            for camera in cameras:
                try:
                    out.append(feeds.coverage(camera, start, end))
                except Exception as exc:  # noqa: BLE001 - one camera's index unreadable: the others
                    log.warning("couverture de %s illisible : %s", camera.id, exc)
            return out

        def done(future: Future[list[Coverage]]) -> None:
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - cancelled at quit, or a bug: logged, not raised
                log.warning("couverture non lue : %s", exc)
                result = []
            self._coverage_read.emit(number, result)

        try:
            self._pool.submit(read).add_done_callback(done)
        except RuntimeError:  # shut down: the console is closing
            self._reading = False

    @Slot(int, object)
    def _on_coverage(self, number: int, coverages: list[Coverage]) -> None:
        self._reading = False
        run = self.run
        if run is None or run.number != number:
            return
        timeline = self._wall.replay_bar.timeline
        for coverage in coverages:
            timeline.set_coverage(coverage)
