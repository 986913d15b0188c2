"""Extraction on requisition: one MP4 per camera, copied from the recorder's
segments without re-encoding (Qt-free; PyAV demux and mux, no decoding).

For each camera of an :class:`~csu_console.core.recording.ExtractionRequest`,
:func:`extract_files` copies the packets from the keyframe at or before the
period's start up to its end, across segments, into ``<folder>/<name>.mp4``:

* the file's time is the filmed time minus its first frame's: position ``t`` in
  the file was filmed at ``ExtractedFile.start + t`` — a gap in the recording is
  a jump in the file's timestamps (players hold the last picture), never
  squeezed out, so durations in the file are true durations;
* ``movflags=+faststart`` (the index at the front: the file plays while copied);
* written under a temporary name in ``folder``, fsynced, hashed (SHA-256), then
  renamed: a file with its final name is whole;
* the file name is ``<camera>_<YYYYMMDD>_<HHMMSS>-<HHMMSS>_UTC.mp4``, the period
  asked in **UTC** (no ambiguity at the change of hour; the procès-verbal and the
  JSON give local times too).

A camera with nothing recorded in the period gets no file but an
:class:`ExtractedFile` with ``written`` False and its gaps (the procès-verbal lists
it). A segment that cannot be read is skipped (logged) and its period reported as
a gap « segment illisible ». Free space is checked first; an unwritable folder, a
full disk or a cancel raise :class:`ExtractionError` (French) and leave no file of
this extraction behind.

:func:`sidecar_json` / :func:`write_sidecar`: the procès-verbal's facts as JSON.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from fractions import Fraction
from pathlib import Path
from typing import Any

from csu_console.core.recording import (
    ExtractedFile,
    ExtractionRecord,
    ExtractionRequest,
    Gap,
    GapReason,
    Segment,
)
from csu_console.errors import UserFacingError
from csu_console.recorder.index import RecordingIndex

log = logging.getLogger("csu.extract")

#: Time base of the written files' timestamps (90 kHz, MPEG's).
OUT_TIME_BASE = Fraction(1, 90000)
#: Room kept free beyond the estimated size (MP4 index, file system).
MARGIN_BYTES = 8 * 1024 * 1024
#: Version of the sidecar JSON's layout.
SIDECAR_FORMAT = 1

Progress = Callable[[float], None]


class ExtractionError(UserFacingError):
    """An extraction that could not be done; the message is French and says why."""


class ExtractionCancelled(ExtractionError):
    """The operator cancelled: the files of this extraction were removed."""


def file_name(camera_id: str, start: datetime, end: datetime) -> str:
    """``<camera>_<YYYYMMDD>_<HHMMSS>-<HHMMSS>_UTC.mp4`` (the period asked, UTC)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", camera_id).strip(".-") or "camera"
    a, b = start.astimezone(UTC), end.astimezone(UTC)
    return f"{safe}_{a:%Y%m%d_%H%M%S}-{b:%H%M%S}_UTC.mp4"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _mb(n: int) -> str:
    return f"{n / 1e6:.0f}".replace(".", ",")


def estimate_bytes(index: RecordingIndex, request: ExtractionRequest) -> int:
    """What the files will take, from the sizes of the segments they copy (a whole
    segment counted when the period starts inside it: the copy starts at a keyframe)."""
    total = 0
    for camera in request.camera_ids:
        for seg in index.segments(camera, request.start, request.end):
            length = max((seg.end - seg.start).total_seconds(), 1e-3)
            a = max(seg.start, request.start - timedelta(seconds=2))
            b = min(seg.end, request.end)
            share = max(0.0, (b - a).total_seconds()) / length
            total += int(seg.size * min(1.0, share)) + 4096
    return total


def check_folder(folder: Path, needed: int) -> None:
    """:class:`ExtractionError` when ``folder`` is absent, not writable or lacks
    ``needed`` bytes (plus a margin)."""
    if not folder.is_dir():
        raise ExtractionError(f"Dossier de destination introuvable : {folder}")
    probe = folder / f".csu-probe-{secrets.token_hex(4)}"
    try:  # a real write: os.access says yes to root and on a key mounted read-only
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
        probe.unlink()
    except OSError as exc:
        raise ExtractionError(
            f"Écriture impossible dans {folder} : {exc.strerror or exc}."
        ) from exc
    try:
        free = shutil.disk_usage(folder).free
    except OSError as exc:
        raise ExtractionError(f"Dossier {folder} illisible : {exc.strerror or exc}") from exc
    if free < needed + MARGIN_BYTES:
        raise ExtractionError(
            f"Place insuffisante sur {folder} : {_mb(needed + MARGIN_BYTES)} Mo nécessaires, "
            f"{_mb(free)} Mo libres."
        )


def _unique(folder: Path, name: str) -> Path:
    path = folder / name
    n = 2
    while path.exists():
        path = folder / f"{Path(name).stem}-{n}{Path(name).suffix}"
        n += 1
    return path


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _merge_gaps(gaps: Sequence[Gap]) -> tuple[Gap, ...]:
    """Gaps in time order; a « segment illisible » wins over the plain reason where
    they overlap (the index already says corrupt segments are gaps)."""
    out: list[Gap] = []
    for gap in sorted(gaps, key=lambda g: (g.start, g.reason is not GapReason.CORRUPT)):
        g = gap
        if out and g.start < out[-1].end:
            if g.end <= out[-1].end:
                continue
            g = Gap(out[-1].end, g.end, g.reason)
        out.append(g)
    return tuple(out)


@dataclass
class _Run:
    """Shared state of one extraction: progress, cancel, files made."""

    request: ExtractionRequest
    progress: Progress | None
    cancel: threading.Event | None
    made: list[Path]
    done_cameras: int = 0
    last_reported: float = -1.0

    def report(self, at: datetime) -> None:
        if self.progress is None:
            return
        span = (self.request.end - self.request.start).total_seconds() or 1.0
        part = min(1.0, max(0.0, (at - self.request.start).total_seconds() / span))
        value = (self.done_cameras + part) / len(self.request.camera_ids)
        if value - self.last_reported >= 0.005 or value >= 1.0:
            self.last_reported = value
            self.progress(value)

    def check(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise ExtractionCancelled("Extraction annulée : aucun fichier n'est gardé.")


def _packets(seg: Segment) -> Iterator[tuple[Any, Any, datetime, int, int]]:
    """``(packet, stream, filmed time, pts, dts)`` of a segment's video packets, the
    times rebased on the index's start of the segment (its first packet)."""
    import av

    with av.open(str(seg.path), mode="r") as container:
        if not container.streams.video:
            raise ValueError(f"{seg.path.name} : pas de piste vidéo")
        stream = container.streams.video[0]
        base = stream.time_base or Fraction(1, 1000)
        origin: int | None = None
        for packet in container.demux(stream):
            if packet.pts is None or packet.size == 0:
                continue
            if origin is None:
                origin = packet.pts
            dts = packet.dts if packet.dts is not None else packet.pts
            filmed = seg.start + timedelta(seconds=float((packet.pts - origin) * base))
            yield (
                packet,
                stream,
                filmed,
                int((packet.pts - origin) * base / OUT_TIME_BASE),
                int((dts - origin) * base / OUT_TIME_BASE),
            )


def _write_failed(folder: Path, exc: BaseException) -> ExtractionError:
    """The French error of a write that failed on the destination."""
    if getattr(exc, "errno", None) == errno.ENOSPC:
        return ExtractionError(f"Place insuffisante sur {folder} : le support est plein.")
    why = getattr(exc, "strerror", None) or str(exc)
    return ExtractionError(f"Écriture impossible dans {folder} : {why}.")


def _open_output(tmp: Path, template: Any, title: str, start: datetime) -> tuple[Any, Any]:
    """The MP4 being written (faststart) and its video stream, copied from ``template``."""
    import av

    try:
        output = av.open(str(tmp), mode="w", format="mp4", options={"movflags": "+faststart"})
    except (av.FFmpegError, OSError) as exc:
        raise _write_failed(tmp.parent, exc) from exc
    output.metadata["title"] = title
    output.metadata["creation_time"] = start.strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    stream = output.add_stream_from_template(template)
    stream.time_base = OUT_TIME_BASE
    return output, stream


def _extract_camera(
    index: RecordingIndex,
    camera: str,
    folder: Path,
    run: _Run,
    title: str,
) -> ExtractedFile:
    import av

    req = run.request
    coverage = index.coverage(camera, req.start, req.end)
    segments = index.segments(camera, req.start, req.end)
    gaps: list[Gap] = list(coverage.gaps)
    if not segments:
        log.info("extraction %s : rien d'enregistré du %s au %s", camera, req.start, req.end)
        return ExtractedFile(camera, Path(), "", 0, req.start, req.start, _merge_gaps(gaps))
    final = _unique(folder, file_name(camera, req.start, req.end))
    tmp = folder / f".{final.name}.{secrets.token_hex(4)}.part"
    run.made.append(tmp)
    output: Any = None
    out_stream: Any = None
    first_at: datetime | None = None
    last_at: datetime | None = None
    last_dts = -1
    frames = 0
    pending: list[tuple[Any, datetime, int, int, int]] = []  # the GOP before the start

    def write(packet: Any, at: datetime, seg_offset: int, pts: int, dts: int) -> None:
        nonlocal first_at, last_at, last_dts, frames
        if first_at is None:
            first_at = at
        zero = int((first_at - req.start).total_seconds() / OUT_TIME_BASE)
        out_pts = seg_offset + pts - zero
        out_dts = seg_offset + dts - zero
        if out_dts <= last_dts:
            out_dts = last_dts + 1
        out_pts = max(out_pts, out_dts)
        last_dts = out_dts
        packet.stream = out_stream
        packet.time_base = OUT_TIME_BASE
        packet.pts, packet.dts = out_pts, out_dts
        try:
            output.mux(packet)
        except (av.FFmpegError, OSError) as exc:
            raise _write_failed(folder, exc) from exc
        last_at = at
        frames += 1

    try:
        for seg in segments:
            # The segment's first packet stands at seg.start: offset in OUT_TIME_BASE
            # from the period's start (the file's 0 is its first frame, see write()).
            seg_offset = int((seg.start - req.start).total_seconds() / OUT_TIME_BASE)
            cursor = seg.start
            try:
                for packet, stream, at, pts, dts in _packets(seg):
                    run.check()
                    cursor = at
                    if at >= req.end:
                        break
                    if output is None:
                        output, out_stream = _open_output(tmp, stream, title, seg.start)
                    if at < req.start:
                        if packet.is_keyframe:
                            pending = [(packet, at, seg_offset, pts, dts)]
                        elif pending:
                            pending.append((packet, at, seg_offset, pts, dts))
                        continue
                    if pending and packet.is_keyframe:
                        pending = []  # a keyframe right at the start: begin there
                    if pending:
                        for p, p_at, p_offset, p_pts, p_dts in pending:
                            write(p, p_at, p_offset, p_pts, p_dts)
                        pending = []
                    if first_at is None and not packet.is_keyframe:
                        continue  # never start a file on a picture that needs its keyframe
                    write(packet, at, seg_offset, pts, dts)
                    run.report(at)
            except (av.FFmpegError, OSError, ValueError) as exc:
                if isinstance(exc, OSError) and not isinstance(exc, av.FFmpegError):
                    if not seg.path.exists():
                        log.warning("extraction %s : segment %s absent", camera, seg.path)
                    else:
                        raise
                else:
                    log.warning("extraction %s : segment %s illisible (%s)", camera, seg.path, exc)
                bad_from = max(cursor, req.start)
                if bad_from < min(seg.end, req.end):
                    gaps.append(Gap(bad_from, min(seg.end, req.end), GapReason.CORRUPT))
                pending = []
        if output is None or first_at is None or last_at is None:
            if output is not None:
                output.close()
                output = None
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
            log.info("extraction %s : aucune image lisible dans la période", camera)
            return ExtractedFile(camera, Path(), "", 0, req.start, req.start, _merge_gaps(gaps))
        try:
            closing, output = output, None
            closing.close()  # writes the index, moves it to the front (faststart)
            with tmp.open("rb") as fh:
                os.fsync(fh.fileno())
            sha = sha256_of(tmp)
            size = tmp.stat().st_size
            os.replace(tmp, final)
        except (av.FFmpegError, OSError) as exc:
            raise _write_failed(folder, exc) from exc
        run.made.append(final)
        _fsync_dir(folder)
    finally:
        if output is not None:
            with contextlib.suppress(Exception):
                output.close()
    log.info(
        "extraction %s : %s, %d images, %d octets, sha256 %s", camera, final.name, frames, size, sha
    )
    return ExtractedFile(camera, final, sha, size, first_at, last_at, _merge_gaps(gaps))


def extract_files(
    index: RecordingIndex,
    request: ExtractionRequest,
    folder: Path,
    *,
    camera_names: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> list[ExtractedFile]:
    """One MP4 per camera of ``request`` in ``folder`` (see the module's doc); one
    :class:`ExtractedFile` per camera, in the request's order (``written`` False for
    a camera with nothing recorded). :class:`ExtractionError` (French): folder
    absent or not writable, not enough room, a write failing; :class:`ExtractionCancelled`
    when ``cancel`` is set. Either way no file of this extraction is left."""
    folder = Path(folder)
    check_folder(folder, estimate_bytes(index, request))
    names = camera_names or {}
    run = _Run(request, progress, cancel, [])
    results: list[ExtractedFile] = []
    try:
        for camera in request.camera_ids:
            run.check()
            title = f"{names.get(camera, camera)} ({camera})"
            results.append(_extract_camera(index, camera, folder, run, title))
            run.done_cameras += 1
            run.report(request.start)  # (cameras done) / cameras
    except ExtractionError:
        _remove(run.made)
        raise
    except OSError as exc:
        _remove(run.made)
        raise ExtractionError(
            f"Écriture impossible dans {folder} : {exc.strerror or exc}."
        ) from exc
    except BaseException:
        _remove(run.made)
        raise
    if progress is not None and run.last_reported < 1.0:
        progress(1.0)
    return results


def _remove(paths: Sequence[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


# -- the procès-verbal's facts as JSON ------------------------------------------------


def _times(at: datetime, tz: tzinfo) -> dict[str, str]:
    return {
        "utc": at.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "local": at.astimezone(tz).isoformat(timespec="milliseconds"),
    }


def _gap(gap: Gap, tz: tzinfo) -> dict[str, Any]:
    return {"start": _times(gap.start, tz), "end": _times(gap.end, tz), "reason": gap.reason.value}


def sidecar_facts(
    record: ExtractionRecord, camera_names: Mapping[str, str] | None, tz: tzinfo
) -> dict[str, Any]:
    """What the procès-verbal says, as a JSON-ready dict (UTC and local times)."""
    names = camera_names or {}
    req = record.request
    files = {f.camera_id: f for f in record.files}
    cameras = []
    for camera in req.camera_ids:
        f = files.get(camera)
        entry: dict[str, Any] = {"id": camera, "name": names.get(camera, camera)}
        if f is not None and f.written:
            entry["file"] = {
                "name": f.path.name,
                "sha256": f.sha256,
                "size": f.size,
                "first_frame": _times(f.start, tz),
                "last_frame": _times(f.end, tz),
            }
        else:
            entry["file"] = None
        entry["gaps"] = [_gap(g, tz) for g in (f.gaps if f is not None else ())]
        cameras.append(entry)
    return {
        "format": SIDECAR_FORMAT,
        "kind": "extraction_video_sur_requisition",
        "extraction": record.pk,
        "at": _times(record.at, tz),
        "timezone": str(tz),
        "station": record.station,
        "operator": record.operator,
        "requisition": {
            "number": req.requisition.number,
            "service": req.requisition.service,
            "opj": req.requisition.opj,
            "issued_on": req.requisition.issued_on.isoformat(),
        },
        "period": {"start": _times(req.start, tz), "end": _times(req.end, tz)},
        "folder": record.folder,
        "cameras": cameras,
        "file_time": "instant filmé = first_frame + position dans le fichier"
        " (les périodes sans enregistrement restent des sauts)",
        "main_courante_chain_head": record.chain_head,
        "proces_verbal": {"name": record.report_name, "sha256": record.report_sha256},
        "legal_hold": {
            "reference": req.requisition.number,
            "released_at": None if record.released_at is None else _times(record.released_at, tz),
        },
    }


def sidecar_json(
    record: ExtractionRecord, camera_names: Mapping[str, str] | None, tz: tzinfo
) -> bytes:
    """The procès-verbal's facts as UTF-8 JSON (indented, keys in a fixed order)."""
    text = json.dumps(sidecar_facts(record, camera_names, tz), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def write_sidecar(
    path: Path,
    record: ExtractionRecord,
    camera_names: Mapping[str, str] | None,
    tz: tzinfo,
) -> str:
    """Write :func:`sidecar_json` to ``path`` (temporary name, fsync, rename); its SHA-256."""
    data = sidecar_json(record, camera_names, tz)
    write_whole(path, data)
    return hashlib.sha256(data).hexdigest()


def write_whole(path: Path, data: bytes) -> None:
    """``data`` to ``path`` under a temporary name, fsynced, renamed, the folder
    fsynced: a file with its final name is whole (the procès-verbal, its JSON).
    :class:`ExtractionError` (French) when it cannot be written."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise ExtractionError(
            f"Écriture impossible de {path.name} dans {path.parent} : {exc.strerror or exc}."
        ) from exc
    _fsync_dir(path.parent)
