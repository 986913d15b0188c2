"""``csu-recorder``: record the site's cameras, or say what is recorded.

* ``csu-recorder run [--config DIR] [--data-dir DIR]``: records every camera of
  ``[recorder] record`` (empty: all) until SIGTERM or Ctrl+C, which stop every
  FFmpeg cleanly (each closes its last segment) and close the gaps; logs to
  stderr and ``<data-dir>/logs/recorder.log``.
* ``csu-recorder status [--config DIR] [--data-dir DIR] [--dir FOLDER]``: per
  camera, what is recorded over the last 24 h (spans), the gaps and why, the disk
  (read-only; works while the recorder runs).
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import threading
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from csu_console.config import SiteConfig, check_site, default_config_dir
from csu_console.heap import limit_arenas

LOG_FILE = "recorder.log"
#: Spans and gaps listed per camera at most (the most recent).
LIST_MAX = 12


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="csu-recorder",
        description="Enregistreur des caméras du site (FFmpeg, copie sans réencodage).",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="enregistrer les caméras (jusqu'à SIGTERM ou Ctrl+C)")
    status = sub.add_parser("status", help="ce qui est enregistré, les interruptions, le disque")
    for p in (run, status):
        p.add_argument("--config", type=Path, default=None, help="dossier du site (défaut : démo)")
        p.add_argument("--data-dir", type=Path, default=None, help="dossier des données")
    run.add_argument("--segment-s", type=int, default=None, help="remplace [recorder] segment_s")
    run.add_argument(
        "--stream-port", type=int, default=None,
        help="serveur de flux de test local sur ce port (démo, tests)",
    )  # fmt: skip
    run.add_argument("--ffmpeg", default="ffmpeg", help="programme FFmpeg (défaut : ffmpeg)")
    run.add_argument("--stream", choices=("main", "sub"), default=None,
                     help="remplace [recorder] stream")  # fmt: skip
    status.add_argument("--dir", type=Path, default=None, help="dossier des enregistrements")
    status.add_argument("--hours", type=float, default=24.0, help="période montrée (24 h)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``csu-recorder``."""
    limit_arenas()  # before any thread allocates (heap.py)
    args = build_parser().parse_args(argv)
    if args.command == "run":
        return run(args, sys.stderr)
    return status(args, sys.stdout, sys.stderr)


# -- run -------------------------------------------------------------------------------


def _site(config: Path | None, err: TextIO) -> SiteConfig | None:
    site, problems = check_site(config or default_config_dir())
    for p in problems:
        print(f"csu-recorder : configuration : {p}", file=err)
    return site


def run(args: argparse.Namespace, err: TextIO) -> int:
    """Record until SIGTERM/SIGINT."""
    from dataclasses import replace

    from csu_console.config.secrets import cameras_with_credentials, default_secret_store
    from csu_console.logs import install_crash_hooks, setup_logging
    from csu_console.media.stream_server.control import camera_on_port
    from csu_console.paths import default_data_dir
    from csu_console.recorder.service import RecordedCamera, RecorderService

    stop = threading.Event()

    def on_signal(signum: int, _frame: object) -> None:
        stop.set()

    # First: a SIGTERM during start-up still stops cleanly.
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    site = _site(args.config, err)
    if site is None:
        return 2
    data_dir = args.data_dir or default_data_dir()
    setup_logging(data_dir, filename=LOG_FILE)
    install_crash_hooks()
    if shutil.which(args.ffmpeg) is None:
        print(
            f"csu-recorder : FFmpeg introuvable ({args.ffmpeg}) : sudo apt-get install ffmpeg",
            file=err,
        )
        return 2
    cameras, problems = cameras_with_credentials(site.cameras, default_secret_store(data_dir))
    for p in problems:
        print(f"csu-recorder : identifiants des caméras : {p}", file=err)
    if args.stream_port is not None:
        cameras = tuple(camera_on_port(c, args.stream_port) for c in cameras)
    rec = site.recorder
    if args.segment_s is not None:
        rec = replace(rec, segment_s=max(2, args.segment_s))
    if args.stream is not None:
        rec = replace(rec, stream=args.stream)
    wanted = set(rec.record) or {c.id for c in cameras}
    chosen = [
        RecordedCamera(
            c.id, c.name, (c.stream_sub if rec.stream == "sub" else None) or c.stream_main
        )
        for c in cameras
        if c.id in wanted
    ]
    if not chosen:
        print("csu-recorder : aucune caméra à enregistrer", file=err)
        return 2
    service = RecorderService(rec.folder(data_dir), chosen, rec, site.retention.video_days,
                              ffmpeg=args.ffmpeg)  # fmt: skip
    service.start()
    try:
        while not stop.wait(1.0):
            pass
    finally:
        service.stop()
    return 0


# -- status ----------------------------------------------------------------------------


def _size(n: float) -> str:
    for unit, scale in (("To", 1e12), ("Go", 1e9), ("Mo", 1e6), ("ko", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}".replace(".", ",")
    return f"{int(n)} o"


def _duration(seconds: float) -> str:
    s = round(seconds)
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    if h:
        return f"{h} h {m:02d} min"
    if m:
        return f"{m} min {s:02d} s"
    return f"{s} s"


def _at(when: datetime, tz: tzinfo, now: datetime) -> str:
    local = when.astimezone(tz)
    if local.date() == now.astimezone(tz).date():
        return f"{local:%H:%M:%S}"
    return f"{local:%d/%m %H:%M:%S}"


def status(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the recorder's state (French, for a terminal); read-only."""
    from csu_console.demo_access import command_data_dir
    from csu_console.recorder.index import RecordingIndex
    from csu_console.recorder.status import StatusError, read_status

    site, _problems = check_site(args.config or default_config_dir())
    tz: tzinfo = ZoneInfo(site.site.timezone) if site is not None else UTC
    if args.dir is not None:
        folder = args.dir
    else:
        data_dir, _why = command_data_dir(args.data_dir, Path.cwd())
        folder = site.recorder.folder(data_dir) if site is not None else data_dir / "recordings"
    now = datetime.now(UTC)
    try:
        index = RecordingIndex(folder, create=False)
    except FileNotFoundError:
        print(f"csu-recorder : aucun enregistrement dans {folder}", file=err)
        return 1
    try:
        state = read_status(folder)
    except StatusError as exc:
        state = None
        print(f"csu-recorder : {exc}", file=err)
    names = {c.id: c.name for c in site.cameras} if site is not None else {}
    try:
        out.write(f"Enregistrements : {folder}\n")
        if state is None:
            out.write("Enregistreur : état inconnu\n")
        else:
            age = (now - state.written_at).total_seconds()
            running = "à l'arrêt" if state.stale(now) else "en marche"
            out.write(
                f"Enregistreur : {running} (état du {_at(state.written_at, tz, now)}, "
                f"il y a {_duration(age)}) ; segments de {state.segment_s} s\n"
            )
            budget = _size(state.disk_budget) if state.disk_budget else "aucun"
            out.write(
                f"Disque : {_size(state.disk_used)} enregistrés (budget {budget}), "
                f"{_size(state.disk_free)} libres (minimum {_size(state.disk_min_free)})\n"
            )
            if state.disk_full:
                out.write(
                    "ENREGISTREMENT INTERROMPU : disque plein, rien à supprimer hors saisie\n"
                )
        held = index.held_references()
        if held:
            out.write(f"Saisies judiciaires en cours : {', '.join(held)}\n")
        start = now - timedelta(hours=args.hours)
        live = {c.camera_id: c for c in state.cameras} if state is not None else {}
        cameras = list(dict.fromkeys([*live, *index.cameras()]))
        for cam in cameras:
            cov = index.coverage(cam, start, now, now=now)
            name = names.get(cam) or (live[cam].name if cam in live else cam)
            out.write(f"\n{cam} — {name}\n")
            writing: datetime | None = None  # the segment being written starts there
            if cam in live and state is not None and not state.stale(now):
                c = live[cam]
                out.write(f"  état : {c.label} depuis {_at(c.since, tz, now)}")
                out.write(f" ({c.detail})\n" if c.detail and c.state != "recording" else "\n")
                if c.state == "recording" and c.last_segment_end is not None:
                    writing = c.last_segment_end
            out.write(
                f"  enregistré : {_duration(cov.recorded_seconds)} sur les "
                f"{_duration(args.hours * 3600)} dernières\n"
            )
            for span in cov.spans[-LIST_MAX:]:
                out.write(
                    f"    {_at(span.start, tz, now)} → {_at(span.end, tz, now)}"
                    f"  ({_duration(span.seconds)})\n"
                )
            gaps = [g for g in cov.gaps if (g.end - g.start).total_seconds() >= 1]
            if writing is not None:
                # Not a gap: the segment being written, filed when it closes.
                last = gaps[-1] if gaps else None
                if last and last.end >= now and last.start >= writing - timedelta(seconds=2):
                    gaps.pop()
                out.write(f"    {_at(writing, tz, now)} → maintenant  (segment en cours)\n")
            if gaps:
                out.write("  interruptions :\n")
            for gap in gaps[-LIST_MAX:]:
                out.write(
                    f"    {_at(gap.start, tz, now)} → {_at(gap.end, tz, now)}"
                    f"  {gap.reason.value} ({_duration((gap.end - gap.start).total_seconds())})\n"
                )
    finally:
        index.close()
    return 0
