"""CPU of the recorder (``csu-recorder``) recording 9 cameras: FFmpeg copies the
streams into segments, it does not decode them.

A real RTSP test server (GStreamer, its own process, not counted: cameras are not
on the recorder's machine) serves 9 streams at 25 fps (640×360 by default,
``--size 1280x720``); a child process runs the real :class:`RecorderService`
(one FFmpeg per camera, the index, status.json, the disk guard) into a temporary
folder. After a warm-up (every FFmpeg writing), the CPU time (user + system, from
``/proc/<pid>/stat``) of the service's Python process and of its FFmpeg processes
is measured over ``--seconds`` (60 by default), as % of ONE core.

    .venv/bin/python bench/replay_recorder_cpu.py [--seconds 60] [--size 640x360]

Goal: < 10 % of one core for 9 cameras. Last line: ``name=value`` pairs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TICK = os.sysconf("SC_CLK_TCK")


def child(root: Path, urls: list[str], segment_s: int) -> None:
    """Run the recorder on ``urls`` until stdin closes."""
    from csu_console.config.recorder_section import RecorderConfig
    from csu_console.recorder.service import RecordedCamera, RecorderService

    cams = [RecordedCamera(f"cam-{i + 1:02d}", f"Caméra {i + 1}", u) for i, u in enumerate(urls)]
    config = RecorderConfig(segment_s=segment_s, min_free_gb=0)
    service = RecorderService(root, cams, config, 30)
    service.start()
    try:
        sys.stdin.read()
    finally:
        service.stop()


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime, stime


def children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        kids += [int(k) for k in text]
    return kids


def measure(
    seconds: float, size: tuple[int, int], segment_s: int, cameras: int
) -> dict[str, float]:
    from csu_console.media.stream_server.control import RtspServerProcess, StreamMount

    mounts = [StreamMount(f"cam{i + 1:02d}", f"CAM {i + 1}", *size) for i in range(cameras)]
    with RtspServerProcess(mounts) as server, tempfile.TemporaryDirectory() as tmp:
        urls = [server.url(m) for m in mounts]
        env = dict(os.environ, PYTHONPATH=str(REPO))
        args = [sys.executable, __file__, "--child", tmp, "--segment-s", str(segment_s), *urls]
        proc = subprocess.Popen(args, stdin=subprocess.PIPE, env=env)
        try:
            deadline = time.monotonic() + 60
            while True:  # warm-up: every FFmpeg started and writing
                ff = [k for k in children(proc.pid) if b"ffmpeg" in _cmd(k)]
                written = list(Path(tmp).glob("*/.incoming/*.mkv"))
                if len(ff) == cameras and len({p.parent.parent for p in written}) == cameras:
                    break
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("le banc n'a pas démarré")
                time.sleep(0.2)
            time.sleep(5)
            ff = [k for k in children(proc.pid) if b"ffmpeg" in _cmd(k)]
            t0 = time.monotonic()
            py0, ff0 = cpu_ticks(proc.pid), {k: cpu_ticks(k) for k in ff}
            time.sleep(seconds)
            py1, ff1 = cpu_ticks(proc.pid), {k: cpu_ticks(k) for k in ff}
            wall = time.monotonic() - t0
            restarted = len(set(children(proc.pid)) ^ set(ff))
            segments = sum(1 for p in Path(tmp).rglob("*.mkv") if ".incoming" not in p.parts)
        finally:
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait(30)
    ffmpeg = sum(ff1[k] - ff0[k] for k in ff) / TICK / wall * 100
    python = (py1 - py0) / TICK / wall * 100
    return {
        "ffmpeg": ffmpeg,
        "python": python,
        "total": ffmpeg + python,
        "per_camera": (ffmpeg + python) / cameras,
        "restarts": float(restarted),
        "segments": float(segments),
        "wall": wall,
    }


def _cmd(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--cameras", type=int, default=9)
    parser.add_argument("--segment-s", type=int, default=60)
    parser.add_argument("--child", default=None)
    parser.add_argument("urls", nargs="*")
    args = parser.parse_args()
    if args.child:
        child(Path(args.child), args.urls, args.segment_s)
        return
    w, h = (int(x) for x in args.size.split("x"))
    r = measure(args.seconds, (w, h), args.segment_s, args.cameras)
    print(f"recorder, {args.cameras} cameras {w}x{h} 25 fps, segments {args.segment_s} s,"
          f" measured over {r['wall']:.0f} s (% of one core):")  # fmt: skip
    print(f"  ffmpeg (all {args.cameras})  {r['ffmpeg']:6.2f} %")
    print(f"  python service   {r['python']:6.2f} %")
    print(f"  total            {r['total']:6.2f} %   ({r['per_camera']:.2f} % per camera)")
    print(f"  segments filed {r['segments']:.0f}, FFmpeg restarts {r['restarts']:.0f}")
    print(
        f"recorder_cpu_{args.cameras}cams_pct={r['total']:.2f} "
        f"recorder_ffmpeg_pct={r['ffmpeg']:.2f} recorder_python_pct={r['python']:.2f} "
        f"recorder_size={w}x{h} recorder_goal_pct=10"
    )


if __name__ == "__main__":
    main()
