"""One camera recorded by one FFmpeg process, copying the stream (no re-encoding).

FFmpeg's segment muxer writes ``<root>/<camera>/.incoming/<run>-NNNNNN.mkv`` and,
as each segment closes, a line ``name,stream_start,stream_end`` in a live CSV list
(it does not create folders, and names by its own clock). The job tails that list,
probes each closed segment (:func:`probe_segment`), files it in the index layout
``<root>/<camera>/<YYYYMMDD>/<HHMMSS>.mkv`` (UTC) and indexes it.

**Time.** A segment's times in the list are stream times, not wall times, and the
file's creation time is not when it was filmed (FFmpeg probes the stream for a
moment before writing anything). :class:`Calibration` maps stream time to wall
time: a segment closes only once the packet at ``stream_end`` has arrived, so
``wall_at_close - stream_end`` is the stream's origin plus the transport delay;
the smallest value seen in a run is the best estimate (every later observation can
only confirm or lower it). Segments indexed before a better estimate are re-dated.

**Faults.** FFmpeg exits or stops writing (``-timeout`` on the RTSP socket and a
watchdog on the segment files' growth): a gap « caméra hors service » opens at the
last recorded instant, the job retries with a growing delay (forever), and the gap
closes at the start of the first segment that arrives again. A segment PyAV cannot
read is filed anyway (evidence), marked corrupt and logged.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from csu_console.core.recording import GapReason
from csu_console.media.video.redact import redact_text, redact_url
from csu_console.processes import parent_death_signal
from csu_console.recorder.index import RecordingIndex
from csu_console.recorder.probe import SegmentError, probe_segment

log = logging.getLogger("csu.recorder")

INCOMING = ".incoming"
#: Retry delays after a camera drops (seconds); the last one repeats forever.
BACKOFF_S = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)


class JobState(StrEnum):
    """What a camera's recording is doing (``status.json`` values)."""

    STARTING = "starting"
    RECORDING = "recording"
    DOWN = "down"
    DISK_FULL = "disk_full"
    STOPPED = "stopped"


def segment_path(root: Path, camera_id: str, start: datetime) -> Path:
    """``<root>/<camera>/<YYYYMMDD>/<HHMMSS>.mkv`` (UTC); ``-1``, ``-2``… when taken."""
    start = start.astimezone(UTC)
    folder = root / camera_id / f"{start:%Y%m%d}"
    path = folder / f"{start:%H%M%S}.mkv"
    n = 0
    while path.exists():
        n += 1
        path = folder / f"{start:%H%M%S}-{n}.mkv"
    return path


def ffmpeg_command(
    url: str, incoming: Path, run: str, segment_s: int, *, ffmpeg: str = "ffmpeg"
) -> list[str]:
    """The FFmpeg command recording ``url`` (RTSP over TCP, stream copy) into
    ``incoming`` with its live segment list ``<run>.csv``."""
    args = [ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "warning"]
    if url.startswith(("rtsp://", "rtsps://")):
        args += ["-rtsp_transport", "tcp", "-timeout", "5000000"]
    elif url.startswith(("http://", "https://")):
        args += ["-rw_timeout", "5000000"]
    args += ["-i", url, "-map", "0:v:0", "-c", "copy", "-f", "segment"]
    args += ["-segment_time", str(segment_s), "-segment_atclocktime", "1"]
    args += ["-reset_timestamps", "1", "-segment_format", "matroska"]
    args += ["-segment_list", str(incoming / f"{run}.csv"), "-segment_list_type", "csv"]
    args += ["-segment_list_flags", "live", str(incoming / f"{run}-%06d.mkv")]
    return args


@dataclass
class Calibration:
    """Stream time → wall time for one FFmpeg run (see the module's docstring)."""

    origin: float | None = None  # Unix time of stream time 0
    observations: int = 0

    def observe(self, wall: float, stream_end: float) -> bool:
        """One segment closed, seen at ``wall``; True when the origin moved earlier
        by more than 50 ms (segments already dated should be re-dated)."""
        guess = wall - stream_end
        self.observations += 1
        if self.origin is None or guess < self.origin:
            moved = self.origin is None or self.origin - guess > 0.05
            self.origin = guess
            return moved and self.observations > 1
        return False

    def wall(self, stream_t: float) -> datetime:
        assert self.origin is not None
        return datetime.fromtimestamp(self.origin + stream_t, UTC)


@dataclass
class _Filed:
    pk: int
    path: Path
    stream_start: float
    stream_end: float
    corrupt: bool


@dataclass
class JobStatus:
    """A snapshot of one job for ``status.json`` (Unix times)."""

    state: JobState
    since: float
    last_segment_end: float | None
    open_gap: tuple[float, str] | None
    detail: str
    segments: int


@dataclass
class CameraJob:
    """Record ``camera_id`` from ``url`` into ``root`` until :meth:`stop`.

    ``may_record`` is asked before each start (False: disk full; the job waits in
    state ``disk_full`` with a gap « disque plein »). ``on_segment`` is called after
    each segment is indexed (the service checks the disk then).
    """

    camera_id: str
    url: str
    root: Path
    index: RecordingIndex
    segment_s: int = 60
    ffmpeg: str = "ffmpeg"
    stall_s: float = 15.0
    may_record: Callable[[], bool] = lambda: True
    on_segment: Callable[[], None] = lambda: None
    poll_s: float = 0.1
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _proc: subprocess.Popen[bytes] | None = None
    _thread: threading.Thread | None = None
    _state: JobState = JobState.STARTING
    _since: float = field(default_factory=time.time)
    _last_end: float | None = None
    _gap: tuple[int, float, GapReason] | None = None
    _detail: str = ""
    _segments: int = 0
    _failures: int = 0
    _tidied: bool = False

    @property
    def incoming(self) -> Path:
        return self.root / self.camera_id / INCOMING

    # -- control ---------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._run, name=f"csu-recorder-{self.camera_id}", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        """Stop FFmpeg cleanly (SIGTERM: it closes its last segment), file what it
        wrote and leave no gap open."""
        self.request_stop()
        if self._thread is not None:
            self._thread.join(timeout)

    def request_stop(self) -> None:
        """Ask to stop without waiting (the service stops every camera at once)."""
        self._stop.set()
        self._terminate()

    def interrupt_for_disk(self) -> None:
        """The disk is full: stop FFmpeg now; the job waits until ``may_record``."""
        self._terminate()

    def status(self) -> JobStatus:
        with self._lock:
            gap = None if self._gap is None else (self._gap[1], self._gap[2].value)
            return JobStatus(
                self._state, self._since, self._last_end, gap, self._detail, self._segments
            )

    def _set_state(self, state: JobState, detail: str = "") -> None:
        with self._lock:
            if state is not self._state:
                self._state, self._since = state, time.time()
            self._detail = detail

    def _terminate(self) -> None:
        proc = self._proc
        if proc is not None and proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                proc.terminate()

    # -- the loop --------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                if not self.may_record():
                    self._wait_for_room()
                    continue
                try:
                    ok = self._record_once()
                except (OSError, sqlite3.Error) as exc:
                    # The environment's fault (disk, share, locked index): say it,
                    # keep the camera's gap, try again — never stop recording for good.
                    log.error("enregistrement de %s : %s", self.camera_id, exc)
                    self._open_gap(GapReason.CAMERA_DOWN)
                    self._set_state(JobState.DOWN, f"erreur : {exc}")
                    self._tidied = False  # what that run left is filed at the next
                    ok = False
                if self._stop.is_set():
                    break
                if not self.may_record():
                    continue  # interrupted for the disk: no camera fault
                self._failures = 0 if ok else self._failures + 1
                delay = BACKOFF_S[min(self._failures, len(BACKOFF_S) - 1)]
                self._stop.wait(delay)
        except Exception:  # a bug must not end the recording silently
            log.exception("enregistrement de %s : erreur inattendue", self.camera_id)
            raise
        finally:
            self._close_gap(datetime.now(UTC))
            self._set_state(JobState.STOPPED)

    def _wait_for_room(self) -> None:
        if self._state is not JobState.DISK_FULL:
            log.error(
                "enregistrement interrompu : %s, disque plein (rien ne peut être libéré)",
                self.camera_id,
            )
            self._open_gap(GapReason.DISK_FULL)
            self._set_state(JobState.DISK_FULL, "disque plein")
        self._stop.wait(2.0)
        if self.may_record() and not self._stop.is_set():
            log.info("enregistrement de %s : de la place à nouveau, reprise", self.camera_id)

    def _record_once(self) -> bool:
        """One FFmpeg run; True when it recorded at least one segment."""
        self.incoming.mkdir(parents=True, exist_ok=True)
        if not self._tidied:
            self._file_leftovers()
            self._tidied = True
        run = f"{int(time.time() * 1000):x}"
        list_path = self.incoming / f"{run}.csv"
        args = ffmpeg_command(self.url, self.incoming, run, self.segment_s, ffmpeg=self.ffmpeg)
        log_path = self.incoming / f"{run}.log"
        log.info("enregistrement de %s : %s", self.camera_id, redact_url(self.url))
        # FFmpeg may print the URL, credentials and all: the recorder's eyes only
        # (the recording folder is shared with the consoles).
        fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "wb") as err:
            # SIGTERM to FFmpeg if this thread's process dies (SIGKILL, crash): no
            # orphan left recording. The job's thread outlives its FFmpeg (see
            # parent_death_signal); the preexec makes two system calls only.
            self._proc = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
                preexec_fn=parent_death_signal(),  # noqa: PLW1509
            )  # fmt: skip
        calib = Calibration()
        filed: list[_Filed] = []
        offset = 0
        progress, progress_at = -1, time.monotonic()
        stopping = False
        try:
            while True:
                if self._stop.is_set() and not stopping:
                    # A stop asked while this FFmpeg was starting found no process
                    # to end (request_stop saw none): end it now, then file and tidy.
                    stopping = True
                    self._terminate()
                exited = self._proc.poll() is not None
                offset = self._read_list(list_path, offset, run, calib, filed)
                if exited:
                    break
                size = self._growth(list_path, run)
                now = time.monotonic()
                if size != progress:
                    if progress >= 0 and self._state is not JobState.RECORDING:
                        self._set_state(JobState.RECORDING)
                    progress, progress_at = size, now
                elif now - progress_at > self.stall_s:
                    log.warning(
                        "enregistrement de %s : rien d'écrit depuis %.0f s, FFmpeg arrêté",
                        self.camera_id, self.stall_s,
                    )  # fmt: skip
                    self._terminate()
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        self._proc.wait(5)
                    if self._proc.poll() is None:
                        self._proc.kill()
                    progress_at = now + 3600  # no second kill
                time.sleep(self.poll_s)
        finally:
            if self._proc.poll() is None:
                self._proc.kill()
            code = self._proc.wait()
            self._proc = None
        self._file_orphans(run, calib, filed)
        why = _ffmpeg_error(log_path)
        for path in (list_path, log_path):
            path.unlink(missing_ok=True)
        if self._stop.is_set() or not self.may_record():
            return bool(filed)
        detail = why or f"FFmpeg terminé (code {code})"
        log.warning("caméra %s hors service : %s", self.camera_id, detail)
        self._open_gap(GapReason.CAMERA_DOWN)
        self._set_state(JobState.DOWN, detail)
        return bool(filed)

    def _growth(self, list_path: Path, run: str) -> int:
        """A number that grows while FFmpeg writes (the list and the newest file)."""
        total = 0
        with contextlib.suppress(OSError):
            total += list_path.stat().st_size
            newest = max(self.incoming.glob(f"{run}-*.mkv"), default=None)
            if newest is not None:
                total += newest.stat().st_size
        return total

    def _read_list(
        self, list_path: Path, offset: int, run: str, calib: Calibration, filed: list[_Filed]
    ) -> int:
        try:
            with open(list_path, "rb") as f:
                f.seek(offset)
                data = f.read()
        except FileNotFoundError:
            return offset
        wall = time.time()
        end = data.rfind(b"\n")
        if end < 0:
            return offset
        for line in data[: end + 1].decode("utf-8", "replace").splitlines():
            parts = line.strip().rsplit(",", 2)
            if len(parts) != 3:
                continue
            try:
                name, s0, s1 = parts[0], float(parts[1]), float(parts[2])
            except ValueError:
                log.warning("liste de segments de %s : ligne illisible %r", self.camera_id, line)
                continue
            if calib.observe(wall, s1) and filed:
                self._redate(calib, filed)
            self._file(self.incoming / Path(name).name, s0, s1, calib, filed)
        return offset + end + 1

    # -- filing ----------------------------------------------------------------------

    def _file(
        self, src: Path, s0: float, s1: float, calib: Calibration, filed: list[_Filed]
    ) -> None:
        start, end = calib.wall(s0), calib.wall(s1)
        if not src.exists():
            log.warning("segment %s de %s introuvable", src.name, self.camera_id)
            return
        corrupt = ""
        try:
            probe = probe_segment(src)
            if probe.duration_s <= 0:
                corrupt = f"{src.name} : durée nulle"
        except SegmentError as exc:
            corrupt = str(exc)
        target = segment_path(self.root, self.camera_id, start)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, target)
        pk = self.index.add_segment(self.camera_id, start, end, target, target.stat().st_size)
        filed.append(_Filed(pk, target, s0, s1, bool(corrupt)))
        if corrupt:
            self.index.mark_corrupt(pk)
            log.warning(
                "segment illisible de %s gardé et marqué : %s (%s)",
                self.camera_id, target.relative_to(self.root), corrupt,
            )  # fmt: skip
            return
        with self._lock:
            self._last_end = end.timestamp()
            self._segments += 1
        self._close_gap(start)
        self._set_state(JobState.RECORDING)
        self.on_segment()

    def _redate(self, calib: Calibration, filed: list[_Filed]) -> None:
        for f in filed:
            start, end = calib.wall(f.stream_start), calib.wall(f.stream_end)
            self.index.add_segment(self.camera_id, start, end, f.path, f.path.stat().st_size)
        if not filed[-1].corrupt:
            with self._lock:
                self._last_end = calib.wall(filed[-1].stream_end).timestamp()

    def _file_orphans(self, run: str, calib: Calibration, filed: list[_Filed]) -> None:
        """Files FFmpeg wrote but never listed (killed): the one after the last
        listed segment starts where it ended; an empty file is removed."""
        for src in sorted(self.incoming.glob(f"{run}-*.mkv")):
            if src.stat().st_size == 0:
                src.unlink()
                continue
            if calib.origin is not None and filed:
                s0 = filed[-1].stream_end
                try:
                    s1 = s0 + probe_segment(src).duration_s
                except SegmentError:
                    s1 = s0
                self._file(src, s0, s1, calib, filed)
            else:
                self._file_unlisted(src)

    def _file_leftovers(self) -> None:
        """At start: what a previous run left in the incoming folder."""
        for src in sorted(self.incoming.glob("*.mkv")):
            if src.stat().st_size == 0:
                src.unlink()
            else:
                self._file_unlisted(src)
        for stale in [*self.incoming.glob("*.csv"), *self.incoming.glob("*.log")]:
            stale.unlink(missing_ok=True)

    def _file_unlisted(self, src: Path) -> None:
        """A segment with no listed times: it ended about when it was last written
        (an unreadable one is taken as a whole segment long)."""
        mtime = src.stat().st_mtime
        try:
            duration = probe_segment(src).duration_s
        except SegmentError:
            duration = float(self.segment_s)
        calib = Calibration(mtime - duration)
        self._file(src, 0.0, duration, calib, [])

    # -- gaps --------------------------------------------------------------------------

    def _open_gap(self, reason: GapReason) -> None:
        with self._lock:
            if self._gap is not None and self._gap[2] is reason:
                return
        self._close_gap(datetime.now(UTC))
        with self._lock:
            since = self._last_end if self._last_end is not None else time.time()
        # A gap starts where the recording stopped, never before the last segment.
        start = datetime.fromtimestamp(min(since, time.time()), UTC)
        pk = self.index.open_gap(self.camera_id, start, reason)
        with self._lock:
            self._gap = (pk, start.timestamp(), reason)

    def _close_gap(self, end: datetime) -> None:
        with self._lock:
            gap, self._gap = self._gap, None
        if gap is not None:
            end = max(end, datetime.fromtimestamp(gap[1], UTC))
            self.index.close_gap(gap[0], end)
            log.info(
                "enregistrement de %s : fin de l'interruption « %s » (%.0f s)",
                self.camera_id, gap[2].value, end.timestamp() - gap[1],
            )  # fmt: skip


def _ffmpeg_error(log_path: Path) -> str:
    """The last line FFmpeg wrote on stderr (why it stopped), credentials removed."""
    try:
        lines = log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return redact_text(lines[-1].strip())[:300] if lines else ""
