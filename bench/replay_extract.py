"""Extraction on requisition: 10 minutes of 4 cameras to MP4 (stream copy) + SHA-256.

    .venv/bin/python bench/replay_extract.py [--minutes 10] [--cameras 4] [--runs 3]
                                             [--keep DIR]

Generates the recordings first (``make_recording``: 640×360 H.264 at 25 fps, a
keyframe a second, 60-s Matroska segments, indexed as ``csu-recorder`` files them;
about 25 s per camera, not measured; ``--keep DIR`` keeps them there and reuses
them next time). Then times ``extract_files`` over the whole period for every
camera: demux, remux to MP4 with ``+faststart``, fsync, rename and SHA-256 of each
file, to a fresh folder on the same disk, ``--runs`` times (the page cache is warm
after the first: the figure is the copy's cost, not the disk's). Goal: ≤ 5 s.
Last line: ``extract_s=… (median) extract_max_s=… mb=… frames=…``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from csu_console.core.recording import ExtractionRequest, Requisition
from csu_console.media.replay.extract import extract_files
from csu_console.media.stream_server.recordings import make_recording
from csu_console.recorder.index import RecordingIndex


def recordings(root: Path, minutes: int, cameras: int) -> tuple[datetime, list[str]]:
    """The recordings under ``root`` (made when absent); their origin and cameras."""
    ids = [f"cam-{n:02d}" for n in range(1, cameras + 1)]
    stamp = root / "origin.txt"
    if stamp.is_file():
        origin = datetime.fromisoformat(stamp.read_text().strip())
        return origin, ids
    origin = (datetime.now(UTC) - timedelta(minutes=minutes + 5)).replace(microsecond=0)
    index = RecordingIndex(root)
    try:
        for camera in ids:
            t = time.perf_counter()
            make_recording(root, camera, origin, minutes * 60, segment_s=60, index=index)
            print(f"enregistrement {camera} : {time.perf_counter() - t:.1f} s", flush=True)
    finally:
        index.close()
    stamp.write_text(origin.isoformat())
    return origin, ids


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=int, default=10)
    parser.add_argument("--cameras", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="dossier des enregistrements (réutilisé)")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="csu-bench-extract-"))
    root = args.keep or work / "recordings"
    root.mkdir(parents=True, exist_ok=True)
    try:
        origin, ids = recordings(root, args.minutes, args.cameras)
        requisition = Requisition("BENCH-1", "Commissariat", "OPJ", date.today())
        # The whole period but its first half second (the copy starts at a keyframe).
        start = origin + timedelta(seconds=0.5)
        request = ExtractionRequest(
            tuple(ids), start, start + timedelta(minutes=args.minutes), requisition
        )
        index = RecordingIndex(root, create=False)
        times: list[float] = []
        size = frames = 0
        try:
            for run in range(args.runs):
                out = work / f"out-{run}"
                out.mkdir()
                t = time.perf_counter()
                files = extract_files(index, request, out)
                elapsed = time.perf_counter() - t
                times.append(elapsed)
                size = sum(f.size for f in files)
                frames = round(sum((f.end - f.start).total_seconds() * 25 + 1 for f in files))
                print(
                    f"essai {run + 1} : {elapsed:.2f} s, {len(files)} fichiers, "
                    f"{size / 1e6:.1f} Mo, {frames} images",
                    flush=True,
                )
                shutil.rmtree(out)
        finally:
            index.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)  # --keep's folder is elsewhere: kept
    median = statistics.median(times)
    print(
        f"extract_s={median:.2f} extract_max_s={max(times):.2f} mb={size / 1e6:.1f} "
        f"frames={frames} minutes={args.minutes} cameras={args.cameras}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
